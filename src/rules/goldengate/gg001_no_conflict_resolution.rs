//! GG001: GoldenGate active-active without conflict resolution for every schema.

use crate::model::{ConflictResolution, GoldenGateMode};
use crate::resolve::Model;
use crate::rules::{Out, Rule, path};

pub static RULE: Rule = Rule::new(include_str!("../../../rules/GG001.yaml"), check);

fn check(m: &Model, out: &mut Out<'_>) {
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
            let f = out.finding(
                span,
                format!("{}.schemas[{}]", path::named("goldengate", g.name.as_str()), s.name),
                format!("schema `{}` is replicated active-active by GoldenGate `{}` without conflict resolution: the first conflicting update stops replication", s.name, g.name),
            );
            out.push(f.with_label("no conflict resolution"));
        }
    }
}
