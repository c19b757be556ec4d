//! Failure simulation: which services survive a set of failures, how they recover (step by
//! step), the estimated RTO and RPO, and the verdict against the declared objectives.
//!
//! Only the nodes that depend (transitively) on a failed element are evaluated: everything
//! else is up. Nodes are evaluated dependencies first:
//!
//! - a failed element is lost, unless something restarts it in place (Node Manager, Clusterware);
//! - an `All` node recovers when its last dependency has recovered (they recover in parallel);
//! - a group that keeps `k` serving members unaffected only pays its mechanism's detection
//!   (the blip seen by users of the failed member); otherwise it recovers members
//!   that restart, or fails over to standbys: the standby's own recovery, then the start of
//!   a passive domain, then the mechanism (sequentially), and takes the `k` fastest.

use std::cell::RefCell;
use std::collections::VecDeque;

use foldhash::HashSet;

use serde::Serialize;

use super::partition;
use super::recovery::{Actor, Cost, Ctx, Timings};
use crate::graph::{EdgeKind, EventClass, Gate, Graph, Kind, NodeId};
use crate::model::{Disruption, Duration};
use crate::resolve::Model;

/// Per-thread scratch space of [`Simulator::run`]: node index → position in the current
/// cone, valid while the node's stamp is the current run's. Dense arrays instead of hash
/// maps keep a large cone's bookkeeping compact (hash maps of 200k outcomes made the zone
/// and site scenarios of a 100k-component topology cache-bound and superlinear).
#[derive(Default)]
struct Scratch {
    stamp: Vec<u32>,
    slot: Vec<u32>,
    run: u32,
    /// Buffers reused from run to run (a site's cone at 100k components is 13 MB of
    /// outcomes: allocated afresh, every run paid its page faults).
    cone: Vec<NodeId>,
    queue: VecDeque<NodeId>,
    vals: Vec<Outcome>,
}

impl Scratch {
    /// Starts a run over a graph of `nodes` nodes: forgets every mark in O(1).
    fn begin(&mut self, nodes: usize) {
        if self.stamp.len() < nodes {
            self.stamp.resize(nodes, 0);
            self.slot.resize(nodes, 0);
        }
        if self.run == u32::MAX {
            self.stamp.fill(0);
            self.run = 0;
        }
        self.run += 1;
    }

    /// Marks `id` as in the cone; false when it already was.
    fn visit(&mut self, id: NodeId) -> bool {
        match self.stamp.get_mut(id.index()) {
            Some(s) if *s != self.run => {
                *s = self.run;
                true
            }
            _ => false,
        }
    }

    fn set_slot(&mut self, id: NodeId, i: usize) {
        if let Some(s) = self.slot.get_mut(id.index()) {
            *s = u32::try_from(i).unwrap_or(u32::MAX);
        }
    }

    /// Whether `id` is in the current run's cone.
    fn marked(&self, id: NodeId) -> bool {
        self.stamp.get(id.index()) == Some(&self.run)
    }

    fn slot(&self, id: NodeId) -> Option<usize> {
        if !self.marked(id) {
            return None;
        }
        self.slot.get(id.index()).map(|s| *s as usize)
    }
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// The outcomes computed so far in a run, in cone order.
struct Outcomes<'s> {
    scratch: &'s Scratch,
    vals: Vec<Outcome>,
}

impl Outcomes<'_> {
    /// The outcome of `id`, when it is in the cone and already evaluated.
    fn get(&self, id: &NodeId) -> Option<&Outcome> {
        self.scratch.slot(*id).and_then(|i| self.vals.get(i))
    }
}

/// One step of a recovery timeline.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Step {
    pub start: Duration,
    pub end: Duration,
    pub mechanism: &'static str,
    pub what: String,
    /// Who performs it: a product mechanism, declared runbook automation, or an operator.
    pub by: Actor,
    /// Restores a pinned singleton (JMS, JTA) while requests are already served again:
    /// shown in the timeline, not counted in the service RTO.
    pub background: bool,
    /// Where its duration comes from (declared, a sourced default, an assumption).
    pub basis: String,
}

impl Step {
    /// Whether a person performs it.
    pub fn manual(&self) -> bool {
        self.by == Actor::Operator
    }
}

/// The state of a node in a scenario.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Time to serve again; `None` when it cannot recover without repair.
    pub rto: Option<Duration>,
    pub rpo: Duration,
    /// Whether it was disturbed at all.
    pub affected: bool,
    /// Disturbed, but some member of a redundancy group inside it kept serving all along
    /// (the failure was absorbed at a lower level: a blip, never an outage). An outer
    /// group counts such a member as serving and does not act.
    pub absorbed: bool,
    /// While lost: committed data that only a lost database holds (some data store beneath
    /// is gone with no copy that took over).
    pub data_lost: bool,
    /// While lost: the lag of the asynchronous replication of the lost databases beneath,
    /// the data a service loses when it carries on from another copy.
    pub stranded: Duration,
    /// The lost database whose replication lag `stranded` is.
    pub stranded_db: Option<NodeId>,
    /// A database changed role on the way to serving again (a Data Guard failover): what
    /// triggers a runbook that starts a passive domain.
    pub role_change: bool,
    pub steps: Vec<Step>,
}

impl Outcome {
    fn up() -> Outcome {
        Outcome {
            rto: Some(Duration::ZERO),
            rpo: Duration::ZERO,
            affected: false,
            absorbed: false,
            data_lost: false,
            stranded: Duration::ZERO,
            stranded_db: None,
            role_change: false,
            steps: Vec::new(),
        }
    }
    fn down() -> Outcome {
        Outcome {
            rto: None,
            rpo: Duration::ZERO,
            affected: true,
            absorbed: false,
            data_lost: false,
            stranded: Duration::ZERO,
            stranded_db: None,
            role_change: false,
            steps: Vec::new(),
        }
    }
}

/// What happens to one end-to-end service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Not touched by the failure.
    Unaffected,
    /// Interrupted, then restored by a failover mechanism or a restart.
    Recovered,
    /// Down until the failed element is repaired.
    Down,
}

/// Objective verdict for one service.
#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    pub disruption: Disruption,
    pub rto_objective: Duration,
    pub rpo_objective: Duration,
    pub rto_met: bool,
    pub rpo_met: bool,
    /// By how much the RTO objective is exceeded (`None` when met or unbounded).
    pub rto_over: Option<Duration>,
    pub rpo_over: Option<Duration>,
}

/// The result for one service.
#[derive(Debug, Clone)]
pub struct AppResult {
    pub app: NodeId,
    pub status: Status,
    pub rto: Option<Duration>,
    /// Data lost when it carries on; meaningless when `data_lost`.
    pub rpo: Duration,
    /// Down with a data store lost and no copy: every write since the last backup is at
    /// stake (an unbounded RPO), not `rpo`.
    pub data_lost: bool,
    pub steps: Vec<Step>,
    pub verdict: Option<Verdict>,
}

/// The result of one scenario.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub failed: Vec<NodeId>,
    pub disruption: Disruption,
    pub apps: Vec<AppResult>,
    /// Components that cannot recover without repair (groups omitted).
    pub lost: Vec<NodeId>,
    /// Services not affected at all (not listed in `apps`).
    pub unaffected: usize,
}

/// Precomputed data for simulating many scenarios on one graph.
pub struct Simulator<'a> {
    pub m: &'a Model,
    pub gr: &'a Graph,
    pub timings: Timings,
    pos: Vec<u32>,
    has_passive: Vec<bool>,
    lookups: super::recovery::Lookups,
    is_app: Vec<bool>,
    /// Each node's kind and gate, by node index: compact copies of the fields a scenario
    /// reads for every node of its cone (the nodes themselves do not fit in cache).
    kind: Vec<Kind>,
    gate: Vec<Gate>,
    /// Whether failed processes restart in place (Node Manager, Clusterware); without,
    /// every failed element is lost until repaired, as the cut-set analysis assumes.
    restarts: bool,
}

impl<'a> Simulator<'a> {
    pub fn new(m: &'a Model, gr: &'a Graph) -> Simulator<'a> {
        let mut pos = vec![0u32; gr.g.node_count()];
        let mut has_passive = vec![false; gr.g.node_count()];
        for (i, id) in gr.order.iter().enumerate() {
            pos[id.index()] = i as u32;
            has_passive[id.index()] =
                gr.g[*id].passive || gr.deps(*id).iter().any(|(d, _)| has_passive[d.index()]);
        }
        Simulator {
            m,
            gr,
            timings: Timings::from_recovery(&m.topo.recovery),
            pos,
            has_passive,
            lookups: super::recovery::Lookups::new(m),
            is_app: {
                let mut v = vec![false; gr.g.node_count()];
                for a in &gr.apps {
                    v[a.index()] = true;
                }
                v
            },
            kind: gr.g.node_weights().map(|n| n.kind).collect(),
            gate: gr.g.node_weights().map(|n| n.gate).collect(),
            restarts: true,
        }
    }

    /// The same simulator with no restart in place: a failed element stays lost until it
    /// is repaired, so a service survives only through redundancy (the question the
    /// cut-set analysis answers; `tests/simulate_props.rs` compares the two).
    #[must_use]
    pub fn without_restarts(mut self) -> Self {
        self.restarts = false;
        self
    }

    /// The disruption type a set of failures counts as (the widest).
    pub fn disruption(&self, failed: &[NodeId]) -> Disruption {
        failed
            .iter()
            .map(|id| {
                self.gr.g[*id]
                    .event
                    .map_or(Disruption::Host, EventClass::disruption)
            })
            .max()
            .unwrap_or(Disruption::Host)
    }

    /// Simulates the simultaneous failure of `failed`.
    pub fn run(&self, failed: &[NodeId], with_steps: bool) -> Scenario {
        SCRATCH.with(|s| match s.try_borrow_mut() {
            Ok(mut scratch) => self.run_in(&mut scratch, failed, with_steps),
            Err(_) => self.run_in(&mut Scratch::default(), failed, with_steps),
        })
    }

    fn run_in(&self, scratch: &mut Scratch, failed: &[NodeId], with_steps: bool) -> Scenario {
        let gr = self.gr;
        let ctx = Ctx {
            describe: with_steps,
            m: self.m,
            gr,
            t: &self.timings,
            lookups: &self.lookups,
            host_lost: failed.iter().any(|f| {
                matches!(
                    self.gr.g[*f].event,
                    Some(
                        EventClass::Host | EventClass::Zone | EventClass::Site | EventClass::Region
                    )
                )
            }),
        };
        let mut fset: HashSet<NodeId> = failed.iter().copied().collect();
        // A partition implies failures the graph does not carry (an isolated primary, the
        // fenced half of a stretched cluster): evaluated as failed, not reported as lost.
        let cuts = partition::Cuts::new(gr, &fset);
        let implied = partition::implied(&ctx, &fset, &cuts);
        let reported: Option<HashSet<NodeId>> =
            (!implied.nodes.is_empty()).then(|| self.cone_of(failed));
        let implied_set: HashSet<NodeId> = implied.nodes.iter().copied().collect();
        fset.extend(implied.nodes.iter().copied());
        // The cone: everything that depends on a failed element.
        scratch.begin(gr.g.node_count());
        let mut cone = std::mem::take(&mut scratch.cone);
        cone.clear();
        let mut q = std::mem::take(&mut scratch.queue);
        q.clear();
        for f in failed.iter().chain(&implied.nodes) {
            if scratch.visit(*f) {
                q.push_back(*f);
            }
        }
        while let Some(n) = q.pop_front() {
            cone.push(n);
            for p in self.gr.dependents(n) {
                if scratch.visit(*p) {
                    q.push_back(*p);
                }
            }
        }
        // Dependencies first. A large cone (a zone, a site) is read off the precomputed
        // order in one linear pass instead of sorted.
        if cone.len() > self.gr.order.len() / 16 {
            cone.clear();
            cone.extend(self.gr.order.iter().filter(|id| scratch.marked(**id)));
        } else {
            cone.sort_unstable_by_key(|id| self.pos.get(id.index()).copied().unwrap_or(0));
        }
        for (i, id) in cone.iter().enumerate() {
            scratch.set_slot(*id, i);
        }
        let mut vals = std::mem::take(&mut scratch.vals);
        vals.clear();
        vals.reserve(cone.len());
        let marks: &Scratch = scratch;
        // The cone is exactly the set of nodes with a failed element among themselves and
        // their transitive dependencies: a node is alive when it is outside it.
        let alive = |n: NodeId| -> bool { !marks.marked(n) };
        let mut out = Outcomes {
            scratch: marks,
            vals,
        };
        let up = Outcome::up();
        let destroys = failed.iter().any(|f| self.destroys_data(*f));
        for id in &cone {
            let o = if implied_set.contains(id) {
                Outcome::down()
            } else if fset.contains(id) {
                self.failed_outcome(&ctx, *id, with_steps)
            } else {
                match self.gate.get(id.index()).copied().unwrap_or(Gate::All) {
                    Gate::All => self.all_of(*id, &out, with_steps),
                    Gate::AtLeast(k) => {
                        let deps = self.gr.deps(*id);
                        self.group(&ctx, *id, k as usize, deps, &out, &up, &alive, with_steps)
                    }
                }
            };
            let mut o = o;
            if o.rto.is_none() {
                self.strand(*id, destroys, &mut o);
            }
            out.vals.push(o);
        }
        let disruption = self.disruption(failed);
        let apps = self.results(&ctx, &cuts, &implied, &implied_set, &cone, &out, disruption);
        let mut lost: Vec<NodeId> = cone
            .iter()
            .filter(|id| reported.as_ref().is_none_or(|r| r.contains(id)))
            .filter(|id| out.get(id).is_some_and(|o| o.rto.is_none()))
            .filter(|id| {
                self.kind.get(id.index()) != Some(&Kind::Group) || gr.g[**id].event.is_some()
            })
            .copied()
            .collect();
        gr.sort_by_name(&mut lost);
        let mut failed = failed.to_vec();
        gr.sort_by_name(&mut failed);
        failed.dedup();
        let unaffected = gr.apps.len().saturating_sub(apps.len());
        scratch.vals = out.vals;
        scratch.cone = cone;
        scratch.queue = q;
        Scenario {
            failed,
            disruption,
            unaffected,
            apps,
            lost,
        }
    }

    /// Every node that depends on `failed` (the cone of the failures themselves, without
    /// the failures a partition implies).
    fn cone_of(&self, failed: &[NodeId]) -> HashSet<NodeId> {
        let mut seen: HashSet<NodeId> = failed.iter().copied().collect();
        let mut stack: Vec<NodeId> = failed.to_vec();
        while let Some(n) = stack.pop() {
            for p in self.gr.dependents(n) {
                if seen.insert(*p) {
                    stack.push(*p);
                }
            }
        }
        seen
    }

    /// The affected services, by name: the cone's services, with the effects the graph
    /// does not carry (a partition's explanation, a Data Guard commit stall) added.
    #[allow(clippy::too_many_arguments)]
    fn results(
        &self,
        ctx: &Ctx<'_>,
        cuts: &partition::Cuts,
        implied: &partition::Implied,
        implied_set: &HashSet<NodeId>,
        cone: &[NodeId],
        out: &Outcomes<'_>,
        disruption: Disruption,
    ) -> Vec<AppResult> {
        let gr = self.gr;
        let objective = self.m.topo.objectives.get(disruption);
        let lost = |n: NodeId| out.get(&n).is_some_and(|o| o.rto.is_none());
        let primary_ok = |n: NodeId| !implied_set.contains(&n) && !lost(n);
        let mut extra: Vec<(NodeId, Duration, Vec<Step>)> = Vec::new();
        let mut effects = partition::sync_losses(ctx, cuts, &lost, &primary_ok);
        effects.extend(partition::replication_splits(ctx, cuts));
        for (db, held, steps) in effects {
            for app in partition::services_of(gr, db, &self.is_app) {
                extra.push((app, held, steps.clone()));
            }
        }
        // Only services in the cone (or held up by a stall) can be affected: the others
        // are counted, not listed (listing every service for every scenario would be
        // quadratic).
        let mut apps: Vec<NodeId> = cone
            .iter()
            .copied()
            .filter(|id| self.is_app[id.index()])
            .chain(extra.iter().map(|e| e.0))
            .collect();
        gr.sort_by_name(&mut apps);
        apps.dedup();
        let mut results = Vec::new();
        for app in &apps {
            let mut o = out.get(app).cloned().unwrap_or_else(Outcome::up);
            for (_, held, steps) in extra.iter().filter(|e| e.0 == *app) {
                o.affected = true;
                o.rto = o.rto.map(|r| r.max(*held));
                o.steps.extend(steps.iter().cloned());
            }
            if o.affected {
                o.steps.extend(implied.steps.iter().cloned());
                results.push(app_result(*app, &o, disruption, objective));
            }
        }
        results
    }
    #[allow(clippy::too_many_arguments)]
    fn group(
        &self,
        ctx: &Ctx<'_>,
        id: NodeId,
        k: usize,
        deps: &[(NodeId, EdgeKind)],
        out: &Outcomes<'_>,
        up: &Outcome,
        alive: &dyn Fn(NodeId) -> bool,
        with_steps: bool,
    ) -> Outcome {
        let members: Vec<(NodeId, bool, &Outcome)> = deps
            .iter()
            .map(|(d, e)| (*d, *e == EdgeKind::Standby, out.get(d).unwrap_or(up)))
            .collect();
        // A member serves when it was not disturbed, or when a group inside it absorbed the
        // failure (a peer in the same place kept serving): this group then does not act.
        let serving = |o: &Outcome| !o.affected || o.absorbed;
        let healthy_active = members.iter().filter(|(_, sb, o)| !sb && serving(o));
        let any_active_hit = members.iter().any(|(_, sb, o)| !sb && !serving(o));
        if healthy_active.clone().count() >= k {
            // The blips of the members that absorbed their failure themselves.
            let mut o = Outcome::up();
            for (_, _, m) in members.iter().filter(|(_, sb, m)| !sb && m.absorbed) {
                o.affected = true;
                o.absorbed = true;
                o.rpo = o.rpo.max(m.rpo);
                o.rto = o.rto.max(m.rto);
                if with_steps {
                    o.steps.extend(m.steps.iter().cloned());
                }
            }
            if !any_active_hit {
                return o;
            }
            // Work moves to the first member by name that was not disturbed (or absorbed).
            let target = healthy_active
                .clone()
                .filter(|(_, _, m)| !m.affected)
                .chain(healthy_active)
                .map(|(d, _, _)| *d)
                .min_by(|a, b| self.gr.g[*a].name.cmp(&self.gr.g[*b].name))
                .unwrap_or(id);
            let c = ctx.cost(id, target, false, alive);
            o.affected = true;
            o.absorbed = true;
            o.rto = o.rto.max(Some(c.total()));
            let left = stranded(&members);
            o.rpo = o.rpo.max(c.rpo).max(left.0);
            if with_steps {
                push_cost(&mut o.steps, Duration::ZERO, &c);
                self.push_stranded(ctx, &mut o.steps, left);
            }
            return o;
        }
        // Not enough serving members: recover or fail over.
        let mut cands: Vec<(Duration, usize, Outcome)> = Vec::new();
        // Users of an active member that is gone are moved by this group's mechanism to
        // another active member, while that member recovers on its own.
        let active_lost = members.iter().any(|(_, sb, o)| !sb && o.rto.is_none());
        let stranded = stranded(&members);
        // Whether this group's mechanism can fail over at all (once, not per standby).
        let acts = self.asg_sees_failure(id, &members, alive);
        for (i, (d, standby, o)) in members.iter().enumerate() {
            let Some(r) = o.rto else { continue };
            if !standby {
                let mut o = (*o).clone();
                if active_lost {
                    let c = ctx.cost(id, *d, false, alive);
                    o.rto = Some(r.max(c.total()));
                    o.rpo = o.rpo.max(c.rpo).max(stranded.0);
                    if with_steps {
                        push_cost(&mut o.steps, Duration::ZERO, &c);
                        self.push_stranded(ctx, &mut o.steps, stranded);
                    }
                }
                cands.push((o.rto.unwrap_or(r), i, o));
                continue;
            }
            if !acts {
                continue;
            }
            let c = self.failover(ctx, id, *d, r, o, alive, with_steps);
            cands.push((c.rto.unwrap_or(r), i, c));
        }
        if cands.len() < k {
            let mut o = Outcome::down();
            for (_, _, m) in &members {
                o.data_lost |= m.data_lost;
                o.stranded = o.stranded.max(m.stranded);
                o.stranded_db = o.stranded_db.or(m.stranded_db);
                if with_steps {
                    o.steps.extend(m.steps.iter().cloned());
                }
            }
            return o;
        }
        // Fastest first; ties by member kind of edge order for standbys (preferred first), then name.
        cands.sort_by(|a, b| {
            let name = |i: usize| {
                members
                    .get(i)
                    .map(|m| self.gr.g[m.0].name.as_str())
                    .unwrap_or("")
            };
            a.0.cmp(&b.0).then_with(|| name(a.1).cmp(name(b.1)))
        });
        let chosen = &cands[..k];
        let mut o = Outcome {
            rto: chosen.last().map(|c| c.0),
            rpo: Duration::ZERO,
            affected: true,
            absorbed: false,
            data_lost: false,
            stranded: Duration::ZERO,
            stranded_db: None,
            role_change: false,
            steps: Vec::new(),
        };
        for (_, _, c) in chosen {
            o.rpo = o.rpo.max(c.rpo);
            o.role_change |= c.role_change;
            if with_steps {
                o.steps.extend(c.steps.iter().cloned());
            }
        }
        o
    }
}

impl Simulator<'_> {
    /// Whether group `id` can act on its failure: an Auto Scaling group replaces an instance
    /// only when EC2 sees it fail, i.e. the EC2 instance (the host its members are placed on)
    /// or its zone is lost. Its EC2 health check never sees a database that crashed on a
    /// running instance: that is an in-place restart (docs/recovery-model.md). Other
    /// mechanisms act on any failure of their members.
    fn asg_sees_failure(
        &self,
        id: NodeId,
        members: &[(NodeId, bool, &Outcome)],
        alive: &dyn Fn(NodeId) -> bool,
    ) -> bool {
        use petgraph::visit::EdgeRef;
        if !matches!(self.gr.g[id].mechanism, crate::graph::Mechanism::Asg { .. }) {
            return true;
        }
        members.iter().filter(|(_, sb, _)| !sb).any(|(d, _, _)| {
            self.gr
                .g
                .edges(*d)
                .any(|e| *e.weight() == EdgeKind::PlacedOn && !alive(e.target()))
        })
    }

    /// Failing over group `id` to standby `d` (which recovers itself after `r`): the
    /// start of a passive domain on its path, then the group's mechanism.
    #[allow(clippy::too_many_arguments)]
    fn failover(
        &self,
        ctx: &Ctx<'_>,
        id: NodeId,
        d: NodeId,
        r: Duration,
        o: &Outcome,
        alive: &dyn Fn(NodeId) -> bool,
        with_steps: bool,
    ) -> Outcome {
        let mut t = r;
        let mut steps = if with_steps {
            o.steps.clone()
        } else {
            Vec::new()
        };
        if self.has_passive[d.index()] {
            let ds = ctx.domain_start(&self.gr.g[d].name, o.role_change);
            if with_steps {
                push_cost(&mut steps, t, &ds);
            }
            t = t.saturating_add(ds.total());
        }
        let c = ctx.cost(id, d, true, alive);
        if with_steps {
            push_cost(&mut steps, t, &c);
        }
        t = t.saturating_add(c.total());
        Outcome {
            rto: Some(t),
            rpo: o.rpo.max(c.rpo),
            affected: true,
            absorbed: false,
            data_lost: false,
            stranded: Duration::ZERO,
            stranded_db: None,
            role_change: o.role_change
                || matches!(
                    self.gr.g[id].mechanism,
                    crate::graph::Mechanism::DataGuard { .. }
                ),
            steps,
        }
    }

    /// A failed element: lost until repaired, or restarted in place.
    fn failed_outcome(&self, ctx: &Ctx<'_>, id: NodeId, with_steps: bool) -> Outcome {
        match ctx.restart(id).filter(|_| self.restarts) {
            Some(c) => {
                let mut o = Outcome {
                    rto: Some(c.total()),
                    rpo: c.rpo,
                    ..Outcome::down()
                };
                if with_steps {
                    push_cost(&mut o.steps, Duration::ZERO, &c);
                }
                o
            }
            None => Outcome::down(),
        }
    }

    /// A node that needs all of its dependencies.
    fn all_of(&self, id: NodeId, out: &Outcomes<'_>, with_steps: bool) -> Outcome {
        let mut o = Outcome::up();
        // Absorbed when every disturbed dependency was absorbed below (or is
        // a singleton migrating in the background).
        let mut all_absorbed = true;
        // In any order: the figures are maxima and the steps are sorted.
        for (d, _) in self.gr.deps(id) {
            let Some(c) = out.get(d) else { continue };
            // A migrating singleton does not stop requests: its recovery runs
            // in the background (unless it cannot recover at all).
            let background = self.kind.get(d.index()) == Some(&Kind::Singleton) && c.rto.is_some();
            o.affected |= c.affected;
            o.role_change |= c.role_change;
            all_absorbed &= !c.affected || c.absorbed || background;
            if c.rto.is_none() {
                o.data_lost |= c.data_lost;
                o.stranded = o.stranded.max(c.stranded);
                o.stranded_db = o.stranded_db.or(c.stranded_db);
            }
            o.rpo = o.rpo.max(c.rpo);
            o.rto = match (o.rto, c.rto) {
                (Some(a), Some(_)) if background => Some(a),
                (Some(a), Some(b)) => Some(a.max(b)),
                _ => None,
            };
            if with_steps {
                o.steps.extend(c.steps.iter().cloned().map(|mut st| {
                    st.background |= background;
                    st
                }));
            }
        }
        o.absorbed = o.affected && all_absorbed && o.rto.is_some();
        o
    }

    /// The steps that explain what users moved off a lost database leave behind.
    fn push_stranded(
        &self,
        ctx: &Ctx<'_>,
        steps: &mut Vec<Step>,
        left: (Duration, Option<NodeId>),
    ) {
        if let (lag, Some(db)) = left {
            push_cost(
                steps,
                Duration::ZERO,
                &ctx.stranded(&self.gr.g[db].name, lag),
            );
        }
    }

    /// Whether failing `id` destroys the data stored beneath it: a storage system or a
    /// database lost as such, or a site or region lost as a disaster. A process, host or
    /// zone outage leaves committed data on storage that survives: unavailable until the
    /// element is repaired, not lost (docs/recovery-model.md).
    fn destroys_data(&self, id: NodeId) -> bool {
        matches!(
            self.kind.get(id.index()),
            Some(Kind::Storage | Kind::Fsxn | Kind::Database | Kind::Site | Kind::Region)
        )
    }

    /// A lost node that stores data: when the failure destroys data (`destroys`), a
    /// database (or its storage) takes its committed data with it, except what it had
    /// already replicated asynchronously, short of the lag.
    fn strand(&self, id: NodeId, destroys: bool, o: &mut Outcome) {
        match self.kind.get(id.index()) {
            Some(Kind::Database) => {
                o.data_lost |= destroys;
                if let Some(lag) = self.lookups.replication_lag.get(&self.gr.g[id].name) {
                    o.stranded = o.stranded.max(*lag);
                    o.stranded_db = Some(id);
                }
            }
            Some(Kind::Storage | Kind::Fsxn) => o.data_lost |= destroys,
            _ => {}
        }
    }
}

/// What users moved off the lost active members of a group lose: the data those members'
/// databases had not yet replicated asynchronously.
fn stranded(members: &[(NodeId, bool, &Outcome)]) -> (Duration, Option<NodeId>) {
    members
        .iter()
        .filter(|(_, sb, o)| !sb && o.rto.is_none())
        .map(|(_, _, o)| (o.stranded, o.stranded_db))
        .max()
        .unwrap_or((Duration::ZERO, None))
}

/// The result for one affected service, and its verdict against the objective.
fn app_result(
    app: NodeId,
    o: &Outcome,
    disruption: Disruption,
    objective: Option<&crate::model::Objective>,
) -> AppResult {
    let status = match (o.affected, o.rto) {
        (false, _) => Status::Unaffected,
        (true, Some(_)) => Status::Recovered,
        (true, None) => Status::Down,
    };
    let mut steps = o.steps.clone();
    steps.sort();
    steps.dedup();
    drop_background_twins(&mut steps);
    let verdict = objective
        .filter(|_| status != Status::Unaffected)
        .map(|ob| {
            let (rto_o, rpo_o) = (ob.rto.value, ob.rpo.value);
            let rto_met = o.rto.is_some_and(|r| r <= rto_o);
            // A service down with its data intact (only stateless components
            // lost) loses nothing; down with a data store gone, it loses data.
            let rpo_met = match o.rto {
                Some(_) => o.rpo <= rpo_o,
                None => !o.data_lost,
            };
            Verdict {
                disruption,
                rto_objective: rto_o,
                rpo_objective: rpo_o,
                rto_met,
                rpo_met,
                rto_over: o.rto.filter(|_| !rto_met).map(|r| r.saturating_sub(rto_o)),
                rpo_over: (!rpo_met && o.rto.is_some()).then(|| o.rpo.saturating_sub(rpo_o)),
            }
        });
    AppResult {
        app,
        status,
        rto: if status == Status::Unaffected {
            Some(Duration::ZERO)
        } else {
            o.rto
        },
        rpo: o.rpo,
        data_lost: o.rto.is_none() && o.data_lost,
        steps,
        verdict,
    }
}

/// A step on the service's path that a migrating singleton also waits for is shown once,
/// in the foreground.
fn drop_background_twins(steps: &mut Vec<Step>) {
    let fg: Vec<(Duration, Duration, &'static str, String)> = steps
        .iter()
        .filter(|s| !s.background)
        .map(|s| (s.start, s.end, s.mechanism, s.what.clone()))
        .collect();
    steps.retain(|s| {
        !s.background
            || !fg
                .iter()
                .any(|f| f.0 == s.start && f.1 == s.end && f.2 == s.mechanism && f.3 == s.what)
    });
}

fn push_cost(steps: &mut Vec<Step>, start: Duration, c: &Cost) {
    let mut t = start;
    for p in &c.phases {
        let end = t.saturating_add(p.takes);
        steps.push(Step {
            start: t,
            end,
            mechanism: c.mechanism,
            what: p.what.clone(),
            by: c.by,
            background: false,
            basis: p.basis.clone(),
        });
        t = end;
    }
}
