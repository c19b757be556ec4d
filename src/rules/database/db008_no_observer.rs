//! DB008: fast-start failover without an observer.

use crate::rules::{Ctx, Rule, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/DB008.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    for g in &m.topo.data_guard {
        let Some(fsfo) = g.fast_start_failover.as_ref().filter(|f| f.enabled.value) else {
            continue;
        };
        if !g.observers.is_empty() {
            continue;
        }
        let span = if fsfo.enabled.is_written() {
            fsfo.enabled.span
        } else {
            g.name.span
        };
        let f = cx.finding(
            span,
            path::data_guard(g.name.as_str()),
            format!("Data Guard configuration `{}` enables fast-start failover but has no observer: nothing triggers the failover", g.name),
        );
        cx.push(f.with_label("no observer"));
    }
}
