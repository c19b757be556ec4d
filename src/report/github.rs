//! GitHub Actions workflow commands (`::error file=…,line=…::message`), one per line.

use crate::diagnostic::{Diagnostic, Severity};
use crate::terminal;

/// A value in a workflow command: control characters of user origin shown escaped
/// ([`crate::terminal`]), then GitHub's own escapes (line breaks become `%0A`).
fn escape_data(s: &str) -> String {
    terminal::escape(s)
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(&terminal::escape_line(s))
        .replace(':', "%3A")
        .replace(',', "%2C")
}

/// Renders diagnostics as GitHub annotations.
pub fn render(diags: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diags {
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let (line, col) = d.line_col();
        let (end_line, end_col) = d.end_line_col();
        let title = if d.name.is_empty() {
            d.code.clone()
        } else {
            format!("{} ({})", d.code, d.name)
        };
        let mut message = d.message.clone();
        if let Some(h) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(h);
        }
        out.push_str(&format!(
            "::{level} file={},line={line},col={col},endLine={end_line},endColumn={end_col},title={}::{}\n",
            escape_property(&d.file.path),
            escape_property(&title),
            escape_data(&message)
        ));
    }
    out
}
