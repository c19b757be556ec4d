//! Coherence rules: persistence, federation, HotCache, member placement.

area_rules! {
    coh001_persistence_non_distributed_cache,
    coh002_persistence_without_centralized_assignment,
    coh003_multi_site_without_persistence_federation,
    coh004_federation_in_stretch_cluster,
    coh005_federation_without_conflict_resolver,
    coh006_hotcache_without_goldengate,
    coh007_storage_members_single_host,
}
