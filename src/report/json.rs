//! JSON output: a stable, documented shape (see `docs/json-output.md`).

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Severity};

/// Version of the JSON output format; bumped on any incompatible change.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    tool: Tool,
    summary: Summary,
    diagnostics: Vec<Entry<'a>>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    errors: usize,
    warnings: usize,
    info: usize,
}

#[derive(Serialize)]
struct Entry<'a> {
    code: &'a str,
    name: &'a str,
    severity: Severity,
    message: &'a str,
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    offset: usize,
    length: usize,
    object: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    labels: Vec<LabelEntry<'a>>,
}

#[derive(Serialize)]
struct LabelEntry<'a> {
    message: &'a str,
    line: usize,
    column: usize,
    offset: usize,
    length: usize,
}

/// Renders diagnostics as pretty JSON with a trailing newline.
pub fn render(diags: &[Diagnostic], files: usize) -> String {
    let count = |s: Severity| diags.iter().filter(|d| d.severity == s).count();
    let out = Output {
        version: FORMAT_VERSION,
        tool: Tool {
            name: "maa",
            version: env!("CARGO_PKG_VERSION"),
        },
        summary: Summary {
            files,
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            info: count(Severity::Info),
        },
        diagnostics: diags
            .iter()
            .map(|d| {
                let (line, column) = d.line_col();
                let (end_line, end_column) = d.end_line_col();
                Entry {
                    code: &d.code,
                    name: &d.name,
                    severity: d.severity,
                    message: &d.message,
                    file: &d.file.path,
                    line,
                    column,
                    end_line,
                    end_column,
                    offset: d.span.offset(),
                    length: d.span.len(),
                    object: &d.object,
                    help: d.help.as_deref(),
                    url: d.url.as_deref(),
                    labels: d
                        .labels
                        .iter()
                        .map(|l| {
                            let (line, column) = d.file.line_col(l.span.offset());
                            LabelEntry {
                                message: &l.message,
                                line,
                                column,
                                offset: l.span.offset(),
                                length: l.span.len(),
                            }
                        })
                        .collect(),
                }
            })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&out).unwrap_or_default();
    text.push('\n');
    text
}
