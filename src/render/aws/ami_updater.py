"""AMI updater (maa, [AWS-FSXN] Step 3). On a completed AWS Backup job of an EC2 instance:
write the new AMI ID to the SSM parameter the launch template resolves, then deregister
the AMIs beyond the newest RETAIN (and delete their snapshots)."""
import os

import boto3

PARAMETER = os.environ["PARAMETER_NAME"]
RETAIN = int(os.environ.get("RETAIN", "3"))
CLEANUP = os.environ.get("CLEANUP", "true") == "true"
TAG_KEY = os.environ.get("AMI_TAG_KEY", "")
TAG_VALUE = os.environ.get("AMI_TAG_VALUE", "")


def ami_from_event(event):
    """The AMI ID of a completed EC2 backup job, None for any other event."""
    detail = event.get("detail") or {}
    if detail.get("state") != "COMPLETED" or detail.get("resourceType") != "EC2":
        return None
    arns = [detail.get("recoveryPointArn") or ""] + list(event.get("resources") or [])
    for arn in arns:
        if ":image/ami-" in arn:
            return arn.rsplit("/", 1)[1]
    raise ValueError("completed EC2 backup job %s has no AMI recovery point" % detail.get("backupJobId"))


def cleanup(ec2, current):
    """Deregisters our AMIs (by tag) beyond the newest RETAIN; never the current one."""
    if not TAG_KEY:
        print("clean-up skipped: AMI_TAG_KEY is not set, so our AMIs cannot be told apart")
        return []
    filters = [{"Name": "state", "Values": ["available"]}, {"Name": "tag:" + TAG_KEY, "Values": [TAG_VALUE]}]
    images = ec2.describe_images(Owners=["self"], Filters=filters)["Images"]
    images.sort(key=lambda i: (i["CreationDate"], i["ImageId"]), reverse=True)
    keep = {i["ImageId"] for i in images[:RETAIN]} | {current}
    removed = []
    for image in images:
        if image["ImageId"] in keep:
            continue
        ec2.deregister_image(ImageId=image["ImageId"])
        for mapping in image.get("BlockDeviceMappings", []):
            snapshot = (mapping.get("Ebs") or {}).get("SnapshotId")
            if snapshot:
                ec2.delete_snapshot(SnapshotId=snapshot)
        removed.append(image["ImageId"])
    return sorted(removed)


def handler(event, context):
    ami = ami_from_event(event)
    if ami is None:
        return {"updated": False}
    ec2 = boto3.client("ec2")
    ssm = boto3.client("ssm")
    ssm.put_parameter(Name=PARAMETER, Value=ami, Type="String", DataType="aws:ec2:image", Overwrite=True)
    removed = cleanup(ec2, ami) if CLEANUP else []
    print("parameter %s = %s; deregistered %s" % (PARAMETER, ami, removed or "none"))
    return {"updated": True, "ami": ami, "deregistered": removed}
