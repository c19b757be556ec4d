//! The GitHub Action (`action.yml`) and the example workflow of docs/ci.md.
//!
//! Three independent checks: the Actions metadata schema (`check-jsonschema --builtin-schema
//! vendor.github-actions`, and `vendor.github-workflows` for the example), zizmor's security
//! audits (template injection, unpinned actions, environment-file writes, credentials), and
//! running the action's own shell steps here, with the environment GitHub gives them, against
//! the shipped topologies: what the scripts do is tested, not only their shape.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn action() -> Value {
    let text = std::fs::read_to_string(common::root().join("action.yml")).unwrap();
    serde_saphyr::from_str(&text).unwrap()
}

/// The workflow of docs/ci.md (the fenced block under `# .github/workflows/maa.yml`), with
/// its `<commit-sha>` placeholder replaced by a commit-shaped value, written to `dir`.
fn example_workflow(dir: &Path) -> PathBuf {
    let doc = std::fs::read_to_string(common::root().join("docs/ci.md")).unwrap();
    let start = doc
        .find("```yaml\n# .github/workflows/maa.yml\n")
        .expect("docs/ci.md has the example workflow");
    let body = &doc[start + "```yaml\n".len()..];
    let body = &body[..body.find("```").unwrap()];
    assert!(
        body.contains("maa-tool/maa@<commit-sha>"),
        "the example uses the action"
    );
    let body = body.replace("<commit-sha>", &"0123456789abcdef".repeat(3)[..40]);
    let path = dir.join("maa.yml");
    std::fs::write(&path, body).unwrap();
    path
}

fn run_ok(cmd: &mut Command, what: &str) {
    let out = cmd.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        out.status.success(),
        "{what} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn action_and_example_match_the_actions_schemas() {
    let Some(cjs) = common::validator("check-jsonschema") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    run_ok(
        Command::new(&cjs)
            .args(["--builtin-schema", "vendor.github-actions"])
            .arg(common::root().join("action.yml")),
        "check-jsonschema vendor.github-actions action.yml",
    );
    run_ok(
        Command::new(&cjs)
            .args(["--builtin-schema", "vendor.github-workflows"])
            .arg(example_workflow(dir.path())),
        "check-jsonschema vendor.github-workflows (docs/ci.md example)",
    );
}

#[test]
fn action_and_example_pass_zizmor() {
    let Some(zizmor) = common::validator("zizmor") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let example = example_workflow(dir.path());
    run_ok(
        Command::new(&zizmor)
            .args(["--offline", "--no-progress", "--persona", "pedantic"])
            .arg(common::root().join("action.yml"))
            .arg(&example),
        "zizmor --persona pedantic",
    );
}

/// No `${{ }}` expression inside a script: inputs reach the shell only through `env:`, and
/// every input an expression names is declared.
#[test]
fn scripts_take_inputs_only_from_the_environment() {
    let action = action();
    let declared: Vec<&str> = action["inputs"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let text = std::fs::read_to_string(common::root().join("action.yml")).unwrap();
    for (at, _) in text.match_indices("inputs.") {
        let name: String = text[at + "inputs.".len()..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        assert!(
            declared.contains(&name.as_str()),
            "undeclared input `{name}`"
        );
    }
    for step in action["runs"]["steps"].as_array().unwrap() {
        if let Some(script) = step["run"].as_str() {
            assert!(!script.contains("${{"), "expression in a script: {script}");
        }
    }
}

/// Runs the action's shell steps (all but the install step and the upload, which need a
/// runner) as GitHub would: `bash -e {0}` semantics, inputs through `env:`, `$GITHUB_OUTPUT`.
struct Runner {
    inputs: BTreeMap<String, String>,
    work: tempfile::TempDir,
}

impl Runner {
    fn new(overrides: &[(&str, &str)]) -> Self {
        let mut inputs = BTreeMap::new();
        for (name, spec) in action()["inputs"].as_object().unwrap() {
            let default = spec["default"].as_str().unwrap_or_default();
            inputs.insert(name.clone(), default.to_owned());
        }
        inputs.insert("install".into(), "false".into());
        inputs.insert("upload-sarif".into(), "false".into());
        for (k, v) in overrides {
            assert!(inputs.contains_key(*k), "no input {k}");
            inputs.insert((*k).into(), (*v).into());
        }
        let work = tempfile::tempdir().unwrap();
        Runner { inputs, work }
    }

    fn expand(&self, value: &str) -> String {
        let v = value.trim();
        match v
            .strip_prefix("${{ inputs.")
            .and_then(|r| r.strip_suffix(" }}"))
        {
            Some(name) => self.inputs[name].clone(),
            None => v.to_owned(),
        }
    }

    fn step(&self, id: &str) -> Output {
        let action = action();
        let step = action["runs"]["steps"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"].as_str() == Some(id))
            .unwrap_or_else(|| panic!("no step {id}"));
        let maa_dir = assert_cmd::cargo::cargo_bin("maa")
            .parent()
            .unwrap()
            .to_path_buf();
        let path = std::env::join_paths(
            std::iter::once(maa_dir)
                .chain(std::env::split_paths(&std::env::var_os("PATH").unwrap())),
        )
        .unwrap();
        let mut cmd = Command::new("bash");
        cmd.args(["--noprofile", "--norc", "-e", "-c"])
            .arg(step["run"].as_str().unwrap())
            .current_dir(common::root())
            .env("PATH", path)
            .env("NO_COLOR", "1")
            .env("GITHUB_OUTPUT", self.work.path().join("output"))
            .env("RUNNER_TEMP", self.work.path());
        if let Some(env) = step["env"].as_object() {
            for (k, v) in env {
                cmd.env(k, self.expand(v.as_str().unwrap()));
            }
        }
        cmd.output().unwrap()
    }

    fn output(&self) -> String {
        std::fs::read_to_string(self.work.path().join("output")).unwrap_or_default()
    }
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn the_steps_write_sarif_annotate_and_gate() {
    let sarif = tempfile::tempdir().unwrap();
    let file = sarif.path().join("maa.sarif");
    let runner = Runner::new(&[
        (
            "paths",
            "topologies/starter.yaml\n  topologies/stretch-cluster.yaml",
        ),
        ("sarif-file", file.to_str().unwrap()),
    ]);
    let out = runner.step("Write SARIF");
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        runner
            .output()
            .contains(&format!("sarif-file={}", file.display())),
        "{}",
        runner.output()
    );
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let uris: Vec<&str> = report["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str())
        .collect();
    assert!(uris.contains(&"topologies/starter.yaml"), "{uris:?}");

    // The starter has errors: the gate fails with annotations on the log.
    let gate = runner.step("Annotate and gate");
    assert_eq!(gate.status.code(), Some(1), "{}", text(&gate));
    assert!(
        String::from_utf8_lossy(&gate.stdout).contains("::error file=topologies/starter.yaml"),
        "{}",
        text(&gate)
    );

    let lenient = Runner::new(&[("paths", "topologies/starter.yaml"), ("fail-on", "never")]);
    let gate = lenient.step("Annotate and gate");
    assert!(gate.status.success(), "{}", text(&gate));
}

#[test]
fn a_topology_that_does_not_load_fails_before_upload() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("maa.sarif");
    let runner = Runner::new(&[
        ("paths", "tests/fixtures/broken/unknown-key.yaml"),
        ("sarif-file", file.to_str().unwrap()),
    ]);
    let out = runner.step("Write SARIF");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    // The step fails (so the upload step does not run) and sets no output.
    assert!(!runner.output().contains("sarif-file="));
}

#[test]
fn configuration_and_baseline_inputs_reach_maa() {
    let runner = Runner::new(&[
        ("paths", "topologies/starter.yaml"),
        ("config", "tests/no-such-maa.yaml"),
    ]);
    let out = runner.step("Annotate and gate");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("no-such-maa.yaml"), "{}", text(&out));

    let runner = Runner::new(&[
        ("paths", "topologies/starter.yaml"),
        ("baseline", "tests/no-such-baseline.json"),
    ]);
    let out = runner.step("Annotate and gate");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("no-such-baseline.json"),
        "{}",
        text(&out)
    );
}

#[test]
fn scripts_pass_shellcheck() {
    let Some(shellcheck) = common::validator("shellcheck") else {
        return;
    };
    for step in action()["runs"]["steps"].as_array().unwrap() {
        let Some(script) = step["run"].as_str() else {
            continue;
        };
        let mut child = Command::new(&shellcheck)
            .args(["--shell=bash", "-"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        std::io::Write::write_all(&mut child.stdin.take().unwrap(), script.as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "shellcheck, step {}:\n{}",
            step["name"],
            String::from_utf8_lossy(&out.stdout)
        );
    }
}
