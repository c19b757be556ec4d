//! WLS008: consensus (non-database) leasing in an HA/DR topology.

use crate::model::LeasingBasis;
use crate::resolve::Model;
use crate::rules::{Out, Rule, path};

pub static RULE: Rule = Rule::new(include_str!("../../../rules/WLS008.yaml"), check);

fn check(m: &Model, out: &mut Out<'_>) {
    for d in &m.topo.domains {
        for c in &d.clusters {
            let Some(mig) = &c.migration else { continue };
            if mig.leasing.value != LeasingBasis::Consensus {
                continue;
            }
            let f = out.finding(
                mig.leasing.span,
                path::cluster(d.name.as_str(), c.name.as_str()),
                format!("cluster `{}` uses consensus leasing: MAA recommends database leasing, kept in a highly available database protected by Data Guard", c.name),
            );
            out.push(f.with_label("leasing: consensus"));
        }
    }
}
