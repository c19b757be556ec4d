//! COH006: HotCache without a GoldenGate deployment capturing the changes.

use crate::resolve::Model;
use crate::rules::{Out, Rule};

pub static RULE: Rule = Rule::new(include_str!("../../../rules/COH006.yaml"), check);

fn check(m: &Model, out: &mut Out<'_>) {
    for c in &m.topo.coherence {
        let Some(h) = &c.hotcache else { continue };
        if h.goldengate.is_some() {
            continue;
        }
        let f = out.finding(
            h.database.span,
            format!("coherence[{}].hotcache", c.name),
            format!("Coherence cluster `{}` uses HotCache for database `{}` but names no GoldenGate deployment: nothing pushes the database changes", c.name, h.database),
        );
        out.push(f.with_label("no goldengate"));
    }
}
