//! `launch-template`: the EC2 `LaunchTemplateData` of each Auto Scaling group, for users not
//! on CloudFormation (`aws ec2 create-launch-template --launch-template-data file://…`).

use serde_json::{Value, json};

use super::{DIR, Instance, aws_of, instances, user_data};
use crate::render::{Artifact, RenderError};
use crate::resolve::Model;

/// The IAM instance profile name (the CloudFormation template creates it under this name).
pub(crate) fn instance_profile_name(m: &Model, inst: &Instance<'_>) -> String {
    format!("{}-{}-instance", m.topo.name, inst.asg.name)
}

/// The instance's tags: the group's tags plus `Name`, sorted by key.
pub(crate) fn instance_tags(m: &Model, inst: &Instance<'_>) -> Vec<(String, String)> {
    let mut tags: Vec<(String, String)> = inst
        .asg
        .tags
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if !inst.asg.tags.contains_key("Name") {
        tags.push((
            "Name".to_string(),
            format!("{}-{}", m.topo.name, inst.asg.host),
        ));
    }
    tags.sort();
    tags
}

/// `MetadataOptions`: IMDSv2 tokens required unless the model opts out.
pub(crate) fn metadata_options(inst: &Instance<'_>) -> Value {
    json!({
        "HttpEndpoint": "enabled",
        "HttpTokens": if inst.lt.imdsv2.value { "required" } else { "optional" },
        "HttpPutResponseHopLimit": 1,
    })
}

/// The standalone data: no security groups (their IDs exist only once created; pass them
/// with the network interface or `SecurityGroupIds` at deploy time, see docs/aws.md).
fn data(m: &Model, inst: &Instance<'_>) -> Result<Value, RenderError> {
    let script = user_data::script(m, inst, false)?;
    let tags: Vec<Value> = instance_tags(m, inst)
        .into_iter()
        .map(|(k, v)| json!({"Key": k, "Value": v}))
        .collect();
    Ok(json!({
        "ImageId": inst.lt.image.as_str(),
        "InstanceType": inst.lt.instance_type.as_str(),
        "IamInstanceProfile": { "Name": instance_profile_name(m, inst) },
        "MetadataOptions": metadata_options(inst),
        "TagSpecifications": [
            { "ResourceType": "instance", "Tags": tags.clone() },
            { "ResourceType": "volume", "Tags": tags },
        ],
        "UserData": crate::encode::base64(script.as_bytes()),
    }))
}

pub(super) fn render(m: &Model) -> Result<Vec<Artifact>, RenderError> {
    let Some(aws) = aws_of(m) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for inst in instances(m, aws, "launch-template")? {
        let mut text = serde_json::to_string_pretty(&data(m, &inst)?)
            .map_err(|e| super::err("launch-template", e.to_string()))?;
        text.push('\n');
        out.push(Artifact::new(
            format!("{DIR}/launch-template/{}.json", inst.lt.name),
            text,
        ));
    }
    Ok(out)
}
