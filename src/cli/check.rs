//! `maa check`: arguments, output format and exit code over [`crate::check::run`].

use std::path::{Path, PathBuf};

use clap::Args;

use super::{ColorChoice, EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, FailOn, emit, print_stdout};
use crate::check::{Options, Report};
use crate::report::{Format, concise, github, gitlab, human, json, junit, sarif};
use crate::suppress;

#[derive(Debug, Args)]
#[command(after_help = super::help::CHECK)]
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
    /// directory upwards, up to the repository root).
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
    /// After the findings, a table of how many each rule reported (human and concise formats).
    #[arg(long)]
    pub statistics: bool,
    /// Colour in human output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Follow symbolic links found in directories, to targets inside the directories given
    /// (by default links are skipped, with a note).
    #[arg(long)]
    pub follow_symlinks: bool,
}

pub(super) fn run(args: &CheckArgs) -> u8 {
    if args.statistics && !matches!(args.format, Format::Human | Format::Concise) {
        eprintln!("error: --statistics is for the human and concise formats");
        return EXIT_ERROR;
    }
    if let Err(why) = outputs_allowed(args) {
        eprintln!("error: {why}");
        return EXIT_ERROR;
    }
    let opts = Options {
        config: args.config.clone(),
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        no_inline_ignores: args.no_inline_ignores,
        show_config: args.show_config,
        baseline: args.baseline.clone(),
        accept: args.write_baseline.is_some(),
        follow_symlinks: args.follow_symlinks,
    };
    let report = match crate::check::run(&args.paths, &opts) {
        Ok(r) => r,
        Err(e) => {
            if let crate::check::Error::NoFiles(skipped) = &e {
                notes(skipped);
            }
            eprintln!("error: {}", crate::terminal::escape(&e.to_string()));
            return EXIT_ERROR;
        }
    };
    notes(&report.skipped);
    if let Some(settings) = &report.settings {
        return print_stdout(&crate::terminal::escape(settings));
    }
    if let Some(b) = &args.write_baseline {
        if let Err(why) = super::output_allowed(b, &report_inputs(args, &report)) {
            eprintln!("error: not writing `{}`: {why}", crate::terminal::path(b));
            return EXIT_ERROR;
        }
        match &report.accepted {
            None => eprintln!("error: not writing a baseline: some files do not load"),
            Some(base) => {
                if let Err(e) =
                    crate::fsio::write_atomic(b, suppress::baseline::to_text(base).as_bytes())
                {
                    eprintln!("error: cannot write `{}`: {e}", crate::terminal::path(b));
                    return EXIT_ERROR;
                }
                eprintln!(
                    "wrote {} accepted finding{} to {}",
                    base.findings.iter().map(|e| e.count).sum::<usize>(),
                    if base.findings.len() == 1 { "" } else { "s" },
                    crate::terminal::path(b)
                );
                return EXIT_OK;
            }
        }
    }
    for e in &report.stale_baseline {
        eprintln!(
            "warning: baseline entry {} on `{}` in `{}` names no object of that topology (renamed or removed?): it can no longer match; remove it or rewrite the baseline",
            crate::terminal::escape(&e.rule),
            crate::terminal::escape(&e.object),
            crate::terminal::escape(&e.file)
        );
    }
    let human = matches!(args.format, Format::Human | Format::Concise);
    if human && (report.suppressed > 0 || report.baselined > 0) {
        eprintln!(
            "{} finding(s) suppressed, {} accepted by the baseline",
            report.suppressed, report.baselined
        );
    }
    let inputs = report_inputs(args, &report);
    let written = emit(args.output.as_deref(), &render(args, &report), &inputs);
    if written != EXIT_OK || report.load_failed {
        return EXIT_ERROR;
    }
    match args.fail_on.threshold() {
        Some(t) if report.diagnostics.iter().any(|d| d.severity >= t) => EXIT_FINDINGS,
        _ => EXIT_OK,
    }
}

/// Refuses, before any work, outputs that would replace an input named on the command
/// line (files found in directories are checked again before writing) and `-o` and
/// `--write-baseline` naming one file (two writers).
fn outputs_allowed(args: &CheckArgs) -> Result<(), String> {
    let mut inputs: Vec<&Path> = args.paths.iter().map(PathBuf::as_path).collect();
    inputs.extend(args.baseline.as_deref());
    inputs.extend(args.config.as_deref());
    let outputs = [args.output.as_deref(), args.write_baseline.as_deref()];
    let discarded = args.output.as_deref().is_some_and(super::is_dev_null);
    for out in outputs.into_iter().flatten() {
        if discarded && Some(out) == args.output.as_deref() {
            continue;
        }
        super::output_allowed(out, &inputs)
            .map_err(|why| format!("not writing `{}`: {why}", crate::terminal::path(out)))?;
    }
    if let [Some(o), Some(b)] = outputs
        && super::same_target(o, b)
    {
        return Err(format!(
            "-o and --write-baseline both name `{}`: one would replace the other",
            crate::terminal::path(o)
        ));
    }
    Ok(())
}

/// What `-o` and `--write-baseline` must not replace: the topologies, configurations and
/// baseline read.
fn report_inputs<'a>(args: &'a CheckArgs, report: &'a Report) -> Vec<&'a Path> {
    let mut v: Vec<&Path> = report.inputs.iter().map(PathBuf::as_path).collect();
    v.extend(args.baseline.as_deref());
    v
}

/// Paths the directory walk left out, as notes on stderr.
fn notes(skipped: &[crate::walk::Skipped]) {
    for s in skipped {
        eprintln!(
            "note: skipped `{}`: {}",
            crate::terminal::path(&s.path),
            s.why
        );
    }
}

/// The report in the chosen format.
fn render(args: &CheckArgs, report: &Report) -> String {
    let diags = &report.diagnostics;
    match args.format {
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
            let used: Vec<&str> = report.configs.iter().map(String::as_str).collect();
            // Human output leaves a blank line between the table and the closing summary.
            let table = statistics(args, diags);
            let gap = if table.is_empty() { "" } else { "\n" };
            human::render(diags, style)
                + &table
                + gap
                + &human::summary(diags, report.files, report.checked.len(), &used)
        }
        Format::Concise => concise::render(diags) + &statistics(args, diags),
        Format::Gitlab => gitlab::render(diags),
        Format::Json => json::render(diags, report.files),
        Format::Sarif => sarif::render_with_suppressed(diags, &report.suppressions),
        Format::Github => github::render(diags),
        Format::Junit => {
            let ran: Vec<junit::Ran<'_>> = report
                .checked
                .iter()
                .map(|c| junit::Ran {
                    file: &c.file,
                    rules: &c.rules,
                })
                .collect();
            junit::render(diags, &report.suppressions, &ran, &junit::timestamp_now())
        }
    }
}

/// The per-rule table, when asked for.
fn statistics(args: &CheckArgs, diags: &[crate::diagnostic::Diagnostic]) -> String {
    if args.statistics {
        format!("\n{}", human::statistics(diags))
    } else {
        String::new()
    }
}
