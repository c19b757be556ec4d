//! `maa report`: the HTML report and its JSON (built by [`crate::report::html`]).

use std::path::{Path, PathBuf};

use clap::Args;

use super::{EXIT_ERROR, EXIT_OK, emit, load_model};

/// Most bytes of a previous run's JSON read by `--compare`.
const COMPARE_LIMIT: u64 = 256 * 1024 * 1024;

#[derive(Debug, Args)]
#[command(after_help = super::help::REPORT)]
pub struct ReportArgs {
    /// The topology file.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Write the HTML page (self-contained: no network, fonts or external scripts).
    #[arg(long, value_name = "OUT.html")]
    pub html: Option<PathBuf>,
    /// Write the report JSON (the check and simulate JSON of this run), for a later
    /// `--compare`.
    #[arg(long, value_name = "OUT.json")]
    pub json: Option<PathBuf>,
    /// Show what changed since a previous run: its report JSON, or the JSON of
    /// `maa check --format json` or `maa simulate --all --format json`.
    #[arg(long, value_name = "OLD.json")]
    pub compare: Option<PathBuf>,
    /// Configuration file (default: maa.yaml or .maa.yaml found from the topology's
    /// directory up).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

pub(super) fn run(args: &ReportArgs) -> u8 {
    if args.html.is_none() && args.json.is_none() {
        eprintln!("error: say what to write: --html OUT.html and/or --json OUT.json");
        return EXIT_ERROR;
    }
    let mut inputs: Vec<&Path> = vec![&args.file];
    inputs.extend(args.compare.as_deref());
    inputs.extend(args.config.as_deref());
    for out in [args.html.as_deref(), args.json.as_deref()]
        .into_iter()
        .flatten()
    {
        if let Err(why) = super::output_allowed(out, &inputs) {
            eprintln!("error: not writing `{}`: {why}", crate::terminal::path(out));
            return EXIT_ERROR;
        }
    }
    if let (Some(h), Some(j)) = (&args.html, &args.json)
        && super::same_target(h, j)
    {
        eprintln!(
            "error: --html and --json both name `{}`",
            crate::terminal::path(h)
        );
        return EXIT_ERROR;
    }
    let Ok(compare) = args.compare.as_deref().map(read_compare).transpose() else {
        return EXIT_ERROR;
    };
    let Ok(model) = load_model(&args.file) else {
        return EXIT_ERROR;
    };
    let opts = crate::check::Options {
        config: args.config.clone(),
        ..crate::check::Options::default()
    };
    let checked = match crate::check::run(std::slice::from_ref(&args.file), &opts) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {}", crate::terminal::escape(&e.to_string()));
            return EXIT_ERROR;
        }
    };
    let analysis = crate::analysis::Analysis::new(&model);
    let input = crate::report::html::Input {
        model: &model,
        analysis: &analysis,
        diagnostics: &checked.diagnostics,
        accepted: checked.suppressed + checked.baselined,
    };
    let out = match crate::report::html::build(&input, compare.as_deref()) {
        Ok(o) => o,
        Err(why) => {
            eprintln!(
                "error: --compare `{}`: {}",
                crate::terminal::path(args.compare.as_deref().unwrap_or(Path::new(""))),
                crate::terminal::escape(&why)
            );
            return EXIT_ERROR;
        }
    };
    for (path, text) in [(&args.html, &out.html), (&args.json, &out.json)] {
        if let Some(p) = path
            && emit(Some(p), text, &inputs) != EXIT_OK
        {
            return EXIT_ERROR;
        }
    }
    EXIT_OK
}

/// Reads `--compare` (a regular file, bounded); prints why not.
fn read_compare(path: &Path) -> Result<String, ()> {
    crate::input::read_text(path, COMPARE_LIMIT).map_err(|e| {
        eprintln!(
            "error: --compare `{}`: {}",
            crate::terminal::path(path),
            crate::terminal::escape(&e.to_string())
        );
    })
}
