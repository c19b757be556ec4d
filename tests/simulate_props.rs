//! Two independent analyses of one fact, and metamorphic properties of the simulator, over
//! generated topologies (issue 16, item 7).
//!
//! The SPOF/cut-set analysis (`analysis::spof`, set algebra bottom-up over the graph) and
//! the simulator (`analysis::simulate`, one scenario evaluated node by node) must agree: an
//! event is a single point of failure for a service exactly when simulating its failure
//! alone, with nothing restarting in place, leaves the service down; every minimal double
//! fault leaves it down too.
//!
//! Metamorphic properties: adding a healthy redundant member never worsens a scenario;
//! making replication asynchronous never lowers an RPO; renaming objects changes nothing.
//!
//! Cost: the differential property runs [`DIFF_CASES`] topologies; measured on the 2-core
//! machine in the report of the change that added it.

// Test code: an unwrap/expect that fails is a failed test. clippy.toml allows them only in
// #[test] and #[cfg(test)] code, which an integration test's helper functions are not.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use maa::analysis::{Analysis, Scenario, Simulator, Status};
use maa::graph::NodeId;
use maa::model::Duration;
use proptest::prelude::*;

/// Generated topologies per run of the differential property.
const DIFF_CASES: u32 = 5_000;
/// Generated topology pairs per metamorphic property.
const META_CASES: u32 = 250;

/// A place: (site, zone, host slot). Site 2 is the witness site `dc3`.
type Place = (u8, u8, u8);

/// A two-site WebLogic + database topology, every redundancy optional.
#[derive(Debug, Clone)]
struct Topo {
    /// A second site with a passive domain and a Data Guard standby.
    dr: bool,
    /// The passive domain declared as `replicas:` of the active one (its servers on the
    /// standby site's hosts in the same zones and places), not written out.
    replica: bool,
    glb: bool,
    node_manager: bool,
    /// Per site (0, 1): load balancer hosts, OHS hosts, server hosts, instance hosts.
    lb: [Vec<Place>; 2],
    ohs: [Vec<Place>; 2],
    servers: [Vec<Place>; 2],
    instances: [Vec<Place>; 2],
    /// JMS singleton with automatic migration (Some(true)), manual (Some(false)), none.
    jms: Option<bool>,
    /// Data Guard: SYNC transport, maximum availability, fast-start failover, observer place.
    sync: bool,
    max_availability: bool,
    fsfo: bool,
    observer: Place,
    /// A declared standby lag in seconds (ASYNC).
    lag: Option<u8>,
}

fn host((s, z, h): Place) -> String {
    format!("h{s}{z}{h}")
}

/// Where a replica's server runs for an active server at `p`: the same place in the standby site.
fn standby(p: Place) -> Place {
    (1, p.1, p.2)
}

impl Topo {
    fn sites(&self) -> usize {
        if self.dr { 2 } else { 1 }
    }

    /// Every host some component is placed on, plus the admin hosts, per site and zone.
    fn hosts(&self) -> BTreeMap<(u8, u8), BTreeSet<String>> {
        let mut by: BTreeMap<(u8, u8), BTreeSet<String>> = BTreeMap::new();
        let mut add = |p: Place| {
            by.entry((p.0, p.1)).or_default().insert(host(p));
        };
        for s in 0..self.sites() {
            add((s as u8, 0, 9));
            for p in self.lb[s]
                .iter()
                .chain(&self.ohs[s])
                .chain(&self.servers[s])
                .chain(&self.instances[s])
            {
                add(*p);
            }
        }
        if self.dr && self.replica {
            for p in &self.servers[0] {
                add(standby(*p));
            }
        }
        if self.dr && self.fsfo {
            add(self.observer);
        }
        by
    }

    /// The topology as YAML; `n` renames every object (`n("x")` is the new name of `x`).
    fn yaml(&self, n: &dyn Fn(&str) -> String) -> String {
        let mut y = String::new();
        let arch = if self.dr {
            "active-passive"
        } else {
            "single-site"
        };
        let _ = writeln!(y, "version: 1\nname: prop\narchitecture: {arch}");
        y.push_str("objectives:\n  host: {rto: 2m, rpo: 0s}\n  zone: {rto: 5m, rpo: 0s}\n  site: {rto: 30m, rpo: 0s}\nsites:\n");
        let hosts = self.hosts();
        let site_count = if self.dr && self.fsfo && self.observer.0 == 2 {
            3
        } else {
            self.sites()
        };
        for s in 0..site_count {
            let role = ["primary", "standby", "witness"][s];
            let _ = writeln!(
                y,
                "  - name: {}\n    role: {role}\n    zones:",
                n(&format!("dc{s}"))
            );
            for ((hs, z), hs_names) in &hosts {
                if usize::from(*hs) != s {
                    continue;
                }
                let list: Vec<String> = hs_names
                    .iter()
                    .map(|h| format!("{{name: {}}}", n(h)))
                    .collect();
                let _ = writeln!(
                    y,
                    "      - name: {}\n        hosts: [{}]",
                    n(&format!("z{s}{z}")),
                    list.join(", ")
                );
            }
        }
        if self.dr {
            let _ = writeln!(
                y,
                "links:\n  - {{between: [{}, {}], latency: 4ms}}",
                n("dc0"),
                n("dc1")
            );
            // The witness site's links: cutting them (with the main link) isolates a
            // primary from its observer, which the simulator models beyond the graph.
            if site_count == 3 {
                for s in ["dc0", "dc1"] {
                    let _ = writeln!(y, "  - {{between: [{}, {}], latency: 6ms}}", n(s), n("dc2"));
                }
            }
        }
        if self.dr && self.glb {
            let _ = writeln!(
                y,
                "global_load_balancer: {{name: {}, kind: f5-gtm, hosts: [{}, {}], fqdn: app.example.com, dns_ttl: 30s, switchover: automatic}}",
                n("gtm"),
                n(&host(self.lb[0][0])),
                n(&host(self.lb[1][0]))
            );
        }
        y.push_str("load_balancers:\n");
        for s in 0..self.sites() {
            let hs: BTreeSet<String> = self.lb[s].iter().map(|p| n(&host(*p))).collect();
            let _ = writeln!(
                y,
                "  - {{name: {}, site: {}, hosts: [{}], virtual_host: app{s}.example.com, listeners: [{{port: 443}}]}}",
                n(&format!("lb{s}")),
                n(&format!("dc{s}")),
                hs.into_iter().collect::<Vec<_>>().join(", ")
            );
        }
        y.push_str("ohs:\n");
        for s in 0..self.sites() {
            for (i, p) in self.ohs[s].iter().enumerate() {
                let _ = writeln!(
                    y,
                    "  - {{name: {}, host: {}, routes: [{{path: /app, cluster: {}}}]}}",
                    n(&format!("ohs{s}x{i}")),
                    n(&host(*p)),
                    n(&format!("c{}", if self.replica { 0 } else { s }))
                );
            }
        }
        y.push_str("domains:\n");
        for s in 0..self.sites() {
            self.domain(&mut y, s, n);
        }
        y.push_str("databases:\n");
        for s in 0..self.sites() {
            let kind = if self.instances[s].len() > 1 {
                "rac"
            } else {
                "single"
            };
            let _ = writeln!(
                y,
                "  - name: {}\n    db_name: app\n    type: {kind}\n    instances:",
                n(&format!("db{s}"))
            );
            for (i, p) in self.instances[s].iter().enumerate() {
                let _ = writeln!(
                    y,
                    "      - {{name: {}, host: {}}}",
                    n(&format!("i{i}")),
                    n(&host(*p))
                );
            }
            let _ = writeln!(y, "    services: [{{name: {}}}]", n("svc"));
        }
        if self.dr {
            self.data_guard(&mut y, n);
        }
        y
    }

    fn domain(&self, y: &mut String, s: usize, n: &dyn Fn(&str) -> String) {
        if s == 1 && self.replica {
            return; // declared as `replicas:` of dom0
        }
        let _ = writeln!(y, "  - name: {}", n(&format!("dom{s}")));
        if s == 1 {
            let _ = writeln!(y, "    role: passive\n    replica_of: {}", n("dom0"));
        }
        let _ = writeln!(
            y,
            "    admin_server: {{host: {}}}\n    node_manager: {{enabled: {}}}\n    clusters:\n      - name: {}\n        servers:",
            n(&host((s as u8, 0, 9))),
            self.node_manager,
            n(&format!("c{s}"))
        );
        for (i, p) in self.servers[s].iter().enumerate() {
            let _ = writeln!(
                y,
                "          - {{name: {}, host: {}}}",
                n(&format!("s{s}x{i}")),
                n(&host(*p))
            );
        }
        if self.jms == Some(true) {
            let _ = writeln!(y, "        migration: {{data_source: {}}}", n("ds"));
        }
        if let Some(auto) = self.jms {
            let _ = writeln!(
                y,
                "    stores:\n      - {{name: {}, type: jdbc, cluster: {}, data_source: {}}}\n    singletons:\n      - {{name: {}, kind: jms-server, cluster: {}, store: {}, migration: {}}}",
                n("st"),
                n(&format!("c{s}")),
                n("ds"),
                n("jms"),
                n(&format!("c{s}")),
                n("st"),
                if auto { "exactly-once" } else { "manual" }
            );
        }
        let _ = writeln!(
            y,
            "    data_sources:\n      - {{name: {}, service: {}, targets: [{}]}}",
            n("ds"),
            n("svc"),
            n(&format!("c{s}"))
        );
        if self.dr && self.replica {
            let mut used: BTreeSet<Place> = self.servers[0].iter().copied().collect();
            used.insert((0, 0, 9));
            let map: Vec<String> = used
                .into_iter()
                .map(|p| format!("{}: {}", n(&host(p)), n(&host(standby(p)))))
                .collect();
            let _ = writeln!(
                y,
                "    replicas:\n      - site: {}\n        hosts: {{{}}}",
                n("dc1"),
                map.join(", ")
            );
        }
    }

    fn data_guard(&self, y: &mut String, n: &dyn Fn(&str) -> String) {
        let transport = if self.sync { "sync" } else { "async" };
        let lag = self.lag.map(|l| format!(", lag: {l}s")).unwrap_or_default();
        let mode = if self.max_availability {
            "max-availability"
        } else {
            "max-performance"
        };
        let _ = writeln!(
            y,
            "data_guard:\n  - name: {}\n    primary: {}\n    standbys: [{{database: {}, transport: {transport}{lag}}}]\n    protection_mode: {mode}",
            n("dg"),
            n("db0"),
            n("db1")
        );
        if !self.max_availability {
            y.push_str("    protection_mode_reason: generated\n");
        }
        if self.fsfo {
            let _ = writeln!(
                y,
                "    fast_start_failover: {{threshold: 30s, lag_limit: 30s}}\n    observers: [{{name: {}, host: {}}}]",
                n("obs"),
                n(&host(self.observer))
            );
        }
    }
}

fn places(site: u8, n: std::ops::RangeInclusive<usize>) -> impl Strategy<Value = Vec<Place>> {
    prop::collection::vec((Just(site), 0..2u8, 0..3u8), n)
}

fn topo() -> impl Strategy<Value = Topo> {
    let site = |s: u8| {
        (
            places(s, 1..=2),
            places(s, 1..=3),
            places(s, 1..=3),
            places(s, 1..=2),
        )
    };
    (
        (any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>()),
        site(0),
        site(1),
        prop::option::of(any::<bool>()),
        (any::<bool>(), any::<bool>(), any::<bool>()),
        (0..3u8, 0..2u8, 0..3u8),
        prop::option::of(1..90u8),
    )
        .prop_map(
            |((dr, replica, glb, nm), a, b, jms, (sync, ma, fsfo), observer, lag)| Topo {
                dr,
                replica: dr && replica,
                glb,
                node_manager: nm,
                lb: [a.0, b.0],
                ohs: [a.1, b.1],
                servers: [a.2, b.2],
                instances: [a.3, b.3],
                jms,
                sync,
                max_availability: ma,
                fsfo,
                observer,
                lag: if sync { None } else { lag },
            },
        )
}

fn same(s: &str) -> String {
    s.to_string()
}

fn model(text: &str) -> maa::resolve::Model {
    let loaded = maa::load::load_str("prop.yaml", text.to_string())
        .unwrap_or_else(|e| panic!("{text}\n{e:?}"));
    maa::resolve::resolve(loaded).unwrap_or_else(|e| panic!("{text}\n{e:?}"))
}

/// The services a scenario leaves down until repaired.
fn stopped(sim: &Simulator<'_>, failed: &[NodeId]) -> BTreeSet<NodeId> {
    sim.run(failed, false)
        .apps
        .iter()
        .filter(|r| r.status == Status::Down)
        .map(|r| r.app)
        .collect()
}

/// Checks the differential property on one topology; `Err` describes the disagreement.
fn differential(text: &str) -> Result<usize, String> {
    let m = model(text);
    let a = Analysis::new(&m);
    let gr = &a.graph;
    // The cut sets assume a failed element is lost: so does this simulator (a restart in
    // place would otherwise recover a service no redundancy carried).
    let sim = Simulator::new(&m, gr).without_restarts();
    let mut checked = 0;
    for e in &gr.events {
        let by_sim = stopped(&sim, &[*e]);
        for app in &gr.apps {
            let by_cuts = a.cuts.singles(*app).contains(&(e.index() as u32));
            if by_cuts != by_sim.contains(app) {
                return Err(format!(
                    "{}: cut sets say SPOF={by_cuts} for {}, the simulator says {}",
                    gr.g[*e].id(),
                    gr.g[*app].id(),
                    if by_sim.contains(app) {
                        "stopped"
                    } else {
                        "served"
                    }
                ));
            }
            checked += 1;
        }
    }
    // Partitions (any two links cut together) stop a service only where the cut sets
    // say so: what the simulator adds to a partition (a commit stall, an isolated
    // primary failed over, a fenced half) never turns a service down by itself.
    let links: Vec<NodeId> = gr
        .events
        .iter()
        .copied()
        .filter(|e| gr.g[*e].kind == maa::graph::Kind::Link)
        .collect();
    for (i, x) in links.iter().enumerate() {
        for y in links.iter().skip(i + 1) {
            for app in stopped(&sim, &[*x, *y]) {
                let (xi, yi) = (x.index() as u32, y.index() as u32);
                let singles = a.cuts.singles(app);
                let cut = a.cuts.truncated(app)
                    || singles.contains(&xi)
                    || singles.contains(&yi)
                    || a.cuts.pairs(app).contains(&(xi.min(yi), xi.max(yi)));
                if !cut {
                    return Err(format!(
                        "{} + {}: stops {} in simulation, not a cut set",
                        gr.g[*x].id(),
                        gr.g[*y].id(),
                        gr.g[app].id()
                    ));
                }
                checked += 1;
            }
        }
    }
    // Every minimal double fault stops its service in simulation.
    for app in &gr.apps {
        for (x, y) in a.cuts.pairs(*app) {
            let pair = [NodeId::new(*x as usize), NodeId::new(*y as usize)];
            if !stopped(&sim, &pair).contains(app) {
                return Err(format!(
                    "{} + {}: a double fault for {} by the cut sets, served in simulation",
                    gr.g[pair[0]].id(),
                    gr.g[pair[1]].id(),
                    gr.g[*app].id()
                ));
            }
            checked += 1;
        }
    }
    Ok(checked)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: DIFF_CASES, ..ProptestConfig::default() })]

    #[test]
    fn spof_analysis_and_simulation_agree(t in topo()) {
        let text = t.yaml(&same);
        if let Err(e) = differential(&text) {
            prop_assert!(false, "{e}\n{text}");
        }
    }
}

/// One scenario's figures per service, by service id: (status, RTO, RPO).
type Figures = BTreeMap<String, (Status, Option<Duration>, Duration)>;

fn figures(gr: &maa::graph::Graph, s: &Scenario, unname: &dyn Fn(&str) -> String) -> Figures {
    s.apps
        .iter()
        .map(|r| (unname(&gr.g[r.app].id()), (r.status, r.rto, r.rpo)))
        .collect()
}

/// Every single-event scenario of a topology, keyed by the event's id mapped by `unname`.
fn all_scenarios(text: &str, unname: &dyn Fn(&str) -> String) -> BTreeMap<String, Figures> {
    let m = model(text);
    let a = Analysis::new(&m);
    let sim = Simulator::new(&m, &a.graph);
    a.graph
        .events
        .iter()
        .map(|e| {
            let s = sim.run(&[*e], false);
            (unname(&a.graph.g[*e].id()), figures(&a.graph, &s, unname))
        })
        .collect()
}

/// `b` is no worse than `a` for every scenario and service of `a`: not down where `a`
/// recovered, RTO and RPO no greater. `what` names the change, for the message.
fn no_worse(
    a: &BTreeMap<String, Figures>,
    b: &BTreeMap<String, Figures>,
    what: &str,
) -> Result<(), String> {
    for (event, fa) in a {
        let Some(fb) = b.get(event) else { continue };
        for (app, (sb, rto_b, rpo_b)) in fb {
            let (sa, rto_a, rpo_a) = fa.get(app).copied().unwrap_or((
                Status::Unaffected,
                Some(Duration::ZERO),
                Duration::ZERO,
            ));
            let worse_rto = match (rto_a, rto_b) {
                (Some(x), Some(y)) => y > &x,
                (Some(_), None) => true,
                _ => false,
            };
            if worse_rto || rpo_b > &rpo_a {
                return Err(format!(
                    "{what}: fail {event}: {app} was {sa:?} RTO {rto_a:?} RPO {rpo_a}, becomes {sb:?} RTO {rto_b:?} RPO {rpo_b}"
                ));
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: META_CASES, ..ProptestConfig::default() })]

    /// One more member, on a host of its own, in any redundancy group never makes any
    /// scenario worse.
    #[test]
    fn adding_a_healthy_member_never_worsens_a_scenario(t in topo(), g in 0..4usize, s in 0..2usize, z in 0..3u8) {
        let mut more = t.clone();
        // On a host of its own in a zone of its own (zone 9 of its site): no event of the
        // first topology but its site's (which takes its peers too) reaches it.
        let site = if more.dr { s } else { 0 };
        let place = (site as u8, 9, z);
        match g {
            0 => more.lb[site].push(place),
            1 => more.ohs[site].push(place),
            2 => more.servers[site].push(place),
            _ => more.instances[site].push(place),
        }
        let before = all_scenarios(&t.yaml(&same), &same);
        let after = all_scenarios(&more.yaml(&same), &same);
        if let Err(e) = no_worse(&before, &after, &format!("member added to group {g}")) {
            prop_assert!(false, "{e}\n{}", more.yaml(&same));
        }
    }

    /// SYNC → ASYNC (and maximum availability → maximum performance) never lowers an RPO.
    #[test]
    fn asynchronous_replication_never_lowers_an_rpo(t in topo(), lag in prop::option::of(1..90u8), perf in any::<bool>()) {
        let mut sync = t.clone();
        sync.dr = true;
        sync.sync = true;
        sync.max_availability = true;
        sync.lag = None;
        let mut asyn = sync.clone();
        asyn.sync = false;
        asyn.lag = lag;
        asyn.max_availability = !perf;
        let a = all_scenarios(&sync.yaml(&same), &same);
        let b = all_scenarios(&asyn.yaml(&same), &same);
        for (event, fb) in &b {
            for (app, (_, _, rpo_b)) in fb {
                let rpo_a = a.get(event).and_then(|f| f.get(app)).map_or(Duration::ZERO, |x| x.2);
                prop_assert!(*rpo_b >= rpo_a, "fail {event}: {app} RPO {rpo_a} with SYNC, {rpo_b} with ASYNC\n{}", asyn.yaml(&same));
            }
        }
    }

    /// Renaming every object (and so changing every name order) changes no figure.
    #[test]
    fn renaming_changes_nothing(t in topo(), salt in any::<u64>()) {
        // A renaming that reorders names: a salted hash prefix, then the old name.
        let prefix = move |s: &str| {
            let mut h = salt;
            for b in s.bytes() {
                h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
            }
            format!("q{:04x}{s}", h & 0xffff)
        };
        let rename = move |s: &str| prefix(s);
        // Ids are `kind:name`, and names of some kinds join others (`c0/jms`, `db0.i0`,
        // `lb0@servers`): unrenaming strips every prefix.
        let unname = |id: &str| {
            let mut out = String::new();
            let mut rest = id;
            while let Some(i) = rest.find('q') {
                let (head, tail) = rest.split_at(i);
                out.push_str(head);
                let hex = tail.get(1..5).unwrap_or("");
                if hex.len() == 4 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
                    rest = &tail[5..];
                } else {
                    out.push('q');
                    rest = &tail[1..];
                }
            }
            out.push_str(rest);
            // A link is named by its two sites in name order.
            if let Some(pair) = out.strip_prefix("link:")
                && let Some((a, b)) = pair.split_once(" <-> ")
                && a > b
            {
                return format!("link:{b} <-> {a}");
            }
            out
        };
        let a = all_scenarios(&t.yaml(&same), &same);
        let b = all_scenarios(&t.yaml(&rename), &unname);
        prop_assert_eq!(a, b, "\n{}", t.yaml(&rename));
    }
}
