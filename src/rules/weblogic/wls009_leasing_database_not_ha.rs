//! WLS009: database leasing on a non-HA database, or one without a Data Guard standby.

use crate::model::{DatabaseType, LeasingBasis};
use crate::rules::{Ctx, Rule, path, util};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/WLS009.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
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
            let single = db.r#type.value == DatabaseType::Single;
            // A GoldenGate peer in another site (active-active) is the DR copy there.
            let has_standby = util::data_guard_of(m, db.name.as_str())
                .is_some_and(|g| !g.standbys.is_empty())
                || util::has_goldengate_peer_elsewhere(m, db);
            let problem = match (single, has_standby) {
                (true, false) => "a single-instance database without a Data Guard standby",
                (true, true) => "a single-instance database (not RAC)",
                (false, false) => "a database without a Data Guard standby (or GoldenGate peer)",
                (false, true) => continue,
            };
            let f = cx.finding(
                ds_name.span,
                path::cluster(d.name.as_str(), c.name.as_str()),
                format!("cluster `{}` keeps its leases in `{}`, {problem}: when it is down, servers cannot renew leases and shut themselves down", c.name, db.name),
            );
            cx.push(f.with_label(format!("leasing data source → {}", db.name)));
        }
    }
}
