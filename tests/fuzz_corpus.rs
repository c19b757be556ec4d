//! Replays the fuzz corpora as ordinary tests on stable (docs/fuzzing.md): every committed
//! seed (`fuzz/seed/<target>/`), every crash found (`fuzz/regressions/<target>/`) and, as
//! seeds of the topology targets, the shipped topologies and test fixtures. The fuzz target
//! bodies are compiled from `fuzz/src/lib.rs`, so a replay runs exactly what was fuzzed.

// Test code: an unwrap/expect that fails is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

// `pub` for the fuzz crate, which links it as its library.
#[allow(unreachable_pub)]
#[path = "../fuzz/src/lib.rs"]
mod targets;

use std::path::{Path, PathBuf};

/// Files directly in `dir` and below, sorted (none when `dir` is absent).
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            match e.file_type() {
                Ok(t) if t.is_dir() => stack.push(p),
                Ok(t) if t.is_file() => out.push(p),
                _ => {}
            }
        }
    }
    out.sort();
    out
}

/// Committed seeds and regressions of `target`, plus `extra` directories of the repository.
fn inputs(target: &str, extra: &[&str]) -> Vec<PathBuf> {
    let root = common::root();
    let mut v = files(&root.join("fuzz/seed").join(target));
    v.extend(files(&root.join("fuzz/regressions").join(target)));
    for e in extra {
        v.extend(files(&root.join(e)));
    }
    v
}

/// Runs `body` on each input; a panic names the input that caused it.
fn replay(target: &str, extra: &[&str], min: usize, body: fn(&[u8])) {
    let inputs = inputs(target, extra);
    assert!(
        inputs.len() >= min,
        "{target}: {} inputs, expected at least {min}",
        inputs.len()
    );
    for p in &inputs {
        let data = std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        let r = std::panic::catch_unwind(|| body(&data));
        assert!(r.is_ok(), "{target}: {} fails", common::rel(p));
    }
}

const TOPOLOGY_SEEDS: &[&str] = &["topologies", "tests/fixtures"];

#[test]
fn load_check() {
    replay("load_check", TOPOLOGY_SEEDS, 50, targets::load_check);
}

#[test]
fn load_render() {
    replay("load_render", TOPOLOGY_SEEDS, 50, targets::load_render);
}

#[test]
fn config() {
    replay("config", &[], 1, targets::config);
}

#[test]
fn baseline() {
    replay("baseline", &[], 1, targets::baseline);
}

#[test]
fn suppress_comments() {
    replay(
        "suppress_comments",
        TOPOLOGY_SEEDS,
        50,
        targets::suppress_comments,
    );
}
