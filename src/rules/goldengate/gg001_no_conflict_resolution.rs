//! GG001: GoldenGate active-active without conflict resolution for every schema.

use crate::model::{ConflictResolution, GoldenGateMode};
use crate::rules::{Ctx, Rule, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/GG001.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    for g in m
        .topo
        .goldengate
        .iter()
        .filter(|g| g.mode.value == GoldenGateMode::ActiveActive)
    {
        for s in g
            .schemas
            .iter()
            .filter(|s| s.conflict_resolution.value == ConflictResolution::None)
        {
            let span = if s.conflict_resolution.is_written() {
                s.conflict_resolution.span
            } else {
                s.name.span
            };
            let f = cx.finding(
                span,
                path::goldengate_schema(g.name.as_str(), &s.name),
                format!("schema `{}` is replicated active-active by GoldenGate `{}` without conflict resolution: the first conflicting update stops replication", s.name, g.name),
            );
            cx.push(f.with_label("no conflict resolution"));
        }
    }
}
