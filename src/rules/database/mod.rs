//! Database rules: RAC, Data Guard, far sync, FSFO, replication versus objectives.

pub mod db001_single_instance_no_ha;
pub mod db002_no_standby_in_other_site;
pub mod db003_protection_mode_not_max_availability;
pub mod db004_max_availability_without_sync;
pub mod db005_max_protection_single_standby;
pub mod db006_no_broker;
pub mod db007_no_fast_start_failover;
pub mod db008_no_observer;
pub mod db009_observer_in_primary_site;
pub mod db010_far_sync_far_from_primary;
pub mod db011_far_sync_without_alternate;
pub mod db012_active_active_with_data_guard_only;
pub mod db013_rpo_zero_with_async_replication;
