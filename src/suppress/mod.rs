//! Suppressions and baselines.
//!
//! - Inline: `# maa: ignore[RULE, RULE2] reason` on an object's line, or alone on the line
//!   right above it. It covers that line and the lines nested under it (deeper indentation).
//!   A reason is required (MAA003 otherwise, and the suppression does not apply).
//! - Config: `suppress: [{rule, object, reason, expires, file}]` in `maa.yaml`.
//! - Unused suppressions are MAA001, expired ones MAA002.
//! - Baseline: a JSON file of accepted findings keyed by rule + object path + file (not lines).

pub mod baseline;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, LazyLock};

use miette::SourceSpan;
use regex::Regex;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, SourceFile};

/// Where the acceptance of a suppressed finding is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Acceptance {
    /// An inline `# maa: ignore[…]` comment in the topology; the span is the comment's.
    Inline { comment: SourceSpan },
    /// A `suppress:` entry of a configuration file (its path as shown, and its index).
    Config { file: String, index: usize },
    /// An entry of a baseline file (its path as given).
    Baseline { file: String },
}

/// A finding that was found, then accepted: by an inline comment, a configuration
/// suppression or a baseline. Reports show it as suppressed (SARIF `suppressions`, JUnit
/// `skipped`) instead of dropping it silently.
#[derive(Debug, Clone)]
pub struct Suppressed {
    pub finding: Diagnostic,
    pub by: Acceptance,
    /// Why: the reason the comment or configuration gives, or which baseline accepted it.
    pub reason: String,
}

impl Suppressed {
    /// Whether the acceptance is written in the topology itself (SARIF `inSource`).
    pub fn in_source(&self) -> bool {
        matches!(self.by, Acceptance::Inline { .. })
    }

    /// The reason, with where the acceptance is written when that is not the topology.
    pub fn justification(&self) -> String {
        match &self.by {
            Acceptance::Inline { .. } | Acceptance::Baseline { .. } => self.reason.clone(),
            Acceptance::Config { file, index } => {
                format!("{} (suppress[{index}] of `{file}`)", self.reason)
            }
        }
    }
}

/// Sorts suppressed findings in the order of [`crate::diagnostic::sort`] (not merged:
/// each one was found).
pub fn sort(found: &mut [Suppressed]) {
    found.sort_by(|a, b| a.finding.sort_key().cmp(&b.finding.sort_key()));
}

/// An inline `# maa: ignore[...]` comment.
#[derive(Debug, Clone)]
pub struct Inline {
    /// Span of the comment.
    pub span: SourceSpan,
    /// Rules as written, with the code they resolve to (None when unknown).
    pub rules: Vec<(String, Option<String>)>,
    pub reason: Option<String>,
    /// 1-based first and last line covered.
    pub first: usize,
    pub last: usize,
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn is_blank_or_comment(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#')
}

/// Each line of `text` with its start: lines end at LF, CRLF or a lone CR, as YAML and
/// [`SourceFile`] count them (so line numbers agree with the findings').
fn line_spans(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            let b = bytes[i];
            if b == b'\n' || b == b'\r' {
                let line = (start, text.get(start..i).unwrap_or(""));
                i += if b == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                };
                start = i;
                return Some(line);
            }
            i += 1;
        }
        if start < bytes.len() {
            let line = (start, text.get(start..).unwrap_or(""));
            start = bytes.len();
            return Some(line);
        }
        None
    })
}

/// `# maa: ignore[RULES] reason`. A literal pattern: the `inline_pattern_compiles` test
/// compiles it, so the `expect` cannot fire in a build whose tests pass (before, a pattern
/// that failed to compile silently turned off every inline suppression).
#[expect(
    clippy::expect_used,
    reason = "a literal pattern, compiled by a unit test"
)]
static INLINE_IGNORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"#\s*maa:\s*ignore\[([^\]]*)\]\s*(.*)$")
        .expect("the inline-ignore pattern compiles")
});

/// Finds every inline suppression comment of a file.
pub fn parse_inline(file: &SourceFile) -> Vec<Inline> {
    let re = &*INLINE_IGNORE;
    let (starts, lines): (Vec<usize>, Vec<&str>) = line_spans(&file.text).unzip();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(c) = re.captures(line) else { continue };
        let (Some(all), Some(list)) = (c.get(0), c.get(1)) else {
            continue;
        };
        // A `#` inside a quoted scalar is not a comment: require the match to start a comment.
        let before = &line[..all.start()];
        if before.matches('"').count() % 2 == 1 || before.matches('\'').count() % 2 == 1 {
            continue;
        }
        let reason = c
            .get(2)
            .map(|r| {
                r.as_str()
                    .trim()
                    .trim_start_matches(['-', ':'])
                    .trim()
                    .to_owned()
            })
            .filter(|r| !r.is_empty());
        let rules = list
            .as_str()
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                (
                    s.to_owned(),
                    crate::rules::find(s).map(|r| r.doc().code.clone()),
                )
            })
            .collect();
        let alone = before.trim().is_empty();
        // The target line: this one (trailing comment) or the next non-comment line.
        let target = if alone {
            (i + 1..lines.len()).find(|&j| lines.get(j).is_some_and(|l| !is_blank_or_comment(l)))
        } else {
            Some(i)
        };
        let (first, last) = match target {
            Some(t) => {
                let base = lines.get(t).map_or(0, |l| indent(l));
                let mut last = t;
                for j in t + 1..lines.len() {
                    let Some(l) = lines.get(j) else { break };
                    if is_blank_or_comment(l) {
                        continue;
                    }
                    if indent(l) > base {
                        last = j;
                    } else {
                        break;
                    }
                }
                (t + 1, last + 1)
            }
            None => (i + 1, i + 1),
        };
        let start = starts.get(i).copied().unwrap_or(0) + all.start();
        out.push(Inline {
            span: SourceSpan::from(start..start + all.len()),
            rules,
            reason,
            first,
            last,
        });
    }
    out
}

fn meta(
    code: &str,
    file: &Arc<SourceFile>,
    span: SourceSpan,
    object: String,
    message: String,
) -> Option<Diagnostic> {
    let rule = crate::rules::find(code)?;
    let doc = rule.doc();
    let mut d = Diagnostic::new(&doc.code, &doc.name, doc.severity, file, span, message)
        .with_object(object);
    d.url = Some(doc.url());
    d.help = Some(doc.fix_line());
    Some(d)
}

/// Applies inline suppressions to one file's findings. Returns the findings kept, the
/// suppression findings (MAA001 unused, MAA003 without reason) and the findings suppressed.
pub fn apply_inline(
    file: &Arc<SourceFile>,
    diags: Vec<Diagnostic>,
) -> (Vec<Diagnostic>, Vec<Diagnostic>, Vec<Suppressed>) {
    let inlines = parse_inline(file);
    if inlines.is_empty() {
        return (diags, Vec::new(), Vec::new());
    }
    let mut used: std::collections::BTreeSet<(usize, String)> = std::collections::BTreeSet::new();
    let mut kept = Vec::new();
    let mut suppressed = Vec::new();
    for d in diags {
        let (line, _) = d.line_col();
        let hit = inlines.iter().enumerate().find(|(_, s)| {
            s.reason.is_some()
                && line >= s.first
                && line <= s.last
                && s.rules
                    .iter()
                    .any(|(_, c)| c.as_deref() == Some(d.code.as_str()))
        });
        match hit {
            Some((i, s)) if d.file.path == file.path => {
                used.insert((i, d.code.clone()));
                suppressed.push(Suppressed {
                    reason: s.reason.clone().unwrap_or_default(),
                    by: Acceptance::Inline { comment: s.span },
                    finding: d,
                });
            }
            _ => kept.push(d),
        }
    }
    let mut extra = Vec::new();
    for (i, s) in inlines.iter().enumerate() {
        let object = format!("line {}", s.first);
        if s.reason.is_none() {
            let ids: Vec<&str> = s.rules.iter().map(|(w, _)| w.as_str()).collect();
            extra.extend(
                meta(
                    "MAA003",
                    file,
                    s.span,
                    object.clone(),
                    format!(
                        "`# maa: ignore[{}]` gives no reason, so it is not applied",
                        ids.join(", ")
                    ),
                )
                .map(|d| d.with_label("no reason after the rule list")),
            );
            continue;
        }
        for (written, code) in &s.rules {
            match code {
                None => extra.extend(meta(
                    "MAA001",
                    file,
                    s.span,
                    object.clone(),
                    format!("`# maa: ignore[{written}]` names no rule"),
                )),
                Some(code) if !used.contains(&(i, code.clone())) => extra.extend(meta(
                    "MAA001",
                    file,
                    s.span,
                    object.clone(),
                    format!(
                        "`# maa: ignore[{written}]` suppresses nothing on lines {}-{}",
                        s.first, s.last
                    ),
                )),
                Some(_) => {}
            }
        }
    }
    (kept, extra, suppressed)
}

/// Use counts of a config's suppressions over a whole run (unused ones are reported once).
#[derive(Debug, Default)]
pub struct ConfigUsage {
    pub used: BTreeMap<(String, usize), usize>,
}

impl ConfigUsage {
    /// Adds the counts of another part of the run.
    pub fn merge(&mut self, other: ConfigUsage) {
        for (k, n) in other.used {
            *self.used.entry(k).or_default() += n;
        }
    }
}

/// Applies a config's suppressions to one file's findings. Expired suppressions do not apply.
/// Returns the findings kept and those suppressed.
pub fn apply_config(
    config: &Config,
    topology: &Path,
    diags: Vec<Diagnostic>,
    usage: &mut ConfigUsage,
) -> (Vec<Diagnostic>, Vec<Suppressed>) {
    let today = crate::config::glob::today();
    let rel = config.relative(topology);
    let given = topology.to_string_lossy().replace('\\', "/");
    let mut kept = Vec::new();
    let mut suppressed = Vec::new();
    for d in diags {
        let hit = config
            .raw
            .suppress
            .iter()
            .zip(&config.suppress_patterns)
            .enumerate()
            .find(|(_, (s, (obj, file_re, code)))| {
                let live = s
                    .expires
                    .as_ref()
                    .and_then(|e| crate::config::glob::parse_date(&e.value))
                    .is_none_or(|e| today <= e);
                live && *code == d.code
                    && obj.is_match(&d.object)
                    && file_re
                        .as_ref()
                        .is_none_or(|f| f.is_match(&rel) || f.is_match(&given))
            });
        match hit {
            Some((i, (s, _))) => {
                *usage.used.entry((config.file.path.clone(), i)).or_default() += 1;
                suppressed.push(Suppressed {
                    reason: s.reason.value.clone(),
                    by: Acceptance::Config {
                        file: config.file.path.clone(),
                        index: i,
                    },
                    finding: d,
                });
            }
            None => kept.push(d),
        }
    }
    (kept, suppressed)
}

/// MAA001/MAA002 findings for a config's unused and expired suppressions.
pub fn config_report(config: &Config, usage: &ConfigUsage) -> Vec<Diagnostic> {
    let today = crate::config::glob::today();
    let mut out = Vec::new();
    for (i, s) in config.raw.suppress.iter().enumerate() {
        let object = crate::resolve::path::suppression(i).into_string();
        let expired = s
            .expires
            .as_ref()
            .and_then(|e| crate::config::glob::parse_date(&e.value).map(|d| (e, d)))
            .filter(|(_, d)| today > *d);
        if let Some((e, _)) = expired {
            out.extend(
                meta(
                    "MAA002",
                    &config.file,
                    e.span,
                    object,
                    format!(
                        "the suppression of {} on `{}` expired on {}",
                        s.rule.value, s.object.value, e.value
                    ),
                )
                .map(|d| d.with_label("expired")),
            );
            continue;
        }
        if usage
            .used
            .get(&(config.file.path.clone(), i))
            .copied()
            .unwrap_or(0)
            == 0
        {
            out.extend(
                meta(
                    "MAA001",
                    &config.file,
                    s.rule.span,
                    object,
                    format!(
                        "the suppression of {} on `{}` matched no finding",
                        s.rule.value, s.object.value
                    ),
                )
                .map(|d| d.with_label("unused")),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOPO: &str = "domains:\n  - name: d\n    clusters:\n      # maa: ignore[WLS001, cluster-single-host] pilot until June\n      - name: c1\n        servers:\n          - {name: s1, host: h1}\n      - name: c2 # maa: ignore[nosuch]\n        servers: []\n  # maa: ignore[WLS002]\n  - name: e\n";

    #[test]
    fn inline_pattern_compiles() {
        let re = LazyLock::force(&INLINE_IGNORE);
        let c = re.captures("x: 1 # maa: ignore[WLS001] why");
        let got = c.map(|c| (c.get(1).map(|m| m.as_str()), c.get(2).map(|m| m.as_str())));
        assert_eq!(got, Some((Some("WLS001"), Some("why"))));
    }

    #[test]
    fn comment_covers_the_next_object_and_what_is_nested_under_it() {
        let f = SourceFile::new("t.yaml", TOPO.to_owned());
        let v = parse_inline(&f);
        assert_eq!(v.len(), 3);
        let first = &v[0];
        assert_eq!(
            (first.first, first.last),
            (5, 7),
            "c1 and its servers, not c2"
        );
        assert_eq!(first.reason.as_deref(), Some("pilot until June"));
        assert_eq!(
            first.rules,
            vec![
                ("WLS001".to_owned(), Some("WLS001".to_owned())),
                ("cluster-single-host".to_owned(), Some("WLS002".to_owned()))
            ]
        );
        let trailing = &v[1];
        assert_eq!((trailing.first, trailing.last), (8, 9));
        assert_eq!(trailing.rules, vec![("nosuch".to_owned(), None)]);
        assert!(trailing.reason.is_none());
        assert_eq!((v[2].first, v[2].last), (11, 11));
    }

    #[test]
    fn cr_and_crlf_line_endings_give_the_same_comments_as_lf() {
        let lf = parse_inline(&SourceFile::new("t.yaml", TOPO.to_owned()));
        for ending in ["\r", "\r\n"] {
            let text = TOPO.replace('\n', ending);
            let other = parse_inline(&SourceFile::new("t.yaml", text.clone()));
            assert_eq!(lf.len(), other.len(), "{ending:?}");
            for (a, b) in lf.iter().zip(&other) {
                assert_eq!(
                    (a.first, a.last, &a.rules, &a.reason),
                    (b.first, b.last, &b.rules, &b.reason)
                );
                let at = b.span.offset();
                assert!(
                    text[at..].starts_with("# maa:"),
                    "{ending:?}: {}",
                    &text[at..]
                );
            }
        }
    }

    #[test]
    fn a_hash_inside_quotes_is_not_a_comment() {
        let f = SourceFile::new(
            "t.yaml",
            "description: \"see # maa: ignore[WLS001] x\"\n".to_owned(),
        );
        assert!(parse_inline(&f).is_empty());
    }
}
