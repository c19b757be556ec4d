//! WebLogic rules: clusters, singletons, migration, leasing, stores, sessions, data sources, homes.

area_rules! {
    wls001_cluster_too_few_servers,
    wls002_cluster_single_host,
    wls003_cluster_single_zone,
    wls004_singleton_no_automatic_migration,
    wls005_dynamic_cluster_manual_migration,
    wls006_whole_server_migration,
    wls007_migration_without_leasing,
    wls008_consensus_leasing,
    wls009_leasing_database_not_ha,
    wls010_fencing_shorter_than_role_change,
    wls011_file_store_in_multi_site,
    wls012_file_store_unprotected_storage,
    wls013_in_memory_session_across_wan,
    wls014_session_loss_not_tolerated,
    wls015_jdbc_sessions_in_stretch,
    wls016_generic_data_source_to_rac,
    wls017_data_source_url_lacks_standby,
    wls018_shared_oracle_home,
    wls019_zdt_two_node_cluster,
    wls020_admin_colocated_with_managed,
    wls021_replica_drift,
    wls022_artifacts_unreachable,
    wls025_singleton_store_other_cluster,
}

use crate::model::{ClusterType, Database, Domain, MigrationType, SingletonKind};
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

/// Whether `cluster` uses whole-server migration: a singleton then moves with its server, so
/// its own `migration: manual` does not leave it down.
pub(crate) fn whole_server_migration(m: &Model, cluster: &str) -> bool {
    m.index
        .clusters
        .get(cluster)
        .and_then(|&(d, c)| m.topo.domains.get(d).and_then(|d| d.clusters.get(c)))
        .and_then(|c| c.migration.as_ref())
        .is_some_and(|mg| mg.r#type.value == MigrationType::WholeServer)
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
