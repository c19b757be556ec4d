//! WLS015: JDBC session persistence inside a low-latency stretch cluster.

use std::collections::BTreeSet;

use crate::model::{Architecture, LinkKind, SessionMode};
use crate::rules::{Ctx, Rule, path, util};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/WLS015.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    if m.topo.architecture.value != Architecture::Stretch {
        return;
    }
    for d in &m.topo.domains {
        for c in &d.clusters {
            let Some(sr) = &c.session_replication else {
                continue;
            };
            if sr.mode.value != SessionMode::Jdbc {
                continue;
            }
            let sites: Vec<&str> = m
                .index
                .servers_of(c.name.as_str())
                .iter()
                .filter_map(|s| m.index.site_of(s.host.as_str()))
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            let all_man = sites.iter().enumerate().all(|(i, a)| {
                sites
                    .iter()
                    .skip(i + 1)
                    .all(|b| util::link_kind(m, a, b) == Some(LinkKind::Man))
            });
            if !all_man {
                continue;
            }
            let f = cx.finding(
                sr.mode.span,
                path::cluster(d.name.as_str(), c.name.as_str()),
                format!("stretch cluster `{}` persists sessions in the database although its sites are on a low-latency MAN: in-memory replication performs much better", c.name),
            );
            cx.push(f.with_label("mode: jdbc"));
        }
    }
}
