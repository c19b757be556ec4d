//! The dependency and failure-domain graph of a topology.
//!
//! Every node is a component (process, load balancer, database…), a logical group with
//! explicit redundancy (a cluster needs any one of its servers, a RAC database any one of
//! its instances, a Coherence cluster all but `backup_count` of its machines) or a failure
//! domain (host → zone → site → region, storage systems, inter-site links).
//!
//! An edge `u → v` means "u needs v": a node is up when it has not failed itself and its
//! gate over its outgoing edges holds: [`Gate::All`] needs every target, [`Gate::AtLeast`]
//! needs `k` of them. Placement edges (process → host → zone → site → region) are ordinary
//! `All` dependencies, so redundancy that collapses onto one failure domain is seen as none.
//!
//! Member edges of a group carry whether the member serves now ([`EdgeKind::Member`]) or
//! is a standby that a failover mechanism ([`Mechanism`]) activates ([`EdgeKind::Standby`]).

mod adjacency;
mod build;

use std::collections::BTreeMap;

use foldhash::HashMap;

use miette::SourceSpan;
use petgraph::graph::{DiGraph, NodeIndex};
use serde::Serialize;

use adjacency::Adjacency;
pub use build::build;

/// A node of the graph.
pub type NodeId = NodeIndex<u32>;

/// What a node stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// An end-to-end service users depend on (a web path, a client's database service).
    App,
    Region,
    Site,
    Zone,
    Host,
    Link,
    Storage,
    /// An FSx for ONTAP file system.
    Fsxn,
    /// One FSx for ONTAP file server (per zone).
    FileServer,
    GlobalLb,
    Lb,
    Ohs,
    /// An OHS route to a cluster (`mod_wl_ohs` location).
    Route,
    Cluster,
    Server,
    Singleton,
    Coherence,
    /// A database service (`srvctl` service), offered by one or more databases.
    Service,
    /// A GDS global service.
    GlobalService,
    Database,
    Instance,
    /// A place where an Auto Scaling group can launch the replacement instance.
    AsgSlot,
    Observer,
    FarSync,
    Gsm,
    Cman,
    Client,
    /// A redundancy group without a name of its own.
    Group,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::App => "app",
            Kind::Region => "region",
            Kind::Site => "site",
            Kind::Zone => "zone",
            Kind::Host => "host",
            Kind::Link => "link",
            Kind::Storage => "storage",
            Kind::Fsxn => "fsxn",
            Kind::FileServer => "file-server",
            Kind::GlobalLb => "global-lb",
            Kind::Lb => "lb",
            Kind::Ohs => "ohs",
            Kind::Route => "route",
            Kind::Cluster => "cluster",
            Kind::Server => "server",
            Kind::Singleton => "singleton",
            Kind::Coherence => "coherence",
            Kind::Service => "service",
            Kind::GlobalService => "global-service",
            Kind::Database => "database",
            Kind::Instance => "instance",
            Kind::AsgSlot => "asg-slot",
            Kind::Observer => "observer",
            Kind::FarSync => "far-sync",
            Kind::Gsm => "gsm",
            Kind::Cman => "cman",
            Kind::Client => "client",
            Kind::Group => "group",
        }
    }

    /// Every kind, for `--fail KIND:NAME` parsing and help.
    pub const ALL: [Kind; 28] = [
        Kind::App,
        Kind::Region,
        Kind::Site,
        Kind::Zone,
        Kind::Host,
        Kind::Link,
        Kind::Storage,
        Kind::Fsxn,
        Kind::FileServer,
        Kind::GlobalLb,
        Kind::Lb,
        Kind::Ohs,
        Kind::Route,
        Kind::Cluster,
        Kind::Server,
        Kind::Singleton,
        Kind::Coherence,
        Kind::Service,
        Kind::GlobalService,
        Kind::Database,
        Kind::Instance,
        Kind::AsgSlot,
        Kind::Observer,
        Kind::FarSync,
        Kind::Gsm,
        Kind::Cman,
        Kind::Client,
        Kind::Group,
    ];

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.iter().copied().find(|k| k.as_str() == s)
    }

    /// Whether this kind is a failure domain (placement) rather than a component.
    pub fn is_domain(self) -> bool {
        matches!(self, Kind::Region | Kind::Site | Kind::Zone | Kind::Host)
    }
}

/// How a node combines its dependencies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "type", content = "k")]
pub enum Gate {
    /// Needs every target.
    All,
    /// Needs at least `k` targets (1 = any).
    AtLeast(u32),
}

/// The class of a single failure event (what `maa simulate --fail KIND:NAME` fails).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EventClass {
    /// A process or appliance.
    Component,
    Host,
    Zone,
    Site,
    Region,
    Storage,
    Link,
}

impl EventClass {
    pub fn as_str(self) -> &'static str {
        match self {
            EventClass::Component => "component",
            EventClass::Host => "host",
            EventClass::Zone => "zone",
            EventClass::Site => "site",
            EventClass::Region => "region",
            EventClass::Storage => "storage",
            EventClass::Link => "link",
        }
    }

    /// The disruption type whose objective applies to this event.
    pub fn disruption(self) -> crate::model::Disruption {
        use crate::model::Disruption;
        match self {
            EventClass::Component | EventClass::Host | EventClass::Storage => Disruption::Host,
            EventClass::Zone => Disruption::Zone,
            EventClass::Site | EventClass::Link => Disruption::Site,
            EventClass::Region => Disruption::Region,
        }
    }
}

/// How a redundancy group moves work from failed members to the surviving or standby ones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "type")]
pub enum Mechanism {
    /// Plain redundancy: nothing to do (or nothing modelled).
    None,
    /// A load balancer's health check takes the failed target out of rotation.
    HealthCheck { by: String },
    /// OHS `mod_wl_ohs` stops routing to the failed server after its connect timeout.
    Plugin,
    /// RAC: FAN announces the instance down, FCF moves the connections.
    Fcf,
    /// RAC One Node: Clusterware restarts the database's one instance on another candidate
    /// node; sessions reconnect once it is open (no instance survives meanwhile).
    Relocate,
    /// WebLogic service migration of JMS/JTA singletons after lease expiry (fencing).
    ServiceMigration { cluster: String, automatic: bool },
    /// Data Guard failover to a standby (fast-start failover when an observer runs).
    DataGuard { config: usize },
    /// Users move to the other database of a GoldenGate active-active pair.
    GoldenGate { replication: usize },
    /// The Auto Scaling group launches a replacement instance.
    Asg { group: usize },
    /// The global load balancer switches users to another site.
    SiteSwitch,
    /// FSx for ONTAP fails over to its standby file server.
    StorageFailover,
    /// An operator fails over replicated storage by hand.
    ManualStorage {
        lag: Option<crate::model::Duration>,
        sync: bool,
    },
    /// Clients reconnect to another CMAN / GSM instance (connect-time failover).
    Reconnect,
}

/// A node of the graph.
#[derive(Debug, Clone)]
pub struct Node {
    pub kind: Kind,
    /// Unique per kind.
    pub name: String,
    /// The object the node stands for, e.g. `ohs[ohs1a]`: an object of the model's table
    /// (`Model::objects`), by the path findings name it with.
    pub object: crate::resolve::path::ObjectPath,
    /// YAML span of the element (0..0 for synthetic nodes).
    pub span: SourceSpan,
    pub gate: Gate,
    /// Whether the node is a single failure event of its own.
    pub event: Option<EventClass>,
    /// For groups: how work moves to surviving or standby members.
    pub mechanism: Mechanism,
    /// The site it runs in, when it runs in exactly one.
    pub site: Option<NodeId>,
    /// The host it runs on (processes).
    pub host: Option<NodeId>,
    /// A passive component (a passive WebLogic domain's cluster) started only on failover.
    pub passive: bool,
    /// For a group that stands for one named node: that node (a cluster for the group of
    /// its servers, an end-to-end service for the group of the sites that serve it).
    pub of: Option<NodeId>,
    /// A single failure event that stands for two failures (both paths of a link declared
    /// `redundant`: a partition): simulated and flagged as a double fault, never a single
    /// point of failure.
    pub double: bool,
}

impl Node {
    /// `kind:name`, as accepted by `maa simulate --fail`.
    pub fn id(&self) -> String {
        format!("{}:{}", self.kind.as_str(), self.name)
    }
}

/// What an edge means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EdgeKind {
    /// Functional dependency.
    Requires,
    /// Placement (process → host → zone → site → region).
    PlacedOn,
    /// A member of a redundancy group that serves now.
    Member,
    /// A standby member, activated by the group's failover mechanism.
    Standby,
}

impl EdgeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::Requires => "requires",
            EdgeKind::PlacedOn => "placed-on",
            EdgeKind::Member => "member",
            EdgeKind::Standby => "standby",
        }
    }
}

/// `(kind, name)` → node: a hash lookup by borrowed name (a `BTreeMap` keyed by
/// `(Kind, String)` needed an allocation and ~18 string comparisons per lookup, and made
/// building a 200k-node graph superlinear). foldhash: names are not attacker-chosen keys
/// that need SipHash's protection, and it hashes several times faster.
#[derive(Debug, Clone, Default)]
pub struct NameIndex {
    by_kind: BTreeMap<Kind, HashMap<String, NodeId>>,
}

impl NameIndex {
    pub fn get(&self, kind: Kind, name: &str) -> Option<NodeId> {
        self.by_kind.get(&kind)?.get(name).copied()
    }

    /// Makes room for `n` more names of `kind`.
    pub fn reserve(&mut self, kind: Kind, n: usize) {
        self.by_kind.entry(kind).or_default().reserve(n);
    }

    pub fn insert(&mut self, kind: Kind, name: String, id: NodeId) {
        self.by_kind.entry(kind).or_default().insert(name, id);
    }

    /// Every entry, sorted by kind then name (for messages, which must not depend on
    /// hashing).
    pub fn sorted(&self) -> Vec<(Kind, &str, NodeId)> {
        // Names compare by their first eight bytes first, held inline: at 200k names,
        // following each name's pointer for every comparison was most of the sort.
        let mut all: Vec<(Kind, u64, &str, NodeId)> = self
            .by_kind
            .iter()
            .flat_map(|(k, names)| names.iter().map(|(n, id)| (*k, prefix(n), n.as_str(), *id)))
            .collect();
        all.sort_unstable_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)).then_with(|| a.2.cmp(b.2)));
        all.into_iter().map(|(k, _, n, id)| (k, n, id)).collect()
    }
}

/// The first eight bytes of `s`, zero-padded, as a number that orders as the bytes do
/// (`prefix(a) < prefix(b)` implies `a < b`).
fn prefix(s: &str) -> u64 {
    let mut b = [0u8; 8];
    for (d, c) in b.iter_mut().zip(s.as_bytes()) {
        *d = *c;
    }
    u64::from_be_bytes(b)
}

/// The graph with its lookups.
#[derive(Debug, Clone, Default)]
pub struct Graph {
    pub g: DiGraph<Node, EdgeKind, u32>,
    /// `(kind, name)` → node.
    pub by_name: NameIndex,
    /// Each node's position in `(kind, name)` order, by node index: sorting by it is
    /// sorting by kind then name, without comparing strings.
    pub rank: Vec<u32>,
    /// End-to-end services (roots), sorted by name.
    pub apps: Vec<NodeId>,
    /// Single failure events, sorted by (class, name).
    pub events: Vec<NodeId>,
    /// Region events count for SPOFs only when the topology spans regions or declares a region objective.
    pub regions_matter: bool,
    /// Site events are errors only when the topology has several sites or a site objective.
    pub sites_matter: bool,
    /// Every node, dependencies first ([`Graph::bottom_up`] of the finished graph).
    pub order: Vec<NodeId>,
    /// Each node's dependencies (targets and edge kinds), in declaration order.
    out: Adjacency<(NodeId, EdgeKind)>,
    /// Each node's dependents.
    ins: Adjacency<NodeId>,
}

impl Graph {
    pub fn node(&self, id: NodeId) -> &Node {
        &self.g[id]
    }

    /// Each node's position in the order of its `kind:name` id ([`Node::id`]), by node
    /// index: sorting by it is sorting by id, without building or comparing strings.
    ///
    /// Kinds order by their text here, not as the enum does; within a kind, names keep
    /// their [`Graph::rank`] order. No kind's text is a prefix of another's, so comparing
    /// two ids is comparing their kinds' texts, then their names.
    pub fn id_rank(&self) -> Vec<u32> {
        let mut count = [0u32; Kind::ALL.len()];
        for n in self.g.node_weights() {
            if let Some(c) = count.get_mut(n.kind as usize) {
                *c += 1;
            }
        }
        // Where each kind starts in rank order (enum order) and in id order (text order).
        let mut by_enum = [0u32; Kind::ALL.len()];
        let mut by_text = [0u32; Kind::ALL.len()];
        let mut sum = 0;
        for (start, c) in by_enum.iter_mut().zip(count) {
            *start = sum;
            sum += c;
        }
        let mut text_order = Kind::ALL;
        text_order.sort_unstable_by_key(|k| k.as_str());
        let mut sum = 0;
        for k in text_order {
            if let (Some(start), Some(c)) = (by_text.get_mut(k as usize), count.get(k as usize)) {
                *start = sum;
                sum += c;
            }
        }
        self.g
            .node_indices()
            .map(|id| {
                let k = self.g[id].kind as usize;
                let r = self.rank.get(id.index()).copied().unwrap_or(0);
                let within = r.saturating_sub(by_enum.get(k).copied().unwrap_or(0));
                by_text.get(k).copied().unwrap_or(0) + within
            })
            .collect()
    }

    /// Sorts nodes by kind, then name.
    pub fn sort_by_name(&self, ids: &mut [NodeId]) {
        ids.sort_unstable_by_key(|id| self.rank.get(id.index()).copied().unwrap_or(u32::MAX));
    }

    pub fn find(&self, kind: Kind, name: &str) -> Option<NodeId> {
        self.by_name.get(kind, name)
    }

    /// Resolves `KIND:NAME` (or a bare unique name) to a node.
    pub fn lookup(&self, spec: &str) -> Result<NodeId, String> {
        if let Some((kind, name)) = spec.split_once(':')
            && let Some(kind) = Kind::parse(kind)
        {
            if let Some(id) = self.find(kind, name) {
                return Ok(id);
            }
            if kind == Kind::Link
                && let Some(id) = self.link_by_sites(name)
            {
                return Ok(id);
            }
            let entries = self.by_name.sorted();
            let names = entries
                .iter()
                .filter(|(k, _, _)| *k == kind)
                .map(|(_, n, _)| *n);
            let hint = crate::diagnostic::suggest(name, names)
                .map(|s| format!("; did you mean `{}:{s}`?", kind.as_str()))
                .unwrap_or_default();
            return Err(format!("no {} named `{name}`{hint}", kind.as_str()));
        }
        let matches: Vec<NodeId> = self
            .by_name
            .sorted()
            .into_iter()
            .filter(|(_, n, _)| *n == spec)
            .map(|(_, _, id)| id)
            .collect();
        match matches.as_slice() {
            [one] => Ok(*one),
            [] => {
                let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
                Err(format!(
                    "no element named `{spec}`; use KIND:NAME with KIND one of {}",
                    kinds.join(", ")
                ))
            }
            many => {
                let ids: Vec<String> = many.iter().map(|id| self.g[*id].id()).collect();
                Err(format!("`{spec}` is ambiguous: {}", ids.join(", ")))
            }
        }
    }

    fn link_by_sites(&self, name: &str) -> Option<NodeId> {
        self.by_name
            .sorted()
            .into_iter()
            .filter(|(k, _, _)| *k == Kind::Link)
            .find(|(_, n, _)| {
                let Some((a, b)) = n.split_once(" <-> ") else {
                    return false;
                };
                [
                    format!("{a}-{b}"),
                    format!("{b}-{a}"),
                    format!("{a},{b}"),
                    format!("{b},{a}"),
                    format!("{b} <-> {a}"),
                ]
                .iter()
                .any(|c| c == name)
            })
            .map(|(_, _, id)| id)
    }

    /// Outgoing edges of a node (its dependencies / members), in declaration order. Read
    /// off the compact adjacency, which exists once the graph is built: within
    /// [`build`], walk `g` instead.
    pub fn deps(&self, id: NodeId) -> &[(NodeId, EdgeKind)] {
        self.out.of(id)
    }

    /// The nodes that depend on a node directly. Like [`Graph::deps`], for a built graph.
    pub fn dependents(&self, id: NodeId) -> &[NodeId] {
        self.ins.of(id)
    }

    /// Computes the order and the compact adjacency of the finished graph.
    fn finish(&mut self) {
        use petgraph::Direction::{Incoming, Outgoing};
        use petgraph::visit::EdgeRef;
        self.order = self.bottom_up();
        let g = &self.g;
        self.out = Adjacency::new(self, |id, items| {
            let from = items.len();
            items.extend(
                g.edges_directed(id, Outgoing)
                    .map(|e| (e.target(), *e.weight())),
            );
            // petgraph lists the newest edge first; keep declaration order.
            if let Some(new) = items.get_mut(from..) {
                new.reverse();
            }
        });
        self.ins = Adjacency::new(self, |id, items| {
            items.extend(g.neighbors_directed(id, Incoming))
        });
    }

    /// Nodes in an order where every node comes after all the nodes it depends on
    /// (dependencies first). Nodes on a cycle (a modelling error) are kept together.
    pub fn bottom_up(&self) -> Vec<NodeId> {
        // tarjan_scc yields SCCs in reverse topological order: dependencies first.
        petgraph::algo::tarjan_scc(&self.g)
            .into_iter()
            .flatten()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_rank_orders_as_the_id_strings_and_rank_as_kind_then_name() {
        for a in Kind::ALL {
            for b in Kind::ALL {
                assert!(a == b || !b.as_str().starts_with(a.as_str()), "{a:?} {b:?}");
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        for t in [
            "aws-fsxn-asg",
            "active-passive-rac",
            "active-active-goldengate",
        ] {
            let path = root.join(format!("topologies/{t}.yaml"));
            let m = crate::resolve::load_model(&path, t).unwrap_or_else(|e| panic!("{t}: {e:?}"));
            let gr = build(&m);
            let ids: Vec<NodeId> = gr.g.node_indices().collect();
            let id_rank = gr.id_rank();

            let mut by_text = ids.clone();
            by_text.sort_by_key(|id| gr.g[*id].id());
            let mut by_id_rank = ids.clone();
            by_id_rank.sort_by_key(|id| id_rank[id.index()]);
            assert_eq!(by_text, by_id_rank, "{t}");

            let mut by_kind_name = ids.clone();
            by_kind_name.sort_by(|a, b| {
                (gr.g[*a].kind, &gr.g[*a].name).cmp(&(gr.g[*b].kind, &gr.g[*b].name))
            });
            let mut by_rank = ids;
            gr.sort_by_name(&mut by_rank);
            assert_eq!(by_kind_name, by_rank, "{t}");
        }
    }

    #[test]
    fn name_prefixes_order_as_the_names() {
        let names = [
            "",
            "a",
            "a\0",
            "ab",
            "abcdefgh",
            "abcdefgh\0",
            "abcdefghi",
            "abcdefgi",
            "b",
            "é",
        ];
        for a in names {
            for b in names {
                if prefix(a) < prefix(b) {
                    assert!(a < b, "{a:?} {b:?}");
                }
            }
        }
    }
}
