//! Database rules: RAC, Data Guard, far sync, FSFO, replication versus objectives.

pub(super) mod db001_single_instance_no_ha;
pub(super) mod db002_no_standby_in_other_site;
pub(super) mod db003_protection_mode_not_max_availability;
pub(super) mod db004_max_availability_without_sync;
pub(super) mod db005_max_protection_single_standby;
pub(super) mod db006_no_broker;
pub(super) mod db007_no_fast_start_failover;
pub(super) mod db008_no_observer;
pub(super) mod db009_observer_in_primary_site;
pub(super) mod db010_far_sync_far_from_primary;
pub(super) mod db011_far_sync_without_alternate;
pub(super) mod db012_active_active_with_data_guard_only;
pub(super) mod db013_rpo_zero_with_async_replication;
