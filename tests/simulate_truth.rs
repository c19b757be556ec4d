//! What `maa simulate --all --format json` claims about the shipped topologies, checked
//! against oracles computed independently from the graph and the model.

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
            let entry_gone = entries.iter().any(|e| !serves(gr, &failed, *e, &mut memo));
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
