//! OBJ001: a failure scenario's estimated RTO or RPO is worse than the declared objective.

use crate::analysis::{Simulator, analyze};
use crate::model::{Disruption, Duration};
use crate::resolve::Model;
use crate::rules::{Out, Rule};

pub static RULE: Rule = Rule::new(include_str!("../../../rules/OBJ001.yaml"), check);

struct Worst {
    over: Duration,
    value: Duration,
    event: crate::graph::NodeId,
    app: crate::graph::NodeId,
    count: usize,
}

fn check(m: &Model, out: &mut Out<'_>) {
    if Disruption::ALL
        .iter()
        .all(|d| m.topo.objectives.get(*d).is_none())
    {
        return;
    }
    let a = analyze(m);
    let gr = &a.graph;
    let sim = Simulator::new(m, gr);
    // (disruption, is_rpo) → worst breach.
    let mut worst: std::collections::BTreeMap<(Disruption, bool), Worst> =
        std::collections::BTreeMap::new();
    for ev in &gr.events {
        let Some(class) = gr.g[*ev].event else {
            continue;
        };
        let d = class.disruption();
        if m.topo.objectives.get(d).is_none() {
            continue;
        }
        let sc = sim.run(&[*ev], false);
        for r in &sc.apps {
            let Some(v) = &r.verdict else { continue };
            for (is_rpo, over, value) in
                [(false, v.rto_over, r.rto), (true, v.rpo_over, Some(r.rpo))]
            {
                let (Some(over), Some(value)) = (over, value) else {
                    continue;
                };
                let w = worst.entry((d, is_rpo)).or_insert(Worst {
                    over,
                    value,
                    event: *ev,
                    app: r.app,
                    count: 0,
                });
                w.count += 1;
                if over > w.over {
                    *w = Worst {
                        over,
                        value,
                        event: *ev,
                        app: r.app,
                        count: w.count,
                    };
                }
            }
        }
    }
    for ((d, is_rpo), w) in worst {
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
            w.count
        );
        let mut diag = out
            .finding(span, format!("objectives.{}", d.as_str()), message)
            .with_label(format!("{metric} objective"));
        let ev = &gr.g[w.event];
        if !ev.span.is_empty() {
            diag = diag.with_extra(ev.span, format!("failure of {}", ev.id()));
        }
        out.push(diag);
    }
}
