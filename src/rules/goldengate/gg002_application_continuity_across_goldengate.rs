//! GG002: Application Continuity expected across GoldenGate sites (unsupported).

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Continuity, GoldenGateMode};
use crate::rules::{Ctx, Rule, util, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/GG002.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    // database → GoldenGate replication (active-active only)
    let mut gg_of: BTreeMap<&str, &str> = BTreeMap::new();
    for g in m
        .topo
        .goldengate
        .iter()
        .filter(|g| g.mode.value == GoldenGateMode::ActiveActive)
    {
        for d in &g.databases {
            gg_of.insert(d.as_str(), g.name.as_str());
        }
    }
    if gg_of.is_empty() {
        return;
    }
    for c in m
        .topo
        .clients
        .iter()
        .filter(|c| c.continuity.value != Continuity::None)
    {
        let dbs = util::service_databases(m, c.service.as_str());
        let mut by_gg: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for db in &dbs {
            if let Some(gg) = gg_of.get(db.name.as_str()) {
                by_gg.entry(gg).or_default().extend(util::db_sites(m, db));
            }
        }
        let Some((gg, sites)) = by_gg.into_iter().find(|(_, s)| s.len() >= 2) else {
            continue;
        };
        let mode = if c.continuity.value == Continuity::Tac {
            "Transparent Application Continuity"
        } else {
            "Application Continuity"
        };
        let f = cx.finding(
            c.continuity.span,
            path::client(&c.name),
            format!(
                "client `{}` uses {mode} on service `{}`, which GoldenGate `{gg}` offers in sites {}: replay cannot cross to a logically different database, and the commit outcome (LTXID) of the work in flight is known only to the database it ran in, so a site failover surfaces errors whose outcome the application must settle itself",
                c.name,
                c.service,
                sites.into_iter().collect::<Vec<_>>().join(", ")
            ),
        );
        cx.push(f.with_label("no replay across GoldenGate sites"));
    }
}
