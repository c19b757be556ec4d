//! What `maa simulate --all --format json` claims about the shipped topologies, checked
//! against oracles computed independently from the graph and the model.

// Test code: an unwrap/expect that fails is a failed test. clippy.toml allows them only in
// #[test] and #[cfg(test)] code, which an integration test's helper functions are not.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;

use maa::analysis::Analysis;
use maa::graph::{EdgeKind, Gate, Graph, Mechanism, NodeId};
use serde_json::Value;

fn shipped() -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(common::root().join("topologies"))
        .expect("topologies/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    v.sort();
    assert!(v.len() >= 5, "shipped topologies: {v:?}");
    v
}

fn simulate_all(path: &std::path::Path) -> Value {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_maa"))
        .args(["simulate", "--all", "--format", "json"])
        .arg(path)
        .output()
        .expect("runs maa");
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{}: not JSON: {e}", path.display()))
}

fn model(path: &std::path::Path) -> maa::resolve::Model {
    maa::resolve::load_model(path, &path.display().to_string())
        .unwrap_or_else(|e| panic!("{}: {e:?}", path.display()))
}

/// Whether `id` can still serve after `failed` with no mechanism acting from outside it:
/// an `All` node needs every dependency, a group `k` of its members or standbys.
fn serves(gr: &Graph, failed: &BTreeSet<NodeId>, id: NodeId, memo: &mut Vec<Option<bool>>) -> bool {
    if let Some(v) = memo[id.index()] {
        return v;
    }
    let v = !failed.contains(&id)
        && match gr.g[id].gate {
            Gate::All => gr
                .deps(id)
                .iter()
                .all(|(d, _)| serves(gr, failed, *d, memo)),
            Gate::AtLeast(k) => {
                gr.deps(id)
                    .iter()
                    .filter(|(d, _)| serves(gr, failed, *d, memo))
                    .count()
                    >= k as usize
            }
        };
    memo[id.index()] = Some(v);
    v
}

/// Done-when of issue 16, "absorb at the lowest level": a `site-switch` step appears only
/// when some site's entry point (an active member of a site-switch group) is gone; losing
/// one member of a group with a healthy peer in the same site never switches sites.
#[test]
fn site_switch_only_when_a_sites_entry_point_is_gone() {
    let mut checked = 0;
    let mut switched = 0;
    for path in shipped() {
        let m = model(&path);
        let a = Analysis::new(&m);
        let gr = &a.graph;
        let entries: Vec<NodeId> =
            gr.g.node_indices()
                .filter(|id| matches!(gr.g[*id].mechanism, Mechanism::SiteSwitch))
                .flat_map(|id| {
                    gr.deps(id)
                        .iter()
                        .filter(|(_, e)| *e == EdgeKind::Member)
                        .map(|(d, _)| *d)
                        .collect::<Vec<_>>()
                })
                .collect();
        let json = simulate_all(&path);
        let scenarios = json["scenarios"].as_array().expect("scenarios");
        for sc in scenarios {
            let failed: BTreeSet<NodeId> = sc["failed"]
                .as_array()
                .expect("failed")
                .iter()
                .map(|f| gr.lookup(f.as_str().expect("id")).expect("known element"))
                .collect();
            let mut memo = vec![None; gr.g.node_count()];
            // A partition may imply failures the graph does not carry (a fenced half of a
            // stretched cluster, an isolated primary site): its `partition` step says so.
            let partition = services_of(sc).iter().any(|s| {
                s["timeline"]
                    .as_array()
                    .is_some_and(|t| t.iter().any(|st| st["mechanism"] == "partition"))
            });
            let entry_gone =
                partition || entries.iter().any(|e| !serves(gr, &failed, *e, &mut memo));
            let switches = sc["services"]
                .as_array()
                .expect("services")
                .iter()
                .flat_map(|s| s["timeline"].as_array().cloned().unwrap_or_default())
                .any(|st| st["mechanism"] == "site-switch");
            assert!(
                !switches || entry_gone,
                "{}: {:?} switches sites while every site's entry point still serves",
                path.display(),
                sc["failed"]
            );
            checked += 1;
            switched += usize::from(switches);
        }
    }
    assert!(
        checked > 100 && switched > 0,
        "{checked} scenarios, {switched} switches"
    );
}

fn services_of(sc: &Value) -> Vec<Value> {
    sc["services"].as_array().cloned().unwrap_or_default()
}

/// Issue 16, "RPO from the data path": a service down with only stateless components lost
/// loses no data; a down service breaches its RPO only when a data store is lost; the
/// summary's verdict is the services' verdicts folded, never a second computation.
#[test]
fn rpo_verdicts_follow_the_data_path_and_the_summary_agrees() {
    for path in shipped() {
        let json = simulate_all(&path);
        let mut breached: std::collections::BTreeMap<String, bool> = Default::default();
        for sc in json["scenarios"].as_array().expect("scenarios") {
            let starts = |v: &Value, kinds: &[&str]| {
                v.as_array().expect("list").iter().any(|l| {
                    let l = l.as_str().unwrap_or("");
                    kinds.iter().any(|p| l.starts_with(p))
                })
            };
            // Data is lost when a data store is lost *and* the failure destroys it (the
            // store itself, or a site or region disaster); a host outage leaves it on
            // storage that survives.
            let lost_store = starts(&sc["lost"], &["database:", "storage:", "fsxn:"])
                && starts(
                    &sc["failed"],
                    &["database:", "storage:", "fsxn:", "site:", "region:"],
                );
            for s in services_of(sc) {
                let v = &s["verdict"];
                if v.is_null() {
                    continue;
                }
                let met = v["rpo_met"].as_bool().expect("rpo_met");
                // A breached RPO is never a figure within the objective: it is over it, or
                // unbounded (a data store lost, `rpo_ms` null).
                if !met {
                    let objective = maa::model::Duration::parse(
                        v["rpo_objective"].as_str().expect("rpo_objective"),
                    )
                    .expect("duration")
                    .as_millis();
                    assert!(
                        s["rpo_ms"].as_u64().is_none_or(|r| r > objective),
                        "{}: {:?}: RPO breached at {} within the objective",
                        path.display(),
                        sc["failed"],
                        s["rpo"]
                    );
                }
                if s["status"] == "down" {
                    assert_eq!(
                        met,
                        !lost_store,
                        "{}: {:?}: down service's RPO verdict vs lost data stores",
                        path.display(),
                        sc["failed"]
                    );
                }
                *breached
                    .entry(sc["disruption"].as_str().unwrap_or("").to_string())
                    .or_default() |= !met;
            }
        }
        for sum in json["summary"].as_array().expect("summary") {
            if sum["objective"].is_null() {
                continue;
            }
            let d = sum["disruption"].as_str().unwrap_or("");
            assert_eq!(
                sum["rpo_met"].as_bool(),
                Some(!breached.get(d).copied().unwrap_or(false)),
                "{}: summary RPO verdict for {d}",
                path.display()
            );
        }
    }
}

fn simulate_one(path: &std::path::Path, fail: &str) -> Value {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_maa"))
        .args(["simulate", "--format", "json", "--fail", fail])
        .arg(path)
        .output()
        .expect("runs maa");
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    services_of(&v["scenarios"][0])[0].clone()
}

/// A starter load balancer holds no data: "RPO BREACHED: data unrecoverable" was wrong.
#[test]
fn stateless_loss_is_no_data_loss() {
    let s = simulate_one(&common::root().join("topologies/starter.yaml"), "host:lb1");
    assert_eq!(s["status"], "down");
    assert_eq!(s["verdict"]["rpo_met"], true);
}

/// GoldenGate is asynchronous whatever the services are called: losing a site of the
/// active-active reference loses the declared GoldenGate lag (5s).
#[test]
fn goldengate_site_loss_loses_the_replication_lag() {
    let p = common::root().join("topologies/active-active-goldengate.yaml");
    for site in ["site:east", "site:west"] {
        let s = simulate_one(&p, site);
        assert_eq!(s["status"], "recovered", "{site}");
        assert_eq!(s["rpo_ms"], 5000, "{site}");
    }
}

/// A copy of the active-passive reference in maximum performance with ASYNC transport,
/// `edit` applied to its text, simulated losing the primary database.
fn ap_async(edit: &[(&str, &str)]) -> Value {
    let mut text =
        std::fs::read_to_string(common::root().join("topologies/active-passive-rac.yaml"))
            .expect("reads")
            .replace("transport: sync", "transport: async")
            .replace("max-availability", "max-performance")
            .replace("lag_limit: 0s", "lag_limit: 30s");
    for (from, to) in edit {
        assert!(text.contains(from), "{from}");
        text = text.replace(from, to);
    }
    let dir = std::env::temp_dir().join(format!("maa-fsfo-{}-{}", std::process::id(), edit.len()));
    std::fs::create_dir_all(&dir).expect("tmp");
    let p = dir.join("ap.yaml");
    std::fs::write(&p, text).expect("writes");
    let s = simulate_one(&p, "database:orders_dc1");
    let _ = std::fs::remove_dir_all(&dir);
    s
}

fn mechanisms(s: &Value) -> Vec<String> {
    s["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .filter_map(|t| t["mechanism"].as_str().map(str::to_string))
        .collect()
}

/// The fast-start failover lag limit decides whether failover is automatic, never the RPO:
/// ASYNC in maximum performance loses the transport lag (the 5s default assumption, below
/// the broker's default 30s limit: the observer fails over); a declared lag above the limit
/// leaves the failover to an operator, and loses that lag.
#[test]
fn fsfo_lag_limit_is_not_the_rpo() {
    let s = ap_async(&[]);
    assert_eq!(s["rpo_ms"], 5_000, "{s}");
    let m = mechanisms(&s);
    assert!(m.iter().any(|x| x == "fast-start-failover"), "{m:?}");
    assert!(!m.iter().any(|x| x == "manual-failover"), "{m:?}");

    let s = ap_async(&[("transport: async,", "transport: async, lag: 45s,")]);
    assert_eq!(s["rpo_ms"], 45_000, "{s}");
    let m = mechanisms(&s);
    assert!(m.iter().any(|x| x == "manual-failover"), "{m:?}");
    assert!(!m.iter().any(|x| x == "fast-start-failover"), "{m:?}");
}

/// Every example of `maa simulate --help` runs on the shipped topologies: it loads, names
/// elements that exist, and exits 0 or 1 (an objective breached), never 2.
#[test]
fn every_help_example_runs_on_the_shipped_topologies() {
    let help = std::process::Command::new(env!("CARGO_BIN_EXE_maa"))
        .args(["simulate", "--help"])
        .output()
        .expect("runs maa");
    let help = String::from_utf8(help.stdout).expect("UTF-8");
    let examples: Vec<&str> = help
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("maa simulate topologies/"))
        .collect();
    assert!(examples.len() >= 3, "{help}");
    for ex in examples {
        let args: Vec<&str> = ex.split_whitespace().skip(1).collect();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_maa"))
            .args(&args)
            .current_dir(common::root())
            .output()
            .expect("runs maa");
        let code = out.status.code();
        assert!(
            matches!(code, Some(0 | 1)) && !out.stdout.is_empty(),
            "{ex}: exit {code:?}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
