//! DB013: an RPO objective of 0 with asynchronous replication.

use crate::model::{Disruption, Duration, ProtectionMode, Transport};
use crate::rules::{Ctx, Rule, path, util};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/DB013.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    let t = &m.topo;
    let zero: Vec<(Disruption, &crate::model::Objective)> = [Disruption::Site, Disruption::Region]
        .into_iter()
        .filter_map(|d| t.objectives.get(d).map(|o| (d, o)))
        .filter(|(_, o)| o.rpo.value == Duration::ZERO)
        .collect();
    let Some((disruption, objective)) = zero.first().copied() else {
        return;
    };
    for g in &t.goldengate {
        let f = cx.finding(
            g.mode.span,
            path::goldengate(g.name.as_str()),
            format!(
                "the RPO objective for a {} failure is {}, but GoldenGate replication `{}` is asynchronous (lag {}): a failover loses up to {} of transactions",
                disruption.as_str(),
                objective.rpo.value,
                g.name,
                g.lag.value,
                g.lag.value
            ),
        )
        .with_extra(objective.rpo.span, format!("RPO {}", objective.rpo.value));
        cx.push(f.with_label("asynchronous replication"));
    }
    for g in &t.data_guard {
        let all_async = !g.standbys.is_empty()
            && g.standbys
                .iter()
                .all(|s| util::transport(g, s) == Transport::Async); // far syncs included
        if !(all_async || g.protection_mode.value == ProtectionMode::MaxPerformance) {
            continue;
        }
        let lag = g
            .standbys
            .iter()
            .filter_map(|s| s.lag.as_ref().map(|l| l.value))
            .max();
        let lag = lag.map_or_else(|| "transport lag".to_owned(), |l| format!("lag {l}"));
        let f = cx.finding(
            if g.protection_mode.is_written() { g.protection_mode.span } else { g.name.span },
            path::data_guard(g.name.as_str()),
            format!(
                "the RPO objective for a {} failure is {}, but Data Guard configuration `{}` ships redo asynchronously ({lag}): a failover can lose data",
                disruption.as_str(),
                objective.rpo.value,
                g.name
            ),
        )
        .with_extra(objective.rpo.span, format!("RPO {}", objective.rpo.value));
        cx.push(f.with_label("asynchronous redo transport"));
    }
}
