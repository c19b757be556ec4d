//! Front-end rules: global and local load balancers, OHS.

pub mod fe001_no_global_load_balancer;
pub mod fe004_ohs_single_per_site;
