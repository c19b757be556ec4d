//! AWS rules ([AWS-FSXN]): FSx for ONTAP, Auto Scaling group, launch template, backup, AMI pipeline.

area_rules! {
    aws001_fsxn_single_az,
    aws002_asg_not_single_instance,
    aws003_asg_single_az,
    aws004_asg_grace_period_short,
    aws005_ami_not_resolved_from_ssm,
    aws006_ssm_parameter_not_image_type,
    aws007_backup_selection_by_instance_id,
    aws008_asg_tags_not_propagated,
    aws009_no_ami_pipeline,
    aws010_ami_cleanup_disabled,
    aws011_security_group_open_to_world,
    aws012_storage_sg_missing_port,
    aws013_iscsi_without_multipath,
    aws014_launch_template_allows_imdsv1,
}

use miette::SourceSpan;

use crate::model::Sp;

/// The span of a value, or `fallback` when the value is a default (not written).
pub(crate) fn span_or<T>(v: &Sp<T>, fallback: SourceSpan) -> SourceSpan {
    if v.is_written() { v.span } else { fallback }
}
