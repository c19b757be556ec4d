//! `srvctl`: one shell script per database with `srvctl add service` for each service.
//!
//! Role-based services (`-role`) start only while the database has that role, so the
//! same services are added on the primary and on every standby cluster. RAC One Node
//! services name no instances (the one instance runs where Clusterware starts it); a
//! database without clusterware has no `srvctl` and gets no script.

use minijinja::Value;

use super::render_template;
use crate::model::{Clusterware, DatabaseType, FailoverType, ResetState, ServiceRole};
use crate::render::{Artifact, RenderError};
use crate::resolve::Model;

/// One `-option value` pair. The flag is a constant of this file (marked safe); the
/// value is model data, shell-quoted by the template.
fn opt(flag: &'static str, value: impl ToString) -> Value {
    minijinja::context! { flag => Value::from_safe_string(flag.to_owned()), value => value.to_string() }
}

pub fn render(model: &Model) -> Result<Vec<Artifact>, RenderError> {
    let mut out = Vec::new();
    for db in model
        .topo
        .databases
        .iter()
        .filter(|d| !d.services.is_empty())
        // srvctl manages services only under Oracle Restart or Grid Infrastructure: a
        // database declared `clusterware: none` gets no script (its services are created
        // with DBMS_SERVICE).
        .filter(|d| d.clusterware() != Some(Clusterware::None))
    {
        let mut services = Vec::new();
        let rac = db.r#type.value == DatabaseType::Rac;
        for s in &db.services {
            let mut o = Vec::new();
            if let Some(pdb) = &db.pdb {
                o.push(opt("-pdb", pdb));
            }
            if rac {
                let preferred: Vec<&str> = if s.preferred.is_empty() {
                    db.instances
                        .iter()
                        .filter(|i| !s.available.iter().any(|a| a.as_str() == i.name.as_str()))
                        .map(|i| i.name.as_str())
                        .collect()
                } else {
                    s.preferred.iter().map(|n| n.as_str()).collect()
                };
                o.push(opt("-preferred", preferred.join(",")));
                if !s.available.is_empty() {
                    o.push(opt(
                        "-available",
                        s.available
                            .iter()
                            .map(|n| n.as_str())
                            .collect::<Vec<_>>()
                            .join(","),
                    ));
                }
            }
            let roles: Vec<&str> = s
                .roles
                .iter()
                .map(|r| match r.value {
                    ServiceRole::Primary => "PRIMARY",
                    ServiceRole::PhysicalStandby => "PHYSICAL_STANDBY",
                    ServiceRole::SnapshotStandby => "SNAPSHOT_STANDBY",
                })
                .collect();
            o.push(opt("-role", roles.join(",")));
            o.push(opt("-policy", "AUTOMATIC"));
            let (failover, restore) = match s.failover_type.value {
                FailoverType::None => ("NONE", None),
                FailoverType::Session => ("SESSION", None),
                FailoverType::Select => ("SELECT", None),
                FailoverType::Transaction => ("TRANSACTION", Some("LEVEL1")),
                FailoverType::Auto => ("AUTO", Some("AUTO")),
            };
            o.push(opt("-failovertype", failover));
            if let Some(r) = restore {
                o.push(opt("-failover_restore", r));
            }
            if s.failover_method_basic.value {
                o.push(opt("-failovermethod", "BASIC"));
            }
            if let Some(n) = &s.failover_retry {
                o.push(opt("-failoverretry", n.value));
            }
            if let Some(d) = &s.failover_delay {
                o.push(opt("-failoverdelay", d.value.as_secs_ceil()));
            }
            if s.commit_outcome.value {
                o.push(opt("-commit_outcome", "TRUE"));
            }
            if let Some(d) = &s.retention {
                o.push(opt("-retention", d.value.as_secs_ceil()));
            }
            if let Some(d) = &s.replay_init_time {
                o.push(opt("-replay_init_time", d.value.as_secs_ceil()));
            }
            if let Some(r) = &s.reset_state {
                o.push(opt(
                    "-resetstate",
                    match r.value {
                        ResetState::None => "NONE",
                        ResetState::Level1 => "LEVEL1",
                        ResetState::Login => "LOGIN",
                    },
                ));
            }
            if let Some(d) = &s.drain_timeout {
                o.push(opt("-drain_timeout", d.value.as_secs_ceil()));
            }
            o.push(opt(
                "-notification",
                if s.notification.value {
                    "TRUE"
                } else {
                    "FALSE"
                },
            ));
            services.push(minijinja::context! { name => s.name.as_str(), options => o });
        }
        let ctx = minijinja::context! {
            topology => model.topo.name.as_str(),
            db => db.name.as_str(),
            rac => db.r#type.value.clustered(),
            services => services,
        };
        out.push(
            Artifact::new(
                format!("srvctl/{}.sh", db.name),
                render_template("srvctl", "srvctl.sh.j2", ctx)?,
            )
            .executable(),
        );
    }
    Ok(out)
}
