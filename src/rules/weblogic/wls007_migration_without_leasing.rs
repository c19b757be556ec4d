//! WLS007: automatic migration configured without leasing.

use std::collections::BTreeSet;

use crate::model::{LeasingBasis, MigrationPolicy};
use crate::rules::{Ctx, Rule, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/WLS007.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    for d in &m.topo.domains {
        let auto: BTreeSet<&str> = d
            .singletons
            .iter()
            .filter(|s| s.migration.value != MigrationPolicy::Manual)
            .map(|s| s.cluster.as_str())
            .collect();
        for c in &d.clusters {
            let tlog_auto = c
                .transaction_log
                .as_ref()
                .is_some_and(|t| t.migration.value != MigrationPolicy::Manual);
            if !tlog_auto && !auto.contains(c.name.as_str()) {
                continue;
            }
            let (span, msg) = match &c.migration {
                None => (
                    c.name.span,
                    format!(
                        "cluster `{}` migrates singleton services automatically but declares no `migration` (no leasing)",
                        c.name
                    ),
                ),
                Some(mig)
                    if mig.leasing.value == LeasingBasis::Database && mig.data_source.is_none() =>
                {
                    (
                        if mig.leasing.is_written() {
                            mig.leasing.span
                        } else {
                            c.name.span
                        },
                        format!(
                            "cluster `{}` uses database leasing but names no leasing data source (`DataSourceForAutomaticMigration`)",
                            c.name
                        ),
                    )
                }
                Some(_) => continue,
            };
            let f = cx.finding(span, path::cluster(d.name.as_str(), c.name.as_str()), msg);
            cx.push(f.with_label("no leasing"));
        }
    }
}
