//! WLS014: sessions that a failure would lose, with no tolerance for session loss declared.

use crate::model::SessionMode;
use crate::rules::{Ctx, Rule, path, util};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/WLS014.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    let multi = util::multi_site(m);
    for d in &m.topo.domains {
        for c in &d.clusters {
            let Some(sr) = &c.session_replication else {
                continue;
            };
            if sr.loss_tolerated.value {
                continue;
            }
            let why = match sr.mode.value {
                SessionMode::None => {
                    "does not replicate HTTP sessions: a server failure loses its users' sessions"
                }
                SessionMode::InMemory if multi => {
                    "replicates HTTP sessions in memory only: a site failure loses every session"
                }
                _ => continue,
            };
            let f = cx.finding(
                sr.mode.span,
                path::cluster(d.name.as_str(), c.name.as_str()),
                format!(
                    "cluster `{}` {why}, and `loss_tolerated` is not declared",
                    c.name
                ),
            );
            cx.push(f.with_label("session loss not tolerated"));
        }
    }
}
