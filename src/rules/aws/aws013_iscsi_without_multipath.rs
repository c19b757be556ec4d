//! AWS013: iSCSI LUNs without multipath over both FSx for ONTAP endpoints.

use crate::rules::{Ctx, Rule, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/AWS013.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    let Some(aws) = &m.topo.aws else { return };
    for f in &aws.fsxn {
        if f.multipath.value || f.luns.is_empty() {
            continue;
        }
        let d = cx.finding(
            super::span_or(&f.multipath, f.name.span),
            path::fsxn(f.name.as_str()),
            format!(
                "the iSCSI LUNs of FSx for ONTAP `{}` are used without dm-multipath: the instance logs in to one endpoint only and loses its storage when the file system fails over to the other AZ",
                f.name
            ),
        );
        cx.push(d.with_label("multipath: false"));
    }
}
