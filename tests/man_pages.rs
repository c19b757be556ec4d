//! `maa man` writes a real page for every subcommand, and every example that `--help` (and so
//! the pages) shows runs on the shipped topologies.
//!
//! Oracles: groff itself (`groff -man -ww -z`: every warning is a failure), the set of
//! subcommands clap knows, and running each example line in a scratch directory holding a
//! copy of `topologies/`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::Command;

fn maa_bin() -> std::path::PathBuf {
    assert_cmd::cargo::cargo_bin("maa")
}

fn subcommands() -> Vec<String> {
    // `maa --help` lists them between "Commands:" and "Options:".
    let out = Command::new(maa_bin()).arg("--help").output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    let start = help.find("Commands:").unwrap();
    let end = help.find("Options:").unwrap();
    help[start..end]
        .lines()
        .skip(1)
        // A name is indented by two; a wrapped description by more.
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_owned)
        .collect()
}

#[test]
fn a_page_per_subcommand_that_groff_reads_without_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("man1");
    common::maa()
        .args(["man", "--out"])
        .arg(&out)
        .assert()
        .success();
    let subs = subcommands();
    assert!(subs.len() >= 10, "{subs:?}");
    let mut expected: Vec<String> = subs.iter().map(|s| format!("maa-{s}.1")).collect();
    expected.push("maa.1".into());
    expected.sort();
    let mut written: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    assert_eq!(written, expected);

    let top = std::fs::read_to_string(out.join("maa.1")).unwrap();
    for s in &subs {
        assert!(
            top.contains(&format!(".BR maa\\-{s} (1)")),
            "maa(1) refers to maa-{s}(1)"
        );
    }
    for page in &written {
        let text = std::fs::read_to_string(out.join(page)).unwrap();
        for section in [
            ".SH NAME",
            ".SH SYNOPSIS",
            ".SH EXAMPLES",
            ".SH \"EXIT STATUS\"",
        ] {
            assert!(text.contains(section), "{page} has no {section}");
        }
        assert!(text.is_ascii(), "{page}: non-ASCII text");
        let Some(groff) = common::validator("groff") else {
            continue;
        };
        let run = Command::new(groff)
            .args(["-man", "-Tutf8", "-ww", "-z"])
            .arg(out.join(page))
            .output()
            .unwrap();
        assert!(
            run.status.success() && run.stderr.is_empty(),
            "groff on {page}:\n{}",
            String::from_utf8_lossy(&run.stderr)
        );
    }
}

#[test]
fn one_page_prints_the_same_text_and_a_typo_is_named() {
    let dir = tempfile::tempdir().unwrap();
    common::maa()
        .args(["man", "--out"])
        .arg(dir.path())
        .assert()
        .success();
    let file = std::fs::read_to_string(dir.path().join("maa-simulate.1")).unwrap();
    let out = common::maa().args(["man", "simulate"]).output().unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), file);
    let out = common::maa().args(["man", "simlate"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean `simulate`"));
}

#[test]
fn man_out_refuses_a_linked_directory() {
    let dir = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), dir.path().join("man1")).unwrap();
    common::maa()
        .args(["man", "--out"])
        .arg(dir.path().join("man1"))
        .assert()
        .code(2);
    assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 0);
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_file() {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// The example lines of one `--help` text: the indented lines after an `Examples` heading.
fn examples(help: &str) -> Vec<String> {
    let mut out = Vec::new();
    for paragraph in help.split("\n\n") {
        let mut lines = paragraph.lines();
        if lines.next().is_some_and(|h| h.starts_with("Examples")) {
            out.extend(lines.map(|l| l.trim().to_owned()));
        }
    }
    out
}

#[test]
fn every_help_example_runs_on_the_shipped_topologies() {
    let bin_dir = maa_bin().parent().unwrap().to_path_buf();
    let path = std::env::join_paths(
        std::iter::once(bin_dir).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap())),
    )
    .unwrap();
    let mut helps = vec![vec!["--help".to_owned()]];
    helps.extend(subcommands().into_iter().map(|s| vec![s, "--help".into()]));
    let mut ran = 0;
    for args in helps {
        let out = Command::new(maa_bin()).args(&args).output().unwrap();
        let help = String::from_utf8(out.stdout).unwrap();
        let lines = examples(&help);
        assert!(
            !lines.is_empty(),
            "`maa {}` shows no example",
            args.join(" ")
        );
        // One scratch directory per help text: examples may build on each other (a baseline
        // written, then used).
        let work = tempfile::tempdir().unwrap();
        copy_dir(
            &common::root().join("topologies"),
            &work.path().join("topologies"),
        );
        for line in lines {
            assert!(line.starts_with("maa "), "example `{line}`");
            let run = Command::new("bash")
                .args(["--noprofile", "--norc", "-o", "pipefail", "-c", &line])
                .current_dir(work.path())
                .env("PATH", &path)
                .env("HOME", work.path())
                .env("NO_COLOR", "1")
                .output()
                .unwrap();
            // 0: success; 1: findings, a breached objective or drift, which an example on
            // the starter topology shows on purpose. Never 2 (usage or load error).
            assert!(
                matches!(run.status.code(), Some(0 | 1)),
                "`{line}` exited {:?}:\n{}",
                run.status.code(),
                String::from_utf8_lossy(&run.stderr)
            );
            ran += 1;
        }
    }
    assert!(ran >= 30, "{ran} examples");
}
