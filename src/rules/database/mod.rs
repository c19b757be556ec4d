//! Database rules: RAC, Data Guard, far sync, FSFO, replication versus objectives.

area_rules! {
    db001_single_instance_no_ha,
    db002_no_standby_in_other_site,
    db003_protection_mode_not_max_availability,
    db004_max_availability_without_sync,
    db005_max_protection_single_standby,
    db006_no_broker,
    db007_no_fast_start_failover,
    db008_no_observer,
    db009_observer_in_primary_site,
    db010_far_sync_far_from_primary,
    db011_far_sync_without_alternate,
    db012_active_active_with_data_guard_only,
    db013_rpo_zero_with_async_replication,
    db014_fsfo_target_snapshot_standby,
    db020_standby_service_without_active_data_guard,
    db021_data_guard_db_name_differs,
}
