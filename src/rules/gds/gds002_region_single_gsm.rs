//! GDS002: a GDS region with only one global service manager.

use crate::rules::{Ctx, Rule, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/GDS002.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    let Some(gds) = &m.topo.gds else { return };
    for r in gds.regions.iter().filter(|r| r.gsms.len() == 1) {
        let Some(g) = r.gsms.first() else { continue };
        let f = cx.finding(
            g.name.span,
            path::gds_region(&r.name),
            format!("GDS region `{}` has one global service manager (`{}` on `{}`): Oracle recommends several per region", r.name, g.name, g.host),
        );
        cx.push(f.with_label("single GSM"));
    }
}
