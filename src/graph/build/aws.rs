//! AWS: FSx for ONTAP file systems (storage) and the Auto Scaling groups that replace a
//! database instance's host.

use std::collections::BTreeSet;

use miette::SourceSpan;

use super::{B, NodeSpec};
use crate::graph::{EdgeKind, EventClass, Kind, Mechanism, NodeId};
use crate::model::{AutoScalingGroup, Aws, Database, DbInstance, Fsxn};
use crate::resolve::path;

impl B<'_> {
    /// FSx for ONTAP file systems, used by dependents as storage.
    pub(super) fn fsxn(&mut self) {
        let Some(aws) = &self.m.topo.aws else {
            return;
        };
        for f in &aws.fsxn {
            let id = self.file_system(aws, f);
            self.gr.g[id].site = self.site(aws.site.as_str());
            self.storage_dep.insert(f.name.to_string(), id);
        }
    }

    /// A Multi-AZ file system in two zones or more fails over between its file servers;
    /// any other is a storage failure event of its own.
    fn file_system(&mut self, aws: &Aws, f: &Fsxn) -> NodeId {
        let zones: Vec<(String, NodeId, SourceSpan)> = {
            let mut seen = BTreeSet::new();
            f.zones
                .iter()
                .filter(|z| seen.insert(z.to_string()))
                .filter_map(|z| self.zone(z.as_str()).map(|id| (z.to_string(), id, z.span)))
                .collect()
        };
        let object = path::fsxn(&f.name);
        if !(f.deployment_type.is_multi_az() && zones.len() >= 2) {
            let spec = NodeSpec::new(Kind::Fsxn, f.name.as_str(), object, f.deployment_type.span);
            let id = self.event(spec, EventClass::Storage);
            match zones.first() {
                Some((_, zid, _)) => self.edge(id, *zid, EdgeKind::PlacedOn),
                None => self.place_on_site(id, aws.site.as_str()),
            }
            return id;
        }
        let spec = NodeSpec::named(Kind::Fsxn, &f.name, object.clone());
        let id = self.group(spec, Mechanism::StorageFailover);
        for (i, (z, zid, span)) in zones.iter().enumerate() {
            let spec = NodeSpec::new(
                Kind::FileServer,
                format!("{}@{z}", f.name),
                path::fsxn_zone(&f.name, z),
                *span,
            );
            let fs = self.event(spec, EventClass::Storage);
            self.gr.g[fs].site = self.gr.g[*zid].site;
            self.edge(fs, *zid, EdgeKind::PlacedOn);
            self.member(id, fs, i > 0);
        }
        id
    }

    /// What a database depends on for instance `iid`: the instance, or the Auto Scaling
    /// group that keeps its host alive and replaces it in another zone.
    pub(super) fn asg_member(&mut self, db: &Database, inst: &DbInstance, iid: NodeId) -> NodeId {
        let asgs: &[AutoScalingGroup] = self
            .m
            .topo
            .aws
            .as_ref()
            .map(|a| a.auto_scaling_groups.as_slice())
            .unwrap_or_default();
        let asg = asgs.iter().enumerate().find(|(_, a)| {
            a.host.as_str() == inst.host.as_str()
                || a.database
                    .as_ref()
                    .is_some_and(|d| d.as_str() == db.name.as_str())
        });
        let Some((ai, a)) = asg else {
            return iid;
        };
        let spec = NodeSpec::new(
            Kind::Group,
            format!("{}.{}@asg", db.name, inst.name),
            path::auto_scaling_group(&a.name),
            a.name.span,
        );
        let gid = self.group(spec, Mechanism::Asg { group: ai });
        self.edge(gid, iid, EdgeKind::Member);
        for z in &a.zones {
            if let Some(zid) = self.zone(z.as_str()) {
                let spec = NodeSpec::new(
                    Kind::AsgSlot,
                    format!("{}@{z}", a.name),
                    path::auto_scaling_group_zone(&a.name, z),
                    z.span,
                );
                let slot = self.node(spec);
                self.gr.g[slot].site = self.gr.g[zid].site;
                self.edge(slot, zid, EdgeKind::PlacedOn);
                self.edge(gid, slot, EdgeKind::Standby);
            }
        }
        gid
    }
}
