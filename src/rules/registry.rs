//! Every rule, in code order.

use super::{Rule, aws, database, frontend, weblogic};

static ALL: &[&Rule] = &[
    &frontend::fe001_no_global_load_balancer::RULE,
    &frontend::fe004_ohs_single_per_site::RULE,
    &weblogic::wls001_cluster_too_few_servers::RULE,
    &weblogic::wls002_cluster_single_host::RULE,
    &database::db002_no_standby_in_other_site::RULE,
    &aws::aws001_fsxn_single_az::RULE,
];

/// All rules.
pub fn all() -> &'static [&'static Rule] {
    ALL
}

/// Finds a rule by code, name or former name (case-insensitive for codes).
pub fn find(id: &str) -> Option<&'static Rule> {
    ALL.iter().copied().find(|r| {
        let d = r.doc();
        d.code.eq_ignore_ascii_case(id) || d.name == id || d.aliases.iter().any(|a| a == id)
    })
}
