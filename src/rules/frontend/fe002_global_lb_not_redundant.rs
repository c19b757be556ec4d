//! FE002: the global load balancer is not redundant.

use std::collections::BTreeSet;

use crate::rules::{Ctx, Rule, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/FE002.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    let Some(g) = &m.topo.global_load_balancer else {
        return;
    };
    if g.managed.value {
        return;
    }
    let hosts: BTreeSet<&str> = g.hosts.iter().map(|h| h.as_str()).collect();
    let sites: BTreeSet<&str> = hosts.iter().filter_map(|h| m.index.site_of(h)).collect();
    let problem = match (hosts.len(), sites.len()) {
        (0, _) => "runs on no declared host".to_owned(),
        (1, _) => format!(
            "runs on one host (`{}`)",
            hosts.iter().next().copied().unwrap_or_default()
        ),
        (n, 1) => format!(
            "runs on {n} hosts, all in site `{}`",
            sites.iter().next().copied().unwrap_or_default()
        ),
        _ => return,
    };
    let f = cx.finding(
        g.name.span,
        path::global_load_balancer(),
        format!(
            "global load balancer `{}` {problem}: after its failure, or that site's, no DNS-based site switch is possible, and clients lose the name once their cached answers expire unless other name servers answer for it",
            g.name
        ),
    );
    cx.push(f.with_label("not redundant"));
}
