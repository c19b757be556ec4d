//! COH007: all storage-enabled members on one machine.

use std::collections::BTreeSet;

use crate::rules::{Ctx, Rule, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/COH007.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    for c in &m.topo.coherence {
        let storage: Vec<_> = c.members.iter().filter(|mb| mb.storage.value).collect();
        let hosts: BTreeSet<&str> = storage.iter().map(|mb| mb.host.as_str()).collect();
        if hosts.len() >= 2 {
            continue;
        }
        let span = storage.first().map_or(c.name.span, |mb| mb.host.span);
        let msg = match hosts.iter().next() {
            Some(h) => format!(
                "every storage-enabled member of Coherence cluster `{}` runs on host `{h}`: a machine failure loses primary and backup partitions together",
                c.name
            ),
            None => format!(
                "Coherence cluster `{}` has no storage-enabled member",
                c.name
            ),
        };
        let f = cx.finding(span, path::coherence(&c.name), msg);
        cx.push(f.with_label("one machine"));
    }
}
