//! Every rule of the registry against its fixtures: `tests/fixtures/rules/<CODE>/trigger.yaml`
//! (and any hand-written `trigger-<what>.yaml`) reports the rule, `clean.yaml` (and any
//! `clean-<what>.yaml`) does not. The test iterates the registry, so a rule cannot be added
//! without fixtures. The trigger findings of each rule are snapshot-tested.

// Test code: an unwrap/expect that fails is a failed test. clippy.toml allows them only in
// #[test] and #[cfg(test)] code, which an integration test's helper functions are not.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use maa::diagnostic::Diagnostic;
use maa::report::human;

fn check(path: &Path) -> Vec<Diagnostic> {
    let display = common::rel(path);
    let model = maa::resolve::load_model(path, &display).unwrap_or_else(|e| {
        panic!(
            "{display} does not load: {}",
            human::render(&e, human::HumanStyle::plain())
        )
    });
    maa::rules::check(&model)
}

/// `<kind>.yaml` and the further designs beside it (`<kind>-<what>.yaml`, written by hand: a
/// sound design a rule once reported wrongly, a defect in a form the generated fixture does
/// not show), sorted; `kind` is `trigger` or `clean`.
fn fixtures(dir: &Path, kind: &str) -> Vec<std::path::PathBuf> {
    let mut found: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_suffix(".yaml"))
                .is_some_and(|n| {
                    n == kind || n.strip_prefix(kind).is_some_and(|r| r.starts_with('-'))
                })
        })
        .collect();
    found.sort();
    found
}

#[test]
fn every_rule_has_a_trigger_and_a_clean_fixture() {
    let dir = common::root().join("tests/fixtures/rules");
    let missing: Vec<String> = maa::rules::all()
        .iter()
        .map(|r| r.doc().code.clone())
        .filter(|c| {
            !(dir.join(c).join("trigger.yaml").is_file()
                && dir.join(c).join("clean.yaml").is_file())
        })
        .collect();
    assert!(
        missing.is_empty(),
        "rules without tests/fixtures/rules/<CODE>/{{trigger,clean}}.yaml: {missing:?}"
    );
}

#[test]
fn triggers_report_their_rule_and_clean_fixtures_do_not() {
    let dir = common::root().join("tests/fixtures/rules");
    let mut failures = Vec::new();
    for rule in maa::rules::all() {
        let code = rule.doc().code.as_str();
        let (trigger, clean) = (
            dir.join(code).join("trigger.yaml"),
            dir.join(code).join("clean.yaml"),
        );
        if !trigger.is_file() || !clean.is_file() {
            continue; // reported by every_rule_has_a_trigger_and_a_clean_fixture
        }
        for trigger in fixtures(&dir.join(code), "trigger") {
            if !check(&trigger).iter().any(|d| d.code == code) {
                let name = trigger.file_name().unwrap_or_default().to_string_lossy();
                failures.push(format!("{code}/{name} does not report {code}"));
            }
        }
        for clean in fixtures(&dir.join(code), "clean") {
            let found: Vec<String> = check(&clean)
                .into_iter()
                .filter(|d| d.code == code)
                .map(|d| d.message)
                .collect();
            if !found.is_empty() {
                let name = clean.file_name().unwrap_or_default().to_string_lossy();
                failures.push(format!("{code}/{name} reports {code}: {found:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn trigger_findings_snapshots() {
    let dir = common::root().join("tests/fixtures/rules");
    for rule in maa::rules::all() {
        let code = rule.doc().code.as_str();
        let trigger = dir.join(code).join("trigger.yaml");
        if !trigger.is_file() {
            continue;
        }
        let diags: Vec<Diagnostic> = check(&trigger)
            .into_iter()
            .filter(|d| d.code == code)
            .collect();
        insta::assert_snapshot!(
            format!("trigger_{code}"),
            human::render(&diags, human::HumanStyle::plain())
        );
    }
}

#[test]
fn base_fixture_is_clean() {
    // SPOF002 (double faults, info) reports every topology that serves anything.
    let diags: Vec<Diagnostic> = check(&common::root().join("tests/fixtures/rules/_gen/base.yaml"))
        .into_iter()
        .filter(|d| d.code != "SPOF002")
        .collect();
    assert!(
        diags.is_empty(),
        "{}",
        human::render(&diags, human::HumanStyle::plain())
    );
}
