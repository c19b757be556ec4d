//! AWS render targets (issue 6): snapshots, determinism, the real validators (cfn-lint,
//! botocore's LaunchTemplateData shape, shellcheck, the Lambda under moto), maa's own checks
//! for what cfn-lint misses, and agreement between the AWS rules and the rendered template.

// Test code: an unwrap/expect that fails is a failed test. clippy.toml allows them only in
// #[test] and #[cfg(test)] code, which an integration test's helper functions are not.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use maa::render::Artifact;
use maa::resolve::Model;
use serde_json::Value;

const TARGETS: [&str; 5] = [
    "cloudformation",
    "launch-template",
    "user-data",
    "lambda",
    "plan",
];
const REFERENCE: &str = "topologies/aws-fsxn-asg.yaml";

fn load(path: &Path) -> Model {
    let display = common::rel(path);
    maa::resolve::load_model(path, &display)
        .unwrap_or_else(|e| panic!("{display} does not load: {e:?}"))
}

fn render(path: &Path) -> Vec<Artifact> {
    let m = load(path);
    maa::render::render(&m, &TARGETS).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn artifact<'a>(arts: &'a [Artifact], suffix: &str) -> &'a Artifact {
    arts.iter()
        .find(|a| a.path.ends_with(suffix))
        .unwrap_or_else(|| {
            panic!(
                "no artifact *{suffix} in {:?}",
                arts.iter().map(|a| &a.path).collect::<Vec<_>>()
            )
        })
}

fn template(arts: &[Artifact]) -> Value {
    serde_json::from_str(&artifact(arts, "cloudformation.json").content)
        .unwrap_or_else(|e| panic!("template is not JSON: {e}"))
}

/// Every AWS input: topologies with an `aws` section and the AWS rule fixtures.
fn aws_inputs() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = common::topologies()
        .into_iter()
        .filter(|p| std::fs::read_to_string(p).is_ok_and(|t| t.contains("\naws:")))
        .collect();
    assert!(
        v.iter().any(|p| p.ends_with("aws-fsxn-asg.yaml")),
        "the reference AWS topology is missing"
    );
    let fixtures = common::root().join("tests/fixtures/rules");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&fixtures)
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with("AWS"))
                })
                .collect()
        })
        .unwrap_or_default();
    dirs.sort();
    for d in dirs {
        v.push(d.join("trigger.yaml"));
        v.push(d.join("clean.yaml"));
    }
    v
}

/// A file name for an input: `AWS001-trigger`, `aws-fsxn-asg`.
fn slug(p: &Path) -> String {
    let rel = common::rel(p);
    rel.trim_start_matches("tests/fixtures/rules/")
        .trim_start_matches("topologies/")
        .trim_end_matches(".yaml")
        .replace('/', "-")
}

fn write_all(dir: &Path, files: &[(String, String)]) -> Vec<PathBuf> {
    files
        .iter()
        .map(|(name, content)| {
            let p = dir.join(name);
            std::fs::write(&p, content).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            p
        })
        .collect()
}

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"))
}

// ---------------------------------------------------------------------------------------
// Snapshots and determinism

#[test]
fn reference_artifacts_snapshot() {
    let arts = render(&common::root().join(REFERENCE));
    let paths: Vec<&str> = arts.iter().map(|a| a.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "aws/cloudformation.json",
            "aws/lambda/ami_updater.py",
            "aws/lambda/function.json",
            "aws/launch-template/ora-lt.json",
            "aws/plan.json",
            "aws/plan.md",
            "aws/user-data/ora-lt.sh",
        ]
    );
    for a in &arts {
        let name = a.path.replace('/', "__");
        insta::assert_snapshot!(name, a.content);
    }
    assert!(
        artifact(&arts, "ora-lt.sh").executable,
        "the user data is executable"
    );
}

#[test]
fn render_is_deterministic_in_memory_and_on_disk() {
    for input in aws_inputs() {
        assert_eq!(render(&input), render(&input), "{}", input.display());
    }
    let (a, b) = (tempdir(), tempdir());
    for dir in [a.path(), b.path()] {
        common::maa()
            .args(["render", REFERENCE, "--target", "all", "--out"])
            .arg(dir)
            .assert()
            .success();
    }
    for art in render(&common::root().join(REFERENCE)) {
        let x = std::fs::read(a.path().join(&art.path)).unwrap_or_default();
        let y = std::fs::read(b.path().join(&art.path)).unwrap_or_default();
        assert!(!x.is_empty() && x == y, "{} differs between runs", art.path);
        assert_eq!(
            x,
            art.content.as_bytes(),
            "{} on disk is the rendered content",
            art.path
        );
    }
}

#[test]
fn render_check_detects_drift() {
    let out = tempdir();
    common::maa()
        .args([
            "render",
            REFERENCE,
            "--target",
            "cloudformation",
            "--target",
            "plan",
            "--out",
        ])
        .arg(out.path())
        .assert()
        .code(0);
    common::maa()
        .args([
            "render",
            REFERENCE,
            "--target",
            "cloudformation",
            "--target",
            "plan",
            "--check",
            "--out",
        ])
        .arg(out.path())
        .assert()
        .code(0);
    let plan = out.path().join("aws/plan.md");
    let text = std::fs::read_to_string(&plan).unwrap_or_default();
    // Markdown-escaped in the plan.
    std::fs::write(&plan, text.replace(r"MULTI\_AZ\_1", r"SINGLE\_AZ\_1"))
        .unwrap_or_else(|e| panic!("{e}"));
    common::maa()
        .args(["render", REFERENCE, "--target", "plan", "--check", "--out"])
        .arg(out.path())
        .assert()
        .code(1)
        .stdout(predicates::str::contains(r"MULTI\_AZ\_1"));
}

#[test]
fn non_aws_topologies_render_no_aws_artifacts() {
    for t in common::topologies()
        .into_iter()
        .filter(|p| !aws_inputs().contains(p))
    {
        let m = load(&t);
        for name in TARGETS {
            let arts =
                maa::render::render(&m, &[name]).unwrap_or_else(|e| panic!("{}: {e}", t.display()));
            assert!(
                arts.is_empty(),
                "{} has no aws section but rendered {name}",
                t.display()
            );
        }
    }
}

// ---------------------------------------------------------------------------------------
// Real validators

/// Every AWS template (the reference and each rule fixture), identical ones once, written
/// into `dir`.
fn unique_templates(dir: &Path) -> Vec<PathBuf> {
    let mut seen = BTreeSet::new();
    let files: Vec<(String, String)> = aws_inputs()
        .iter()
        .map(|p| {
            (
                format!("{}.json", slug(p)),
                artifact(&render(p), "cloudformation.json").content.clone(),
            )
        })
        .filter(|(_, c)| seen.insert(c.clone()))
        .collect();
    assert!(
        files.len() >= 14,
        "the reference topology and one template per trigger"
    );
    write_all(dir, &files)
}

#[test]
fn cfn_lint_reports_nothing_for_every_aws_template() {
    let Some(cfn_lint) = common::validator("cfn-lint") else {
        return;
    };
    let dir = tempdir();
    let paths = unique_templates(dir.path());
    let out = Command::new(&cfn_lint)
        .arg("--")
        .args(&paths)
        .output()
        .unwrap_or_else(|e| panic!("cfn-lint: {e}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success() && text.trim().is_empty(),
        "cfn-lint found errors or warnings:\n{text}"
    );
}

/// checkov, the scanner AWS teams run in CI: no failed check on any template; each check
/// skipped carries its reason in the template's metadata.
#[test]
fn checkov_fails_no_check_on_any_aws_template() {
    let Some(checkov) = common::validator("checkov") else {
        return;
    };
    let dir = tempdir();
    let paths = unique_templates(dir.path());
    let out = Command::new(&checkov)
        .args([
            "--framework",
            "cloudformation",
            "--skip-download",
            "--quiet",
            "--compact",
        ])
        .args(["--output", "json", "--directory"])
        .arg(dir.path())
        .env("BC_SKIP_MAPPING", "TRUE")
        .output()
        .unwrap_or_else(|e| panic!("checkov: {e}"));
    let text = String::from_utf8_lossy(&out.stdout);
    let report: Value = serde_json::from_str(&text).unwrap_or_else(|e| {
        panic!(
            "checkov output is not JSON ({e}):\n{text}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let summary = &report["summary"];
    assert!(
        summary["passed"].as_u64().unwrap_or(0) > 50 * paths.len() as u64 / 2,
        "checkov ran too few checks: {summary}"
    );
    // A checkov check that a maa rule also makes fails only on that rule's trigger fixture
    // (the fixture exists to show the violation): maa and checkov agree there.
    const SAME_AS_RULE: &[(&str, &str)] = &[("CKV_AWS_79", "AWS014")];
    let failed: Vec<String> = report["results"]["failed_checks"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| {
            let file = c["file_path"].as_str().unwrap_or_default();
            !SAME_AS_RULE.iter().any(|(check, rule)| {
                c["check_id"] == *check && file.ends_with(&format!("/{rule}-trigger.json"))
            })
        })
        .map(|c| format!("{} {} in {}", c["check_id"], c["resource"], c["file_path"]))
        .collect();
    assert!(
        failed.is_empty(),
        "checkov failed checks:\n{}",
        failed.join("\n")
    );
    for skipped in report["results"]["skipped_checks"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let reason = skipped["check_result"]["suppress_comment"]
            .as_str()
            .unwrap_or("");
        assert!(
            reason.len() > 40,
            "{} skipped without a reason",
            skipped["check_id"]
        );
    }
}

#[test]
fn cfn_lint_pattern_rules_pass_the_reference_and_catch_the_triggers() {
    let Some(cfn_lint) = common::validator("cfn-lint") else {
        return;
    };
    let rules = common::root().join("tests/validators/maa-cfn-rules.txt");
    let dir = tempdir();
    let cases = [
        (REFERENCE, ""),
        (trigger("AWS001"), "(maa AWS001)"),
        (trigger("AWS002"), "(maa AWS002)"),
        (trigger("AWS004"), "AWS004)"),
        (trigger("AWS006"), "(maa AWS006)"),
    ];
    let files: Vec<(String, String)> = cases
        .iter()
        .map(|(input, _)| {
            let p = common::root().join(input);
            (
                format!("{}.json", slug(&p)),
                artifact(&render(&p), "cloudformation.json").content.clone(),
            )
        })
        .collect();
    let paths = write_all(dir.path(), &files);
    let out = Command::new(&cfn_lint)
        .args(["--format", "parseable", "-z"])
        .arg(&rules)
        .arg("--")
        .args(&paths)
        .output()
        .unwrap_or_else(|e| panic!("cfn-lint: {e}"));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    for ((input, expect), path) in cases.iter().zip(&paths) {
        let lines: Vec<&str> = text
            .lines()
            .filter(|l| l.starts_with(&format!("{}:", path.display())))
            .collect();
        if expect.is_empty() {
            assert!(lines.is_empty(), "{input}: {lines:?}");
        } else {
            assert!(
                lines.iter().any(|l| l.contains(expect)),
                "{input}: expected a pattern error with `{expect}`, got {lines:?}"
            );
        }
    }
}

fn trigger(code: &str) -> &'static str {
    match code {
        "AWS001" => "tests/fixtures/rules/AWS001/trigger.yaml",
        "AWS002" => "tests/fixtures/rules/AWS002/trigger.yaml",
        "AWS004" => "tests/fixtures/rules/AWS004/trigger.yaml",
        _ => "tests/fixtures/rules/AWS006/trigger.yaml",
    }
}

#[test]
fn launch_template_data_passes_botocore_shape_and_cfn_lint() {
    let Some(python) = common::venv_python() else {
        return;
    };
    let dir = tempdir();
    let inputs = [
        REFERENCE,
        "tests/fixtures/rules/AWS005/trigger.yaml",
        "tests/fixtures/rules/AWS013/trigger.yaml",
    ];
    let files: Vec<(String, String)> = inputs
        .iter()
        .map(|i| {
            let p = common::root().join(i);
            (
                format!("{}.json", slug(&p)),
                artifact(&render(&p), "launch-template/ora-lt.json")
                    .content
                    .clone(),
            )
        })
        .collect();
    // The validator itself must reject a broken document (it is not a rubber stamp).
    let mut broken: Value = serde_json::from_str(&files[0].1).unwrap_or(Value::Null);
    broken["ImageID"] = broken["ImageId"].clone();
    broken["MetadataOptions"]["HttpTokens"] = Value::from("mandatory");
    let mut all = files.clone();
    all.push(("broken.json".into(), broken.to_string()));
    let paths = write_all(dir.path(), &all);
    let out = Command::new(&python)
        .arg(common::root().join("tests/validators/validate_lt_data.py"))
        .args(&paths)
        .output()
        .unwrap_or_else(|e| panic!("validate_lt_data.py: {e}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    for p in &paths[..files.len()] {
        assert!(
            text.contains(&format!("ok   {}", p.display())),
            "LaunchTemplateData invalid:\n{text}"
        );
    }
    let broken_report = text
        .split(&format!("FAIL {}", paths[files.len()].display()))
        .nth(1)
        .unwrap_or("");
    assert!(
        !out.status.success()
            && broken_report.contains("ImageID")
            && broken_report.contains("mandatory"),
        "{text}"
    );
}

#[test]
fn user_data_passes_shellcheck_and_bash_syntax() {
    let Some(shellcheck) = common::validator("shellcheck") else {
        return;
    };
    let dir = tempdir();
    let mut files = Vec::new();
    for p in aws_inputs() {
        if let Some(a) = render(&p)
            .into_iter()
            .find(|a| a.path.starts_with("aws/user-data/"))
        {
            files.push((format!("{}.sh", slug(&p)), a.content));
        }
    }
    assert!(
        files.len() > 10,
        "expected user data for the reference topology and the fixtures"
    );
    let paths = write_all(dir.path(), &files);
    let out = Command::new(&shellcheck)
        .args(["--shell=bash", "--severity=info"])
        .args(&paths)
        .output()
        .unwrap_or_else(|e| panic!("shellcheck: {e}"));
    assert!(
        out.status.success(),
        "shellcheck:\n{}",
        String::from_utf8_lossy(&out.stdout)
    );
    for p in &paths {
        let out = Command::new("bash")
            .arg("-n")
            .arg(p)
            .output()
            .unwrap_or_else(|e| panic!("bash: {e}"));
        assert!(
            out.status.success(),
            "{}: {}",
            p.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // What the issue asks of the script.
    let reference = render(&common::root().join(REFERENCE));
    let script = &artifact(&reference, "ora-lt.sh").content;
    for needle in [
        "set -Eeuo pipefail",
        "iscsiadm --mode discovery",
        "multipathd",
        "--login",
        "mount -o noatime",
        "oracle-db.service",
        "dbstart",
        "MIN_ENDPOINTS=2",
    ] {
        assert!(script.contains(needle), "user data lacks `{needle}`");
    }
}

#[test]
fn lambda_updates_the_parameter_deletes_nothing_and_survives_a_retry_under_moto() {
    let Some(python) = common::venv_python() else {
        return;
    };
    let out = tempdir();
    let arts = render(&common::root().join(REFERENCE));
    let lambda: Vec<Artifact> = arts
        .into_iter()
        .filter(|a| a.path.starts_with("aws/lambda/"))
        .collect();
    maa::render::write(out.path(), &["lambda"], &lambda).unwrap_or_else(|e| panic!("{e}"));
    let dir = out.path().join("aws/lambda");
    let run = Command::new(&python)
        .args(["-m", "pytest", "-q", "-p", "no:cacheprovider"])
        .arg(common::root().join("tests/python/test_ami_updater.py"))
        .env("MAA_LAMBDA_DIR", &dir)
        .env("MAA_LAMBDA_ENV", dir.join("function.json"))
        .current_dir(out.path())
        .output()
        .unwrap_or_else(|e| panic!("pytest: {e}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(
        run.status.success() && text.contains("4 passed"),
        "the Lambda tests failed:\n{text}"
    );
}

// ---------------------------------------------------------------------------------------
// maa's own checks of the template: what cfn-lint misses (validators.md §1)

/// Problems cfn-lint does not report: FSx deployment type outside the known set, Multi-AZ
/// without two subnets / with a preferred subnet outside them, ports over 65535, an
/// EventBridge target that is not an ARN, a schedule that is not a 6-field cron/rate, a
/// `resolve:ssm:` image whose parameter the template does not create, inline Lambda code
/// over 4096 bytes, non-integer grace period.
fn own_checks(t: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let Some(resources) = t["Resources"].as_object() else {
        return vec!["no Resources".into()];
    };
    let ssm_names: BTreeSet<&str> = resources
        .values()
        .filter(|r| r["Type"] == "AWS::SSM::Parameter")
        .filter_map(|r| r["Properties"]["Name"].as_str())
        .collect();
    let cron = regex::Regex::new(
        r"^(cron\((\S+ ){5}\S+\)|rate\(\d+ (minute|minutes|hour|hours|day|days)\))$",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    for (id, r) in resources {
        let p = &r["Properties"];
        match r["Type"].as_str().unwrap_or("") {
            "AWS::FSx::FileSystem" => {
                let dt = p["OntapConfiguration"]["DeploymentType"]
                    .as_str()
                    .unwrap_or("");
                if !["MULTI_AZ_1", "MULTI_AZ_2", "SINGLE_AZ_1", "SINGLE_AZ_2"].contains(&dt) {
                    problems.push(format!("{id}: unknown DeploymentType {dt}"));
                }
                let subnets: BTreeSet<String> = p["SubnetIds"]
                    .as_array()
                    .map(|a| a.iter().map(Value::to_string).collect())
                    .unwrap_or_default();
                if dt.starts_with("MULTI_AZ") {
                    if subnets.len() != 2 {
                        problems.push(format!(
                            "{id}: Multi-AZ needs exactly two subnets, has {}",
                            subnets.len()
                        ));
                    }
                    if !subnets.contains(&p["OntapConfiguration"]["PreferredSubnetId"].to_string())
                    {
                        problems.push(format!("{id}: PreferredSubnetId is not one of SubnetIds"));
                    }
                }
            }
            "AWS::EC2::SecurityGroup" | "AWS::EC2::SecurityGroupIngress" => {
                let rules: Vec<&Value> = if r["Type"] == "AWS::EC2::SecurityGroup" {
                    p["SecurityGroupIngress"]
                        .as_array()
                        .map(|a| a.iter().collect())
                        .unwrap_or_default()
                } else {
                    vec![p]
                };
                for rule in rules {
                    let (from, to) = (
                        rule["FromPort"].as_u64().unwrap_or(u64::MAX),
                        rule["ToPort"].as_u64().unwrap_or(u64::MAX),
                    );
                    if from > to || to > 65535 {
                        problems.push(format!("{id}: port range {from}-{to}"));
                    }
                }
            }
            "AWS::Events::Rule" => {
                for target in p["Targets"].as_array().into_iter().flatten() {
                    let arn = &target["Arn"]["Fn::GetAtt"];
                    if arn.get(1).and_then(Value::as_str) != Some("Arn") {
                        problems.push(format!(
                            "{id}: target {} is not an ARN (Fn::GetAtt …Arn)",
                            target["Arn"]
                        ));
                    }
                }
            }
            "AWS::Backup::BackupPlan" => {
                for rule in p["BackupPlan"]["BackupPlanRule"]
                    .as_array()
                    .into_iter()
                    .flatten()
                {
                    let s = rule["ScheduleExpression"].as_str().unwrap_or("");
                    if !cron.is_match(s) {
                        problems.push(format!(
                            "{id}: ScheduleExpression `{s}` is not a 6-field cron() or rate()"
                        ));
                    }
                }
            }
            "AWS::EC2::LaunchTemplate" => {
                let image = p["LaunchTemplateData"]["ImageId"].as_str().unwrap_or("");
                if let Some(param) = image.strip_prefix("resolve:ssm:")
                    && !ssm_names.contains(param)
                {
                    problems.push(format!(
                        "{id}: ImageId resolves `{param}`, which the template does not create"
                    ));
                }
            }
            "AWS::Lambda::Function"
                if p["Code"]["ZipFile"]
                    .as_str()
                    .is_some_and(|c| c.len() > 4096) =>
            {
                problems.push(format!("{id}: inline code over 4096 bytes"));
            }
            "AWS::AutoScaling::AutoScalingGroup" if !p["HealthCheckGracePeriod"].is_u64() => {
                problems.push(format!("{id}: HealthCheckGracePeriod is not an integer"));
            }
            _ => {}
        }
    }
    problems
}

#[test]
fn own_template_checks_pass_every_aws_template_and_catch_mutations() {
    for input in aws_inputs()
        .into_iter()
        .filter(|p| !p.ends_with("trigger.yaml"))
    {
        let t = template(&render(&input));
        assert_eq!(own_checks(&t), Vec::<String>::new(), "{}", input.display());
    }
    // Each mutation is one cfn-lint misses (validators.md §1); the checks must see it.
    let t = template(&render(&common::root().join(REFERENCE)));
    type Mutation = (&'static str, fn(&mut Value));
    let mutations: [Mutation; 6] = [
        ("DeploymentType", |t| {
            t["Resources"]["OraFsxnFileSystem"]["Properties"]["OntapConfiguration"]["DeploymentType"] =
                "MULTI_AZ_3".into()
        }),
        ("two subnets", |t| {
            if let Some(a) =
                t["Resources"]["OraFsxnFileSystem"]["Properties"]["SubnetIds"].as_array_mut()
            {
                a.truncate(1);
            }
        }),
        ("port range", |t| {
            t["Resources"]["FsxnStorageIngressTcp3260FromOracleInstances"]["Properties"]["ToPort"] =
                70000.into()
        }),
        ("not an ARN", |t| {
            t["Resources"]["BackupCompletedRule"]["Properties"]["Targets"][0]["Arn"] =
                serde_json::json!({"Ref": "AmiUpdaterFunction"})
        }),
        ("6-field cron", |t| {
            t["Resources"]["OracleAmiBackupPlan"]["Properties"]["BackupPlan"]["BackupPlanRule"][0]
                ["ScheduleExpression"] = "every day at 2".into()
        }),
        ("does not create", |t| {
            t["Resources"]["OraLtLaunchTemplate"]["Properties"]["LaunchTemplateData"]["ImageId"] =
                "resolve:ssm:/other".into()
        }),
    ];
    for (needle, mutate) in mutations {
        let mut m = t.clone();
        mutate(&mut m);
        let problems = own_checks(&m);
        assert!(
            problems.iter().any(|p| p.contains(needle)),
            "mutation `{needle}` not caught: {problems:?}"
        );
    }
}

/// A port outside 0-65535 matches the schema's digits pattern; the loader refuses it with
/// the range in the message (it used to load and fail only in `render`).
#[test]
fn load_refuses_ports_outside_0_to_65535() {
    let text = std::fs::read_to_string(common::root().join(REFERENCE))
        .unwrap_or_default()
        .replace(r#"ports: "3260""#, r#"ports: "70000""#);
    let dir = tempdir();
    let p = dir.path().join("bad-port.yaml");
    std::fs::write(&p, text).unwrap_or_else(|e| panic!("{e}"));
    let errors = maa::resolve::load_model(&p, "bad-port.yaml")
        .err()
        .unwrap_or_default();
    assert!(
        errors.iter().any(|d| d.code == "load/invalid-value"
            && d.message.contains("`70000`")
            && d.message.contains("0 to 65535")),
        "expected a load error for port 70000, got {errors:?}"
    );
}

// ---------------------------------------------------------------------------------------
// Rules agree with the render

/// The AWS rule codes the rendered template itself exhibits, derived from the template alone.
fn template_violations(t: &Value) -> BTreeSet<&'static str> {
    let mut v = BTreeSet::new();
    let empty = serde_json::Map::new();
    let res = t["Resources"].as_object().unwrap_or(&empty);
    let of = |ty: &str| {
        res.iter()
            .filter(move |(_, r)| r["Type"] == ty)
            .map(|(id, r)| (id.as_str(), &r["Properties"]))
            .collect::<Vec<_>>()
    };
    let asgs = of("AWS::AutoScaling::AutoScalingGroup");
    let lts = of("AWS::EC2::LaunchTemplate");
    let lambdas = of("AWS::Lambda::Function");
    let env = lambdas
        .first()
        .map(|(_, p)| p["Environment"]["Variables"].clone())
        .unwrap_or(Value::Null);
    let selections = of("AWS::Backup::BackupSelection");

    for (fs_id, fs) in of("AWS::FSx::FileSystem") {
        let subnets: BTreeSet<String> = fs["SubnetIds"]
            .as_array()
            .map(|a| a.iter().map(Value::to_string).collect())
            .unwrap_or_default();
        if !fs["OntapConfiguration"]["DeploymentType"]
            .as_str()
            .unwrap_or("")
            .starts_with("MULTI_AZ")
            || subnets.len() < 2
        {
            v.insert("AWS001");
        }
        // AWS012: required TCP ports from the instances' security group.
        let fs_sgs: BTreeSet<String> = fs["SecurityGroupIds"]
            .as_array()
            .map(|a| a.iter().map(Value::to_string).collect())
            .unwrap_or_default();
        let inst_sgs: BTreeSet<String> = lts
            .iter()
            .flat_map(|(_, p)| {
                p["LaunchTemplateData"]["SecurityGroupIds"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
            })
            .map(|s| s.to_string())
            .collect();
        let ingress = of("AWS::EC2::SecurityGroupIngress");
        let covered = |port: u64| {
            ingress.iter().any(|(_, p)| {
                p["IpProtocol"] == "tcp"
                    && fs_sgs.contains(&p["GroupId"].to_string())
                    && inst_sgs.contains(&p["SourceSecurityGroupId"].to_string())
                    && p["FromPort"].as_u64().is_some_and(|f| f <= port)
                    && p["ToPort"].as_u64().is_some_and(|t| port <= t)
            })
        };
        // The protocols the file system's volumes are reached over: a volume with a junction
        // path is mounted over NFS; one without holds iSCSI LUNs. Management ports always.
        let svms: BTreeSet<String> = of("AWS::FSx::StorageVirtualMachine")
            .into_iter()
            .filter(|(_, p)| p["FileSystemId"] == serde_json::json!({ "Ref": fs_id }))
            .map(|(id, _)| id.to_owned())
            .collect();
        let volumes: Vec<&Value> = of("AWS::FSx::Volume")
            .into_iter()
            .map(|(_, p)| p)
            .filter(|p| {
                let svm = &p["OntapConfiguration"]["StorageVirtualMachineId"]["Fn::GetAtt"][0];
                svm.as_str().is_some_and(|s| svms.contains(s))
            })
            .collect();
        let nfs = volumes
            .iter()
            .any(|p| !p["OntapConfiguration"]["JunctionPath"].is_null());
        let iscsi = volumes
            .iter()
            .any(|p| p["OntapConfiguration"]["JunctionPath"].is_null());
        let mut ports = vec![443, 22];
        if iscsi {
            ports.push(3260);
        }
        if nfs {
            ports.extend([111, 635, 2049, 4045, 4046]);
        }
        if fs_sgs.is_empty() || !ports.into_iter().all(covered) {
            v.insert("AWS012");
        }
    }
    for (_, a) in &asgs {
        if ["MinSize", "MaxSize", "DesiredCapacity"]
            .iter()
            .any(|k| a[*k] != "1")
        {
            v.insert("AWS002");
        }
        let subnets: BTreeSet<String> = a["VPCZoneIdentifier"]
            .as_array()
            .map(|s| s.iter().map(Value::to_string).collect())
            .unwrap_or_default();
        if subnets.len() < 2 {
            v.insert("AWS003");
        }
        if a["HealthCheckGracePeriod"].as_u64().unwrap_or(0) < 300 {
            v.insert("AWS004");
        }
        let tags: BTreeMap<String, (String, bool)> = a["Tags"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|t| {
                (
                    t["Key"].as_str().unwrap_or("").to_string(),
                    (
                        t["Value"].as_str().unwrap_or("").to_string(),
                        t["PropagateAtLaunch"] == true,
                    ),
                )
            })
            .collect();
        if tags.values().any(|(_, p)| !p) {
            v.insert("AWS008");
        }
        for (_, s) in &selections {
            for c in s["BackupSelection"]["ListOfTags"]
                .as_array()
                .into_iter()
                .flatten()
            {
                let (k, val) = (
                    c["ConditionKey"].as_str().unwrap_or(""),
                    c["ConditionValue"].as_str().unwrap_or(""),
                );
                if tags.get(k).map(|(x, _)| x.as_str()) != Some(val) {
                    v.insert("AWS008");
                }
            }
        }
        if lambdas.is_empty() || of("AWS::Backup::BackupPlan").is_empty() {
            v.insert("AWS009");
        }
    }
    for (_, lt) in &lts {
        let d = &lt["LaunchTemplateData"];
        if d["MetadataOptions"]["HttpTokens"] != "required" {
            v.insert("AWS014");
        }
        match d["ImageId"]
            .as_str()
            .and_then(|i| i.strip_prefix("resolve:ssm:"))
        {
            None => {
                v.insert("AWS005");
            }
            Some(param) => {
                let declared = of("AWS::SSM::Parameter")
                    .iter()
                    .any(|(_, p)| p["Name"] == param);
                if !declared || (!env.is_null() && env["PARAMETER_NAME"] != param) {
                    v.insert("AWS005");
                }
            }
        }
        let script: String = d["UserData"]["Fn::Base64"]["Fn::Join"][1]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        if script.contains("MULTIPATH='no'") {
            v.insert("AWS013");
        }
    }
    for (_, p) in of("AWS::SSM::Parameter") {
        if p["DataType"] != "aws:ec2:image" {
            v.insert("AWS006");
        }
    }
    for (_, s) in &selections {
        let sel = &s["BackupSelection"];
        // A named instance (not the `instance/*` scope the tag conditions narrow).
        let by_id = sel["Resources"].as_array().into_iter().flatten().any(|r| {
            r.to_string().contains(":instance/") && !r.to_string().contains(":instance/*")
        });
        let tags = sel["Conditions"]["StringEquals"].as_array();
        if by_id || (tags.is_none_or(Vec::is_empty) && !asgs.is_empty()) {
            v.insert("AWS007");
        }
    }
    // With an AMI pipeline, a backup plan rule without a lifecycle keeps every AMI.
    if !lambdas.is_empty()
        && of("AWS::Backup::BackupPlan").iter().any(|(_, p)| {
            p["BackupPlan"]["BackupPlanRule"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|r| r["Lifecycle"].is_null())
        })
    {
        v.insert("AWS010");
    }
    for (_, sg) in of("AWS::EC2::SecurityGroup") {
        if sg["SecurityGroupIngress"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|r| r["CidrIp"] == "0.0.0.0/0")
        {
            v.insert("AWS011");
        }
    }
    v
}

#[test]
fn aws_rules_agree_with_the_rendered_template() {
    for input in aws_inputs() {
        let m = load(&input);
        let from_rules: BTreeSet<String> = maa::rules::check(&m)
            .into_iter()
            .map(|d| d.code)
            .filter(|c| c.starts_with("AWS"))
            .collect();
        let from_template: BTreeSet<String> = template_violations(&template(&render(&input)))
            .into_iter()
            .map(String::from)
            .collect();
        assert_eq!(
            from_rules,
            from_template,
            "{}: `maa check` and the rendered template disagree",
            input.display()
        );
    }
}

#[test]
fn a_topology_that_renders_a_single_az_file_system_fails_check() {
    let input = "tests/fixtures/rules/AWS001/trigger.yaml";
    let out = tempdir();
    common::maa()
        .args(["render", input, "--target", "cloudformation", "--out"])
        .arg(out.path())
        .assert()
        .success();
    let t: Value = serde_json::from_str(
        &std::fs::read_to_string(out.path().join("aws/cloudformation.json")).unwrap_or_default(),
    )
    .unwrap_or(Value::Null);
    assert_eq!(
        t["Resources"]["OraFsxnFileSystem"]["Properties"]["OntapConfiguration"]["DeploymentType"],
        "SINGLE_AZ_1"
    );
    common::maa()
        .args(["check", input])
        .assert()
        .code(1)
        .stdout(predicates::str::contains("AWS001"));
    common::maa().args(["check", REFERENCE]).assert().code(0);
}

// ---------------------------------------------------------------------------------------
// Escaping

#[test]
fn tag_values_reach_the_template_verbatim_and_aws_rejects_are_refused() {
    let reference = std::fs::read_to_string(common::root().join(REFERENCE)).unwrap_or_default();
    let dir = tempdir();
    let p = dir.path().join("tags.yaml");
    // Every kind of character AWS accepts in a tag.
    let value = "l\u{e9}d ger_1.2:3/4=5+6-7@8";
    let text = reference.replace("Database: ledger", &format!("Database: \"{value}\""));
    std::fs::write(&p, text).unwrap_or_else(|e| panic!("{e}"));
    let t = template(&render(&p));
    let tags = t["Resources"]["OraAsgAutoScalingGroup"]["Properties"]["Tags"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        tags.iter()
            .any(|t| t["Key"] == "Database" && t["Value"] == value),
        "{tags:?}"
    );
    // Quotes, backslashes, shell and template syntax, line breaks: refused at load time.
    let text = reference.replace("Database: ledger", r#"Database: "led\"ger\\ $(x) {{y}}\n""#);
    std::fs::write(&p, text).unwrap_or_else(|e| panic!("{e}"));
    let e = maa::resolve::load_model(&p, "tags.yaml").expect_err("a tag AWS rejects loads");
    assert_eq!(e[0].code, "load/invalid-value", "{e:?}");
    assert!(e[0].message.contains("AWS tag value"), "{e:?}");
}

mod shell_quoting {
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]
        /// Whatever the value, bash reads back exactly that value from `sh_quote`.
        #[test]
        fn bash_reads_back_the_quoted_value(s in "[^\u{0}]{0,40}") {
            let script = format!("printf '%s' {}", maa::render::aws::sh_quote(&s));
            let out = std::process::Command::new("bash").arg("-c").arg(&script).output().map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(String::from_utf8_lossy(&out.stdout).into_owned(), s);
        }
    }
}

/// `retain` (a count of AMIs the function used to keep by deregistering older ones) is
/// refused with the way forward: AWS Backup's lifecycle expires AMIs, the function deletes
/// nothing.
#[test]
fn retain_is_refused_with_the_lifecycle_as_the_fix() {
    let text = std::fs::read_to_string(common::root().join(REFERENCE)).unwrap();
    let anchor = "    cleanup: true";
    assert!(text.contains(anchor));
    let dir = tempdir();
    let path = dir.path().join("t.yaml");
    std::fs::write(
        &path,
        text.replacen(anchor, "    retain: 3\n    cleanup: true", 1),
    )
    .unwrap();
    let out = common::maa()
        .args(["check", "--format", "json"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = &report["diagnostics"][0];
    assert_eq!(d["code"], "load/invalid-value", "{report}");
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("`retain` is no longer supported")
    );
    assert!(d["help"].as_str().unwrap().contains("retention_days"));
}
