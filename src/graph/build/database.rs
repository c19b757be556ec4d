//! Databases and their instances, database services, Data Guard observers and far syncs,
//! GDS global services and CMAN.

use super::{B, NodeSpec, no_span};
use crate::graph::{EdgeKind, Kind, Mechanism, NodeId};
use crate::model::{Database, DatabaseType, GdsPool, GlobalService, GoldenGateMode};
use crate::resolve::path;

impl B<'_> {
    /// Databases: each needs its storage and any one of its instances (FCF moves the
    /// connections of a RAC database).
    pub(super) fn databases(&mut self) {
        for db in &self.m.topo.databases {
            self.database(db);
        }
    }

    fn database(&mut self, db: &Database) {
        let object = path::database(&db.name);
        let did = self.node(NodeSpec::named(Kind::Database, &db.name, object.clone()));
        if let Some(st) = &db.storage
            && let Some(s) = self.storage_ref(st.as_str())
        {
            self.edge(did, s, EdgeKind::Requires);
        }
        let mut inst_ids = Vec::new();
        for inst in &db.instances {
            let spec = NodeSpec::new(
                Kind::Instance,
                format!("{}.{}", db.name, inst.name),
                path::instance(&db.name, &inst.name),
                inst.name.span,
            );
            let iid = self.process(spec, inst.host.as_str());
            inst_ids.push(self.asg_member(db, inst, iid));
        }
        match inst_ids.as_slice() {
            [] => self.unserved(did),
            [one] => self.edge(did, *one, EdgeKind::Requires),
            many => {
                let spec = NodeSpec::new(
                    Kind::Group,
                    format!("{}.instances", db.name),
                    path::instances(&db.name),
                    db.name.span,
                );
                if db.r#type.value == DatabaseType::RacOneNode {
                    // One instance open at a time (the first); the others are the candidate
                    // nodes Clusterware restarts it on.
                    let gid = self.group(spec, Mechanism::Relocate);
                    self.first_serves(gid, many);
                    self.edge(did, gid, EdgeKind::Requires);
                    return;
                }
                let gid = self.group(spec, Mechanism::Fcf);
                for i in many {
                    self.edge(gid, *i, EdgeKind::Member);
                }
                self.edge(did, gid, EdgeKind::Requires);
            }
        }
    }

    /// The node for a database service or GDS global service, creating database services on demand.
    pub(super) fn service(&mut self, name: &str) -> Option<NodeId> {
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
        let by_data_guard = matches!(mech, Mechanism::DataGuard { .. });
        let spec = NodeSpec::new(Kind::Service, name, path::service(name), span);
        let id = self.group(spec, mech);
        for d in &dbs {
            if let Some(did) = self.gr.find(Kind::Database, d) {
                let standby = by_data_guard && primary.as_deref() != Some(d.as_str());
                self.member(id, did, standby);
            }
        }
        Some(id)
    }

    /// Data Guard observers and far syncs: they drive recovery, they do not serve.
    pub(super) fn data_guard(&mut self) {
        for g in &self.m.topo.data_guard {
            for o in &g.observers {
                let object = path::observer(&g.name, &o.name);
                self.process(
                    NodeSpec::named(Kind::Observer, &o.name, object),
                    o.host.as_str(),
                );
            }
            for f in &g.far_syncs {
                let object = path::far_sync(&g.name, &f.name);
                self.process(
                    NodeSpec::named(Kind::FarSync, &f.name, object),
                    f.host.as_str(),
                );
            }
        }
    }

    /// GDS: a global service needs a GSM and a database of its pool.
    pub(super) fn gds(&mut self) {
        let Some(gds) = &self.m.topo.gds else {
            return;
        };
        let mut gsms = Vec::new();
        for r in &gds.regions {
            for g in &r.gsms {
                let object = path::gsm(&r.name, &g.name);
                gsms.push(
                    self.process(NodeSpec::named(Kind::Gsm, &g.name, object), g.host.as_str()),
                );
            }
        }
        for gs in &gds.global_services {
            let pool = gds
                .pools
                .iter()
                .find(|p| p.name.as_str() == gs.pool.as_str());
            self.global_service(gs, &gsms, pool);
        }
    }

    fn global_service(&mut self, gs: &GlobalService, gsms: &[NodeId], pool: Option<&GdsPool>) {
        let object = path::global_service(&gs.name);
        let id = self.node(NodeSpec::named(
            Kind::GlobalService,
            &gs.name,
            object.clone(),
        ));
        let spec = NodeSpec::new(
            Kind::Group,
            format!("{}@gsms", gs.name),
            path::global_service_gsms(&gs.name),
            gs.name.span,
        );
        let gg = self.group(spec, Mechanism::Reconnect);
        if gsms.is_empty() {
            self.unserved(gg);
        }
        for g in gsms {
            self.edge(gg, *g, EdgeKind::Member);
        }
        self.edge(id, gg, EdgeKind::Requires);
        if let Some(pool) = pool {
            let spec = NodeSpec::new(
                Kind::Group,
                format!("{}@pool", gs.name),
                path::gds_pool(&pool.name),
                pool.name.span,
            );
            let pg = self.group(spec, Mechanism::Reconnect);
            for d in &pool.databases {
                if let Some(did) = self.gr.find(Kind::Database, d.as_str()) {
                    self.edge(pg, did, EdgeKind::Member);
                }
            }
            self.edge(id, pg, EdgeKind::Requires);
        }
    }

    /// CMAN: clients reconnect to another of its hosts.
    pub(super) fn cman(&mut self) {
        for c in &self.m.topo.cman {
            let object = path::cman(&c.name);
            let id = self.group(
                NodeSpec::named(Kind::Cman, &c.name, object.clone()),
                Mechanism::Reconnect,
            );
            for h in &c.hosts {
                let spec = NodeSpec::new(
                    Kind::Group,
                    format!("{}@{h}", c.name),
                    path::cman_host(&c.name, h),
                    h.span,
                );
                let iid = self.process(spec, h.as_str());
                self.edge(id, iid, EdgeKind::Member);
            }
            if c.hosts.is_empty() {
                self.unserved(id);
            }
        }
    }
}
