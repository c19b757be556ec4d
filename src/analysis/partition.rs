//! What a lost inter-site link or a lost synchronous standby does beyond the dependency
//! graph: Data Guard's reaction to a standby it can no longer reach (a commit stall of
//! `NetTimeout`, then unsynchronized operation or, in maximum protection, a primary
//! shutdown), fast-start failover when the primary is isolated from the observer and the
//! standby, and the fencing of the half of a stretched WebLogic cluster that is cut off
//! from its leasing database (docs/recovery-model.md, "Partitions and synchronous
//! standbys").
//!
//! None of this turns a service down: a stall delays commits, a failover or a fenced half
//! is carried by the graph's own mechanisms, a shut-down primary is restarted by an
//! operator. The cut-set analysis and the simulator therefore still agree on single
//! points of failure.

use std::collections::BTreeSet;

use foldhash::HashSet;

use super::recovery::{Actor, Ctx};
use super::simulate::Step;
use crate::graph::{EdgeKind, Graph, Kind, NodeId};
use crate::model::{Automated, Duration, LeasingBasis, ProtectionMode, Transport};

/// Data Guard's `NetTimeout` (`LOG_ARCHIVE_DEST_n NET_TIMEOUT`): how long the primary
/// waits for a SYNC standby that stopped answering before it gives up on it.
pub const NET_TIMEOUT: Duration = Duration::secs(30);
const NET_TIMEOUT_BASIS: &str =
    "default from Oracle Data Guard Broker NetTimeout / LOG_ARCHIVE_DEST_n NET_TIMEOUT (30 s)";

/// Sites that cannot reach each other in a scenario: both ends of every failed link.
pub struct Cuts {
    pairs: Vec<(NodeId, NodeId)>,
}

impl Cuts {
    pub fn new(gr: &Graph, failed: &HashSet<NodeId>) -> Cuts {
        let mut pairs = Vec::new();
        for f in failed {
            let n = &gr.g[*f];
            if n.kind != Kind::Link {
                continue;
            }
            if let Some((a, b)) = n.name.split_once(" <-> ")
                && let (Some(a), Some(b)) = (gr.find(Kind::Site, a), gr.find(Kind::Site, b))
            {
                pairs.push((a, b));
            }
        }
        Cuts { pairs }
    }

    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// Whether sites `a` and `b` are cut from each other (a missing site is not).
    pub fn cut(&self, a: Option<NodeId>, b: Option<NodeId>) -> bool {
        let (Some(a), Some(b)) = (a, b) else {
            return false;
        };
        a != b
            && self
                .pairs
                .iter()
                .any(|(x, y)| (*x == a && *y == b) || (*x == b && *y == a))
    }
}

/// Whether `id` or anything it is placed on (host, zone, site, region) failed.
fn placement_failed(gr: &Graph, failed: &HashSet<NodeId>, id: NodeId) -> bool {
    let mut cur = Some(id);
    let mut hops = 0;
    while let Some(n) = cur {
        if failed.contains(&n) || hops > 8 {
            return failed.contains(&n);
        }
        cur = gr
            .deps(n)
            .iter()
            .find(|(_, e)| *e == EdgeKind::PlacedOn)
            .map(|(d, _)| *d);
        hops += 1;
    }
    false
}

/// Failures a partition implies, with the step that explains each.
#[derive(Default)]
pub struct Implied {
    pub nodes: Vec<NodeId>,
    pub steps: Vec<Step>,
}

fn step(
    mechanism: &'static str,
    start: Duration,
    takes: Duration,
    what: String,
    basis: String,
) -> Step {
    Step {
        start,
        end: start.saturating_add(takes),
        mechanism,
        what,
        by: Actor::Mechanism,
        background: false,
        basis,
    }
}

/// The failures the cut links imply: an isolated primary that fast-start failover
/// replaces (it shuts down), and the servers (and their OHS) of a stretched cluster on
/// the side cut off from the leasing database.
pub fn implied(ctx: &Ctx<'_>, failed: &HashSet<NodeId>, cuts: &Cuts) -> Implied {
    let mut out = Implied::default();
    if cuts.is_empty() {
        return out;
    }
    isolated_primaries(ctx, failed, cuts, &mut out);
    fenced_halves(ctx, cuts, &mut out);
    out
}

/// A primary that reaches neither its observer nor its fast-start failover target, while
/// the observer reaches the target: the observer fails over after the threshold and the
/// old primary shuts down (`FastStartFailoverPmyShutdown`, TRUE by default).
fn isolated_primaries(ctx: &Ctx<'_>, failed: &HashSet<NodeId>, cuts: &Cuts, out: &mut Implied) {
    let gr = ctx.gr;
    for dg in &ctx.m.topo.data_guard {
        let Some(f) = dg.fast_start_failover.as_ref().filter(|f| f.enabled.value) else {
            continue;
        };
        let Some(p) = gr.find(Kind::Database, dg.primary.as_str()) else {
            continue;
        };
        if placement_failed(gr, failed, p) {
            continue;
        }
        let site = |id: NodeId| gr.g[id].site;
        let observers: Vec<NodeId> = dg
            .observers
            .iter()
            .filter_map(|o| gr.find(Kind::Observer, o.name.as_str()))
            .filter(|o| !placement_failed(gr, failed, *o))
            .collect();
        let targets: Vec<NodeId> = dg
            .standbys
            .iter()
            .filter(|s| f.targets.is_empty() || f.targets.contains(&s.database))
            .filter_map(|s| gr.find(Kind::Database, s.database.as_str()))
            .filter(|s| !placement_failed(gr, failed, *s))
            .collect();
        let primary_sees = |x: NodeId| !cuts.cut(site(p), site(x));
        if observers.is_empty()
            || observers.iter().any(|o| primary_sees(*o))
            || targets.iter().any(|t| primary_sees(*t))
        {
            continue;
        }
        let Some(target) = targets
            .iter()
            .find(|t| observers.iter().any(|o| !cuts.cut(site(*o), site(**t))))
        else {
            continue;
        };
        // Cut off from the standby's side, the primary's site is gone for everything
        // outside it: its middle tier cannot reach the new primary either.
        out.nodes.push(site(p).unwrap_or(p));
        out.steps.push(step(
            "partition",
            Duration::ZERO,
            f.threshold.value,
            if ctx.describe {
                format!(
                    "primary `{}` is cut off from the observer and from standby `{}`: the observer, which still reaches the standby, fails over; the old primary shuts down after FastStartFailoverThreshold (FastStartFailoverPmyShutdown, TRUE by default) and is reinstated when the links return; site {} is unusable meanwhile (its servers cannot reach the new primary)",
                    dg.primary, gr.g[*target].name, site(p).map_or("?", |s| gr.g[s].name.as_str())
                )
            } else {
                String::new()
            },
            if ctx.describe {
                "Data Guard broker fast-start failover (FastStartFailoverThreshold, FastStartFailoverPmyShutdown)".into()
            } else {
                String::new()
            },
        ));
    }
}

/// The site of the primary database behind a cluster's data sources.
fn primary_site(ctx: &Ctx<'_>, domain: usize, cluster: &str) -> Option<NodeId> {
    let m = ctx.m;
    let d = m.topo.domains.get(domain)?;
    let db = d
        .data_sources
        .iter()
        .filter(|ds| ds.targets.iter().any(|t| t.as_str() == cluster))
        .flat_map(|ds| {
            m.index
                .services
                .get(ds.service.as_str())
                .into_iter()
                .flatten()
        })
        .map(|db| {
            m.index
                .data_guard_of
                .get(db.as_str())
                .and_then(|i| m.topo.data_guard.get(*i))
                .map_or(db.as_str(), |dg| dg.primary.as_str())
        })
        .next()?;
    ctx.gr.g[ctx.gr.find(Kind::Database, db)?].site
}

/// A WebLogic cluster stretched over sites that can no longer reach each other: the
/// servers that cannot reach the leasing basis lose their leases and shut down (fencing),
/// and the OHS instances of that side, which only reach the cluster across the cut, stop
/// serving it. Database leasing: the side of the primary database survives (the lease
/// table is there); consensus leasing: the side with more servers, the primary
/// database's side on a tie (an assumption: the cluster leader's side is not modelled).
fn fenced_halves(ctx: &Ctx<'_>, cuts: &Cuts, out: &mut Implied) {
    let (gr, m) = (ctx.gr, ctx.m);
    for (di, d) in m.topo.domains.iter().enumerate() {
        for c in &d.clusters {
            let servers: Vec<NodeId> = c
                .servers
                .iter()
                .filter_map(|s| gr.find(Kind::Server, s.name.as_str()))
                .collect();
            let sites: BTreeSet<NodeId> = servers.iter().filter_map(|s| gr.g[*s].site).collect();
            if sites.len() < 2 {
                continue;
            }
            let db_site = primary_site(ctx, di, c.name.as_str());
            let consensus = c
                .migration
                .as_ref()
                .is_some_and(|mg| mg.leasing.value == LeasingBasis::Consensus);
            let survivor = if consensus {
                let count = |s: NodeId| {
                    servers
                        .iter()
                        .filter(|x| gr.g[**x].site.is_some_and(|y| !cuts.cut(Some(s), Some(y))))
                        .count()
                };
                let best = sites.iter().map(|s| count(*s)).max().unwrap_or(0);
                let top: Vec<NodeId> = sites
                    .iter()
                    .copied()
                    .filter(|s| count(*s) == best)
                    .collect();
                match top.as_slice() {
                    [one] => Some(*one),
                    _ => db_site.filter(|s| top.contains(s)).or(top.first().copied()),
                }
            } else {
                db_site
            };
            let Some(survivor) = survivor else { continue };
            let fenced: Vec<NodeId> = servers
                .iter()
                .copied()
                .filter(|s| cuts.cut(Some(survivor), gr.g[*s].site))
                .collect();
            if fenced.is_empty() || fenced.len() == servers.len() {
                continue;
            }
            fence(ctx, c, consensus, survivor, &fenced, out);
        }
    }
}

/// Marks `fenced` (and the OHS of their side that route only to this cluster) as failed,
/// with the step that says why.
fn fence(
    ctx: &Ctx<'_>,
    c: &crate::model::Cluster,
    consensus: bool,
    survivor: NodeId,
    fenced: &[NodeId],
    out: &mut Implied,
) {
    let gr = ctx.gr;
    let cut_sites: BTreeSet<NodeId> = fenced.iter().filter_map(|s| gr.g[*s].site).collect();
    out.nodes.extend_from_slice(fenced);
    for o in &ctx.m.topo.ohs {
        let Some(id) = gr.find(Kind::Ohs, o.name.as_str()) else {
            continue;
        };
        let only_this = !o.routes.is_empty() && o.routes.iter().all(|r| r.cluster == c.name);
        if only_this && gr.g[id].site.is_some_and(|s| cut_sites.contains(&s)) {
            out.nodes.push(id);
        }
    }
    if !ctx.describe {
        return;
    }
    let names = |ids: &mut dyn Iterator<Item = &NodeId>| {
        ids.map(|i| gr.g[*i].name.clone())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let why = if consensus {
        "consensus leasing: the side with more servers keeps the cluster leader (on a tie, assumed: the side of the primary database)"
    } else {
        "database leasing: the lease table is in the primary database, on that side"
    };
    let fencing = c
        .migration
        .as_ref()
        .map_or(Duration::ZERO, |mg| mg.fencing.fencing_time());
    out.steps.push(step(
        "partition",
        Duration::ZERO,
        fencing,
        format!(
            "cluster `{}` is split by the partition: {} survives ({why}); servers {} in {} cannot renew their leases and shut down (fencing), and the OHS of that side reach no server",
            c.name,
            gr.g[survivor].name,
            names(&mut fenced.iter()),
            names(&mut cut_sites.iter()),
        ),
        format!(
            "cluster `{}` migration.fencing; [WLS-MAA] \"Leasing\": with database leasing, servers shut down when the database stays unreachable longer than their fencing times{}",
            c.name,
            if consensus { "; the consensus survivor is an assumption" } else { "" }
        ),
    ));
}

/// Data Guard's reaction to losing every SYNC standby while the primary serves: commits
/// stall for `NetTimeout`, then the primary runs unsynchronized (maximum availability) or
/// shuts down (maximum protection). `lost` answers whether a database is lost in the
/// scenario; `primary_ok` whether the primary still serves as such. Returns, per primary
/// database, the steps and how long its writers are held up.
pub fn sync_losses(
    ctx: &Ctx<'_>,
    cuts: &Cuts,
    lost: &dyn Fn(NodeId) -> bool,
    primary_ok: &dyn Fn(NodeId) -> bool,
) -> Vec<(NodeId, Duration, Vec<Step>)> {
    let gr = ctx.gr;
    let mut out = Vec::new();
    for dg in &ctx.m.topo.data_guard {
        if let Some(shutdown) = primary_shutdown(ctx, dg, cuts, lost, primary_ok) {
            out.push(shutdown);
            continue;
        }
        let mode = dg.protection_mode.value;
        if !matches!(
            mode,
            ProtectionMode::MaxAvailability | ProtectionMode::MaxProtection
        ) {
            continue;
        }
        let Some(p) = gr.find(Kind::Database, dg.primary.as_str()) else {
            continue;
        };
        if !primary_ok(p) {
            continue;
        }
        let sync: Vec<(&str, NodeId)> = dg
            .standbys
            .iter()
            .filter(|s| {
                s.transport
                    .as_ref()
                    .is_none_or(|t| t.value != Transport::Async)
            })
            .filter_map(|s| {
                Some((
                    s.database.as_str(),
                    gr.find(Kind::Database, s.database.as_str())?,
                ))
            })
            .collect();
        let gone = |s: NodeId| lost(s) || cuts.cut(gr.g[p].site, gr.g[s].site);
        if sync.is_empty() || !sync.iter().all(|(_, s)| gone(*s)) {
            continue;
        }
        let names = sync
            .iter()
            .map(|(n, _)| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ");
        out.push(stall(ctx, dg, mode, &names, p));
    }
    out
}

/// Fast-start failover enabled and the primary reaches neither an observer nor a
/// target standby (both lost or cut off): nobody can fail over, and the primary shuts
/// down after `FastStartFailoverThreshold` (`FastStartFailoverPmyShutdown`, TRUE by
/// default). An operator disables fast-start failover and opens it again.
fn primary_shutdown(
    ctx: &Ctx<'_>,
    dg: &crate::model::DataGuard,
    cuts: &Cuts,
    lost: &dyn Fn(NodeId) -> bool,
    primary_ok: &dyn Fn(NodeId) -> bool,
) -> Option<(NodeId, Duration, Vec<Step>)> {
    let gr = ctx.gr;
    let f = dg
        .fast_start_failover
        .as_ref()
        .filter(|f| f.enabled.value)?;
    let p = gr.find(Kind::Database, dg.primary.as_str())?;
    if !primary_ok(p) || dg.observers.is_empty() {
        return None;
    }
    let gone = |x: NodeId| lost(x) || cuts.cut(gr.g[p].site, gr.g[x].site);
    let observers_gone = dg
        .observers
        .iter()
        .filter_map(|o| gr.find(Kind::Observer, o.name.as_str()))
        .all(gone);
    let targets_gone = dg
        .standbys
        .iter()
        .filter(|s| f.targets.is_empty() || f.targets.contains(&s.database))
        .filter_map(|s| gr.find(Kind::Database, s.database.as_str()))
        .all(gone);
    if !observers_gone || !targets_gone {
        return None;
    }
    let d = ctx.describe;
    let text = |s: String| if d { s } else { String::new() };
    let mut steps = vec![step(
        "fast-start-failover",
        Duration::ZERO,
        f.threshold.value,
        text(format!(
            "primary `{}` reaches neither an observer nor its fast-start failover target: it stalls, then shuts down after FastStartFailoverThreshold (FastStartFailoverPmyShutdown, TRUE by default)",
            dg.primary
        )),
        text("Data Guard broker (FastStartFailoverThreshold, FastStartFailoverPmyShutdown)".into()),
    )];
    let t = reopen(
        ctx,
        &mut steps,
        f.threshold.value,
        &format!(
            "disable fast-start failover of `{}` and open the primary",
            dg.name
        ),
        text(format!("operator opens primary `{}` again", dg.primary)),
    );
    Some((p, t, steps))
}

/// A primary that shut down is opened again by whoever the topology declares for
/// `instance-restart` (else an operator), from `start`: the steps, and when it is done.
fn reopen(
    ctx: &Ctx<'_>,
    steps: &mut Vec<Step>,
    start: Duration,
    why: &str,
    what: String,
) -> Duration {
    let (by, decide) = ctx.who(Automated::InstanceRestart, why);
    let restart = ctx.timed(what, "database_restart", ctx.t.database_restart);
    let mut t = start;
    for ph in [decide, restart] {
        steps.push(Step {
            start: t,
            end: t.saturating_add(ph.takes),
            mechanism: "protection-mode",
            what: ph.what,
            by,
            background: false,
            basis: ph.basis,
        });
        t = t.saturating_add(ph.takes);
    }
    t
}

fn stall(
    ctx: &Ctx<'_>,
    dg: &crate::model::DataGuard,
    mode: ProtectionMode,
    names: &str,
    p: NodeId,
) -> (NodeId, Duration, Vec<Step>) {
    let d = ctx.describe;
    let text = |s: String| if d { s } else { String::new() };
    let mut steps = vec![step(
        "sync-transport",
        Duration::ZERO,
        NET_TIMEOUT,
        text(format!(
            "commits on primary `{}` wait for SYNC standby {names}, which no longer answers, until NetTimeout",
            dg.primary
        )),
        text(format!("`{}` NetTimeout, {NET_TIMEOUT_BASIS}", dg.name)),
    )];
    let mut held = NET_TIMEOUT;
    if mode == ProtectionMode::MaxProtection {
        steps.push(step(
            "sync-transport",
            NET_TIMEOUT,
            Duration::ZERO,
            text(format!(
                "maximum protection with no synchronized standby left: primary `{}` shuts down",
                dg.primary
            )),
            text("Oracle Data Guard protection modes (maximum protection)".into()),
        ));
        let t = reopen(
            ctx,
            &mut steps,
            NET_TIMEOUT,
            &format!(
                "lower `{}` to maximum availability and restart the primary",
                dg.name
            ),
            text(format!(
                "operator lowers the protection mode and opens primary `{}`",
                dg.primary
            )),
        );
        held = t;
    } else {
        steps.push(step(
            "sync-transport",
            NET_TIMEOUT,
            Duration::ZERO,
            text(format!(
                "primary `{}` continues unsynchronized{}: protection degraded until {names} resynchronizes — a primary loss meanwhile loses the redo not yet shipped (RPO no longer 0)",
                dg.primary,
                if dg.fast_start_failover.as_ref().is_some_and(|f| f.enabled.value) {
                    " once the observer agrees (fast-start failover is then not possible)"
                } else {
                    ""
                }
            )),
            text("Oracle Data Guard protection modes (maximum availability)".into()),
        ));
    }
    (p, held, steps)
}

/// GoldenGate replication across a cut: every database keeps accepting writes, but
/// nothing is shipped between the cut sites, so the lag (and the RPO of a following site
/// loss) grows with the partition's duration. Returns, per replicated database, the step.
pub fn replication_splits(ctx: &Ctx<'_>, cuts: &Cuts) -> Vec<(NodeId, Duration, Vec<Step>)> {
    let gr = ctx.gr;
    let mut out = Vec::new();
    if cuts.is_empty() {
        return out;
    }
    for g in &ctx.m.topo.goldengate {
        let dbs: Vec<NodeId> = g
            .databases
            .iter()
            .filter_map(|d| gr.find(Kind::Database, d.as_str()))
            .collect();
        let split = dbs
            .iter()
            .any(|a| dbs.iter().any(|b| cuts.cut(gr.g[*a].site, gr.g[*b].site)));
        if !split {
            continue;
        }
        let what = if ctx.describe {
            format!(
                "GoldenGate `{}` cannot ship changes across the partition: every database keeps accepting writes, the lag (and the RPO of a site loss meanwhile) grows with the partition's duration, and changes made on both sides are reconciled by conflict resolution when it heals",
                g.name
            )
        } else {
            String::new()
        };
        let basis = if ctx.describe {
            "GoldenGate asynchronous replication".to_string()
        } else {
            String::new()
        };
        let st = step("partition", Duration::ZERO, Duration::ZERO, what, basis);
        for d in dbs {
            out.push((d, Duration::ZERO, vec![st.clone()]));
        }
    }
    out
}

/// The services whose data path reaches database `db` (every node that depends on it,
/// transitively, that is a service).
pub fn services_of(gr: &Graph, db: NodeId, is_app: &[bool]) -> Vec<NodeId> {
    let mut seen: HashSet<NodeId> = HashSet::default();
    let mut stack = vec![db];
    let mut apps = Vec::new();
    while let Some(n) = stack.pop() {
        for d in gr.dependents(n) {
            if seen.insert(*d) {
                if is_app.get(d.index()).copied().unwrap_or(false) {
                    apps.push(*d);
                }
                stack.push(*d);
            }
        }
    }
    apps
}
