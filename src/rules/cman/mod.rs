//! Connection Manager rules.

pub(super) mod cman001_single_instance;
pub(super) mod cman002_without_tcps;
