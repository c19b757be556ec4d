//! Shared helpers for integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The repository root.
pub(crate) fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared` next to the repository (absent in a user's clone).
pub(crate) fn shared() -> Option<PathBuf> {
    let p = root().join("..").join("shared");
    p.is_dir().then_some(p)
}

/// Whether `scripts/test.sh` asked for every validator to be present.
pub(crate) fn validators_required() -> bool {
    std::env::var_os("MAA_REQUIRE_VALIDATORS").is_some_and(|v| v == "1")
}

/// Finds a third-party validator: `.venv/bin/<name>` first, then `PATH`.
/// When absent: fails the test under `MAA_REQUIRE_VALIDATORS=1` (CI, `scripts/test.sh`),
/// otherwise prints why the check is skipped and returns `None`.
pub(crate) fn validator(name: &str) -> Option<PathBuf> {
    let venv = root().join(".venv").join("bin").join(name);
    if venv.is_file() {
        return Some(venv);
    }
    if let Some(paths) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&paths) {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    assert!(
        !validators_required(),
        "validator `{name}` is not installed; scripts/test.sh installs it (MAA_REQUIRE_VALIDATORS=1 is set)"
    );
    eprintln!(
        "SKIPPED: validator `{name}` is not installed; run scripts/test.sh to install the validators"
    );
    None
}

/// The Python interpreter of the test venv (with oracledb, moto, botocore), if present.
pub(crate) fn venv_python() -> Option<PathBuf> {
    validator("python")
}

/// A `maa` command.
pub(crate) fn maa() -> assert_cmd::Command {
    let mut cmd =
        assert_cmd::Command::cargo_bin("maa").unwrap_or_else(|e| panic!("maa binary: {e}"));
    cmd.env("NO_COLOR", "1").current_dir(root());
    cmd
}

/// The shipped reference topologies.
pub(crate) fn topologies() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join("topologies"))
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// Path relative to the repository root, with `/`.
pub(crate) fn rel(p: &Path) -> String {
    p.strip_prefix(root())
        .unwrap_or(p)
        .to_string_lossy()
        .replace('\\', "/")
}

/// A copy of a topology as `t.yaml` in a temporary directory whose findings are accepted
/// every way there is: the first by an inline `# maa: ignore[…]` comment on its line, the
/// first of another rule by a suppression in `maa.yaml`, and the rest by `baseline.json`
/// (written by `maa check --write-baseline`). Check it from the directory with
/// [`SUPPRESSED_ARGS`] before the path `t.yaml`.
pub(crate) fn with_suppressions(topology: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let text = std::fs::read_to_string(topology).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.path().join("t.yaml"), &text).unwrap_or_else(|e| panic!("{e}"));
    let out = maa()
        .current_dir(dir.path())
        .args(["check", "--format", "json", "t.yaml"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    let found: Vec<(String, String, usize)> = v["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_owned(),
                d["object"].as_str().unwrap_or_default().to_owned(),
                usize::try_from(d["line"].as_u64().unwrap_or(0)).unwrap_or(0),
            )
        })
        .filter(|(code, object, _)| !object.is_empty() && !code.contains('/'))
        .collect();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let mut config = String::from("suppress: []\n");
    if let Some((code, _, line)) = found.first() {
        let at = lines
            .get_mut(line - 1)
            .unwrap_or_else(|| panic!("line {line}"));
        at.push_str(&format!(
            " # maa: ignore[{code}] accepted in the inline test"
        ));
        if let Some((other, object, _)) = found.iter().find(|(c, _, _)| c != code) {
            config = format!(
                "suppress:\n  - {{rule: {other}, object: \"{object}\", reason: accepted in the configuration test}}\n"
            );
        }
    }
    std::fs::write(dir.path().join("t.yaml"), lines.join("\n") + "\n")
        .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.path().join("maa.yaml"), config).unwrap_or_else(|e| panic!("{e}"));
    let written = maa()
        .current_dir(dir.path())
        .args([
            "check",
            "--config",
            "maa.yaml",
            "--write-baseline",
            "baseline.json",
            "t.yaml",
        ])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        written.status.success(),
        "{}",
        String::from_utf8_lossy(&written.stderr)
    );
    dir
}

/// The flags that apply the suppressions of [`with_suppressions`].
pub(crate) const SUPPRESSED_ARGS: [&str; 4] =
    ["--config", "maa.yaml", "--baseline", "baseline.json"];

/// Runs `maa check --format json` on `text` (written to a temporary file); returns its exit
/// code and diagnostics.
pub(crate) fn check_json(text: &str) -> (i32, Vec<serde_json::Value>) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temporary directory: {e}"));
    let path = dir.path().join("t.yaml");
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("write: {e}"));
    let out = maa()
        .args(["check", "--format", "json"])
        .arg(&path)
        .output()
        .unwrap_or_else(|e| panic!("maa: {e}"));
    let v: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("JSON: {e}"));
    let diags = v["diagnostics"].as_array().cloned().unwrap_or_default();
    (out.status.code().unwrap_or(-1), diags)
}
