//! The bodies of the fuzz targets, shared by `fuzz_targets/*.rs` (cargo-fuzz, nightly) and
//! `tests/fuzz_corpus.rs` (stable: replays the committed corpora and every crash found).
//!
//! Each target panics on a broken property; libFuzzer keeps the input. Beyond "no panic",
//! they check what a hostile input must never achieve: a control character reaching a
//! terminal (human and GitHub output), a render that differs between two runs.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use maa::diagnostic::{Diagnostic, SourceFile};
use maa::report::{github, human, json, sarif};

/// The display name every fuzzed file is loaded under.
const NAME: &str = "fuzz.yaml";

/// Bytes → load → resolve → rules, then every report format.
pub fn load_check(data: &[u8]) {
    let diags = match maa::load::load_bytes(NAME, data.to_vec()).and_then(maa::resolve::resolve) {
        Ok(model) => maa::rules::check(&model),
        Err(errors) => errors,
    };
    reports(&diags);
}

/// Bytes → load → resolve → `render -t all` on what loads, twice (renders are deterministic).
pub fn load_render(data: &[u8]) {
    let Ok(model) = maa::load::load_bytes(NAME, data.to_vec()).and_then(maa::resolve::resolve)
    else {
        return;
    };
    let names: Vec<&str> = maa::render::targets().iter().map(|t| t.name).collect();
    let first = maa::render::render(&model, &names);
    let second = maa::render::render(&model, &names);
    assert_eq!(first, second, "render is not deterministic");
}

/// Text → `maa.yaml` parser (schema, selectors, globs, custom rules) → effective settings and
/// `--show-config`; a configuration that loads runs its custom rules over a reference model.
pub fn config(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let parsed = maa::config::Config::parse("maa.yaml".into(), text.to_owned(), PathBuf::from("."));
    let config = match parsed {
        Ok(c) => c,
        Err(errors) => {
            reports(&errors);
            return;
        }
    };
    let topology = Path::new("topologies/t.yaml");
    let eff = maa::config::effective(Some(&config), topology, false);
    let shown = maa::config::show(Some(&config), true, topology, &eff);
    assert_terminal_safe(&shown);
    let found = maa::config::custom::run(&config.file, &config.custom, reference(), 1);
    reports(&maa::config::apply(&eff, found));
}

/// Text → baseline parser; a baseline that parses survives a write/parse round trip and
/// filters a reference model's findings.
pub fn baseline(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(base) = maa::suppress::baseline::parse(text) else {
        return;
    };
    let again = maa::suppress::baseline::parse(&maa::suppress::baseline::to_text(&base));
    assert!(
        again.is_ok(),
        "a written baseline does not parse: {again:?}"
    );
    let findings = maa::rules::check(reference());
    let total = findings.len();
    let (kept, removed) = maa::suppress::baseline::filter(&base, findings);
    assert_eq!(
        kept.len() + removed.len(),
        total,
        "the baseline lost findings"
    );
}

/// Text → inline suppression comments (`# maa: ignore[RULE] reason`), applied to a finding
/// on every line of the text.
pub fn suppress_comments(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let file = SourceFile::new(NAME, text.to_owned());
    let found: Vec<Diagnostic> = line_starts(text)
        .map(|at| {
            Diagnostic::new(
                "WLS001",
                "cluster-too-few-servers",
                maa::diagnostic::Severity::Error,
                &file,
                miette::SourceSpan::from(at..at),
                "a finding",
            )
        })
        .collect();
    let total = found.len();
    let (kept, meta, gone) = maa::suppress::apply_inline(&file, found);
    assert_eq!(kept.len() + gone.len(), total, "suppression lost findings");
    reports(&meta);
}

/// Byte offsets of the starts of the lines of `text`.
fn line_starts(text: &str) -> impl Iterator<Item = usize> + '_ {
    std::iter::once(0).chain(
        text.char_indices()
            .filter(|&(_, c)| c == '\n')
            .map(|(i, _)| i + 1)
            .filter(move |&i| i < text.len()),
    )
}

/// Every report format; the ones read by people must be terminal-safe.
fn reports(diags: &[Diagnostic]) {
    let mut diags = diags.to_vec();
    maa::diagnostic::sort(&mut diags);
    let text = human::render(&diags, human::HumanStyle::plain())
        + &human::summary(&diags, 1, 1, &["maa.yaml"]);
    assert_terminal_safe(&text);
    assert_terminal_safe(&github::render(&diags));
    let j: Result<serde_json::Value, _> = serde_json::from_str(&json::render(&diags, 1));
    assert!(j.is_ok(), "JSON report does not parse");
    let s: Result<serde_json::Value, _> = serde_json::from_str(&sarif::render(&diags));
    assert!(s.is_ok(), "SARIF report does not parse");
}

/// No control character but a line feed reaches a terminal or a CI log.
pub fn assert_terminal_safe(text: &str) {
    if let Some(c) = text.chars().find(|&c| c != '\n' && c.is_control()) {
        panic!(
            "control character {c:?} in output:\n{}",
            text.escape_debug()
        );
    }
}

/// A resolved reference topology, loaded once.
fn reference() -> &'static maa::resolve::Model {
    static MODEL: OnceLock<maa::resolve::Model> = OnceLock::new();
    MODEL.get_or_init(|| {
        let text = include_str!("../../topologies/starter.yaml");
        match maa::load::load_str("starter.yaml", text.to_owned()).and_then(maa::resolve::resolve) {
            Ok(m) => m,
            Err(e) => panic!("the reference topology does not load: {e:?}"),
        }
    })
}
