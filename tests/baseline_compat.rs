//! Baselines users committed must keep matching: the files in `tests/fixtures/baselines/`
//! were written by the release binary of commit c125917 (before object paths were produced
//! in one place) with `maa check PATH --write-baseline FILE`, run in the repository root.
//! Today's code must accept every finding they hold and report no new one.

// Test code: an unwrap/expect that fails is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use maa::check::{self, Options};
use maa::suppress::baseline::Baseline;

/// Each baseline and what it was written for.
const BASELINES: &[(&str, &str)] = &[
    (
        "active-active-goldengate.json",
        "topologies/active-active-goldengate.yaml",
    ),
    (
        "active-passive-rac.json",
        "topologies/active-passive-rac.yaml",
    ),
    ("aws-fsxn-asg.json", "topologies/aws-fsxn-asg.yaml"),
    ("starter.json", "topologies/starter.yaml"),
    ("stretch-cluster.json", "topologies/stretch-cluster.yaml"),
    ("rule-fixtures.json", "tests/fixtures/rules"),
];

#[test]
fn old_baselines_accept_every_finding_and_no_more() {
    for (file, checked) in BASELINES {
        let path = PathBuf::from("tests/fixtures/baselines").join(file);
        let text = std::fs::read_to_string(&path).expect("baseline reads");
        let old: Baseline = serde_json::from_str(&text).expect("baseline parses");
        let accepted: usize = old.findings.iter().map(|e| e.count).sum();
        assert!(
            accepted > 0,
            "{file} accepts nothing: it would prove nothing"
        );
        let opts = Options {
            baseline: Some(path),
            ..Options::default()
        };
        let r = check::run(&[PathBuf::from(checked)], &opts).expect("checks");
        assert!(!r.load_failed, "{checked} loads");
        let new: Vec<String> = r
            .diagnostics
            .iter()
            .map(|d| format!("{} {} {}", d.code, d.object, d.file.path))
            .collect();
        assert!(
            new.is_empty(),
            "{checked}: new findings against {file}: {new:#?}"
        );
        assert_eq!(
            r.baselined, accepted,
            "{checked}: every accepted finding still matches"
        );
    }
}
