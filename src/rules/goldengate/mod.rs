//! GoldenGate rules: conflict resolution, Application Continuity across sites.

pub(super) mod gg001_no_conflict_resolution;
pub(super) mod gg002_application_continuity_across_goldengate;
