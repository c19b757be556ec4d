//! `plan`: the ordered AWS deployment plan (Markdown and JSON).
//!
//! Steps and their dependencies form a DAG; the order is a topological sort (petgraph) of
//! it, so a step never comes before what it needs. Each step says what to create and what
//! to verify before going on. The last step is the failover test of [AWS-FSXN] ("Test the
//! complete workflow") with the timings of the recovery model.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use petgraph::algo::toposort;
use petgraph::graph::{DiGraph, NodeIndex};
use serde::Serialize;

use super::cloudformation::ids;
use super::{DIR, Instance, aws_of, err, instances, sh_quote};
use crate::model::{Aws, Duration, Fsxn, Lun};
use crate::render::{Artifact, RenderError};
use crate::resolve::Model;

const T: &str = "plan";

/// One step of the plan.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    /// Position in the plan, from 1.
    pub number: usize,
    pub id: String,
    pub title: String,
    /// Steps that must be complete first.
    pub after: Vec<String>,
    /// What to create (CloudFormation logical IDs, CLI commands, manual actions).
    pub create: Vec<String>,
    /// What to check before the next step.
    pub verify: Vec<String>,
}

/// One expected phase of the failover test.
#[derive(Debug, Clone, Serialize)]
pub struct Phase {
    pub what: String,
    pub expected: String,
    pub expected_ms: u64,
}

/// The failover test of [AWS-FSXN].
#[derive(Debug, Clone, Serialize)]
pub struct FailoverTest {
    pub auto_scaling_group: String,
    pub action: String,
    pub phases: Vec<Phase>,
    pub expected_total: String,
    pub expected_total_ms: u64,
    /// The declared host-failure RTO, if any, and whether the expectation meets it.
    pub rto_objective: Option<String>,
    pub meets_objective: Option<bool>,
}

/// The whole plan.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub topology: String,
    pub region: String,
    pub template: String,
    pub steps: Vec<Step>,
    pub failover_tests: Vec<FailoverTest>,
}

struct Draft {
    id: String,
    title: String,
    after: Vec<String>,
    create: Vec<String>,
    verify: Vec<String>,
}

fn step(id: impl Into<String>, title: impl Into<String>, after: &[&str]) -> Draft {
    Draft {
        id: id.into(),
        title: title.into(),
        after: after.iter().map(|s| s.to_string()).collect(),
        create: Vec::new(),
        verify: Vec::new(),
    }
}

fn q(s: &str) -> String {
    sh_quote(s)
}

/// What every step needs: the model, its `aws` section and the instances it runs.
struct Steps<'a> {
    m: &'a Model,
    aws: &'a Aws,
    insts: &'a [Instance<'a>],
    region: &'a str,
}

fn drafts(m: &Model, aws: &Aws) -> Result<Vec<Draft>, RenderError> {
    let insts = instances(m, aws, T)?;
    let s = Steps {
        m,
        aws,
        insts: &insts,
        region: aws.region.as_str(),
    };
    // Prerequisites, then storage, then the image, the instance and its operations.
    let mut out = vec![s.network(), s.iam(), s.security_groups()];
    for f in &aws.fsxn {
        out.extend(s.fsxn(f));
    }
    let luns_steps: Vec<String> = aws
        .fsxn
        .iter()
        .map(|f| format!("luns:{}", f.name))
        .collect();
    out.push(s.golden_instance(&luns_steps));
    out.push(s.ssm_parameter());
    out.push(s.launch_template());
    out.push(s.auto_scaling_group(&luns_steps));
    out.extend(s.backup());
    out.extend(s.ami_pipeline());
    Ok(out)
}

/// Prerequisites: network, IAM roles, security groups.
impl Steps<'_> {
    fn network(&self) -> Draft {
        let (m, aws) = (self.m, self.aws);
        let mut d = step("network", "Network prerequisites", &[]);
        let zones: Vec<String> = m
            .topo
            .sites
            .iter()
            .filter(|s| s.name.as_str() == aws.site.as_str())
            .flat_map(|s| s.zones.iter())
            .map(|z| match &z.availability_zone {
                Some(a) => format!("{} ({a})", z.name),
                None => z.name.to_string(),
            })
            .collect();
        d.create.push(format!(
            "A VPC in {} with a subnet in each zone: {} (template parameters `*SubnetId`)",
            self.region,
            zones.join(", ")
        ));
        if aws.fsxn.iter().any(|f| f.deployment_type.is_multi_az()) {
            d.create.push(format!(
                "The route tables of those subnets (template parameter `{}`): FSx for ONTAP Multi-AZ routes its endpoint IPs through them",
                ids::ROUTE_TABLES
            ));
        }
        d.verify.push(format!("aws ec2 describe-subnets --region {} --subnet-ids <subnets> --query 'Subnets[].AvailabilityZone' shows two different Availability Zones", q(self.region)));
        d
    }

    fn iam(&self) -> Draft {
        let aws = self.aws;
        let mut d = step("iam", "IAM roles", &[]);
        for inst in self.insts {
            d.create.push(format!(
                "CloudFormation `{}` + `{}`: Session Manager and fsx:DescribeStorageVirtualMachines",
                ids::instance_role(inst.asg.name.as_str()),
                ids::instance_profile(inst.asg.name.as_str())
            ));
        }
        if !aws.backup_plans.is_empty() {
            d.create.push(format!(
                "CloudFormation `{}`: AWSBackupServiceRolePolicyForBackup",
                ids::BACKUP_ROLE
            ));
        }
        if aws.ami_pipeline.is_some() {
            d.create.push(format!("CloudFormation `{}`: ssm:PutParameter on the AMI parameter, ec2:DescribeImages, sqs:SendMessage on its dead-letter queue, kms:Decrypt/GenerateDataKey on `{}`, its log group", ids::FUNCTION_ROLE, ids::KEY));
        }
        d.verify.push("aws iam simulate-principal-policy on each role allows exactly the actions listed, nothing broader".to_string());
        d
    }

    fn security_groups(&self) -> Draft {
        let aws = self.aws;
        let mut d = step("security-groups", "Security groups", &["network"]);
        for sg in &aws.security_groups {
            let rules: Vec<String> = sg
                .ingress
                .iter()
                .map(|i| {
                    format!(
                        "{}/{} from {}",
                        i.ports.value,
                        super::cloudformation::protocol(i.protocol.value),
                        i.source.value
                    )
                })
                .collect();
            d.create.push(format!(
                "CloudFormation `{}`: {}",
                ids::sg(sg.name.as_str()),
                if rules.is_empty() {
                    "no ingress".to_string()
                } else {
                    rules.join(", ")
                }
            ));
        }
        for f in &aws.fsxn {
            let from: Vec<&str> = aws.instance_security_groups().into_iter().collect();
            d.verify.push(format!(
                "the security group(s) of `{}` allow TCP 111, 635, 2049, 3260, 4045-4046, 443 and 22 from {} only, nothing from 0.0.0.0/0",
                f.name,
                if from.is_empty() { "the instances' security group".to_string() } else { from.join(", ") }
            ));
        }
        d
    }
}

/// The ONTAP volume that holds a LUN: its name with every other character than an ASCII
/// letter or digit replaced by `_`.
fn volume_of(lun: &Lun) -> String {
    lun.name
        .as_str()
        .replace(|c: char| !c.is_ascii_alphanumeric(), "_")
}

/// Storage: for each FSx for ONTAP file system, the file system, its SVM, its volumes and
/// its LUNs, each step after the one before.
impl Steps<'_> {
    fn fsxn(&self, f: &Fsxn) -> [Draft; 4] {
        [
            self.file_system(f),
            self.svm(f),
            self.volumes(f),
            self.luns(f),
        ]
    }

    fn file_system(&self, f: &Fsxn) -> Draft {
        let n = f.name.as_str();
        let mut d = step(
            format!("file-system:{n}"),
            format!("FSx for ONTAP file system `{n}`"),
            &["network", "security-groups"],
        );
        d.create.push(format!(
            "CloudFormation `{}`: {} ({}), {} GiB SSD, {} MB/s, zones {}",
            ids::file_system(n),
            f.deployment_type.cfn_value(),
            if f.deployment_type.is_multi_az() {
                "active file server in the first zone, standby in the second"
            } else {
                "one zone"
            },
            f.storage_gib.value,
            f.throughput.value,
            f.zones
                .iter()
                .map(|z| z.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
        d.verify.push(format!(
            "aws fsx describe-file-systems --region {} --file-system-ids <FileSystemId> --query 'FileSystems[0].[Lifecycle,OntapConfiguration.DeploymentType,OntapConfiguration.PreferredSubnetId]' shows AVAILABLE, {} and the subnet of zone {}",
            q(self.region),
            f.deployment_type.cfn_value(),
            f.zones.first().map_or("?", |z| z.as_str())
        ));
        d
    }

    fn svm(&self, f: &Fsxn) -> Draft {
        let n = f.name.as_str();
        let mut d = step(
            format!("svm:{n}"),
            format!("Storage virtual machine `{}` on `{n}`", f.svm),
            &[&format!("file-system:{n}")],
        );
        d.create.push(format!(
            "CloudFormation `{}` (root volume security style UNIX)",
            ids::svm(n)
        ));
        d.create.push(
            "Set the fsxadmin and SVM vsadmin passwords out of band, from a secret store (aws fsx update-file-system --ontap-configuration FsxAdminPassword=…): no password is in the template or this plan"
                .to_string(),
        );
        d.verify.push(format!(
            "aws fsx describe-storage-virtual-machines --region {} --storage-virtual-machine-ids <SvmId> --query 'StorageVirtualMachines[0].Endpoints.Iscsi.IpAddresses' lists {} iSCSI endpoint(s) (one per file server)",
            q(self.region),
            if f.deployment_type.is_multi_az() { 2 } else { 1 }
        ));
        d
    }

    fn volumes(&self, f: &Fsxn) -> Draft {
        let n = f.name.as_str();
        let mut d = step(
            format!("volumes:{n}"),
            format!("Volumes for the LUNs of `{n}`"),
            &[&format!("svm:{n}")],
        );
        for l in &f.luns {
            d.create.push(format!(
                "CloudFormation `{}`: volume for LUN `{}` ({} GiB + 10%)",
                ids::volume(n, l.name.as_str()),
                l.name,
                l.size_gib.value
            ));
        }
        d.verify.push(format!(
            "aws fsx describe-volumes --region {} --filters Name=storage-virtual-machine-id,Values=<SvmId> shows every volume CREATED",
            q(self.region)
        ));
        d
    }

    /// The LUNs, and an iGroup per instance that mounts them (ONTAP CLI).
    fn luns(&self, f: &Fsxn) -> Draft {
        let n = f.name.as_str();
        let mut d = step(
            format!("luns:{n}"),
            format!(
                "iSCSI LUNs and iGroup on SVM `{}` (ONTAP CLI over SSH to the management endpoint)",
                f.svm
            ),
            &[&format!("volumes:{n}")],
        );
        let svm_name = f.svm.as_str();
        for l in &f.luns {
            d.create.push(format!(
                "lun create -vserver {svm_name} -path /vol/{}/{} -size {}g -ostype linux -space-allocation enabled",
                volume_of(l), l.name, l.size_gib.value
            ));
        }
        for inst in self
            .insts
            .iter()
            .filter(|i| i.fsxn.is_some_and(|x| x.name.as_str() == n))
        {
            d.create.push(format!(
                "lun igroup create -vserver {svm_name} -igroup {} -protocol iscsi -ostype linux -initiator {}",
                inst.igroup(),
                inst.initiator(self.m.topo.name.as_str())
            ));
            for l in &f.luns {
                d.create.push(format!(
                    "lun mapping create -vserver {svm_name} -path /vol/{}/{} -igroup {}",
                    volume_of(l),
                    l.name,
                    inst.igroup()
                ));
            }
        }
        d.verify.push(format!(
            "lun mapping show -vserver {svm_name} lists every LUN mapped to the iGroup; lun show -vserver {svm_name} shows them online"
        ));
        d
    }
}

/// The image: Oracle installed on the LUNs from a first instance, its AMI in SSM.
impl Steps<'_> {
    fn golden_instance(&self, luns_steps: &[String]) -> Draft {
        let m = self.m;
        let mut after: Vec<&str> = luns_steps.iter().map(String::as_str).collect();
        after.extend(["iam", "security-groups"]);
        let mut d = step(
            "golden-instance",
            "Install Oracle on the LUNs from a first instance and take its AMI",
            &after,
        );
        for inst in self.insts {
            let labels: Vec<String> = inst
                .fsxn
                .map(|f| {
                    f.luns
                        .iter()
                        .map(|l| {
                            format!(
                                "mkfs.xfs -L {} <multipath device of {}> (first time only) for {}",
                                l.name, l.name, l.mount.value
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            d.create.push(format!(
                "Launch one instance with profile `{}` and security group(s) {}; run aws/user-data/{}.sh up to `storage` (iSCSI + multipath)",
                super::launch_template::instance_profile_name(m, inst),
                inst.lt.security_groups.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", "),
                inst.lt.name
            ));
            d.create.extend(labels);
            d.create.push(format!(
                "Install the Oracle home in {} and create database {} on the LUNs; then stop the database, create an AMI of the instance and TERMINATE it (two instances must never mount the LUNs)",
                inst.oracle_home(),
                inst.oracle_sid().unwrap_or_default()
            ));
        }
        d.verify.push(
            "multipath -ll shows two active paths (one per FSx for ONTAP endpoint) for every LUN"
                .to_string(),
        );
        d.verify.push("aws ec2 describe-images --image-ids <ami> shows the AMI available; the first instance is terminated".to_string());
        d
    }

    fn ssm_parameter(&self) -> Draft {
        let region = self.region;
        let mut d = step(
            "ssm-parameter",
            "SSM parameter with the AMI ID",
            &["golden-instance"],
        );
        for p in &self.aws.ssm_parameters {
            d.create.push(format!(
                "CloudFormation `{}` (pass 1): {}, data type {}, first value InitialAmiId (the base AMI the golden instance was launched from)",
                ids::parameter(p.name.as_str()),
                p.name.value,
                match p.data_type.value {
                    crate::model::SsmDataType::Ec2Image => "aws:ec2:image",
                    crate::model::SsmDataType::Text => "text",
                }
            ));
            d.create.push(format!(
                "Write the golden AMI: aws ssm put-parameter --region {} --name {} --type String --data-type aws:ec2:image --overwrite --value <golden AMI> (stack updates leave the value alone while InitialAmiId is unchanged)",
                q(region),
                q(p.name.as_str())
            ));
            d.verify.push(format!(
                "aws ssm get-parameter --region {} --name {} --query 'Parameter.[DataType,Value]' shows aws:ec2:image and the AMI ID",
                q(region),
                q(p.name.as_str())
            ));
        }
        d
    }
}

/// The instance: launch template, then the Auto Scaling group that keeps it alive.
impl Steps<'_> {
    fn launch_template(&self) -> Draft {
        let mut d = step(
            "launch-template",
            "Launch template",
            &["ssm-parameter", "iam", "security-groups"],
        );
        for inst in self.insts {
            d.create.push(format!(
                "CloudFormation `{}`: image {}, {}, IMDSv2 {}, user data aws/user-data/{}.sh",
                ids::launch_template(inst.lt.name.as_str()),
                inst.lt.image.value,
                inst.lt.instance_type,
                if inst.lt.imdsv2.value {
                    "required"
                } else {
                    "optional"
                },
                inst.lt.name
            ));
            d.verify.push(format!(
                "aws ec2 describe-launch-template-versions --region {} --launch-template-name {} --versions '$Latest' --query 'LaunchTemplateVersions[0].LaunchTemplateData.ImageId' shows {}",
                q(self.region),
                q(&format!("{}-{}", self.m.topo.name, inst.lt.name)),
                inst.lt.image.value
            ));
        }
        d
    }

    fn auto_scaling_group(&self, luns_steps: &[String]) -> Draft {
        let region = self.region;
        let mut after: Vec<&str> = vec!["launch-template", "network"];
        after.extend(luns_steps.iter().map(String::as_str));
        let mut d = step(
            "auto-scaling-group",
            "Auto Scaling group (self-healing, one instance)",
            &after,
        );
        for inst in self.insts {
            let asg = inst.asg;
            let name = format!("{}-{}", self.m.topo.name, asg.name);
            d.create.push(format!(
                "Update the stack with {}=true: CloudFormation `{}`, min/max/desired {}/{}/{}, zones {}, health check grace {}s, tags propagated at launch: {}",
                ids::LAUNCH,
                ids::asg(asg.name.as_str()),
                asg.min.value,
                asg.max.value,
                asg.desired.value,
                asg.zones.iter().map(|z| z.as_str()).collect::<Vec<_>>().join(", "),
                asg.grace_period.value.as_secs_ceil(),
                asg.propagate_tags.value
            ));
            d.create.push(format!("aws autoscaling suspend-processes --region {} --auto-scaling-group-name {} --scaling-processes AZRebalance (rebalancing would move the database for no failure)", q(region), q(&name)));
            d.verify.push(format!(
                "aws autoscaling describe-auto-scaling-groups --region {} --auto-scaling-group-names {} --query 'AutoScalingGroups[0].[MinSize,MaxSize,DesiredCapacity,HealthCheckGracePeriod]' shows {}, {}, {}, {}",
                q(region),
                q(&name),
                asg.min.value,
                asg.max.value,
                asg.desired.value,
                asg.grace_period.value.as_secs_ceil()
            ));
            d.verify.push(format!(
                "on the instance: systemctl is-active oracle-storage.service oracle-db.service; the instance carries the tags {}",
                asg.tags.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(", ")
            ));
        }
        d
    }
}

/// Operations: backups, and the pipeline that turns them into the next AMI.
impl Steps<'_> {
    fn backup(&self) -> Option<Draft> {
        let aws = self.aws;
        if aws.backup_plans.is_empty() {
            return None;
        }
        let mut d = step(
            "backup",
            "AWS Backup vault, plan and tag-based selection",
            &["auto-scaling-group", "iam"],
        );
        for p in &aws.backup_plans {
            d.create.push(format!(
                "CloudFormation `{}`, `{}` ({}; {}), `{}` selecting EC2 instances with {}",
                ids::vault(p.name.as_str()),
                ids::backup_plan(p.name.as_str()),
                p.schedule.value,
                if aws.backups_expire() {
                    format!(
                        "recovery points expire after {} days",
                        p.retention_days.value
                    )
                } else {
                    "recovery points kept forever".to_string()
                },
                ids::backup_selection(p.name.as_str()),
                if p.selection.tags.is_empty() {
                    "the listed IDs".to_string()
                } else {
                    p.selection
                        .tags
                        .iter()
                        .map(|(k, v)| format!("tag {k}={v}"))
                        .collect::<Vec<_>>()
                        .join(" and ")
                }
            ));
        }
        d.verify.push(format!(
            "aws backup list-backup-plans --region {} shows the plan; get-backup-selection shows Resources arn:…:instance/* and the tags as Conditions, not instance IDs",
            q(self.region)
        ));
        Some(d)
    }

    fn ami_pipeline(&self) -> Option<Draft> {
        let aws = self.aws;
        let p = aws.ami_pipeline.as_ref()?;
        let mut after = vec!["ssm-parameter", "iam"];
        if !aws.backup_plans.is_empty() {
            after.push("backup");
        }
        let mut d = step(
            "ami-pipeline",
            "AMI pipeline: EventBridge rule on completed backups → Lambda → SSM parameter",
            &after,
        );
        d.create.push(format!(
            "CloudFormation `{}`, `{}` (python3.13, aws/lambda/ami_updater.py: writes the parameter and deletes nothing; {}), `{}`, `{}`, `{}`",
            ids::FUNCTION_LOGS,
            ids::FUNCTION,
            if p.cleanup.value { "AWS Backup's lifecycle expires old AMIs" } else { "old AMIs are kept: the backup plans have no lifecycle" },
            ids::FUNCTION_DLQ,
            ids::EVENT_RULE,
            ids::FUNCTION_PERMISSION
        ));
        d.verify.push(format!(
            "start an on-demand backup (aws backup start-backup-job --region {} --backup-vault-name <vault> --resource-arn <instance ARN> --iam-role-arn <BackupRole ARN>); when it completes, aws ssm get-parameter --name {} shows the new AMI; the function's dead-letter queue stays empty (aws sqs get-queue-attributes --queue-url <AmiUpdaterDeadLetterQueue URL> --attribute-names ApproximateNumberOfMessages)",
            q(self.region),
            q(p.parameter.as_str())
        ));
        Some(d)
    }
}

fn failover_tests(m: &Model, aws: &Aws) -> Result<Vec<FailoverTest>, RenderError> {
    let rec = &m.topo.recovery;
    let detect = rec
        .asg_detection
        .as_ref()
        .map_or(Duration::secs(30), |d| d.value);
    let launch = rec
        .asg_launch
        .as_ref()
        .map_or(Duration::mins(2), |d| d.value);
    let start = rec
        .instance_start
        .as_ref()
        .map_or(Duration::mins(3), |d| d.value);
    let total = detect.saturating_add(launch).saturating_add(start);
    let rto = m.topo.objectives.host.as_ref().map(|o| o.rto.value);
    let mut out = Vec::new();
    for inst in instances(m, aws, T)? {
        let name = format!("{}-{}", m.topo.name, inst.asg.name);
        out.push(FailoverTest {
            auto_scaling_group: name.clone(),
            action: format!(
                "aws ec2 terminate-instances --region {} --instance-ids $(aws autoscaling describe-auto-scaling-groups --region {} --auto-scaling-group-names {} --query 'AutoScalingGroups[0].Instances[0].InstanceId' --output text)",
                q(aws.region.as_str()),
                q(aws.region.as_str()),
                q(&name)
            ),
            phases: vec![
                Phase { what: "the Auto Scaling group marks the instance unhealthy".into(), expected: format!("~{detect}"), expected_ms: detect.as_millis() },
                Phase { what: "a replacement launches from the AMI resolved from the SSM parameter".into(), expected: format!("~{launch}"), expected_ms: launch.as_millis() },
                Phase { what: "the user data logs in to both iSCSI endpoints, mounts the LUNs and starts Oracle".into(), expected: format!("~{start}"), expected_ms: start.as_millis() },
            ],
            expected_total: format!("~{total}"),
            expected_total_ms: total.as_millis(),
            rto_objective: rto.map(|r| r.to_string()),
            meets_objective: rto.map(|r| total <= r),
        });
    }
    Ok(out)
}

/// The plan of a topology's `aws` section.
pub(super) fn plan(m: &Model) -> Result<Option<Plan>, RenderError> {
    let Some(aws) = aws_of(m) else {
        return Ok(None);
    };
    let drafts = drafts(m, aws)?;
    let mut g: DiGraph<usize, ()> = DiGraph::new();
    let nodes: BTreeMap<&str, NodeIndex> = drafts
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id.as_str(), g.add_node(i)))
        .collect();
    for (i, d) in drafts.iter().enumerate() {
        let Some(&to) = nodes.get(d.id.as_str()) else {
            continue;
        };
        debug_assert_eq!(g.node_weight(to), Some(&i));
        for a in &d.after {
            let from = nodes
                .get(a.as_str())
                .ok_or_else(|| err(T, format!("step `{}` depends on unknown step `{a}`", d.id)))?;
            g.add_edge(*from, to, ());
        }
    }
    let order = toposort(&g, None).map_err(|c| {
        err(
            T,
            format!(
                "the deployment steps have a cycle through `{}`",
                g.node_weight(c.node_id())
                    .and_then(|i| drafts.get(*i))
                    .map_or("?", |d| d.id.as_str())
            ),
        )
    })?;
    let mut steps = Vec::new();
    for (n, node) in order.into_iter().enumerate() {
        let Some(d) = g.node_weight(node).and_then(|i| drafts.get(*i)) else {
            continue;
        };
        steps.push(Step {
            number: n + 1,
            id: d.id.clone(),
            title: d.title.clone(),
            after: d.after.clone(),
            create: d.create.clone(),
            verify: d.verify.clone(),
        });
    }
    Ok(Some(Plan {
        topology: m.topo.name.to_string(),
        region: aws.region.to_string(),
        template: format!("{DIR}/cloudformation.json"),
        steps,
        failover_tests: failover_tests(m, aws)?,
    }))
}

/// A step's text for Markdown: the text of steps mixes maa's words with values of the
/// topology (names, tags, schedules), so everything outside its code spans is escaped
/// (`\*`, `\_`, `\[`…: no emphasis, link, HTML or table cell can come from a value), a
/// code span stays literal, and a line break cannot start a new block. Values are
/// validated at load time (no backtick, no line break), which keeps code spans closed.
fn md(text: &str) -> String {
    let balanced = text.matches('`').count().is_multiple_of(2);
    let mut out = String::with_capacity(text.len() + 8);
    let mut in_code = false;
    for c in text.chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            '`' if balanced => {
                in_code = !in_code;
                out.push(c);
            }
            '\\' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' | '`' if !in_code => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

fn markdown(p: &Plan) -> String {
    let mut s = String::new();
    let w = &mut s;
    let _ = writeln!(
        w,
        "# Deployment plan: `{}` on AWS ({})\n",
        p.topology, p.region
    );
    let _ = writeln!(
        w,
        "Generated by maa (the pattern of \"Building highly available Oracle databases with Amazon FSx for NetApp ONTAP\", AWS Architecture Blog). Do not edit: change the topology and re-render."
    );
    let _ = writeln!(
        w,
        "Steps are in dependency order; finish the checks of a step before starting the next."
    );
    let _ = writeln!(
        w,
        "`CloudFormation X` is the resource X of `{}`. Pass 1: create the stack with `LaunchOracleInstance=false`;",
        p.template
    );
    let _ = writeln!(
        w,
        "it creates the resources of every step but the Auto Scaling group. Then work through the steps (manual"
    );
    let _ = writeln!(
        w,
        "actions and checks); pass 2, at the Auto Scaling group step, updates the stack with `true`.\n"
    );
    for st in &p.steps {
        let _ = writeln!(w, "## {}. {}\n", st.number, md(&st.title));
        if !st.after.is_empty() {
            let _ = writeln!(
                w,
                "After: {}\n",
                st.after
                    .iter()
                    .map(|a| format!("`{a}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        let _ = writeln!(w, "Create:\n");
        for c in &st.create {
            let _ = writeln!(w, "- {}", md(c));
        }
        let _ = writeln!(w, "\nVerify:\n");
        for v in &st.verify {
            let _ = writeln!(w, "- [ ] {}", md(v));
        }
        let _ = writeln!(w);
    }
    for t in &p.failover_tests {
        let _ = writeln!(w, "## Failover test: `{}`\n", t.auto_scaling_group);
        let _ = writeln!(
            w,
            "Simulate an instance failure ([AWS-FSXN], \"Test the complete workflow\"):\n"
        );
        let _ = writeln!(w, "```sh\n{}\n```\n", t.action);
        let _ = writeln!(w, "| phase | expected |\n|---|---|");
        for ph in &t.phases {
            let _ = writeln!(w, "| {} | {} |", ph.what, ph.expected);
        }
        let _ = writeln!(
            w,
            "| **Oracle accepts connections again** | **{}** |\n",
            t.expected_total
        );
        match (&t.rto_objective, t.meets_objective) {
            (Some(rto), Some(true)) => {
                let _ = writeln!(
                    w,
                    "Expected total {} meets the host RTO objective of {rto}.\n",
                    t.expected_total
                );
            }
            (Some(rto), _) => {
                let _ = writeln!(
                    w,
                    "Expected total {} EXCEEDS the host RTO objective of {rto}.\n",
                    t.expected_total
                );
            }
            (None, _) => {
                let _ = writeln!(w, "No host RTO objective is declared.\n");
            }
        }
        let _ = writeln!(
            w,
            "Verify: the Auto Scaling group's activity history shows the termination and the launch; the new instance has the tags (next backup includes it); no data is lost (FSx for ONTAP Multi-AZ is synchronous).\n"
        );
    }
    s
}

pub(super) fn render(m: &Model) -> Result<Vec<Artifact>, RenderError> {
    let Some(p) = plan(m)? else {
        return Ok(Vec::new());
    };
    let mut json = serde_json::to_string_pretty(&p).map_err(|e| err(T, e.to_string()))?;
    json.push('\n');
    Ok(vec![
        Artifact::new(format!("{DIR}/plan.json"), json),
        Artifact::new(format!("{DIR}/plan.md"), markdown(&p)),
    ])
}

#[cfg(test)]
mod tests {
    use super::md;

    #[test]
    fn markdown_outside_code_spans_is_escaped() {
        assert_eq!(
            md("cron(0 5 ? * * *) <ami> [x](http://e) a_b | c ~d~ &amp; \\"),
            r"cron(0 5 ? \* \* \*) \<ami\> \[x\](http://e) a\_b \| c \~d\~ \&amp; \\"
        );
        // Code spans stay literal; a line break cannot start a block.
        assert_eq!(md("`a_b*` x_y\n## 0. no"), r"`a_b*` x\_y ## 0. no");
        // An unbalanced backtick is escaped instead of opening a span.
        assert_eq!(md("a ` b_c"), r"a \` b\_c");
    }
}
