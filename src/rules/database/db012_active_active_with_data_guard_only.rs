//! DB012: something writes to a Data Guard standby.
//!
//! An active-active application tier over an active-passive (Data Guard) database tier is a
//! supported MAA architecture: every site writes to the one primary. The defect is a writer
//! whose service runs on a standby: a WebLogic data source that always writes (leasing, JMS,
//! TLOG, session persistence) through a service started in a standby role, or a data source
//! of an active domain (or a client) whose service runs in the primary role only on a
//! standby, so it starts only after a role change.

use std::collections::BTreeMap;

use crate::model::{DataSourcePurpose, DomainRole, ServiceRole};
use crate::resolve::Model;
use crate::rules::{Ctx, Rule, path, util};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/DB012.yaml"), check);

/// Where a service runs while every database keeps its declared Data Guard role.
#[derive(Default)]
struct Placement<'m> {
    /// A current primary (or a database outside Data Guard) offers it in the primary role.
    on_primary: bool,
    /// Standbys that offer it in a standby role (read-only, or a snapshot whose writes are
    /// discarded): `(standby, primary, role)`.
    on_standby: Vec<(&'m str, &'m str, ServiceRole)>,
    /// Standbys that offer it in the primary role only: it starts there after a role change.
    after_role_change: Vec<(&'m str, &'m str)>,
}

/// Where `service` runs; with `swapped`, after a failover or switchover: every Data Guard
/// standby a primary, every primary a standby of its (first) standby.
fn placement<'m>(m: &'m Model, service: &str, swapped: bool) -> Placement<'m> {
    let mut p = Placement::default();
    for db in util::service_databases(m, service) {
        let name = db.name.as_str();
        let primary = util::data_guard_of(m, name).and_then(|g| {
            let is_primary = g.primary.as_str() == name;
            match (swapped, is_primary) {
                (false, false) => Some(g.primary.as_str()),
                (true, true) => g.standbys.first().map(|s| s.database.as_str()),
                _ => None,
            }
        });
        for s in db.services.iter().filter(|s| s.name.as_str() == service) {
            for role in s.roles.iter().map(|r| r.value) {
                match (primary, role) {
                    (None, ServiceRole::Primary) => p.on_primary = true,
                    (None, _) => {}
                    (Some(pr), ServiceRole::Primary) => {
                        p.after_role_change.push((db.name.as_str(), pr));
                    }
                    (Some(pr), r) => p.on_standby.push((db.name.as_str(), pr, r)),
                }
            }
        }
    }
    p
}

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    for d in &m.topo.domains {
        // A passive domain starts after the role change, with its database: judge it with
        // the Data Guard roles swapped.
        let passive = d.role.value != DomainRole::Active;
        let writers = always_writing(d);
        for ds in &d.data_sources {
            let p = placement(m, ds.service.as_str(), passive);
            let writer = writers.get(ds.name.as_str());
            let writes = ds.purpose.value != DataSourcePurpose::Application || writer.is_some();
            let object = path::data_source(&d.name, &ds.name);
            let what = if passive {
                format!("data source `{}` of passive domain `{}` (started after a Data Guard role change; roles below are after it)", ds.name, d.name)
            } else {
                format!("data source `{}` of active domain `{}`", ds.name, d.name)
            };
            if writes && let Some(&(sb, pr, role)) = p.on_standby.first() {
                let why = standby_role_text(role);
                let f = cx.finding(
                    ds.service.span,
                    object,
                    format!("{what} carries {} to service `{}`, which runs on `{sb}`, a Data Guard standby of `{pr}`, in the {} role: {why}", write_use(ds.purpose.value, writer), ds.service, util::kebab(role)),
                );
                cx.push(f.with_label("writes reach a standby"));
            } else if !p.on_primary && let Some(&(sb, pr)) = p.after_role_change.first() {
                let f = cx.finding(
                    ds.service.span,
                    object,
                    format!("{what} uses service `{}`, which runs in the primary role only on `{sb}`, a Data Guard standby of `{pr}`: the service starts only after a role change, so until then this data source can neither write nor read", ds.service),
                );
                cx.push(f.with_label("service only on a standby"));
            }
        }
    }
    for c in &m.topo.clients {
        let p = placement(m, c.service.as_str(), false);
        if p.on_primary {
            continue;
        }
        let Some(&(sb, pr)) = p.after_role_change.first() else {
            continue;
        };
        let f = cx.finding(
            c.service.span,
            path::client(&c.name),
            format!("client `{}` uses service `{}`, which runs in the primary role only on `{sb}`, a Data Guard standby of `{pr}`: the service starts only after a role change, so until then the client can neither write nor read", c.name, c.service),
        );
        cx.push(f.with_label("service only on a standby"));
    }
}

/// Data sources the domain writes through whatever their `purpose` says, with what writes:
/// a cluster's leasing, transaction log or JDBC session persistence, or a JDBC store.
fn always_writing(d: &crate::model::Domain) -> BTreeMap<&str, String> {
    let mut out = BTreeMap::new();
    for c in &d.clusters {
        let uses = [
            (c.migration.as_ref().and_then(|m| m.data_source.as_ref()), "leasing"),
            (c.transaction_log.as_ref().and_then(|t| t.data_source.as_ref()), "transaction log"),
            (c.session_replication.as_ref().and_then(|s| s.data_source.as_ref()), "JDBC session persistence"),
        ];
        for (ds, what) in uses {
            if let Some(ds) = ds {
                out.entry(ds.as_str())
                    .or_insert_with(|| format!("the writes of the {what} of cluster `{}`", c.name));
            }
        }
    }
    for s in &d.stores {
        if let Some(ds) = &s.data_source {
            out.entry(ds.as_str())
                .or_insert_with(|| format!("the writes of JDBC store `{}`", s.name));
        }
    }
    out
}

/// What writes through a data source, for the message.
fn write_use(purpose: DataSourcePurpose, writer: Option<&String>) -> String {
    match writer {
        Some(w) => w.clone(),
        None => format!("its `{}` writes", util::kebab(purpose)),
    }
}

fn standby_role_text(role: ServiceRole) -> &'static str {
    match role {
        ServiceRole::SnapshotStandby => {
            "a snapshot standby accepts the writes but discards them when it is converted back to a physical standby"
        }
        _ => "a physical standby is mounted or open read-only (Active Data Guard), so every write fails",
    }
}
