//! The MAA-architect review of `maa simulate --all` on the shipped topologies (issue 16,
//! second round): each test pins one finding, and failed before its fix.

// Test code: an unwrap/expect that fails is a failed test. clippy.toml allows them only in
// #[test] and #[cfg(test)] code, which an integration test's helper functions are not.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};

use serde_json::Value;

fn topology(name: &str) -> PathBuf {
    common::root().join("topologies").join(name)
}

/// The first scenario of `maa simulate --format json --fail F…` on `path`.
fn scenario(path: &Path, fails: &[&str]) -> Value {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_maa"));
    cmd.args(["simulate", "--format", "json"]);
    for f in fails {
        cmd.args(["--fail", f]);
    }
    let out = cmd.arg(path).output().expect("runs maa");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{fails:?}: not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    v["scenarios"][0].clone()
}

/// The only service of a scenario (the shipped topologies serve one each).
fn service(sc: &Value) -> Value {
    let s = sc["services"].as_array().expect("services");
    assert_eq!(s.len(), 1, "{sc}");
    s[0].clone()
}

fn steps(s: &Value) -> Vec<Value> {
    s["timeline"].as_array().cloned().unwrap_or_default()
}

fn has_step(s: &Value, mechanism: &str, text: &str) -> bool {
    steps(s)
        .iter()
        .any(|t| t["mechanism"] == mechanism && t["what"].as_str().unwrap_or("").contains(text))
}

/// A copy of a shipped topology with `edits` applied to its text, in a directory of its
/// own (removed when dropped).
struct Edited {
    dir: PathBuf,
    path: PathBuf,
}

impl Edited {
    fn new(name: &str, tag: &str, edits: &[(&str, &str)]) -> Edited {
        let mut text = std::fs::read_to_string(topology(name)).expect("reads");
        for (from, to) in edits {
            assert!(text.contains(from), "{name}: {from}");
            text = text.replacen(from, to, 1);
        }
        let dir = std::env::temp_dir().join(format!("maa-review-{}-{tag}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("tmp");
        let path = dir.join(name);
        std::fs::write(&path, text).expect("writes");
        Edited { dir, path }
    }
}

impl Drop for Edited {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Review point 1: A single-instance database crash with nothing declared to restart it is restarted
/// by an operator (after the response time), not automatically in 5 minutes; declaring
/// `instance-restart` makes it runbook automation.
#[test]
fn single_instance_crash_is_restarted_by_whoever_the_topology_declares() {
    let sc = scenario(&topology("starter.yaml"), &["instance:appdb.appdb1"]);
    for s in sc["services"].as_array().expect("services") {
        let restart: Vec<Value> = steps(s)
            .into_iter()
            .filter(|t| t["mechanism"] == "instance-restart")
            .collect();
        assert!(!restart.is_empty(), "{s}");
        assert!(restart.iter().all(|t| t["by"] == "operator"), "{s}");
        assert_eq!(s["rto_ms"], 35 * 60_000, "{s}");
    }
    let declared = Edited::new(
        "starter.yaml",
        "restart",
        &[(
            "\nobjectives:",
            "\nrecovery:\n  automation: [instance-restart]\nobjectives:",
        )],
    );
    let sc = scenario(&declared.path, &["instance:appdb.appdb1"]);
    for s in sc["services"].as_array().expect("services") {
        assert!(
            steps(s)
                .iter()
                .all(|t| t["mechanism"] != "instance-restart" || t["by"] == "runbook"),
            "{s}"
        );
        assert_eq!(s["rto_ms"], 5 * 60_000, "{s}");
    }
}

/// Review point 2: The global load balancer is a DNS control plane: losing one of its nodes moves no
/// traffic; losing all of them makes a site switch a manual DNS change.
#[test]
fn global_load_balancer_is_not_in_the_request_path() {
    // lb2a carries a GTM node and the standby site's local load balancer only.
    let sc = scenario(&topology("active-passive-rac.yaml"), &["host:lb2a"]);
    assert_eq!(sc["services"], Value::Array(vec![]), "{sc}");
    // lb1a also carries ltm-dc1: only the local load balancer acts.
    let s = service(&scenario(
        &topology("active-passive-rac.yaml"),
        &["host:lb1a"],
    ));
    assert!(
        steps(&s).iter().all(|t| !t["what"]
            .as_str()
            .unwrap_or("")
            .starts_with("gtm health check")),
        "{s}"
    );
    assert_eq!(s["rto_ms"], 15_000, "{s}");
    // Every GTM node lost with the primary site: no DNS-based switch.
    let s = service(&scenario(
        &topology("active-passive-rac.yaml"),
        &["site:dc1", "host:lb2a"],
    ));
    assert!(
        has_step(&s, "manual-dns-switch", "no DNS-based site switch"),
        "{s}"
    );
    assert!(!has_step(&s, "site-switch", ""), "{s}");
}

/// Review point 3: A partition with SYNC redo stalls commits for NetTimeout, then the primary runs
/// unsynchronized; a primary cut off from observer and standby is failed over by the
/// observer and shuts down; a stretched cluster's half cut off from its leasing database
/// is fenced.
#[test]
fn partitions_are_not_unaffected() {
    let ap = topology("active-passive-rac.yaml");
    let s = service(&scenario(&ap, &["link:dc1 <-> dc2"]));
    assert_eq!(s["status"], "recovered", "{s}");
    assert_eq!(s["rto_ms"], 30_000, "{s}");
    assert!(has_step(&s, "sync-transport", "until NetTimeout"), "{s}");
    assert!(
        has_step(&s, "sync-transport", "continues unsynchronized"),
        "{s}"
    );

    let s = service(&scenario(&ap, &["link:dc1 <-> dc2", "link:dc1 <-> dc3"]));
    assert!(has_step(&s, "partition", "old primary shuts down"), "{s}");
    assert!(has_step(&s, "fast-start-failover", "fails over"), "{s}");
    assert!(has_step(&s, "site-switch", ""), "{s}");

    // Observer and standby both gone: nobody can fail over, the primary shuts down and
    // an operator opens it again.
    let s = service(&scenario(&ap, &["site:dc2", "site:dc3"]));
    assert!(has_step(&s, "fast-start-failover", "shuts down"), "{s}");
    assert!(
        steps(&s)
            .iter()
            .any(|t| t["mechanism"] == "protection-mode" && t["by"] == "operator"),
        "{s}"
    );

    let s = service(&scenario(
        &topology("stretch-cluster.yaml"),
        &["link:north <-> south"],
    ));
    assert!(
        has_step(&s, "partition", "north survives (database leasing"),
        "{s}"
    );
    assert!(
        has_step(&s, "partition", "claims_ms3, claims_ms4 in south"),
        "{s}"
    );
    assert!(has_step(&s, "sync-transport", "until NetTimeout"), "{s}");
}

/// Review point 4: Losing the SYNC standby in maximum availability stalls commits, then degrades
/// protection; in maximum protection the primary shuts down and an operator reopens it.
#[test]
fn losing_the_sync_standby_is_not_unaffected() {
    let ap = topology("active-passive-rac.yaml");
    let s = service(&scenario(&ap, &["database:orders_dc2"]));
    assert_eq!(s["rto_ms"], 30_000, "{s}");
    assert!(has_step(&s, "sync-transport", "RPO no longer 0"), "{s}");

    let mp = Edited::new(
        "active-passive-rac.yaml",
        "maxprot",
        &[(
            "protection_mode: max-availability",
            "protection_mode: max-protection",
        )],
    );
    let s = service(&scenario(&mp.path, &["database:orders_dc2"]));
    assert!(has_step(&s, "sync-transport", "shuts down"), "{s}");
    assert!(
        steps(&s)
            .iter()
            .any(|t| t["mechanism"] == "protection-mode" && t["by"] == "operator"),
        "{s}"
    );
    assert!(s["rto_ms"].as_u64().unwrap_or(0) > 30 * 60_000, "{s}");
}

/// Review point 5: The runbook that starts a passive domain is triggered by the database role change;
/// without one (the site's web tier lost, the database still primary), monitoring must
/// raise the site's loss first.
#[test]
fn passive_domain_start_needs_a_trigger() {
    let s = service(&scenario(
        &topology("active-passive-rac.yaml"),
        &["site:dc1"],
    ));
    let ds: Vec<Value> = steps(&s)
        .into_iter()
        .filter(|t| t["mechanism"] == "domain-start")
        .collect();
    assert_eq!(ds.len(), 1, "role change: the runbook starts at once: {s}");

    // The same topology with the primary site's OHS tier lost: no role change.
    let s = service(&scenario(
        &topology("active-passive-rac.yaml"),
        &["host:web1a", "host:web1b"],
    ));
    let ds: Vec<Value> = steps(&s)
        .into_iter()
        .filter(|t| t["mechanism"] == "domain-start")
        .collect();
    assert_eq!(ds.len(), 2, "{s}");
    assert!(
        ds[0]["what"]
            .as_str()
            .unwrap_or("")
            .contains("did not change role"),
        "{s}"
    );
}

/// Review point 6: Only what the topology writes is "declared": built-in defaults say where they come
/// from.
#[test]
fn built_in_defaults_are_not_declared() {
    let s = service(&scenario(
        &topology("active-passive-rac.yaml"),
        &["host:wls1a"],
    ));
    let grace = steps(&s)
        .into_iter()
        .find(|t| t["what"] == "fencing grace period")
        .expect("grace period step");
    assert!(
        !grace["basis"].as_str().unwrap_or("").contains("declared"),
        "{grace}"
    );
    let s = service(&scenario(
        &topology("active-passive-rac.yaml"),
        &["ohs:ohs1a"],
    ));
    let hc = steps(&s)
        .into_iter()
        .find(|t| t["mechanism"] == "health-check")
        .expect("health check step");
    assert!(
        hc["basis"]
            .as_str()
            .unwrap_or("")
            .contains("failures 3 (default assumption)"),
        "{hc}"
    );
}

/// Review point 7: An active-active site loss shows what it strands: the JMS and TLOG stores kept in
/// the lost database and the GoldenGate lag that makes the RPO.
#[test]
fn active_active_site_loss_shows_what_it_strands() {
    let s = service(&scenario(
        &topology("active-active-goldengate.yaml"),
        &["site:east"],
    ));
    assert_eq!(s["rpo_ms"], 5_000, "{s}");
    assert!(
        has_step(&s, "stranded", "JMS store `pay_jms_store_east`"),
        "{s}"
    );
    assert!(
        has_step(&s, "stranded", "transaction logs of cluster `pay_east`"),
        "{s}"
    );
    assert!(has_step(&s, "stranded", "replication lag, 5s"), "{s}");
}

/// Review point 8: A host outage leaves committed data on storage that survives: no data loss; losing
/// the storage itself does lose it.
#[test]
fn host_outage_loses_no_committed_data() {
    let starter = topology("starter.yaml");
    for host in ["host:db1", "host:app1"] {
        let sc = scenario(&starter, &[host]);
        for s in sc["services"].as_array().expect("services") {
            assert_eq!(s["status"], "down", "{host}: {s}");
            assert_eq!(s["data_lost"], false, "{host}: {s}");
            assert_eq!(s["verdict"]["rpo_met"], true, "{host}: {s}");
        }
    }
    let s = service(&scenario(&starter, &["storage:app1_disk"]));
    assert_eq!(s["data_lost"], true, "{s}");
}

/// Lesser: a Coherence storage member's loss says why it costs nothing; an AWS host is an
/// EC2 instance.
#[test]
fn lesser_review_points() {
    let s = service(&scenario(
        &topology("active-active-goldengate.yaml"),
        &["host:coh-east-a"],
    ));
    assert!(has_step(&s, "coherence-rebalance", "backup"), "{s}");
    let s = service(&scenario(&topology("aws-fsxn-asg.yaml"), &["host:ora1"]));
    assert!(has_step(&s, "asg-self-healing", "EC2 instance"), "{s}");
}

/// An Auto Scaling group's EC2 health check sees a lost EC2 instance, never a database that
/// crashed on a running one (MAA-architect review of issue 16, second round): the crash waits
/// for an operator (nothing declared restarts it); the host loss is the group's.
#[test]
fn an_auto_scaling_group_replaces_a_lost_instance_not_a_crashed_database() {
    let aws = topology("aws-fsxn-asg.yaml");
    let mechanisms = |sc: &Value| -> Vec<String> {
        service(sc)["timeline"]
            .as_array()
            .expect("timeline")
            .iter()
            .map(|s| s["mechanism"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    let crash = scenario(&aws, &["instance:ledger.LEDGER"]);
    let m = mechanisms(&crash);
    assert!(!m.iter().any(|x| x == "asg-self-healing"), "{crash:#}");
    assert!(m.iter().any(|x| x == "instance-restart"), "{crash:#}");
    assert_eq!(service(&crash)["rto_ms"], 35 * 60 * 1000, "{crash:#}");
    let host = scenario(&aws, &["host:ora1"]);
    assert!(
        mechanisms(&host).iter().any(|x| x == "asg-self-healing"),
        "{host:#}"
    );
    assert_eq!(service(&host)["rto_ms"], 330 * 1000, "{host:#}");
}
