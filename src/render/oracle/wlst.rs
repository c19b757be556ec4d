//! `wlst`: one online WLST (Jython 2.7) script per WebLogic domain.
//!
//! The script connects to the domain's Admin Server and, in one edit session, creates or
//! updates machines and Node Manager settings, clusters (static and dynamic) and their
//! servers, leasing and migration, Active GridLink data sources (URL from the same
//! descriptor builder as `tnsnames.ora`), JDBC stores for JMS and the JTA TLOG, migratable
//! targets and JMS servers, and the session persistence data source. Credentials are read
//! from environment variables or prompted for, never written.

use minijinja::Value;
use minijinja::value::Serde;
use serde::Serialize;

use super::descriptor::{self, Descriptor};
use super::{Lookup, render_template};
use crate::model::{
    self, ClusterType, DataSourcePurpose, DataSourceType, Domain, DomainRole, FailoverType,
    LeasingBasis, MigrationPolicy, MigrationType, NodeManagerType, SessionMode, SingletonKind,
    StoreType,
};
use crate::render::{Artifact, RenderError};
use crate::resolve::Model;

#[derive(Debug, Serialize)]
struct Machine {
    name: String,
    address: String,
}

#[derive(Debug, Serialize)]
struct Server {
    name: String,
    machine: String,
    address: String,
    port: u16,
}

#[derive(Debug, Serialize)]
struct Leasing {
    basis: &'static str,
    data_source: Option<String>,
    health_check_interval_ms: u64,
    periods_until_fencing: u32,
    fencing_grace_ms: u64,
    whole_server: bool,
}

#[derive(Debug, Serialize)]
struct Tlog {
    data_source: Option<String>,
    jta_policy: &'static str,
}

#[derive(Debug, Serialize)]
struct Cluster {
    name: String,
    dynamic: bool,
    template: String,
    size: u32,
    prefix: String,
    port: u16,
    machine_match: String,
    servers: Vec<Server>,
    leasing: Option<Leasing>,
    tlog: Option<Tlog>,
    session_data_source: Option<String>,
    session_mode: &'static str,
}

#[derive(Debug, Serialize)]
struct DataSource {
    name: String,
    jndi: String,
    url: String,
    driver: &'static str,
    protocol: &'static str,
    kind: &'static str,
    agl: bool,
    fan: bool,
    ons: String,
    max_capacity: Option<u32>,
    targets: Vec<String>,
    user_env: String,
    password_env: String,
}

#[derive(Debug, Serialize)]
struct MigratableTarget {
    name: String,
    cluster: String,
    policy: &'static str,
    preferred: String,
    candidates: Vec<String>,
}

#[derive(Debug, Serialize)]
struct Store {
    name: String,
    jdbc: bool,
    data_source: Option<String>,
    directory: Option<String>,
    prefix: String,
    /// A migratable target, or (dynamic clusters) the cluster itself.
    target: String,
    target_is_cluster: bool,
    /// `Singleton` for a path service's store, else `Distributed`.
    distribution_policy: &'static str,
    migration_policy: &'static str,
}

#[derive(Debug, Serialize)]
struct Singleton {
    name: String,
    kind: &'static str,
    store: Option<String>,
    target: String,
    target_is_cluster: bool,
}

fn policy(p: MigrationPolicy) -> &'static str {
    match p {
        MigrationPolicy::Manual => "manual",
        MigrationPolicy::ExactlyOnce => "exactly-once",
        MigrationPolicy::FailureRecovery => "failure-recovery",
        MigrationPolicy::ShutdownRecovery => "shutdown-recovery",
    }
}

/// Store `MigrationPolicy` of cluster-targeted stores (dynamic clusters).
fn store_policy(p: MigrationPolicy) -> &'static str {
    match p {
        MigrationPolicy::Manual => "Off",
        MigrationPolicy::ExactlyOnce => "Always",
        MigrationPolicy::FailureRecovery | MigrationPolicy::ShutdownRecovery => "On-Failure",
    }
}

/// An environment variable name derived from an object name.
fn env_name(prefix: &str, name: &str) -> String {
    let tail: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    format!("{prefix}_{tail}")
}

fn err(message: String) -> RenderError {
    RenderError {
        target: "wlst",
        message,
    }
}

fn data_source(
    lk: &Lookup<'_>,
    d: &Domain,
    ds: &crate::model::DataSource,
) -> Result<DataSource, RenderError> {
    let service = ds.service.as_str();
    let desc: Descriptor =
        descriptor::for_service(lk, service, &descriptor::service_options(lk, service))?;
    let url = match &ds.url {
        Some(u) => u.value.clone(),
        None => format!("jdbc:oracle:thin:@{}", descriptor::one_line(&desc, "wlst")?),
    };
    // ONS: the FAN daemons of the databases' clusters (port 6200), every site.
    let ons: Vec<String> = desc
        .address_lists
        .iter()
        .flat_map(|l| l.addresses.iter())
        .map(|a| format!("{}:6200", a.host))
        .fold(Vec::new(), |mut v, x| {
            if !v.contains(&x) {
                v.push(x);
            }
            v
        });
    let replay = lk.service_databases(service).first().is_some_and(|(_, s)| {
        matches!(
            s.failover_type.value,
            FailoverType::Transaction | FailoverType::Auto
        )
    });
    let purpose = ds.purpose.value;
    // Stores, leasing and session persistence need non-XA data sources; application data
    // sources are XA (two-phase commit), with the replay driver under (T)AC.
    let (driver, protocol) = match (purpose, replay) {
        (DataSourcePurpose::Application, true) => (
            "oracle.jdbc.replay.OracleXADataSourceImpl",
            "TwoPhaseCommit",
        ),
        (DataSourcePurpose::Application, false) => {
            ("oracle.jdbc.xa.client.OracleXADataSource", "TwoPhaseCommit")
        }
        _ => ("oracle.jdbc.OracleDriver", "None"),
    };
    let agl = ds.r#type.value == DataSourceType::Agl;
    for t in &ds.targets {
        if !d.clusters.iter().any(|c| c.name.as_str() == t.as_str()) {
            return Err(err(format!(
                "data source `{}` targets unknown cluster `{t}`",
                ds.name
            )));
        }
    }
    Ok(DataSource {
        name: ds.name.to_string(),
        jndi: ds
            .jndi_name
            .as_ref()
            .map_or_else(|| format!("jdbc/{}", ds.name), |j| j.value.clone()),
        url,
        driver,
        protocol,
        kind: if agl { "AGL" } else { "GENERIC" },
        agl,
        fan: ds.fan.value,
        ons: ons.join(","),
        max_capacity: ds.max_capacity.as_ref().map(|m| m.value),
        targets: ds.targets.iter().map(ToString::to_string).collect(),
        user_env: env_name("MAA_DB_USER", ds.name.as_str()),
        password_env: env_name("MAA_DB_PASSWORD", ds.name.as_str()),
    })
}

/// A domain's machines, each host once, in the order first named.
struct Machines<'l> {
    lk: &'l Lookup<'l>,
    list: Vec<Machine>,
}

impl Machines<'_> {
    fn add(&mut self, host: &str) {
        if !self.list.iter().any(|m| m.name == host) {
            self.list.push(Machine {
                name: host.to_owned(),
                address: self.lk.addr(host).to_owned(),
            });
        }
    }
}

fn cluster_context(lk: &Lookup<'_>, c: &model::Cluster) -> Cluster {
    let servers: Vec<Server> = lk
        .model
        .index
        .servers_of(c.name.as_str())
        .iter()
        .map(|s| Server {
            name: s.name.clone(),
            machine: s.host.to_string(),
            address: lk.addr(s.host.as_str()).to_owned(),
            port: s.port,
        })
        .collect();
    let dy = c.dynamic.as_ref();
    let leasing = c.migration.as_ref().map(|m| Leasing {
        basis: match m.leasing.value {
            LeasingBasis::Database => "database",
            LeasingBasis::Consensus => "consensus",
        },
        data_source: m.data_source.as_ref().map(ToString::to_string),
        health_check_interval_ms: m.fencing.health_check_interval.value.as_millis(),
        periods_until_fencing: m.fencing.periods_until_fencing.value,
        fencing_grace_ms: m.fencing.grace_period.value.as_millis(),
        whole_server: m.r#type.value == MigrationType::WholeServer,
    });
    let tlog = c.transaction_log.as_ref().map(|t| Tlog {
        data_source: if t.r#type.value == StoreType::Jdbc {
            t.data_source.as_ref().map(ToString::to_string)
        } else {
            None
        },
        jta_policy: policy(t.migration.value),
    });
    let (session_data_source, session_mode) = match &c.session_replication {
        Some(s) => (
            s.data_source
                .as_ref()
                .filter(|_| s.mode.value == SessionMode::Jdbc)
                .map(ToString::to_string),
            match s.mode.value {
                SessionMode::InMemory => "replicated_if_clustered",
                SessionMode::Jdbc => "jdbc",
                SessionMode::Coherence => "coherence-web",
                SessionMode::None => "memory",
            },
        ),
        None => (None, "memory"),
    };
    Cluster {
        name: c.name.to_string(),
        dynamic: c.r#type.value == ClusterType::Dynamic,
        template: format!("{}_template", c.name),
        size: dy.map_or(0, |d| d.size.value),
        prefix: dy
            .and_then(|d| d.name_prefix.as_ref())
            .map_or_else(|| format!("{}_", c.name), ToString::to_string),
        port: dy.map_or(0, |d| d.port.value),
        machine_match: dy
            .map(|d| {
                d.hosts
                    .iter()
                    .map(|h| h.as_str())
                    .collect::<Vec<_>>()
                    .join(",")
            })
            .unwrap_or_default(),
        servers,
        leasing,
        tlog,
        session_data_source,
        session_mode,
    }
}

/// A singleton of the domain, the target it runs on and whether that target is its cluster.
type Placed<'d> = (&'d model::Singleton, String, bool);

/// Where each singleton runs: one migratable target per singleton on a static cluster
/// (returned too), else its (dynamic or empty) cluster.
fn place_singletons<'d>(
    lk: &Lookup<'_>,
    d: &'d Domain,
) -> (Vec<Placed<'d>>, Vec<MigratableTarget>) {
    let is_dynamic = |cluster: &str| {
        d.clusters
            .iter()
            .any(|c| c.name.as_str() == cluster && c.r#type.value == ClusterType::Dynamic)
    };
    let mut migratable = Vec::new();
    let mut singletons = Vec::new();
    for s in &d.singletons {
        let cluster = s.cluster.as_str();
        let members: Vec<String> = lk
            .model
            .index
            .servers_of(cluster)
            .iter()
            .map(|x| x.name.clone())
            .collect();
        let on_cluster = is_dynamic(cluster) || members.is_empty();
        let target = if on_cluster {
            cluster.to_owned()
        } else {
            format!("{}_mt", s.name)
        };
        if !on_cluster {
            migratable.push(MigratableTarget {
                name: target.clone(),
                cluster: cluster.to_owned(),
                policy: policy(s.migration.value),
                preferred: members.first().cloned().unwrap_or_default(),
                candidates: members,
            });
        }
        singletons.push((s, target, on_cluster));
    }
    (singletons, migratable)
}

/// The domain's stores, each on the target of the singleton that uses it (else its cluster).
fn stores(d: &Domain, singletons: &[Placed<'_>]) -> Vec<Store> {
    let mut stores = Vec::new();
    for st in &d.stores {
        let user = singletons.iter().find(|(s, _, _)| {
            s.store
                .as_ref()
                .is_some_and(|n| n.as_str() == st.name.as_str())
        });
        let (target, on_cluster, pol) = match user {
            Some((s, t, on)) => (t.clone(), *on, store_policy(s.migration.value)),
            None => (st.cluster.to_string(), true, "Off"),
        };
        stores.push(Store {
            name: st.name.to_string(),
            jdbc: st.r#type.value == StoreType::Jdbc,
            data_source: st.data_source.as_ref().map(ToString::to_string),
            directory: st.directory.as_ref().map(|d| d.value.clone()),
            prefix: format!(
                "{}_",
                st.name
                    .as_str()
                    .to_ascii_uppercase()
                    .replace(['.', '-'], "_")
            ),
            target,
            target_is_cluster: on_cluster,
            distribution_policy: if user
                .is_some_and(|(s, _, _)| s.kind.value == SingletonKind::PathService)
            {
                "Singleton"
            } else {
                "Distributed"
            },
            migration_policy: pol,
        });
    }
    stores
}

fn singleton_context((s, target, on_cluster): Placed<'_>) -> Singleton {
    Singleton {
        name: s.name.to_string(),
        kind: match s.kind.value {
            SingletonKind::JmsServer => "jms-server",
            SingletonKind::PathService => "path-service",
            SingletonKind::UserDefined => "user-defined",
        },
        store: s.store.as_ref().map(ToString::to_string),
        target,
        target_is_cluster: on_cluster,
    }
}

fn domain_context(lk: &Lookup<'_>, d: &Domain) -> Result<Value, RenderError> {
    let mut machines = Machines {
        lk,
        list: Vec::new(),
    };
    machines.add(d.admin_server.host.as_str());
    let mut clusters = Vec::new();
    for c in &d.clusters {
        let cluster = cluster_context(lk, c);
        for s in &cluster.servers {
            machines.add(&s.machine);
        }
        for h in c.dynamic.iter().flat_map(|dy| &dy.hosts) {
            machines.add(h.as_str());
        }
        clusters.push(cluster);
    }
    let (singletons, migratable) = place_singletons(lk, d);
    let stores = stores(d, &singletons);
    let singletons: Vec<Singleton> = singletons.into_iter().map(singleton_context).collect();
    let data_sources = d
        .data_sources
        .iter()
        .map(|ds| data_source(lk, d, ds))
        .collect::<Result<Vec<_>, _>>()?;
    let nm = &d.node_manager;
    let admin_addr = lk.addr(d.admin_server.host.as_str()).to_owned();
    Ok(minijinja::context! {
        topology => lk.model.topo.name.as_str(),
        domain => d.name.as_str(),
        passive => d.role.value == DomainRole::Passive,
        replica_of => d.replica_of.as_ref().map(|r| r.to_string()),
        active_site => home_site(lk, d),
        standby_sites => (!d.replicas.is_empty()).then(|| d.replicas.iter().map(|r| r.site.to_string()).collect::<Vec<_>>()),
        version => d.version.as_ref().map(|v| v.value.clone()),
        admin_name => d.admin_server.name.as_str(),
        admin_machine => d.admin_server.host.as_str(),
        admin_floating => d.admin_server.floating_address.value,
        admin_url => format!("t3://{}:{}", if admin_addr.contains(':') { format!("[{admin_addr}]") } else { admin_addr }, d.admin_server.port.value),
        nm_enabled => nm.enabled.value,
        nm_type => match nm.r#type.value { NodeManagerType::Ssl => "SSL", NodeManagerType::Plain => "Plain", NodeManagerType::Ssh => "SSH" },
        nm_port => nm.port.value,
        machines => Value::from(Serde(&machines.list)),
        clusters => Value::from(Serde(&clusters)),
        data_sources => Value::from(Serde(&data_sources)),
        migratable_targets => Value::from(Serde(&migratable)),
        stores => Value::from(Serde(&stores)),
        singletons => Value::from(Serde(&singletons)),
    })
}

pub fn render(model: &Model) -> Result<Vec<Artifact>, RenderError> {
    let lk = Lookup::new(model);
    let mut out = Vec::new();
    // A replica made from `replicas:` is the active domain's configuration: no script of its own.
    for d in model
        .topo
        .domains
        .iter()
        .filter(|d| d.replica_site.is_none())
    {
        let ctx = domain_context(&lk, d)?;
        let text = render_template("wlst", "wlst.py.j2", ctx)?;
        out.push(Artifact::new(format!("wlst/{}.py", d.name), text));
        out.extend(aliases(&lk, d));
    }
    Ok(out)
}

/// The site a domain runs in (its Admin Server's).
fn home_site<'m>(lk: &Lookup<'m>, d: &Domain) -> &'m str {
    lk.model
        .index
        .site_of(d.admin_server.host.as_str())
        .unwrap_or_default()
}

/// For a domain with replicas, one host-alias table per site: each listen address of the
/// domain configuration and the host it resolves to in that site.
fn aliases(lk: &Lookup<'_>, d: &Domain) -> Vec<Artifact> {
    if d.replicas.is_empty() {
        return Vec::new();
    }
    let hosts = crate::resolve::domain_hosts(d);
    let home = home_site(lk, d);
    let mut tables = vec![(home, hosts.iter().map(|h| (*h, *h)).collect::<Vec<_>>())];
    for r in &d.replicas {
        let rows = hosts
            .iter()
            .filter_map(|h| r.hosts.get(*h).map(|to| (*h, to)))
            .collect();
        tables.push((r.site.as_str(), rows));
    }
    let all: Vec<&str> = tables.iter().map(|(s, _)| *s).collect();
    tables
        .into_iter()
        .map(|(site, rows)| {
            let mut text = format!(
                "# Host-name aliases of WebLogic domain {domain} in site {site}.\n\
                 # Generated by maa: do not edit; change the topology and run `maa render`.\n\
                 #\n\
                 # wlst/{domain}.py is one configuration for sites {sites}: its listen addresses\n\
                 # are the aliases below. In {site} each alias must resolve to the address on its\n\
                 # right, for every host of {site} (a record in {site}'s DNS view, or an /etc/hosts\n\
                 # line with that address's IP on each host of {site}).\n\
                 #\n\
                 # alias\taddress in {site}\n",
                domain = d.name,
                sites = all.join(", "),
            );
            for (alias, to) in rows {
                text.push_str(&format!("{}\t{}\n", lk.addr(alias.as_str()), lk.addr(to.as_str())));
            }
            Artifact::new(format!("host-aliases/{}.{site}.txt", d.name), text)
        })
        .collect()
}
