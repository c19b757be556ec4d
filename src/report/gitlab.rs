//! GitLab Code Quality report (the Code Climate issue subset GitLab reads): a JSON array of
//! `{description, check_name, fingerprint, severity, location: {path, lines: {begin}}}`.
//! The fingerprint is the baseline key (rule, object path, file) and never a line number,
//! so an issue keeps its identity when lines move and GitLab shows it as unchanged.
//! Accepted findings are left out: the format has no way to say "accepted".

use std::collections::BTreeMap;

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::diagnostic::{Diagnostic, Severity};

#[derive(Serialize)]
struct Issue<'a> {
    description: &'a str,
    check_name: &'a str,
    fingerprint: String,
    severity: &'static str,
    location: Location,
    #[serde(skip_serializing_if = "Option::is_none")]
    content: Option<Content>,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
}

#[derive(Serialize)]
struct Content {
    body: String,
}

/// GitLab's severity: `info`, `minor` (warning), `critical` (error) and `blocker` for a
/// file that does not load or a configuration in error (nothing of it was checked).
pub fn severity(d: &Diagnostic) -> &'static str {
    if d.code.contains('/') {
        return "blocker";
    }
    match d.severity {
        Severity::Info => "info",
        Severity::Warning => "minor",
        Severity::Error => "critical",
    }
}

/// SHA-256 (hex) of rule code, object path, repository-relative file and the occurrence of
/// that key in the report (0 for the first: two findings of one rule on one object differ).
pub fn fingerprint(code: &str, object: &str, file: &str, occurrence: usize) -> String {
    let mut h = Sha256::new();
    for part in [code, object, file, &occurrence.to_string()] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Renders diagnostics as a GitLab Code Quality report (pretty JSON, trailing newline).
pub fn render(diags: &[Diagnostic]) -> String {
    let mut paths: BTreeMap<&str, String> = BTreeMap::new();
    let mut seen: BTreeMap<(&str, &str, &str), usize> = BTreeMap::new();
    let issues: Vec<Issue<'_>> = diags
        .iter()
        .map(|d| {
            let path = paths
                .entry(&d.file.path)
                .or_insert_with(|| super::sarif::repository_path(&d.file.path))
                .clone();
            let n = seen.entry((&d.code, &d.object, &d.file.path)).or_default();
            let fingerprint = fingerprint(&d.code, &d.object, &path, *n);
            *n += 1;
            let mut body = d.help.clone().unwrap_or_default();
            if let Some(u) = &d.url {
                if !body.is_empty() {
                    body.push_str("\n\n");
                }
                body.push_str(u);
            }
            Issue {
                description: &d.message,
                check_name: &d.code,
                fingerprint,
                severity: severity(d),
                location: Location {
                    path,
                    lines: Lines {
                        begin: d.line_col().0,
                    },
                },
                content: (!body.is_empty()).then_some(Content { body }),
            }
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&issues).unwrap_or_default();
    out.push('\n');
    out
}
