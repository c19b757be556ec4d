//! JUnit XML in the shape of the Apache Ant schema (what Jenkins, GitLab and most CI servers
//! read): one `<testsuite>` per file, one `<testcase>` per rule × object. A finding is a
//! `<failure>` (a file that does not load, an `<error>`), an accepted finding `<skipped>`
//! with the reason, and each rule that ran on a topology without a finding one passed
//! testcase. See docs/ci.md.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::diagnostic::Diagnostic;
use crate::suppress::Suppressed;
use crate::terminal;

/// A topology that loaded and the codes of the rules run on it (what passed is the rest).
#[derive(Debug, Clone, Copy)]
pub struct Ran<'a> {
    pub file: &'a str,
    pub rules: &'a [String],
}

/// What one testcase holds: the findings of one rule on one object, or those accepted.
#[derive(Default)]
struct Case<'a> {
    found: Vec<&'a Diagnostic>,
    accepted: Vec<&'a Suppressed>,
}

/// The testcases of one file, in the order their first finding is reported.
#[derive(Default)]
struct Suite<'a> {
    order: Vec<(String, String)>,
    cases: BTreeMap<(String, String), Case<'a>>,
    /// Rules run on the file (its passed testcases are those with no case).
    ran: &'a [String],
}

impl<'a> Suite<'a> {
    fn case(&mut self, d: &Diagnostic) -> &mut Case<'a> {
        let key = (d.code.clone(), case_name(d));
        if !self.cases.contains_key(&key) {
            self.order.push(key.clone());
        }
        self.cases.entry(key).or_default()
    }
}

/// The testcase name: the object path, or the line when a diagnostic has none (a load error).
fn case_name(d: &Diagnostic) -> String {
    if d.object.is_empty() {
        format!("line {}", d.line_col().0)
    } else {
        d.object.clone()
    }
}

/// Text in XML 1.0: markup characters as entities; characters XML 1.0 does not allow
/// (control characters, U+FFFE, U+FFFF) and those a terminal would act on (bidi
/// overrides, see [`terminal`]) shown as `\u{…}`. Line feeds are kept in text and written
/// as `&#10;` in attributes, whose line breaks a parser would otherwise normalise away.
pub fn escape(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\n' => out.push('\n'),
            c if terminal::is_unsafe(c) || matches!(c, '\u{fffe}' | '\u{ffff}') => {
                terminal::escaped(c, &mut out);
            }
            c => out.push(c),
        }
    }
    out
}

/// `path:line:col: CODE [severity] message`, then the help and the rule's page.
fn describe(d: &Diagnostic) -> String {
    let (line, col) = d.line_col();
    let mut s = format!(
        "{}:{line}:{col}: {} [{}] {}",
        d.file.path, d.code, d.severity, d.message
    );
    if let Some(h) = &d.help {
        s.push_str("\nhelp: ");
        s.push_str(h);
    }
    if let Some(u) = &d.url {
        s.push_str("\nsee: ");
        s.push_str(u);
    }
    s
}

/// Now as the schema's timestamp (`YYYY-MM-DDTHH:MM:SS`, UTC, no zone), or the time
/// `SOURCE_DATE_EPOCH` gives, for reproducible reports.
pub fn timestamp_now() -> String {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs())
        });
    timestamp(secs)
}

/// Seconds since the Unix epoch as `YYYY-MM-DDTHH:MM:SS` (proleptic Gregorian, UTC).
pub fn timestamp(secs: u64) -> String {
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rem = secs % 86_400;
    // Civil from days (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms").
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Renders a check as a JUnit XML `<testsuites>` document, one suite per file (in path
/// order): `diags` are the findings and errors reported, `suppressed` the findings accepted,
/// `ran` the topologies that loaded with the rules run on them.
pub fn render(
    diags: &[Diagnostic],
    suppressed: &[Suppressed],
    ran: &[Ran<'_>],
    timestamp: &str,
) -> String {
    let mut suites: BTreeMap<&str, Suite<'_>> = BTreeMap::new();
    for r in ran {
        suites.entry(r.file).or_default().ran = r.rules;
    }
    for d in diags {
        suites
            .entry(&d.file.path)
            .or_default()
            .case(d)
            .found
            .push(d);
    }
    for s in suppressed {
        let f = &s.finding;
        suites
            .entry(&f.file.path)
            .or_default()
            .case(f)
            .accepted
            .push(s);
    }
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n");
    for (id, (file, suite)) in suites.iter().enumerate() {
        suite_xml(&mut out, id, file, suite, timestamp);
    }
    out.push_str("</testsuites>\n");
    out
}

/// One `<testsuite>`.
fn suite_xml(out: &mut String, id: usize, file: &str, suite: &Suite<'_>, timestamp: &str) {
    let mut cases = String::new();
    let (mut failures, mut errors, mut skipped) = (0, 0, 0);
    for key in &suite.order {
        let Some(case) = suite.cases.get(key) else {
            continue;
        };
        let (code, name) = key;
        let _ = write!(
            cases,
            "    <testcase name=\"{}\" classname=\"{}\" time=\"0\"",
            escape(name, true),
            escape(&format!("{file}.{code}"), true)
        );
        if let Some(first) = case.found.first() {
            // A load or configuration error (`load/…`, `config/…`) means nothing was checked.
            let tag = if first.code.contains('/') {
                errors += 1;
                "error"
            } else {
                failures += 1;
                "failure"
            };
            let mut body: Vec<String> = case.found.iter().map(|d| describe(d)).collect();
            body.extend(
                case.accepted
                    .iter()
                    .map(|s| format!("accepted: {}\n{}", s.justification(), describe(&s.finding))),
            );
            let _ = write!(
                cases,
                ">\n      <{tag} message=\"{}\" type=\"{}\">{}</{tag}>\n    </testcase>\n",
                escape(&first.message, true),
                escape(first.severity.as_str(), true),
                escape(&body.join("\n\n"), false)
            );
        } else if let Some(first) = case.accepted.first() {
            skipped += 1;
            let body: Vec<String> = case
                .accepted
                .iter()
                .map(|s| format!("accepted: {}\n{}", s.justification(), describe(&s.finding)))
                .collect();
            let _ = write!(
                cases,
                ">\n      <skipped message=\"{}\">{}</skipped>\n    </testcase>\n",
                escape(&first.justification(), true),
                escape(&body.join("\n\n"), false)
            );
        } else {
            cases.push_str("/>\n");
        }
    }
    let mut passed = 0;
    for code in suite.ran {
        if suite.cases.keys().any(|(c, _)| c == code) {
            continue;
        }
        passed += 1;
        let _ = writeln!(
            cases,
            "    <testcase name=\"no finding\" classname=\"{}\" time=\"0\"/>",
            escape(&format!("{file}.{code}"), true)
        );
    }
    let tests = suite.order.len() + passed;
    let _ = write!(
        out,
        "  <testsuite name=\"{name}\" package=\"maa\" id=\"{id}\" timestamp=\"{timestamp}\" \
         hostname=\"localhost\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" \
         skipped=\"{skipped}\" time=\"0\">\n    <properties>\n      \
         <property name=\"maa.version\" value=\"{version}\"/>\n    </properties>\n\
         {cases}    <system-out/>\n    <system-err/>\n  </testsuite>\n",
        name = escape(file, true),
        version = env!("CARGO_PKG_VERSION"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_civil_dates() {
        assert_eq!(timestamp(0), "1970-01-01T00:00:00");
        assert_eq!(timestamp(951_782_400), "2000-02-29T00:00:00");
        assert_eq!(timestamp(1_795_000_000), "2026-11-18T11:06:40");
        assert_eq!(timestamp(4_107_542_399), "2100-02-28T23:59:59");
    }

    #[test]
    fn escape_leaves_no_character_xml_refuses() {
        let s = escape("a<b>&\"'\u{1b}[31m\u{0}\u{7}\t\r\n\u{fffe}\u{202e}é", true);
        assert_eq!(
            s,
            "a&lt;b&gt;&amp;&quot;&apos;\\u{1b}[31m\\u{0}\\u{7}\\t\\r&#10;\\u{fffe}\\u{202e}é"
        );
        assert_eq!(escape("x\ny", false), "x\ny");
    }
}
