//! AWS007: AWS Backup selects EC2 instances by ID instead of by tag.

use crate::rules::{Ctx, Rule, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/AWS007.yaml"), check);

/// Whether a backup resource names one EC2 instance (`i-…` or an instance ARN).
fn is_instance(r: &str) -> bool {
    r.starts_with("i-") || (r.starts_with("arn:") && r.contains(":instance/"))
}

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    let Some(aws) = &m.topo.aws else { return };
    for b in &aws.backup_plans {
        let object = path::backup_plan(b.name.as_str());
        let instances: Vec<_> = b
            .selection
            .resources
            .iter()
            .filter(|r| is_instance(r))
            .collect();
        if let Some(first) = instances.first() {
            let mut d = cx
                .finding(
                    first.span,
                    object,
                    format!(
                        "backup plan `{}` selects EC2 instance `{}` by ID: the Auto Scaling group replaces the instance with a new ID, which is then never backed up and the AMI pipeline stops",
                        b.name, first.value
                    ),
                )
                .with_label("instance ID changes on replacement");
            for r in instances.iter().skip(1) {
                d = d.with_extra(r.span, "also selected by ID");
            }
            cx.push(d);
        } else if b.selection.tags.is_empty() && !aws.auto_scaling_groups.is_empty() {
            let d = cx.finding(
                b.name.span,
                object,
                format!(
                    "backup plan `{}` has no tag-based selection: instances launched by the Auto Scaling group are not backed up",
                    b.name
                ),
            );
            cx.push(d.with_label("no selection tags"));
        }
    }
}
