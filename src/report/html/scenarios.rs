//! The failure scenarios of the report: the worst case per disruption type, one table row
//! per single failure event (`maa simulate --all`), and a timeline per scenario.

use std::fmt::Write as _;

use super::esc;
use crate::analysis::recovery::Actor;
use crate::analysis::{AppResult, Scenario, Status};
use crate::graph::Graph;
use crate::model::Duration;
use crate::report::simulate::{breaches, double_fault, rpo_text, status_str, summary};
use crate::resolve::Model;

/// The worst RTO/RPO per disruption type against the objectives (in the header).
pub(super) fn summary_table(o: &mut String, m: &Model, scenarios: &[Scenario]) {
    o.push_str(
        "<table class=\"summary\"><caption>Worst case per disruption type</caption>\
         <thead><tr><th>disruption</th><th>scenarios</th><th>worst RTO</th><th>worst RPO</th>\
         <th>objective RTO / RPO</th><th>verdict</th></tr></thead><tbody>\n",
    );
    for (d, w) in summary(scenarios) {
        let rto = if w.unbounded {
            "unbounded (a single point of failure)".to_string()
        } else {
            w.rto.unwrap_or_default().to_string()
        };
        let (objective, verdict) = match m.topo.objectives.get(d) {
            None => ("none declared".to_string(), verdict_cell(None)),
            Some(ob) => (
                format!("{} / {}", ob.rto.value, ob.rpo.value),
                verdict_cell(Some(!w.rto_breached && !w.rpo_breached)),
            ),
        };
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>{verdict}</tr>",
            d.as_str(),
            w.scenarios,
            esc(&rto),
            esc(&rpo_text(w.rpo, w.data_lost)),
            esc(&objective),
        );
    }
    o.push_str("</tbody></table>\n");
}

/// A verdict cell: met, breached, or no objective.
fn verdict_cell(met: Option<bool>) -> &'static str {
    match met {
        None => "<td class=\"verdict none\">no objective</td>",
        Some(true) => "<td class=\"verdict met\">met</td>",
        Some(false) => "<td class=\"verdict breached\">BREACHED</td>",
    }
}

/// The scenario table and the timelines.
pub(super) fn render(m: &Model, gr: &Graph, scenarios: &[Scenario]) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "<section id=\"scenarios\"><h2>Failure scenarios ({})</h2>\
         <p>Every single failure event of the topology, one at a time (<code>maa simulate --all</code>). \
         RTO: time until the service serves again; RPO: data lost. Select a row for its timeline.</p>\
         <table class=\"scenarios\"><thead><tr><th>#</th><th>fails</th><th>disruption</th>\
         <th>services</th><th>RTO</th><th>RPO</th><th>objective RTO / RPO</th><th>verdict</th></tr></thead><tbody>",
        scenarios.len()
    );
    for (i, s) in scenarios.iter().enumerate() {
        row(&mut o, m, gr, i + 1, s);
    }
    o.push_str("</tbody></table></section>\n<section id=\"timelines\"><h2>Timelines</h2>\n");
    for (i, s) in scenarios.iter().enumerate() {
        timeline(&mut o, m, gr, i + 1, s);
    }
    o.push_str("</section>\n");
    o
}

/// The worst RTO (None: some service down until repaired) and RPO of a scenario's services.
fn worst(s: &Scenario) -> (Option<Duration>, Duration, bool) {
    let mut rto = Some(Duration::ZERO);
    let mut rpo = Duration::ZERO;
    let mut lost = false;
    for r in s.apps.iter().filter(|r| r.status != Status::Unaffected) {
        rto = match (rto, r.rto) {
            (Some(a), Some(b)) => Some(a.max(b)),
            _ => None,
        };
        rpo = rpo.max(r.rpo);
        lost |= r.data_lost;
    }
    (rto, rpo, lost)
}

fn failed_ids(gr: &Graph, s: &Scenario) -> String {
    s.failed
        .iter()
        .map(|id| gr.g[*id].id())
        .collect::<Vec<_>>()
        .join(", ")
}

fn row(o: &mut String, m: &Model, gr: &Graph, n: usize, s: &Scenario) {
    let affected: Vec<&AppResult> = s
        .apps
        .iter()
        .filter(|r| r.status != Status::Unaffected)
        .collect();
    let down = affected.iter().filter(|r| r.status == Status::Down).count();
    let (rto, rpo, lost) = worst(s);
    let objective = m.topo.objectives.get(s.disruption);
    let verdict = if affected.is_empty() {
        "<td class=\"verdict met\">unaffected</td>"
    } else {
        verdict_cell(objective.map(|_| !breaches(s)))
    };
    let services = if affected.is_empty() {
        "none affected".to_string()
    } else {
        format!(
            "{} affected{}",
            affected.len(),
            if down > 0 {
                format!(", {down} down")
            } else {
                String::new()
            }
        )
    };
    let failed = failed_ids(gr, s);
    let _ = writeln!(
        o,
        "<tr class=\"scenario{}\" data-failed=\"{}\"><td>{n}</td><td><a href=\"#s-{n}\">{}</a>{}</td>\
         <td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>{verdict}</tr>",
        if breaches(s) { " breached" } else { "" },
        esc(&failed),
        esc(&failed),
        if double_fault(gr, s) {
            " <small>(double fault)</small>"
        } else {
            ""
        },
        s.disruption.as_str(),
        services,
        if affected.is_empty() {
            "—".to_string()
        } else {
            esc(&rto.map_or_else(
                || "none (down until repaired)".to_string(),
                |t| t.to_string(),
            ))
        },
        if affected.is_empty() {
            "—".to_string()
        } else {
            esc(&rpo_text(rpo, lost))
        },
        esc(&objective.map_or_else(
            || "none declared".to_string(),
            |ob| format!("{} / {}", ob.rto.value, ob.rpo.value)
        )),
    );
}

/// One scenario's timeline: what fails, what is lost, and per affected service each
/// recovery step (who performs it, when, and where the figure comes from) as a bar.
fn timeline(o: &mut String, m: &Model, gr: &Graph, n: usize, s: &Scenario) {
    let failed = failed_ids(gr, s);
    let _ = write!(
        o,
        "<details class=\"timeline\" id=\"s-{n}\"><summary>#{n} fail <b>{}</b> ({} disruption)</summary>",
        esc(&failed),
        s.disruption.as_str()
    );
    if !s.lost.is_empty() {
        let lost: Vec<String> = s.lost.iter().map(|id| esc(&gr.g[*id].id())).collect();
        let _ = write!(
            o,
            "<p class=\"lost\">Lost until repaired: {}</p>",
            lost.join(", ")
        );
    }
    let affected: Vec<&AppResult> = s
        .apps
        .iter()
        .filter(|r| r.status != Status::Unaffected)
        .collect();
    if affected.is_empty() {
        o.push_str("<p class=\"ok\">Every service survives unaffected.</p>");
    }
    for r in affected {
        service(o, m, gr, s, r);
    }
    if s.unaffected > 0 {
        let _ = write!(
            o,
            "<p class=\"note\">{} other service(s) unaffected.</p>",
            s.unaffected
        );
    }
    o.push_str("</details>\n");
}

fn service(o: &mut String, m: &Model, gr: &Graph, s: &Scenario, r: &AppResult) {
    let rto = r.rto.map_or_else(
        || "none (down until repaired)".to_string(),
        |t| t.to_string(),
    );
    let verdict = match (&r.verdict, m.topo.objectives.get(s.disruption)) {
        (Some(v), _) => format!(
            "RTO {} (objective {}), RPO {} (objective {})",
            if v.rto_met { "met" } else { "BREACHED" },
            v.rto_objective,
            if v.rpo_met { "met" } else { "BREACHED" },
            v.rpo_objective
        ),
        (None, _) => "no objective declared".to_string(),
    };
    let bad = r.verdict.as_ref().is_some_and(|v| !v.rto_met || !v.rpo_met);
    let _ = write!(
        o,
        "<div class=\"svc-result{}\"><h4>service <code>{}</code>: {}, RTO {}, RPO {} — {}</h4>",
        if bad { " breached" } else { "" },
        esc(&gr.g[r.app].id()),
        status_str(r.status),
        esc(&rto),
        esc(&rpo_text(r.rpo, r.data_lost)),
        esc(&verdict)
    );
    steps(o, r);
    o.push_str("</div>");
}

/// The steps as a table with a bar each, on one time scale (the last step's end).
fn steps(o: &mut String, r: &AppResult) {
    if r.steps.is_empty() {
        o.push_str("<p class=\"note\">No recovery step: the service stays down until the failed element is repaired.</p>");
        return;
    }
    let scale = r
        .steps
        .iter()
        .map(|st| st.end.as_millis())
        .max()
        .unwrap_or(0)
        .max(1);
    o.push_str(
        "<table class=\"steps\"><thead><tr><th>from</th><th>to</th><th class=\"barcol\">timeline</th>\
         <th>by</th><th>mechanism</th><th>what</th></tr></thead><tbody>",
    );
    for st in &r.steps {
        let left = permille(st.start.as_millis(), scale);
        let width = permille(st.end.as_millis(), scale)
            .saturating_sub(left)
            .max(5);
        let by = match st.by {
            Actor::Mechanism => "mechanism",
            Actor::Runbook => "runbook",
            Actor::Operator => "operator",
        };
        let _ = write!(
            o,
            "<tr class=\"step by-{by}{}\"><td>{}</td><td>{}</td><td class=\"barcol\"><div class=\"bar\" \
             style=\"margin-left:{}%;width:{}%\"></div></td><td>{by}</td><td>{}</td><td>{}{}{}</td></tr>",
            if st.background { " background" } else { "" },
            esc(&st.start.to_string()),
            esc(&st.end.to_string()),
            pct(left),
            pct(width.min(1000 - left.min(995))),
            esc(st.mechanism),
            esc(&st.what),
            if st.background {
                " <small>(in the background: not counted in the RTO)</small>"
            } else {
                ""
            },
            if st.basis.is_empty() {
                String::new()
            } else {
                format!("<br><small>{}</small>", esc(&st.basis))
            }
        );
    }
    o.push_str("</tbody></table>");
}

/// `part / whole` in tenths of a percent, rounded down, at most 1000.
fn permille(part: u64, whole: u64) -> u64 {
    (part.saturating_mul(1000) / whole.max(1)).min(1000)
}

/// Tenths of a percent as a CSS number (`12.5`).
fn pct(pm: u64) -> String {
    format!("{}.{}", pm / 10, pm % 10)
}
