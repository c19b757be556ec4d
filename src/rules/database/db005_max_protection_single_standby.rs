//! DB005: maximum protection with a single standby.

use crate::model::ProtectionMode;
use crate::rules::{Ctx, Rule, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/DB005.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    for g in &m.topo.data_guard {
        if g.protection_mode.value != ProtectionMode::MaxProtection || g.standbys.len() >= 2 {
            continue;
        }
        let f = cx.finding(
            g.protection_mode.span,
            path::data_guard(g.name.as_str()),
            format!("Data Guard configuration `{}` is in maximum protection with {} standby: when it is unreachable the primary shuts down", g.name, g.standbys.len()),
        );
        cx.push(f.with_label("maximum protection needs two standbys"));
    }
}
