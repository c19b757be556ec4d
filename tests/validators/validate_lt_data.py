#!/usr/bin/env python3
"""Validate EC2 LaunchTemplateData JSON files offline (adapted from the team's validator
reference, validators.md §1 / appendix A).

1. botocore: the EC2 API shape RequestLaunchTemplateData (what
   `aws ec2 create-launch-template --launch-template-data file://x.json` sends):
   unknown keys, wrong types, missing required members. botocore does NOT check enums.
2. cfn-lint: wraps the data in an AWS::EC2::LaunchTemplate resource so the CloudFormation
   resource schema checks enums (InstanceType, HttpTokens, ResourceType ...).

Usage: validate_lt_data.py [--cfn-lint PATH] FILE.json...   Exit 0 when every file passes both.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

import botocore.session
from botocore.validate import ParamValidator


def check_botocore(data):
    model = botocore.session.get_session().get_service_model("ec2")
    shape = model.operation_model("CreateLaunchTemplate").input_shape.members["LaunchTemplateData"]
    report = ParamValidator().validate(data, shape)
    return report.generate_report() if report.has_errors() else ""


def check_cfnlint(cfn_lint, docs):
    """cfn-lint once over every document, each wrapped in its own template; returns
    {path: messages} for the documents with errors or warnings."""
    tmpdir = tempfile.mkdtemp()
    wrapped = {}
    try:
        for i, (path, data) in enumerate(docs):
            tmpl = {"AWSTemplateFormatVersion": "2010-09-09",
                    "Resources": {"LT": {"Type": "AWS::EC2::LaunchTemplate",
                                         "Properties": {"LaunchTemplateData": data}}}}
            name = os.path.join(tmpdir, "lt%03d.json" % i)
            with open(name, "w") as f:
                json.dump(tmpl, f)
            wrapped[name] = path
        if not wrapped:
            return {}
        r = subprocess.run([cfn_lint, "--format", "parseable", "--"] + sorted(wrapped), capture_output=True, text=True)
        found = {}
        for line in (r.stdout + r.stderr).splitlines():
            for name, path in wrapped.items():
                if line.startswith(name + ":"):
                    found.setdefault(path, []).append(line.replace(name, "<wrapped>"))
        # Errors and warnings both fail (bits 2 and 4 of the exit code).
        if r.returncode & 6 and not found:
            found["<cfn-lint>"] = [(r.stdout + r.stderr).strip()]
        return found
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)


def main(argv):
    cfn_lint = None
    if argv[:1] == ["--cfn-lint"]:
        cfn_lint, argv = argv[1], argv[2:]
    cfn_lint = cfn_lint or os.path.join(os.path.dirname(sys.executable), "cfn-lint")
    if not os.path.exists(cfn_lint):
        cfn_lint = shutil.which("cfn-lint")
    if not cfn_lint:
        print("FAIL cfn-lint not found")
        return 1
    rc = 0
    docs = []
    for path in argv:
        try:
            with open(path) as fh:
                docs.append((path, json.load(fh)))
        except ValueError as e:
            print(f"FAIL {path}: invalid JSON: {e}")
            rc = 1
    linted = check_cfnlint(cfn_lint, docs)
    for path in linted.get("<cfn-lint>", []):
        print(f"FAIL cfn-lint: {path}")
        rc = 1
    for path, data in docs:
        errs = [e for e in (check_botocore(data), "\n".join(linted.get(path, []))) if e]
        if errs:
            rc = 1
            print(f"FAIL {path}\n  " + "\n  ".join("\n".join(errs).splitlines()))
        else:
            print(f"ok   {path}")
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
