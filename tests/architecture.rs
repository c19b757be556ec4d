//! The layering of `src/` is an invariant: data flows one way, and a module imports only
//! from the layers below its own. This test reads every `.rs` file under `src/`, finds
//! every path that names a top-level module of the crate (`crate::x`, grouped
//! `use crate::{x, y}`, inline `crate::x::f(..)`, and `super::…` chains that climb to the
//! crate root), and fails on each edge the layer list does not allow, with its file and line.
//!
//! The files are tokenised by `proc-macro2` (the lexer of the Rust proc-macro ecosystem), so
//! comments, doc comments and string literals never count, and paths inside macro calls
//! (`format!`, `vec!`) do. docs/architecture.md shows the same list; a test below keeps the
//! two equal.

// Test code: an unwrap/expect that fails is a failed test (its helpers are no #[test] items).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};

mod common;

/// The layers, bottom first. A module may import from a module of a lower layer; modules of
/// one layer do not import each other. Every top-level module of `src/` is in exactly one.
const LAYERS: &[&[&str]] = &[
    &["diagnostic", "encode", "fsio", "input", "terminal"],
    &["model"],
    &["schema"],
    &["load", "walk"],
    &["resolve"],
    &["graph"],
    &["analysis"],
    &["rules"],
    &["config"],
    &["suppress"],
    &["check", "render", "report"],
    &["cli"],
];

/// The layer of a top-level module.
fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

/// One use of a top-level module: `from` (the module of the file) names `to` at `line`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Edge {
    line: usize,
    from: String,
    to: String,
}

/// The module path of a file under `src/`: `rules/aws/mod.rs` → `[rules, aws]`,
/// `graph/build.rs` → `[graph, build]`, `lib.rs` → `[]`.
fn module_path(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_owned())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// Every top-level module named by a path in `source`, a file whose module path is `module`.
fn edges(source: &str, module: &[String]) -> Result<Vec<(usize, String)>, String> {
    let tokens = TokenStream::from_str(source).map_err(|e| format!("cannot tokenise: {e}"))?;
    let mut out = Vec::new();
    scan(tokens, module.len(), &mut out);
    Ok(out)
}

/// Walks a token stream at module depth `depth` (0 = crate root), collecting the top-level
/// modules that paths reach.
fn scan(tokens: TokenStream, depth: usize, out: &mut Vec<(usize, String)>) {
    let tt: Vec<TokenTree> = tokens.into_iter().collect();
    let mut i = 0;
    while i < tt.len() {
        // `mod name { … }`: one level deeper inside the braces.
        if let (Some(TokenTree::Ident(m)), Some(TokenTree::Ident(_)), Some(TokenTree::Group(g))) =
            (tt.get(i), tt.get(i + 1), tt.get(i + 2))
            && m == "mod"
            && g.delimiter() == Delimiter::Brace
        {
            scan(g.stream(), depth + 1, out);
            i += 3;
            continue;
        }
        match &tt[i] {
            TokenTree::Group(g) => scan(g.stream(), depth, out),
            TokenTree::Ident(id) if !after_path_sep(&tt, i) => {
                // `crate ::` is the root; `super ::` × n is the root when n ≥ depth (more
                // does not compile). `pub(crate)` and `pub(super)` are no paths (n = 0).
                let n = if id == "crate" {
                    usize::from(path_sep(&tt, i + 1))
                } else if id == "super" {
                    supers(&tt, i)
                } else {
                    0
                };
                if n > 0 {
                    let next = i + 3 * n;
                    if id == "crate" || n >= depth {
                        roots(&tt, next, out);
                    }
                    i = next;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
}

/// Whether `tt[i]` and `tt[i + 1]` are the two colons of `::`.
fn path_sep(tt: &[TokenTree], i: usize) -> bool {
    matches!((tt.get(i), tt.get(i + 1)),
        (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b)))
            if a.as_char() == ':' && a.spacing() == Spacing::Joint && b.as_char() == ':')
}

/// Whether the token at `i` follows a `::` (so it is not the start of a path).
fn after_path_sep(tt: &[TokenTree], i: usize) -> bool {
    i >= 2 && path_sep(tt, i - 2)
}

/// How many `super ::` segments start at `i`.
fn supers(tt: &[TokenTree], mut i: usize) -> usize {
    let mut n = 0;
    while matches!(tt.get(i), Some(TokenTree::Ident(s)) if s == "super") && path_sep(tt, i + 1) {
        n += 1;
        i += 3;
    }
    n
}

/// The top-level modules named at `tt[i]`, just after a path prefix that reached the crate
/// root: an identifier, or a `{ … }` group of paths (each item's first identifier).
fn roots(tt: &[TokenTree], i: usize, out: &mut Vec<(usize, String)>) {
    match tt.get(i) {
        Some(TokenTree::Ident(id)) => out.push((id.span().start().line, id.to_string())),
        Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Brace => {
            let items: Vec<TokenTree> = g.stream().into_iter().collect();
            let mut first = true;
            for (k, t) in items.iter().enumerate() {
                match t {
                    TokenTree::Punct(p) if p.as_char() == ',' => first = true,
                    TokenTree::Ident(id) if first => {
                        first = false;
                        if id != "self" {
                            out.push((id.span().start().line, id.to_string()));
                        }
                    }
                    TokenTree::Group(_) if first => {
                        // `{ { … } }` does not occur in a use tree at the root.
                        first = false;
                        roots(&items, k, out);
                    }
                    _ => first = false,
                }
            }
        }
        _ => {}
    }
}

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Every edge of `src/` that names a top-level module, as `(file, edge)`; the crate root
/// (`lib.rs`) declares the modules and the binary (`main.rs`) reaches the library by name,
/// so neither has layer edges.
fn crate_edges() -> Vec<(String, Edge)> {
    let src = common::root().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut out = Vec::new();
    for f in files {
        let rel = f.strip_prefix(&src).expect("under src").to_path_buf();
        let module = module_path(&rel);
        let Some(from) = module.first().cloned() else {
            continue;
        };
        let text = std::fs::read_to_string(&f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        let found = edges(&text, &module).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        for (line, to) in found {
            let name = format!("src/{}", rel.display());
            out.push((
                name,
                Edge {
                    line,
                    from: from.clone(),
                    to,
                },
            ));
        }
    }
    out
}

/// Why an edge is refused, or `None` when the layer list allows it.
fn refusal(from: &str, to: &str) -> Option<String> {
    if from == to {
        return None;
    }
    let names = |l: usize| format!("layer {l} `{}`", LAYERS[l].join(", "));
    match (layer(from), layer(to)) {
        (None, _) => Some(format!(
            "`{from}` is in no layer: add it to LAYERS here and in docs/architecture.md"
        )),
        (_, None) => Some(format!("`{to}` is in no layer")),
        (Some(f), Some(t)) if f == t => Some(format!(
            "both in {}; modules of one layer do not import each other",
            names(f)
        )),
        (Some(f), Some(t)) if t > f => Some(format!(
            "{to} is in {}, above {from} in {}; imports only go down: move what both need \
             down, see docs/architecture.md",
            names(t),
            names(f)
        )),
        _ => None,
    }
}

#[test]
fn imports_only_go_down_the_layers() {
    let edges = crate_edges();
    let mut bad = Vec::new();
    for (file, e) in &edges {
        if let Some(why) = refusal(&e.from, &e.to) {
            bad.push(format!(
                "{file}:{}: {} → {} is not allowed ({why})",
                e.line, e.from, e.to
            ));
        }
    }
    assert!(
        bad.is_empty(),
        "{} import(s) against the layers:\n{}",
        bad.len(),
        bad.join("\n")
    );
    // The scan sees the crate's real edges (guards against a scanner that finds nothing).
    let seen: BTreeSet<(&str, &str)> = edges
        .iter()
        .map(|(_, e)| (e.from.as_str(), e.to.as_str()))
        .collect();
    for expected in [
        ("cli", "check"),
        ("check", "suppress"),
        ("rules", "analysis"),
        ("graph", "resolve"),
        ("load", "schema"),
        ("render", "fsio"),
    ] {
        assert!(seen.contains(&expected), "edge {expected:?} not found");
    }
}

#[test]
fn every_module_is_in_a_layer() {
    let src = common::root().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let modules: BTreeSet<String> = files
        .iter()
        .filter_map(|f| module_path(f.strip_prefix(&src).ok()?).first().cloned())
        .collect();
    let listed: BTreeSet<String> = LAYERS
        .iter()
        .flat_map(|l| l.iter().map(|m| (*m).to_owned()))
        .collect();
    assert_eq!(modules, listed, "top-level modules of src/ versus LAYERS");
}

#[test]
fn the_binary_only_calls_the_cli() {
    let text = std::fs::read_to_string(common::root().join("src/main.rs")).expect("main.rs");
    let tokens: Vec<TokenTree> = TokenStream::from_str(&text)
        .expect("tokenise")
        .into_iter()
        .flat_map(flatten)
        .collect();
    for (i, t) in tokens.iter().enumerate() {
        if let TokenTree::Ident(id) = t
            && id == "maa"
            && path_sep(&tokens, i + 1)
        {
            let next = tokens.get(i + 3).map(ToString::to_string);
            assert_eq!(
                next.as_deref(),
                Some("cli"),
                "src/main.rs:{}",
                id.span().start().line
            );
        }
    }
}

/// A token tree and, for a group, every token inside it.
fn flatten(t: TokenTree) -> Vec<TokenTree> {
    match t {
        TokenTree::Group(g) => g.stream().into_iter().flat_map(flatten).collect(),
        t => vec![t],
    }
}

/// docs/architecture.md lists the layers of [`LAYERS`], top first, in its `layers` block.
#[test]
fn the_documented_layers_are_the_tested_ones() {
    let doc = std::fs::read_to_string(common::root().join("docs/architecture.md")).expect("doc");
    let block = doc
        .split("<!-- layers:begin -->")
        .nth(1)
        .and_then(|rest| rest.split("<!-- layers:end -->").next())
        .expect("docs/architecture.md has a <!-- layers:begin --> … <!-- layers:end --> block");
    let documented: Vec<Vec<String>> = block
        .lines()
        .filter_map(|l| {
            let l = l.trim();
            let names = l.strip_prefix('|')?.split('|').nth(1)?;
            let mods: Vec<String> = names
                .split(',')
                .map(|m| m.trim().trim_matches('`').to_owned())
                .filter(|m| !m.is_empty() && !m.starts_with('-') && m != "modules")
                .collect();
            (!mods.is_empty()).then_some(mods)
        })
        .collect();
    let tested: Vec<Vec<String>> = LAYERS
        .iter()
        .rev()
        .map(|l| l.iter().map(|m| (*m).to_owned()).collect())
        .collect();
    assert_eq!(documented, tested);
}

// The scanner itself, on sources whose edges are known.

fn scan_of(source: &str, module: &[&str]) -> Vec<(usize, String)> {
    let module: Vec<String> = module.iter().map(|m| (*m).to_owned()).collect();
    edges(source, &module).expect("tokenise")
}

#[test]
fn scanner_finds_every_path_form() {
    let src = r#"
use crate::model::Sp;
use crate::{graph::Graph, resolve::{Model, sorted_names}, self};
fn f() {
    let p = crate::rules::path::site("x");
    let q = format!("{}", crate::render::targets().len());
}
"#;
    assert_eq!(
        scan_of(src, &["graph", "build"]),
        vec![
            (2, "model".to_owned()),
            (3, "graph".to_owned()),
            (3, "resolve".to_owned()),
            (5, "rules".to_owned()),
            (6, "render".to_owned()),
        ]
    );
}

#[test]
fn scanner_ignores_comments_and_strings() {
    let src = r#"
//! Uses [`crate::cli`] in a doc comment.
// use crate::cli;
/* crate::cli::main() */
/// [`crate::render`]
fn f() -> &'static str { "crate::cli::main" }
"#;
    assert_eq!(scan_of(src, &["model"]), vec![]);
}

#[test]
fn scanner_follows_super_to_the_root_only() {
    // In src/rules/aws/mod.rs (depth 2): `super::x` is rules::x, `super::super::x` the root.
    let src = "use super::util;\nuse super::super::render::Target;\nfn f() { super::super::cli::main(); }\n";
    assert_eq!(
        scan_of(src, &["rules", "aws"]),
        vec![(2, "render".to_owned()), (3, "cli".to_owned())]
    );
    // In src/rules/mod.rs (depth 1) `super::` is the root; inside `mod tests { … }` it is
    // rules again.
    let src = "use super::{cli, report::human};\nmod tests {\n    use super::Rule;\n    use super::super::graph;\n}\n";
    assert_eq!(
        scan_of(src, &["rules"]),
        vec![
            (1, "cli".to_owned()),
            (1, "report".to_owned()),
            (4, "graph".to_owned()),
        ]
    );
    // `a::crate` / `x::super` are not path starts.
    assert_eq!(scan_of("fn f() { m::super::cli(); }", &["rules"]), vec![]);
}

#[test]
fn layer_rules() {
    assert_eq!(refusal("render", "resolve"), None);
    assert_eq!(refusal("rules", "rules"), None);
    assert!(refusal("render", "cli").is_some_and(|w| w.contains("above render")));
    assert!(refusal("report", "render").is_some_and(|w| w.contains("one layer")));
    assert!(refusal("config", "suppress").is_some());
    assert!(refusal("nowhere", "model").is_some_and(|w| w.contains("no layer")));
}
