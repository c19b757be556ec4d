//! Name indexes over a topology: where each host is, which servers a cluster has, which
//! databases offer a service. Built once by the resolver; queried everywhere else.

use std::sync::Arc;

use foldhash::{HashMap, HashMapExt};

use crate::diagnostic::{Code, Diagnostic, SourceFile};
use crate::model::{Cluster, ClusterType, Ident, Name, Sp, Topology};

/// Where a host is placed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    pub site: String,
    pub zone: Option<String>,
    pub region: Option<String>,
}

/// A managed server of a cluster (declared, or generated for a dynamic cluster).
#[derive(Debug, Clone)]
pub struct ServerRef {
    pub name: String,
    pub host: Name,
    pub port: u16,
}

/// Name → value, hashed: the index is built and queried once per element, and ordered
/// maps of 100k names made both superlinear. Nothing may depend on its iteration order:
/// list names through [`sorted_names`].
pub type NameMap<V> = HashMap<String, V>;

/// The names of a map, sorted (for messages, output and anything else that must not
/// depend on hashing).
pub fn sorted_names<V>(map: &NameMap<V>) -> Vec<&str> {
    let mut v: Vec<&str> = map.keys().map(String::as_str).collect();
    v.sort_unstable();
    v
}

/// Name indexes. Names are unique per kind (see `docs/topology-format.md`).
#[derive(Debug, Default)]
pub struct Index {
    pub sites: NameMap<usize>,
    pub zones: NameMap<String>,
    pub hosts: NameMap<Placement>,
    /// Storage systems (including FSx for ONTAP file systems).
    pub storage: NameMap<()>,
    /// Cluster name → (domain index, cluster index).
    pub clusters: NameMap<(usize, usize)>,
    /// Cluster name → its servers, in order.
    pub servers: NameMap<Vec<ServerRef>>,
    /// Server name → cluster name.
    pub server_cluster: NameMap<String>,
    pub domains: NameMap<usize>,
    pub coherence: NameMap<usize>,
    pub databases: NameMap<usize>,
    /// Service name → databases offering it (a role-based service exists on primary and standbys).
    pub services: NameMap<Vec<String>>,
    /// Global (GDS) services.
    pub global_services: NameMap<()>,
    pub ohs: NameMap<usize>,
    pub cman: NameMap<usize>,
    pub goldengate: NameMap<usize>,
    /// Database name → Data Guard configuration index, for primaries and standbys.
    pub data_guard_of: NameMap<usize>,
}

impl Index {
    /// What else `name` is declared as (for "`x` is a cluster, not a database service"):
    /// the kinds whose names hold it, in a fixed order.
    pub fn kinds_named(&self, name: &str) -> Vec<&'static str> {
        let kinds: [(&'static str, bool); 14] = [
            ("site", self.sites.contains_key(name)),
            ("zone", self.zones.contains_key(name)),
            ("host", self.hosts.contains_key(name)),
            ("storage system", self.storage.contains_key(name)),
            ("cluster", self.clusters.contains_key(name)),
            ("server", self.server_cluster.contains_key(name)),
            ("domain", self.domains.contains_key(name)),
            ("Coherence cluster", self.coherence.contains_key(name)),
            ("database", self.databases.contains_key(name)),
            ("database service", self.services.contains_key(name)),
            ("global service", self.global_services.contains_key(name)),
            ("OHS instance", self.ohs.contains_key(name)),
            ("CMAN instance", self.cman.contains_key(name)),
            ("GoldenGate deployment", self.goldengate.contains_key(name)),
        ];
        kinds
            .iter()
            .filter(|(_, has)| *has)
            .map(|(k, _)| *k)
            .collect()
    }
}

/// Records definitions of one kind and reports duplicates.
pub(crate) struct Defs<'a> {
    pub kind: &'static str,
    pub seen: HashMap<&'a str, &'a Name>,
}

impl<'a> Defs<'a> {
    pub(crate) fn new(kind: &'static str) -> Self {
        Defs {
            kind,
            seen: HashMap::new(),
        }
    }

    pub(crate) fn define(
        &mut self,
        name: &'a Name,
        file: &Arc<SourceFile>,
        errors: &mut Vec<Diagnostic>,
    ) -> bool {
        if let Some(first) = self.seen.get(name.as_str()) {
            errors.push(
                Diagnostic::error(
                    Code::LoadDuplicateName,
                    file,
                    name.span,
                    format!("{} `{}` is declared twice", self.kind, name),
                )
                .with_label("declared again here")
                .with_extra(first.span, "first declared here")
                .with_help(format!("give each {} a unique name", self.kind)),
            );
            false
        } else {
            self.seen.insert(name.as_str(), name);
            true
        }
    }
}

/// Where duplicate names are reported while the index is built.
struct Report<'r> {
    file: &'r Arc<SourceFile>,
    errors: &'r mut Vec<Diagnostic>,
}

impl<'a> Defs<'a> {
    /// [`Defs::define`], reporting to `r`.
    fn add(&mut self, name: &'a Name, r: &mut Report<'_>) -> bool {
        self.define(name, r.file, r.errors)
    }
}

impl Index {
    /// Indexes every name of the topology, section by section, reporting names declared
    /// twice (in this order).
    pub(crate) fn build(
        t: &Topology,
        file: &Arc<SourceFile>,
        errors: &mut Vec<Diagnostic>,
    ) -> Index {
        let mut ix = Index::default();
        let r = &mut Report { file, errors };
        ix.add_placement(t, r);
        ix.add_storage(t, r);
        ix.add_ohs(t, r);
        ix.add_weblogic(t, r);
        let mut coherence = Defs::new("Coherence cluster");
        for (i, c) in t.coherence.iter().enumerate() {
            if coherence.add(&c.name, r) {
                ix.coherence.insert(c.name.to_string(), i);
            }
        }
        ix.add_databases(t, r);
        ix.add_replication(t, r);
        let mut cman = Defs::new("CMAN");
        for (i, c) in t.cman.iter().enumerate() {
            if cman.add(&c.name, r) {
                ix.cman.insert(c.name.to_string(), i);
            }
        }
        if let Some(gds) = &t.gds {
            let mut gs = Defs::new("global service");
            for s in &gds.global_services {
                if gs.add(&s.name, r) {
                    ix.global_services.insert(s.name.to_string(), ());
                }
            }
        }
        let mut clients = Defs::new("client");
        for c in &t.clients {
            clients.add(&c.name, r);
        }
        ix
    }

    /// Sites, zones and hosts (with where each host is).
    fn add_placement(&mut self, t: &Topology, r: &mut Report<'_>) {
        let mut sites = Defs::new("site");
        let mut zones = Defs::new("zone");
        let mut hosts = Defs::new("host");
        // The largest maps are sized up front instead of rehashed as they grow.
        let n_hosts: usize = t
            .sites
            .iter()
            .map(|s| s.hosts.len() + s.zones.iter().map(|z| z.hosts.len()).sum::<usize>())
            .sum();
        hosts.seen.reserve(n_hosts);
        self.hosts.reserve(n_hosts);
        for (si, site) in t.sites.iter().enumerate() {
            if sites.add(&site.name, r) {
                self.sites.insert(site.name.to_string(), si);
            }
            let region = site.region.as_ref().map(ToString::to_string);
            let placement = |zone: Option<&Name>| Placement {
                site: site.name.to_string(),
                zone: zone.map(ToString::to_string),
                region: region.clone(),
            };
            for zone in &site.zones {
                if zones.add(&zone.name, r) {
                    self.zones
                        .insert(zone.name.to_string(), site.name.to_string());
                }
                for host in &zone.hosts {
                    if hosts.add(&host.name, r) {
                        self.hosts
                            .insert(host.name.to_string(), placement(Some(&zone.name)));
                    }
                }
            }
            for host in &site.hosts {
                if hosts.add(&host.name, r) {
                    self.hosts.insert(host.name.to_string(), placement(None));
                }
            }
        }
    }

    /// Storage systems, FSx for ONTAP file systems included (one namespace).
    fn add_storage(&mut self, t: &Topology, r: &mut Report<'_>) {
        let mut storage = Defs::new("storage system");
        let fsxn = t.aws.iter().flat_map(|aws| &aws.fsxn).map(|f| &f.name);
        for name in t.storage.iter().map(|s| &s.name).chain(fsxn) {
            if storage.add(name, r) {
                self.storage.insert(name.to_string(), ());
            }
        }
    }

    fn add_ohs(&mut self, t: &Topology, r: &mut Report<'_>) {
        self.ohs.reserve(t.ohs.len());
        let mut ohs = Defs::new("OHS instance");
        for (i, o) in t.ohs.iter().enumerate() {
            if ohs.add(&o.name, r) {
                self.ohs.insert(o.name.to_string(), i);
            }
        }
    }

    /// Domains, clusters and their servers (a dynamic cluster's generated too).
    fn add_weblogic(&mut self, t: &Topology, r: &mut Report<'_>) {
        let n_clusters: usize = t.domains.iter().map(|d| d.clusters.len()).sum();
        self.clusters.reserve(n_clusters);
        self.servers.reserve(n_clusters);
        self.domains.reserve(t.domains.len());
        let mut domains = Defs::new("domain");
        let mut clusters = Defs::new("cluster");
        let mut servers = Defs::new("server");
        for (di, d) in t.domains.iter().enumerate() {
            if domains.add(&d.name, r) {
                self.domains.insert(d.name.to_string(), di);
            }
            for (ci, c) in d.clusters.iter().enumerate() {
                if !clusters.add(&c.name, r) {
                    continue;
                }
                self.clusters.insert(c.name.to_string(), (di, ci));
                let list = cluster_servers(c, &mut servers, r);
                for s in &list {
                    self.server_cluster
                        .insert(s.name.clone(), c.name.to_string());
                }
                self.servers.insert(c.name.to_string(), list);
            }
        }
    }

    /// Databases (their instances and services named once each).
    fn add_databases(&mut self, t: &Topology, r: &mut Report<'_>) {
        self.databases.reserve(t.databases.len());
        let mut dbs = Defs::new("database");
        for (i, db) in t.databases.iter().enumerate() {
            if dbs.add(&db.name, r) {
                self.databases.insert(db.name.to_string(), i);
            }
            let mut instances = Defs::new("instance");
            for inst in &db.instances {
                instances.add(&inst.name, r);
            }
            let mut services = Defs::new("service");
            for s in &db.services {
                if services.add(&s.name, r) {
                    self.services
                        .entry(s.name.to_string())
                        .or_default()
                        .push(db.name.to_string());
                }
            }
        }
    }

    /// Data Guard configurations (by database) and GoldenGate replications.
    fn add_replication(&mut self, t: &Topology, r: &mut Report<'_>) {
        let mut dg = Defs::new("Data Guard configuration");
        for (i, g) in t.data_guard.iter().enumerate() {
            dg.add(&g.name, r);
            for db in std::iter::once(&g.primary).chain(g.standbys.iter().map(|s| &s.database)) {
                self.data_guard_of.entry(db.to_string()).or_insert(i);
            }
        }
        let mut gg = Defs::new("GoldenGate replication");
        for (i, g) in t.goldengate.iter().enumerate() {
            if gg.add(&g.name, r) {
                self.goldengate.insert(g.name.to_string(), i);
            }
        }
    }
}

/// The servers of cluster `c`: declared (each server name once across the topology), then
/// generated for a dynamic cluster (`size` servers spread over its hosts in turn).
fn cluster_servers<'a>(
    c: &'a Cluster,
    servers: &mut Defs<'a>,
    r: &mut Report<'_>,
) -> Vec<ServerRef> {
    let mut list = Vec::new();
    for s in &c.servers {
        if servers.add(&s.name, r) {
            list.push(ServerRef {
                name: s.name.to_string(),
                host: s.host.clone(),
                port: s.port.value,
            });
        }
    }
    if let (ClusterType::Dynamic, Some(dy)) = (c.r#type.value, &c.dynamic) {
        // A replica's generated servers keep the active's names, qualified by its site.
        let site = c.name.split_once('@').map_or("", |(_, s)| s);
        let prefix = dy
            .name_prefix
            .as_ref()
            .map_or_else(|| format!("{}_", c.name.plain()), ToString::to_string);
        if !dy.hosts.is_empty() {
            for n in 0..dy.size.value as usize {
                let host = dy.hosts[n % dy.hosts.len()].clone();
                let name = format!("{prefix}{}", n + 1);
                list.push(ServerRef {
                    name: if site.is_empty() {
                        name
                    } else {
                        Ident::qualified(&name, site).to_string()
                    },
                    host,
                    port: dy.port.value,
                });
            }
        }
    }
    list
}

impl Index {
    /// The placement of a host (always present once resolved).
    pub fn placement(&self, host: &str) -> Option<&Placement> {
        self.hosts.get(host)
    }

    /// The site a host is in.
    pub fn site_of(&self, host: &str) -> Option<&str> {
        self.hosts.get(host).map(|p| p.site.as_str())
    }

    /// The servers of a cluster.
    pub fn servers_of(&self, cluster: &str) -> &[ServerRef] {
        self.servers.get(cluster).map_or(&[], Vec::as_slice)
    }
}

/// Helper for value spans in messages.
pub fn names(list: &[Name]) -> Vec<&str> {
    list.iter().map(|n| n.as_str()).collect()
}

/// The written span of an optional value, or a fallback.
pub fn span_or<T>(v: &Option<Sp<T>>, fallback: miette::SourceSpan) -> miette::SourceSpan {
    v.as_ref().map_or(fallback, |s| s.span)
}
