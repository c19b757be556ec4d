//! Report: diagnostics as human text, JSON, SARIF 2.1.0 or GitHub annotations.

pub mod human;
