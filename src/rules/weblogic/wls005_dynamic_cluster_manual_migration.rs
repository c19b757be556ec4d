//! WLS005: manual singleton migration in a dynamic cluster (unsupported).

use crate::model::MigrationPolicy;
use crate::rules::{Ctx, Rule, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/WLS005.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    for d in &m.topo.domains {
        for s in d
            .singletons
            .iter()
            .filter(|s| s.migration.value == MigrationPolicy::Manual)
        {
            if !super::is_dynamic(m, s.cluster.as_str()) {
                continue;
            }
            let span = if s.migration.is_written() {
                s.migration.span
            } else {
                s.name.span
            };
            let f = cx.finding(
                span,
                path::singleton(&d.name, &s.name),
                format!("{} `{}` uses manual migration in dynamic cluster `{}`: dynamic clusters do not support manual migration of singleton services", super::kind(s.kind.value), s.name, s.cluster),
            );
            cx.push(f.with_label("manual migration in a dynamic cluster"));
        }
        for c in &d.clusters {
            let Some(t) = &c.transaction_log else {
                continue;
            };
            if t.migration.value != MigrationPolicy::Manual
                || !super::is_dynamic(m, c.name.as_str())
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
                format!("JTA migration of dynamic cluster `{}` is manual: dynamic clusters do not support manual migration of singleton services", c.name),
            );
            cx.push(f.with_label("manual migration in a dynamic cluster"));
        }
    }
}
