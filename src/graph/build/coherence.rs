//! Coherence clusters: all but `backup_count` of the machines that hold storage members.

use super::{B, NodeSpec};
use crate::graph::{EdgeKind, EventClass, Kind, Mechanism};
use crate::model::{CoherenceCluster, Name};
use crate::resolve::path;

impl B<'_> {
    pub(super) fn coherence(&mut self) {
        for c in &self.m.topo.coherence {
            self.coherence_cluster(c);
        }
    }

    fn coherence_cluster(&mut self, c: &CoherenceCluster) {
        let object = path::coherence(&c.name);
        let mut hosts: Vec<&Name> = Vec::new();
        for m in c.members.iter().filter(|m| m.storage.value) {
            if !hosts.iter().any(|h| h.as_str() == m.host.as_str()) {
                hosts.push(&m.host);
            }
        }
        let spec = NodeSpec::named(Kind::Coherence, &c.name, object.clone());
        if hosts.is_empty() {
            self.event(spec, EventClass::Component);
            return;
        }
        let n = u32::try_from(hosts.len()).unwrap_or(u32::MAX);
        let k = n.saturating_sub(c.backup_count.value).max(1);
        let id = self.at_least(spec, k, Mechanism::None);
        for h in hosts {
            let spec = NodeSpec::new(
                Kind::Group,
                format!("{}@{}", c.name, h),
                path::coherence_member(&c.name, h),
                h.span,
            );
            let mid = self.process(spec, h.as_str());
            self.edge(id, mid, EdgeKind::Member);
        }
    }
}
