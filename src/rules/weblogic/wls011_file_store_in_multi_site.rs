//! WLS011: JMS or TLOG file stores in an active-active or active-passive topology.

use crate::model::StoreType;
use crate::rules::{Ctx, Rule, path, util};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/WLS011.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    if !util::dr_pair(m) {
        return;
    }
    let arch = match m.topo.architecture.value {
        crate::model::Architecture::ActiveActive => "active-active",
        _ => "active-passive",
    };
    for d in &m.topo.domains {
        for s in d
            .stores
            .iter()
            .filter(|s| s.r#type.value == StoreType::File)
        {
            let f = cx.finding(
                s.r#type.span,
                path::store(&d.name, &s.name),
                format!("store `{}` is a file store in an {arch} topology: JMS stores must be JDBC stores so Data Guard replicates them", s.name),
            );
            cx.push(f.with_label("type: file"));
        }
        for c in &d.clusters {
            let Some(t) = &c.transaction_log else {
                continue;
            };
            if t.r#type.value != StoreType::File {
                continue;
            }
            let f = cx.finding(
                t.r#type.span,
                path::transaction_log(d.name.as_str(), c.name.as_str()),
                format!("cluster `{}` keeps its transaction logs in a file store in an {arch} topology: TLOGs must be in a JDBC store", c.name),
            );
            cx.push(f.with_label("type: file"));
        }
    }
}
