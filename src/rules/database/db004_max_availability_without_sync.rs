//! DB004: maximum availability without a SYNC or FASTSYNC destination.

use crate::model::{ProtectionMode, Transport};
use crate::rules::{Ctx, Rule, path, util};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/DB004.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    for g in &m.topo.data_guard {
        if g.protection_mode.value != ProtectionMode::MaxAvailability || g.standbys.is_empty() {
            continue;
        }
        // A standby behind a far sync is protected synchronously only when the far sync
        // receives SYNC or FASTSYNC redo (its `transport`); the far sync's own forwarding is
        // always ASYNC.
        if g.standbys
            .iter()
            .any(|s| util::transport(g, s) != Transport::Async)
        {
            continue;
        }
        let mut f = cx.finding(
            g.protection_mode.span,
            path::data_guard(g.name.as_str()),
            format!("Data Guard configuration `{}` is in maximum availability but {} redo ASYNC (directly or through a far sync fed ASYNC): zero data loss is not possible", g.name, match g.standbys.len() {
                1 => "its only standby destination receives".to_owned(),
                n => format!("all {n} standby destinations receive"),
            }),
        );
        for s in &g.standbys {
            if let Some(t) = &s.transport {
                let what = match &s.far_sync {
                    Some(fs) => format!("{} is fed ASYNC through far sync {fs}", s.database),
                    None => format!("{} is ASYNC", s.database),
                };
                f = f.with_extra(t.span, what);
            }
        }
        cx.push(f.with_label("needs a SYNC or FASTSYNC destination"));
    }
}
