//! Resilience rules: single points of failure, double faults and recovery objectives,
//! computed by [`crate::analysis`].

pub(super) mod obj001_objective_breached;
pub(super) mod spof001_single_point_of_failure;
pub(super) mod spof002_double_faults;
