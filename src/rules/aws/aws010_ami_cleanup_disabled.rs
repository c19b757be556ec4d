//! AWS010: old backup AMIs never expire (no backup lifecycle).

use crate::rules::{Ctx, Rule, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/AWS010.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    let Some(aws) = &m.topo.aws else { return };
    let Some(p) = &aws.ami_pipeline else { return };
    if p.cleanup.value {
        return;
    }
    let d = cx.finding(
        super::span_or(&p.cleanup, p.function.span),
        path::ami_pipeline(),
        format!(
            "AMI pipeline `{}` keeps every backup AMI (`cleanup: false`: the backup plans have no lifecycle): every backup adds an AMI and its snapshots, and the cost grows without bound",
            p.function
        ),
    );
    cx.push(d.with_label("cleanup: false"));
}
