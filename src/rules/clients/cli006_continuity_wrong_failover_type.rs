//! CLI006: a client's continuity mode does not match the service's failover type.

use crate::model::{Continuity, FailoverType};
use crate::rules::{Ctx, Rule, util, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/CLI006.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    for c in &m.topo.clients {
        let (want, mode) = match c.continuity.value {
            Continuity::Ac => (
                FailoverType::Transaction,
                "Application Continuity needs `failover_type: transaction`",
            ),
            Continuity::Tac => (
                FailoverType::Auto,
                "Transparent Application Continuity needs `failover_type: auto`",
            ),
            Continuity::None => continue,
        };
        for db in util::service_databases(m, c.service.as_str()) {
            let Some(s) = db
                .services
                .iter()
                .find(|s| s.name.as_str() == c.service.as_str())
            else {
                continue;
            };
            if s.failover_type.value == want {
                continue;
            }
            let got = util::kebab(s.failover_type.value);
            let f = cx.finding(
                c.continuity.span,
                path::client(&c.name),
                format!("client `{}` expects continuity but service `{}` on `{}` has `failover_type: {got}`: {mode}", c.name, s.name, db.name),
            )
            .with_extra(if s.failover_type.is_written() { s.failover_type.span } else { s.name.span }, format!("failover_type: {got}"));
            cx.push(f.with_label("wrong failover type"));
            break;
        }
    }
}
