//! Report: diagnostics as human text, JSON, SARIF 2.1.0 or GitHub annotations; the graph
//! (DOT, Mermaid, JSON), the simulation report and the rule documentation.

pub mod docs;
pub mod github;
pub mod graph;
pub mod human;
pub mod json;
pub mod sarif;
mod shown;
pub mod simulate;

/// Output format of `maa check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Graphical reports with source snippets.
    Human,
    /// Stable JSON (see docs/json-output.md).
    Json,
    /// SARIF 2.1.0 for code-scanning tools.
    Sarif,
    /// GitHub Actions annotations.
    Github,
}
