//! Coherence rules: persistence, federation, HotCache, member placement.

pub(super) mod coh001_persistence_non_distributed_cache;
pub(super) mod coh002_persistence_without_centralized_assignment;
pub(super) mod coh003_multi_site_without_persistence_federation;
pub(super) mod coh004_federation_in_stretch_cluster;
pub(super) mod coh005_federation_without_conflict_resolver;
pub(super) mod coh006_hotcache_without_goldengate;
pub(super) mod coh007_storage_members_single_host;
