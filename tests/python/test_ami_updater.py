"""The generated AMI updater Lambda under moto (run by tests/aws_render.rs through the venv).

MAA_LAMBDA_DIR points at the rendered `aws/lambda` directory; MAA_LAMBDA_ENV at its
function.json (the environment the CloudFormation template gives the function).
"""
import importlib.util
import json
import os
import sys

import boto3
import pytest
from moto import mock_aws

REGION = "us-east-1"


def event(ami, state="COMPLETED", resource_type="EC2"):
    """A real EventBridge 'Backup Job State Change' event shape (AWS Backup user guide)."""
    rp = "arn:aws:ec2:%s::image/%s" % (REGION, ami)
    return {
        "version": "0",
        "id": "5f7b29c4-7b0f-3a5e-9e6c-1f0d4d3c2b1a",
        "detail-type": "Backup Job State Change",
        "source": "aws.backup",
        "account": "123456789012",
        "time": "2026-11-21T05:42:17Z",
        "region": REGION,
        "resources": [rp],
        "detail": {
            "backupJobId": "8A5F1D2E-3B4C-4D5E-9F60-718293A4B5C6",
            "backupVaultName": "ledger-oracle-ami",
            "backupVaultArn": "arn:aws:backup:%s:123456789012:backup-vault:ledger-oracle-ami" % REGION,
            "recoveryPointArn": rp,
            "resourceArn": "arn:aws:ec2:%s:123456789012:instance/i-0a1b2c3d4e5f60718" % REGION,
            "creationDate": "2026-11-21T05:00:03.184Z",
            "completionDate": "2026-11-21T05:41:55.902Z",
            "state": state,
            "percentDone": "100.0",
            "backupSizeInBytes": "107374182400",
            "iamRoleArn": "arn:aws:iam::123456789012:role/BackupRole",
            "resourceType": resource_type,
            "backupType": "Backup",
            "isParent": False,
        },
    }


@pytest.fixture()
def fn(monkeypatch):
    env = json.load(open(os.environ["MAA_LAMBDA_ENV"]))["Environment"]["Variables"]
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    path = os.path.join(os.environ["MAA_LAMBDA_DIR"], "ami_updater.py")
    spec = importlib.util.spec_from_file_location("ami_updater", path)
    module = importlib.util.module_from_spec(spec)
    with mock_aws():
        spec.loader.exec_module(module)
        yield module, env


def make_amis(ec2, count):
    """Creates `count` AMIs (oldest first) from one instance."""
    base = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    inst = ec2.run_instances(ImageId=base, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    return [
        ec2.create_image(InstanceId=inst, Name="AwsBackup_%s_%02d" % (inst, i))["ImageId"]
        for i in range(count)
    ]


def test_completed_backup_updates_the_parameter_and_deletes_nothing(fn):
    module, env = fn
    assert sorted(env) == ["PARAMETER_NAME"], "the function is configured by the parameter only"
    ec2 = boto3.client("ec2", region_name=REGION)
    ssm = boto3.client("ssm", region_name=REGION)
    amis = make_amis(ec2, 6)
    ssm.put_parameter(Name=env["PARAMETER_NAME"], Value=amis[0], Type="String", DataType="aws:ec2:image")

    result = module.handler(event(amis[-1]), None)

    assert result == {"updated": True, "ami": amis[-1]}
    assert ssm.get_parameter(Name=env["PARAMETER_NAME"])["Parameter"]["Value"] == amis[-1]
    left = {i["ImageId"] for i in ec2.describe_images(Owners=["self"])["Images"]}
    assert set(amis) <= left, "expiry is AWS Backup's lifecycle: the function deregisters nothing"


def test_a_failed_run_raises_and_the_retry_succeeds(fn, monkeypatch):
    """Lambda retries a failed asynchronous invocation (twice, then the dead-letter queue):
    the function must raise on failure, and handling the same event again must be safe."""
    module, env = fn
    ec2 = boto3.client("ec2", region_name=REGION)
    ssm = boto3.client("ssm", region_name=REGION)
    amis = make_amis(ec2, 2)
    ssm.put_parameter(Name=env["PARAMETER_NAME"], Value=amis[0], Type="String", DataType="aws:ec2:image")
    real_client = boto3.client
    calls = {"n": 0}

    def flaky_client(name, *args, **kwargs):
        client = real_client(name, *args, **kwargs)
        if name == "ssm" and calls["n"] == 0:
            calls["n"] += 1

            def throttled(**_):
                raise ssm.exceptions.InternalServerError(
                    {"Error": {"Code": "InternalServerError", "Message": "injected"}}, "PutParameter"
                )

            client.put_parameter = throttled
        return client

    monkeypatch.setattr(module.boto3, "client", flaky_client)
    with pytest.raises(ssm.exceptions.InternalServerError):
        module.handler(event(amis[1]), None)
    assert ssm.get_parameter(Name=env["PARAMETER_NAME"])["Parameter"]["Value"] == amis[0]
    assert module.handler(event(amis[1]), None) == {"updated": True, "ami": amis[1]}
    assert module.handler(event(amis[1]), None) == {"updated": True, "ami": amis[1]}
    assert ssm.get_parameter(Name=env["PARAMETER_NAME"])["Parameter"]["Value"] == amis[1]


def test_other_events_change_nothing(fn):
    module, env = fn
    ec2 = boto3.client("ec2", region_name=REGION)
    ssm = boto3.client("ssm", region_name=REGION)
    amis = make_amis(ec2, 2)
    ssm.put_parameter(Name=env["PARAMETER_NAME"], Value=amis[0], Type="String", DataType="aws:ec2:image")
    assert module.handler(event(amis[1], state="FAILED"), None) == {"updated": False}
    assert module.handler(event(amis[1], resource_type="EBS"), None) == {"updated": False}
    assert ssm.get_parameter(Name=env["PARAMETER_NAME"])["Parameter"]["Value"] == amis[0]
    assert len(ec2.describe_images(Owners=["self"])["Images"]) == 2


def test_completed_event_without_ami_fails_loudly(fn):
    module, _ = fn
    e = event("ami-0123456789abcdef0")
    e["detail"]["recoveryPointArn"] = "arn:aws:backup:us-east-1:123456789012:recovery-point:x"
    e["resources"] = []
    with pytest.raises(ValueError):
        module.handler(e, None)


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-q"]))
