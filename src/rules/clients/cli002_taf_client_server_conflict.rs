//! CLI002: client-side and server-side TAF both set and disagreeing.

use crate::model::{FailoverType, TafMethod, TafType};
use crate::rules::{Ctx, Rule, util, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/CLI002.yaml"), check);

fn client_type(t: TafType) -> &'static str {
    match t {
        TafType::Session => "session",
        TafType::Select => "select",
        TafType::None => "none",
    }
}

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    for c in &m.topo.clients {
        let Some(taf) = &c.taf else { continue };
        for db in util::service_databases(m, c.service.as_str()) {
            let Some(svc) = db
                .services
                .iter()
                .find(|s| s.name.as_str() == c.service.as_str())
            else {
                continue;
            };
            let server = match svc.failover_type.value {
                FailoverType::None => continue,
                FailoverType::Session => "session",
                FailoverType::Select => "select",
                FailoverType::Transaction => "transaction",
                FailoverType::Auto => "auto",
            };
            let client = client_type(taf.r#type.value);
            let method_differs =
                taf.method.value == TafMethod::Preconnect && svc.failover_method_basic.value;
            if client == server && !method_differs {
                continue;
            }
            let what = if client == server {
                "method PRECONNECT vs BASIC".to_owned()
            } else {
                format!("type {client} vs {server}")
            };
            let f = cx.finding(
                taf.r#type.span,
                path::client(&c.name),
                format!("client `{}` sets TAF ({what}) differently from service `{}` on `{}`: the server-side setting wins, the client's is ignored", c.name, svc.name, db.name),
            )
            .with_extra(svc.failover_type.span, format!("server side: {server}"));
            cx.push(f.with_label(format!("client side: {client}")));
            break;
        }
    }
}
