//! Failure domains: sites (data centers, AWS regions), zones (AZs, racks), hosts, links, storage.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Duration, Hostname, Name, Sp};

/// What a site does in the topology.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum SiteRole {
    /// Runs the workload and the primary database.
    Primary,
    /// Takes over on failover or switchover (passive middle tier, standby database).
    Standby,
    /// Runs the workload at the same time as other active sites (active-active).
    Active,
    /// Hosts only arbitration: a Data Guard observer, a GSM, a quorum.
    Witness,
}

/// A data center, or an AWS/OCI region used as one site. A site failure loses everything in it.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Site {
    pub name: Name,
    pub role: Sp<SiteRole>,
    /// Geographic region; sites in one region share a regional disaster.
    pub region: Option<Name>,
    /// Availability zones, racks or rooms inside the site: independent failure domains.
    #[serde(default)]
    pub zones: Vec<Zone>,
    /// Hosts not placed in a zone.
    #[serde(default, deserialize_with = "super::list::exact")]
    pub hosts: Vec<Host>,
}

/// An availability zone, rack or room: a failure domain inside a site.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Zone {
    pub name: Name,
    /// The cloud availability zone this is, e.g. `us-east-1a` (AWS topologies).
    pub availability_zone: Option<Name>,
    #[serde(default, deserialize_with = "super::list::exact")]
    pub hosts: Vec<Host>,
}

/// A machine (physical, VM or EC2 instance). Its failure takes every process on it.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Host {
    pub name: Name,
    /// DNS name or IP clients and peers use; defaults to the name.
    pub address: Option<Sp<Hostname>>,
}

/// Network distance class between two sites.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum LinkKind {
    /// Metropolitan area network: low latency, suitable for stretch clusters and SYNC redo.
    Man,
    /// Wide area network: high latency; no stretch clusters, no in-memory replication.
    Wan,
}

/// The network between two sites.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Link {
    /// The two sites this link joins.
    pub between: Sp<Vec<Name>>,
    /// Round-trip latency, e.g. `1ms` (MAN) or `40ms` (WAN).
    pub latency: Sp<Duration>,
    /// MAN or WAN; by default MAN when the latency is at most 5ms.
    pub kind: Option<Sp<LinkKind>>,
    /// Whether the link has independent redundant paths (its loss is then not a single event).
    #[serde(default)]
    pub redundant: Sp<bool>,
}

impl Link {
    /// MAN when declared so, or when latency is at most 5 ms.
    pub fn effective_kind(&self) -> LinkKind {
        match &self.kind {
            Some(k) => k.value,
            None if self.latency.value <= Duration::ms(5) => LinkKind::Man,
            None => LinkKind::Wan,
        }
    }
}

/// Kind of storage system.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum StorageKind {
    /// NFS / NAS filer (e.g. ZFS Storage Appliance, NetApp).
    Nas,
    /// Block storage array (SAN).
    San,
    /// Oracle ASM disk groups on shared disks.
    Asm,
    /// Disks local to one host: not shared.
    Local,
    /// A cluster file system (ACFS, OCFS2, GFS2).
    ClusterFs,
    /// Cloud file storage (EFS, OCI File Storage).
    CloudFile,
}

/// How a storage system replicates to another.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum ReplicationMode {
    Sync,
    Async,
}

/// Storage replication to a peer storage system (typically in the other site).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StorageReplication {
    /// The peer storage system.
    pub to: Name,
    pub mode: Sp<ReplicationMode>,
    /// Typical lag for asynchronous replication (data lost on failover).
    pub lag: Option<Sp<Duration>>,
}

/// A storage system: shared file systems for stores and Oracle homes, ASM, SAN.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Storage {
    pub name: Name,
    pub kind: Sp<StorageKind>,
    /// The site it is in.
    pub site: Name,
    /// Zones it spans; storage spanning two or more zones survives a zone failure.
    #[serde(default)]
    pub zones: Vec<Name>,
    /// For `local` storage: the host it belongs to.
    pub host: Option<Name>,
    /// Whether all hosts of the site can mount it (false for local disks).
    #[serde(default = "yes")]
    pub shared: Sp<bool>,
    /// Replication to another storage system.
    pub replication: Option<StorageReplication>,
}

pub(crate) fn yes() -> Sp<bool> {
    Sp::synthetic(true)
}
