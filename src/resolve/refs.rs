//! Reference checks: every name used as a reference must be declared, with the right kind.

use std::sync::Arc;

use super::Index;
use super::index::{Defs, NameMap, sorted_names};
use crate::diagnostic::{Code, Diagnostic, SourceFile, suggest};
use crate::model::{
    Aws, Client, Cluster, Cman, CoherenceCluster, DataGuard, Database, Domain, Gds, GoldenGate,
    Link, Name, Ohs, Storage, Topology,
};

struct Checker<'a> {
    file: &'a Arc<SourceFile>,
    ix: &'a Index,
    errors: &'a mut Vec<Diagnostic>,
}

impl Checker<'_> {
    /// Reports `name` unless `known` contains it; `what` reads like "host", "data source".
    fn refer<V>(&mut self, name: &Name, what: &str, known: &NameMap<V>, context: &str) {
        if known.contains_key(name.as_str()) {
            return;
        }
        let names = known.keys().map(String::as_str);
        self.unknown(name, what, names, first_sorted, context);
    }

    /// Reports `name` as unknown: a did-you-mean from `known`, else the names `listed`
    /// picks from it.
    fn unknown<'k, I: Iterator<Item = &'k str> + Clone>(
        &mut self,
        name: &Name,
        what: &str,
        known: I,
        listed: impl FnOnce(I) -> Vec<&'k str>,
        context: &str,
    ) {
        // "cluster of domain `d`": the name goes after the kind ("unknown cluster `c` of
        // domain `d`"), not after the domain.
        let (kind, of) = match what.split_once(" of ") {
            Some((kind, owner)) => (kind, format!(" of {owner}")),
            None => (what, String::new()),
        };
        // A name declared as another kind: say what it is (a wrong-kind reference).
        let other: Vec<&str> = self
            .ix
            .kinds_named(name.as_str())
            .into_iter()
            .filter(|k| *k != kind)
            .collect();
        let is = if other.is_empty() {
            String::new()
        } else {
            format!(" (`{name}` is a {}, not a {kind})", other.join(" and a "))
        };
        let mut d = Diagnostic::error(
            Code::LoadUnknownReference,
            self.file,
            name.span,
            format!("{context} refers to unknown {kind} `{name}`{of}{is}"),
        )
        .with_label(format!("no {kind} named `{name}`{of}"));
        d = match suggest(name.as_str(), known.clone()) {
            Some(s) => d.with_help(format!("did you mean `{s}`?")),
            None => {
                let all = listed(known);
                if all.is_empty() {
                    d.with_help(format!("no {what} is declared; declare `{name}` first"))
                } else {
                    d.with_help(format!(
                        "declare `{name}`, or use one of: {}",
                        all.join(", ")
                    ))
                }
            }
        };
        self.errors.push(d);
    }

    /// Reports `name` unless `known` (in declaration order) holds it.
    fn refer_in(&mut self, name: &Name, what: &str, known: &[&str], context: &str) {
        if !known.contains(&name.as_str()) {
            self.unknown(name, what, known.iter().copied(), first_declared, context);
        }
    }

    /// Reports `name` unless `declared` holds it.
    fn refer_declared(&mut self, name: &Name, declared: &Declared<'_>, context: &str) {
        self.refer_in(name, &declared.what, &declared.names, context);
    }

    fn invalid(&mut self, name: &Name, message: String, help: &str) {
        self.errors.push(
            Diagnostic::error(Code::LoadInvalidReference, self.file, name.span, message)
                .with_help(help),
        );
    }
}

/// Names listed when an unknown reference has no close match.
const LISTED: usize = 12;

/// The first [`LISTED`] names in the order given.
fn first_declared<'k>(names: impl Iterator<Item = &'k str>) -> Vec<&'k str> {
    names.take(LISTED).collect()
}

/// The first [`LISTED`] names in sorted order, without sorting them all (a hashed map's
/// names come in no particular order).
fn first_sorted<'k>(names: impl Iterator<Item = &'k str>) -> Vec<&'k str> {
    let mut v: Vec<&str> = names.collect();
    if v.len() > LISTED {
        v.select_nth_unstable(LISTED - 1);
        v.truncate(LISTED);
    }
    v.sort_unstable();
    v
}

/// Checks every reference of the topology, section by section (in the order the
/// diagnostics are reported).
pub(super) fn check(
    t: &Topology,
    ix: &Index,
    file: &Arc<SourceFile>,
    errors: &mut Vec<Diagnostic>,
) {
    let mut c = Checker { file, ix, errors };
    c.links(&t.links);
    c.storage(&t.storage);
    c.front_end(t);
    for d in &t.domains {
        c.domain(d);
    }
    for coh in &t.coherence {
        c.coherence(coh);
    }
    c.databases(&t.databases);
    for g in &t.data_guard {
        c.data_guard(g);
    }
    c.goldengate(&t.goldengate);
    if let Some(gds) = &t.gds {
        c.gds(gds);
    }
    c.cman(&t.cman);
    c.clients(&t.clients);
    if let Some(aws) = &t.aws {
        c.aws(aws);
    }
}

/// Placement: links and storage systems.
impl Checker<'_> {
    fn links(&mut self, links: &[Link]) {
        for l in links {
            for s in l.between.iter() {
                self.refer(s, "site", &self.ix.sites, "link");
            }
            if l.between.len() != 2
                || l.between.first().map(|n| n.as_str()) == l.between.get(1).map(|n| n.as_str())
            {
                self.errors.push(
                    Diagnostic::error(
                        Code::LoadInvalidValue,
                        self.file,
                        l.between.span,
                        "a link joins exactly two different sites",
                    )
                    .with_help("write `between: [site_a, site_b]`"),
                );
            }
        }
    }

    fn storage(&mut self, storage: &[Storage]) {
        let ix = self.ix;
        for s in storage {
            let ctx = format!("storage `{}`", s.name);
            self.refer(&s.site, "site", &ix.sites, &ctx);
            for z in &s.zones {
                self.refer(z, "zone", &ix.zones, &ctx);
                if ix
                    .zones
                    .get(z.as_str())
                    .is_some_and(|site| site != s.site.as_str())
                {
                    self.invalid(
                        z,
                        format!("zone `{z}` is not in site `{}`", s.site),
                        "list zones of the storage system's own site",
                    );
                }
            }
            if let Some(h) = &s.host {
                self.refer(h, "host", &ix.hosts, &ctx);
            }
            if let Some(r) = &s.replication {
                self.refer(&r.to, "storage system", &ix.storage, &ctx);
            }
        }
    }
}

/// The front end: the global load balancer, local load balancers and OHS routes.
impl Checker<'_> {
    fn front_end(&mut self, t: &Topology) {
        let ix = self.ix;
        if let Some(g) = &t.global_load_balancer {
            let ctx = format!("global load balancer `{}`", g.name);
            for h in &g.hosts {
                self.refer(h, "host", &ix.hosts, &ctx);
            }
        }
        let mut lb_targets: NameMap<()> = ix.ohs.keys().map(|k| (k.clone(), ())).collect();
        lb_targets.extend(ix.clusters.keys().map(|k| (k.clone(), ())));
        for lb in &t.load_balancers {
            let ctx = format!("load balancer `{}`", lb.name);
            self.refer(&lb.site, "site", &ix.sites, &ctx);
            for h in &lb.hosts {
                self.refer(h, "host", &ix.hosts, &ctx);
            }
            for z in &lb.zones {
                self.refer(z, "zone", &ix.zones, &ctx);
            }
            for target in &lb.targets {
                self.refer(target, "OHS instance or cluster", &lb_targets, &ctx);
            }
        }
        for o in &t.ohs {
            self.ohs(o);
        }
    }

    fn ohs(&mut self, o: &Ohs) {
        let ix = self.ix;
        let ctx = format!("OHS `{}`", o.name);
        self.refer(&o.host, "host", &ix.hosts, &ctx);
        for r in &o.routes {
            let rctx = format!("{ctx} route `{}`", r.path);
            self.refer(&r.cluster, "cluster", &ix.clusters, &rctx);
            let members: Vec<&str> = ix
                .servers_of(r.cluster.as_str())
                .iter()
                .map(|s| s.name.as_str())
                .collect();
            if ix.clusters.contains_key(r.cluster.as_str()) {
                let what = format!("server of cluster `{}`", r.cluster);
                for s in &r.servers {
                    self.refer_in(s, &what, &members, &rctx);
                }
            }
        }
    }
}

/// Names declared in one list of a WebLogic domain, which its elements refer to.
struct Declared<'a> {
    /// What they are, e.g. "data source of domain `d`".
    what: String,
    names: Vec<&'a str>,
}

impl<'a> Declared<'a> {
    fn new<T: 'a>(
        what: &str,
        d: &Domain,
        items: &'a [T],
        name: impl Fn(&'a T) -> &'a Name,
    ) -> Self {
        Declared {
            what: format!("{what} of domain `{}`", d.name),
            names: items.iter().map(|x| name(x).as_str()).collect(),
        }
    }
}

/// The data sources, stores and clusters of one WebLogic domain.
struct DomainNames<'a> {
    data_sources: Declared<'a>,
    stores: Declared<'a>,
    clusters: Declared<'a>,
}

impl<'a> DomainNames<'a> {
    fn new(d: &'a Domain) -> Self {
        DomainNames {
            data_sources: Declared::new("data source", d, &d.data_sources, |x| &x.name),
            stores: Declared::new("store", d, &d.stores, |x| &x.name),
            clusters: Declared::new("cluster", d, &d.clusters, |x| &x.name),
        }
    }
}

/// WebLogic domains.
impl Checker<'_> {
    fn domain(&mut self, d: &Domain) {
        let ix = self.ix;
        let ctx = format!("domain `{}`", d.name);
        if let Some(r) = &d.replica_of {
            self.refer(r, "domain", &ix.domains, &ctx);
        }
        let admin = format!("{ctx} admin server");
        self.refer(&d.admin_server.host, "host", &ix.hosts, &admin);
        if let Some(s) = &d.oracle_home.storage {
            let home = format!("{ctx} Oracle home");
            self.refer(s, "storage system", &ix.storage, &home);
        }
        if let Some(s) = d.artifacts.as_ref().and_then(|a| a.storage.as_ref()) {
            let artifacts = format!("{ctx} application artifacts");
            self.refer(s, "storage system", &ix.storage, &artifacts);
        }
        let names = DomainNames::new(d);
        self.domain_duplicates(d);
        for cl in &d.clusters {
            self.cluster(cl, &names);
        }
        for ds in &d.data_sources {
            let dctx = format!("data source `{}`", ds.name);
            self.refer_service(&ds.service, &dctx);
            for target in &ds.targets {
                self.refer_declared(target, &names.clusters, &dctx);
            }
        }
        for s in &d.stores {
            let sctx = format!("store `{}`", s.name);
            self.refer_declared(&s.cluster, &names.clusters, &sctx);
            if let Some(ds) = &s.data_source {
                self.refer_declared(ds, &names.data_sources, &sctx);
            }
            if let Some(st) = &s.storage {
                self.refer(st, "storage system", &ix.storage, &sctx);
            }
        }
        for s in &d.singletons {
            let sctx = format!("singleton `{}`", s.name);
            self.refer_declared(&s.cluster, &names.clusters, &sctx);
            if let Some(st) = &s.store {
                self.refer_declared(st, &names.stores, &sctx);
            }
        }
    }

    /// Data sources, stores and singletons are named once per domain.
    fn domain_duplicates(&mut self, d: &Domain) {
        let mut dup = Defs::new("data source");
        for ds in &d.data_sources {
            dup.define(&ds.name, self.file, self.errors);
        }
        let mut dup = Defs::new("store");
        for s in &d.stores {
            dup.define(&s.name, self.file, self.errors);
        }
        let mut dup = Defs::new("singleton");
        for s in &d.singletons {
            dup.define(&s.name, self.file, self.errors);
        }
    }

    fn cluster(&mut self, cl: &Cluster, names: &DomainNames<'_>) {
        let ix = self.ix;
        let cctx = format!("cluster `{}`", cl.name);
        for s in &cl.servers {
            self.refer(&s.host, "host", &ix.hosts, &format!("server `{}`", s.name));
        }
        if let Some(dy) = &cl.dynamic {
            let dctx = format!("{cctx} dynamic servers");
            for h in &dy.hosts {
                self.refer(h, "host", &ix.hosts, &dctx);
            }
        }
        if let Some(m) = &cl.migration
            && let Some(ds) = &m.data_source
        {
            let lctx = format!("{cctx} leasing");
            self.refer_declared(ds, &names.data_sources, &lctx);
        }
        if let Some(tl) = &cl.transaction_log {
            let tctx = format!("{cctx} transaction log");
            if let Some(ds) = &tl.data_source {
                self.refer_declared(ds, &names.data_sources, &tctx);
            }
            if let Some(s) = &tl.storage {
                self.refer(s, "storage system", &ix.storage, &tctx);
            }
        }
        if let Some(sr) = &cl.session_replication
            && let Some(ds) = &sr.data_source
        {
            let sctx = format!("{cctx} session replication");
            self.refer_declared(ds, &names.data_sources, &sctx);
        }
        if let Some(coh) = &cl.coherence {
            self.refer(coh, "Coherence cluster", &ix.coherence, &cctx);
        }
    }
}

/// Coherence clusters.
impl Checker<'_> {
    fn coherence(&mut self, coh: &CoherenceCluster) {
        let ix = self.ix;
        let ctx = format!("Coherence cluster `{}`", coh.name);
        for m in &coh.members {
            self.refer(&m.host, "host", &ix.hosts, &ctx);
        }
        if let Some(p) = &coh.persistence
            && let Some(s) = &p.storage
        {
            self.refer(s, "storage system", &ix.storage, &ctx);
        }
        if let Some(f) = &coh.federation {
            let fctx = format!("{ctx} federation");
            for p in &f.participants {
                self.refer(p, "Coherence cluster", &ix.coherence, &fctx);
            }
        }
        if let Some(h) = &coh.hotcache {
            let hctx = format!("{ctx} HotCache");
            if let Some(g) = &h.goldengate {
                self.refer(g, "GoldenGate replication", &ix.goldengate, &hctx);
            }
            self.refer(&h.database, "database", &ix.databases, &hctx);
        }
    }
}

/// Databases and what replicates or fronts them: Data Guard, GoldenGate, GDS, CMAN.
impl Checker<'_> {
    fn databases(&mut self, databases: &[Database]) {
        let ix = self.ix;
        for db in databases {
            let ctx = format!("database `{}`", db.name);
            for i in &db.instances {
                self.refer(
                    &i.host,
                    "host",
                    &ix.hosts,
                    &format!("instance `{}`", i.name),
                );
            }
            if let Some(s) = &db.storage {
                self.refer(s, "storage system", &ix.storage, &ctx);
            }
            let inst: Vec<&str> = db.instances.iter().map(|i| i.name.as_str()).collect();
            let what = format!("instance of database `{}`", db.name);
            for s in &db.services {
                let sctx = format!("service `{}`", s.name);
                for i in s.preferred.iter().chain(&s.available) {
                    self.refer_in(i, &what, &inst, &sctx);
                }
            }
        }
    }

    fn data_guard(&mut self, g: &DataGuard) {
        let ix = self.ix;
        let ctx = format!("Data Guard `{}`", g.name);
        self.refer(&g.primary, "database", &ix.databases, &ctx);
        let fs_names: Vec<&str> = g.far_syncs.iter().map(|f| f.name.as_str()).collect();
        let standby_names: Vec<&str> = g.standbys.iter().map(|s| s.database.as_str()).collect();
        let far_sync = format!("far sync of {ctx}");
        for s in &g.standbys {
            self.refer(&s.database, "database", &ix.databases, &ctx);
            if s.database.as_str() == g.primary.as_str() {
                self.invalid(
                    &s.database,
                    format!(
                        "`{}` is both the primary and a standby of {ctx}",
                        s.database
                    ),
                    "a standby is a different database",
                );
            }
            if let Some(f) = &s.far_sync {
                self.refer_in(f, &far_sync, &fs_names, &ctx);
            }
        }
        for f in &g.far_syncs {
            let fctx = format!("far sync `{}`", f.name);
            self.refer(&f.host, "host", &ix.hosts, &fctx);
            if let Some(a) = &f.alternate {
                self.refer_in(a, &far_sync, &fs_names, &fctx);
            }
        }
        if let Some(fsfo) = &g.fast_start_failover {
            let what = format!("standby of {ctx}");
            let fctx = format!("{ctx} fast-start failover");
            for target in &fsfo.targets {
                self.refer_in(target, &what, &standby_names, &fctx);
            }
        }
        for o in &g.observers {
            self.refer(
                &o.host,
                "host",
                &ix.hosts,
                &format!("observer `{}`", o.name),
            );
        }
    }

    fn goldengate(&mut self, goldengate: &[GoldenGate]) {
        let ix = self.ix;
        for g in goldengate {
            let ctx = format!("GoldenGate `{}`", g.name);
            for d in &g.databases {
                self.refer(d, "database", &ix.databases, &ctx);
            }
            for h in &g.hosts {
                self.refer(h, "host", &ix.hosts, &ctx);
            }
        }
    }

    fn gds(&mut self, gds: &Gds) {
        let ix = self.ix;
        let pools: Vec<&str> = gds.pools.iter().map(|p| p.name.as_str()).collect();
        for r in &gds.regions {
            let rctx = format!("GDS region `{}`", r.name);
            for s in &r.sites {
                self.refer(s, "site", &ix.sites, &rctx);
            }
            for g in &r.gsms {
                self.refer(&g.host, "host", &ix.hosts, &format!("GSM `{}`", g.name));
            }
        }
        for p in &gds.pools {
            let pctx = format!("GDS pool `{}`", p.name);
            for d in &p.databases {
                self.refer(d, "database", &ix.databases, &pctx);
            }
        }
        for s in &gds.global_services {
            let sctx = format!("global service `{}`", s.name);
            self.refer_in(&s.pool, "GDS pool", &pools, &sctx);
        }
    }

    fn cman(&mut self, cman: &[Cman]) {
        let ix = self.ix;
        for cm in cman {
            let ctx = format!("CMAN `{}`", cm.name);
            for h in &cm.hosts {
                self.refer(h, "host", &ix.hosts, &ctx);
            }
            for s in &cm.services {
                self.refer(s, "database service", &ix.services, &ctx);
            }
        }
    }
}

/// Database clients.
impl Checker<'_> {
    fn clients(&mut self, clients: &[Client]) {
        let ix = self.ix;
        for cl in clients {
            let ctx = format!("client `{}`", cl.name);
            self.refer_service(&cl.service, &ctx);
            if let Some(v) = &cl.via {
                self.refer(v, "CMAN", &ix.cman, &ctx);
            }
            for h in &cl.hosts {
                self.refer(h, "host", &ix.hosts, &ctx);
            }
        }
    }

    /// Reports `name` unless it is a database service or a GDS global service.
    fn refer_service(&mut self, name: &Name, context: &str) {
        let ix = self.ix;
        if ix.services.contains_key(name.as_str()) || ix.global_services.contains_key(name.as_str())
        {
            return;
        }
        let mut known = sorted_names(&ix.services);
        known.extend(sorted_names(&ix.global_services));
        self.refer_in(name, "database service", &known, context);
    }
}

/// The `aws` section.
impl Checker<'_> {
    fn aws(&mut self, aws: &Aws) {
        let ix = self.ix;
        self.refer(&aws.site, "site", &ix.sites, "aws");
        let lts: Vec<&str> = aws
            .launch_templates
            .iter()
            .map(|l| l.name.as_str())
            .collect();
        let sgs: Vec<&str> = aws
            .security_groups
            .iter()
            .map(|s| s.name.as_str())
            .collect();
        for f in &aws.fsxn {
            let ctx = format!("FSx for ONTAP `{}`", f.name);
            for z in &f.zones {
                self.refer(z, "zone", &ix.zones, &ctx);
            }
            for s in &f.security_groups {
                self.refer_in(s, "security group", &sgs, &ctx);
            }
        }
        for g in &aws.auto_scaling_groups {
            let ctx = format!("Auto Scaling group `{}`", g.name);
            for z in &g.zones {
                self.refer(z, "zone", &ix.zones, &ctx);
            }
            self.refer_in(&g.launch_template, "launch template", &lts, &ctx);
            self.refer(&g.host, "host", &ix.hosts, &ctx);
            if let Some(d) = &g.database {
                self.refer(d, "database", &ix.databases, &ctx);
            }
        }
        for lt in &aws.launch_templates {
            let ctx = format!("launch template `{}`", lt.name);
            for s in &lt.security_groups {
                self.refer_in(s, "security group", &sgs, &ctx);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names offered for an unknown reference are the first in name order, whatever
    /// order the hashed index holds them in and whatever order the YAML declares them in.
    #[test]
    fn unknown_reference_lists_the_first_names_in_order() {
        let hosts: String = (0..20)
            .rev()
            .map(|i| format!("      - name: host{i:02}\n"))
            .collect();
        let text = format!(
            "version: 1\nname: t\narchitecture: single-site\nsites:\n  - name: dc1\n    role: primary\n    hosts:\n{hosts}ohs:\n  - {{name: o1, host: qqqqqqqq, routes: []}}\n"
        );
        let loaded = crate::load::load_str("t.yaml", text).unwrap_or_else(|e| panic!("{e:?}"));
        let Err(errors) = crate::resolve::resolve(loaded) else {
            panic!("an unknown host resolves");
        };
        let helps: Vec<&str> = errors.iter().filter_map(|d| d.help.as_deref()).collect();
        let names: Vec<String> = (0..12).map(|i| format!("host{i:02}")).collect();
        assert_eq!(
            helps,
            [format!(
                "declare `qqqqqqqq`, or use one of: {}",
                names.join(", ")
            )]
        );
    }

    #[test]
    fn first_sorted_matches_a_full_sort() {
        let names = [
            "m", "c", "x", "a", "q", "b", "z", "d", "y", "e", "f", "w", "g", "h",
        ];
        let mut all = names.to_vec();
        all.sort_unstable();
        for n in 0..=names.len() {
            let some = names.get(..n).unwrap_or(&[]);
            let mut want = some.to_vec();
            want.sort_unstable();
            want.truncate(LISTED);
            assert_eq!(first_sorted(some.iter().copied()), want, "{n} names");
        }
        assert_eq!(first_sorted(names.iter().copied()), &all[..LISTED]);
    }
}
