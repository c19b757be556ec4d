//! Oracle Database: instances (single / RAC), services, Data Guard, GoldenGate, GDS, CMAN.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::placement::yes;
use super::{ConnectOptions, Duration, Hostname, Name, Sp};

/// Single instance, Real Application Clusters or RAC One Node.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum DatabaseType {
    Single,
    Rac,
    /// RAC One Node: one instance open at a time on one of the candidate nodes (its
    /// `instances`, one per node); Clusterware relocates it online for maintenance and, when
    /// its node or instance fails, restarts it on another candidate node. Sessions do not
    /// survive on another open instance as with RAC: a failure costs a restart.
    RacOneNode,
}

impl DatabaseType {
    /// RAC or RAC One Node: runs under Grid Infrastructure.
    pub fn clustered(self) -> bool {
        matches!(self, DatabaseType::Rac | DatabaseType::RacOneNode)
    }
}

/// The clusterware a database runs under.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Clusterware {
    /// None: no ONS (no FAN), no `srvctl` services, nothing restarts a failed instance.
    None,
    /// Oracle Restart (Grid Infrastructure for a standalone server): restarts the instance
    /// and listener, manages services with `srvctl`, runs ONS for FAN.
    Restart,
    /// Oracle Grid Infrastructure for a cluster (required by RAC and RAC One Node).
    Grid,
}

/// An Oracle database (one `DB_UNIQUE_NAME`: a primary or one standby).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Database {
    /// `DB_UNIQUE_NAME`.
    pub name: Name,
    /// `DB_NAME`, shared by a primary and its standbys.
    pub db_name: Option<Name>,
    pub r#type: Sp<DatabaseType>,
    /// The clusterware it runs under; by default `grid` for RAC and RAC One Node (which
    /// require it) and undeclared for a single instance (rules that need it then say
    /// nothing, and the simulator assumes the instance restarts).
    pub clusterware: Option<Sp<Clusterware>>,
    /// Version, e.g. `19c`, `23ai`.
    pub version: Option<Sp<String>>,
    pub instances: Vec<DbInstance>,
    /// The storage system holding the data files (ASM, SAN, FSxN…).
    pub storage: Option<Name>,
    /// Single Client Access Name of a RAC database.
    pub scan: Option<Scan>,
    /// Listener port (when no SCAN).
    #[serde(default = "listener_port")]
    pub port: Sp<u16>,
    /// Pluggable database the services live in.
    pub pdb: Option<Name>,
    #[serde(default)]
    pub services: Vec<DbService>,
}

fn listener_port() -> Sp<u16> {
    Sp::synthetic(1521)
}

impl Database {
    /// The clusterware in force: the declared one, else Grid Infrastructure for RAC and RAC
    /// One Node; `None` for a single instance that declares none.
    pub fn clusterware(&self) -> Option<Clusterware> {
        self.clusterware.as_ref().map(|c| c.value).or(self
            .r#type
            .value
            .clustered()
            .then_some(Clusterware::Grid))
    }
}

/// A database instance.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DbInstance {
    pub name: Name,
    pub host: Name,
}

/// SCAN name and port.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scan {
    pub name: Sp<Hostname>,
    #[serde(default = "listener_port")]
    pub port: Sp<u16>,
}

/// Database role a service runs in.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum ServiceRole {
    Primary,
    PhysicalStandby,
    SnapshotStandby,
}

/// Server-side failover type (`-failovertype`): TAF (`select`, `session`), AC (`transaction`), TAC (`auto`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum FailoverType {
    None,
    Session,
    Select,
    /// Application Continuity.
    Transaction,
    /// Transparent Application Continuity.
    Auto,
}

/// `-resetstate`: clean session state at the end of each request (TAC with pooling).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum ResetState {
    None,
    Level1,
    Login,
}

/// A database service (`srvctl add service`).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DbService {
    pub name: Name,
    /// Roles in which the service starts (role-based services follow the primary).
    #[serde(default = "primary_role")]
    pub roles: Vec<Sp<ServiceRole>>,
    /// Preferred instances; by default all.
    #[serde(default)]
    pub preferred: Vec<Name>,
    /// Available (failover) instances.
    #[serde(default)]
    pub available: Vec<Name>,
    #[serde(default = "no_failover")]
    pub failover_type: Sp<FailoverType>,
    /// `-failovermethod BASIC` for server-side TAF.
    #[serde(default)]
    pub failover_method_basic: Sp<bool>,
    /// Transaction Guard (`-commit_outcome TRUE`).
    #[serde(default)]
    pub commit_outcome: Sp<bool>,
    /// FAN for OCI clients (`-notification TRUE`).
    #[serde(default = "yes")]
    pub notification: Sp<bool>,
    pub reset_state: Option<Sp<ResetState>>,
    /// `-drain_timeout`: time given to sessions to drain on planned maintenance.
    pub drain_timeout: Option<Sp<Duration>>,
    /// `-replay_init_time`.
    pub replay_init_time: Option<Sp<Duration>>,
    /// `-failoverretry`.
    pub failover_retry: Option<Sp<u32>>,
    /// `-failoverdelay`.
    pub failover_delay: Option<Sp<Duration>>,
    /// `-retention`: how long commit outcomes are kept.
    pub retention: Option<Sp<Duration>>,
    /// Connect-descriptor parameters of the service's `tnsnames.ora` alias and of the
    /// data sources that use it (clients may override them with their own `connect:`).
    pub connect: Option<ConnectOptions>,
}

fn primary_role() -> Vec<Sp<ServiceRole>> {
    vec![Sp::synthetic(ServiceRole::Primary)]
}
fn no_failover() -> Sp<FailoverType> {
    Sp::synthetic(FailoverType::None)
}

/// Data Guard protection mode.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum ProtectionMode {
    /// Zero data loss without stalling the primary: MAA's recommendation.
    MaxAvailability,
    /// Asynchronous: some data loss possible.
    MaxPerformance,
    /// Zero data loss; the primary stops when no synchronized standby is reachable.
    MaxProtection,
}

/// Redo transport mode (`LogXptMode`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Transport {
    Sync,
    Fastsync,
    Async,
}

/// A Data Guard configuration (one broker configuration).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DataGuard {
    pub name: Name,
    /// The primary database.
    pub primary: Name,
    pub standbys: Vec<Standby>,
    #[serde(default)]
    pub far_syncs: Vec<FarSync>,
    #[serde(default = "max_availability")]
    pub protection_mode: Sp<ProtectionMode>,
    /// Why a mode other than maximum availability was chosen.
    pub protection_mode_reason: Option<Sp<String>>,
    /// Managed by the Data Guard broker.
    #[serde(default = "yes")]
    pub broker: Sp<bool>,
    pub fast_start_failover: Option<FastStartFailover>,
    #[serde(default)]
    pub observers: Vec<Observer>,
}

fn max_availability() -> Sp<ProtectionMode> {
    Sp::synthetic(ProtectionMode::MaxAvailability)
}

/// Kind of standby database.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum StandbyType {
    /// Block-for-block copy applying redo (Redo Apply): the MAA failover target.
    Physical,
    /// A physical standby opened read-write for testing: it receives redo but does not apply
    /// it; it must be converted back (discarding its changes) and catch up before it can
    /// become primary.
    Snapshot,
    /// SQL Apply: a different database (own DBID) kept in sync logically.
    Logical,
}

/// A standby database of a Data Guard configuration.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Standby {
    pub database: Name,
    /// Physical (default), snapshot or logical.
    #[serde(default = "physical")]
    pub r#type: Sp<StandbyType>,
    /// Redo transport of the primary's first hop toward it: to the standby itself, or, with a
    /// `far_sync`, to that far sync (which forwards ASYNC); by default SYNC under maximum
    /// availability/protection, else ASYNC. Standbys behind one far sync share one transport.
    pub transport: Option<Sp<Transport>>,
    /// Active Data Guard: open read-only while applying redo.
    #[serde(default)]
    pub active: Sp<bool>,
    /// The far sync instance that forwards redo to it; `transport` is then the primary→far
    /// sync hop.
    pub far_sync: Option<Name>,
    /// Typical transport lag with ASYNC (data lost on failover).
    pub lag: Option<Sp<Duration>>,
}

fn physical() -> Sp<StandbyType> {
    Sp::synthetic(StandbyType::Physical)
}

/// A far sync instance: receives SYNC redo near the primary and forwards it ASYNC.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FarSync {
    pub name: Name,
    pub host: Name,
    /// Another far sync that takes over if this one fails.
    pub alternate: Option<Name>,
}

/// Fast-start failover: the observer triggers failover automatically.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FastStartFailover {
    #[serde(default = "yes")]
    pub enabled: Sp<bool>,
    /// `FastStartFailoverThreshold` (default 30s).
    #[serde(default = "thirty")]
    pub threshold: Sp<Duration>,
    /// `FastStartFailoverLagLimit` (default 30s; ASYNC only).
    #[serde(default = "thirty")]
    pub lag_limit: Sp<Duration>,
    /// Standbys that may become primary, in order; by default every standby.
    #[serde(default)]
    pub targets: Vec<Name>,
    /// `FastStartFailoverAutoReinstate`.
    #[serde(default = "yes")]
    pub auto_reinstate: Sp<bool>,
}

fn thirty() -> Sp<Duration> {
    Sp::synthetic(Duration::secs(30))
}

/// A fast-start failover observer.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Observer {
    pub name: Name,
    pub host: Name,
}

/// GoldenGate replication mode.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum GoldenGateMode {
    /// Bidirectional: both databases are writable.
    ActiveActive,
    ActivePassive,
    Unidirectional,
}

/// Conflict detection and resolution method.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum ConflictResolution {
    /// Automatic CDR (latest timestamp wins, delta for numeric columns).
    Automatic,
    LatestTimestamp,
    EarliestTimestamp,
    Delta,
    /// Custom handler.
    Custom,
    /// No resolution: conflicts abort replication.
    None,
}

/// A schema replicated by GoldenGate.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GgSchema {
    pub name: Name,
    #[serde(default = "no_cdr")]
    pub conflict_resolution: Sp<ConflictResolution>,
}

fn no_cdr() -> Sp<ConflictResolution> {
    Sp::synthetic(ConflictResolution::None)
}

/// A GoldenGate replication between databases.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GoldenGate {
    pub name: Name,
    pub mode: Sp<GoldenGateMode>,
    pub databases: Vec<Name>,
    pub schemas: Vec<GgSchema>,
    /// Hosts running the GoldenGate deployments (hub or on the database hosts).
    #[serde(default)]
    pub hosts: Vec<Name>,
    /// Typical replication lag (data lost when a site fails).
    #[serde(default = "gg_lag")]
    pub lag: Sp<Duration>,
}

fn gg_lag() -> Sp<Duration> {
    Sp::synthetic(Duration::secs(5))
}

/// Global Data Services.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Gds {
    pub regions: Vec<GdsRegion>,
    #[serde(default)]
    pub pools: Vec<GdsPool>,
    #[serde(default)]
    pub global_services: Vec<GlobalService>,
}

/// A GDS region and its global service managers.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GdsRegion {
    pub name: Name,
    /// Sites in this region.
    #[serde(default)]
    pub sites: Vec<Name>,
    #[serde(default)]
    pub gsms: Vec<Gsm>,
}

/// A global service manager.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Gsm {
    pub name: Name,
    pub host: Name,
}

/// A GDS database pool.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GdsPool {
    pub name: Name,
    pub databases: Vec<Name>,
}

/// A global service offered by a pool.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GlobalService {
    pub name: Name,
    pub pool: Name,
    #[serde(default = "primary_role")]
    pub roles: Vec<Sp<ServiceRole>>,
    #[serde(default = "no_failover")]
    pub failover_type: Sp<FailoverType>,
    #[serde(default)]
    pub commit_outcome: Sp<bool>,
}

/// CMAN mode.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum CmanMode {
    /// Traffic Director mode: proxy, connection multiplexing, transparent failover.
    TrafficDirector,
    /// Classic connection proxy.
    Proxy,
}

/// Oracle Connection Manager.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Cman {
    pub name: Name,
    #[serde(default = "traffic_director")]
    pub mode: Sp<CmanMode>,
    /// Hosts running CMAN instances.
    pub hosts: Vec<Name>,
    #[serde(default = "listener_port")]
    pub port: Sp<u16>,
    /// Clients connect over TLS (TCPS).
    #[serde(default)]
    pub tcps: Sp<bool>,
    /// Database services it fronts.
    #[serde(default)]
    pub services: Vec<Name>,
}

fn traffic_director() -> Sp<CmanMode> {
    Sp::synthetic(CmanMode::TrafficDirector)
}
