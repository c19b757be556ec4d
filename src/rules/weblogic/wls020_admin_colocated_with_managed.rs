//! WLS020: the Admin Server shares a host with a managed server.

use crate::rules::{Ctx, Rule, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/WLS020.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    for d in &m.topo.domains {
        let admin = d.admin_server.host.as_str();
        let Some(s) = d
            .clusters
            .iter()
            .flat_map(|c| m.index.servers_of(c.name.as_str()))
            .find(|s| s.host.as_str() == admin)
        else {
            continue;
        };
        let f = cx.finding(
            d.admin_server.host.span,
            path::admin_server(&d.name),
            format!("the Admin Server of domain `{}` runs on host `{admin}` with managed server `{}`: patching that node's Oracle home stops both together", d.name, s.name),
        );
        cx.push(f.with_label("shared with a managed server"));
    }
}
