//! CLI004: Fast Connection Failover enabled without FAN.

use crate::resolve::Model;
use crate::rules::{Out, Rule};

pub static RULE: Rule = Rule::new(include_str!("../../../rules/CLI004.yaml"), check);

fn check(m: &Model, out: &mut Out<'_>) {
    for c in m
        .topo
        .clients
        .iter()
        .filter(|c| c.fcf.value && !c.fan.value)
    {
        let f = out.finding(
            c.fcf.span,
            format!("clients[{}]", c.name),
            format!("client `{}` enables Fast Connection Failover without FAN: FCF acts on FAN events, so it never triggers", c.name),
        );
        out.push(f.with_label("fcf without fan"));
    }
}
