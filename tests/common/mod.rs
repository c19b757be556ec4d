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
