//! Client rules: TAF, FAN, FCF, Application Continuity, Transaction Guard.

area_rules! {
    cli001_taf_unsupported_driver,
    cli002_taf_client_server_conflict,
    cli003_client_without_fan,
    cli004_fcf_without_fan,
    cli005_continuity_without_transaction_guard,
    cli006_continuity_wrong_failover_type,
    cli007_tac_pool_reset_state_none,
    cli008_fan_without_clusterware,
    cli009_driver_lacks_ha_feature,
    cli010_continuity_to_logical_standby,
    cli011_failover_window_shorter_than_relocation,
}

/// Kebab name of a driver, as written in the topology.
pub(crate) fn driver(d: crate::model::Driver) -> String {
    crate::rules::util::kebab(d)
}
