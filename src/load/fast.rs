//! The span tree built straight from the parser's events, for the plain YAML topologies
//! are written in.
//!
//! serde-saphyr builds the same tree through serde (recording and replaying every key,
//! wrapping every node in `Spanned`), which costs about twice the parse itself. This
//! builder reads the same parser (serde-saphyr's own `granit_parser`, with the options
//! serde-saphyr derives from ours) and produces an identical tree: the same values, spans,
//! lines and columns. It covers block and flow collections, scalars, and anchors with
//! aliases (a few, to small nodes), without tags, merge keys or duplicate keys, well inside
//! serde-saphyr's budget. For anything else (including every syntax error) it declines,
//! and the caller parses with serde-saphyr, which handles the full language and words the
//! errors. A declined document is parsed twice; topologies rarely are.
//!
//! Scalars are typed as serde-saphyr types them: the common spellings (names, decimal
//! integers, `true`/`false`, empty) directly, any other plain scalar by asking serde-saphyr
//! about that scalar alone.

use std::borrow::Cow;

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use miette::SourceSpan;
use serde_saphyr::granit_parser::{Event, Parser, ScalarStyle, Span};

use super::tree::Node;
use crate::model::Sp;

/// Parses `text` into the span tree, or `None` when the text is outside the subset this
/// builder covers (the caller then parses it with serde-saphyr).
pub(super) fn parse(text: &str, options: &serde_saphyr::Options) -> Option<Sp<Node>> {
    if options.no_schema || options.require_indent != serde_saphyr::RequireIndent::Unchecked {
        return None;
    }
    let budget = options.budget.clone().unwrap_or_default();
    let mut parser = Parser::new_from_str_with_options(text, granit_options(options, &budget));
    let mut b = Builder {
        text_len: text.len(),
        budget,
        stack: Vec::new(),
        items: Vec::new(),
        entries: Vec::new(),
        root: None,
        documents: 0,
        events: 0,
        nodes: 0,
        scalar_bytes: 0,
        typed: HashMap::new(),
        anchors: HashMap::new(),
        aliases: 0,
        aliased_nodes: 0,
    };
    while let Some(item) = parser.next_event() {
        let (event, span) = item.ok()?;
        b.event(event, span)?;
    }
    if b.stack.is_empty() { b.root } else { None }
}

/// The parser options serde-saphyr uses for `options` (see its `Budget::parser_options`).
fn granit_options(
    options: &serde_saphyr::Options,
    budget: &serde_saphyr::Budget,
) -> serde_saphyr::granit_parser::Options {
    let mut o = serde_saphyr::granit_parser::Options::default();
    o.block_nesting_limit = o
        .block_nesting_limit
        .max(budget.max_depth.saturating_add(1));
    o.simple_key_max_lookahead = budget.simple_key_max_lookahead;
    o.flow_nesting_limit = budget.flow_nesting_limit;
    o.emit_comments = false;
    o.strict_indentation = options.strict_indentation;
    o
}

/// Aliases taken at most (serde-saphyr checks the alias/anchor ratio from 100 on).
const MAX_ALIASES: usize = 64;
/// Nodes an anchored node may hold to be taken, and nodes all expansions may add.
const MAX_ALIASED_NODES: usize = 10_000;

/// An open collection. Its items (entries) so far are the tail of the builder's shared
/// `items` (`entries`) stack from `from` on: each collection is then allocated once, at its
/// exact size, when it ends (growing a vector per collection item by item was a fifth of
/// the build of a large document, most of it the kernel zeroing fresh pages).
enum Frame {
    Seq {
        at: Sp<()>,
        anchor: usize,
        from: usize,
    },
    Map {
        at: Sp<()>,
        anchor: usize,
        from: usize,
        key: Option<Sp<String>>,
    },
}

struct Builder {
    text_len: usize,
    budget: serde_saphyr::Budget,
    stack: Vec<Frame>,
    items: Vec<Sp<Node>>,
    entries: Vec<(Sp<String>, Sp<Node>)>,
    root: Option<Sp<Node>>,
    documents: usize,
    events: usize,
    nodes: usize,
    scalar_bytes: usize,
    /// Plain scalars typed by serde-saphyr, by text (durations, addresses repeat).
    typed: HashMap<String, Node>,
    /// Anchored nodes, by the parser's anchor id (complete ones only).
    anchors: HashMap<usize, Sp<Node>>,
    aliases: usize,
    aliased_nodes: usize,
}

impl Builder {
    /// Takes one event; `None` declines the document.
    fn event(&mut self, event: Event<'_>, span: Span) -> Option<()> {
        self.events += 1;
        if self.events > self.budget.max_events {
            return None;
        }
        match event {
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => Some(()),
            Event::DocumentStart(..) => {
                self.documents += 1;
                (self.documents <= self.budget.max_documents.min(1)).then_some(())
            }
            Event::Scalar(value, style, anchor, tag) => {
                if tag.is_some() {
                    return None;
                }
                self.count_node()?;
                self.scalar_bytes += value.len();
                if self.scalar_bytes > self.budget.max_total_scalar_bytes {
                    return None;
                }
                let at = self.at(&span)?;
                if let Some(Frame::Map {
                    key: key @ None, ..
                }) = self.stack.last_mut()
                {
                    if anchor != 0 {
                        return None; // an anchored key
                    }
                    let raw = value.clone();
                    let text = key_text(type_scalar(value, style, &mut self.typed)?)?;
                    // A merge key; or a key typed as something else than its text (`y`
                    // is "true"), which serde-saphyr compares by text for duplicates.
                    if text == "<<" || text != raw {
                        return None;
                    }
                    *key = Some(at.map(|()| text));
                    return Some(());
                }
                let node = type_scalar(value, style, &mut self.typed)?;
                self.finish(at.map(|()| node), anchor)
            }
            Event::Alias(id) => {
                self.aliases += 1;
                if self.aliases > MAX_ALIASES.min(self.budget.max_aliases) || self.expects_key() {
                    return None;
                }
                let node = self.anchors.get(&id)?;
                self.aliased_nodes += size(node);
                if self.aliased_nodes > MAX_ALIASED_NODES {
                    return None;
                }
                // serde-saphyr replays the anchored events and places every node (and key)
                // of the copy at the alias.
                let at = self.at(&span)?;
                let copy = relocate(node, &at);
                self.attach(copy)
            }
            Event::SequenceStart(_, anchor, ref tag) | Event::MappingStart(_, anchor, ref tag) => {
                if tag.is_some() || self.expects_key() {
                    return None;
                }
                self.count_node()?;
                if self.stack.len() >= self.budget.max_depth {
                    return None;
                }
                let at = self.at(&span)?;
                self.stack
                    .push(if matches!(event, Event::SequenceStart(..)) {
                        Frame::Seq {
                            at,
                            anchor,
                            from: self.items.len(),
                        }
                    } else {
                        Frame::Map {
                            at,
                            anchor,
                            from: self.entries.len(),
                            key: None,
                        }
                    });
                Some(())
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (node, anchor) = match self.stack.pop()? {
                    Frame::Seq { at, anchor, from } => {
                        self.items.get(from..)?;
                        // Not `split_off`: from 0 it hands over the whole stack's capacity.
                        let items: Vec<_> = self.items.drain(from..).collect();
                        (at.map(|()| Node::Seq(items)), anchor)
                    }
                    Frame::Map {
                        at,
                        anchor,
                        from,
                        key,
                    } => {
                        let entries = self.entries.get(from..)?;
                        if key.is_some() || has_duplicate_key(entries) {
                            return None;
                        }
                        let entries: Vec<_> = self.entries.drain(from..).collect();
                        (at.map(|()| Node::Map(entries)), anchor)
                    }
                };
                self.finish(node, anchor)
            }
            // Aliases, anchors and anything newer: serde-saphyr's business.
            _ => None,
        }
    }

    fn count_node(&mut self) -> Option<()> {
        self.nodes += 1;
        (self.nodes <= self.budget.max_nodes).then_some(())
    }

    fn expects_key(&self) -> bool {
        matches!(self.stack.last(), Some(Frame::Map { key: None, .. }))
    }

    /// Where an event is, as serde-saphyr's `Spanned` reports it.
    fn at(&self, span: &Span) -> Option<Sp<()>> {
        let start = span.start.byte_offset()?;
        let end = span.end.byte_offset()?;
        if end < start || end > self.text_len {
            return None;
        }
        Some(Sp {
            value: (),
            span: SourceSpan::from(start..end),
            line: u32::try_from(span.start.line()).ok()?,
            col: u32::try_from(span.start.col().checked_add(1)?).ok()?,
        })
    }

    /// Remembers an anchored node, then attaches it.
    fn finish(&mut self, node: Sp<Node>, anchor: usize) -> Option<()> {
        if anchor != 0 {
            if self.anchors.len() >= self.budget.max_anchors || size(&node) > MAX_ALIASED_NODES {
                return None;
            }
            self.anchors.insert(anchor, node.clone());
        }
        self.attach(node)
    }

    /// Puts a finished node into its parent (or makes it the root).
    fn attach(&mut self, node: Sp<Node>) -> Option<()> {
        match self.stack.last_mut() {
            Some(Frame::Seq { .. }) => self.items.push(node),
            Some(Frame::Map { key, .. }) => self.entries.push((key.take()?, node)),
            None if self.root.is_none() => self.root = Some(node),
            None => return None,
        }
        Some(())
    }
}

/// Nodes in a tree (keys included).
fn size(node: &Sp<Node>) -> usize {
    1 + match &node.value {
        Node::Seq(items) => items.iter().map(size).sum(),
        Node::Map(entries) => entries.iter().map(|(_, v)| 1 + size(v)).sum(),
        _ => 0,
    }
}

/// A copy of `node` with every node and key placed at `at`.
fn relocate(node: &Sp<Node>, at: &Sp<()>) -> Sp<Node> {
    fn place<T>(value: T, at: &Sp<()>) -> Sp<T> {
        Sp {
            value,
            span: at.span,
            line: at.line,
            col: at.col,
        }
    }
    let value = match &node.value {
        Node::Seq(items) => Node::Seq(items.iter().map(|i| relocate(i, at)).collect()),
        Node::Map(entries) => Node::Map(
            entries
                .iter()
                .map(|(k, v)| (place(k.value.clone(), at), relocate(v, at)))
                .collect(),
        ),
        other => other.clone(),
    };
    place(value, at)
}

/// Types a scalar as serde-saphyr's `deserialize_any` does; `None` declines.
fn type_scalar(
    value: Cow<'_, str>,
    style: ScalarStyle,
    typed: &mut HashMap<String, Node>,
) -> Option<Node> {
    if style != ScalarStyle::Plain {
        return Some(Node::Str(value.into_owned()));
    }
    let v = value.as_ref();
    if v.is_empty() || matches!(v, "~" | "null" | "Null" | "NULL") {
        return Some(Node::Null);
    }
    match v {
        "true" | "True" | "TRUE" => return Some(Node::Bool(true)),
        "false" | "False" | "FALSE" => return Some(Node::Bool(false)),
        _ => {}
    }
    if let Some(i) = decimal(v) {
        return Some(Node::Int(i));
    }
    if is_name(v) {
        return Some(Node::Str(value.into_owned()));
    }
    if let Some(node) = typed.get(v) {
        return Some(node.clone());
    }
    let node = type_alone(v)?;
    typed.insert(v.to_owned(), node.clone());
    Some(node)
}

/// A decimal integer without sign or leading zero, short enough for any integer type.
fn decimal(v: &str) -> Option<i128> {
    let (neg, digits) = match v.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, v),
    };
    let b = digits.as_bytes();
    let ok = !b.is_empty()
        && b.len() <= 18
        && b.iter().all(u8::is_ascii_digit)
        && (b.len() == 1 || b.first() != Some(&b'0'));
    if !ok {
        return None;
    }
    let n: i128 = digits.parse().ok()?;
    Some(if neg { -n } else { n })
}

/// Text that serde-saphyr can only read as a string: it starts with a letter, ends with a
/// non-space, and is none of the YAML 1.1 boolean or null spellings (no number starts with
/// a letter, and the float parser's `inf`/`nan` are rejected as non-finite).
fn is_name(v: &str) -> bool {
    let b = v.as_bytes();
    let (Some(first), Some(last)) = (b.first(), b.last()) else {
        return false;
    };
    first.is_ascii_alphabetic()
        && !last.is_ascii_whitespace()
        && !["y", "yes", "on", "true", "n", "no", "off", "false", "null"]
            .iter()
            .any(|w| v.eq_ignore_ascii_case(w))
}

/// Types one plain scalar by giving serde-saphyr that scalar alone, when its text reads
/// back as the same plain scalar.
fn type_alone(v: &str) -> Option<Node> {
    let b = v.as_bytes();
    let first = *b.first()?;
    let last = *b.last()?;
    let reads_back = !b"-?:,[]{}#&*!|>'\"%@`".contains(&first)
        && !first.is_ascii_whitespace()
        && !last.is_ascii_whitespace()
        && !v.contains(['\n', '\r', '\t'])
        && !v.contains(": ")
        && !v.contains(" #")
        && !v.ends_with(':')
        && !v.starts_with("...");
    if !reads_back {
        return None;
    }
    let node: Node = serde_saphyr::from_str_with_options(v, super::parser_options()).ok()?;
    matches!(
        node,
        Node::Null | Node::Bool(_) | Node::Int(_) | Node::Float(_) | Node::Str(_)
    )
    .then_some(node)
}

/// A mapping key as text, as the tree's key reader renders it (`1: x` has key "1").
fn key_text(node: Node) -> Option<String> {
    Some(match node {
        Node::Str(s) => s,
        Node::Null => "null".into(),
        Node::Bool(b) => b.to_string(),
        Node::Int(i) if i64::try_from(i).is_ok() || u64::try_from(i).is_ok() => i.to_string(),
        Node::Float(f) => f.to_string(),
        _ => return None,
    })
}

fn has_duplicate_key(entries: &[(Sp<String>, Sp<Node>)]) -> bool {
    if entries.len() <= 16 {
        return entries
            .iter()
            .enumerate()
            .any(|(i, (k, _))| entries.iter().take(i).any(|(o, _)| o.value == k.value));
    }
    let mut seen = HashSet::with_capacity(entries.len());
    !entries.iter().all(|(k, _)| seen.insert(k.value.as_str()))
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use proptest::prelude::*;

    use super::*;
    use crate::load::parser_options;
    use crate::load::tree::parse_with_serde;

    /// Where two trees differ (value, span, line or column), or `None` when identical.
    fn diff(a: &Sp<Node>, b: &Sp<Node>, path: &str) -> Option<String> {
        let here = |what: &str| Some(format!("{path}: {what}: {:?} vs {:?}", a, b));
        if (a.span, a.line, a.col) != (b.span, b.line, b.col) {
            return here("position");
        }
        match (&a.value, &b.value) {
            (Node::Null, Node::Null) => None,
            (Node::Bool(x), Node::Bool(y)) if x == y => None,
            (Node::Int(x), Node::Int(y)) if x == y => None,
            (Node::Float(x), Node::Float(y)) if x.to_bits() == y.to_bits() => None,
            (Node::Str(x), Node::Str(y)) if x == y => None,
            (Node::Seq(x), Node::Seq(y)) if x.len() == y.len() => x
                .iter()
                .zip(y)
                .enumerate()
                .find_map(|(i, (x, y))| diff(x, y, &format!("{path}[{i}]"))),
            (Node::Map(x), Node::Map(y)) if x.len() == y.len() => {
                x.iter().zip(y).find_map(|((kx, vx), (ky, vy))| {
                    if (&kx.value, kx.span, kx.line, kx.col)
                        != (&ky.value, ky.span, ky.line, ky.col)
                    {
                        return Some(format!("{path}: key {kx:?} vs {ky:?}"));
                    }
                    diff(vx, vy, &format!("{path}.{}", kx.value))
                })
            }
            _ => here("value"),
        }
    }

    /// Parses `text` both ways: `Some(true)` when the fast builder took it (and agreed),
    /// `Some(false)` when it declined; panics on a disagreement.
    fn agrees(text: &str) -> bool {
        let fast = parse(text, &parser_options());
        let serde = parse_with_serde(text, parser_options());
        match (fast, serde) {
            (None, _) => false,
            (Some(f), Ok(s)) => {
                if let Some(d) = diff(&f, &s, "$") {
                    panic!("fast and serde-saphyr trees differ for {text:?}: {d}");
                }
                true
            }
            (Some(f), Err(e)) => {
                panic!("fast builder accepted what serde-saphyr rejects ({e}): {text:?} → {f:?}")
            }
        }
    }

    fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                yaml_files(&p, out);
            } else if p.extension().is_some_and(|x| x == "yaml" || x == "yml") {
                out.push(p);
            }
        }
    }

    #[test]
    fn every_shipped_yaml_file_gives_the_same_tree_both_ways() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for d in ["topologies", "tests", "docs", "rules"] {
            yaml_files(&root.join(d), &mut files);
        }
        files.sort();
        assert!(files.len() > 50, "only {} files found", files.len());
        let mut taken = 0;
        for f in &files {
            let text = std::fs::read_to_string(f).unwrap_or_default();
            taken += usize::from(agrees(&text));
        }
        // The shipped topologies are plain YAML: the fast builder must take them.
        for t in ["aws-fsxn-asg", "active-passive-rac", "stretch-cluster"] {
            let text = std::fs::read_to_string(root.join(format!("topologies/{t}.yaml")))
                .unwrap_or_default();
            assert!(
                agrees(&text),
                "the fast builder declined topologies/{t}.yaml"
            );
        }
        assert!(
            taken * 2 > files.len(),
            "fast builder took {taken} of {}",
            files.len()
        );
    }

    #[test]
    fn what_the_fast_builder_declines() {
        for text in [
            "a: !!str 1\n",
            "base: {x: 1}\nc:\n  <<: {y: 2}\n",
            "a: 1\na: 2\n",
            "? [a, b]\n: c\n",
            "a: 1\n---\nb: 2\n",
            "a: [1, 2\n",
            "",
            "# only a comment\n",
            "a: .inf\n",
        ] {
            assert!(!agrees(text), "the fast builder took {text:?}");
        }
    }

    #[test]
    fn scalars_are_typed_as_serde_saphyr_types_them() {
        for text in [
            "a: 007\nb: 0x1F\nc: 1_000\nd: 1e3\ne: -0\nf: +5\ng: 1.50\nh: 10.0.1.5\n",
            "a: yes\nb: No\nc: ON\nd: off\ne: y\nf: N\ng: True\nh: FALSE\ni: ~\nj: Null\n",
            "a: inf\nb: nan\nc: infinity\nd: 5m\ne: 30s\nf: 19c\ng: 12.2.1.4\nh: 1.\n",
            "a: -12\nb: 123456789012345678\nc: 1234567890123456789012\nd: 0\ne: -\n",
            "a: 'q'\nb: \"d\\tq\"\nc: |\n  lit\n  eral\nd: >\n  fold\n  ed\n",
            "1: a\ntrue: b\n~: c\n1.5: d\nyes: e\n0x10: f\n",
            "a: multi\n  line plain\n\n  with blank\nb: x # comment\n",
            "list:\n- a\n- {b: 1, c: [d, e]}\n- []\n- {}\n-\n- - nested\n",
            "a: é ü\nb: 'ünïcode'\nc: 日本\n",
            "a: b:c\nb: http://x/y?z#w\nc: a,b\n",
            "a: &x 1\nb: *x\nc: &m {k: [v, w], l: {m: n}}\nd: *m\ne: [*m, *x]\n",
            "a: &s [1, 2]\nb:\n  c: *s\n",
        ] {
            agrees(text);
        }
    }

    fn scalar() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-z][a-z0-9_.-]{0,8}",
            "-?[0-9]{1,22}",
            "[0-9]{1,3}(\\.[0-9]{0,3}){0,3}[a-z]{0,2}",
            "(yes|no|on|off|y|n|true|false|null|~|inf|nan|\\.inf|\\.nan|0x1f|0o17|0b11|1e5)",
            "'[a-z ]{0,6}'",
            "\"[a-z :]{0,6}\"",
            "[a-zA-Zé ]{1,10}",
        ]
    }

    fn yaml(depth: u32) -> BoxedStrategy<String> {
        let leaf = scalar().boxed();
        if depth == 0 {
            return leaf;
        }
        let inner = yaml(depth - 1);
        prop_oneof![
            leaf,
            proptest::collection::vec((scalar(), inner.clone()), 0..4).prop_map(|kv| {
                let body: Vec<String> = kv.iter().map(|(k, v)| format!("{k}: {v}")).collect();
                format!("{{{}}}", body.join(", "))
            }),
            proptest::collection::vec(inner, 0..4).prop_map(|v| format!("[{}]", v.join(", "))),
        ]
        .boxed()
    }

    /// Mostly names, as topology keys are; sometimes any scalar.
    fn key() -> BoxedStrategy<String> {
        prop_oneof![12 => "[a-z][a-z0-9_-]{0,6}", 1 => scalar()].boxed()
    }

    /// A block mapping or sequence at `indent`, with flow leaves, comments and anchors.
    fn block(depth: u32, indent: usize) -> BoxedStrategy<String> {
        let pad = " ".repeat(indent);
        let leaf = prop_oneof![
            4 => yaml(1),
            1 => Just("&a [x, y]".to_string()),
            1 => Just("*a".to_string()),
            1 => Just("x # note".to_string()),
        ];
        if depth == 0 {
            let pad = pad.clone();
            return proptest::collection::vec((key(), leaf), 1..4)
                .prop_map(move |kv| kv.iter().map(|(k, v)| format!("{pad}{k}: {v}\n")).collect())
                .boxed();
        }
        let inner = block(depth - 1, indent + 2);
        let p1 = pad.clone();
        let p2 = pad;
        prop_oneof![
            proptest::collection::vec((key(), leaf.clone(), inner.clone(), any::<bool>()), 1..4)
                .prop_map(move |kv| {
                    kv.iter()
                        .map(|(k, v, nested, deep)| {
                            if *deep {
                                format!("{p1}{k}:\n{nested}")
                            } else {
                                format!("{p1}{k}: {v}\n")
                            }
                        })
                        .collect()
                }),
            proptest::collection::vec((leaf, inner, any::<bool>()), 1..4).prop_map(move |items| {
                items
                    .iter()
                    .map(|(v, nested, deep)| {
                        if *deep {
                            format!("{p2}-\n{nested}")
                        } else {
                            format!("{p2}- {v}\n")
                        }
                    })
                    .collect()
            }),
        ]
        .boxed()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// Block documents, as topologies are written.
        #[test]
        fn the_fast_block_tree_is_the_serde_tree(body in block(3, 2)) {
            agrees(&format!("anchor: &a [x, y]\nbody:\n{body}"));
        }

        /// Whatever the fast builder takes, it builds exactly the tree serde-saphyr builds.
        #[test]
        fn the_fast_tree_is_the_serde_tree(
            entries in proptest::collection::vec((scalar(), yaml(2)), 1..6),
            block in any::<bool>(),
        ) {
            let text: String = if block {
                entries.iter().map(|(k, v)| format!("{k}: {v}\n")).collect()
            } else {
                let body: Vec<String> = entries.iter().map(|(k, v)| format!("{k}: {v}")).collect();
                format!("{{{}}}\n", body.join(", "))
            };
            agrees(&text);
        }
    }
}
