//! AWS rules (seed 000): FSx for ONTAP, Auto Scaling group, launch template, backup, AMI pipeline.

pub mod aws001_fsxn_single_az;
