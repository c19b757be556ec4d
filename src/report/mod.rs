//! Report: diagnostics as human text, JSON, SARIF 2.1.0, GitHub annotations, JUnit XML,
//! GitLab Code Quality or one line per finding; the graph
//! (DOT, Mermaid, JSON), the simulation report and the rule documentation.

pub mod concise;
pub mod docs;
pub mod github;
pub mod gitlab;
pub mod graph;
pub mod html;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;
mod shown;
pub mod simulate;

/// Output format of `maa check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Graphical reports with source snippets (`text` is accepted too).
    #[value(alias = "text")]
    Human,
    /// Stable JSON (see docs/json-output.md).
    Json,
    /// SARIF 2.1.0 for code-scanning tools.
    Sarif,
    /// GitHub Actions annotations.
    Github,
    /// JUnit XML (Apache Ant schema): one testsuite per file, one testcase per rule × object.
    Junit,
    /// GitLab Code Quality JSON.
    Gitlab,
    /// One line per finding: `path:line:col: CODE [severity] message`.
    Concise,
}
