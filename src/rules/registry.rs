//! Every rule, in code order.

use super::{Rule, aws, database, frontend, weblogic};

static ALL: &[&Rule] = &[
    &frontend::fe001_no_global_load_balancer::RULE,
    &frontend::fe004_ohs_single_per_site::RULE,
    &weblogic::wls001_cluster_too_few_servers::RULE,
    &weblogic::wls002_cluster_single_host::RULE,
    &database::db002_no_standby_in_other_site::RULE,
    &aws::aws001_fsxn_single_az::RULE,
    &aws::aws002_asg_not_single_instance::RULE,
    &aws::aws003_asg_single_az::RULE,
    &aws::aws004_asg_grace_period_short::RULE,
    &aws::aws005_ami_not_resolved_from_ssm::RULE,
    &aws::aws006_ssm_parameter_not_image_type::RULE,
    &aws::aws007_backup_selection_by_instance_id::RULE,
    &aws::aws008_asg_tags_not_propagated::RULE,
    &aws::aws009_no_ami_pipeline::RULE,
    &aws::aws010_ami_cleanup_disabled::RULE,
    &aws::aws011_security_group_open_to_world::RULE,
    &aws::aws012_storage_sg_missing_port::RULE,
    &aws::aws013_iscsi_without_multipath::RULE,
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
