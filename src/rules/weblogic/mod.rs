//! WebLogic rules: clusters, singletons, migration, leasing, stores, sessions, data sources, homes.

pub mod wls001_cluster_too_few_servers;
pub mod wls002_cluster_single_host;
pub mod wls003_cluster_single_zone;
pub mod wls004_singleton_no_automatic_migration;
pub mod wls005_dynamic_cluster_manual_migration;
pub mod wls006_whole_server_migration;
pub mod wls007_migration_without_leasing;
pub mod wls008_consensus_leasing;
pub mod wls009_leasing_database_not_ha;
pub mod wls010_fencing_shorter_than_role_change;
pub mod wls011_file_store_in_multi_site;
pub mod wls012_file_store_unprotected_storage;
pub mod wls013_in_memory_session_across_wan;
pub mod wls014_session_loss_not_tolerated;
pub mod wls015_jdbc_sessions_in_stretch;
pub mod wls016_generic_data_source_to_rac;
pub mod wls017_data_source_url_lacks_standby;
pub mod wls018_shared_oracle_home;
pub mod wls019_zdt_two_node_cluster;
pub mod wls020_admin_colocated_with_managed;

use crate::model::{ClusterType, Database, Domain, SingletonKind};
use crate::resolve::Model;
use crate::rules::util;

/// Whether a cluster is dynamic.
pub(crate) fn is_dynamic(m: &Model, cluster: &str) -> bool {
    m.index
        .clusters
        .get(cluster)
        .and_then(|&(d, c)| m.topo.domains.get(d).and_then(|d| d.clusters.get(c)))
        .is_some_and(|c| c.r#type.value == ClusterType::Dynamic || c.dynamic.is_some())
}

/// Human name of a singleton kind.
pub(crate) fn kind(k: SingletonKind) -> &'static str {
    match k {
        SingletonKind::JmsServer => "JMS server",
        SingletonKind::PathService => "path service",
        SingletonKind::UserDefined => "singleton service",
    }
}

/// The primary database behind a domain's leasing data source.
pub(crate) fn leasing_database<'m>(m: &'m Model, d: &'m Domain, ds: &str) -> Option<&'m Database> {
    let ds = d.data_sources.iter().find(|x| x.name.as_str() == ds)?;
    let dbs = util::service_databases(m, ds.service.as_str());
    dbs.iter()
        .copied()
        .find(|db| {
            util::data_guard_of(m, db.name.as_str())
                .is_none_or(|g| g.primary.as_str() == db.name.as_str())
        })
        .or(dbs.first().copied())
}
