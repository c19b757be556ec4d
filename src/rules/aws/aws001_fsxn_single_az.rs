//! AWS001: FSx for ONTAP not Multi-AZ.

use std::collections::BTreeSet;

use crate::rules::{Ctx, Rule, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/AWS001.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    let Some(aws) = &m.topo.aws else { return };
    for f in &aws.fsxn {
        let zones: BTreeSet<&str> = f.zones.iter().map(|z| z.as_str()).collect();
        let object = path::fsxn(f.name.as_str());
        if !f.deployment_type.is_multi_az() {
            let d = cx.finding(
                f.deployment_type.span,
                object,
                format!(
                    "FSx for ONTAP `{}` is single-AZ: losing its zone loses the database storage",
                    f.name
                ),
            );
            cx.push(d.with_label("single-AZ deployment"));
        } else if zones.len() < 2 {
            let d = cx.finding(
                f.name.span,
                object,
                format!(
                    "FSx for ONTAP `{}` is Multi-AZ but lists {} zone(s); it needs a preferred and a standby zone",
                    f.name,
                    zones.len()
                ),
            );
            cx.push(d.with_label("needs two zones"));
        }
    }
}
