//! Global Data Services rules.

pub(super) mod gds001_region_without_gsm;
pub(super) mod gds002_region_single_gsm;
