//! FE006: an OHS instance whose process is not restarted by Node Manager.

use crate::rules::{Ctx, Rule, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/FE006.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    for o in m.topo.ohs.iter().filter(|o| !o.node_manager.value) {
        let f = cx.finding(
            o.node_manager.span,
            path::ohs(o.name.as_str()),
            format!("OHS `{}` is not managed by Node Manager: a crashed process stays down until someone restarts it", o.name),
        );
        cx.push(f.with_label("node_manager: false"));
    }
}
