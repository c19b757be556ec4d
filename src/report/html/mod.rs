//! `maa report`: one self-contained HTML page (inline CSS, inline SVG-free diagram, one
//! small inline script, no network) with the topology diagram, the findings grouped by area
//! and severity, the failure scenarios with their recovery timelines, and the comparison
//! with a previous run's JSON; and that JSON (`--json`), which `--compare` reads back.
//!
//! Every value of user origin (names, free text, a previous run's JSON) goes through
//! [`esc`]. The page is deterministic: the same inputs give the same bytes.

mod compare;
mod diagram;
mod scenarios;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::{Value, json};

use crate::analysis::{Analysis, Scenario, Simulator};
use crate::diagnostic::{Diagnostic, Severity};
use crate::resolve::Model;

/// Version of the report JSON (`--json`); bumped on any incompatible change.
pub const JSON_VERSION: u32 = 1;

/// What a report is built from: the model, its analysis and what `maa check` found.
pub struct Input<'a> {
    pub model: &'a Model,
    pub analysis: &'a Analysis,
    /// The findings of `check::run` for this topology (configuration and suppressions
    /// applied), sorted.
    pub diagnostics: &'a [Diagnostic],
    /// Findings accepted by an inline comment, the configuration or a baseline.
    pub accepted: usize,
}

/// A built report: the page and its JSON.
pub struct Output {
    pub html: String,
    pub json: String,
}

/// Builds the page and the JSON; `compare` is the text of a previous run's JSON (a report
/// JSON, or `maa check --format json` / `maa simulate --all --format json` output).
/// Errors say why `compare` cannot be read.
pub fn build(input: &Input<'_>, compare: Option<&str>) -> Result<Output, String> {
    let m = input.model;
    let gr = &input.analysis.graph;
    let sim = Simulator::new(m, gr);
    let scenarios: Vec<Scenario> = {
        use rayon::prelude::*;
        gr.events.par_iter().map(|e| sim.run(&[*e], true)).collect()
    };
    let value = json_value(input, &sim, &scenarios);
    let old = compare.map(compare::parse).transpose()?;
    let mut json = serde_json::to_string_pretty(&value).unwrap_or_default();
    json.push('\n');
    let html = page(input, &scenarios, old.as_ref().map(|o| (o, &value)));
    Ok(Output { html, json })
}

/// The report JSON: the check JSON and the simulate JSON of this run, as those commands
/// write them, under one object.
fn json_value(input: &Input<'_>, sim: &Simulator<'_>, scenarios: &[Scenario]) -> Value {
    let m = input.model;
    let check: Value =
        serde_json::from_str(&super::json::render(input.diagnostics, 1)).unwrap_or(Value::Null);
    let simulate = super::simulate::json_value(m, sim, &input.analysis.graph, scenarios, true);
    json!({
        "maa_report": JSON_VERSION,
        "tool": {"name": "maa", "version": env!("CARGO_PKG_VERSION")},
        "file": m.file.path,
        "name": m.topo.name.as_str(),
        "check": check,
        "simulate": simulate,
    })
}

/// The whole page.
fn page(input: &Input<'_>, scenarios: &[Scenario], compare: Option<(&Value, &Value)>) -> String {
    let m = input.model;
    let mut body = String::new();
    header(&mut body, input, scenarios);
    body.push_str(&diagram::render(m, input.analysis, input.diagnostics));
    findings(&mut body, input);
    body.push_str(&scenarios::render(m, &input.analysis.graph, scenarios));
    if let Some((old, new)) = compare {
        body.push_str(&compare::render(old, new));
    }
    let mut o = String::with_capacity(body.len() + CSS.len() + 1024);
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; script-src 'sha256-{}'\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"maa {}\">\n<title>{} — maa report</title>\n\
         <style>{CSS}</style>\n</head>\n<body>\n{body}<script>{SCRIPT}</script>\n</body>\n</html>\n",
        script_hash(),
        env!("CARGO_PKG_VERSION"),
        esc(m.topo.name.as_str()),
    );
    o
}

/// The scorecard at the top: name, counts and the worst RTO/RPO per disruption type.
fn header(o: &mut String, input: &Input<'_>, scenarios: &[Scenario]) {
    let m = input.model;
    let count = |s: Severity| input.diagnostics.iter().filter(|d| d.severity == s).count();
    let spofs = input.analysis.spofs.iter().filter(|s| s.matters).count();
    let breached = scenarios
        .iter()
        .filter(|s| super::simulate::breaches(s))
        .count();
    let _ = writeln!(
        o,
        "<header><h1>{}</h1><p class=\"file\">{}{}</p>",
        esc(m.topo.name.as_str()),
        esc(&m.file.path),
        m.topo
            .description
            .as_ref()
            .map(|d| format!(" — {}", esc(&d.value)))
            .unwrap_or_default()
    );
    let tile = |o: &mut String, class: &str, n: usize, what: &str| {
        let _ = write!(
            o,
            "<div class=\"tile {class}\"><b>{n}</b><span>{what}</span></div>"
        );
    };
    o.push_str("<div class=\"top\"><div class=\"tiles\">");
    tile(o, "sev-error", count(Severity::Error), "errors");
    tile(o, "sev-warning", count(Severity::Warning), "warnings");
    tile(o, "sev-info", count(Severity::Info), "info");
    tile(o, "spofs", spofs, "single points of failure");
    tile(o, "scen", scenarios.len(), "failure scenarios");
    tile(o, "breach", breached, "breach an objective");
    o.push_str("</div>\n");
    if input.accepted > 0 {
        let _ = writeln!(
            o,
            "<p class=\"note\">{} accepted finding(s) (inline, configuration or baseline) are not shown.</p>",
            input.accepted
        );
    }
    scenarios::summary_table(o, m, scenarios);
    o.push_str(
        "</div><nav><a href=\"#diagram\">Topology</a> · <a href=\"#findings\">Findings</a> · \
         <a href=\"#scenarios\">Failure scenarios</a> · <a href=\"#timelines\">Timelines</a></nav>\n",
    );
    o.push_str("</header>\n");
}

/// Findings grouped by area (in catalogue order), then by severity, most severe first.
fn findings(o: &mut String, input: &Input<'_>) {
    let mut areas: BTreeMap<(usize, String), Vec<&Diagnostic>> = BTreeMap::new();
    for d in input.diagnostics {
        areas.entry(area(&d.code)).or_default().push(d);
    }
    let _ = writeln!(
        o,
        "<section id=\"findings\"><h2>Findings ({})</h2>",
        input.diagnostics.len()
    );
    if areas.is_empty() {
        o.push_str("<p class=\"ok\">No findings.</p>\n");
    }
    for ((_, name), list) in &areas {
        let _ = writeln!(
            o,
            "<section class=\"area\" data-area=\"{0}\"><h3>{0} ({1})</h3>",
            esc(name),
            list.len()
        );
        for sev in [Severity::Error, Severity::Warning, Severity::Info] {
            for d in list.iter().filter(|d| d.severity == sev) {
                finding(o, d);
            }
        }
        o.push_str("</section>\n");
    }
    o.push_str("</section>\n");
}

/// A finding's area and its position in the catalogue's order of areas (load and
/// configuration errors first).
fn area(code: &str) -> (usize, String) {
    match crate::rules::find(code) {
        Some(rule) => {
            let a = rule.doc().area.clone();
            let pos = crate::rules::catalogue()
                .position(|r| r.doc().area == a)
                .unwrap_or(usize::MAX);
            (pos.saturating_add(1), a)
        }
        None => (0, code.split('/').next().unwrap_or(code).to_string()),
    }
}

fn finding(o: &mut String, d: &Diagnostic) {
    let (line, col) = d.file.line_col(d.span.offset());
    let sev = d.severity.as_str();
    let _ = write!(
        o,
        "<article class=\"finding sev-{sev}\" data-code=\"{}\" data-object=\"{}\">\
         <h4><span class=\"sev\">{sev}</span> <code>{}</code> {}</h4><p>{}</p>\
         <p class=\"where\">{}:{line}:{col}{}</p>",
        esc(&d.code),
        esc(&d.object),
        esc(&d.code),
        esc(&d.name),
        esc(&d.message),
        esc(&d.file.path),
        if d.object.is_empty() {
            String::new()
        } else {
            format!(" · <code>{}</code>", esc(&d.object))
        }
    );
    if let Some(help) = &d.help {
        let _ = write!(o, "<p class=\"help\"><b>help:</b> {}</p>", esc(help));
    }
    o.push_str("</article>\n");
}

/// Escapes text for HTML element content and double- or single-quoted attribute values;
/// control characters, bidirectional overrides and line separators are shown as `\u{…}`
/// (as [`crate::terminal`] shows them) instead of passed on.
pub fn esc(s: &str) -> String {
    let shown = crate::terminal::escape_line(s);
    let mut o = String::with_capacity(shown.len());
    for c in shown.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// The page's one script: it opens the timeline a link points at, and marks the page ready
/// (`data-ready="1"` on `<html>`) when it ran to the end without an error, which the
/// browser test reads.
const SCRIPT: &str = r#"
(function () {
  "use strict";
  function open() {
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id ? document.getElementById(id) : null;
    if (el && el.tagName === "DETAILS") { el.open = true; }
  }
  window.addEventListener("hashchange", open);
  open();
  var rows = document.querySelectorAll("tr.scenario").length;
  document.documentElement.setAttribute("data-scenarios", String(rows));
  document.documentElement.setAttribute("data-ready", "1");
})();
"#;

/// The CSP hash of [`SCRIPT`] (`sha256-…`, base64): only that script may run.
fn script_hash() -> String {
    use sha2::Digest as _;
    crate::encode::base64(&sha2::Sha256::digest(SCRIPT.as_bytes()))
}

const CSS: &str = include_str!("report.css");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn esc_escapes_markup_quotes_and_control_characters() {
        assert_eq!(
            esc("<script>alert(\"x\")</script> & 'q'\u{1b}[31m\u{202e}\n"),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;\\u{1b}[31m\\u{202e}\\n"
        );
    }
}
