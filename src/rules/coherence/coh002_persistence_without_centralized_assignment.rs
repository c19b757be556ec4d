//! COH002: persistence without the centralized partition assignment strategy.

use crate::model::PartitionAssignment;
use crate::rules::{Ctx, Rule, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/COH002.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    for c in &m.topo.coherence {
        let Some(p) = &c.persistence else { continue };
        if c.partition_assignment.value == PartitionAssignment::Centralized {
            continue;
        }
        let span = if c.partition_assignment.is_written() {
            c.partition_assignment.span
        } else {
            p.mode.span
        };
        let f = cx.finding(
            span,
            path::coherence(&c.name),
            format!(
                "Coherence cluster `{}` uses persistence with the `{}` partition assignment strategy: persistence requires `centralized`",
                c.name,
                crate::rules::util::kebab(c.partition_assignment.value)
            ),
        );
        cx.push(f.with_label("not centralized"));
    }
}
