//! `.pre-commit-hooks.yaml`, proved with the real pre-commit: the manifest validates, and
//! `pre-commit try-repo` runs the `maa-check-system` hook from this repository in a
//! throw-away consumer repository, with the test-built `maa` on PATH.
//!
//! The `maa-check` hook (`language: rust`) is only validated, not built: pre-commit would
//! run a release `cargo install` of maa from scratch, which does not fit the test budget on
//! two cores (see README, "pre-commit").

// Test code: an unwrap/expect that fails is a failed test. clippy.toml allows them only in
// #[test] and #[cfg(test)] code, which an integration test's helper functions are not.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn run(cmd: &mut Command) -> Output {
    cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"))
}

fn git(dir: &Path, args: &[&str]) {
    let out = run(Command::new("git").current_dir(dir).args(args));
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// PATH with the directory of the test-built `maa` first.
fn path_with_maa() -> std::ffi::OsString {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_maa"));
    let mut dirs = vec![bin.parent().map(Path::to_path_buf).unwrap_or_default()];
    if let Some(p) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&p));
    }
    std::env::join_paths(dirs).unwrap_or_default()
}

#[test]
fn the_hook_manifest_validates() {
    let Some(pc) = common::validator("pre-commit") else {
        return;
    };
    let out = run(Command::new(pc)
        .current_dir(common::root())
        .args(["validate-manifest", ".pre-commit-hooks.yaml"]));
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let text =
        std::fs::read_to_string(common::root().join(".pre-commit-hooks.yaml")).unwrap_or_default();
    for needle in [
        "id: maa-check\n",
        "language: rust",
        "id: maa-check-system",
        "language: system",
        "types: [yaml]",
    ] {
        assert!(text.contains(needle), "manifest lacks `{needle}`");
    }
}

#[test]
fn try_repo_runs_the_system_hook_in_a_consumer_repository() {
    let Some(pc) = common::validator("pre-commit") else {
        return;
    };
    let consumer = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let c = consumer.path();
    git(c, &["init", "-q"]);
    let good = std::fs::read_to_string(common::root().join("topologies/active-passive-rac.yaml"))
        .unwrap_or_default();
    let bad =
        std::fs::read_to_string(common::root().join("tests/fixtures/broken/unknown-key.yaml"))
            .unwrap_or_default();
    for (name, text) in [
        ("topologies/orders.yaml", good.as_str()),
        ("shop.topology.yaml", bad.as_str()),
        // Not a topology: the hook's `files` pattern must leave it alone.
        (
            "k8s/deployment.yaml",
            "apiVersion: apps/v1\nkind: Deployment\n",
        ),
    ] {
        let p = c.join(name);
        std::fs::create_dir_all(p.parent().unwrap_or(c)).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(&p, text).unwrap_or_else(|e| panic!("{e}"));
    }
    git(c, &["add", "-A"]);

    let try_repo = |files: &[&str]| {
        let mut cmd = Command::new(&pc);
        cmd.current_dir(c)
            .env("PATH", path_with_maa())
            .env("PRE_COMMIT_HOME", home.path())
            .env("NO_COLOR", "1")
            .env("GIT_AUTHOR_NAME", "maa test")
            .env("GIT_AUTHOR_EMAIL", "test@example.invalid")
            .env("GIT_COMMITTER_NAME", "maa test")
            .env("GIT_COMMITTER_EMAIL", "test@example.invalid")
            .arg("try-repo")
            .arg(common::root())
            .arg("maa-check-system")
            .arg("--color=never");
        if files.is_empty() {
            cmd.arg("--all-files");
        } else {
            cmd.arg("--files").args(files);
        }
        let out = run(&mut cmd);
        (
            out.status.code(),
            format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        )
    };

    // A good topology passes.
    let (code, text) = try_repo(&["topologies/orders.yaml"]);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("Passed"), "{text}");

    // All files: the broken topology fails the hook with maa's diagnostic; the Kubernetes
    // manifest is not passed to maa (it would fail with unknown keys if it were).
    let (code, text) = try_repo(&[]);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("Failed"), "{text}");
    assert!(
        text.contains("load/unknown-key") && text.contains("shop.topology.yaml"),
        "{text}"
    );
    assert!(
        !text.contains("deployment.yaml"),
        "the files pattern should skip non-topology YAML:\n{text}"
    );
}
