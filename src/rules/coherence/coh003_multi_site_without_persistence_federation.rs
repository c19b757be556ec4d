//! COH003: a multi-site deployment without Coherence persistence and federation.

use crate::rules::{Ctx, Rule, util, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/COH003.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    if !util::dr_pair(m) {
        return;
    }
    for c in &m.topo.coherence {
        let missing: Vec<&str> = [
            (c.persistence.is_none(), "persistence"),
            (c.federation.is_none(), "federation"),
        ]
        .into_iter()
        .filter_map(|(miss, what)| miss.then_some(what))
        .collect();
        if missing.is_empty() {
            continue;
        }
        let f = cx.finding(
            c.name.span,
            path::coherence(&c.name),
            format!("Coherence cluster `{}` runs in a multi-site topology without {}: its cached data does not survive a site failure or full restart", c.name, missing.join(" and ")),
        );
        cx.push(f.with_label(format!("no {}", missing.join(", no "))));
    }
}
