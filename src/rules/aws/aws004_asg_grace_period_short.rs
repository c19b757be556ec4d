//! AWS004: health check grace period under 300 s.

use crate::model::Duration;
use crate::rules::{Ctx, Rule, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/AWS004.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    let Some(aws) = &m.topo.aws else { return };
    for g in &aws.auto_scaling_groups {
        if g.grace_period.value >= Duration::secs(300) {
            continue;
        }
        let d = cx.finding(
            super::span_or(&g.grace_period, g.name.span),
            path::auto_scaling_group(g.name.as_str()),
            format!(
                "Auto Scaling group `{}` has a health check grace period of {}: health checks start before Oracle has mounted its LUNs and opened, and a healthy replacement can be terminated",
                g.name, g.grace_period.value
            ),
        );
        cx.push(d.with_label("under 300s"));
    }
}
