//! DB006: a Data Guard configuration not managed by the broker.

use crate::rules::{Ctx, Rule, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/DB006.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    for g in m.topo.data_guard.iter().filter(|g| !g.broker.value) {
        let f = cx.finding(
            g.broker.span,
            path::data_guard(g.name.as_str()),
            format!("Data Guard configuration `{}` is not managed by the broker: no fast-start failover, and every role change is a manual procedure", g.name),
        );
        cx.push(f.with_label("broker: false"));
    }
}
