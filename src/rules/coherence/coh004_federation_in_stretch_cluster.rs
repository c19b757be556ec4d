//! COH004: federated caching used by a stretch cluster.

use std::collections::BTreeSet;

use crate::model::Architecture;
use crate::rules::{Ctx, Rule, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/COH004.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    for c in &m.topo.coherence {
        let Some(fed) = &c.federation else { continue };
        let sites: BTreeSet<&str> = c
            .members
            .iter()
            .filter_map(|mb| m.index.site_of(mb.host.as_str()))
            .collect();
        let why = if sites.len() >= 2 {
            format!(
                "its members span sites {}",
                sites.iter().copied().collect::<Vec<_>>().join(", ")
            )
        } else if m.topo.architecture.value == Architecture::Stretch {
            "the topology is a stretch cluster".to_owned()
        } else {
            continue;
        };
        let f = cx.finding(
            fed.topology.span,
            path::coherence(&c.name),
            format!("Coherence cluster `{}` is federated although {why}: federated caching is for active-active and active-passive sites, not stretch clusters", c.name),
        );
        cx.push(f.with_label("federation in a stretch cluster"));
    }
}
