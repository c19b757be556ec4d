//! Failure domains: regions, sites, zones, hosts and the non-redundant links between sites.

use std::collections::BTreeSet;

use super::{B, NodeSpec};
use crate::graph::{EdgeKind, EventClass, Kind, NodeId};
use crate::model::{Host, SiteRole};
use crate::resolve::path;

fn site_pair(a: NodeId, b: NodeId) -> (NodeId, NodeId) {
    if a <= b { (a, b) } else { (b, a) }
}

fn pair<'a>(a: &'a str, b: &'a str) -> (&'a str, &'a str) {
    if a <= b { (a, b) } else { (b, a) }
}

impl B<'_> {
    /// Sites (with their regions), zones and hosts, then the links between sites.
    pub(super) fn placement(&mut self) {
        let t = &self.m.topo;
        let mut regions = BTreeSet::new();
        for site in &t.sites {
            let s = self.event(
                NodeSpec::named(Kind::Site, &site.name, path::site(&site.name)),
                EventClass::Site,
            );
            self.gr.g[s].site = Some(s);
            if let Some(r) = &site.region {
                regions.insert(r.to_string());
                let object = path::site_region(&site.name);
                let rid = self.event(NodeSpec::named(Kind::Region, r, object), EventClass::Region);
                self.edge(s, rid, EdgeKind::PlacedOn);
            }
            for zone in &site.zones {
                let object = path::zone(&site.name, &zone.name);
                let z = self.event(
                    NodeSpec::named(Kind::Zone, &zone.name, object),
                    EventClass::Zone,
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
        self.links();
    }

    /// Adds a host (a host failure event) placed on `parent` (its zone or its site).
    fn add_host(&mut self, host: &Host, site: NodeId, parent: NodeId) {
        let object = path::host(&host.name);
        let h = self.event(
            NodeSpec::named(Kind::Host, &host.name, object),
            EventClass::Host,
        );
        self.gr.g[h].site = Some(site);
        self.edge(h, parent, EdgeKind::PlacedOn);
    }

    /// A link failure event for each link between two declared sites; the loss of a
    /// redundant link (both of its paths: a partition) is a double fault.
    fn links(&mut self) {
        for link in &self.m.topo.links {
            let [a, b] = link.between.value.as_slice() else {
                continue;
            };
            if a.as_str() == b.as_str() {
                continue;
            }
            let (Some(sa), Some(sb)) = (self.site(a.as_str()), self.site(b.as_str())) else {
                continue;
            };
            let (a, b) = pair(a.as_str(), b.as_str());
            let spec = NodeSpec::new(
                Kind::Link,
                format!("{a} <-> {b}"),
                path::link(a, b),
                link.between.span,
            );
            let id = self.event(spec, EventClass::Link);
            self.gr.g[id].double = link.redundant.value;
            self.links.insert(site_pair(sa, sb), id);
        }
    }

    /// Derives the site of nodes that run in one site, then makes cross-site dependencies
    /// also need the (non-redundant) link between the two sites.
    pub(super) fn sites_and_links(&mut self) {
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
