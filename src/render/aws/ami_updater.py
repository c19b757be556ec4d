"""AMI updater (maa, [AWS-FSXN] Step 3). On a completed AWS Backup job of an EC2 instance:
write the new AMI ID to the SSM parameter the launch template resolves.

It deletes nothing: AWS Backup's lifecycle (the backup plan's DeleteAfterDays) expires each
recovery point with its AMI and snapshots, and EC2 refuses to deregister Backup-managed
images itself. A failure raises, so Lambda retries the event twice and then sends it to
the function's dead-letter queue."""
import os

import boto3

PARAMETER = os.environ["PARAMETER_NAME"]


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


def handler(event, context):
    ami = ami_from_event(event)
    if ami is None:
        return {"updated": False}
    ssm = boto3.client("ssm")
    ssm.put_parameter(Name=PARAMETER, Value=ami, Type="String", DataType="aws:ec2:image", Overwrite=True)
    print("parameter %s = %s" % (PARAMETER, ami))
    return {"updated": True, "ami": ami}
