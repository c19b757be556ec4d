//! DB020: a service runs in the physical-standby role on a standby that is not Active Data
//! Guard.
//!
//! A physical standby without Active Data Guard is mounted, not open: it applies redo but
//! serves no queries. A read-only service started in the physical-standby role (a database
//! service declared on that standby, or a global service whose pool holds it) has nowhere
//! to run until the standby is opened read-only with real-time apply, which is what
//! Active Data Guard provides.

use crate::model::{DataGuard, ServiceRole, Sp, Standby};
use crate::rules::{Ctx, Rule, path, util};

pub(crate) static RULE: Rule = Rule::new(include_str!("../../../rules/DB020.yaml"), check);

fn check(cx: &mut Ctx<'_>) {
    let m = cx.model();
    for dg in &m.topo.data_guard {
        for sb in dg.standbys.iter().filter(|s| !s.active.value) {
            database_services(cx, dg, sb);
            global_services(cx, dg, sb);
        }
    }
}

const WHY: &str = "a physical standby without Active Data Guard is mounted, not open, so the service has no database to run on; set `active: true` (Active Data Guard, real-time query) or drop the standby role from the service";

/// The `physical-standby` entry of a service's roles.
fn standby_role(roles: &[Sp<ServiceRole>]) -> Option<&Sp<ServiceRole>> {
    roles.iter().find(|r| r.value == ServiceRole::PhysicalStandby)
}

fn database_services(cx: &mut Ctx<'_>, dg: &DataGuard, sb: &Standby) {
    let m = cx.model();
    let Some(db) = util::database(m, sb.database.as_str()) else {
        return;
    };
    for s in &db.services {
        let Some(role) = standby_role(&s.roles) else {
            continue;
        };
        let f = cx.finding(
            role.span,
            path::database_service(&db.name, &s.name),
            format!(
                "service `{}` runs in the physical-standby role on `{}`, a standby of Data Guard `{}` that is not Active Data Guard (`active: false`): {WHY}",
                s.name, db.name, dg.name
            ),
        );
        cx.push(f.with_label("read-only service on a mounted standby"));
    }
}

fn global_services(cx: &mut Ctx<'_>, dg: &DataGuard, sb: &Standby) {
    let m = cx.model();
    let Some(gds) = &m.topo.gds else { return };
    for gs in &gds.global_services {
        let in_pool = gds
            .pools
            .iter()
            .filter(|p| p.name.as_str() == gs.pool.as_str())
            .any(|p| p.databases.iter().any(|d| d.as_str() == sb.database.as_str()));
        let Some(role) = standby_role(&gs.roles) else {
            continue;
        };
        if !in_pool {
            continue;
        }
        let f = cx.finding(
            role.span,
            path::global_service(&gs.name),
            format!(
                "global service `{}` runs in the physical-standby role in pool `{}`, whose standby `{}` (Data Guard `{}`) is not Active Data Guard (`active: false`): {WHY}",
                gs.name, gs.pool, sb.database, dg.name
            ),
        );
        cx.push(f.with_label("read-only service on a mounted standby"));
    }
}
