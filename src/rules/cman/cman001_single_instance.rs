//! CMAN001: Connection Manager in Traffic Director mode with a single instance.

use std::collections::BTreeSet;

use crate::model::CmanMode;
use crate::rules::{Ctx, Rule, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/CMAN001.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    for c in m
        .topo
        .cman
        .iter()
        .filter(|c| c.mode.value == CmanMode::TrafficDirector)
    {
        let hosts: BTreeSet<&str> = c.hosts.iter().map(|h| h.as_str()).collect();
        if hosts.len() >= 2 {
            continue;
        }
        let span = c.hosts.first().map_or(c.name.span, |h| h.span);
        let f = cx.finding(
            span,
            path::cman(&c.name),
            format!("CMAN `{}` in Traffic Director mode runs on {} host{}: every client connecting through it loses the database when it fails", c.name, hosts.len(), crate::rules::util::plural(hosts.len())),
        );
        cx.push(f.with_label("single instance"));
    }
}
