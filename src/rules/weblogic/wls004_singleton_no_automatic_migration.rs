//! WLS004: a singleton service (JMS, JTA, user-defined) without automatic migration.

use crate::model::MigrationPolicy;
use crate::rules::{Ctx, Rule, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/WLS004.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    for d in &m.topo.domains {
        for s in d
            .singletons
            .iter()
            .filter(|s| s.migration.value == MigrationPolicy::Manual)
        {
            if super::is_dynamic(m, s.cluster.as_str()) {
                continue; // WLS005 reports it as unsupported
            }
            if super::whole_server_migration(m, s.cluster.as_str()) {
                continue; // it moves with its server
            }
            let span = if s.migration.is_written() {
                s.migration.span
            } else {
                s.name.span
            };
            let f = cx.finding(
                span,
                path::singleton(&d.name, &s.name),
                format!("{} `{}` in cluster `{}` migrates only by hand (`migration: manual`): when its server fails, it stays down until its server restarts or an operator migrates it to another server of the cluster", super::kind(s.kind.value), s.name, s.cluster),
            );
            cx.push(f.with_label("migration: manual"));
        }
        for c in &d.clusters {
            let Some(t) = &c.transaction_log else {
                continue;
            };
            if t.migration.value != MigrationPolicy::Manual
                || super::is_dynamic(m, c.name.as_str())
                || super::whole_server_migration(m, c.name.as_str())
            {
                continue;
            }
            let span = if t.migration.is_written() {
                t.migration.span
            } else {
                t.r#type.span
            };
            let f = cx.finding(
                span,
                path::transaction_log(d.name.as_str(), c.name.as_str()),
                format!("the JTA transaction recovery service of cluster `{}` migrates only by hand (`migration: manual`): when a server fails, its in-doubt transactions stay unresolved until the server restarts or an operator migrates its recovery service to another server of the cluster", c.name),
            );
            cx.push(f.with_label("migration: manual"));
        }
    }
}
