//! `maa`: model, check, simulate and render Oracle Maximum Availability Architecture topologies.
//!
//! Data flows one way: [`load`] (YAML → typed model with spans) → [`resolve`] (references,
//! defaults) → analysis ([`rules`]) → [`report`].

pub mod analysis;
pub mod check;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod fsio;
pub mod graph;
pub mod load;
pub mod model;
pub mod render;
pub mod report;
pub mod resolve;
pub mod rules;
pub mod schema;
pub mod suppress;
