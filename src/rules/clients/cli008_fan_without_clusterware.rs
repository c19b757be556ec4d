//! CLI008: a client or data source expects FAN from a database without clusterware.

use crate::model::Clusterware;
use crate::rules::util::service_databases;
use crate::rules::{Ctx, Rule, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/CLI008.yaml"), check);

/// The first database offering `service` that is declared `clusterware: none`.
fn without_clusterware(cx: &Ctx<'_>, service: &str) -> Option<String> {
    service_databases(cx.model(), service)
        .into_iter()
        .find(|d| d.clusterware() == Some(Clusterware::None))
        .map(|d| d.name.to_string())
}

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    for c in m.topo.clients.iter().filter(|c| c.fan.value || c.fcf.value) {
        let Some(db) = without_clusterware(cx, c.service.as_str()) else {
            continue;
        };
        let (what, span) = if c.fan.value {
            ("FAN", c.fan.span)
        } else {
            ("Fast Connection Failover", c.fcf.span)
        };
        let f = cx.finding(
            span,
            path::client(&c.name),
            format!("client `{}` expects {what} from service `{}`, but database `{db}` runs without clusterware (`clusterware: none`): no Oracle Notification Service publishes FAN events there, so the client learns of an outage only from a timeout", c.name, c.service),
        );
        cx.push(f.with_label("no ONS behind it"));
    }
    for d in &m.topo.domains {
        for ds in d.data_sources.iter().filter(|ds| ds.fan.value) {
            let Some(db) = without_clusterware(cx, ds.service.as_str()) else {
                continue;
            };
            let f = cx.finding(
                ds.service.span,
                path::data_source(&d.name, &ds.name),
                format!("data source `{}` of domain `{}` has FAN enabled on service `{}`, but database `{db}` runs without clusterware (`clusterware: none`): no FAN events are published there", ds.name, d.name, ds.service),
            );
            cx.push(f.with_label("no ONS behind it"));
        }
    }
}
