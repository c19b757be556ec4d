//! Builds the [`Graph`] from a resolved [`Model`].
//!
//! One file per area of the model: [`placement`] (sites, zones, hosts, links), [`storage`],
//! [`aws`] (FSx for ONTAP, Auto Scaling groups), [`frontend`] (load balancers, OHS),
//! [`database`] (databases, services, Data Guard, GDS, CMAN), [`coherence`], [`weblogic`],
//! [`clients`] and [`apps`] (the end-to-end services the analysis starts from). The areas
//! run in a fixed order ([`build`]): node and edge order is part of the output.

mod apps;
mod aws;
mod clients;
mod coherence;
mod database;
mod frontend;
mod placement;
mod storage;
mod weblogic;

use std::collections::BTreeMap;

use miette::SourceSpan;

use super::{EdgeKind, EventClass, Gate, Graph, Kind, Mechanism, Node, NodeId};
use crate::model::Name;
use crate::resolve::Model;
use crate::resolve::path::ObjectPath;

fn no_span() -> SourceSpan {
    SourceSpan::from(0..0)
}

/// What a new node is called: its kind, its name (unique per kind), the object path
/// findings name it by, and its YAML span.
struct NodeSpec {
    kind: Kind,
    name: String,
    object: ObjectPath,
    span: SourceSpan,
}

impl NodeSpec {
    fn new(kind: Kind, name: impl Into<String>, object: ObjectPath, span: SourceSpan) -> Self {
        NodeSpec {
            kind,
            name: name.into(),
            object,
            span,
        }
    }

    /// A node called by a YAML name: its text and its span.
    fn named(kind: Kind, name: &Name, object: ObjectPath) -> Self {
        NodeSpec::new(kind, name.as_str(), object, name.span)
    }
}

struct B<'m> {
    m: &'m Model,
    gr: Graph,
    /// Unordered pair of site nodes → non-redundant link node.
    links: BTreeMap<(NodeId, NodeId), NodeId>,
    /// Storage name → the node dependents use (the storage, or a replicated pair).
    storage_dep: BTreeMap<String, NodeId>,
}

/// Node constructors, one per way a node combines its dependencies. Each returns the node
/// already called so when the kind and name are taken, unchanged.
impl B<'_> {
    fn add(&mut self, spec: NodeSpec, gate: Gate, event: Option<EventClass>) -> NodeId {
        let NodeSpec {
            kind,
            name,
            object,
            span,
        } = spec;
        if let Some(id) = self.gr.by_name.get(kind, &name) {
            return id;
        }
        let id = self.gr.g.add_node(Node {
            kind,
            name: name.clone(),
            object,
            span,
            gate,
            event,
            mechanism: Mechanism::None,
            site: None,
            host: None,
            passive: false,
            of: None,
            double: false,
        });
        self.gr.by_name.insert(kind, name, id);
        id
    }

    /// A node that needs all of its dependencies and does not fail on its own (a cluster,
    /// a database, a route, a managed load balancer).
    fn node(&mut self, spec: NodeSpec) -> NodeId {
        self.add(spec, Gate::All, None)
    }

    /// A single failure event of its own (a host, a site, a storage system, an appliance).
    fn event(&mut self, spec: NodeSpec, class: EventClass) -> NodeId {
        self.add(spec, Gate::All, Some(class))
    }

    /// A process (a component failure event) placed on its host.
    fn process(&mut self, spec: NodeSpec, host: &str) -> NodeId {
        let id = self.event(spec, EventClass::Component);
        self.place(id, host);
        id
    }

    /// A redundancy group that needs any one of its members; `mech` moves the work.
    fn group(&mut self, spec: NodeSpec, mech: Mechanism) -> NodeId {
        self.at_least(spec, 1, mech)
    }

    /// A redundancy group that needs `k` of its members (at least one).
    fn at_least(&mut self, spec: NodeSpec, k: u32, mech: Mechanism) -> NodeId {
        let id = self.add(spec, Gate::AtLeast(k.max(1)), None);
        self.gr.g[id].mechanism = mech;
        id
    }

    /// A group left without members: nothing can serve, and it fails as one component.
    fn unserved(&mut self, id: NodeId) {
        self.gr.g[id].gate = Gate::All;
        self.gr.g[id].event = Some(EventClass::Component);
    }
}

/// Edges and lookups.
impl B<'_> {
    fn edge(&mut self, from: NodeId, to: NodeId, kind: EdgeKind) {
        if from != to && self.gr.g.find_edge(from, to).is_none() {
            self.gr.g.add_edge(from, to, kind);
        }
    }

    /// A member of `group`: a standby one, activated by its mechanism, or one that serves now.
    fn member(&mut self, group: NodeId, member: NodeId, standby: bool) {
        let kind = if standby {
            EdgeKind::Standby
        } else {
            EdgeKind::Member
        };
        self.edge(group, member, kind);
    }

    /// Members of `group` of which the first serves and the others stand by.
    fn first_serves(&mut self, group: NodeId, members: &[NodeId]) {
        for (i, m) in members.iter().enumerate() {
            self.member(group, *m, i > 0);
        }
    }

    /// Places a process on its host.
    fn place(&mut self, id: NodeId, host: &str) {
        if let Some(h) = self.host(host) {
            self.edge(id, h, EdgeKind::PlacedOn);
            let site = self.gr.g[h].site;
            let n = &mut self.gr.g[id];
            n.host = Some(h);
            n.site = site;
        }
    }

    /// Places a node directly on a site, when the site exists.
    fn place_on_site(&mut self, id: NodeId, site: &str) {
        if let Some(s) = self.site(site) {
            self.edge(id, s, EdgeKind::PlacedOn);
        }
    }

    fn host(&self, name: &str) -> Option<NodeId> {
        self.gr.find(Kind::Host, name)
    }

    fn zone(&self, name: &str) -> Option<NodeId> {
        self.gr.find(Kind::Zone, name)
    }

    fn site(&self, name: &str) -> Option<NodeId> {
        self.gr.find(Kind::Site, name)
    }

    fn storage_ref(&self, name: &str) -> Option<NodeId> {
        self.storage_dep.get(name).copied()
    }
}

/// A generous estimate of the graph's size (nodes, edges), so that its arrays are allocated
/// once instead of grown and copied (at 200k nodes the copies were a tenth of the build);
/// the name index is sized for the most numerous kinds.
fn size_hint(m: &Model, index: &mut super::NameIndex) -> (usize, usize) {
    let t = &m.topo;
    let servers: usize = t
        .domains
        .iter()
        .flat_map(|d| d.clusters.iter())
        .map(|c| c.servers.len())
        .sum();
    let instances: usize = t.databases.iter().map(|d| d.instances.len()).sum();
    let routes: usize = t.ohs.iter().map(|o| o.routes.len()).sum();
    let hosts: usize = t
        .sites
        .iter()
        .map(|s| s.hosts.len() + s.zones.iter().map(|z| z.hosts.len() + 1).sum::<usize>() + 1)
        .sum();
    // Besides its members, each OHS, cluster and database adds a few nodes of its own
    // (the groups that hold the members, routes, singletons, services).
    let ohs = t.ohs.len() * 2 + routes * 2;
    let clusters: usize = t.domains.iter().map(|d| d.clusters.len()).sum();
    let weblogic = clusters * 4
        + servers
        + t.domains
            .iter()
            .map(|d| d.singletons.len() + d.data_sources.len())
            .sum::<usize>();
    let databases = t.databases.len() * 4
        + instances
        + t.databases.iter().map(|d| d.services.len()).sum::<usize>();
    let nodes = hosts + ohs + weblogic + databases + t.storage.len() * 2 + 64;
    for (kind, n) in [
        (Kind::Host, hosts),
        (Kind::Ohs, t.ohs.len()),
        (Kind::Route, routes),
        (Kind::Server, servers),
        (Kind::Instance, instances),
        (Kind::Group, nodes / 4),
    ] {
        index.reserve(kind, n);
    }
    (nodes, nodes * 2)
}

/// Builds the graph of a resolved model.
pub fn build(m: &Model) -> Graph {
    let mut by_name = super::NameIndex::default();
    let (nodes, edges) = size_hint(m, &mut by_name);
    let mut b = B {
        m,
        gr: Graph {
            g: petgraph::graph::DiGraph::with_capacity(nodes, edges),
            by_name,
            ..Graph::default()
        },
        links: BTreeMap::new(),
        storage_dep: BTreeMap::new(),
    };
    // Dependencies before their dependents: a node can only point at nodes that exist.
    b.placement();
    b.storage();
    b.fsxn();
    b.front_end();
    b.databases();
    b.data_guard();
    b.gds();
    b.cman();
    // Coherence before WebLogic: clusters join it.
    b.coherence();
    b.weblogic();
    b.apps();
    b.sites_and_links();
    let mut rank = vec![0u32; b.gr.g.node_count()];
    for (i, (_, _, id)) in b.gr.by_name.sorted().into_iter().enumerate() {
        if let Some(r) = rank.get_mut(id.index()) {
            *r = u32::try_from(i).unwrap_or(u32::MAX);
        }
    }
    // By (class, kind, name): the rank orders by kind then name without comparing strings.
    let mut events: Vec<NodeId> =
        b.gr.g
            .node_indices()
            .filter(|id| b.gr.g[*id].event.is_some())
            .collect();
    events.sort_unstable_by_key(|id| (b.gr.g[*id].event, rank.get(id.index()).copied()));
    b.gr.events = events;
    b.gr.rank = rank;
    b.gr.finish();
    b.gr
}
