//! The JSON Schema of the topology format, generated from the model types.

use std::sync::OnceLock;

use schemars::generate::SchemaSettings;
use serde_json::Value;

use crate::model::Topology;

/// Where the schema is published in the repository (and referenced by modelines).
pub const SCHEMA_PATH: &str = "schemas/topology.schema.json";

/// The topology schema (draft-07, which yaml-language-server understands).
pub fn topology_schema() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let schema = SchemaSettings::draft07()
            .into_generator()
            .into_root_schema_for::<Topology>();
        schema.to_value()
    })
}

/// The schema as pretty JSON with a trailing newline, as committed.
pub fn topology_schema_text() -> String {
    let mut text = serde_json::to_string_pretty(topology_schema()).unwrap_or_default();
    text.push('\n');
    text
}

/// The published schema URL written into `maa init` modelines.
pub const SCHEMA_URL: &str =
    "https://raw.githubusercontent.com/maa-tool/maa/main/schemas/topology.schema.json";
