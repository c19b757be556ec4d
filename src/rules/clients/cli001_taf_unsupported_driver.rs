//! CLI001: TAF configured for a driver that does not support it.

use crate::rules::{Ctx, Rule, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/CLI001.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    for c in &m.topo.clients {
        let Some(taf) = &c.taf else { continue };
        if c.driver.value.supports_taf() {
            continue;
        }
        let f = cx.finding(
            taf.r#type.span,
            path::client(&c.name),
            format!("client `{}` configures TAF (`FAILOVER_MODE`) but driver `{}` is not OCI-based: TAF is ignored and sessions are not failed over", c.name, super::driver(c.driver.value)),
        )
        .with_extra(c.driver.span, "driver without TAF");
        cx.push(f.with_label("TAF unsupported"));
    }
}
