//! AWS012: the FSx for ONTAP security group lacks a required port from the instances' group.

use crate::model::{FSXN_PORTS, IpProtocol};
use crate::rules::{Ctx, Rule, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/AWS012.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    let Some(aws) = &m.topo.aws else { return };
    let instance_sgs = aws.instance_security_groups();
    for f in &aws.fsxn {
        let object = path::fsxn(f.name.as_str());
        if f.security_groups.is_empty() {
            let d = cx.finding(
                f.name.span,
                object,
                format!("FSx for ONTAP `{}` declares no security group: the Oracle instances' access to its {} ports is not modelled", f.name, protocols(f)),
            );
            cx.push(d.with_label("no `security_groups`"));
            continue;
        }
        // A port counts when a TCP rule covers it from an instance security group (any
        // group name when no launch template declares one).
        let covered = |port: u16| {
            f.security_groups
                .iter()
                .filter_map(|n| aws.security_group(n.as_str()))
                .flat_map(|sg| sg.ingress.iter())
                .any(|i| {
                    i.protocol.value == IpProtocol::Tcp
                        && !i.source_is_cidr()
                        && (instance_sgs.is_empty() || instance_sgs.contains(i.source.as_str()))
                        && i.port_range().is_some_and(|(a, b)| a <= port && port <= b)
                })
        };
        // The ports of the protocols the file system is reached over, and management.
        let missing: Vec<String> = FSXN_PORTS
            .iter()
            .filter(|(.., p)| p.is_none_or(|p| f.uses(p)))
            .filter(|(a, b, ..)| !(*a..=*b).all(covered))
            .map(|(a, b, what, _)| {
                if a == b {
                    format!("{a} ({what})")
                } else {
                    format!("{a}-{b} ({what})")
                }
            })
            .collect();
        if missing.is_empty() {
            continue;
        }
        let span = f.security_groups.first().map_or(f.name.span, |s| s.span);
        let from = if instance_sgs.is_empty() {
            "a security group".to_string()
        } else {
            instance_sgs
                .iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(" or ")
        };
        let d = cx.finding(
            span,
            object,
            format!(
                "the security group of FSx for ONTAP `{}` does not allow TCP {} from {from}",
                f.name,
                missing.join(", ")
            ),
        );
        cx.push(d.with_label("missing required port(s)"));
    }
}

/// The protocols whose ports the file system's security group needs, for a message.
fn protocols(f: &crate::model::Fsxn) -> &'static str {
    use crate::model::FsxProtocol::{Iscsi, Nfs};
    match (f.uses(Iscsi), f.uses(Nfs)) {
        (true, true) => "iSCSI, NFS and management",
        (true, false) => "iSCSI and management",
        (false, true) => "NFS and management",
        (false, false) => "management",
    }
}
