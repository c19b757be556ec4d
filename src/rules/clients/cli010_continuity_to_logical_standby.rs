//! CLI010: Application Continuity expected across a failover to a logical standby.

use crate::model::{Continuity, FailoverType, StandbyType};
use crate::rules::util::{data_guard_of, service_databases};
use crate::rules::{Ctx, Rule, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/CLI010.yaml"), check);

/// A logical standby that offers `service` (so takes its sessions after a failover).
fn logical_standby(cx: &Ctx<'_>, service: &str) -> Option<String> {
    let m = cx.model();
    service_databases(m, service).into_iter().find_map(|d| {
        let g = data_guard_of(m, d.name.as_str())?;
        g.standbys
            .iter()
            .find(|s| {
                s.database.as_str() == d.name.as_str() && s.r#type.value == StandbyType::Logical
            })
            .map(|s| s.database.to_string())
    })
}

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    for c in m
        .topo
        .clients
        .iter()
        .filter(|c| c.continuity.value != Continuity::None)
    {
        let Some(sb) = logical_standby(cx, c.service.as_str()) else {
            continue;
        };
        let f = cx.finding(
            c.continuity.span,
            path::client(&c.name),
            format!("client `{}` expects Application Continuity on service `{}`, which logical standby `{sb}` also offers: a logical standby is another database (its own DBID), so after a failover to it the session cannot be replayed and in-flight work surfaces as errors", c.name, c.service),
        );
        cx.push(f.with_label("replay needs the same DBID"));
    }
    for d in &m.topo.databases {
        for s in d.services.iter().filter(|s| {
            matches!(
                s.failover_type.value,
                FailoverType::Transaction | FailoverType::Auto
            )
        }) {
            if logical_standby(cx, s.name.as_str()).as_deref() != Some(d.name.as_str()) {
                continue;
            }
            let f = cx.finding(
                s.failover_type.span,
                path::database_service(&d.name, &s.name),
                format!("service `{}` of logical standby `{}` sets Application Continuity: replay recovers only against the same database (same DBID) or within an Active Data Guard farm, never across to a logical standby", s.name, d.name),
            );
            cx.push(f.with_label("no replay across a logical standby"));
        }
    }
}
