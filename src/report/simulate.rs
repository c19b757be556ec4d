//! The simulation report (`maa simulate`): fail elements of a topology and show which
//! services survive, the recovery timeline, the estimated RTO/RPO and the verdict against
//! the objectives, as text or JSON.

use std::fmt::Write as _;

use serde_json::{Value, json};

use crate::analysis::recovery::Actor;
use crate::analysis::{Scenario, Simulator, Status};
use crate::graph::{Graph, NodeId};
use crate::model::{Disruption, Duration};
use crate::resolve::Model;

/// Output format of `maa simulate` and `maa graph --format json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SimFormat {
    /// Timelines as text (`human` is accepted too).
    #[value(alias = "human")]
    Text,
    Json,
}

/// Most lost elements named per scenario in text output.
const LOST_NAMED: usize = 12;

/// Scenarios simulated and rendered together by `--all` in text output.
const SCENARIO_CHUNK: usize = 4096;

/// A simulation report, rendered.
pub struct SimReport {
    pub text: String,
    /// Whether some scenario breaches an objective (`maa simulate` exits 1).
    pub breached: bool,
}

/// Simulates each failure set (every set fails its elements at once) and renders the
/// report; `all` says the sets are every single failure event, which adds the summary.
pub fn render(
    m: &Model,
    gr: &Graph,
    sets: &[Vec<NodeId>],
    all: bool,
    format: SimFormat,
) -> SimReport {
    let sim = Simulator::new(m, gr);
    let mut breached = false;
    let text = match format {
        SimFormat::Text => {
            // Scenarios are simulated and rendered a chunk at a time, in parallel, and
            // appended in order: a large topology's `--all` never holds every scenario's
            // timeline at once (600 MB at 100k components).
            use rayon::prelude::*;
            let mut o = text_header(m, gr);
            let mut sum = Summary::new();
            for chunk in sets.chunks(SCENARIO_CHUNK) {
                let done: Vec<(Scenario, String)> = chunk
                    .par_iter()
                    .map(|set| {
                        let s = sim.run(set, true);
                        let t = scenario_text(m, gr, &s);
                        (s, t)
                    })
                    .collect();
                for (s, t) in &done {
                    breached |= breaches(s);
                    sum.add(s);
                    o.push_str(t);
                }
            }
            if all {
                text_summary(&mut o, m, sum.finish());
            }
            o
        }
        SimFormat::Json => {
            let scenarios: Vec<Scenario> = {
                use rayon::prelude::*;
                sets.par_iter().map(|s| sim.run(s, true)).collect()
            };
            breached = scenarios.iter().any(breaches);
            let mut s = serde_json::to_string_pretty(&json_value(m, &sim, gr, &scenarios, all))
                .unwrap_or_default();
            s.push('\n');
            s
        }
    };
    SimReport { text, breached }
}

/// Whether a scenario fails an event that stands for two failures (a redundant link).
pub(super) fn double_fault(gr: &Graph, s: &Scenario) -> bool {
    s.failed.iter().any(|id| gr.g[*id].double)
}

fn ids(gr: &Graph, v: &[NodeId]) -> Vec<String> {
    v.iter().map(|id| gr.g[*id].id()).collect()
}

pub(super) fn status_str(s: Status) -> &'static str {
    match s {
        Status::Unaffected => "unaffected",
        Status::Recovered => "recovered",
        Status::Down => "down",
    }
}

/// Worst RTO/RPO per disruption type over a set of scenarios.
pub(super) struct Worst {
    pub(super) rto: Option<Duration>,
    pub(super) unbounded: bool,
    pub(super) rpo: Duration,
    /// Some service lost a data store with no copy (an unbounded RPO).
    pub(super) data_lost: bool,
    pub(super) scenarios: usize,
    /// Whether some service's verdict breaches the RTO / RPO objective (the summary says
    /// what the per-service verdicts say, never a second computation).
    pub(super) rto_breached: bool,
    pub(super) rpo_breached: bool,
}

/// The worst case per disruption type, folded one scenario at a time.
struct Summary {
    /// By position in `Disruption::ALL`.
    worst: Vec<Worst>,
}

impl Summary {
    fn new() -> Summary {
        Summary {
            worst: Disruption::ALL
                .iter()
                .map(|_| Worst {
                    rto: None,
                    unbounded: false,
                    rpo: Duration::ZERO,
                    data_lost: false,
                    scenarios: 0,
                    rto_breached: false,
                    rpo_breached: false,
                })
                .collect(),
        }
    }

    fn add(&mut self, s: &Scenario) {
        let Some(i) = Disruption::ALL.iter().position(|d| *d == s.disruption) else {
            return;
        };
        let Some(w) = self.worst.get_mut(i) else {
            return;
        };
        w.scenarios += 1;
        for r in &s.apps {
            match r.rto {
                Some(t) => w.rto = Some(w.rto.map_or(t, |x| x.max(t))),
                None => w.unbounded = true,
            }
            w.rpo = w.rpo.max(r.rpo);
            w.data_lost |= r.data_lost;
            if let Some(v) = &r.verdict {
                w.rto_breached |= !v.rto_met;
                w.rpo_breached |= !v.rpo_met;
            }
        }
    }

    /// The disruption types with at least one scenario, in `Disruption::ALL` order.
    fn finish(self) -> Vec<(Disruption, Worst)> {
        Disruption::ALL
            .into_iter()
            .zip(self.worst)
            .filter(|(_, w)| w.scenarios > 0)
            .collect()
    }
}

/// The worst case per disruption type of a set of scenarios.
pub(super) fn summary(scenarios: &[Scenario]) -> Vec<(Disruption, Worst)> {
    let mut sum = Summary::new();
    for s in scenarios {
        sum.add(s);
    }
    sum.finish()
}

/// Whether a scenario breaches an objective for some service.
pub(super) fn breaches(s: &Scenario) -> bool {
    s.apps
        .iter()
        .any(|r| r.verdict.as_ref().is_some_and(|v| !v.rto_met || !v.rpo_met))
}

/// The first line of the text report.
fn text_header(m: &Model, gr: &Graph) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{}: {} service(s), {} single failure event(s)",
        m.file.path,
        gr.apps.len(),
        gr.events.len()
    );
    o
}

/// One scenario of the text report.
fn scenario_text(m: &Model, gr: &Graph, s: &Scenario) -> String {
    let mut o = String::new();
    let _ = writeln!(o);
    let obj = m.topo.objectives.get(s.disruption);
    let obj_text = obj.map_or_else(
        || "no objective declared".to_string(),
        |ob| format!("objective RTO {}, RPO {}", ob.rto.value, ob.rpo.value),
    );
    let _ = writeln!(
        o,
        "scenario: fail {} ({} disruption{}; {obj_text})",
        ids(gr, &s.failed).join(", "),
        s.disruption.as_str(),
        if double_fault(gr, s) {
            "; a double fault: both paths of a redundant link"
        } else {
            ""
        }
    );
    if !s.lost.is_empty() {
        let names = ids(gr, &s.lost);
        let more = names.len().saturating_sub(LOST_NAMED);
        let shown = names
            .into_iter()
            .take(LOST_NAMED)
            .collect::<Vec<_>>()
            .join(", ");
        let _ = writeln!(
            o,
            "  lost until repaired: {shown}{}",
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        );
    }
    let affected: Vec<_> = s
        .apps
        .iter()
        .filter(|r| r.status != Status::Unaffected)
        .collect();
    let unaffected = s.unaffected;
    if affected.is_empty() {
        let _ = writeln!(o, "  every service survives unaffected ({unaffected})");
        return o;
    }
    for r in affected {
        let name = gr.g[r.app].id();
        let rto = r.rto.map_or_else(
            || "none (down until repaired)".to_string(),
            |t| t.to_string(),
        );
        let verdict = match &r.verdict {
            None => String::new(),
            Some(v) => {
                let mut parts = Vec::new();
                parts.push(match (v.rto_met, v.rto_over) {
                    (true, _) => format!("RTO met (≤ {})", v.rto_objective),
                    (false, Some(over)) => {
                        format!("RTO BREACHED by {over} (objective {})", v.rto_objective)
                    }
                    (false, None) => {
                        format!("RTO BREACHED: no recovery (objective {})", v.rto_objective)
                    }
                });
                parts.push(match (v.rpo_met, v.rpo_over) {
                    (true, _) => format!("RPO met (≤ {})", v.rpo_objective),
                    (false, Some(over)) => {
                        format!("RPO BREACHED by {over} (objective {})", v.rpo_objective)
                    }
                    (false, None) => format!(
                        "RPO BREACHED: data unrecoverable (objective {})",
                        v.rpo_objective
                    ),
                });
                format!(" — {}", parts.join(", "))
            }
        };
        let _ = writeln!(
            o,
            "  service {name}: {}, RTO {rto}, RPO {}{verdict}",
            status_str(r.status),
            rpo_text(r.rpo, r.data_lost)
        );
        for st in &r.steps {
            let _ = writeln!(
                o,
                "    {:>8} → {:<8} [{}]{}{} {}{}",
                st.start.to_string(),
                st.end.to_string(),
                st.mechanism,
                match st.by {
                    Actor::Operator => " (manual)",
                    Actor::Runbook => " (runbook)",
                    Actor::Mechanism => "",
                },
                if st.background { " (background)" } else { "" },
                st.what,
                if st.basis.is_empty() {
                    String::new()
                } else {
                    format!(" — {}", st.basis)
                }
            );
        }
    }
    if unaffected > 0 {
        let _ = writeln!(o, "  {unaffected} other service(s) unaffected");
    }
    o
}

/// The summary closing the text report of `--all`.
fn text_summary(o: &mut String, m: &Model, worst: Vec<(Disruption, Worst)>) {
    let _ = writeln!(o, "\nsummary (worst case per disruption type):");
    for (d, w) in worst {
        let rto = if w.unbounded {
            "unbounded (a single point of failure)".to_string()
        } else {
            w.rto.unwrap_or_default().to_string()
        };
        let verdict = match m.topo.objectives.get(d) {
            None => "no objective".to_string(),
            Some(ob) => {
                let (rto_ok, rpo_ok) = (!w.rto_breached, !w.rpo_breached);
                format!(
                    "RTO {} (objective {}), RPO {} (objective {})",
                    if rto_ok { "met" } else { "BREACHED" },
                    ob.rto.value,
                    if rpo_ok { "met" } else { "BREACHED" },
                    ob.rpo.value
                )
            }
        };
        let _ = writeln!(
            o,
            "  {:<7} {:>4} scenario(s): worst RTO {rto}, worst RPO {} — {verdict}",
            d.as_str(),
            w.scenarios,
            rpo_text(w.rpo, w.data_lost)
        );
    }
}

/// An RPO as text: unbounded when a data store is lost with no copy.
pub(super) fn rpo_text(rpo: Duration, data_lost: bool) -> String {
    if data_lost {
        "unbounded (a data store is lost)".to_string()
    } else {
        rpo.to_string()
    }
}

fn dur(d: Option<Duration>) -> Value {
    d.map_or(Value::Null, |d| json!(d.to_string()))
}

/// The JSON report of simulated scenarios (also the `simulate` part of `maa report --json`).
pub(super) fn json_value(
    m: &Model,
    sim: &Simulator<'_>,
    gr: &Graph,
    scenarios: &[Scenario],
    all: bool,
) -> Value {
    let list: Vec<Value> = scenarios
        .iter()
        .map(|s| {
            let services: Vec<Value> = s
                .apps
                .iter()
                .map(|r| {
                    json!({
                        "service": gr.g[r.app].id(),
                        "status": status_str(r.status),
                        "rto": dur(r.rto),
                        "rto_ms": r.rto.map(|d| d.as_millis()),
                        "rpo": (!r.data_lost).then(|| r.rpo.to_string()),
                        "rpo_ms": (!r.data_lost).then(|| r.rpo.as_millis()),
                        "data_lost": r.data_lost,
                        "verdict": r.verdict.as_ref().map(|v| json!({
                            "rto_objective": v.rto_objective.to_string(),
                            "rpo_objective": v.rpo_objective.to_string(),
                            "rto_met": v.rto_met,
                            "rpo_met": v.rpo_met,
                            "rto_over": dur(v.rto_over),
                            "rpo_over": dur(v.rpo_over),
                        })),
                        "timeline": r.steps.iter().map(|st| json!({
                            "start": st.start.to_string(),
                            "end": st.end.to_string(),
                            "start_ms": st.start.as_millis(),
                            "end_ms": st.end.as_millis(),
                            "mechanism": st.mechanism,
                            "manual": st.manual(),
                            "by": st.by.as_str(),
                            "basis": st.basis,
                            "background": st.background,
                            "what": st.what,
                        })).collect::<Vec<_>>(),
                    })
                })
                .collect();
            json!({
                "failed": ids(gr, &s.failed),
                "disruption": s.disruption.as_str(),
                "double_fault": double_fault(gr, s),
                "lost": ids(gr, &s.lost),
                "unaffected_services": s.unaffected,
                "services": services,
            })
        })
        .collect();
    let mut v = json!({
        "file": m.file.path,
        "timings": sim.timings,
        "scenarios": list,
    });
    if all && let Some(obj) = v.as_object_mut() {
        let sum: Vec<Value> = summary(scenarios)
            .into_iter()
            .map(|(d, w)| {
                json!({
                    "disruption": d.as_str(),
                    "scenarios": w.scenarios,
                    "worst_rto": if w.unbounded { Value::Null } else { dur(w.rto) },
                    "unbounded": w.unbounded,
                    "worst_rpo": (!w.data_lost).then(|| w.rpo.to_string()),
                    "data_lost": w.data_lost,
                    "objective": m.topo.objectives.get(d).map(|ob| json!({"rto": ob.rto.value.to_string(), "rpo": ob.rpo.value.to_string()})),
                    "rto_met": m.topo.objectives.get(d).map(|_| !w.rto_breached),
                    "rpo_met": m.topo.objectives.get(d).map(|_| !w.rpo_breached),
                })
            })
            .collect();
        obj.insert("summary".into(), Value::Array(sum));
    }
    v
}
