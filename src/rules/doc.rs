//! Rule documentation, kept as data in `rules/*.yaml`.

use serde::{Deserialize, Serialize};

use crate::diagnostic::Severity;
use crate::model::Disruption;

/// One rule's identity and documentation.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleDoc {
    /// Stable code, e.g. `WLS001`. Never reused, never changed.
    pub code: String,
    /// Kebab-case name, e.g. `cluster-single-host`.
    pub name: String,
    /// Default severity.
    pub severity: Severity,
    /// Area of the catalogue (front-end, weblogic, database…).
    pub area: String,
    /// One line: what the rule reports.
    pub summary: String,
    /// What it checks, in detail.
    pub what: String,
    /// Why it matters, citing the MAA source.
    pub why: String,
    /// The seed file and section (or public reference) the rule comes from.
    pub source: String,
    /// A topology fragment that triggers it.
    pub example: String,
    /// How to fix it.
    pub fix: String,
    /// Disruption types whose recovery it affects.
    #[serde(default)]
    pub disruptions: Vec<Disruption>,
    /// Former names that still select this rule.
    #[serde(default)]
    pub aliases: Vec<String>,
}

impl RuleDoc {
    pub fn parse(source: &str) -> Result<RuleDoc, String> {
        serde_saphyr::from_str(source).map_err(|e| e.to_string())
    }

    pub(crate) fn broken(error: &str) -> RuleDoc {
        RuleDoc {
            code: "BROKEN".into(),
            name: "broken-rule-doc".into(),
            severity: Severity::Error,
            area: "internal".into(),
            summary: format!("rule documentation does not parse: {error}"),
            what: String::new(),
            why: String::new(),
            source: String::new(),
            example: String::new(),
            fix: String::new(),
            disruptions: Vec::new(),
            aliases: Vec::new(),
        }
    }

    /// Link to the rule's page.
    pub fn url(&self) -> String {
        format!("{}/{}.md", super::DOCS_URL, self.code)
    }

    /// The fix as one help line.
    pub fn fix_line(&self) -> String {
        self.fix.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}
