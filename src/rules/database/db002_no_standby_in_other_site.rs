//! DB002: a primary database without a standby in another site, in a multi-site topology.

use std::collections::BTreeSet;

use crate::model::{Database, SiteRole};
use crate::resolve::Model;
use crate::rules::{Ctx, Rule, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/DB002.yaml"), check);

/// Sites a database's instances run in.
fn sites<'m>(m: &'m Model, db: &Database) -> BTreeSet<&'m str> {
    db.instances
        .iter()
        .filter_map(|i| m.index.site_of(i.host.as_str()))
        .collect()
}

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    let t = &m.topo;
    if t.sites
        .iter()
        .filter(|s| s.role.value != SiteRole::Witness)
        .count()
        < 2
    {
        return;
    }
    let standbys: BTreeSet<&str> = t
        .data_guard
        .iter()
        .flat_map(|g| g.standbys.iter().map(|s| s.database.as_str()))
        .collect();
    for db in &t.databases {
        if standbys.contains(db.name.as_str()) {
            continue;
        }
        let own = sites(m, db);
        let mut peers: Vec<&Database> = Vec::new();
        for g in t
            .data_guard
            .iter()
            .filter(|g| g.primary.as_str() == db.name.as_str())
        {
            peers.extend(g.standbys.iter().filter_map(|s| {
                m.index
                    .databases
                    .get(s.database.as_str())
                    .and_then(|&i| t.databases.get(i))
            }));
        }
        for g in t
            .goldengate
            .iter()
            .filter(|g| g.databases.iter().any(|d| d.as_str() == db.name.as_str()))
        {
            peers.extend(
                g.databases
                    .iter()
                    .filter(|d| d.as_str() != db.name.as_str())
                    .filter_map(|d| {
                        m.index
                            .databases
                            .get(d.as_str())
                            .and_then(|&i| t.databases.get(i))
                    }),
            );
        }
        if peers
            .iter()
            .any(|p| sites(m, p).iter().any(|s| !own.contains(s)))
        {
            continue;
        }
        let where_ = own.iter().copied().collect::<Vec<_>>().join(", ");
        let why = if peers.is_empty() {
            "has no Data Guard standby"
        } else {
            "has standbys only in its own site"
        };
        let f = cx.finding(
            db.name.span,
            path::database(db.name.as_str()),
            format!(
                "database `{}` (site {where_}) {why}: a site failure loses it",
                db.name
            ),
        );
        cx.push(f.with_label("no replica in another site"));
    }
}
