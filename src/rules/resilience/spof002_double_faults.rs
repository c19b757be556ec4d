//! SPOF002: minimal pairs of failures that take services down.

use crate::rules::{Ctx, Rule, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/SPOF002.yaml"), check);

/// Worst pairs named in the message.
const NAMED: usize = 5;

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    let a = cx.analysis();
    let df = &a.doubles;
    if df.total == 0 {
        return;
    }
    let gr = &a.graph;
    let worst: Vec<String> = df
        .worst
        .iter()
        .take(NAMED)
        .map(|((x, y), apps)| {
            format!(
                "{} + {} ({} service(s))",
                gr.g[*x].id(),
                gr.g[*y].id(),
                apps.len()
            )
        })
        .collect();
    let bound = if df.truncated { "at least " } else { "" };
    let message = format!(
        "{bound}{} minimal pair(s) of failures take a service down; worst: {}",
        df.total,
        worst.join("; ")
    );
    let mut d = cx
        .finding(m.topo.name.span, path::topology(), message)
        .with_label("double faults");
    let mut labelled = std::collections::BTreeSet::new();
    for ((x, y), _) in df.worst.iter().take(3) {
        for n in [x, y] {
            let node = &gr.g[*n];
            if !node.span.is_empty() && labelled.insert(*n) {
                d = d.with_extra(node.span, format!("{} (double fault)", node.id()));
            }
        }
    }
    cx.push(d);
}
