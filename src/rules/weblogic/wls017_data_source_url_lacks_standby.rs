//! WLS017: a data source URL that does not reach the standby site.

use std::collections::BTreeMap;

use crate::model::Database;
use crate::rules::{Ctx, Rule, util, path};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/WLS017.yaml"), check);

fn endpoints<'m>(db: &'m Database, addresses: &BTreeMap<&str, &'m str>) -> Vec<&'m str> {
    let mut v: Vec<&str> = db.scan.iter().map(|s| s.name.as_str()).collect();
    for i in &db.instances {
        v.push(i.host.as_str());
        if let Some(a) = addresses.get(i.host.as_str()) {
            v.push(a);
        }
    }
    v
}

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    if !m
        .topo
        .domains
        .iter()
        .any(|d| d.data_sources.iter().any(|ds| ds.url.is_some()))
    {
        return;
    }
    let mut addresses: BTreeMap<&str, &str> = BTreeMap::new();
    for s in &m.topo.sites {
        for h in s
            .hosts
            .iter()
            .chain(s.zones.iter().flat_map(|z| z.hosts.iter()))
        {
            if let Some(a) = &h.address {
                addresses.insert(h.name.as_str(), a.as_str());
            }
        }
    }
    for d in &m.topo.domains {
        for ds in &d.data_sources {
            let Some(url) = &ds.url else { continue };
            let lower = url.value.to_ascii_lowercase();
            for db in util::service_databases(m, ds.service.as_str()) {
                let Some(dg) = util::data_guard_of(m, db.name.as_str()) else {
                    continue;
                };
                if dg.primary.as_str() == db.name.as_str() {
                    continue;
                }
                let eps = endpoints(db, &addresses);
                if eps.iter().any(|e| lower.contains(&e.to_ascii_lowercase())) {
                    continue;
                }
                let f = cx.finding(
                    url.span,
                    path::data_source(&d.name, &ds.name),
                    format!("the URL of data source `{}` lists no address of standby `{}` ({}): after a Data Guard role change it cannot reach the new primary", ds.name, db.name, eps.join(", ")),
                );
                cx.push(f.with_label("standby missing from the URL"));
            }
        }
    }
}
