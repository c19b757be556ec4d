//! DB021: the databases of one Data Guard configuration declare different `db_name`s.

use crate::rules::{Ctx, Rule, path, util};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/DB021.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    for dg in &m.topo.data_guard {
        let Some(primary) = util::database(m, dg.primary.as_str()) else {
            continue;
        };
        let Some(want) = &primary.db_name else {
            continue;
        };
        for sb in &dg.standbys {
            let Some(db) = util::database(m, sb.database.as_str()) else {
                continue;
            };
            let Some(have) = db.db_name.as_ref().filter(|n| n.as_str() != want.as_str()) else {
                continue;
            };
            let f = cx.finding(
                have.span,
                path::database(&db.name),
                format!(
                    "standby `{}` of Data Guard `{}` declares db_name `{have}`, but its primary `{}` is `{want}`: a physical standby is a block-for-block copy of its primary and has the same DB_NAME (only DB_UNIQUE_NAME differs)",
                    db.name, dg.name, primary.name
                ),
            );
            cx.push(
                f.with_extra(want.span, "the primary's db_name")
                    .with_label("not the primary's db_name"),
            );
        }
    }
}
