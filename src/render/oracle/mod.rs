//! Oracle render targets: `tnsnames`, `wlst`, `ohs`, `dgmgrl`, `srvctl`.
//!
//! Templates are embedded (`src/render/templates/`) and rendered by one minijinja
//! environment whose auto-escape mode depends on the template's file name (see
//! [`escape`]): every model value is escaped for, or refused by, its target language.

pub mod descriptor;
pub mod dgmgrl;
pub mod escape;
pub mod ohs;
pub mod srvctl;
pub mod tnsnames;
pub mod wlst;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use minijinja::syntax::SyntaxConfig;
use minijinja::{Environment, Value};

use super::{RenderError, Target};
use crate::model::{Database, DbService, Sp, Topology};
use crate::resolve::Model;

pub const TNSNAMES: Target = Target {
    name: "tnsnames",
    about: "tnsnames.ora: one MAA high-availability alias per database service (and per client that needs its own)",
    render: tnsnames::render,
};
pub const WLST: Target = Target {
    name: "wlst",
    about: "WLST (Jython 2.7) scripts: machines, clusters, servers, leasing, migration, GridLink data sources, JDBC stores",
    render: wlst::render,
};
pub const OHS: Target = Target {
    name: "ohs",
    about: "mod_wl_ohs.conf per OHS instance: one <Location> per route",
    render: ohs::render,
};
pub const DGMGRL: Target = Target {
    name: "dgmgrl",
    about: "Data Guard broker scripts: configuration, transport, protection mode, fast-start failover, observers",
    render: dgmgrl::render,
};
pub const SRVCTL: Target = Target {
    name: "srvctl",
    about: "srvctl add service scripts per database: role-based services with AC/TAC/TG/FAN attributes",
    render: srvctl::render,
};

const TEMPLATES: &[(&str, &str)] = &[
    (
        "descriptor.ora.j2",
        include_str!("../templates/descriptor.ora.j2"),
    ),
    (
        "tnsnames.ora.j2",
        include_str!("../templates/tnsnames.ora.j2"),
    ),
    ("wlst.py.j2", include_str!("../templates/wlst.py.j2")),
    (
        "mod_wl_ohs.conf.j2",
        include_str!("../templates/mod_wl_ohs.conf.j2"),
    ),
    (
        "dgmgrl.dgmgrl.j2",
        include_str!("../templates/dgmgrl.dgmgrl.j2"),
    ),
    (
        "observer.dgmgrl.j2",
        include_str!("../templates/observer.dgmgrl.j2"),
    ),
    ("srvctl.sh.j2", include_str!("../templates/srvctl.sh.j2")),
];

/// The shared template environment (built once; templates are static).
fn env() -> Result<&'static Environment<'static>, RenderError> {
    static ENV: OnceLock<Result<Environment<'static>, String>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        // Escaping must be configured before any template is added (minijinja fixes the
        // auto-escape mode of a template when it is added).
        env.set_auto_escape_callback(escape::auto_escape_for);
        env.set_formatter(|out, state, value| {
            if value.is_safe() {
                return minijinja::escape_formatter(out, state, value);
            }
            match state.auto_escape() {
                minijinja::AutoEscape::Custom(mode) => {
                    let text = escape::format_value(mode, value)?;
                    out.write_str(&text).map_err(minijinja::Error::from)
                }
                _ => minijinja::escape_formatter(out, state, value),
            }
        });
        let syntax = SyntaxConfig::builder()
            .keep_trailing_newline(true)
            .trim_blocks(true)
            .lstrip_blocks(true)
            .build()
            .map_err(|e| e.to_string())?;
        env.set_syntax(syntax);
        for (name, source) in TEMPLATES {
            env.add_template(name, source)
                .map_err(|e| format!("{e:#}"))?;
        }
        Ok(env)
    })
    .as_ref()
    .map_err(|e| RenderError {
        target: "render",
        message: format!("template error: {e}"),
    })
}

/// Renders an embedded template.
pub(crate) fn render_template(
    target: &'static str,
    name: &str,
    ctx: Value,
) -> Result<String, RenderError> {
    let env = env()?;
    let tmpl = env.get_template(name).map_err(|e| RenderError {
        target,
        message: format!("{e:#}"),
    })?;
    tmpl.render(ctx).map_err(|e| RenderError {
        target,
        message: render_error_message(&e),
    })
}

fn render_error_message(e: &minijinja::Error) -> String {
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    msg
}

/// Name lookups shared by the Oracle targets.
pub struct Lookup<'m> {
    pub model: &'m Model,
    /// Host name → the address clients and peers use (its `address`, else its name).
    pub address: BTreeMap<&'m str, &'m str>,
}

impl<'m> Lookup<'m> {
    pub fn new(model: &'m Model) -> Lookup<'m> {
        let mut address = BTreeMap::new();
        for site in &model.topo.sites {
            for host in site
                .zones
                .iter()
                .flat_map(|z| z.hosts.iter())
                .chain(site.hosts.iter())
            {
                address.insert(
                    host.name.as_str(),
                    host.address
                        .as_ref()
                        .map_or(host.name.as_str(), |a| a.value.as_str()),
                );
            }
        }
        Lookup { model, address }
    }

    pub fn topo(&self) -> &'m Topology {
        &self.model.topo
    }

    /// The address of a host (the name itself if the host is unknown, which the resolver forbids).
    pub fn addr<'a>(&self, host: &'a str) -> &'a str
    where
        'm: 'a,
    {
        self.address.get(host).copied().unwrap_or(host)
    }

    pub fn database(&self, name: &str) -> Option<&'m Database> {
        self.model
            .index
            .databases
            .get(name)
            .and_then(|&i| self.model.topo.databases.get(i))
    }

    /// The site a database runs in (the site of its first instance).
    pub fn db_site(&self, db: &Database) -> String {
        db.instances
            .first()
            .and_then(|i| self.model.index.site_of(i.host.as_str()))
            .map(str::to_owned)
            .unwrap_or_default()
    }

    /// The listener endpoints of a database: its SCAN, else one per instance host.
    pub fn db_endpoints(&self, db: &Database) -> Vec<(String, u16)> {
        match &db.scan {
            Some(scan) => vec![(scan.name.value.as_str().to_owned(), scan.port.value)],
            None => {
                let mut v: Vec<(String, u16)> = Vec::new();
                for i in &db.instances {
                    let e = (self.addr(i.host.as_str()).to_owned(), db.port.value);
                    if !v.contains(&e) {
                        v.push(e);
                    }
                }
                v
            }
        }
    }

    /// An Easy Connect string reaching a database by its `DB_UNIQUE_NAME` service
    /// (what Data Guard uses as `DGConnectIdentifier`).
    pub fn db_ezconnect(&self, db: &Database) -> String {
        let (host, port) = self.db_endpoints(db).into_iter().next().unwrap_or_default();
        let host = if host.contains(':') {
            format!("[{host}]")
        } else {
            host
        };
        format!("{host}:{port}/{}", db.name)
    }

    /// The Data Guard role rank of a database: 0 primary (or not in Data Guard), 1+n for
    /// the n-th standby.
    pub fn dg_rank(&self, db: &str) -> usize {
        for g in &self.model.topo.data_guard {
            if g.primary.as_str() == db {
                return 0;
            }
            if let Some(i) = g.standbys.iter().position(|s| s.database.as_str() == db) {
                return 1 + i;
            }
        }
        0
    }

    /// The databases offering a service, in connect order: primary first, then standbys
    /// (standbys first for a service that does not run on the primary).
    pub fn service_databases(&self, service: &str) -> Vec<(&'m Database, &'m DbService)> {
        let mut dbs: Vec<(&Database, &DbService)> = self
            .model
            .topo
            .databases
            .iter()
            .filter_map(|db| {
                db.services
                    .iter()
                    .find(|s| s.name.as_str() == service)
                    .map(|s| (db, s))
            })
            .collect();
        let primary_role = dbs.first().is_none_or(|(_, s)| {
            s.roles
                .iter()
                .any(|r| r.value == crate::model::ServiceRole::Primary)
        });
        dbs.sort_by_key(|(db, _)| {
            let rank = self.dg_rank(db.name.as_str());
            if primary_role {
                rank
            } else {
                usize::from(rank == 0)
            }
        });
        dbs
    }
}

/// Whole seconds of a duration (callers only pass durations checked by
/// [`crate::resolve::limits`]).
pub fn secs(d: &Sp<crate::model::Duration>) -> u64 {
    d.value.as_secs_ceil()
}

/// The Oracle Net spelling of a duration: whole seconds when exact, else milliseconds.
pub(crate) fn net_duration(d: crate::model::Duration) -> String {
    let ms = d.as_millis();
    if ms.is_multiple_of(1000) {
        (ms / 1000).to_string()
    } else {
        format!("{ms}ms")
    }
}
