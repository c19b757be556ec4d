//! Large topologies load: the parser limits (nodes, events, scalar bytes) are sized for
//! files far beyond real ones. The test generates a ~1 MB topology so it stays quick in a
//! debug build; the 50 MB figure comes from `scripts/bench-large.sh` (release build, see
//! docs/architecture.md), because a debug build parses 50 MB in about two minutes.

// Test code: an unwrap/expect that fails is a failed test. clippy.toml allows them only in
// #[test] and #[cfg(test)] code, which an integration test's helper functions are not.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::fmt::Write as _;

/// A syntactically plain, valid topology of about `bytes` bytes: one site with many hosts
/// and a domain whose clusters spread servers over them.
fn generate(bytes: usize) -> String {
    let mut out = String::from(
        "version: 1\nname: big\narchitecture: single-site\nsites:\n  - name: dc1\n    role: primary\n    hosts:\n",
    );
    let mut hosts = 0usize;
    while out.len() < bytes.saturating_sub(130_000) {
        let _ = writeln!(
            out,
            "      - {{name: h{hosts:07}, address: h{hosts:07}.dc1.example.com}}"
        );
        hosts += 1;
    }
    out.push_str(
        "domains:\n  - name: big_domain\n    admin_server: {host: h0000000}\n    clusters:\n",
    );
    let per_cluster = 20;
    let clusters = (hosts / per_cluster).min(150);
    for c in 0..clusters {
        let _ = writeln!(out, "      - name: c{c}\n        servers:");
        for s in 0..per_cluster {
            let _ = writeln!(
                out,
                "          - {{name: c{c}_ms{s}, host: h{:07}}}",
                c * per_cluster + s
            );
        }
    }
    out
}

#[test]
fn a_large_generated_topology_loads_and_checks() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("big.yaml");
    let text = generate(1024 * 1024);
    assert!(text.len() > 1_000_000, "{}", text.len());
    std::fs::write(&path, &text).unwrap_or_else(|e| panic!("{e}"));
    let model = maa::resolve::load_model(&path, "big.yaml").unwrap_or_else(|e| {
        panic!(
            "a large topology must load: {:?}",
            e.iter().map(|d| &d.message).collect::<Vec<_>>()
        )
    });
    assert!(model.topo.sites[0].hosts.len() > 15_000);
    assert_eq!(model.topo.domains[0].clusters.len(), 150);
    // The CLI checks it too: findings perhaps, but no load error.
    let code = common::maa()
        .args(["check", "--format", "json", "--fail-on", "never"])
        .arg(&path)
        .assert()
        .get_output()
        .status
        .code();
    assert_eq!(code, Some(0));
}
