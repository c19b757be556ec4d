//! Render: the configuration artifacts that implement a checked topology.
//!
//! Each target turns the resolved [`Model`] into one or more [`Artifact`]s (a relative path
//! and its full content). Rendering is pure and deterministic; writing is done by
//! [`write`] (atomic, whole files, never through a link, recorded in a manifest) or
//! compared by [`drift`] for `maa render --check` ([`out`]).

use std::path::{Path, PathBuf};

use crate::resolve::Model;

pub mod aws;
pub mod oracle;
pub mod out;

pub use out::{Drift, OutError, Pruned};

/// A generated file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Artifact {
    /// Path relative to the output directory, with `/` separators.
    pub path: String,
    pub content: String,
    /// Whether the file should be executable (shell scripts).
    pub executable: bool,
    /// The target that rendered it (set by [`render`]).
    pub target: &'static str,
}

impl Artifact {
    pub fn new(path: impl Into<String>, content: impl Into<String>) -> Artifact {
        Artifact {
            path: path.into(),
            content: content.into(),
            executable: false,
            target: "",
        }
    }
    pub fn executable(mut self) -> Artifact {
        self.executable = true;
        self
    }
}

/// A render failure: the model cannot be represented in the target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderError {
    pub target: &'static str,
    pub message: String,
}

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.target, self.message)
    }
}

/// A render target.
pub struct Target {
    /// Name used on the command line (`--target tnsnames`).
    pub name: &'static str,
    /// One line for `--help` and `maa render --list`.
    pub about: &'static str,
    pub render: fn(&Model) -> Result<Vec<Artifact>, RenderError>,
}

/// Every target, in the order `all` renders them.
pub fn targets() -> &'static [Target] {
    TARGETS
}

static TARGETS: &[Target] = &[
    oracle::TNSNAMES,
    oracle::WLST,
    oracle::OHS,
    oracle::DGMGRL,
    oracle::SRVCTL,
    aws::CLOUDFORMATION,
    aws::LAUNCH_TEMPLATE,
    aws::USER_DATA,
    aws::LAMBDA,
    aws::PLAN,
];

/// Finds a target by name.
pub fn target(name: &str) -> Option<&'static Target> {
    TARGETS.iter().find(|t| t.name == name)
}

/// Renders the named targets; artifacts are sorted by path and paths are unique.
pub fn render(model: &Model, names: &[&str]) -> Result<Vec<Artifact>, RenderError> {
    let mut out: Vec<Artifact> = Vec::new();
    for name in names {
        let t = target(name).ok_or_else(|| RenderError {
            target: "render",
            message: format!("unknown target `{name}`"),
        })?;
        out.extend((t.render)(model)?.into_iter().map(|mut a| {
            a.target = t.name;
            a
        }));
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    if let Some(w) = out.windows(2).find(|w| w[0].path == w[1].path) {
        return Err(RenderError {
            target: "render",
            message: format!("two targets write `{}`", w[0].path),
        });
    }
    Ok(out)
}

/// Writes one file atomically with a Unix mode (the one place render writes files).
fn write_file(path: &Path, bytes: &[u8], mode: u32) -> std::io::Result<()> {
    crate::fsio::write_atomic_mode(path, bytes, Some(mode))
}

/// Writes the artifacts of `targets` under `dir`, each atomically (an existing file is
/// only ever replaced by a complete new one), never through a link, and records them in
/// the manifest ([`out`]).
pub fn write(
    dir: &Path,
    targets: &[&str],
    artifacts: &[Artifact],
) -> Result<Vec<PathBuf>, OutError> {
    out::write(dir, targets, artifacts)
}

/// Compares the artifacts of `targets` with the files under `dir` ([`out::drift`]).
pub fn drift(dir: &Path, targets: &[&str], artifacts: &[Artifact]) -> Result<Vec<Drift>, OutError> {
    out::drift(dir, targets, artifacts)
}

/// Above this many lines (both sides together) `--check` names the file instead of diffing
/// it: Myers' diff is O((n + m) · d), and a rendered artifact is at most a few thousand
/// lines, so only a foreign file under `--out` gets here.
const MAX_DIFF_LINES: usize = 20_000;

/// A standard unified diff (3 lines of context) from the file on disk to the rendered one.
pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    let (n, m) = (old.lines().count(), new.lines().count());
    if n + m > MAX_DIFF_LINES {
        return format!(
            "--- {path} (on disk)\n+++ {path} (rendered)\n\
             files differ ({n} vs {m} lines; too large to diff line by line)\n"
        );
    }
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("{path} (on disk)"), &format!("{path} (rendered)"))
        .to_string()
}

/// Resolves `all` and de-duplicates target names, keeping the canonical order.
pub fn expand_targets(requested: &[String]) -> Result<Vec<&'static str>, String> {
    let mut chosen: Vec<&'static str> = Vec::new();
    for r in requested {
        if r == "all" {
            chosen.extend(TARGETS.iter().map(|t| t.name));
        } else if let Some(t) = target(r) {
            chosen.push(t.name);
        } else {
            let names: Vec<&str> = TARGETS.iter().map(|t| t.name).collect();
            let hint = crate::diagnostic::suggest(r, names.iter().copied())
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            return Err(format!(
                "unknown render target `{r}`{hint}; targets: all, {}",
                names.join(", ")
            ));
        }
    }
    let order: Vec<&str> = TARGETS.iter().map(|t| t.name).collect();
    chosen.sort_by_key(|n| order.iter().position(|o| o == n));
    chosen.dedup();
    Ok(chosen)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unified_diff_has_standard_hunks_with_context() {
        let old: String = (1..=20).map(|i| format!("line {i}\n")).collect();
        let new = old
            .replace("line 2\n", "line two\n")
            .replace("line 18\n", "line eighteen\n");
        let diff = unified_diff("x.ora", &old, &new);
        assert_eq!(
            diff,
            "--- x.ora (on disk)\n+++ x.ora (rendered)\n\
             @@ -1,5 +1,5 @@\n line 1\n-line 2\n+line two\n line 3\n line 4\n line 5\n\
             @@ -15,6 +15,6 @@\n line 15\n line 16\n line 17\n-line 18\n+line eighteen\n \
             line 19\n line 20\n"
        );
        // Changes within twice the context of each other share one hunk.
        let near = old
            .replace("line 5\n", "five\n")
            .replace("line 8\n", "eight\n");
        let diff = unified_diff("x", &old, &near);
        assert_eq!(diff.matches("\n@@ ").count(), 1, "{diff}");
        assert!(diff.contains("@@ -2,10 +2,10 @@\n"), "{diff}");
    }

    #[test]
    fn unified_diff_marks_a_missing_final_newline_and_bounds_its_work() {
        let diff = unified_diff("f", "a\nb\n", "a\nb");
        assert!(diff.contains("\\ No newline at end of file"), "{diff}");
        let big = "x\n".repeat(MAX_DIFF_LINES);
        let diff = unified_diff("f", &big, "y\n");
        assert!(
            diff.ends_with("too large to diff line by line)\n"),
            "{diff}"
        );
    }
}
