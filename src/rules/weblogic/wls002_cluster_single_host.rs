//! WLS002: every server of a cluster on one host.

use std::collections::BTreeSet;

use crate::model::DomainRole;
use crate::rules::{Ctx, Rule, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/WLS002.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    for d in m
        .topo
        .domains
        .iter()
        .filter(|d| d.role.value == DomainRole::Active)
    {
        for c in &d.clusters {
            let servers = m.index.servers_of(c.name.as_str());
            let hosts: BTreeSet<&str> = servers.iter().map(|s| s.host.as_str()).collect();
            if servers.len() < 2 || hosts.len() != 1 {
                continue;
            }
            let Some(first) = servers.first() else {
                continue;
            };
            let mut f = cx.finding(
                first.host.span,
                path::cluster(d.name.as_str(), c.name.as_str()),
                format!("all {} servers of cluster `{}` run on host `{}`: one host failure stops the cluster", servers.len(), c.name, first.host),
            )
            .with_label(format!("{} is on `{}`", first.name, first.host));
            for s in servers
                .iter()
                .skip(1)
                .filter(|s| s.host.is_written() && s.host.span != first.host.span)
            {
                f = f.with_extra(s.host.span, format!("{} is on the same host", s.name));
            }
            cx.push(f);
        }
    }
}
