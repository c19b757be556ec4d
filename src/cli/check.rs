//! `maa check`: load, resolve, run the rules, report.

use std::path::{Path, PathBuf};

use clap::Args;
use rayon::prelude::*;

use super::{ColorChoice, EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, FailOn, print_stdout};
use crate::fsio::write_atomic;
use std::sync::Arc;

use crate::config::{self, Config};
use crate::diagnostic::{self, Diagnostic};
use crate::report::{Format, github, human, json, sarif};
use crate::suppress;

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Topology files, or directories to search for `*.yaml` / `*.yml` topologies.
    #[arg(required = true, value_name = "FILE|DIR")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Write the report to this file instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Exit 1 when a finding has at least this severity.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    /// Configuration file (default: `maa.yaml` or `.maa.yaml` found from each topology's
    /// directory upwards).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Print the effective settings for each topology, and where each came from; check nothing.
    #[arg(long)]
    pub show_config: bool,
    /// Run only these rules: codes, names, code prefixes (`WLS`) or `ALL`, comma-separated
    /// or repeated. Replaces the configuration's selection.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub select: Vec<String>,
    /// Skip these rules (codes, names, prefixes), on top of the configuration's `ignore`.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub ignore: Vec<String>,
    /// Refuse `# maa: ignore[...]` comments in topologies (CI).
    #[arg(long)]
    pub no_inline_ignores: bool,
    /// Accept the current findings: write them to this baseline file and exit 0.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Report only findings not in this baseline file (keyed by rule, object path and file).
    #[arg(long, value_name = "FILE", conflicts_with = "write_baseline")]
    pub baseline: Option<PathBuf>,
    /// Colour in human output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// Files named like configuration, not topologies: skipped when expanding directories.
const NOT_TOPOLOGIES: &[&str] = &[
    "maa.yaml",
    ".maa.yaml",
    ".pre-commit-config.yaml",
    ".pre-commit-hooks.yaml",
];

/// Expands directories into their YAML files, sorted; explicit files are kept as given.
pub fn collect_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            walk(p, &mut files)
                .map_err(|e| format!("cannot read directory `{}`: {e}", p.display()))?;
        } else {
            files.push(p.clone());
        }
    }
    Ok(files)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if p.is_dir() {
            if !name.starts_with('.') && name != "target" && name != "node_modules" {
                walk(&p, out)?;
            }
        } else if (name.ends_with(".yaml") || name.ends_with(".yml"))
            && !NOT_TOPOLOGIES.contains(&name)
        {
            out.push(p);
        }
    }
    Ok(())
}

/// Loaded configurations, by path (each loaded once per run).
#[derive(Default)]
struct Configs {
    loaded: std::collections::BTreeMap<PathBuf, Option<Arc<Config>>>,
    order: Vec<Arc<Config>>,
}

impl Configs {
    /// Loads `path` once; config errors go to `errors`.
    fn get(&mut self, path: &Path, errors: &mut Vec<Diagnostic>) -> Option<Arc<Config>> {
        if let Some(c) = self.loaded.get(path) {
            return c.clone();
        }
        let c = match Config::load(path) {
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
pub fn check_with(
    path: &Path,
    config: Option<&Config>,
    eff: &config::Effective,
    usage: &mut suppress::ConfigUsage,
    suppressed: &mut usize,
) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    let display = path.to_string_lossy().into_owned();
    let model = crate::resolve::load_model(path, &display)?;
    let mut found = crate::rules::check(&model);
    if let Some(c) = config {
        let custom = config::custom::run(&c.file, &c.custom, &model);
        let (errors, findings): (Vec<_>, Vec<_>) = custom
            .into_iter()
            .partition(|d| d.code.starts_with("config/"));
        if !errors.is_empty() {
            return Err(errors);
        }
        found.extend(findings);
    }
    let mut found = config::apply(eff, found);
    let mut extra = Vec::new();
    if eff.inline_ignores {
        let (kept, meta, n) = suppress::apply_inline(&model.file, found);
        found = kept;
        extra = config::apply(eff, meta);
        *suppressed += n;
    }
    if let Some(c) = config {
        let (kept, n) = suppress::apply_config(c, path, found, usage);
        found = kept;
        *suppressed += n;
    }
    found.extend(extra);
    Ok(found)
}

pub fn run(args: &CheckArgs) -> u8 {
    let files = match collect_files(&args.paths) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_ERROR;
        }
    };
    if files.is_empty() {
        eprintln!("error: no topology files (*.yaml, *.yml) found in the given paths");
        return EXIT_ERROR;
    }
    let mut diags = Vec::new();
    let mut load_failed = false;
    let mut configs = Configs::default();
    let mut usage = suppress::ConfigUsage::default();
    let mut suppressed = 0;
    let mut shown = String::new();
    // Settings first, in file order (each configuration is loaded once) ...
    let mut tasks = Vec::new();
    for f in &files {
        let (cfg_path, discovered) = match &args.config {
            Some(p) => (Some(p.clone()), false),
            None => (config::discover(f), true),
        };
        let cfg = match &cfg_path {
            Some(p) => {
                let mut errors = Vec::new();
                let c = configs.get(p, &mut errors);
                if c.is_none() {
                    load_failed = true;
                    diags.extend(errors);
                    continue;
                }
                c
            }
            None => None,
        };
        let mut eff = config::effective(cfg.as_deref(), f, args.no_inline_ignores);
        if let Err(e) =
            config::apply_cli_selection(&mut eff, cfg.as_deref(), &args.select, &args.ignore)
        {
            eprintln!("error: {e}");
            return EXIT_ERROR;
        }
        if args.show_config {
            shown.push_str(&config::show(cfg.as_deref(), discovered, f, &eff));
            continue;
        }
        tasks.push((f, cfg, eff));
    }
    // ... then the files in parallel, merged back in file order.
    let results: Vec<_> = tasks
        .par_iter()
        .map(|(f, cfg, eff)| {
            let mut usage = suppress::ConfigUsage::default();
            let mut suppressed = 0;
            let r = check_with(f, cfg.as_deref(), eff, &mut usage, &mut suppressed);
            (r, usage, suppressed)
        })
        .collect();
    for (r, u, n) in results {
        match r {
            Ok(found) => diags.extend(found),
            Err(errors) => {
                load_failed = true;
                diags.extend(errors);
            }
        }
        usage.merge(u);
        suppressed += n;
    }
    if args.show_config && !load_failed {
        return print_stdout(&shown);
    }
    if !load_failed {
        for c in &configs.order {
            let mut top =
                config::effective(Some(c), Path::new(&c.file.path), args.no_inline_ignores);
            // Selectors were validated per file above.
            let _ = config::apply_cli_selection(&mut top, Some(c), &args.select, &args.ignore);
            diags.extend(config::apply(&top, suppress::config_report(c, &usage)));
        }
    }
    let mut baselined = 0;
    if let Some(b) = &args.baseline {
        let parsed = std::fs::read_to_string(b)
            .map_err(|e| e.to_string())
            .and_then(|t| suppress::baseline::parse(&t));
        match parsed {
            Ok(base) => {
                let (kept, n) = suppress::baseline::filter(&base, diags);
                diags = kept;
                baselined = n;
            }
            Err(e) => {
                eprintln!("error: cannot use baseline `{}`: {e}", b.display());
                return EXIT_ERROR;
            }
        }
    }
    if let Some(b) = &args.write_baseline {
        if load_failed {
            eprintln!("error: not writing a baseline: some files do not load");
        } else {
            let base = suppress::baseline::from_findings(&diags);
            if let Err(e) = write_atomic(b, suppress::baseline::to_text(&base).as_bytes()) {
                eprintln!("error: cannot write `{}`: {e}", b.display());
                return EXIT_ERROR;
            }
            eprintln!(
                "wrote {} accepted finding{} to {}",
                base.findings.iter().map(|e| e.count).sum::<usize>(),
                if base.findings.len() == 1 { "" } else { "s" },
                b.display()
            );
            return EXIT_OK;
        }
    }
    if args.format == Format::Human && (suppressed > 0 || baselined > 0) {
        eprintln!("{suppressed} finding(s) suppressed, {baselined} accepted by the baseline");
    }
    diagnostic::sort(&mut diags);
    let text = match args.format {
        Format::Human => {
            let color = match args.color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => {
                    args.output.is_none()
                        && std::io::IsTerminal::is_terminal(&std::io::stdout())
                        && std::env::var_os("NO_COLOR").is_none()
                }
            };
            let style = human::HumanStyle {
                color,
                unicode: true,
                width: 100,
            };
            human::render(&diags, style) + &human::summary(&diags, files.len())
        }
        Format::Json => json::render(&diags, files.len()),
        Format::Sarif => sarif::render(&diags),
        Format::Github => github::render(&diags),
    };
    let written = match &args.output {
        Some(path) => match write_atomic(path, text.as_bytes()) {
            Ok(()) => EXIT_OK,
            Err(e) => {
                eprintln!("error: cannot write `{}`: {e}", path.display());
                EXIT_ERROR
            }
        },
        None => print_stdout(&text),
    };
    if written != EXIT_OK || load_failed {
        return EXIT_ERROR;
    }
    match args.fail_on.threshold() {
        Some(t) if diags.iter().any(|d| d.severity >= t) => EXIT_FINDINGS,
        _ => EXIT_OK,
    }
}
