//! Front-end rules: global and local load balancers, OHS.

pub(super) mod fe001_no_global_load_balancer;
pub(super) mod fe002_global_lb_not_redundant;
pub(super) mod fe003_local_lb_not_redundant;
pub(super) mod fe004_ohs_single_per_site;
pub(super) mod fe005_no_health_check;
pub(super) mod fe006_ohs_no_node_manager;
pub(super) mod fe007_ohs_route_too_few_members;
