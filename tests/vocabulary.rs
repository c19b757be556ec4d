//! Issue 15, item 2: the vocabulary a design could not be written in before (RAC One Node,
//! standby type, application artifact storage, clusterware per database, driver and version
//! per client) loads, is used by the simulator and the renderers, and is refused where it
//! contradicts itself. The rules that use it have their fixtures in
//! tests/fixtures/rules/{CLI008,CLI009,CLI010,CLI011,DB014,WLS022}; these are the variants.

// Test code: an unwrap/expect that fails is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use maa::analysis::{Analysis, Simulator};
use maa::diagnostic::Diagnostic;
use maa::model::Duration;
use maa::resolve::Model;

fn read(rel: &str) -> String {
    std::fs::read_to_string(common::root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// `text` with each `(from, to)` replaced once; a pattern that is not there fails the test.
fn edit(mut text: String, edits: &[(&str, &str)]) -> String {
    for (from, to) in edits {
        assert!(text.contains(from), "the text no longer contains {from:?}");
        text = text.replacen(from, to, 1);
    }
    text
}

fn load(text: &str) -> Result<Model, Vec<Diagnostic>> {
    let loaded = maa::load::load_str("variant.yaml", text.to_owned())
        .unwrap_or_else(|e| panic!("variant does not parse: {e:?}"));
    maa::resolve::resolve(loaded)
}

fn model(text: &str) -> Model {
    load(text).unwrap_or_else(|e| {
        panic!(
            "variant: {:?}",
            e.iter().map(|d| &d.message).collect::<Vec<_>>()
        )
    })
}

fn findings(code: &str, text: &str) -> Vec<String> {
    maa::rules::check(&model(text))
        .into_iter()
        .filter(|d| d.code == code)
        .map(|d| d.message)
        .collect()
}

/// The steps (mechanism, text, by) of every affected service when `fail` fails, and the
/// worst RTO.
fn simulate(m: &Model, fail: &str) -> (Option<Duration>, Vec<String>) {
    let a = Analysis::new(m);
    let id = a
        .graph
        .lookup(fail)
        .unwrap_or_else(|e| panic!("{fail}: {e}"));
    let sc = Simulator::new(m, &a.graph).run(&[id], true);
    let rto = sc.apps.iter().filter_map(|r| r.rto).max();
    let steps = sc
        .apps
        .iter()
        .flat_map(|r| r.steps.iter())
        .map(|s| format!("[{}] {} ({:?})", s.mechanism, s.what, s.by))
        .collect();
    (rto, steps)
}

const STARTER: &str = "topologies/starter.yaml";
const BASE: &str = "tests/fixtures/rules/_gen/base.yaml";

fn starter_with(db_edit: &str) -> String {
    edit(read(STARTER), &[("    type: single\n", db_edit)])
}

// Clusterware.

#[test]
fn an_instance_without_clusterware_is_restarted_by_an_operator_and_under_oracle_restart_by_itself()
{
    let none = model(&starter_with("    type: single\n    clusterware: none\n"));
    let (rto_none, steps) = simulate(&none, "instance:appdb.appdb1");
    assert!(
        steps.iter().any(|s| s.contains("operator notices")
            && s.contains("no Oracle Restart, Grid Infrastructure")),
        "{steps:#?}"
    );
    let restart = model(&starter_with(
        "    type: single\n    clusterware: restart\n",
    ));
    let (rto_restart, steps) = simulate(&restart, "instance:appdb.appdb1");
    assert!(
        steps
            .iter()
            .any(|s| s.contains("Oracle Restart restarts instance")),
        "{steps:#?}"
    );
    assert!(rto_none > rto_restart, "{rto_none:?} vs {rto_restart:?}");
}

#[test]
fn rac_and_rac_one_node_run_only_under_grid_infrastructure() {
    for (ty, cw) in [("rac", "restart"), ("rac-one-node", "none")] {
        let t = starter_with(&format!("    type: {ty}\n    clusterware: {cw}\n"));
        let errors = load(&t).err().unwrap_or_default();
        assert!(
            errors.iter().any(|d| d
                .message
                .contains("runs only under Oracle Grid Infrastructure")),
            "{ty}/{cw}: {:?}",
            errors.iter().map(|d| &d.message).collect::<Vec<_>>()
        );
    }
    assert!(load(&starter_with("    type: rac\n    clusterware: grid\n")).is_ok());
}

#[test]
fn srvctl_is_rendered_only_for_a_database_with_clusterware() {
    let paths = |t: &str| -> Vec<String> {
        maa::render::render(&model(t), &["srvctl"])
            .unwrap()
            .into_iter()
            .map(|a| a.path)
            .collect()
    };
    assert_eq!(
        paths(&starter_with(
            "    type: single\n    clusterware: restart\n"
        )),
        ["srvctl/appdb.sh"]
    );
    assert!(paths(&starter_with("    type: single\n    clusterware: none\n")).is_empty());
}

// RAC One Node.

#[test]
fn rac_one_node_survives_a_node_loss_by_a_restart_on_another_candidate_node() {
    let t = edit(
        read(STARTER),
        &[
            (
                "      - name: db1\n",
                "      - name: db1\n      - name: db2\n",
            ),
            ("    type: single\n", "    type: rac-one-node\n"),
            (
                "    instances: [{name: appdb1, host: db1}]",
                "    instances: [{name: appdb1, host: db1}, {name: appdb2, host: db2}]",
            ),
        ],
    );
    let m = model(&t);
    let (rto, steps) = simulate(&m, "host:db1");
    let rto = rto.expect("recovers");
    // node_eviction 30s + database_restart 5m + reconnect 5s: a restart, not an FCF hop.
    assert!(rto >= Duration::secs(30 + 300), "RTO {rto}: {steps:#?}");
    assert!(
        steps
            .iter()
            .any(|s| s.starts_with("[rac-one-node-relocation]")),
        "{steps:#?}"
    );
    // The candidate node that runs nothing is not missed.
    let (rto2, steps2) = simulate(&m, "host:db2");
    assert!(rto2.is_none() && steps2.is_empty(), "{rto2:?} {steps2:#?}");
}

// Standby type.

#[test]
fn a_failover_to_a_snapshot_standby_is_manual_and_converts_it_first() {
    let t = edit(
        read(BASE),
        &[(
            "{database: db_dc2, transport: sync, active: true}",
            "{database: db_dc2, type: snapshot, transport: sync}",
        )],
    );
    let (_, steps) = simulate(&model(&t), "site:dc1");
    assert!(
        steps
            .iter()
            .any(|s| s.contains("converted to a physical standby")),
        "{steps:#?}"
    );
    assert!(
        !steps.iter().any(|s| s.starts_with("[fast-start-failover]")),
        "{steps:#?}"
    );
}

#[test]
fn dgmgrl_leaves_a_snapshot_standby_out_of_the_fast_start_failover_targets() {
    let t = edit(
        read(BASE),
        &[(
            "{database: db_dc2, transport: sync, active: true}",
            "{database: db_dc2, type: snapshot, transport: sync}",
        )],
    );
    let out = maa::render::render(&model(&t), &["dgmgrl"]).unwrap();
    let script = &out
        .iter()
        .find(|a| a.path == "dgmgrl/app_dg.dgmgrl")
        .unwrap()
        .content;
    assert!(!script.contains("FastStartFailoverTarget"), "{script}");
    assert!(
        script.contains("CONVERT DATABASE 'db_dc2' TO SNAPSHOT STANDBY;"),
        "{script}"
    );
    let logical = edit(
        read(BASE),
        &[(
            "{database: db_dc2, transport: sync, active: true}",
            "{database: db_dc2, type: logical, transport: sync}",
        )],
    );
    let out = maa::render::render(&model(&logical), &["dgmgrl"]).unwrap();
    let script = &out
        .iter()
        .find(|a| a.path == "dgmgrl/app_dg.dgmgrl")
        .unwrap()
        .content;
    assert!(script.contains("MAINTAINED AS LOGICAL;"), "{script}");
    assert!(
        script.contains("FastStartFailoverTarget='db_dc2'"),
        "{script}"
    );
}

// Application artifacts.

#[test]
fn artifacts_must_say_where_they_are_or_how_copies_are_kept_the_same() {
    for (artifacts, field) in [
        ("{layout: shared}", "storage"),
        ("{layout: per-node}", "sync"),
    ] {
        let t = edit(
            read(BASE),
            &[(
                "    admin_server: {host: wls1c}\n",
                &format!("    admin_server: {{host: wls1c}}\n    artifacts: {artifacts}\n"),
            )],
        );
        let errors = load(&t).err().unwrap_or_default();
        assert!(
            errors
                .iter()
                .any(|d| d.message.contains(&format!("`{field}` is missing"))),
            "{artifacts}: {:?}",
            errors.iter().map(|d| &d.message).collect::<Vec<_>>()
        );
    }
    let ok = edit(
        read(BASE),
        &[(
            "    admin_server: {host: wls1c}\n",
            "    admin_server: {host: wls1c}\n    artifacts: {layout: per-node, sync: admin-staging}\n",
        )],
    );
    assert!(findings("WLS022", &ok).is_empty());
}

#[test]
fn artifacts_on_storage_of_another_site_are_unreachable() {
    let t = edit(
        read(BASE),
        &[(
            "    admin_server: {host: wls1c}\n",
            "    admin_server: {host: wls1c}\n    artifacts: {layout: shared, storage: nas2}\n",
        )],
    ) + "storage:\n  - {name: nas2, kind: nas, site: dc2}\n";
    let f = findings("WLS022", &t);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert!(f[0].contains("it is in site `dc2`"), "{f:#?}");
}

// Driver and version.

#[test]
fn jdbc_thin_is_judged_for_fan_by_its_declared_version_only() {
    let client = "  - {name: app, driver: ucp, pool: ucp, service: app_svc, fan: true, fcf: true, continuity: ac}";
    let with = |c: &str| edit(read(BASE), &[(client, c)]);
    let old = with(
        "  - {name: app, driver: jdbc-thin, version: '11.2.0.4', service: app_svc, fan: true}",
    );
    let f = findings("CLI009", &old);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert!(f[0].contains("older than 12.2"), "{f:#?}");
    assert!(
        findings(
            "CLI009",
            &with(
                "  - {name: app, driver: jdbc-thin, version: '19.21', service: app_svc, fan: true}"
            )
        )
        .is_empty()
    );
    assert!(
        findings(
            "CLI009",
            &with("  - {name: app, driver: jdbc-thin, service: app_svc, fan: true}")
        )
        .is_empty()
    );
    let ac = with(
        "  - {name: app, driver: ucp, pool: ucp, version: '11.2', service: app_svc, fan: true, fcf: true, continuity: ac}",
    );
    let f = findings("CLI009", &ac);
    assert!(f.iter().any(|m| m.contains("older than 12.1")), "{f:#?}");
}

// DB012 (item 4 leftover): a passive domain is judged with the Data Guard roles swapped.

#[test]
fn db012_reports_a_passive_domain_that_would_write_to_the_new_standby_after_failover() {
    // A data source on a service only dc1's database offers, in every role: fine for the
    // active domain while dc1 is primary; its replica in dc2 would keep writing to dc1's
    // database after the failover that starts it, when dc1 is the standby.
    let t = edit(
        read(BASE),
        &[
            (
                "      - {name: app_svc, failover_type: transaction, commit_outcome: true}\n  - name: db_dc2",
                "      - {name: app_svc, failover_type: transaction, commit_outcome: true}\n      - {name: dc1_svc, roles: [primary, physical-standby]}\n  - name: db_dc2",
            ),
            (
                "      - {name: tlog_ds, service: app_svc, purpose: tlog, targets: [app_cluster]}",
                "      - {name: tlog_ds, service: app_svc, purpose: tlog, targets: [app_cluster]}\n      - {name: audit_ds, service: dc1_svc, targets: [app_cluster]}",
            ),
        ],
    );
    let f = findings("DB012", &t);
    assert!(
        f.iter()
            .any(|m| m.contains("passive domain `app_domain@dc2`") && m.contains("`db_dc1`")),
        "{f:#?}"
    );
}
