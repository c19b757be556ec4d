//! `ohs`: `mod_wl_ohs.conf` per OHS instance, one `<Location>` per route.

use minijinja::Value;
use minijinja::value::Serde;
use serde::Serialize;

use super::{Lookup, render_template};
use crate::render::{Artifact, RenderError};
use crate::resolve::Model;

#[derive(Debug, Serialize)]
struct Route {
    path: String,
    cluster: String,
    members: String,
    dynamic: &'static str,
    io_timeout: Option<u64>,
    connect_timeout: Option<u64>,
    connect_retry: Option<u64>,
}

pub fn render(model: &Model) -> Result<Vec<Artifact>, RenderError> {
    let lk = Lookup::new(model);
    let mut out = Vec::new();
    for o in &model.topo.ohs {
        let mut routes = Vec::new();
        for r in &o.routes {
            let servers = model.index.servers_of(r.cluster.as_str());
            let mut members: Vec<String> = Vec::new();
            for s in servers
                .iter()
                .filter(|s| r.servers.is_empty() || r.servers.iter().any(|n| n.as_str() == s.name))
            {
                let addr = lk.addr(s.host.as_str());
                let m = if addr.contains(':') {
                    format!("[{addr}]:{}", s.port)
                } else {
                    format!("{addr}:{}", s.port)
                };
                if !members.contains(&m) {
                    members.push(m);
                }
            }
            if members.is_empty() {
                return Err(RenderError {
                    target: "ohs",
                    message: format!(
                        "OHS `{}` route `{}`: cluster `{}` has no servers to list in WebLogicCluster",
                        o.name, r.path.value, r.cluster
                    ),
                });
            }
            let secs = |d: &Option<crate::model::Sp<crate::model::Duration>>| {
                d.as_ref().map(|d| d.value.as_secs_ceil())
            };
            routes.push(Route {
                path: r.path.value.clone(),
                cluster: r.cluster.to_string(),
                members: members.join(","),
                dynamic: if r.dynamic_list.value { "ON" } else { "OFF" },
                io_timeout: secs(&r.io_timeout),
                connect_timeout: secs(&r.connect_timeout),
                connect_retry: secs(&r.connect_retry),
            });
        }
        let text = render_template(
            "ohs",
            "mod_wl_ohs.conf.j2",
            minijinja::context! {
                topology => model.topo.name.as_str(),
                ohs => o.name.as_str(),
                host => o.host.as_str(),
                routes => Value::from(Serde(&routes)),
            },
        )?;
        out.push(Artifact::new(
            format!("ohs/{}/mod_wl_ohs.conf", o.name),
            text,
        ));
    }
    Ok(out)
}
