//! Text for terminals and CI logs: no control character of the input reaches them raw.
//!
//! A topology, a file name or a configuration value may hold ESC (clear the screen, fake
//! a green "all checks passed", OSC-8 links), BEL, a lone CR (overwrite the line) or a
//! bidirectional override (show text in another order than it is read). Every string of
//! user origin that a human format prints goes through [`escape`] (or [`escape_line`]),
//! which writes such characters as Rust escapes: `\u{1b}`, `\t`, `\r`, `\u{202e}`.
//! Machine-readable formats (JSON, SARIF, DOT, artifacts) escape by their own rules.

use std::borrow::Cow;

/// Whether `c` must not reach a terminal raw (line feeds aside, see [`escape`]).
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            // Bidirectional marks, embeddings, overrides and isolates ("Trojan Source").
            '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
            // Line and paragraph separators: line breaks to some terminals and editors.
            | '\u{2028}' | '\u{2029}'
        )
}

/// How `c` is shown: `\t`, `\r`, `\n`, or `\u{…}`.
pub fn escaped(c: char, out: &mut String) {
    match c {
        '\t' => out.push_str("\\t"),
        '\r' => out.push_str("\\r"),
        '\n' => out.push_str("\\n"),
        c => {
            use std::fmt::Write as _;
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
    }
}

fn escape_if(text: &str, unsafe_char: impl Fn(char) -> bool) -> Cow<'_, str> {
    let Some(first) = text.find(&unsafe_char) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 16);
    out.push_str(&text[..first]);
    for c in text[first..].chars() {
        if unsafe_char(c) {
            escaped(c, &mut out);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Text of several lines: line feeds kept, every other unsafe character escaped.
pub fn escape(text: &str) -> Cow<'_, str> {
    escape_if(text, |c| c != '\n' && is_unsafe(c))
}

/// One line (a path, a name, a title): line feeds escaped too.
pub fn escape_line(text: &str) -> Cow<'_, str> {
    escape_if(text, is_unsafe)
}

/// A path as shown in messages (lossy for non-UTF-8 names, then escaped).
pub fn path(p: &std::path::Path) -> String {
    escape_line(&p.to_string_lossy()).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_text_is_borrowed() {
        assert!(matches!(escape("a: é\n  b: 1\n"), Cow::Borrowed(_)));
    }

    #[test]
    fn escapes_are_visible() {
        assert_eq!(
            escape("a\u{1b}[2Jb\u{7}\tc\rd\n"),
            "a\\u{1b}[2Jb\\u{7}\\tc\\rd\n"
        );
        assert_eq!(escape_line("x\ny\u{202e}z"), "x\\ny\\u{202e}z");
        assert_eq!(escape("\u{9b}31m"), "\\u{9b}31m");
    }
}
