//! `maa check` configuration, suppressions, baselines and custom rules, end to end.

// Test code: an unwrap/expect that fails is a failed test. clippy.toml allows them only in
// #[test] and #[cfg(test)] code, which an integration test's helper functions are not.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

const REFERENCE: &str = "topologies/active-passive-rac.yaml";

fn maa(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("maa").unwrap();
    c.current_dir(dir)
        .env("NO_COLOR", "1")
        .env("MAA_TODAY", "2026-06-01");
    c
}

/// A temp dir holding a copy of a topology (as `t.yaml`) and optionally a `maa.yaml`.
fn setup(topology: &str, config: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(common::root().join(topology)).unwrap();
    std::fs::write(dir.path().join("t.yaml"), text).unwrap();
    if let Some(c) = config {
        std::fs::write(dir.path().join("maa.yaml"), c).unwrap();
    }
    dir
}

fn codes(out: &[u8]) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_slice(out).unwrap();
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn severity_override_changes_the_exit_code() {
    let dir = setup(REFERENCE, None);
    maa(dir.path()).args(["check", "t.yaml"]).assert().code(0);
    let dir = setup(
        REFERENCE,
        Some("severity:\n  admin-colocated-with-managed: error\n"),
    );
    maa(dir.path())
        .args(["check", "t.yaml"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("WLS020"));
}

#[test]
fn ignore_and_select_by_code_name_and_prefix() {
    let dir = setup(
        "topologies/starter.yaml",
        Some("ignore: [WLS, cluster-too-few-servers, DB001, FE]\n"),
    );
    let out = maa(dir.path())
        .args(["check", "t.yaml", "--format", "json"])
        .output()
        .unwrap();
    let c = codes(&out.stdout);
    assert!(
        !c.iter()
            .any(|c| c.starts_with("WLS") || c.starts_with("FE") || c == "DB001"),
        "{c:?}"
    );
    assert!(c.contains(&"CLI003".to_owned()));
    let dir = setup("topologies/starter.yaml", Some("select: [CLI003]\n"));
    let out = maa(dir.path())
        .args(["check", "t.yaml", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(codes(&out.stdout), vec!["CLI003"]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn per_path_settings_apply_to_matching_files_only() {
    let dir = setup(
        "topologies/starter.yaml",
        Some("per_path:\n  - paths: [\"legacy/**\"]\n    ignore: [ALL]\n"),
    );
    std::fs::create_dir(dir.path().join("legacy")).unwrap();
    // Discovery climbs from legacy/ to the repository root, not above it.
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    std::fs::copy(
        dir.path().join("t.yaml"),
        dir.path().join("legacy/old.yaml"),
    )
    .unwrap();
    maa(dir.path())
        .args(["check", "legacy/old.yaml"])
        .assert()
        .code(0);
    maa(dir.path()).args(["check", "t.yaml"]).assert().code(1);
}

#[test]
fn config_errors_exit_2_with_spans() {
    let dir = setup(
        REFERENCE,
        Some("select: [WLS001]\nignore: [cluster-singel-host]\nseverity: {nosuch-rule: error}\n"),
    );
    maa(dir.path())
        .args(["check", "t.yaml"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("no rule `cluster-singel-host`"))
        .stdout(predicate::str::contains(
            "did you mean `cluster-single-host`",
        ))
        .stdout(predicate::str::contains("maa.yaml:2:10"))
        .stdout(predicate::str::contains("no rule `nosuch-rule`"));
    let dir = setup(REFERENCE, Some("severity: {FE001: fatal}\n"));
    maa(dir.path())
        .args(["check", "t.yaml"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("maa.yaml:1:19"));
}

#[test]
fn explicit_config_flag_wins_over_discovery() {
    let dir = setup(REFERENCE, Some("severity: {WLS020: error}\n"));
    std::fs::write(dir.path().join("other.yaml"), "ignore: [WLS020]\n").unwrap();
    maa(dir.path()).args(["check", "t.yaml"]).assert().code(1);
    maa(dir.path())
        .args(["check", "t.yaml", "--config", "other.yaml"])
        .assert()
        .code(0);
}

#[test]
fn show_config_prints_settings_and_origins() {
    let cfg = "ignore: [FE003]\nseverity:\n  WLS020: warning\nsuppress:\n  - {rule: DB001, object: \"databases[appdb]\", reason: dev only, expires: 2027-01-01}\n";
    let dir = setup("topologies/starter.yaml", Some(cfg));
    let out = maa(dir.path())
        .args(["check", "t.yaml", "--show-config"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    insta::assert_snapshot!(String::from_utf8_lossy(&out.stdout));
}

/// Without a configuration nothing is changed, and `--show-config` says so in words
/// (it used to print "all enabled except 0; changed from the defaults:" and nothing after).
#[test]
fn show_config_without_changes_says_so() {
    let dir = setup("topologies/starter.yaml", None);
    let out = maa(dir.path())
        .args(["check", "t.yaml", "--show-config"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("\n  rules: all enabled, as by default\n"),
        "{text}"
    );
    assert!(
        !text.contains("except 0") && !text.contains("changed from"),
        "{text}"
    );
}

fn with_inline(comment_on_cluster: &str) -> tempfile::TempDir {
    let dir = setup("topologies/starter.yaml", None);
    let p = dir.path().join("t.yaml");
    let text = std::fs::read_to_string(&p).unwrap().replacen(
        "      - name: app_cluster\n",
        &format!("      {comment_on_cluster}\n      - name: app_cluster\n"),
        1,
    );
    std::fs::write(&p, text).unwrap();
    dir
}

#[test]
fn inline_suppression_with_reason_hides_the_finding() {
    let dir = with_inline("# maa: ignore[WLS001] pilot: one server until June");
    let out = maa(dir.path())
        .args(["check", "t.yaml", "--format", "json"])
        .output()
        .unwrap();
    let c = codes(&out.stdout);
    assert!(!c.contains(&"WLS001".to_owned()), "{c:?}");
    assert!(!c.iter().any(|c| c.starts_with("MAA")), "{c:?}");
    // CI refuses inline bypasses.
    let out = maa(dir.path())
        .args(["check", "t.yaml", "--format", "json", "--no-inline-ignores"])
        .output()
        .unwrap();
    assert!(codes(&out.stdout).contains(&"WLS001".to_owned()));
}

#[test]
fn inline_suppression_by_name_and_unused_and_reasonless() {
    let dir = with_inline("# maa: ignore[cluster-too-few-servers, cluster-single-host] pilot");
    let out = maa(dir.path())
        .args(["check", "t.yaml", "--format", "json"])
        .output()
        .unwrap();
    let c = codes(&out.stdout);
    assert!(
        !c.contains(&"WLS001".to_owned()) && c.contains(&"MAA001".to_owned()),
        "{c:?}"
    );
    let dir = with_inline("# maa: ignore[WLS001]");
    let out = maa(dir.path())
        .args(["check", "t.yaml", "--format", "json"])
        .output()
        .unwrap();
    let c = codes(&out.stdout);
    assert!(
        c.contains(&"WLS001".to_owned()) && c.contains(&"MAA003".to_owned()),
        "{c:?}"
    );
}

#[test]
fn config_suppressions_unused_and_expired() {
    let cfg = "suppress:\n  - {rule: DB001, object: \"databases[appdb]\", reason: dev only}\n  - {rule: single-instance-no-ha, object: \"databases[other]\", reason: gone}\n  - {rule: WLS001, object: \"domains[*].clusters[app_cluster]\", reason: pilot, expires: 2026-01-31}\n";
    let dir = setup("topologies/starter.yaml", Some(cfg));
    let out = maa(dir.path())
        .args(["check", "t.yaml", "--format", "json"])
        .output()
        .unwrap();
    let c = codes(&out.stdout);
    assert!(!c.contains(&"DB001".to_owned()), "DB001 suppressed: {c:?}");
    assert_eq!(c.iter().filter(|c| *c == "MAA001").count(), 1, "{c:?}");
    assert!(
        c.contains(&"MAA002".to_owned()) && c.contains(&"WLS001".to_owned()),
        "expired: {c:?}"
    );
    // Before the expiry date the suppression applies.
    let out = maa(dir.path())
        .env("MAA_TODAY", "2026-01-15")
        .args(["check", "t.yaml", "--format", "json"])
        .output()
        .unwrap();
    let c = codes(&out.stdout);
    assert!(
        !c.contains(&"WLS001".to_owned()) && !c.contains(&"MAA002".to_owned()),
        "{c:?}"
    );
}

#[test]
fn baseline_hides_known_findings_across_edits() {
    let dir = setup("topologies/starter.yaml", None);
    maa(dir.path())
        .args(["check", "t.yaml", "--write-baseline", "baseline.json"])
        .assert()
        .code(0);
    let base = std::fs::read_to_string(dir.path().join("baseline.json")).unwrap();
    assert!(
        base.contains("\"rule\": \"WLS001\"") && !base.contains("\"line\""),
        "{base}"
    );
    maa(dir.path())
        .args(["check", "t.yaml", "--baseline", "baseline.json"])
        .assert()
        .code(0);
    // Shift every line and add a new problem: only the new finding shows.
    let p = dir.path().join("t.yaml");
    let text = format!(
        "# a new header comment\n\n{}",
        std::fs::read_to_string(&p).unwrap()
    )
    .replace("driver: jdbc-thin", "driver: jdbc-thin\n    fcf: true");
    std::fs::write(&p, text).unwrap();
    let out = maa(dir.path())
        .args([
            "check",
            "t.yaml",
            "--baseline",
            "baseline.json",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(codes(&out.stdout), vec!["CLI004"]);
    assert_eq!(out.status.code(), Some(1));
    maa(dir.path())
        .args(["check", "t.yaml", "--baseline", "missing.json"])
        .assert()
        .code(2);
}

#[test]
fn custom_rules_report_spans_and_bound_evaluation() {
    let cfg = r#"custom_rules:
  - code: ORG001
    name: cluster-three-servers
    severity: error
    for: cluster
    assert: "cluster.servers|length >= 3"
    message: "cluster {{ cluster.name }} has {{ cluster.servers|length }} servers; the standard is 3"
    help: our standard is three servers per cluster
  - code: ORG002
    name: databases-are-rac
    for: database
    when: "database.name != 'none'"
    assert: "database.type == 'rac'"
    message: "database {{ database.name }} is {{ database.type }}"
"#;
    let dir = setup(REFERENCE, Some(cfg));
    let out = maa(dir.path())
        .args(["check", "t.yaml", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let org: Vec<String> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "ORG001")
        .map(|d| {
            format!(
                "{}:{} {} {}",
                d["line"],
                d["column"],
                d["object"].as_str().unwrap(),
                d["message"].as_str().unwrap()
            )
        })
        .collect();
    insta::assert_snapshot!(org.join("\n"));
    assert!(
        !v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == "ORG002")
    );
    // Custom rule codes work with ignore like built-ins.
    std::fs::write(
        dir.path().join("maa.yaml"),
        format!("{cfg}ignore: [cluster-three-servers]\n"),
    )
    .unwrap();
    maa(dir.path()).args(["check", "t.yaml"]).assert().code(0);
}

#[test]
fn custom_rule_errors_are_config_errors() {
    let dir = setup(
        REFERENCE,
        Some(
            "custom_rules:\n  - {code: ORG003, name: bad, for: cluster, assert: \"cluster.servers|length >=\", message: m}\n",
        ),
    );
    maa(dir.path())
        .args(["check", "t.yaml"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("maa.yaml:2:53"))
        .stdout(predicate::str::contains("syntax error"));
    let dir = setup(
        REFERENCE,
        Some(
            "custom_rules:\n  - {code: ORG004, name: undef, for: cluster, assert: \"cluster.nosuch > 1\", message: m}\n",
        ),
    );
    maa(dir.path())
        .args(["check", "t.yaml"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("undefined"));
    // Loops (unbounded work) are refused at load.
    let dir = setup(
        REFERENCE,
        Some(
            "custom_rules:\n  - {code: ORG005, name: spin, for: topology, assert: \"false\", message: \"{% for i in range(10000) %}{% for j in range(10000) %}{{ j }}{% endfor %}{% endfor %}\"}\n",
        ),
    );
    maa(dir.path())
        .args(["check", "t.yaml"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains(
            "the `{% for %}` statement is not allowed",
        ));
    let dir = setup(
        REFERENCE,
        Some(
            "custom_rules:\n  - {code: FE001, name: clash, for: topology, assert: \"true\", message: m}\n",
        ),
    );
    maa(dir.path())
        .args(["check", "t.yaml"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("clashes with a built-in rule"));
}
