//! FE005: a load balancer without health checks.

use crate::model::Switchover;
use crate::rules::{Ctx, Rule, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/FE005.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    if let Some(g) = &m.topo.global_load_balancer
        && g.health_check.is_none()
        && g.switchover.value == Switchover::Automatic
    {
        let f = cx.finding(
            g.name.span,
            path::global_load_balancer(),
            format!("global load balancer `{}` switches sites automatically but has no health check on the sites' load balancers", g.name),
        );
        cx.push(f.with_label("no health_check"));
    }
    for lb in &m.topo.load_balancers {
        if lb.health_check.is_some() {
            continue;
        }
        let f = cx.finding(
            lb.name.span,
            path::load_balancer(lb.name.as_str()),
            format!("load balancer `{}` has no health check: it keeps sending requests to a failed OHS or server", lb.name),
        );
        cx.push(f.with_label("no health_check"));
    }
}
