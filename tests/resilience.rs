//! The resilience engine: SPOFs, double faults, simulation, objectives, graph output.

// Test code: an unwrap/expect that fails is a failed test. clippy.toml allows them only in
// #[test] and #[cfg(test)] code, which an integration test's helper functions are not.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use maa::analysis::{Analysis, Simulator, Status};
use maa::diagnostic::Severity;
use maa::model::Duration;
use maa::resolve::Model;

fn model(name: &str, text: &str) -> Model {
    let loaded = maa::load::load_str(name, text.to_string())
        .unwrap_or_else(|e| panic!("{name} does not load: {e:?}"));
    maa::resolve::resolve(loaded).unwrap_or_else(|e| panic!("{name} does not resolve: {e:?}"))
}

fn topology(file: &str) -> String {
    std::fs::read_to_string(common::root().join("topologies").join(file))
        .unwrap_or_else(|e| panic!("{file}: {e}"))
}

fn spof_ids(m: &Model) -> Vec<String> {
    let a = Analysis::new(m);
    a.spofs
        .iter()
        .filter(|s| s.matters)
        .map(|s| a.graph.g[s.event].id())
        .collect()
}

/// Simulates `fail` and returns (status, rto, rpo, mechanisms) of service `app`.
fn simulate(
    m: &Model,
    fail: &[&str],
    app: &str,
) -> (Status, Option<Duration>, Duration, Vec<&'static str>) {
    let a = Analysis::new(m);
    let ids: Vec<_> = fail
        .iter()
        .map(|f| a.graph.lookup(f).unwrap_or_else(|e| panic!("{f}: {e}")))
        .collect();
    let sim = Simulator::new(m, &a.graph);
    let sc = sim.run(&ids, true);
    assert!(
        a.graph.apps.iter().any(|x| a.graph.g[*x].id() == app),
        "no service {app}"
    );
    let Some(r) = sc.apps.iter().find(|r| a.graph.g[r.app].id() == app) else {
        return (
            Status::Unaffected,
            Some(Duration::ZERO),
            Duration::ZERO,
            Vec::new(),
        );
    };
    let mut mechs: Vec<&'static str> = r.steps.iter().map(|s| s.mechanism).collect();
    mechs.dedup();
    (r.status, r.rto, r.rpo, mechs)
}

const AWS: &str = "aws-fsxn-asg.yaml";
const AP: &str = "active-passive-rac.yaml";

#[test]
fn seed000_instance_failure_recovers_in_about_five_minutes_without_data_loss() {
    let m = model(AWS, &topology(AWS));
    let (status, rto, rpo, mechs) = simulate(&m, &["host:ora1"], "service:ledger_rw");
    assert_eq!(status, Status::Recovered);
    let rto = rto.expect("recovers");
    // Seed 000: ~30 s detection + ~2 min launch + 2-3 min iSCSI/Oracle start ≈ 5 min.
    assert!(
        rto >= Duration::mins(4) && rto <= Duration::mins(6),
        "RTO {rto}"
    );
    assert_eq!(rto, Duration::secs(30 + 120 + 180));
    assert_eq!(rpo, Duration::ZERO);
    assert_eq!(mechs, vec!["asg-self-healing"]);
}

#[test]
fn seed000_zone_failure_recovers_with_multi_az_fsxn() {
    let m = model(AWS, &topology(AWS));
    let (status, rto, rpo, mechs) = simulate(&m, &["zone:az-a"], "service:ledger_rw");
    assert_eq!(status, Status::Recovered);
    let rto = rto.expect("recovers");
    assert!(
        rto >= Duration::mins(4) && rto <= Duration::mins(6),
        "RTO {rto}"
    );
    assert_eq!(rpo, Duration::ZERO);
    assert!(
        mechs.contains(&"asg-self-healing") && mechs.contains(&"storage-failover"),
        "{mechs:?}"
    );
    // Neither zone nor the instance host is a SPOF with Multi-AZ storage and a two-AZ ASG.
    let spofs = spof_ids(&m);
    assert!(
        !spofs
            .iter()
            .any(|s| s.starts_with("zone:") || s.starts_with("host:")),
        "{spofs:?}"
    );
}

#[test]
fn seed000_single_az_fsxn_makes_the_zone_a_spof() {
    let text = topology(AWS).replace(
        "deployment_type: multi-az-1",
        "deployment_type: single-az-1",
    );
    assert_ne!(
        text,
        topology(AWS),
        "fixture must contain the Multi-AZ deployment type"
    );
    let m = model("single-az.yaml", &text);
    let spofs = spof_ids(&m);
    assert!(spofs.contains(&"zone:az-a".to_string()), "{spofs:?}");
    assert!(spofs.contains(&"fsxn:ora-fsxn".to_string()), "{spofs:?}");
    let (status, rto, _, _) = simulate(&m, &["zone:az-a"], "service:ledger_rw");
    assert_eq!((status, rto), (Status::Down, None));
    let diags = maa::rules::check(&m);
    let zone = diags
        .iter()
        .find(|d| d.code == "SPOF001" && d.message.starts_with("zone `az-a`"))
        .expect("SPOF001 for az-a");
    assert_eq!(zone.severity, Severity::Error);
    assert!(
        zone.message
            .contains("chain: service:ledger_rw → database:ledger → fsxn:ora-fsxn → zone:az-a"),
        "{}",
        zone.message
    );
    let (line, _) = zone.line_col();
    assert!(
        text.lines()
            .nth(line - 1)
            .is_some_and(|l| l.contains("az-a")),
        "span points at the zone, line {line}"
    );
}

#[test]
fn active_passive_site_loss_takes_the_fast_start_failover_path() {
    let m = model(AP, &topology(AP));
    let (status, rto, rpo, mechs) = simulate(&m, &["site:dc1"], "app:/orders");
    assert_eq!(status, Status::Recovered);
    // FSFO threshold 30s + broker failover 30s, start of the passive domain (10m default),
    // then the global LB switch: health check 10s x 3 + DNS TTL 30s.
    assert_eq!(rto, Some(Duration::secs(30 + 30 + 600 + 30 + 30)));
    assert_eq!(rpo, Duration::ZERO);
    for m in ["fast-start-failover", "domain-start", "site-switch"] {
        assert!(mechs.contains(&m), "{m} missing from {mechs:?}");
    }
    // The JMS singleton of the passive domain is not involved: only dc1 failed.
    assert!(!mechs.contains(&"manual-failover"), "{mechs:?}");
}

#[test]
fn active_passive_without_observer_needs_a_human_and_breaches_the_site_rto() {
    let text = topology(AP).replace("    observers:\n      - {name: obs_dc3, host: obs1}\n", "");
    assert_ne!(text, topology(AP), "fixture must declare the observer");
    let m = model("no-observer.yaml", &text);
    let (status, rto, _, mechs) = simulate(&m, &["site:dc1"], "app:/orders");
    assert_eq!(status, Status::Recovered);
    // human response 30m + failover 30s + domain start 10m + GLB switch 1m.
    assert_eq!(rto, Some(Duration::secs(1800 + 30 + 600 + 60)));
    assert!(
        mechs.contains(&"manual-failover") && !mechs.contains(&"fast-start-failover"),
        "{mechs:?}"
    );
    let a = Analysis::new(&m);
    let sim = Simulator::new(&m, &a.graph);
    let sc = sim.run(&[a.graph.lookup("site:dc1").expect("site")], false);
    let r = sc
        .apps
        .iter()
        .find(|r| a.graph.g[r.app].id() == "app:/orders")
        .expect("app");
    let v = r.verdict.as_ref().expect("site objective declared");
    assert!(!v.rto_met);
    assert_eq!(v.rto_over, Some(Duration::secs(41 * 60 + 30 - 30 * 60)));
    let diags = maa::rules::check(&m);
    let obj = diags
        .iter()
        .find(|d| d.code == "OBJ001")
        .expect("OBJ001 finding");
    assert_eq!(obj.severity, Severity::Error);
    assert!(
        obj.message
            .starts_with("site objective RTO 30m is breached"),
        "{}",
        obj.message
    );
    assert!(obj.message.contains("manual-failover"), "{}", obj.message);
    assert_eq!(obj.object, "objectives.site");
}

#[test]
fn human_response_override_changes_the_manual_path() {
    let text = topology(AP)
        .replace("    observers:\n      - {name: obs_dc3, host: obs1}\n", "")
        .replace(
            "recovery:\n  automation: [domain-start]\n",
            "recovery:\n  human_response: 5m\n  automation: [domain-start]\n",
        );
    let m = model("fast-humans.yaml", &text);
    // Manual failover (5m + 30s), the passive domain started by the declared runbook on
    // the role change (10m), the site switch (1m).
    let (_, rto, _, _) = simulate(&m, &["site:dc1"], "app:/orders");
    assert_eq!(rto, Some(Duration::secs(300 + 30 + 600 + 60)));
    assert!(!maa::rules::check(&m).iter().any(|d| d.code == "OBJ001"));
    // Without the runbook, a person starts the passive domain too.
    let m = model(
        "no-runbook.yaml",
        &text.replace("  automation: [domain-start]\n", ""),
    );
    let (_, rto, _, _) = simulate(&m, &["site:dc1"], "app:/orders");
    assert_eq!(rto, Some(Duration::secs(300 + 30 + 300 + 600 + 60)));
}

#[test]
fn reference_topologies_have_no_resilience_errors() {
    for name in [
        "active-passive-rac.yaml",
        "active-active.yaml",
        "stretch.yaml",
    ] {
        let path = common::root().join("topologies").join(name);
        let Ok(text) = std::fs::read_to_string(&path) else {
            eprintln!("{name} not present yet");
            continue;
        };
        let m = model(name, &text);
        let errors: Vec<String> = maa::rules::check(&m)
            .into_iter()
            .filter(|d| {
                d.severity == Severity::Error
                    && (d.code.starts_with("SPOF") || d.code.starts_with("OBJ"))
            })
            .map(|d| format!("{}: {}", d.code, d.message))
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:#?}");
    }
}

#[test]
fn observer_loss_alone_is_harmless_but_leaves_the_failover_manual() {
    let m = model(AP, &topology(AP));
    let (status, _, _, _) = simulate(&m, &["host:obs1"], "app:/orders");
    assert_eq!(status, Status::Unaffected);
    let (_, rto, _, mechs) = simulate(&m, &["host:obs1", "site:dc1"], "app:/orders");
    assert!(mechs.contains(&"manual-failover"), "{mechs:?}");
    assert_eq!(rto, Some(Duration::secs(1800 + 30 + 600 + 60)));
}

const SINGLE: &str = r#"
version: 1
name: t
architecture: single-site
objectives:
  host: {rto: 5m, rpo: 0s}
sites:
  - name: dc1
    role: primary
    zones:
      - name: za
        hosts: [{name: h1}, {name: h3}, {name: d1}]
      - name: zb
        hosts: [{name: h2}, {name: h4}, {name: d2}]
load_balancers:
  - {name: lb, site: dc1, hosts: [h3, h4]}
ohs:
  - {name: o1, host: h3, routes: [{path: /app, cluster: c}]}
  - {name: o2, host: h4, routes: [{path: /app, cluster: c}]}
domains:
  - name: dom
    admin_server: {host: h1}
    clusters:
      - name: c
        servers:
          - {name: s1, host: h1}
          - {name: s2, host: h2}
    data_sources:
      - {name: ds, service: svc, targets: [c]}
databases:
  - name: db
    type: rac
    instances: [{name: i1, host: d1}, {name: i2, host: d2}]
    services: [{name: svc}]
"#;

#[test]
fn redundant_single_site_has_only_the_site_as_spof() {
    let m = model("single.yaml", SINGLE);
    let a = Analysis::new(&m);
    let all: Vec<String> = a.spofs.iter().map(|s| a.graph.g[s.event].id()).collect();
    assert_eq!(all, vec!["site:dc1"]);
    let diags = maa::rules::check(&m);
    let site = diags
        .iter()
        .find(|d| d.code == "SPOF001")
        .expect("site finding");
    assert_eq!(
        site.severity,
        Severity::Info,
        "single-site without a site objective"
    );
    // Double faults: both servers, both instances, both OHS, both LB hosts, both zones...
    assert!(a.doubles.total >= 4, "{}", a.doubles.total);
    let worst = &a.doubles.worst[0];
    assert_eq!(
        (a.graph.g[worst.0.0].id(), a.graph.g[worst.0.1].id()),
        ("zone:za".to_string(), "zone:zb".to_string())
    );
    assert!(
        diags
            .iter()
            .any(|d| d.code == "SPOF002" && d.severity == Severity::Info)
    );
}

#[test]
fn two_servers_on_one_host_are_no_redundancy() {
    let m = model(
        "collapse.yaml",
        &SINGLE.replace("{name: s2, host: h2}", "{name: s2, host: h1}"),
    );
    let spofs = spof_ids(&m);
    assert!(spofs.contains(&"host:h1".to_string()), "{spofs:?}");
    let diags = maa::rules::check(&m);
    let d = diags
        .iter()
        .find(|d| d.code == "SPOF001" && d.message.starts_with("host `h1`"))
        .expect("host finding");
    // Each server alone is covered by the other; only their shared host is a SPOF.
    assert!(!spofs.iter().any(|s| s.starts_with("server:")), "{spofs:?}");
    assert!(
        d.message
            .contains("chain: app:/app → route:o1/app → cluster:c → server:s1 → host:h1"),
        "{}",
        d.message
    );
    assert!(
        d.help
            .as_deref()
            .is_some_and(|h| h.contains("every member of `c`")),
        "{:?}",
        d.help
    );
}

#[test]
fn zone_collapse_is_a_spof_even_on_distinct_hosts() {
    // Both OHS on different hosts, but both hosts in zone za.
    let m = model(
        "zone.yaml",
        &SINGLE.replace("{name: o2, host: h4", "{name: o2, host: h1"),
    );
    let spofs = spof_ids(&m);
    assert!(spofs.contains(&"zone:za".to_string()), "{spofs:?}");
    assert!(!spofs.contains(&"host:h3".to_string()), "{spofs:?}");
}

#[test]
fn host_failure_simulation_uses_in_group_failover() {
    let m = model("single.yaml", SINGLE);
    // A lost RAC node is noticed after Clusterware evicts it (CSS misscount).
    let (status, rto, rpo, mechs) = simulate(&m, &["host:d1"], "app:/app");
    assert_eq!(status, Status::Recovered);
    assert_eq!(
        rto,
        Some(Duration::secs(40)),
        "eviction 30s + FAN 5s + FCF 5s"
    );
    assert_eq!(rpo, Duration::ZERO);
    assert_eq!(mechs, vec!["fan-fcf"]);
    // A crashed instance on a live node is announced at once.
    let (_, rto, _, mechs) = simulate(&m, &["instance:db.i1"], "app:/app");
    assert_eq!(rto, Some(Duration::secs(10)), "FAN 5s + FCF 5s");
    assert_eq!(mechs, vec!["fan-fcf"]);
    let (_, rto, _, mechs) = simulate(&m, &["server:s1"], "app:/app");
    assert_eq!(rto, Some(Duration::secs(10)));
    assert_eq!(mechs, vec!["mod-wl-ohs"]);
}

#[test]
fn snapshot_of_resilience_findings_on_the_starter() {
    let m = model("starter.yaml", &topology("starter.yaml"));
    let text: Vec<String> = maa::rules::check(&m)
        .into_iter()
        .filter(|d| d.code.starts_with("SPOF") || d.code.starts_with("OBJ"))
        .map(|d| {
            let (l, c) = d.line_col();
            format!(
                "{}:{l}:{c} {} {} [{}]\n  help: {}",
                d.code,
                d.severity,
                d.message,
                d.object,
                d.help.unwrap_or_default()
            )
        })
        .collect();
    insta::assert_snapshot!(text.join("\n"));
}

#[test]
fn cli_simulate_text_and_exit_codes() {
    let out = common::maa()
        .args([
            "simulate",
            "topologies/active-passive-rac.yaml",
            "--fail",
            "site:dc1",
        ])
        .assert()
        .code(0);
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    insta::assert_snapshot!("simulate_ap_site_dc1", text);
    common::maa()
        .args([
            "simulate",
            "topologies/active-passive-rac.yaml",
            "--fail",
            "site:nowhere",
        ])
        .assert()
        .code(2);
    common::maa()
        .args(["simulate", "topologies/active-passive-rac.yaml"])
        .assert()
        .code(2);
}

#[test]
fn cli_simulate_breach_exits_1_and_json_parses() {
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("no-observer.yaml");
    std::fs::write(
        &file,
        topology(AP).replace("    observers:\n      - {name: obs_dc3, host: obs1}\n", ""),
    )
    .expect("write");
    let out = common::maa()
        .arg("simulate")
        .arg(&file)
        .args(["--fail", "site:dc1", "--format", "json"])
        .assert()
        .code(1);
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).expect("json");
    let svc = v["scenarios"][0]["services"]
        .as_array()
        .expect("services")
        .iter()
        .find(|s| s["service"] == "app:/orders")
        .expect("app")
        .clone();
    assert_eq!(svc["status"], "recovered");
    assert_eq!(svc["rto"], "41m30s");
    assert_eq!(svc["verdict"]["rto_met"], false);
    assert_eq!(svc["verdict"]["rto_over"], "11m30s");
    assert!(svc["timeline"].as_array().is_some_and(|t| {
        t.iter()
            .any(|s| s["mechanism"] == "manual-failover" && s["manual"] == true)
    }));
}

#[test]
fn cli_simulate_all_covers_every_event_and_summarises() {
    let out = common::maa()
        .args([
            "simulate",
            "topologies/aws-fsxn-asg.yaml",
            "--all",
            "--format",
            "json",
        ])
        .assert()
        // Exit 1: a database crash breaches the host RTO (nothing restarts it; issue 19).
        .code(1);
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).expect("json");
    let scenarios = v["scenarios"].as_array().expect("scenarios");
    let failed: Vec<&str> = scenarios
        .iter()
        .filter_map(|s| s["failed"][0].as_str())
        .collect();
    for e in [
        "host:ora1",
        "zone:az-a",
        "zone:az-b",
        "site:use1",
        "region:us-east-1",
    ] {
        assert!(failed.contains(&e), "{e} not simulated: {failed:?}");
    }
    let summary = v["summary"].as_array().expect("summary");
    let zone = summary
        .iter()
        .find(|s| s["disruption"] == "zone")
        .expect("zone summary");
    assert_eq!(zone["worst_rto"], "5m30s");
    assert_eq!(zone["worst_rpo"], "0s");
    // Byte-identical across runs.
    let again = common::maa()
        .args([
            "simulate",
            "topologies/aws-fsxn-asg.yaml",
            "--all",
            "--format",
            "json",
        ])
        .assert()
        // Exit 1: a database crash breaches the host RTO (nothing restarts it; issue 19).
        .code(1);
    assert_eq!(out.get_output().stdout, again.get_output().stdout);
}

#[test]
fn cli_simulate_all_text_matches_json_across_chunks() {
    // More events than `simulate --all` renders at a time in text (4,096): the text report
    // must list the same scenarios, in the same order, and summarise all of them.
    let mut yaml = String::from(
        "version: 1\nname: many\narchitecture: single-site\nobjectives:\n  host: {rto: 5m, rpo: 0s}\nsites:\n  - name: dc1\n    role: primary\n    zones:\n      - name: z0\n        hosts:\n",
    );
    for i in 0..4500 {
        yaml.push_str(&format!("          - {{name: h{i}}}\n"));
    }
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("many.yaml");
    std::fs::write(&file, yaml).expect("write");
    let run = |format: &str| {
        let out = common::maa()
            .arg("simulate")
            .arg(&file)
            .args(["--all", "--format", format])
            .assert()
            .code(0);
        String::from_utf8_lossy(&out.get_output().stdout).into_owned()
    };
    let text = run("text");
    let json: serde_json::Value = serde_json::from_str(&run("json")).expect("json");
    let from_json: Vec<String> = json["scenarios"]
        .as_array()
        .expect("scenarios")
        .iter()
        .map(|s| s["failed"][0].as_str().unwrap_or_default().to_string())
        .collect();
    let from_text: Vec<String> = text
        .lines()
        .filter_map(|l| l.strip_prefix("scenario: fail "))
        .map(|l| l.split(' ').next().unwrap_or_default().to_string())
        .collect();
    assert_eq!(from_json.len(), 4502);
    assert_eq!(from_text, from_json);
    let hosts = json["summary"]
        .as_array()
        .expect("summary")
        .iter()
        .find(|s| s["disruption"] == "host")
        .expect("host summary")["scenarios"]
        .clone();
    assert_eq!(hosts, 4500);
    assert!(
        text.contains("\n  host    4500 scenario(s):"),
        "{}",
        &text[text.len().saturating_sub(400)..]
    );
}

#[test]
fn cli_graph_dot_is_accepted_by_graphviz() {
    for topo in common::topologies() {
        let out = common::maa()
            .arg("graph")
            .arg(&topo)
            .args(["--format", "dot"])
            .assert()
            .code(0);
        let dot_text = out.get_output().stdout.clone();
        let text = String::from_utf8_lossy(&dot_text).into_owned();
        assert!(text.starts_with("digraph maa {"), "{text}");
        assert!(text.contains("subgraph cluster_"), "placement clusters");
        let Some(dot) = common::validator("dot") else {
            return;
        };
        let dir = tempfile::tempdir().expect("tmp");
        let f = dir.path().join("g.dot");
        std::fs::write(&f, &dot_text).expect("write");
        let res = std::process::Command::new(dot)
            .arg("-Tsvg")
            .arg(&f)
            .output()
            .expect("run dot");
        assert!(
            res.status.success(),
            "dot rejected {}: {}",
            topo.display(),
            String::from_utf8_lossy(&res.stderr)
        );
        assert!(
            String::from_utf8_lossy(&res.stdout).contains("<svg"),
            "svg output"
        );
    }
}

#[test]
fn cli_graph_marks_spofs_in_every_format() {
    let out = common::maa()
        .args(["graph", "topologies/starter.yaml", "--format", "json"])
        .assert()
        .code(0);
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).expect("json");
    let spofs: Vec<&str> = v["spofs"]
        .as_array()
        .expect("spofs")
        .iter()
        .filter_map(|s| s.as_str())
        .collect();
    assert!(
        spofs.contains(&"host:app1") && spofs.contains(&"server:app_ms1"),
        "{spofs:?}"
    );
    let node = v["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .find(|n| n["id"] == "server:app_ms1")
        .expect("server");
    assert_eq!(node["spof"], true);
    assert_eq!(node["in"], "host:app1");
    let out = common::maa()
        .args(["graph", "topologies/starter.yaml", "--format", "mermaid"])
        .assert()
        .code(0);
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        text.contains("flowchart LR")
            && text.contains("subgraph ")
            && text.contains("class ")
            && text.contains(" spof;"),
        "{text}"
    );
    let out = common::maa()
        .args(["graph", "topologies/starter.yaml"])
        .assert()
        .code(0);
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(text.contains("penwidth=2.5"), "SPOF highlight in DOT");
}

#[test]
fn dot_and_mermaid_escape_labels() {
    assert_eq!(
        maa::report::graph::dot_escape("a\"b\\c\nd"),
        "a\\\"b\\\\c\\nd"
    );
    assert_eq!(
        maa::report::graph::mermaid_escape("a\"<b>#"),
        "a#quot;#lt;b#gt;#35;"
    );
}

/// The drawn edges of a DOT graph as (from, to) node indexes (an end at a box, `lhead` /
/// `ltail`, is the box's own node), without the links' and observers' picture edges.
fn dot_edges(dot: &str) -> Vec<(usize, usize)> {
    let re = regex::Regex::new(r"n(\d+) -> n(\d+)(?: \[(.*)\])?;").expect("regex");
    let cluster = |attrs: &str, key: &str| {
        let re = regex::Regex::new(&format!(r"{key}=cluster_(\d+)")).expect("regex");
        re.captures(attrs)
            .map(|c| c[1].parse::<usize>().expect("id"))
    };
    re.captures_iter(dot)
        .filter_map(|c| {
            let attrs = c.get(3).map_or("", |m| m.as_str());
            if attrs.contains("dir=none") || attrs.contains("#6b3fa0") {
                return None;
            }
            let from = cluster(attrs, "ltail").unwrap_or_else(|| c[1].parse().expect("id"));
            let to = cluster(attrs, "lhead").unwrap_or_else(|| c[2].parse().expect("id"));
            Some((from, to))
        })
        .collect()
}

fn reach(edges: &[(usize, usize)], from: usize) -> std::collections::BTreeSet<usize> {
    let mut seen = std::collections::BTreeSet::from([from]);
    let mut stack = vec![from];
    while let Some(n) = stack.pop() {
        for (_, t) in edges.iter().filter(|(f, _)| *f == n) {
            if seen.insert(*t) {
                stack.push(*t);
            }
        }
    }
    seen
}

/// Issue 20 item 4: by default the internal gate nodes are folded into the edges, and what
/// each service reaches stays the same (an independent oracle: the full graph of
/// `--format json`, whose node order is the DOT ids' order); hosts, zones and sites with
/// something in them are boxes, not nodes; links and observers are connected. `--internal`
/// draws the gates again, and Graphviz accepts both.
#[test]
fn graph_folds_gates_keeps_reachability_and_connects_links_and_observers() {
    for topo in common::topologies() {
        let rel = common::rel(&topo);
        let run = |args: &[&str]| {
            let out = common::maa()
                .arg("graph")
                .arg(&rel)
                .args(args)
                .output()
                .expect("run");
            assert_eq!(out.status.code(), Some(0), "{rel} {args:?}");
            String::from_utf8(out.stdout).expect("utf-8")
        };
        let v: serde_json::Value = serde_json::from_str(&run(&["--format", "json"])).expect("json");
        let nodes = v["nodes"].as_array().expect("nodes");
        let index: std::collections::BTreeMap<&str, usize> = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n["id"].as_str().expect("id"), i))
            .collect();
        let group = |i: usize| nodes[i]["kind"] == "group";
        // Every edge but "placed on" the domain a drawn node is drawn in (the nesting shows
        // it; a folded gate is not drawn inside its domain, so its placement is an edge).
        let full: Vec<(usize, usize)> = v["edges"]
            .as_array()
            .expect("edges")
            .iter()
            .map(|e| {
                (
                    index[e["from"].as_str().expect("from")],
                    index[e["to"].as_str().expect("to")],
                    e,
                )
            })
            .filter(|(f, t, e)| {
                !(e["kind"] == "placed-on" && nodes[*f]["in"] == nodes[*t]["id"] && !group(*f))
            })
            .map(|(f, t, _)| (f, t))
            .collect();
        let dot = run(&[]);
        let drawn = dot_edges(&dot);
        for app in v["services"].as_array().expect("services") {
            let a = index[app.as_str().expect("service")];
            let want: std::collections::BTreeSet<usize> =
                reach(&full, a).into_iter().filter(|i| !group(*i)).collect();
            assert_eq!(reach(&drawn, a), want, "{rel}: what {app} reaches");
        }
        assert!(
            !dot.contains("label=\"group "),
            "{rel}: a gate node is drawn"
        );
        let internal = run(&["--internal"]);
        assert_eq!(
            internal.matches("label=\"group ").count(),
            nodes.iter().filter(|n| n["kind"] == "group").count(),
            "{rel}"
        );
        for (i, n) in nodes.iter().enumerate() {
            let is_box = dot.contains(&format!("subgraph cluster_{i} {{"));
            let has_inside = nodes
                .iter()
                .any(|m| m["in"] == n["id"] && m["kind"] != "group");
            assert_eq!(is_box, has_inside, "{rel}: {} box", n["id"]);
            assert_eq!(
                dot.contains(&format!("  n{i} [")),
                !is_box && !group(i),
                "{rel}: {}",
                n["id"]
            );
            if matches!(n["kind"].as_str(), Some("link" | "observer")) {
                assert!(
                    dot.contains(&format!("n{i} -> ")),
                    "{rel}: {} is not connected",
                    n["id"]
                );
            }
        }
        let mermaid = run(&["--format", "mermaid"]);
        assert!(!mermaid.contains("\"group "), "{rel}");
        assert!(
            run(&["--format", "mermaid", "--internal"]).contains("\"group "),
            "{rel}"
        );
        let Some(dot_bin) = common::validator("dot") else {
            continue;
        };
        for text in [&dot, &internal] {
            let mut child = std::process::Command::new(&dot_bin)
                .arg("-Tsvg")
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("dot");
            use std::io::Write as _;
            child
                .stdin
                .take()
                .expect("stdin")
                .write_all(text.as_bytes())
                .expect("write");
            let out = child.wait_with_output().expect("dot");
            assert!(
                out.status.success(),
                "{rel}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}
