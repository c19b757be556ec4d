//! `dgmgrl`: a Data Guard broker script per broker-managed configuration, and one
//! observer script per fast-start failover observer.
//!
//! DGMGRL scripts (`@file`) need every command, comments included, to end with `;`;
//! comments are `-- text;` lines. Names and connect identifiers are single-quoted
//! (quotes, `;`, control and non-ASCII characters are refused by the escaper).

use minijinja::Value;
use minijinja::value::Serde;
use serde::Serialize;

use super::{Lookup, render_template};
use crate::model::{DataGuard, ProtectionMode, Standby, StandbyType, Transport};
use crate::render::{Artifact, RenderError};
use crate::resolve::Model;

#[derive(Debug, Serialize)]
struct Member {
    name: String,
    connect: String,
    log_xpt_mode: &'static str,
    redo_routes: Option<String>,
    /// Standby type: `logical` is added `MAINTAINED AS LOGICAL`; `snapshot` is converted
    /// after the configuration is enabled.
    kind: &'static str,
}

#[derive(Debug, Serialize)]
struct Fsfo {
    enabled: bool,
    threshold: u64,
    lag_limit: Option<u64>,
    targets: String,
    target_list: Vec<String>,
    auto_reinstate: bool,
}

#[derive(Debug, Serialize)]
struct ObserverCtx {
    name: String,
    host: String,
}

fn xpt(t: Transport) -> &'static str {
    match t {
        Transport::Sync => "SYNC",
        Transport::Fastsync => "FASTSYNC",
        Transport::Async => "ASYNC",
    }
}

fn err(message: String) -> RenderError {
    RenderError {
        target: "dgmgrl",
        message,
    }
}

fn standby_kind(t: StandbyType) -> &'static str {
    match t {
        StandbyType::Physical => "physical",
        StandbyType::Snapshot => "snapshot",
        StandbyType::Logical => "logical",
    }
}

/// The transport of redo to standby `s`: its own, else the protection mode's `default`.
fn transport(s: &Standby, default: Transport) -> Transport {
    s.transport.as_ref().map_or(default, |t| t.value)
}

/// Where a far sync forwards redo to: its name and its destinations.
type FarRoutes = Vec<(String, Vec<String>)>;

/// RedoRoutes, only when a far sync is modelled: the primary ships to each far sync
/// (SYNC/FASTSYNC as its standbys ask, the alternate at lower priority) and directly
/// to the other standbys; each far sync forwards ASYNC to its standbys. Returns the
/// primary's destinations and each far sync's routes.
fn redo_routes(g: &DataGuard, default_xpt: Transport) -> (Vec<String>, FarRoutes) {
    let mut far_routes: FarRoutes = Vec::new();
    let mut primary_dests: Vec<String> = Vec::new();
    if g.far_syncs.is_empty() {
        return (primary_dests, far_routes);
    }
    for s in &g.standbys {
        let Some(fs) = &s.far_sync else {
            primary_dests.push(format!("{} {}", s.database, xpt(transport(s, default_xpt))));
            continue;
        };
        let mode = xpt(transport(s, default_xpt));
        let far = g.far_syncs.iter().find(|f| f.name.as_str() == fs.as_str());
        let alternate = far.and_then(|f| f.alternate.as_ref());
        let dest = match alternate {
            Some(alt) => format!("({fs} {mode} PRIORITY=1, {alt} {mode} PRIORITY=2)"),
            None => format!("{fs} {mode}"),
        };
        if !primary_dests.contains(&dest) {
            primary_dests.push(dest);
        }
        for f in std::iter::once(fs.to_string()).chain(alternate.map(ToString::to_string)) {
            match far_routes.iter_mut().find(|(n, _)| *n == f) {
                Some((_, v)) => v.push(format!("{} ASYNC", s.database)),
                None => far_routes.push((f, vec![format!("{} ASYNC", s.database)])),
            }
        }
    }
    (primary_dests, far_routes)
}

fn configuration(lk: &Lookup<'_>, g: &DataGuard) -> Result<Value, RenderError> {
    let db = |name: &str| {
        lk.database(name).ok_or_else(|| {
            err(format!(
                "Data Guard `{}`: unknown database `{name}`",
                g.name
            ))
        })
    };
    let zero_loss = matches!(
        g.protection_mode.value,
        ProtectionMode::MaxAvailability | ProtectionMode::MaxProtection
    );
    let default_xpt = if zero_loss {
        Transport::Sync
    } else {
        Transport::Async
    };
    let primary = db(g.primary.as_str())?;
    let transport_of = |s: &Standby| transport(s, default_xpt);

    let (primary_dests, far_routes) = redo_routes(g, default_xpt);
    let primary_routes =
        (!primary_dests.is_empty()).then(|| format!("(LOCAL : {})", primary_dests.join(", ")));

    let mut standbys = Vec::new();
    for s in &g.standbys {
        let d = db(s.database.as_str())?;
        standbys.push(Member {
            name: d.name.to_string(),
            connect: lk.db_ezconnect(d),
            log_xpt_mode: xpt(if s.far_sync.is_some() {
                Transport::Async
            } else {
                transport_of(s)
            }),
            redo_routes: None,
            kind: standby_kind(s.r#type.value),
        });
    }
    // The primary's LogXptMode applies when it becomes a standby: the first standby's mode.
    let primary_member = Member {
        name: primary.name.to_string(),
        connect: lk.db_ezconnect(primary),
        log_xpt_mode: xpt(g.standbys.first().map_or(default_xpt, transport_of)),
        redo_routes: primary_routes,
        kind: "primary",
    };
    let mut far_syncs = Vec::new();
    for f in &g.far_syncs {
        let addr = lk.addr(f.host.as_str());
        let addr = if addr.contains(':') {
            format!("[{addr}]")
        } else {
            addr.to_owned()
        };
        far_syncs.push(Member {
            name: f.name.to_string(),
            connect: format!("{addr}:1521/{}", f.name),
            log_xpt_mode: xpt(default_xpt),
            redo_routes: far_routes
                .iter()
                .find(|(n, _)| n == f.name.as_str())
                .map(|(_, dests)| format!("({} : {})", primary.name, dests.join(", "))),
            kind: "far-sync",
        });
    }
    let fsfo = g.fast_start_failover.as_ref().map(|f| {
        // The broker accepts only physical and logical standbys in FastStartFailoverTarget
        // (DB014 reports a snapshot standby named there).
        let snapshot = |name: &str| {
            g.standbys
                .iter()
                .any(|s| s.database.as_str() == name && s.r#type.value == StandbyType::Snapshot)
        };
        let targets: Vec<String> = if f.targets.is_empty() {
            g.standbys.iter().map(|s| s.database.to_string()).collect()
        } else {
            f.targets.iter().map(ToString::to_string).collect()
        };
        let targets: Vec<String> = targets.into_iter().filter(|t| !snapshot(t)).collect();
        Fsfo {
            enabled: f.enabled.value,
            threshold: f.threshold.value.as_secs_ceil(),
            lag_limit: (g.protection_mode.value != ProtectionMode::MaxProtection)
                .then(|| f.lag_limit.value.as_secs_ceil()),
            targets: targets.join(","),
            target_list: targets,
            auto_reinstate: f.auto_reinstate.value,
        }
    });
    let mode = match g.protection_mode.value {
        ProtectionMode::MaxAvailability => "MaxAvailability",
        ProtectionMode::MaxPerformance => "MaxPerformance",
        ProtectionMode::MaxProtection => "MaxProtection",
    };
    let observers: Vec<ObserverCtx> = g
        .observers
        .iter()
        .map(|o| ObserverCtx {
            name: o.name.to_string(),
            host: o.host.to_string(),
        })
        .collect();
    Ok(minijinja::context! {
        topology => lk.model.topo.name.as_str(),
        name => g.name.as_str(),
        primary => Value::from(Serde(&primary_member)),
        standbys => Value::from(Serde(&standbys)),
        far_syncs => Value::from(Serde(&far_syncs)),
        protection_mode => Value::from_safe_string(mode.to_owned()),
        fsfo => fsfo.map(|f| Value::from(Serde(f))),
        observers => Value::from(Serde(&observers)),
    })
}

pub fn render(model: &Model) -> Result<Vec<Artifact>, RenderError> {
    let lk = Lookup::new(model);
    let mut out = Vec::new();
    for g in model.topo.data_guard.iter().filter(|g| g.broker.value) {
        let ctx = configuration(&lk, g)?;
        out.push(Artifact::new(
            format!("dgmgrl/{}.dgmgrl", g.name),
            render_template("dgmgrl", "dgmgrl.dgmgrl.j2", ctx)?,
        ));
        let primary = lk
            .database(g.primary.as_str())
            .map(|d| lk.db_ezconnect(d))
            .unwrap_or_default();
        for o in &g.observers {
            let ctx = minijinja::context! {
                topology => model.topo.name.as_str(),
                configuration => g.name.as_str(),
                name => o.name.as_str(),
                host => o.host.as_str(),
                connect => primary.clone(),
                data_file => format!("fsfo_{}.dat", o.name),
                log_file => format!("observer_{}.log", o.name),
            };
            out.push(Artifact::new(
                format!("dgmgrl/{}-observer-{}.dgmgrl", g.name, o.name),
                render_template("dgmgrl", "observer.dgmgrl.j2", ctx)?,
            ));
        }
    }
    Ok(out)
}
