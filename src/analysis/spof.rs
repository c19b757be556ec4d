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

use crate::graph::{EdgeKind, Gate, Graph, NodeId};

/// Largest number of pairs kept per node.
pub const PAIR_CAP: usize = 2048;
/// Largest number of single×single candidates examined per node.
const CANDIDATE_CAP: usize = 20_000;

/// Sorted per-node lists in one array: `items[at..at + len]` for `(at, len) = span[node]`.
/// Offsets are `u32`, like node ids: more than 2^32 stored entries (tens of GB) would read
/// as empty lists.
/// Nodes are filled in dependencies-first order, so a node whose list is its only
/// dependency's shares that dependency's span instead of copying it.
struct Lists<T> {
    span: Vec<(u32, u32)>,
    items: Vec<T>,
}

impl<T: Copy> Lists<T> {
    fn new(nodes: usize, items: usize) -> Self {
        Lists {
            span: vec![(0, 0); nodes],
            items: Vec::with_capacity(items),
        }
    }

    fn of(&self, id: NodeId) -> &[T] {
        match self.span.get(id.index()) {
            Some(&(at, len)) => self
                .items
                .get(at as usize..at as usize + len as usize)
                .unwrap_or(&[]),
            None => &[],
        }
    }

    fn set(&mut self, id: NodeId, list: &[T]) {
        let at = u32::try_from(self.items.len()).unwrap_or(u32::MAX);
        self.items.extend_from_slice(list);
        self.share(id, (at, u32::try_from(list.len()).unwrap_or(0)));
    }

    fn share(&mut self, id: NodeId, span: (u32, u32)) {
        if let Some(s) = self.span.get_mut(id.index()) {
            *s = span;
        }
    }

    fn span(&self, id: NodeId) -> (u32, u32) {
        self.span.get(id.index()).copied().unwrap_or((0, 0))
    }
}

impl<T: Copy + Ord> Lists<T> {
    /// The sorted union of the lists of `deps`, into `out`.
    fn union(&self, deps: &[(NodeId, EdgeKind)], out: &mut Vec<T>) {
        out.clear();
        for (d, _) in deps {
            out.extend_from_slice(self.of(*d));
        }
        out.sort_unstable();
        out.dedup();
    }

    /// Every item of the lists of `deps` with its dependency's position, sorted, into `out`.
    fn tagged(&self, deps: &[(NodeId, EdgeKind)], out: &mut Vec<(T, u32)>) {
        out.clear();
        for (ci, (d, _)) in deps.iter().enumerate() {
            let ci = u32::try_from(ci).unwrap_or(u32::MAX);
            out.extend(self.of(*d).iter().map(|x| (*x, ci)));
        }
        out.sort_unstable();
    }
}

/// Per-node single and double failure sets (event node indices).
pub struct CutSets {
    singles: Lists<u32>,
    pairs: Lists<(u32, u32)>,
    /// Whether a node's pair set hit a cap (it is then a lower bound).
    truncated: Vec<bool>,
}

impl CutSets {
    /// The single failure events that take `id` down, sorted.
    pub fn singles(&self, id: NodeId) -> &[u32] {
        self.singles.of(id)
    }

    /// The minimal pairs of failure events that take `id` down, sorted.
    pub fn pairs(&self, id: NodeId) -> &[(u32, u32)] {
        self.pairs.of(id)
    }

    /// Whether the pairs of `id` hit a cap (they are then a lower bound).
    pub fn truncated(&self, id: NodeId) -> bool {
        self.truncated.get(id.index()).copied().unwrap_or(false)
    }
}

fn contains(sorted: &[u32], x: u32) -> bool {
    sorted.binary_search(&x).is_ok()
}

/// The `(key, dependency)` entries with key `k` of a list sorted by key.
fn group<K: Ord + Copy>(sorted: &[(K, u32)], k: K) -> &[(K, u32)] {
    let from = sorted.partition_point(|(x, _)| *x < k);
    let to = sorted.partition_point(|(x, _)| *x <= k);
    sorted.get(from..to).unwrap_or(&[])
}

/// Buffers reused from node to node.
#[derive(Default)]
struct Work {
    s: Vec<u32>,
    p: Vec<(u32, u32)>,
    /// `(event, dependency)`: which dependencies each single event takes down.
    by_event: Vec<(u32, u32)>,
    /// `(pair, dependency)`: which dependencies each pair takes down.
    joint: Vec<((u32, u32), u32)>,
    rest: Vec<(u32, usize)>,
    cands: Vec<(u32, u32)>,
    hit: Vec<u32>,
}

/// Computes single and (optionally) double failure sets for every node.
pub fn cut_sets(gr: &Graph, with_pairs: bool) -> CutSets {
    let n = gr.g.node_count();
    let mut cs = CutSets {
        singles: Lists::new(n, n * 4),
        pairs: Lists::new(n, if with_pairs { n } else { 0 }),
        truncated: vec![false; n],
    };
    let mut w = Work::default();
    for &id in &gr.order {
        let node = &gr.g[id];
        let deps = gr.deps(id);
        let me = id.index() as u32;
        let total = deps.len();
        let t = match node.gate {
            Gate::All => 1,
            Gate::AtLeast(k) => (total + 1).saturating_sub(k as usize).max(1),
        };
        let mut trunc = deps.iter().any(|(d, _)| cs.truncated(*d));
        // One dependency needed, and the node no event of its own: its sets are the
        // dependency's (whose pairs already avoid its singles and respect the cap).
        if let ([(d, _)], 1, None) = (deps, t, node.event) {
            let (singles, pairs) = (cs.singles.span(*d), cs.pairs.span(*d));
            cs.singles.share(id, singles);
            cs.pairs.share(id, pairs);
            if let Some(x) = cs.truncated.get_mut(id.index()) {
                *x = trunc;
            }
            continue;
        }
        w.s.clear();
        w.p.clear();
        if total == 0 || t > total {
            // Nothing below, or needs more members than it has (down already): nothing
            // single makes it worse.
        } else if t == 1 {
            cs.singles.union(deps, &mut w.s);
            if with_pairs {
                cs.pairs.union(deps, &mut w.p);
            }
        } else {
            cs.singles.tagged(deps, &mut w.by_event);
            // Events that take down at least `t` dependencies; the others, with their counts.
            w.rest.clear();
            for chunk in w.by_event.chunk_by(|a, b| a.0 == b.0) {
                if let Some((e, _)) = chunk.first() {
                    if chunk.len() >= t {
                        w.s.push(*e);
                    } else {
                        w.rest.push((*e, chunk.len()));
                    }
                }
            }
            if with_pairs {
                cs.pairs.tagged(deps, &mut w.joint);
                w.cands.clear();
                w.cands.extend(w.joint.iter().map(|(p, _)| *p));
                w.rest
                    .sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
                let mut examined = 0usize;
                'outer: for (i, a) in w.rest.iter().enumerate() {
                    for b in w.rest.iter().skip(i + 1) {
                        if a.1 + b.1 < t {
                            break;
                        }
                        examined += 1;
                        if examined > CANDIDATE_CAP {
                            trunc = true;
                            break 'outer;
                        }
                        let (a, b) = (a.0, b.0);
                        w.cands.push(if a < b { (a, b) } else { (b, a) });
                    }
                }
                w.cands.sort_unstable();
                w.cands.dedup();
                for &(a, b) in &w.cands {
                    if contains(&w.s, a) || contains(&w.s, b) || a == me || b == me {
                        continue;
                    }
                    w.hit.clear();
                    w.hit.extend(group(&w.by_event, a).iter().map(|(_, c)| *c));
                    w.hit.extend(group(&w.by_event, b).iter().map(|(_, c)| *c));
                    w.hit
                        .extend(group(&w.joint, (a, b)).iter().map(|(_, c)| *c));
                    w.hit.sort_unstable();
                    w.hit.dedup();
                    if w.hit.len() >= t {
                        w.p.push((a, b));
                    }
                }
            }
        }
        if node.event.is_some()
            && let Err(pos) = w.s.binary_search(&me)
        {
            w.s.insert(pos, me);
        }
        if with_pairs {
            let s = &w.s;
            w.p.retain(|(a, b)| !contains(s, *a) && !contains(s, *b));
            w.p.sort_unstable();
            if w.p.len() > PAIR_CAP {
                w.p.truncate(PAIR_CAP);
                trunc = true;
            }
        }
        cs.singles.set(id, &w.s);
        cs.pairs.set(id, &w.p);
        if let Some(x) = cs.truncated.get_mut(id.index()) {
            *x = trunc;
        }
    }
    cs
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
            .iter()
            .map(|(d, _)| *d)
            .filter(|d| contains(cs.singles(*d), e))
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
