//! FE007: a `mod_wl_ohs` route to a cluster with fewer than two reachable members.

use std::collections::BTreeSet;

use crate::rules::{Ctx, Rule, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/FE007.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    for o in &m.topo.ohs {
        for r in &o.routes {
            let members = m.index.servers_of(r.cluster.as_str());
            let (n, how) = if r.servers.is_empty() || r.dynamic_list.value {
                (members.len(), "the cluster has")
            } else {
                let listed: BTreeSet<&str> = r.servers.iter().map(|s| s.as_str()).collect();
                (listed.len(), "`WebLogicCluster` lists")
            };
            if n >= 2 {
                continue;
            }
            let f = cx.finding(
                r.cluster.span,
                path::ohs_route(o.name.as_str(), &r.path.value),
                format!("OHS `{}` routes `{}` to cluster `{}`, but {how} {n} member{}: nothing to fail over to", o.name, r.path.value, r.cluster, crate::rules::util::plural(n)),
            );
            cx.push(f.with_label(format!(
                "{n} reachable member{}",
                crate::rules::util::plural(n)
            )));
        }
    }
}
