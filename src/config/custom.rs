//! Custom rules as data: a minijinja expression asserted for every object of a kind.
//!
//! ```yaml
//! custom_rules:
//!   - code: ORG001
//!     name: cluster-three-servers
//!     severity: warning
//!     for: cluster
//!     assert: "cluster.servers|length >= 3"
//!     message: "cluster {{ cluster.name }} has {{ cluster.servers|length }} servers"
//!     help: "our standard is three servers per cluster"
//! ```
//!
//! Each evaluation is bounded (minijinja fuel and recursion limit), and so is all the
//! custom rules' work in one run ([`RUN_FUEL`]); memory is bounded by construction
//! ([`super::sandbox`]); an undefined attribute is an error, not a silent `false`.

use std::sync::Arc;

use minijinja::{Environment, Value};
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Value as Json, json};

use crate::diagnostic::{Code, Diagnostic, Severity, SourceFile};
use crate::model::Sp;
use crate::resolve::Loc;
use crate::resolve::Model;
use crate::resolve::path::ObjectKind;

use super::sandbox::{BYTES_PER_OBJECT, Bytes, RUN_BYTES};
pub use super::sandbox::{FUEL, MESSAGE_CHARS, RECURSION_LIMIT};

/// The kind of object a custom rule iterates over.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, serde::Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    Topology,
    Site,
    Host,
    Domain,
    Cluster,
    Server,
    Database,
    Service,
    DataGuard,
    Goldengate,
    Coherence,
    Ohs,
    LoadBalancer,
    Cman,
    Client,
}

impl Scope {
    /// The variable the object is bound to in the expression.
    pub fn var(self) -> &'static str {
        match self {
            Scope::Topology => "topology",
            Scope::Site => "site",
            Scope::Host => "host",
            Scope::Domain => "domain",
            Scope::Cluster => "cluster",
            Scope::Server => "server",
            Scope::Database => "database",
            Scope::Service => "service",
            Scope::DataGuard => "data_guard",
            Scope::Goldengate => "goldengate",
            Scope::Coherence => "coherence",
            Scope::Ohs => "ohs",
            Scope::LoadBalancer => "load_balancer",
            Scope::Cman => "cman",
            Scope::Client => "client",
        }
    }
}

impl std::fmt::Display for Scope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::rules::util::kebab(*self))
    }
}

fn warning() -> Sp<Severity> {
    Sp::synthetic(Severity::Warning)
}

/// A custom rule as written in `maa.yaml`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomRuleDef {
    /// Stable code, e.g. `ORG001` (letters then three digits; must not clash with built-in codes).
    #[schemars(regex(pattern = r"^[A-Z]{2,8}[0-9]{3}$"))]
    pub code: Sp<String>,
    /// Kebab-case name.
    #[schemars(regex(pattern = r"^[a-z0-9]+(-[a-z0-9]+)*$"))]
    pub name: Sp<String>,
    #[serde(default = "warning")]
    pub severity: Sp<Severity>,
    /// The kind of object to check; the object is bound to a variable of that name
    /// (`data_guard`, `load_balancer` with underscores), and `topology` is always bound.
    #[serde(rename = "for")]
    pub r#for: Sp<Scope>,
    /// Optional minijinja expression: only objects for which it is true are checked.
    pub when: Option<Sp<String>>,
    /// minijinja expression that must be true for every object; a finding when false.
    pub assert: Sp<String>,
    /// Finding message, a minijinja template over the same variables.
    pub message: Sp<String>,
    /// Help line shown with the finding.
    pub help: Option<Sp<String>>,
}

/// A validated custom rule.
pub type CustomRule = CustomRuleDef;

/// A text that uses a statement or operator custom rules do not allow.
fn refused(file: &Arc<SourceFile>, at: &Sp<String>, rule: &str, what: &str) -> Diagnostic {
    Diagnostic::error(
        Code::ConfigCustomRuleExpression,
        file,
        at.span,
        format!("custom rule {rule}: {what} is not allowed in custom rules"),
    )
    .with_label("in this expression")
    .with_help(super::sandbox::REFUSAL_HELP)
}

fn expr_error(
    file: &Arc<SourceFile>,
    code: Code,
    at: &Sp<String>,
    rule: &str,
    e: &minijinja::Error,
) -> Diagnostic {
    let detail = e.detail().map(|d| format!(": {d}")).unwrap_or_default();
    Diagnostic::error(
        code,
        file,
        at.span,
        format!("custom rule {rule}: {}{detail}", e.kind()),
    )
    .with_label("in this expression")
    .with_help("custom rule expressions are minijinja expressions; see docs/configuration.md")
}

/// Validates the custom rules of a config: codes, names, expressions, templates.
pub fn compile(
    file: &Arc<SourceFile>,
    defs: &[CustomRuleDef],
    errors: &mut Vec<Diagnostic>,
) -> Vec<CustomRule> {
    let env = super::sandbox::environment(&Bytes::new(0));
    let mut seen = std::collections::BTreeSet::new();
    for d in defs {
        if crate::rules::find(&d.code.value).is_some()
            || crate::rules::find(&d.name.value).is_some()
        {
            errors.push(
                Diagnostic::error(
                    Code::ConfigRuleClash,
                    file,
                    d.code.span,
                    format!(
                        "custom rule `{}` / `{}` clashes with a built-in rule",
                        d.code.value, d.name.value
                    ),
                )
                .with_help("choose an organisation prefix, e.g. ORG001"),
            );
        }
        if !seen.insert(d.code.value.clone()) || !seen.insert(format!("name:{}", d.name.value)) {
            errors.push(Diagnostic::error(
                Code::ConfigRuleClash,
                file,
                d.code.span,
                format!("custom rule `{}` is defined twice", d.code.value),
            ));
        }
        let texts = d.when.iter().chain([&d.assert]).map(|e| (e, true));
        let mut allowed = true;
        for (e, in_expr) in texts.chain([(&d.message, false)]) {
            if let Some(what) = super::sandbox::refusal(&e.value, in_expr) {
                errors.push(refused(file, e, &d.code.value, &what));
                allowed = false;
            }
        }
        if !allowed {
            continue;
        }
        for e in d.when.iter().chain(std::iter::once(&d.assert)) {
            if let Err(err) = env.compile_expression(&e.value) {
                errors.push(expr_error(
                    file,
                    Code::ConfigCustomRuleExpression,
                    e,
                    &d.code.value,
                    &err,
                ));
            }
        }
        if let Err(err) = env.template_from_str(&d.message.value) {
            errors.push(expr_error(
                file,
                Code::ConfigCustomRuleExpression,
                &d.message,
                &d.code.value,
                &err,
            ));
        }
    }
    defs.to_vec()
}

fn to_json<T: serde::Serialize>(v: &T) -> Json {
    serde_json::to_value(v).unwrap_or(Json::Null)
}

fn with(mut v: Json, extra: &[(&str, Json)]) -> Json {
    if let Json::Object(map) = &mut v {
        for (k, x) in extra {
            map.insert((*k).to_owned(), x.clone());
        }
    }
    v
}

/// One object a custom rule checks: its value, span and path.
struct Object {
    value: Json,
    span: miette::SourceSpan,
    path: String,
}

impl Scope {
    /// The kind of object the scope checks (`None`: the topology as a whole).
    fn kind(self) -> Option<ObjectKind> {
        Some(match self {
            Scope::Topology => return None,
            Scope::Site => ObjectKind::Site,
            Scope::Host => ObjectKind::Host,
            Scope::Domain => ObjectKind::Domain,
            Scope::Cluster => ObjectKind::Cluster,
            Scope::Server => ObjectKind::Server,
            Scope::Database => ObjectKind::Database,
            Scope::Service => ObjectKind::DatabaseService,
            Scope::DataGuard => ObjectKind::DataGuard,
            Scope::Goldengate => ObjectKind::GoldenGate,
            Scope::Coherence => ObjectKind::Coherence,
            Scope::Ohs => ObjectKind::Ohs,
            Scope::LoadBalancer => ObjectKind::LoadBalancer,
            Scope::Cman => ObjectKind::Cman,
            Scope::Client => ObjectKind::Client,
        })
    }
}

/// The objects a custom rule of `scope` checks: the model's objects of that kind.
fn objects(m: &Model, scope: Scope) -> Vec<Object> {
    let Some(kind) = scope.kind() else {
        return vec![Object {
            value: Json::Null,
            span: m.topo.name.span,
            path: String::new(),
        }];
    };
    m.objects()
        .of_kind(kind)
        .map(|o| Object {
            value: value(m, o.at),
            span: o.span,
            path: o.path.clone(),
        })
        .collect()
}

/// Where a host is (`{site, zone, region}`), as custom rules see it.
fn placement(m: &Model, host: &str) -> Json {
    m.index.placement(host).map_or(
        Json::Null,
        |p| json!({"site": p.site, "zone": p.zone, "region": p.region}),
    )
}

/// A cluster's servers as custom rules see them.
fn servers(m: &Model, c: &crate::model::Cluster) -> Vec<Json> {
    m.index
        .servers_of(c.name.as_str())
        .iter()
        .map(|s| server_value(m, s))
        .collect()
}

/// A server as custom rules see it.
fn server_value(m: &Model, s: &crate::resolve::ServerRef) -> Json {
    with(
        json!({"name": s.name, "host": s.host.as_str(), "port": s.port}),
        &[("placement", placement(m, s.host.as_str()))],
    )
}

/// The value an object is bound to in a custom rule: its YAML element with what the
/// model adds (placement, servers, the owning domain or database).
fn value(m: &Model, at: Loc) -> Json {
    let t = &m.topo;
    let v = match at {
        Loc::Site(i) => t.sites.get(i).map(to_json),
        Loc::Host { site, zone, host } => {
            let s = t.sites.get(site);
            let h = match zone {
                None => s.and_then(|s| s.hosts.get(host)),
                Some(z) => s
                    .and_then(|s| s.zones.get(z))
                    .and_then(|z| z.hosts.get(host)),
            };
            h.map(|h| {
                let p = placement(m, h.name.as_str());
                with(
                    to_json(h),
                    &[
                        ("site", p.get("site").cloned().unwrap_or(Json::Null)),
                        ("zone", p.get("zone").cloned().unwrap_or(Json::Null)),
                    ],
                )
            })
        }
        Loc::Domain(i) => t.domains.get(i).map(to_json),
        Loc::Cluster { domain, cluster } => t.domains.get(domain).and_then(|d| {
            let c = d.clusters.get(cluster)?;
            let servers_of = m.index.servers_of(c.name.as_str());
            let hosts: std::collections::BTreeSet<&str> =
                servers_of.iter().map(|s| s.host.as_str()).collect();
            let sites: std::collections::BTreeSet<&str> =
                hosts.iter().filter_map(|h| m.index.site_of(h)).collect();
            Some(with(
                to_json(c),
                &[
                    ("servers", Json::Array(servers(m, c))),
                    ("domain", json!(d.name.as_str())),
                    ("hosts", json!(hosts)),
                    ("sites", json!(sites)),
                ],
            ))
        }),
        Loc::Server {
            domain,
            cluster,
            server,
        } => t.domains.get(domain).and_then(|d| {
            let c = d.clusters.get(cluster)?;
            let s = server_value(m, m.index.servers_of(c.name.as_str()).get(server)?);
            Some(with(
                s,
                &[
                    ("cluster", json!(c.name.as_str())),
                    ("domain", json!(d.name.as_str())),
                ],
            ))
        }),
        Loc::Database(i) => t.databases.get(i).map(|db| {
            let sites = crate::rules::util::db_sites(m, db);
            with(to_json(db), &[("sites", json!(sites))])
        }),
        Loc::DatabaseService { database, service } => t.databases.get(database).and_then(|db| {
            let s = db.services.get(service)?;
            Some(with(to_json(s), &[("database", json!(db.name.as_str()))]))
        }),
        Loc::DataGuard(i) => t.data_guard.get(i).map(to_json),
        Loc::GoldenGate(i) => t.goldengate.get(i).map(to_json),
        Loc::Coherence(i) => t.coherence.get(i).map(to_json),
        Loc::Ohs(i) => t
            .ohs
            .get(i)
            .map(|o| with(to_json(o), &[("placement", placement(m, o.host.as_str()))])),
        Loc::LoadBalancer(i) => t.load_balancers.get(i).map(to_json),
        Loc::Cman(i) => t.cman.get(i).map(to_json),
        Loc::Client(i) => t.clients.get(i).map(to_json),
        // No scope reaches these (see `Scope::kind`).
        Loc::Other => None,
    };
    v.unwrap_or(Json::Null)
}

/// Fuel of all custom rules together in one run: this much, shared equally by the
/// topologies of the run, plus [`RUN_FUEL_PER_OBJECT`] for each object a rule is evaluated
/// on. Each evaluation also stops at [`FUEL`]; without a total, a rule just under that
/// limit on each of 10,000 servers ran for 14 seconds. With it, the work grows with the
/// input, not with the input times [`FUEL`]; each topology's share is fixed before it is
/// checked, so the outcome does not depend on the order topologies are checked in.
pub const RUN_FUEL: u64 = 10 * FUEL;
/// Fuel added to the run's total per object evaluated (ample for comparing fields).
pub const RUN_FUEL_PER_OBJECT: u64 = 2_000;

/// The variable an assertion or condition is evaluated into.
const RESULT: &str = "__maa_result";

/// Why an evaluation gave no value.
enum Failure {
    Expr(minijinja::Error),
    /// The run's fuel ([`RUN_FUEL`]) or bytes ([`super::sandbox::RUN_BYTES`]) are used up.
    Budget,
}

/// What a topology's custom rules may still spend: fuel and bytes.
struct Budget {
    fuel: u64,
    bytes: Bytes,
}

impl Budget {
    /// Charges `used` fuel.
    fn burn(&mut self, used: u64) -> Result<(), Failure> {
        if used >= self.fuel {
            self.fuel = 0;
            return Err(Failure::Budget);
        }
        self.fuel -= used;
        Ok(())
    }

    fn failed(&self, e: minijinja::Error) -> Failure {
        if self.bytes.exhausted() {
            Failure::Budget
        } else {
            Failure::Expr(e)
        }
    }
}

/// Renders `tpl` over `ctx`, charging the fuel it used.
fn charged<'s>(
    tpl: &minijinja::Template<'_, 's>,
    ctx: &Value,
    budget: &mut Budget,
) -> Result<minijinja::Captured<'s>, Failure> {
    let c = tpl
        .render_captured(ctx.clone())
        .map_err(|e| budget.failed(e))?;
    budget.burn(c.state().fuel_levels().map_or(0, |(used, _)| used))?;
    Ok(c)
}

/// An expression as a template that stores its value in [`RESULT`] (so that the fuel it
/// used can be read). The text was checked as an expression when the config was loaded.
fn expression(text: &str) -> String {
    format!("{{% set {RESULT} = ({text}) %}}")
}

/// Whether the expression `tpl` is true for `ctx`.
fn truth(
    tpl: &minijinja::Template<'_, '_>,
    ctx: &Value,
    budget: &mut Budget,
) -> Result<bool, Failure> {
    let c = charged(tpl, ctx, budget)?;
    Ok(c.state().lookup(RESULT).is_some_and(|v| v.is_true()))
}

/// A finding's message: at most [`MESSAGE_CHARS`] characters (cut with an ellipsis, the
/// rendering stopped there), charged to the budget. A cut rendering's fuel is unknown: it
/// is charged one instruction per character kept.
fn message(
    tpl: &minijinja::Template<'_, '_>,
    ctx: &Value,
    budget: &mut Budget,
) -> Result<String, Failure> {
    let mut out = super::sandbox::Message {
        text: String::new(),
        cut: false,
    };
    let used = match tpl.render_captured_to(ctx.clone(), &mut out) {
        Ok(c) => c.state().fuel_levels().map_or(0, |(used, _)| used),
        Err(_) if out.cut => MESSAGE_CHARS as u64,
        Err(e) => return Err(budget.failed(e)),
    };
    budget.burn(used)?;
    let mut text = out.text;
    if out.cut {
        text.push('…');
    }
    if !budget.bytes.charge(text.len()) {
        return Err(Failure::Budget);
    }
    Ok(text)
}

/// Runs custom rules on a model, one of `topologies` checked in this run (which share
/// [`RUN_FUEL`] and [`RUN_BYTES`] equally). Findings point into the topology; evaluation
/// errors (undefined attributes, exhausted fuel) are `config/custom-rule-error`
/// diagnostics pointing into the config file.
pub fn run(
    config_file: &Arc<SourceFile>,
    rules: &[CustomRule],
    m: &Model,
    topologies: usize,
) -> Vec<Diagnostic> {
    if rules.is_empty() {
        return Vec::new();
    }
    // Converted once: minijinja values are reference-counted, so binding it per object is cheap.
    let topology = Value::from(minijinja::value::Serde(to_json(&m.topo)));
    let mut out = Vec::new();
    let objects: Vec<Vec<Object>> = rules.iter().map(|r| objects(m, r.r#for.value)).collect();
    let evaluated = objects.iter().map(Vec::len).sum::<usize>() as u64;
    let share = topologies.max(1) as u64;
    let fuel = (RUN_FUEL / share).saturating_add(RUN_FUEL_PER_OBJECT.saturating_mul(evaluated));
    let bytes = (RUN_BYTES / share).saturating_add(BYTES_PER_OBJECT.saturating_mul(evaluated));
    let mut budget = Budget {
        fuel,
        bytes: Bytes::new(bytes),
    };
    let env = super::sandbox::environment(&budget.bytes);
    for (r, objects) in rules.iter().zip(objects) {
        let failed = |at: &Sp<String>, e: &minijinja::Error| {
            expr_error(
                config_file,
                Code::ConfigCustomRuleError,
                at,
                &r.code.value,
                e,
            )
        };
        match run_rule(&env, r, m, objects, &topology, &mut budget, &mut out) {
            Ok(()) => {}
            Err((at, Failure::Expr(e))) => out.push(failed(at, &e)),
            Err((at, Failure::Budget)) => {
                out.push(budget_error(config_file, at, &r.code.value, fuel, bytes));
                break;
            }
        }
    }
    out
}

/// One rule over its objects; the first failure stops it (with the expression it arose in).
fn run_rule<'r>(
    env: &Environment<'static>,
    r: &'r CustomRule,
    m: &Model,
    objects: Vec<Object>,
    topology: &Value,
    budget: &mut Budget,
    out: &mut Vec<Diagnostic>,
) -> Result<(), (&'r Sp<String>, Failure)> {
    let compiled =
        |at: &'r Sp<String>, t: Result<_, minijinja::Error>| t.map_err(|e| (at, Failure::Expr(e)));
    let assert_text = expression(&r.assert.value);
    let when_text = r.when.as_ref().map(|w| expression(&w.value));
    let assert = compiled(&r.assert, env.template_from_str(&assert_text))?;
    let text = compiled(&r.message, env.template_from_str(&r.message.value))?;
    let when = match (&r.when, &when_text) {
        (Some(w), Some(t)) => Some((w, compiled(w, env.template_from_str(t))?)),
        _ => None,
    };
    for o in objects {
        let mut ctx: std::collections::BTreeMap<&str, Value> = std::collections::BTreeMap::new();
        ctx.insert("topology", topology.clone());
        if r.r#for.value != Scope::Topology {
            ctx.insert(
                r.r#for.value.var(),
                Value::from(minijinja::value::Serde(o.value)),
            );
        }
        let ctx = Value::from(ctx);
        if let Some((w, tpl)) = &when
            && !truth(tpl, &ctx, budget).map_err(|f| (*w, f))?
        {
            continue;
        }
        if truth(&assert, &ctx, budget).map_err(|f| (&r.assert, f))? {
            continue;
        }
        let text = message(&text, &ctx, budget).map_err(|f| (&r.message, f))?;
        let mut d = Diagnostic::new(
            &r.code.value,
            &r.name.value,
            r.severity.value,
            &m.file,
            o.span,
            text,
        )
        .with_object(o.path);
        d.help = r.help.as_ref().map(|h| h.value.clone());
        out.push(d.with_label(format!("custom rule {}", r.code.value)));
    }
    Ok(())
}

/// The run's budget is used up: the remaining rules and objects are not checked (exit 2).
fn budget_error(
    file: &Arc<SourceFile>,
    at: &Sp<String>,
    rule: &str,
    fuel: u64,
    bytes: u64,
) -> Diagnostic {
    Diagnostic::new(
        Code::ConfigCustomRuleError.as_str(),
        Code::ConfigCustomRuleError.name(),
        Severity::Error,
        file,
        at.span,
        format!(
            "custom rule {rule}: the custom rules used up their budget for this topology's \
             share of the run ({fuel} minijinja instructions and {bytes} bytes of messages \
             and joins: {RUN_FUEL} instructions and {RUN_BYTES} bytes per run shared by its \
             topologies, plus {RUN_FUEL_PER_OBJECT} and {BYTES_PER_OBJECT} per object \
             evaluated); the rest is not checked"
        ),
    )
    .with_label("budget ran out here")
    .with_help(
        "make the rules cheaper (fewer passes over the whole topology per object), or narrow \
         them with `for:` and `when:`",
    )
}
