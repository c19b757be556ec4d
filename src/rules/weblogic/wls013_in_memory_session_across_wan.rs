//! WLS013: in-memory session replication between sites over a WAN (or an undeclared link).

use std::collections::BTreeSet;

use crate::model::{LinkKind, SessionMode};
use crate::rules::{Ctx, Rule, path, util};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/WLS013.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    for d in &m.topo.domains {
        for c in &d.clusters {
            let Some(sr) = &c.session_replication else {
                continue;
            };
            if sr.mode.value != SessionMode::InMemory {
                continue;
            }
            let sites: BTreeSet<&str> = m
                .index
                .servers_of(c.name.as_str())
                .iter()
                .filter_map(|s| m.index.site_of(s.host.as_str()))
                .collect();
            let list: Vec<&str> = sites.iter().copied().collect();
            let mut bad = None;
            'outer: for (i, a) in list.iter().enumerate() {
                for b in list.iter().skip(i + 1) {
                    match util::link_kind(m, a, b) {
                        Some(LinkKind::Man) => {}
                        Some(LinkKind::Wan) => {
                            bad = Some(format!("sites `{a}` and `{b}` are joined by a WAN link"));
                            break 'outer;
                        }
                        None => {
                            bad = Some(format!(
                                "no MAN link is declared between sites `{a}` and `{b}`"
                            ));
                            break 'outer;
                        }
                    }
                }
            }
            let Some(why) = bad else { continue };
            let f = cx.finding(
                sr.mode.span,
                path::cluster(d.name.as_str(), c.name.as_str()),
                format!("cluster `{}` replicates HTTP sessions in memory across sites, but {why}: use JDBC session persistence over a WAN", c.name),
            );
            cx.push(f.with_label("in-memory replication between sites"));
        }
    }
}
