//! The shipped reference topologies: each loads, starts with the schema modeline, validates
//! against the committed JSON Schema with the real `check-jsonschema`, and has the findings
//! its role asks for (none at error level for the reference designs, several for the starter).

// Test code: an unwrap/expect that fails is a failed test. clippy.toml allows them only in
// #[test] and #[cfg(test)] code, which an integration test's helper functions are not.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Command;

use maa::diagnostic::Severity;

const MODELINE: &str = "# yaml-language-server: $schema=../schemas/topology.schema.json\n";

/// Topologies that model a recommended MAA design: no error-level finding allowed.
const REFERENCE: &[&str] = &[
    "active-passive-rac.yaml",
    "active-active-goldengate.yaml",
    "stretch-cluster.yaml",
    "aws-fsxn-asg.yaml",
    "database-only-gds.yaml",
    "coherence-cache.yaml",
];

fn findings(name: &str) -> Vec<maa::diagnostic::Diagnostic> {
    let path = common::root().join("topologies").join(name);
    let model =
        maa::resolve::load_model(&path, &format!("topologies/{name}")).unwrap_or_else(|errors| {
            panic!(
                "{name} does not load: {:#?}",
                errors.iter().map(|e| &e.message).collect::<Vec<_>>()
            )
        });
    maa::rules::check(&model)
}

#[test]
fn every_shipped_topology_loads_and_starts_with_the_modeline() {
    let all = common::topologies();
    assert!(
        all.len() >= 7,
        "expected the seven reference topologies, found {all:?}"
    );
    for path in &all {
        let text =
            std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(
            text.starts_with(MODELINE),
            "{} must start with the schema modeline `{}`",
            common::rel(path),
            MODELINE.trim_end()
        );
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let _ = findings(name);
    }
}

#[test]
fn reference_topologies_have_no_error_level_findings() {
    // Errors a reference accepts knowingly (with an inline suppression and its reason): each
    // must still be reported, so the list cannot go stale.
    const ACCEPTED: &[(&str, &str)] = &[(
        // The source's pattern recovers a lost EC2 instance, not a database crash on a
        // running one (issue 19: a database health check or in-place restart is to come).
        "aws-fsxn-asg.yaml",
        "OBJ001",
    )];
    for (name, code) in ACCEPTED {
        assert!(
            findings(name)
                .iter()
                .any(|d| d.code == *code && d.severity == Severity::Error),
            "{name} no longer reports {code}: remove it from ACCEPTED (and its suppression)"
        );
    }
    for name in REFERENCE {
        let errors: Vec<String> = findings(name)
            .into_iter()
            .filter(|d| d.severity == Severity::Error)
            .filter(|d| !ACCEPTED.contains(&(*name, d.code.as_str())))
            .map(|d| format!("{}:{} {} {}", name, d.line_col().0, d.code, d.message))
            .collect();
        assert!(
            errors.is_empty(),
            "{name} should model a recommended design, but has errors:\n{}",
            errors.join("\n")
        );
    }
}

#[test]
fn the_starter_topology_has_several_errors() {
    let found = findings("starter.yaml");
    let errors = found
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    assert!(
        errors >= 1,
        "starter.yaml should have error-level findings, got {found:#?}"
    );
    assert!(
        found.len() >= 2,
        "starter.yaml should have several findings, got {}",
        found.len()
    );
    let codes: std::collections::BTreeSet<&str> = found.iter().map(|d| d.code.as_str()).collect();
    assert!(
        codes.contains("WLS001"),
        "a one-server cluster must be reported: {codes:?}"
    );
}

#[test]
fn maa_init_writes_the_starter_with_a_published_modeline() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let out = dir.path().join("topology.yaml");
    common::maa().arg("init").arg(&out).assert().success();
    let text = std::fs::read_to_string(&out).unwrap_or_default();
    assert!(text.starts_with(&format!(
        "# yaml-language-server: $schema={}\n",
        maa::schema::SCHEMA_URL
    )));
    // The written file is a loadable topology (with findings: it is the weak starter).
    common::maa().arg("check").arg(&out).assert().code(1);
    // A second init refuses to overwrite.
    common::maa().arg("init").arg(&out).assert().code(2);
}

#[test]
fn the_committed_schema_is_current() {
    let committed =
        std::fs::read_to_string(common::root().join(maa::schema::SCHEMA_PATH)).unwrap_or_default();
    assert!(
        committed == maa::schema::topology_schema_text(),
        "schemas/topology.schema.json is stale: run `cargo run -q -- schema > schemas/topology.schema.json` and commit it"
    );
    // `maa schema` prints the same text.
    let out = common::maa()
        .arg("schema")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(String::from_utf8_lossy(&out), committed);
}

#[test]
fn shipped_topologies_validate_against_the_schema_with_check_jsonschema() {
    let Some(cjs) = common::validator("check-jsonschema") else {
        return;
    };
    let schema = common::root().join(maa::schema::SCHEMA_PATH);
    let meta = Command::new(&cjs)
        .arg("--check-metaschema")
        .arg(&schema)
        .output()
        .unwrap_or_else(|e| panic!("check-jsonschema: {e}"));
    assert!(
        meta.status.success(),
        "the schema is not a valid draft-07 schema:\n{}",
        String::from_utf8_lossy(&meta.stdout)
    );
    let mut cmd = Command::new(&cjs);
    cmd.arg("--schemafile").arg(&schema);
    for t in common::topologies() {
        cmd.arg(t);
    }
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("check-jsonschema: {e}"));
    assert!(
        out.status.success(),
        "check-jsonschema rejects a shipped topology:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // The validator is not a rubber stamp: a topology with an unknown key fails it.
    let broken = common::root().join("tests/fixtures/broken/unknown-key.yaml");
    let out = Command::new(&cjs)
        .arg("--schemafile")
        .arg(&schema)
        .arg(&broken)
        .output()
        .unwrap_or_else(|e| panic!("check-jsonschema: {e}"));
    assert!(
        !out.status.success(),
        "check-jsonschema should reject {}",
        broken.display()
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("prot"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// The ```yaml blocks of a Markdown file.
fn yaml_blocks(markdown: &str) -> Vec<String> {
    markdown
        .split("```yaml\n")
        .skip(1)
        .filter_map(|rest| rest.split("```").next().map(str::to_owned))
        .collect()
}

#[test]
fn the_readme_example_is_a_clean_topology() {
    let readme = std::fs::read_to_string(common::root().join("README.md")).unwrap_or_default();
    let example = yaml_blocks(&readme)
        .into_iter()
        .find(|b| b.contains("\nversion: 1\n"))
        .unwrap_or_default();
    let loaded = maa::load::load_str("README.md", example).unwrap_or_else(|e| {
        panic!(
            "README example: {:#?}",
            e.iter().map(|d| &d.message).collect::<Vec<_>>()
        )
    });
    let model = maa::resolve::resolve(loaded).unwrap_or_else(|e| {
        panic!(
            "README example: {:#?}",
            e.iter().map(|d| &d.message).collect::<Vec<_>>()
        )
    });
    let findings: Vec<String> = maa::rules::check(&model)
        .into_iter()
        .filter(|d| d.severity != Severity::Info)
        .map(|d| format!("{} {}", d.code, d.message))
        .collect();
    assert!(
        findings.is_empty(),
        "the README example should be exemplary: {findings:#?}"
    );
}

/// Every fragment of docs/topology-format.md uses the real keys and values: merged into one
/// document, they pass schema validation (references between fragments are not resolved).
#[test]
fn the_format_reference_examples_match_the_schema() {
    let doc =
        std::fs::read_to_string(common::root().join("docs/topology-format.md")).unwrap_or_default();
    let mut merged = serde_json::Map::new();
    for block in yaml_blocks(&doc) {
        let value: serde_json::Value =
            serde_saphyr::from_str(&block).unwrap_or_else(|e| panic!("{e}\n{block}"));
        if let serde_json::Value::Object(map) = value {
            merged.extend(map);
        }
    }
    assert!(
        merged.len() >= 20,
        "expected a fragment per section, got {:?}",
        merged.keys().collect::<Vec<_>>()
    );
    let text = serde_json::to_string_pretty(&serde_json::Value::Object(merged)).unwrap_or_default();
    if let Err(errors) = maa::load::load_str("topology-format.md", text) {
        panic!(
            "docs/topology-format.md examples do not match the schema: {:#?}",
            errors
                .iter()
                .map(|d| format!("{} {}", d.code, d.message))
                .collect::<Vec<_>>()
        );
    }
}
