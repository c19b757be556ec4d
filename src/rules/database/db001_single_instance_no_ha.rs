//! DB001: a single-instance database with no self-healing and no standby.

use std::collections::BTreeSet;

use crate::model::DatabaseType;
use crate::rules::{Ctx, Rule, path, util};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/DB001.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    let healed: BTreeSet<&str> = m
        .topo
        .aws
        .iter()
        .flat_map(|a| a.auto_scaling_groups.iter())
        .filter_map(|g| g.database.as_ref().map(|d| d.as_str()))
        .collect();
    for db in m
        .topo
        .databases
        .iter()
        .filter(|d| d.r#type.value == DatabaseType::Single)
    {
        if healed.contains(db.name.as_str())
            || util::data_guard_of(m, db.name.as_str()).is_some_and(|g| !g.standbys.is_empty())
        {
            continue;
        }
        let f = cx.finding(
            db.r#type.span,
            path::database(db.name.as_str()),
            format!("database `{}` is a single instance with no standby and no self-healing: any host failure stops it until someone rebuilds it", db.name),
        );
        cx.push(f.with_label("type: single"));
    }
}
