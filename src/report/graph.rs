//! The dependency and failure-domain graph as Graphviz DOT, Mermaid or JSON (`maa graph`).
//! Placement (region → site → zone → host) is drawn as nested clusters / subgraphs; single
//! points of failure are highlighted.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde_json::json;

use crate::analysis::Analysis;
use crate::graph::{EdgeKind, Gate, Graph, Kind, NodeId};
use crate::resolve::Model;

/// Output format of `maa graph`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum GraphFormat {
    Dot,
    Mermaid,
    Json,
}

/// Renders the graph of an analysed model; `internal` draws the internal gate nodes
/// (redundancy groups without a name of their own) instead of folding them into the edges.
pub fn render(m: &Model, a: &Analysis, format: GraphFormat, internal: bool) -> String {
    let v = View::new(m, a, internal);
    match format {
        GraphFormat::Dot => v.dot(m),
        GraphFormat::Mermaid => v.mermaid(m),
        GraphFormat::Json => v.json(m),
    }
}

/// How a drawn edge looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Line {
    /// An edge of the graph ("needs").
    Dep(EdgeKind),
    /// An inter-site link to one of its two sites.
    Link,
    /// A Data Guard observer or far sync to the databases of its configuration.
    Observes,
}

/// An edge as DOT and Mermaid draw it.
struct Drawn {
    from: NodeId,
    to: NodeId,
    line: Line,
    /// The gate folded into it ("1 of 2": the innermost group the target is a member of),
    /// when internal nodes are hidden.
    label: String,
}

/// A deterministic view of the graph: stable ids, containers and SPOF marks.
struct View<'a> {
    gr: &'a Graph,
    /// Nodes in output order, with their stable id.
    order: Vec<NodeId>,
    sid: BTreeMap<NodeId, usize>,
    /// Node → the failure domain it is drawn in.
    container: BTreeMap<NodeId, NodeId>,
    spof: BTreeSet<NodeId>,
    /// Whether internal gate nodes are drawn.
    internal: bool,
    /// Failure domains drawn as boxes (clusters, subgraphs): those with something in them.
    boxes: BTreeSet<NodeId>,
    /// Links and observers, connected for the picture (they have no "needs" edge of their
    /// own to draw).
    extra: Vec<Drawn>,
}

impl<'a> View<'a> {
    fn new(m: &Model, a: &'a Analysis, internal: bool) -> View<'a> {
        let gr = &a.graph;
        let mut order: Vec<NodeId> = gr.g.node_indices().collect();
        order.sort_by(|x, y| (gr.g[*x].kind, &gr.g[*x].name).cmp(&(gr.g[*y].kind, &gr.g[*y].name)));
        let sid = order.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        let mut container = BTreeMap::new();
        for id in &order {
            let placed = gr
                .deps(*id)
                .iter()
                .find(|(t, e)| *e == EdgeKind::PlacedOn && gr.g[*t].kind.is_domain())
                .map(|(t, _)| *t);
            let c = placed.or_else(|| {
                if gr.g[*id].kind.is_domain() {
                    None
                } else {
                    gr.g[*id].site
                }
            });
            if let Some(c) = c {
                container.insert(*id, c);
            }
        }
        let mut spof = BTreeSet::new();
        for s in a.spofs.iter().filter(|s| s.matters) {
            spof.insert(s.event);
            spof.extend(s.folded.iter().copied());
        }
        let mut v = View {
            gr,
            order,
            sid,
            container,
            spof,
            internal,
            boxes: BTreeSet::new(),
            extra: Vec::new(),
        };
        v.boxes = v
            .order
            .iter()
            .filter(|id| !v.hidden(**id))
            .filter_map(|id| v.container.get(id).copied())
            .collect();
        v.extra = extra_edges(m, gr);
        v
    }

    /// Whether a node is left out of the picture (an internal gate node, by default).
    fn hidden(&self, id: NodeId) -> bool {
        !self.internal && self.gr.g[id].kind == Kind::Group
    }

    fn label(&self, id: NodeId) -> String {
        let n = &self.gr.g[id];
        let gate = match (n.gate, self.gr.g.neighbors(id).count()) {
            (Gate::AtLeast(k), total) if total > 1 || k > 1 => format!("\n({k} of {total})"),
            _ => String::new(),
        };
        let spof = if self.spof.contains(&id) {
            "\nSPOF"
        } else {
            ""
        };
        let passive = if n.passive { " (passive)" } else { "" };
        format!("{} {}{passive}{gate}{spof}", n.kind.as_str(), n.name)
    }

    /// "k of n" for a node with an at-least gate over several targets.
    fn gate_text(&self, id: NodeId) -> String {
        match (self.gr.g[id].gate, self.gr.deps(id).len()) {
            (Gate::AtLeast(k), total) if total > 1 || k > 1 => format!("{k} of {total}"),
            _ => String::new(),
        }
    }

    /// The drawn targets of an edge `→ t`: `t` itself, or through a hidden gate node the
    /// drawn nodes behind it, with the gates passed on the way.
    fn targets(
        &self,
        t: NodeId,
        e: EdgeKind,
        depth: usize,
        out: &mut Vec<(NodeId, EdgeKind, String)>,
    ) {
        if !self.hidden(t) {
            out.push((t, e, String::new()));
            return;
        }
        // Groups nest a few levels at most; the bound keeps a cycle (a modelling error,
        // reported elsewhere) from recursing.
        if depth > 16 {
            return;
        }
        let gate = self.gate_text(t);
        for &(u, inner) in self.gr.deps(t) {
            let kind = if e == EdgeKind::Standby { e } else { inner };
            let mut sub = Vec::new();
            self.targets(u, kind, depth + 1, &mut sub);
            // The innermost gate is the choice the target is one of.
            for (y, k, l) in sub {
                let label = if l.is_empty() { gate.clone() } else { l };
                out.push((y, k, label));
            }
        }
    }

    /// The edges DOT and Mermaid draw, in node order: every edge but a "placed on" that the
    /// nesting of boxes already shows, hidden gate nodes folded into the edges through them
    /// (one edge per pair), then the links' and observers' edges.
    fn drawn_edges(&self) -> Vec<Drawn> {
        let mut out = Vec::new();
        let mut seen = BTreeSet::new();
        for id in self.order.iter().filter(|id| !self.hidden(**id)) {
            for &(t, e) in self.gr.deps(*id) {
                if e == EdgeKind::PlacedOn && self.container.get(id) == Some(&t) {
                    continue;
                }
                let mut to = Vec::new();
                self.targets(t, e, 0, &mut to);
                for (y, k, label) in to {
                    if seen.insert((*id, y)) {
                        out.push(Drawn {
                            from: *id,
                            to: y,
                            line: Line::Dep(k),
                            label,
                        });
                    }
                }
            }
        }
        out.extend(self.extra.iter().map(|d| Drawn {
            from: d.from,
            to: d.to,
            line: d.line,
            label: d.label.clone(),
        }));
        out
    }

    /// Drawn nodes by the box they are drawn in (None = top level).
    fn children(&self) -> BTreeMap<Option<NodeId>, Vec<NodeId>> {
        let mut ch: BTreeMap<Option<NodeId>, Vec<NodeId>> = BTreeMap::new();
        for id in self.order.iter().filter(|id| !self.hidden(**id)) {
            ch.entry(self.container.get(id).copied())
                .or_default()
                .push(*id);
        }
        ch
    }

    /// The boxes around a node, innermost first (a box itself included).
    fn boxes_around(&self, id: NodeId) -> Vec<NodeId> {
        let mut v = Vec::new();
        let mut cur = if self.boxes.contains(&id) {
            Some(id)
        } else {
            self.container.get(&id).copied()
        };
        while let Some(c) = cur {
            if v.contains(&c) || v.len() > 8 {
                break;
            }
            v.push(c);
            cur = self.container.get(&c).copied();
        }
        v
    }

    /// The innermost box holding both ends of an edge (an end that is a box is outside it).
    fn common_box(&self, a: NodeId, b: NodeId) -> Option<NodeId> {
        let outer = |id: NodeId| {
            let mut v = self.boxes_around(id);
            if self.boxes.contains(&id) {
                v.remove(0);
            }
            v
        };
        let (x, y) = (outer(a), outer(b));
        x.into_iter().find(|c| y.contains(c))
    }

    /// A drawn node inside a box, for DOT edges that end at the box (`lhead`/`ltail`).
    fn anchor(&self, ch: &BTreeMap<Option<NodeId>, Vec<NodeId>>, id: NodeId) -> NodeId {
        let mut cur = id;
        for _ in 0..8 {
            match ch.get(&Some(cur)).and_then(|v| v.first()) {
                Some(first) if self.boxes.contains(first) => cur = *first,
                Some(first) => return *first,
                None => return cur,
            }
        }
        cur
    }

    fn dot(&self, m: &Model) -> String {
        let mut o = String::new();
        let _ = writeln!(o, "digraph maa {{");
        let _ = writeln!(
            o,
            "  label=\"{}\";",
            dot_escape(&format!(
                "{} — dependency and failure-domain graph (maa)",
                m.topo.name
            ))
        );
        let _ = writeln!(
            o,
            "  labelloc=t; rankdir=LR; compound=true; newrank=true; fontname=\"Helvetica\";"
        );
        let _ = writeln!(
            o,
            "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", fontname=\"Helvetica\", fontsize=10];"
        );
        let _ = writeln!(
            o,
            "  edge [fontname=\"Helvetica\", fontsize=8, color=\"#555555\"];"
        );
        let ch = self.children();
        let mut edges: BTreeMap<Option<NodeId>, Vec<String>> = BTreeMap::new();
        for d in self.drawn_edges() {
            edges
                .entry(self.common_box(d.from, d.to))
                .or_default()
                .push(self.dot_edge(&ch, &d));
        }
        self.dot_level(&mut o, &ch, &edges, None, 1);
        for e in edges.get(&None).into_iter().flatten() {
            let _ = writeln!(o, "  {e}");
        }
        let _ = writeln!(o, "}}");
        o
    }

    /// One DOT edge statement (without indentation).
    fn dot_edge(&self, ch: &BTreeMap<Option<NodeId>, Vec<NodeId>>, d: &Drawn) -> String {
        let mut attrs: Vec<String> = Vec::new();
        let end = |id: NodeId, key: &str, attrs: &mut Vec<String>| {
            if self.boxes.contains(&id) {
                attrs.push(format!("{key}=cluster_{}", self.sid[&id]));
                self.anchor(ch, id)
            } else {
                id
            }
        };
        let from = end(d.from, "ltail", &mut attrs);
        let to = end(d.to, "lhead", &mut attrs);
        let mut label = d.label.clone();
        match d.line {
            Line::Dep(EdgeKind::Standby) => {
                attrs.push("style=dashed".into());
                label = join("standby", &label);
            }
            Line::Dep(EdgeKind::PlacedOn) => {
                attrs.push("style=dotted".into());
                label = join("placed on", &label);
            }
            Line::Dep(EdgeKind::Requires) => attrs.push("color=\"#1f4e79\"".into()),
            Line::Dep(EdgeKind::Member) => {}
            Line::Link => attrs.push("dir=none, style=bold, color=\"#7a5c00\"".into()),
            Line::Observes => attrs.push("style=dotted, color=\"#6b3fa0\"".into()),
        }
        if !label.is_empty() {
            attrs.push(format!("label=\"{}\"", dot_escape(&label)));
        }
        let attrs = if attrs.is_empty() {
            String::new()
        } else {
            format!(" [{}]", attrs.join(", "))
        };
        format!("n{} -> n{}{attrs};", self.sid[&from], self.sid[&to])
    }

    fn dot_node(&self, o: &mut String, id: NodeId, indent: usize) {
        let n = &self.gr.g[id];
        let pad = "  ".repeat(indent);
        let shape = match n.kind {
            Kind::App | Kind::Client => "shape=oval, fillcolor=\"#e8f1fb\"",
            Kind::Host => "shape=box3d, style=filled, fillcolor=\"#f2f2f2\"",
            Kind::Zone | Kind::Site | Kind::Region => {
                "shape=tab, style=filled, fillcolor=\"#f7f7f7\""
            }
            Kind::Group => "shape=diamond, fillcolor=\"#fffbe6\"",
            Kind::Storage | Kind::Fsxn | Kind::FileServer => {
                "shape=cylinder, style=filled, fillcolor=\"#eef7ee\""
            }
            Kind::Link => "shape=cds, style=filled, fillcolor=\"#f7f7f7\"",
            _ => "",
        };
        let spof = if self.spof.contains(&id) {
            ", color=\"#c00000\", penwidth=2.5, fontcolor=\"#c00000\""
        } else {
            ""
        };
        let sep = if shape.is_empty() { "" } else { ", " };
        let _ = writeln!(
            o,
            "{pad}n{} [label=\"{}\"{sep}{shape}{spof}];",
            self.sid[&id],
            dot_escape(&self.label(id))
        );
    }

    fn dot_level(
        &self,
        o: &mut String,
        ch: &BTreeMap<Option<NodeId>, Vec<NodeId>>,
        edges: &BTreeMap<Option<NodeId>, Vec<String>>,
        parent: Option<NodeId>,
        indent: usize,
    ) {
        let Some(items) = ch.get(&parent) else { return };
        let pad = "  ".repeat(indent);
        for id in items {
            let n = &self.gr.g[*id];
            if !self.boxes.contains(id) {
                self.dot_node(o, *id, indent);
                continue;
            }
            let (color, width, spof) = if self.spof.contains(id) {
                ("#c00000", 2.5, " — SPOF")
            } else {
                ("#888888", 1.0, "")
            };
            let style = match n.kind {
                Kind::Host => "rounded,filled\"; fillcolor=\"#f4f4f4",
                _ => "rounded,dashed",
            };
            let _ = writeln!(o, "{pad}subgraph cluster_{} {{", self.sid[id]);
            let _ = writeln!(
                o,
                "{pad}  label=\"{}\"; style=\"{style}\"; color=\"{color}\"; penwidth={width}; fontcolor=\"{color}\";",
                dot_escape(&format!("{} {}{spof}", n.kind.as_str(), n.name))
            );
            self.dot_level(o, ch, edges, Some(*id), indent + 1);
            for e in edges.get(&Some(*id)).into_iter().flatten() {
                let _ = writeln!(o, "{pad}  {e}");
            }
            let _ = writeln!(o, "{pad}}}");
        }
    }

    fn mermaid(&self, m: &Model) -> String {
        let mut o = String::new();
        let _ = writeln!(
            o,
            "---\ntitle: \"{}\"\n---",
            mermaid_escape(&format!(
                "{} — dependency and failure-domain graph (maa)",
                m.topo.name
            ))
        );
        let _ = writeln!(o, "flowchart LR");
        let ch = self.children();
        self.mermaid_level(&mut o, &ch, None, 1);
        let id = |n: NodeId| {
            if self.boxes.contains(&n) {
                format!("c{}", self.sid[&n])
            } else {
                format!("n{}", self.sid[&n])
            }
        };
        for d in self.drawn_edges() {
            let (open, close, word) = match d.line {
                Line::Dep(EdgeKind::Standby) => ("-.", ".->", "standby"),
                Line::Dep(EdgeKind::PlacedOn) => ("-.", ".->", "placed on"),
                Line::Dep(_) => ("--", "-->", ""),
                Line::Link => ("--", "---", ""),
                Line::Observes => ("-.", ".->", ""),
            };
            let label = join(word, &d.label);
            if label.is_empty() {
                let arrow = match d.line {
                    Line::Link => "---",
                    Line::Observes => "-.->",
                    Line::Dep(_) => "-->",
                };
                let _ = writeln!(o, "  {} {arrow} {}", id(d.from), id(d.to));
            } else {
                let _ = writeln!(
                    o,
                    "  {} {open} \"{}\" {close} {}",
                    id(d.from),
                    mermaid_escape(&label),
                    id(d.to)
                );
            }
        }
        let _ = writeln!(
            o,
            "  classDef spof fill:#ffd7d7,stroke:#c00000,stroke-width:3px,color:#c00000;"
        );
        let spofs = self
            .order
            .iter()
            .filter(|n| self.spof.contains(n) && !self.hidden(**n));
        let (boxes, nodes): (Vec<NodeId>, Vec<NodeId>) =
            spofs.partition(|n| self.boxes.contains(n));
        if !nodes.is_empty() {
            let list: Vec<String> = nodes.into_iter().map(id).collect();
            let _ = writeln!(o, "  class {} spof;", list.join(","));
        }
        for b in boxes {
            let _ = writeln!(
                o,
                "  style {} fill:#ffd7d7,stroke:#c00000,stroke-width:3px,color:#c00000",
                id(b)
            );
        }
        o
    }

    fn mermaid_level(
        &self,
        o: &mut String,
        ch: &BTreeMap<Option<NodeId>, Vec<NodeId>>,
        parent: Option<NodeId>,
        indent: usize,
    ) {
        let Some(items) = ch.get(&parent) else { return };
        let pad = "  ".repeat(indent);
        for id in items {
            let n = &self.gr.g[*id];
            let label = mermaid_escape(&self.label(*id)).replace('\n', "<br/>");
            if self.boxes.contains(id) {
                let _ = writeln!(o, "{pad}subgraph c{}[\"{label}\"]", self.sid[id]);
                self.mermaid_level(o, ch, Some(*id), indent + 1);
                let _ = writeln!(o, "{pad}end");
            } else {
                let (open, close) = match n.kind {
                    Kind::App | Kind::Client => ("([", "])"),
                    Kind::Group => ("{{", "}}"),
                    Kind::Storage | Kind::Fsxn | Kind::FileServer => ("[(", ")]"),
                    _ => ("[", "]"),
                };
                let _ = writeln!(o, "{pad}n{}{open}\"{label}\"{close}", self.sid[id]);
            }
        }
    }

    fn json(&self, m: &Model) -> String {
        let nodes: Vec<serde_json::Value> = self
            .order
            .iter()
            .map(|id| {
                let n = &self.gr.g[*id];
                let (line, _) = m.file.line_col(n.span.offset());
                json!({
                    "id": n.id(),
                    "kind": n.kind.as_str(),
                    "name": n.name,
                    "object": n.object.as_str(),
                    "gate": match n.gate { Gate::All => json!({"all": true}), Gate::AtLeast(k) => json!({"at_least": k}) },
                    "event": n.event.map(|e| e.as_str()),
                    "site": n.site.map(|s| &self.gr.g[s].name),
                    "host": n.host.map(|h| &self.gr.g[h].name),
                    "in": self.container.get(id).map(|c| self.gr.g[*c].id()),
                    "passive": n.passive,
                    "spof": self.spof.contains(id),
                    "line": if !n.span.is_empty() || n.span.offset() > 0 { Some(line) } else { None },
                })
            })
            .collect();
        let mut edges = Vec::new();
        for id in &self.order {
            for &(t, e) in self.gr.deps(*id) {
                edges.push(json!({"from": self.gr.g[*id].id(), "to": self.gr.g[t].id(), "kind": e.as_str()}));
            }
        }
        let services: Vec<String> = self.gr.apps.iter().map(|a| self.gr.g[*a].id()).collect();
        let spofs: Vec<String> = self
            .order
            .iter()
            .filter(|id| self.spof.contains(id))
            .map(|id| self.gr.g[*id].id())
            .collect();
        let v = json!({ "name": m.topo.name.as_str(), "services": services, "spofs": spofs, "nodes": nodes, "edges": edges });
        let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
        s.push('\n');
        s
    }
}

/// Joins two edge labels with a comma (either may be empty).
fn join(a: &str, b: &str) -> String {
    match (a.is_empty(), b.is_empty()) {
        (true, _) => b.to_string(),
        (_, true) => a.to_string(),
        _ => format!("{a}, {b}"),
    }
}

/// The edges that connect links and Data Guard observers and far syncs for the picture:
/// a link to its two sites, an observer or far sync to the databases of its configuration.
fn extra_edges(m: &Model, gr: &Graph) -> Vec<Drawn> {
    let mut out = Vec::new();
    for id in
        gr.g.node_indices()
            .filter(|id| gr.g[*id].kind == Kind::Link)
    {
        let Some((a, b)) = gr.g[id].name.split_once(" <-> ") else {
            continue;
        };
        for site in [a, b].into_iter().filter_map(|s| gr.find(Kind::Site, s)) {
            out.push(Drawn {
                from: id,
                to: site,
                line: Line::Link,
                label: String::new(),
            });
        }
    }
    for g in &m.topo.data_guard {
        let dbs: Vec<NodeId> = std::iter::once(g.primary.as_str())
            .chain(g.standbys.iter().map(|s| s.database.as_str()))
            .filter_map(|d| gr.find(Kind::Database, d))
            .collect();
        let watchers = g
            .observers
            .iter()
            .filter_map(|o| gr.find(Kind::Observer, o.name.as_str()))
            .chain(
                g.far_syncs
                    .iter()
                    .filter_map(|f| gr.find(Kind::FarSync, f.name.as_str())),
            );
        for w in watchers {
            for d in &dbs {
                let label = if gr.g[w].kind == Kind::Observer {
                    "observes"
                } else {
                    "redo"
                };
                out.push(Drawn {
                    from: w,
                    to: *d,
                    line: Line::Observes,
                    label: label.into(),
                });
            }
        }
    }
    out.sort_by_key(|d| {
        (
            gr.g[d.from].kind,
            gr.g[d.from].name.clone(),
            gr.g[d.to].kind,
            gr.g[d.to].name.clone(),
        )
    });
    out
}

/// Escapes a DOT double-quoted string.
pub fn dot_escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            '\n' => o.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => o.push(c),
        }
    }
    o
}

/// Escapes a Mermaid quoted label.
pub fn mermaid_escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => o.push_str("#quot;"),
            '<' => o.push_str("#lt;"),
            '>' => o.push_str("#gt;"),
            '#' => o.push_str("#35;"),
            '\r' => {}
            c if c.is_control() && c != '\n' => {}
            c => o.push(c),
        }
    }
    o
}
