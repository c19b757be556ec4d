//! `maa graph`: the dependency and failure-domain graph (rendered by
//! [`crate::report::graph`]).

use std::path::PathBuf;

use clap::Args;

use super::{EXIT_ERROR, emit, load_model};
use crate::report::graph::{GraphFormat, render};

#[derive(Debug, Args)]
#[command(after_help = super::help::GRAPH)]
pub struct GraphArgs {
    /// The topology file.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
    pub format: GraphFormat,
    /// Draw the internal gate nodes (redundancy groups without a name of their own, e.g.
    /// "group app_cluster@servers (1 of 2)") instead of folding them into the edges.
    #[arg(long)]
    pub internal: bool,
    /// Write to this file instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub(super) fn run(args: &GraphArgs) -> u8 {
    let Ok(model) = load_model(&args.file) else {
        return EXIT_ERROR;
    };
    let a = crate::analysis::Analysis::new(&model);
    emit(
        args.output.as_deref(),
        &render(&model, &a, args.format, args.internal),
        &[&args.file],
    )
}
