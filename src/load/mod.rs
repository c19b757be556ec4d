//! Load: bytes → UTF-8 text → span-carrying YAML tree → schema validation → typed model.
//!
//! Every failure is a [`Diagnostic`] with the span of the problem; schema violations are
//! all collected, so a user fixes a file in one round trip.

mod fast;
pub mod tree;
pub mod typed;
pub mod validate;

use std::path::Path;
use std::sync::Arc;

use miette::SourceSpan;
use serde::de::DeserializeOwned;

use crate::diagnostic::{Code, Diagnostic, SourceFile};
use crate::model::{Sp, Topology};
use tree::Node;

/// Largest topology file accepted (a 50 MB topology must load).
pub const MAX_FILE_BYTES: u64 = 128 * 1024 * 1024;

/// Deepest nesting of YAML collections accepted.
pub const MAX_DEPTH: usize = 32;

/// YAML parser limits: generous for real topologies, fatal for hostile input.
pub fn parser_options() -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    // A topology is ~8 levels deep; 32 leaves room and stops 100k-deep nesting at once.
    // Deserialization recurses once per level: at 32 levels a debug build stays well inside
    // a 2 MB thread stack (64 levels overflowed it).
    budget.max_depth = MAX_DEPTH;
    budget.flow_nesting_limit = MAX_DEPTH;
    // ~30 nodes and ~60 events per server record: room for files well past 50 MB.
    budget.max_nodes = 20_000_000;
    budget.max_events = 60_000_000;
    budget.max_total_scalar_bytes = 256 * 1024 * 1024;
    budget.max_documents = 1;
    budget.max_aliases = 10_000;
    budget.max_anchors = 10_000;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    // Aliases are for sharing small fragments; an expansion beyond this is a bomb.
    options.alias_limits.max_total_replayed_events = 100_000;
    options.with_snippet = false;
    options.duplicate_keys = serde_saphyr::DuplicateKeyPolicy::Error;
    options
}

/// A topology loaded from one file.
#[derive(Debug)]
pub struct Loaded {
    pub file: Arc<SourceFile>,
    pub topology: Topology,
}

fn error(
    file: &Arc<SourceFile>,
    code: Code,
    span: SourceSpan,
    message: impl Into<String>,
) -> Diagnostic {
    Diagnostic::error(code, file, span, message)
}

/// Reads and loads a topology file. `display` is the path shown in diagnostics.
///
/// Only a regular file is read, and at most [`MAX_FILE_BYTES`] of it whatever its size
/// claims (`/dev/zero`, FIFOs and `/proc` files report 0 bytes): see [`crate::input`].
pub fn load_path(path: &Path, display: &str) -> Result<Loaded, Vec<Diagnostic>> {
    match crate::input::read_bounded(path, MAX_FILE_BYTES) {
        Ok(bytes) => load_bytes(display, bytes),
        Err(e) => Err(vec![read_error(display, &e)]),
    }
}

/// The diagnostic for a topology file that cannot be read.
fn read_error(display: &str, e: &crate::input::ReadError) -> Diagnostic {
    use crate::input::ReadError;
    let empty = SourceFile::new(display, String::new());
    let (code, help) = match e {
        ReadError::Io(_) => (Code::LoadIo, "check the path and the file's permissions"),
        ReadError::NotRegular(_) => (
            Code::LoadNotAFile,
            "maa reads regular files only: name a topology file (or a directory to search)",
        ),
        ReadError::TooLarge { .. } => (
            Code::LoadTooLarge,
            "split the topology, or check that this is the file you meant",
        ),
    };
    error(
        &empty,
        code,
        SourceSpan::from(0..0),
        format!("cannot read `{display}`: {e}"),
    )
    .with_help(help)
}

/// Loads a topology from bytes.
pub fn load_bytes(display: &str, bytes: Vec<u8>) -> Result<Loaded, Vec<Diagnostic>> {
    match String::from_utf8(bytes) {
        Ok(text) => load_str(display, text),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let file = SourceFile::new(display, text);
            let (line, col) = file.line_col(at);
            Err(vec![
                error(
                    &file,
                    Code::LoadNotUtf8,
                    SourceSpan::from(at..at + char::REPLACEMENT_CHARACTER.len_utf8()),
                    format!(
                        "`{display}` is not valid UTF-8: invalid byte at line {line}, column {col}"
                    ),
                )
                .with_label("invalid UTF-8 here")
                .with_help("save the file as UTF-8"),
            ])
        }
    }
}

/// Loads a topology from text.
pub fn load_str(display: &str, text: String) -> Result<Loaded, Vec<Diagnostic>> {
    let file = SourceFile::new(display, text);
    let topology = parse_typed::<Topology>(&file, crate::schema::topology_schema())?;
    Ok(Loaded { file, topology })
}

/// Parses `file` into `T`, validating it against `schema` first so that every structural
/// error is reported at once. Shared by topologies and configuration files.
///
/// The text is parsed once, into a span tree; the schema validator walks the tree (to
/// report every error, where serde stops at the first), and `T` is then built from the
/// tree. The work runs on a thread with a large stack, so that a caller on a small stack
/// (a test thread, a worker pool) cannot overflow it with deeply nested input.
pub fn parse_typed<T: DeserializeOwned + Send>(
    file: &Arc<SourceFile>,
    schema: &serde_json::Value,
) -> Result<T, Vec<Diagnostic>> {
    if is_blank_or_comments(&file.text) {
        return Err(vec![
            error(
                file,
                Code::LoadEmpty,
                SourceSpan::from(0..0),
                format!("`{}` is empty", file.path),
            )
            .with_help("run `maa init` to write a commented starter topology"),
        ]);
    }
    std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new()
            .name("maa-parse".into())
            .stack_size(PARSE_STACK_BYTES)
            .spawn_scoped(scope, || parse_and_build::<T>(file, schema));
        match spawned {
            Ok(handle) => handle.join().unwrap_or_else(|_| {
                Err(vec![error(
                    file,
                    Code::LoadInternal,
                    SourceSpan::from(0..0),
                    "the YAML parser failed unexpectedly",
                )])
            }),
            // No thread to be had: parse here.
            Err(_) => parse_and_build::<T>(file, schema),
        }
    })
}

/// Span tree → schema validation → `T`.
fn parse_and_build<T: DeserializeOwned>(
    file: &Arc<SourceFile>,
    schema: &serde_json::Value,
) -> Parsed<T> {
    let mut tree =
        tree::parse(&file.text, parser_options()).map_err(|e| vec![yaml_error(file, &e)])?;
    tree::drop_extensions(&mut tree);
    validate_tree(file, &tree, schema)?;
    typed::from_tree::<T>(tree, &file.text).map_err(|e| {
        let span = e.span.unwrap_or_else(|| SourceSpan::from(0..0));
        vec![
            error(
                file,
                e.kind.code(),
                clamp_to_line(&file.text, span),
                e.message,
            )
            .with_help(e.kind.help()),
        ]
    })
}

/// Stack of the parsing thread: ample for [`MAX_DEPTH`] levels in a debug build.
const PARSE_STACK_BYTES: usize = 32 * 1024 * 1024;

type Parsed<T> = Result<T, Vec<Diagnostic>>;

/// Whether the text holds nothing but blank lines and comments. Lines end at LF, CRLF or a
/// lone CR, as YAML counts them (`str::lines` would take a CR-only file for one line).
pub fn is_blank_or_comments(text: &str) -> bool {
    text.split(['\n', '\r'])
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
}

/// Validates the span tree against the schema: every error at once.
fn validate_tree(
    file: &Arc<SourceFile>,
    tree: &Sp<Node>,
    schema: &serde_json::Value,
) -> Parsed<()> {
    let (violations, dropped) = validate::validate(tree, schema);
    if violations.is_empty() {
        return Ok(());
    }
    let mut errors: Vec<Diagnostic> = violations
        .into_iter()
        .map(|v| {
            let mut d = error(file, v.problem.code(), v.span, v.message)
                .with_label(v.label)
                .with_object(v.path);
            d.help = v.help;
            d
        })
        .collect();
    if dropped > 0 {
        errors.push(
            error(
                file,
                Code::LoadLimit,
                SourceSpan::from(0..0),
                format!(
                    "{dropped} more error(s) not shown: `{}` has more than {} errors",
                    file.path,
                    validate::MAX_VIOLATIONS
                ),
            )
            .with_help("fix the errors shown first; this file may not be a topology at all"),
        );
    }
    Err(errors)
}

/// The error inside alias and snippet wrappers.
fn innermost(e: &serde_saphyr::Error) -> &serde_saphyr::Error {
    use serde_saphyr::Error as E;
    let mut e = e;
    while let E::AliasError { error, .. } | E::WithSnippet { error, .. } = e {
        e = error;
    }
    e
}

/// A parser message without the location serde-saphyr appends (the span carries it).
fn strip_location(message: &str) -> String {
    let first = message.lines().next().unwrap_or("invalid YAML");
    let cut = first
        .find(" at line ")
        .map_or(first, |i| first.get(..i).unwrap_or(first));
    let cut = cut.trim_end_matches(|c: char| c == ',' || c == ';' || c.is_whitespace());
    if cut.is_empty() {
        "invalid YAML".to_owned()
    } else {
        cut.to_owned()
    }
}

const LIMIT_HELP: &str = "maa refuses YAML nested more than 32 levels deep or whose aliases expand \
     beyond 100,000 events; a real topology never needs either";

/// Code, message and help of a serde error, as the typed model reports it.
fn serde_error(kind: typed::ErrorKind, message: String) -> (Code, String, String) {
    (kind.code(), message, kind.help().to_owned())
}

/// Turns a serde-saphyr error into a diagnostic with its location.
fn yaml_error(file: &Arc<SourceFile>, e: &serde_saphyr::Error) -> Diagnostic {
    use serde_saphyr::Error as E;
    let inner = innermost(e);
    let raw = strip_location(&inner.without_snippet().to_string());
    let (code, message, help) = match inner {
        E::DuplicateMappingKey { key, .. } => (
            Code::LoadDuplicateKey,
            match key {
                Some(k) => format!("duplicate key `{k}`"),
                None => "duplicate key in a mapping".to_owned(),
            },
            "each key may appear once in a mapping; remove or merge the repeated one".to_owned(),
        ),
        E::Budget { breach, .. } => budget_error(breach),
        E::AliasReplayLimitExceeded { .. }
        | E::AliasExpansionLimitExceeded { .. }
        | E::AliasReplayStackDepthExceeded { .. }
        | E::AliasReplayCounterOverflow { .. } => (
            Code::LoadLimit,
            "input refused: aliases expand to more than 100,000 events (an alias bomb?)".to_owned(),
            LIMIT_HELP.to_owned(),
        ),
        E::ExternalMessage { source, .. } if nesting_limit(source) => (
            Code::LoadLimit,
            "input refused: nested more than 32 levels deep".to_owned(),
            LIMIT_HELP.to_owned(),
        ),
        // Only a mapping key that is not a scalar gets here now (the span tree takes any
        // value); the typed model's own errors come from `typed::Error`.
        E::SerdeUnknownField { .. } => serde_error(typed::ErrorKind::UnknownKey, raw),
        E::SerdeMissingField { .. } => serde_error(typed::ErrorKind::MissingField, raw),
        E::SerdeInvalidType { .. }
        | E::SerdeInvalidValue { .. }
        | E::SerdeUnknownVariant { .. } => serde_error(typed::ErrorKind::InvalidValue, raw),
        E::MultipleDocuments { .. } => (
            Code::LoadYamlSyntax,
            raw,
            "a topology is one YAML document; remove the `---` separators".to_owned(),
        ),
        _ => (
            Code::LoadYamlSyntax,
            raw,
            "fix the YAML at the marked place: an unclosed `[` or `{`, a missing quote, or a key \
             indented differently from its siblings"
                .to_owned(),
        ),
    };
    let span = e
        .location()
        .and_then(|loc| {
            let s = loc.span();
            s.byte_offset().map(|o| {
                SourceSpan::from(o as usize..o as usize + s.byte_len().unwrap_or(0) as usize)
            })
        })
        .or_else(|| {
            e.location().filter(|l| l.line() > 0).map(|l| {
                let line = l.line() as usize;
                let offset: usize = file
                    .text
                    .split_inclusive('\n')
                    .take(line.saturating_sub(1))
                    .map(str::len)
                    .sum();
                let col_bytes: usize = file
                    .text
                    .get(offset..)
                    .unwrap_or("")
                    .chars()
                    .take(l.column().saturating_sub(1) as usize)
                    .map(char::len_utf8)
                    .sum();
                SourceSpan::from(offset + col_bytes..offset + col_bytes)
            })
        })
        .unwrap_or_else(|| SourceSpan::from(0..0));
    let span = tab_span(&file.text, &message, span);
    error(file, code, clamp_to_line(&file.text, span), message).with_help(help)
}

/// Whether the YAML parser refused the input for nesting deeper than its limit (block or
/// flow: `parser_options` sets both to [`MAX_DEPTH`]). Typed: the scanner's own error kind,
/// never the wording of its message.
fn nesting_limit(source: &serde_saphyr::ExternalMessageSource) -> bool {
    use serde_saphyr::granit_parser::ErrorKind;
    matches!(
        source,
        serde_saphyr::ExternalMessageSource::Parser(e)
            if matches!(e.kind(), ErrorKind::RecursionLimitExceeded)
    )
}

/// Code, message and help for a breach of the parser's budget. A breach this list does not
/// name (one of the crate's other limits) is still `load/limit`, worded generally.
fn budget_error(breach: &serde_saphyr::budget::BudgetBreach) -> (Code, String, String) {
    use serde_saphyr::budget::BudgetBreach as B;
    let what = match breach {
        B::Documents { .. } => {
            return (
                Code::LoadYamlSyntax,
                "the file holds more than one YAML document".to_owned(),
                "a topology is one YAML document; remove the `---` separators".to_owned(),
            );
        }
        B::Depth { .. } => "nested more than 32 levels deep",
        B::Nodes { .. } => "more than 20,000,000 YAML nodes",
        B::Events { .. } => "more than 60,000,000 YAML parser events",
        B::ScalarBytes { .. } => "more than 256 MB of scalar text",
        B::Aliases { .. } => "more than 10,000 aliases",
        B::Anchors { .. } => "more than 10,000 anchors",
        B::MergeKeys { .. } => "too many merge keys (`<<`)",
        B::AliasAnchorRatio { .. } => "too many aliases for its anchors (an alias bomb?)",
        _ => "it exceeds the YAML parser's limits",
    };
    (
        Code::LoadLimit,
        format!("input refused: {what}"),
        LIMIT_HELP.to_owned(),
    )
}

/// A "tabs disallowed" error is located after the indentation; the tab itself is the
/// first tab of the blanks right before that place on its line.
fn tab_span(text: &str, message: &str, span: SourceSpan) -> SourceSpan {
    if !message.contains("tab") {
        return span;
    }
    let at = span.offset().min(text.len());
    let Some(before) = text.get(..at) else {
        return span;
    };
    let line_start = before.rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let line = &before[line_start..];
    let blanks = line.len() - line.trim_end_matches([' ', '\t']).len();
    match line[line.len() - blanks..].find('\t') {
        Some(i) => {
            let tab = line_start + line.len() - blanks + i;
            SourceSpan::from(tab..tab + 1)
        }
        None if text[at..].starts_with('\t') => SourceSpan::from(at..at + 1),
        // "while scanning a plain scalar, found a tab": located at the scalar's start, the
        // tab is in the indentation of a line after it.
        None => indenting_tab(text, at).map_or(span, |t| SourceSpan::from(t..t + 1)),
    }
}

/// The tab in the indentation of the first non-blank line after the one holding `at`.
fn indenting_tab(text: &str, at: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let is_break = |b: u8| b == b'\n' || b == b'\r';
    let mut i = at;
    while bytes.get(i).is_some_and(|&b| !is_break(b)) {
        i += 1;
    }
    while bytes.get(i).copied().is_some_and(is_break) {
        i += 1;
    }
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\t' => return Some(i),
            b' ' => i += 1,
            _ => return None,
        }
    }
    None
}

/// Keeps a span on its first line, and at most 80 bytes long: limit errors on 100k-character
/// lines would otherwise mark (and print) the whole line.
fn clamp_to_line(text: &str, span: SourceSpan) -> SourceSpan {
    let start = span.offset().min(text.len());
    let rest = text.get(start..).unwrap_or("");
    let line_end = rest.find('\n').unwrap_or(rest.len());
    let mut len = span.len().min(line_end).min(80);
    while len > 0 && !rest.is_char_boundary(len) {
        len -= 1;
    }
    SourceSpan::from(start..start + len)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The parser's error for `text`, as `yaml_error` receives it.
    fn serde_error(text: &str) -> serde_saphyr::Error {
        match tree::parse_with_serde(text, parser_options()) {
            Ok(_) => panic!("parses: {text:.40}"),
            Err(e) => e,
        }
    }

    /// Deep nesting is recognised by the error's type (the scanner's recursion limit or the
    /// budget's depth), not its wording: a parser upgrade that moves it elsewhere fails here.
    #[test]
    fn nesting_limits_are_classified_by_type() {
        let deep = MAX_DEPTH + 8;
        let flow = format!("a: {}{}\n", "[".repeat(deep), "]".repeat(deep));
        let block: String = (0..deep)
            .map(|i| format!("{}k{i}:\n", "  ".repeat(i)))
            .collect();
        let file = SourceFile::new("deep.yaml", String::new());
        for text in [flow, block] {
            let e = serde_error(&text);
            let typed = match innermost(&e) {
                serde_saphyr::Error::ExternalMessage { source, .. } => nesting_limit(source),
                serde_saphyr::Error::Budget { breach, .. } => {
                    matches!(breach, serde_saphyr::budget::BudgetBreach::Depth { .. })
                }
                _ => false,
            };
            assert!(typed, "not a typed nesting error: {e:?}");
            let d = yaml_error(&file, &e);
            assert_eq!(d.code, Code::LoadLimit.as_str(), "{}", d.message);
            assert!(d.message.contains("32 levels"), "{}", d.message);
        }
    }

    /// An ordinary syntax error is not taken for a limit.
    #[test]
    fn a_syntax_error_is_not_a_limit() {
        let file = SourceFile::new("bad.yaml", String::new());
        let d = yaml_error(&file, &serde_error("a: [1, 2\n"));
        assert_eq!(d.code, Code::LoadYamlSyntax.as_str(), "{}", d.message);
    }
}
