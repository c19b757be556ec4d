//! Every field of the topology format has a consequence: `docs/fields.md` names, for each leaf
//! property of the generated JSON Schema, the rule(s) or source file(s) that read it, or says
//! why it is descriptive (or a known gap). The schema is walked here, so a field added to the
//! model without a row fails, and a row naming no field (a typo, a renamed field) fails too.

// Test code: an unwrap/expect that fails is a failed test. clippy.toml allows them only in
// #[test] and #[cfg(test)] code, which an integration test's helper functions are not.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use serde_json::Value;

/// The `$ref` targets under `node` (through `anyOf` / `oneOf` / `allOf`), each with whether it
/// is reached as the items of an array.
fn refs(node: &Value, in_array: bool, out: &mut Vec<(String, bool)>) {
    if let Some(r) = node.get("$ref").and_then(Value::as_str) {
        out.push((r.rsplit('/').next().unwrap_or(r).to_owned(), in_array));
    }
    for k in ["anyOf", "oneOf", "allOf"] {
        for x in node.get(k).and_then(Value::as_array).into_iter().flatten() {
            refs(x, in_array, out);
        }
    }
    if let Some(items) = node.get("items") {
        refs(items, true, out);
    }
}

/// Every property path of an object schema (`domains[].clusters[].name`), and which of them
/// are leaves (no properties of their own).
fn walk(
    node: &Value,
    defs: &serde_json::Map<String, Value>,
    prefix: &str,
    seen: &BTreeSet<String>,
    leaves: &mut BTreeSet<String>,
) {
    let Some(props) = node.get("properties").and_then(Value::as_object) else {
        return;
    };
    for (name, schema) in props {
        let path = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}.{name}")
        };
        let mut targets = Vec::new();
        refs(schema, false, &mut targets);
        let mut nested = false;
        for (def, in_array) in targets {
            let Some(d) = defs.get(&def) else { continue };
            if d.get("properties").is_none() || seen.contains(&def) {
                continue;
            }
            nested = true;
            let mut seen = seen.clone();
            seen.insert(def);
            let p = if in_array {
                format!("{path}[]")
            } else {
                path.clone()
            };
            walk(d, defs, &p, &seen, leaves);
        }
        if let Some(items) = schema
            .get("items")
            .filter(|i| i.get("properties").is_some())
        {
            nested = true;
            walk(items, defs, &format!("{path}[]"), seen, leaves);
        }
        if !nested {
            leaves.insert(path);
        }
    }
}

fn schema_fields() -> BTreeSet<String> {
    let schema = maa::schema::topology_schema();
    let defs = schema
        .get("definitions")
        .and_then(Value::as_object)
        .expect("the schema has definitions");
    let mut leaves = BTreeSet::new();
    walk(schema, defs, "", &BTreeSet::new(), &mut leaves);
    leaves
}

/// `docs/fields.md` rows: field path → what reads it.
fn table() -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(common::root().join("docs/fields.md")).unwrap();
    let mut rows = BTreeMap::new();
    for line in text.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = line.trim_matches('|').split(" | ").map(str::trim).collect();
        let [field, by] = cells[..] else {
            panic!("docs/fields.md: a row has two cells: {line}");
        };
        let field = field.trim_matches('`').to_owned();
        assert!(
            rows.insert(field.clone(), by.to_owned()).is_none(),
            "docs/fields.md: `{field}` has two rows"
        );
    }
    rows
}

/// The source file a consumer names: a rule code's check, or `src/<name>.rs` (`mod.rs` of a
/// directory).
fn consumer_file(name: &str) -> Option<PathBuf> {
    let root = common::root();
    if maa::rules::find(name).is_some() {
        let prefix = format!("{}_", name.to_lowercase());
        for area in std::fs::read_dir(root.join("src/rules")).unwrap() {
            let area = area.unwrap().path();
            if !area.is_dir() {
                continue;
            }
            for f in std::fs::read_dir(&area).unwrap() {
                let f = f.unwrap().path();
                let file = f.file_name().and_then(|n| n.to_str()).unwrap_or_default();
                if file.starts_with(&prefix) && file.ends_with(".rs") {
                    return Some(f);
                }
            }
        }
        return None;
    }
    let file = root.join("src").join(format!("{name}.rs"));
    let module = root.join("src").join(name).join("mod.rs");
    [file, module].into_iter().find(|p| p.is_file())
}

/// Whether `text` has `word` as a whole identifier.
fn names(text: &str, word: &str) -> bool {
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    text.match_indices(word).any(|(i, _)| {
        !text[..i].chars().next_back().is_some_and(ident)
            && !text[i + word.len()..].chars().next().is_some_and(ident)
    })
}

#[test]
fn every_schema_field_has_a_row_and_every_row_a_field() {
    let fields = schema_fields();
    assert!(
        fields.len() > 250,
        "the walk found only {} fields",
        fields.len()
    );
    let rows = table();
    let missing: Vec<String> = fields
        .iter()
        .filter(|f| !rows.contains_key(*f))
        .map(|f| {
            format!("| `{f}` | <rule code or src file that reads it, or `descriptive: <why>`> |")
        })
        .collect();
    assert!(
        missing.is_empty(),
        "fields of the topology schema without a row in docs/fields.md; add (in schema order):\n{}",
        missing.join("\n")
    );
    let stale: Vec<&String> = rows.keys().filter(|r| !fields.contains(*r)).collect();
    assert!(
        stale.is_empty(),
        "rows of docs/fields.md that name no field of the schema (renamed, removed or \
         misspelt; leaves only): {stale:?}"
    );
}

#[test]
fn every_consumer_exists_and_names_the_field() {
    let mut failures = Vec::new();
    for (field, by) in table() {
        if let Some(reason) = by
            .strip_prefix("descriptive:")
            .or_else(|| by.strip_prefix("GAP:"))
        {
            if reason.trim().len() < 10 {
                failures.push(format!("`{field}`: give the reason in a sentence"));
            }
            continue;
        }
        let leaf = field
            .rsplit('.')
            .next()
            .unwrap_or(&field)
            .trim_end_matches("[]");
        let word = if leaf == "type" { "r#type" } else { leaf };
        for name in by
            .split(',')
            .map(|s| s.trim().split(' ').next().unwrap_or_default())
        {
            match consumer_file(name) {
                None => failures.push(format!(
                    "`{field}`: `{name}` is neither a rule code nor a file src/{name}.rs (or src/{name}/mod.rs)"
                )),
                Some(p) => {
                    let text = std::fs::read_to_string(&p).unwrap();
                    if !names(&text, word) {
                        failures.push(format!(
                            "`{field}`: {} does not name `{word}`",
                            common::rel(&p)
                        ));
                    }
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "docs/fields.md:\n{}",
        failures.join("\n")
    );
}
