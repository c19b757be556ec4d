//! Database clients: each needs its database service (and its CMAN, when it connects via one).

use super::{B, NodeSpec};
use crate::graph::{EdgeKind, Kind, NodeId};
use crate::model::Driver;
use crate::resolve::path;

impl B<'_> {
    /// Client nodes, each an end-to-end service of its own (pushed to `apps`).
    pub(super) fn clients(&mut self, apps: &mut Vec<NodeId>) {
        let t = &self.m.topo;
        for c in &t.clients {
            // A WebLogic "client" is the pool of a data source the domains already model:
            // the web paths through the clusters are the services, not the pool itself.
            let modelled = c.driver.value == Driver::Weblogic
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
            let id = self.node(NodeSpec::named(
                Kind::Client,
                &c.name,
                path::client(&c.name),
            ));
            if let Some(via) = &c.via
                && let Some(cm) = self.gr.find(Kind::Cman, via.as_str())
            {
                self.edge(id, cm, EdgeKind::Requires);
            }
            self.edge(id, svc, EdgeKind::Requires);
            apps.push(id);
        }
    }
}
