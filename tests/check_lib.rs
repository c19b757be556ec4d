//! `check::run`, the library entry point behind `maa check`: a library user gets exactly
//! what the CLI prints, and what stops a check is an error value, not a process exit.

// Test code: an unwrap/expect that fails is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::PathBuf;

use maa::check::{self, Error, Options};

/// `maa check --format json ARGS` as the CLI prints it.
fn cli_json(args: &[&str]) -> String {
    let out = common::maa()
        .args(["check", "--format", "json"])
        .args(args)
        .output()
        .expect("maa runs");
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn the_library_report_is_what_the_cli_prints() {
    // Integration tests run in the package root, as `common::maa()` does.
    let r = check::run(&[PathBuf::from("topologies")], &Options::default()).expect("checks");
    assert_eq!(r.files, common::topologies().len());
    assert!(!r.load_failed);
    assert!(!r.diagnostics.is_empty(), "the starter has findings");
    assert_eq!(
        maa::report::json::render(&r.diagnostics, r.files),
        cli_json(&["topologies"])
    );
    // Selection travels through the options as through the flags.
    let opts = Options {
        select: vec!["WLS".to_owned()],
        ..Options::default()
    };
    let r = check::run(&[PathBuf::from("topologies")], &opts).expect("checks");
    assert!(r.diagnostics.iter().all(|d| d.code.starts_with("WLS")));
    assert_eq!(
        maa::report::json::render(&r.diagnostics, r.files),
        cli_json(&["--select", "WLS", "topologies"])
    );
}

#[test]
fn what_stops_a_check_is_an_error_value() {
    let empty = tempfile::tempdir().expect("temp dir");
    assert_eq!(
        check::run(&[empty.path().to_path_buf()], &Options::default()).unwrap_err(),
        Error::NoFiles(Vec::new())
    );
    let starter = PathBuf::from("topologies/starter.yaml");
    let opts = Options {
        select: vec!["NOPE999".to_owned()],
        ..Options::default()
    };
    assert!(matches!(
        check::run(std::slice::from_ref(&starter), &opts),
        Err(Error::Selection(_))
    ));
    let missing = empty.path().join("missing.json");
    let opts = Options {
        baseline: Some(missing.clone()),
        ..Options::default()
    };
    match check::run(std::slice::from_ref(&starter), &opts) {
        Err(e @ Error::Baseline { .. }) => {
            assert!(
                e.to_string()
                    .starts_with(&format!("cannot use baseline `{}`", missing.display()))
            );
        }
        other => panic!("expected a baseline error, got {other:?}"),
    }
}

#[test]
fn an_accepting_baseline_accepts_every_finding() {
    let starter = PathBuf::from("topologies/starter.yaml");
    let opts = Options {
        accept: true,
        ..Options::default()
    };
    let r = check::run(std::slice::from_ref(&starter), &opts).expect("checks");
    let base = r.accepted.expect("a baseline when every file loads");
    let accepted: usize = base.findings.iter().map(|e| e.count).sum();
    assert_eq!(accepted, r.diagnostics.len());
    // Checking against it leaves nothing.
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("baseline.json");
    std::fs::write(&path, maa::suppress::baseline::to_text(&base)).expect("write");
    let opts = Options {
        baseline: Some(path),
        ..Options::default()
    };
    let r = check::run(&[starter], &opts).expect("checks");
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    assert_eq!(r.baselined, accepted);
}

#[test]
fn show_config_checks_nothing() {
    let opts = Options {
        show_config: true,
        ..Options::default()
    };
    let r = check::run(&[PathBuf::from("topologies/starter.yaml")], &opts).expect("runs");
    let settings = r.settings.expect("settings shown");
    assert!(
        settings.starts_with("topologies/starter.yaml:"),
        "{settings}"
    );
    assert!(r.diagnostics.is_empty());
}
