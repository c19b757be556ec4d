//! DB011: a far sync instance without an alternate.

use crate::rules::{Ctx, Rule, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/DB011.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    for g in &m.topo.data_guard {
        if g.far_syncs.len() != 1 {
            continue;
        }
        let Some(fs) = g.far_syncs.first() else {
            continue;
        };
        if fs.alternate.is_some() {
            continue;
        }
        let f = cx.finding(
            fs.name.span,
            path::far_sync(g.name.as_str(), &fs.name),
            format!("far sync `{}` is the only far sync of `{}` and has no alternate: its failure stops zero-data-loss redo to the standbys", fs.name, g.name),
        );
        cx.push(f.with_label("no alternate"));
    }
}
