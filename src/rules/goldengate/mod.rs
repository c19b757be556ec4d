//! GoldenGate rules: conflict resolution, Application Continuity across sites.

area_rules! {
    gg001_no_conflict_resolution,
    gg002_application_continuity_across_goldengate,
}
