//! `maa check`: load, resolve, run the rules, report.

use std::path::{Path, PathBuf};

use clap::Args;

use super::{ColorChoice, EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, FailOn, print_stdout, write_atomic};
use crate::diagnostic::{self, Diagnostic};
use crate::report::{Format, github, human, json, sarif};

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

/// Checks one file: load errors (exit 2) or findings.
pub fn check_file(path: &Path) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    let display = path.to_string_lossy().into_owned();
    let model = crate::resolve::load_model(path, &display)?;
    Ok(crate::rules::check(&model))
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
    for f in &files {
        match check_file(f) {
            Ok(found) => diags.extend(found),
            Err(errors) => {
                load_failed = true;
                diags.extend(errors);
            }
        }
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
