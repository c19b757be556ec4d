//! Load: bytes → UTF-8 text → span-carrying YAML tree → schema validation → typed model.
//!
//! Every failure is a [`Diagnostic`] with the span of the problem; schema violations are
//! all collected, so a user fixes a file in one round trip.

pub mod tree;
pub mod validate;

use std::path::Path;
use std::sync::Arc;

use miette::SourceSpan;
use serde::de::DeserializeOwned;

use crate::diagnostic::{Diagnostic, Severity, SourceFile};
use crate::model::{Sp, Topology};
use tree::Node;

/// Largest topology file accepted (a 50 MB topology must load).
pub const MAX_FILE_BYTES: u64 = 128 * 1024 * 1024;

/// YAML parser limits: generous for real topologies, fatal for hostile input.
pub fn parser_options() -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    // A topology is ~10 levels deep; 64 leaves room and stops 100k-deep nesting at once.
    budget.max_depth = 64;
    budget.flow_nesting_limit = 64;
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
    code: &str,
    span: SourceSpan,
    message: impl Into<String>,
) -> Diagnostic {
    let name = code.trim_start_matches("load/").to_owned();
    Diagnostic::new(code, name, Severity::Error, file, span, message)
}

/// Reads and loads a topology file. `display` is the path shown in diagnostics.
pub fn load_path(path: &Path, display: &str) -> Result<Loaded, Vec<Diagnostic>> {
    let empty = SourceFile::new(display, String::new());
    let io_error = |e: std::io::Error| {
        vec![
            error(
                &empty,
                "load/io",
                SourceSpan::from(0..0),
                format!("cannot read `{display}`: {e}"),
            )
            .with_help("check the path and the file's permissions"),
        ]
    };
    let meta = std::fs::metadata(path).map_err(io_error)?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(vec![
            error(
                &empty,
                "load/too-large",
                SourceSpan::from(0..0),
                format!(
                    "`{display}` is {} bytes; the limit is {MAX_FILE_BYTES} bytes",
                    meta.len()
                ),
            )
            .with_help("split the topology, or check that this is the file you meant"),
        ]);
    }
    let bytes = std::fs::read(path).map_err(io_error)?;
    load_bytes(display, bytes)
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
                    "load/not-utf8",
                    SourceSpan::from(at..at + 1),
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
pub fn parse_typed<T: DeserializeOwned>(
    file: &Arc<SourceFile>,
    schema: &serde_json::Value,
) -> Result<T, Vec<Diagnostic>> {
    let text = file.text.as_str();
    if text.trim().is_empty()
        || text
            .lines()
            .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        return Err(vec![
            error(
                file,
                "load/empty",
                SourceSpan::from(0..0),
                format!("`{}` is empty", file.path),
            )
            .with_help("run `maa init` to write a commented starter topology"),
        ]);
    }
    let options = parser_options();
    let tree: Sp<Node> = serde_saphyr::from_str_with_options(text, options.clone())
        .map_err(|e| vec![yaml_error(file, &e)])?;
    let violations = validate::validate(&tree, schema);
    if !violations.is_empty() {
        return Err(violations
            .into_iter()
            .map(|v| {
                let mut d = error(file, v.problem.code(), v.span, v.message)
                    .with_label(v.label)
                    .with_object(v.path);
                d.help = v.help;
                d
            })
            .collect());
    }
    serde_saphyr::from_str_with_options::<T>(text, options).map_err(|e| vec![yaml_error(file, &e)])
}

/// Turns a serde-saphyr error into a diagnostic with its location.
fn yaml_error(file: &Arc<SourceFile>, e: &serde_saphyr::Error) -> Diagnostic {
    use serde_saphyr::Error as E;
    let (code, help) = match e {
        E::DuplicateMappingKey { .. } => (
            "load/duplicate-key",
            "each key may appear once in a mapping; remove or rename one",
        ),
        E::Budget { .. }
        | E::AliasReplayLimitExceeded { .. }
        | E::AliasExpansionLimitExceeded { .. }
        | E::AliasReplayStackDepthExceeded { .. } => (
            "load/limit",
            "the file exceeds maa's safety limits (nesting depth 64, alias expansion 100k events); a real topology never needs this",
        ),
        E::SerdeUnknownField { .. } => ("load/unknown-key", "check the spelling of the key"),
        E::SerdeMissingField { .. } => ("load/missing-field", "add the missing key"),
        E::SerdeInvalidType { .. }
        | E::SerdeInvalidValue { .. }
        | E::SerdeUnknownVariant { .. } => (
            "load/invalid-value",
            "see `maa schema` for the accepted values",
        ),
        _ => (
            "load/yaml-syntax",
            "fix the YAML syntax at the marked place",
        ),
    };
    let message = e.without_snippet().to_string();
    let lower = message.to_ascii_lowercase();
    let code = if code == "load/yaml-syntax"
        && (lower.contains("recursion") || lower.contains("depth") || lower.contains("nesting"))
    {
        "load/limit"
    } else {
        code
    };
    let message = message.lines().next().unwrap_or("invalid YAML").to_owned();
    let span = e
        .location()
        .and_then(|loc| {
            let s = loc.span();
            s.byte_offset().map(|o| {
                let o = o as usize;
                let len = s.byte_len().unwrap_or(0) as usize;
                SourceSpan::from(o..o + len)
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
    let message = if code == "load/limit" {
        format!("input refused: {message}")
    } else {
        message
    };
    error(file, code, span, message).with_help(help)
}
