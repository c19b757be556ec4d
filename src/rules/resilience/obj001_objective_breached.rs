//! OBJ001: a failure scenario's estimated RTO or RPO is worse than the declared objective.

use std::collections::btree_map::Entry;

use rayon::prelude::*;

use crate::analysis::Simulator;
use crate::graph::NodeId;
use crate::model::{Disruption, Duration};
use crate::resolve::Model;
use crate::rules::{Ctx, Rule, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/OBJ001.yaml"), check);

/// One service's RTO or RPO breach in the scenario of one failure event.
struct Breach {
    disruption: Disruption,
    is_rpo: bool,
    over: Duration,
    value: Duration,
    event: NodeId,
    app: NodeId,
}

/// The breaches of the objective of `event`'s disruption type when `event` fails alone.
fn breaches(m: &Model, sim: &Simulator<'_>, event: NodeId) -> Vec<Breach> {
    let Some(class) = sim.gr.g[event].event else {
        return Vec::new();
    };
    // Objectives are for single failures: a redundant link's partition is a double fault.
    if sim.gr.g[event].double {
        return Vec::new();
    }
    let disruption = class.disruption();
    if m.topo.objectives.get(disruption).is_none() {
        return Vec::new();
    }
    let sc = sim.run(&[event], false);
    let mut found = Vec::new();
    for r in &sc.apps {
        let Some(v) = &r.verdict else { continue };
        for (is_rpo, over, value) in [(false, v.rto_over, r.rto), (true, v.rpo_over, Some(r.rpo))] {
            if let (Some(over), Some(value)) = (over, value) {
                found.push(Breach {
                    disruption,
                    is_rpo,
                    over,
                    value,
                    event,
                    app: r.app,
                });
            }
        }
    }
    found
}

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    if Disruption::ALL
        .iter()
        .all(|d| m.topo.objectives.get(*d).is_none())
    {
        return;
    }
    let a = cx.analysis();
    let gr = &a.graph;
    let sim = Simulator::new(m, gr);
    // Every event is simulated on its own, in parallel; the breaches are then folded in
    // event order, so the worst (first on ties) and the counts do not depend on threads.
    let breaches: Vec<Vec<Breach>> = gr
        .events
        .par_iter()
        .map(|ev| breaches(m, &sim, *ev))
        .collect();
    // (disruption, is_rpo) → the worst breach (the first on ties) and the number of breaches.
    let mut worst: std::collections::BTreeMap<(Disruption, bool), (Breach, usize)> =
        std::collections::BTreeMap::new();
    for b in breaches.into_iter().flatten() {
        match worst.entry((b.disruption, b.is_rpo)) {
            Entry::Vacant(e) => {
                e.insert((b, 1));
            }
            Entry::Occupied(mut e) => {
                let (w, count) = e.get_mut();
                *count += 1;
                if b.over > w.over {
                    *w = b;
                }
            }
        }
    }
    for ((d, is_rpo), (w, count)) in worst {
        let Some(ob) = m.topo.objectives.get(d) else {
            continue;
        };
        let (metric, objective, span) = if is_rpo {
            ("RPO", ob.rpo.value, ob.rpo.span)
        } else {
            ("RTO", ob.rto.value, ob.rto.span)
        };
        let sc = sim.run(&[w.event], true);
        let path: Vec<String> = sc
            .apps
            .iter()
            .find(|r| r.app == w.app)
            .map(|r| {
                let mut mechs: Vec<(&'static str, Duration)> = Vec::new();
                for s in r.steps.iter().filter(|s| !s.background) {
                    match mechs.iter_mut().find(|(n, _)| *n == s.mechanism) {
                        Some(x) => x.1 = x.1.saturating_add(s.end.saturating_sub(s.start)),
                        None => mechs.push((s.mechanism, s.end.saturating_sub(s.start))),
                    }
                }
                mechs.into_iter().map(|(n, t)| format!("{n} {t}")).collect()
            })
            .unwrap_or_default();
        let message = format!(
            "{} objective {metric} {objective} is breached: losing {} gives service `{}` an estimated {metric} of {} ({} over){}; {} scenario/service pair(s) breach it",
            d.as_str(),
            gr.g[w.event].id(),
            gr.g[w.app].id(),
            w.value,
            w.over,
            if path.is_empty() {
                String::new()
            } else {
                format!(" via {}", path.join(" + "))
            },
            count
        );
        let mut diag = cx
            .finding(span, path::objective(d.as_str()), message)
            .with_label(format!("{metric} objective"));
        let ev = &gr.g[w.event];
        if !ev.span.is_empty() {
            diag = diag.with_extra(ev.span, format!("failure of {}", ev.id()));
        }
        cx.push(diag);
    }
}
