//! WLS008: consensus (non-database) leasing in an HA/DR topology.

use crate::model::LeasingBasis;
use crate::rules::{Ctx, Rule, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/WLS008.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    for d in &m.topo.domains {
        for c in &d.clusters {
            let Some(mig) = &c.migration else { continue };
            if mig.leasing.value != LeasingBasis::Consensus {
                continue;
            }
            let f = cx.finding(
                mig.leasing.span,
                path::cluster(d.name.as_str(), c.name.as_str()),
                format!("cluster `{}` uses consensus leasing: MAA recommends database leasing, kept in a highly available database protected by Data Guard", c.name),
            );
            cx.push(f.with_label("leasing: consensus"));
        }
    }
}
