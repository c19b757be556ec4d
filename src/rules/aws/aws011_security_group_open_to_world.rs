//! AWS011: security group open to 0.0.0.0/0.

use crate::rules::{Ctx, Rule, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/AWS011.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    let Some(aws) = &m.topo.aws else { return };
    for sg in &aws.security_groups {
        for i in sg.ingress.iter().filter(|i| i.open_to_world()) {
            let d = cx.finding(
                i.source.span,
                path::security_group(sg.name.as_str()),
                format!(
                    "security group `{}` allows port(s) {} from 0.0.0.0/0: anyone on the internet can reach them",
                    sg.name, i.ports.value
                ),
            );
            cx.push(d.with_label("open to the world"));
        }
    }
}
