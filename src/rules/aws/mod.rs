//! AWS rules (seed 000): FSx for ONTAP, Auto Scaling group, launch template, backup, AMI pipeline.

pub mod aws001_fsxn_single_az;
pub mod aws002_asg_not_single_instance;
pub mod aws003_asg_single_az;
pub mod aws004_asg_grace_period_short;
pub mod aws005_ami_not_resolved_from_ssm;
pub mod aws006_ssm_parameter_not_image_type;
pub mod aws007_backup_selection_by_instance_id;
pub mod aws008_asg_tags_not_propagated;
pub mod aws009_no_ami_pipeline;
pub mod aws010_ami_cleanup_disabled;
pub mod aws011_security_group_open_to_world;
pub mod aws012_storage_sg_missing_port;
pub mod aws013_iscsi_without_multipath;

use miette::SourceSpan;

use crate::model::Sp;

/// The span of a value, or `fallback` when the value is a default (not written).
pub(crate) fn span_or<T>(v: &Sp<T>, fallback: SourceSpan) -> SourceSpan {
    if v.is_written() { v.span } else { fallback }
}
