//! CLI005: Application Continuity / TAC without Transaction Guard.

use crate::model::{Continuity, FailoverType};
use crate::rules::{Ctx, Rule, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/CLI005.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    // Server side: every AC/TAC service must have commit_outcome.
    for db in &m.topo.databases {
        for s in &db.services {
            let mode = match s.failover_type.value {
                FailoverType::Transaction => "Application Continuity (failover_type transaction)",
                FailoverType::Auto => "Transparent Application Continuity (failover_type auto)",
                _ => continue,
            };
            if s.commit_outcome.value {
                continue;
            }
            let f = cx.finding(
                s.failover_type.span,
                path::database_service(db.name.as_str(), &s.name),
                format!("service `{}` on `{}` enables {mode} without Transaction Guard (`commit_outcome`): replay needs the commit outcome of the transaction in flight, so nothing is replayed and every outage surfaces to the application as an error, as if continuity were off", s.name, db.name),
            );
            cx.push(f.with_label("commit_outcome: false"));
        }
    }
    global_services(cx);
    // Client side: a client expecting AC/TAC on a service without Transaction Guard.
    for c in m
        .topo
        .clients
        .iter()
        .filter(|c| c.continuity.value != Continuity::None)
    {
        let dbs = crate::rules::util::service_databases(m, c.service.as_str());
        let Some((db, s)) = dbs.iter().find_map(|db| {
            db.services
                .iter()
                .find(|s| s.name.as_str() == c.service.as_str() && !s.commit_outcome.value)
                .map(|s| (db, s))
        }) else {
            continue;
        };
        if matches!(
            s.failover_type.value,
            FailoverType::Transaction | FailoverType::Auto
        ) {
            continue; // reported on the service above
        }
        let f = cx.finding(
            c.continuity.span,
            path::client(&c.name),
            format!("client `{}` expects Application Continuity but service `{}` on `{}` has no Transaction Guard (`commit_outcome`): without the commit outcome nothing is replayed", c.name, s.name, db.name),
        )
        .with_extra(s.name.span, "no commit_outcome");
        cx.push(f.with_label("continuity without Transaction Guard"));
    }
}

/// GDS global services: the same server-side check, and a client expecting AC/TAC on a
/// global service without Transaction Guard.
fn global_services(cx: &mut Ctx<'_>) {
    let m = cx.model();
    let Some(gds) = &m.topo.gds else { return };
    for s in gds.global_services.iter().filter(|s| !s.commit_outcome.value) {
        let mode = match s.failover_type.value {
            FailoverType::Transaction => "Application Continuity (failover_type transaction)",
            FailoverType::Auto => "Transparent Application Continuity (failover_type auto)",
            _ => "",
        };
        if !mode.is_empty() {
            let f = cx.finding(
                s.failover_type.span,
                path::global_service(&s.name),
                format!("global service `{}` enables {mode} without Transaction Guard (`commit_outcome`): replay needs the commit outcome of the transaction in flight, so nothing is replayed and every outage surfaces to the application as an error, as if continuity were off", s.name),
            );
            cx.push(f.with_label("commit_outcome: false"));
            continue;
        }
        for c in m.topo.clients.iter().filter(|c| {
            c.continuity.value != Continuity::None && c.service.as_str() == s.name.as_str()
        }) {
            let f = cx.finding(
                c.continuity.span,
                path::client(&c.name),
                format!("client `{}` expects Application Continuity but global service `{}` has no Transaction Guard (`commit_outcome`): without the commit outcome nothing is replayed", c.name, s.name),
            )
            .with_extra(s.name.span, "no commit_outcome");
            cx.push(f.with_label("continuity without Transaction Guard"));
        }
    }
}
