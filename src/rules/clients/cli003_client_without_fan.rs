//! CLI003: a client or data source without Fast Application Notification.

use crate::rules::{Ctx, Rule, util, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/CLI003.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    for c in &m.topo.clients {
        if !c.fan.value {
            let span = if c.fan.is_written() {
                c.fan.span
            } else {
                c.name.span
            };
            let f = cx.finding(
                span,
                path::client(&c.name),
                format!("client `{}` does not subscribe to FAN: after an instance or site failure it waits on TCP timeouts instead of cleaning up at once", c.name),
            );
            cx.push(f.with_label("no FAN"));
            continue;
        }
        if !c.driver.value.supports_taf() {
            continue; // JDBC / ODP.NET managed configure ONS from the connect string
        }
        // OCI-based clients need `-notification TRUE` on the service.
        for db in util::service_databases(m, c.service.as_str()) {
            let Some(svc) = db
                .services
                .iter()
                .find(|s| s.name.as_str() == c.service.as_str())
            else {
                continue;
            };
            if svc.notification.value {
                continue;
            }
            let f = cx.finding(
                svc.notification.span,
                path::client(&c.name),
                format!("OCI-based client `{}` expects FAN, but service `{}` on `{}` has `notification: false`: no HA events reach it", c.name, svc.name, db.name),
            )
            .with_extra(c.fan.span, "fan: true");
            cx.push(f.with_label("notification: false"));
            break;
        }
    }
    for d in &m.topo.domains {
        for ds in d.data_sources.iter().filter(|ds| !ds.fan.value) {
            let f = cx.finding(
                ds.fan.span,
                path::data_source(&d.name, &ds.name),
                format!("data source `{}` has FAN disabled: it cannot drain for planned maintenance nor clean up dead connections at once", ds.name),
            );
            cx.push(f.with_label("fan: false"));
        }
    }
}
