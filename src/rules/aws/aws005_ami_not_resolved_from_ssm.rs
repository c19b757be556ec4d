//! AWS005: launch template AMI not resolved from the SSM parameter.

use crate::rules::{Ctx, Rule, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/AWS005.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    let Some(aws) = &m.topo.aws else { return };
    for lt in &aws.launch_templates {
        let object = path::launch_template(lt.name.as_str());
        match lt.ssm_parameter() {
            None => {
                let d = cx.finding(
                    lt.image.span,
                    object,
                    format!(
                        "launch template `{}` uses the fixed AMI `{}`: a replacement instance launches with that image, not the newest backup AMI",
                        lt.name, lt.image.value
                    ),
                );
                cx.push(d.with_label("literal AMI ID"));
            }
            Some(p) if aws.ssm_parameter(p).is_none() => {
                let d = cx.finding(
                    lt.image.span,
                    object,
                    format!(
                        "launch template `{}` resolves its AMI from SSM parameter `{p}`, which `aws.ssm_parameters` does not declare",
                        lt.name
                    ),
                );
                cx.push(d.with_label("parameter not declared"));
            }
            Some(p) => {
                if let Some(pipe) = &aws.ami_pipeline
                    && pipe.parameter.as_str() != p
                {
                    let d = cx
                        .finding(
                            lt.image.span,
                            object,
                            format!(
                                "launch template `{}` resolves its AMI from `{p}`, but the AMI pipeline writes `{}`: new AMIs never reach the launch template",
                                lt.name, pipe.parameter.value
                            ),
                        )
                        .with_label("reads this parameter")
                        .with_extra(pipe.parameter.span, "the pipeline writes this one");
                    cx.push(d);
                }
            }
        }
    }
}
