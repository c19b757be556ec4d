//! FE001: a multi-site topology with an HTTP tier but without a global load balancer.
//!
//! Only a topology with an HTTP tier ([`util::http_tier`]) has users a global load balancer
//! moves: the clients of a database-only design reach the other site through GSMs or their
//! connect descriptors, those of a cache-only design through Coherence itself.

use crate::model::SiteRole;
use crate::rules::{Ctx, Rule, path, util};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/FE001.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    let t = &m.topo;
    let serving: Vec<&str> = t
        .sites
        .iter()
        .filter(|s| s.role.value != SiteRole::Witness)
        .map(|s| s.name.as_str())
        .collect();
    if serving.len() < 2 || t.global_load_balancer.is_some() || !util::http_tier(m) {
        return;
    }
    let d = cx.finding(
        t.architecture.span,
        path::global_load_balancer(),
        format!(
            "{} sites serve users ({}) but there is no global load balancer to switch them over",
            serving.len(),
            serving.join(", ")
        ),
    );
    cx.push(d.with_label("multi-site topology"));
}
