//! Name indexes over a topology: where each host is, which servers a cluster has, which
//! databases offer a service. Built once by the resolver; queried everywhere else.

use std::sync::Arc;

use foldhash::{HashMap, HashMapExt};

use crate::diagnostic::{Diagnostic, Severity, SourceFile};
use crate::model::{ClusterType, Name, Sp, Topology};

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

/// Records definitions of one kind and reports duplicates.
pub(crate) struct Defs<'a> {
    pub kind: &'static str,
    pub seen: HashMap<&'a str, &'a Name>,
}

impl<'a> Defs<'a> {
    pub fn new(kind: &'static str) -> Self {
        Defs {
            kind,
            seen: HashMap::new(),
        }
    }

    pub fn define(
        &mut self,
        name: &'a Name,
        file: &Arc<SourceFile>,
        errors: &mut Vec<Diagnostic>,
    ) -> bool {
        if let Some(first) = self.seen.get(name.as_str()) {
            errors.push(
                Diagnostic::new(
                    "load/duplicate-name",
                    "duplicate-name",
                    Severity::Error,
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

impl Index {
    pub(crate) fn build(
        t: &Topology,
        file: &Arc<SourceFile>,
        errors: &mut Vec<Diagnostic>,
    ) -> Index {
        let mut ix = Index::default();
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
        ix.hosts.reserve(n_hosts);
        let n_clusters: usize = t.domains.iter().map(|d| d.clusters.len()).sum();
        ix.clusters.reserve(n_clusters);
        ix.servers.reserve(n_clusters);
        ix.ohs.reserve(t.ohs.len());
        ix.databases.reserve(t.databases.len());
        ix.domains.reserve(t.domains.len());
        for (si, site) in t.sites.iter().enumerate() {
            if sites.define(&site.name, file, errors) {
                ix.sites.insert(site.name.to_string(), si);
            }
            let region = site.region.as_ref().map(ToString::to_string);
            for zone in &site.zones {
                if zones.define(&zone.name, file, errors) {
                    ix.zones
                        .insert(zone.name.to_string(), site.name.to_string());
                }
                for host in &zone.hosts {
                    if hosts.define(&host.name, file, errors) {
                        ix.hosts.insert(
                            host.name.to_string(),
                            Placement {
                                site: site.name.to_string(),
                                zone: Some(zone.name.to_string()),
                                region: region.clone(),
                            },
                        );
                    }
                }
            }
            for host in &site.hosts {
                if hosts.define(&host.name, file, errors) {
                    ix.hosts.insert(
                        host.name.to_string(),
                        Placement {
                            site: site.name.to_string(),
                            zone: None,
                            region: region.clone(),
                        },
                    );
                }
            }
        }

        let mut storage = Defs::new("storage system");
        for s in &t.storage {
            if storage.define(&s.name, file, errors) {
                ix.storage.insert(s.name.to_string(), ());
            }
        }
        if let Some(aws) = &t.aws {
            for f in &aws.fsxn {
                if storage.define(&f.name, file, errors) {
                    ix.storage.insert(f.name.to_string(), ());
                }
            }
        }

        let mut ohs = Defs::new("OHS instance");
        for (i, o) in t.ohs.iter().enumerate() {
            if ohs.define(&o.name, file, errors) {
                ix.ohs.insert(o.name.to_string(), i);
            }
        }

        let mut domains = Defs::new("domain");
        let mut clusters = Defs::new("cluster");
        let mut servers = Defs::new("server");
        for (di, d) in t.domains.iter().enumerate() {
            if domains.define(&d.name, file, errors) {
                ix.domains.insert(d.name.to_string(), di);
            }
            for (ci, c) in d.clusters.iter().enumerate() {
                if !clusters.define(&c.name, file, errors) {
                    continue;
                }
                ix.clusters.insert(c.name.to_string(), (di, ci));
                let mut list = Vec::new();
                for s in &c.servers {
                    if servers.define(&s.name, file, errors) {
                        list.push(ServerRef {
                            name: s.name.to_string(),
                            host: s.host.clone(),
                            port: s.port.value,
                        });
                    }
                }
                if let (ClusterType::Dynamic, Some(dy)) = (c.r#type.value, &c.dynamic) {
                    let prefix = dy
                        .name_prefix
                        .as_ref()
                        .map_or_else(|| format!("{}_", c.name), ToString::to_string);
                    if !dy.hosts.is_empty() {
                        for n in 0..dy.size.value as usize {
                            let host = dy.hosts[n % dy.hosts.len()].clone();
                            list.push(ServerRef {
                                name: format!("{prefix}{}", n + 1),
                                host,
                                port: dy.port.value,
                            });
                        }
                    }
                }
                for s in &list {
                    ix.server_cluster.insert(s.name.clone(), c.name.to_string());
                }
                ix.servers.insert(c.name.to_string(), list);
            }
        }

        let mut coherence = Defs::new("Coherence cluster");
        for (i, c) in t.coherence.iter().enumerate() {
            if coherence.define(&c.name, file, errors) {
                ix.coherence.insert(c.name.to_string(), i);
            }
        }

        let mut dbs = Defs::new("database");
        for (i, db) in t.databases.iter().enumerate() {
            if dbs.define(&db.name, file, errors) {
                ix.databases.insert(db.name.to_string(), i);
            }
            let mut instances = Defs::new("instance");
            for inst in &db.instances {
                instances.define(&inst.name, file, errors);
            }
            let mut services = Defs::new("service");
            for s in &db.services {
                if services.define(&s.name, file, errors) {
                    ix.services
                        .entry(s.name.to_string())
                        .or_default()
                        .push(db.name.to_string());
                }
            }
        }

        let mut dg = Defs::new("Data Guard configuration");
        for (i, g) in t.data_guard.iter().enumerate() {
            dg.define(&g.name, file, errors);
            for db in std::iter::once(&g.primary).chain(g.standbys.iter().map(|s| &s.database)) {
                ix.data_guard_of.entry(db.to_string()).or_insert(i);
            }
        }
        let mut gg = Defs::new("GoldenGate replication");
        for (i, g) in t.goldengate.iter().enumerate() {
            if gg.define(&g.name, file, errors) {
                ix.goldengate.insert(g.name.to_string(), i);
            }
        }
        let mut cman = Defs::new("CMAN");
        for (i, c) in t.cman.iter().enumerate() {
            if cman.define(&c.name, file, errors) {
                ix.cman.insert(c.name.to_string(), i);
            }
        }
        if let Some(gds) = &t.gds {
            let mut gs = Defs::new("global service");
            for s in &gds.global_services {
                if gs.define(&s.name, file, errors) {
                    ix.global_services.insert(s.name.to_string(), ());
                }
            }
        }
        let mut clients = Defs::new("client");
        for c in &t.clients {
            clients.define(&c.name, file, errors);
        }
        ix
    }

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
