//! `tnsnames`: `tnsnames.ora` with one MAA alias per database service.

use std::collections::BTreeSet;

use minijinja::Value;
use minijinja::value::Serde;
use serde::Serialize;

use super::descriptor::{self, Descriptor};
use super::{Lookup, render_template};
use crate::render::{Artifact, RenderError};
use crate::resolve::Model;
use crate::resolve::sorted_names;

/// One alias of the file.
#[derive(Debug, Clone, Serialize)]
pub struct Alias {
    pub name: String,
    /// `service` or `client`.
    pub kind: &'static str,
    pub subject: String,
    pub sites: Vec<String>,
    pub descriptor: Descriptor,
}

/// Every alias, services first (sorted by name), then client aliases (sorted by name).
pub fn aliases(model: &Model) -> Result<Vec<Alias>, RenderError> {
    let lk = Lookup::new(model);
    let mut out = Vec::new();
    for service in sorted_names(&model.index.services) {
        let d = descriptor::for_service(&lk, service, &descriptor::service_options(&lk, service))?;
        out.push(Alias {
            name: service.to_owned(),
            kind: "service",
            subject: service.to_owned(),
            sites: d.address_lists.iter().map(|l| l.site.clone()).collect(),
            descriptor: d,
        });
    }
    for service in sorted_names(&model.index.global_services) {
        if model.index.services.contains_key(service) {
            continue;
        }
        let d = descriptor::for_service(&lk, service, &descriptor::service_options(&lk, service))?;
        out.push(Alias {
            name: service.to_owned(),
            kind: "global-service",
            subject: service.to_owned(),
            sites: d.address_lists.iter().map(|l| l.site.clone()).collect(),
            descriptor: d,
        });
    }
    let mut clients = Vec::new();
    for c in &model.topo.clients {
        if let Some(d) = descriptor::for_client(&lk, c)? {
            clients.push(Alias {
                name: descriptor::client_alias(c),
                kind: "client",
                subject: c.name.to_string(),
                sites: d.address_lists.iter().map(|l| l.site.clone()).collect(),
                descriptor: d,
            });
        }
    }
    clients.sort_by(|a, b| a.name.cmp(&b.name));
    out.extend(clients);
    let mut seen = BTreeSet::new();
    for a in &out {
        if !seen.insert(a.name.to_ascii_uppercase()) {
            return Err(RenderError {
                target: "tnsnames",
                message: format!(
                    "two aliases are named `{}` (alias names are case-insensitive); rename the client or the service",
                    a.name
                ),
            });
        }
    }
    Ok(out)
}

pub fn render(model: &Model) -> Result<Vec<Artifact>, RenderError> {
    let aliases = aliases(model)?;
    if aliases.is_empty() {
        return Ok(Vec::new());
    }
    let text = render_template(
        "tnsnames",
        "tnsnames.ora.j2",
        minijinja::context! { topology => model.topo.name.as_str(), aliases => Value::from(Serde(&aliases)) },
    )?;
    Ok(vec![Artifact::new("tnsnames/tnsnames.ora", text)])
}
