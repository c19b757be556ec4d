//! AWS002: Auto Scaling group of a single-instance database on shared LUNs not 1/1/1.

use crate::rules::{Ctx, Rule, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/AWS002.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    let Some(aws) = &m.topo.aws else { return };
    for g in &aws.auto_scaling_groups {
        let Some(db) = m.asg_database(g) else {
            continue;
        };
        if !m.single_instance_on_shared_luns(db) {
            continue;
        }
        let bad: Vec<(&str, &crate::model::Sp<u32>)> =
            [("min", &g.min), ("max", &g.max), ("desired", &g.desired)]
                .into_iter()
                .filter(|(_, v)| v.value != 1)
                .collect();
        let Some((first_name, first)) = bad.first() else {
            continue;
        };
        let sizes = format!("{}/{}/{}", g.min.value, g.max.value, g.desired.value);
        let risk = if g.max.value > 1 || g.desired.value > 1 {
            "two instances would open the same data files on the shared LUNs and corrupt the database"
        } else {
            "with no instance running there is nothing to self-heal"
        };
        let mut d = cx
            .finding(
                first.span,
                path::auto_scaling_group(g.name.as_str()),
                format!(
                    "Auto Scaling group `{}` of single-instance database `{}` is sized {sizes} (min/max/desired), not 1/1/1: {risk}",
                    g.name, db.name
                ),
            )
            .with_label(format!("{first_name}: {}", first.value));
        for (n, v) in bad.iter().skip(1) {
            d = d.with_extra(v.span, format!("{n}: {}", v.value));
        }
        cx.push(d);
    }
}
