//! WLS006: whole-server migration where service migration would do.

use crate::model::MigrationType;
use crate::rules::{Ctx, Rule, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/WLS006.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    for d in &m.topo.domains {
        for c in &d.clusters {
            let Some(mig) = &c.migration else { continue };
            if mig.r#type.value != MigrationType::WholeServer {
                continue;
            }
            let f = cx.finding(
                mig.r#type.span,
                path::cluster(d.name.as_str(), c.name.as_str()),
                format!("cluster `{}` uses whole-server migration: service migration gives the same protection without floating IPs and with fewer resources", c.name),
            );
            cx.push(f.with_label("type: whole-server"));
        }
    }
}
