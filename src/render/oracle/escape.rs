//! Escaping of template values for each target language.
//!
//! Every `{{ value }}` in an Oracle template goes through [`format_value`], chosen by the
//! template's auto-escape mode (set from its file name, see [`auto_escape_for`]):
//!
//! | mode       | templates            | strings become                                         |
//! |------------|----------------------|--------------------------------------------------------|
//! | `python`   | `*.py.j2`            | a Python 2.7 literal (`'a\'b'`, `u'\u00e9'`)            |
//! | `shell`    | `*.sh.j2`            | one single-quoted POSIX shell word (`'it'\''s'`)         |
//! | `dgmgrl`   | `*.dgmgrl.j2`        | a single-quoted DGMGRL literal; quotes, `;`, control and non-ASCII characters are refused |
//! | `tnsnames` | `*.ora.j2`           | refused unless a safe bare token (`[A-Za-z0-9][A-Za-z0-9_.:-]*`) |
//! | `apache`   | `*.conf.j2`          | refused unless a safe bare token (`[A-Za-z0-9/_.~:,[]-]+`) |
//!
//! Numbers are written bare and booleans in the target's spelling. A value a target
//! cannot represent is a render error, never silently passed through. Templates must
//! not use `|safe` on model data.

use minijinja::value::ValueKind;
use minijinja::{AutoEscape, Error, ErrorKind, Value};

/// The auto-escape mode of a template, from its name.
pub fn auto_escape_for(name: &str) -> AutoEscape {
    let mode = if name.ends_with(".py.j2") {
        "python"
    } else if name.ends_with(".sh.j2") {
        "shell"
    } else if name.ends_with(".dgmgrl.j2") {
        "dgmgrl"
    } else if name.ends_with(".ora.j2") {
        "tnsnames"
    } else if name.ends_with(".conf.j2") {
        "apache"
    } else {
        // Unknown template kinds get the strictest mode.
        "tnsnames"
    };
    AutoEscape::Custom(mode.into())
}

fn invalid(msg: String) -> Error {
    Error::new(ErrorKind::InvalidOperation, msg)
}

/// Formats `value` for the escape `mode`.
pub fn format_value(mode: &str, value: &Value) -> Result<String, Error> {
    match mode {
        "python" => python_literal(value),
        "shell" => scalar(value, "shell", shell_quote),
        "dgmgrl" => scalar(value, "DGMGRL", dgmgrl_quote),
        "tnsnames" => scalar(value, "tnsnames.ora", |s| {
            if is_tns_token(s) {
                Ok(s.to_owned())
            } else {
                Err(invalid(format!(
                    "value {s:?} is not a safe tnsnames.ora token"
                )))
            }
        }),
        "apache" => scalar(value, "mod_wl_ohs.conf", |s| {
            if is_apache_token(s) {
                Ok(s.to_owned())
            } else {
                Err(invalid(format!(
                    "value {s:?} is not a safe mod_wl_ohs.conf token"
                )))
            }
        }),
        other => Err(invalid(format!("unknown escape mode `{other}`"))),
    }
}

/// Numbers and booleans bare; strings through `quote`; anything else refused.
fn scalar(
    value: &Value,
    target: &str,
    quote: impl Fn(&str) -> Result<String, Error>,
) -> Result<String, Error> {
    match value.kind() {
        ValueKind::Number => number(value),
        ValueKind::Bool => Ok(if value.is_true() {
            "TRUE".into()
        } else {
            "FALSE".into()
        }),
        ValueKind::String => quote(value.as_str().unwrap_or_default()),
        kind => Err(invalid(format!(
            "cannot write a {kind} value into {target}"
        ))),
    }
}

fn number(value: &Value) -> Result<String, Error> {
    if let Some(i) = value.as_i64() {
        return Ok(i.to_string());
    }
    let text = value.to_string();
    if text
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'e' | b'E' | b'+'))
        && !text.is_empty()
    {
        Ok(text)
    } else {
        Err(invalid(format!("number {text} cannot be written")))
    }
}

/// A Python 2.7 literal for a template value.
pub fn python_literal(value: &Value) -> Result<String, Error> {
    match value.kind() {
        ValueKind::None => Ok("None".into()),
        ValueKind::Bool => Ok(if value.is_true() {
            "True".into()
        } else {
            "False".into()
        }),
        ValueKind::Number => number(value),
        ValueKind::String => Ok(python_str(value.as_str().unwrap_or_default())),
        ValueKind::Seq | ValueKind::Iterable => {
            let mut parts = Vec::new();
            for item in value.try_iter()? {
                parts.push(python_literal(&item)?);
            }
            Ok(format!("[{}]", parts.join(", ")))
        }
        kind => Err(invalid(format!(
            "cannot write a {kind} value into a WLST script"
        ))),
    }
}

/// A Python 2.7 string literal: ASCII-only output, every quote, backslash, control and
/// non-ASCII character escaped (a `u''` literal when non-ASCII characters are present).
pub fn python_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    if !s.is_ascii() {
        out.push('u');
    }
    out.push('\'');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            ' '..='~' => out.push(c),
            c if (c as u32) < 0x100 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('\'');
    out
}

/// One POSIX shell word: single quotes, with `'` written as `'\''`. NUL cannot be an argument.
pub fn shell_quote(s: &str) -> Result<String, Error> {
    if s.contains('\0') {
        return Err(invalid(format!("value {s:?} contains a NUL byte")));
    }
    Ok(format!("'{}'", s.replace('\'', r"'\''")))
}

/// A DGMGRL single-quoted literal. DGMGRL has no escape for `'`; a `;` ends a statement
/// in scripts, so both are refused, as are control and non-ASCII characters.
pub fn dgmgrl_quote(s: &str) -> Result<String, Error> {
    if s.is_empty()
        || s.chars()
            .any(|c| matches!(c, '\'' | '"' | ';') || !(' '..='~').contains(&c))
    {
        return Err(invalid(format!("value {s:?} cannot be quoted for DGMGRL")));
    }
    Ok(format!("'{s}'"))
}

/// A tnsnames.ora value that needs no quoting: host names, IPv6 addresses, service names.
pub fn is_tns_token(s: &str) -> bool {
    s.as_bytes().first().is_some_and(u8::is_ascii_alphanumeric)
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b':' | b'-'))
}

/// A mod_wl_ohs.conf value that needs no quoting: paths, `host:port` lists.
pub fn is_apache_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes().all(|b| {
            b.is_ascii_alphanumeric()
                || matches!(
                    b,
                    b'/' | b'_' | b'.' | b'~' | b':' | b',' | b'-' | b'[' | b']'
                )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_strings_escape_everything() {
        assert_eq!(python_str("it's"), r"'it\'s'");
        assert_eq!(python_str("a\\b\nc"), r"'a\\b\nc'");
        assert_eq!(python_str("é\u{1F600}"), r"u'\xe9\U0001f600'");
        assert_eq!(python_str("\u{7f}"), r"'\x7f'");
        assert_eq!(python_str("$x"), "'$x'");
    }

    #[test]
    fn python_literals() {
        assert_eq!(
            python_literal(&Value::from(true)).ok().as_deref(),
            Some("True")
        );
        assert_eq!(python_literal(&Value::from(42)).ok().as_deref(), Some("42"));
        assert_eq!(
            python_literal(&Value::from(vec!["a", "b'"]))
                .ok()
                .as_deref(),
            Some(r"['a', 'b\'']")
        );
        assert_eq!(
            python_literal(&Value::from(())).ok().as_deref(),
            Some("None")
        );
    }

    #[test]
    fn shell_words() {
        assert_eq!(
            shell_quote("it's $HOME").ok().as_deref(),
            Some(r"'it'\''s $HOME'")
        );
        assert!(shell_quote("a\0b").is_err());
    }

    #[test]
    fn dgmgrl_literals() {
        assert_eq!(
            dgmgrl_quote("orders_dc1").ok().as_deref(),
            Some("'orders_dc1'")
        );
        for bad in ["a'b", "a;b", "a\nb", "é", "", "a\"b"] {
            assert!(dgmgrl_quote(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn tns_tokens() {
        assert!(is_tns_token("db1.example.com"));
        assert!(is_tns_token("fe80::1"));
        for bad in ["a)(HOST=evil", "a b", "", "-x", "a=b", "a#b"] {
            assert!(!is_tns_token(bad), "{bad:?}");
        }
    }

    #[test]
    fn unknown_values_are_refused() {
        assert!(format_value("tnsnames", &Value::from("svc)(HOST=evil")).is_err());
        assert!(format_value("apache", &Value::from("/a b")).is_err());
        assert_eq!(
            format_value("shell", &Value::from(30)).ok().as_deref(),
            Some("30")
        );
    }
}
