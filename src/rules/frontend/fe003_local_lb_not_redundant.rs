//! FE003: a site's local load balancer is not redundant.

use std::collections::BTreeSet;

use crate::rules::{Ctx, Rule, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/FE003.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    for lb in &m.topo.load_balancers {
        let problem = if lb.managed.value {
            let zones: BTreeSet<&str> = lb.zones.iter().map(|z| z.as_str()).collect();
            if zones.len() != 1 {
                continue;
            }
            format!(
                "is a managed load balancer in one zone (`{}`)",
                zones.iter().next().copied().unwrap_or_default()
            )
        } else {
            let hosts: BTreeSet<&str> = lb.hosts.iter().map(|h| h.as_str()).collect();
            match hosts.len() {
                0 => "runs on no declared appliance".to_owned(),
                1 => format!(
                    "runs on one appliance (`{}`)",
                    hosts.iter().next().copied().unwrap_or_default()
                ),
                _ => continue,
            }
        };
        let f = cx.finding(
            lb.name.span,
            path::load_balancer(lb.name.as_str()),
            format!(
                "load balancer `{}` of site `{}` {problem}: its failure stops the site's front end",
                lb.name, lb.site
            ),
        );
        cx.push(f.with_label("not redundant"));
    }
}
