//! FE004: fewer than two OHS hosts in a site.

use std::collections::{BTreeMap, BTreeSet};

use crate::rules::{Ctx, Rule, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/FE004.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    let mut by_site: BTreeMap<&str, (BTreeSet<&str>, Vec<&crate::model::Ohs>)> = BTreeMap::new();
    for o in &m.topo.ohs {
        if let Some(site) = m.index.site_of(o.host.as_str()) {
            let entry = by_site.entry(site).or_default();
            entry.0.insert(o.host.as_str());
            entry.1.push(o);
        }
    }
    for (site, (hosts, list)) in by_site {
        if hosts.len() >= 2 {
            continue;
        }
        let Some(first) = list.first() else { continue };
        let host = hosts.iter().next().copied().unwrap_or_default();
        let names: Vec<&str> = list.iter().map(|o| o.name.as_str()).collect();
        let d = cx.finding(
            first.host.span,
            path::ohs(first.name.as_str()),
            format!("site `{site}` runs OHS only on host `{host}` ({}): losing that host stops its web tier", names.join(", ")),
        );
        cx.push(d.with_label("the only OHS host of this site"));
    }
}
