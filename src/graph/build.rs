//! Builds the [`Graph`] from a resolved [`Model`].

use std::collections::{BTreeMap, BTreeSet};

use miette::SourceSpan;

use super::{EdgeKind, EventClass, Gate, Graph, Kind, Mechanism, Node, NodeId};
use crate::model::{
    ClusterType, DomainRole, GoldenGateMode, HomeLayout, LeasingBasis, MigrationPolicy, Name,
    SiteRole, StoreType,
};
use crate::resolve::Model;

fn no_span() -> SourceSpan {
    SourceSpan::from(0..0)
}

struct B<'m> {
    m: &'m Model,
    gr: Graph,
    /// Unordered pair of site nodes → non-redundant link node.
    links: BTreeMap<(NodeId, NodeId), NodeId>,
    /// Storage name → the node dependents use (the storage, or a replicated pair).
    storage_dep: BTreeMap<String, NodeId>,
}

fn site_pair(a: NodeId, b: NodeId) -> (NodeId, NodeId) {
    if a <= b { (a, b) } else { (b, a) }
}

fn pair(a: &str, b: &str) -> (String, String) {
    if a <= b {
        (a.to_string(), b.to_string())
    } else {
        (b.to_string(), a.to_string())
    }
}

impl B<'_> {
    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        kind: Kind,
        name: impl Into<String>,
        object: impl Into<String>,
        span: SourceSpan,
        gate: Gate,
        event: Option<EventClass>,
    ) -> NodeId {
        let name = name.into();
        if let Some(id) = self.gr.by_name.get(kind, &name) {
            return id;
        }
        let id = self.gr.g.add_node(Node {
            kind,
            name: name.clone(),
            object: object.into(),
            span,
            gate,
            event,
            mechanism: Mechanism::None,
            site: None,
            host: None,
            passive: false,
        });
        self.gr.by_name.insert(kind, name, id);
        id
    }

    /// Adds a host (a host failure event) placed on `parent` (its zone or its site).
    fn add_host(&mut self, host: &crate::model::Host, site: NodeId, parent: NodeId) {
        let h = self.add(
            Kind::Host,
            host.name.as_str(),
            format!("hosts[{}]", host.name),
            host.name.span,
            Gate::All,
            Some(EventClass::Host),
        );
        self.gr.g[h].site = Some(site);
        self.edge(h, parent, EdgeKind::PlacedOn);
    }

    fn edge(&mut self, from: NodeId, to: NodeId, kind: EdgeKind) {
        if from != to && self.gr.g.find_edge(from, to).is_none() {
            self.gr.g.add_edge(from, to, kind);
        }
    }

    fn host(&self, name: &str) -> Option<NodeId> {
        self.gr.find(Kind::Host, name)
    }

    /// Places a process on its host.
    fn place(&mut self, id: NodeId, host: &str) {
        if let Some(h) = self.host(host) {
            self.edge(id, h, EdgeKind::PlacedOn);
            let site = self.gr.g[h].site;
            let n = &mut self.gr.g[id];
            n.host = Some(h);
            n.site = site;
        }
    }

    fn group(
        &mut self,
        kind: Kind,
        name: String,
        object: String,
        span: SourceSpan,
        k: u32,
        mech: Mechanism,
    ) -> NodeId {
        let id = self.add(kind, name, object, span, Gate::AtLeast(k.max(1)), None);
        self.gr.g[id].mechanism = mech;
        id
    }

    fn placement(&mut self) {
        let t = &self.m.topo;
        let mut regions = BTreeSet::new();
        for site in &t.sites {
            let s = self.add(
                Kind::Site,
                site.name.as_str(),
                format!("sites[{}]", site.name),
                site.name.span,
                Gate::All,
                Some(EventClass::Site),
            );
            self.gr.g[s].site = Some(s);
            if let Some(r) = &site.region {
                regions.insert(r.to_string());
                let rid = self.add(
                    Kind::Region,
                    r.as_str(),
                    format!("sites[{}].region", site.name),
                    r.span,
                    Gate::All,
                    Some(EventClass::Region),
                );
                self.edge(s, rid, EdgeKind::PlacedOn);
            }
            for zone in &site.zones {
                let z = self.add(
                    Kind::Zone,
                    zone.name.as_str(),
                    format!("sites[{}].zones[{}]", site.name, zone.name),
                    zone.name.span,
                    Gate::All,
                    Some(EventClass::Zone),
                );
                self.gr.g[z].site = Some(s);
                self.edge(z, s, EdgeKind::PlacedOn);
                for host in &zone.hosts {
                    self.add_host(host, s, z);
                }
            }
            for host in &site.hosts {
                self.add_host(host, s, s);
            }
        }
        let serving_sites = t
            .sites
            .iter()
            .filter(|s| s.role.value != SiteRole::Witness)
            .count();
        self.gr.regions_matter = regions.len() >= 2 || t.objectives.region.is_some();
        self.gr.sites_matter = serving_sites >= 2 || t.objectives.site.is_some();

        for link in &t.links {
            if link.redundant.value {
                continue;
            }
            let [a, b] = link.between.value.as_slice() else {
                continue;
            };
            if a.as_str() == b.as_str() {
                continue;
            }
            let (Some(sa), Some(sb)) = (self.site(a.as_str()), self.site(b.as_str())) else {
                continue;
            };
            let key = pair(a.as_str(), b.as_str());
            let name = format!("{} <-> {}", key.0, key.1);
            let id = self.add(
                Kind::Link,
                name,
                format!("links[{}-{}]", key.0, key.1),
                link.between.span,
                Gate::All,
                Some(EventClass::Link),
            );
            self.links.insert(site_pair(sa, sb), id);
        }
    }

    fn zone(&self, name: &str) -> Option<NodeId> {
        self.gr.find(Kind::Zone, name)
    }

    fn site(&self, name: &str) -> Option<NodeId> {
        self.gr.find(Kind::Site, name)
    }

    fn storage(&mut self) {
        let t = &self.m.topo;
        for st in &t.storage {
            let id = self.add(
                Kind::Storage,
                st.name.as_str(),
                format!("storage[{}]", st.name),
                st.name.span,
                Gate::All,
                Some(EventClass::Storage),
            );
            self.gr.g[id].site = self.site(st.site.as_str());
            if let Some(h) = &st.host {
                self.place(id, h.as_str());
                continue;
            }
            let zones: Vec<NodeId> = st
                .zones
                .iter()
                .filter_map(|z| self.zone(z.as_str()))
                .collect();
            match zones.as_slice() {
                [] => {
                    if let Some(s) = self.site(st.site.as_str()) {
                        self.edge(id, s, EdgeKind::PlacedOn);
                    }
                }
                [z] => self.edge(id, *z, EdgeKind::PlacedOn),
                many => {
                    let g = self.group(
                        Kind::Group,
                        format!("{}@zones", st.name),
                        format!("storage[{}].zones", st.name),
                        st.name.span,
                        1,
                        Mechanism::StorageFailover,
                    );
                    self.gr.g[g].site = self.site(st.site.as_str());
                    for z in many {
                        self.edge(g, *z, EdgeKind::Member);
                    }
                    self.edge(id, g, EdgeKind::Requires);
                }
            }
        }
        // Replicated storage: dependents can fail over to the peer by hand.
        for st in &t.storage {
            let Some(id) = self.gr.find(Kind::Storage, st.name.as_str()) else {
                continue;
            };
            let dep = match &st.replication {
                Some(r) => match self.gr.find(Kind::Storage, r.to.as_str()) {
                    Some(peer) => {
                        let sync = r.mode.value == crate::model::ReplicationMode::Sync;
                        let lag = r.lag.as_ref().map(|l| l.value);
                        let g = self.group(
                            Kind::Group,
                            format!("{}+{}", st.name, r.to),
                            format!("storage[{}].replication", st.name),
                            r.to.span,
                            1,
                            Mechanism::ManualStorage { lag, sync },
                        );
                        self.edge(g, id, EdgeKind::Member);
                        self.edge(g, peer, EdgeKind::Standby);
                        g
                    }
                    None => id,
                },
                None => id,
            };
            self.storage_dep.insert(st.name.to_string(), dep);
        }
        if let Some(aws) = &t.aws {
            for f in &aws.fsxn {
                let zones: Vec<(String, NodeId, SourceSpan)> = {
                    let mut seen = BTreeSet::new();
                    f.zones
                        .iter()
                        .filter(|z| seen.insert(z.to_string()))
                        .filter_map(|z| self.zone(z.as_str()).map(|id| (z.to_string(), id, z.span)))
                        .collect()
                };
                let object = format!("aws.fsxn[{}]", f.name);
                let id = if f.deployment_type.is_multi_az() && zones.len() >= 2 {
                    let id = self.group(
                        Kind::Fsxn,
                        f.name.to_string(),
                        object.clone(),
                        f.name.span,
                        1,
                        Mechanism::StorageFailover,
                    );
                    for (i, (z, zid, span)) in zones.iter().enumerate() {
                        let fs = self.add(
                            Kind::FileServer,
                            format!("{}@{z}", f.name),
                            format!("{object}.zones[{z}]"),
                            *span,
                            Gate::All,
                            Some(EventClass::Storage),
                        );
                        self.gr.g[fs].site = self.gr.g[*zid].site;
                        self.edge(fs, *zid, EdgeKind::PlacedOn);
                        self.edge(
                            id,
                            fs,
                            if i == 0 {
                                EdgeKind::Member
                            } else {
                                EdgeKind::Standby
                            },
                        );
                    }
                    id
                } else {
                    let id = self.add(
                        Kind::Fsxn,
                        f.name.to_string(),
                        object,
                        f.deployment_type.span,
                        Gate::All,
                        Some(EventClass::Storage),
                    );
                    match zones.first() {
                        Some((_, zid, _)) => self.edge(id, *zid, EdgeKind::PlacedOn),
                        None => {
                            if let Some(s) = self.site(aws.site.as_str()) {
                                self.edge(id, s, EdgeKind::PlacedOn);
                            }
                        }
                    }
                    id
                };
                self.gr.g[id].site = self.site(aws.site.as_str());
                self.storage_dep.insert(f.name.to_string(), id);
            }
        }
    }

    fn storage_ref(&self, name: &str) -> Option<NodeId> {
        self.storage_dep.get(name).copied()
    }

    fn front_end(&mut self) {
        let t = &self.m.topo;
        if let Some(glb) = &t.global_load_balancer {
            let hosts: Vec<NodeId> = glb
                .hosts
                .iter()
                .filter_map(|h| self.host(h.as_str()))
                .collect();
            let object = "global_load_balancer".to_string();
            let id = if glb.managed.value {
                self.add(
                    Kind::GlobalLb,
                    glb.name.as_str(),
                    object,
                    glb.name.span,
                    Gate::All,
                    None,
                )
            } else if hosts.is_empty() {
                self.add(
                    Kind::GlobalLb,
                    glb.name.as_str(),
                    object,
                    glb.name.span,
                    Gate::All,
                    Some(EventClass::Component),
                )
            } else {
                let id = self.group(
                    Kind::GlobalLb,
                    glb.name.to_string(),
                    object,
                    glb.name.span,
                    1,
                    Mechanism::HealthCheck {
                        by: glb.name.to_string(),
                    },
                );
                for h in hosts {
                    self.edge(id, h, EdgeKind::Member);
                }
                id
            };
            let _ = id;
        }
        for lb in &t.load_balancers {
            let object = format!("load_balancers[{}]", lb.name);
            let hosts: Vec<NodeId> = lb
                .hosts
                .iter()
                .filter_map(|h| self.host(h.as_str()))
                .collect();
            let zones: Vec<NodeId> = lb
                .zones
                .iter()
                .filter_map(|z| self.zone(z.as_str()))
                .collect();
            let id = if lb.managed.value {
                if zones.is_empty() {
                    let id = self.add(
                        Kind::Lb,
                        lb.name.as_str(),
                        object,
                        lb.name.span,
                        Gate::All,
                        None,
                    );
                    if let Some(s) = self.site(lb.site.as_str()) {
                        self.edge(id, s, EdgeKind::PlacedOn);
                    }
                    id
                } else {
                    let id = self.group(
                        Kind::Lb,
                        lb.name.to_string(),
                        object,
                        lb.name.span,
                        1,
                        Mechanism::HealthCheck {
                            by: lb.name.to_string(),
                        },
                    );
                    for z in zones {
                        self.edge(id, z, EdgeKind::Member);
                    }
                    id
                }
            } else if hosts.is_empty() {
                let id = self.add(
                    Kind::Lb,
                    lb.name.as_str(),
                    object,
                    lb.name.span,
                    Gate::All,
                    Some(EventClass::Component),
                );
                if let Some(s) = self.site(lb.site.as_str()) {
                    self.edge(id, s, EdgeKind::PlacedOn);
                }
                id
            } else {
                let id = self.group(
                    Kind::Lb,
                    lb.name.to_string(),
                    object,
                    lb.name.span,
                    1,
                    Mechanism::HealthCheck {
                        by: lb.name.to_string(),
                    },
                );
                for h in hosts {
                    self.edge(id, h, EdgeKind::Member);
                }
                id
            };
            self.gr.g[id].site = self.site(lb.site.as_str());
        }
        for o in &t.ohs {
            let id = self.add(
                Kind::Ohs,
                o.name.as_str(),
                format!("ohs[{}]", o.name),
                o.name.span,
                Gate::All,
                Some(EventClass::Component),
            );
            self.place(id, o.host.as_str());
        }
    }

    fn weblogic(&mut self) {
        let t = &self.m.topo;
        // Coherence first: clusters join it.
        for c in &t.coherence {
            let object = format!("coherence[{}]", c.name);
            let mut hosts: Vec<&Name> = Vec::new();
            for m in c.members.iter().filter(|m| m.storage.value) {
                if !hosts.iter().any(|h| h.as_str() == m.host.as_str()) {
                    hosts.push(&m.host);
                }
            }
            if hosts.is_empty() {
                self.add(
                    Kind::Coherence,
                    c.name.as_str(),
                    object,
                    c.name.span,
                    Gate::All,
                    Some(EventClass::Component),
                );
                continue;
            }
            let n = u32::try_from(hosts.len()).unwrap_or(u32::MAX);
            let k = n.saturating_sub(c.backup_count.value).max(1);
            let id = self.group(
                Kind::Coherence,
                c.name.to_string(),
                object.clone(),
                c.name.span,
                k,
                Mechanism::None,
            );
            for h in hosts {
                let mid = self.add(
                    Kind::Group,
                    format!("{}@{}", c.name, h),
                    format!("{object}.members[{h}]"),
                    h.span,
                    Gate::All,
                    Some(EventClass::Component),
                );
                self.place(mid, h.as_str());
                self.edge(id, mid, EdgeKind::Member);
            }
        }

        for d in &t.domains {
            let passive = d.role.value == DomainRole::Passive;
            let ds_service: BTreeMap<&str, &Name> = d
                .data_sources
                .iter()
                .map(|ds| (ds.name.as_str(), &ds.service))
                .collect();
            for c in &d.clusters {
                let cobj = crate::resolve::path::cluster(d.name.as_str(), c.name.as_str());
                let servers = self.m.index.servers_of(c.name.as_str());
                let cid = self.add(
                    Kind::Cluster,
                    c.name.to_string(),
                    cobj.clone(),
                    c.name.span,
                    Gate::All,
                    None,
                );
                self.gr.g[cid].passive = passive;
                let members = self.group(
                    Kind::Group,
                    format!("{}@servers", c.name),
                    format!("{cobj}.servers"),
                    c.name.span,
                    1,
                    Mechanism::Plugin,
                );
                self.edge(cid, members, EdgeKind::Requires);
                // What every server of the cluster needs.
                let mut ds_names: Vec<&str> = d
                    .data_sources
                    .iter()
                    .filter(|ds| ds.targets.iter().any(|x| x.as_str() == c.name.as_str()))
                    .map(|ds| ds.name.as_str())
                    .collect();
                let mut storages: Vec<&str> = Vec::new();
                if let Some(mg) = &c.migration
                    && mg.leasing.value == LeasingBasis::Database
                    && let Some(ds) = &mg.data_source
                {
                    ds_names.push(ds.as_str());
                }
                if let Some(tl) = &c.transaction_log {
                    match tl.r#type.value {
                        StoreType::Jdbc => {
                            ds_names.extend(tl.data_source.as_ref().map(|x| x.as_str()))
                        }
                        StoreType::File => storages.extend(tl.storage.as_ref().map(|x| x.as_str())),
                    }
                }
                if let Some(sr) = &c.session_replication
                    && let Some(ds) = &sr.data_source
                {
                    ds_names.push(ds.as_str());
                }
                for s in d
                    .stores
                    .iter()
                    .filter(|s| s.cluster.as_str() == c.name.as_str())
                {
                    match s.r#type.value {
                        StoreType::Jdbc => {
                            ds_names.extend(s.data_source.as_ref().map(|x| x.as_str()))
                        }
                        StoreType::File => storages.extend(s.storage.as_ref().map(|x| x.as_str())),
                    }
                }
                if d.oracle_home.layout.value == HomeLayout::Shared
                    && let Some(st) = &d.oracle_home.storage
                {
                    storages.push(st.as_str());
                }
                let mut needs: Vec<NodeId> = Vec::new();
                for ds in ds_names {
                    if let Some(svc) = ds_service.get(ds)
                        && let Some(id) = self.service(svc.as_str())
                    {
                        needs.push(id);
                    }
                }
                for st in storages {
                    needs.extend(self.storage_ref(st));
                }
                if let Some(coh) = &c.coherence {
                    needs.extend(self.gr.find(Kind::Coherence, coh.as_str()));
                }
                let mut server_ids = Vec::new();
                for s in servers {
                    let span = c
                        .servers
                        .iter()
                        .find(|x| x.name.as_str() == s.name)
                        .map_or_else(
                            || c.dynamic.as_ref().map_or(c.name.span, |dy| dy.size.span),
                            |x| x.name.span,
                        );
                    let sid = self.add(
                        Kind::Server,
                        s.name.as_str(),
                        format!("{cobj}.servers[{}]", s.name),
                        span,
                        Gate::All,
                        Some(EventClass::Component),
                    );
                    self.place(sid, s.host.as_str());
                    for n in &needs {
                        self.edge(sid, *n, EdgeKind::Requires);
                    }
                    self.edge(members, sid, EdgeKind::Member);
                    server_ids.push(sid);
                }
                if server_ids.is_empty() {
                    // No servers (a dynamic cluster without hosts): nothing can serve.
                    let _ = ClusterType::Dynamic;
                    self.gr.g[members].gate = Gate::All;
                    self.gr.g[members].event = Some(EventClass::Component);
                }
                // Singletons run on one server (taken as the first by name, so results do not
                // depend on YAML order) and migrate to another.
                server_ids.sort_by(|a, b| self.gr.g[*a].name.cmp(&self.gr.g[*b].name));
                let automatic = c.migration.is_some();
                for sg in d
                    .singletons
                    .iter()
                    .filter(|s| s.cluster.as_str() == c.name.as_str())
                {
                    let auto = automatic && sg.migration.value != MigrationPolicy::Manual;
                    let gid = self.group(
                        Kind::Singleton,
                        format!("{}/{}", c.name, sg.name),
                        format!("domains[{}].singletons[{}]", d.name, sg.name),
                        sg.name.span,
                        1,
                        Mechanism::ServiceMigration {
                            cluster: c.name.to_string(),
                            automatic: auto,
                        },
                    );
                    for (i, sid) in server_ids.iter().enumerate() {
                        self.edge(
                            gid,
                            *sid,
                            if i == 0 {
                                EdgeKind::Member
                            } else {
                                EdgeKind::Standby
                            },
                        );
                    }
                    if server_ids.is_empty() {
                        self.gr.g[gid].gate = Gate::All;
                        self.gr.g[gid].event = Some(EventClass::Component);
                    }
                    self.edge(cid, gid, EdgeKind::Requires);
                }
                if let Some(tl) = &c.transaction_log
                    && server_ids.len() > 1
                {
                    let auto = automatic && tl.migration.value != MigrationPolicy::Manual;
                    let gid = self.group(
                        Kind::Singleton,
                        format!("{}/jta", c.name),
                        format!("{cobj}.transaction_log"),
                        tl.r#type.span,
                        1,
                        Mechanism::ServiceMigration {
                            cluster: c.name.to_string(),
                            automatic: auto,
                        },
                    );
                    // JTA recovery: each server's TLOG must be recovered by some server; model the
                    // first server's log (the others are symmetric).
                    for (i, sid) in server_ids.iter().enumerate() {
                        self.edge(
                            gid,
                            *sid,
                            if i == 0 {
                                EdgeKind::Member
                            } else {
                                EdgeKind::Standby
                            },
                        );
                    }
                    self.edge(cid, gid, EdgeKind::Requires);
                }
            }
        }
    }

    /// The node for a database service or GDS global service, creating database services on demand.
    fn service(&mut self, name: &str) -> Option<NodeId> {
        if let Some(id) = self.gr.find(Kind::Service, name) {
            return Some(id);
        }
        if let Some(id) = self.gr.find(Kind::GlobalService, name) {
            return Some(id);
        }
        let dbs = self.m.index.services.get(name)?.clone();
        let t = &self.m.topo;
        let span = dbs
            .first()
            .and_then(|d| self.m.index.databases.get(d))
            .and_then(|i| t.databases.get(*i))
            .and_then(|d| d.services.iter().find(|s| s.name.as_str() == name))
            .map_or_else(no_span, |s| s.name.span);
        let id = self.group(
            Kind::Service,
            name.to_string(),
            format!("services[{name}]"),
            span,
            1,
            Mechanism::None,
        );
        // Data Guard: the primary serves, standbys take over.
        let dg = dbs
            .iter()
            .find_map(|d| self.m.index.data_guard_of.get(d).copied());
        let gg = t.goldengate.iter().position(|g| {
            g.mode.value == GoldenGateMode::ActiveActive
                && dbs
                    .iter()
                    .filter(|d| g.databases.iter().any(|x| x.as_str() == d.as_str()))
                    .count()
                    >= 2
        });
        let mech = match (dg, gg) {
            (_, Some(g)) => Mechanism::GoldenGate { replication: g },
            (Some(c), None) => Mechanism::DataGuard { config: c },
            (None, None) => Mechanism::None,
        };
        let primary = dg
            .and_then(|c| t.data_guard.get(c))
            .map(|c| c.primary.to_string());
        self.gr.g[id].mechanism = mech.clone();
        for d in &dbs {
            if let Some(did) = self.gr.find(Kind::Database, d) {
                let standby = matches!(mech, Mechanism::DataGuard { .. })
                    && primary.as_deref() != Some(d.as_str());
                self.edge(
                    id,
                    did,
                    if standby {
                        EdgeKind::Standby
                    } else {
                        EdgeKind::Member
                    },
                );
            }
        }
        Some(id)
    }

    fn databases(&mut self) {
        let t = &self.m.topo;
        let asgs = t
            .aws
            .as_ref()
            .map(|a| a.auto_scaling_groups.as_slice())
            .unwrap_or_default();
        for db in &t.databases {
            let object = crate::resolve::path::database(db.name.as_str());
            let did = self.add(
                Kind::Database,
                db.name.as_str(),
                object.clone(),
                db.name.span,
                Gate::All,
                None,
            );
            if let Some(st) = &db.storage
                && let Some(s) = self.storage_ref(st.as_str())
            {
                self.edge(did, s, EdgeKind::Requires);
            }
            let mut inst_ids = Vec::new();
            for inst in &db.instances {
                let iid = self.add(
                    Kind::Instance,
                    format!("{}.{}", db.name, inst.name),
                    format!("{object}.instances[{}]", inst.name),
                    inst.name.span,
                    Gate::All,
                    Some(EventClass::Component),
                );
                self.place(iid, inst.host.as_str());
                // An Auto Scaling group keeping this instance's host alive replaces it in another zone.
                let asg = asgs.iter().position(|a| {
                    a.host.as_str() == inst.host.as_str()
                        || a.database
                            .as_ref()
                            .is_some_and(|d| d.as_str() == db.name.as_str())
                });
                let member = match asg.and_then(|i| asgs.get(i).map(|a| (i, a))) {
                    Some((ai, a)) => {
                        let gid = self.group(
                            Kind::Group,
                            format!("{}.{}@asg", db.name, inst.name),
                            format!("aws.auto_scaling_groups[{}]", a.name),
                            a.name.span,
                            1,
                            Mechanism::Asg { group: ai },
                        );
                        self.edge(gid, iid, EdgeKind::Member);
                        for z in &a.zones {
                            if let Some(zid) = self.zone(z.as_str()) {
                                let slot = self.add(
                                    Kind::AsgSlot,
                                    format!("{}@{z}", a.name),
                                    format!("aws.auto_scaling_groups[{}].zones[{z}]", a.name),
                                    z.span,
                                    Gate::All,
                                    None,
                                );
                                self.gr.g[slot].site = self.gr.g[zid].site;
                                self.edge(slot, zid, EdgeKind::PlacedOn);
                                self.edge(gid, slot, EdgeKind::Standby);
                            }
                        }
                        gid
                    }
                    None => iid,
                };
                inst_ids.push(member);
            }
            match inst_ids.as_slice() {
                [] => {
                    self.gr.g[did].event = Some(EventClass::Component);
                }
                [one] => self.edge(did, *one, EdgeKind::Requires),
                many => {
                    let gid = self.group(
                        Kind::Group,
                        format!("{}.instances", db.name),
                        format!("{object}.instances"),
                        db.name.span,
                        1,
                        Mechanism::Fcf,
                    );
                    for i in many {
                        self.edge(gid, *i, EdgeKind::Member);
                    }
                    self.edge(did, gid, EdgeKind::Requires);
                }
            }
        }
        // Data Guard observers and far syncs: they drive recovery, they do not serve.
        for g in &t.data_guard {
            for o in &g.observers {
                let id = self.add(
                    Kind::Observer,
                    o.name.as_str(),
                    format!("data_guard[{}].observers[{}]", g.name, o.name),
                    o.name.span,
                    Gate::All,
                    Some(EventClass::Component),
                );
                self.place(id, o.host.as_str());
            }
            for f in &g.far_syncs {
                let id = self.add(
                    Kind::FarSync,
                    f.name.as_str(),
                    format!("data_guard[{}].far_syncs[{}]", g.name, f.name),
                    f.name.span,
                    Gate::All,
                    Some(EventClass::Component),
                );
                self.place(id, f.host.as_str());
            }
        }
        // GDS: a global service needs a GSM and a database of its pool.
        if let Some(gds) = &t.gds {
            let mut gsms = Vec::new();
            for r in &gds.regions {
                for g in &r.gsms {
                    let id = self.add(
                        Kind::Gsm,
                        g.name.as_str(),
                        format!("gds.regions[{}].gsms[{}]", r.name, g.name),
                        g.name.span,
                        Gate::All,
                        Some(EventClass::Component),
                    );
                    self.place(id, g.host.as_str());
                    gsms.push(id);
                }
            }
            for gs in &gds.global_services {
                let object = format!("gds.global_services[{}]", gs.name);
                let id = self.add(
                    Kind::GlobalService,
                    gs.name.as_str(),
                    object.clone(),
                    gs.name.span,
                    Gate::All,
                    None,
                );
                let gg = self.group(
                    Kind::Group,
                    format!("{}@gsms", gs.name),
                    format!("{object}.gsms"),
                    gs.name.span,
                    1,
                    Mechanism::Reconnect,
                );
                if gsms.is_empty() {
                    self.gr.g[gg].gate = Gate::All;
                    self.gr.g[gg].event = Some(EventClass::Component);
                }
                for g in &gsms {
                    self.edge(gg, *g, EdgeKind::Member);
                }
                self.edge(id, gg, EdgeKind::Requires);
                if let Some(pool) = gds
                    .pools
                    .iter()
                    .find(|p| p.name.as_str() == gs.pool.as_str())
                {
                    let pg = self.group(
                        Kind::Group,
                        format!("{}@pool", gs.name),
                        format!("gds.pools[{}]", pool.name),
                        pool.name.span,
                        1,
                        Mechanism::Reconnect,
                    );
                    for d in &pool.databases {
                        if let Some(did) = self.gr.find(Kind::Database, d.as_str()) {
                            self.edge(pg, did, EdgeKind::Member);
                        }
                    }
                    self.edge(id, pg, EdgeKind::Requires);
                }
            }
        }
        for c in &t.cman {
            let object = format!("cman[{}]", c.name);
            let id = self.group(
                Kind::Cman,
                c.name.to_string(),
                object.clone(),
                c.name.span,
                1,
                Mechanism::Reconnect,
            );
            for h in &c.hosts {
                let iid = self.add(
                    Kind::Group,
                    format!("{}@{h}", c.name),
                    format!("{object}.hosts[{h}]"),
                    h.span,
                    Gate::All,
                    Some(EventClass::Component),
                );
                self.place(iid, h.as_str());
                self.edge(id, iid, EdgeKind::Member);
            }
            if c.hosts.is_empty() {
                self.gr.g[id].gate = Gate::All;
                self.gr.g[id].event = Some(EventClass::Component);
            }
        }
    }

    fn apps(&mut self) {
        let t = &self.m.topo;
        let mut apps = Vec::new();
        // Database clients.
        for c in &t.clients {
            // A WebLogic "client" is the pool of a data source the domains already model:
            // the web paths through the clusters are the services, not the pool itself.
            let modelled = c.driver.value == crate::model::Driver::Weblogic
                && t.domains
                    .iter()
                    .flat_map(|d| d.data_sources.iter())
                    .any(|ds| ds.service.as_str() == c.service.as_str());
            if modelled {
                continue;
            }
            let Some(svc) = self.service(c.service.as_str()) else {
                continue;
            };
            let id = self.add(
                Kind::Client,
                c.name.as_str(),
                format!("clients[{}]", c.name),
                c.name.span,
                Gate::All,
                None,
            );
            if let Some(via) = &c.via
                && let Some(cm) = self.gr.find(Kind::Cman, via.as_str())
            {
                self.edge(id, cm, EdgeKind::Requires);
            }
            self.edge(id, svc, EdgeKind::Requires);
            apps.push(id);
        }
        // Web paths: global LB → local LB → OHS → cluster.
        let mut paths: BTreeMap<String, Vec<(usize, usize)>> = BTreeMap::new();
        for (oi, o) in t.ohs.iter().enumerate() {
            for (ri, r) in o.routes.iter().enumerate() {
                paths.entry(r.path.to_string()).or_default().push((oi, ri));
            }
        }
        let mut routed_clusters = BTreeSet::new();
        let glb = t
            .global_load_balancer
            .as_ref()
            .and_then(|g| self.gr.find(Kind::GlobalLb, g.name.as_str()));
        for (path, routes) in &paths {
            // Route nodes: one OHS serving one path from one cluster.
            let mut route_ids: Vec<(usize, NodeId)> = Vec::new();
            let mut first_span = no_span();
            for (oi, ri) in routes {
                let Some(o) = t.ohs.get(*oi) else { continue };
                let Some(r) = o.routes.get(*ri) else { continue };
                if first_span == no_span() {
                    first_span = r.path.span;
                }
                let Some(ohs) = self.gr.find(Kind::Ohs, o.name.as_str()) else {
                    continue;
                };
                let Some(cl) = self.gr.find(Kind::Cluster, r.cluster.as_str()) else {
                    continue;
                };
                routed_clusters.insert(r.cluster.to_string());
                let rid = self.add(
                    Kind::Route,
                    format!("{}{}", o.name, r.path),
                    format!("ohs[{}].routes[{}]", o.name, r.path),
                    r.path.span,
                    Gate::All,
                    None,
                );
                self.edge(rid, ohs, EdgeKind::Requires);
                self.edge(rid, cl, EdgeKind::Requires);
                route_ids.push((*oi, rid));
            }
            if route_ids.is_empty() {
                continue;
            }
            let app = self.add(
                Kind::App,
                path.clone(),
                format!("ohs[*].routes[{path}]"),
                first_span,
                Gate::All,
                None,
            );
            if let Some(g) = glb {
                self.edge(app, g, EdgeKind::Requires);
            }
            let entry = self.group(
                Kind::Group,
                format!("{path}@sites"),
                format!("ohs[*].routes[{path}]"),
                first_span,
                1,
                Mechanism::SiteSwitch,
            );
            let mut any = false;
            for lb in &t.load_balancers {
                let Some(lid) = self.gr.find(Kind::Lb, lb.name.as_str()) else {
                    continue;
                };
                let targets: Vec<&(usize, NodeId)> = route_ids
                    .iter()
                    .filter(|(oi, _)| {
                        let Some(o) = t.ohs.get(*oi) else {
                            return false;
                        };
                        if lb.targets.is_empty() {
                            self.m.index.site_of(o.host.as_str()) == Some(lb.site.as_str())
                        } else {
                            lb.targets.iter().any(|x| x.as_str() == o.name.as_str())
                        }
                    })
                    .collect();
                if targets.is_empty() {
                    continue;
                }
                let lp = self.add(
                    Kind::Group,
                    format!("{}{path}", lb.name),
                    format!("load_balancers[{}]", lb.name),
                    lb.name.span,
                    Gate::All,
                    None,
                );
                self.gr.g[lp].site = self.site(lb.site.as_str());
                let rg = self.group(
                    Kind::Group,
                    format!("{}{path}@ohs", lb.name),
                    format!("load_balancers[{}].targets", lb.name),
                    lb.name.span,
                    1,
                    Mechanism::HealthCheck {
                        by: lb.name.to_string(),
                    },
                );
                let mut passive = true;
                for (_, rid) in targets {
                    self.edge(rg, *rid, EdgeKind::Member);
                    passive &= self.route_passive(*rid);
                }
                self.edge(lp, lid, EdgeKind::Requires);
                self.edge(lp, rg, EdgeKind::Requires);
                let standby =
                    passive || self.site_role(lb.site.as_str()) == Some(SiteRole::Standby);
                self.edge(
                    entry,
                    lp,
                    if standby {
                        EdgeKind::Standby
                    } else {
                        EdgeKind::Member
                    },
                );
                any = true;
            }
            if !any {
                // No local load balancer: the OHS instances are the entry points.
                self.gr.g[entry].mechanism = Mechanism::HealthCheck {
                    by: "clients".into(),
                };
                for (_, rid) in &route_ids {
                    let standby = self.route_passive(*rid);
                    self.edge(
                        entry,
                        *rid,
                        if standby {
                            EdgeKind::Standby
                        } else {
                            EdgeKind::Member
                        },
                    );
                }
            }
            self.edge(app, entry, EdgeKind::Requires);
            apps.push(app);
        }
        // Clusters no OHS route reaches are services of their own (a passive replica is their standby).
        for d in t
            .domains
            .iter()
            .filter(|d| d.role.value == DomainRole::Active)
        {
            for (ci, c) in d.clusters.iter().enumerate() {
                if routed_clusters.contains(c.name.as_str()) {
                    continue;
                }
                let Some(cid) = self.gr.find(Kind::Cluster, c.name.as_str()) else {
                    continue;
                };
                let app = self.add(
                    Kind::App,
                    format!("cluster:{}", c.name),
                    crate::resolve::path::cluster(d.name.as_str(), c.name.as_str()),
                    c.name.span,
                    Gate::All,
                    None,
                );
                let replicas: Vec<NodeId> = t
                    .domains
                    .iter()
                    .filter(|p| {
                        p.role.value == DomainRole::Passive
                            && p.replica_of
                                .as_ref()
                                .is_some_and(|r| r.as_str() == d.name.as_str())
                    })
                    .filter_map(|p| p.clusters.get(ci))
                    .filter_map(|pc| self.gr.find(Kind::Cluster, pc.name.as_str()))
                    .collect();
                if replicas.is_empty() {
                    self.edge(app, cid, EdgeKind::Requires);
                } else {
                    let g = self.group(
                        Kind::Group,
                        format!("cluster:{}@sites", c.name),
                        crate::resolve::path::cluster(d.name.as_str(), c.name.as_str()),
                        c.name.span,
                        1,
                        Mechanism::SiteSwitch,
                    );
                    self.edge(g, cid, EdgeKind::Member);
                    for r in replicas {
                        self.edge(g, r, EdgeKind::Standby);
                    }
                    self.edge(app, g, EdgeKind::Requires);
                }
                apps.push(app);
            }
        }
        // Database services (and databases without services) nothing in the model consumes
        // are services of their own.
        let names: Vec<String> = crate::resolve::sorted_names(&self.m.index.services)
            .into_iter()
            .map(str::to_owned)
            .collect();
        for n in names {
            self.service(&n);
        }
        for id in self.gr.g.node_indices() {
            let n = &self.gr.g[id];
            if !matches!(n.kind, Kind::Service | Kind::GlobalService | Kind::Database) {
                continue;
            }
            if self
                .gr
                .g
                .neighbors_directed(id, petgraph::Direction::Incoming)
                .next()
                .is_some()
            {
                continue;
            }
            if n.kind == Kind::Database {
                let standby = self
                    .m
                    .index
                    .data_guard_of
                    .get(&n.name)
                    .and_then(|c| t.data_guard.get(*c))
                    .is_some_and(|c| c.primary.as_str() != n.name);
                if standby {
                    continue;
                }
            }
            apps.push(id);
        }
        apps.sort_by(|a, b| {
            (self.gr.g[*a].kind, &self.gr.g[*a].name)
                .cmp(&(self.gr.g[*b].kind, &self.gr.g[*b].name))
        });
        apps.dedup();
        self.gr.apps = apps;
    }

    fn route_passive(&self, route: NodeId) -> bool {
        self.gr
            .g
            .neighbors(route)
            .any(|n| self.gr.g[n].kind == Kind::Cluster && self.gr.g[n].passive)
    }

    fn site_role(&self, site: &str) -> Option<SiteRole> {
        self.m
            .topo
            .sites
            .iter()
            .find(|s| s.name.as_str() == site)
            .map(|s| s.role.value)
    }

    /// Derives the site of nodes that run in one site, then makes cross-site dependencies
    /// also need the (non-redundant) link between the two sites.
    fn sites_and_links(&mut self) {
        for id in self.gr.bottom_up() {
            if self.gr.g[id].site.is_some() || self.gr.g[id].kind == Kind::Link {
                continue;
            }
            // The site every dependency runs in, when they all run in the same one.
            let mut site: Option<NodeId> = None;
            for d in self.gr.g.neighbors(id) {
                match (self.gr.g[d].site, site) {
                    (Some(s), None) => site = Some(s),
                    (Some(s), Some(first)) if s == first => {}
                    _ => {
                        site = None;
                        break;
                    }
                }
            }
            if site.is_some() {
                self.gr.g[id].site = site;
            }
        }
        if self.links.is_empty() {
            return;
        }
        let mut add = Vec::new();
        for e in self.gr.g.edge_indices() {
            if self.gr.g[e] != EdgeKind::Requires {
                continue;
            }
            let Some((u, v)) = self.gr.g.edge_endpoints(e) else {
                continue;
            };
            if let (Some(a), Some(b)) = (self.gr.g[u].site, self.gr.g[v].site)
                && a != b
                && let Some(l) = self.links.get(&site_pair(a, b))
            {
                add.push((u, *l));
            }
        }
        for (u, l) in add {
            self.edge(u, l, EdgeKind::Requires);
        }
    }
}

/// A generous estimate of the graph's size (nodes, edges), so that its arrays are allocated
/// once instead of grown and copied (at 200k nodes the copies were a tenth of the build);
/// the name index is sized for the most numerous kinds.
fn size_hint(m: &Model, index: &mut super::NameIndex) -> (usize, usize) {
    let t = &m.topo;
    let servers: usize = t
        .domains
        .iter()
        .flat_map(|d| d.clusters.iter())
        .map(|c| c.servers.len())
        .sum();
    let instances: usize = t.databases.iter().map(|d| d.instances.len()).sum();
    let routes: usize = t.ohs.iter().map(|o| o.routes.len()).sum();
    let hosts: usize = t
        .sites
        .iter()
        .map(|s| s.hosts.len() + s.zones.iter().map(|z| z.hosts.len() + 1).sum::<usize>() + 1)
        .sum();
    // Besides its members, each OHS, cluster and database adds a few nodes of its own
    // (the groups that hold the members, routes, singletons, services).
    let ohs = t.ohs.len() * 2 + routes * 2;
    let clusters: usize = t.domains.iter().map(|d| d.clusters.len()).sum();
    let weblogic = clusters * 4
        + servers
        + t.domains
            .iter()
            .map(|d| d.singletons.len() + d.data_sources.len())
            .sum::<usize>();
    let databases = t.databases.len() * 4
        + instances
        + t.databases.iter().map(|d| d.services.len()).sum::<usize>();
    let nodes = hosts + ohs + weblogic + databases + t.storage.len() * 2 + 64;
    for (kind, n) in [
        (Kind::Host, hosts),
        (Kind::Ohs, t.ohs.len()),
        (Kind::Route, routes),
        (Kind::Server, servers),
        (Kind::Instance, instances),
        (Kind::Group, nodes / 4),
    ] {
        index.reserve(kind, n);
    }
    (nodes, nodes * 2)
}

/// Builds the graph of a resolved model.
pub fn build(m: &Model) -> Graph {
    let mut by_name = super::NameIndex::default();
    let (nodes, edges) = size_hint(m, &mut by_name);
    let mut b = B {
        m,
        gr: Graph {
            g: petgraph::graph::DiGraph::with_capacity(nodes, edges),
            by_name,
            ..Graph::default()
        },
        links: BTreeMap::new(),
        storage_dep: BTreeMap::new(),
    };
    b.placement();
    b.storage();
    b.front_end();
    b.databases();
    b.weblogic();
    b.apps();
    b.sites_and_links();
    let mut rank = vec![0u32; b.gr.g.node_count()];
    for (i, (_, _, id)) in b.gr.by_name.sorted().into_iter().enumerate() {
        if let Some(r) = rank.get_mut(id.index()) {
            *r = u32::try_from(i).unwrap_or(u32::MAX);
        }
    }
    // By (class, kind, name): the rank orders by kind then name without comparing strings.
    let mut events: Vec<NodeId> =
        b.gr.g
            .node_indices()
            .filter(|id| b.gr.g[*id].event.is_some())
            .collect();
    events.sort_unstable_by_key(|id| (b.gr.g[*id].event, rank.get(id.index()).copied()));
    b.gr.events = events;
    b.gr.rank = rank;
    b.gr.finish();
    b.gr
}
