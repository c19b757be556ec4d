//! One line per finding, `path:line:col: CODE [severity] message`, for terminals and editors
//! (`maa check --format concise`). Every value of user origin is escaped for the terminal
//! and line breaks are shown as `\n`, so a finding is exactly one line.

use crate::diagnostic::Diagnostic;
use crate::terminal::escape_line;

/// Renders diagnostics one per line.
pub fn render(diags: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diags {
        let (line, col) = d.line_col();
        out.push_str(&format!(
            "{}:{line}:{col}: {} [{}] {}\n",
            escape_line(&d.file.path),
            escape_line(&d.code),
            d.severity,
            escape_line(&d.message)
        ));
    }
    out
}
