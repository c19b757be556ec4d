//! GDS001: a GDS region without a global service manager.

use crate::rules::{Ctx, Rule, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/GDS001.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    let Some(gds) = &m.topo.gds else { return };
    for r in gds.regions.iter().filter(|r| r.gsms.is_empty()) {
        let f = cx.finding(
            r.name.span,
            path::gds_region(&r.name),
            format!("GDS region `{}` has no global service manager: its clients cannot connect to any global service", r.name),
        );
        cx.push(f.with_label("no GSM"));
    }
}
