//! Rule identity and documentation: unique stable codes and names, complete docs citing a
//! source, generated pages in `docs/rules/` up to date, and every rule in the intent table.

// Test code: an unwrap/expect that fails is a failed test. clippy.toml allows them only in
// #[test] and #[cfg(test)] code, which an integration test's helper functions are not.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;

use maa::report::docs::markdown_pages;

#[test]
fn codes_and_names_are_unique_and_well_formed() {
    let code_re =
        regex::Regex::new(r"^(FE|WLS|COH|DB|GG|GDS|CLI|CMAN|AWS|SPOF|OBJ|MAA)[0-9]{3}$").unwrap();
    let name_re = regex::Regex::new(r"^[a-z0-9]+(-[a-z0-9]+)*$").unwrap();
    let mut seen = BTreeSet::new();
    for r in maa::rules::all() {
        let d = r.doc();
        assert!(code_re.is_match(&d.code), "bad code {}", d.code);
        assert!(name_re.is_match(&d.name), "bad name {}", d.name);
        for id in std::iter::once(&d.code)
            .chain(std::iter::once(&d.name))
            .chain(d.aliases.iter())
        {
            assert!(seen.insert(id.to_ascii_lowercase()), "{id} is used twice");
        }
        for (field, text) in [
            ("summary", &d.summary),
            ("what", &d.what),
            ("why", &d.why),
            ("source", &d.source),
            ("example", &d.example),
            ("fix", &d.fix),
        ] {
            assert!(!text.trim().is_empty(), "{}: empty {field}", d.code);
        }
        assert!(
            !r.source().contains("FILL IN"),
            "{}: rules/{}.yaml still has a FILL IN placeholder of scripts/new-rule",
            d.code,
            d.code
        );
        assert!(
            d.source.starts_with('[') || d.source.starts_with("maa extension"),
            "{}: the source must cite a source of docs/sources.md (or say `maa extension`): {}",
            d.code,
            d.source
        );
        assert!(
            maa::rules::find(&d.code).is_some() && maa::rules::find(&d.name).is_some(),
            "{} not found by code or name",
            d.code
        );
        let file = common::root()
            .join("rules")
            .join(format!("{}.yaml", d.code));
        assert!(file.is_file(), "{} has no rules/{}.yaml", d.code, d.code);
    }
}

#[test]
fn generated_rule_pages_are_up_to_date() {
    let dir = common::root().join("docs/rules");
    let pages = markdown_pages();
    let mut stale = Vec::new();
    for (name, text) in &pages {
        if std::fs::read_to_string(dir.join(name)).ok().as_deref() != Some(text.as_str()) {
            stale.push(name.clone());
        }
    }
    let expected: BTreeSet<&str> = pages.iter().map(|(n, _)| n.as_str()).collect();
    for e in std::fs::read_dir(&dir).unwrap().filter_map(Result::ok) {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.ends_with(".md") && !expected.contains(name.as_str()) {
            stale.push(format!("{name} (no such rule)"));
        }
    }
    assert!(
        stale.is_empty(),
        "docs/rules is stale ({stale:?}); run `cargo run -- rules --format markdown --out docs/rules`"
    );
}

#[test]
fn every_rule_is_in_the_intent_table() {
    let text = std::fs::read_to_string(common::root().join("docs/rule-intents.md")).unwrap();
    let missing: Vec<String> = maa::rules::all()
        .iter()
        .map(|r| r.doc().code.clone())
        .filter(|c| !text.contains(c.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/rule-intents.md does not map {missing:?}"
    );
    let code_re =
        regex::Regex::new(r"\b(FE|WLS|COH|DB|GG|GDS|CLI|CMAN|AWS|SPOF|OBJ)[0-9]{3}\b").unwrap();
    let unknown: BTreeSet<&str> = code_re
        .find_iter(&text)
        .map(|m| m.as_str())
        .filter(|c| maa::rules::find(c).is_none())
        .collect();
    assert!(
        unknown.is_empty(),
        "docs/rule-intents.md names rules that do not exist: {unknown:?}"
    );
}

#[test]
fn config_schema_is_up_to_date() {
    let committed =
        std::fs::read_to_string(common::root().join(maa::config::SCHEMA_PATH)).unwrap_or_default();
    assert_eq!(
        committed,
        maa::config::schema_text(),
        "run `cargo run -- schema --config > {}`",
        maa::config::SCHEMA_PATH
    );
}

#[test]
fn configuration_doc_example_is_valid() {
    let text = std::fs::read_to_string(common::root().join("docs/configuration.md")).unwrap();
    let example = text
        .split("```yaml\n")
        .nth(1)
        .and_then(|s| s.split("```").next())
        .unwrap();
    let cfg = maa::config::Config::parse(
        "docs/configuration.md".into(),
        example.to_owned(),
        common::root(),
    );
    assert!(cfg.is_ok(), "{:?}", cfg.err());
}

#[test]
fn rules_json_lists_every_rule_and_explain_accepts_code_or_name() {
    let out = assert_cmd::Command::cargo_bin("maa")
        .unwrap()
        .args(["rules", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let list = v.as_array().unwrap();
    assert_eq!(list.len(), maa::rules::catalogue().count());
    for r in list {
        for field in [
            "code", "name", "severity", "summary", "what", "why", "source", "example", "fix",
        ] {
            assert!(
                r[field].as_str().is_some_and(|s| !s.is_empty()),
                "{field} missing in {r}"
            );
        }
    }
    let by_code = assert_cmd::Command::cargo_bin("maa")
        .unwrap()
        .args(["explain", "WLS010"])
        .output()
        .unwrap();
    let by_name = assert_cmd::Command::cargo_bin("maa")
        .unwrap()
        .args(["explain", "fencing-shorter-than-role-change"])
        .output()
        .unwrap();
    assert_eq!(by_code.status.code(), Some(0));
    assert_eq!(by_code.stdout, by_name.stdout);
    assert!(String::from_utf8_lossy(&by_code.stdout).contains(
        "[WLS-MAA] Common Design Considerations for High Availability and Disaster Recovery, section \"Leasing\""
    ));
    assert_cmd::Command::cargo_bin("maa")
        .unwrap()
        .args(["explain", "unused-suppression"])
        .assert()
        .code(0);
    assert_cmd::Command::cargo_bin("maa")
        .unwrap()
        .args(["explain", "WLS999"])
        .assert()
        .code(2);
}
