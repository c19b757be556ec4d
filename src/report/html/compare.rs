//! `--compare OLD.json`: what changed since a previous run, like the difference report of
//! Oracle's EXAchk: new and fixed findings, and scenarios whose RTO, RPO or verdict moved.
//!
//! Both sides are JSON values of one shape, so the current run is compared through the
//! same JSON it writes (`--json`). The previous file may be a report JSON, or the output of
//! `maa check --format json` (findings only) or `maa simulate --all --format json`
//! (scenarios only). It is untrusted input: every value shown is escaped, and a value of
//! the wrong type reads as absent.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::Value;

use super::esc;

/// Parses a previous run's JSON; says why it cannot be compared with.
pub(super) fn parse(text: &str) -> Result<Value, String> {
    let v: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    if findings(&v).is_none() && scenarios(&v).is_none() {
        return Err("neither a `maa report --json` file nor the JSON of `maa check` or `maa simulate --all`: no `diagnostics` or `scenarios` list".to_string());
    }
    Ok(v)
}

/// The findings of a report JSON or a check JSON.
fn findings(v: &Value) -> Option<&Vec<Value>> {
    v.get("check")
        .and_then(|c| c.get("diagnostics"))
        .or_else(|| v.get("diagnostics"))
        .and_then(Value::as_array)
}

/// The scenarios of a report JSON or a simulate JSON.
fn scenarios(v: &Value) -> Option<&Vec<Value>> {
    v.get("simulate")
        .and_then(|c| c.get("scenarios"))
        .or_else(|| v.get("scenarios"))
        .and_then(Value::as_array)
}

fn text<'v>(v: &'v Value, key: &str) -> &'v str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

/// A finding's identity across runs: rule and object (the baseline key without the file,
/// which may have moved), or the message when the finding names no object.
fn finding_key(d: &Value) -> (String, String) {
    let object = text(d, "object");
    let second = if object.is_empty() {
        text(d, "message")
    } else {
        object
    };
    (text(d, "code").to_string(), second.to_string())
}

fn keyed(list: Option<&Vec<Value>>) -> BTreeMap<(String, String), &Value> {
    list.into_iter()
        .flatten()
        .map(|d| (finding_key(d), d))
        .collect()
}

/// Renders the comparison section.
pub(super) fn render(old: &Value, new: &Value) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "<section id=\"compare\"><h2>Compared with the previous run</h2>\
         <p>Previous run: <code>{}</code>{}.</p>",
        esc(text(old, "file")),
        match text(old, "name") {
            "" => String::new(),
            n => format!(", topology <code>{}</code>", esc(n)),
        }
    );
    match findings(old) {
        Some(_) => finding_changes(&mut o, old, new),
        None => o.push_str("<p class=\"note\">The previous file has no findings to compare.</p>"),
    }
    match scenarios(old) {
        Some(_) => scenario_changes(&mut o, old, new),
        None => o.push_str("<p class=\"note\">The previous file has no scenarios to compare.</p>"),
    }
    o.push_str("</section>\n");
    o
}

fn finding_changes(o: &mut String, old: &Value, new: &Value) {
    let (before, after) = (keyed(findings(old)), keyed(findings(new)));
    let added: Vec<&Value> = after
        .iter()
        .filter(|(k, _)| !before.contains_key(*k))
        .map(|(_, d)| *d)
        .collect();
    let fixed: Vec<&Value> = before
        .iter()
        .filter(|(k, _)| !after.contains_key(*k))
        .map(|(_, d)| *d)
        .collect();
    let _ = write!(
        o,
        "<p class=\"diffsum\"><b class=\"new\">{} new</b> and <b class=\"fixed\">{} fixed</b> finding(s); {} unchanged.</p>",
        added.len(),
        fixed.len(),
        after.len() - added.len()
    );
    for (what, class, list) in [("New", "new", added), ("Fixed", "fixed", fixed)] {
        if list.is_empty() {
            continue;
        }
        let _ = write!(
            o,
            "<table class=\"diff {class}\"><caption>{what} findings</caption><thead><tr><th>rule</th>\
             <th>severity</th><th>object</th><th>message</th></tr></thead><tbody>"
        );
        for d in list {
            let _ = write!(
                o,
                "<tr class=\"finding-{class}\"><td><code>{}</code></td><td class=\"sev-{}\">{}</td>\
                 <td><code>{}</code></td><td>{}</td></tr>",
                esc(text(d, "code")),
                esc(text(d, "severity")),
                esc(text(d, "severity")),
                esc(text(d, "object")),
                esc(text(d, "message"))
            );
        }
        o.push_str("</tbody></table>\n");
    }
}

/// A service's result in one scenario: (status, RTO, RPO, verdict), as shown.
fn result(s: Option<&Value>) -> (String, String, String, String) {
    let Some(s) = s else {
        return ("unaffected".into(), "—".into(), "—".into(), "—".into());
    };
    let rto = s
        .get("rto")
        .and_then(Value::as_str)
        .unwrap_or("none (down until repaired)");
    let rpo = s
        .get("rpo")
        .and_then(Value::as_str)
        .unwrap_or("unbounded (data lost)");
    let verdict = match s.get("verdict") {
        Some(v) if v.is_object() => {
            let met = |k: &str| v.get(k).and_then(Value::as_bool).unwrap_or(false);
            if met("rto_met") && met("rpo_met") {
                "met"
            } else {
                "BREACHED"
            }
        }
        _ => "no objective",
    };
    (
        text(s, "status").to_string(),
        rto.to_string(),
        rpo.to_string(),
        verdict.to_string(),
    )
}

/// Scenarios by what fails, and their services by id.
fn scenario_map(v: &Value) -> BTreeMap<String, BTreeMap<String, &Value>> {
    let mut out = BTreeMap::new();
    for s in scenarios(v).into_iter().flatten() {
        let failed: Vec<&str> = s
            .get("failed")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let services = s
            .get("services")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|r| (text(r, "service").to_string(), r))
            .collect();
        out.insert(failed.join(", "), services);
    }
    out
}

fn scenario_changes(o: &mut String, old: &Value, new: &Value) {
    let (before, after) = (scenario_map(old), scenario_map(new));
    let mut keys: Vec<&String> = before.keys().chain(after.keys()).collect();
    keys.sort();
    keys.dedup();
    let mut rows = String::new();
    let mut changed = 0;
    for k in keys {
        let (b, a) = (before.get(k), after.get(k));
        let mut services: Vec<&String> = b
            .into_iter()
            .flat_map(|m| m.keys())
            .chain(a.into_iter().flat_map(|m| m.keys()))
            .collect();
        services.sort();
        services.dedup();
        let presence = match (b, a) {
            (None, _) => " <small>(new scenario)</small>",
            (_, None) => " <small>(no longer a scenario)</small>",
            _ => "",
        };
        for svc in services {
            let x = result(b.and_then(|m| m.get(svc).copied()));
            let y = result(a.and_then(|m| m.get(svc).copied()));
            if x == y {
                continue;
            }
            changed += 1;
            let cell = |p: &str, q: &str| {
                if p == q {
                    esc(q)
                } else {
                    format!("<del>{}</del> → <ins>{}</ins>", esc(p), esc(q))
                }
            };
            let _ = write!(
                rows,
                "<tr class=\"scenario-changed\"><td>{}{presence}</td><td><code>{}</code></td><td>{}</td>\
                 <td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(k),
                esc(svc),
                cell(&x.0, &y.0),
                cell(&x.1, &y.1),
                cell(&x.2, &y.2),
                cell(&x.3, &y.3)
            );
        }
    }
    let _ = write!(
        o,
        "<p class=\"diffsum\"><b>{changed}</b> scenario result(s) changed (status, RTO, RPO or verdict).</p>"
    );
    if changed > 0 {
        let _ = writeln!(
            o,
            "<table class=\"diff\"><caption>Changed scenario results</caption><thead><tr><th>fails</th>\
             <th>service</th><th>status</th><th>RTO</th><th>RPO</th><th>verdict</th></tr></thead><tbody>{rows}</tbody></table>"
        );
    }
}
