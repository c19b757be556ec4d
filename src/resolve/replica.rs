//! Replica domains (Oracle MAA disaster recovery for WebLogic): a domain's `replicas:` each
//! declare a standby site and where each host of the domain resolves to there. The resolver
//! checks the mapping and makes the replica a passive domain of the model: the active
//! domain with every name kept and every host mapped. Its domain, cluster and server names
//! carry the site (`orders_ms1@dc2`, see [`Ident::qualified`]) so that object paths, graph
//! nodes and `simulate --fail` name each copy apart; rendered configuration uses the plain
//! names (one domain configuration valid in both sites).

use std::sync::Arc;

use foldhash::{HashMap, HashMapExt, HashSet};

use crate::diagnostic::{Code, Diagnostic, SourceFile, suggest};
use crate::model::{Domain, DomainRole, Ident, Name, Replica, Topology};

/// Site of every declared host, and the sites (first declaration wins; the index reports
/// names declared twice).
struct Places<'t> {
    host_site: HashMap<&'t str, &'t str>,
    sites: Vec<&'t str>,
}

impl<'t> Places<'t> {
    fn new(t: &'t Topology) -> Self {
        let mut host_site = HashMap::new();
        for s in &t.sites {
            let hosts = s.zones.iter().flat_map(|z| &z.hosts).chain(&s.hosts);
            for h in hosts {
                host_site.entry(h.name.as_str()).or_insert(s.name.as_str());
            }
        }
        Places {
            host_site,
            sites: t.sites.iter().map(|s| s.name.as_str()).collect(),
        }
    }

    fn hosts_in(&self, site: &str) -> Vec<&'t str> {
        let mut v: Vec<&str> = self
            .host_site
            .iter()
            .filter(|(_, s)| **s == site)
            .map(|(h, _)| *h)
            .collect();
        v.sort_unstable();
        v
    }
}

/// The hosts a domain uses (admin server, servers, dynamic-cluster hosts), each once, in the
/// order first named.
pub(crate) fn domain_hosts(d: &Domain) -> Vec<&Name> {
    let mut out: Vec<&Name> = vec![&d.admin_server.host];
    for c in &d.clusters {
        let dynamic = c.dynamic.iter().flat_map(|dy| &dy.hosts);
        for h in c.servers.iter().map(|s| &s.host).chain(dynamic) {
            if !out.iter().any(|x| x.as_str() == h.as_str()) {
                out.push(h);
            }
        }
    }
    out
}

/// Checks every domain's replicas and adds each valid one, right after its domain, as a
/// passive domain of the topology.
pub(super) fn expand(t: &mut Topology, file: &Arc<SourceFile>, errors: &mut Vec<Diagnostic>) {
    if t.domains.iter().all(|d| d.replicas.is_empty()) {
        return;
    }
    let mut copies: Vec<(usize, Domain)> = Vec::new();
    {
        let places = Places::new(t);
        let mut c = Checker {
            file,
            errors,
            places: &places,
        };
        for (di, d) in t.domains.iter().enumerate() {
            if !d.replicas.is_empty() && !c.active(d) {
                continue;
            }
            let mut seen: HashMap<&str, &Name> = HashMap::new();
            for r in &d.replicas {
                if let Some(first) = seen.insert(r.site.as_str(), &r.site) {
                    c.errors.push(
                        Diagnostic::error(
                            Code::LoadDuplicateMember,
                            c.file,
                            r.site.span,
                            format!("domain `{}` has two replicas in site `{}`", d.name, r.site),
                        )
                        .with_label("second replica here")
                        .with_extra(first.span, "first replica here")
                        .with_help("declare one replica per standby site"),
                    );
                } else if c.replica(d, r) {
                    copies.push((di, copy(d, r)));
                }
            }
        }
    }
    for (di, copy) in copies.into_iter().rev() {
        t.domains.insert(di + 1, copy);
    }
}

struct Checker<'a, 't> {
    file: &'a Arc<SourceFile>,
    errors: &'a mut Vec<Diagnostic>,
    places: &'a Places<'t>,
}

impl Checker<'_, '_> {
    fn error(&mut self, code: Code, name: &Name, message: String, help: String) {
        self.errors
            .push(Diagnostic::error(code, self.file, name.span, message).with_help(help));
    }

    /// Only an active domain has replicas.
    fn active(&mut self, d: &Domain) -> bool {
        if d.role.value == DomainRole::Active && d.replica_of.is_none() {
            return true;
        }
        let at = d.replicas.first().map_or(&d.name, |r| &r.site);
        self.error(
            Code::LoadInvalidReference,
            at,
            format!("domain `{}` is passive but declares `replicas`", d.name),
            "declare the replicas on the active domain they copy".into(),
        );
        false
    }

    /// Checks one replica: its site and its host mapping. Returns whether it is valid.
    fn replica(&mut self, d: &Domain, r: &Replica) -> bool {
        let site = r.site.as_str();
        if !self.places.sites.contains(&site) {
            let hint = suggest(site, self.places.sites.iter().copied())
                .map_or_else(String::new, |s| format!("did you mean `{s}`? "));
            self.error(
                Code::LoadUnknownReference,
                &r.site,
                format!(
                    "replica of domain `{}` names site `{site}`, which is not declared",
                    d.name
                ),
                format!("{hint}name the standby site the replica runs in"),
            );
            return false;
        }
        let used = domain_hosts(d);
        let active_sites: HashSet<&str> = used
            .iter()
            .filter_map(|h| self.places.host_site.get(h.as_str()).copied())
            .collect();
        if active_sites.contains(site) {
            self.error(
                Code::LoadInvalidReference,
                &r.site,
                format!(
                    "replica of domain `{}` is in site `{site}`, where the domain itself runs",
                    d.name
                ),
                "a replica is the domain's copy in another (standby) site: name that site".into(),
            );
            return false;
        }
        let before = self.errors.len();
        self.keys(d, r, &used);
        self.targets(d, r);
        self.errors.len() == before
    }

    /// Every host the domain uses is mapped; every mapped host is declared (a declared host
    /// the domain does not use is left out of the alias tables).
    fn keys(&mut self, d: &Domain, r: &Replica, used: &[&Name]) {
        let used_names = || used.iter().map(|h| h.as_str());
        for k in r.hosts.keys() {
            if self.places.host_site.contains_key(k.as_str()) {
                continue;
            }
            let hint = suggest(k.as_str(), used_names())
                .map_or_else(String::new, |s| format!("did you mean `{s}`? "));
            self.error(
                Code::LoadUnknownReference,
                k,
                format!(
                    "replica of domain `{}` in `{}` maps host `{k}`, which is not declared",
                    d.name, r.site
                ),
                format!(
                    "{hint}map each host of the domain's admin server and servers: {}",
                    used_names().collect::<Vec<_>>().join(", ")
                ),
            );
        }
        let missing: Vec<&str> = used_names()
            .filter(|u| !r.hosts.keys().any(|k| k.as_str() == *u))
            .collect();
        if !missing.is_empty() {
            self.error(
                Code::LoadMissingField,
                &r.site,
                format!(
                    "replica of domain `{}` in `{}` does not say where {} resolve{} there",
                    d.name,
                    r.site,
                    missing
                        .iter()
                        .map(|m| format!("`{m}`"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    if missing.len() == 1 { "s" } else { "" }
                ),
                format!("add each to `hosts`, mapped to a host of `{}`", r.site),
            );
        }
    }

    /// Every mapped host exists, is in the replica's site and is mapped to once.
    fn targets(&mut self, d: &Domain, r: &Replica) {
        let site = r.site.as_str();
        let mut taken: HashMap<&str, (&Name, &Name)> = HashMap::new();
        for (k, v) in &r.hosts {
            if k.as_str() == v.as_str() {
                self.error(
                    Code::LoadReferenceCycle,
                    v,
                    format!("replica of domain `{}` maps host `{k}` to itself", d.name),
                    format!("map `{k}` to the host of `{site}` its name resolves to there"),
                );
                continue;
            }
            let Some(&at) = self.places.host_site.get(v.as_str()) else {
                let in_site = self.places.hosts_in(site);
                let hint = suggest(v.as_str(), in_site.iter().copied())
                    .map_or_else(String::new, |s| format!("did you mean `{s}`? "));
                self.error(
                    Code::LoadUnknownReference,
                    v,
                    format!(
                        "replica of domain `{}` maps `{k}` to host `{v}`, which is not declared",
                        d.name
                    ),
                    format!("{hint}name a host of site `{site}`"),
                );
                continue;
            };
            if at != site {
                self.error(
                    Code::LoadInvalidReference,
                    v,
                    format!("replica of domain `{}` in `{site}` maps `{k}` to `{v}`, a host of site `{at}`", d.name),
                    format!("the alias `{k}` resolves in `{site}` to a host of `{site}`: name that host"),
                );
                continue;
            }
            if let Some((first_k, first_v)) = taken.insert(v.as_str(), (k, v)) {
                self.errors.push(
                    Diagnostic::error(
                        Code::LoadDuplicateMember,
                        self.file,
                        v.span,
                        format!(
                            "replica of domain `{}` maps both `{first_k}` and `{k}` to `{v}`: their servers would share one host (and its failures) in `{site}`",
                            d.name
                        ),
                    )
                    .with_label("mapped again here")
                    .with_extra(first_v.span, "first mapped here")
                    .with_help(format!("map each host of the domain to its own host of `{site}`")),
                );
            }
        }
    }
}

/// The passive domain a valid replica stands for: the active domain with its domain, cluster
/// and server names qualified by the site and every host mapped.
fn copy(d: &Domain, r: &Replica) -> Domain {
    let site = r.site.as_str();
    let q = |n: &Name| n.clone().map(|i| Ident::qualified(i.as_str(), site));
    let host = |h: &Name| r.hosts.get(h).cloned().unwrap_or_else(|| h.clone());
    let mut c = d.clone();
    c.name = r
        .site
        .clone()
        .map(|_| Ident::qualified(d.name.as_str(), site));
    c.role = r.site.clone().map(|_| DomainRole::Passive);
    c.replica_of = Some(d.name.clone());
    c.replicas = Vec::new();
    c.replica_site = Some(r.site.clone());
    c.admin_server.host = host(&c.admin_server.host);
    for cl in &mut c.clusters {
        cl.name = q(&cl.name);
        for s in &mut cl.servers {
            s.name = q(&s.name);
            s.host = host(&s.host);
        }
        for h in cl.dynamic.iter_mut().flat_map(|dy| &mut dy.hosts) {
            *h = host(h);
        }
    }
    for t in c.data_sources.iter_mut().flat_map(|ds| &mut ds.targets) {
        *t = q(t);
    }
    for st in &mut c.stores {
        st.cluster = q(&st.cluster);
    }
    for s in &mut c.singletons {
        s.cluster = q(&s.cluster);
    }
    c
}
