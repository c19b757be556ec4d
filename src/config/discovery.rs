//! Which configuration applies to a topology, and warnings about the configuration itself.
//!
//! Discovery looks for `maa.yaml` / `.maa.yaml` from the topology's directory upwards, but
//! never above the repository root (the nearest directory holding `.git`) or, outside a
//! repository, the user's home; outside both, only the topology's own directory. A
//! `maa.yaml` planted in a shared temporary directory, a home directory or a monorepo's
//! parent cannot silently turn checks off.
//!
//! Whatever the configuration says, two things about it are reported as warnings that it
//! cannot switch off itself ([`Audit`]): it disables every rule, or it lies outside the
//! repository of the topologies it configures.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use miette::SourceSpan;

use super::{CONFIG_NAMES, Config, Effective};
use crate::diagnostic::{Code, Diagnostic, Severity};

pub use crate::walk::repository_root;

/// The highest directory discovery may look in, starting from `start`: the repository
/// root, else the home directory when `start` is below it.
fn ceiling(start: &Path) -> Option<PathBuf> {
    repository_root(start)
        .or_else(|| std::env::home_dir().filter(|h| h.is_absolute() && start.starts_with(h)))
}

/// Finds `maa.yaml` / `.maa.yaml` for a topology (see the module comment). A link found
/// there is returned too, so that loading refuses it ([`Config::load_discovered`]) rather
/// than discovery silently passing it over for a configuration further up.
pub fn discover(topology: &Path) -> Option<PathBuf> {
    let abs = std::path::absolute(topology).ok()?;
    let start = abs.parent()?;
    let top = ceiling(start);
    for dir in start.ancestors() {
        for name in CONFIG_NAMES {
            let p = dir.join(name);
            match std::fs::symlink_metadata(&p) {
                Ok(m) if !m.is_dir() => return Some(p),
                _ => {}
            }
        }
        if top.as_deref().is_none_or(|t| dir == t) {
            break;
        }
    }
    None
}

/// What a run learnt about its configurations, reported once per configuration.
#[derive(Debug, Default)]
pub struct Audit {
    /// By configuration path: topologies for which it disables every rule or levels it to
    /// `info` (which never fails a check), and whether it levelled any.
    disables_all: BTreeMap<String, (usize, bool)>,
    /// By configuration path: a repository it lies outside of.
    outside: BTreeMap<String, PathBuf>,
}

impl Audit {
    /// Notes the configuration's effect on one topology (`eff` before command-line flags,
    /// which are the user's own choice).
    pub fn record(&mut self, config: &Config, topology: &Path, eff: &Effective) {
        let setting = |code: &String| eff.get(code);
        let off = |code: &String| {
            setting(code).is_some_and(|r| !r.enabled || r.severity == Severity::Info)
        };
        let rules = crate::rules::all();
        if rules.iter().all(|r| off(&r.doc().code)) {
            let levelled = rules
                .iter()
                .any(|r| setting(&r.doc().code).is_some_and(|s| s.enabled));
            let seen = self
                .disables_all
                .entry(config.file.path.clone())
                .or_default();
            seen.0 += 1;
            seen.1 |= levelled;
        }
        let dir = std::path::absolute(topology)
            .ok()
            .and_then(|p| p.parent().map(Path::to_path_buf));
        if let Some(repo) = dir.as_deref().and_then(repository_root)
            && !inside(&config.dir, &repo)
        {
            self.outside.entry(config.file.path.clone()).or_insert(repo);
        }
    }

    /// The warnings, for the configurations in `configs` (each loaded once).
    pub fn findings<'a>(&self, configs: impl IntoIterator<Item = &'a Config>) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for c in configs {
            if let Some(&(n, levelled)) = self.disables_all.get(&c.file.path) {
                out.push(disables_all(c, n, levelled));
            }
            if let Some(repo) = self.outside.get(&c.file.path) {
                out.push(outside(c, repo));
            }
        }
        out
    }
}

/// Whether `dir` is `repo` or below it (both resolved, so links cannot disguise either).
fn inside(dir: &Path, repo: &Path) -> bool {
    match (std::fs::canonicalize(dir), std::fs::canonicalize(repo)) {
        (Ok(d), Ok(r)) => d.starts_with(r),
        _ => dir.starts_with(repo),
    }
}

fn warning(config: &Config, code: Code, span: SourceSpan, message: String) -> Diagnostic {
    let (code, name) = (code.as_str(), code.name());
    Diagnostic::new(code, name, Severity::Warning, &config.file, span, message)
}

fn disables_all(c: &Config, topologies: usize, levelled: bool) -> Diagnostic {
    let span = c
        .raw
        .ignore
        .first()
        .or_else(|| c.raw.select.first())
        .map_or(SourceSpan::from(0..0), |s| s.span);
    let files = if topologies == 1 {
        "1 topology: it passes".to_owned()
    } else {
        format!("{topologies} topologies: they pass")
    };
    let how = if levelled {
        "disables every rule or levels it to `info` (which never fails)"
    } else {
        "disables every rule"
    };
    warning(
        c,
        Code::ConfigDisablesEveryRule,
        span,
        format!(
            "configuration `{}` {how} for {files} without being checked",
            c.file.path
        ),
    )
    .with_label("every rule disabled")
    .with_help(
        "select the rules to run (or remove `ALL` from `ignore`, and keep `info` for the rules \
         that should not fail); to accept findings, suppress \
         them one by one with a reason. The configuration cannot turn this warning off",
    )
}

fn outside(c: &Config, repo: &Path) -> Diagnostic {
    warning(
        c,
        Code::ConfigOutsideRepository,
        SourceSpan::from(0..0),
        format!(
            "configuration `{}` lies outside the repository `{}` of the topologies it applies to",
            c.file.path,
            crate::terminal::path(repo)
        ),
    )
    .with_help(
        "keep the configuration in the repository, where it is reviewed with the topologies, \
         and name it with --config",
    )
}
