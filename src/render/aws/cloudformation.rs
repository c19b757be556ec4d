//! `cloudformation`: one template for the whole seed-000 stack.
//!
//! Built as `serde_json` values (so every string is JSON-escaped) in a fixed key order:
//! the output is byte-identical across runs. Deploy-time values (VPC, subnets, route
//! tables, key pair, the first AMI) are template parameters; nothing secret is rendered
//! (the ONTAP `fsxadmin`/SVM passwords are set out of band, see the plan).

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use super::launch_template::{instance_profile_name, instance_tags, metadata_options};
use super::{
    DIR, Instance, aws_of, err, generated_by, instances, lambda, logical_id, unique_ids, user_data,
};
use crate::model::{AmiPipeline, Aws, FSXN_PORTS, FsxDeployment, Fsxn, IpProtocol, SsmDataType};
use crate::render::{Artifact, RenderError};
use crate::resolve::Model;

const T: &str = "cloudformation";

fn r(id: &str) -> Value {
    json!({ "Ref": id })
}
fn get_att(id: &str, attr: &str) -> Value {
    json!({ "Fn::GetAtt": [id, attr] })
}
fn sub(s: &str) -> Value {
    json!({ "Fn::Sub": s })
}

/// Logical IDs of the things other resources refer to.
pub(crate) mod ids {
    use super::logical_id;
    pub(crate) fn subnet(zone: &str) -> String {
        logical_id(zone, "SubnetId")
    }
    pub(crate) fn sg(name: &str) -> String {
        logical_id(name, "SecurityGroup")
    }
    pub(crate) fn file_system(name: &str) -> String {
        logical_id(name, "FileSystem")
    }
    pub(crate) fn svm(fsxn: &str) -> String {
        logical_id(fsxn, "Svm")
    }
    pub(crate) fn volume(fsxn: &str, lun: &str) -> String {
        logical_id(&format!("{fsxn}-{lun}"), "Volume")
    }
    pub(crate) fn parameter(name: &str) -> String {
        logical_id(name, "Parameter")
    }
    pub(crate) fn launch_template(name: &str) -> String {
        logical_id(name, "LaunchTemplate")
    }
    pub(crate) fn asg(name: &str) -> String {
        logical_id(name, "AutoScalingGroup")
    }
    pub(crate) fn instance_role(asg: &str) -> String {
        logical_id(asg, "InstanceRole")
    }
    pub(crate) fn instance_profile(asg: &str) -> String {
        logical_id(asg, "InstanceProfile")
    }
    pub(crate) fn vault(plan: &str) -> String {
        logical_id(plan, "BackupVault")
    }
    pub(crate) fn backup_plan(plan: &str) -> String {
        logical_id(plan, "BackupPlan")
    }
    pub(crate) fn backup_selection(plan: &str) -> String {
        logical_id(plan, "BackupSelection")
    }
    pub(crate) const BACKUP_ROLE: &str = "BackupRole";
    pub(crate) const FUNCTION: &str = "AmiUpdaterFunction";
    pub(crate) const FUNCTION_ROLE: &str = "AmiUpdaterRole";
    pub(crate) const FUNCTION_LOGS: &str = "AmiUpdaterLogGroup";
    pub(crate) const FUNCTION_PERMISSION: &str = "AmiUpdaterPermission";
    pub(crate) const FUNCTION_DLQ: &str = "AmiUpdaterDeadLetterQueue";
    pub(crate) const KEY: &str = "MaaKey";
    pub(crate) const EVENT_RULE: &str = "BackupCompletedRule";
    pub(crate) const ROUTE_TABLES: &str = "RouteTableIds";
    pub(crate) const VPC: &str = "VpcId";
    pub(crate) const KEY_NAME: &str = "KeyName";
    pub(crate) const INITIAL_AMI: &str = "InitialAmiId";
    pub(crate) const LAUNCH: &str = "LaunchOracleInstance";
    pub(crate) const LAUNCH_CONDITION: &str = "LaunchInstance";
}

/// Zones in order of first use (file systems first, then groups).
fn zones_used(aws: &Aws) -> Vec<&str> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    let all = aws
        .fsxn
        .iter()
        .flat_map(|f| f.zones.iter())
        .chain(aws.auto_scaling_groups.iter().flat_map(|g| g.zones.iter()));
    for z in all {
        if seen.insert(z.as_str()) {
            out.push(z.as_str());
        }
    }
    out
}

fn availability_zone<'a>(m: &'a Model, zone: &str) -> Option<&'a str> {
    m.topo
        .sites
        .iter()
        .flat_map(|s| s.zones.iter())
        .find(|z| z.name.as_str() == zone)
        .and_then(|z| z.availability_zone.as_ref())
        .map(|a| a.as_str())
}

fn volume_name(lun: &str) -> String {
    lun.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

fn port_description(from: u16, to: u16) -> Option<&'static str> {
    FSXN_PORTS
        .iter()
        .find(|(a, b, ..)| *a == from && *b == to)
        .map(|(_, _, d, _)| *d)
}

fn port_text(from: u16, to: u16) -> String {
    if from == to {
        from.to_string()
    } else {
        format!("{from}-{to}")
    }
}

/// The ARN of an SSM parameter (names with or without the leading `/`).
fn parameter_arn(name: &str) -> Value {
    let path = name.strip_prefix('/').unwrap_or(name);
    sub(&format!(
        "arn:${{AWS::Partition}}:ssm:${{AWS::Region}}:${{AWS::AccountId}}:parameter/{path}"
    ))
}

pub(crate) fn protocol(p: IpProtocol) -> &'static str {
    match p {
        IpProtocol::Tcp => "tcp",
        IpProtocol::Udp => "udp",
    }
}

struct Builder {
    params: Map<String, Value>,
    conditions: Map<String, Value>,
    resources: Map<String, Value>,
    outputs: Map<String, Value>,
}

impl Builder {
    fn add(&mut self, id: String, resource: Value) -> Result<(), RenderError> {
        if self.resources.contains_key(&id) {
            return Err(err(
                T,
                format!("two resources would get the logical ID `{id}`; rename one"),
            ));
        }
        self.resources.insert(id, resource);
        Ok(())
    }
    fn output(&mut self, id: &str, description: &str, value: Value) {
        self.outputs.insert(
            id.to_string(),
            json!({ "Description": description, "Value": value }),
        );
    }
}

/// The template as a JSON value.
pub fn template(m: &Model) -> Result<Option<Value>, RenderError> {
    let Some(aws) = aws_of(m) else {
        return Ok(None);
    };
    let insts = instances(m, aws, T)?;
    let zones = zones_used(aws);
    unique_ids(T, zones.iter().map(|z| (ids::subnet(z), *z)))?;
    unique_ids(
        T,
        aws.security_groups
            .iter()
            .map(|s| (ids::sg(s.name.as_str()), s.name.as_str())),
    )?;
    unique_ids(
        T,
        aws.ssm_parameters
            .iter()
            .map(|p| (ids::parameter(p.name.as_str()), p.name.as_str())),
    )?;

    let mut b = Builder {
        params: Map::new(),
        conditions: Map::new(),
        resources: Map::new(),
        outputs: Map::new(),
    };

    parameters(m, aws, &zones, !insts.is_empty(), &mut b);

    security_groups(m, aws, &mut b)?;
    for f in &aws.fsxn {
        file_system(m, f, &mut b)?;
    }
    ssm_parameters(aws, &mut b)?;
    for inst in &insts {
        instance(m, aws, inst, &mut b)?;
    }
    key(m, aws, &mut b)?;
    backup(m, aws, &mut b)?;
    pipeline(m, aws, &mut b)?;

    let mut t = Map::new();
    t.insert("AWSTemplateFormatVersion".into(), json!("2010-09-09"));
    t.insert(
        "Description".into(),
        json!(format!(
            "Highly available Oracle on EC2 with FSx for NetApp ONTAP. {}",
            generated_by(m)
        )),
    );
    t.insert("Parameters".into(), Value::Object(b.params));
    if !b.conditions.is_empty() {
        t.insert("Conditions".into(), Value::Object(b.conditions));
    }
    t.insert("Resources".into(), Value::Object(b.resources));
    if !b.outputs.is_empty() {
        t.insert("Outputs".into(), Value::Object(b.outputs));
    }
    Ok(Some(Value::Object(t)))
}

/// The template's parameters (what the topology leaves to deploy time) and the conditions
/// on them; `launches`: whether the template has instances to launch.
fn parameters(m: &Model, aws: &Aws, zones: &[&str], launches: bool, b: &mut Builder) {
    if !aws.security_groups.is_empty() {
        b.params.insert(
            ids::VPC.into(),
            json!({ "Type": "AWS::EC2::VPC::Id", "Description": "VPC of the Oracle instances and the FSx for ONTAP file system" }),
        );
    }
    for z in zones {
        let az = availability_zone(m, z)
            .map(|a| format!(" ({a})"))
            .unwrap_or_default();
        b.params.insert(ids::subnet(z), json!({ "Type": "AWS::EC2::Subnet::Id", "Description": format!("Subnet of zone {z}{az}") }));
    }
    if aws.fsxn.iter().any(|f| f.deployment_type.is_multi_az()) {
        b.params.insert(
            ids::ROUTE_TABLES.into(),
            json!({ "Type": "CommaDelimitedList", "Description": "Route table IDs (comma-separated) FSx for ONTAP Multi-AZ updates with its floating endpoint IPs" }),
        );
    }
    if launches {
        b.params.insert(
            ids::KEY_NAME.into(),
            json!({ "Type": "String", "Default": "", "Description": "EC2 key pair for SSH (empty: none; use Session Manager)" }),
        );
        b.conditions.insert(
            "HasKeyName".into(),
            json!({ "Fn::Not": [{ "Fn::Equals": [r(ids::KEY_NAME), ""] }] }),
        );
        b.params.insert(
            ids::LAUNCH.into(),
            json!({
                "Type": "String",
                "AllowedValues": ["false", "true"],
                "Default": "false",
                "Description": "Pass 1 (false): storage, security, backup and AMI pipeline. Pass 2 (true, after the LUNs hold Oracle and InitialAmiId is its AMI): the Auto Scaling group",
            }),
        );
        b.conditions.insert(
            ids::LAUNCH_CONDITION.into(),
            json!({ "Fn::Equals": [r(ids::LAUNCH), "true"] }),
        );
    }
    if !aws.ssm_parameters.is_empty() {
        b.params.insert(
            ids::INITIAL_AMI.into(),
            json!({ "Type": "AWS::EC2::Image::Id", "Description": "First value of the AMI parameter (the base AMI of the golden instance); the plan, then the AMI pipeline after each backup, write newer ones" }),
        );
    }
}

/// The SSM parameter of each AMI the launch template resolves.
fn ssm_parameters(aws: &Aws, b: &mut Builder) -> Result<(), RenderError> {
    for p in &aws.ssm_parameters {
        let data_type = match p.data_type.value {
            SsmDataType::Ec2Image => "aws:ec2:image",
            SsmDataType::Text => "text",
        };
        b.add(
            ids::parameter(p.name.as_str()),
            json!({
                "Type": "AWS::SSM::Parameter",
                "Properties": {
                    "Name": p.name.as_str(),
                    "Description": "Newest Oracle host AMI: the launch template resolves it at every launch (resolve:ssm:)",
                    "Type": "String",
                    "DataType": data_type,
                    "Value": r(ids::INITIAL_AMI),
                }
            }),
        )?;
    }
    Ok(())
}

fn security_groups(m: &Model, aws: &Aws, b: &mut Builder) -> Result<(), RenderError> {
    for sg in &aws.security_groups {
        let id = ids::sg(sg.name.as_str());
        let mut inline = Vec::new();
        for i in &sg.ingress {
            let (from, to) = i.port_range().ok_or_else(|| {
                err(T, format!("security group `{}`: `{}` is not a port or an ascending port range in 0-65535", sg.name, i.ports.value))
            })?;
            let proto = protocol(i.protocol.value);
            let mut rule = Map::new();
            rule.insert("IpProtocol".into(), json!(proto));
            rule.insert("FromPort".into(), json!(from));
            rule.insert("ToPort".into(), json!(to));
            let description = port_description(from, to).map_or_else(
                || {
                    format!(
                        "{} {} from {}",
                        proto,
                        port_text(from, to),
                        i.source.as_str()
                    )
                },
                str::to_owned,
            );
            rule.insert("Description".into(), json!(description));
            if i.source_is_cidr() {
                rule.insert("CidrIp".into(), json!(i.source.as_str()));
                inline.push(Value::Object(rule));
            } else {
                let Some(src) = aws.security_group(i.source.as_str()) else {
                    return Err(err(
                        T,
                        format!(
                            "security group `{}`: source `{}` is neither a CIDR block nor a security group of the topology",
                            sg.name, i.source.value
                        ),
                    ));
                };
                // Separate resources: groups may refer to each other without a cycle.
                let range = if from == to {
                    from.to_string()
                } else {
                    format!("{from}to{to}")
                };
                let rid = format!(
                    "{}Ingress{}{}From{}",
                    logical_id(sg.name.as_str(), ""),
                    logical_id(proto, ""),
                    range,
                    logical_id(src.name.as_str(), "")
                );
                rule.insert("GroupId".into(), get_att(&id, "GroupId"));
                rule.insert(
                    "SourceSecurityGroupId".into(),
                    get_att(&ids::sg(src.name.as_str()), "GroupId"),
                );
                b.add(rid, json!({ "Type": "AWS::EC2::SecurityGroupIngress", "Properties": Value::Object(rule) }))?;
            }
        }
        let mut props = Map::new();
        props.insert(
            "GroupDescription".into(),
            json!(format!("{} ({})", sg.name, m.topo.name)),
        );
        props.insert("VpcId".into(), r(ids::VPC));
        if !inline.is_empty() {
            props.insert("SecurityGroupIngress".into(), Value::Array(inline));
        }
        props.insert(
            "Tags".into(),
            json!([{ "Key": "Name", "Value": format!("{}-{}", m.topo.name, sg.name) }]),
        );
        b.add(
            id.clone(),
            json!({ "Type": "AWS::EC2::SecurityGroup", "Properties": Value::Object(props) }),
        )?;
        b.output(
            &id,
            &format!("Security group {}", sg.name),
            get_att(&id, "GroupId"),
        );
    }
    Ok(())
}

fn file_system(m: &Model, f: &Fsxn, b: &mut Builder) -> Result<(), RenderError> {
    let dt = f.deployment_type.value;
    let Some(preferred) = f.zones.first() else {
        return Err(err(T, format!("FSx for ONTAP `{}` lists no zone", f.name)));
    };
    let subnets: Vec<Value> = if dt.is_multi_az() {
        f.zones
            .iter()
            .take(2)
            .map(|z| r(&ids::subnet(z.as_str())))
            .collect()
    } else {
        vec![r(&ids::subnet(preferred.as_str()))]
    };
    let mut ontap = Map::new();
    ontap.insert("DeploymentType".into(), json!(dt.cfn_value()));
    if dt.is_multi_az() {
        ontap.insert(
            "PreferredSubnetId".into(),
            r(&ids::subnet(preferred.as_str())),
        );
        ontap.insert("RouteTableIds".into(), r(ids::ROUTE_TABLES));
    }
    match dt {
        FsxDeployment::MultiAz1 | FsxDeployment::SingleAz1 => {
            ontap.insert("ThroughputCapacity".into(), json!(f.throughput.value));
        }
        FsxDeployment::MultiAz2 | FsxDeployment::SingleAz2 => {
            ontap.insert("HAPairs".into(), json!(1));
            ontap.insert(
                "ThroughputCapacityPerHAPair".into(),
                json!(f.throughput.value),
            );
        }
    }
    ontap.insert("AutomaticBackupRetentionDays".into(), json!(7));
    let fs_id = ids::file_system(f.name.as_str());
    let sgs: Vec<Value> = f
        .security_groups
        .iter()
        .map(|s| get_att(&ids::sg(s.as_str()), "GroupId"))
        .collect();
    let mut props = Map::new();
    props.insert("FileSystemType".into(), json!("ONTAP"));
    props.insert("StorageCapacity".into(), json!(f.storage_gib.value));
    props.insert("SubnetIds".into(), Value::Array(subnets));
    if !sgs.is_empty() {
        props.insert("SecurityGroupIds".into(), Value::Array(sgs));
    }
    props.insert("OntapConfiguration".into(), Value::Object(ontap));
    props.insert(
        "Tags".into(),
        json!([{ "Key": "Name", "Value": format!("{}-{}", m.topo.name, f.name) }]),
    );
    b.add(
        fs_id.clone(),
        json!({ "Type": "AWS::FSx::FileSystem", "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain", "Properties": Value::Object(props) }),
    )?;
    b.output(
        &fs_id,
        &format!("FSx for ONTAP file system {}", f.name),
        r(&fs_id),
    );

    let svm_id = ids::svm(f.name.as_str());
    b.add(
        svm_id.clone(),
        json!({
            "Type": "AWS::FSx::StorageVirtualMachine",
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
            "Properties": {
                "FileSystemId": r(&fs_id),
                "Name": f.svm.as_str(),
                "RootVolumeSecurityStyle": "UNIX",
                "Tags": [{ "Key": "Name", "Value": format!("{}-{}", m.topo.name, f.svm) }],
            }
        }),
    )?;
    b.output(
        &svm_id,
        &format!("Storage virtual machine {} (its iSCSI endpoints: aws fsx describe-storage-virtual-machines)", f.svm),
        get_att(&svm_id, "StorageVirtualMachineId"),
    );
    // One volume per LUN (data, redo/FRA and the Oracle home apart); the LUNs themselves
    // are created in the volumes with the ONTAP CLI (see the plan).
    for l in &f.luns {
        let mb = u64::from(l.size_gib.value) * 1024 * 11 / 10;
        b.add(
            ids::volume(f.name.as_str(), l.name.as_str()),
            json!({
                "Type": "AWS::FSx::Volume",
                "DeletionPolicy": "Retain",
                "UpdateReplacePolicy": "Retain",
                "Properties": {
                    "Name": volume_name(l.name.as_str()),
                    "VolumeType": "ONTAP",
                    "OntapConfiguration": {
                        "StorageVirtualMachineId": get_att(&svm_id, "StorageVirtualMachineId"),
                        "SizeInMegabytes": mb.to_string(),
                        "StorageEfficiencyEnabled": "true",
                        "SecurityStyle": "UNIX",
                        "OntapVolumeType": "RW",
                        "SnapshotPolicy": "none",
                    },
                    "Tags": [{ "Key": "Name", "Value": format!("{}-{}", m.topo.name, l.name) }],
                }
            }),
        )?;
    }
    Ok(())
}

/// An instance's role and profile, its launch template and the Auto Scaling group that
/// keeps it alive.
fn instance(m: &Model, aws: &Aws, inst: &Instance<'_>, b: &mut Builder) -> Result<(), RenderError> {
    let profile = instance_profile(m, inst, b)?;
    let lt = launch_template(m, inst, &profile, b)?;
    auto_scaling_group(m, aws, inst, &lt, b)
}

/// The instance's IAM role and instance profile; returns the profile's logical ID.
fn instance_profile(
    m: &Model,
    inst: &Instance<'_>,
    b: &mut Builder,
) -> Result<String, RenderError> {
    let asg = inst.asg;
    let role = ids::instance_role(asg.name.as_str());
    b.add(
        role.clone(),
        json!({
            "Type": "AWS::IAM::Role",
            "Properties": {
                "Description": format!("Oracle instance of {}: Session Manager, find the FSx for ONTAP iSCSI endpoints", asg.name),
                "AssumeRolePolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [{ "Effect": "Allow", "Principal": { "Service": "ec2.amazonaws.com" }, "Action": "sts:AssumeRole" }]
                },
                "ManagedPolicyArns": [sub("arn:${AWS::Partition}:iam::aws:policy/AmazonSSMManagedInstanceCore")],
                "Policies": [{
                    "PolicyName": "fsx-iscsi-endpoints",
                    "PolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [{ "Effect": "Allow", "Action": "fsx:DescribeStorageVirtualMachines", "Resource": "*" }]
                    }
                }],
            }
        }),
    )?;
    let profile = ids::instance_profile(asg.name.as_str());
    b.add(
        profile.clone(),
        json!({ "Type": "AWS::IAM::InstanceProfile", "Properties": { "InstanceProfileName": instance_profile_name(m, inst), "Roles": [r(&role)] } }),
    )?;
    Ok(profile)
}

/// The launch template, with the user data script; returns its logical ID.
fn launch_template(
    m: &Model,
    inst: &Instance<'_>,
    profile: &str,
    b: &mut Builder,
) -> Result<String, RenderError> {
    // User data: the generated script with the SVM ID spliced in.
    let script = user_data::script(m, inst, true)?;
    let user_data = match (inst.fsxn, script.split_once(user_data::SVM_MARKER)) {
        (Some(f), Some((head, tail))) => {
            json!({ "Fn::Base64": { "Fn::Join": ["", [head, get_att(&ids::svm(f.name.as_str()), "StorageVirtualMachineId"), tail]] } })
        }
        _ => json!({ "Fn::Base64": script }),
    };
    let tags: Vec<Value> = instance_tags(m, inst)
        .into_iter()
        .map(|(k, v)| json!({"Key": k, "Value": v}))
        .collect();
    let sgs: Vec<Value> = inst
        .lt
        .security_groups
        .iter()
        .map(|s| get_att(&ids::sg(s.as_str()), "GroupId"))
        .collect();
    let mut data = Map::new();
    data.insert("ImageId".into(), json!(inst.lt.image.as_str()));
    data.insert("InstanceType".into(), json!(inst.lt.instance_type.as_str()));
    data.insert(
        "IamInstanceProfile".into(),
        json!({ "Arn": get_att(profile, "Arn") }),
    );
    if !sgs.is_empty() {
        data.insert("SecurityGroupIds".into(), Value::Array(sgs));
    }
    data.insert(
        "KeyName".into(),
        json!({ "Fn::If": ["HasKeyName", r(ids::KEY_NAME), r("AWS::NoValue")] }),
    );
    data.insert("MetadataOptions".into(), metadata_options(inst));
    // Instance tags come from the group (PropagateAtLaunch); the volumes get them here.
    data.insert(
        "TagSpecifications".into(),
        json!([{ "ResourceType": "volume", "Tags": tags }]),
    );
    data.insert("UserData".into(), user_data);
    let lt = ids::launch_template(inst.lt.name.as_str());
    b.add(
        lt.clone(),
        json!({
            "Type": "AWS::EC2::LaunchTemplate",
            "Properties": { "LaunchTemplateName": format!("{}-{}", m.topo.name, inst.lt.name), "LaunchTemplateData": Value::Object(data) }
        }),
    )?;
    Ok(lt)
}

/// The Auto Scaling group (one instance, created in pass 2) on launch template `lt`.
fn auto_scaling_group(
    m: &Model,
    aws: &Aws,
    inst: &Instance<'_>,
    lt: &str,
    b: &mut Builder,
) -> Result<(), RenderError> {
    let asg = inst.asg;
    let subnets: Vec<Value> = asg
        .zones
        .iter()
        .map(|z| r(&ids::subnet(z.as_str())))
        .collect();
    let mut asg_tags: Vec<Value> = instance_tags(m, inst)
        .into_iter()
        .map(
            |(k, v)| json!({ "Key": k, "Value": v, "PropagateAtLaunch": asg.propagate_tags.value }),
        )
        .collect();
    asg_tags.sort_by(|a, b| a["Key"].as_str().cmp(&b["Key"].as_str()));
    // The group starts the instance: the AMI parameter and the LUN volumes must exist first.
    let mut depends: Vec<String> = Vec::new();
    if let Some(p) = inst.lt.ssm_parameter()
        && aws.ssm_parameter(p).is_some()
    {
        depends.push(ids::parameter(p));
    }
    if let Some(f) = inst.fsxn {
        depends.extend(
            f.luns
                .iter()
                .map(|l| ids::volume(f.name.as_str(), l.name.as_str())),
        );
    }
    let health = match asg.health_check.value {
        crate::model::AsgHealthCheck::Ec2 => "EC2",
        crate::model::AsgHealthCheck::Elb => "ELB",
    };
    let id = ids::asg(asg.name.as_str());
    let mut res = Map::new();
    res.insert("Type".into(), json!("AWS::AutoScaling::AutoScalingGroup"));
    res.insert("Condition".into(), json!(ids::LAUNCH_CONDITION));
    if !depends.is_empty() {
        res.insert("DependsOn".into(), json!(depends));
    }
    // Never two instances on the shared LUNs: replace by terminating first.
    res.insert(
        "UpdatePolicy".into(),
        json!({ "AutoScalingRollingUpdate": { "MinInstancesInService": 0, "MaxBatchSize": 1 } }),
    );
    res.insert(
        "Properties".into(),
        json!({
            "AutoScalingGroupName": format!("{}-{}", m.topo.name, asg.name),
            "MinSize": asg.min.value.to_string(),
            "MaxSize": asg.max.value.to_string(),
            "DesiredCapacity": asg.desired.value.to_string(),
            "VPCZoneIdentifier": subnets,
            "LaunchTemplate": { "LaunchTemplateId": r(lt), "Version": get_att(lt, "LatestVersionNumber") },
            "HealthCheckType": health,
            "HealthCheckGracePeriod": asg.grace_period.value.as_secs_ceil(),
            "InstanceMaintenancePolicy": { "MinHealthyPercentage": 0, "MaxHealthyPercentage": 100 },
            "Tags": asg_tags,
        }),
    );
    b.add(id.clone(), Value::Object(res))?;
    b.outputs.insert(
        id.clone(),
        json!({ "Condition": ids::LAUNCH_CONDITION, "Description": format!("Auto Scaling group {} (terminate its instance to test failover)", asg.name), "Value": r(&id) }),
    );
    Ok(())
}

/// The backup plan's one rule: schedule into the vault, expiry unless `expires` is false.
fn plan_rule(p: &crate::model::BackupPlan, vault: &str, expires: bool) -> Value {
    let mut rule = Map::new();
    rule.insert("RuleName".into(), json!("oracle-host-ami"));
    rule.insert("TargetBackupVault".into(), r(vault));
    rule.insert("ScheduleExpression".into(), json!(p.schedule.as_str()));
    if expires {
        rule.insert(
            "Lifecycle".into(),
            json!({ "DeleteAfterDays": p.retention_days.value }),
        );
    }
    Value::Object(rule)
}

/// Whether the template encrypts with its own customer-managed key (what it stores at rest:
/// backup recovery points, the AMI updater's logs, environment and dead-letter queue).
fn has_key(aws: &Aws) -> bool {
    !aws.backup_plans.is_empty() || aws.ami_pipeline.is_some()
}

/// The customer-managed KMS key, rotated yearly. The account administers it through IAM;
/// CloudWatch Logs may use it for the AMI updater's log group only.
fn key(m: &Model, aws: &Aws, b: &mut Builder) -> Result<(), RenderError> {
    if !has_key(aws) {
        return Ok(());
    }
    let mut statements = vec![json!({
        "Sid": "AccountAdministersThroughIam",
        "Effect": "Allow",
        "Principal": { "AWS": sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root") },
        "Action": "kms:*",
        "Resource": "*",
    })];
    if let Some(p) = &aws.ami_pipeline {
        statements.push(json!({
            "Sid": "AmiUpdaterLogGroup",
            "Effect": "Allow",
            "Principal": { "Service": sub("logs.${AWS::Region}.amazonaws.com") },
            "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
            "Resource": "*",
            "Condition": { "ArnEquals": { "kms:EncryptionContext:aws:logs:arn": sub(&format!(
                "arn:${{AWS::Partition}}:logs:${{AWS::Region}}:${{AWS::AccountId}}:log-group:/aws/lambda/{}", p.function.as_str()
            )) } },
        }));
    }
    b.add(
        ids::KEY.into(),
        json!({
            "Type": "AWS::KMS::Key",
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
            "Properties": {
                "Description": format!("{}: backup vault, AMI updater logs, environment and dead-letter queue (maa)", m.topo.name),
                "EnableKeyRotation": true,
                "KeyPolicy": { "Version": "2012-10-17", "Statement": statements },
            }
        }),
    )
}

fn backup(m: &Model, aws: &Aws, b: &mut Builder) -> Result<(), RenderError> {
    if aws.backup_plans.is_empty() {
        return Ok(());
    }
    b.add(
        ids::BACKUP_ROLE.into(),
        json!({
            "Type": "AWS::IAM::Role",
            "Properties": {
                "Description": "AWS Backup: create AMIs of the Oracle instance",
                "AssumeRolePolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [{ "Effect": "Allow", "Principal": { "Service": "backup.amazonaws.com" }, "Action": "sts:AssumeRole" }]
                },
                "ManagedPolicyArns": [sub("arn:${AWS::Partition}:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup")],
            }
        }),
    )?;
    // `cleanup: false` on the AMI pipeline keeps every recovery point (AWS010 says what
    // that costs); otherwise AWS Backup expires each one, AMI and snapshots, after
    // `retention_days`.
    let expires = aws.backups_expire();
    for p in &aws.backup_plans {
        let vault = ids::vault(p.name.as_str());
        b.add(
            vault.clone(),
            json!({
                "Type": "AWS::Backup::BackupVault",
                "DeletionPolicy": "Retain",
                "UpdateReplacePolicy": "Retain",
                "Properties": {
                    "BackupVaultName": format!("{}-{}", m.topo.name, p.name),
                    "EncryptionKeyArn": get_att(ids::KEY, "Arn"),
                }
            }),
        )?;
        let plan = ids::backup_plan(p.name.as_str());
        b.add(
            plan.clone(),
            json!({
                "Type": "AWS::Backup::BackupPlan",
                "Properties": {
                    "BackupPlan": {
                        "BackupPlanName": format!("{}-{}", m.topo.name, p.name),
                        "BackupPlanRule": [plan_rule(p, &vault, expires)]
                    }
                }
            }),
        )?;
        let mut selection = Map::new();
        selection.insert("SelectionName".into(), json!(format!("{}-by-tag", p.name)));
        selection.insert("IamRoleArn".into(), get_att(ids::BACKUP_ROLE, "Arn"));
        // Tags as `Conditions` (all must match) ANDed with `Resources`: with `ListOfTags`
        // (any tag) a resource list would widen the selection instead of narrowing it. The
        // tags alone would also select the root volumes the launch template tags (a second
        // recovery point per backup): `Resources` keeps the selection to EC2 instances.
        if !p.selection.tags.is_empty() {
            let tags: Vec<Value> = p
                .selection
                .tags
                .iter()
                .map(|(k, v)| json!({ "ConditionKey": format!("aws:ResourceTag/{k}"), "ConditionValue": v }))
                .collect();
            selection.insert("Conditions".into(), json!({ "StringEquals": tags }));
        }
        let resources: Vec<Value> = if p.selection.resources.is_empty() {
            vec![sub(
                "arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:instance/*",
            )]
        } else {
            p.selection
                .resources
                .iter()
                .map(|r| {
                    if r.starts_with("arn:") {
                        json!(r.as_str())
                    } else {
                        sub(&format!("arn:${{AWS::Partition}}:ec2:${{AWS::Region}}:${{AWS::AccountId}}:instance/{}", r.as_str()))
                    }
                })
                .collect()
        };
        selection.insert("Resources".into(), Value::Array(resources));
        b.add(
            ids::backup_selection(p.name.as_str()),
            json!({ "Type": "AWS::Backup::BackupSelection", "Properties": { "BackupPlanId": r(&plan), "BackupSelection": Value::Object(selection) } }),
        )?;
    }
    Ok(())
}

fn pipeline(m: &Model, aws: &Aws, b: &mut Builder) -> Result<(), RenderError> {
    let Some(p) = &aws.ami_pipeline else {
        return Ok(());
    };
    let Some(env) = lambda::environment(aws) else {
        return Ok(());
    };
    if lambda::SOURCE.len() > lambda::INLINE_LIMIT {
        return Err(err(
            T,
            "the AMI updater source exceeds CloudFormation's 4096-byte inline code limit",
        ));
    }
    let function_name = p.function.as_str();
    b.add(
        ids::FUNCTION_LOGS.into(),
        json!({
            "Type": "AWS::Logs::LogGroup",
            "DeletionPolicy": "Delete",
            "UpdateReplacePolicy": "Delete",
            "Properties": {
                "LogGroupName": format!("/aws/lambda/{function_name}"),
                "RetentionInDays": 30,
                "KmsKeyId": get_att(ids::KEY, "Arn"),
            }
        }),
    )?;
    // Events the function could not handle after Lambda's two retries of an asynchronous
    // invocation: kept 14 days for an operator (the plan says how to look).
    b.add(
        ids::FUNCTION_DLQ.into(),
        json!({
            "Type": "AWS::SQS::Queue",
            "Properties": {
                "MessageRetentionPeriod": 1_209_600,
                "KmsMasterKeyId": get_att(ids::KEY, "Arn"),
            }
        }),
    )?;
    let statements = updater_statements(p);
    b.add(
        ids::FUNCTION_ROLE.into(),
        json!({
            "Type": "AWS::IAM::Role",
            "Properties": {
                "Description": format!("{function_name}: write the newest backup AMI to the SSM parameter"),
                "AssumeRolePolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [{ "Effect": "Allow", "Principal": { "Service": "lambda.amazonaws.com" }, "Action": "sts:AssumeRole" }]
                },
                "Policies": [{ "PolicyName": "ami-updater", "PolicyDocument": { "Version": "2012-10-17", "Statement": statements } }],
            }
        }),
    )?;
    b.add(
        ids::FUNCTION.into(),
        json!({
            "Type": "AWS::Lambda::Function",
            "DependsOn": [ids::FUNCTION_LOGS],
            "Properties": {
                "FunctionName": function_name,
                "Description": format!("Writes the AMI of each completed backup to {} (maa, [AWS-FSXN]); AWS Backup's lifecycle expires old AMIs", p.parameter.value),
                "Runtime": "python3.13",
                "Handler": "index.handler",
                "Role": get_att(ids::FUNCTION_ROLE, "Arn"),
                "Timeout": 120,
                "MemorySize": 128,
                "ReservedConcurrentExecutions": 1,
                "Environment": { "Variables": env },
                "KmsKeyArn": get_att(ids::KEY, "Arn"),
                "DeadLetterConfig": { "TargetArn": get_att(ids::FUNCTION_DLQ, "Arn") },
                "Code": { "ZipFile": lambda::SOURCE },
            },
            "Metadata": { "checkov": { "skip": [{
                "id": "CKV_AWS_117",
                "comment": "Outside a VPC on purpose: the function only calls the SSM and EC2 APIs, and inside a VPC it would need interface endpoints or a NAT gateway to reach them, for no data-path exposure removed",
            }] } },
        }),
    )?;
    backup_trigger(m, aws, b)?;
    b.output(ids::FUNCTION, "AMI updater Lambda", r(ids::FUNCTION));
    Ok(())
}

/// The AMI updater's IAM policy statements. Least privilege: exactly the calls the function
/// makes, on the narrowest resources.
fn updater_statements(p: &AmiPipeline) -> Vec<Value> {
    vec![
        json!({ "Sid": "Logs", "Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Resource": get_att(ids::FUNCTION_LOGS, "Arn") }),
        json!({ "Sid": "WriteAmiParameter", "Effect": "Allow", "Action": "ssm:PutParameter", "Resource": parameter_arn(p.parameter.as_str()) }),
        json!({ "Sid": "ListImages", "Effect": "Allow", "Action": "ec2:DescribeImages", "Resource": "*" }),
        json!({ "Sid": "DeadLetters", "Effect": "Allow", "Action": "sqs:SendMessage", "Resource": get_att(ids::FUNCTION_DLQ, "Arn") }),
        json!({ "Sid": "EnvironmentAndDeadLetterEncryption", "Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": get_att(ids::KEY, "Arn") }),
    ]
}

/// The EventBridge rule that runs the AMI updater after each completed backup of the
/// Oracle instance, and its permission to invoke the function.
fn backup_trigger(m: &Model, aws: &Aws, b: &mut Builder) -> Result<(), RenderError> {
    let vaults: Vec<String> = aws
        .backup_plans
        .iter()
        .map(|bp| format!("{}-{}", m.topo.name, bp.name))
        .collect();
    let mut detail = Map::new();
    detail.insert("state".into(), json!(["COMPLETED"]));
    detail.insert("resourceType".into(), json!(["EC2"]));
    if !vaults.is_empty() {
        detail.insert("backupVaultName".into(), json!(vaults));
    }
    b.add(
        ids::EVENT_RULE.into(),
        json!({
            "Type": "AWS::Events::Rule",
            "Properties": {
                "Description": "Completed AWS Backup jobs of the Oracle instance: update the AMI parameter",
                "EventPattern": { "source": ["aws.backup"], "detail-type": ["Backup Job State Change"], "detail": Value::Object(detail) },
                "State": "ENABLED",
                "Targets": [{ "Arn": get_att(ids::FUNCTION, "Arn"), "Id": "ami-updater" }],
            }
        }),
    )?;
    b.add(
        ids::FUNCTION_PERMISSION.into(),
        json!({
            "Type": "AWS::Lambda::Permission",
            "Properties": {
                "FunctionName": r(ids::FUNCTION),
                "Action": "lambda:InvokeFunction",
                "Principal": "events.amazonaws.com",
                "SourceArn": get_att(ids::EVENT_RULE, "Arn"),
            }
        }),
    )?;
    Ok(())
}

pub(super) fn render(m: &Model) -> Result<Vec<Artifact>, RenderError> {
    let Some(t) = template(m)? else {
        return Ok(Vec::new());
    };
    let mut text = serde_json::to_string_pretty(&t).map_err(|e| err(T, e.to_string()))?;
    text.push('\n');
    Ok(vec![Artifact::new(
        format!("{DIR}/cloudformation.json"),
        text,
    )])
}
