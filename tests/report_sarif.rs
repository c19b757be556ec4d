//! `--format sarif` against the official OASIS SARIF 2.1.0 schema (with the real
//! `check-jsonschema`) and against GitHub's code-scanning upload rules
//! (`tests/validators/github_sarif_check.py`, a port of ../shared/validators/).
//!
//! The official schema is read from `../shared/schemas/sarif-schema-2.1.0.json` (or from
//! `$MAA_SARIF_SCHEMA`); the project does not commit it. When it is absent, as in a user's
//! clone, the schema check is skipped with a message saying so; under
//! `MAA_REQUIRE_VALIDATORS=1` it is a failure only when `../shared` exists (the project's
//! own CI has it, a user's clone does not). The GitHub rules always run.

// Test code: an unwrap/expect that fails is a failed test. clippy.toml allows them only in
// #[test] and #[cfg(test)] code, which an integration test's helper functions are not.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn official_schema() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("MAA_SARIF_SCHEMA") {
        return Some(PathBuf::from(p));
    }
    let shared = common::shared();
    let schema = shared
        .as_ref()
        .map(|s| s.join("schemas").join("sarif-schema-2.1.0.json"));
    match schema {
        Some(p) if p.is_file() => Some(p),
        Some(p) => {
            assert!(
                !common::validators_required(),
                "{} is missing although ../shared exists",
                p.display()
            );
            eprintln!(
                "SKIPPED: {} is missing; SARIF not checked against the official schema",
                p.display()
            );
            None
        }
        None => {
            eprintln!(
                "SKIPPED: ../shared/schemas/sarif-schema-2.1.0.json is absent (a user's clone has no ../shared; \
                 set MAA_SARIF_SCHEMA to the OASIS schema to run this check); SARIF not checked against the official schema"
            );
            None
        }
    }
}

/// SARIF for the given paths (findings and load errors alike), written to `dir/name`.
fn sarif(dir: &Path, name: &str, args: &[&str]) -> PathBuf {
    let out = dir.join(name);
    let assert = common::maa()
        .args(["check", "--format", "sarif", "--output"])
        .arg(&out)
        .args(args)
        .assert();
    let code = assert.get_output().status.code();
    assert!(matches!(code, Some(0..=2)), "unexpected exit {code:?}");
    out
}

fn python() -> Option<PathBuf> {
    common::venv_python().or_else(|| Some(PathBuf::from("python3")))
}

fn github_check(files: &[&Path]) -> (bool, String) {
    let Some(py) = python() else {
        return (true, String::new());
    };
    let out = Command::new(py)
        .arg(common::root().join("tests/validators/github_sarif_check.py"))
        .args(files)
        .output()
        .unwrap_or_else(|e| panic!("python: {e}"));
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

#[test]
fn sarif_passes_the_official_schema_and_githubs_rules() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let findings = sarif(dir.path(), "findings.sarif", &["topologies"]);
    let broken = sarif(
        dir.path(),
        "load-errors.sarif",
        &[
            "tests/fixtures/broken/multiple-errors.yaml",
            "tests/fixtures/broken/empty.yaml",
            "tests/fixtures/broken/deep-flow.yaml",
        ],
    );
    let absolute = common::root()
        .join("topologies/starter.yaml")
        .to_string_lossy()
        .into_owned();
    let abs = sarif(dir.path(), "absolute.sarif", &[&absolute]);

    let (ok, report) = github_check(&[&findings, &broken, &abs]);
    assert!(ok, "GitHub upload rules:\n{report}");
    assert!(!report.contains("WARN"), "{report}");

    if let (Some(schema), Some(cjs)) = (official_schema(), common::validator("check-jsonschema")) {
        let out = Command::new(cjs)
            .arg("--schemafile")
            .arg(&schema)
            .args([&findings, &broken, &abs])
            .output()
            .unwrap_or_else(|e| panic!("check-jsonschema: {e}"));
        assert!(
            out.status.success(),
            "SARIF does not validate against the official schema:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn sarif_content_is_what_github_shows() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let absolute = common::root()
        .join("topologies/starter.yaml")
        .to_string_lossy()
        .into_owned();
    let path = sarif(
        dir.path(),
        "s.sarif",
        &[&absolute, "tests/fixtures/broken/unknown-key.yaml"],
    );
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap_or_default())
        .unwrap_or(Value::Null);
    assert_eq!(v["version"], "2.1.0");
    assert_eq!(
        v["$schema"],
        "https://json.schemastore.org/sarif-2.1.0.json"
    );
    let run = &v["runs"][0];
    let rules = run["tool"]["driver"]["rules"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    // Every rule of the catalogue is described, with help text.
    for r in maa::rules::all() {
        let code = &r.doc().code;
        let desc = rules
            .iter()
            .find(|d| d["id"] == code.as_str())
            .unwrap_or_else(|| panic!("rule {code} not described"));
        assert!(
            desc["help"]["text"].as_str().is_some_and(|t| !t.is_empty()),
            "{code}"
        );
        assert!(
            desc["helpUri"]
                .as_str()
                .is_some_and(|t| t.starts_with("https://")),
            "{code}"
        );
    }
    let results = run["results"].as_array().cloned().unwrap_or_default();
    assert!(!results.is_empty());
    for r in &results {
        let loc = &r["locations"][0]["physicalLocation"];
        let uri = loc["artifactLocation"]["uri"].as_str().unwrap_or_default();
        // The absolute path given on the command line is made relative to the repository.
        assert!(
            uri == "topologies/starter.yaml" || uri == "tests/fixtures/broken/unknown-key.yaml",
            "{uri}"
        );
        assert!(loc["region"]["startLine"].as_u64().is_some_and(|l| l >= 1));
    }
    let load = results
        .iter()
        .find(|r| r["ruleId"] == "load/unknown-key")
        .unwrap_or(&Value::Null);
    assert_eq!(
        load["locations"][0]["physicalLocation"]["region"]["startLine"],
        16
    );
    assert_eq!(load["level"], "error");
}

/// The checkers are not rubber stamps: broken SARIF fails them.
#[test]
fn the_validators_reject_broken_sarif() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let good = sarif(dir.path(), "good.sarif", &["topologies/starter.yaml"]);
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&good).unwrap_or_default())
        .unwrap_or(Value::Null);
    let mut mutations: Vec<(&str, Value)> = Vec::new();
    let mut abs = v.clone();
    abs["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] =
        Value::from("file:///etc/topology.yaml");
    mutations.push(("absolute-uri", abs));
    let mut no_help = v.clone();
    if let Some(rule) = no_help["runs"][0]["tool"]["driver"]["rules"]
        .get_mut(0)
        .and_then(Value::as_object_mut)
    {
        rule.remove("help");
    }
    mutations.push(("rule-without-help", no_help));
    let mut line0 = v.clone();
    line0["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        Value::from(0);
    mutations.push(("start-line-0", line0));
    for (name, m) in &mutations {
        let p = dir.path().join(format!("{name}.sarif"));
        std::fs::write(&p, serde_json::to_string_pretty(m).unwrap_or_default())
            .unwrap_or_else(|e| panic!("{e}"));
        let (ok, report) = github_check(&[&p]);
        assert!(!ok, "{name} should fail GitHub's rules:\n{report}");
    }
    if let (Some(schema), Some(cjs)) = (official_schema(), common::validator("check-jsonschema")) {
        let p = dir.path().join("start-line-0.sarif");
        let out = Command::new(cjs)
            .arg("--schemafile")
            .arg(&schema)
            .arg(&p)
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            !out.status.success(),
            "startLine 0 should fail the official schema"
        );
    }
}

/// Every shipped topology with findings accepted every way (inline comment, configuration,
/// baseline): each accepted finding is a result with one suppression, `inSource` for the
/// comment (located at it) and `external` otherwise, with the reason; the logs pass the
/// official schema and GitHub's rules.
#[test]
fn accepted_findings_are_results_with_suppressions() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut logs = Vec::new();
    let mut kinds = std::collections::BTreeSet::new();
    for t in common::topologies() {
        let name = t.file_stem().unwrap().to_string_lossy().into_owned();
        if !has_findings(&t) {
            continue; // a clean reference (coherence-cache.yaml) has nothing to accept
        }
        let fixture = common::with_suppressions(&t);
        let mut args = common::SUPPRESSED_ARGS.to_vec();
        args.push("t.yaml");
        let out = dir.path().join(format!("{name}.sarif"));
        let run = common::maa()
            .current_dir(fixture.path())
            .args(["check", "--format", "sarif", "--output"])
            .arg(&out)
            .args(&args)
            .output()
            .unwrap();
        assert!(matches!(run.status.code(), Some(0 | 1)), "{name}");
        let v: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
        let results = v["runs"][0]["results"].as_array().unwrap();
        let json = common::maa()
            .current_dir(fixture.path())
            .args(["check", "--format", "json"])
            .args(&args)
            .output()
            .unwrap();
        let reported: Value = serde_json::from_slice(&json.stdout).unwrap();
        let reported = reported["diagnostics"].as_array().unwrap().len();
        let accepted: Vec<&Value> = results
            .iter()
            .filter(|r| r.get("suppressions").is_some())
            .collect();
        assert_eq!(results.len() - accepted.len(), reported, "{name}");
        assert!(!accepted.is_empty(), "{name}: nothing accepted");
        for r in accepted {
            let s = r["suppressions"].as_array().unwrap();
            assert_eq!(s.len(), 1, "{name}");
            let kind = s[0]["kind"].as_str().unwrap();
            let why = s[0]["justification"].as_str().unwrap();
            match kind {
                "inSource" => {
                    // The test's own inline suppressions, or one the topology ships with.
                    let shipped = std::fs::read_to_string(&t)
                        .is_ok_and(|text| text.contains(&format!("] {why}\n")));
                    assert!(
                        why == "accepted in the inline test" || shipped,
                        "{name}: {why}"
                    );
                    let line = s[0]["location"]["physicalLocation"]["region"]["startLine"]
                        .as_u64()
                        .unwrap();
                    let text = std::fs::read_to_string(fixture.path().join("t.yaml")).unwrap();
                    let at = text
                        .lines()
                        .nth(usize::try_from(line).unwrap() - 1)
                        .unwrap();
                    assert!(at.contains("# maa: ignore["), "{name}: {at}");
                }
                "external" => assert!(
                    why.starts_with(
                        "accepted in the configuration test (suppress[0] of `maa.yaml`)"
                    ) || why == "accepted by the baseline `baseline.json`",
                    "{name}: {why}"
                ),
                other => panic!("{name}: kind {other}"),
            }
            if why.starts_with("accepted") {
                kinds.insert(why.split(' ').take(4).collect::<Vec<_>>().join(" "));
            }
        }
        logs.push(out);
    }
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        [
            "accepted by the baseline",
            "accepted in the configuration",
            "accepted in the inline"
        ]
    );
    let files: Vec<&Path> = logs.iter().map(PathBuf::as_path).collect();
    let (ok, report) = github_check(&files);
    assert!(ok, "GitHub upload rules:\n{report}");
    if let (Some(schema), Some(cjs)) = (official_schema(), common::validator("check-jsonschema")) {
        let out = Command::new(cjs)
            .arg("--schemafile")
            .arg(&schema)
            .args(&files)
            .output()
            .unwrap_or_else(|e| panic!("check-jsonschema: {e}"));
        assert!(
            out.status.success(),
            "SARIF with suppressions does not validate against the official schema:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// Whether `maa check` reports anything on the topology.
fn has_findings(t: &std::path::Path) -> bool {
    let display = common::rel(t);
    maa::resolve::load_model(t, &display).is_ok_and(|m| !maa::rules::check(&m).is_empty())
}
