//! CLI004: Fast Connection Failover enabled without FAN.

use crate::rules::{Ctx, Rule, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/CLI004.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    for c in m
        .topo
        .clients
        .iter()
        .filter(|c| c.fcf.value && !c.fan.value)
    {
        let f = cx.finding(
            c.fcf.span,
            path::client(&c.name),
            format!("client `{}` enables Fast Connection Failover without FAN: FCF acts on FAN events, so it never triggers", c.name),
        );
        cx.push(f.with_label("fcf without fan"));
    }
}
