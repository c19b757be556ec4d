//! Human output: miette's graphical reports with source snippets.

use std::fmt;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};
use rayon::prelude::*;

use super::shown::Shown;
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::terminal::{escape, escape_line};

/// Adapts a [`Diagnostic`] to `miette::Diagnostic`. Every string of user origin is escaped
/// ([`crate::terminal`]), and the snippet is quoted from the escaped copy of the file when
/// it has one.
struct Render<'a> {
    diag: &'a Diagnostic,
    shown: Option<&'a Shown>,
}

impl Render<'_> {
    /// A span of the real file in the quoted one.
    fn span(&self, span: miette::SourceSpan) -> miette::SourceSpan {
        self.shown.map_or(span, |s| s.span(span))
    }
}

impl fmt::Debug for Render<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diag.message)
    }
}
/// Lines longer than this are not quoted (a 100k-character line of `[[[[` would flood the
/// terminal); the location is written after the message instead.
const MAX_SNIPPET_LINE: usize = 400;

impl Render<'_> {
    fn snippet(&self) -> bool {
        !self.diag.file.text.is_empty()
            && self.diag.file.longest_line(self.diag.span) <= MAX_SNIPPET_LINE
    }
}

impl fmt::Display for Render<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&escape(&self.diag.message))?;
        if !self.diag.file.text.is_empty() && !self.snippet() {
            let (line, col) = self.diag.line_col();
            write!(
                f,
                "\n  at {}:{line}:{col} (line too long to quote)",
                escape_line(&self.diag.file.path)
            )?;
        }
        Ok(())
    }
}
impl std::error::Error for Render<'_> {}

impl miette::Diagnostic for Render<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        let code = escape_line(&self.diag.code);
        if self.diag.name.is_empty() || self.diag.known_code().is_some_and(Code::is_load) {
            Some(Box::new(code.into_owned()))
        } else {
            let name = escape_line(&self.diag.name);
            Some(Box::new(format!("{code}({name})")))
        }
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diag.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.diag
            .help
            .as_ref()
            .map(|h| Box::new(escape(h).into_owned()) as Box<dyn fmt::Display>)
    }
    fn url<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.diag
            .url
            .as_ref()
            .map(|u| Box::new(escape_line(u).into_owned()) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        if !self.snippet() {
            None
        } else if let Some(shown) = self.shown {
            Some(shown)
        } else {
            Some(&*self.diag.file)
        }
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if !self.snippet() {
            return None;
        }
        let label = match &self.diag.label {
            Some(l) => escape(l).into_owned(),
            None => short(&escape(&self.diag.message)),
        };
        let primary = LabeledSpan::new_primary_with_span(Some(label), self.span(self.diag.span));
        let extra = self.diag.labels.iter().map(|l| {
            LabeledSpan::new_with_span(Some(escape(&l.message).into_owned()), self.span(l.span))
        });
        Some(Box::new(std::iter::once(primary).chain(extra)))
    }
}

fn short(message: &str) -> String {
    // The message up to its first `: ` outside backquotes (a quoted `# maa: ignore[…]`
    // keeps its colon).
    let cut = message
        .match_indices(": ")
        .map(|(i, _)| i)
        .find(|&i| message[..i].matches('`').count().is_multiple_of(2))
        .unwrap_or(message.len());
    let first = &message[..cut];
    if first.chars().count() > 60 {
        "here".to_owned()
    } else {
        first.to_owned()
    }
}

/// Options for human output.
#[derive(Debug, Clone, Copy)]
pub struct HumanStyle {
    pub color: bool,
    pub unicode: bool,
    pub width: usize,
}

impl HumanStyle {
    /// Fixed style for tests and files: no colour, unicode, 100 columns.
    pub fn plain() -> Self {
        HumanStyle {
            color: false,
            unicode: true,
            width: 100,
        }
    }
}

/// Renders diagnostics as miette reports followed by a summary line.
pub fn render(diags: &[Diagnostic], style: HumanStyle) -> String {
    let theme = match (style.color, style.unicode) {
        (true, true) => GraphicalTheme::unicode(),
        (false, true) => GraphicalTheme::unicode_nocolor(),
        (true, false) => GraphicalTheme::ascii(),
        (false, false) => GraphicalTheme::none(),
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false)
        .with_context_lines(1);
    let shown = shown_files(diags);
    // Each report is independent of the others, and laying one out (wrapping, snippets) is
    // most of the time of a large report: chunks are rendered in parallel, kept in order.
    let chunks: Vec<String> = diags
        .par_chunks(RENDER_CHUNK)
        .map(|chunk| {
            let mut out = String::new();
            for d in chunk {
                let render = Render {
                    diag: d,
                    shown: shown.get(&file_key(d)).and_then(Option::as_ref),
                };
                if handler.render_report(&mut out, &render).is_err() {
                    out.push_str(&format!(
                        "{}: {}: {}\n",
                        escape_line(&d.file.path),
                        d.severity,
                        escape(&d.message)
                    ));
                }
            }
            out
        })
        .collect();
    chunks.concat()
}

/// Identity of a diagnostic's file (files are shared, not copied, between diagnostics).
fn file_key(d: &Diagnostic) -> usize {
    std::sync::Arc::as_ptr(&d.file) as usize
}

/// The escaped copy of each file that needs one, made once per file.
fn shown_files(diags: &[Diagnostic]) -> std::collections::HashMap<usize, Option<Shown>> {
    let mut files: Vec<_> = diags.iter().map(|d| (file_key(d), &d.file)).collect();
    files.sort_unstable_by_key(|f| f.0);
    files.dedup_by_key(|f| f.0);
    files
        .into_par_iter()
        .map(|(k, f)| (k, Shown::of(f)))
        .collect()
}

/// Reports rendered per parallel task.
const RENDER_CHUNK: usize = 64;

/// The closing summary, e.g. `2 files checked: 2 errors, 1 warning, 0 info`, naming the
/// configuration files used, if any (`; configuration: maa.yaml`). `checked` of the `files`
/// loaded and were checked; when some were not, it says so (`0 of 1 file checked (1 did
/// not load)`), since a file that cannot be read or loaded was not checked.
pub fn summary(diags: &[Diagnostic], files: usize, checked: usize, configs: &[&str]) -> String {
    let count = |s: Severity| diags.iter().filter(|d| d.severity == s).count();
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let used = match configs {
        [] => String::new(),
        [one] => format!("; configuration: {}", escape_line(one)),
        many => {
            let shown: Vec<_> = many.iter().take(3).map(|c| escape_line(c)).collect();
            let more = many.len().saturating_sub(3);
            let more = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            format!("; configurations: {}{more}", shown.join(", "))
        }
    };
    let checked = match files.saturating_sub(checked) {
        0 => format!("{} checked", plural(files, "file")),
        failed => format!(
            "{checked} of {} checked ({failed} did not load)",
            plural(files, "file")
        ),
    };
    format!(
        "{checked}: {}, {}, {}{used}\n",
        plural(count(Severity::Error), "error"),
        plural(count(Severity::Warning), "warning"),
        format_args!("{} info", count(Severity::Info)),
    )
}

/// The per-rule summary (`--statistics`): how many findings each rule reported, most first,
/// then by code, as an aligned table.
pub fn statistics(diags: &[Diagnostic]) -> String {
    let mut by_rule: std::collections::BTreeMap<(&str, &str, Severity), usize> =
        std::collections::BTreeMap::new();
    for d in diags {
        *by_rule.entry((&d.code, &d.name, d.severity)).or_default() += 1;
    }
    let mut rows: Vec<_> = by_rule.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let rows: Vec<[String; 4]> = rows
        .into_iter()
        .map(|((code, name, severity), n)| {
            [
                n.to_string(),
                escape_line(code).into_owned(),
                severity.to_string(),
                escape_line(name).into_owned(),
            ]
        })
        .collect();
    let head = ["count", "code", "severity", "name"].map(str::to_owned);
    let width = |i: usize| {
        std::iter::once(&head)
            .chain(&rows)
            .map(|r| r[i].chars().count())
            .max()
            .unwrap_or(0)
    };
    let w = [width(0), width(1), width(2)];
    let mut out = String::new();
    for r in std::iter::once(&head).chain(&rows) {
        let line = format!(
            "{:>w0$}  {:<w1$}  {:<w2$}  {}",
            r[0],
            r[1],
            r[2],
            r[3],
            w0 = w[0],
            w1 = w[1],
            w2 = w[2]
        );
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
