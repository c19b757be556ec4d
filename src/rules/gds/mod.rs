//! Global Data Services rules.

pub mod gds001_region_without_gsm;
pub mod gds002_region_single_gsm;
