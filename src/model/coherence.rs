//! Coherence clusters: members, persistence, federation, HotCache.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::placement::yes;
use super::{Name, Sp};

/// A Coherence cluster.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CoherenceCluster {
    pub name: Name,
    /// Members (cache servers or managed Coherence servers).
    #[serde(default)]
    pub members: Vec<CoherenceMember>,
    #[serde(default)]
    pub caches: Vec<Cache>,
    /// Number of backup copies of each partition (default 1).
    #[serde(default = "one")]
    pub backup_count: Sp<u32>,
    /// Partition assignment strategy; persistence needs `centralized`.
    #[serde(default = "simple")]
    pub partition_assignment: Sp<PartitionAssignment>,
    pub persistence: Option<Persistence>,
    pub federation: Option<Federation>,
    pub hotcache: Option<HotCache>,
}

fn one() -> Sp<u32> {
    Sp::synthetic(1)
}
fn simple() -> Sp<PartitionAssignment> {
    Sp::synthetic(PartitionAssignment::Simple)
}

/// A Coherence member process.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CoherenceMember {
    pub host: Name,
    /// Storage-enabled: holds partitions.
    #[serde(default = "yes")]
    pub storage: Sp<bool>,
    /// Number of such processes on the host.
    #[serde(default = "one")]
    #[schemars(range(min = 1))]
    pub count: Sp<u32>,
}

/// Cache scheme.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum CacheScheme {
    Distributed,
    Replicated,
    Optimistic,
    Near,
    Local,
}

/// A cache (or cache-name pattern) of the cluster.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Cache {
    /// Cache name or pattern, e.g. `orders-*`.
    #[schemars(regex(pattern = r"^[A-Za-z0-9_.*-]+$"))]
    pub name: Sp<String>,
    pub scheme: Sp<CacheScheme>,
    /// Whether this cache is persisted (when the cluster has persistence).
    #[serde(default = "yes")]
    pub persistent: Sp<bool>,
}

/// Partition assignment strategy.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum PartitionAssignment {
    Simple,
    /// Centralized: required by persistence.
    Centralized,
    Mirror,
}

/// Persistence mode.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum PersistenceMode {
    /// Every write goes to disk synchronously.
    Active,
    ActiveAsync,
    ActiveBackup,
    /// Snapshots taken on demand.
    OnDemand,
}

/// Coherence persistence of cache contents to disk.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Persistence {
    pub mode: Sp<PersistenceMode>,
    /// Storage system holding the persistence directory (shared or per host).
    pub storage: Option<Name>,
}

/// Federation topology.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum FederationTopology {
    ActiveActive,
    ActivePassive,
    HubSpoke,
}

/// Federated caching between Coherence clusters in different sites.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Federation {
    pub topology: Sp<FederationTopology>,
    /// The other Coherence clusters it federates with.
    pub participants: Vec<Name>,
    /// Class name of the conflict resolver (event interceptor) for update conflicts.
    pub conflict_resolver: Option<Sp<String>>,
}

/// GoldenGate HotCache: pushes database changes into caches.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HotCache {
    /// The GoldenGate deployment that captures the changes.
    pub goldengate: Option<Name>,
    /// The database whose changes are pushed.
    pub database: Name,
}
