//! Baselines users committed must keep matching: the files in `tests/fixtures/baselines/`
//! were written by the release binary of commit c125917 (before object paths were produced
//! in one place) with `maa check PATH --write-baseline FILE`, run in the repository root.
//! Today's code must accept every finding they hold and report no new one. (Entries follow
//! fixtures that changed on purpose, never a changed path: the DB002 and WLS009 triggers
//! lost `db_dc2`, an unrelated database offering the same service name, which the loader
//! now refuses; with it went its two `DB002 databases[db_dc2]` findings, and came the two
//! `SPOF001 sites[dc1]` that it used to hide.)

// Test code: an unwrap/expect that fails is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use maa::check::{self, Options};
use maa::suppress::baseline::Baseline;

/// Each baseline and what it was written for.
const BASELINES: &[(&str, &str)] = &[
    (
        "active-active-goldengate.json",
        "topologies/active-active-goldengate.yaml",
    ),
    (
        "active-passive-rac.json",
        "topologies/active-passive-rac.yaml",
    ),
    ("aws-fsxn-asg.json", "topologies/aws-fsxn-asg.yaml"),
    ("starter.json", "topologies/starter.yaml"),
    ("stretch-cluster.json", "topologies/stretch-cluster.yaml"),
    ("rule-fixtures.json", "tests/fixtures/rules"),
];

/// Accepted findings that are gone because they were wrong, each with the reason: a
/// baseline entry that matches nothing is inert for its users (nothing fails), but every
/// one must be listed here, and each is checked to be really gone.
/// Findings whose object path changed by design: (code, old path, new path, file). Issue 15
/// (replica domains done the MAA way): the passive domain written out with its own names
/// became the active domain's `replicas:` entry, whose objects are `domains[d@site]…`.
const RENAMED_BY_DESIGN: &[(&str, &str, &str, &str)] = &[(
    "WLS020",
    "domains[orders_domain_dc2].admin_server",
    "domains[orders_domain@dc2].admin_server",
    "topologies/active-passive-rac.yaml",
)];

const GONE_BY_DESIGN: &[(&str, &str, &str, &str)] = &[
    // Issue 16 review: the global load balancer is a DNS control plane, not in the request
    // path: its hosts are no single points of failure (FE002 reports a GLB on one host),
    // and the double faults that only went through it are gone; SPOF001's trigger is now a
    // database without a standby (FE002 no longer fires on it).
    (
        "SPOF001",
        "hosts[gtm3]",
        "tests/fixtures/rules/FE002/trigger.yaml",
        "GLB is a control plane",
    ),
    (
        "SPOF001",
        "sites[dc3]",
        "tests/fixtures/rules/FE002/trigger.yaml",
        "GLB is a control plane",
    ),
    (
        "SPOF001",
        "hosts[gtm3]",
        "tests/fixtures/rules/SPOF001/trigger.yaml",
        "GLB is a control plane",
    ),
    (
        "SPOF001",
        "sites[dc3]",
        "tests/fixtures/rules/SPOF001/trigger.yaml",
        "GLB is a control plane",
    ),
    (
        "FE002",
        "global_load_balancer",
        "tests/fixtures/rules/SPOF001/trigger.yaml",
        "new SPOF001 trigger",
    ),
    (
        "SPOF002",
        "topology",
        "tests/fixtures/rules/DB001/trigger.yaml",
        "GLB is a control plane",
    ),
    // Issue 15: the dc2 domain became the active domain's replica; a finding on the copy at
    // the same place as the active's restates it and is reported once (rules::check).
    (
        "WLS015",
        "domains[app_domain_dc2].clusters[app_cluster_dc2]",
        "tests/fixtures/rules/COH004/clean.yaml",
        "the replica's cluster is the active one's: reported once",
    ),
    (
        "WLS015",
        "domains[app_domain_dc2].clusters[app_cluster_dc2]",
        "tests/fixtures/rules/COH004/trigger.yaml",
        "the replica's cluster is the active one's: reported once",
    ),
    (
        "WLS015",
        "domains[app_domain_dc2].clusters[app_cluster_dc2]",
        "tests/fixtures/rules/WLS012/clean.yaml",
        "the replica's cluster is the active one's: reported once",
    ),
    (
        "WLS015",
        "domains[app_domain_dc2].clusters[app_cluster_dc2]",
        "tests/fixtures/rules/WLS012/trigger.yaml",
        "the replica's cluster is the active one's: reported once",
    ),
    (
        "WLS015",
        "domains[app_domain_dc2].clusters[app_cluster_dc2]",
        "tests/fixtures/rules/WLS015/trigger.yaml",
        "the replica's cluster is the active one's: reported once",
    ),
    // Issue 16, "absorb at the lowest level": losing one instance of a two-instance RAC
    // database is absorbed by FAN/FCF on the surviving instance; it no longer moves users
    // to the other GoldenGate database, so it loses no data (the 5s RPO was wrong).
    (
        "OBJ001",
        "objectives.host",
        "tests/fixtures/rules/DB012/clean.yaml",
        "RAC instance loss absorbed",
    ),
    (
        "OBJ001",
        "objectives.host",
        "tests/fixtures/rules/GG001/clean.yaml",
        "RAC instance loss absorbed",
    ),
    (
        "OBJ001",
        "objectives.host",
        "tests/fixtures/rules/GG001/trigger.yaml",
        "RAC instance loss absorbed",
    ),
    (
        "OBJ001",
        "objectives.host",
        "tests/fixtures/rules/GG002/clean.yaml",
        "RAC instance loss absorbed",
    ),
    (
        "OBJ001",
        "objectives.host",
        "tests/fixtures/rules/GG002/trigger.yaml",
        "RAC instance loss absorbed",
    ),
    // Issue 15, item 4: DB012 reports writes that reach a standby, not the `active-active`
    // label; its fixtures now show an active-active application tier over one Data Guard
    // primary (clean) and a dc2 cluster writing its sessions to the standby (trigger).
    (
        "DB012",
        "architecture",
        "tests/fixtures/rules/DB012/trigger.yaml",
        "DB012 no longer reports the label",
    ),
    (
        "GG002",
        "clients[app]",
        "tests/fixtures/rules/DB012/clean.yaml",
        "the DB012 clean fixture has no GoldenGate any more",
    ),
    // DB010's trigger is now a far sync on a primary host (fs1); fs2 sits in the primary's
    // site in a zone of its own, which MAA accepts.
    (
        "DB010",
        "data_guard[app_dg].far_syncs[fs2]",
        "tests/fixtures/rules/DB010/trigger.yaml",
        "the DB010 trigger fixture changed",
    ),
];

/// Fixtures of rules added after the baseline was written (issue 15, item 2: the new
/// vocabulary): everything they report is new.
const NEW_FIXTURES: &[&str] = &["CLI008", "CLI009", "CLI010", "CLI011", "DB014", "WLS022"];

/// Findings of the rule fixtures that rule changes after c125917 add on purpose, as
/// `(rule, object, fixture)`: the fixtures changed with the rules of issue 15, item 4 (a
/// trigger and a near miss per fix), and FE008 is new. Nothing else may be new.
const NEW_BY_DESIGN: &[(&str, &str, &str)] = &[
    // Issue 15 (replica domains): the fixtures' dc2 domain is now the active domain's
    // replica, a copy by construction; a change to the active domain changes the copy too
    // (one server fewer, a server on the admin host, file stores on dc1's NAS that dc2
    // cannot reach after a site loss), so the copy reports what the written-out domain, which
    // kept its own settings, did not. WLS021 is new and has fixtures of its own.
    ("FE007", "ohs[ohs2a].routes[/app]", "WLS001/trigger.yaml"),
    ("FE007", "ohs[ohs2b].routes[/app]", "WLS001/trigger.yaml"),
    (
        "WLS020",
        "domains[app_domain@dc2].admin_server",
        "WLS003/trigger.yaml",
    ),
    (
        "WLS020",
        "domains[app_domain@dc2].admin_server",
        "WLS019/clean.yaml",
    ),
    (
        "WLS020",
        "domains[app_domain@dc2].admin_server",
        "WLS020/trigger.yaml",
    ),
    ("OBJ001", "objectives.site", "WLS011/trigger.yaml"),
    ("OBJ001", "objectives.site", "WLS012/clean.yaml"),
    ("OBJ001", "objectives.site", "WLS012/trigger.yaml"),
    ("SPOF002", "topology", "WLS021/clean.yaml"),
    ("SPOF002", "topology", "WLS021/trigger.yaml"),
    ("WLS021", "domains[app_domain_dc2]", "WLS021/trigger.yaml"),
    (
        "WLS021",
        "domains[app_domain_dc2].clusters[app_cluster_dc2]",
        "WLS021/trigger.yaml",
    ),
    (
        "WLS021",
        "domains[app_domain_dc2].data_sources[app_ds_dc2]",
        "WLS021/trigger.yaml",
    ),
    ("DB004", "data_guard[app_dg]", "DB013/trigger.yaml"),
    (
        "DB010",
        "data_guard[app_dg].far_syncs[fs2]",
        "DB011/clean.yaml",
    ),
    (
        "DB011",
        "data_guard[app_dg].far_syncs[fs1]",
        "DB004/clean.yaml",
    ),
    (
        "DB011",
        "data_guard[app_dg].far_syncs[fs1]",
        "DB004/trigger.yaml",
    ),
    (
        "DB011",
        "data_guard[app_dg].far_syncs[fs1]",
        "DB013/clean.yaml",
    ),
    (
        "DB011",
        "data_guard[app_dg].far_syncs[fs1]",
        "DB013/trigger.yaml",
    ),
    (
        "DB012",
        "domains[app_domain_dc2].data_sources[app_ds_dc2]",
        "DB012/trigger.yaml",
    ),
    ("FE008", "coherence[cache_dc1]", "COH005/clean.yaml"),
    ("FE008", "coherence[cache_dc1]", "COH005/trigger.yaml"),
    ("FE008", "coherence[cache_dc2]", "COH005/clean.yaml"),
    ("FE008", "coherence[cache_dc2]", "COH005/trigger.yaml"),
    ("FE008", "goldengate[gg1]", "FE008/trigger.yaml"),
    ("FE008", "goldengate[gg1]", "GG001/clean.yaml"),
    ("FE008", "goldengate[gg1]", "GG001/trigger.yaml"),
    ("FE008", "goldengate[gg1]", "GG002/clean.yaml"),
    ("FE008", "goldengate[gg1]", "GG002/trigger.yaml"),
    ("GG002", "clients[app]", "FE008/clean.yaml"),
    ("GG002", "clients[app]", "FE008/trigger.yaml"),
    ("SPOF001", "sites[dc2]", "DB012/clean.yaml"),
    // Issue 16 review: nothing declared restarts the starter's single instance, so an
    // operator does (30m response + 5m restart), over the 5m host objective.
    ("OBJ001", "objectives.host", "topologies/starter.yaml"),
    ("OBJ001", "objectives.host", "DB001/trigger.yaml"),
    // A SYNC standby site lost: maximum protection shuts the primary down (DB005); an
    // observer beside the standby leaves the primary alone, and it shuts down (DB009).
    ("OBJ001", "objectives.site", "DB005/trigger.yaml"),
    ("OBJ001", "objectives.site", "DB009/clean.yaml"),
    // SPOF001's trigger is now a database without a standby: a global load balancer on
    // one host is a DNS control plane, not a single point of failure (FE002 reports it).
    ("SPOF001", "sites[dc1]", "SPOF001/trigger.yaml"),
    (
        "WLS009",
        "domains[app_domain].clusters[app_cluster]",
        "SPOF001/trigger.yaml",
    ),
    ("DB002", "databases[db_dc1]", "SPOF001/trigger.yaml"),
    ("SPOF002", "topology", "FE008/clean.yaml"),
    ("SPOF002", "topology", "FE008/trigger.yaml"),
    (
        "WLS010",
        "domains[app_domain].clusters[app_cluster]",
        "DB012/clean.yaml",
    ),
];

#[test]
fn old_baselines_accept_every_finding_and_no_more() {
    for (file, checked) in BASELINES {
        let path = PathBuf::from("tests/fixtures/baselines").join(file);
        let text = std::fs::read_to_string(&path).expect("baseline reads");
        let old: Baseline = serde_json::from_str(&text).expect("baseline parses");
        let accepted: usize = old.findings.iter().map(|e| e.count).sum();
        assert!(
            accepted > 0,
            "{file} accepts nothing: it would prove nothing"
        );
        let opts = Options {
            baseline: Some(path),
            ..Options::default()
        };
        let r = check::run(&[PathBuf::from(checked)], &opts).expect("checks");
        assert!(!r.load_failed, "{checked} loads");
        let new_by_design = |d: &maa::diagnostic::Diagnostic| {
            NEW_BY_DESIGN.iter().any(|(c, o, f)| {
                d.code == *c
                    && d.object == *o
                    && (d.file.path == format!("tests/fixtures/rules/{f}") || d.file.path == *f)
            }) || RENAMED_BY_DESIGN
                .iter()
                .any(|(c, _, o, f)| d.code == *c && d.object == *o && d.file.path == *f)
                || NEW_FIXTURES.iter().any(|r| {
                    d.file
                        .path
                        .starts_with(&format!("tests/fixtures/rules/{r}/"))
                })
        };
        let renamed: Vec<_> = RENAMED_BY_DESIGN
            .iter()
            .filter(|(_, _, _, f)| f.starts_with(checked))
            .collect();
        // A file the old baseline never saw (a fixture or topology added since) holds only
        // new findings: the baseline cannot have accepted them.
        let known: std::collections::BTreeSet<&str> =
            old.findings.iter().map(|e| e.file.as_str()).collect();
        let new: Vec<String> = r
            .diagnostics
            .iter()
            .filter(|d| !new_by_design(d) && known.contains(d.file.path.as_str()))
            .map(|d| format!("{} {} {}", d.code, d.object, d.file.path))
            .collect();
        assert!(
            new.is_empty(),
            "{checked}: new findings against {file}: {new:#?}"
        );
        let gone: Vec<_> = GONE_BY_DESIGN
            .iter()
            .filter(|(_, _, f, _)| f.starts_with(checked))
            .collect();
        assert_eq!(
            r.baselined + gone.len() + renamed.len(),
            accepted,
            "{checked}: every accepted finding still matches, but those gone by design"
        );
        let stale: Vec<_> = r
            .stale_baseline
            .iter()
            .filter(|e| {
                !renamed
                    .iter()
                    .any(|(c, o, _, _)| e.rule == *c && e.object == *o)
            })
            .filter(|e| {
                !gone
                    .iter()
                    .any(|(c, o, f, _)| e.rule == *c && e.object == *o && e.file == *f)
            })
            .collect();
        assert!(
            stale.is_empty(),
            "{checked}: entries naming no object: {:?}",
            r.stale_baseline
        );
        if !gone.is_empty() {
            let all = check::run(&[PathBuf::from(checked)], &Options::default()).expect("checks");
            for (code, object, f, why) in gone {
                assert!(
                    !all.diagnostics
                        .iter()
                        .any(|d| d.code == *code && d.object == *object && d.file.path == *f),
                    "{code} {object} {f} is listed as gone ({why}) but is still reported"
                );
            }
        }
    }
}

/// An entry whose object the topology no longer has (renamed or removed) can never match
/// again: the check reports it, and only it, as stale.
#[test]
fn an_entry_naming_no_object_is_stale() {
    let topology = "topologies/starter.yaml";
    let r = check::run(
        &[PathBuf::from(topology)],
        &Options {
            accept: true,
            ..Options::default()
        },
    )
    .expect("checks");
    let mut base = r.accepted.expect("a baseline");
    let kept = base.findings.len();
    assert!(kept > 0, "the starter has findings to accept");
    let mut gone = base.findings[0].clone();
    gone.object = "databases[renamed_away]".to_owned();
    base.findings.push(gone.clone());
    // Entries that name no object by design are not stale: another file's, and a
    // suppression report's.
    let mut other = base.findings[0].clone();
    other.file = "topologies/elsewhere.yaml".to_owned();
    other.object = "databases[x]".to_owned();
    base.findings.push(other);
    let dir = std::env::temp_dir().join(format!("maa-stale-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("baseline.json");
    std::fs::write(&path, maa::suppress::baseline::to_text(&base)).unwrap();
    let opts = Options {
        baseline: Some(path),
        ..Options::default()
    };
    let r = check::run(&[PathBuf::from(topology)], &opts).expect("checks");
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(r.stale_baseline, vec![gone]);
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
}
