//! AWS targets for the seed-000 pattern (Oracle on EC2 + FSx for ONTAP + self-healing ASG):
//! `cloudformation`, `launch-template`, `user-data`, `lambda`, `plan`.
//!
//! Every target reads the `aws` section of the resolved model. A topology without one
//! renders nothing for these targets (so `--target all` works for on-premises topologies).

mod cloudformation;
mod lambda;
mod launch_template;
mod plan;
mod user_data;

use std::collections::BTreeMap;

use crate::model::{AutoScalingGroup, Aws, Database, Fsxn, LaunchTemplate};
use crate::render::{RenderError, Target};
use crate::resolve::Model;

pub use cloudformation::template as cloudformation_template;
pub use lambda::SOURCE as LAMBDA_SOURCE;
pub use plan::Plan;

/// `cloudformation`: the whole stack in one template.
pub const CLOUDFORMATION: Target = Target {
    name: "cloudformation",
    about: "AWS CloudFormation template: FSx for ONTAP, security groups, SSM parameter, launch template, ASG, Backup, EventBridge, Lambda",
    render: cloudformation::render,
};
/// `launch-template`: EC2 `LaunchTemplateData` JSON.
pub const LAUNCH_TEMPLATE: Target = Target {
    name: "launch-template",
    about: "EC2 LaunchTemplateData JSON (for `aws ec2 create-launch-template`)",
    render: launch_template::render,
};
/// `user-data`: the instance bootstrap script.
pub const USER_DATA: Target = Target {
    name: "user-data",
    about: "Instance bootstrap: iSCSI + multipath to FSx for ONTAP, mount the LUNs, start Oracle (systemd)",
    render: user_data::render,
};
/// `lambda`: the AMI updater function.
pub const LAMBDA: Target = Target {
    name: "lambda",
    about: "Python 3.13 Lambda: write the new backup AMI to the SSM parameter, deregister old AMIs",
    render: lambda::render,
};
/// `plan`: the ordered deployment plan.
pub const PLAN: Target = Target {
    name: "plan",
    about: "Ordered AWS deployment plan with checks and the failover test (Markdown + JSON)",
    render: plan::render,
};

/// Directory of the AWS artifacts inside `--out`.
pub const DIR: &str = "aws";

pub(crate) fn err(target: &'static str, message: impl Into<String>) -> RenderError {
    RenderError {
        target,
        message: message.into(),
    }
}

/// One self-healing Oracle instance: its Auto Scaling group and everything the bootstrap needs.
pub(crate) struct Instance<'m> {
    pub asg: &'m AutoScalingGroup,
    pub lt: &'m LaunchTemplate,
    pub db: Option<&'m Database>,
    pub fsxn: Option<&'m Fsxn>,
}

impl Instance<'_> {
    pub(crate) fn oracle_home(&self) -> &str {
        self.asg
            .oracle_home
            .as_ref()
            .map_or(crate::model::DEFAULT_ORACLE_HOME, |h| h.as_str())
    }
    /// `ORACLE_SID`: the database's instance on the group's host, else its first instance, else its name.
    pub(crate) fn oracle_sid(&self) -> Option<String> {
        let db = self.db?;
        let on_host = db
            .instances
            .iter()
            .find(|i| i.host.as_str() == self.asg.host.as_str())
            .or(db.instances.first());
        Some(on_host.map_or_else(|| db.name.to_string(), |i| i.name.to_string()))
    }
    /// The stable iSCSI initiator name the group's instances use (mapped by the iGroup).
    pub(crate) fn initiator(&self, topology: &str) -> String {
        format!(
            "iqn.2005-03.org.open-iscsi:maa.{}.{}",
            topology.to_ascii_lowercase(),
            self.asg.name.as_str().to_ascii_lowercase()
        )
    }
    /// ONTAP iGroup name (letters, digits, `_`, `-`, `.`).
    pub(crate) fn igroup(&self) -> String {
        self.asg.name.to_string()
    }
}

/// The Auto Scaling groups with their launch template, database and file system.
pub(crate) fn instances<'m>(
    m: &'m Model,
    aws: &'m Aws,
    target: &'static str,
) -> Result<Vec<Instance<'m>>, RenderError> {
    let mut out = Vec::new();
    for asg in &aws.auto_scaling_groups {
        let lt = aws
            .launch_template(asg.launch_template.as_str())
            .ok_or_else(|| {
                err(
                    target,
                    format!(
                        "Auto Scaling group `{}`: unknown launch template `{}`",
                        asg.name, asg.launch_template
                    ),
                )
            })?;
        let users = aws
            .auto_scaling_groups
            .iter()
            .filter(|g| g.launch_template.as_str() == lt.name.as_str())
            .count();
        if users > 1 {
            return Err(err(
                target,
                format!(
                    "launch template `{}` is used by {users} Auto Scaling groups; its user data is generated per group, so give each group its own",
                    lt.name
                ),
            ));
        }
        let db = m.asg_database(asg);
        let fsxn = match db.and_then(|d| d.storage.as_ref()) {
            Some(s) => aws.fsxn_named(s.as_str()).or(aws.fsxn.first()),
            None => aws.fsxn.first(),
        };
        out.push(Instance { asg, lt, db, fsxn });
    }
    Ok(out)
}

pub(crate) use crate::resolve::aws_limits::logical_id;

/// Logical IDs must be unique: fails when two names collapse onto one ID.
pub(crate) fn unique_ids<'a>(
    target: &'static str,
    ids: impl IntoIterator<Item = (String, &'a str)>,
) -> Result<(), RenderError> {
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    for (id, name) in ids {
        if let Some(first) = seen.insert(id.clone(), name)
            && first != name
        {
            return Err(err(
                target,
                format!(
                    "`{first}` and `{name}` both become the CloudFormation logical ID `{id}`; rename one"
                ),
            ));
        }
    }
    Ok(())
}

/// Quotes a value for POSIX shell: `'…'` with embedded quotes as `'\''`.
pub fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// The AWS section, or `None` (nothing to render).
pub(crate) fn aws_of(m: &Model) -> Option<&Aws> {
    m.topo.aws.as_ref()
}

/// Header line naming the generator (no timestamps, no paths: output is deterministic).
pub(crate) fn generated_by(m: &Model) -> String {
    format!(
        "Generated by maa from topology `{}` (the pattern of \"Building highly available Oracle databases with Amazon FSx for NetApp ONTAP\", AWS Architecture Blog). Do not edit: change the topology and re-render.",
        m.topo.name
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logical_ids_are_camel_case_alphanumeric() {
        assert_eq!(logical_id("ora-fsxn", "FileSystem"), "OraFsxnFileSystem");
        assert_eq!(logical_id("az_b.1", ""), "AzB1");
        assert_eq!(logical_id("1a", "Subnet"), "X1aSubnet");
    }

    #[test]
    fn shell_quoting_survives_quotes() {
        assert_eq!(sh_quote("a'b"), r"'a'\''b'");
        assert_eq!(sh_quote("$(rm -rf /)"), "'$(rm -rf /)'");
    }
}
