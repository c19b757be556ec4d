//! WLS021: a written-out replica domain that differs from the active domain it copies.
//!
//! A replica declared with `replicas:` is the active domain by construction; a passive
//! domain written out in full (`role: passive`, `replica_of`) is compared with its active
//! domain: version, clusters (by position) and their sizes, TLOG prefixes (from the server
//! names), leasing, session persistence, data sources and their services, stores.

use miette::SourceSpan;

use crate::model::{Cluster, Domain, DomainRole, plain};
use crate::rules::{Ctx, Rule, path, util};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/WLS021.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    for p in &m.topo.domains {
        if p.role.value != DomainRole::Passive || p.replica_site.is_some() {
            continue;
        }
        let Some(a) = p
            .replica_of
            .as_ref()
            .and_then(|r| m.index.domains.get(r.as_str()))
            .and_then(|&i| m.topo.domains.get(i))
        else {
            continue;
        };
        let mut drift = Drift { cx, p, a };
        drift.domain();
        for (pc, ac) in p.clusters.iter().zip(&a.clusters) {
            drift.cluster(pc, ac);
        }
        drift.data_sources();
        drift.stores();
    }
}

struct Drift<'c, 'a, 'm> {
    cx: &'c mut Ctx<'a>,
    p: &'m Domain,
    a: &'m Domain,
}

impl Drift<'_, '_, '_> {
    /// Reports a drift at `at` on the replica, with the active's `was` as related span.
    fn report(&mut self, at: SourceSpan, object: path::ObjectPath, what: String, was: SourceSpan) {
        let f = self
            .cx
            .finding(
                at,
                object,
                format!(
                    "replica `{}` differs from its active domain `{}`: {what}",
                    self.p.name, self.a.name
                ),
            )
            .with_label("in the replica")
            .with_extra(was, format!("in `{}`", self.a.name));
        self.cx.push(f);
    }

    fn domain(&mut self) {
        let (p, a) = (self.p, self.a);
        let version = |d: &Domain| d.version.as_ref().map(|v| v.value.clone());
        if version(p) != version(a) {
            self.report(
                p.version.as_ref().map_or(p.name.span, |v| v.span),
                path::domain(&p.name),
                format!(
                    "WebLogic version {} where the active domain runs {}",
                    version(p).unwrap_or_else(|| "unset".into()),
                    version(a).unwrap_or_else(|| "unset".into())
                ),
                a.version.as_ref().map_or(a.name.span, |v| v.span),
            );
        }
        if p.clusters.len() != a.clusters.len() {
            self.report(
                p.name.span,
                path::domain(&p.name),
                format!(
                    "{} cluster{} where the active domain has {}",
                    p.clusters.len(),
                    util::plural(p.clusters.len()),
                    a.clusters.len()
                ),
                a.name.span,
            );
        }
    }

    fn cluster(&mut self, pc: &Cluster, ac: &Cluster) {
        let m = self.cx.model();
        let object = path::cluster(&self.p.name, &pc.name);
        let names = |c: &Cluster| -> Vec<String> {
            m.index
                .servers_of(c.name.as_str())
                .iter()
                .map(|s| plain(&s.name).to_owned())
                .collect()
        };
        let (ps, ac_s) = (names(pc), names(ac));
        if ps.len() != ac_s.len() {
            let what = format!(
                "cluster `{}` has {} server{} where `{}` has {}",
                pc.name,
                ps.len(),
                util::plural(ps.len()),
                ac.name,
                ac_s.len()
            );
            self.report(pc.name.span, object.clone(), what, ac.name.span);
        }
        let jdbc_tlog = |c: &Cluster| {
            c.transaction_log
                .as_ref()
                .map(|t| util::kebab(t.r#type.value))
        };
        if jdbc_tlog(pc) != jdbc_tlog(ac) {
            let what = format!(
                "cluster `{}` keeps its transaction log in {} where `{}` keeps it in {}",
                pc.name,
                jdbc_tlog(pc).map_or("the default store".into(), |t| format!("a {t} store")),
                ac.name,
                jdbc_tlog(ac).map_or("the default store".into(), |t| format!("a {t} store")),
            );
            self.report(pc.name.span, object.clone(), what, ac.name.span);
        } else if ps != ac_s {
            let prefixes = |v: &[String]| {
                v.iter()
                    .map(|s| format!("TLOG_{s}_"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let what = format!(
                "cluster `{}` names its servers differently from `{}`, so their TLOG prefixes differ ({} against {}): after a site failover the replica's servers open other TLOG tables and the active's in-doubt transactions are never recovered",
                pc.name,
                ac.name,
                prefixes(&ps),
                prefixes(&ac_s)
            );
            self.report(pc.name.span, object.clone(), what, ac.name.span);
        }
        self.cluster_settings(pc, ac, &object);
    }

    /// Leasing and session persistence of a pair of clusters.
    fn cluster_settings(&mut self, pc: &Cluster, ac: &Cluster, object: &path::ObjectPath) {
        let leasing = |c: &Cluster| {
            c.migration
                .as_ref()
                .map(|x| (util::kebab(x.leasing.value), x.leasing.span))
        };
        self.setting(pc, ac, object, leasing, ("no migration leasing", "leasing"));
        let session = |c: &Cluster| {
            c.session_replication
                .as_ref()
                .map(|s| (util::kebab(s.mode.value), s.mode.span))
        };
        let words = ("no session persistence", "session persistence");
        self.setting(pc, ac, object, session, words);
    }

    /// One setting of a pair of clusters (its value and span, if set), shown as
    /// `words.0` when unset and `<value> words.1` when set.
    fn setting(
        &mut self,
        pc: &Cluster,
        ac: &Cluster,
        object: &path::ObjectPath,
        get: impl Fn(&Cluster) -> Option<(String, SourceSpan)>,
        words: (&str, &str),
    ) {
        let (p, a) = (get(pc), get(ac));
        if p.as_ref().map(|x| &x.0) == a.as_ref().map(|x| &x.0) {
            return;
        }
        let show = |v: &Option<(String, SourceSpan)>| {
            v.as_ref()
                .map_or_else(|| words.0.to_owned(), |x| format!("{} {}", x.0, words.1))
        };
        let what = format!(
            "cluster `{}` has {} where `{}` has {}",
            pc.name,
            show(&p),
            ac.name,
            show(&a)
        );
        let at = p.as_ref().map_or(pc.name.span, |x| x.1);
        let was = a.as_ref().map_or(ac.name.span, |x| x.1);
        self.report(at, object.clone(), what, was);
    }

    /// Data sources by name: each of the active's in the replica, with the same service.
    fn data_sources(&mut self) {
        let (p, a) = (self.p, self.a);
        for ads in &a.data_sources {
            match p.data_sources.iter().find(|x| x.name.as_str() == ads.name.as_str()) {
                None => self.report(
                    p.name.span,
                    path::domain(&p.name),
                    format!("data source `{}` is missing", ads.name),
                    ads.name.span,
                ),
                Some(pds) if pds.service.as_str() != ads.service.as_str() => self.report(
                    pds.service.span,
                    path::data_source(&p.name, &pds.name),
                    format!(
                        "data source `{}` connects to service `{}` where the active's connects to `{}`",
                        pds.name, pds.service, ads.service
                    ),
                    ads.service.span,
                ),
                Some(_) => {}
            }
        }
        for pds in &p.data_sources {
            if !a.data_sources.iter().any(|x| x.name.as_str() == pds.name.as_str()) {
                self.report(
                    pds.name.span,
                    path::data_source(&p.name, &pds.name),
                    format!("data source `{}` is not in the active domain", pds.name),
                    a.name.span,
                );
            }
        }
    }

    /// Stores by name (a JDBC store's table prefix comes from its name), with the same type.
    fn stores(&mut self) {
        let (p, a) = (self.p, self.a);
        for ast in &a.stores {
            match p.stores.iter().find(|x| x.name.as_str() == ast.name.as_str()) {
                None => self.report(
                    p.name.span,
                    path::domain(&p.name),
                    format!("store `{}` is missing: its messages are not found after a site failover", ast.name),
                    ast.name.span,
                ),
                Some(pst) if pst.r#type.value != ast.r#type.value => self.report(
                    pst.r#type.span,
                    path::store(&p.name, &pst.name),
                    format!(
                        "store `{}` is a {} store where the active's is a {} store",
                        pst.name,
                        util::kebab(pst.r#type.value),
                        util::kebab(ast.r#type.value)
                    ),
                    ast.r#type.span,
                ),
                Some(_) => {}
            }
        }
        for pst in &p.stores {
            if !a.stores.iter().any(|x| x.name.as_str() == pst.name.as_str()) {
                self.report(
                    pst.name.span,
                    path::store(&p.name, &pst.name),
                    format!("store `{}` is not in the active domain", pst.name),
                    a.name.span,
                );
            }
        }
    }
}
