//! WLS010: a Data Guard role change lasts longer than the servers' migration fencing time.

use crate::model::{Architecture, Duration, LeasingBasis};
use crate::rules::{Ctx, Rule, path, util};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/WLS010.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    let keeps_running = matches!(
        m.topo.architecture.value,
        Architecture::Stretch | Architecture::ActiveActive
    );
    for d in &m.topo.domains {
        for c in &d.clusters {
            let Some(mig) = &c.migration else { continue };
            if mig.leasing.value != LeasingBasis::Database {
                continue;
            }
            let Some(ds_name) = &mig.data_source else {
                continue;
            };
            let Some(db) = super::leasing_database(m, d, ds_name.as_str()) else {
                continue;
            };
            let Some(dg) = util::data_guard_of(m, db.name.as_str()) else {
                continue;
            };
            if dg.standbys.is_empty() {
                continue;
            }
            let failover_time = util::dg_failover(m);
            let (change, how) = match dg.fast_start_failover.as_ref().filter(|f| f.enabled.value) {
                Some(f) => (
                    f.threshold.value.saturating_add(failover_time),
                    format!(
                        "a fast-start failover takes {} (threshold {} + failover {failover_time})",
                        f.threshold.value.saturating_add(failover_time),
                        f.threshold.value
                    ),
                ),
                None => {
                    let h = util::human_response(m);
                    (
                        h.saturating_add(failover_time),
                        format!(
                            "a manual failover takes {} (response {h} + failover {failover_time})",
                            h.saturating_add(failover_time)
                        ),
                    )
                }
            };
            let switchover = util::dg_switchover(m);
            let (worst, how) = if keeps_running && switchover > change {
                (switchover, format!("a switchover takes {switchover}"))
            } else {
                (change, how)
            };
            let fencing: Duration = mig.fencing.fencing_time();
            if worst <= fencing {
                continue;
            }
            let fz = &mig.fencing;
            let span = if fz.periods_until_fencing.is_written() {
                fz.periods_until_fencing.span
            } else if fz.health_check_interval.is_written() {
                fz.health_check_interval.span
            } else {
                ds_name.span
            };
            let f = cx.finding(
                span,
                path::cluster(d.name.as_str(), c.name.as_str()),
                format!(
                    "servers of cluster `{}` fence themselves after {fencing} without the leasing database ({} × {}), but {how} for `{}`: the servers shut down during the role change",
                    c.name, fz.health_check_interval.value, fz.periods_until_fencing.value, db.name
                ),
            );
            cx.push(f.with_label(format!("fencing time {fencing} < role change {worst}")));
        }
    }
}
