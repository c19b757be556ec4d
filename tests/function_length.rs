//! No function of `src/` runs over [`MAX_LINES`] lines unless the comment right above it
//! says why (`// long-fn: <reason>`). Long functions hide their steps; the developers' guide
//! asks for small ones, and this test keeps it true.
//!
//! Files are tokenised by `proc-macro2`, so a `fn` inside a string, a comment or a function
//! pointer type (`fn(&str) -> u32`, no name) is not taken for a function; nested functions
//! and methods are measured each on their own.

// Test code: an unwrap/expect that fails is a failed test (its helpers are no #[test] items).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::str::FromStr;

use proc_macro2::{Delimiter, TokenStream, TokenTree};

mod common;

/// Longest body allowed without a reason, in lines from its `{` to its `}`.
const MAX_LINES: usize = 120;

/// A function: its name, the line of its `fn` and the lines its body spans.
#[derive(Debug)]
struct Function {
    name: String,
    line: usize,
    body_lines: usize,
}

/// Every named function of a token stream, nested ones included.
fn functions(tokens: TokenStream, out: &mut Vec<Function>) {
    let tt: Vec<TokenTree> = tokens.into_iter().collect();
    for (i, t) in tt.iter().enumerate() {
        match t {
            TokenTree::Group(g) => functions(g.stream(), out),
            TokenTree::Ident(kw) if kw == "fn" => {
                let Some(TokenTree::Ident(name)) = tt.get(i + 1) else {
                    continue; // a function pointer type
                };
                // The body is the first brace group after the signature; a `;` first means
                // a declaration without one (a trait method).
                let body = tt[i + 2..].iter().find_map(|t| match t {
                    TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => Some(Some(g)),
                    TokenTree::Punct(p) if p.as_char() == ';' => Some(None),
                    _ => None,
                });
                if let Some(Some(g)) = body {
                    out.push(Function {
                        name: name.to_string(),
                        line: kw.span().start().line,
                        body_lines: g.span().end().line - g.span().start().line + 1,
                    });
                }
            }
            _ => {}
        }
    }
}

/// Whether the comments and attributes right above line `line` (1-based) give a reason
/// (`long-fn: …`, with some text after the colon).
fn has_reason(lines: &[&str], line: usize) -> bool {
    lines[..line.saturating_sub(1)]
        .iter()
        .rev()
        .map(|l| l.trim())
        .take_while(|l| l.starts_with("//") || l.starts_with("#["))
        .filter_map(|l| l.split_once("long-fn:"))
        .any(|(_, reason)| reason.trim().len() >= 10)
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The functions of `source` over the limit without a reason, as `name (N lines) at LINE`.
fn too_long(source: &str) -> Vec<String> {
    let mut fns = Vec::new();
    functions(TokenStream::from_str(source).unwrap(), &mut fns);
    let lines: Vec<&str> = source.lines().collect();
    fns.iter()
        .filter(|f| f.body_lines > MAX_LINES && !has_reason(&lines, f.line))
        .map(|f| {
            format!(
                "{}:{}: fn {} has {} lines",
                "{}", f.line, f.name, f.body_lines
            )
        })
        .collect()
}

#[test]
fn no_function_is_long_without_a_reason() {
    let src = common::root().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    assert!(files.len() > 100, "only {} files under src/", files.len());
    let mut bad = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let rel = f
            .strip_prefix(common::root())
            .unwrap()
            .display()
            .to_string();
        bad.extend(
            too_long(&text)
                .into_iter()
                .map(|b| b.replacen("{}", &rel, 1)),
        );
    }
    assert!(
        bad.is_empty(),
        "functions over {MAX_LINES} lines; split them, or say why above them with \
         `// long-fn: <reason>`:\n{}",
        bad.join("\n")
    );
}

/// The test finds what it should: a long body, nested functions, a reason only when given.
#[test]
fn the_guard_itself() {
    let body = "    let x = 1;\n".repeat(MAX_LINES);
    let long = format!("fn long() {{\n{body}}}\n");
    assert_eq!(too_long(&long).len(), 1, "a long function is found");
    let short = "fn short() {\n    let x = 1;\n}\n";
    assert!(too_long(short).is_empty());
    let nested = format!(
        "impl X {{\n    fn outer() {{\n        fn inner() {{\n{body}        }}\n    }}\n}}\n"
    );
    let found = too_long(&nested);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found.iter().any(|f| f.contains("fn inner")));
    let reasoned =
        format!("// long-fn: one table of cases, read top to bottom\n#[allow(x)]\n{long}");
    assert!(too_long(&reasoned).is_empty());
    let lazy = format!("// long-fn:\n{long}");
    assert_eq!(too_long(&lazy).len(), 1, "a reason needs words");
    let pointer = format!("type F = fn(u32) -> u32;\nconst S: &str = \"fn fake() {{}}\";\n{short}");
    assert!(too_long(&pointer).is_empty());
}
