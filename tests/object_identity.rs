//! Object paths and codes are what users commit in baselines and match in CI: each format
//! and each code is listed in a snapshot, so a change to either is a reviewed diff.

// Test code: an unwrap/expect that fails is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use maa::diagnostic::Code;
use maa::resolve::path::ObjectKind;

/// A path with the text inside each `[...]` but `[*]` dropped: `domains[].clusters[]`.
fn shape(path: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in path.replace("[*]", "<*>").chars() {
        match c {
            '[' => {
                if depth == 0 {
                    out.push('[');
                }
                depth += 1;
            }
            ']' => {
                depth -= 1;
                if depth == 0 {
                    out.push(']');
                }
            }
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Topologies with every kind of object, and findings on most, between them: the render fixture (its `@NAME@`
/// slots filled) and two shipped topologies (AWS; GoldenGate and Coherence).
fn models() -> Vec<maa::resolve::Model> {
    let mut fixture = include_str!("fixtures/render/oracle-full.yaml").to_owned();
    for (slot, value) in [
        ("@DESC@", "fixture"),
        ("@VERSION@", "19c"),
        ("@CLUSTER@", "shop_cluster"),
        ("@SERVICE@", "shop_rw"),
        ("@JNDI@", "jdbc/shop"),
        ("@URL@", "jdbc:oracle:thin:@//scan:1522/shop_rw"),
        ("@DIR@", "/u01/stores"),
    ] {
        fixture = fixture.replace(slot, value);
    }
    let load = |name: &str, text: String| {
        let loaded = maa::load::load_str(name, text).map_err(|e| e.len());
        let model = loaded.and_then(|l| maa::resolve::resolve(l).map_err(|e| e.len()));
        model.unwrap_or_else(|n| panic!("{name}: {n} errors"))
    };
    let mut models = vec![load("oracle-full.yaml", fixture)];
    for p in [
        "topologies/aws-fsxn-asg.yaml",
        "topologies/active-active-goldengate.yaml",
    ] {
        let text = std::fs::read_to_string(common::root().join(p)).expect("reads");
        models.push(load(p, text));
    }
    models
}

#[test]
fn object_path_formats() {
    let mut s = String::new();
    for k in ObjectKind::ALL {
        writeln!(s, "{k:?}: {} e.g. {}", k.format(), k.example()).unwrap();
    }
    insta::assert_snapshot!(s);
}

#[test]
fn every_graph_and_table_path_has_a_declared_format() {
    let declared: BTreeMap<String, ObjectKind> = ObjectKind::ALL
        .iter()
        .map(|k| (shape(&k.example()), *k))
        .collect();
    assert_eq!(
        declared.len(),
        ObjectKind::ALL.len(),
        "two kinds share a shape"
    );
    // One example of each shape the graph, the object table and the rules' findings produce.
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for m in models() {
        let gr = maa::graph::build(&m);
        let graph = gr.g.node_weights().map(|n| n.object.clone());
        let table = m.objects().iter().map(|(_, o)| o.path.clone());
        let findings = maa::rules::check(&m).into_iter().map(|d| d.object);
        for p in graph.chain(table).chain(findings) {
            seen.entry(shape(&p)).or_insert(p);
        }
    }
    let undeclared: Vec<&String> = seen
        .iter()
        .filter(|(shape, _)| !declared.contains_key(*shape))
        .map(|(_, p)| p)
        .collect();
    assert!(
        undeclared.is_empty(),
        "paths of no ObjectKind: {undeclared:?}"
    );
    let mut s = String::new();
    for (shape, example) in &seen {
        writeln!(s, "{:?}: {example}", declared[shape]).unwrap();
    }
    insta::assert_snapshot!(s);
}

#[test]
fn the_table_names_each_object_once_and_finds_it_by_path() {
    for m in models() {
        let objects = m.objects();
        let mut paths = std::collections::BTreeSet::new();
        for (id, o) in objects.iter() {
            assert!(paths.insert(o.path.clone()), "{} twice", o.path);
            assert_eq!(objects.find(&o.path), Some(id));
            assert_eq!(objects.get(id).map(|x| &x.path), Some(&o.path));
            assert!(o.path.contains(&format!("[{}]", o.name)), "{}", o.path);
        }
        assert!(!paths.is_empty());
    }
}

#[test]
fn codes() {
    let mut s = String::new();
    for c in Code::ALL {
        assert_eq!(Code::parse(c.as_str()), Some(*c));
        assert!(c.is_load() != c.is_config(), "{c} is in one area");
        writeln!(s, "{c} ({})", c.name()).unwrap();
    }
    for r in maa::rules::catalogue() {
        let d = r.doc();
        assert!(
            Code::parse(&d.code).is_none(),
            "{} is a rule and an error code",
            d.code
        );
        writeln!(s, "{} ({})", d.code, d.name).unwrap();
    }
    insta::assert_snapshot!(s);
}
