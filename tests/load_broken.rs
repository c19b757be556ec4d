//! Broken and hostile inputs: each gives exit 2 and a diagnostic that names the line.
//! Human output (fixed style: no colour, unicode, 100 columns) is snapshotted; the JSON
//! output is checked field by field.

// Test code: an unwrap/expect that fails is a failed test. clippy.toml allows them only in
// #[test] and #[cfg(test)] code, which an integration test's helper functions are not.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use serde_json::Value;

/// Runs `maa check --format json` on a fixture; returns the diagnostics (exit 2 asserted).
fn json_errors(fixture: &str) -> Vec<Value> {
    let out = common::maa()
        .args(["check", "--format", "json"])
        .arg(format!("tests/fixtures/broken/{fixture}"))
        .assert()
        .code(2)
        .get_output()
        .stdout
        .clone();
    let v: Value = serde_json::from_slice(&out)
        .unwrap_or_else(|e| panic!("{fixture}: JSON output does not parse: {e}"));
    let diags = v["diagnostics"].as_array().cloned().unwrap_or_default();
    assert!(!diags.is_empty(), "{fixture}: no diagnostics");
    assert_eq!(
        v["summary"]["errors"].as_u64(),
        Some(diags.len() as u64),
        "{fixture}: summary"
    );
    for d in &diags {
        assert_eq!(d["severity"], "error", "{fixture}: {d}");
        assert_eq!(
            d["file"],
            format!("tests/fixtures/broken/{fixture}"),
            "{fixture}: {d}"
        );
        assert!(
            d["line"].as_u64().is_some_and(|l| l >= 1),
            "{fixture}: line {d}"
        );
        assert!(
            d["column"].as_u64().is_some_and(|c| c >= 1),
            "{fixture}: column {d}"
        );
    }
    diags
}

/// The single diagnostic of a fixture: its code, line and message.
fn one(fixture: &str) -> (String, u64, String, String) {
    let diags = json_errors(fixture);
    assert_eq!(
        diags.len(),
        1,
        "{fixture}: expected one diagnostic, got {diags:#?}"
    );
    let d = &diags[0];
    (
        d["code"].as_str().unwrap_or_default().to_owned(),
        d["line"].as_u64().unwrap_or_default(),
        d["message"].as_str().unwrap_or_default().to_owned(),
        d["help"].as_str().unwrap_or_default().to_owned(),
    )
}

/// Human output of a fixture (exit 2 asserted).
fn human(fixture: &str) -> String {
    let out = common::maa()
        .args(["check", "--color", "never"])
        .arg(format!("tests/fixtures/broken/{fixture}"))
        .assert()
        .code(2)
        .get_output()
        .stdout
        .clone();
    String::from_utf8_lossy(&out).into_owned()
}

macro_rules! broken {
    ($test:ident, $fixture:literal, $code:literal, $line:literal, $message:literal, $help:literal) => {
        #[test]
        fn $test() {
            let (code, line, message, help) = one($fixture);
            assert_eq!(code, $code, "{message}");
            assert_eq!(line, $line, "{message}");
            assert!(message.contains($message), "message: {message}");
            assert!(help.contains($help), "help: {help}");
            insta::assert_snapshot!(concat!("broken_", stringify!($test)), human($fixture));
        }
    };
}

broken!(
    unknown_key,
    "unknown-key.yaml",
    "load/unknown-key",
    16,
    "unknown key `prot`",
    "did you mean `port`?"
);
broken!(
    wrong_type,
    "wrong-type.yaml",
    "load/wrong-type",
    12,
    "`port` should be a whole number",
    ""
);
broken!(
    duplicate_key,
    "duplicate-key.yaml",
    "load/duplicate-key",
    9,
    "duplicate key `name`",
    "each key may appear once"
);
broken!(
    duplicate_name,
    "duplicate-name.yaml",
    "load/duplicate-name",
    10,
    "host `app1` is declared twice",
    "unique name"
);
broken!(
    dangling_reference,
    "dangling-reference.yaml",
    "load/unknown-reference",
    17,
    "unknown host `app3`",
    "did you mean `app1`?"
);
broken!(
    unclosed_flow_list,
    "unclosed-flow-list.yaml",
    "load/yaml-syntax",
    8,
    "",
    "unclosed `[`"
);
broken!(
    bad_indentation,
    "bad-indentation.yaml",
    "load/yaml-syntax",
    7,
    "",
    "indented differently"
);
broken!(
    alias_bomb,
    "alias-bomb.yaml",
    "load/limit",
    6,
    "alias",
    "100,000"
);
broken!(
    deep_flow_nesting,
    "deep-flow.yaml",
    "load/limit",
    2,
    "nested more than 32 levels",
    "32 levels"
);
broken!(
    deep_block_nesting,
    "deep-block.yaml",
    "load/limit",
    3,
    "nested more than 32 levels",
    "32 levels"
);
broken!(
    not_utf8,
    "not-utf8.yaml",
    "load/not-utf8",
    2,
    "not valid UTF-8",
    "UTF-8"
);
broken!(
    empty_file,
    "empty.yaml",
    "load/empty",
    1,
    "is empty",
    "maa init"
);
broken!(
    comments_only,
    "comments-only.yaml",
    "load/empty",
    1,
    "is empty",
    "maa init"
);

#[test]
fn missing_file() {
    let out = common::maa()
        .args([
            "check",
            "--format",
            "json",
            "tests/fixtures/broken/no-such-file.yaml",
        ])
        .assert()
        .code(2);
    let v: Value = serde_json::from_slice(&out.get_output().stdout).unwrap_or(Value::Null);
    assert_eq!(v["diagnostics"][0]["code"], "load/io");
    assert!(
        v["diagnostics"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("no-such-file.yaml")
    );
    let text = String::from_utf8_lossy(
        &common::maa()
            .args([
                "check",
                "--color",
                "never",
                "tests/fixtures/broken/no-such-file.yaml",
            ])
            .assert()
            .code(2)
            .get_output()
            .stdout,
    )
    .into_owned();
    insta::assert_snapshot!(
        "broken_missing_file",
        text.replace("(os error 2)", "(os error)")
    );
}

#[test]
fn every_error_of_a_file_is_reported_in_one_run() {
    let diags = json_errors("multiple-errors.yaml");
    let got: Vec<(String, u64)> = diags
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_owned(),
                d["line"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("load/invalid-value".to_owned(), 3),
            ("load/unknown-key".to_owned(), 8),
            ("load/wrong-type".to_owned(), 10),
            ("load/missing-field".to_owned(), 12),
        ]
    );
    assert!(
        diags[0]["help"]
            .as_str()
            .unwrap_or_default()
            .contains("did you mean `single-site`?")
    );
    assert!(
        diags[1]["help"]
            .as_str()
            .unwrap_or_default()
            .contains("did you mean `address`?")
    );
    assert_eq!(diags[2]["help"], "write the number without quotes: `7777`");
    insta::assert_snapshot!("broken_multiple_errors", human("multiple-errors.yaml"));
}

#[test]
fn errors_in_several_files_are_all_reported() {
    let out = common::maa()
        .args([
            "check",
            "--format",
            "json",
            "tests/fixtures/broken/unknown-key.yaml",
            "tests/fixtures/broken/dangling-reference.yaml",
        ])
        .assert()
        .code(2)
        .get_output()
        .stdout
        .clone();
    let v: Value = serde_json::from_slice(&out).unwrap_or(Value::Null);
    let files: Vec<&str> = v["diagnostics"]
        .as_array()
        .map(|a| a.iter().filter_map(|d| d["file"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        files,
        [
            "tests/fixtures/broken/dangling-reference.yaml",
            "tests/fixtures/broken/unknown-key.yaml"
        ]
    );
    assert_eq!(v["summary"]["files"], 2);
}

/// The library refuses hostile input without a process boundary too (and without panicking).
#[test]
fn hostile_inputs_are_refused_by_the_library() {
    let flow = format!(
        "version: 1\nsites: {}{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let block = format!("version: 1\nsites:\n{}x\n", "- ".repeat(100_000));
    let deep_map = format!(
        "version: 1\nsites:\n{}",
        (0..100_000)
            .map(|i| format!("{}k{i}:\n", " ".repeat(i % 200)))
            .collect::<String>()
    );
    for (what, text) in [("flow", flow), ("block", block)] {
        let errors = maa::load::load_str("hostile.yaml", text)
            .err()
            .unwrap_or_default();
        assert_eq!(
            errors.first().map(|e| e.code.as_str()),
            Some("load/limit"),
            "{what}: {:?}",
            errors.first().map(|e| &e.message)
        );
    }
    // Deep block mappings are either refused by the limit or rejected as malformed: never a crash.
    let errors = maa::load::load_str("hostile.yaml", deep_map)
        .err()
        .unwrap_or_default();
    assert!(!errors.is_empty());
}
