//! AWS014: a launch template that allows IMDSv1 (`imdsv2: false`).

use crate::rules::{Ctx, Rule, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/AWS014.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    let Some(aws) = &m.topo.aws else { return };
    for lt in aws.launch_templates.iter().filter(|lt| !lt.imdsv2.value) {
        let d = cx.finding(
            lt.imdsv2.span,
            path::launch_template(lt.name.as_str()),
            format!(
                "launch template `{}` allows IMDSv1 (`imdsv2: false` renders HttpTokens: optional): any request forgery on the instance can read its role's credentials without a token",
                lt.name
            ),
        );
        cx.push(d.with_label("IMDSv1 allowed"));
    }
}
