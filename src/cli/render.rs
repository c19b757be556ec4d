//! `maa render`: write (or `--check`) the configuration artifacts of a topology.

use std::path::PathBuf;

use clap::Args;

use super::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, load_model, print_stdout};
use crate::render::{self, Drift};

#[derive(Debug, Args)]
pub struct RenderArgs {
    /// The topology to render.
    #[arg(value_name = "FILE", required_unless_present = "list")]
    pub file: Option<PathBuf>,
    /// Targets to render (repeatable), or `all`.
    #[arg(
        long = "target",
        short = 't',
        required_unless_present = "list",
        value_name = "TARGET"
    )]
    pub targets: Vec<String>,
    /// Output directory.
    #[arg(long, default_value = "maa-out", value_name = "DIR")]
    pub out: PathBuf,
    /// Render in memory and compare with the files in --out; exit 1 on drift.
    #[arg(long)]
    pub check: bool,
    /// List the targets and exit.
    #[arg(long)]
    pub list: bool,
}

pub(super) fn run(args: &RenderArgs) -> u8 {
    if args.list {
        let text: String = render::targets()
            .iter()
            .map(|t| format!("{:<16} {}\n", t.name, t.about))
            .collect();
        return print_stdout(&text);
    }
    let names = match render::expand_targets(&args.targets) {
        Ok(n) => n,
        Err(e) => {
            eprintln!("error: {}", crate::terminal::escape(&e));
            return EXIT_ERROR;
        }
    };
    let Some(file) = &args.file else {
        eprintln!("error: a topology FILE is required");
        return EXIT_ERROR;
    };
    let Ok(model) = load_model(file) else {
        return EXIT_ERROR;
    };
    let artifacts = match render::render(&model, &names) {
        Ok(a) => a,
        Err(e) => {
            eprintln!(
                "error: cannot render {}",
                crate::terminal::escape(&e.to_string())
            );
            return EXIT_ERROR;
        }
    };
    if args.check {
        let drift = render::drift(&args.out, &artifacts);
        if drift.is_empty() {
            eprintln!(
                "{} artifact(s) in {} match the topology",
                artifacts.len(),
                crate::terminal::path(&args.out)
            );
            return EXIT_OK;
        }
        let mut text = String::new();
        for d in &drift {
            match d {
                Drift::Missing(p) => text.push_str(&format!("missing: {p}\n")),
                Drift::Changed { diff, .. } => text.push_str(diff),
            }
        }
        print_stdout(&crate::terminal::escape(&text));
        eprintln!(
            "{} artifact(s) drifted from the topology; run `maa render` to update them",
            drift.len()
        );
        return EXIT_FINDINGS;
    }
    match render::write(&args.out, &artifacts) {
        Ok(paths) => {
            for p in paths {
                eprintln!("wrote {}", crate::terminal::path(&p));
            }
            EXIT_OK
        }
        Err(e) => {
            eprintln!(
                "error: cannot write to `{}`: {e}",
                crate::terminal::path(&args.out)
            );
            EXIT_ERROR
        }
    }
}
