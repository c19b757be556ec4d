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

/// Renders the graph of an analysed model.
pub fn render(m: &Model, a: &Analysis, format: GraphFormat) -> String {
    let v = View::new(a);
    match format {
        GraphFormat::Dot => v.dot(m),
        GraphFormat::Mermaid => v.mermaid(m),
        GraphFormat::Json => v.json(m),
    }
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
}

impl<'a> View<'a> {
    fn new(a: &'a Analysis) -> View<'a> {
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
        View {
            gr,
            order,
            sid,
            container,
            spof,
        }
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

    /// The edges DOT and Mermaid draw, as (from, to, kind) by drawing id, in node order: every
    /// edge but a "placed on" that the nesting of clusters / subgraphs already shows.
    fn drawn_edges(&self) -> impl Iterator<Item = (usize, usize, EdgeKind)> + '_ {
        self.order.iter().flat_map(move |id| {
            self.gr
                .deps(*id)
                .iter()
                .filter(move |&&(t, e)| {
                    !(e == EdgeKind::PlacedOn && self.container.get(id) == Some(&t))
                })
                .map(move |&(t, e)| (self.sid[id], self.sid[&t], e))
        })
    }

    /// Domain nodes that contain others, by parent (None = top level).
    fn children(&self) -> BTreeMap<Option<NodeId>, Vec<NodeId>> {
        let mut ch: BTreeMap<Option<NodeId>, Vec<NodeId>> = BTreeMap::new();
        for id in &self.order {
            ch.entry(self.container.get(id).copied())
                .or_default()
                .push(*id);
        }
        ch
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
            "  labelloc=t; rankdir=LR; compound=true; fontname=\"Helvetica\";"
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
        self.dot_level(&mut o, &ch, None, 1);
        for (from, to, e) in self.drawn_edges() {
            let style = match e {
                EdgeKind::Standby => " [style=dashed, label=\"standby\"]",
                EdgeKind::PlacedOn => " [style=dotted, label=\"placed on\"]",
                EdgeKind::Member => "",
                EdgeKind::Requires => " [color=\"#1f4e79\"]",
            };
            let _ = writeln!(o, "  n{from} -> n{to}{style};");
        }
        let _ = writeln!(o, "}}");
        o
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
        parent: Option<NodeId>,
        indent: usize,
    ) {
        let Some(items) = ch.get(&parent) else { return };
        let pad = "  ".repeat(indent);
        for id in items {
            let n = &self.gr.g[*id];
            if n.kind.is_domain() && ch.contains_key(&Some(*id)) {
                let color = if self.spof.contains(id) {
                    "#c00000"
                } else {
                    "#888888"
                };
                let _ = writeln!(o, "{pad}subgraph cluster_{} {{", self.sid[id]);
                let _ = writeln!(
                    o,
                    "{pad}  label=\"{}\"; style=\"rounded,dashed\"; color=\"{color}\";",
                    dot_escape(&format!("{} {}", n.kind.as_str(), n.name))
                );
                self.dot_node(o, *id, indent + 1);
                self.dot_level(o, ch, Some(*id), indent + 1);
                let _ = writeln!(o, "{pad}}}");
            } else {
                self.dot_node(o, *id, indent);
            }
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
        for (from, to, e) in self.drawn_edges() {
            let arrow = match e {
                EdgeKind::Standby => "-. standby .->",
                EdgeKind::PlacedOn => "-. placed on .->",
                _ => "-->",
            };
            let _ = writeln!(o, "  n{from} {arrow} n{to}");
        }
        let _ = writeln!(
            o,
            "  classDef spof fill:#ffd7d7,stroke:#c00000,stroke-width:3px,color:#c00000;"
        );
        if !self.spof.is_empty() {
            let list: Vec<String> = self
                .order
                .iter()
                .filter(|id| self.spof.contains(id))
                .map(|id| format!("n{}", self.sid[id]))
                .collect();
            let _ = writeln!(o, "  class {} spof;", list.join(","));
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
            if n.kind.is_domain() && ch.contains_key(&Some(*id)) {
                let _ = writeln!(
                    o,
                    "{pad}subgraph c{}[\"{} {}\"]",
                    self.sid[id],
                    n.kind.as_str(),
                    mermaid_escape(&n.name)
                );
                let _ = writeln!(o, "{pad}  n{}[\"{label}\"]", self.sid[id]);
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
