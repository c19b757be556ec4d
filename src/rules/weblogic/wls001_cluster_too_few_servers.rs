//! WLS001: a cluster with fewer than two managed servers.

use crate::model::DomainRole;
use crate::rules::{Ctx, Rule, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/WLS001.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    for d in m
        .topo
        .domains
        .iter()
        .filter(|d| d.role.value == DomainRole::Active)
    {
        for c in &d.clusters {
            let n = m.index.servers_of(c.name.as_str()).len();
            if n >= 2 {
                continue;
            }
            let span = c.dynamic.as_ref().map_or(c.name.span, |dy| dy.size.span);
            let f = cx.finding(
                span,
                path::cluster(d.name.as_str(), c.name.as_str()),
                format!(
                    "cluster `{}` has {n} managed server{}: nothing can take over when it fails",
                    c.name,
                    if n == 1 { "" } else { "s" }
                ),
            );
            cx.push(f.with_label(format!("{n} server{}", if n == 1 { "" } else { "s" })));
        }
    }
}
