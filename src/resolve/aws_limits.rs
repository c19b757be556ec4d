//! Load-time checks of AWS values against AWS's documented limits, so that a value AWS
//! would reject (and that could carry text into the generated plan) fails `maa check`
//! with exit 2 and the limit in the message, before anything is rendered. Tags are
//! checked as they are read ([`crate::model::Tags`]); these are the names, identifiers
//! and CIDR blocks. They run in the resolver, like the Oracle limits ([`super::limits`]).
//!
//! Sources (AWS documentation): "Tagging AWS resources" (tag naming limits); the API
//! references of Amazon EC2 (`LaunchTemplateName`: 3–128 characters), AWS Lambda
//! (`FunctionName`: 1–64 letters, digits, `-`, `_`), AWS Backup (`BackupPlanName`,
//! `SelectionName`: 1–50 letters, digits, `-`, `_`, `.`), Amazon FSx
//! (`StorageVirtualMachine` name: 1–47 characters); ARN format from the AWS General
//! Reference ("Amazon Resource Names").

use std::sync::Arc;

use crate::diagnostic::{Diagnostic, Severity, SourceFile};
use crate::model::{AutoScalingGroup, FsxDeployment, Fsxn, Sp, Topology, tag_problem};

/// Longest label of an XFS file system (`xfs_admin -L`, `mkfs.xfs -L`: 12 characters). The
/// generated bootstrap labels each LUN's file system with the LUN's name and mounts it by
/// label, so a LUN name is at most this long.
pub const XFS_LABEL_MAX: usize = 12;

/// Longest ARN AWS accepts.
const ARN_MAX: usize = 2048;

fn invalid(
    file: &Arc<SourceFile>,
    span: miette::SourceSpan,
    message: String,
    help: &str,
) -> Diagnostic {
    Diagnostic::new(
        "load/invalid-value",
        "invalid-value",
        Severity::Error,
        file,
        span,
        message,
    )
    .with_label("AWS would reject this")
    .with_help(help)
}

/// `name` (as AWS receives it) must have `min..=max` characters.
fn length<T>(
    at: &Sp<T>,
    what: &str,
    name: &str,
    (min, max): (usize, usize),
    file: &Arc<SourceFile>,
    errors: &mut Vec<Diagnostic>,
) {
    let n = name.chars().count();
    if n < min || n > max {
        errors.push(invalid(
            file,
            at.span,
            format!("{what} `{name}` has {n} characters; AWS allows {min} to {max}"),
            "shorten the name (names sent to AWS include the prefixes shown)",
        ));
    }
}

/// Checks the AWS part of a topology.
pub fn check(t: &Topology, file: &Arc<SourceFile>, errors: &mut Vec<Diagnostic>) {
    let Some(aws) = &t.aws else {
        return;
    };
    if !is_region(aws.region.as_str()) {
        errors.push(invalid(
            file,
            aws.region.span,
            format!("`{}` is not an AWS Region code", aws.region.as_str()),
            "use a Region code such as `us-east-1` or `eu-west-3`",
        ));
    }
    let topo = t.name.as_str();
    template_ids(aws, file, errors);
    for lt in &aws.launch_templates {
        let name = format!("{topo}-{}", lt.name.as_str());
        length(
            &lt.name,
            "launch template name",
            &name,
            (3, 128),
            file,
            errors,
        );
    }
    for p in &aws.backup_plans {
        let plan = format!("{topo}-{}", p.name.as_str());
        length(&p.name, "backup plan name", &plan, (1, 50), file, errors);
        let selection = format!("{}-by-tag", p.name.as_str());
        length(
            &p.name,
            "backup selection name",
            &selection,
            (1, 50),
            file,
            errors,
        );
        for r in &p.selection.resources {
            if let Err(why) = resource(&r.value) {
                errors.push(invalid(file, r.span, why, "name an ARN (`arn:aws:ec2:us-east-1:123456789012:instance/i-…`) or an instance ID (`i-…`)"));
            }
        }
    }
    if let Some(p) = &aws.ami_pipeline {
        if let Some(retain) = &p.retain {
            errors.push(invalid(
                file,
                retain.span,
                "`retain` is no longer supported: the AMI updater deletes nothing (EC2 refuses to deregister AMIs AWS Backup manages, and deleting others could remove the golden AMI)".into(),
                "remove `retain`: AWS Backup's lifecycle expires each AMI with its snapshots after the backup plan's `retention_days` (keep `cleanup: true`, the default)",
            ));
        }
        let f = p.function.as_str();
        length(
            &p.function,
            "Lambda function name",
            f,
            (1, 64),
            file,
            errors,
        );
        if let Some(c) = f
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
        {
            errors.push(invalid(
                file,
                p.function.span,
                format!("Lambda function name `{f}` holds `{c}`; AWS allows letters, digits, `-` and `_`"),
                "rename the function",
            ));
        }
    }
    for f in &aws.fsxn {
        fsxn(f, topo, file, errors);
    }
    for g in &aws.auto_scaling_groups {
        asg(g, topo, file, errors);
    }
    for g in &aws.security_groups {
        security_group(g, topo, file, errors);
    }
}

/// An FSx for ONTAP file system: its SVM name, capacity, LUN names and `Name` tags.
fn fsxn(f: &Fsxn, topo: &str, file: &Arc<SourceFile>, errors: &mut Vec<Diagnostic>) {
    length(
        &f.svm,
        "storage virtual machine name",
        f.svm.as_str(),
        (1, 47),
        file,
        errors,
    );
    fsxn_capacity(f, file, errors);
    for lun in &f.luns {
        if let Err(why) = mount_point(&lun.mount.value) {
            errors.push(
                invalid(file, lun.mount.span, why, MOUNT_HELP)
                    .with_label("the instance would mount the LUN here at boot"),
            );
        }
    }
    for l in f
        .luns
        .iter()
        .filter(|l| l.name.as_str().len() > XFS_LABEL_MAX)
    {
        errors.push(invalid(
            file,
            l.name.span,
            format!(
                "LUN name `{}` has {} characters; the bootstrap labels the LUN's XFS file system with it and XFS labels are at most {XFS_LABEL_MAX}",
                l.name,
                l.name.as_str().len()
            ),
            "shorten the LUN name to 12 characters or fewer",
        ));
    }
    for n in std::iter::once(&f.svm)
        .chain(std::iter::once(&f.name))
        .chain(f.luns.iter().map(|l| &l.name))
    {
        name_tag(n, &format!("{topo}-{n}"), file, errors);
    }
}

/// A security group: its `Name` tag, ingress ports and CIDR blocks.
fn security_group(
    g: &crate::model::SecurityGroup,
    topo: &str,
    file: &Arc<SourceFile>,
    errors: &mut Vec<Diagnostic>,
) {
    name_tag(&g.name, &format!("{topo}-{}", g.name), file, errors);
    for i in &g.ingress {
        if i.port_range().is_none() {
            errors.push(invalid(
                file,
                i.ports.span,
                format!(
                    "`{}` is not a port or an ascending port range of 0 to 65535",
                    i.ports.as_str()
                ),
                "write a port (`2049`) or a range from low to high (`4045-4046`)",
            ));
        }
        if i.source_is_cidr()
            && let Err(why) = cidr(&i.source.value)
        {
            errors.push(invalid(
                file,
                i.source.span,
                why,
                "write an IPv4 CIDR block such as `10.0.0.0/16`",
            ));
        }
    }
}

/// The `Name` tag the templates give a resource (`<topology>-<name>`) must be a valid tag
/// value.
fn name_tag<T>(at: &Sp<T>, value: &str, file: &Arc<SourceFile>, errors: &mut Vec<Diagnostic>) {
    if let Some(why) = tag_problem(value, false) {
        errors.push(invalid(
            file,
            at.span,
            format!("the `Name` tag `<topology>-<name>` of this resource: {why}"),
            "shorten the name or the topology name",
        ));
    }
}

/// Throughput and storage capacity an FSx for ONTAP file system of one HA pair accepts.
fn fsxn_capacity(f: &Fsxn, file: &Arc<SourceFile>, errors: &mut Vec<Diagnostic>) {
    let allowed: &[u32] = match f.deployment_type.value {
        FsxDeployment::MultiAz1 | FsxDeployment::SingleAz1 => &[128, 256, 512, 1024, 2048, 4096],
        FsxDeployment::SingleAz2 => &[1536, 3072, 6144],
        FsxDeployment::MultiAz2 => &[384, 768, 1536, 3072, 6144],
    };
    if !allowed.contains(&f.throughput.value) {
        let list: Vec<String> = allowed.iter().map(ToString::to_string).collect();
        errors.push(invalid(
            file,
            f.throughput.span,
            format!(
                "throughput {} MB/s is not one Amazon FSx accepts for {}: {} MB/s",
                f.throughput.value,
                f.deployment_type.value.cfn_value(),
                list.join(", ")
            ),
            "choose one of the listed throughput capacities",
        ));
    }
    let gib = f.storage_gib.value;
    if !(1024..=524_288).contains(&gib) {
        errors.push(invalid(
            file,
            f.storage_gib.span,
            format!("storage capacity {gib} GiB is outside what Amazon FSx for ONTAP accepts for one HA pair: 1,024 to 524,288 GiB"),
            "size the SSD storage between 1024 and 524288 GiB",
        ));
    }
}

/// The Auto Scaling group values EC2 Auto Scaling and IAM accept.
fn asg(g: &AutoScalingGroup, topo: &str, file: &Arc<SourceFile>, errors: &mut Vec<Diagnostic>) {
    let name = format!("{topo}-{}", g.name.as_str());
    length(
        &g.name,
        "Auto Scaling group name",
        &name,
        (1, 255),
        file,
        errors,
    );
    let profile = format!("{topo}-{}-instance", g.name.as_str());
    length(
        &g.name,
        "IAM instance profile name",
        &profile,
        (1, 128),
        file,
        errors,
    );
    name_tag(&g.host, &format!("{topo}-{}", g.host), file, errors);
    const GRACE_MAX: u64 = 2_147_483_647;
    let grace = g.grace_period.value.as_secs_ceil();
    if grace > GRACE_MAX {
        errors.push(invalid(
            file,
            g.grace_period.span,
            format!("`grace_period` (HealthCheckGracePeriod) is {grace} seconds; AWS takes an Integer, at most {GRACE_MAX} seconds"),
            "set a grace period of minutes (300s lets Oracle start)",
        ));
    }
    let (min, max, desired) = (g.min.value, g.max.value, g.desired.value);
    if !(min <= desired && desired <= max) {
        errors.push(invalid(
            file,
            g.desired.span,
            format!("Auto Scaling group `{}` is sized min {min}, max {max}, desired {desired}; AWS requires min ≤ desired ≤ max", g.name),
            "for a single-instance database: min 1, max 1, desired 1",
        ));
    }
}

/// A CloudFormation logical ID from a topology name: `ora-fsxn` → `OraFsxn`, plus a suffix
/// (the renderer's IDs, computed here so that names which collapse onto one ID are refused
/// at load time).
pub fn logical_id(name: &str, suffix: &str) -> String {
    let mut out = String::new();
    let mut upper = true;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            if upper {
                out.push(c.to_ascii_uppercase());
            } else {
                out.push(c);
            }
            upper = false;
        } else {
            upper = true;
        }
    }
    if out.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        out.insert(0, 'X');
    }
    out.push_str(suffix);
    out
}

/// Names of one kind that the CloudFormation template turns into logical IDs must not
/// collapse onto one ID (`ora-asg` and `ora_asg` are both `OraAsg`).
fn logical_ids<'a>(
    what: &str,
    names: impl IntoIterator<Item = (String, &'a str, miette::SourceSpan)>,
    file: &Arc<SourceFile>,
    errors: &mut Vec<Diagnostic>,
) {
    let mut seen: std::collections::BTreeMap<String, (&str, miette::SourceSpan)> =
        std::collections::BTreeMap::new();
    for (id, name, span) in names {
        match seen.get(&id) {
            Some(&(first, first_span)) if first != name => errors.push(
                invalid(
                    file,
                    span,
                    format!("{what} `{first}` and `{name}` both become the CloudFormation logical ID `{id}`"),
                    "rename one: logical IDs keep only letters and digits",
                )
                .with_extra(first_span, "the other one"),
            ),
            Some(_) => {}
            None => {
                seen.insert(id, (name, span));
            }
        }
    }
}

/// A name's logical ID with `suffix`, the name and its span.
fn id(suffix: &'static str) -> impl Fn(&crate::model::Name) -> (String, &str, miette::SourceSpan) {
    move |n| (logical_id(n.as_str(), suffix), n.as_str(), n.span)
}

/// The logical IDs of the template, kind by kind.
fn template_ids(aws: &crate::model::Aws, file: &Arc<SourceFile>, errors: &mut Vec<Diagnostic>) {
    use crate::model::Name;
    let zones = aws
        .fsxn
        .iter()
        .flat_map(|f| &f.zones)
        .chain(aws.auto_scaling_groups.iter().flat_map(|g| &g.zones));
    let named: [(&str, &'static str, Vec<&Name>); 6] = [
        ("zones", "SubnetId", zones.collect()),
        (
            "security groups",
            "SecurityGroup",
            aws.security_groups.iter().map(|s| &s.name).collect(),
        ),
        (
            "FSx for ONTAP file systems",
            "FileSystem",
            aws.fsxn.iter().map(|f| &f.name).collect(),
        ),
        (
            "launch templates",
            "LaunchTemplate",
            aws.launch_templates.iter().map(|l| &l.name).collect(),
        ),
        (
            "Auto Scaling groups",
            "AutoScalingGroup",
            aws.auto_scaling_groups.iter().map(|g| &g.name).collect(),
        ),
        (
            "backup plans",
            "BackupPlan",
            aws.backup_plans.iter().map(|p| &p.name).collect(),
        ),
    ];
    for (what, suffix, names) in named {
        logical_ids(what, names.into_iter().map(id(suffix)), file, errors);
    }
    let ssm = aws.ssm_parameters.iter().map(|p| {
        let id = logical_id(p.name.as_str(), "Parameter");
        (id, p.name.as_str(), p.name.span)
    });
    logical_ids("SSM parameters", ssm, file, errors);
    let volumes: Vec<(String, String, miette::SourceSpan)> = aws
        .fsxn
        .iter()
        .flat_map(|f| f.luns.iter().map(move |l| (f, l)))
        .map(|(f, l)| {
            let n = format!("{}-{}", f.name, l.name);
            (logical_id(&n, "Volume"), n, l.name.span)
        })
        .collect();
    let volumes = volumes.iter().map(|(i, n, s)| (i.clone(), n.as_str(), *s));
    logical_ids("LUN volumes", volumes, file, errors);
}

/// Directories of the operating system a LUN must not be mounted over (or under): the
/// generated user data mounts it at boot, as root.
const SYSTEM_DIRS: [&str; 16] = [
    "/", "/bin", "/boot", "/dev", "/etc", "/lib", "/lib64", "/proc", "/root", "/run", "/sbin",
    "/sys", "/tmp", "/usr", "/var", "/home",
];

const MOUNT_HELP: &str = "mount LUNs on a directory of their own, such as `/u02` or `/oradata`";

/// A LUN's mount point: absolute, no `.`/`..` components, not a system directory.
fn mount_point(m: &str) -> Result<(), String> {
    if !m.starts_with('/') {
        return Err(format!("mount point `{m}` is not an absolute path"));
    }
    if m.split('/').any(|c| c == ".." || c == ".") {
        return Err(format!(
            "mount point `{m}` holds a `.` or `..` component (it could name any directory)"
        ));
    }
    let norm = format!(
        "/{}",
        m.split('/')
            .filter(|c| !c.is_empty())
            .collect::<Vec<_>>()
            .join("/")
    );
    let system = SYSTEM_DIRS
        .iter()
        .find(|d| norm == **d || (**d != "/" && norm.starts_with(&format!("{d}/"))));
    match system {
        Some(d) => Err(format!(
            "mount point `{m}` is the system directory `{d}` or below it: mounting the LUN \
             there at boot would hide or replace the operating system's files"
        )),
        None => Ok(()),
    }
}

/// `us-east-1`, `us-gov-west-1`, `cn-north-1`, `us-isob-east-1`…
fn is_region(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let [geo, middle @ .., number] = parts.as_slice() else {
        return false;
    };
    geo.len() == 2
        && geo.bytes().all(|b| b.is_ascii_lowercase())
        && !middle.is_empty()
        && middle.len() <= 3
        && middle
            .iter()
            .all(|m| !m.is_empty() && m.bytes().all(|b| b.is_ascii_lowercase()))
        && number.len() == 1
        && number.bytes().all(|b| b.is_ascii_digit())
}

/// An IPv4 CIDR block: four octets of 0–255 and a prefix of 0–32.
fn cidr(s: &str) -> Result<(), String> {
    let bad = || {
        format!(
            "`{s}` is not an IPv4 CIDR block: four numbers of 0 to 255, then `/` and a prefix length of 0 to 32"
        )
    };
    let (addr, prefix) = s.split_once('/').ok_or_else(bad)?;
    let octets: Vec<&str> = addr.split('.').collect();
    let octet_ok = |o: &&str| !o.is_empty() && o.len() <= 3 && o.parse::<u8>().is_ok();
    let prefix_ok = !prefix.is_empty() && prefix.parse::<u8>().is_ok_and(|p| p <= 32);
    if octets.len() == 4 && octets.iter().all(octet_ok) && prefix_ok {
        Ok(())
    } else {
        Err(bad())
    }
}

/// An ARN (`arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`, at most 2048 characters) or an
/// EC2 instance ID (`i-` and 8 or 17 hexadecimal digits).
fn resource(s: &str) -> Result<(), String> {
    if let Some(id) = s.strip_prefix("i-") {
        let hex = id
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        return if hex && (id.len() == 8 || id.len() == 17) {
            Ok(())
        } else {
            Err(format!(
                "`{s}` is not an EC2 instance ID (`i-` and 8 or 17 hexadecimal digits)"
            ))
        };
    }
    let n = s.chars().count();
    if n > ARN_MAX {
        return Err(format!(
            "the ARN has {n} characters; AWS allows at most {ARN_MAX}"
        ));
    }
    let parts: Vec<&str> = s.splitn(6, ':').collect();
    let printable = s.chars().all(|c| c.is_ascii_graphic());
    match parts.as_slice() {
        ["arn", partition, service, _, account, resource]
            if partition.starts_with("aws")
                && !service.is_empty()
                && (account.is_empty()
                    || account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()))
                && !resource.is_empty()
                && printable =>
        {
            Ok(())
        }
        _ => Err(format!(
            "`{}` is neither an ARN (`arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`) nor an EC2 instance ID",
            s.escape_debug()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mount_points() {
        for ok in ["/u01", "/u02/oradata", "/oradata", "/opt/oracle"] {
            assert!(mount_point(ok).is_ok(), "{ok}");
        }
        for bad in [
            "/u01/../../etc",
            "/",
            "//",
            "/etc",
            "/etc/x",
            "/usr",
            "/var/lib/x",
            "/boot",
            "/proc",
            "/sys",
            "/dev",
            "/bin",
            "u01",
            "/u01/./x",
        ] {
            assert!(mount_point(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn regions() {
        for ok in [
            "us-east-1",
            "eu-west-3",
            "us-gov-west-1",
            "ap-southeast-2",
            "cn-north-1",
        ] {
            assert!(is_region(ok), "{ok}");
        }
        for bad in [
            "us-east",
            "useast1",
            "US-EAST-1",
            "us-east-12",
            "u-east-1",
            "us--1",
        ] {
            assert!(!is_region(bad), "{bad}");
        }
    }

    #[test]
    fn cidrs() {
        assert!(cidr("0.0.0.0/0").is_ok());
        assert!(cidr("10.1.2.3/32").is_ok());
        for bad in [
            "999.0.0.0/8",
            "10.0.0/8",
            "10.0.0.0/33",
            "10.0.0.0/",
            "1.2.3.4.5/8",
        ] {
            let e = cidr(bad).unwrap_err();
            assert!(e.contains("0 to 255") && e.contains("0 to 32"), "{e}");
        }
    }

    #[test]
    fn resources() {
        assert!(resource("i-0123456789abcdef0").is_ok());
        assert!(
            resource("arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0").is_ok()
        );
        assert!(resource("i-xyz").is_err());
        assert!(resource("arn:aws:ec2").is_err());
        assert!(resource("arn:aws:ec2:us-east-1:123:instance/x").is_err());
        assert!(
            resource(&format!("arn:aws:s3:::{}", "b".repeat(3000)))
                .unwrap_err()
                .contains("2048")
        );
    }
}
