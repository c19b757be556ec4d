//! WebLogic domains: clusters, their servers and what every server needs, singletons and
//! the transaction log that migrate between servers.

use std::collections::BTreeMap;

use super::{B, NodeSpec};
use crate::graph::{EdgeKind, Kind, Mechanism, NodeId};
use crate::model::{
    ArtifactLayout, Cluster, Domain, DomainRole, HomeLayout, LeasingBasis, MigrationPolicy, Name,
    StoreType,
};
use crate::resolve::path;

/// Data source name → the database service it connects to (in one domain).
type DsService<'a> = BTreeMap<&'a str, &'a Name>;

/// What every server of a cluster needs, by name.
#[derive(Default)]
struct Needs<'a> {
    data_sources: Vec<&'a str>,
    storages: Vec<&'a str>,
}

impl<'a> Needs<'a> {
    /// A JDBC store needs its data source; a file store its storage.
    fn store(&mut self, kind: StoreType, data_source: Option<&'a Name>, storage: Option<&'a Name>) {
        match kind {
            StoreType::Jdbc => self.data_sources.extend(data_source.map(|x| x.as_str())),
            StoreType::File => self.storages.extend(storage.map(|x| x.as_str())),
        }
    }
}

impl B<'_> {
    pub(super) fn weblogic(&mut self) {
        for d in &self.m.topo.domains {
            let ds_service: DsService<'_> = d
                .data_sources
                .iter()
                .map(|ds| (ds.name.as_str(), &ds.service))
                .collect();
            for c in &d.clusters {
                self.cluster(d, c, &ds_service);
            }
        }
    }

    /// A cluster needs any one of its servers (OHS's plug-in moves requests) and each of
    /// its singletons.
    fn cluster(&mut self, d: &Domain, c: &Cluster, ds_service: &DsService<'_>) {
        let cid = self.node(NodeSpec::named(
            Kind::Cluster,
            &c.name,
            path::cluster(&d.name, &c.name),
        ));
        self.gr.g[cid].passive = d.role.value == DomainRole::Passive;
        let spec = NodeSpec::new(
            Kind::Group,
            format!("{}@servers", c.name),
            path::cluster_servers(&d.name, &c.name),
            c.name.span,
        );
        let members = self.group(spec, Mechanism::Plugin);
        self.gr.g[members].of = Some(cid);
        self.edge(cid, members, EdgeKind::Requires);
        let needs = self.server_needs(d, c, ds_service);
        let mut server_ids = self.servers(d, c, members, &needs);
        if server_ids.is_empty() {
            // No servers (a dynamic cluster without hosts): nothing can serve.
            self.unserved(members);
        }
        // Singletons run on one server (taken as the first by name, so results do not
        // depend on YAML order) and migrate to another.
        server_ids.sort_by(|a, b| self.gr.g[*a].name.cmp(&self.gr.g[*b].name));
        self.singletons(d, c, cid, &server_ids);
        self.transaction_log(d, c, cid, &server_ids);
    }

    /// The nodes every server of cluster `c` needs: the services of its data sources, its
    /// stores' storage, a shared Oracle home's storage and its Coherence cluster.
    fn server_needs(&mut self, d: &Domain, c: &Cluster, ds_service: &DsService<'_>) -> Vec<NodeId> {
        let mut by_name = Needs {
            data_sources: d
                .data_sources
                .iter()
                .filter(|ds| ds.targets.iter().any(|x| x.as_str() == c.name.as_str()))
                .map(|ds| ds.name.as_str())
                .collect(),
            storages: Vec::new(),
        };
        if let Some(mg) = &c.migration
            && mg.leasing.value == LeasingBasis::Database
            && let Some(ds) = &mg.data_source
        {
            by_name.data_sources.push(ds.as_str());
        }
        if let Some(tl) = &c.transaction_log {
            by_name.store(
                tl.r#type.value,
                tl.data_source.as_ref(),
                tl.storage.as_ref(),
            );
        }
        if let Some(sr) = &c.session_replication
            && let Some(ds) = &sr.data_source
        {
            by_name.data_sources.push(ds.as_str());
        }
        for s in d
            .stores
            .iter()
            .filter(|s| s.cluster.as_str() == c.name.as_str())
        {
            by_name.store(s.r#type.value, s.data_source.as_ref(), s.storage.as_ref());
        }
        if d.oracle_home.layout.value == HomeLayout::Shared
            && let Some(st) = &d.oracle_home.storage
        {
            by_name.storages.push(st.as_str());
        }
        // Shared application artifacts: a server cannot (re)start its applications without them.
        if let Some(a) = &d.artifacts
            && a.layout.value == ArtifactLayout::Shared
            && let Some(st) = &a.storage
        {
            by_name.storages.push(st.as_str());
        }
        let mut needs: Vec<NodeId> = Vec::new();
        for ds in by_name.data_sources {
            if let Some(svc) = ds_service.get(ds)
                && let Some(id) = self.service(svc.as_str())
            {
                needs.push(id);
            }
        }
        for st in by_name.storages {
            needs.extend(self.storage_ref(st));
        }
        if let Some(coh) = &c.coherence {
            needs.extend(self.gr.find(Kind::Coherence, coh.as_str()));
        }
        needs
    }

    /// The servers of a cluster, members of `members`, each needing `needs`.
    fn servers(
        &mut self,
        d: &Domain,
        c: &Cluster,
        members: NodeId,
        needs: &[NodeId],
    ) -> Vec<NodeId> {
        let mut server_ids = Vec::new();
        for s in self.m.index.servers_of(c.name.as_str()) {
            let span = c
                .servers
                .iter()
                .find(|x| x.name.as_str() == s.name)
                .map_or_else(
                    || c.dynamic.as_ref().map_or(c.name.span, |dy| dy.size.span),
                    |x| x.name.span,
                );
            let spec = NodeSpec::new(
                Kind::Server,
                s.name.as_str(),
                path::server(&d.name, &c.name, &s.name),
                span,
            );
            let sid = self.process(spec, s.host.as_str());
            for n in needs {
                self.edge(sid, *n, EdgeKind::Requires);
            }
            self.edge(members, sid, EdgeKind::Member);
            server_ids.push(sid);
        }
        server_ids
    }

    /// The cluster's singletons: each runs on the first server and migrates to the others.
    fn singletons(&mut self, d: &Domain, c: &Cluster, cid: NodeId, server_ids: &[NodeId]) {
        let automatic = c.migration.is_some();
        for sg in d
            .singletons
            .iter()
            .filter(|s| s.cluster.as_str() == c.name.as_str())
        {
            let auto = automatic && sg.migration.value != MigrationPolicy::Manual;
            let spec = NodeSpec::new(
                Kind::Singleton,
                format!("{}/{}", c.name, sg.name),
                path::singleton(&d.name, &sg.name),
                sg.name.span,
            );
            let gid = self.group(spec, migration(c, auto));
            self.first_serves(gid, server_ids);
            if server_ids.is_empty() {
                self.unserved(gid);
            }
            self.edge(cid, gid, EdgeKind::Requires);
        }
    }

    /// JTA recovery: every server's transaction log (TLOG) is recovered by another server
    /// when its own is lost, so each server has a recovery service of its own (`c/jta@s`),
    /// served by that server and migrating to the others.
    fn transaction_log(&mut self, d: &Domain, c: &Cluster, cid: NodeId, server_ids: &[NodeId]) {
        let Some(tl) = &c.transaction_log else {
            return;
        };
        if server_ids.len() <= 1 {
            return;
        }
        let auto = c.migration.is_some() && tl.migration.value != MigrationPolicy::Manual;
        for sid in server_ids {
            let spec = NodeSpec::new(
                Kind::Singleton,
                format!("{}/jta@{}", c.name, self.gr.g[*sid].name),
                path::transaction_log(&d.name, &c.name),
                tl.r#type.span,
            );
            let gid = self.group(spec, migration(c, auto));
            // Its own server first, then the others in name order.
            let mut members = vec![*sid];
            members.extend(server_ids.iter().filter(|x| *x != sid));
            self.first_serves(gid, &members);
            self.edge(cid, gid, EdgeKind::Requires);
        }
    }
}

/// Service migration within cluster `c`, automatic or by hand.
fn migration(c: &Cluster, automatic: bool) -> Mechanism {
    Mechanism::ServiceMigration {
        cluster: c.name.to_string(),
        automatic,
    }
}
