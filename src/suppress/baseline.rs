//! Baseline files: accepted findings keyed by rule + object path + file, never line numbers,
//! so edits elsewhere in a topology do not resurface them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::resolve::Objects;

/// Format version of the baseline file.
pub const VERSION: u32 = 1;

/// One accepted finding (with a count when the same key occurs several times).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub rule: String,
    pub object: String,
    pub file: String,
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub count: usize,
    /// The message when the baseline was written (informative only; not matched).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message: String,
}

fn one() -> usize {
    1
}
fn is_one(n: &usize) -> bool {
    *n == 1
}

/// A baseline file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<Entry>,
}

fn key(d: &Diagnostic) -> (String, String, String) {
    (
        d.code.clone(),
        d.object.clone(),
        d.file.path.replace('\\', "/"),
    )
}

/// Builds a baseline from findings (load errors, which have no rule, are not baselined).
pub fn from_findings(diags: &[Diagnostic]) -> Baseline {
    let mut map: BTreeMap<(String, String, String), (usize, String)> = BTreeMap::new();
    for d in diags.iter().filter(|d| !d.code.contains('/')) {
        let e = map.entry(key(d)).or_insert((0, d.message.clone()));
        e.0 += 1;
    }
    Baseline {
        version: VERSION,
        findings: map
            .into_iter()
            .map(|((rule, object, file), (count, message))| Entry {
                rule,
                object,
                file,
                count,
                message,
            })
            .collect(),
    }
}

/// The baseline as pretty JSON with a trailing newline (deterministic).
pub fn to_text(b: &Baseline) -> String {
    let mut s = serde_json::to_string_pretty(b).unwrap_or_default();
    s.push('\n');
    s
}

/// Parses a baseline file.
pub fn parse(text: &str) -> Result<Baseline, String> {
    let b: Baseline = serde_json::from_str(text).map_err(|e| e.to_string())?;
    if b.version != VERSION {
        return Err(format!(
            "unsupported baseline version {} (expected {VERSION})",
            b.version
        ));
    }
    Ok(b)
}

/// Removes the findings the baseline accepts; returns the rest and those removed.
pub fn filter(b: &Baseline, diags: Vec<Diagnostic>) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    let mut budget: BTreeMap<(String, String, String), usize> = BTreeMap::new();
    for e in &b.findings {
        *budget
            .entry((e.rule.clone(), e.object.clone(), e.file.clone()))
            .or_default() += e.count;
    }
    diags
        .into_iter()
        .partition(|d| match budget.get_mut(&key(d)) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        })
}

/// The entries of `b` for topology `file` (as findings name it) whose object is no object of
/// that topology (`objects`): renamed or removed since the baseline was written, they can
/// never match a finding again. Entries of the suppression reports (`MAA…`, which name a
/// comment's line or a configuration entry) and of findings on the topology as a whole (no
/// object) are not about a named object and are never stale this way.
pub fn stale(b: &Baseline, file: &str, objects: &Objects) -> Vec<Entry> {
    b.findings
        .iter()
        .filter(|e| e.file == file && !e.rule.starts_with("MAA") && !e.object.is_empty())
        .filter(|e| objects.find(&e.object).is_none())
        .cloned()
        .collect()
}
