//! Replica domains done the MAA way (issue 15, item 1): a domain's `replicas:` keep every
//! name of the domain, with a per-site host mapping; the renderers write one configuration
//! for both sites plus a host-alias table per site; a written-out replica that drifts from
//! its active domain is reported with both places; bad mappings are refused with exit 2.

// Test code: an unwrap/expect that fails is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;

use maa::render;
use maa::resolve::{Model, load_model};
use serde_json::Value;

fn reference() -> Model {
    let path = common::root().join("topologies/active-passive-rac.yaml");
    load_model(&path, "topologies/active-passive-rac.yaml").unwrap()
}

fn artifacts(m: &Model) -> Vec<render::Artifact> {
    let targets = render::expand_targets(&["all".to_owned()]).unwrap();
    render::render(m, &targets).unwrap()
}

/// Every quoted WLST value that follows `call(` in `text`.
fn wlst_values(text: &str, call: &str) -> BTreeSet<String> {
    text.lines()
        .filter_map(|l| l.split_once(call).map(|(_, rest)| rest))
        .filter_map(|rest| rest.split('\'').nth(1))
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_active_passive_reference_renders_one_configuration_for_both_sites() {
    let m = reference();
    let arts = artifacts(&m);
    let scripts: Vec<&render::Artifact> = arts
        .iter()
        .filter(|a| a.path.starts_with("wlst/") && a.path.ends_with(".py"))
        .collect();
    // One domain configuration, whatever the site: no second script with other names.
    assert_eq!(
        scripts.iter().map(|a| a.path.as_str()).collect::<Vec<_>>(),
        ["wlst/orders_domain.py"]
    );
    let w = &scripts[0].content;
    assert_eq!(
        wlst_values(w, "tlog.setPrefixName("),
        BTreeSet::from(["TLOG_".to_owned()]),
        "TLOG prefixes are TLOG_ + server name"
    );
    for name in [
        "orders_ms1",
        "orders_ms2",
        "orders_cluster",
        "orders_jms_store",
        "tlog_ds",
    ] {
        assert!(w.contains(&format!("'{name}'")), "{name} not in the script");
    }
    assert!(w.contains("tlog.setPrefixName('TLOG_' + 'orders_ms1' + '_')"));
    for a in &arts {
        assert!(
            !a.content.contains("_dc2_") && !a.content.contains("orders_ms1_dc2"),
            "{} names a dc2-only copy",
            a.path
        );
        let config = ["wlst/", "ohs/", "host-aliases/"];
        if config.iter().any(|d| a.path.starts_with(d)) {
            assert!(
                !a.content.contains("@dc"),
                "{} leaks a replica identity",
                a.path
            );
        }
    }
    // The host-alias tables: the same aliases (the script's listen addresses) in both
    // sites, resolving to each site's own hosts.
    let table = |site: &str| -> Vec<(String, String)> {
        let a = arts
            .iter()
            .find(|a| a.path == format!("host-aliases/orders_domain.{site}.txt"))
            .unwrap_or_else(|| panic!("no alias table for {site}"));
        a.content
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .map(|l| {
                let (x, y) = l.split_once('\t').unwrap();
                (x.to_owned(), y.to_owned())
            })
            .collect()
    };
    assert_eq!(
        table("dc1"),
        [
            ("wls1a".into(), "wls1a".into()),
            ("wls1b".into(), "wls1b".into())
        ]
    );
    assert_eq!(
        table("dc2"),
        [
            ("wls1a".into(), "wls2a".into()),
            ("wls1b".into(), "wls2b".into())
        ]
    );
    let listen = wlst_values(w, "server.setListenAddress(");
    let aliases: BTreeSet<String> = table("dc2").into_iter().map(|(a, _)| a).collect();
    assert_eq!(
        listen, aliases,
        "every listen address is an alias of the tables"
    );
    // dc2's OHS reaches the same aliases as dc1's.
    let ohs = |name: &str| {
        arts.iter()
            .find(|a| a.path == format!("ohs/{name}/mod_wl_ohs.conf"))
            .unwrap()
            .content
            .lines()
            .find(|l| l.contains("WebLogicCluster"))
            .unwrap()
            .trim()
            .to_owned()
    };
    assert_eq!(ohs("ohs1a"), ohs("ohs2a"));
}

#[test]
fn the_replica_runs_on_the_standby_hosts_with_the_same_names() {
    let m = reference();
    let copy = m
        .topo
        .domains
        .iter()
        .find(|d| d.replica_site.is_some())
        .unwrap();
    assert_eq!(copy.name.as_str(), "orders_domain@dc2");
    assert_eq!(copy.name.plain(), "orders_domain");
    let servers = m.index.servers_of("orders_cluster@dc2");
    let placed: Vec<(&str, &str)> = servers
        .iter()
        .map(|s| (maa::model::plain(&s.name), s.host.as_str()))
        .collect();
    assert_eq!(placed, [("orders_ms1", "wls2a"), ("orders_ms2", "wls2b")]);
    let stores: Vec<&str> = copy.stores.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(stores, ["orders_jms_store"]);
    // Object identity: stable, distinct paths for the copy.
    let paths: BTreeSet<String> = m
        .objects()
        .iter()
        .map(|(_, o)| o.path.clone())
        .filter(|p| p.contains("@dc2"))
        .collect();
    assert!(paths.contains("domains[orders_domain@dc2].clusters[orders_cluster@dc2]"));
    assert!(paths.contains("domains[orders_domain@dc2].stores[orders_jms_store]"));
}

/// `maa simulate` on the reference, JSON.
fn simulate(args: &[&str]) -> Value {
    let out = common::maa()
        .args([
            "simulate",
            "topologies/active-passive-rac.yaml",
            "--format",
            "json",
        ])
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.code().is_some_and(|c| c <= 1), "{out:?}");
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_simulator_fails_the_replica_with_its_standby_hosts() {
    // The replica's servers are on dc2's hosts: losing both stops the replica, not the
    // active cluster; the service is still up.
    let v = simulate(&["--fail", "host:wls2a", "--fail", "host:wls2b"]);
    let text = v.to_string();
    assert!(text.contains("orders_cluster@dc2"), "{text}");
    let v = simulate(&["--fail", "server:orders_ms1@dc2"]);
    assert!(v.to_string().contains("orders_ms1@dc2"));
}

const BASE: &str = "\
version: 1
name: t
architecture: active-passive
sites:
  - name: dc1
    role: primary
    hosts: [{name: a1}, {name: a2}]
  - name: dc2
    role: standby
    hosts: [{name: b1}, {name: b2}]
domains:
  - name: d
    version: 14.1.2
    admin_server: {host: a1}
    clusters:
      - name: c
        servers: [{name: s1, host: a1}, {name: s2, host: a2}]
        transaction_log: {type: jdbc, data_source: tlog}
    stores: [{name: st, type: jdbc, cluster: c, data_source: jms}]
    data_sources:
      - {name: tlog, service: app, purpose: tlog, targets: [c]}
      - {name: jms, service: app, purpose: jms, targets: [c]}
    replicas:
      - site: dc2
        hosts: {a1: b1, a2: b2}
databases:
  - name: db1
    type: single
    instances: [{name: i1, host: a2}]
    services: [{name: app}]
";

fn edit(from: &str, to: &str) -> String {
    assert!(BASE.contains(from), "the base holds no `{from}`");
    BASE.replacen(from, to, 1)
}

fn check(text: &str) -> (i32, Vec<Value>) {
    common::check_json(text)
}

fn refused(text: &str, code: &str, message: &str) -> Value {
    let (rc, diags) = check(text);
    assert_eq!(rc, 2, "expected exit 2, got {rc}: {diags:#?}");
    let hit = diags
        .iter()
        .find(|d| d["code"] == code && d["message"].as_str().unwrap().contains(message))
        .unwrap_or_else(|| panic!("no `{code}` saying `{message}`: {diags:#?}"))
        .clone();
    assert!(!hit["help"].as_str().unwrap_or("").is_empty(), "{hit:#}");
    hit
}

#[test]
fn the_base_replica_loads_without_a_replica_finding() {
    let (rc, diags) = check(BASE);
    assert!(rc <= 1, "{diags:#?}");
    assert!(!diags.iter().any(|d| d["code"] == "WLS021"), "{diags:#?}");
}

#[test]
fn bad_host_mappings_are_refused() {
    let c = "load/unknown-reference";
    refused(&edit("site: dc2", "site: dc9"), c, "names site `dc9`");
    let h = refused(
        &edit("{a1: b1, a2: b2}", "{a1: b1, a2: b3}"),
        c,
        "maps `a2` to host `b3`",
    );
    assert!(
        h["help"].as_str().unwrap().contains("did you mean `b1`")
            || h["help"].as_str().unwrap().contains("did you mean `b2`"),
        "{h:#}"
    );
    let h = refused(
        &edit("{a1: b1, a2: b2}", "{a1: b1, a2: b2, a3: b1}"),
        c,
        "maps host `a3`, which is not declared",
    );
    assert!(
        h["help"].as_str().unwrap().contains("did you mean `a1`")
            || h["help"].as_str().unwrap().contains("did you mean `a2`"),
        "{h:#}"
    );
    refused(
        &edit("{a1: b1, a2: b2}", "{a1: b1}"),
        "load/missing-field",
        "does not say where `a2` resolves",
    );
    refused(
        &edit("{a1: b1, a2: b2}", "{a1: b1, a2: a2}"),
        "load/reference-cycle",
        "maps host `a2` to itself",
    );
    refused(
        &edit("{a1: b1, a2: b2}", "{a1: b1, a2: a1}"),
        "load/invalid-reference",
        "a host of site `dc1`",
    );
    let dup = refused(
        &edit("{a1: b1, a2: b2}", "{a1: b1, a2: b1}"),
        "load/duplicate-member",
        "maps both `a1` and `a2` to `b1`",
    );
    assert_eq!(
        dup["labels"].as_array().map(Vec::len),
        Some(1),
        "both spans: {dup:#}"
    );
    refused(
        &edit("site: dc2", "site: dc1"),
        "load/invalid-reference",
        "where the domain itself runs",
    );
    refused(
        &edit(
            "        hosts: {a1: b1, a2: b2}\n",
            "        hosts: {a1: b1, a2: b2}\n      - site: dc2\n        hosts: {a1: b2, a2: b1}\n",
        ),
        "load/duplicate-member",
        "two replicas in site `dc2`",
    );
    refused(
        &edit(
            "    version: 14.1.2\n",
            "    version: 14.1.2\n    role: passive\n",
        ),
        "load/invalid-reference",
        "is passive but declares `replicas`",
    );
}

/// The base with the replica written out in full as `domain`.
fn written_out(domain: &str) -> String {
    edit(
        "    replicas:\n      - site: dc2\n        hosts: {a1: b1, a2: b2}\n",
        domain,
    )
}

#[test]
fn a_drifted_written_out_replica_is_reported_with_both_spans() {
    let replica = "  - name: d2
    role: passive
    replica_of: d
    version: 12.2.1.4
    admin_server: {host: b1}
    clusters:
      - name: c2
        servers: [{name: s1_dc2, host: b1}]
        transaction_log: {type: jdbc, data_source: tlog}
    data_sources:
      - {name: tlog, service: app2, purpose: tlog, targets: [c2]}
";
    let text = written_out(replica).replacen(
        "    services: [{name: app}]\n",
        "    services: [{name: app}, {name: app2}]\n",
        1,
    );
    let (rc, diags) = check(&text);
    assert_eq!(rc, 1, "{diags:#?}");
    let drift: Vec<&Value> = diags.iter().filter(|d| d["code"] == "WLS021").collect();
    let says = |s: &str| {
        drift
            .iter()
            .find(|d| d["message"].as_str().unwrap().contains(s))
            .unwrap_or_else(|| panic!("no WLS021 saying `{s}`: {drift:#?}"))
    };
    let version = says("WebLogic version 12.2.1.4 where the active domain runs 14.1.2");
    says("cluster `c2` has 1 server where `c` has 2");
    says("data source `jms` is missing");
    says("store `st` is missing");
    says("connects to service `app2`");
    for d in &drift {
        assert_eq!(d["severity"], "error");
        let labels = d["labels"].as_array().unwrap();
        assert_eq!(labels.len(), 1, "both spans: {d:#}");
        // The primary span is on the replica (below), the related one on the active domain.
        let (at, was) = (
            d["line"].as_u64().unwrap(),
            labels[0]["line"].as_u64().unwrap(),
        );
        assert!(
            at >= 23 && was < 23,
            "replica at {at}, active at {was}: {d:#}"
        );
    }
    assert_eq!(version["object"], "domains[d2]");
    // Same server count, other names: the TLOG prefixes differ.
    let text = text.replacen(
        "[{name: s1_dc2, host: b1}]",
        "[{name: s1_dc2, host: b1}, {name: s2_dc2, host: b2}]",
        1,
    );
    let (_, diags) = check(&text);
    assert!(
        diags.iter().any(|d| d["code"] == "WLS021"
            && d["message"]
                .as_str()
                .unwrap()
                .contains("TLOG_s1_dc2_, TLOG_s2_dc2_ against TLOG_s1_, TLOG_s2_")),
        "{diags:#?}"
    );
}
