//! COH006: HotCache without a GoldenGate deployment capturing the changes.

use crate::rules::{Ctx, Rule, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/COH006.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    for c in &m.topo.coherence {
        let Some(h) = &c.hotcache else { continue };
        if h.goldengate.is_some() {
            continue;
        }
        let f = cx.finding(
            h.database.span,
            path::hotcache(&c.name),
            format!("Coherence cluster `{}` uses HotCache for database `{}` but names no GoldenGate deployment: nothing pushes the database changes", c.name, h.database),
        );
        cx.push(f.with_label("no goldengate"));
    }
}
