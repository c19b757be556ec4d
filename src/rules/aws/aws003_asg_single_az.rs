//! AWS003: Auto Scaling group limited to one Availability Zone.

use std::collections::BTreeSet;

use crate::rules::{Ctx, Rule, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/AWS003.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    let Some(aws) = &m.topo.aws else { return };
    // A zone's failure domain: its cloud AZ when declared, else its own name.
    let az_of = |zone: &str| -> String {
        m.topo
            .sites
            .iter()
            .flat_map(|s| s.zones.iter())
            .find(|z| z.name.as_str() == zone)
            .and_then(|z| z.availability_zone.as_ref().map(|a| a.to_string()))
            .unwrap_or_else(|| zone.to_string())
    };
    for g in &aws.auto_scaling_groups {
        let azs: BTreeSet<String> = g.zones.iter().map(|z| az_of(z.as_str())).collect();
        if azs.len() >= 2 {
            continue;
        }
        let span = g.zones.first().map_or(g.name.span, |z| z.span);
        let listed = azs.iter().cloned().collect::<Vec<_>>().join(", ");
        let d = cx.finding(
            span,
            path::auto_scaling_group(g.name.as_str()),
            format!(
                "Auto Scaling group `{}` can launch in {} Availability Zone(s) ({}): losing that zone leaves nowhere to launch the replacement",
                g.name,
                azs.len(),
                if listed.is_empty() { "none" } else { &listed }
            ),
        );
        cx.push(d.with_label("needs subnets in two Availability Zones"));
    }
}
