//! AWS006: SSM parameter holding the AMI ID not of data type `aws:ec2:image`.

use crate::model::SsmDataType;
use crate::rules::{Ctx, Rule, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/AWS006.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    let Some(aws) = &m.topo.aws else { return };
    for p in &aws.ssm_parameters {
        if p.data_type.value == SsmDataType::Ec2Image {
            continue;
        }
        let used_by_lt = aws
            .launch_templates
            .iter()
            .any(|l| l.ssm_parameter() == Some(p.name.as_str()));
        let used_by_pipeline = aws
            .ami_pipeline
            .as_ref()
            .is_some_and(|a| a.parameter.as_str() == p.name.as_str());
        if !used_by_lt && !used_by_pipeline {
            continue;
        }
        let d = cx.finding(
            p.data_type.span,
            path::ssm_parameter(p.name.as_str()),
            format!(
                "SSM parameter `{}` holds the AMI ID but has data type `text`: `resolve:ssm:` in a launch template needs `aws:ec2:image`, and a text parameter accepts values that are not AMI IDs",
                p.name.value
            ),
        );
        cx.push(d.with_label("data type text"));
    }
}
