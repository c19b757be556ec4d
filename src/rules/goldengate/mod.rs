//! GoldenGate rules: conflict resolution, Application Continuity across sites.

pub mod gg001_no_conflict_resolution;
pub mod gg002_application_continuity_across_goldengate;
