//! Client rules: TAF, FAN, FCF, Application Continuity, Transaction Guard.

pub(super) mod cli001_taf_unsupported_driver;
pub(super) mod cli002_taf_client_server_conflict;
pub(super) mod cli003_client_without_fan;
pub(super) mod cli004_fcf_without_fan;
pub(super) mod cli005_continuity_without_transaction_guard;
pub(super) mod cli006_continuity_wrong_failover_type;
pub(super) mod cli007_tac_pool_reset_state_none;

/// Kebab name of a driver, as written in the topology.
pub(crate) fn driver(d: crate::model::Driver) -> String {
    crate::rules::util::kebab(d)
}
