//! CLI011: a client's (or service's) failover window ends before RAC One Node has
//! restarted the database on another node.

use crate::analysis::recovery::Timings;
use crate::model::{DatabaseType, Duration};
use crate::rules::util::service_databases;
use crate::rules::{Ctx, Rule, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/CLI011.yaml"), check);

/// The RAC One Node database behind `service`, if any.
fn rac_one(cx: &Ctx<'_>, service: &str) -> Option<String> {
    service_databases(cx.model(), service)
        .into_iter()
        .find(|d| d.r#type.value == DatabaseType::RacOneNode && d.instances.len() > 1)
        .map(|d| d.name.to_string())
}

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    let t = Timings::from_recovery(&m.topo.recovery);
    // A node loss: Clusterware evicts the node, then starts the instance elsewhere.
    let needed = t.node_eviction.saturating_add(t.database_restart);
    let basis = format!(
        "node_eviction {} ({}) + database_restart {} ({})",
        t.node_eviction,
        t.basis("node_eviction"),
        t.database_restart,
        t.basis("database_restart")
    );
    for c in &m.topo.clients {
        let Some(taf) = &c.taf else { continue };
        let Some(db) = rac_one(cx, c.service.as_str()) else {
            continue;
        };
        let window = Duration::ms(
            taf.delay
                .value
                .as_millis()
                .saturating_mul(u64::from(taf.retries.value)),
        );
        if window >= needed {
            continue;
        }
        let f = cx.finding(
            taf.retries.span,
            path::client(&c.name),
            format!("client `{}` retries TAF for {window} ({} × {}), but RAC One Node database `{db}` needs about {needed} to open on another node ({basis}): no instance survives meanwhile, so TAF gives up first", c.name, taf.retries.value, taf.delay.value),
        );
        cx.push(f.with_label("window shorter than the relocation"));
    }
    for d in &m.topo.databases {
        for s in &d.services {
            let Some(init) = &s.replay_init_time else { continue };
            if rac_one(cx, s.name.as_str()).is_none() || init.value >= needed {
                continue;
            }
            let f = cx.finding(
                init.span,
                path::database_service(&d.name, &s.name),
                format!("service `{}` gives replay {} (`replay_init_time`), but RAC One Node database `{}` needs about {needed} to open on another node ({basis}): Application Continuity stops trying before the database is back", s.name, init.value, d.name),
            );
            cx.push(f.with_label("replay gives up first"));
        }
    }
}

