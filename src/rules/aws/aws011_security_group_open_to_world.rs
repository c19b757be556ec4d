//! AWS011: security group open to 0.0.0.0/0.

use crate::resolve::Model;
use crate::rules::{Out, Rule, path};

pub static RULE: Rule = Rule::new(include_str!("../../../rules/AWS011.yaml"), check);

fn check(m: &Model, out: &mut Out<'_>) {
    let Some(aws) = &m.topo.aws else { return };
    for sg in &aws.security_groups {
        for i in sg.ingress.iter().filter(|i| i.open_to_world()) {
            let d = out.finding(
                i.source.span,
                path::named("aws.security_groups", sg.name.as_str()),
                format!(
                    "security group `{}` allows port(s) {} from 0.0.0.0/0: anyone on the internet can reach them",
                    sg.name, i.ports.value
                ),
            );
            out.push(d.with_label("open to the world"));
        }
    }
}
