//! Every rule, in code order.

use super::{
    Rule, aws, clients, cman, coherence, database, frontend, gds, goldengate, resilience, weblogic,
};

static ALL: &[&Rule] = &[
    &frontend::fe001_no_global_load_balancer::RULE,
    &frontend::fe002_global_lb_not_redundant::RULE,
    &frontend::fe003_local_lb_not_redundant::RULE,
    &frontend::fe004_ohs_single_per_site::RULE,
    &frontend::fe005_no_health_check::RULE,
    &frontend::fe006_ohs_no_node_manager::RULE,
    &frontend::fe007_ohs_route_too_few_members::RULE,
    &weblogic::wls001_cluster_too_few_servers::RULE,
    &weblogic::wls002_cluster_single_host::RULE,
    &weblogic::wls003_cluster_single_zone::RULE,
    &weblogic::wls004_singleton_no_automatic_migration::RULE,
    &weblogic::wls005_dynamic_cluster_manual_migration::RULE,
    &weblogic::wls006_whole_server_migration::RULE,
    &weblogic::wls007_migration_without_leasing::RULE,
    &weblogic::wls008_consensus_leasing::RULE,
    &weblogic::wls009_leasing_database_not_ha::RULE,
    &weblogic::wls010_fencing_shorter_than_role_change::RULE,
    &weblogic::wls011_file_store_in_multi_site::RULE,
    &weblogic::wls012_file_store_unprotected_storage::RULE,
    &weblogic::wls013_in_memory_session_across_wan::RULE,
    &weblogic::wls014_session_loss_not_tolerated::RULE,
    &weblogic::wls015_jdbc_sessions_in_stretch::RULE,
    &weblogic::wls016_generic_data_source_to_rac::RULE,
    &weblogic::wls017_data_source_url_lacks_standby::RULE,
    &weblogic::wls018_shared_oracle_home::RULE,
    &weblogic::wls019_zdt_two_node_cluster::RULE,
    &weblogic::wls020_admin_colocated_with_managed::RULE,
    &coherence::coh001_persistence_non_distributed_cache::RULE,
    &coherence::coh002_persistence_without_centralized_assignment::RULE,
    &coherence::coh003_multi_site_without_persistence_federation::RULE,
    &coherence::coh004_federation_in_stretch_cluster::RULE,
    &coherence::coh005_federation_without_conflict_resolver::RULE,
    &coherence::coh006_hotcache_without_goldengate::RULE,
    &coherence::coh007_storage_members_single_host::RULE,
    &database::db001_single_instance_no_ha::RULE,
    &database::db002_no_standby_in_other_site::RULE,
    &database::db003_protection_mode_not_max_availability::RULE,
    &database::db004_max_availability_without_sync::RULE,
    &database::db005_max_protection_single_standby::RULE,
    &database::db006_no_broker::RULE,
    &database::db007_no_fast_start_failover::RULE,
    &database::db008_no_observer::RULE,
    &database::db009_observer_in_primary_site::RULE,
    &database::db010_far_sync_far_from_primary::RULE,
    &database::db011_far_sync_without_alternate::RULE,
    &database::db012_active_active_with_data_guard_only::RULE,
    &database::db013_rpo_zero_with_async_replication::RULE,
    &goldengate::gg001_no_conflict_resolution::RULE,
    &goldengate::gg002_application_continuity_across_goldengate::RULE,
    &gds::gds001_region_without_gsm::RULE,
    &gds::gds002_region_single_gsm::RULE,
    &clients::cli001_taf_unsupported_driver::RULE,
    &clients::cli002_taf_client_server_conflict::RULE,
    &clients::cli003_client_without_fan::RULE,
    &clients::cli004_fcf_without_fan::RULE,
    &clients::cli005_continuity_without_transaction_guard::RULE,
    &clients::cli006_continuity_wrong_failover_type::RULE,
    &clients::cli007_tac_pool_reset_state_none::RULE,
    &cman::cman001_single_instance::RULE,
    &cman::cman002_without_tcps::RULE,
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
    &resilience::obj001_objective_breached::RULE,
    &resilience::spof001_single_point_of_failure::RULE,
    &resilience::spof002_double_faults::RULE,
];

/// Suppression bookkeeping codes (MAA001 unused, MAA002 expired, MAA003 no reason): documented
/// like rules and accepted by selectors, but reported by the suppression pass, not by a check.
static META: &[&Rule] = &[&MAA001, &MAA002, &MAA003];

static MAA001: Rule = Rule::new(include_str!("../../rules/MAA001.yaml"), no_check);
static MAA002: Rule = Rule::new(include_str!("../../rules/MAA002.yaml"), no_check);
static MAA003: Rule = Rule::new(include_str!("../../rules/MAA003.yaml"), no_check);

fn no_check(_: &mut super::Ctx<'_>) {}

/// All rules that check topologies.
pub fn all() -> &'static [&'static Rule] {
    ALL
}

/// The suppression bookkeeping codes.
pub fn meta() -> &'static [&'static Rule] {
    META
}

/// Every documented code: the checks, then the suppression codes.
pub fn catalogue() -> impl Iterator<Item = &'static Rule> {
    ALL.iter().chain(META.iter()).copied()
}

/// Finds a rule by code, name or former name (case-insensitive for codes).
pub fn find(id: &str) -> Option<&'static Rule> {
    ALL.iter().chain(META.iter()).copied().find(|r| {
        let d = r.doc();
        d.code.eq_ignore_ascii_case(id) || d.name == id || d.aliases.iter().any(|a| a == id)
    })
}
