//! The front end: the global load balancer, local load balancers and OHS instances.

use super::{B, NodeSpec};
use crate::graph::{EdgeKind, EventClass, Kind, Mechanism, NodeId};
use crate::model::LoadBalancer;
use crate::resolve::path;

impl B<'_> {
    pub(super) fn front_end(&mut self) {
        let t = &self.m.topo;
        if let Some(glb) = &t.global_load_balancer {
            // A managed global load balancer is the provider's concern: its hosts do not count.
            let hosts = if glb.managed.value {
                Vec::new()
            } else {
                self.hosts(&glb.hosts)
            };
            let spec = NodeSpec::named(Kind::GlobalLb, &glb.name, path::global_load_balancer());
            self.balancer(spec, glb.managed.value, hosts);
        }
        for lb in &t.load_balancers {
            self.load_balancer(lb);
        }
        for o in &t.ohs {
            let spec = NodeSpec::named(Kind::Ohs, &o.name, path::ohs(&o.name));
            self.process(spec, o.host.as_str());
        }
    }

    /// A local load balancer: a managed one spans its zones, another runs on its hosts.
    fn load_balancer(&mut self, lb: &LoadBalancer) {
        let members = if lb.managed.value {
            lb.zones
                .iter()
                .filter_map(|z| self.zone(z.as_str()))
                .collect()
        } else {
            self.hosts(&lb.hosts)
        };
        let alone = members.is_empty();
        let spec = NodeSpec::named(Kind::Lb, &lb.name, path::load_balancer(&lb.name));
        let id = self.balancer(spec, lb.managed.value, members);
        if alone {
            self.place_on_site(id, lb.site.as_str());
        }
        self.gr.g[id].site = self.site(lb.site.as_str());
    }

    /// A load balancer on `members` (hosts or zones) whose health check moves traffic
    /// between them; without members, a managed service that does not fail in the model,
    /// or an appliance that fails as one component.
    fn balancer(&mut self, spec: NodeSpec, managed: bool, members: Vec<NodeId>) -> NodeId {
        if members.is_empty() {
            return if managed {
                self.node(spec)
            } else {
                self.event(spec, EventClass::Component)
            };
        }
        let by = spec.name.clone();
        let id = self.group(spec, Mechanism::HealthCheck { by });
        for m in members {
            self.edge(id, m, EdgeKind::Member);
        }
        id
    }

    fn hosts(&self, names: &[crate::model::Name]) -> Vec<NodeId> {
        names.iter().filter_map(|h| self.host(h.as_str())).collect()
    }
}
