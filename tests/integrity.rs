//! Structural integrity at load time (issue 15, item 3): degenerate input that used to
//! load (and silence rules, or fail only in `render`) is refused with exit 2, a diagnostic
//! with the span (both spans for a duplicate), the platform's limit where one applies, and
//! a help line. Each case is a small change to a topology that loads cleanly.

// Test code: an unwrap/expect that fails is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use serde_json::Value;

/// A small active-passive topology: two single-instance databases in Data Guard, a
/// cluster, a load balancer, Coherence.
const ORACLE: &str = "\
version: 1
name: t
architecture: active-passive
sites:
  - name: dc1
    role: primary
    hosts: [{name: h1}, {name: h2}, {name: lb1}, {name: lb2}]
  - name: dc2
    role: standby
    hosts: [{name: h3}, {name: h4}]
  - name: dc3
    role: witness
    hosts: [{name: obs}]
load_balancers:
  - {name: lb, site: dc1, hosts: [lb1, lb2]}
domains:
  - name: d
    admin_server: {host: h1}
    clusters:
      - name: c
        servers: [{name: s1, host: h1}, {name: s2, host: h2}]
coherence:
  - {name: coh, members: [{host: h1}, {host: h2}]}
databases:
  - name: db1
    type: single
    instances: [{name: i1, host: h1}]
    services: [{name: app}]
  - name: db2
    type: single
    instances: [{name: i2, host: h3}]
    services: [{name: app}]
data_guard:
  - name: dg
    primary: db1
    standbys: [{database: db2}]
    far_syncs: [{name: fs1, host: h2, alternate: fs2}, {name: fs2, host: h4}]
    fast_start_failover: {targets: [db2]}
    observers: [{name: o1, host: obs}]
";

/// A small AWS topology (seed 000's pattern).
const AWS: &str = "\
version: 1
name: t
architecture: single-site
sites:
  - name: use1
    role: primary
    zones:
      - {name: az-a, availability_zone: us-east-1a, hosts: [{name: ora1}]}
      - {name: az-b, availability_zone: us-east-1b}
databases:
  - name: ledger
    type: single
    instances: [{name: LEDGER, host: ora1}]
    storage: fsx
    services: [{name: ledger_rw}]
aws:
  region: us-east-1
  site: use1
  fsxn:
    - name: fsx
      deployment_type: multi-az-1
      zones: [az-a, az-b]
      svm: oracle
      luns:
        - {name: orahome, size_gib: 100, mount: /u01}
        - {name: oradata, size_gib: 1024, mount: /u02}
      security_groups: [storage]
  auto_scaling_groups:
    - {name: asg, min: 1, max: 1, desired: 1, zones: [az-a, az-b], launch_template: lt, host: ora1, database: ledger}
  launch_templates:
    - {name: lt, image: 'resolve:ssm:/ami', instance_type: r6i.xlarge, security_groups: [instances]}
  ssm_parameters:
    - {name: /ami, data_type: 'aws:ec2:image'}
  backup_plans:
    - {name: ami, schedule: 'cron(0 5 ? * * *)', selection: {tags: {Application: Oracle}}}
  security_groups:
    - {name: instances, ingress: [{ports: '1521', source: 10.0.0.0/16}]}
    - {name: storage, ingress: [{ports: '3260', source: instances}]}
";

/// `base` with `from` replaced by `to` (which must occur in it).
fn edit(base: &str, from: &str, to: &str) -> String {
    assert!(base.contains(from), "the base topology holds no `{from}`");
    base.replacen(from, to, 1)
}

fn check(text: &str) -> (i32, Vec<Value>) {
    common::check_json(text)
}

/// The load errors of `text`, which must be refused (exit 2) with `code`; every one of
/// them has a help line. Returns the diagnostics of `code`.
fn refused(text: &str, code: &str, message: &str) -> Vec<Value> {
    let (rc, diags) = check(text);
    assert_eq!(rc, 2, "expected exit 2, got {rc}: {diags:#?}");
    let hits: Vec<Value> = diags
        .iter()
        .filter(|d| d["code"] == code && d["message"].as_str().unwrap().contains(message))
        .cloned()
        .collect();
    assert!(
        !hits.is_empty(),
        "no `{code}` diagnostic saying `{message}`: {diags:#?}"
    );
    for d in &diags {
        let help = d["help"].as_str().unwrap_or("");
        assert!(!help.is_empty(), "no help line: {d:#}");
        assert!(d["line"].as_u64().unwrap() >= 1);
    }
    hits
}

/// A duplicate is shown at both places: the second as the span, the first as a label.
fn both_spans(d: &Value, first: &str, again: &str, text: &str) {
    let offset = |v: &Value| usize::try_from(v["offset"].as_u64().unwrap()).unwrap();
    let len = |v: &Value| usize::try_from(v["length"].as_u64().unwrap()).unwrap();
    let labels = d["labels"].as_array().unwrap();
    assert_eq!(labels.len(), 1, "{d:#}");
    let (a, b) = (offset(&labels[0]), offset(d));
    assert!(a < b, "the first place comes first: {d:#}");
    assert_eq!(&text[a..a + len(&labels[0])], first, "{d:#}");
    assert_eq!(&text[b..b + len(d)], again, "{d:#}");
}

#[test]
fn the_bases_load_cleanly_of_load_errors() {
    for base in [ORACLE, AWS] {
        let (rc, diags) = check(base);
        assert_ne!(rc, 2, "{diags:#?}");
    }
}

#[test]
fn a_standby_listed_twice_is_refused() {
    let text = edit(
        ORACLE,
        "standbys: [{database: db2}]",
        "standbys: [{database: db2}, {database: db2}]",
    );
    let d = refused(
        &text,
        "load/duplicate-member",
        "standby `db2` is listed twice",
    );
    both_spans(&d[0], "db2", "db2", &text);
}

#[test]
fn duplicate_fast_start_failover_targets_observers_and_hosts_are_refused() {
    let text = edit(ORACLE, "targets: [db2]", "targets: [db2, db2]");
    refused(
        &text,
        "load/duplicate-member",
        "target `db2` is listed twice",
    );
    let text = edit(
        ORACLE,
        "observers: [{name: o1, host: obs}]",
        "observers: [{name: o1, host: obs}, {name: o1, host: h4}]",
    );
    let d = refused(
        &text,
        "load/duplicate-name",
        "observer `o1` is declared twice",
    );
    both_spans(&d[0], "o1", "o1", &text);
    let text = edit(ORACLE, "hosts: [lb1, lb2]", "hosts: [lb1, lb1]");
    refused(&text, "load/duplicate-member", "host `lb1` is listed twice");
}

#[test]
fn a_far_sync_that_is_its_own_alternate_is_refused() {
    let text = edit(ORACLE, "alternate: fs2", "alternate: fs1");
    refused(
        &text,
        "load/reference-cycle",
        "far sync `fs1` of Data Guard `dg` is its own alternate",
    );
}

#[test]
fn two_standbys_behind_one_far_sync_with_different_transports_are_refused() {
    // A standby's `transport` with a `far_sync` is the primary's mode to that far sync.
    let with_db3 = edit(
        ORACLE,
        "data_guard:\n",
        "  - name: db3\n    type: single\n    instances: [{name: i3, host: h4}]\n    services: [{name: app}]\ndata_guard:\n",
    );
    let behind = |a: &str, b: &str| {
        edit(
            &with_db3,
            "standbys: [{database: db2}]",
            &format!(
                "standbys: [{{database: db2, {a}far_sync: fs1}}, {{database: db3, {b}far_sync: fs1}}]"
            ),
        )
    };
    let text = behind("transport: sync, ", "transport: async, ");
    let d = refused(
        &text,
        "load/invalid-value",
        "standbys `db2` and `db3` of Data Guard `dg` both receive redo through far sync `fs1` but with different transports (SYNC and ASYNC)",
    );
    both_spans(&d[0], "sync", "async", &text);
    // The same mode, written or by default (SYNC under maximum availability), loads.
    for (a, b) in [
        ("transport: sync, ", ""),
        ("", ""),
        ("transport: async, ", "transport: async, "),
    ] {
        let (rc, diags) = check(&behind(a, b));
        assert_ne!(rc, 2, "{a}/{b}: {diags:#?}");
    }
    // A default SYNC against a written FASTSYNC: refused, shown at the standby's name.
    let text = behind("", "transport: fastsync, ");
    let d = refused(&text, "load/invalid-value", "(SYNC and FASTSYNC)");
    both_spans(&d[0], "db2", "fastsync", &text);
}

#[test]
fn a_data_guard_cycle_is_refused() {
    let text =
        format!("{ORACLE}  - {{name: dg_back, primary: db2, standbys: [{{database: db1}}]}}\n");
    refused(
        &text,
        "load/reference-cycle",
        "is in two Data Guard configurations",
    );
}

#[test]
fn a_domain_that_is_its_own_replica_is_refused() {
    let text = edit(
        ORACLE,
        "  - name: d\n",
        "  - name: d\n    role: passive\n    replica_of: d\n",
    );
    refused(
        &text,
        "load/reference-cycle",
        "domain `d` is a replica of itself",
    );
}

#[test]
fn empty_memberships_are_refused() {
    let text = edit(ORACLE, "instances: [{name: i1, host: h1}]", "instances: []");
    refused(
        &text,
        "load/empty-membership",
        "database `db1` has no instances",
    );
    let text = edit(
        ORACLE,
        "servers: [{name: s1, host: h1}, {name: s2, host: h2}]",
        "servers: []",
    );
    refused(
        &text,
        "load/empty-membership",
        "cluster `c` of domain `d` has no servers",
    );
    let text = edit(ORACLE, "hosts: [lb1, lb2]", "hosts: []");
    refused(
        &text,
        "load/empty-membership",
        "load balancer `lb` has no hosts",
    );
    let text = edit(ORACLE, "standbys: [{database: db2}]", "standbys: []");
    refused(
        &text,
        "load/empty-membership",
        "Data Guard `dg` has no standby",
    );
}

/// Two unrelated databases offering one service name are not redundant: the topology is
/// refused (before, the database SPOF disappeared, `simulate --fail host:h1` reported RTO 0
/// and RPO 0, and tnsnames balanced one alias over both databases).
#[test]
fn a_service_name_shared_by_unrelated_databases_is_refused() {
    let no_dg = ORACLE.split("data_guard:\n").next().unwrap();
    let text = format!("{no_dg}goldengate: []\n");
    let d = refused(
        &text,
        "load/unrelated-service",
        "service `app` is offered by databases `db1` and `db2`",
    );
    both_spans(&d[0], "app", "app", &text);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.yaml");
    std::fs::write(&path, &text).unwrap();
    let out = dir.path().join("out");
    common::maa()
        .args(["simulate", "--fail", "host:h1"])
        .arg(&path)
        .assert()
        .code(2);
    common::maa()
        .arg("render")
        .arg(&path)
        .args(["-t", "tnsnames", "--out"])
        .arg(&out)
        .assert()
        .code(2);
    // The same two databases joined by GoldenGate share the service legitimately.
    let joined = edit(
        &text,
        "goldengate: []",
        "goldengate: [{name: gg, mode: active-active, databases: [db1, db2], schemas: [{name: app}]}]",
    );
    let (rc, diags) = check(&joined);
    assert_ne!(rc, 2, "{diags:#?}");
}

#[test]
fn goldengate_between_one_database_is_refused() {
    let text = edit(
        ORACLE,
        "data_guard:\n",
        "goldengate: [{name: gg, mode: active-active, databases: [db1, db1], schemas: [{name: app}]}]\ndata_guard:\n",
    );
    refused(
        &text,
        "load/duplicate-member",
        "database `db1` is listed twice in GoldenGate `gg`",
    );
    refused(
        &text,
        "load/empty-membership",
        "GoldenGate `gg` replicates between fewer than two databases",
    );
}

#[test]
fn fast_start_failover_values_the_broker_refuses_are_refused() {
    let text = edit(ORACLE, "targets: [db2]}", "targets: [db2], threshold: 0s}");
    let d = refused(&text, "load/invalid-value", "FastStartFailoverThreshold");
    assert!(
        d[0]["message"]
            .as_str()
            .unwrap()
            .contains("at least 6 seconds")
    );
    let text = edit(
        ORACLE,
        "targets: [db2]}",
        "targets: [db2], lag_limit: 0s}\n    protection_mode: max-performance\n    protection_mode_reason: WAN",
    );
    let d = refused(&text, "load/invalid-value", "FastStartFailoverLagLimit");
    assert!(
        d[0]["message"]
            .as_str()
            .unwrap()
            .contains("at least 5 seconds")
    );
    // Zero is the zero-data-loss value in maximum availability.
    let text = edit(ORACLE, "targets: [db2]}", "targets: [db2], lag_limit: 0s}");
    assert_ne!(check(&text).0, 2);
}

#[test]
fn duplicate_aws_names_are_refused() {
    let cases = [
        (
            "  backup_plans:\n",
            "  backup_plans:\n    - {name: ami, schedule: 'cron(0 6 ? * * *)', selection: {tags: {Application: Oracle}}}\n",
            "backup plan `ami` is declared twice",
        ),
        (
            "  security_groups:\n",
            "  security_groups:\n    - {name: storage}\n",
            "security group `storage` is declared twice",
        ),
        (
            "  ssm_parameters:\n",
            "  ssm_parameters:\n    - {name: /ami, data_type: text}\n",
            "SSM parameter `/ami` is declared twice",
        ),
        (
            "  auto_scaling_groups:\n",
            "  auto_scaling_groups:\n    - {name: asg, min: 1, max: 1, desired: 1, zones: [az-a], launch_template: lt, host: ora1}\n",
            "Auto Scaling group `asg` is declared twice",
        ),
        (
            "{name: oradata, size_gib: 1024, mount: /u02}",
            "{name: orahome, size_gib: 1024, mount: /u02}",
            "LUN `orahome` is declared twice",
        ),
    ];
    for (from, to, message) in cases {
        let text = edit(AWS, from, to);
        let d = refused(&text, "load/duplicate-name", message);
        assert_eq!(d[0]["labels"].as_array().unwrap().len(), 1, "{message}");
    }
}

#[test]
fn two_luns_on_one_mount_point_are_refused() {
    let text = edit(AWS, "mount: /u02", "mount: /u01/");
    let d = refused(
        &text,
        "load/duplicate-member",
        "two LUNs are mounted on `/u01`",
    );
    both_spans(&d[0], "/u01", "/u01/", &text);
}

#[test]
fn a_security_group_source_that_names_nothing_is_refused() {
    let text = edit(AWS, "source: instances", "source: instancez");
    let d = refused(
        &text,
        "load/unknown-reference",
        "ingress source `instancez`",
    );
    assert!(
        d[0]["help"]
            .as_str()
            .unwrap()
            .contains("did you mean `instances`?")
    );
}

#[test]
fn aws_values_outside_the_platform_limits_are_refused() {
    let text = edit(
        AWS,
        "database: ledger}",
        "database: ledger, grace_period: 999999999999999999ms}",
    );
    let d = refused(&text, "load/invalid-value", "HealthCheckGracePeriod");
    assert!(d[0]["message"].as_str().unwrap().contains("2147483647"));
    let text = edit(
        AWS,
        "min: 1, max: 1, desired: 1",
        "min: 1, max: 1, desired: 2",
    );
    refused(&text, "load/invalid-value", "min ≤ desired ≤ max");
    let text = edit(AWS, "svm: oracle", "svm: oracle\n      throughput: 500");
    refused(
        &text,
        "load/invalid-value",
        "throughput 500 MB/s is not one Amazon FSx accepts for MULTI_AZ_1",
    );
    // A LUN name the `Name` tag `<topology>-<lun>` cannot hold (AWS: 256 characters).
    let long = "l".repeat(128);
    let text = edit(
        &edit(AWS, "name: t\n", &format!("name: {long}\n")),
        "{name: orahome,",
        &format!("{{name: {long},"),
    );
    let d = refused(&text, "load/invalid-value", "`Name` tag");
    assert!(d[0]["message"].as_str().unwrap().contains("256"));
}
