//! The rule catalogue. One rule = one Rust file (the check) + one YAML file in `rules/`
//! at the top of the repository (its code, name, severity and documentation).

pub mod doc;
mod registry;

mod aws;
mod clients;
mod cman;
mod coherence;
mod database;
mod frontend;
mod gds;
mod goldengate;
mod resilience;
pub mod util;
mod weblogic;

use std::sync::{Arc, OnceLock};

use miette::SourceSpan;

/// Object paths live in the resolve layer (the graph names objects too); rules use them
/// as `rules::path`.
pub use crate::resolve::path;
pub use doc::RuleDoc;
pub use registry::{all, catalogue, find, meta};

use crate::diagnostic::{Diagnostic, SourceFile};
use crate::resolve::Model;

/// Base URL of the rule documentation pages.
pub const DOCS_URL: &str = "https://github.com/maa-tool/maa/blob/main/docs/rules";

/// A rule: its documentation (YAML, embedded) and its check.
pub struct Rule {
    source: &'static str,
    check: fn(&Model, &mut Out<'_>),
    doc: OnceLock<RuleDoc>,
}

impl Rule {
    pub const fn new(source: &'static str, check: fn(&Model, &mut Out<'_>)) -> Rule {
        Rule {
            source,
            check,
            doc: OnceLock::new(),
        }
    }

    /// The parsed documentation. Rule docs are validated by the test suite, so a parse
    /// failure here is a build defect; it yields a placeholder rather than a panic.
    pub fn doc(&self) -> &RuleDoc {
        self.doc
            .get_or_init(|| RuleDoc::parse(self.source).unwrap_or_else(|e| RuleDoc::broken(&e)))
    }

    /// The raw YAML of the documentation.
    pub fn source(&self) -> &'static str {
        self.source
    }

    /// Runs the rule on a model.
    pub fn run(&self, model: &Model, diags: &mut Vec<Diagnostic>) {
        let mut out = Out {
            doc: self.doc(),
            file: &model.file,
            diags,
        };
        (self.check)(model, &mut out);
    }
}

/// Where a rule's check writes its findings.
pub struct Out<'a> {
    doc: &'a RuleDoc,
    file: &'a Arc<SourceFile>,
    diags: &'a mut Vec<Diagnostic>,
}

impl Out<'_> {
    /// Starts a finding of this rule at `span` about the object at `object`.
    pub fn finding(
        &self,
        span: SourceSpan,
        object: impl Into<String>,
        message: impl Into<String>,
    ) -> Diagnostic {
        let mut d = Diagnostic::new(
            &self.doc.code,
            &self.doc.name,
            self.doc.severity,
            self.file,
            span,
            message,
        )
        .with_object(object);
        d.url = Some(self.doc.url());
        if !self.doc.fix.is_empty() {
            d.help = Some(self.doc.fix_line());
        }
        d
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }
}

/// Runs every rule on a model and returns the sorted findings.
pub fn check(model: &Model) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for rule in all() {
        rule.run(model, &mut diags);
    }
    crate::diagnostic::sort(&mut diags);
    diags
}
