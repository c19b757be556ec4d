//! WebLogic Server: domains, admin server, clusters, servers, migration and leasing, stores,
//! session replication, data sources, Oracle homes.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::placement::yes;
use super::{Duration, Name, Sp};

/// Whether a domain serves traffic now or is a passive copy started on site switchover.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum DomainRole {
    Active,
    /// A replica of another domain, kept stopped in the standby site (active-passive).
    Passive,
}

/// A WebLogic domain.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Domain {
    pub name: Name,
    #[serde(default = "active")]
    pub role: Sp<DomainRole>,
    /// For a passive domain: the active domain it mirrors.
    pub replica_of: Option<Name>,
    /// WebLogic version, e.g. `14.1.2`.
    pub version: Option<Sp<String>>,
    pub admin_server: AdminServer,
    #[serde(default)]
    pub node_manager: NodeManager,
    #[serde(default)]
    pub oracle_home: OracleHome,
    /// Where the application archives and deployment plans live.
    pub artifacts: Option<Artifacts>,
    /// Zero Downtime Patching rolls patches over the domain's nodes.
    #[serde(default)]
    pub zdt_patching: Sp<bool>,
    #[serde(default)]
    pub clusters: Vec<Cluster>,
    #[serde(default)]
    pub data_sources: Vec<DataSource>,
    /// Persistent stores for JMS and other singletons.
    #[serde(default)]
    pub stores: Vec<Store>,
    /// Singleton services: JMS servers, path services, user-defined singletons.
    #[serde(default)]
    pub singletons: Vec<Singleton>,
    /// Copies of this domain in other sites (Oracle MAA disaster recovery): each is this
    /// domain with every name kept, its listen addresses host-name aliases that resolve in
    /// the replica's site to that site's own hosts.
    #[serde(default)]
    pub replicas: Vec<Replica>,
    /// Set by the resolver on the passive domain it makes from a [`Replica`]: the replica's
    /// site (the domain, cluster and server names carry it as `name@site`).
    #[serde(skip)]
    #[schemars(skip)]
    pub replica_site: Option<Name>,
}

/// A replica of a domain in a standby site: the same domain configuration (domain, cluster,
/// server, store and data-source names, TLOG prefixes), started there on site switchover.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Replica {
    /// The standby site.
    pub site: Name,
    /// Each host the domain uses (admin server, servers, dynamic-cluster hosts) → the host of
    /// `site` its name (the alias in the domain configuration) resolves to there.
    pub hosts: std::collections::BTreeMap<Name, Name>,
}

fn active() -> Sp<DomainRole> {
    Sp::synthetic(DomainRole::Active)
}

/// The Admin Server.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AdminServer {
    #[serde(default = "admin_name")]
    pub name: Name,
    pub host: Name,
    #[serde(default = "admin_port")]
    pub port: Sp<u16>,
    /// A floating (virtual) listen address that moves with the Admin Server on host failure.
    #[serde(default)]
    pub floating_address: Sp<bool>,
}

fn admin_name() -> Name {
    Sp::synthetic(super::Ident::new("AdminServer").unwrap_or_default())
}
fn admin_port() -> Sp<u16> {
    Sp::synthetic(7001)
}

/// Node Manager layout.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum NodeManagerScope {
    /// One Node Manager per host, serving every domain on it.
    PerHost,
    /// One Node Manager per domain and host (the default for domains created with the config wizard).
    PerDomain,
}

/// Node Manager type of connection.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum NodeManagerType {
    Ssl,
    Plain,
    Ssh,
}

/// Node Manager: restarts failed servers on the same machine; needed for migration.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NodeManager {
    #[serde(default = "yes")]
    pub enabled: Sp<bool>,
    #[serde(default = "nm_scope")]
    pub scope: Sp<NodeManagerScope>,
    #[serde(default = "nm_type")]
    pub r#type: Sp<NodeManagerType>,
    #[serde(default = "nm_port")]
    pub port: Sp<u16>,
}

impl Default for NodeManager {
    fn default() -> Self {
        NodeManager {
            enabled: yes(),
            scope: nm_scope(),
            r#type: nm_type(),
            port: nm_port(),
        }
    }
}
fn nm_scope() -> Sp<NodeManagerScope> {
    Sp::synthetic(NodeManagerScope::PerDomain)
}
fn nm_type() -> Sp<NodeManagerType> {
    Sp::synthetic(NodeManagerType::Ssl)
}
fn nm_port() -> Sp<u16> {
    Sp::synthetic(5556)
}

/// Oracle home layout.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum HomeLayout {
    /// One Oracle home per host: enables rolling (ZDT) patching.
    PerHost,
    /// One Oracle home on shared storage mounted by several hosts.
    Shared,
}

/// Where the WebLogic binaries live.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OracleHome {
    #[serde(default = "per_host")]
    pub layout: Sp<HomeLayout>,
    /// For a shared home: the storage system it is on.
    pub storage: Option<Name>,
}

impl Default for OracleHome {
    fn default() -> Self {
        OracleHome {
            layout: per_host(),
            storage: None,
        }
    }
}
fn per_host() -> Sp<HomeLayout> {
    Sp::synthetic(HomeLayout::PerHost)
}

/// How a domain's application artifacts reach its servers.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum ArtifactLayout {
    /// One copy on shared storage that every node of the domain mounts (`storage`).
    Shared,
    /// A copy on each node, kept the same as declared in `sync`.
    PerNode,
}

/// How per-node copies of the application artifacts are kept the same.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum ArtifactSync {
    /// WebLogic `stage` mode: the Admin Server copies each deployment to every target server.
    AdminStaging,
    /// A tool outside WebLogic copies them to every node (`external_stage` mode, a pipeline,
    /// rsync).
    External,
}

/// Where a domain's application archives (`.ear`, `.war`) and deployment plans live.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Artifacts {
    pub layout: Sp<ArtifactLayout>,
    /// For `shared`: the storage system holding them.
    pub storage: Option<Name>,
    /// For `per-node`: how the copies are kept the same.
    pub sync: Option<Sp<ArtifactSync>>,
}

/// Static or dynamic cluster.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum ClusterType {
    /// Servers declared one by one.
    Static,
    /// Servers generated from a server template (elastic).
    Dynamic,
}

/// A WebLogic cluster.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Cluster {
    pub name: Name,
    #[serde(default = "static_cluster")]
    pub r#type: Sp<ClusterType>,
    /// Managed servers of a static cluster.
    #[serde(default)]
    pub servers: Vec<Server>,
    /// Server template settings of a dynamic cluster.
    pub dynamic: Option<DynamicServers>,
    /// Server/service migration and the leasing that drives it.
    pub migration: Option<Migration>,
    /// Where the JTA transaction logs (TLOGs) are kept.
    pub transaction_log: Option<TransactionLog>,
    pub session_replication: Option<SessionReplication>,
    /// Coherence cluster this WebLogic cluster joins (managed Coherence, Coherence*Web).
    pub coherence: Option<Name>,
}

fn static_cluster() -> Sp<ClusterType> {
    Sp::synthetic(ClusterType::Static)
}

/// A managed server of a static cluster.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Server {
    pub name: Name,
    /// The host (WebLogic machine) it runs on.
    pub host: Name,
    #[serde(default = "server_port")]
    pub port: Sp<u16>,
}

fn server_port() -> Sp<u16> {
    Sp::synthetic(8001)
}

/// The servers a dynamic cluster creates, spread round-robin over its hosts.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DynamicServers {
    /// Number of dynamic servers (`DynamicClusterSize`).
    #[schemars(range(min = 1, max = 1024))]
    pub size: Sp<u32>,
    /// Machines the servers are spread over, in order.
    pub hosts: Vec<Name>,
    /// Server name prefix (`ServerNamePrefix`); servers are `<prefix>1`, `<prefix>2`, …
    pub name_prefix: Option<Name>,
    /// Listen port of every dynamic server (each on its own machine) or the base port.
    #[serde(default = "server_port")]
    pub port: Sp<u16>,
}

/// Whole-server or service migration.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum MigrationType {
    /// Migrate the singleton services (JMS, JTA) of a failed server: MAA's preference.
    Service,
    /// Restart the whole failed server on another machine.
    WholeServer,
}

/// Leasing basis (`MigrationBasis`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum LeasingBasis {
    /// Leases kept in a database table (`ACTIVE`): recommended for HA and DR.
    Database,
    /// In-memory leasing through the cluster master and Node Manager.
    Consensus,
}

/// Migration of singleton services and the leasing behind it.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Migration {
    #[serde(default = "service")]
    pub r#type: Sp<MigrationType>,
    /// `MigrationBasis`; database leasing is recommended by MAA.
    #[serde(default = "database")]
    pub leasing: Sp<LeasingBasis>,
    /// `DataSourceForAutomaticMigration`: the data source holding the leasing table.
    pub data_source: Option<Name>,
    #[serde(default)]
    pub fencing: Fencing,
}

fn service() -> Sp<MigrationType> {
    Sp::synthetic(MigrationType::Service)
}
fn database() -> Sp<LeasingBasis> {
    Sp::synthetic(LeasingBasis::Database)
}

/// Lease health checks: a server that cannot renew its lease for
/// `health_check_interval × periods_until_fencing` shuts itself down (is fenced).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Fencing {
    /// `HealthCheckIntervalMillis` (default 10s).
    #[serde(default = "hc_interval")]
    pub health_check_interval: Sp<Duration>,
    /// `HealthCheckPeriodsUntilFencing` (default 3; 6 on WebLogic 14+).
    #[serde(default = "hc_periods")]
    #[schemars(range(min = 2))]
    pub periods_until_fencing: Sp<u32>,
    /// `FencingGracePeriodMillis`: wait after declaring a server dead before migrating (default 30s).
    #[serde(default = "grace")]
    pub grace_period: Sp<Duration>,
}

impl Default for Fencing {
    fn default() -> Self {
        Fencing {
            health_check_interval: hc_interval(),
            periods_until_fencing: hc_periods(),
            grace_period: grace(),
        }
    }
}

impl Fencing {
    /// How long a server survives without reaching the leasing database.
    pub fn fencing_time(&self) -> Duration {
        Duration(
            self.health_check_interval
                .value
                .0
                .saturating_mul(u64::from(self.periods_until_fencing.value)),
        )
    }
}

fn hc_interval() -> Sp<Duration> {
    Sp::synthetic(Duration::secs(10))
}
fn hc_periods() -> Sp<u32> {
    Sp::synthetic(3)
}
fn grace() -> Sp<Duration> {
    Sp::synthetic(Duration::secs(30))
}

/// Kind of persistent store.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum StoreType {
    /// JDBC store in the database: protected by Data Guard, required for active-active/passive.
    Jdbc,
    /// File store: must be on shared, replicated storage.
    File,
}

/// Where a cluster's JTA transaction logs are kept.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TransactionLog {
    pub r#type: Sp<StoreType>,
    /// For JDBC TLOGs: the (non-XA) data source.
    pub data_source: Option<Name>,
    /// For file TLOGs: the storage system holding the default store.
    pub storage: Option<Name>,
    /// JTA migration policy (`manual`, `failure-recovery`, `shutdown-recovery`).
    #[serde(default = "manual")]
    pub migration: Sp<MigrationPolicy>,
}

/// A persistent store for JMS and other singletons.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Store {
    pub name: Name,
    pub r#type: Sp<StoreType>,
    /// The cluster it is targeted to (with its migratable targets).
    pub cluster: Name,
    /// For JDBC stores: the (non-XA) data source.
    pub data_source: Option<Name>,
    /// For file stores: the storage system holding the directory.
    pub storage: Option<Name>,
    /// For file stores: the directory on that storage.
    pub directory: Option<Sp<String>>,
}

/// Kind of singleton service.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum SingletonKind {
    JmsServer,
    PathService,
    /// A user-defined singleton service (`SingletonServiceMBean`).
    UserDefined,
}

/// `MigrationPolicy` of a migratable target.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum MigrationPolicy {
    /// No automatic migration (WebLogic's default).
    Manual,
    ExactlyOnce,
    FailureRecovery,
    ShutdownRecovery,
}

fn manual() -> Sp<MigrationPolicy> {
    Sp::synthetic(MigrationPolicy::Manual)
}

/// A singleton service in a cluster.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Singleton {
    pub name: Name,
    pub kind: Sp<SingletonKind>,
    pub cluster: Name,
    /// The persistent store it writes to (JMS servers).
    pub store: Option<Name>,
    /// Migration policy of its migratable target; `manual` means no automatic migration.
    #[serde(default = "manual")]
    pub migration: Sp<MigrationPolicy>,
}

/// HTTP session replication mode.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum SessionMode {
    /// In-memory replication to a secondary server: MAN / stretch clusters only.
    InMemory,
    /// JDBC session persistence: survives a site failover.
    Jdbc,
    /// Coherence*Web: large sessions, offloaded to a Coherence cluster.
    Coherence,
    /// No replication: sessions are lost with their server.
    None,
}

/// How HTTP sessions survive a server or site failure.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionReplication {
    pub mode: Sp<SessionMode>,
    /// For JDBC persistence: the data source.
    pub data_source: Option<Name>,
    /// Whether users may lose their session in a failover (declared business tolerance).
    #[serde(default)]
    pub loss_tolerated: Sp<bool>,
}

/// Kind of WebLogic data source.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum DataSourceType {
    /// Active GridLink: FAN, FCF, runtime load balancing, affinity, draining.
    Agl,
    /// Generic data source.
    Generic,
    /// Multi data source over generic data sources.
    Multi,
}

/// What a data source is used for (drives the generated settings).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum DataSourcePurpose {
    Application,
    Leasing,
    Jms,
    Tlog,
    Session,
}

/// A JDBC data source.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DataSource {
    pub name: Name,
    #[serde(default = "agl")]
    pub r#type: Sp<DataSourceType>,
    /// The database service it connects to.
    pub service: Name,
    /// Clusters it is targeted to.
    #[serde(default)]
    pub targets: Vec<Name>,
    #[serde(default = "application")]
    pub purpose: Sp<DataSourcePurpose>,
    /// `FanEnabled`: subscribe to FAN events over ONS.
    #[serde(default = "yes")]
    pub fan: Sp<bool>,
    /// JNDI name; defaults to `jdbc/<name>`.
    pub jndi_name: Option<Sp<String>>,
    /// A literal JDBC URL, when not generated from the model.
    pub url: Option<Sp<String>>,
    /// Connection pool size.
    pub max_capacity: Option<Sp<u32>>,
}

fn agl() -> Sp<DataSourceType> {
    Sp::synthetic(DataSourceType::Agl)
}
fn application() -> Sp<DataSourcePurpose> {
    Sp::synthetic(DataSourcePurpose::Application)
}
