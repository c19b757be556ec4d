//! The table of a topology's named objects: each once, with its kind, name, object path
//! (the baseline key, made by [`super::path`]) and YAML span, and where it is in the
//! topology. Custom-rule scopes are this table's objects of one kind.
//!
//! Every object a finding or a graph node can name is here, once: the named elements of the
//! topology's lists, and the parts of them that findings name on their own (a domain's
//! `admin_server`, a cluster's `servers` as a group, a region by its first site…).
//! `tests/object_identity.rs` checks that every finding and every graph node of the
//! fixtures and shipped topologies names an object of this table.
//!
//! Built on first use ([`super::Model::objects`]): a check without custom rules pays
//! nothing for it.

use std::collections::BTreeMap;

use foldhash::HashMap;
use miette::SourceSpan;

use super::path::{self, ObjectKind, ObjectPath};
use crate::model::{Name, Topology};

/// An object of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectId(u32);

/// Where an object is in the topology: indexes into its lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Loc {
    Site(usize),
    /// A host of a site (`zone: None`) or of one of its zones.
    Host {
        site: usize,
        zone: Option<usize>,
        host: usize,
    },
    Domain(usize),
    Cluster {
        domain: usize,
        cluster: usize,
    },
    /// A server of a cluster, by its position in the resolved server list (which holds a
    /// dynamic cluster's generated servers too).
    Server {
        domain: usize,
        cluster: usize,
        server: usize,
    },
    Database(usize),
    DatabaseService {
        database: usize,
        service: usize,
    },
    DataGuard(usize),
    GoldenGate(usize),
    Coherence(usize),
    Ohs(usize),
    LoadBalancer(usize),
    Cman(usize),
    Client(usize),
    /// An object no custom-rule scope checks (a part of another object, an AWS resource…).
    Other,
}

/// One named object.
#[derive(Debug, Clone)]
pub struct Object {
    pub kind: ObjectKind,
    /// Its own name (the last part of its path).
    pub name: String,
    /// The object path findings, suppressions and baselines name it by.
    pub path: String,
    /// Its YAML span (its name, or what stands for it when the name was generated).
    pub span: SourceSpan,
    pub at: Loc,
}

/// Every object of a topology: first the named elements custom rules scope (in topology
/// order, kind by kind), then the parts and other objects findings and graph nodes name.
#[derive(Debug, Clone, Default)]
pub struct Objects {
    list: Vec<Object>,
    /// Path → position in `list`.
    by_path: HashMap<String, u32>,
}

impl Objects {
    pub fn get(&self, id: ObjectId) -> Option<&Object> {
        self.list.get(id.0 as usize)
    }

    /// Every object with its id, in topology order.
    pub fn iter(&self) -> impl Iterator<Item = (ObjectId, &Object)> {
        // The table is built from lists that fit in memory; ids past u32 are not reached.
        self.list
            .iter()
            .enumerate()
            .map(|(i, o)| (ObjectId(u32::try_from(i).unwrap_or(u32::MAX)), o))
    }

    /// The objects of one kind, in topology order.
    pub fn of_kind(&self, kind: ObjectKind) -> impl Iterator<Item = &Object> {
        self.list.iter().filter(move |o| o.kind == kind)
    }

    /// The object a path names.
    pub fn find(&self, path: &str) -> Option<ObjectId> {
        self.by_path.get(path).map(|&i| ObjectId(i))
    }

    /// Adds an object; a path already in the table keeps its first object (the graph, too,
    /// makes one node of a name met twice, such as a region named by its first site).
    fn push(&mut self, name: &str, path: ObjectPath, span: SourceSpan, at: Loc) {
        if self.by_path.contains_key(path.as_str()) {
            return;
        }
        // The table is built from lists that fit in memory; ids past u32 are not reached.
        let id = u32::try_from(self.list.len()).unwrap_or(u32::MAX);
        let kind = path.kind();
        let path = path.into_string();
        self.by_path.insert(path.clone(), id);
        self.list.push(Object {
            kind,
            name: name.to_owned(),
            path,
            span,
            at,
        });
    }

    /// An object no custom-rule scope checks.
    fn part(&mut self, name: &impl std::fmt::Display, path: ObjectPath, span: SourceSpan) {
        self.push(&name.to_string(), path, span, Loc::Other);
    }

    /// One object per element of a list of named elements (`at` places the i-th).
    fn list<'t>(
        &mut self,
        kind: ObjectKind,
        names: impl Iterator<Item = &'t Name>,
        path: fn(&Name) -> ObjectPath,
        at: fn(usize) -> Loc,
    ) {
        for (i, n) in names.enumerate() {
            let p = path(n);
            debug_assert_eq!(p.kind(), kind);
            self.push(n.as_str(), p, n.span, at(i));
        }
    }

    /// The table of a resolved topology (`servers_of` lists a cluster's servers).
    pub fn build<'t>(
        t: &'t Topology,
        servers_of: impl Fn(&str) -> &'t [super::ServerRef],
    ) -> Objects {
        let mut o = Objects::default();
        o.placement(t);
        o.weblogic(t, servers_of);
        o.databases(t);
        o.others(t);
        o.parts(t);
        o.weblogic_parts(t);
        o.database_parts(t);
        o.aws(t);
        o
    }

    fn placement(&mut self, t: &Topology) {
        self.list(
            ObjectKind::Site,
            t.sites.iter().map(|x| &x.name),
            |n| path::site(n),
            Loc::Site,
        );
        for (si, s) in t.sites.iter().enumerate() {
            let zoned = s.zones.iter().enumerate().flat_map(|(zi, z)| {
                z.hosts
                    .iter()
                    .enumerate()
                    .map(move |(hi, h)| (Some(zi), hi, h))
            });
            let hosts = s.hosts.iter().enumerate().map(|(hi, h)| (None, hi, h));
            for (zone, host, h) in hosts.chain(zoned) {
                let at = Loc::Host {
                    site: si,
                    zone,
                    host,
                };
                self.push(h.name.as_str(), path::host(&h.name), h.name.span, at);
            }
        }
    }

    fn weblogic<'t>(
        &mut self,
        t: &'t Topology,
        servers_of: impl Fn(&str) -> &'t [super::ServerRef],
    ) {
        self.list(
            ObjectKind::Domain,
            t.domains.iter().map(|x| &x.name),
            |n| path::domain(n),
            Loc::Domain,
        );
        for (di, d) in t.domains.iter().enumerate() {
            for (ci, c) in d.clusters.iter().enumerate() {
                let at = Loc::Cluster {
                    domain: di,
                    cluster: ci,
                };
                let p = path::cluster(&d.name, &c.name);
                self.push(c.name.as_str(), p, c.name.span, at);
            }
        }
        for (di, d) in t.domains.iter().enumerate() {
            for (ci, c) in d.clusters.iter().enumerate() {
                for (i, s) in servers_of(c.name.as_str()).iter().enumerate() {
                    // A generated server has no name of its own in the YAML.
                    let span = if s.host.is_written() {
                        s.host.span
                    } else {
                        c.name.span
                    };
                    let at = Loc::Server {
                        domain: di,
                        cluster: ci,
                        server: i,
                    };
                    let p = path::server(&d.name, &c.name, &s.name);
                    self.push(&s.name, p, span, at);
                }
            }
        }
    }

    fn databases(&mut self, t: &Topology) {
        self.list(
            ObjectKind::Database,
            t.databases.iter().map(|x| &x.name),
            |n| path::database(n),
            Loc::Database,
        );
        for (i, db) in t.databases.iter().enumerate() {
            for (si, s) in db.services.iter().enumerate() {
                let at = Loc::DatabaseService {
                    database: i,
                    service: si,
                };
                let p = path::database_service(&db.name, &s.name);
                self.push(s.name.as_str(), p, s.name.span, at);
            }
        }
        self.list(
            ObjectKind::DataGuard,
            t.data_guard.iter().map(|x| &x.name),
            |n| path::data_guard(n),
            Loc::DataGuard,
        );
        self.list(
            ObjectKind::GoldenGate,
            t.goldengate.iter().map(|x| &x.name),
            |n| path::goldengate(n),
            Loc::GoldenGate,
        );
    }

    fn others(&mut self, t: &Topology) {
        self.list(
            ObjectKind::Coherence,
            t.coherence.iter().map(|x| &x.name),
            |n| path::coherence(n),
            Loc::Coherence,
        );
        self.list(
            ObjectKind::Ohs,
            t.ohs.iter().map(|x| &x.name),
            |n| path::ohs(n),
            Loc::Ohs,
        );
        self.list(
            ObjectKind::LoadBalancer,
            t.load_balancers.iter().map(|x| &x.name),
            |n| path::load_balancer(n),
            Loc::LoadBalancer,
        );
        self.list(
            ObjectKind::Cman,
            t.cman.iter().map(|x| &x.name),
            |n| path::cman(n),
            Loc::Cman,
        );
        self.list(
            ObjectKind::Client,
            t.clients.iter().map(|x| &x.name),
            |n| path::client(n),
            Loc::Client,
        );
    }

    /// The topology, its placement parts and its front end.
    fn parts(&mut self, t: &Topology) {
        self.part(&t.name, path::topology(), t.name.span);
        self.part(&"architecture", path::architecture(), t.architecture.span);
        for d in crate::model::Disruption::ALL {
            if let Some(o) = t.objectives.get(d) {
                self.part(&d.as_str(), path::objective(d.as_str()), o.rto.span);
            }
        }
        for s in &t.sites {
            if let Some(r) = &s.region {
                self.part(r, path::site_region(&s.name), r.span);
            }
            for z in &s.zones {
                self.part(&z.name, path::zone(&s.name, &z.name), z.name.span);
            }
        }
        for l in &t.links {
            if let [a, b] = l.between.value.as_slice() {
                // A link is named by its sites in order, whichever way it is written.
                let (a, b) = if a.as_str() <= b.as_str() {
                    (a, b)
                } else {
                    (b, a)
                };
                self.part(&format!("{a}-{b}"), path::link(a, b), l.between.span);
            }
        }
        for st in &t.storage {
            self.part(&st.name, path::storage(&st.name), st.name.span);
            if let Some(r) = &st.replication {
                self.part(&st.name, path::storage_replication(&st.name), r.to.span);
            }
            if !st.zones.is_empty() {
                self.part(&st.name, path::storage_zones(&st.name), st.name.span);
            }
        }
        // The slot is an object even when empty: "there is no global load balancer" is a
        // finding on it (FE001).
        match &t.global_load_balancer {
            Some(g) => self.part(&g.name, path::global_load_balancer(), g.name.span),
            None => self.part(
                &"global_load_balancer",
                path::global_load_balancer(),
                t.architecture.span,
            ),
        }
        for lb in &t.load_balancers {
            self.part(
                &lb.name,
                path::load_balancer_targets(&lb.name),
                lb.name.span,
            );
        }
        let mut web_paths = BTreeMap::new();
        for o in &t.ohs {
            for r in &o.routes {
                self.part(
                    &r.path.value,
                    path::ohs_route(&o.name, &r.path.value),
                    r.path.span,
                );
                web_paths
                    .entry(r.path.value.as_str())
                    .or_insert(r.path.span);
            }
        }
        for (p, span) in web_paths {
            self.part(&p, path::web_path(p), span);
        }
    }

    /// The parts of domains and clusters findings name.
    fn weblogic_parts(&mut self, t: &Topology) {
        for d in &t.domains {
            let n = &d.name;
            self.part(n, path::admin_server(n), d.admin_server.name.span);
            self.part(n, path::oracle_home(n), n.span);
            for c in &d.clusters {
                self.part(&c.name, path::cluster_servers(n, &c.name), c.name.span);
                self.part(&c.name, path::transaction_log(n, &c.name), c.name.span);
            }
            for x in &d.singletons {
                self.part(&x.name, path::singleton(n, &x.name), x.name.span);
            }
            for x in &d.data_sources {
                self.part(&x.name, path::data_source(n, &x.name), x.name.span);
            }
            for x in &d.stores {
                self.part(&x.name, path::store(n, &x.name), x.name.span);
            }
        }
        for c in &t.coherence {
            let n = &c.name;
            for m in &c.members {
                self.part(&m.host, path::coherence_member(n, &m.host), m.host.span);
            }
            for x in &c.caches {
                self.part(
                    &x.name.value,
                    path::coherence_cache(n, &x.name.value),
                    x.name.span,
                );
            }
            if c.hotcache.is_some() {
                self.part(n, path::hotcache(n), n.span);
            }
        }
    }

    /// The parts of databases, replication, GDS and CMAN findings name, and services as
    /// clients see them.
    fn database_parts(&mut self, t: &Topology) {
        let mut services = BTreeMap::new();
        for db in &t.databases {
            let n = &db.name;
            for i in &db.instances {
                self.part(&i.name, path::instance(n, &i.name), i.name.span);
            }
            self.part(n, path::instances(n), n.span);
            for s in &db.services {
                services.entry(s.name.as_str()).or_insert(s.name.span);
            }
        }
        for (s, span) in services {
            self.part(&s, path::service(s), span);
        }
        for g in &t.data_guard {
            for o in &g.observers {
                self.part(&o.name, path::observer(&g.name, &o.name), o.name.span);
            }
            for f in &g.far_syncs {
                self.part(&f.name, path::far_sync(&g.name, &f.name), f.name.span);
            }
        }
        for g in &t.goldengate {
            for s in &g.schemas {
                self.part(
                    &s.name,
                    path::goldengate_schema(&g.name, &s.name),
                    s.name.span,
                );
            }
        }
        if let Some(gds) = &t.gds {
            for r in &gds.regions {
                self.part(&r.name, path::gds_region(&r.name), r.name.span);
                for g in &r.gsms {
                    self.part(&g.name, path::gsm(&r.name, &g.name), g.name.span);
                }
            }
            for p in &gds.pools {
                self.part(&p.name, path::gds_pool(&p.name), p.name.span);
            }
            for s in &gds.global_services {
                self.part(&s.name, path::global_service(&s.name), s.name.span);
                self.part(&s.name, path::global_service_gsms(&s.name), s.name.span);
            }
        }
        for c in &t.cman {
            for h in &c.hosts {
                self.part(h, path::cman_host(&c.name, h), h.span);
            }
        }
    }

    /// The AWS resources.
    fn aws(&mut self, t: &Topology) {
        let Some(aws) = &t.aws else { return };
        for f in &aws.fsxn {
            self.part(&f.name, path::fsxn(&f.name), f.name.span);
            for z in &f.zones {
                self.part(z, path::fsxn_zone(&f.name, z), z.span);
            }
        }
        for g in &aws.auto_scaling_groups {
            self.part(&g.name, path::auto_scaling_group(&g.name), g.name.span);
            for z in &g.zones {
                self.part(z, path::auto_scaling_group_zone(&g.name, z), z.span);
            }
        }
        for b in &aws.backup_plans {
            self.part(&b.name, path::backup_plan(&b.name), b.name.span);
        }
        for l in &aws.launch_templates {
            self.part(&l.name, path::launch_template(&l.name), l.name.span);
        }
        for g in &aws.security_groups {
            self.part(&g.name, path::security_group(&g.name), g.name.span);
        }
        for p in &aws.ssm_parameters {
            self.part(
                &p.name.value,
                path::ssm_parameter(&p.name.value),
                p.name.span,
            );
        }
        if let Some(p) = &aws.ami_pipeline {
            self.part(&p.function, path::ami_pipeline(), p.function.span);
        }
    }
}
