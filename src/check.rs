//! Check topologies: the library entry point behind `maa check`.
//!
//! [`run`] takes topology files or directories and [`Options`] and returns a [`Report`]:
//! the configuration of each topology is discovered (or given) and loaded once, every file
//! is loaded, resolved and checked (built-in and custom rules) in parallel, the selection
//! and severities of its configuration applied, inline and configuration suppressions and
//! a baseline removed. Choosing an output format, writing it and the exit code are the
//! caller's (`cli::check`).

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::{self, Config};
use crate::diagnostic::{self, Code, Diagnostic};
use crate::suppress::{self, baseline::Baseline};

/// What to check with: the settings `maa check` takes from its flags.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Configuration file for every topology; `None`: `maa.yaml` or `.maa.yaml` found from
    /// each topology's directory upwards, up to the repository root ([`config::discover`]).
    pub config: Option<PathBuf>,
    /// Run only these rules (codes, names, prefixes, `ALL`); replaces the configuration's
    /// selection when not empty.
    pub select: Vec<String>,
    /// Skip these rules, on top of the configuration's `ignore`.
    pub ignore: Vec<String>,
    /// Refuse `# maa: ignore[...]` comments in topologies.
    pub no_inline_ignores: bool,
    /// Compute the effective settings of each topology ([`Report::settings`]); check nothing.
    pub show_config: bool,
    /// Report only findings not in this baseline file.
    pub baseline: Option<PathBuf>,
    /// Also build the baseline that accepts every finding ([`Report::accepted`]).
    pub accept: bool,
    /// Follow symbolic links found in directories, to targets inside the directories given
    /// ([`crate::walk`]).
    pub follow_symlinks: bool,
}

/// The result of a check.
#[derive(Debug, Default)]
pub struct Report {
    /// Topology files found.
    pub files: usize,
    /// Load and configuration errors and the findings that remain, sorted
    /// ([`diagnostic::sort`]).
    pub diagnostics: Vec<Diagnostic>,
    /// Some topology or configuration did not load: the diagnostics hold its errors.
    pub load_failed: bool,
    /// Findings removed by inline or configuration suppressions.
    pub suppressed: usize,
    /// Findings accepted by the baseline.
    pub baselined: usize,
    /// Entries of the baseline that name no object of the topology they are for (renamed or
    /// removed): they can never match again. In file order, then baseline order.
    pub stale_baseline: Vec<crate::suppress::baseline::Entry>,
    /// The findings counted by `suppressed` and `baselined`, with how and why each was
    /// accepted, sorted like the diagnostics.
    pub suppressions: Vec<suppress::Suppressed>,
    /// The topologies that loaded, each with the codes of the built-in rules run on it (in
    /// catalogue order): what a report of passed checks (JUnit) lists.
    pub checked: Vec<Checked>,
    /// With [`Options::show_config`], when every configuration loads: the effective settings
    /// of each topology, and where each came from.
    pub settings: Option<String>,
    /// With [`Options::accept`], when every file loads: the baseline accepting every finding.
    pub accepted: Option<Baseline>,
    /// The files read: topologies and configurations (what outputs may not replace).
    pub inputs: Vec<PathBuf>,
    /// The configuration files used, in the order first used (as shown: relative to the
    /// working directory when inside it).
    pub configs: Vec<String>,
    /// Paths the directory walk left out (links, special files), to be shown as notes.
    pub skipped: Vec<crate::walk::Skipped>,
}

/// A topology that loaded and the built-in rules run on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    /// The path as shown in its diagnostics.
    pub file: String,
    /// Codes of the built-in rules its effective settings enabled, in catalogue order.
    pub rules: Vec<String>,
}

/// Why a check could not run at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// A directory could not be read.
    Paths(String),
    /// The paths hold no topology (besides those left out, as notes).
    NoFiles(Vec<crate::walk::Skipped>),
    /// A `select` / `ignore` selector names no rule.
    Selection(String),
    /// The baseline file cannot be read or parsed.
    Baseline { path: PathBuf, message: String },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Paths(e) | Error::Selection(e) => f.write_str(e),
            Error::NoFiles(_) => {
                f.write_str("no topology files (*.yaml, *.yml) found in the given paths")
            }
            Error::Baseline { path, message } => {
                write!(
                    f,
                    "cannot use baseline `{}`: {message}",
                    crate::terminal::path(path)
                )
            }
        }
    }
}

impl std::error::Error for Error {}

/// Expands directories into their YAML files, sorted; explicit files are kept as given.
/// Links and special files are left out ([`crate::walk`]).
pub fn collect_files(
    paths: &[PathBuf],
    follow_symlinks: bool,
) -> Result<crate::walk::Walk, String> {
    crate::walk::topology_files(paths, follow_symlinks)
}

/// Loaded configurations, by path (each loaded once per run).
#[derive(Default)]
struct Configs {
    loaded: std::collections::BTreeMap<PathBuf, Option<Arc<Config>>>,
    order: Vec<Arc<Config>>,
}

impl Configs {
    /// Loads `path` once (a discovered one through [`Config::load_discovered`]); config
    /// errors go to `errors`.
    fn get(
        &mut self,
        path: &Path,
        discovered: bool,
        errors: &mut Vec<Diagnostic>,
    ) -> Option<Arc<Config>> {
        if let Some(c) = self.loaded.get(path) {
            return c.clone();
        }
        let loaded = if discovered {
            Config::load_discovered(path)
        } else {
            Config::load(path)
        };
        let c = match loaded {
            Ok(c) => {
                let c = Arc::new(c);
                self.order.push(Arc::clone(&c));
                Some(c)
            }
            Err(e) => {
                errors.extend(e);
                None
            }
        };
        self.loaded.insert(path.to_path_buf(), c.clone());
        c
    }
}

/// Findings of one topology under its effective settings: built-in and custom rules,
/// selection and severities, inline and config suppressions. `Err` holds load or
/// configuration errors (exit 2).
/// With a baseline, its entries for this topology that name none of its objects are added
/// to `stale`. `topologies`: how many the run checks (they share the custom rules' budget).
pub fn check_with(
    path: &Path,
    config: Option<&Config>,
    eff: &config::Effective,
    baseline: Option<&Baseline>,
    tally: &mut Tally,
    topologies: usize,
) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    let display = path.to_string_lossy().into_owned();
    let model = crate::resolve::load_model(path, &display)?;
    check_model(&model, path, config, eff, baseline, tally, topologies)
}

/// What standard input held, for the path `-` (read once, whoever names it).
type Stdin = Option<Result<Vec<u8>, crate::input::ReadError>>;

/// Standard input, when a path is `-` (at most [`crate::load::MAX_FILE_BYTES`]).
fn read_stdin(tasks: &[Task<'_>]) -> Stdin {
    tasks
        .iter()
        .any(|t| t.file.as_os_str() == STDIN)
        .then(|| crate::input::read_stdin(crate::load::MAX_FILE_BYTES))
}

/// The path that names standard input.
pub const STDIN: &str = "-";

/// [`check_with`] for a task: `-` is standard input, read once before.
fn check_task(
    t: &Task<'_>,
    stdin: &Stdin,
    baseline: Option<&Baseline>,
    tally: &mut Tally,
    topologies: usize,
) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    let config = t.config.as_deref();
    let bytes = match stdin {
        Some(read) if t.file.as_os_str() == STDIN => read,
        _ => return check_with(t.file, config, &t.eff, baseline, tally, topologies),
    };
    let model = match bytes {
        Ok(b) => crate::resolve::resolve(crate::load::load_bytes(STDIN, b.clone())?)?,
        Err(e) => {
            let (code, help) = match e {
                crate::input::ReadError::TooLarge { .. } => (
                    Code::LoadTooLarge,
                    "split the topology, or check that this is the input you meant",
                ),
                _ => (Code::LoadIo, "pipe a topology into `maa check -`"),
            };
            let empty = crate::diagnostic::SourceFile::new(STDIN, String::new());
            let span = miette::SourceSpan::from(0..0);
            let message = format!("cannot read standard input: {e}");
            return Err(vec![
                Diagnostic::error(code, &empty, span, message).with_help(help),
            ]);
        }
    };
    check_model(&model, t.file, config, &t.eff, baseline, tally, topologies)
}

/// [`check_with`] on a loaded model.
fn check_model(
    model: &crate::resolve::Model,
    path: &Path,
    config: Option<&Config>,
    eff: &config::Effective,
    baseline: Option<&Baseline>,
    tally: &mut Tally,
    topologies: usize,
) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    if let Some(b) = baseline {
        let file = path.to_string_lossy().replace('\\', "/");
        let stale = suppress::baseline::stale(b, &file, model.objects());
        tally.stale_baseline.extend(stale);
    }
    let mut found = crate::rules::check_selected(model, |r| eff.enabled(&r.code));
    if let Some(c) = config {
        let custom = config::custom::run(&c.file, &c.custom, model, topologies);
        let (errors, findings): (Vec<_>, Vec<_>) = custom
            .into_iter()
            .partition(|d| d.known_code().is_some_and(Code::is_config));
        if !errors.is_empty() {
            return Err(errors);
        }
        found.extend(findings);
    }
    let mut found = config::apply(eff, found);
    let mut extra = Vec::new();
    if eff.inline_ignores {
        let (kept, meta, gone) = suppress::apply_inline(&model.file, found);
        found = kept;
        extra = config::apply(eff, meta);
        tally.suppressed.extend(gone);
    }
    if let Some(c) = config {
        let (kept, gone) = suppress::apply_config(c, path, found, &mut tally.usage);
        found = kept;
        tally.suppressed.extend(gone);
    }
    found.extend(extra);
    Ok(found)
}

/// What checking one topology counts besides its findings.
#[derive(Debug, Default)]
pub struct Tally {
    /// Which configuration suppressions matched.
    pub usage: suppress::ConfigUsage,
    /// Findings removed by inline or configuration suppressions.
    pub suppressed: Vec<suppress::Suppressed>,
    /// Baseline entries that name no object of the topology.
    pub stale_baseline: Vec<crate::suppress::baseline::Entry>,
}

/// One topology to check under its effective settings.
struct Task<'f> {
    file: &'f Path,
    config: Option<Arc<Config>>,
    /// Whether the configuration was discovered (not given).
    discovered: bool,
    eff: config::Effective,
}

/// Checks topology files, and the `*.yaml` / `*.yml` topologies under directories.
/// `Err` only when nothing can be checked; load and configuration errors are diagnostics
/// of the report.
pub fn run(paths: &[PathBuf], opts: &Options) -> Result<Report, Error> {
    let walk = collect_files(paths, opts.follow_symlinks).map_err(Error::Paths)?;
    let files = walk.files;
    let mut report = Report {
        files: files.len(),
        skipped: walk.skipped,
        ..Report::default()
    };
    if files.is_empty() {
        return Err(Error::NoFiles(report.skipped));
    }
    let mut configs = Configs::default();
    let mut audit = config::Audit::default();
    let mut shown = String::new();
    // Settings first, in file order (each configuration is loaded once) ...
    let mut tasks = Vec::new();
    for f in &files {
        let Some(task) = settings(f, opts, &mut configs, &mut audit, &mut report)? else {
            continue;
        };
        if opts.show_config {
            let cfg = task.config.as_deref();
            shown.push_str(&config::show(cfg, task.discovered, f, &task.eff));
            continue;
        }
        tasks.push(task);
    }
    let base = match &opts.baseline {
        Some(b) if !opts.show_config => Some(read_baseline(b)?),
        _ => None,
    };
    // ... then the files in parallel, merged back in file order.
    let usage = check_all(&tasks, base.as_ref(), &mut report);
    if opts.show_config && !report.load_failed {
        report.settings = Some(shown);
        return Ok(report);
    }
    if !report.load_failed {
        for c in &configs.order {
            let mut top =
                config::effective(Some(c), Path::new(&c.file.path), opts.no_inline_ignores);
            // Selectors were validated per file above.
            let _ = config::apply_cli_selection(&mut top, Some(c), &opts.select, &opts.ignore);
            let unused = suppress::config_report(c, &usage);
            report.diagnostics.extend(config::apply(&top, unused));
        }
    }
    // Warnings about the configurations themselves, which they cannot switch off.
    report
        .diagnostics
        .extend(audit.findings(configs.order.iter().map(|c| &**c)));
    report.configs = configs.order.iter().map(|c| c.file.path.clone()).collect();
    report.inputs = files.clone();
    report.inputs.extend(configs.loaded.keys().cloned());
    if let (Some(base), Some(b)) = (&base, &opts.baseline) {
        let (kept, gone) =
            suppress::baseline::filter(base, std::mem::take(&mut report.diagnostics));
        report.diagnostics = kept;
        report.baselined = gone.len();
        let file = b.to_string_lossy().into_owned();
        let reason = format!("accepted by the baseline `{file}`");
        report
            .suppressions
            .extend(gone.into_iter().map(|finding| suppress::Suppressed {
                finding,
                by: suppress::Acceptance::Baseline { file: file.clone() },
                reason: reason.clone(),
            }));
    }
    if opts.accept && !report.load_failed {
        // Counted before sorting, which merges identical diagnostics.
        report.accepted = Some(suppress::baseline::from_findings(&report.diagnostics));
    }
    diagnostic::sort(&mut report.diagnostics);
    suppress::sort(&mut report.suppressions);
    Ok(report)
}

/// Reads and parses a baseline file.
fn read_baseline(b: &Path) -> Result<Baseline, Error> {
    crate::input::read_text(b, crate::input::MAX_SETTINGS_BYTES)
        .map_err(|e| e.to_string())
        .and_then(|t| suppress::baseline::parse(&t))
        .map_err(|message| Error::Baseline {
            path: b.to_path_buf(),
            message,
        })
}

/// The configuration and effective settings of one topology. `Ok(None)`: its configuration
/// does not load (the errors are in the report).
fn settings<'f>(
    file: &'f Path,
    opts: &Options,
    configs: &mut Configs,
    audit: &mut config::Audit,
    report: &mut Report,
) -> Result<Option<Task<'f>>, Error> {
    let (path, discovered) = match &opts.config {
        Some(p) => (Some(p.clone()), false),
        None => (config::discover(file), true),
    };
    let config = match &path {
        Some(p) => {
            let mut errors = Vec::new();
            let c = configs.get(p, discovered, &mut errors);
            if c.is_none() {
                report.load_failed = true;
                report.diagnostics.extend(errors);
                return Ok(None);
            }
            c
        }
        None => None,
    };
    let mut eff = config::effective(config.as_deref(), file, opts.no_inline_ignores);
    if let Some(c) = &config {
        audit.record(c, file, &eff);
    }
    config::apply_cli_selection(&mut eff, config.as_deref(), &opts.select, &opts.ignore)
        .map_err(Error::Selection)?;
    Ok(Some(Task {
        file,
        config,
        discovered,
        eff,
    }))
}

/// Checks every task in parallel and merges the results in task order; returns which
/// configuration suppressions were used.
fn check_all(
    tasks: &[Task<'_>],
    baseline: Option<&Baseline>,
    report: &mut Report,
) -> suppress::ConfigUsage {
    let stdin = read_stdin(tasks);
    let results: Vec<_> = tasks
        .par_iter()
        .map(|t| {
            let mut tally = Tally::default();
            let r = check_task(t, &stdin, baseline, &mut tally, tasks.len());
            (r, tally)
        })
        .collect();
    let mut usage = suppress::ConfigUsage::default();
    for (t, (r, tally)) in tasks.iter().zip(results) {
        match r {
            Ok(found) => {
                report.diagnostics.extend(found);
                report.checked.push(Checked {
                    file: t.file.to_string_lossy().into_owned(),
                    rules: crate::rules::all()
                        .iter()
                        .map(|r| &r.doc().code)
                        .filter(|c| t.eff.enabled(c))
                        .cloned()
                        .collect(),
                });
            }
            Err(errors) => {
                report.load_failed = true;
                report.diagnostics.extend(errors);
            }
        }
        usage.merge(tally.usage);
        report.suppressed += tally.suppressed.len();
        report.suppressions.extend(tally.suppressed);
        report.stale_baseline.extend(tally.stale_baseline);
    }
    usage
}
