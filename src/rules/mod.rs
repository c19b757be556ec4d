//! The rule catalogue. One rule = one Rust file (the check) + one YAML file in `rules/`
//! at the top of the repository (its code, name, severity and documentation).

pub mod doc;
mod registry;

/// Declares an area's rule modules (one file each, in code order) and lists their rules as
/// the area's `RULES`, so adding a rule to an area is one line of its `mod.rs`.
macro_rules! area_rules {
    ($($rule:ident),* $(,)?) => {
        $(mod $rule;)*

        /// This area's rules, in code order.
        pub(super) static RULES: &[&crate::rules::Rule] = &[$(&$rule::RULE),*];
    };
}

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

use std::cell::OnceCell;
use std::sync::OnceLock;

use miette::SourceSpan;

/// Object paths live in the resolve layer (the graph names objects too); rules use them
/// as `rules::path`.
pub use crate::resolve::path;
pub use doc::RuleDoc;
pub use registry::{all, catalogue, find, meta};

use crate::analysis::Analysis;
use crate::diagnostic::Diagnostic;
use crate::resolve::Model;

/// Base URL of the rule documentation pages: `docs/rules/` of the repository `Cargo.toml`
/// declares.
pub const DOCS_URL: &str = concat!(env!("CARGO_PKG_REPOSITORY"), "/blob/main/docs/rules");

/// A rule: its documentation (YAML, embedded) and its check.
pub struct Rule {
    source: &'static str,
    check: fn(&mut Ctx<'_>),
    doc: OnceLock<RuleDoc>,
}

impl Rule {
    pub const fn new(source: &'static str, check: fn(&mut Ctx<'_>)) -> Rule {
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
}

/// What a rule's check works with: the model, the analysis the rules share (built the first
/// time a rule asks for it) and the sink for the rule's findings.
pub struct Ctx<'a> {
    model: &'a Model,
    analysis: &'a OnceCell<Analysis>,
    doc: &'a RuleDoc,
    diags: &'a mut Vec<Diagnostic>,
}

impl<'a> Ctx<'a> {
    /// The model being checked.
    pub fn model(&self) -> &'a Model {
        self.model
    }

    /// The SPOF, double-fault and graph analysis of the model, built on the first call of
    /// any rule of this check and shared by the rules after it.
    pub fn analysis(&self) -> &'a Analysis {
        self.analysis.get_or_init(|| Analysis::new(self.model))
    }

    /// Starts a finding of this rule at `span` about the object at `object` (a path only
    /// [`path`] makes, so every finding names its object the way baselines and
    /// suppressions do).
    pub fn finding(
        &self,
        span: SourceSpan,
        object: path::ObjectPath,
        message: impl Into<String>,
    ) -> Diagnostic {
        let mut d = Diagnostic::new(
            &self.doc.code,
            &self.doc.name,
            self.doc.severity,
            &self.model.file,
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

    /// Reports a finding.
    pub fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }
}

/// One check of a model: runs the enabled rules and holds the analysis they share, so it
/// is built at most once, and only if an enabled rule needs it.
pub struct Checker<'a> {
    model: &'a Model,
    analysis: OnceCell<Analysis>,
}

impl<'a> Checker<'a> {
    pub fn new(model: &'a Model) -> Checker<'a> {
        Checker {
            model,
            analysis: OnceCell::new(),
        }
    }

    /// Runs the rules `enabled` accepts, in code order, and returns their findings sorted.
    /// A rule that is not enabled does not run.
    pub fn run(&self, enabled: impl Fn(&RuleDoc) -> bool) -> Vec<Diagnostic> {
        let mut diags = Vec::new();
        for rule in all().iter().filter(|r| enabled(r.doc())) {
            let mut cx = Ctx {
                model: self.model,
                analysis: &self.analysis,
                doc: rule.doc(),
                diags: &mut diags,
            };
            (rule.check)(&mut cx);
        }
        drop_replica_echoes(&mut diags);
        crate::diagnostic::sort(&mut diags);
        diags
    }

    /// Whether a rule has asked for the analysis (so it was built).
    pub fn analysis_built(&self) -> bool {
        self.analysis.get().is_some()
    }
}

/// A replica made from `replicas:` carries its active domain's configuration and YAML
/// places (`resolve::replica`): a finding on the copy (its object path names the replica's
/// site, `domains[d@site]…`) by the same rule at the same place as a finding on another
/// object restates that finding and is dropped. Findings about where the copy runs point at
/// its host mapping and stay.
fn drop_replica_echoes(diags: &mut Vec<Diagnostic>) {
    let is_copy = |d: &Diagnostic| d.object.starts_with("domains[") && d.object.contains('@');
    let originals: std::collections::HashSet<(String, usize, usize)> = diags
        .iter()
        .filter(|d| !is_copy(d))
        .map(|d| (d.code.clone(), d.span.offset(), d.span.len()))
        .collect();
    diags.retain(|d| {
        !is_copy(d) || !originals.contains(&(d.code.clone(), d.span.offset(), d.span.len()))
    });
}

/// Runs the rules `enabled` accepts on a model and returns the sorted findings: the same
/// findings as [`check`] filtered by `enabled`, without running the others.
pub fn check_selected(model: &Model, enabled: impl Fn(&RuleDoc) -> bool) -> Vec<Diagnostic> {
    Checker::new(model).run(enabled)
}

/// Runs every rule on a model and returns the sorted findings.
pub fn check(model: &Model) -> Vec<Diagnostic> {
    check_selected(model, |_| true)
}
