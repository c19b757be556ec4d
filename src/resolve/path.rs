//! Object paths used in findings, baselines and suppressions (`domains[d].clusters[c]`).
//!
//! Users commit these strings in baselines: a change to a format is a breaking change.
//! Every format is declared once, in the [`object_paths!`] table below, which makes both the
//! function that builds a path of that kind and its [`ObjectKind`] (for the snapshot test
//! that lists every format, `tests/object_identity.rs`).

use std::fmt::{self, Display};

/// An object path and its kind. Only this module makes one (a function per kind), so a
/// finding ([`crate::rules::Ctx::finding`]) or a graph node cannot name an object by a string
/// built elsewhere; `tests/object_identity.rs` checks that every one the rules and the graph
/// make names an object of the topology's table ([`super::Objects`]).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectPath {
    kind: ObjectKind,
    path: String,
}

impl ObjectPath {
    pub fn kind(&self) -> ObjectKind {
        self.kind
    }

    pub fn as_str(&self) -> &str {
        &self.path
    }

    pub fn into_string(self) -> String {
        self.path
    }
}

impl Display for ObjectPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.path)
    }
}

impl From<ObjectPath> for String {
    fn from(p: ObjectPath) -> String {
        p.path
    }
}

/// Declares each object kind: the function that builds its path, the kind's name, its
/// parameters and the path's format (a `format!` string over those parameters).
macro_rules! object_paths {
    ($( $(#[$doc:meta])* $fun:ident, $kind:ident ( $($arg:ident),* ) => $fmt:literal; )*) => {
        /// Every kind of object a finding, suppression or baseline names.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum ObjectKind {
            $( $(#[$doc])* $kind, )*
        }

        impl ObjectKind {
            /// Every kind, in declaration order.
            pub const ALL: &'static [ObjectKind] = &[$(ObjectKind::$kind),*];

            /// The format of this kind's path, with its parameters named.
            pub fn format(self) -> &'static str {
                match self {
                    $(ObjectKind::$kind => $fmt,)*
                }
            }

            /// A path of this kind whose every parameter is the parameter's name.
            pub fn example(self) -> String {
                match self {
                    $(ObjectKind::$kind => $fun($(stringify!($arg)),*).into_string(),)*
                }
            }
        }

        $(
            $(#[$doc])*
            pub fn $fun($($arg: impl Display),*) -> ObjectPath {
                ObjectPath {
                    kind: ObjectKind::$kind,
                    path: format!($fmt),
                }
            }
        )*
    };
}

object_paths! {
    /// The topology as a whole.
    topology, Topology() => "topology";
    /// The topology's declared architecture (`architecture:`).
    architecture, Architecture() => "architecture";
    /// The recovery objective of one kind of disruption (`objectives.site`).
    objective, Objective(disruption) => "objectives.{disruption}";
    // Placement.
    site, Site(site) => "sites[{site}]";
    /// The region a site is in (a region is named by its first site).
    site_region, SiteRegion(site) => "sites[{site}].region";
    zone, Zone(site, zone) => "sites[{site}].zones[{zone}]";
    host, Host(host) => "hosts[{host}]";
    /// The network link between two sites.
    link, Link(a, b) => "links[{a}-{b}]";
    // Storage.
    storage, Storage(storage) => "storage[{storage}]";
    storage_replication, StorageReplication(storage) => "storage[{storage}].replication";
    storage_zones, StorageZones(storage) => "storage[{storage}].zones";
    // AWS.
    fsxn, Fsxn(fsxn) => "aws.fsxn[{fsxn}]";
    fsxn_zone, FsxnZone(fsxn, zone) => "aws.fsxn[{fsxn}].zones[{zone}]";
    auto_scaling_group, AutoScalingGroup(group) => "aws.auto_scaling_groups[{group}]";
    auto_scaling_group_zone, AutoScalingGroupZone(group, zone) =>
        "aws.auto_scaling_groups[{group}].zones[{zone}]";
    backup_plan, BackupPlan(plan) => "aws.backup_plans[{plan}]";
    launch_template, LaunchTemplate(template) => "aws.launch_templates[{template}]";
    security_group, SecurityGroup(group) => "aws.security_groups[{group}]";
    ssm_parameter, SsmParameter(parameter) => "aws.ssm_parameters[{parameter}]";
    ami_pipeline, AmiPipeline() => "aws.ami_pipeline";
    // Front end.
    global_load_balancer, GlobalLoadBalancer() => "global_load_balancer";
    load_balancer, LoadBalancer(lb) => "load_balancers[{lb}]";
    load_balancer_targets, LoadBalancerTargets(lb) => "load_balancers[{lb}].targets";
    ohs, Ohs(ohs) => "ohs[{ohs}]";
    ohs_route, OhsRoute(ohs, path) => "ohs[{ohs}].routes[{path}]";
    /// A web path over every OHS that routes it (an end-to-end service).
    web_path, WebPath(path) => "ohs[*].routes[{path}]";
    // WebLogic.
    domain, Domain(domain) => "domains[{domain}]";
    cluster, Cluster(domain, cluster) => "domains[{domain}].clusters[{cluster}]";
    cluster_servers, ClusterServers(domain, cluster) =>
        "domains[{domain}].clusters[{cluster}].servers";
    server, Server(domain, cluster, server) =>
        "domains[{domain}].clusters[{cluster}].servers[{server}]";
    transaction_log, TransactionLog(domain, cluster) =>
        "domains[{domain}].clusters[{cluster}].transaction_log";
    singleton, Singleton(domain, singleton) => "domains[{domain}].singletons[{singleton}]";
    data_source, DataSource(domain, data_source) =>
        "domains[{domain}].data_sources[{data_source}]";
    store, Store(domain, store) => "domains[{domain}].stores[{store}]";
    oracle_home, OracleHome(domain) => "domains[{domain}].oracle_home";
    admin_server, AdminServer(domain) => "domains[{domain}].admin_server";
    // Coherence.
    coherence, Coherence(coherence) => "coherence[{coherence}]";
    coherence_member, CoherenceMember(coherence, host) => "coherence[{coherence}].members[{host}]";
    coherence_cache, CoherenceCache(coherence, cache) => "coherence[{coherence}].caches[{cache}]";
    hotcache, Hotcache(coherence) => "coherence[{coherence}].hotcache";
    // Databases.
    database, Database(database) => "databases[{database}]";
    instance, Instance(database, instance) => "databases[{database}].instances[{instance}]";
    instances, Instances(database) => "databases[{database}].instances";
    database_service, DatabaseService(database, service) =>
        "databases[{database}].services[{service}]";
    /// A database service as clients see it, offered by one or more databases.
    service, Service(service) => "services[{service}]";
    data_guard, DataGuard(config) => "data_guard[{config}]";
    observer, Observer(config, observer) => "data_guard[{config}].observers[{observer}]";
    far_sync, FarSync(config, far_sync) => "data_guard[{config}].far_syncs[{far_sync}]";
    goldengate, GoldenGate(replication) => "goldengate[{replication}]";
    goldengate_schema, GoldenGateSchema(replication, schema) =>
        "goldengate[{replication}].schemas[{schema}]";
    gds_region, GdsRegion(region) => "gds.regions[{region}]";
    gsm, Gsm(region, gsm) => "gds.regions[{region}].gsms[{gsm}]";
    global_service, GlobalService(service) => "gds.global_services[{service}]";
    global_service_gsms, GlobalServiceGsms(service) => "gds.global_services[{service}].gsms";
    gds_pool, GdsPool(pool) => "gds.pools[{pool}]";
    cman, Cman(cman) => "cman[{cman}]";
    cman_host, CmanHost(cman, host) => "cman[{cman}].hosts[{host}]";
    // Clients.
    client, Client(client) => "clients[{client}]";
    // Configuration (`maa.yaml`).
    /// An entry of the configuration's `suppress:` list, by its position.
    suppression, Suppression(index) => "suppress[{index}]";
}
