//! The MAA high-availability connect descriptor, built once from the model and used by
//! both `tnsnames.ora` and the WLST data source URLs (through the same template).
//!
//! ```text
//! (DESCRIPTION=
//!   (CONNECT_TIMEOUT=90)(RETRY_COUNT=100)(RETRY_DELAY=3)(TRANSPORT_CONNECT_TIMEOUT=1)
//!   (ADDRESS_LIST=(LOAD_BALANCE=on)(ADDRESS=(PROTOCOL=TCP)(HOST=site1-scan)(PORT=1521)))
//!   (ADDRESS_LIST=(LOAD_BALANCE=on)(ADDRESS=(PROTOCOL=TCP)(HOST=site2-scan)(PORT=1521)))
//!   (CONNECT_DATA=(SERVICE_NAME=svc)))
//! ```
//! One ADDRESS_LIST per site, in connect order (primary site first); lists are tried in
//! order (FAILOVER is on by default), addresses inside a list are load balanced.

use minijinja::Value;
use minijinja::value::Serde;
use serde::Serialize;

use super::{Lookup, net_duration, render_template};
use crate::model::{Client, ConnectOptions, TafMethod, TafType};
use crate::render::RenderError;

/// One `(ADDRESS=...)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Address {
    pub protocol: &'static str,
    pub host: String,
    pub port: u16,
}

/// One `(ADDRESS_LIST=...)`: the endpoints of one site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AddressList {
    pub site: String,
    pub addresses: Vec<Address>,
}

/// Client-side TAF (`FAILOVER_MODE`), only for OCI-based drivers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FailoverMode {
    pub r#type: &'static str,
    pub method: &'static str,
    pub retries: u32,
    pub delay: u64,
}

/// A complete connect descriptor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Descriptor {
    pub connect_timeout: String,
    pub retry_count: u32,
    pub retry_delay: u64,
    pub transport_connect_timeout: String,
    pub address_lists: Vec<AddressList>,
    pub service_name: String,
    pub failover_mode: Option<FailoverMode>,
}

fn err(message: String) -> RenderError {
    RenderError {
        target: "tnsnames",
        message,
    }
}

/// The connect options of a service: those written on the service (on the first database
/// offering it, primary first), else the MAA defaults.
pub fn service_options(lk: &Lookup<'_>, service: &str) -> ConnectOptions {
    lk.service_databases(service)
        .into_iter()
        .find_map(|(_, s)| s.connect.clone())
        .unwrap_or_default()
}

fn push_address(lists: &mut Vec<AddressList>, site: String, a: Address) {
    match lists.iter_mut().find(|l| l.site == site) {
        Some(l) => {
            if !l.addresses.contains(&a) {
                l.addresses.push(a);
            }
        }
        None => lists.push(AddressList {
            site,
            addresses: vec![a],
        }),
    }
}

/// The address lists that reach a service: one per site of the databases offering it,
/// or the global service managers of each GDS region for a global service.
pub fn service_address_lists(
    lk: &Lookup<'_>,
    service: &str,
) -> Result<Vec<AddressList>, RenderError> {
    let mut lists: Vec<AddressList> = Vec::new();
    for (db, _) in lk.service_databases(service) {
        let site = lk.db_site(db);
        for (host, port) in lk.db_endpoints(db) {
            push_address(
                &mut lists,
                site.clone(),
                Address {
                    protocol: "TCP",
                    host,
                    port,
                },
            );
        }
    }
    if lists.is_empty()
        && let Some(gds) = lk
            .topo()
            .gds
            .as_ref()
            .filter(|g| g.global_services.iter().any(|s| s.name.as_str() == service))
    {
        for region in &gds.regions {
            for gsm in &region.gsms {
                // GSM listeners default to port 1522.
                let a = Address {
                    protocol: "TCP",
                    host: lk.addr(gsm.host.as_str()).to_owned(),
                    port: 1522,
                };
                push_address(&mut lists, region.name.to_string(), a);
            }
        }
    }
    if lists.is_empty() {
        return Err(err(format!(
            "service `{service}` has no reachable endpoint (no database instance, SCAN or GSM)"
        )));
    }
    Ok(lists)
}

/// The descriptor of a service with the given options.
pub fn for_service(
    lk: &Lookup<'_>,
    service: &str,
    opts: &ConnectOptions,
) -> Result<Descriptor, RenderError> {
    Ok(Descriptor {
        connect_timeout: net_duration(opts.connect_timeout.value),
        retry_count: opts.retry_count.value,
        retry_delay: opts.retry_delay.value.as_secs_ceil(),
        transport_connect_timeout: net_duration(opts.transport_connect_timeout.value),
        address_lists: service_address_lists(lk, service)?,
        service_name: service.to_owned(),
        failover_mode: None,
    })
}

fn options_differ(a: &ConnectOptions, b: &ConnectOptions) -> bool {
    a.connect_timeout != b.connect_timeout
        || a.retry_count != b.retry_count
        || a.retry_delay != b.retry_delay
        || a.transport_connect_timeout != b.transport_connect_timeout
}

fn written(o: &ConnectOptions) -> bool {
    o.connect_timeout.is_written()
        || o.retry_count.is_written()
        || o.retry_delay.is_written()
        || o.transport_connect_timeout.is_written()
}

/// The descriptor of a client that needs its own alias (TAF on an OCI-based driver, its
/// own connect options, or a Connection Manager in the path); `None` when the service
/// alias serves it.
pub fn for_client(lk: &Lookup<'_>, client: &Client) -> Result<Option<Descriptor>, RenderError> {
    let service = client.service.as_str();
    let base = service_options(lk, service);
    let taf = client.taf.as_ref().filter(|_| client.supports_taf());
    let own_options = written(&client.connect) && options_differ(&client.connect, &base);
    if taf.is_none() && !own_options && client.via.is_none() {
        return Ok(None);
    }
    let opts = if written(&client.connect) {
        &client.connect
    } else {
        &base
    };
    let mut d = for_service(lk, service, opts)?;
    if let Some(cman) = client
        .via
        .as_ref()
        .and_then(|v| lk.model.index.cman.get(v.as_str()))
        .and_then(|&i| lk.topo().cman.get(i))
    {
        let mut lists = Vec::new();
        let protocol = if cman.tcps.value { "TCPS" } else { "TCP" };
        for h in &cman.hosts {
            let site = lk
                .model
                .index
                .site_of(h.as_str())
                .unwrap_or_default()
                .to_owned();
            push_address(
                &mut lists,
                site,
                Address {
                    protocol,
                    host: lk.addr(h.as_str()).to_owned(),
                    port: cman.port.value,
                },
            );
        }
        if !lists.is_empty() {
            d.address_lists = lists;
        }
    }
    if let Some(t) = taf {
        d.failover_mode = Some(FailoverMode {
            r#type: match t.r#type.value {
                TafType::Session => "session",
                TafType::Select => "select",
                TafType::None => "none",
            },
            method: match t.method.value {
                TafMethod::Basic => "basic",
                TafMethod::Preconnect => "preconnect",
            },
            retries: t.retries.value,
            delay: t.delay.value.as_secs_ceil(),
        });
    }
    Ok(Some(d))
}

/// The alias a client gets when it needs its own: `<service>_<client>`.
pub fn client_alias(client: &Client) -> String {
    format!("{}_{}", client.service, client.name)
}

/// The descriptor on one line (for a JDBC URL), rendered by the same template as
/// `tnsnames.ora`, so both carry identical, identically escaped values.
pub fn one_line(d: &Descriptor, target: &'static str) -> Result<String, RenderError> {
    let text = render_template(
        target,
        "descriptor.ora.j2",
        minijinja::context! { d => Value::from(Serde(d)) },
    )?;
    Ok(text.lines().map(str::trim).collect())
}
