//! Front-end rules: global and local load balancers, OHS.

area_rules! {
    fe001_no_global_load_balancer,
    fe002_global_lb_not_redundant,
    fe003_local_lb_not_redundant,
    fe004_ohs_single_per_site,
    fe005_no_health_check,
    fe006_ohs_no_node_manager,
    fe007_ohs_route_too_few_members,
    fe008_no_site_affinity,
}
