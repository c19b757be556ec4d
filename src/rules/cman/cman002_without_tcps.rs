//! CMAN002: CMAN without TCPS where the topology requires encryption in transit.

use crate::rules::{Ctx, Rule, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/CMAN002.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    if !m.topo.security.require_tls.value {
        return;
    }
    for c in m.topo.cman.iter().filter(|c| !c.tcps.value) {
        let span = if c.tcps.is_written() {
            c.tcps.span
        } else {
            c.name.span
        };
        let f = cx.finding(
            span,
            path::cman(&c.name),
            format!("CMAN `{}` accepts plain TCP although `security.require_tls` is set: database traffic crosses it unencrypted", c.name),
        )
        .with_extra(m.topo.security.require_tls.span, "TLS required here");
        cx.push(f.with_label("no TCPS"));
    }
}
