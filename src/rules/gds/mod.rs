//! Global Data Services rules.

area_rules! {
    gds001_region_without_gsm,
    gds002_region_single_gsm,
}
