//! The recovery model: how long each failover mechanism takes and how much data it loses.
//! Defaults come from the seeds and public Oracle/AWS material (`docs/recovery-model.md`);
//! every figure can be overridden in the topology's `recovery:` section.

use serde::Serialize;

use crate::graph::{Graph, Kind, Mechanism, NodeId};
use crate::model::{Duration, ProtectionMode, Recovery, Sp, Switchover, Transport};
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
    pub process_restart: Duration,
    pub domain_start: Duration,
    pub service_migration: Duration,
    pub database_restart: Duration,
    pub storage_failover: Duration,
    pub lb_detection: Duration,
    pub plugin_failover: Duration,
    pub async_lag: Duration,
}

fn pick(v: &Option<Sp<Duration>>, default: Duration) -> Duration {
    v.as_ref().map_or(default, |s| s.value)
}

impl Timings {
    /// The defaults (see `docs/recovery-model.md`).
    pub fn defaults() -> Timings {
        Timings::from_recovery(&Recovery::default())
    }

    pub fn from_recovery(r: &Recovery) -> Timings {
        Timings {
            human_response: pick(&r.human_response, Duration::mins(30)),
            asg_detection: pick(&r.asg_detection, Duration::secs(30)),
            asg_launch: pick(&r.asg_launch, Duration::mins(2)),
            instance_start: pick(&r.instance_start, Duration::mins(3)),
            dg_failover: pick(&r.dg_failover, Duration::secs(30)),
            dg_switchover: pick(&r.dg_switchover, Duration::mins(2)),
            fan_detection: pick(&r.fan_detection, Duration::secs(5)),
            fcf_reconnect: pick(&r.fcf_reconnect, Duration::secs(5)),
            process_restart: pick(&r.process_restart, Duration::mins(1)),
            domain_start: pick(&r.domain_start, Duration::mins(10)),
            service_migration: pick(&r.service_migration, Duration::secs(30)),
            database_restart: pick(&r.database_restart, Duration::mins(5)),
            storage_failover: pick(&r.storage_failover, Duration::mins(1)),
            lb_detection: pick(&r.lb_detection, Duration::secs(15)),
            plugin_failover: pick(&r.plugin_failover, Duration::secs(10)),
            async_lag: pick(&r.async_lag, Duration::mins(1)),
        }
    }
}

/// One phase of a recovery: detection or action of one mechanism.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Phase {
    pub what: String,
    pub takes: Duration,
}

/// What a mechanism costs when it acts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cost {
    /// Short mechanism name, e.g. `fast-start-failover`.
    pub mechanism: &'static str,
    pub phases: Vec<Phase>,
    /// Data lost.
    pub rpo: Duration,
    /// Whether a person must act.
    pub manual: bool,
}

impl Cost {
    pub fn total(&self) -> Duration {
        self.phases
            .iter()
            .fold(Duration::ZERO, |a, p| a.saturating_add(p.takes))
    }
    fn new(
        mechanism: &'static str,
        phases: Vec<(String, Duration)>,
        rpo: Duration,
        manual: bool,
    ) -> Cost {
        Cost {
            mechanism,
            phases: phases
                .into_iter()
                .map(|(what, takes)| Phase { what, takes })
                .collect(),
            rpo,
            manual,
        }
    }

    /// A cost that loses no data and needs no person.
    fn automatic(mechanism: &'static str, phases: Vec<(String, Duration)>) -> Cost {
        Cost::new(mechanism, phases, Duration::ZERO, false)
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
}

impl Lookups {
    pub fn new(m: &Model) -> Lookups {
        let mut l = Lookups::default();
        for g in &m.topo.goldengate {
            for d in &g.databases {
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
            Mechanism::None => Cost::new("redundancy", vec![], Duration::ZERO, false),
            Mechanism::HealthCheck { by } => self.health_check(by, tname),
            Mechanism::Plugin => {
                let cluster = node
                    .of
                    .map_or(node.name.as_str(), |c| self.gr.g[c].name.as_str());
                self.plugin(cluster, tname)
            }
            Mechanism::Fcf => self.fcf(tname),
            Mechanism::ServiceMigration { cluster, automatic } => {
                self.service_migration(&node.name, cluster, *automatic, tname)
            }
            Mechanism::DataGuard { config } => self.data_guard(*config, target, standby, alive),
            Mechanism::GoldenGate { replication } => self.goldengate(*replication, tname),
            Mechanism::Asg { group } => self.asg(*group, tname),
            Mechanism::SiteSwitch => self.site_switch(tname),
            Mechanism::StorageFailover => Cost::automatic(
                "storage-failover",
                vec![(
                    what!(self, "storage fails over to {tname}"),
                    self.t.storage_failover,
                )],
            ),
            Mechanism::ManualStorage { lag, sync } => self.manual_storage(*lag, *sync, tname),
            Mechanism::Reconnect => Cost::automatic(
                "reconnect",
                vec![(
                    what!(self, "clients reconnect to {tname}"),
                    self.t.fcf_reconnect,
                )],
            ),
        }
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
        let d = hc.map_or(self.t.lb_detection, |h| h.detection_time());
        Cost::automatic(
            "health-check",
            vec![(
                what!(
                    self,
                    "{by} health check marks the failed target down; traffic goes to {tname}"
                ),
                d,
            )],
        )
    }

    /// `mod_wl_ohs` stops routing to a failed server of `cluster`.
    fn plugin(&self, cluster: &str, tname: &str) -> Cost {
        let ct = self
            .lookups
            .connect_timeout
            .get(cluster)
            .copied()
            .unwrap_or(self.t.plugin_failover);
        Cost::automatic(
            "mod-wl-ohs",
            vec![(
                what!(
                    self,
                    "mod_wl_ohs stops routing to the failed server of `{cluster}`, uses {tname}"
                ),
                ct,
            )],
        )
    }

    fn fcf(&self, tname: &str) -> Cost {
        Cost::automatic(
            "fan-fcf",
            vec![
                (
                    what!(self, "FAN announces the instance down"),
                    self.t.fan_detection,
                ),
                (
                    what!(self, "FCF moves connections to {tname}"),
                    self.t.fcf_reconnect,
                ),
            ],
        )
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
            .map(|mg| (mg.fencing.fencing_time(), mg.fencing.grace_period.value));
        if automatic && let Some((fence, grace)) = fencing {
            return Cost::automatic(
                "service-migration",
                vec![
                    (
                        what!(
                            self,
                            "lease expires (health check interval × periods until fencing)"
                        ),
                        fence,
                    ),
                    (what!(self, "fencing grace period"), grace),
                    (
                        what!(self, "`{name}` migrates to {tname}"),
                        t.service_migration,
                    ),
                ],
            );
        }
        Cost::new(
            "manual-migration",
            vec![
                (
                    what!(
                        self,
                        "operator notices and decides (recovery.human_response)"
                    ),
                    t.human_response,
                ),
                (
                    what!(self, "`{name}` migrated by hand to {tname}"),
                    t.service_migration,
                ),
            ],
            Duration::ZERO,
            true,
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
            vec![(
                what!(
                    self,
                    "users routed to the other GoldenGate database {tname}"
                ),
                self.t.lb_detection,
            )],
            lag,
            false,
        )
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
                (
                    what!(self, "{name} health check marks the instance unhealthy"),
                    t.asg_detection,
                ),
                (
                    what!(
                        self,
                        "{name} launches a replacement instance in {tname} from the latest AMI"
                    ),
                    t.asg_launch,
                ),
                (
                    what!(
                        self,
                        "user data logs in to iSCSI, mounts the LUNs and starts Oracle"
                    ),
                    t.instance_start,
                ),
            ],
        )
    }

    /// Users move to another site: by the global load balancer, or by hand through DNS.
    fn site_switch(&self, tname: &str) -> Cost {
        let t = self.t;
        let Some(g) = &self.m.topo.global_load_balancer else {
            return Cost::new(
                "manual-dns-switch",
                vec![(
                    what!(
                        self,
                        "operator changes DNS to the other site (no global load balancer; recovery.human_response)"
                    ),
                    t.human_response,
                )],
                Duration::ZERO,
                true,
            );
        };
        let detect = g
            .health_check
            .as_ref()
            .map_or(t.lb_detection, |h| h.detection_time());
        let mut phases = Vec::new();
        let manual = g.switchover.value == Switchover::Manual;
        if manual {
            phases.push((
                what!(
                    self,
                    "operator switches the global load balancer (recovery.human_response)"
                ),
                t.human_response,
            ));
        } else {
            phases.push((
                what!(
                    self,
                    "global load balancer `{}` health check marks the site down",
                    g.name
                ),
                detect,
            ));
        }
        phases.push((
            what!(
                self,
                "DNS answers point to {tname}; clients keep the old address for the TTL"
            ),
            g.dns_ttl.value,
        ));
        Cost::new("site-switch", phases, Duration::ZERO, manual)
    }

    /// An operator fails replicated storage over to `tname`; asynchronous replication
    /// loses its lag.
    fn manual_storage(&self, lag: Option<Duration>, sync: bool, tname: &str) -> Cost {
        let t = self.t;
        Cost::new(
            "manual-storage-failover",
            vec![
                (
                    what!(
                        self,
                        "operator decides to fail over storage (recovery.human_response)"
                    ),
                    t.human_response,
                ),
                (
                    what!(self, "replicated storage {tname} made primary and mounted"),
                    t.storage_failover,
                ),
            ],
            if sync {
                Duration::ZERO
            } else {
                lag.unwrap_or(t.async_lag)
            },
            true,
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
            return Cost::new("data-guard", vec![], Duration::ZERO, true);
        };
        let tname = self.gr.g[target].name.clone();
        if !standby {
            return Cost::new("data-guard", vec![], Duration::ZERO, false);
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
        let is_target = fsfo
            .is_some_and(|f| f.targets.is_empty() || f.targets.iter().any(|x| x.as_str() == tname));
        let observer_alive = dg.observers.iter().any(|o| {
            self.gr
                .find(Kind::Observer, o.name.as_str())
                .is_some_and(alive)
        });
        let zero_loss = sync_mode && transport != Transport::Async;
        // The RPO is the transport lag (declared, or the default); the fast-start failover
        // lag limit only decides whether the broker may fail over automatically.
        let lag = sb
            .and_then(|s| s.lag.as_ref().map(|l| l.value))
            .unwrap_or(t.async_lag);
        let rpo = if zero_loss { Duration::ZERO } else { lag };
        let within_limit =
            |f: &crate::model::FastStartFailover| zero_loss || lag <= f.lag_limit.value;
        match fsfo {
            Some(f) if dg.broker.value && is_target && observer_alive && within_limit(f) => {
                Cost::new(
                    "fast-start-failover",
                    vec![
                        (
                            what!(
                                self,
                                "observer sees the primary unreachable for FastStartFailoverThreshold (`{}`)",
                                dg.name
                            ),
                            f.threshold.value,
                        ),
                        (
                            what!(self, "broker fails over to standby {tname}"),
                            t.dg_failover,
                        ),
                    ],
                    rpo,
                    false,
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
                Cost::new(
                    "manual-failover",
                    vec![
                        (
                            what!(
                                self,
                                "operator decides to fail over `{}` ({why}; recovery.human_response)",
                                dg.name
                            ),
                            t.human_response,
                        ),
                        (what!(self, "failover to standby {tname}"), t.dg_failover),
                    ],
                    rpo,
                    true,
                )
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
                        vec![(
                            what!(self, "Node Manager restarts server `{}`", n.name),
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
                        vec![(
                            what!(self, "Node Manager restarts OHS `{}`", n.name),
                            self.t.process_restart,
                        )],
                    )
                })
            }
            Kind::Instance => Some(Cost::automatic(
                "instance-restart",
                vec![(
                    what!(
                        self,
                        "instance `{}` restarts in place (Clusterware / systemd)",
                        n.name
                    ),
                    self.t.database_restart,
                )],
            )),
            _ => None,
        }
    }
}
