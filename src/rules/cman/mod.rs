//! Connection Manager rules.

pub mod cman001_single_instance;
pub mod cman002_without_tcps;
