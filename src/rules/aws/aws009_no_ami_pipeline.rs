//! AWS009: no AMI update pipeline (backup plan → EventBridge → Lambda → SSM parameter).

use crate::rules::{Ctx, Rule, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/AWS009.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    let Some(aws) = &m.topo.aws else { return };
    let Some(g) = aws.auto_scaling_groups.first() else {
        return;
    };
    let object = path::auto_scaling_group(g.name.as_str());
    if aws.ami_pipeline.is_none() {
        let d = cx.finding(
            g.name.span,
            object,
            format!(
                "Auto Scaling group `{}` has no AMI update pipeline (`aws.ami_pipeline`): replacements launch from an AMI that misses every patch and setting made since it was taken",
                g.name
            ),
        );
        cx.push(d.with_label("no pipeline keeps its AMI current"));
    } else if aws.backup_plans.is_empty() {
        let d = cx.finding(
            g.name.span,
            object,
            format!("the AMI pipeline of Auto Scaling group `{}` has no AWS Backup plan (`aws.backup_plans`): no backup job completes, so no new AMI is ever written", g.name),
        );
        cx.push(d.with_label("no backup plan creates AMIs"));
    }
}
