//! WLS018: one Oracle home shared by several nodes (blocks Zero Downtime Patching).

use crate::model::HomeLayout;
use crate::rules::{Ctx, Rule, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/WLS018.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    for d in m
        .topo
        .domains
        .iter()
        .filter(|d| d.oracle_home.layout.value == HomeLayout::Shared)
    {
        let f = cx.finding(
            d.oracle_home.layout.span,
            path::oracle_home(&d.name),
            format!("domain `{}` runs every node from one shared Oracle home: patching it takes all servers down at once, and ZDT patching cannot roll node by node", d.name),
        );
        cx.push(f.with_label("layout: shared"));
    }
}
