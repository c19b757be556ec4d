//! `maa.yaml` / `.maa.yaml`: rule selection, severity overrides, per-path settings,
//! suppressions and custom rules. Discovered from the checked file's directory upwards to
//! the repository root ([`discovery`]), or named with `--config`. Every value keeps its span, so configuration errors and the
//! origin shown by `--show-config` point at the config file's line.

pub mod custom;
pub mod discovery;
pub mod glob;
pub mod sandbox;

pub use discovery::{Audit, discover};

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use miette::SourceSpan;
use schemars::JsonSchema;
use serde::Deserialize;

use crate::diagnostic::{Code, Diagnostic, Severity, SourceFile};
use crate::model::Sp;

/// Config file names, in discovery order within one directory.
pub const CONFIG_NAMES: &[&str] = &["maa.yaml", ".maa.yaml"];

/// Where the config schema is published.
pub const SCHEMA_PATH: &str = "schemas/maa-config.schema.json";

/// A `maa.yaml` configuration file.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "maa configuration")]
#[schemars(extend("patternProperties" = {
    "^x-": { "description": "Extension field, ignored by maa: a place for YAML anchors and notes" }
}))]
pub struct ConfigFile {
    /// Rules to run: codes (`WLS001`), names (`cluster-single-host`), area prefixes (`WLS`)
    /// or `ALL`. When absent, every rule runs.
    #[serde(default)]
    pub select: Vec<Sp<String>>,
    /// Rules not to run (codes, names, prefixes). `ignore` wins over `select`.
    #[serde(default)]
    pub ignore: Vec<Sp<String>>,
    /// Severity per rule (code or name): `error`, `warning` or `info`.
    #[serde(default)]
    pub severity: BTreeMap<String, Sp<Severity>>,
    /// Whether `# maa: ignore[RULE] reason` comments in topologies are honoured (default true).
    pub inline_ignores: Option<Sp<bool>>,
    /// Settings for topology files whose path matches a glob (relative to this file's directory).
    #[serde(default)]
    pub per_path: Vec<PerPath>,
    /// Findings accepted on purpose, each with a reason.
    #[serde(default)]
    pub suppress: Vec<Suppression>,
    /// Organisation rules written as minijinja expressions over the model.
    #[serde(default)]
    pub custom_rules: Vec<custom::CustomRuleDef>,
}

/// Settings for files matching `paths`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PerPath {
    /// Globs (`*`, `**`, `?`) matched against the topology path relative to the config directory.
    pub paths: Vec<Sp<String>>,
    #[serde(default)]
    pub select: Vec<Sp<String>>,
    #[serde(default)]
    pub ignore: Vec<Sp<String>>,
    #[serde(default)]
    pub severity: BTreeMap<String, Sp<Severity>>,
}

/// A configured suppression of one rule on one object.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Suppression {
    /// Rule code or name.
    pub rule: Sp<String>,
    /// Object path as shown in findings (`domains[d].clusters[c]`); `*` and `?` are wildcards.
    pub object: Sp<String>,
    /// Why the finding is accepted.
    #[schemars(length(min = 1))]
    pub reason: Sp<String>,
    /// Last day the suppression applies (`YYYY-MM-DD`); afterwards the finding shows again.
    #[schemars(regex(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))]
    pub expires: Option<Sp<String>>,
    /// Only for topology files matching this glob.
    pub file: Option<Sp<String>>,
}

/// The config file's JSON Schema.
pub fn schema() -> &'static serde_json::Value {
    static SCHEMA: OnceLock<serde_json::Value> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        schemars::generate::SchemaSettings::draft07()
            .into_generator()
            .into_root_schema_for::<ConfigFile>()
            .to_value()
    })
}

/// The schema as committed in `schemas/maa-config.schema.json`.
pub fn schema_text() -> String {
    let mut text = serde_json::to_string_pretty(schema()).unwrap_or_default();
    text.push('\n');
    text
}

/// Where a setting came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Default,
    Config {
        file: String,
        line: usize,
        col: usize,
        what: String,
    },
    Cli(String),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Default => f.write_str("default"),
            Origin::Config {
                file,
                line,
                col,
                what,
            } => write!(
                f,
                "{what} at {}:{line}:{col}",
                crate::terminal::escape_line(file)
            ),
            Origin::Cli(flag) => write!(f, "command line {flag}"),
        }
    }
}

/// A parsed and validated configuration.
#[derive(Debug)]
pub struct Config {
    pub file: Arc<SourceFile>,
    /// Directory globs are relative to.
    pub dir: PathBuf,
    pub raw: ConfigFile,
    pub custom: Vec<custom::CustomRule>,
    /// Compiled per-path globs, parallel to `raw.per_path`.
    per_path_globs: Vec<Vec<glob::PathGlob>>,
    /// Compiled suppression object/file patterns, parallel to `raw.suppress`.
    pub(crate) suppress_patterns: Vec<(regex::Regex, Option<glob::PathGlob>, String)>,
}

/// A rule identity known to a configuration: built-in, meta or custom.
#[derive(Debug, Clone)]
pub struct RuleId {
    pub code: String,
    pub name: String,
    pub severity: Severity,
}
/// Reports each rule selector of `select`, `ignore` and `severity` (top level and per path)
/// that names no rule.
fn check_selectors(
    file: &Arc<SourceFile>,
    raw: &ConfigFile,
    known: &[RuleId],
    errors: &mut Vec<Diagnostic>,
) {
    let check_sel = |sel: &Sp<String>, errors: &mut Vec<Diagnostic>| {
        if resolve_selector(&sel.value, known).is_none() {
            errors.push(unknown_rule(file, sel, known));
        }
    };
    for s in raw.select.iter().chain(&raw.ignore) {
        check_sel(s, errors);
    }
    for p in &raw.per_path {
        for s in p.select.iter().chain(&p.ignore) {
            check_sel(s, errors);
        }
    }
    let sev_maps = std::iter::once(&raw.severity).chain(raw.per_path.iter().map(|p| &p.severity));
    for map in sev_maps {
        for (k, v) in map {
            if resolve_selector(k, known).is_none() {
                let key = Sp {
                    value: k.clone(),
                    span: v.span,
                    line: v.line,
                    col: v.col,
                };
                errors.push(unknown_rule(file, &key, known));
            }
        }
    }
}

/// The compiled `paths` globs of each `per_path` entry; a bad glob is reported.
fn per_path_globs(
    file: &Arc<SourceFile>,
    raw: &ConfigFile,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Vec<glob::PathGlob>> {
    let mut per_path_globs = Vec::new();
    for p in &raw.per_path {
        let mut v = Vec::new();
        for g in &p.paths {
            match glob::PathGlob::new(&g.value) {
                Ok(re) => v.push(re),
                Err(e) => errors.push(config_error(
                    file,
                    Code::ConfigInvalidGlob,
                    g.span,
                    format!("invalid glob `{}`: {e}", g.value),
                )),
            }
        }
        per_path_globs.push(v);
    }
    per_path_globs
}

/// Each suppression's object pattern, file glob and rule code; what is wrong with one
/// (unknown rule, no reason, bad date or glob) is reported.
fn suppress_patterns(
    file: &Arc<SourceFile>,
    raw: &ConfigFile,
    known: &[RuleId],
    errors: &mut Vec<Diagnostic>,
) -> Vec<(regex::Regex, Option<glob::PathGlob>, String)> {
    let mut suppress_patterns = Vec::new();
    for s in &raw.suppress {
        let code = match crate::rules::find(&s.rule.value)
            .map(|r| r.doc().code.clone())
            .or_else(|| {
                known
                    .iter()
                    .find(|r| r.code.eq_ignore_ascii_case(&s.rule.value) || r.name == s.rule.value)
                    .map(|r| r.code.clone())
            }) {
            Some(c) => c,
            None => {
                errors.push(unknown_rule(file, &s.rule, known));
                String::new()
            }
        };
        if s.reason.value.trim().is_empty() {
            errors.push(
                config_error(
                    file,
                    Code::ConfigMissingReason,
                    s.reason.span,
                    "a suppression needs a reason",
                )
                .with_help("say why the finding is accepted"),
            );
        }
        if let Some(e) = &s.expires
            && glob::parse_date(&e.value).is_none()
        {
            errors.push(config_error(
                file,
                Code::ConfigInvalidDate,
                e.span,
                format!("`{}` is not a date (YYYY-MM-DD)", e.value),
            ));
        }
        let Some(object) = glob::to_regex_simple(&s.object.value) else {
            errors.push(config_error(
                file,
                Code::ConfigInvalidGlob,
                s.object.span,
                "object pattern too large",
            ));
            continue;
        };
        let file_re = match &s.file {
            Some(f) => match glob::PathGlob::new(&f.value) {
                Ok(re) => Some(re),
                Err(e) => {
                    errors.push(config_error(
                        file,
                        Code::ConfigInvalidGlob,
                        f.span,
                        format!("invalid glob `{}`: {e}", f.value),
                    ));
                    None
                }
            },
            None => None,
        };
        suppress_patterns.push((object, file_re, code));
    }
    suppress_patterns
}

/// Every rule a configuration may name: the catalogue plus its custom rules.
pub fn known_rules(custom: &[custom::CustomRule]) -> Vec<RuleId> {
    let mut v: Vec<RuleId> = crate::rules::catalogue()
        .map(|r| RuleId {
            code: r.doc().code.clone(),
            name: r.doc().name.clone(),
            severity: r.doc().severity,
        })
        .collect();
    v.extend(custom.iter().map(|c| RuleId {
        code: c.code.value.clone(),
        name: c.name.value.clone(),
        severity: c.severity.value,
    }));
    v
}

/// Resolves a selector (code, name, alias, prefix, `ALL`) to rule codes.
pub fn resolve_selector(sel: &str, known: &[RuleId]) -> Option<Vec<String>> {
    if sel.eq_ignore_ascii_case("all") {
        return Some(known.iter().map(|r| r.code.clone()).collect());
    }
    if let Some(r) = crate::rules::find(sel) {
        return Some(vec![r.doc().code.clone()]);
    }
    if let Some(r) = known
        .iter()
        .find(|r| r.code.eq_ignore_ascii_case(sel) || r.name == sel)
    {
        return Some(vec![r.code.clone()]);
    }
    let upper = sel.to_ascii_uppercase();
    let prefixed: Vec<String> = known
        .iter()
        .filter(|r| {
            r.code.starts_with(&upper) && r.code[upper.len()..].chars().all(|c| c.is_ascii_digit())
        })
        .map(|r| r.code.clone())
        .collect();
    (!prefixed.is_empty() && upper.chars().all(|c| c.is_ascii_alphanumeric())).then_some(prefixed)
}

fn config_error(
    file: &Arc<SourceFile>,
    code: Code,
    span: SourceSpan,
    message: impl Into<String>,
) -> Diagnostic {
    Diagnostic::error(code, file, span, message)
}

fn unknown_rule(file: &Arc<SourceFile>, sel: &Sp<String>, known: &[RuleId]) -> Diagnostic {
    let names: Vec<&str> = known
        .iter()
        .flat_map(|r| [r.code.as_str(), r.name.as_str()])
        .collect();
    let hint = crate::diagnostic::suggest(&sel.value, names.iter().copied());
    let mut d = config_error(
        file,
        Code::ConfigUnknownRule,
        sel.span,
        format!("no rule `{}`", sel.value),
    )
    .with_label("unknown rule");
    d.help = Some(match hint {
        Some(h) => format!("did you mean `{h}`? (`maa rules` lists them)"),
        None => "`maa rules` lists every rule code and name".to_owned(),
    });
    d
}

/// A configuration's path as shown: relative to the working directory when inside it.
fn display_path(path: &Path) -> String {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
        .to_string_lossy()
        .into_owned()
}

impl Config {
    /// Reads and validates a config file. Errors are diagnostics with spans (exit 2).
    pub fn load(path: &Path) -> Result<Config, Vec<Diagnostic>> {
        let display = display_path(path);
        let text =
            crate::input::read_text(path, crate::input::MAX_SETTINGS_BYTES).map_err(|e| {
                let empty = SourceFile::new(display.clone(), String::new());
                vec![config_error(
                    &empty,
                    Code::ConfigIo,
                    SourceSpan::from(0..0),
                    format!("cannot read config `{display}`: {e}"),
                )]
            })?;
        let dir = std::path::absolute(path)
            .ok()
            .and_then(|p| p.parent().map(Path::to_path_buf))
            .unwrap_or_else(|| PathBuf::from("."));
        Config::parse(display, text, dir)
    }

    /// Reads a configuration found by [`discover`]: a link is refused (a planted
    /// `maa.yaml -> /proc/self/environ` would be quoted in the error snippets).
    pub fn load_discovered(path: &Path) -> Result<Config, Vec<Diagnostic>> {
        match std::fs::symlink_metadata(path) {
            Ok(m) if m.file_type().is_symlink() => {
                let display = display_path(path);
                let empty = SourceFile::new(display.clone(), String::new());
                Err(vec![
                    config_error(
                        &empty,
                        Code::ConfigIo,
                        SourceSpan::from(0..0),
                        format!("config `{display}` is a symbolic link: a discovered configuration is not followed"),
                    )
                    .with_help("replace the link with the file, or name the configuration with --config"),
                ])
            }
            _ => Config::load(path),
        }
    }

    /// Parses config text (for tests and `load`).
    pub fn parse(display: String, text: String, dir: PathBuf) -> Result<Config, Vec<Diagnostic>> {
        let file = SourceFile::new(display, text);
        let raw: ConfigFile = if crate::load::is_blank_or_comments(&file.text) {
            ConfigFile::default()
        } else {
            crate::load::parse_typed(&file, schema())?
        };
        let mut errors = Vec::new();
        let custom = custom::compile(&file, &raw.custom_rules, &mut errors);
        let known = known_rules(&custom);
        check_selectors(&file, &raw, &known, &mut errors);
        let per_path_globs = per_path_globs(&file, &raw, &mut errors);
        let suppress_patterns = suppress_patterns(&file, &raw, &known, &mut errors);
        if errors.is_empty() {
            Ok(Config {
                file,
                dir,
                raw,
                custom,
                per_path_globs,
                suppress_patterns,
            })
        } else {
            crate::diagnostic::sort(&mut errors);
            Err(errors)
        }
    }

    /// The path of a topology relative to this config's directory, with `/` separators.
    pub fn relative(&self, topology: &Path) -> String {
        let abs = std::path::absolute(topology).unwrap_or_else(|_| topology.to_path_buf());
        let rel = abs
            .strip_prefix(&self.dir)
            .map(Path::to_path_buf)
            .unwrap_or(abs);
        rel.to_string_lossy().replace('\\', "/")
    }

    fn origin(&self, span: SourceSpan, what: impl Into<String>) -> Origin {
        let (line, col) = self.file.line_col(span.offset());
        Origin::Config {
            file: self.file.path.clone(),
            line,
            col,
            what: what.into(),
        }
    }

    /// Whether a per-path entry applies to a topology file.
    fn per_path_matches(&self, i: usize, topology: &Path) -> bool {
        let rel = self.relative(topology);
        let given = topology.to_string_lossy().replace('\\', "/");
        self.per_path_globs
            .get(i)
            .is_some_and(|globs| globs.iter().any(|g| g.is_match(&rel) || g.is_match(&given)))
    }
}

/// One rule's effective setting for one topology file.
#[derive(Debug, Clone)]
pub struct RuleSetting {
    pub code: String,
    pub name: String,
    pub enabled: bool,
    pub enabled_from: Origin,
    pub severity: Severity,
    pub default_severity: Severity,
    pub severity_from: Origin,
}

/// The effective settings for one topology file.
#[derive(Debug, Clone)]
pub struct Effective {
    pub rules: BTreeMap<String, RuleSetting>,
    pub inline_ignores: bool,
    pub inline_from: Origin,
}

impl Effective {
    /// The setting of a rule code (unknown codes — load errors — are always on, unchanged).
    pub fn get(&self, code: &str) -> Option<&RuleSetting> {
        self.rules.get(code)
    }

    /// Whether findings of a rule code are kept: the selection [`apply`] filters by, so
    /// rules it would drop need not run.
    pub fn enabled(&self, code: &str) -> bool {
        self.get(code).is_none_or(|s| s.enabled)
    }
}

/// Applies `--select` / `--ignore` from the command line: the last layer, over every
/// configuration layer (as in ruff). `--select` replaces the selection; `--ignore` adds to
/// what is skipped and wins over `--select`. An unknown selector is an error (with a
/// did-you-mean), never silently ignored.
pub fn apply_cli_selection(
    eff: &mut Effective,
    config: Option<&Config>,
    select: &[String],
    ignore: &[String],
) -> Result<(), String> {
    if select.is_empty() && ignore.is_empty() {
        return Ok(());
    }
    let custom: &[custom::CustomRule] = config.map_or(&[], |c| c.custom.as_slice());
    let known = known_rules(custom);
    let resolve = |flag: &str, sel: &str| {
        resolve_selector(sel, &known).ok_or_else(|| {
            let candidates = known.iter().flat_map(|r| [r.code.as_str(), r.name.as_str()]);
            let hint = crate::diagnostic::suggest(sel, candidates)
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            format!(
                "{flag} {sel}: no rule, rule name or code prefix matches{hint} (`maa rules` lists them)"
            )
        })
    };
    if !select.is_empty() {
        let mut chosen = std::collections::BTreeSet::new();
        for sel in select {
            chosen.extend(resolve("--select", sel)?);
        }
        for (code, r) in eff.rules.iter_mut() {
            r.enabled = chosen.contains(code);
            r.enabled_from = Origin::Cli(
                if r.enabled {
                    "--select"
                } else {
                    "not in --select"
                }
                .into(),
            );
        }
    }
    for sel in ignore {
        for code in resolve("--ignore", sel)? {
            if let Some(r) = eff.rules.get_mut(&code) {
                r.enabled = false;
                r.enabled_from = Origin::Cli("--ignore".into());
            }
        }
    }
    Ok(())
}

/// One layer of settings: select, ignore, severity, and its label in origins.
type Layer<'a> = (
    &'a [Sp<String>],
    &'a [Sp<String>],
    &'a BTreeMap<String, Sp<Severity>>,
    String,
);

/// Computes the effective settings of `topology` under `config` (or defaults).
pub fn effective(config: Option<&Config>, topology: &Path, no_inline_ignores: bool) -> Effective {
    let custom: &[custom::CustomRule] = config.map_or(&[], |c| c.custom.as_slice());
    let known = known_rules(custom);
    let mut rules: BTreeMap<String, RuleSetting> = known
        .iter()
        .map(|r| {
            (
                r.code.clone(),
                RuleSetting {
                    code: r.code.clone(),
                    name: r.name.clone(),
                    enabled: true,
                    enabled_from: Origin::Default,
                    severity: r.severity,
                    default_severity: r.severity,
                    severity_from: Origin::Default,
                },
            )
        })
        .collect();
    let mut inline_ignores = true;
    let mut inline_from = Origin::Default;
    if let Some(c) = config {
        let layers: Vec<Layer<'_>> = std::iter::once((
            c.raw.select.as_slice(),
            c.raw.ignore.as_slice(),
            &c.raw.severity,
            String::new(),
        ))
        .chain(
            c.raw
                .per_path
                .iter()
                .enumerate()
                .filter(|(i, _)| c.per_path_matches(*i, topology))
                .map(|(i, p)| {
                    (
                        p.select.as_slice(),
                        p.ignore.as_slice(),
                        &p.severity,
                        format!("per_path[{i}] "),
                    )
                }),
        )
        .collect();
        for (select, ignore, severity, layer) in layers {
            if !select.is_empty() {
                let mut chosen: BTreeMap<String, SourceSpan> = BTreeMap::new();
                for s in select {
                    for code in resolve_selector(&s.value, &known).unwrap_or_default() {
                        chosen.entry(code).or_insert(s.span);
                    }
                }
                let first = select.first().map_or(SourceSpan::from(0..0), |s| s.span);
                for (code, r) in rules.iter_mut() {
                    match chosen.get(code) {
                        Some(span) => {
                            r.enabled = true;
                            r.enabled_from = c.origin(*span, format!("{layer}select"));
                        }
                        None => {
                            r.enabled = false;
                            r.enabled_from = c.origin(first, format!("not in {layer}select"));
                        }
                    }
                }
            }
            for s in ignore {
                for code in resolve_selector(&s.value, &known).unwrap_or_default() {
                    if let Some(r) = rules.get_mut(&code) {
                        r.enabled = false;
                        r.enabled_from = c.origin(s.span, format!("{layer}ignore"));
                    }
                }
            }
            for (k, v) in severity {
                for code in resolve_selector(k, &known).unwrap_or_default() {
                    if let Some(r) = rules.get_mut(&code) {
                        r.severity = v.value;
                        r.severity_from = c.origin(v.span, format!("{layer}severity"));
                    }
                }
            }
        }
        if let Some(b) = &c.raw.inline_ignores {
            inline_ignores = b.value;
            inline_from = c.origin(b.span, "inline_ignores");
        }
    }
    if no_inline_ignores {
        inline_ignores = false;
        inline_from = Origin::Cli("--no-inline-ignores".into());
    }
    Effective {
        rules,
        inline_ignores,
        inline_from,
    }
}

/// Applies rule selection and severity overrides to findings.
pub fn apply(effective: &Effective, diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diags
        .into_iter()
        .filter(|d| effective.enabled(&d.code))
        .map(|mut d| {
            // Only an override replaces the severity: a rule may grade its own findings
            // (SPOF001 reports a site of a single-site topology as info).
            if let Some(s) = effective.get(&d.code)
                && s.severity_from != Origin::Default
            {
                d.severity = s.severity;
            }
            d
        })
        .collect()
}

/// The text of `maa check --show-config` for one topology, safe for a terminal
/// ([`crate::terminal`]).
pub fn show(config: Option<&Config>, discovered: bool, topology: &Path, eff: &Effective) -> String {
    let mut s = format!("{}:\n", crate::terminal::path(topology));
    let shown = config.map(|c| crate::terminal::escape_line(&c.file.path));
    match config.zip(shown) {
        Some((_, path)) => s.push_str(&format!("  config: {path} ({})\n", if discovered { "discovered" } else { "--config" })),
        None => s.push_str("  config: none (defaults; looked for maa.yaml / .maa.yaml from the file's directory up to the repository root)\n"),
    }
    s.push_str(&format!(
        "  inline ignores: {} ({})\n",
        if eff.inline_ignores {
            "honoured"
        } else {
            "refused"
        },
        eff.inline_from
    ));
    let disabled = eff.rules.values().filter(|r| !r.enabled).count();
    let rules = match disabled {
        0 => "all enabled".to_owned(),
        n => format!("{} of {} enabled", eff.rules.len() - n, eff.rules.len()),
    };
    let changed: Vec<_> = eff
        .rules
        .values()
        .filter(|r| r.enabled_from != Origin::Default || r.severity_from != Origin::Default)
        .collect();
    if changed.is_empty() {
        s.push_str(&format!("  rules: {rules}, as by default\n"));
    } else {
        s.push_str(&format!("  rules: {rules}; changed from the defaults:\n"));
    }
    for r in changed {
        let state = if r.enabled { "on " } else { "off" };
        let sev = if r.severity_from == Origin::Default {
            format!("{} (default)", r.severity)
        } else {
            format!(
                "{} ({}; default {})",
                r.severity, r.severity_from, r.default_severity
            )
        };
        s.push_str(&format!(
            "    {:<8} {:<44} {state} ({})  severity {sev}\n",
            r.code, r.name, r.enabled_from
        ));
    }
    if let Some(c) = config {
        for (i, sup) in c.raw.suppress.iter().enumerate() {
            let (line, _) = c.file.line_col(sup.rule.span.offset());
            let exp = sup
                .expires
                .as_ref()
                .map(|e| format!(", expires {}", e.value))
                .unwrap_or_default();
            let one = |t: &str| crate::terminal::escape_line(t).into_owned();
            s.push_str(&format!(
                "  {}: {} on `{}`{exp} ({}:{line}): {}\n",
                crate::resolve::path::suppression(i),
                one(&sup.rule.value),
                one(&sup.object.value),
                one(&c.file.path),
                one(&sup.reason.value)
            ));
        }
        for r in &c.custom {
            let (line, _) = c.file.line_col(r.code.span.offset());
            s.push_str(&format!(
                "  custom rule {} `{}` for each {} ({}:{line})\n",
                r.code.value,
                r.name.value,
                r.r#for.value,
                crate::terminal::escape_line(&c.file.path)
            ));
        }
    }
    // Paths, reasons, objects and rule names are the user's: shown escaped (`\t`, `\u{1b}`).
    crate::terminal::escape(&s).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    /// Every `pattern` string in a schema, wherever it sits.
    fn patterns<'v>(v: &'v Value, out: &mut Vec<&'v str>) {
        match v {
            Value::Object(map) => {
                if let Some(Value::String(p)) = map.get("pattern") {
                    out.push(p);
                }
                map.values().for_each(|x| patterns(x, out));
            }
            Value::Array(items) => items.iter().for_each(|x| patterns(x, out)),
            _ => {}
        }
    }

    /// The validator (load/validate.rs) reports a schema pattern that does not compile as
    /// load/internal; this keeps every pattern of maa's own schemas from getting there.
    #[test]
    fn every_pattern_of_the_generated_schemas_compiles() {
        let mut all = Vec::new();
        patterns(crate::schema::topology_schema(), &mut all);
        let topology = all.len();
        patterns(schema(), &mut all);
        assert!(
            topology > 0 && all.len() > topology,
            "patterns found: {all:?}"
        );
        for p in all {
            assert!(
                regex::Regex::new(p).is_ok(),
                "schema pattern `{p}` does not compile"
            );
        }
    }
}
