//! DB010: a far sync instance placed far from the primary.

use crate::model::LinkKind;
use crate::rules::{Ctx, Rule, path, util};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/DB010.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    for g in &m.topo.data_guard {
        let Some(primary) = util::database(m, g.primary.as_str()) else {
            continue;
        };
        let psites = util::db_sites(m, primary);
        let Some(psite) = psites.iter().next().copied() else {
            continue;
        };
        for fs in &g.far_syncs {
            let Some(site) = m.index.site_of(fs.host.as_str()) else {
                continue;
            };
            if psites.contains(site) {
                continue;
            }
            let why = match util::link_kind(m, psite, site) {
                Some(LinkKind::Man) => continue,
                Some(LinkKind::Wan) => {
                    format!("site `{site}` is a WAN away from the primary's site `{psite}`")
                }
                None => format!(
                    "site `{site}` has no declared MAN link to the primary's site `{psite}`"
                ),
            };
            let f = cx.finding(
                fs.host.span,
                path::far_sync(g.name.as_str(), &fs.name),
                format!("far sync `{}` is placed far from primary `{}` ({why}): SYNC redo to it slows every commit", fs.name, primary.name),
            );
            cx.push(f.with_label("far from the primary"));
        }
    }
}
