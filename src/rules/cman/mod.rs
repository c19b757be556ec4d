//! Connection Manager rules.

area_rules! {
    cman001_single_instance,
    cman002_without_tcps,
}
