//! COH005: active-active federation without a conflict resolver.

use crate::model::FederationTopology;
use crate::rules::{Ctx, Rule, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/COH005.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    for c in &m.topo.coherence {
        let Some(fed) = &c.federation else { continue };
        if fed.topology.value != FederationTopology::ActiveActive || fed.conflict_resolver.is_some()
        {
            continue;
        }
        let f = cx.finding(
            fed.topology.span,
            path::coherence(&c.name),
            format!("Coherence cluster `{}` federates active-active with no conflict resolver: concurrent updates in two sites conflict and one silently wins", c.name),
        );
        cx.push(f.with_label("no conflict_resolver"));
    }
}
