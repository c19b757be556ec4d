//! Storage systems: where each is placed, and the replicated pairs dependents fail over to.

use super::{B, NodeSpec};
use crate::graph::{EdgeKind, EventClass, Kind, Mechanism, NodeId};
use crate::model::{ReplicationMode, Storage};
use crate::resolve::path;

impl B<'_> {
    /// Storage systems, then the node dependents of each use ([`B::storage_ref`]).
    pub(super) fn storage(&mut self) {
        let t = &self.m.topo;
        for st in &t.storage {
            self.storage_system(st);
        }
        // Replicated storage: dependents can fail over to the peer by hand.
        for st in &t.storage {
            let Some(id) = self.gr.find(Kind::Storage, st.name.as_str()) else {
                continue;
            };
            let peer = st
                .replication
                .as_ref()
                .and_then(|r| Some((r, self.gr.find(Kind::Storage, r.to.as_str())?)));
            let dep = match peer {
                Some((r, peer)) => {
                    let sync = r.mode.value == ReplicationMode::Sync;
                    let lag = r.lag.as_ref().map(|l| l.value);
                    let spec = NodeSpec::new(
                        Kind::Group,
                        format!("{}+{}", st.name, r.to),
                        path::storage_replication(&st.name),
                        r.to.span,
                    );
                    let g = self.group(spec, Mechanism::ManualStorage { lag, sync });
                    self.edge(g, id, EdgeKind::Member);
                    self.edge(g, peer, EdgeKind::Standby);
                    g
                }
                None => id,
            };
            self.storage_dep.insert(st.name.to_string(), dep);
        }
    }

    /// A storage system placed on its host, its zone, any of its zones, or its site.
    fn storage_system(&mut self, st: &Storage) {
        let spec = NodeSpec::named(Kind::Storage, &st.name, path::storage(&st.name));
        let id = self.event(spec, EventClass::Storage);
        self.gr.g[id].site = self.site(st.site.as_str());
        if let Some(h) = &st.host {
            self.place(id, h.as_str());
            return;
        }
        let zones: Vec<NodeId> = st
            .zones
            .iter()
            .filter_map(|z| self.zone(z.as_str()))
            .collect();
        match zones.as_slice() {
            [] => self.place_on_site(id, st.site.as_str()),
            [z] => self.edge(id, *z, EdgeKind::PlacedOn),
            many => {
                let spec = NodeSpec::new(
                    Kind::Group,
                    format!("{}@zones", st.name),
                    path::storage_zones(&st.name),
                    st.name.span,
                );
                let g = self.group(spec, Mechanism::StorageFailover);
                self.gr.g[g].site = self.site(st.site.as_str());
                for z in many {
                    self.edge(g, *z, EdgeKind::Member);
                }
                self.edge(id, g, EdgeKind::Requires);
            }
        }
    }
}
