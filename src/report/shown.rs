//! A source file as the human report quotes it: control characters escaped
//! ([`crate::terminal`]), a tab shown as `\t`, a lone CR as the line break it is, the path
//! escaped. Offsets move where a character became an escape, so spans are mapped into the
//! shown text, and the column in a snippet's header is the column in the real file (the
//! one JSON and SARIF report).

use std::sync::Arc;

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use crate::diagnostic::SourceFile;
use crate::terminal;

/// The shown copy of a source file that needs one.
#[derive(Debug)]
pub(super) struct Shown {
    real: Arc<SourceFile>,
    shown: Arc<SourceFile>,
    /// For each escaped character: its end in the real text and in the shown text.
    marks: Vec<(usize, usize)>,
}

impl Shown {
    /// The shown copy of `real`, or `None` when it is safe to quote as it is.
    pub(super) fn of(real: &Arc<SourceFile>) -> Option<Shown> {
        let path = terminal::escape_line(&real.path);
        let bytes = real.text.as_bytes();
        let lone_cr = |i: usize| bytes.get(i + 1) != Some(&b'\n');
        let quoted = |(i, c): (usize, char)| {
            c == '\r' && !lone_cr(i) || c == '\n' || !terminal::is_unsafe(c)
        };
        if matches!(path, std::borrow::Cow::Borrowed(_)) && real.text.char_indices().all(quoted) {
            return None;
        }
        let mut text = String::with_capacity(real.text.len() + 64);
        let mut marks = Vec::new();
        for (i, c) in real.text.char_indices() {
            if quoted((i, c)) {
                text.push(c);
            } else if c == '\r' {
                // A line break to YAML and to the line index: the same to the snippet.
                text.push('\n');
            } else {
                terminal::escaped(c, &mut text);
                marks.push((i + c.len_utf8(), text.len()));
            }
        }
        Some(Shown {
            real: Arc::clone(real),
            shown: SourceFile::new(path.into_owned(), text),
            marks,
        })
    }

    /// A real offset in the shown text.
    pub(super) fn offset(&self, real: usize) -> usize {
        match self.marks.partition_point(|m| m.0 <= real) {
            0 => real,
            i => self.marks.get(i - 1).map_or(real, |&(r, s)| real - r + s),
        }
    }

    /// A real span in the shown text.
    pub(super) fn span(&self, real: SourceSpan) -> SourceSpan {
        let start = self.offset(real.offset());
        let end = self.offset(real.offset() + real.len());
        SourceSpan::from(start..end.max(start))
    }

    /// A shown offset (the start of a character or an escape) in the real text.
    fn real_offset(&self, shown: usize) -> usize {
        match self.marks.partition_point(|m| m.1 <= shown) {
            0 => shown,
            i => self
                .marks
                .get(i - 1)
                .map_or(shown, |&(r, s)| shown.saturating_sub(s) + r),
        }
    }
}

impl SourceCode for Shown {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.shown.read_span(span, before, after)?;
        // The column of the real file, where escapes made the shown line longer.
        let (_, col) = self.real.line_col(self.real_offset(inner.span().offset()));
        Ok(Box::new(
            MietteSpanContents::new_named(
                self.shown.path.clone(),
                inner.data(),
                *inner.span(),
                inner.line(),
                col - 1,
                inner.line_count(),
            )
            .with_language("yaml"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_files_are_quoted_as_they_are() {
        assert!(Shown::of(&SourceFile::new("t.yaml", "a: 1\r\nb: é\n".into())).is_none());
    }

    #[test]
    fn offsets_map_around_escapes() {
        let real = SourceFile::new("t\u{1b}.yaml", "a:\t1 # \u{1b}[2J x\rb: 2\n".into());
        let s = Shown::of(&real).unwrap();
        assert_eq!(s.shown.path, "t\\u{1b}.yaml");
        assert_eq!(s.shown.text, "a:\\t1 # \\u{1b}[2J x\nb: 2\n");
        assert_eq!(s.offset(2), 2); // the tab
        assert_eq!(s.offset(3), 4); // `1`
        assert_eq!(s.offset(7), 8); // ESC
        assert_eq!(s.offset(8), 14); // `[`
        let at = real.text.find('b').unwrap();
        assert_eq!(&s.shown.text[s.offset(at)..s.offset(at) + 1], "b");
        assert_eq!(s.real_offset(s.offset(8)), 8);
    }
}
