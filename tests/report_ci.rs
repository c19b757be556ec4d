//! The CI formats: `--format junit` against the Apache Ant JUnit schema with a real validator
//! (`xmllint --schema`, Debian's libxml2-utils, installed by scripts/test.sh), for every
//! shipped topology, with accepted findings, load errors and hostile text; and its content
//! against the JSON report of the same check. `--format gitlab` (GitLab Code Quality): its
//! fields against the JSON report, and fingerprints that survive moved lines. `--format
//! concise`: one line per finding.
//!
//! The schema is read from `../shared/schemas/junit.xsd` (or `$MAA_JUNIT_SCHEMA`); the
//! project does not commit it. When it is absent, as in a user's clone, the schema check
//! is skipped with a message saying so (a failure under `MAA_REQUIRE_VALIDATORS=1` when
//! `../shared` exists).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn schema() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("MAA_JUNIT_SCHEMA") {
        return Some(PathBuf::from(p));
    }
    let Some(shared) = common::shared() else {
        eprintln!(
            "SKIPPED: ../shared/schemas/junit.xsd is absent (a user's clone has no ../shared; \
             set MAA_JUNIT_SCHEMA to the Ant JUnit schema to run this check)"
        );
        return None;
    };
    let p = shared.join("schemas").join("junit.xsd");
    assert!(
        p.is_file() || !common::validators_required(),
        "{} is missing although ../shared exists",
        p.display()
    );
    p.is_file().then_some(p)
}

/// `maa check --format junit ARGS` run in `dir`, written to `out`.
fn junit(dir: &Path, out: &Path, args: &[&str]) -> (PathBuf, String) {
    let path = out.to_path_buf();
    let run = common::maa()
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", "1795000000")
        .args(["check", "--format", "junit", "--output"])
        .arg(&path)
        .args(args)
        .output()
        .unwrap();
    assert!(
        matches!(run.status.code(), Some(0..=2)),
        "{:?}: {}",
        run.status,
        String::from_utf8_lossy(&run.stderr)
    );
    let text = std::fs::read_to_string(&path).unwrap();
    (path, text)
}

/// Validates each file with `xmllint --schema`.
fn validate(files: &[PathBuf]) {
    let (Some(xsd), Some(xmllint)) = (schema(), common::validator("xmllint")) else {
        return;
    };
    let out = Command::new(xmllint)
        .args(["--noout", "--schema"])
        .arg(xsd)
        .args(files)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "JUnit does not validate against the Ant schema:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn count(text: &str, what: &str) -> usize {
    text.matches(what).count()
}

/// An attribute of the first `<testsuite …>`.
fn suite_attr(text: &str, name: &str) -> usize {
    let suite = &text[text.find("<testsuite ").unwrap()..];
    let at = suite.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
    suite[at..suite[at..].find('"').unwrap() + at]
        .parse()
        .unwrap()
}

#[test]
fn every_shipped_topology_validates_with_findings_and_accepted_ones() {
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    let mut kinds = Vec::new();
    for t in common::topologies() {
        let rel = common::rel(&t);
        let name = t.file_stem().unwrap().to_string_lossy().into_owned();
        let out = dir.path().join(format!("{name}.xml"));
        let (plain, text) = junit(&common::root(), &out, &[&rel]);
        // Every finding of the JSON report is one failure (or part of one, same rule and
        // object), and nothing is skipped without a suppression.
        let json = common::maa()
            .args(["check", "--format", "json", &rel])
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
        let mut keys: Vec<(String, String)> = v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| (d["code"].to_string(), d["object"].to_string()))
            .collect();
        keys.sort();
        keys.dedup();
        assert_eq!(count(&text, "<failure "), keys.len(), "{rel}");
        assert_eq!(suite_attr(&text, "failures"), keys.len(), "{rel}");
        // Skipped: exactly the findings the topology itself accepts inline.
        let inline = std::fs::read_to_string(common::root().join(&rel))
            .unwrap()
            .matches("# maa: ignore[")
            .count();
        assert_eq!(count(&text, "<skipped"), inline, "{rel}");
        assert_eq!(
            suite_attr(&text, "tests"),
            count(&text, "<testcase "),
            "{rel}"
        );
        assert!(text.contains("timestamp=\"2026-11-18T11:06:40\""), "{rel}");
        files.push(plain);

        if !has_findings(&t) {
            continue; // a clean reference (coherence-cache.yaml) has nothing to accept
        }
        let fixture = common::with_suppressions(&t);
        let mut args = common::SUPPRESSED_ARGS.to_vec();
        args.push("t.yaml");
        let out = dir.path().join(format!("{name}-accepted.xml"));
        let (accepted, text) = junit(fixture.path(), &out, &args);
        let skipped = suite_attr(&text, "skipped");
        assert!(skipped >= 1, "{rel}: nothing skipped:\n{text}");
        assert_eq!(count(&text, "<skipped "), skipped, "{rel}");
        for why in ["inline", "configuration", "baseline"] {
            if text.contains(&format!("<skipped message=\"accepted in the {why} test"))
                || (why == "baseline"
                    && text.contains("<skipped message=\"accepted by the baseline"))
            {
                kinds.push(why);
            }
        }
        files.push(accepted);
    }
    kinds.sort_unstable();
    kinds.dedup();
    assert_eq!(kinds, ["baseline", "configuration", "inline"]);
    validate(&files);
}

#[test]
fn load_errors_and_hostile_text_are_errors_in_valid_xml() {
    let dir = tempfile::tempdir().unwrap();
    let root = common::root();
    let reference = std::fs::read_to_string(root.join("topologies/starter.yaml")).unwrap();
    // ESC, BEL, a lone CR, a bidi override and markup in a key the error message quotes,
    // and in a file name.
    let key = "\"\\x1b[2J<b>&amp;\\x07\\r\\u202e\": 1\n";
    std::fs::write(dir.path().join("key.yaml"), format!("{key}{reference}")).unwrap();
    std::fs::write(dir.path().join("n\u{1b}[2J\u{7}<&>.yaml"), &reference).unwrap();
    for broken in ["multiple-errors.yaml", "empty.yaml", "not-utf8.yaml"] {
        std::fs::copy(
            root.join("tests/fixtures/broken").join(broken),
            dir.path().join(broken),
        )
        .unwrap();
    }
    let out = dir.path().join("out.xml");
    let (out, text) = junit(dir.path(), &out, &["."]);
    assert!(text.contains("<error "), "{text}");
    assert!(
        text.contains("\\u{1b}[2J&lt;b&gt;&amp;amp;\\u{7}\\r\\u{202e}"),
        "{text}"
    );
    assert!(
        text.contains("n\\u{1b}[2J\\u{7}&lt;&amp;&gt;.yaml"),
        "{text}"
    );
    assert!(
        !text.chars().any(|c| c != '\n' && c.is_control()),
        "a control character reached the XML"
    );
    validate(&[out]);
}

// ---- --format gitlab ------------------------------------------------------------------

/// `maa check --format gitlab t.yaml` run in `dir`, parsed.
fn gitlab(dir: &Path) -> Vec<serde_json::Value> {
    let out = common::maa()
        .current_dir(dir)
        .args(["check", "--format", "gitlab", "t.yaml"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    v.as_array().unwrap().clone()
}

fn copy_of(topology: &str, edit: impl Fn(&str) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(common::root().join(topology)).unwrap();
    std::fs::write(dir.path().join("t.yaml"), edit(&text)).unwrap();
    dir
}

fn fingerprints(issues: &[serde_json::Value]) -> Vec<(String, String)> {
    issues
        .iter()
        .map(|i| {
            (
                i["check_name"].as_str().unwrap().to_owned(),
                i["fingerprint"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn gitlab_issues_have_the_fields_gitlab_reads_for_every_topology() {
    for t in common::topologies() {
        let rel = common::rel(&t);
        let out = common::maa()
            .args(["check", "--format", "gitlab", &rel])
            .output()
            .unwrap();
        let issues: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
        let json = common::maa()
            .args(["check", "--format", "json", &rel])
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
        let diags = v["diagnostics"].as_array().unwrap();
        assert_eq!(issues.len(), diags.len(), "{rel}");
        let mut seen = std::collections::BTreeSet::new();
        for (i, d) in issues.iter().zip(diags) {
            assert_eq!(i["description"], d["message"], "{rel}");
            assert_eq!(i["check_name"], d["code"], "{rel}");
            let severity = i["severity"].as_str().unwrap();
            let want = match d["severity"].as_str().unwrap() {
                "error" => "critical",
                "warning" => "minor",
                _ => "info",
            };
            assert_eq!(severity, want, "{rel}");
            assert_eq!(i["location"]["path"], rel.as_str());
            assert_eq!(i["location"]["lines"]["begin"], d["line"], "{rel}");
            assert!(i["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
            let fp = i["fingerprint"].as_str().unwrap();
            assert!(fp.len() == 64 && fp.chars().all(|c| c.is_ascii_hexdigit()));
            assert!(seen.insert(fp.to_owned()), "{rel}: fingerprint {fp} twice");
        }
    }
    // A file that does not load is a blocker.
    let out = common::maa()
        .args([
            "check",
            "--format",
            "gitlab",
            "tests/fixtures/broken/unknown-key.yaml",
        ])
        .output()
        .unwrap();
    let issues: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(!issues.is_empty());
    assert!(issues.iter().all(|i| i["severity"] == "blocker"));
}

#[test]
fn gitlab_fingerprints_survive_moved_lines_and_follow_the_object() {
    let starter = "topologies/starter.yaml";
    let base = gitlab(copy_of(starter, str::to_owned).path());
    assert!(base.len() > 5);
    // Lines moved: every issue keeps its fingerprint, and its line moves.
    let shifted = gitlab(copy_of(starter, |t| format!("# moved\n# down\n\n{t}")).path());
    assert_eq!(fingerprints(&shifted), fingerprints(&base));
    for (a, b) in base.iter().zip(&shifted) {
        let line = |i: &serde_json::Value| i["location"]["lines"]["begin"].as_u64().unwrap();
        assert_eq!(line(b), line(a) + 3);
    }
    // An object renamed: its issues get new fingerprints, the others keep theirs.
    let renamed = gitlab(copy_of(starter, |t| t.replace("app_cluster", "web_cluster")).path());
    let before: std::collections::BTreeSet<_> = fingerprints(&base).into_iter().collect();
    let mut changed = 0;
    for i in &renamed {
        let (code, fp) = (
            i["check_name"].as_str().unwrap(),
            i["fingerprint"].as_str().unwrap(),
        );
        if base.iter().all(|b| b["fingerprint"] != fp) {
            changed += 1;
        } else {
            assert!(before.contains(&(code.to_owned(), fp.to_owned())));
        }
    }
    assert_eq!(changed, 2, "the two findings on app_cluster");
}

// ---- --format concise, --statistics ---------------------------------------------------

#[test]
fn concise_prints_one_line_per_finding_and_statistics_count_them() {
    let json = common::maa()
        .args(["check", "--format", "json", "topologies/starter.yaml"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let diags = v["diagnostics"].as_array().unwrap();
    let out = common::maa()
        .args(["check", "--format", "concise", "topologies/starter.yaml"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), diags.len(), "{text}");
    for (line, d) in lines.iter().zip(diags) {
        let want = format!(
            "topologies/starter.yaml:{}:{}: {} [{}] {}",
            d["line"],
            d["column"],
            d["code"].as_str().unwrap(),
            d["severity"].as_str().unwrap(),
            d["message"].as_str().unwrap()
        );
        assert_eq!(*line, want);
    }
    let out = common::maa()
        .args([
            "check",
            "--format",
            "concise",
            "--statistics",
            "topologies/starter.yaml",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let table: Vec<&str> = text.lines().skip(diags.len() + 1).collect();
    assert!(table[0].starts_with("count  code"), "{text}");
    let total: usize = table[1..]
        .iter()
        .map(|r| {
            r.split_whitespace()
                .next()
                .unwrap()
                .parse::<usize>()
                .unwrap()
        })
        .sum();
    assert_eq!(total, diags.len(), "{text}");
    let spof = diags.iter().filter(|d| d["code"] == "SPOF001").count();
    assert!(
        table
            .iter()
            .any(|r| r.split_whitespace().collect::<Vec<_>>()
                == [
                    spof.to_string().as_str(),
                    "SPOF001",
                    "error",
                    "single-point-of-failure"
                ]),
        "{text}"
    );
    common::maa()
        .args([
            "check",
            "--format",
            "json",
            "--statistics",
            "topologies/starter.yaml",
        ])
        .assert()
        .code(2);
}

/// Whether `maa check` reports anything on the topology.
fn has_findings(t: &std::path::Path) -> bool {
    let display = common::rel(t);
    maa::resolve::load_model(t, &display).is_ok_and(|m| !maa::rules::check(&m).is_empty())
}
