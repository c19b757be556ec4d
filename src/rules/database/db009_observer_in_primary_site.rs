//! DB009: every fast-start failover observer is in the primary database's site.

use std::collections::BTreeSet;

use crate::rules::{Ctx, Rule, path, util};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/DB009.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    for g in &m.topo.data_guard {
        if g.observers.is_empty() {
            continue;
        }
        let Some(primary) = util::database(m, g.primary.as_str()) else {
            continue;
        };
        let primary_sites = util::db_sites(m, primary);
        let obs_sites: BTreeSet<&str> = g
            .observers
            .iter()
            .filter_map(|o| m.index.site_of(o.host.as_str()))
            .collect();
        if obs_sites.is_empty() || !obs_sites.is_subset(&primary_sites) {
            continue;
        }
        let Some(first) = g.observers.first() else {
            continue;
        };
        let site = obs_sites.iter().next().copied().unwrap_or_default();
        let f = cx.finding(
            first.host.span,
            path::data_guard(g.name.as_str()),
            format!("every observer of Data Guard configuration `{}` is in site `{site}`, with primary `{}`: a site failure takes the observer too and no automatic failover happens", g.name, primary.name),
        );
        cx.push(f.with_label("observer in the primary site"));
    }
}
