//! AWS rules (AWS0xx), stricter than the registry-wide `rule_fixtures.rs` (which also
//! snapshots their findings): each AWS trigger reports exactly its rule and nothing else,
//! each AWS clean fixture reports nothing at all, and the reference AWS topology is clean.

// Test code: an unwrap/expect that fails is a failed test. clippy.toml allows them only in
// #[test] and #[cfg(test)] code, which an integration test's helper functions are not.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use maa::diagnostic::Diagnostic;
use maa::report::human;

fn check(path: &Path) -> Vec<Diagnostic> {
    let display = common::rel(path);
    let model = maa::resolve::load_model(path, &display)
        .unwrap_or_else(|e| panic!("{display} does not load: {e:?}"));
    // The resilience analysis (SPOF*, OBJ*) is cross-cutting and tested in tests/resilience.rs.
    maa::rules::check(&model)
        .into_iter()
        .filter(|d| !d.code.starts_with("SPOF") && !d.code.starts_with("OBJ"))
        .collect()
}

fn aws_fixture_dirs() -> Vec<std::path::PathBuf> {
    let dir = common::root().join("tests/fixtures/rules");
    let mut v: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("AWS"))
        })
        .collect();
    v.sort();
    v
}

#[test]
fn every_aws_rule_has_a_trigger_and_a_clean_fixture() {
    let codes: Vec<String> = maa::rules::all()
        .iter()
        .map(|r| r.doc().code.clone())
        .filter(|c| c.starts_with("AWS"))
        .collect();
    assert!(
        codes.len() >= 13,
        "expected the 13 AWS rules, got {codes:?}"
    );
    let dirs: Vec<String> = aws_fixture_dirs()
        .iter()
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    assert_eq!(codes, dirs, "one fixture directory per AWS rule");
}

#[test]
fn triggers_report_exactly_their_rule_and_clean_fixtures_nothing() {
    for dir in aws_fixture_dirs() {
        let code = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let trigger = check(&dir.join("trigger.yaml"));
        let codes: Vec<&str> = trigger.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(
            codes,
            vec![code.as_str()],
            "{code}/trigger.yaml must report {code} once, and nothing else"
        );
        let clean = check(&dir.join("clean.yaml"));
        assert!(
            clean.is_empty(),
            "{code}/clean.yaml must be clean, got {:?}",
            clean.iter().map(|d| &d.code).collect::<Vec<_>>()
        );
    }
}

#[test]
fn aws_reference_topology_is_clean() {
    let diags = check(&common::root().join("topologies/aws-fsxn-asg.yaml"));
    assert!(
        diags.is_empty(),
        "{}",
        human::render(&diags, human::HumanStyle::plain())
    );
}
