//! Issue 15, item 4: rules that were wrong, not just incomplete. Each test is a variant of a
//! committed rule fixture (one textual change, asserted to apply) whose findings the fixed
//! rule gets right and the rule before the fix got wrong; the fixtures themselves
//! (tests/fixtures/rules/<CODE>/) carry the main trigger and near miss of each fix.

// Test code: an unwrap/expect that fails is a failed test. clippy.toml allows them only in
// #[test] and #[cfg(test)] code, which an integration test's helper functions are not.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use maa::diagnostic::Diagnostic;

/// The text of a committed fixture.
fn fixture(rel: &str) -> String {
    std::fs::read_to_string(common::root().join("tests/fixtures/rules").join(rel))
        .unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// `text` with each `(from, to)` replaced once; a pattern that is not there fails the test
/// (the fixture changed under it).
fn edit(mut text: String, edits: &[(&str, &str)]) -> String {
    for (from, to) in edits {
        assert!(
            text.contains(from),
            "the fixture no longer contains {from:?}"
        );
        text = text.replacen(from, to, 1);
    }
    text
}

/// The findings of rule `code` on a topology text.
fn findings(code: &str, text: &str) -> Vec<Diagnostic> {
    let loaded = maa::load::load_str("variant.yaml", text.to_owned())
        .unwrap_or_else(|e| panic!("variant does not load: {e:?}"));
    let model = maa::resolve::resolve(loaded).unwrap_or_else(|e| panic!("variant: {e:?}"));
    maa::rules::check(&model)
        .into_iter()
        .filter(|d| d.code == code)
        .collect()
}

fn messages(ds: &[Diagnostic]) -> String {
    ds.iter()
        .map(|d| format!("{} | help: {:?}", d.message, d.help))
        .collect::<Vec<_>>()
        .join("\n")
}

// DB012: writes to a standby, not the `active-active` label.

#[test]
fn db012_snapshot_standby_writes_are_reported_as_discarded() {
    let t = edit(
        fixture("DB012/trigger.yaml"),
        &[("roles: [physical-standby]", "roles: [snapshot-standby]")],
    );
    let f = findings("DB012", &t);
    assert_eq!(f.len(), 1, "{}", messages(&f));
    assert!(f[0].message.contains("discards them"), "{}", f[0].message);
}

#[test]
fn db012_primary_role_service_only_on_the_standby_is_reported_for_an_active_domain() {
    // The dc2 data source's service runs in the primary role, but only on the standby.
    let t = edit(
        fixture("DB012/trigger.yaml"),
        &[("roles: [physical-standby]", "roles: [primary]")],
    );
    let f = findings("DB012", &t);
    assert_eq!(f.len(), 1, "{}", messages(&f));
    assert!(
        f[0].message.contains("starts only after a role change"),
        "{}",
        f[0].message
    );
    // The same data source in a passive domain starts after the role change: not reported.
    let passive = edit(
        t,
        &[(
            "- name: app_domain_dc2\n",
            "- name: app_domain_dc2\n  role: passive\n  replica_of: app_domain\n",
        )],
    );
    assert!(findings("DB012", &passive).is_empty());
}

#[test]
fn db012_a_read_only_application_data_source_on_an_active_data_guard_standby_is_not_reported() {
    // Session persistence moves to the primary's service; the standby-role service is left
    // to a plain application data source (real-time query).
    let t = edit(
        fixture("DB012/trigger.yaml"),
        &[
            (
                "session_replication: {mode: jdbc, data_source: app_ds_dc2}",
                "session_replication: {mode: jdbc, data_source: sessions_dc2}",
            ),
            (
                "  - name: app_ds_dc2\n    service: app_ro\n",
                "  - name: app_ds_dc2\n    service: app_ro\n    targets: [app_cluster_dc2]\n  - name: sessions_dc2\n    service: app_svc\n",
            ),
        ],
    );
    let f = findings("DB012", &t);
    assert!(f.is_empty(), "{}", messages(&f));
    // ... but a leasing data source there writes.
    let leasing = edit(
        t,
        &[(
            "  - name: app_ds_dc2\n    service: app_ro\n",
            "  - name: app_ds_dc2\n    service: app_ro\n    purpose: leasing\n",
        )],
    );
    let f = findings("DB012", &leasing);
    assert_eq!(f.len(), 1, "{}", messages(&f));
    assert!(
        f[0].message.contains("`leasing` writes"),
        "{}",
        f[0].message
    );
}

#[test]
fn db012_a_client_of_a_service_that_only_a_standby_offers_is_reported() {
    let t = edit(
        fixture("DB012/clean.yaml"),
        &[(
            "  - {name: app_svc, failover_type: transaction, commit_outcome: true}\n- name: db_dc2",
            "  - {name: app_svc, failover_type: transaction, commit_outcome: true}\n  - {name: reports}\n- name: db_dc2",
        )],
    );
    // `reports` on the primary: the client is fine.
    let on_primary = edit(
        t.clone(),
        &[("service: app_svc, fan: true", "service: reports, fan: true")],
    );
    assert!(findings("DB012", &on_primary).is_empty());
    // `reports` declared only on the standby: it never starts before a role change.
    let on_standby = edit(
        t,
        &[
            ("  - {name: reports}\n", ""),
            (
                "    roles: [physical-standby]\n",
                "    roles: [physical-standby]\n  - {name: reports}\n",
            ),
            ("service: app_svc, fan: true", "service: reports, fan: true"),
        ],
    );
    let f = findings("DB012", &on_standby);
    assert_eq!(f.len(), 1, "{}", messages(&f));
    assert!(f[0].message.contains("client `app`"), "{}", f[0].message);
}

// DB010: near the primary, in a separate failure domain.

#[test]
fn db010_still_reports_a_far_sync_a_wan_away() {
    let t = edit(
        fixture("DB010/clean.yaml"),
        &[(
            "{name: fs1, host: fs1a, alternate: fs2}",
            "{name: fs1, host: db2a, alternate: fs2}",
        )],
    );
    let f = findings("DB010", &t);
    assert_eq!(f.len(), 1, "{}", messages(&f));
    assert!(f[0].message.contains("a WAN away"), "{}", f[0].message);
}

#[test]
fn db010_reports_a_far_sync_in_the_only_zone_of_the_primary() {
    // Both primary instances in zone dc1a (on db1a), and so is far sync host fs1b.
    let t = edit(
        fixture("DB010/clean.yaml"),
        &[("{name: app2, host: db1b}", "{name: app2, host: db1a}")],
    );
    let f = findings("DB010", &t);
    assert!(
        f.iter().any(|d| d.message.contains("in zone `dc1a`")),
        "{}",
        messages(&f)
    );
    // The help places it in a separate failure domain, not in the primary's site as such.
    let help = f[0].help.as_deref().unwrap_or_default();
    assert!(help.contains("separate failure domain"), "{help}");
    assert!(!help.contains("in the primary's site or"), "{help}");
}

#[test]
fn db010_does_not_judge_a_role_reversal_far_sync_near_the_standby() {
    // fs3 sits a WAN away, beside the standby; no standby and no alternate names it: the
    // primary ships nothing to it until a role reversal.
    let t = edit(
        fixture("DB010/clean.yaml"),
        &[(
            "  - {name: fs2, host: fs1b}\n",
            "  - {name: fs2, host: fs1b}\n  - {name: fs3, host: db2a}\n",
        )],
    );
    let f = findings("DB010", &t);
    assert!(f.is_empty(), "{}", messages(&f));
    // Once it is fs2's alternate, the primary can ship to it: reported.
    let alternate = edit(
        t,
        &[(
            "{name: fs2, host: fs1b}",
            "{name: fs2, host: fs1b, alternate: fs3}",
        )],
    );
    let f = findings("DB010", &alternate);
    assert_eq!(f.len(), 1, "{}", messages(&f));
    assert!(f[0].message.contains("`fs3`"), "{}", f[0].message);
}

// DB004 / DB013: a far sync fed ASYNC is not synchronous.

#[test]
fn db004_and_db013_still_report_a_direct_async_standby_and_accept_a_sync_fed_far_sync() {
    let direct = edit(
        fixture("DB004/trigger.yaml"),
        &[(
            "transport: async, active: true, far_sync: fs1}",
            "transport: async, active: true}",
        )],
    );
    assert_eq!(findings("DB004", &direct).len(), 1);
    assert_eq!(findings("DB013", &direct).len(), 1);
    let sync_fed = edit(
        fixture("DB004/trigger.yaml"),
        &[(
            "transport: async, active: true, far_sync: fs1}",
            "transport: sync, active: true, far_sync: fs1}",
        )],
    );
    assert!(findings("DB004", &sync_fed).is_empty());
    assert!(findings("DB013", &sync_fed).is_empty());
}

// GG002 and CLI005: what Transaction Guard can and cannot do.

#[test]
fn gg002_does_not_advise_transaction_guard_across_goldengate_sites() {
    let d = maa::rules::find("GG002").unwrap().doc();
    assert!(
        !d.fix.contains("handle them with Transaction Guard"),
        "{}",
        d.fix
    );
    for needed in [
        "Data Guard physical standbys",
        "in-doubt",
        "idempotent",
        // A business key checked on an asynchronous peer proves nothing until it catches up.
        "not conclusive until replication catches up",
        "(GG001)",
    ] {
        assert!(
            d.fix.contains(needed),
            "GG002 fix lacks {needed:?}: {}",
            d.fix
        );
    }
    assert!(d.why.contains("LTXID"), "{}", d.why);
    let f = findings("GG002", &fixture("GG002/trigger.yaml"));
    assert!(f[0].message.contains("LTXID"), "{}", f[0].message);
}

#[test]
fn cli005_says_that_nothing_is_replayed_without_commit_outcome() {
    let d = maa::rules::find("CLI005").unwrap().doc();
    assert!(!d.why.contains("twice"), "{}", d.why);
    assert!(d.why.contains("does not replay"), "{}", d.why);
    let f = findings("CLI005", &fixture("CLI005/trigger.yaml"));
    assert!(!f.is_empty());
    for d in &f {
        assert!(!d.message.contains("twice"), "{}", d.message);
        assert!(d.message.contains("nothing is replayed"), "{}", d.message);
    }
}

// CLI001: ODP.NET managed has TAF from 23.3.3.

#[test]
fn cli001_odp_net_managed_needs_23_3_3_for_taf() {
    let clean = fixture("CLI001/clean.yaml");
    for (version, reported) in [
        ("23.3.3", false),
        ("23.3.3-dev", false),
        ("23.10.0", false),
        ("23.3.2", true),
        ("21.15.0", true),
        ("23ai", true),
    ] {
        let t = edit(
            clean.clone(),
            &[("version: 23.4.0", &format!("version: {version}"))],
        );
        let f = findings("CLI001", &t);
        assert_eq!(!f.is_empty(), reported, "{version}: {}", messages(&f));
    }
    let no_version = edit(clean, &[("  version: 23.4.0\n", "")]);
    let f = findings("CLI001", &no_version);
    assert_eq!(f.len(), 1);
    assert!(
        f[0].message.contains("declares no `version`"),
        "{}",
        f[0].message
    );
}

// AWS012: the ports of the protocols in use.

#[test]
fn aws012_requires_the_nfs_ports_only_when_nfs_is_used() {
    let nfs = edit(
        fixture("AWS012/clean.yaml"),
        &[(
            "      security_groups: [fsxn-storage]\n",
            "      security_groups: [fsxn-storage]\n      protocols: [iscsi, nfs]\n",
        )],
    );
    let f = findings("AWS012", &nfs);
    assert_eq!(f.len(), 1, "{}", messages(&f));
    for port in ["111", "635", "2049", "4045-4046"] {
        assert!(f[0].message.contains(port), "{}", f[0].message);
    }
    assert!(!f[0].message.contains("3260"), "{}", f[0].message);
}

// WLS004: manual migration is migration by an operator.

#[test]
fn wls004_says_an_operator_migrates_the_singleton() {
    let f = findings("WLS004", &fixture("WLS004/trigger.yaml"));
    assert!(!f.is_empty());
    for d in &f {
        assert!(
            !d.message
                .contains("has no automatic migration: it stays down with its server")
        );
        assert!(
            d.message
                .contains("until its server restarts or an operator migrates"),
            "{}",
            d.message
        );
    }
}

// SPOF001: the help names the object without redundancy and the right failure-domain level.

#[test]
fn spof001_help_names_the_database_for_a_database_host_and_no_other_site_for_a_local_lb() {
    // A single-instance primary without a standby; dc2's database offers another service.
    let t = edit(
        std::fs::read_to_string(common::root().join("tests/fixtures/rules/_gen/base.yaml"))
            .unwrap(),
        &[
            (
                "    type: rac\n    version: 19c\n    instances: [{name: app1, host: db1a}, {name: app2, host: db1b}]\n    scan: {name: app-scan.dc1.example.com}\n",
                "    type: single\n    version: 19c\n    instances: [{name: app1, host: db1a}]\n",
            ),
            (
                "    scan: {name: app-scan.dc2.example.com}\n    services:\n      - {name: app_svc, failover_type: transaction, commit_outcome: true}\n",
                "    scan: {name: app-scan.dc2.example.com}\n    services:\n      - {name: other_svc}\n",
            ),
        ],
    );
    // No Data Guard: cut its block out.
    let t = {
        let start = t.find("data_guard:\n").unwrap();
        let end = t[start..].find("gds:\n").unwrap() + start;
        format!("{}{}", &t[..start], &t[end..])
    };
    let f = findings("SPOF001", &t);
    let host = f
        .iter()
        .find(|d| d.message.starts_with("host `db1a`"))
        .unwrap_or_else(|| panic!("{}", messages(&f)));
    let help = host.help.as_deref().unwrap_or_default();
    assert!(!help.contains("place a member"), "{help}");
    assert!(help.contains("instance:db_dc1.app1"), "{help}");
    let site = f
        .iter()
        .find(|d| d.message.starts_with("site `dc1`"))
        .unwrap_or_else(|| panic!("{}", messages(&f)));
    let help = site.help.as_deref().unwrap_or_default();
    assert!(!help.contains("on a different site"), "{help}");
    assert!(help.contains("global load balancer"), "{help}");
}

// FE008: site affinity for active-active replication.

#[test]
fn fe008_reports_active_active_coherence_federation_without_site_affinity() {
    let passive = fixture("COH005/clean.yaml");
    assert!(
        findings("FE008", &passive).is_empty(),
        "a passive second domain serves nobody: no affinity needed"
    );
    let t = edit(
        passive,
        &[(
            "  replicas:\n  - site: dc2\n    hosts: {wls1c: wls2c, wls1a: wls2a, wls1b: wls2b}\n",
            "- name: app_domain_dc2\n  admin_server: {host: wls2c}\n  clusters:\n  - name: app_cluster_dc2\n    servers: [{name: ms1_dc2, host: wls2a}, {name: ms2_dc2, host: wls2b}]\n",
        )],
    );
    let f = findings("FE008", &t);
    assert_eq!(
        f.len(),
        1,
        "one per federated pair (symmetric federation is one pair): {}",
        messages(&f)
    );
    assert!(
        f[0].message.contains("federates active-active"),
        "{}",
        f[0].message
    );
    let with_affinity = edit(
        t,
        &[(
            "global_load_balancer:\n  name: gslb\n",
            "global_load_balancer:\n  name: gslb\n  site_affinity: true\n",
        )],
    );
    assert!(findings("FE008", &with_affinity).is_empty());
}

#[test]
fn tnsnames_writes_failover_mode_for_odp_net_managed_from_23_3_3_only() {
    let render = |text: &str| {
        let loaded = maa::load::load_str("variant.yaml", text.to_owned()).unwrap();
        let model = maa::resolve::resolve(loaded).unwrap();
        let arts = maa::render::render(&model, &["tnsnames"]).unwrap();
        arts.into_iter().map(|a| a.content).collect::<String>()
    };
    let clean = fixture("CLI001/clean.yaml");
    assert!(
        render(&clean).contains("FAILOVER_MODE"),
        "{}",
        render(&clean)
    );
    let old = edit(clean, &[("version: 23.4.0", "version: 23.3.2")]);
    assert!(!render(&old).contains("FAILOVER_MODE"), "{}", render(&old));
}

// WLS004: under whole-server migration a manual singleton moves with its server.

#[test]
fn wls004_whole_server_migration_moves_a_manual_singleton_with_its_server() {
    let t = fixture("WLS004/trigger.yaml");
    assert_eq!(findings("WLS004", &t).len(), 1);
    let whole = edit(
        t,
        &[(
            "migration:\n      type: service",
            "migration:\n      type: whole-server",
        )],
    );
    let f = findings("WLS004", &whole);
    assert!(f.is_empty(), "{}", messages(&f));
}
