//! DB012: an "active-active" topology whose databases are replicated only by Data Guard.

use crate::model::{Architecture, GoldenGateMode};
use crate::rules::{Ctx, Rule, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/DB012.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    let t = &m.topo;
    if t.architecture.value != Architecture::ActiveActive || t.data_guard.is_empty() {
        return;
    }
    if t.goldengate
        .iter()
        .any(|g| g.mode.value == GoldenGateMode::ActiveActive)
    {
        return;
    }
    let names: Vec<&str> = t.data_guard.iter().map(|g| g.name.as_str()).collect();
    let mut f = cx.finding(
        t.architecture.span,
        path::architecture(),
        format!("the topology is declared active-active but its databases are replicated only by Data Guard ({}): a standby is not writable, so only one site can take writes", names.join(", ")),
    );
    if let Some(g) = t.data_guard.first() {
        f = f.with_extra(g.name.span, "Data Guard: active-passive only");
    }
    cx.push(f.with_label("active-active"));
}
