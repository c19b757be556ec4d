//! The resilience engine: single points of failure, double faults and failure simulation
//! over the [`crate::graph`] of a topology.

pub mod partition;
pub mod recovery;
pub mod simulate;
pub mod spof;

use std::collections::BTreeMap;

use crate::graph::{EventClass, Graph, Kind, NodeId};
use crate::resolve::Model;

pub use simulate::{AppResult, Scenario, Simulator, Status, Step, Verdict};
pub use spof::CutSets;

/// One single point of failure.
#[derive(Debug, Clone)]
pub struct Spof {
    pub event: NodeId,
    /// Services it takes down, sorted.
    pub apps: Vec<NodeId>,
    /// Chain from the first affected service down to the event.
    pub chain: Vec<NodeId>,
    /// Processes on this host that are SPOFs for the same services (reported with it).
    pub folded: Vec<NodeId>,
    /// Whether the event counts for the topology (sites in a single-site topology do not).
    pub matters: bool,
}

/// Minimal pairs of failure events that take services down.
#[derive(Debug, Clone, Default)]
pub struct DoubleFaults {
    /// Distinct pairs over all services.
    pub total: usize,
    /// Pairs with the services each takes down, worst first.
    pub worst: Vec<((NodeId, NodeId), Vec<NodeId>)>,
    /// Whether a cap was reached (the count is then a lower bound).
    pub truncated: bool,
}

/// How many worst pairs are kept.
pub const WORST_PAIRS: usize = 10;

/// The analysis of one model.
pub struct Analysis {
    pub graph: Graph,
    pub cuts: CutSets,
    pub spofs: Vec<Spof>,
    pub doubles: DoubleFaults,
}

/// The services of grouped `(key, position in apps)` entries.
fn apps_of<K>(apps: &[NodeId], entries: &[(K, u32)]) -> Vec<NodeId> {
    entries
        .iter()
        .filter_map(|(_, i)| apps.get(*i as usize).copied())
        .collect()
}

fn class_rank(c: Option<EventClass>) -> u8 {
    match c {
        Some(EventClass::Region) => 6,
        Some(EventClass::Site) => 5,
        Some(EventClass::Link) => 4,
        Some(EventClass::Zone) => 3,
        Some(EventClass::Storage) => 2,
        Some(EventClass::Host) => 1,
        _ => 0,
    }
}

impl Analysis {
    pub fn new(m: &Model) -> Analysis {
        let graph = crate::graph::build(m);
        let cuts = spof::cut_sets(&graph, true);
        let gr = &graph;
        // (event, service) and (pair, service) entries, grouped by sorting: services by
        // their position in `gr.apps`, so each event lists them in that order.
        let mut by_event: Vec<(u32, u32)> = Vec::new();
        let mut pairs: Vec<((u32, u32), u32)> = Vec::new();
        let mut truncated = false;
        for (i, app) in gr.apps.iter().enumerate() {
            let i = u32::try_from(i).unwrap_or(u32::MAX);
            by_event.extend(cuts.singles(*app).iter().map(|e| (*e, i)));
            pairs.extend(cuts.pairs(*app).iter().map(|p| (*p, i)));
            truncated |= cuts.truncated(*app);
        }
        by_event.sort_unstable();
        pairs.sort_unstable();
        // A double fault standing as one event (a redundant link's partition) is never a
        // single point of failure, nor half of a double fault.
        let matters = |id: NodeId| match gr.g[id].event {
            _ if gr.g[id].double => false,
            Some(EventClass::Region) => gr.regions_matter,
            _ => true,
        };
        pairs.retain(|((a, b), _)| {
            !gr.g[NodeId::new(*a as usize)].double && !gr.g[NodeId::new(*b as usize)].double
        });
        let mut spofs: Vec<Spof> = by_event
            .chunk_by(|a, b| a.0 == b.0)
            .filter_map(|entries| {
                let event = NodeId::new(entries.first()?.0 as usize);
                let apps = apps_of(&gr.apps, entries);
                let chain = apps
                    .first()
                    .map(|a| spof::chain(gr, &cuts, *a, event))
                    .unwrap_or_default();
                Some(Spof {
                    event,
                    apps,
                    chain,
                    folded: Vec::new(),
                    matters: matters(event),
                })
            })
            .collect();
        // Fold processes into their host when the host takes down the same services.
        let host_apps: BTreeMap<NodeId, Vec<NodeId>> = spofs
            .iter()
            .filter(|s| gr.g[s.event].kind == Kind::Host)
            .map(|s| (s.event, s.apps.clone()))
            .collect();
        let mut folded: BTreeMap<NodeId, Vec<NodeId>> = BTreeMap::new();
        spofs.retain(|s| {
            let n = &gr.g[s.event];
            if n.event == Some(EventClass::Component)
                && let Some(h) = n.host
                && let Some(apps) = host_apps.get(&h)
                && s.apps.iter().all(|a| apps.contains(a))
            {
                folded.entry(h).or_default().push(s.event);
                return false;
            }
            true
        });
        for s in &mut spofs {
            if gr.g[s.event].kind == Kind::Host
                && let Some(f) = folded.remove(&s.event)
            {
                s.folded = f;
            }
        }
        // By (class, kind, name); the rank orders by kind then name.
        spofs
            .sort_unstable_by_key(|s| (gr.g[s.event].event, gr.rank.get(s.event.index()).copied()));
        let rank = |id: NodeId| gr.rank.get(id.index()).copied().unwrap_or(u32::MAX);
        let mut worst: Vec<((NodeId, NodeId), Vec<NodeId>)> = pairs
            .chunk_by(|a, b| a.0 == b.0)
            .filter_map(|entries| {
                let (a, b) = entries.first()?.0;
                let (a, b) = (NodeId::new(a as usize), NodeId::new(b as usize));
                // Name order within the pair, independent of YAML order.
                let pair = if rank(a) <= rank(b) { (a, b) } else { (b, a) };
                let mut apps = apps_of(&gr.apps, entries);
                gr.sort_by_name(&mut apps);
                Some((pair, apps))
            })
            .collect();
        let total = worst.len();
        // Most services first, then the broadest failure classes, then by id; only the
        // first few are kept, so they are selected (linear) before they are sorted.
        let id_rank = gr.id_rank();
        let id = |n: NodeId| id_rank.get(n.index()).copied().unwrap_or(u32::MAX);
        let key = |(p, apps): &((NodeId, NodeId), Vec<NodeId>)| {
            let class = class_rank(gr.g[p.0].event) + class_rank(gr.g[p.1].event);
            (
                std::cmp::Reverse(apps.len()),
                std::cmp::Reverse(class),
                id(p.0),
                id(p.1),
            )
        };
        if worst.len() > WORST_PAIRS {
            worst.select_nth_unstable_by_key(WORST_PAIRS - 1, key);
            worst.truncate(WORST_PAIRS);
        }
        worst.sort_unstable_by_key(key);
        Analysis {
            graph,
            cuts,
            spofs,
            doubles: DoubleFaults {
                total,
                worst,
                truncated,
            },
        }
    }

    /// The chain as text: `app /orders → group … → host wls1a`.
    pub fn chain_text(&self, chain: &[NodeId]) -> String {
        chain
            .iter()
            .filter(|id| self.graph.g[**id].kind != Kind::Group)
            .map(|id| self.graph.g[*id].id())
            .collect::<Vec<_>>()
            .join(" → ")
    }
}
