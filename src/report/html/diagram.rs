//! The topology diagram of the report: a layered layout on a CSS grid. Sites are columns
//! (split into one column per zone, plus one for what runs site-wide), tiers are rows
//! (front end, web, middle tier, database, storage, other), hosts are boxes listing the
//! components that run on them, and what spans sites (global load balancers, links,
//! stretched clusters, regions) is a row below. Every drawn element carries its object path
//! (`data-object`); single points of failure (the events `SPOF001` reports) are red and
//! carry the class `spof`; elements with findings carry a badge with their count.
//!
//! HTML boxes rather than SVG shapes: the browser sizes and wraps the names, so no text
//! is measured or cut here, and the page stays readable at any width.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use super::esc;
use crate::analysis::Analysis;
use crate::diagnostic::{Diagnostic, Severity};
use crate::graph::{EdgeKind, Graph, Kind, NodeId};
use crate::resolve::Model;

/// The rows of the grid, top to bottom.
const TIERS: [&str; 6] = [
    "Front end",
    "Web",
    "Middle tier",
    "Database",
    "Storage",
    "Other",
];

/// The tier a component is drawn in.
fn tier(k: Kind) -> usize {
    match k {
        Kind::GlobalLb | Kind::Lb => 0,
        Kind::Ohs | Kind::Route => 1,
        Kind::Cluster | Kind::Server | Kind::Singleton | Kind::Coherence => 2,
        Kind::Service
        | Kind::GlobalService
        | Kind::Database
        | Kind::Instance
        | Kind::Observer
        | Kind::FarSync
        | Kind::Gsm
        | Kind::Cman => 3,
        Kind::Storage | Kind::Fsxn | Kind::FileServer => 4,
        _ => 5,
    }
}

/// Kinds left out of the cells (unless a single point of failure): internal groups,
/// routes and singletons (details of their OHS and cluster), and the services, which are
/// listed above the grid.
fn hidden(k: Kind) -> bool {
    matches!(
        k,
        Kind::Group | Kind::Route | Kind::Singleton | Kind::App | Kind::Client
    )
}

/// The failure domain a node is placed on ("placed on" edge), if any.
fn placed_on(gr: &Graph, id: NodeId) -> Option<NodeId> {
    gr.deps(id)
        .iter()
        .find(|(t, e)| *e == EdgeKind::PlacedOn && gr.g[*t].kind.is_domain())
        .map(|(t, _)| *t)
}

/// Where a node is: its site, zone and host (each when there is exactly one).
#[derive(Clone, Copy, Default)]
struct Place {
    site: Option<NodeId>,
    zone: Option<NodeId>,
    host: Option<NodeId>,
}

fn place(gr: &Graph, id: NodeId) -> Place {
    let mut p = Place::default();
    let mut cur = placed_on(gr, id).or(gr.g[id].site);
    // Placement is host → zone → site → region: four steps at most.
    for _ in 0..4 {
        let Some(c) = cur else { break };
        match gr.g[c].kind {
            Kind::Host => p.host = p.host.or(Some(c)),
            Kind::Zone => p.zone = p.zone.or(Some(c)),
            Kind::Site => {
                p.site = Some(c);
                break;
            }
            _ => break,
        }
        cur = placed_on(gr, c).or(gr.g[c].site);
    }
    p
}

/// What a cell holds: hosts (with their components) and components placed on no host.
#[derive(Default)]
struct Cell {
    items: Vec<NodeId>,
}

struct Layout<'a> {
    gr: &'a Graph,
    spof: BTreeSet<NodeId>,
    /// Findings by object path.
    marks: BTreeMap<&'a str, Vec<&'a Diagnostic>>,
    /// Columns: (site, zone); `None` is the site-wide column.
    columns: Vec<(NodeId, Option<NodeId>)>,
    cells: BTreeMap<(usize, usize), Cell>,
    /// Components by host.
    on_host: BTreeMap<NodeId, Vec<NodeId>>,
    /// What belongs to no site.
    across: Vec<NodeId>,
    services: Vec<NodeId>,
}

/// Renders the diagram section.
pub(super) fn render(m: &Model, a: &Analysis, diags: &[Diagnostic]) -> String {
    let l = Layout::new(a, diags);
    let mut o = String::new();
    let _ = writeln!(
        o,
        "<section id=\"diagram\"><h2>Topology: {}</h2>\
         <p class=\"legend\"><b class=\"tag\">SPOF</b> a single point of failure \
         (<code>SPOF001</code>) · <span class=\"badge sev-error\">n</span> findings on the element \
         · columns: sites and their zones · rows: tiers · boxes: hosts and what runs on them</p>",
        esc(m.topo.name.as_str())
    );
    l.services(&mut o);
    l.grid(&mut o);
    l.across(&mut o);
    o.push_str("</section>\n");
    o
}

impl<'a> Layout<'a> {
    fn new(a: &'a Analysis, diags: &'a [Diagnostic]) -> Layout<'a> {
        let gr = &a.graph;
        let spof = a
            .spofs
            .iter()
            .filter(|s| s.matters)
            .map(|s| s.event)
            .collect();
        let mut marks: BTreeMap<&str, Vec<&Diagnostic>> = BTreeMap::new();
        for d in diags.iter().filter(|d| !d.object.is_empty()) {
            marks.entry(d.object.as_str()).or_default().push(d);
        }
        let mut nodes: Vec<NodeId> = gr.g.node_indices().collect();
        gr.sort_by_name(&mut nodes);
        let mut l = Layout {
            gr,
            spof,
            marks,
            columns: Vec::new(),
            cells: BTreeMap::new(),
            on_host: BTreeMap::new(),
            across: Vec::new(),
            services: Vec::new(),
        };
        l.columns = l.columns_of(&nodes);
        l.fill(&nodes);
        l
    }

    /// One column per site (site-wide) and one per zone of the site, sites and zones in
    /// name order.
    fn columns_of(&self, nodes: &[NodeId]) -> Vec<(NodeId, Option<NodeId>)> {
        let gr = self.gr;
        let mut cols = Vec::new();
        for site in nodes.iter().filter(|id| gr.g[**id].kind == Kind::Site) {
            cols.push((*site, None));
            for zone in nodes.iter().filter(|id| gr.g[**id].kind == Kind::Zone) {
                if place(gr, *zone).site == Some(*site) {
                    cols.push((*site, Some(*zone)));
                }
            }
        }
        cols
    }

    fn column(&self, p: Place) -> Option<usize> {
        let site = p.site?;
        self.columns
            .iter()
            .position(|c| *c == (site, p.zone))
            .or_else(|| self.columns.iter().position(|c| *c == (site, None)))
    }

    /// Puts every drawn node in its cell, on its host, across sites or among the services.
    fn fill(&mut self, nodes: &[NodeId]) {
        let gr = self.gr;
        for id in nodes {
            let n = &gr.g[*id];
            if matches!(n.kind, Kind::App | Kind::Client) {
                self.services.push(*id);
            }
            let shown = !hidden(n.kind) || self.spof.contains(id);
            if !shown || matches!(n.kind, Kind::Site | Kind::Zone) {
                continue;
            }
            let p = place(gr, *id);
            if let (Some(h), false) = (p.host, n.kind == Kind::Host) {
                self.on_host.entry(h).or_default().push(*id);
            }
        }
        for id in nodes {
            let n = &gr.g[*id];
            let shown = !hidden(n.kind) || self.spof.contains(id);
            if !shown || matches!(n.kind, Kind::Site | Kind::Zone) {
                continue;
            }
            let p = place(gr, *id);
            if p.host.is_some() && n.kind != Kind::Host {
                continue;
            }
            let row = if n.kind == Kind::Host {
                self.host_tier(*id)
            } else {
                tier(n.kind)
            };
            match self.column(p) {
                Some(col) => self.cells.entry((row, col)).or_default().items.push(*id),
                None => self.across.push(*id),
            }
        }
    }

    /// The tier of a host: the first of what runs on it or, for a host nothing is placed on
    /// (a load balancer appliance), of what needs it, through redundancy groups.
    fn host_tier(&self, host: NodeId) -> usize {
        let gr = self.gr;
        if let Some(t) = self
            .on_host
            .get(&host)
            .and_then(|c| c.iter().map(|c| tier(gr.g[*c].kind)).min())
        {
            return t;
        }
        let mut frontier: Vec<NodeId> = gr.dependents(host).to_vec();
        for _ in 0..4 {
            let mut next = Vec::new();
            let mut best: Option<usize> = None;
            for d in frontier {
                let k = gr.g[d].kind;
                if k == Kind::Group {
                    next.extend_from_slice(gr.dependents(d));
                } else if !k.is_domain() {
                    best = Some(best.map_or(tier(k), |b| b.min(tier(k))));
                }
            }
            if let Some(b) = best {
                return b;
            }
            frontier = next;
        }
        TIERS.len() - 1
    }

    /// ` class="… spof" data-object="…"` and the tooltip of an element.
    fn attrs(&self, id: NodeId, class: &str) -> String {
        let n = &self.gr.g[id];
        let mut cls = class.to_string();
        if self.spof.contains(&id) {
            cls.push_str(" spof");
        }
        if let Some(worst) = self.worst(id) {
            let _ = write!(cls, " has-findings sev-{}", worst.as_str());
        }
        format!(
            " class=\"{cls}\" data-object=\"{}\" title=\"{}\"",
            esc(n.object.as_str()),
            esc(&n.id())
        )
    }

    fn worst(&self, id: NodeId) -> Option<Severity> {
        let list = self.marks.get(self.gr.g[id].object.as_str())?;
        list.iter().map(|d| d.severity).max()
    }

    /// The SPOF tag and the findings badge of an element.
    fn tags(&self, id: NodeId) -> String {
        let mut o = String::new();
        if self.spof.contains(&id) {
            o.push_str(" <b class=\"tag\">SPOF</b>");
        }
        if let (Some(list), Some(worst)) = (
            self.marks.get(self.gr.g[id].object.as_str()),
            self.worst(id),
        ) {
            let codes: BTreeSet<&str> = list.iter().map(|d| d.code.as_str()).collect();
            let _ = write!(
                o,
                " <span class=\"badge sev-{}\" title=\"{}\">{}</span>",
                worst.as_str(),
                esc(&codes.into_iter().collect::<Vec<_>>().join(", ")),
                list.len()
            );
        }
        o
    }

    fn label(&self, id: NodeId) -> String {
        let n = &self.gr.g[id];
        format!(
            "<span class=\"k\">{}</span> {}{}",
            n.kind.as_str(),
            // Long names break after a dot rather than anywhere.
            esc(&n.name).replace('.', ".<wbr>"),
            if n.passive { " <i>(passive)</i>" } else { "" }
        )
    }

    fn services(&self, o: &mut String) {
        if self.services.is_empty() {
            return;
        }
        o.push_str("<div class=\"services\"><span class=\"rowname\">Services</span>");
        for id in &self.services {
            let _ = write!(
                o,
                "<div{}>{}{}</div>",
                self.attrs(*id, "box svc"),
                self.label(*id),
                self.tags(*id)
            );
        }
        o.push_str("</div>\n");
    }

    /// The grid: site and zone frames behind, tier rows of cells in front.
    fn grid(&self, o: &mut String) {
        if self.columns.is_empty() {
            return;
        }
        let rows: Vec<usize> = (0..TIERS.len())
            .filter(|t| self.cells.keys().any(|(r, _)| r == t))
            .collect();
        let height = rows.len() + 2;
        let _ = write!(
            o,
            "<div class=\"grid\" style=\"grid-template-columns:6.5rem repeat({}, minmax(8.5rem, 1fr));grid-template-rows:repeat({height}, auto)\">",
            self.columns.len()
        );
        self.frames(o, height);
        for (i, t) in rows.iter().enumerate() {
            let _ = write!(
                o,
                "<div class=\"rowname\" style=\"grid-column:1;grid-row:{}\">{}</div>",
                i + 3,
                TIERS.get(*t).copied().unwrap_or("Other")
            );
            for col in 0..self.columns.len() {
                let Some(cell) = self.cells.get(&(*t, col)) else {
                    continue;
                };
                let _ = write!(
                    o,
                    "<div class=\"cell\" style=\"grid-column:{};grid-row:{}\">",
                    col + 2,
                    i + 3
                );
                for id in &cell.items {
                    self.item(o, *id);
                }
                o.push_str("</div>");
            }
        }
        o.push_str("</div>\n");
    }

    /// The site boxes (spanning their columns and every row) and the zone boxes.
    fn frames(&self, o: &mut String, height: usize) {
        let gr = self.gr;
        let mut col = 0;
        while let Some((site, _)) = self.columns.get(col) {
            let span = self.columns.iter().filter(|(s, _)| s == site).count();
            let region = placed_on(gr, *site)
                .map(|r| format!(" <small>region {}</small>", esc(&gr.g[r].name)))
                .unwrap_or_default();
            let _ = write!(
                o,
                "<div{} style=\"grid-column:{} / span {span};grid-row:1 / span {height}\"></div>\
                 <div class=\"head site-head\" style=\"grid-column:{} / span {span};grid-row:1\">{}{region}{}</div>",
                self.attrs(*site, "frame site"),
                col + 2,
                col + 2,
                self.label(*site),
                self.tags(*site)
            );
            for (i, (_, zone)) in self.columns.iter().enumerate().skip(col).take(span) {
                let Some(zone) = zone else { continue };
                let _ = write!(
                    o,
                    "<div{} style=\"grid-column:{};grid-row:2 / span {}\"></div>\
                     <div class=\"head zone-head\" style=\"grid-column:{};grid-row:2\">{}{}</div>",
                    self.attrs(*zone, "frame zone"),
                    i + 2,
                    height - 1,
                    i + 2,
                    self.label(*zone),
                    self.tags(*zone)
                );
            }
            col += span;
        }
    }

    /// A host with its components, or a component placed on no host.
    fn item(&self, o: &mut String, id: NodeId) {
        let gr = self.gr;
        if gr.g[id].kind != Kind::Host {
            let _ = write!(
                o,
                "<div{}>{}{}</div>",
                self.attrs(id, "box comp"),
                self.label(id),
                self.tags(id)
            );
            return;
        }
        let _ = write!(
            o,
            "<div{}><div class=\"hosthead\">{}{}</div>",
            self.attrs(id, "box host"),
            self.label(id),
            self.tags(id)
        );
        if let Some(comps) = self.on_host.get(&id) {
            let mut comps = comps.clone();
            comps.sort_by_key(|c| tier(gr.g[*c].kind));
            o.push_str("<ul>");
            for c in comps {
                let _ = write!(
                    o,
                    "<li{}>{}{}</li>",
                    self.attrs(c, "part"),
                    self.label(c),
                    self.tags(c)
                );
            }
            o.push_str("</ul>");
        }
        o.push_str("</div>");
    }

    fn across(&self, o: &mut String) {
        if self.across.is_empty() {
            return;
        }
        o.push_str("<div class=\"across\"><span class=\"rowname\">Across sites</span>");
        for id in &self.across {
            self.item(o, *id);
        }
        o.push_str("</div>\n");
    }
}
