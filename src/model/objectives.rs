//! Declared recovery objectives (RTO/RPO per disruption type) and recovery-model overrides.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Duration, Sp};

/// The kinds of disruption an objective is declared for (as in AWS Resilience Hub policies).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Disruption {
    /// A process or a host fails.
    Host,
    /// An availability zone, rack or room fails.
    Zone,
    /// A whole site (data center) fails.
    Site,
    /// A geographic region fails.
    Region,
}

impl Disruption {
    pub const ALL: [Disruption; 4] = [
        Disruption::Host,
        Disruption::Zone,
        Disruption::Site,
        Disruption::Region,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Disruption::Host => "host",
            Disruption::Zone => "zone",
            Disruption::Site => "site",
            Disruption::Region => "region",
        }
    }
}

/// Recovery time and recovery point objective for one disruption type.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Objective {
    /// Longest acceptable time to restore service.
    pub rto: Sp<Duration>,
    /// Largest acceptable window of lost data (`0s` = no data loss).
    pub rpo: Sp<Duration>,
}

/// Objectives per disruption type.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Objectives {
    pub host: Option<Objective>,
    pub zone: Option<Objective>,
    pub site: Option<Objective>,
    pub region: Option<Objective>,
}

impl Objectives {
    pub fn get(&self, d: Disruption) -> Option<&Objective> {
        match d {
            Disruption::Host => self.host.as_ref(),
            Disruption::Zone => self.zone.as_ref(),
            Disruption::Site => self.site.as_ref(),
            Disruption::Region => self.region.as_ref(),
        }
    }
}

/// Overrides of the recovery model's timings. Every field has an MAA/AWS default
/// (see `docs/recovery-model.md`); set one only when you have measured your own.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Recovery {
    /// Time for an operator to notice, decide and start a manual step (default 30m).
    pub human_response: Option<Sp<Duration>>,
    /// ASG: time for the EC2 health check to mark the instance unhealthy (default 30s).
    pub asg_detection: Option<Sp<Duration>>,
    /// ASG: time to launch a replacement instance (default 2m).
    pub asg_launch: Option<Sp<Duration>>,
    /// ASG: time to log in to iSCSI, mount and start Oracle on the new instance (default 3m).
    pub instance_start: Option<Sp<Duration>>,
    /// Data Guard: time for the broker to complete a failover (default 30s).
    pub dg_failover: Option<Sp<Duration>>,
    /// Data Guard: time of a switchover (default 2m).
    pub dg_switchover: Option<Sp<Duration>>,
    /// RAC: time for FAN to announce an instance down (default 5s).
    pub fan_detection: Option<Sp<Duration>>,
    /// Connection pools: time to move connections after a FAN event (default 5s).
    pub fcf_reconnect: Option<Sp<Duration>>,
    /// Node Manager: time to restart a failed process on its host (default 1m).
    pub process_restart: Option<Sp<Duration>>,
    /// WebLogic: time to start a passive domain's servers on switchover (default 10m).
    pub domain_start: Option<Sp<Duration>>,
    /// WebLogic: time for a migrated JMS/JTA service to activate (default 30s).
    pub service_migration: Option<Sp<Duration>>,
    /// Database: time for an instance or listener to restart in place (default 5m).
    pub database_restart: Option<Sp<Duration>>,
    /// Storage: time for a storage failover between zones (default 1m).
    pub storage_failover: Option<Sp<Duration>>,
    /// Load balancers: time to mark a failed target down when no health check is declared (default 15s).
    pub lb_detection: Option<Sp<Duration>>,
    /// OHS `mod_wl_ohs`: time to give up on a failed server when no `connect_timeout` is set (default 10s).
    pub plugin_failover: Option<Sp<Duration>>,
    /// Data Guard: data lost by ASYNC redo transport when the standby declares no `lag` (default
    /// 5s, an assumption below the broker's 30s FastStartFailoverLagLimit).
    pub async_lag: Option<Sp<Duration>>,
    /// Storage: data lost by asynchronous storage replication when it declares no `lag` (default 1m).
    pub storage_lag: Option<Sp<Duration>>,
    /// RAC: time for Clusterware to evict a lost node (CSS misscount) before FAN announces its
    /// instances down; an instance crash alone is announced in `fan_detection` (default 30s).
    pub node_eviction: Option<Sp<Duration>>,
    /// Runbook automation: time for monitoring to trigger a step listed in `automation` (default 1m).
    pub runbook_detection: Option<Sp<Duration>>,
    /// Data Guard: time to convert a snapshot standby back to a physical standby and apply
    /// the redo it received while open read-write, before it can become primary (default 10m).
    pub snapshot_conversion: Option<Sp<Duration>>,
    /// Steps that runbook automation performs without waiting for an operator (e.g. a script
    /// that starts the passive domain when the database changes role). Every step not listed
    /// here and not done by a product mechanism waits for `human_response`.
    #[serde(default)]
    pub automation: Vec<Sp<Automated>>,
}

/// A recovery step that declared runbook automation performs.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Automated {
    /// Start the passive WebLogic domain after the database failover.
    DomainStart,
    /// Fail Data Guard over when fast-start failover does not.
    DatabaseFailover,
    /// Switch users to another site (DNS or a manual global load balancer).
    DnsSwitch,
    /// Fail replicated storage over.
    StorageFailover,
    /// Migrate a singleton service whose migration is manual.
    SingletonMigration,
    /// Restart a crashed single-instance database in place (Oracle Restart, or a service
    /// unit that restarts it); Clusterware restarts RAC instances without being declared.
    InstanceRestart,
}

impl Recovery {
    /// Whether declared runbook automation performs step `a`.
    pub fn automates(&self, a: Automated) -> bool {
        self.automation.iter().any(|x| x.value == a)
    }
}
