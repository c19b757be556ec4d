//! The recovery model: how long each failover mechanism takes and how much data it loses.
//! Defaults come from the seeds and public Oracle/AWS material (`docs/recovery-model.md`);
//! every figure can be overridden in the topology's `recovery:` section.

use serde::Serialize;

use crate::graph::{Graph, Kind, Mechanism, NodeId};
use crate::model::{
    Automated, Clusterware, DatabaseType, Duration, HealthCheck, ProtectionMode, Recovery, Sp,
    StandbyType, Switchover, Transport,
};
use crate::resolve::Model;

/// The timings in force for one topology (defaults merged with `recovery:`).
#[derive(Debug, Clone, Serialize)]
pub struct Timings {
    pub human_response: Duration,
    pub asg_detection: Duration,
    pub asg_launch: Duration,
    pub instance_start: Duration,
    pub dg_failover: Duration,
    pub dg_switchover: Duration,
    pub fan_detection: Duration,
    pub fcf_reconnect: Duration,
    pub node_eviction: Duration,
    pub process_restart: Duration,
    pub domain_start: Duration,
    pub service_migration: Duration,
    pub database_restart: Duration,
    pub storage_failover: Duration,
    pub lb_detection: Duration,
    pub plugin_failover: Duration,
    pub async_lag: Duration,
    pub storage_lag: Duration,
    pub runbook_detection: Duration,
    pub snapshot_conversion: Duration,
    /// The `recovery:` keys the topology sets (the others are defaults).
    #[serde(skip)]
    declared: Vec<&'static str>,
}

/// Each timing's default and where it comes from: a source of docs/sources.md (or another
/// public reference) when one gives the figure, else "assumption". docs/recovery-model.md
/// shows the same table; `maa simulate` prints the basis of every step.
pub const DEFAULTS: &[(&str, Duration, &str)] = &[
    ("human_response", Duration::mins(30), "assumption"),
    (
        "asg_detection",
        Duration::secs(30),
        "[AWS-FSXN] \"Test the complete workflow\" (instance terminated)",
    ),
    (
        "asg_launch",
        Duration::mins(2),
        "[AWS-FSXN] \"Test the complete workflow\"",
    ),
    (
        "instance_start",
        Duration::mins(3),
        "[AWS-FSXN] \"Test the complete workflow\"",
    ),
    ("dg_failover", Duration::secs(30), "assumption"),
    ("dg_switchover", Duration::mins(2), "assumption"),
    ("fan_detection", Duration::secs(5), "assumption"),
    ("fcf_reconnect", Duration::secs(5), "assumption"),
    (
        "node_eviction",
        Duration::secs(30),
        "Oracle Clusterware CSS misscount default (crsctl get css misscount)",
    ),
    ("process_restart", Duration::mins(1), "assumption"),
    ("domain_start", Duration::mins(10), "assumption"),
    ("service_migration", Duration::secs(30), "assumption"),
    ("database_restart", Duration::mins(5), "assumption"),
    ("storage_failover", Duration::mins(1), "assumption"),
    ("lb_detection", Duration::secs(15), "assumption"),
    (
        "plugin_failover",
        Duration::secs(10),
        "Oracle HTTP Server mod_wl_ohs ConnectTimeoutSecs (10 s; a request already sent waits up to WLIOTimeoutSecs, 300 s)",
    ),
    ("async_lag", Duration::secs(5), "assumption"),
    ("storage_lag", Duration::mins(1), "assumption"),
    ("runbook_detection", Duration::mins(1), "assumption"),
    ("snapshot_conversion", Duration::mins(10), "assumption"),
];

fn default_of(key: &str) -> Duration {
    DEFAULTS
        .iter()
        .find(|(k, _, _)| *k == key)
        .map_or(Duration::ZERO, |(_, d, _)| *d)
}

impl Timings {
    /// The defaults (see `docs/recovery-model.md`).
    pub fn defaults() -> Timings {
        Timings::from_recovery(&Recovery::default())
    }

    pub fn from_recovery(r: &Recovery) -> Timings {
        let mut declared = Vec::new();
        let mut pick = |key: &'static str, v: &Option<Sp<Duration>>| match v {
            Some(s) => {
                declared.push(key);
                s.value
            }
            None => default_of(key),
        };
        Timings {
            human_response: pick("human_response", &r.human_response),
            asg_detection: pick("asg_detection", &r.asg_detection),
            asg_launch: pick("asg_launch", &r.asg_launch),
            instance_start: pick("instance_start", &r.instance_start),
            dg_failover: pick("dg_failover", &r.dg_failover),
            dg_switchover: pick("dg_switchover", &r.dg_switchover),
            fan_detection: pick("fan_detection", &r.fan_detection),
            fcf_reconnect: pick("fcf_reconnect", &r.fcf_reconnect),
            node_eviction: pick("node_eviction", &r.node_eviction),
            process_restart: pick("process_restart", &r.process_restart),
            domain_start: pick("domain_start", &r.domain_start),
            service_migration: pick("service_migration", &r.service_migration),
            database_restart: pick("database_restart", &r.database_restart),
            storage_failover: pick("storage_failover", &r.storage_failover),
            lb_detection: pick("lb_detection", &r.lb_detection),
            plugin_failover: pick("plugin_failover", &r.plugin_failover),
            async_lag: pick("async_lag", &r.async_lag),
            storage_lag: pick("storage_lag", &r.storage_lag),
            runbook_detection: pick("runbook_detection", &r.runbook_detection),
            snapshot_conversion: pick("snapshot_conversion", &r.snapshot_conversion),
            declared,
        }
    }

    /// Where the figure of `recovery.KEY` comes from: declared in the topology, or the
    /// default's source (or "assumption").
    pub fn basis(&self, key: &str) -> String {
        if self.declared.contains(&key) {
            return format!("recovery.{key}, declared");
        }
        let src = DEFAULTS
            .iter()
            .find(|(k, _, _)| *k == key)
            .map_or("assumption", |(_, _, s)| s);
        if src == "assumption" {
            format!("recovery.{key}, default assumption")
        } else {
            format!("recovery.{key}, default from {src}")
        }
    }
}

/// The WebLogic reference for the lease defaults (`HealthCheckIntervalMillis` 10 s,
/// `HealthCheckPeriodsUntilFencing`).
const WLS_CLUSTER_MBEAN: &str =
    "default from WebLogic ClusterMBean HealthCheckIntervalMillis / HealthCheckPeriodsUntilFencing";

/// "declared" when the topology writes the value, else the default's basis.
fn written_or(written: bool, default: &str) -> &str {
    if written { "declared" } else { default }
}

/// Who restarts a crashed database instance in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Restarter {
    /// Oracle Clusterware: Grid Infrastructure (RAC, RAC One Node, or `clusterware: grid`).
    Clusterware,
    /// Oracle Restart (`clusterware: restart`).
    OracleRestart,
    /// Automation the topology declares (`recovery.automation: [instance-restart]`).
    Declared,
    /// Nothing: an operator, after `recovery.human_response`.
    Operator,
}

/// Who performs a step of a recovery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Actor {
    /// A mechanism of the products: observer and broker, health checks, Clusterware, Node
    /// Manager, the Auto Scaling group, DNS.
    Mechanism,
    /// Runbook automation the topology declares (`recovery.automation`).
    Runbook,
    /// A person: the step starts after `recovery.human_response`.
    Operator,
}

impl Actor {
    pub fn as_str(self) -> &'static str {
        match self {
            Actor::Mechanism => "mechanism",
            Actor::Runbook => "runbook",
            Actor::Operator => "operator",
        }
    }
}

/// One phase of a recovery: detection or action of one mechanism.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Phase {
    pub what: String,
    pub takes: Duration,
    /// Where the figure comes from (a declared value, a sourced default, an assumption).
    pub basis: String,
}

/// What a mechanism costs when it acts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cost {
    /// Short mechanism name, e.g. `fast-start-failover`.
    pub mechanism: &'static str,
    pub phases: Vec<Phase>,
    /// Data lost.
    pub rpo: Duration,
    /// Who performs it.
    pub by: Actor,
}

impl Cost {
    pub fn total(&self) -> Duration {
        self.phases
            .iter()
            .fold(Duration::ZERO, |a, p| a.saturating_add(p.takes))
    }
    fn new(mechanism: &'static str, phases: Vec<Phase>, rpo: Duration, by: Actor) -> Cost {
        Cost {
            mechanism,
            phases,
            rpo,
            by,
        }
    }

    /// A cost that loses no data and needs no person.
    fn automatic(mechanism: &'static str, phases: Vec<Phase>) -> Cost {
        Cost::new(mechanism, phases, Duration::ZERO, Actor::Mechanism)
    }
}

/// Context the mechanisms need beyond the node: the model, the timings, and which nodes
/// are alive in the scenario (for the fast-start failover observer).
pub struct Ctx<'a> {
    /// Whether phase descriptions are wanted (a scenario's steps); without them, the
    /// objective check of every failure event formats no text.
    pub describe: bool,
    pub m: &'a Model,
    pub gr: &'a Graph,
    pub t: &'a Timings,
    pub lookups: &'a Lookups,
    /// Whether the scenario loses a host or a wider failure domain (not only processes):
    /// a lost RAC node is noticed after Clusterware evicts it, a crashed instance at once.
    pub host_lost: bool,
}

/// Per-topology lookups the mechanisms need, built once (not per scenario).
#[derive(Debug, Default)]
pub struct Lookups {
    /// Cluster → the longest `connect_timeout` of the OHS routes to it.
    pub connect_timeout: std::collections::HashMap<String, Duration>,
    /// OHS → restarted by Node Manager.
    pub ohs_node_manager: std::collections::HashMap<String, bool>,
    /// Database → the lag of the asynchronous replication (GoldenGate) that copies its
    /// committed data elsewhere: what is stranded when the database is lost.
    pub replication_lag: std::collections::HashMap<String, Duration>,
    /// Database → the GoldenGate replication that copies it: (name, lag declared).
    pub replication: std::collections::HashMap<String, (String, bool)>,
    /// Database (not protected by Data Guard) → the JMS stores and transaction logs kept
    /// in it: what a site loss strands there.
    /// (what, its verb, what it holds), e.g. ("JMS store `s` (cluster `c`)", "stays",
    /// "its messages").
    pub stores_in: std::collections::HashMap<String, Vec<(String, &'static str, &'static str)>>,
}

impl Lookups {
    /// The JMS stores and transaction logs kept in a database that nothing copies
    /// consistently elsewhere (not a Data Guard primary or standby).
    fn stores(&mut self, m: &Model) {
        for d in &m.topo.domains {
            let db_of = |ds: Option<&crate::model::Name>| -> Option<String> {
                let ds = d.data_sources.iter().find(|x| Some(&x.name) == ds)?;
                let dbs = m.index.services.get(ds.service.as_str())?;
                match dbs.as_slice() {
                    [one] if !m.index.data_guard_of.contains_key(one.as_str()) => Some(one.clone()),
                    _ => None,
                }
            };
            for st in &d.stores {
                if let Some(db) = db_of(st.data_source.as_ref()) {
                    self.stores_in.entry(db).or_default().push((
                        format!("JMS store `{}` (cluster `{}`)", st.name, st.cluster),
                        "stays",
                        "its messages",
                    ));
                }
            }
            for c in &d.clusters {
                let tlog = c
                    .transaction_log
                    .as_ref()
                    .and_then(|t| db_of(t.data_source.as_ref()));
                if let Some(db) = tlog {
                    self.stores_in.entry(db).or_default().push((
                        format!("the transaction logs of cluster `{}`", c.name),
                        "stay",
                        "their in-doubt transactions",
                    ));
                }
            }
        }
    }

    pub fn new(m: &Model) -> Lookups {
        let mut l = Lookups::default();
        l.stores(m);
        for g in &m.topo.goldengate {
            for d in &g.databases {
                l.replication
                    .entry(d.to_string())
                    .or_insert_with(|| (g.name.to_string(), g.lag.is_written()));
                let e = l
                    .replication_lag
                    .entry(d.to_string())
                    .or_insert(g.lag.value);
                *e = (*e).max(g.lag.value);
            }
        }
        for o in &m.topo.ohs {
            l.ohs_node_manager
                .insert(o.name.to_string(), o.node_manager.value);
            for r in &o.routes {
                if let Some(c) = &r.connect_timeout {
                    let e = l
                        .connect_timeout
                        .entry(r.cluster.to_string())
                        .or_insert(c.value);
                    *e = (*e).max(c.value);
                }
            }
        }
        l
    }
}

/// A phase's description: formatted only when the context describes its phases.
macro_rules! what {
    ($ctx:expr, $($arg:tt)*) => {
        if $ctx.describe { format!($($arg)*) } else { String::new() }
    };
}

impl Ctx<'_> {
    /// A phase whose figure is the timing `recovery.KEY`.
    pub(super) fn timed(&self, what: String, key: &str, takes: Duration) -> Phase {
        Phase {
            what,
            takes,
            basis: if self.describe {
                self.t.basis(key)
            } else {
                String::new()
            },
        }
    }

    /// A phase whose figure the topology declares (`basis` names where).
    fn declared(&self, what: String, basis: &str, takes: Duration) -> Phase {
        Phase {
            what,
            takes,
            basis: if self.describe {
                format!("{basis}, declared")
            } else {
                String::new()
            },
        }
    }

    /// A phase whose figure is the topology's value or, when it sets none, a product
    /// default (`source` names it).
    fn setting(
        &self,
        what: String,
        basis: &str,
        declared: bool,
        source: &str,
        takes: Duration,
    ) -> Phase {
        if declared {
            return self.declared(what, basis, takes);
        }
        Phase {
            what,
            takes,
            basis: match (self.describe, source) {
                (false, _) => String::new(),
                (true, "assumption") => format!("{basis}, default assumption"),
                (true, _) => format!("{basis}, default from {source}"),
            },
        }
    }

    /// A phase timed by a declared health check of `owner`: its interval is always
    /// declared; its failure count may be the built-in default (an assumption: load
    /// balancers differ).
    fn health_check_phase(&self, what: String, owner: &str, h: &HealthCheck) -> Phase {
        let basis = if !self.describe {
            String::new()
        } else if h.failures.is_written() {
            format!("{owner}, declared")
        } else {
            format!(
                "{owner}: interval declared × failures {} (default assumption)",
                h.failures.value
            )
        };
        Phase {
            what,
            takes: h.detection_time(),
            basis,
        }
    }

    /// Who starts step `a`, and the phase before it acts: declared runbook automation
    /// (triggered after `recovery.runbook_detection`) or an operator (after
    /// `recovery.human_response`). `why` says what the person decides.
    pub(super) fn who(&self, a: Automated, why: &str) -> (Actor, Phase) {
        if self.m.topo.recovery.automates(a) {
            let p = self.timed(
                what!(
                    self,
                    "monitoring triggers the declared runbook automation ({why})"
                ),
                "runbook_detection",
                self.t.runbook_detection,
            );
            return (Actor::Runbook, p);
        }
        let p = self.timed(
            what!(self, "operator notices and decides ({why})"),
            "human_response",
            self.t.human_response,
        );
        (Actor::Operator, p)
    }

    /// The cost of a group's mechanism moving work to `target` (a member node).
    /// `alive` answers whether a node survives the scenario.
    pub fn cost(
        &self,
        group: NodeId,
        target: NodeId,
        standby: bool,
        alive: &dyn Fn(NodeId) -> bool,
    ) -> Cost {
        let node = &self.gr.g[group];
        let tname = &self.gr.g[target].name;
        match &node.mechanism {
            Mechanism::None if node.kind == Kind::Coherence => Cost::automatic(
                "coherence-rebalance",
                vec![Phase {
                    what: what!(
                        self,
                        "Coherence `{}` restores the lost members' partitions from their backups and re-balances: no outage while a backup copy survives (backup_count ≥ 1)",
                        node.name
                    ),
                    takes: Duration::ZERO,
                    basis: what!(self, "Coherence partition backups (backup_count)"),
                }],
            ),
            Mechanism::None => Cost::automatic("redundancy", vec![]),
            Mechanism::HealthCheck { by } => self.health_check(by, tname),
            Mechanism::Plugin => {
                let cluster = node
                    .of
                    .map_or(node.name.as_str(), |c| self.gr.g[c].name.as_str());
                self.plugin(cluster, tname)
            }
            Mechanism::Fcf => self.fcf(tname),
            Mechanism::Relocate => self.relocate(tname),
            Mechanism::ServiceMigration { cluster, automatic } => {
                self.service_migration(&node.name, cluster, *automatic, tname)
            }
            Mechanism::DataGuard { config } => self.data_guard(*config, target, standby, alive),
            Mechanism::GoldenGate { replication } => self.goldengate(*replication, tname),
            Mechanism::Asg { group } => self.asg(*group, tname),
            Mechanism::SiteSwitch => self.site_switch(tname, alive),
            Mechanism::StorageFailover => Cost::automatic(
                "storage-failover",
                vec![self.timed(
                    what!(self, "storage fails over to {tname}"),
                    "storage_failover",
                    self.t.storage_failover,
                )],
            ),
            Mechanism::ManualStorage { lag, sync } => self.manual_storage(*lag, *sync, tname),
            Mechanism::Reconnect => Cost::automatic(
                "reconnect",
                vec![self.timed(
                    what!(self, "clients reconnect to {tname}"),
                    "fcf_reconnect",
                    self.t.fcf_reconnect,
                )],
            ),
        }
    }

    /// The start of a passive WebLogic domain behind `name` when users move to its site:
    /// by declared runbook automation, else by an operator. A runbook is triggered by the
    /// event the products publish: the database role change when Data Guard failed over
    /// (`role_change`), at once; otherwise the site switch alone, which monitoring raises
    /// after `recovery.runbook_detection`.
    pub fn domain_start(&self, name: &str, role_change: bool) -> Cost {
        let why = if role_change {
            "the database failed over: start the passive domain"
        } else {
            "the site's entry point is gone and the database did not change role: start the passive domain, which reaches the primary across the inter-site link"
        };
        let (by, decide) = self.who(Automated::DomainStart, why);
        let mut phases = Vec::new();
        // A runbook is triggered by the role change itself; a person must notice it, and
        // without a role change monitoring must raise the site's loss.
        if by == Actor::Operator || !role_change {
            phases.push(decide);
        }
        phases.push(self.timed(
            what!(
                self,
                "start the passive WebLogic domain servers behind `{name}`"
            ),
            "domain_start",
            self.t.domain_start,
        ));
        Cost::new("domain-start", phases, Duration::ZERO, by)
    }

    /// A load balancer's health check (`by` names it) takes the failed target out.
    fn health_check(&self, by: &str, tname: &str) -> Cost {
        let topo = &self.m.topo;
        let hc = topo
            .load_balancers
            .iter()
            .find(|l| l.name.as_str() == by)
            .and_then(|l| l.health_check.as_ref())
            .or_else(|| {
                topo.global_load_balancer
                    .as_ref()
                    .filter(|g| g.name.as_str() == by)
                    .and_then(|g| g.health_check.as_ref())
            });
        let what = what!(
            self,
            "{by} health check marks the failed target down; traffic goes to {tname}"
        );
        let p = match hc {
            Some(h) => self.health_check_phase(what, &format!("{by} health_check"), h),
            None => self.timed(what, "lb_detection", self.t.lb_detection),
        };
        Cost::automatic("health-check", vec![p])
    }

    /// `mod_wl_ohs` stops routing to a failed server of `cluster`.
    fn plugin(&self, cluster: &str, tname: &str) -> Cost {
        let what = what!(
            self,
            "mod_wl_ohs stops routing to the failed server of `{cluster}`, uses {tname}"
        );
        let p = match self.lookups.connect_timeout.get(cluster) {
            Some(ct) => self.declared(what, "OHS route connect_timeout", *ct),
            None => self.timed(what, "plugin_failover", self.t.plugin_failover),
        };
        Cost::automatic("mod-wl-ohs", vec![p])
    }

    /// Clusterware evicting a lost node (CSS misscount) before anything else happens: a
    /// phase when the scenario lost the host, none for a crashed instance.
    fn eviction(&self, tname: &str) -> Vec<Phase> {
        if !self.host_lost {
            return Vec::new();
        }
        let declared_storage = tname
            .split_once('.')
            .and_then(|(db, _)| self.m.index.databases.get(db))
            .and_then(|i| self.m.topo.databases.get(*i))
            .is_some_and(|d| d.storage.is_some());
        vec![self.timed(
            what!(
                self,
                "Clusterware evicts the lost node after the CSS misscount{}",
                if declared_storage {
                    ""
                } else {
                    "; the surviving instances keep the database open on its shared storage (assumed to survive the loss: the topology places no storage for it)"
                }
            ),
            "node_eviction",
            self.t.node_eviction,
        )]
    }

    /// RAC: FAN announces the instance down and FCF moves the connections. A crashed
    /// instance is announced at once; a lost node only after Clusterware evicts it.
    fn fcf(&self, tname: &str) -> Cost {
        let mut phases = self.eviction(tname);
        phases.push(self.timed(
            what!(self, "FAN announces the instance down"),
            "fan_detection",
            self.t.fan_detection,
        ));
        phases.push(self.timed(
            what!(self, "FCF moves connections to {tname}"),
            "fcf_reconnect",
            self.t.fcf_reconnect,
        ));
        Cost::automatic("fan-fcf", phases)
    }

    /// RAC One Node: Clusterware starts the database's instance on another candidate node
    /// (after evicting a lost node); clients reconnect when FAN announces it up. Nothing
    /// serves in between: it costs a restart, not an FCF hop.
    fn relocate(&self, tname: &str) -> Cost {
        let mut phases = self.eviction(tname);
        phases.push(self.timed(
            what!(
                self,
                "Clusterware starts the RAC One Node database as {tname} on another candidate node"
            ),
            "database_restart",
            self.t.database_restart,
        ));
        phases.push(self.timed(
            what!(self, "FAN announces it up; connections are re-created"),
            "fcf_reconnect",
            self.t.fcf_reconnect,
        ));
        Cost::automatic("rac-one-node-relocation", phases)
    }

    /// Singleton `name` of `cluster` migrates after lease expiry and fencing, or by hand.
    fn service_migration(&self, name: &str, cluster: &str, automatic: bool, tname: &str) -> Cost {
        let t = self.t;
        let topo = &self.m.topo;
        let fencing = self
            .m
            .index
            .clusters
            .get(cluster)
            .and_then(|(d, c)| topo.domains.get(*d).and_then(|d| d.clusters.get(*c)))
            .and_then(|c| c.migration.as_ref())
            .map(|mg| &mg.fencing);
        let migrate = self.timed(
            what!(self, "`{name}` migrates to {tname}"),
            "service_migration",
            t.service_migration,
        );
        if automatic && let Some(f) = fencing {
            let at = format!("cluster `{cluster}` migration.fencing");
            let lease =
                if f.health_check_interval.is_written() && f.periods_until_fencing.is_written() {
                    self.declared(String::new(), &at, f.fencing_time())
                } else {
                    Phase {
                        what: String::new(),
                        takes: f.fencing_time(),
                        basis: what!(
                            self,
                            "{at}: health_check_interval {} ({}) × periods_until_fencing {} ({})",
                            f.health_check_interval.value,
                            written_or(f.health_check_interval.is_written(), WLS_CLUSTER_MBEAN),
                            f.periods_until_fencing.value,
                            written_or(f.periods_until_fencing.is_written(), WLS_CLUSTER_MBEAN)
                        ),
                    }
                };
            let lease = Phase {
                what: what!(
                    self,
                    "lease expires (health check interval × periods until fencing)"
                ),
                ..lease
            };
            let grace = self.setting(
                what!(self, "fencing grace period"),
                &format!("{at}.grace_period"),
                f.grace_period.is_written(),
                "WebLogic ClusterMBean FencingGracePeriodMillis (30 s)",
                f.grace_period.value,
            );
            return Cost::automatic("service-migration", vec![lease, grace, migrate]);
        }
        let (by, decide) = self.who(Automated::SingletonMigration, "migrate a singleton by hand");
        Cost::new(
            "manual-migration",
            vec![decide, migrate],
            Duration::ZERO,
            by,
        )
    }

    fn goldengate(&self, replication: usize, tname: &str) -> Cost {
        let lag = self
            .m
            .topo
            .goldengate
            .get(replication)
            .map_or(self.t.async_lag, |g| g.lag.value);
        Cost::new(
            "goldengate",
            vec![self.timed(
                what!(
                    self,
                    "users routed to the other GoldenGate database {tname} (loses the replication lag, {lag})"
                ),
                "lb_detection",
                self.t.lb_detection,
            )],
            lag,
            Actor::Mechanism,
        )
    }

    /// The data users moved off lost database `db` leave behind: the committed
    /// transactions GoldenGate had not yet applied elsewhere (`lag`), and the JMS
    /// messages and in-doubt transactions of the stores kept in it.
    pub fn stranded(&self, db: &str, lag: Duration) -> Cost {
        let mut phases = Vec::new();
        if let Some((gg, declared)) = self.lookups.replication.get(db) {
            phases.push(Phase {
                what: what!(
                    self,
                    "transactions committed in `{db}` and not yet applied by GoldenGate `{gg}` on the other database are lost to the users moved (the replication lag, {lag}); they return, to be reconciled, only if `{db}` comes back"
                ),
                takes: Duration::ZERO,
                basis: match (self.describe, declared) {
                    (false, _) => String::new(),
                    (true, true) => format!("goldengate `{gg}` lag, declared"),
                    (true, false) => format!("goldengate `{gg}` lag, default assumption"),
                },
            });
        }
        for (store, verb, held) in self.lookups.stores_in.get(db).into_iter().flatten() {
            phases.push(Phase {
                what: what!(
                    self,
                    "{store} {verb} in `{db}`: {held} are stranded until the site returns or an operator recovers them"
                ),
                takes: Duration::ZERO,
                basis: what!(self, "JMS and TLOG stores are per site in active-active (not replicated)"),
            });
        }
        Cost::new("stranded", phases, lag, Actor::Mechanism)
    }

    /// Auto Scaling group `group` (by index) replaces the instance in slot `tname`.
    fn asg(&self, group: usize, tname: &str) -> Cost {
        let t = self.t;
        let name = self
            .m
            .topo
            .aws
            .as_ref()
            .and_then(|a| a.auto_scaling_groups.get(group))
            .map_or(what!(self, "the Auto Scaling group"), |a| {
                what!(self, "`{}`", a.name)
            });
        Cost::automatic(
            "asg-self-healing",
            vec![
                self.timed(
                    what!(
                        self,
                        "{name} EC2 health check marks the lost EC2 instance (the host: terminated or failed) unhealthy"
                    ),
                    "asg_detection",
                    t.asg_detection,
                ),
                self.timed(
                    what!(
                        self,
                        "{name} launches a replacement instance in {tname} from the latest AMI"
                    ),
                    "asg_launch",
                    t.asg_launch,
                ),
                self.timed(
                    what!(
                        self,
                        "user data logs in to iSCSI, mounts the LUNs and starts Oracle"
                    ),
                    "instance_start",
                    t.instance_start,
                ),
            ],
        )
    }

    /// Users move to another site: by the global load balancer, or by hand through DNS.
    /// The global load balancer is a DNS control plane: a switch needs one of its nodes
    /// alive (`alive`); with every node lost, existing answers keep working until their
    /// TTL but no DNS-based switch is possible, and DNS must be changed by other means.
    fn site_switch(&self, tname: &str, alive: &dyn Fn(NodeId) -> bool) -> Cost {
        let glb = self.m.topo.global_load_balancer.as_ref();
        let glb_lost = glb.is_some_and(|g| {
            self.gr
                .find(Kind::GlobalLb, g.name.as_str())
                .is_some_and(|id| {
                    // A group of appliances serves while one member does.
                    let members = self.gr.deps(id);
                    if members.is_empty() {
                        !alive(id)
                    } else {
                        !members.iter().any(|(d, _)| alive(*d))
                    }
                })
        });
        let Some(g) = glb.filter(|_| !glb_lost) else {
            let why = match glb {
                Some(g) => format!(
                    "every node of global load balancer `{}` is lost: no DNS-based site switch is possible and clients keep the answers they have until their TTL; change DNS to the other site by other means",
                    g.name
                ),
                None => "no global load balancer: change DNS to the other site".to_string(),
            };
            let (by, decide) = self.who(Automated::DnsSwitch, &why);
            return Cost::new("manual-dns-switch", vec![decide], Duration::ZERO, by);
        };
        let mut phases = Vec::new();
        let mut by = Actor::Mechanism;
        if g.switchover.value == Switchover::Manual {
            let (b, decide) = self.who(
                Automated::DnsSwitch,
                "switch the global load balancer (switchover: manual)",
            );
            by = b;
            phases.push(decide);
        } else {
            let what = what!(
                self,
                "global load balancer `{}` health check marks the site down",
                g.name
            );
            phases.push(match &g.health_check {
                Some(h) => self.health_check_phase(what, "global_load_balancer.health_check", h),
                None => self.timed(what, "lb_detection", self.t.lb_detection),
            });
        }
        phases.push(self.setting(
            what!(
                self,
                "DNS answers point to {tname}; clients keep the old address for the TTL"
            ),
            "global_load_balancer.dns_ttl",
            g.dns_ttl.is_written(),
            "assumption",
            g.dns_ttl.value,
        ));
        Cost::new("site-switch", phases, Duration::ZERO, by)
    }

    /// Replicated storage fails over to `tname`; asynchronous replication loses its lag.
    fn manual_storage(&self, lag: Option<Duration>, sync: bool, tname: &str) -> Cost {
        let t = self.t;
        let (by, decide) = self.who(Automated::StorageFailover, "fail replicated storage over");
        Cost::new(
            "manual-storage-failover",
            vec![
                decide,
                self.timed(
                    what!(self, "replicated storage {tname} made primary and mounted"),
                    "storage_failover",
                    t.storage_failover,
                ),
            ],
            if sync {
                Duration::ZERO
            } else {
                lag.unwrap_or(t.storage_lag)
            },
            by,
        )
    }

    fn data_guard(
        &self,
        config: usize,
        target: NodeId,
        standby: bool,
        alive: &dyn Fn(NodeId) -> bool,
    ) -> Cost {
        let t = self.t;
        let Some(dg) = self.m.topo.data_guard.get(config) else {
            return Cost::new("data-guard", vec![], Duration::ZERO, Actor::Operator);
        };
        let tname = self.gr.g[target].name.clone();
        if !standby {
            return Cost::automatic("data-guard", vec![]);
        }
        let sb = dg.standbys.iter().find(|s| s.database.as_str() == tname);
        let sync_mode = matches!(
            dg.protection_mode.value,
            ProtectionMode::MaxAvailability | ProtectionMode::MaxProtection
        );
        let transport = sb
            .and_then(|s| s.transport.as_ref().map(|x| x.value))
            .unwrap_or(if sync_mode {
                Transport::Sync
            } else {
                Transport::Async
            });
        let fsfo = dg.fast_start_failover.as_ref().filter(|f| f.enabled.value);
        // A snapshot standby is never a fast-start failover target (the broker refuses it in
        // FastStartFailoverTarget): it is converted back and catches up first, by hand.
        let snapshot = sb.is_some_and(|s| s.r#type.value == StandbyType::Snapshot);
        let is_target = !snapshot
            && fsfo.is_some_and(|f| {
                f.targets.is_empty() || f.targets.iter().any(|x| x.as_str() == tname)
            });
        let observer_alive = dg.observers.iter().any(|o| {
            self.gr
                .find(Kind::Observer, o.name.as_str())
                .is_some_and(alive)
        });
        let zero_loss = sync_mode && transport != Transport::Async;
        // The RPO is the transport lag: the standby's declared `lag`, else
        // `recovery.async_lag` (an assumption, 5s by default, below the broker's default
        // 30s FastStartFailoverLagLimit). The lag limit only decides whether the observer
        // may fail over: with a lag above it, the failover waits for someone.
        let declared_lag = sb.and_then(|s| s.lag.as_ref().map(|l| l.value));
        let lag = declared_lag.unwrap_or(t.async_lag);
        let rpo = if zero_loss { Duration::ZERO } else { lag };
        let loss = if !self.describe || zero_loss {
            String::new()
        } else if declared_lag.is_some() {
            format!("; ASYNC loses the declared lag of standby {tname}, {lag}")
        } else {
            format!(
                "; ASYNC loses the transport lag, {lag} ({})",
                t.basis("async_lag")
            )
        };
        let within_limit =
            |f: &crate::model::FastStartFailover| zero_loss || lag <= f.lag_limit.value;
        let failover = self.timed(
            what!(self, "broker fails over to standby {tname}{loss}"),
            "dg_failover",
            t.dg_failover,
        );
        if snapshot {
            let (by, decide) = self.who(
                Automated::DatabaseFailover,
                &format!(
                    "fail `{}` over: standby {tname} is a snapshot standby",
                    dg.name
                ),
            );
            let convert = self.timed(
                what!(
                    self,
                    "snapshot standby {tname} converted to a physical standby (its own changes discarded) and the redo received meanwhile applied"
                ),
                "snapshot_conversion",
                t.snapshot_conversion,
            );
            return Cost::new("manual-failover", vec![decide, convert, failover], rpo, by);
        }
        match fsfo {
            Some(f) if dg.broker.value && is_target && observer_alive && within_limit(f) => {
                let detect = self.setting(
                    what!(
                        self,
                        "observer sees the primary unreachable for FastStartFailoverThreshold (`{}`)",
                        dg.name
                    ),
                    "fast_start_failover.threshold",
                    !f.threshold.span.is_empty(),
                    "the Data Guard broker (FastStartFailoverThreshold)",
                    f.threshold.value,
                );
                Cost::new(
                    "fast-start-failover",
                    vec![detect, failover],
                    rpo,
                    Actor::Mechanism,
                )
            }
            _ => {
                let why = if fsfo.is_none() {
                    "no fast-start failover"
                } else if !observer_alive {
                    "no observer survives"
                } else if !dg.broker.value {
                    "no broker"
                } else if is_target {
                    "the standby's lag exceeds FastStartFailoverLagLimit"
                } else {
                    "standby is not a fast-start failover target"
                };
                let (by, decide) = self.who(
                    Automated::DatabaseFailover,
                    &format!("fail `{}` over: {why}", dg.name),
                );
                Cost::new("manual-failover", vec![decide, failover], rpo, by)
            }
        }
    }

    /// Who restarts a crashed instance of database `db` in place. The one place that
    /// decides it: Clusterware restarts a RAC instance; a single instance is restarted
    /// only by what the topology declares (`recovery.automation: [instance-restart]`:
    /// Oracle Restart, Grid Infrastructure, a restarting service unit); otherwise an
    /// operator restarts it (an Auto Scaling group's EC2 health check never sees a
    /// database crash).
    pub fn instance_restarter(&self, db: Option<&crate::model::Database>) -> Restarter {
        match db.and_then(crate::model::Database::clusterware) {
            Some(Clusterware::Grid) => Restarter::Clusterware,
            Some(Clusterware::Restart) => Restarter::OracleRestart,
            _ if db.is_some_and(|d| d.r#type.value == DatabaseType::Rac) => Restarter::Clusterware,
            _ if self.m.topo.recovery.automates(Automated::InstanceRestart) => Restarter::Declared,
            _ => Restarter::Operator,
        }
    }

    /// A crashed database instance restarts in place, by whoever
    /// [`Ctx::instance_restarter`] says.
    fn instance_restart(&self, name: &str) -> Cost {
        let db = name
            .split_once('.')
            .and_then(|(db, _)| self.m.index.databases.get(db))
            .and_then(|i| self.m.topo.databases.get(*i));
        let restart = |what: String| self.timed(what, "database_restart", self.t.database_restart);
        match self.instance_restarter(db) {
            by @ (Restarter::Clusterware | Restarter::OracleRestart) => {
                let who = if by == Restarter::Clusterware {
                    "Clusterware"
                } else {
                    "Oracle Restart"
                };
                Cost::automatic(
                    "instance-restart",
                    vec![restart(what!(
                        self,
                        "{who} restarts instance `{name}` in place"
                    ))],
                )
            }
            Restarter::Declared => Cost::new(
                "instance-restart",
                vec![restart(what!(
                    self,
                    "instance `{name}` restarted in place by the declared automation (recovery.automation: instance-restart)"
                ))],
                Duration::ZERO,
                Actor::Runbook,
            ),
            Restarter::Operator => {
                let (by, decide) = self.who(
                    Automated::InstanceRestart,
                    "the database instance crashed; nothing declared restarts it: no Oracle Restart, Grid Infrastructure or restarting unit",
                );
                let start = restart(what!(self, "operator restarts instance `{name}`"));
                Cost::new("instance-restart", vec![decide, start], Duration::ZERO, by)
            }
        }
    }

    /// Time to restart a failed process in place, when something restarts it.
    pub fn restart(&self, id: NodeId) -> Option<Cost> {
        let n = &self.gr.g[id];
        let topo = &self.m.topo;
        match n.kind {
            Kind::Server => {
                let cluster = self.m.index.server_cluster.get(&n.name)?;
                let (d, _) = self.m.index.clusters.get(cluster)?;
                let dom = topo.domains.get(*d)?;
                dom.node_manager.enabled.value.then(|| {
                    Cost::automatic(
                        "node-manager-restart",
                        vec![self.timed(
                            what!(self, "Node Manager restarts server `{}`", n.name),
                            "process_restart",
                            self.t.process_restart,
                        )],
                    )
                })
            }
            Kind::Ohs => {
                let nm = self
                    .lookups
                    .ohs_node_manager
                    .get(&n.name)
                    .copied()
                    .unwrap_or(false);
                nm.then(|| {
                    Cost::automatic(
                        "node-manager-restart",
                        vec![self.timed(
                            what!(self, "Node Manager restarts OHS `{}`", n.name),
                            "process_restart",
                            self.t.process_restart,
                        )],
                    )
                })
            }
            Kind::Instance => Some(self.instance_restart(&n.name)),
            _ => None,
        }
    }
}
