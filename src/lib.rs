//! `maa`: model, check, simulate and render Oracle Maximum Availability Architecture topologies.
//!
//! Data flows one way: [`load`] (YAML → typed [`model`] with spans) → [`resolve`]
//! (references, indexes: `Model`) → [`graph`] → [`analysis`] → [`rules`] → [`config`] /
//! [`suppress`] → [`check`], [`report`], [`render`] → [`cli`]. A module imports only from the
//! layers below it; `docs/architecture.md` lists them and `tests/architecture.rs` enforces
//! them.

pub mod analysis;
pub mod check;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod encode;
pub mod fsio;
pub mod graph;
pub mod input;
pub mod load;
pub mod model;
pub mod render;
pub mod report;
pub mod resolve;
pub mod rules;
pub mod schema;
pub mod suppress;
pub mod terminal;
pub mod walk;
