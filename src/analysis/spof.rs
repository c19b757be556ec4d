//! Single points of failure and double faults, bottom-up over the graph.
//!
//! For every node `v` we compute `S(v)`, the single failure events whose loss alone takes
//! `v` down, and `P(v)`, the minimal pairs of events (neither in `S(v)`) whose joint loss
//! takes it down. Nodes are visited dependencies-first, so each node combines the sets of
//! its dependencies once:
//!
//! - `All` gate: `S(v) = {v} ∪ ⋃ S(c)`, `P(v) = ⋃ P(c)` minus pairs touching `S(v)`;
//! - `AtLeast(k)` of `n`: `v` fails when `t = n - k + 1` dependencies fail, so
//!   `S(v) = {v} ∪ {e : e ∈ S(c) for at least t dependencies c}`; a pair is a candidate when
//!   it is a pair of some dependency, or two singles whose dependency counts can reach `t`,
//!   and is kept when it fails at least `t` dependencies.
//!
//! The cost is linear in the size of the graph times the size of the sets, which stay small
//! (a handful of placement levels and dependencies). Pair sets are capped per node so a
//! pathological topology cannot blow up; the cap is reported.

use foldhash::{HashMap, HashMapExt};

use crate::graph::{Gate, Graph, NodeId};

/// Largest number of pairs kept per node.
pub const PAIR_CAP: usize = 2048;
/// Largest number of single×single candidates examined per node.
const CANDIDATE_CAP: usize = 20_000;

/// Per-node single and double failure sets (event node indices).
pub struct CutSets {
    pub singles: Vec<Vec<u32>>,
    pub pairs: Vec<Vec<(u32, u32)>>,
    /// Whether a node's pair set hit a cap (it is then a lower bound).
    pub truncated: Vec<bool>,
}

fn contains(sorted: &[u32], x: u32) -> bool {
    sorted.binary_search(&x).is_ok()
}

/// Computes single and (optionally) double failure sets for every node.
pub fn cut_sets(gr: &Graph, with_pairs: bool) -> CutSets {
    let n = gr.g.node_count();
    let mut singles: Vec<Vec<u32>> = vec![Vec::new(); n];
    let mut pairs: Vec<Vec<(u32, u32)>> = vec![Vec::new(); n];
    let mut truncated = vec![false; n];
    let mut deps: Vec<NodeId> = Vec::new();
    for id in gr.bottom_up() {
        let node = &gr.g[id];
        deps.clear();
        deps.extend(gr.g.neighbors(id));
        let me = id.index() as u32;
        let total = deps.len();
        let t = match node.gate {
            Gate::All => 1,
            Gate::AtLeast(k) => (total + 1).saturating_sub(k as usize).max(1),
        };
        let mut trunc = deps
            .iter()
            .any(|d| truncated.get(d.index()).copied().unwrap_or(false));
        let mut s: Vec<u32>;
        let mut p: Vec<(u32, u32)> = Vec::new();
        if total == 0 {
            s = Vec::new();
        } else if t == 1 {
            s = deps
                .iter()
                .flat_map(|d| singles[d.index()].iter().copied())
                .collect();
            s.sort_unstable();
            s.dedup();
            if with_pairs {
                p = deps
                    .iter()
                    .flat_map(|d| pairs[d.index()].iter().copied())
                    .collect();
                p.sort_unstable();
                p.dedup();
            }
        } else if t > total {
            // Needs more members than it has: down already; nothing single makes it worse.
            s = Vec::new();
        } else {
            // Event → dependencies it takes down.
            let mut by_event: HashMap<u32, Vec<u32>> = HashMap::new();
            for (ci, d) in deps.iter().enumerate() {
                for e in &singles[d.index()] {
                    by_event.entry(*e).or_default().push(ci as u32);
                }
            }
            s = by_event
                .iter()
                .filter(|(_, cs)| cs.len() >= t)
                .map(|(e, _)| *e)
                .collect();
            s.sort_unstable();
            if with_pairs {
                let mut joint: HashMap<(u32, u32), Vec<u32>> = HashMap::new();
                for (ci, d) in deps.iter().enumerate() {
                    for pr in &pairs[d.index()] {
                        joint.entry(*pr).or_default().push(ci as u32);
                    }
                }
                let mut cands: Vec<(u32, u32)> = joint.keys().copied().collect();
                let mut rest: Vec<(u32, usize)> = by_event
                    .iter()
                    .filter(|(_, cs)| cs.len() < t)
                    .map(|(e, cs)| (*e, cs.len()))
                    .collect();
                rest.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
                let mut examined = 0usize;
                'outer: for i in 0..rest.len() {
                    for j in (i + 1)..rest.len() {
                        if rest[i].1 + rest[j].1 < t {
                            break;
                        }
                        examined += 1;
                        if examined > CANDIDATE_CAP {
                            trunc = true;
                            break 'outer;
                        }
                        let (a, b) = (rest[i].0, rest[j].0);
                        cands.push(if a < b { (a, b) } else { (b, a) });
                    }
                }
                cands.sort_unstable();
                cands.dedup();
                let empty: Vec<u32> = Vec::new();
                for (a, b) in cands {
                    if contains(&s, a) || contains(&s, b) || a == me || b == me {
                        continue;
                    }
                    let mut hit: Vec<u32> = Vec::new();
                    hit.extend(by_event.get(&a).unwrap_or(&empty));
                    hit.extend(by_event.get(&b).unwrap_or(&empty));
                    hit.extend(joint.get(&(a, b)).unwrap_or(&empty));
                    hit.sort_unstable();
                    hit.dedup();
                    if hit.len() >= t {
                        p.push((a, b));
                    }
                }
            }
        }
        if node.event.is_some()
            && let Err(pos) = s.binary_search(&me)
        {
            s.insert(pos, me);
        }
        if with_pairs {
            p.retain(|(a, b)| !contains(&s, *a) && !contains(&s, *b));
            p.sort_unstable();
            if p.len() > PAIR_CAP {
                p.truncate(PAIR_CAP);
                trunc = true;
            }
        }
        singles[id.index()] = s;
        pairs[id.index()] = p;
        truncated[id.index()] = trunc;
    }
    CutSets {
        singles,
        pairs,
        truncated,
    }
}

/// The dependency chain from `from` down to `event`: each step follows the first
/// dependency whose single-failure set contains the event.
pub fn chain(gr: &Graph, cs: &CutSets, from: NodeId, event: NodeId) -> Vec<NodeId> {
    let e = event.index() as u32;
    let mut out = vec![from];
    let mut cur = from;
    let limit = gr.g.node_count() + 1;
    while cur != event && out.len() < limit {
        // The smallest qualifying dependency by (kind, name): independent of YAML order.
        let next = gr
            .deps(cur)
            .into_iter()
            .map(|(d, _)| d)
            .filter(|d| cs.singles.get(d.index()).is_some_and(|s| contains(s, e)))
            .min_by(|a, b| (gr.g[*a].kind, &gr.g[*a].name).cmp(&(gr.g[*b].kind, &gr.g[*b].name)));
        match next {
            Some(d) => {
                out.push(d);
                cur = d;
            }
            None => break,
        }
    }
    out
}
