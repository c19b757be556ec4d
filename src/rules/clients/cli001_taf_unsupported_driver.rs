//! CLI001: TAF configured for a driver that does not support it.

use miette::SourceSpan;

use crate::model::{Client, Driver, ODP_NET_MANAGED_TAF, TafType};
use crate::rules::{Ctx, Rule, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/CLI001.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    for c in &m.topo.clients {
        let Some(taf) = &c.taf else { continue };
        if c.supports_taf() {
            if c.driver.value == Driver::OdpNetManaged && taf.r#type.value == TafType::Select {
                select_on_managed(cx, c, taf.r#type.span);
            }
            continue;
        }
        let f = cx.finding(
            taf.r#type.span,
            path::client(&c.name),
            format!("client `{}` configures TAF (`FAILOVER_MODE`) but {}: TAF is ignored and sessions are not failed over", c.name, without_taf(c)),
        )
        .with_extra(c.driver.span, "driver without TAF");
        cx.push(f.with_label("TAF unsupported"));
    }
}

/// Why the client's driver ignores TAF.
fn without_taf(c: &Client) -> String {
    if c.driver.value != Driver::OdpNetManaged {
        return format!("driver `{}` is not OCI-based", super::driver(c.driver.value));
    }
    let [a, b, p] = ODP_NET_MANAGED_TAF;
    match &c.version {
        Some(v) => format!("ODP.NET managed `{}` is older than {a}.{b}.{p}, the first release with TAF", v.value),
        None => format!("ODP.NET managed supports TAF only from {a}.{b}.{p} and the client declares no `version`"),
    }
}

/// ODP.NET managed (and Core) fail over the session only: open cursors are not resumed
/// (ODP.NET Developer's Guide, "Transparent Application Failover": SELECT failover is a
/// feature of unmanaged ODP.NET).
fn select_on_managed(cx: &mut Ctx<'_>, c: &Client, span: SourceSpan) {
    let f = cx.finding(
        span,
        path::client(&c.name),
        format!("client `{}` configures TAF `type: select` but ODP.NET managed fails over the session only: open cursors are not resumed, and a query in progress fails after the failover", c.name),
    )
    .with_extra(c.driver.span, "session failover only");
    cx.push(f.with_label("SELECT failover unsupported"));
}
