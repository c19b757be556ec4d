//! DB014: a snapshot standby as fast-start failover target.

use crate::model::StandbyType;
use crate::rules::{Ctx, Rule, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/DB014.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    for g in &m.topo.data_guard {
        let Some(f) = g.fast_start_failover.as_ref().filter(|f| f.enabled.value) else {
            continue;
        };
        let snapshot = |name: &str| {
            g.standbys
                .iter()
                .any(|s| s.database.as_str() == name && s.r#type.value == StandbyType::Snapshot)
        };
        for t in f.targets.iter().filter(|t| snapshot(t.as_str())) {
            let fd = cx.finding(
                t.span,
                path::data_guard(&g.name),
                format!("fast-start failover of `{}` names snapshot standby `{t}` as a target: the broker accepts only physical and logical standbys in FastStartFailoverTarget, and a snapshot standby must be converted back and apply its backlog of redo before it can become primary", g.name),
            );
            cx.push(fd.with_label("snapshot standby"));
        }
        let all_snapshot = !g.standbys.is_empty()
            && g.standbys
                .iter()
                .all(|s| s.r#type.value == StandbyType::Snapshot);
        if f.targets.is_empty() && all_snapshot {
            let fd = cx.finding(
                g.name.span,
                path::data_guard(&g.name),
                format!("fast-start failover is enabled on `{}`, but every standby is a snapshot standby: there is no standby the observer can fail over to", g.name),
            );
            cx.push(fd.with_label("no fast-start failover target"));
        }
    }
}
