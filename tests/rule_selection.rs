//! Running only the selected rules changes nothing but speed. Over every shipped topology
//! and rule fixture, the findings of a selected run equal the findings of a full run
//! filtered by the same selection (the oracle), and the shared SPOF/double-fault analysis is
//! built only when a selected rule reads it.

// Test code: an unwrap/expect that fails is a failed test. clippy.toml allows them only in
// #[test] and #[cfg(test)] code, which an integration test's helper functions are not.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use maa::diagnostic::Diagnostic;
use maa::report::human;
use maa::resolve::Model;
use maa::rules::{self, Checker};

/// The rules that read the shared analysis (graph, cut sets, double faults, simulation).
const READS_ANALYSIS: &[&str] = &["OBJ001", "SPOF001", "SPOF002"];

/// Every shipped topology and every rule fixture, sorted.
fn files() -> Vec<PathBuf> {
    let root = common::root();
    let mut v = Vec::new();
    let yaml = |p: &Path| p.extension().is_some_and(|e| e == "yaml");
    for e in std::fs::read_dir(root.join("topologies")).expect("topologies/") {
        let p = e.expect("entry").path();
        if yaml(&p) {
            v.push(p);
        }
    }
    for e in std::fs::read_dir(root.join("tests/fixtures/rules")).expect("fixtures") {
        for f in std::fs::read_dir(e.expect("entry").path()).expect("fixture dir") {
            let p = f.expect("entry").path();
            if yaml(&p) {
                v.push(p);
            }
        }
    }
    v.sort();
    assert!(v.len() > 100, "too few topologies found: {}", v.len());
    v
}

fn load(path: &Path) -> Model {
    let display = common::rel(path);
    maa::resolve::load_model(path, &display).unwrap_or_else(|e| {
        panic!(
            "{display} does not load: {}",
            human::render(&e, human::HumanStyle::plain())
        )
    })
}

/// Everything a finding shows, except the source text it points into.
fn key(d: &Diagnostic) -> String {
    format!(
        "{:?}",
        (
            &d.code,
            &d.name,
            d.severity,
            &d.message,
            &d.file.path,
            d.span,
            &d.label,
            &d.labels,
            &d.help,
            &d.object,
            &d.url,
        )
    )
}

fn keys<'a>(diags: impl IntoIterator<Item = &'a Diagnostic>) -> Vec<String> {
    diags.into_iter().map(key).collect()
}

/// Selections to compare: each rule alone, each area, and everything but one rule that
/// reads the analysis (so the others share an analysis another rule did not build).
fn selections() -> Vec<(String, BTreeSet<String>)> {
    let codes: Vec<String> = rules::all().iter().map(|r| r.doc().code.clone()).collect();
    let mut v: Vec<(String, BTreeSet<String>)> = codes
        .iter()
        .map(|c| (c.clone(), BTreeSet::from([c.clone()])))
        .collect();
    let areas: BTreeSet<&str> = rules::all().iter().map(|r| r.doc().area.as_str()).collect();
    for area in areas {
        let set = rules::all()
            .iter()
            .filter(|r| r.doc().area == area)
            .map(|r| r.doc().code.clone())
            .collect();
        v.push((format!("area {area}"), set));
    }
    for skip in READS_ANALYSIS {
        let set = codes.iter().filter(|c| c != skip).cloned().collect();
        v.push((format!("all but {skip}"), set));
    }
    v
}

#[test]
fn selected_runs_equal_the_full_run_filtered() {
    let selections = selections();
    let mut failures = Vec::new();
    let mut compared = 0usize;
    for path in files() {
        let m = load(&path);
        let full = rules::check(&m);
        for (name, set) in &selections {
            let selected = rules::check_selected(&m, |r| set.contains(&r.code));
            let expected = keys(full.iter().filter(|d| set.contains(&d.code)));
            compared += expected.len();
            if keys(&selected) != expected {
                failures.push(format!("{}: selection {name}", common::rel(&path)));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "selected ≠ full filtered:\n{failures:#?}"
    );
    // The oracle compared real findings, not only empty lists.
    assert!(compared > 1000, "only {compared} findings compared");
}

#[test]
fn cli_selection_runs_what_the_config_filter_keeps() {
    // The check pipeline runs the rules `Effective::enabled` accepts, then applies the same
    // settings: the result must equal applying them to a full run.
    let cases: &[(&[&str], &[&str])] = &[
        (&["WLS001"], &[]),
        (&["SPOF"], &[]),
        (&["OBJ001", "cluster-single-host"], &[]),
        (&[], &["SPOF001", "WLS"]),
        (&["ALL"], &["DB"]),
    ];
    for path in files() {
        let m = load(&path);
        let full = rules::check(&m);
        for (select, ignore) in cases {
            let mut eff = maa::config::effective(None, &path, false);
            let select: Vec<String> = select.iter().map(|s| s.to_string()).collect();
            let ignore: Vec<String> = ignore.iter().map(|s| s.to_string()).collect();
            maa::config::apply_cli_selection(&mut eff, None, &select, &ignore)
                .unwrap_or_else(|e| panic!("{e}"));
            let selected = rules::check_selected(&m, |r| eff.enabled(&r.code));
            assert_eq!(
                keys(&maa::config::apply(&eff, selected)),
                keys(&maa::config::apply(&eff, full.clone())),
                "{}: --select {select:?} --ignore {ignore:?}",
                common::rel(&path)
            );
        }
    }
}

#[test]
fn only_rules_that_read_it_build_the_analysis() {
    let mut wrongly_built = Vec::new();
    let mut built_by_full = 0;
    for path in files() {
        let m = load(&path);
        for rule in rules::all() {
            let code = &rule.doc().code;
            if READS_ANALYSIS.contains(&code.as_str()) {
                continue;
            }
            let c = Checker::new(&m);
            let _ = c.run(|r| &r.code == code);
            if c.analysis_built() {
                wrongly_built.push(format!("{}: {code}", common::rel(&path)));
            }
        }
        let c = Checker::new(&m);
        let _ = c.run(|_| true);
        built_by_full += usize::from(c.analysis_built());
    }
    assert!(
        wrongly_built.is_empty(),
        "a rule that does not read the analysis built it:\n{wrongly_built:#?}"
    );
    // The observable can fail: a full run (SPOF001 always reads it) builds it every time.
    assert_eq!(built_by_full, files().len());
}

#[test]
fn select_wls001_does_not_build_the_analysis() {
    let path = common::root().join("tests/fixtures/rules/WLS001/trigger.yaml");
    let m = load(&path);
    let mut eff = maa::config::effective(None, &path, false);
    maa::config::apply_cli_selection(&mut eff, None, &["WLS001".to_owned()], &[])
        .unwrap_or_else(|e| panic!("{e}"));
    let c = Checker::new(&m);
    let found = c.run(|r| eff.enabled(&r.code));
    assert!(!c.analysis_built(), "--select WLS001 built the analysis");
    assert!(!found.is_empty() && found.iter().all(|d| d.code == "WLS001"));
    // Selecting a rule that reads it does build it.
    let c = Checker::new(&m);
    let _ = c.run(|r| r.code == "SPOF001");
    assert!(c.analysis_built(), "SPOF001 ran without the analysis");
}
