//! AWS rules (seed 000): FSx for ONTAP, Auto Scaling group, launch template, backup, AMI pipeline.

pub(super) mod aws001_fsxn_single_az;
pub(super) mod aws002_asg_not_single_instance;
pub(super) mod aws003_asg_single_az;
pub(super) mod aws004_asg_grace_period_short;
pub(super) mod aws005_ami_not_resolved_from_ssm;
pub(super) mod aws006_ssm_parameter_not_image_type;
pub(super) mod aws007_backup_selection_by_instance_id;
pub(super) mod aws008_asg_tags_not_propagated;
pub(super) mod aws009_no_ami_pipeline;
pub(super) mod aws010_ami_cleanup_disabled;
pub(super) mod aws011_security_group_open_to_world;
pub(super) mod aws012_storage_sg_missing_port;
pub(super) mod aws013_iscsi_without_multipath;

use miette::SourceSpan;

use crate::model::Sp;

/// The span of a value, or `fallback` when the value is a default (not written).
pub(crate) fn span_or<T>(v: &Sp<T>, fallback: SourceSpan) -> SourceSpan {
    if v.is_written() { v.span } else { fallback }
}
