//! Front-end rules: global and local load balancers, OHS.

pub mod fe001_no_global_load_balancer;
pub mod fe002_global_lb_not_redundant;
pub mod fe003_local_lb_not_redundant;
pub mod fe004_ohs_single_per_site;
pub mod fe005_no_health_check;
pub mod fe006_ohs_no_node_manager;
pub mod fe007_ohs_route_too_few_members;
