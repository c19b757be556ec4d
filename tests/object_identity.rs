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
    // One example of each kind the graph, the object table and the rules' findings produce,
    // listed by the shape of the kind's format. A finding's kind is its object's in the
    // table, or else the declared kind of its path's shape.
    let mut seen: BTreeMap<String, (ObjectKind, String)> = BTreeMap::new();
    let mut undeclared = Vec::new();
    for m in models() {
        let objects = m.objects();
        let gr = maa::graph::build(&m);
        let graph =
            gr.g.node_weights()
                .map(|n| (Some(n.object.kind()), n.object.to_string()));
        let table = objects.iter().map(|(_, o)| (Some(o.kind), o.path.clone()));
        let findings = maa::rules::check(&m).into_iter().map(|d| {
            let kind = objects
                .find(&d.object)
                .and_then(|id| objects.get(id))
                .map(|o| o.kind);
            (
                kind.or_else(|| declared.get(&shape(&d.object)).copied()),
                d.object,
            )
        });
        for (kind, p) in graph.chain(table).chain(findings) {
            match kind {
                Some(k) => {
                    seen.entry(shape(&k.example())).or_insert((k, p));
                }
                None => undeclared.push(p),
            }
        }
    }
    assert!(
        undeclared.is_empty(),
        "paths of no ObjectKind: {undeclared:?}"
    );
    let mut s = String::new();
    for (kind, example) in seen.values() {
        writeln!(s, "{kind:?}: {example}").unwrap();
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
            // An element of a list ends with its name; a part (`.admin_server`) or a singleton
            // (`topology`) does not.
            if o.kind.format().ends_with(']') {
                assert!(o.path.contains(&format!("[{}]", o.name)), "{}", o.path);
            }
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

/// Every topology the repository ships or tests rules with: the shipped topologies, each
/// rule's trigger and clean fixture and the render fixture.
fn all_models() -> Vec<(String, maa::resolve::Model)> {
    let root = common::root();
    let mut files: Vec<std::path::PathBuf> = Vec::new();
    for dir in ["topologies", "tests/fixtures/rules"] {
        let mut stack = vec![root.join(dir)];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).expect("reads").flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|x| x == "yaml") {
                    files.push(p);
                }
            }
        }
    }
    files.sort();
    let mut out: Vec<(String, maa::resolve::Model)> = files
        .iter()
        .filter_map(|p| {
            let shown = p.strip_prefix(&root).unwrap_or(p).display().to_string();
            // A rules fixture that is not a topology (a generator input) is skipped.
            let m = maa::resolve::load_model(p, &shown).ok()?;
            Some((shown, m))
        })
        .collect();
    assert!(out.len() > 100, "only {} topologies load", out.len());
    out.extend(
        models()
            .into_iter()
            .take(1)
            .map(|m| ("oracle-full.yaml".to_owned(), m)),
    );
    out
}

/// A finding or a graph node names an object of the topology: one the objects table holds.
/// A path the table does not know is a bug (a baseline could name it, but no suppression of
/// an object, and no custom rule, could ever reach it).
#[test]
fn every_finding_and_graph_node_names_an_object_of_the_table() {
    let mut findings = 0;
    let mut missing = Vec::new();
    for (file, m) in all_models() {
        let objects = m.objects();
        for d in maa::rules::check(&m) {
            findings += 1;
            if objects.find(&d.object).is_none() {
                missing.push(format!("{file}: finding {} on {}", d.code, d.object));
            }
        }
        for n in maa::graph::build(&m).g.node_weights() {
            let Some(id) = objects.find(n.object.as_str()) else {
                missing.push(format!("{file}: graph node {} on {}", n.name, n.object));
                continue;
            };
            let o = objects.get(id).expect("an id the table gave");
            assert_eq!(o.kind, n.object.kind(), "{file}: {}", n.object);
        }
    }
    assert!(
        findings > 100,
        "only {findings} findings: the test proves little"
    );
    assert!(
        missing.is_empty(),
        "{} not in the table:\n{}",
        missing.len(),
        missing.join("\n")
    );
}
