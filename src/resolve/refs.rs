//! Reference checks: every name used as a reference must be declared, with the right kind.

use std::sync::Arc;

use super::Index;
use super::index::{NameMap, sorted_names};
use crate::diagnostic::{Diagnostic, Severity, SourceFile, suggest};
use crate::model::{Name, Topology};

struct Checker<'a> {
    file: &'a Arc<SourceFile>,
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
        let mut d = Diagnostic::new(
            "load/unknown-reference",
            "unknown-reference",
            Severity::Error,
            self.file,
            name.span,
            format!("{context} refers to unknown {what} `{name}`"),
        )
        .with_label(format!("no {what} named `{name}`"));
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

    fn invalid(&mut self, name: &Name, message: String, help: &str) {
        self.errors.push(
            Diagnostic::new(
                "load/invalid-reference",
                "invalid-reference",
                Severity::Error,
                self.file,
                name.span,
                message,
            )
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

pub(super) fn check(
    t: &Topology,
    ix: &Index,
    file: &Arc<SourceFile>,
    errors: &mut Vec<Diagnostic>,
) {
    let mut c = Checker { file, errors };
    let hosts = &ix.hosts;

    for l in &t.links {
        for s in l.between.iter() {
            c.refer(s, "site", &ix.sites, "link");
        }
        if l.between.len() != 2
            || l.between.first().map(|n| n.as_str()) == l.between.get(1).map(|n| n.as_str())
        {
            c.errors.push(
                Diagnostic::new(
                    "load/invalid-value",
                    "invalid-value",
                    Severity::Error,
                    file,
                    l.between.span,
                    "a link joins exactly two different sites",
                )
                .with_help("write `between: [site_a, site_b]`"),
            );
        }
    }
    let storage_names = &ix.storage;
    for s in &t.storage {
        let ctx = format!("storage `{}`", s.name);
        c.refer(&s.site, "site", &ix.sites, &ctx);
        for z in &s.zones {
            c.refer(z, "zone", &ix.zones, &ctx);
            if ix
                .zones
                .get(z.as_str())
                .is_some_and(|site| site != s.site.as_str())
            {
                c.invalid(
                    z,
                    format!("zone `{z}` is not in site `{}`", s.site),
                    "list zones of the storage system's own site",
                );
            }
        }
        if let Some(h) = &s.host {
            c.refer(h, "host", hosts, &ctx);
        }
        if let Some(r) = &s.replication {
            c.refer(&r.to, "storage system", storage_names, &ctx);
        }
    }
    if let Some(g) = &t.global_load_balancer {
        for h in &g.hosts {
            c.refer(
                h,
                "host",
                hosts,
                &format!("global load balancer `{}`", g.name),
            );
        }
    }
    let mut lb_targets: NameMap<()> = ix.ohs.keys().map(|k| (k.clone(), ())).collect();
    lb_targets.extend(ix.clusters.keys().map(|k| (k.clone(), ())));
    for lb in &t.load_balancers {
        let ctx = format!("load balancer `{}`", lb.name);
        c.refer(&lb.site, "site", &ix.sites, &ctx);
        for h in &lb.hosts {
            c.refer(h, "host", hosts, &ctx);
        }
        for z in &lb.zones {
            c.refer(z, "zone", &ix.zones, &ctx);
        }
        for target in &lb.targets {
            c.refer(target, "OHS instance or cluster", &lb_targets, &ctx);
        }
    }
    for o in &t.ohs {
        let ctx = format!("OHS `{}`", o.name);
        c.refer(&o.host, "host", hosts, &ctx);
        for r in &o.routes {
            c.refer(
                &r.cluster,
                "cluster",
                &ix.clusters,
                &format!("{ctx} route `{}`", r.path),
            );
            let members: Vec<&str> = ix
                .servers_of(r.cluster.as_str())
                .iter()
                .map(|s| s.name.as_str())
                .collect();
            if ix.clusters.contains_key(r.cluster.as_str()) {
                for s in &r.servers {
                    c.refer_in(
                        s,
                        &format!("server of cluster `{}`", r.cluster),
                        &members,
                        &format!("{ctx} route `{}`", r.path),
                    );
                }
            }
        }
    }
    for d in &t.domains {
        let ctx = format!("domain `{}`", d.name);
        if let Some(r) = &d.replica_of {
            c.refer(r, "domain", &ix.domains, &ctx);
        }
        c.refer(
            &d.admin_server.host,
            "host",
            hosts,
            &format!("{ctx} admin server"),
        );
        if let Some(s) = &d.oracle_home.storage {
            c.refer(
                s,
                "storage system",
                storage_names,
                &format!("{ctx} Oracle home"),
            );
        }
        let ds_names: Vec<&str> = d.data_sources.iter().map(|x| x.name.as_str()).collect();
        let store_names: Vec<&str> = d.stores.iter().map(|x| x.name.as_str()).collect();
        let cluster_names: Vec<&str> = d.clusters.iter().map(|x| x.name.as_str()).collect();
        {
            let mut dup = super::index::Defs::new("data source");
            for ds in &d.data_sources {
                dup.define(&ds.name, file, c.errors);
            }
            let mut dup = super::index::Defs::new("store");
            for s in &d.stores {
                dup.define(&s.name, file, c.errors);
            }
            let mut dup = super::index::Defs::new("singleton");
            for s in &d.singletons {
                dup.define(&s.name, file, c.errors);
            }
        }
        for cl in &d.clusters {
            let cctx = format!("cluster `{}`", cl.name);
            for s in &cl.servers {
                c.refer(&s.host, "host", hosts, &format!("server `{}`", s.name));
            }
            if let Some(dy) = &cl.dynamic {
                for h in &dy.hosts {
                    c.refer(h, "host", hosts, &format!("{cctx} dynamic servers"));
                }
            }
            if let Some(m) = &cl.migration
                && let Some(ds) = &m.data_source
            {
                c.refer_in(
                    ds,
                    &format!("data source of domain `{}`", d.name),
                    &ds_names,
                    &format!("{cctx} leasing"),
                );
            }
            if let Some(tl) = &cl.transaction_log {
                if let Some(ds) = &tl.data_source {
                    c.refer_in(
                        ds,
                        &format!("data source of domain `{}`", d.name),
                        &ds_names,
                        &format!("{cctx} transaction log"),
                    );
                }
                if let Some(s) = &tl.storage {
                    c.refer(
                        s,
                        "storage system",
                        storage_names,
                        &format!("{cctx} transaction log"),
                    );
                }
            }
            if let Some(sr) = &cl.session_replication
                && let Some(ds) = &sr.data_source
            {
                c.refer_in(
                    ds,
                    &format!("data source of domain `{}`", d.name),
                    &ds_names,
                    &format!("{cctx} session replication"),
                );
            }
            if let Some(coh) = &cl.coherence {
                c.refer(coh, "Coherence cluster", &ix.coherence, &cctx);
            }
        }
        for ds in &d.data_sources {
            let dctx = format!("data source `{}`", ds.name);
            if !ix.services.contains_key(ds.service.as_str())
                && !ix.global_services.contains_key(ds.service.as_str())
            {
                let mut known = sorted_names(&ix.services);
                known.extend(sorted_names(&ix.global_services));
                c.refer_in(&ds.service, "database service", &known, &dctx);
            }
            for target in &ds.targets {
                c.refer_in(
                    target,
                    &format!("cluster of domain `{}`", d.name),
                    &cluster_names,
                    &dctx,
                );
            }
        }
        for s in &d.stores {
            let sctx = format!("store `{}`", s.name);
            c.refer_in(
                &s.cluster,
                &format!("cluster of domain `{}`", d.name),
                &cluster_names,
                &sctx,
            );
            if let Some(ds) = &s.data_source {
                c.refer_in(
                    ds,
                    &format!("data source of domain `{}`", d.name),
                    &ds_names,
                    &sctx,
                );
            }
            if let Some(st) = &s.storage {
                c.refer(st, "storage system", storage_names, &sctx);
            }
        }
        for s in &d.singletons {
            let sctx = format!("singleton `{}`", s.name);
            c.refer_in(
                &s.cluster,
                &format!("cluster of domain `{}`", d.name),
                &cluster_names,
                &sctx,
            );
            if let Some(st) = &s.store {
                c.refer_in(
                    st,
                    &format!("store of domain `{}`", d.name),
                    &store_names,
                    &sctx,
                );
            }
        }
    }
    for coh in &t.coherence {
        let ctx = format!("Coherence cluster `{}`", coh.name);
        for m in &coh.members {
            c.refer(&m.host, "host", hosts, &ctx);
        }
        if let Some(p) = &coh.persistence
            && let Some(s) = &p.storage
        {
            c.refer(s, "storage system", storage_names, &ctx);
        }
        if let Some(f) = &coh.federation {
            for p in &f.participants {
                c.refer(
                    p,
                    "Coherence cluster",
                    &ix.coherence,
                    &format!("{ctx} federation"),
                );
            }
        }
        if let Some(h) = &coh.hotcache {
            if let Some(g) = &h.goldengate {
                c.refer(
                    g,
                    "GoldenGate replication",
                    &ix.goldengate,
                    &format!("{ctx} HotCache"),
                );
            }
            c.refer(
                &h.database,
                "database",
                &ix.databases,
                &format!("{ctx} HotCache"),
            );
        }
    }
    for db in &t.databases {
        let ctx = format!("database `{}`", db.name);
        for i in &db.instances {
            c.refer(&i.host, "host", hosts, &format!("instance `{}`", i.name));
        }
        if let Some(s) = &db.storage {
            c.refer(s, "storage system", storage_names, &ctx);
        }
        let inst: Vec<&str> = db.instances.iter().map(|i| i.name.as_str()).collect();
        for s in &db.services {
            for i in s.preferred.iter().chain(&s.available) {
                c.refer_in(
                    i,
                    &format!("instance of database `{}`", db.name),
                    &inst,
                    &format!("service `{}`", s.name),
                );
            }
        }
    }
    for g in &t.data_guard {
        let ctx = format!("Data Guard `{}`", g.name);
        c.refer(&g.primary, "database", &ix.databases, &ctx);
        let fs_names: Vec<&str> = g.far_syncs.iter().map(|f| f.name.as_str()).collect();
        let standby_names: Vec<&str> = g.standbys.iter().map(|s| s.database.as_str()).collect();
        for s in &g.standbys {
            c.refer(&s.database, "database", &ix.databases, &ctx);
            if s.database.as_str() == g.primary.as_str() {
                c.invalid(
                    &s.database,
                    format!(
                        "`{}` is both the primary and a standby of {ctx}",
                        s.database
                    ),
                    "a standby is a different database",
                );
            }
            if let Some(f) = &s.far_sync {
                c.refer_in(f, &format!("far sync of {ctx}"), &fs_names, &ctx);
            }
        }
        for f in &g.far_syncs {
            c.refer(&f.host, "host", hosts, &format!("far sync `{}`", f.name));
            if let Some(a) = &f.alternate {
                c.refer_in(
                    a,
                    &format!("far sync of {ctx}"),
                    &fs_names,
                    &format!("far sync `{}`", f.name),
                );
            }
        }
        if let Some(fsfo) = &g.fast_start_failover {
            for target in &fsfo.targets {
                c.refer_in(
                    target,
                    &format!("standby of {ctx}"),
                    &standby_names,
                    &format!("{ctx} fast-start failover"),
                );
            }
        }
        for o in &g.observers {
            c.refer(&o.host, "host", hosts, &format!("observer `{}`", o.name));
        }
    }
    for g in &t.goldengate {
        let ctx = format!("GoldenGate `{}`", g.name);
        for d in &g.databases {
            c.refer(d, "database", &ix.databases, &ctx);
        }
        for h in &g.hosts {
            c.refer(h, "host", hosts, &ctx);
        }
    }
    if let Some(gds) = &t.gds {
        let pools: Vec<&str> = gds.pools.iter().map(|p| p.name.as_str()).collect();
        for r in &gds.regions {
            for s in &r.sites {
                c.refer(s, "site", &ix.sites, &format!("GDS region `{}`", r.name));
            }
            for g in &r.gsms {
                c.refer(&g.host, "host", hosts, &format!("GSM `{}`", g.name));
            }
        }
        for p in &gds.pools {
            for d in &p.databases {
                c.refer(
                    d,
                    "database",
                    &ix.databases,
                    &format!("GDS pool `{}`", p.name),
                );
            }
        }
        for s in &gds.global_services {
            c.refer_in(
                &s.pool,
                "GDS pool",
                &pools,
                &format!("global service `{}`", s.name),
            );
        }
    }
    for cm in &t.cman {
        for h in &cm.hosts {
            c.refer(h, "host", hosts, &format!("CMAN `{}`", cm.name));
        }
        for s in &cm.services {
            c.refer(
                s,
                "database service",
                &ix.services,
                &format!("CMAN `{}`", cm.name),
            );
        }
    }
    for cl in &t.clients {
        let ctx = format!("client `{}`", cl.name);
        if !ix.services.contains_key(cl.service.as_str())
            && !ix.global_services.contains_key(cl.service.as_str())
        {
            let mut known = sorted_names(&ix.services);
            known.extend(sorted_names(&ix.global_services));
            c.refer_in(&cl.service, "database service", &known, &ctx);
        }
        if let Some(v) = &cl.via {
            c.refer(v, "CMAN", &ix.cman, &ctx);
        }
        for h in &cl.hosts {
            c.refer(h, "host", hosts, &ctx);
        }
    }
    if let Some(aws) = &t.aws {
        c.refer(&aws.site, "site", &ix.sites, "aws");
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
            for z in &f.zones {
                c.refer(z, "zone", &ix.zones, &format!("FSx for ONTAP `{}`", f.name));
            }
            for s in &f.security_groups {
                c.refer_in(
                    s,
                    "security group",
                    &sgs,
                    &format!("FSx for ONTAP `{}`", f.name),
                );
            }
        }
        for g in &aws.auto_scaling_groups {
            let ctx = format!("Auto Scaling group `{}`", g.name);
            for z in &g.zones {
                c.refer(z, "zone", &ix.zones, &ctx);
            }
            c.refer_in(&g.launch_template, "launch template", &lts, &ctx);
            c.refer(&g.host, "host", hosts, &ctx);
            if let Some(d) = &g.database {
                c.refer(d, "database", &ix.databases, &ctx);
            }
        }
        for lt in &aws.launch_templates {
            for s in &lt.security_groups {
                c.refer_in(
                    s,
                    "security group",
                    &sgs,
                    &format!("launch template `{}`", lt.name),
                );
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
