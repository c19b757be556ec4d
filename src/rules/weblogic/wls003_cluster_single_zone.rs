//! WLS003: a cluster's servers are on several hosts, but all in one zone of a multi-zone site.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::DomainRole;
use crate::rules::{Ctx, Rule, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/WLS003.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    let zones_per_site: BTreeMap<&str, usize> = m
        .topo
        .sites
        .iter()
        .map(|s| (s.name.as_str(), s.zones.len()))
        .collect();
    for d in m
        .topo
        .domains
        .iter()
        .filter(|d| d.role.value == DomainRole::Active)
    {
        for c in &d.clusters {
            let servers = m.index.servers_of(c.name.as_str());
            let hosts: BTreeSet<&str> = servers.iter().map(|s| s.host.as_str()).collect();
            if hosts.len() < 2 {
                continue;
            }
            let places: BTreeSet<(&str, Option<&str>)> = hosts
                .iter()
                .filter_map(|h| m.index.placement(h))
                .map(|p| (p.site.as_str(), p.zone.as_deref()))
                .collect();
            let [(site, Some(zone))] = places.iter().copied().collect::<Vec<_>>()[..] else {
                continue;
            };
            let available = zones_per_site.get(site).copied().unwrap_or(0);
            if available < 2 {
                continue;
            }
            let span = servers.first().map_or(c.name.span, |s| s.host.span);
            let f = cx.finding(
                span,
                path::cluster(d.name.as_str(), c.name.as_str()),
                format!(
                    "the {} hosts of cluster `{}` are all in zone `{zone}` although site `{site}` has {available} zones: a zone failure stops the cluster",
                    hosts.len(),
                    c.name
                ),
            );
            cx.push(f.with_label(format!("zone `{zone}`")));
        }
    }
}
