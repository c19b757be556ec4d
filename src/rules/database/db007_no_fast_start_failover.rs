//! DB007: no fast-start failover.

use crate::rules::{Ctx, Rule, path, util};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/DB007.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    for g in &m.topo.data_guard {
        if !g.broker.value || g.standbys.is_empty() {
            continue; // DB006 covers configurations without the broker
        }
        let span = match &g.fast_start_failover {
            Some(f) if f.enabled.value => continue,
            Some(f) => f.enabled.span,
            None => g.name.span,
        };
        let h = util::human_response(m);
        let f = cx.finding(
            span,
            path::data_guard(g.name.as_str()),
            format!("Data Guard configuration `{}` has no fast-start failover: a primary failure waits for an operator (recovery model: {h} response time)", g.name),
        );
        cx.push(f.with_label("no fast-start failover"));
    }
}
