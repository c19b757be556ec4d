//! Properties of the SPOF analysis on generated topologies.

// Test code: an unwrap/expect that fails is a failed test. clippy.toml allows them only in
// #[test] and #[cfg(test)] code, which an integration test's helper functions are not.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use maa::analysis::Analysis;
use proptest::prelude::*;

/// Zones z0..z(n-1) (4 hosts each) plus a spare zone `zn` with host `hn`.
#[derive(Debug, Clone)]
struct Topo {
    zones: usize,
    lb: Vec<(usize, usize)>,
    ohs: Vec<(usize, usize)>,
    servers: Vec<(usize, usize)>,
    instances: Vec<(usize, usize)>,
}

const SPARE: (usize, usize) = (usize::MAX, 0);

fn host((z, i): (usize, usize)) -> String {
    if z == usize::MAX {
        "hn".to_string()
    } else {
        format!("h{z}x{i}")
    }
}

/// A deterministic permutation of 0..n from a seed (`None`: identity).
fn perm(n: usize, seed: Option<u64>) -> Vec<usize> {
    let mut v: Vec<usize> = (0..n).collect();
    if let Some(mut s) = seed {
        for i in (1..n).rev() {
            s = s
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let j = (s >> 33) as usize % (i + 1);
            v.swap(i, j);
        }
    }
    v
}

impl Topo {
    fn yaml(&self, seed: Option<u64>) -> String {
        let s = |k: u64| seed.map(|x| x ^ k.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let mut y = String::from(
            "version: 1\nname: prop\narchitecture: single-site\nsites:\n  - name: dc1\n    role: primary\n    zones:\n",
        );
        let mut zones: Vec<String> = (0..self.zones)
            .map(|z| {
                let hosts: Vec<String> = perm(4, s(z as u64 + 1))
                    .into_iter()
                    .map(|i| format!("{{name: {}}}", host((z, i))))
                    .collect();
                format!(
                    "      - name: z{z}\n        hosts: [{}]\n",
                    hosts.join(", ")
                )
            })
            .collect();
        zones.push("      - name: zn\n        hosts: [{name: hn}]\n".to_string());
        for i in perm(zones.len(), s(100)) {
            y.push_str(&zones[i]);
        }
        // A load balancer lists each appliance once (the loader refuses a host listed
        // twice): two members on one host are that host.
        let mut lb: Vec<String> = Vec::new();
        for h in perm(self.lb.len(), s(101))
            .into_iter()
            .map(|i| host(self.lb[i]))
        {
            if !lb.contains(&h) {
                lb.push(h);
            }
        }
        y.push_str(&format!(
            "load_balancers:\n  - {{name: lb, site: dc1, hosts: [{}]}}\nohs:\n",
            lb.join(", ")
        ));
        for i in perm(self.ohs.len(), s(102)) {
            y.push_str(&format!(
                "  - {{name: o{i}, host: {}, routes: [{{path: /app, cluster: c}}]}}\n",
                host(self.ohs[i])
            ));
        }
        y.push_str("domains:\n  - name: dom\n    admin_server: {host: hn}\n    clusters:\n      - name: c\n        servers:\n");
        for i in perm(self.servers.len(), s(103)) {
            y.push_str(&format!(
                "          - {{name: s{i}, host: {}}}\n",
                host(self.servers[i])
            ));
        }
        y.push_str("    data_sources:\n      - {name: ds, service: svc, targets: [c]}\ndatabases:\n  - name: db\n    type: rac\n    instances:\n");
        for i in perm(self.instances.len(), s(104)) {
            y.push_str(&format!(
                "      - {{name: i{i}, host: {}}}\n",
                host(self.instances[i])
            ));
        }
        y.push_str("    services: [{name: svc}]\n");
        y
    }
}

fn analyse(text: &str) -> (Analysis, maa::resolve::Model) {
    let loaded = maa::load::load_str("prop.yaml", text.to_string())
        .unwrap_or_else(|e| panic!("{text}\n{e:?}"));
    let m = maa::resolve::resolve(loaded).unwrap_or_else(|e| panic!("{text}\n{e:?}"));
    (Analysis::new(&m), m)
}

fn spofs(text: &str) -> BTreeSet<String> {
    let (a, _) = analyse(text);
    a.spofs.iter().map(|s| a.graph.g[s.event].id()).collect()
}

fn placement(
    zones: usize,
    n: std::ops::RangeInclusive<usize>,
) -> impl Strategy<Value = Vec<(usize, usize)>> {
    prop::collection::vec((0..zones, 0..4usize), n)
}

fn topo(members: std::ops::RangeInclusive<usize>) -> impl Strategy<Value = Topo> {
    (1..=3usize).prop_flat_map(move |zones| {
        (
            Just(zones),
            placement(zones, members.clone()),
            placement(zones, members.clone()),
            placement(zones, members.clone()),
            placement(zones, members.clone()),
        )
            .prop_map(|(zones, lb, ohs, servers, instances)| Topo {
                zones,
                lb,
                ohs,
                servers,
                instances,
            })
    })
}

fn group(t: &mut Topo, g: usize) -> &mut Vec<(usize, usize)> {
    match g % 4 {
        0 => &mut t.lb,
        1 => &mut t.ohs,
        2 => &mut t.servers,
        _ => &mut t.instances,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn a_member_on_a_distinct_failure_domain_never_adds_a_spof(t in topo(1..=3), g in 0..4usize) {
        let before = spofs(&t.yaml(None));
        let mut t2 = t.clone();
        group(&mut t2, g).push(SPARE);
        let after = spofs(&t2.yaml(None));
        prop_assert!(after.is_subset(&before), "new SPOFs {:?}", after.difference(&before).collect::<Vec<_>>());
    }

    #[test]
    fn moving_the_second_member_onto_the_first_members_host_adds_a_spof(t in topo(2..=2), g in 0..4usize) {
        let mut t2 = t.clone();
        let members = group(&mut t2, g);
        members[1] = members[0];
        let shared = host(members[0]);
        let after = spofs(&t2.yaml(None));
        prop_assert!(after.contains(&format!("host:{shared}")), "host:{} not a SPOF: {:?}", shared, after);
    }

    #[test]
    fn results_do_not_depend_on_yaml_order(t in topo(1..=3), seed in any::<u64>()) {
        let (a1, m1) = analyse(&t.yaml(None));
        let (a2, m2) = analyse(&t.yaml(Some(seed)));
        let ids = |a: &Analysis| a.spofs.iter().map(|s| (a.graph.g[s.event].id(), s.apps.iter().map(|x| a.graph.g[*x].id()).collect::<Vec<_>>(), a.chain_text(&s.chain))).collect::<Vec<_>>();
        prop_assert_eq!(ids(&a1), ids(&a2));
        prop_assert_eq!(a1.doubles.total, a2.doubles.total);
        // The resilience rules (other rules have their own tests).
        let diags = |m: &maa::resolve::Model| {
            maa::rules::check(m)
                .into_iter()
                .filter(|d| d.code.starts_with("SPOF") || d.code.starts_with("OBJ"))
                .map(|d| (d.code, d.severity, d.message))
                .collect::<BTreeSet<_>>()
        };
        prop_assert_eq!(diags(&m1), diags(&m2));
    }
}
