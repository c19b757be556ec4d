//! CLI007: TAC with a connection pool and `RESET_STATE` NONE (21c and later).

use crate::model::{Continuity, Pool, ResetState};
use crate::rules::{Ctx, Rule, util, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/CLI007.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    for c in m
        .topo
        .clients
        .iter()
        .filter(|c| c.continuity.value == Continuity::Tac && c.pool.value != Pool::None)
    {
        for db in util::service_databases(m, c.service.as_str()) {
            let Some(v) = db
                .version
                .as_ref()
                .and_then(|v| util::major_version(&v.value))
            else {
                continue;
            };
            if v < 21 {
                continue;
            }
            let Some(s) = db
                .services
                .iter()
                .find(|s| s.name.as_str() == c.service.as_str())
            else {
                continue;
            };
            if s.reset_state
                .as_ref()
                .is_some_and(|r| r.value != ResetState::None)
            {
                continue;
            }
            let span = s.reset_state.as_ref().map_or(s.name.span, |r| r.span);
            let f = cx.finding(
                span,
                path::client(&c.name),
                format!("client `{}` uses TAC through a connection pool, but service `{}` on `{}` (version {v}) keeps `RESET_STATE` NONE: session state leaks between requests and TAC cannot protect them", c.name, s.name, db.name),
            )
            .with_extra(c.pool.span, "pooled");
            cx.push(f.with_label("reset_state: none"));
            break;
        }
    }
}
