//! AWS008: Auto Scaling group tags not propagated to the instances backup selects by.

use crate::rules::{Ctx, Rule, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/AWS008.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    let Some(aws) = &m.topo.aws else { return };
    for g in &aws.auto_scaling_groups {
        let object = path::auto_scaling_group(g.name.as_str());
        if !g.propagate_tags.value {
            let d = cx.finding(
                super::span_or(&g.propagate_tags, g.name.span),
                object,
                format!("Auto Scaling group `{}` does not propagate its tags at launch: a replacement instance lacks the tags AWS Backup selects by", g.name),
            );
            cx.push(d.with_label("propagate_tags: false"));
            continue;
        }
        for b in &aws.backup_plans {
            let missing: Vec<String> = b
                .selection
                .tags
                .iter()
                .filter(|(k, v)| g.tags.get(*k) != Some(*v))
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            if missing.is_empty() || b.selection.tags.is_empty() {
                continue;
            }
            let d = cx
                .finding(
                    g.name.span,
                    object.clone(),
                    format!(
                        "Auto Scaling group `{}` does not tag its instances with {} that backup plan `{}` selects by: its instances are never backed up",
                        g.name,
                        missing.join(", "),
                        b.name
                    ),
                )
                .with_label("instances lack the selection tags")
                .with_extra(b.name.span, "selects by tag");
            cx.push(d);
        }
    }
}
