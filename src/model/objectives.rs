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
    /// Data lost by asynchronous replication (ASYNC redo, async storage) when no lag is declared (default 1m).
    pub async_lag: Option<Sp<Duration>>,
}
