//! Small shared queries for rules. Every helper is linear in the size of what it looks at
//! (index lookups, no nested scans over all servers or hosts).

use std::collections::BTreeSet;

use crate::model::{
    Architecture, DataGuard, Database, Duration, LinkKind, ProtectionMode, SiteRole, Standby,
    Transport,
};
use crate::resolve::Model;

/// Number of sites that serve users or hold data (not witnesses).
pub fn serving_sites(m: &Model) -> usize {
    m.topo
        .sites
        .iter()
        .filter(|s| s.role.value != SiteRole::Witness)
        .count()
}

/// Whether the topology spans several sites (declared architecture or placement).
pub fn multi_site(m: &Model) -> bool {
    m.topo.architecture.value != Architecture::SingleSite || serving_sites(m) >= 2
}

/// Whether the topology has an HTTP tier: a global or local load balancer, an OHS instance
/// or a WebLogic domain. Rules about users, HTTP entry points and global load balancing
/// apply only then; a database-only or cache-only topology is reached by its clients
/// through GSMs, connect descriptors or Coherence's own clients.
pub fn http_tier(m: &Model) -> bool {
    let t = &m.topo;
    t.global_load_balancer.is_some()
        || !t.load_balancers.is_empty()
        || !t.ohs.is_empty()
        || !t.domains.is_empty()
}

/// Whether the architecture is active-active or active-passive (a DR pair of sites).
pub fn dr_pair(m: &Model) -> bool {
    matches!(
        m.topo.architecture.value,
        Architecture::ActiveActive | Architecture::ActivePassive
    )
}

/// A database by name.
pub fn database<'m>(m: &'m Model, name: &str) -> Option<&'m Database> {
    m.index
        .databases
        .get(name)
        .and_then(|&i| m.topo.databases.get(i))
}

/// The databases offering a service.
pub fn service_databases<'m>(m: &'m Model, service: &str) -> Vec<&'m Database> {
    m.index
        .services
        .get(service)
        .map(|v| v.iter().filter_map(|d| database(m, d)).collect())
        .unwrap_or_default()
}

/// Sites the instances of a database run in.
pub fn db_sites<'m>(m: &'m Model, db: &Database) -> BTreeSet<&'m str> {
    db.instances
        .iter()
        .filter_map(|i| m.index.site_of(i.host.as_str()))
        .collect()
}

/// The Data Guard configuration a database belongs to (as primary or standby).
pub fn data_guard_of<'m>(m: &'m Model, db: &str) -> Option<&'m DataGuard> {
    m.index
        .data_guard_of
        .get(db)
        .and_then(|&i| m.topo.data_guard.get(i))
}

/// The effective redo transport to a standby: declared, or SYNC under maximum
/// availability / protection and ASYNC under maximum performance.
pub fn transport(dg: &DataGuard, s: &Standby) -> Transport {
    match &s.transport {
        Some(t) => t.value,
        None if dg.protection_mode.value == ProtectionMode::MaxPerformance => Transport::Async,
        None => Transport::Sync,
    }
}

/// The network class between two sites: declared link, else `None` (unknown).
pub fn link_kind(m: &Model, a: &str, b: &str) -> Option<LinkKind> {
    if a == b {
        return Some(LinkKind::Man);
    }
    m.topo
        .links
        .iter()
        .find(|l| {
            let names: Vec<&str> = l.between.iter().map(|n| n.as_str()).collect();
            names.contains(&a) && names.contains(&b)
        })
        .map(|l| l.effective_kind())
}

/// Recovery-model timings (topology overrides or the documented defaults).
pub fn dg_failover(m: &Model) -> Duration {
    m.topo
        .recovery
        .dg_failover
        .as_ref()
        .map_or(Duration::secs(30), |d| d.value)
}
pub fn dg_switchover(m: &Model) -> Duration {
    m.topo
        .recovery
        .dg_switchover
        .as_ref()
        .map_or(Duration::mins(2), |d| d.value)
}
pub fn human_response(m: &Model) -> Duration {
    m.topo
        .recovery
        .human_response
        .as_ref()
        .map_or(Duration::mins(30), |d| d.value)
}

/// `s` when `n != 1`.
pub fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Parses a database version like `19c`, `21c`, `23ai`, `19.21` into its major number.
pub fn major_version(v: &str) -> Option<u32> {
    let digits: String = v.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// The kebab-case name of a model enum value, as written in a topology.
pub fn kebab<T: serde::Serialize>(v: T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Whether a GoldenGate replication pairs `db` with a database in another site.
pub fn has_goldengate_peer_elsewhere(m: &Model, db: &Database) -> bool {
    let own = db_sites(m, db);
    m.topo
        .goldengate
        .iter()
        .filter(|g| g.databases.iter().any(|d| d.as_str() == db.name.as_str()))
        .any(|g| {
            g.databases
                .iter()
                .filter(|d| d.as_str() != db.name.as_str())
                .filter_map(|d| database(m, d.as_str()))
                .any(|p| db_sites(m, p).iter().any(|s| !own.contains(s)))
        })
}
