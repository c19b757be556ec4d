//! Coherence rules: persistence, federation, HotCache, member placement.

pub mod coh001_persistence_non_distributed_cache;
pub mod coh002_persistence_without_centralized_assignment;
pub mod coh003_multi_site_without_persistence_federation;
pub mod coh004_federation_in_stretch_cluster;
pub mod coh005_federation_without_conflict_resolver;
pub mod coh006_hotcache_without_goldengate;
pub mod coh007_storage_members_single_host;
