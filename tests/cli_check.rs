//! `maa check` as a user runs it: exit codes, `--fail-on`, `--output`, directory expansion
//! and the output formats.

// Test code: an unwrap/expect that fails is a failed test. clippy.toml allows them only in
// #[test] and #[cfg(test)] code, which an integration test's helper functions are not.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use serde_json::Value;

const STARTER: &str = "topologies/starter.yaml";
const REFERENCE: &str = "topologies/active-passive-rac.yaml";

fn json(args: &[&str], code: i32) -> Value {
    let out = common::maa()
        .arg("check")
        .args(["--format", "json"])
        .args(args)
        .assert()
        .code(code)
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out)
        .unwrap_or_else(|e| panic!("JSON output of {args:?} does not parse: {e}"))
}

fn severities(v: &Value) -> Vec<String> {
    v["diagnostics"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|d| d["severity"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn exit_codes_follow_the_fail_on_threshold() {
    // The starter has errors: exit 1 by default and for every threshold but `never`.
    common::maa().args(["check", STARTER]).assert().code(1);
    for level in ["error", "warning", "info"] {
        common::maa()
            .args(["check", "--fail-on", level, STARTER])
            .assert()
            .code(1);
    }
    common::maa()
        .args(["check", "--fail-on", "never", STARTER])
        .assert()
        .code(0);

    // A reference topology has no errors: exit 0 at the default threshold; at `warning`
    // and `info` the exit code follows what it actually reports.
    let v = json(&["--fail-on", "never", REFERENCE], 0);
    let sev = severities(&v);
    assert!(!sev.iter().any(|s| s == "error"), "{sev:?}");
    common::maa().args(["check", REFERENCE]).assert().code(0);
    let expect = |at: &[&str]| {
        if sev.iter().any(|s| at.contains(&s.as_str())) {
            1
        } else {
            0
        }
    };
    common::maa()
        .args(["check", "--fail-on", "warning", REFERENCE])
        .assert()
        .code(expect(&["warning"]));
    common::maa()
        .args(["check", "--fail-on", "info", REFERENCE])
        .assert()
        .code(expect(&["warning", "info"]));
}

#[test]
fn load_errors_exit_2_whatever_the_threshold() {
    for level in ["error", "warning", "info", "never"] {
        common::maa()
            .args([
                "check",
                "--fail-on",
                level,
                "tests/fixtures/broken/unknown-key.yaml",
            ])
            .assert()
            .code(2);
    }
    // A broken file among good ones: everything is reported, exit 2.
    let v = json(&[STARTER, "tests/fixtures/broken/unknown-key.yaml"], 2);
    assert_eq!(v["summary"]["files"], 2);
    let codes: Vec<&str> = v["diagnostics"]
        .as_array()
        .map(|a| a.iter().filter_map(|d| d["code"].as_str()).collect())
        .unwrap_or_default();
    assert!(
        codes.contains(&"load/unknown-key") && codes.contains(&"WLS001"),
        "{codes:?}"
    );
}

#[test]
fn usage_errors_exit_2() {
    common::maa().arg("check").assert().code(2);
    common::maa()
        .args(["check", "--format", "xml", STARTER])
        .assert()
        .code(2);
    common::maa()
        .args(["check", "--fail-on", "sometimes", STARTER])
        .assert()
        .code(2);
    common::maa()
        .args(["check", "--no-such-flag", STARTER])
        .assert()
        .code(2);
    common::maa().arg("--version").assert().code(0);
    common::maa().args(["check", "--help"]).assert().code(0);
}

#[test]
fn directories_expand_to_their_yaml_files_sorted() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let starter = std::fs::read_to_string(common::root().join(STARTER)).unwrap_or_default();
    for (name, text) in [
        ("b.yaml", starter.as_str()),
        ("a.yml", starter.as_str()),
        ("sub/c.yaml", starter.as_str()),
        (".hidden/d.yaml", "not: a topology"),
        ("notes.txt", "not yaml"),
        (".pre-commit-config.yaml", "repos: []"),
    ] {
        let p = dir.path().join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
        }
        std::fs::write(&p, text).unwrap_or_else(|e| panic!("{e}"));
    }
    let d = dir.path().to_string_lossy().into_owned();
    let v = json(&["--fail-on", "never", &d], 0);
    assert_eq!(v["summary"]["files"], 3);
    let mut files: Vec<String> = v["diagnostics"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x["file"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    files.dedup();
    let rel: Vec<String> = files
        .iter()
        .map(|f| f.trim_start_matches(&d).trim_start_matches('/').to_owned())
        .collect();
    assert_eq!(rel, ["a.yml", "b.yaml", "sub/c.yaml"]);

    // The shipped directory: every topology, in name order.
    let v = json(&["--fail-on", "never", "topologies"], 0);
    assert_eq!(
        v["summary"]["files"].as_u64(),
        Some(common::topologies().len() as u64)
    );

    // An empty directory is a usage error.
    let empty = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    common::maa()
        .arg("check")
        .arg(empty.path())
        .assert()
        .code(2);
}

#[test]
fn output_file_is_written_atomically_and_stdout_stays_empty() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let report = dir.path().join("report.json");
    std::fs::write(&report, "old content").unwrap_or_else(|e| panic!("{e}"));
    let out = common::maa()
        .args(["check", "--format", "json", "--output"])
        .arg(&report)
        .arg(STARTER)
        .assert()
        .code(1);
    assert!(
        out.get_output().stdout.is_empty(),
        "stdout should be empty with --output"
    );
    let text = std::fs::read_to_string(&report).unwrap_or_default();
    let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("report.json: {e}"));
    assert_eq!(v["version"], 1);
    // Only the report is left in the directory: no temporary file behind.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(names, ["report.json"]);
    // Same bytes as stdout would have had.
    let stdout = common::maa()
        .args(["check", "--format", "json", STARTER])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    assert_eq!(stdout, text.as_bytes());
    // An unwritable destination is exit 2.
    common::maa()
        .args(["check", "--output"])
        .arg(dir.path().join("no/such/dir/r.txt"))
        .arg(STARTER)
        .assert()
        .code(2);
}

#[test]
fn output_is_deterministic() {
    for format in ["human", "json", "sarif", "github"] {
        let run = || {
            common::maa()
                .args(["check", "--format", format, "topologies"])
                .assert()
                .code(1)
                .get_output()
                .stdout
                .clone()
        };
        assert_eq!(run(), run(), "{format} output differs between runs");
    }
}

/// `--output` writes a new report `rw-r--r--` and keeps the permissions of a report it
/// replaces (the atomic write goes through a `rw-------` temporary file).
#[cfg(unix)]
#[test]
fn output_file_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let report = dir.path().join("report.sarif");
    let write = || {
        common::maa()
            .args(["check", "--format", "sarif", "--output"])
            .arg(&report)
            .arg(STARTER)
            .assert()
            .code(1);
    };
    let mode = || {
        std::fs::metadata(&report)
            .map(|m| m.permissions().mode() & 0o777)
            .unwrap_or_else(|e| panic!("report: {e}"))
    };
    write();
    assert_eq!(mode(), 0o644);
    std::fs::set_permissions(&report, std::fs::Permissions::from_mode(0o640))
        .unwrap_or_else(|e| panic!("chmod: {e}"));
    write();
    assert_eq!(mode(), 0o640);
}

fn codes(v: &Value) -> std::collections::BTreeSet<String> {
    v["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["code"].as_str().map(str::to_owned))
        .collect()
}

/// `--select` / `--ignore` on the command line: prefixes, names, codes; `--ignore` wins;
/// an unknown selector is exit 2 with a did-you-mean.
#[test]
fn select_and_ignore_on_the_command_line() {
    let all = codes(&json(&["--fail-on", "never", STARTER], 0));
    assert!(all.iter().any(|c| c.starts_with("WLS")) && all.iter().any(|c| !c.starts_with("WLS")));
    let wls = codes(&json(
        &["--fail-on", "never", "--select", "WLS", STARTER],
        0,
    ));
    let expected: std::collections::BTreeSet<String> = all
        .iter()
        .filter(|c| c.starts_with("WLS"))
        .cloned()
        .collect();
    assert_eq!(wls, expected);
    // A code outside the WLS prefix, so that ignoring it by code is tested on its own.
    let some = all
        .iter()
        .find(|c| !c.starts_with("WLS"))
        .cloned()
        .unwrap_or_default();
    let ignored = codes(&json(
        &[
            "--fail-on",
            "never",
            "--select",
            "ALL",
            "--ignore",
            &format!("WLS,{some}"),
            STARTER,
        ],
        0,
    ));
    let expected: std::collections::BTreeSet<String> = all
        .iter()
        .filter(|c| !c.starts_with("WLS") && **c != some)
        .cloned()
        .collect();
    assert_eq!(ignored, expected);
    let by_name = codes(&json(
        &[
            "--fail-on",
            "never",
            "--select",
            "cluster-too-few-servers",
            STARTER,
        ],
        0,
    ));
    assert_eq!(by_name, ["WLS001".to_owned()].into_iter().collect());
    for (flag, typo, hint) in [
        ("--select", "WSL001", "did you mean `WLS001`?"),
        (
            "--ignore",
            "cluster-single-hots",
            "did you mean `cluster-single-host`?",
        ),
    ] {
        let out = common::maa()
            .args(["check", flag, typo, STARTER])
            .assert()
            .code(2)
            .get_output()
            .stderr
            .clone();
        let err = String::from_utf8_lossy(&out);
        assert!(err.contains(hint), "{flag} {typo}: {err}");
    }
}

/// Files are checked in parallel: a directory run reports exactly the findings of checking
/// each file on its own, in the same order.
#[test]
fn a_directory_run_equals_the_files_checked_one_by_one() {
    let all = json(&["--fail-on", "never", "topologies"], 0);
    let mut files: Vec<_> = std::fs::read_dir("topologies")
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    assert!(files.len() >= 5, "expected the shipped topologies");
    let mut one_by_one = Vec::new();
    for f in &files {
        let path = f.to_string_lossy().into_owned();
        let v = json(&["--fail-on", "never", &path], 0);
        one_by_one.extend(v["diagnostics"].as_array().cloned().unwrap_or_default());
    }
    assert_eq!(all["diagnostics"].as_array(), Some(&one_by_one));
}

#[test]
fn json_output_of_the_starter_topology() {
    let v = json(&[STARTER], 1);
    let mut redacted = v.clone();
    redacted["tool"]["version"] = Value::from("[version]");
    insta::assert_json_snapshot!("cli_check_starter_json", redacted);
    // Shape documented in docs/json-output.md.
    assert_eq!(v["tool"]["name"], "maa");
    assert_eq!(v["tool"]["version"], env!("CARGO_PKG_VERSION"));
    for d in v["diagnostics"].as_array().into_iter().flatten() {
        for key in [
            "code",
            "name",
            "severity",
            "message",
            "file",
            "line",
            "column",
            "end_line",
            "end_column",
            "offset",
            "length",
            "object",
            "labels",
        ] {
            assert!(d.get(key).is_some(), "diagnostic lacks `{key}`: {d}");
        }
        if !d["code"].as_str().unwrap_or_default().starts_with("load/") {
            assert!(
                d["url"].as_str().is_some_and(|u| u.starts_with("https://")),
                "{d}"
            );
        }
    }
}

#[test]
fn github_format_is_one_workflow_command_per_finding() {
    let out = common::maa()
        .args(["check", "--format", "github", STARTER])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8_lossy(&out);
    let v = json(&[STARTER], 1);
    let n = v["diagnostics"].as_array().map_or(0, Vec::len);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), n, "{text}");
    for l in lines {
        assert!(
            l.starts_with("::error file=topologies/starter.yaml,line=")
                || l.starts_with("::warning file=topologies/starter.yaml,line=")
                || l.starts_with("::notice file=topologies/starter.yaml,line="),
            "{l}"
        );
        assert!(l.contains(",endLine=") && l.contains(",title="), "{l}");
    }
}

#[test]
fn human_output_names_the_file_line_and_rule() {
    let out = common::maa()
        .args(["check", "--color", "never", STARTER])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8_lossy(&out);
    assert!(text.contains("WLS001(cluster-too-few-servers)"), "{text}");
    assert!(text.contains("╭─[topologies/starter.yaml:"), "{text}");
    assert!(
        text.lines()
            .last()
            .is_some_and(|l| l.starts_with("1 file checked: ")),
        "{text}"
    );
    assert!(!text.contains('\u{1b}'), "--color never must not colour");
}

#[test]
fn render_list_needs_no_topology() {
    let out = common::maa().args(["render", "--list"]).assert().code(0);
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    for target in [
        "tnsnames",
        "wlst",
        "ohs",
        "dgmgrl",
        "srvctl",
        "cloudformation",
        "plan",
    ] {
        assert!(
            text.lines().any(|l| l.starts_with(target)),
            "`render --list` lacks {target}:\n{text}"
        );
    }
    // Without --list, the topology is still required (usage error, exit 2).
    common::maa()
        .args(["render", "--target", "tnsnames"])
        .assert()
        .code(2);
}
