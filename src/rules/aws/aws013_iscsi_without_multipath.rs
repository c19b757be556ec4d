//! AWS013: iSCSI LUNs without multipath over both FSx for ONTAP endpoints.

use crate::resolve::Model;
use crate::rules::{Out, Rule, path};

pub static RULE: Rule = Rule::new(include_str!("../../../rules/AWS013.yaml"), check);

fn check(m: &Model, out: &mut Out<'_>) {
    let Some(aws) = &m.topo.aws else { return };
    for f in &aws.fsxn {
        if f.multipath.value || f.luns.is_empty() {
            continue;
        }
        let d = out.finding(
            super::span_or(&f.multipath, f.name.span),
            path::named("aws.fsxn", f.name.as_str()),
            format!(
                "the iSCSI LUNs of FSx for ONTAP `{}` are used without dm-multipath: the instance logs in to one endpoint only and loses its storage when the file system fails over to the other AZ",
                f.name
            ),
        );
        out.push(d.with_label("multipath: false"));
    }
}
