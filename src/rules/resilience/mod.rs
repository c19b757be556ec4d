//! Resilience rules: single points of failure, double faults and recovery objectives,
//! computed by [`crate::analysis`].

area_rules! {
    obj001_objective_breached,
    spof001_single_point_of_failure,
    spof002_double_faults,
}
