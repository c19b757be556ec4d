//! DB003: a protection mode other than maximum availability, without a stated reason.

use crate::model::ProtectionMode;
use crate::rules::{Ctx, Rule, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/DB003.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    for g in &m.topo.data_guard {
        if g.protection_mode.value == ProtectionMode::MaxAvailability
            || g.protection_mode_reason.is_some()
        {
            continue;
        }
        let mode = match g.protection_mode.value {
            ProtectionMode::MaxPerformance => "maximum performance (data loss possible)",
            _ => "maximum protection (the primary stops when no synchronized standby answers)",
        };
        let f = cx.finding(
            g.protection_mode.span,
            path::data_guard(g.name.as_str()),
            format!("Data Guard configuration `{}` runs in {mode} without a `protection_mode_reason`: MAA recommends maximum availability", g.name),
        );
        cx.push(f.with_label("not maximum availability"));
    }
}
