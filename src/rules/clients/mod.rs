//! Client rules: TAF, FAN, FCF, Application Continuity, Transaction Guard.

pub mod cli001_taf_unsupported_driver;
pub mod cli002_taf_client_server_conflict;
pub mod cli003_client_without_fan;
pub mod cli004_fcf_without_fan;
pub mod cli005_continuity_without_transaction_guard;
pub mod cli006_continuity_wrong_failover_type;
pub mod cli007_tac_pool_reset_state_none;

/// Kebab name of a driver, as written in the topology.
pub(crate) fn driver(d: crate::model::Driver) -> String {
    crate::rules::util::kebab(d)
}
