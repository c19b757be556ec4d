//! The end-to-end services users depend on (the roots the analysis starts from): database
//! clients, web paths (global LB → local LB → OHS → cluster), clusters no OHS route
//! reaches, and database services nothing in the model consumes.

use std::collections::{BTreeMap, BTreeSet};

use miette::SourceSpan;

use super::{B, NodeSpec, no_span};
use crate::graph::{EdgeKind, Kind, Mechanism, NodeId};
use crate::model::{Cluster, Domain, DomainRole, LoadBalancer, SiteRole};
use crate::resolve::path;

/// A route node and the index of its OHS in `topo.ohs`.
type Route = (usize, NodeId);

impl B<'_> {
    pub(super) fn apps(&mut self) {
        let mut apps = Vec::new();
        self.clients(&mut apps);
        let routed_clusters = self.web_paths(&mut apps);
        self.unrouted_clusters(&routed_clusters, &mut apps);
        self.unconsumed_services(&mut apps);
        apps.sort_by(|a, b| {
            (self.gr.g[*a].kind, &self.gr.g[*a].name)
                .cmp(&(self.gr.g[*b].kind, &self.gr.g[*b].name))
        });
        apps.dedup();
        self.gr.apps = apps;
    }

    /// One app per path the OHS instances serve; returns the clusters some route reaches.
    fn web_paths(&mut self, apps: &mut Vec<NodeId>) -> BTreeSet<String> {
        let t = &self.m.topo;
        let mut paths: BTreeMap<String, Vec<(usize, usize)>> = BTreeMap::new();
        for (oi, o) in t.ohs.iter().enumerate() {
            for (ri, r) in o.routes.iter().enumerate() {
                paths.entry(r.path.to_string()).or_default().push((oi, ri));
            }
        }
        let mut routed_clusters = BTreeSet::new();
        for (path, routes) in &paths {
            let (route_ids, first_span) = self.routes(routes, &mut routed_clusters);
            if route_ids.is_empty() {
                continue;
            }
            let spec = NodeSpec::new(Kind::App, path.clone(), path::web_path(path), first_span);
            // The global load balancer is a DNS control plane, not in the request path:
            // users reach the sites through the addresses it answered. It acts only in a
            // site switch (`Mechanism::SiteSwitch`), which needs one of its nodes alive.
            let app = self.node(spec);
            let entry = self.path_entry(path, first_span, &route_ids);
            self.gr.g[entry].of = Some(app);
            self.edge(app, entry, EdgeKind::Requires);
            apps.push(app);
        }
        routed_clusters
    }

    /// Route nodes (one OHS serving one path from one cluster) for the routes `(ohs, route)`
    /// of a path, and the span of the path's first route.
    fn routes(
        &mut self,
        routes: &[(usize, usize)],
        routed_clusters: &mut BTreeSet<String>,
    ) -> (Vec<Route>, SourceSpan) {
        let t = &self.m.topo;
        let mut route_ids = Vec::new();
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
            // An OHS in a site where the cluster's domain has a replica reaches the
            // replica's servers: the cluster's listen addresses resolve there to that site's hosts.
            let local = self.m.index.site_of(o.host.as_str()).and_then(|site| {
                let copy = crate::model::Ident::qualified(r.cluster.as_str(), site);
                self.gr.find(Kind::Cluster, copy.as_str())
            });
            let Some(cl) = local.or_else(|| self.gr.find(Kind::Cluster, r.cluster.as_str())) else {
                continue;
            };
            routed_clusters.insert(r.cluster.to_string());
            let spec = NodeSpec::new(
                Kind::Route,
                format!("{}{}", o.name, r.path),
                path::ohs_route(&o.name, &r.path),
                r.path.span,
            );
            let rid = self.node(spec);
            self.edge(rid, ohs, EdgeKind::Requires);
            self.edge(rid, cl, EdgeKind::Requires);
            route_ids.push((*oi, rid));
        }
        (route_ids, first_span)
    }

    /// How users enter a path: through any site's local load balancer (the global load
    /// balancer switches sites), or straight to the OHS instances when no load balancer
    /// fronts them.
    fn path_entry(&mut self, path: &str, span: SourceSpan, route_ids: &[Route]) -> NodeId {
        let spec = NodeSpec::new(
            Kind::Group,
            format!("{path}@sites"),
            path::web_path(path),
            span,
        );
        let entry = self.group(spec, Mechanism::SiteSwitch);
        let mut any = false;
        for lb in &self.m.topo.load_balancers {
            if let Some((lp, passive)) = self.lb_path(lb, path, route_ids) {
                let standby =
                    passive || self.site_role(lb.site.as_str()) == Some(SiteRole::Standby);
                self.member(entry, lp, standby);
                any = true;
            }
        }
        if !any {
            // No local load balancer: the OHS instances are the entry points.
            self.gr.g[entry].mechanism = Mechanism::HealthCheck {
                by: "clients".into(),
            };
            for (_, rid) in route_ids {
                let standby = self.route_passive(*rid);
                self.member(entry, *rid, standby);
            }
        }
        entry
    }

    /// A path through load balancer `lb`: the balancer and any one of the routes of the
    /// OHS instances it targets (by default, those of its site); and whether every one of
    /// those routes leads to a passive cluster.
    fn lb_path(
        &mut self,
        lb: &LoadBalancer,
        path: &str,
        route_ids: &[Route],
    ) -> Option<(NodeId, bool)> {
        let t = &self.m.topo;
        let lid = self.gr.find(Kind::Lb, lb.name.as_str())?;
        let targets: Vec<NodeId> = route_ids
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
            .map(|(_, rid)| *rid)
            .collect();
        if targets.is_empty() {
            return None;
        }
        let spec = NodeSpec::new(
            Kind::Group,
            format!("{}{path}", lb.name),
            path::load_balancer(&lb.name),
            lb.name.span,
        );
        let lp = self.node(spec);
        self.gr.g[lp].site = self.site(lb.site.as_str());
        let spec = NodeSpec::new(
            Kind::Group,
            format!("{}{path}@ohs", lb.name),
            path::load_balancer_targets(&lb.name),
            lb.name.span,
        );
        let by = lb.name.to_string();
        let rg = self.group(spec, Mechanism::HealthCheck { by });
        let mut passive = true;
        for rid in targets {
            self.edge(rg, rid, EdgeKind::Member);
            passive &= self.route_passive(rid);
        }
        self.edge(lp, lid, EdgeKind::Requires);
        self.edge(lp, rg, EdgeKind::Requires);
        Some((lp, passive))
    }

    /// Clusters no OHS route reaches are services of their own (a passive replica is their standby).
    fn unrouted_clusters(&mut self, routed: &BTreeSet<String>, apps: &mut Vec<NodeId>) {
        let t = &self.m.topo;
        for d in t
            .domains
            .iter()
            .filter(|d| d.role.value == DomainRole::Active)
        {
            for (ci, c) in d.clusters.iter().enumerate() {
                if routed.contains(c.name.as_str()) {
                    continue;
                }
                if let Some(app) = self.cluster_app(d, ci, c) {
                    apps.push(app);
                }
            }
        }
    }

    fn cluster_app(&mut self, d: &Domain, ci: usize, c: &Cluster) -> Option<NodeId> {
        let t = &self.m.topo;
        let cid = self.gr.find(Kind::Cluster, c.name.as_str())?;
        let object = path::cluster(&d.name, &c.name);
        let spec = NodeSpec::new(
            Kind::App,
            format!("cluster:{}", c.name),
            object.clone(),
            c.name.span,
        );
        let app = self.node(spec);
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
            let spec = NodeSpec::new(
                Kind::Group,
                format!("cluster:{}@sites", c.name),
                object,
                c.name.span,
            );
            let g = self.group(spec, Mechanism::SiteSwitch);
            self.gr.g[g].of = Some(app);
            self.edge(g, cid, EdgeKind::Member);
            for r in replicas {
                self.edge(g, r, EdgeKind::Standby);
            }
            self.edge(app, g, EdgeKind::Requires);
        }
        Some(app)
    }

    /// Database services (and databases without services) nothing in the model consumes
    /// are services of their own; a Data Guard standby is not.
    fn unconsumed_services(&mut self, apps: &mut Vec<NodeId>) {
        let t = &self.m.topo;
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
}
