//! The table of a topology's named objects: each once, with its kind, name, object path
//! (the baseline key, made by [`super::path`]) and YAML span, and where it is in the
//! topology. Custom-rule scopes are this table's objects of one kind.
//!
//! Built on first use ([`super::Model::objects`]): a check without custom rules pays
//! nothing for it.

use miette::SourceSpan;

use super::path::{self, ObjectKind};
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

/// Every named object of a topology, in topology order.
#[derive(Debug, Clone, Default)]
pub struct Objects {
    list: Vec<Object>,
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
        self.iter().find(|(_, o)| o.path == path).map(|(id, _)| id)
    }

    fn push(&mut self, kind: ObjectKind, name: &str, path: String, span: SourceSpan, at: Loc) {
        self.list.push(Object {
            kind,
            name: name.to_owned(),
            path,
            span,
            at,
        });
    }

    /// One object per element of a list of named elements (`at` places the i-th).
    fn list<'t>(
        &mut self,
        kind: ObjectKind,
        names: impl Iterator<Item = &'t Name>,
        path: fn(&Name) -> String,
        at: fn(usize) -> Loc,
    ) {
        for (i, n) in names.enumerate() {
            self.push(kind, n.as_str(), path(n), n.span, at(i));
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
                self.push(
                    ObjectKind::Host,
                    h.name.as_str(),
                    path::host(&h.name),
                    h.name.span,
                    at,
                );
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
                self.push(ObjectKind::Cluster, c.name.as_str(), p, c.name.span, at);
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
                    self.push(ObjectKind::Server, &s.name, p, span, at);
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
                self.push(
                    ObjectKind::DatabaseService,
                    s.name.as_str(),
                    p,
                    s.name.span,
                    at,
                );
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
}
