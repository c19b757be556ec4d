//! WLS019: ZDT patching on a cluster of two nodes or fewer.

use std::collections::BTreeSet;

use crate::rules::{Ctx, Rule, path, util};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/WLS019.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    for d in m.topo.domains.iter().filter(|d| d.zdt_patching.value) {
        for c in &d.clusters {
            let hosts: BTreeSet<&str> = m
                .index
                .servers_of(c.name.as_str())
                .iter()
                .map(|s| s.host.as_str())
                .collect();
            if hosts.len() > 2 {
                continue;
            }
            let f = cx.finding(
                d.zdt_patching.span,
                path::cluster(d.name.as_str(), c.name.as_str()),
                format!(
                    "domain `{}` uses ZDT patching but cluster `{}` runs on {} node{}: while one node is patched the cluster is not highly available",
                    d.name,
                    c.name,
                    hosts.len(),
                    util::plural(hosts.len())
                ),
            )
            .with_extra(c.name.span, format!("{} node{}", hosts.len(), util::plural(hosts.len())));
            cx.push(f.with_label("zdt_patching: true"));
        }
    }
}
