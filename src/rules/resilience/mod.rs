//! Resilience rules: single points of failure, double faults and recovery objectives,
//! computed by [`crate::analysis`].

pub mod obj001_objective_breached;
pub mod spof001_single_point_of_failure;
pub mod spof002_double_faults;
