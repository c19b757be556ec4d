//! FE008: data replicated asynchronously between serving sites, and no site affinity.
//!
//! Active-active GoldenGate and active-active Coherence federation let two sites take writes
//! and copy them to each other after a delay. A user whose requests alternate between the
//! sites reads data the other site has not received yet; MAA keeps each conversation on one
//! site (web affinity), which the global load balancer's `site_affinity` declares.

use std::collections::BTreeSet;

use miette::SourceSpan;

use crate::model::{CoherenceCluster, DomainRole, FederationTopology, GoldenGateMode};
use crate::resolve::Model;
use crate::rules::{Ctx, Rule, path, util};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/FE008.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    let glb = m.topo.global_load_balancer.as_ref();
    if glb.is_some_and(|g| g.site_affinity.value) {
        return;
    }
    // (span of the replication, object, what replicates, the sites it joins)
    let mut found: Vec<(SourceSpan, path::ObjectPath, String, BTreeSet<&str>)> = Vec::new();
    for g in m
        .topo
        .goldengate
        .iter()
        .filter(|g| g.mode.value == GoldenGateMode::ActiveActive)
    {
        let sites: BTreeSet<&str> = g
            .databases
            .iter()
            .filter_map(|d| util::database(m, d.as_str()))
            .flat_map(|d| util::db_sites(m, d))
            .collect();
        if sites.len() >= 2 {
            let what = format!("GoldenGate `{}` replicates active-active", g.name);
            found.push((g.mode.span, path::goldengate(&g.name), what, sites));
        }
    }
    // Symmetric federation (each cluster names the other) is one pair: reported once, at
    // the first cluster that declares it.
    let mut pairs: BTreeSet<Vec<&str>> = BTreeSet::new();
    for c in &m.topo.coherence {
        let Some(fed) = c
            .federation
            .as_ref()
            .filter(|f| f.topology.value == FederationTopology::ActiveActive)
        else {
            continue;
        };
        let mut members: Vec<&str> = fed.participants.iter().map(|p| p.as_str()).collect();
        members.push(c.name.as_str());
        members.sort_unstable();
        members.dedup();
        if !pairs.insert(members) {
            continue;
        }
        let mut sites = coherence_sites(m, c);
        for p in &fed.participants {
            if let Some(pc) = m.topo.coherence.iter().find(|x| x.name.as_str() == p.as_str()) {
                sites.extend(coherence_sites(m, pc));
            }
        }
        if sites.len() >= 2 {
            let what = format!("Coherence cluster `{}` federates active-active", c.name);
            found.push((fed.topology.span, path::coherence(&c.name), what, sites));
        }
    }
    // Affinity matters only where users can reach two sites: at least two of the replicated
    // sites run an active domain (a passive standby domain serves nobody until a failover).
    let serving = active_domain_sites(m);
    for (span, object, what, sites) in found {
        if sites.iter().filter(|s| serving.contains(*s)).count() < 2 {
            continue;
        }
        let sites = sites.into_iter().collect::<Vec<_>>().join(", ");
        let (why, extra) = match glb {
            Some(g) => (
                format!("the global load balancer `{}` does not keep a user on one site (`site_affinity` is false)", g.name),
                Some((if g.site_affinity.is_written() { g.site_affinity.span } else { g.name.span }, "no site affinity")),
            ),
            None => ("no global load balancer keeps a user on one site".to_owned(), None),
        };
        let mut f = cx.finding(
            span,
            object,
            format!("{what} between sites {sites}, asynchronously, but {why}: a user's next request can reach the other site and read data that has not arrived there yet"),
        );
        if let Some((s, label)) = extra {
            f = f.with_extra(s, label);
        }
        cx.push(f.with_label("both sites take writes"));
    }
}

/// The sites a Coherence cluster's members run in.
fn coherence_sites<'m>(m: &'m Model, c: &CoherenceCluster) -> BTreeSet<&'m str> {
    c.members
        .iter()
        .filter_map(|x| m.index.site_of(x.host.as_str()))
        .collect()
}

/// The sites whose hosts run a server of an active WebLogic domain.
fn active_domain_sites(m: &Model) -> BTreeSet<&str> {
    m.topo
        .domains
        .iter()
        .filter(|d| d.role.value == DomainRole::Active)
        .flat_map(|d| &d.clusters)
        .flat_map(|c| m.index.servers_of(c.name.as_str()))
        .filter_map(|s| m.index.site_of(s.host.as_str()))
        .collect()
}
