//! The one diagnostic type: load errors and rule findings alike carry a code, a severity,
//! a message, the YAML span, extra labels, a help line and the path of the object concerned.

use std::fmt;
use std::sync::Arc;

use miette::SourceSpan;
use serde::{Deserialize, Serialize};

/// How bad a finding is.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A loaded source file: its display path and text, with a line index.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as the user gave it (relative paths stay relative).
    pub path: String,
    pub text: String,
    line_starts: Vec<usize>,
    /// Characters before each multiple of [`BLOCK`] bytes: a column is then counted from
    /// the nearest block, not from the line's start (many findings on one long line were
    /// quadratic).
    block_chars: Vec<usize>,
}

/// Bytes between two entries of [`SourceFile::block_chars`].
const BLOCK: usize = 1024;

/// Characters that start in `bytes` (bytes that are not UTF-8 continuation bytes).
fn chars_in(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count()
}

impl SourceFile {
    pub fn new(path: impl Into<String>, text: String) -> Arc<SourceFile> {
        // Line breaks as YAML (and miette) count them: LF, CRLF and a lone CR.
        let bytes = text.as_bytes();
        let mut line_starts = vec![0];
        line_starts.extend(bytes.iter().enumerate().filter_map(|(i, &b)| {
            let lone_cr = b == b'\r' && bytes.get(i + 1) != Some(&b'\n');
            (b == b'\n' || lone_cr).then_some(i + 1)
        }));
        let mut block_chars = vec![0];
        for chunk in bytes.chunks(BLOCK) {
            let before = block_chars.last().copied().unwrap_or(0);
            block_chars.push(before + chars_in(chunk));
        }
        Arc::new(SourceFile {
            path: path.into(),
            text,
            line_starts,
            block_chars,
        })
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_of(offset) + 1;
        let start = self.line_starts.get(line - 1).copied().unwrap_or(0);
        (
            line,
            self.chars_before(offset) - self.chars_before(start) + 1,
        )
    }

    /// Characters that start before byte `offset`, counted from the nearest block.
    fn chars_before(&self, offset: usize) -> usize {
        let block = offset / BLOCK;
        let from = block * BLOCK;
        let counted = self.block_chars.get(block).copied().unwrap_or(0);
        counted + chars_in(self.text.as_bytes().get(from..offset).unwrap_or_default())
    }

    /// 0-based index of the line holding byte `offset`.
    fn line_of(&self, offset: usize) -> usize {
        self.line_starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    /// Length in bytes of the longest line that `span` touches.
    /// Line breaks are LF, CRLF and a lone CR, as for line numbers; from the line index, so
    /// without scanning the text (it was scanned from the start for every finding).
    pub fn longest_line(&self, span: SourceSpan) -> usize {
        let len = self.text.len();
        let start = span.offset().min(len);
        let end = span.offset().saturating_add(span.len()).min(len);
        let bytes = self.text.as_bytes();
        (self.line_of(start)..=self.line_of(end))
            .map(|l| {
                let from = self.line_starts.get(l).copied().unwrap_or(len);
                let mut to = self.line_starts.get(l + 1).copied().unwrap_or(len);
                // Without its line break (LF, CRLF or CR).
                if to > from && bytes.get(to - 1) == Some(&b'\n') {
                    to -= 1;
                }
                if to > from && bytes.get(to - 1) == Some(&b'\r') {
                    to -= 1;
                }
                to - from
            })
            .max()
            .unwrap_or(0)
    }

    /// Makes a zero-length span cover the rest of its line (trimmed), so labels are visible.
    pub fn widen(&self, span: SourceSpan) -> SourceSpan {
        if !span.is_empty() || self.text.is_empty() {
            return span;
        }
        let start = span.offset().min(self.text.len());
        let rest = self.text.get(start..).unwrap_or("");
        // The line is looked for in its first kilobyte only: 120 bytes are kept, and
        // scanning a long line for every finding on it was quadratic.
        let mut window = rest.len().min(BLOCK);
        while !rest.is_char_boundary(window) {
            window -= 1;
        }
        let rest = rest.get(..window).unwrap_or("");
        let end = rest.find(['\n', '\r']).unwrap_or(rest.len());
        let line = rest.get(..end).unwrap_or("").trim_end();
        let line = line.split(" #").next().unwrap_or(line).trim_end();
        // At most 120 bytes, on a character boundary: enough to mark a key or a value.
        let mut len = line.len().min(120);
        while len > 0 && !line.is_char_boundary(len) {
            len -= 1;
        }
        SourceSpan::from(start..start + len)
    }
}

impl miette::SourceCode for SourceFile {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        // `str::read_span` scans from the start of the text, which made human output
        // O(findings × file size). Read from a window of whole lines around the span
        // instead (one spare line each side), then shift lines and offsets back.
        let len = self.text.len();
        let start = span.offset().min(len);
        let end = span.offset().saturating_add(span.len()).min(len);
        let first = self.line_of(start);
        let last = self.line_of(end);
        let from_line = first.saturating_sub(before + 1);
        let to_line = last + after + 2;
        let from = self.line_starts.get(from_line).copied().unwrap_or(0);
        let to = self.line_starts.get(to_line).copied().unwrap_or(len);
        let window = self.text.get(from..to).unwrap_or("");
        let local = SourceSpan::from((start - from, end - start));
        let inner = window.read_span(&local, before, after)?;
        Ok(Box::new(
            miette::MietteSpanContents::new_named(
                self.path.clone(),
                inner.data(),
                SourceSpan::from((inner.span().offset() + from, inner.span().len())),
                inner.line() + from_line,
                inner.column(),
                // miette counts the line breaks from the start of the text it was given.
                inner.line_count() + from_line,
            )
            .with_language("yaml"),
        ))
    }
}

/// A secondary label on a diagnostic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub span: SourceSpan,
    pub message: String,
}

/// A finding or an error, tied to a place in a source file.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// Stable code: a rule code (`WLS001`) or a load error code (`load/unknown-key`).
    pub code: String,
    /// Kebab-case name (`cluster-single-host`).
    pub name: String,
    pub severity: Severity,
    pub message: String,
    pub file: Arc<SourceFile>,
    pub span: SourceSpan,
    /// Text of the primary label (defaults to the message).
    pub label: Option<String>,
    pub labels: Vec<Label>,
    pub help: Option<String>,
    /// Path of the object concerned, e.g. `domains[soa].clusters[soa_cluster]`.
    pub object: String,
    /// Link to the rule's documentation.
    pub url: Option<String>,
}

/// Declares [`Code`]: each variant and its code.
macro_rules! codes {
    ($( $(#[$doc:meta])* $variant:ident => $code:literal, )*) => {
        /// The codes of load, resolve and configuration errors (rule codes are in the rule
        /// registry). Users match on them in CI: a code never changes.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $( $(#[$doc])* $variant, )*
        }

        impl Code {
            /// Every code, in declaration order.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The code as written in reports (`load/unknown-key`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $code,)*
                }
            }
        }
    };
}

codes! {
    /// The topology file could not be read.
    LoadIo => "load/io",
    LoadTooLarge => "load/too-large",
    /// Not a regular file (a directory, device, FIFO or socket): refused unread.
    LoadNotAFile => "load/not-a-file",
    LoadNotUtf8 => "load/not-utf8",
    LoadEmpty => "load/empty",
    /// A bug in maa, reported instead of a panic.
    LoadInternal => "load/internal",
    LoadYamlSyntax => "load/yaml-syntax",
    LoadDuplicateKey => "load/duplicate-key",
    /// Input refused by a size, depth or alias limit.
    LoadLimit => "load/limit",
    LoadUnknownKey => "load/unknown-key",
    LoadWrongType => "load/wrong-type",
    LoadMissingField => "load/missing-field",
    LoadInvalidValue => "load/invalid-value",
    LoadDuplicateName => "load/duplicate-name",
    LoadUnknownReference => "load/unknown-reference",
    LoadInvalidReference => "load/invalid-reference",
    /// A member listed twice in one list (a standby, a host of a load balancer, a mount point).
    LoadDuplicateMember => "load/duplicate-member",
    /// A relation that refers to itself or goes round (replica, Data Guard, far sync).
    LoadReferenceCycle => "load/reference-cycle",
    /// A group that needs a member has none (a database without instances).
    LoadEmptyMembership => "load/empty-membership",
    /// One service name offered by databases no replication relation joins.
    LoadUnrelatedService => "load/unrelated-service",
    /// The configuration file could not be read.
    ConfigIo => "config/io",
    ConfigUnknownRule => "config/unknown-rule",
    ConfigInvalidGlob => "config/invalid-glob",
    ConfigInvalidDate => "config/invalid-date",
    ConfigMissingReason => "config/missing-reason",
    /// A custom rule's code or name is already taken.
    ConfigRuleClash => "config/rule-clash",
    ConfigCustomRuleExpression => "config/custom-rule-expression",
    ConfigCustomRuleError => "config/custom-rule-error",
    /// A warning: the configuration disables every built-in rule for some topologies.
    ConfigDisablesEveryRule => "config/disables-every-rule",
    /// A warning: the configuration lies outside the repository of its topologies.
    ConfigOutsideRepository => "config/outside-repository",
}

impl Code {
    /// The code without its area (`unknown-key`): the diagnostic's name.
    pub fn name(self) -> &'static str {
        let s = self.as_str();
        s.split_once('/').map_or(s, |(_, name)| name)
    }

    /// The code written `s`, if it is one of these.
    pub fn parse(s: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str() == s)
    }

    /// A load or resolve error: the topology could not be read as a model.
    pub fn is_load(self) -> bool {
        self.as_str().starts_with("load/")
    }

    /// An error in the configuration file.
    pub fn is_config(self) -> bool {
        self.as_str().starts_with("config/")
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Diagnostic {
    /// An error with one of the [`Code`]s (named by the code without its area).
    pub fn error(
        code: Code,
        file: &Arc<SourceFile>,
        span: SourceSpan,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::new(
            code.as_str(),
            code.name(),
            Severity::Error,
            file,
            span,
            message,
        )
    }

    /// The diagnostic's [`Code`], when it is not a rule's.
    pub fn known_code(&self) -> Option<Code> {
        Code::parse(&self.code)
    }
}

impl Diagnostic {
    pub fn new(
        code: impl Into<String>,
        name: impl Into<String>,
        severity: Severity,
        file: &Arc<SourceFile>,
        span: SourceSpan,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            code: code.into(),
            name: name.into(),
            severity,
            message: message.into(),
            file: Arc::clone(file),
            span: file.widen(span),
            label: None,
            labels: Vec::new(),
            help: None,
            object: String::new(),
            url: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_label(mut self, message: impl Into<String>) -> Self {
        self.label = Some(message.into());
        self
    }

    pub fn with_extra(mut self, span: SourceSpan, message: impl Into<String>) -> Self {
        let span = self.file.widen(span);
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    pub fn with_object(mut self, object: impl Into<String>) -> Self {
        self.object = object.into();
        self
    }

    /// 1-based line and column of the primary span.
    pub fn line_col(&self) -> (usize, usize) {
        self.file.line_col(self.span.offset())
    }

    /// 1-based end line and column (exclusive column) of the primary span.
    pub fn end_line_col(&self) -> (usize, usize) {
        self.file.line_col(self.span.offset() + self.span.len())
    }

    /// Deterministic order: file, line, column, severity (worst first), code, message.
    pub fn sort_key(&self) -> impl Ord + '_ {
        let (line, col) = self.line_col();
        (
            self.file.path.as_str(),
            line,
            col,
            std::cmp::Reverse(self.severity),
            self.code.as_str(),
            self.message.as_str(),
        )
    }
}

/// Sorts and de-duplicates diagnostics.
pub fn sort(diags: &mut Vec<Diagnostic>) {
    diags.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diags.dedup_by(|a, b| a.sort_key() == b.sort_key());
}

/// Did-you-mean: the candidate closest to `got`, if any is close enough.
pub fn suggest<'a>(got: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let got_lower = got.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| {
            let score = strsim::jaro_winkler(&got_lower, &c.to_ascii_lowercase());
            let close =
                strsim::levenshtein(&got_lower, &c.to_ascii_lowercase()) <= 2.max(got.len() / 4);
            (c, if close { score.max(0.85) } else { score })
        })
        .filter(|(_, score)| *score >= 0.8)
        .max_by(|a, b| a.1.total_cmp(&b.1).then_with(|| b.0.cmp(a.0)))
        .map(|(c, _)| c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use miette::SourceCode;
    use proptest::prelude::*;

    proptest! {
        /// Columns counted from the block index are the characters from the line's start,
        /// on texts spanning several blocks, with multi-byte characters and lone CRs.
        #[test]
        fn line_col_counts_like_the_naive_scan(
            text in "([aé€😀 :]{0,700}[\n\r]?){1,6}",
            pick in 0usize..5000,
        ) {
            let f = SourceFile::new("t.yaml", text.clone());
            let mut at = pick.min(text.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let before = &text[..at];
            let start = before.rfind(['\n', '\r']).map_or(0, |i| i + 1);
            let line = 1 + before.bytes().enumerate().filter(|&(i, b)| {
                b == b'\n' || (b == b'\r' && text.as_bytes().get(i + 1) != Some(&b'\n'))
            }).count();
            prop_assert_eq!(f.line_col(at), (line, text[start..at].chars().count() + 1));
        }

        /// The windowed `read_span` returns exactly what reading the whole text returns.
        #[test]
        fn windowed_read_span_matches_whole_text(
            text in "[a-c: é\n\r]{0,200}",
            a in 0usize..220,
            len in 0usize..40,
            before in 0usize..4,
            after in 0usize..4,
        ) {
            let f = SourceFile::new("t.yaml", text.clone());
            let mut start = a.min(text.len());
            while !text.is_char_boundary(start) {
                start -= 1;
            }
            let mut end = (start + len).min(text.len());
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            let span = SourceSpan::from(start..end);
            let ours = f.read_span(&span, before, after);
            let whole = text.as_str().read_span(&span, before, after);
            match (ours, whole) {
                (Ok(o), Ok(w)) => {
                    prop_assert_eq!(o.data(), w.data());
                    prop_assert_eq!(o.span(), w.span());
                    prop_assert_eq!(o.line(), w.line());
                    prop_assert_eq!(o.column(), w.column());
                    prop_assert_eq!(o.line_count(), w.line_count());
                }
                (Err(_), Err(_)) => {}
                (o, w) => prop_assert!(false, "ours ok: {}, whole ok: {}", o.is_ok(), w.is_ok()),
            }
        }
    }

    #[test]
    fn line_col_counts_chars() {
        let f = SourceFile::new("t.yaml", "a: é\nbc: 1\n".to_string());
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(6), (2, 1));
        assert_eq!(f.line_col(3), (1, 4));
        assert_eq!(f.line_col(10_000), (3, 1));
    }

    #[test]
    fn suggestions() {
        assert_eq!(suggest("prot", ["port", "name", "host"]), Some("port"));
        assert_eq!(suggest("mach3", ["mach1", "zzz"]), Some("mach1"));
        assert_eq!(suggest("xyzzy", ["port", "name"]), None);
    }
}
