//! WebLogic rules: clusters, singletons, migration, leasing, stores, sessions, data sources, homes.

pub mod wls001_cluster_too_few_servers;
pub mod wls002_cluster_single_host;
