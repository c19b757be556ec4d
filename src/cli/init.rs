//! `maa init`: write a commented starter topology.

use std::path::PathBuf;

use clap::Args;

use super::{EXIT_ERROR, EXIT_OK, print_stdout};
use crate::fsio::write_atomic;

/// The starter topology `maa init` writes.
pub(super) const STARTER: &str = include_str!("../../topologies/starter.yaml");

#[derive(Debug, Args)]
#[command(after_help = super::help::INIT)]
pub struct InitArgs {
    /// Where to write the topology (`-` for stdout).
    #[arg(default_value = "topology.yaml")]
    pub path: PathBuf,
    /// Overwrite an existing file.
    #[arg(long)]
    pub force: bool,
}

pub(super) fn run(args: &InitArgs) -> u8 {
    let text = STARTER.replace("../schemas/topology.schema.json", crate::schema::SCHEMA_URL);
    if args.path.as_os_str() == "-" {
        return print_stdout(&text);
    }
    if args.path.exists() && !args.force {
        eprintln!(
            "error: `{}` already exists (use --force to overwrite)",
            crate::terminal::path(&args.path)
        );
        return EXIT_ERROR;
    }
    match write_atomic(&args.path, text.as_bytes()) {
        Ok(()) => {
            eprintln!(
                "wrote {}; now run `maa check {}`",
                crate::terminal::path(&args.path),
                crate::terminal::path(&args.path)
            );
            EXIT_OK
        }
        Err(e) => {
            eprintln!(
                "error: cannot write `{}`: {e}",
                crate::terminal::path(&args.path)
            );
            EXIT_ERROR
        }
    }
}
