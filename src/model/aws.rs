//! The AWS pattern of [AWS-FSXN]: Oracle on EC2 with FSx for NetApp ONTAP, an Auto Scaling
//! group as self-healing, AWS Backup AMIs and a Lambda that keeps an SSM parameter current.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::placement::yes;
use super::{Duration, Name, Sp};

/// The AWS part of a topology.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Aws {
    /// AWS region, e.g. `us-east-1`.
    pub region: Name,
    /// The site (of `sites`) that is this region.
    pub site: Name,
    #[serde(default)]
    pub fsxn: Vec<Fsxn>,
    #[serde(default)]
    pub auto_scaling_groups: Vec<AutoScalingGroup>,
    #[serde(default)]
    pub launch_templates: Vec<LaunchTemplate>,
    #[serde(default)]
    pub ssm_parameters: Vec<SsmParameter>,
    #[serde(default)]
    pub backup_plans: Vec<BackupPlan>,
    pub ami_pipeline: Option<AmiPipeline>,
    #[serde(default)]
    pub security_groups: Vec<SecurityGroup>,
}

/// FSx for NetApp ONTAP deployment type.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum FsxDeployment {
    #[serde(rename = "multi-az-1")]
    MultiAz1,
    #[serde(rename = "multi-az-2")]
    MultiAz2,
    #[serde(rename = "single-az-1")]
    SingleAz1,
    #[serde(rename = "single-az-2")]
    SingleAz2,
}

impl FsxDeployment {
    pub fn is_multi_az(self) -> bool {
        matches!(self, FsxDeployment::MultiAz1 | FsxDeployment::MultiAz2)
    }
    /// The CloudFormation `DeploymentType` value.
    pub fn cfn_value(self) -> &'static str {
        match self {
            FsxDeployment::MultiAz1 => "MULTI_AZ_1",
            FsxDeployment::MultiAz2 => "MULTI_AZ_2",
            FsxDeployment::SingleAz1 => "SINGLE_AZ_1",
            FsxDeployment::SingleAz2 => "SINGLE_AZ_2",
        }
    }
}

/// An FSx for NetApp ONTAP file system serving iSCSI LUNs to the database host.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Fsxn {
    pub name: Name,
    pub deployment_type: Sp<FsxDeployment>,
    /// Zones of the file servers: preferred first, standby second (Multi-AZ).
    pub zones: Vec<Name>,
    /// Throughput capacity in MB/s.
    #[serde(default = "throughput")]
    pub throughput: Sp<u32>,
    /// SSD storage capacity in GiB.
    #[serde(default = "capacity")]
    pub storage_gib: Sp<u32>,
    /// Storage virtual machine name.
    pub svm: Name,
    #[serde(default)]
    pub luns: Vec<Lun>,
    /// dm-multipath over the iSCSI endpoints of both file servers.
    #[serde(default = "yes")]
    pub multipath: Sp<bool>,
    /// Security groups (of `aws.security_groups`) attached to the file system's network
    /// interfaces: the storage-access group of [AWS-FSXN] (NFS, iSCSI, management ports).
    #[serde(default)]
    pub security_groups: Vec<Name>,
    /// The data protocols the Oracle instances use to reach it: `iscsi` (the `luns`) and
    /// `nfs` (volumes mounted outside `maa`: `render` sets up only the iSCSI LUNs). By
    /// default `iscsi` when LUNs are declared. The storage security group needs the ports
    /// of these protocols (and the management ports) only.
    #[serde(default)]
    pub protocols: Vec<Sp<FsxProtocol>>,
}

/// A data protocol of an FSx for ONTAP file system.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum FsxProtocol {
    Iscsi,
    Nfs,
}

impl Fsxn {
    /// Whether the Oracle instances reach the file system over `p`: as declared in
    /// `protocols`, and always iSCSI when LUNs are declared (the rendered bootstrap mounts
    /// them over iSCSI whatever `protocols` says).
    pub fn uses(&self, p: FsxProtocol) -> bool {
        (p == FsxProtocol::Iscsi && !self.luns.is_empty())
            || self.protocols.iter().any(|x| x.value == p)
    }
}

fn throughput() -> Sp<u32> {
    Sp::synthetic(512)
}
fn capacity() -> Sp<u32> {
    Sp::synthetic(1024)
}

/// An iSCSI LUN.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Lun {
    pub name: Name,
    #[schemars(range(min = 1))]
    pub size_gib: Sp<u32>,
    /// Where it is mounted on the instance, e.g. `/u02`.
    #[schemars(regex(pattern = r"^/[A-Za-z0-9_./-]*$"))]
    pub mount: Sp<String>,
}

/// Health check type of an Auto Scaling group.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum AsgHealthCheck {
    Ec2,
    Elb,
}

/// An Auto Scaling group used as self-healing for a single instance.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AutoScalingGroup {
    pub name: Name,
    pub min: Sp<u32>,
    pub max: Sp<u32>,
    pub desired: Sp<u32>,
    /// Zones (subnets) instances may launch in.
    pub zones: Vec<Name>,
    pub launch_template: Name,
    #[serde(default = "ec2")]
    pub health_check: Sp<AsgHealthCheck>,
    /// `HealthCheckGracePeriod` (>= 300s so Oracle can start).
    #[serde(default = "grace")]
    pub grace_period: Sp<Duration>,
    /// `PropagateAtLaunch` on the group's tags (backup selection relies on it).
    #[serde(default = "yes")]
    pub propagate_tags: Sp<bool>,
    #[serde(default)]
    pub tags: Tags,
    /// The host (instance) this group keeps alive.
    pub host: Name,
    /// The database running on that instance.
    pub database: Option<Name>,
    /// `ORACLE_HOME` on the shared LUNs, used by the generated systemd unit
    /// (default `/u01/app/oracle/product/19c/dbhome_1`).
    #[schemars(regex(pattern = r"^/[A-Za-z0-9_./-]*$"))]
    pub oracle_home: Option<Sp<String>>,
}

fn ec2() -> Sp<AsgHealthCheck> {
    Sp::synthetic(AsgHealthCheck::Ec2)
}
fn grace() -> Sp<Duration> {
    Sp::synthetic(Duration::secs(300))
}

/// An EC2 launch template.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LaunchTemplate {
    pub name: Name,
    /// `resolve:ssm:<parameter>` (recommended) or a literal `ami-…` ID.
    #[schemars(regex(pattern = r"^(resolve:ssm:/?[A-Za-z0-9_./-]+|ami-[0-9a-f]{8,17})$"))]
    pub image: Sp<String>,
    pub instance_type: Sp<Name>,
    /// Security groups of the instance.
    #[serde(default)]
    pub security_groups: Vec<Name>,
    /// Require IMDSv2 tokens.
    #[serde(default = "yes")]
    pub imdsv2: Sp<bool>,
}

/// SSM parameter data type.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
pub enum SsmDataType {
    #[serde(rename = "aws:ec2:image")]
    Ec2Image,
    #[serde(rename = "text")]
    Text,
}

/// An SSM Parameter Store parameter.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SsmParameter {
    /// Parameter name, e.g. `/oracle/ami/latest`.
    #[schemars(regex(pattern = r"^/?[A-Za-z0-9_./-]{1,1011}$"))]
    pub name: Sp<String>,
    pub data_type: Sp<SsmDataType>,
}

/// How a backup plan selects its resources.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BackupSelection {
    /// Tag conditions, all of which an instance must carry (they survive instance
    /// replacement). Only EC2 instances are selected, never their volumes.
    #[serde(default)]
    pub tags: Tags,
    /// Explicit resource IDs or ARNs (break when the ASG replaces the instance).
    #[serde(default)]
    pub resources: Vec<Sp<String>>,
}

/// An AWS Backup plan.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BackupPlan {
    pub name: Name,
    /// Schedule expression, e.g. `cron(0 5 ? * * *)`.
    #[schemars(regex(pattern = r"^(cron|rate)\([A-Za-z0-9 ?*/,#L-]+\)$"))]
    pub schedule: Sp<String>,
    #[serde(default = "retention")]
    pub retention_days: Sp<u32>,
    pub selection: BackupSelection,
}

fn retention() -> Sp<u32> {
    Sp::synthetic(7)
}

/// EventBridge rule + Lambda that writes the newest AMI to the SSM parameter.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AmiPipeline {
    /// The SSM parameter it updates (name from `ssm_parameters`).
    #[schemars(regex(pattern = r"^/?[A-Za-z0-9_./-]{1,1011}$"))]
    pub parameter: Sp<String>,
    /// Lambda function name.
    pub function: Name,
    /// Removed: a count of AMIs the function used to keep by deregistering older ones,
    /// which EC2 refuses for AMIs AWS Backup manages. Retention is the backup plans'
    /// `retention_days`; a value here is refused at load time.
    #[schemars(range(min = 1))]
    pub retain: Option<Sp<u32>>,
    /// Whether old AMIs expire: AWS Backup's lifecycle deletes each recovery point (AMI
    /// and snapshots) after the plan's `retention_days`. `false` keeps them all (AWS010).
    #[serde(default = "yes")]
    pub cleanup: Sp<bool>,
}

/// A security group.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SecurityGroup {
    pub name: Name,
    #[serde(default)]
    pub ingress: Vec<Ingress>,
}

/// An ingress rule.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ingress {
    /// A port or range, e.g. `2049` or `4045-4046`.
    #[schemars(regex(pattern = r"^[0-9]{1,5}(-[0-9]{1,5})?$"))]
    pub ports: Sp<String>,
    #[serde(default = "tcp")]
    pub protocol: Sp<IpProtocol>,
    /// A security group name (of this topology) or a CIDR block.
    #[schemars(regex(pattern = r"^([A-Za-z0-9][A-Za-z0-9_.-]*|[0-9.]+/[0-9]{1,2})$"))]
    pub source: Sp<String>,
}

/// IP protocol.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum IpProtocol {
    Tcp,
    Udp,
}

fn tcp() -> Sp<IpProtocol> {
    Sp::synthetic(IpProtocol::Tcp)
}

/// The TCP ports of the FSx for ONTAP storage security group, with what each one is for and
/// the data protocol that needs it (`None`: ONTAP management, always needed). [AWS-FSXN]
/// lists all of them "at minimum"; AWS's *Amazon FSx for NetApp ONTAP User Guide*, "File
/// System Access Control with Amazon VPC", assigns each to its protocol, so a file system
/// reached over iSCSI only needs 3260 and the management ports.
pub const FSXN_PORTS: &[(u16, u16, &str, Option<FsxProtocol>)] = &[
    (111, 111, "NFS portmapper", Some(FsxProtocol::Nfs)),
    (635, 635, "NFS mountd", Some(FsxProtocol::Nfs)),
    (2049, 2049, "NFS", Some(FsxProtocol::Nfs)),
    (3260, 3260, "iSCSI", Some(FsxProtocol::Iscsi)),
    (4045, 4046, "NFS lock", Some(FsxProtocol::Nfs)),
    (443, 443, "HTTPS (ONTAP management)", None),
    (22, 22, "SSH (ONTAP CLI)", None),
];

/// Default `ORACLE_HOME` of the generated systemd unit.
pub const DEFAULT_ORACLE_HOME: &str = "/u01/app/oracle/product/19c/dbhome_1";

impl LaunchTemplate {
    /// The SSM parameter named by a `resolve:ssm:` image, if any.
    pub fn ssm_parameter(&self) -> Option<&str> {
        self.image.strip_prefix("resolve:ssm:")
    }
}

impl Ingress {
    /// The port range, when both ends are valid ports and in order.
    pub fn port_range(&self) -> Option<(u16, u16)> {
        let (from, to) = match self.ports.split_once('-') {
            Some((a, b)) => (a.parse::<u16>().ok()?, b.parse::<u16>().ok()?),
            None => {
                let p = self.ports.parse::<u16>().ok()?;
                (p, p)
            }
        };
        (from <= to).then_some((from, to))
    }

    /// Whether the source is a CIDR block rather than a security group name.
    pub fn source_is_cidr(&self) -> bool {
        self.source.contains('/')
    }

    /// Whether the source is the whole IPv4 internet.
    pub fn open_to_world(&self) -> bool {
        self.source.as_str() == "0.0.0.0/0"
    }
}

impl Aws {
    /// Whether the backup plans expire old recovery points (AMI and snapshots) after their
    /// `retention_days`: unless the AMI pipeline says `cleanup: false`.
    pub fn backups_expire(&self) -> bool {
        self.ami_pipeline.as_ref().is_none_or(|p| p.cleanup.value)
    }

    pub fn launch_template(&self, name: &str) -> Option<&LaunchTemplate> {
        self.launch_templates
            .iter()
            .find(|l| l.name.as_str() == name)
    }
    pub fn security_group(&self, name: &str) -> Option<&SecurityGroup> {
        self.security_groups
            .iter()
            .find(|s| s.name.as_str() == name)
    }
    pub fn ssm_parameter(&self, name: &str) -> Option<&SsmParameter> {
        self.ssm_parameters.iter().find(|p| p.name.as_str() == name)
    }
    pub fn fsxn_named(&self, name: &str) -> Option<&Fsxn> {
        self.fsxn.iter().find(|f| f.name.as_str() == name)
    }
    /// Security groups of the instances: those of launch templates used by an Auto Scaling group.
    pub fn instance_security_groups(&self) -> std::collections::BTreeSet<&str> {
        self.auto_scaling_groups
            .iter()
            .filter_map(|g| self.launch_template(g.launch_template.as_str()))
            .flat_map(|l| l.security_groups.iter().map(|s| s.as_str()))
            .collect()
    }
}

/// Most tags AWS accepts on one resource.
pub const MAX_TAGS: usize = 50;
/// Longest tag key and value AWS accepts, in characters.
pub const MAX_TAG_KEY: usize = 128;
pub const MAX_TAG_VALUE: usize = 256;

/// AWS tags, checked as they are read against AWS's documented limits ("Tagging AWS
/// resources": at most 50 tags; keys of 1 to 128 and values of at most 256 characters;
/// letters, digits, spaces and `_ . : / = + - @`; no key starting with `aws:`). A value
/// AWS would reject never reaches the rendered templates or the deployment plan.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Tags(BTreeMap<String, String>);

impl std::ops::Deref for Tags {
    type Target = BTreeMap<String, String>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

/// Why `text`, a tag key (`key`) or value, is refused.
pub fn tag_problem(text: &str, key: bool) -> Option<String> {
    let what = if key { "AWS tag key" } else { "AWS tag value" };
    let max = if key { MAX_TAG_KEY } else { MAX_TAG_VALUE };
    let n = text.chars().count();
    let shown = text.escape_debug();
    if key && n == 0 {
        return Some(format!("an {what} needs 1 to {max} characters"));
    }
    if n > max {
        return Some(format!(
            "{what} `{shown}` has {n} characters; AWS allows at most {max}"
        ));
    }
    if let Some(c) = text
        .chars()
        .find(|&c| !(c.is_alphanumeric() || " _.:/=+-@".contains(c)))
    {
        return Some(format!(
            "{what} `{shown}` holds `{}`, which AWS does not accept: tags take letters, digits, spaces and `_ . : / = + - @`",
            c.escape_debug()
        ));
    }
    if key && text.to_ascii_lowercase().starts_with("aws:") {
        return Some(format!(
            "{what} `{shown}` starts with `aws:`, a prefix AWS reserves for its own tags"
        ));
    }
    None
}

/// A tag key or value as read (validated by [`tag_problem`]).
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct Tag<const KEY: bool>(String);

impl<'de, const KEY: bool> Deserialize<'de> for Tag<KEY> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        match tag_problem(&text, KEY) {
            Some(why) => Err(serde::de::Error::custom(why)),
            None => Ok(Tag(text)),
        }
    }
}

impl<'de> Deserialize<'de> for Tags {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let map = BTreeMap::<Tag<true>, Tag<false>>::deserialize(d)?;
        if map.len() > MAX_TAGS {
            return Err(serde::de::Error::custom(format!(
                "{} tags; AWS allows at most {MAX_TAGS} on a resource",
                map.len()
            )));
        }
        Ok(Tags(map.into_iter().map(|(k, v)| (k.0, v.0)).collect()))
    }
}

impl JsonSchema for Tags {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "AwsTags".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "object",
            "description": "AWS tags: at most 50; keys of 1 to 128 characters, not starting with `aws:`; values of at most 256 characters; letters, digits, spaces and `_ . : / = + - @`.",
            "maxProperties": MAX_TAGS,
            "propertyNames": { "minLength": 1, "maxLength": MAX_TAG_KEY },
            "additionalProperties": { "type": "string", "maxLength": MAX_TAG_VALUE }
        })
    }
}
