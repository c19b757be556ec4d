//! `maa simulate`: which elements fail; the simulation and its report are
//! [`crate::report::simulate`].

use std::path::PathBuf;

use clap::Args;

use super::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, emit, load_model};
use crate::graph::NodeId;
use crate::report::simulate::{SimFormat, render};

#[derive(Debug, Args)]
#[command(after_help = "\
Examples (the reference topologies of the repository):
  maa simulate topologies/active-passive-rac.yaml --fail site:dc1
  maa simulate topologies/active-passive-rac.yaml --fail host:wls1a --fail host:wls1b
  maa simulate topologies/active-active-goldengate.yaml --fail ohs:ohs-east-a
  maa simulate topologies/active-passive-rac.yaml --fail link:dc1-dc2
  maa simulate topologies/aws-fsxn-asg.yaml --all --format json

Every step of a timeline says who performs it (a product mechanism, declared runbook
automation, or an operator) and where its duration comes from (declared, a sourced
default, or an assumption): see docs/recovery-model.md.

Exit status:
  0  every scenario meets the declared objectives (or none is declared)
  1  some scenario breaches a declared RTO or RPO objective
  2  usage error, a topology that does not load, or the report cannot be written")]
pub struct SimulateArgs {
    /// The topology file.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Fail this element (`KIND:NAME`, e.g. `site:dc1`, `host:wls1a`, `zone:az-a`,
    /// `server:ms1`, `instance:db.inst1`, `link:dc1-dc2`); repeat to fail several at once.
    /// A link declared `redundant` fails as a partition (both paths: a double fault).
    #[arg(long = "fail", value_name = "KIND:NAME")]
    pub fail: Vec<String>,
    /// Simulate every single failure event of the topology, one at a time.
    #[arg(long, conflicts_with = "fail")]
    pub all: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = SimFormat::Text)]
    pub format: SimFormat,
    /// Write the report to this file instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub(super) fn run(args: &SimulateArgs) -> u8 {
    if args.fail.is_empty() && !args.all {
        eprintln!("error: say what fails: --fail KIND:NAME (repeatable) or --all");
        return EXIT_ERROR;
    }
    let Ok(model) = load_model(&args.file) else {
        return EXIT_ERROR;
    };
    let a = crate::analysis::Analysis::new(&model);
    let gr = &a.graph;
    let mut sets: Vec<Vec<NodeId>> = Vec::new();
    if args.all {
        sets.extend(gr.events.iter().map(|e| vec![*e]));
    } else {
        let mut set = Vec::new();
        for spec in &args.fail {
            match gr.lookup(spec) {
                Ok(id) => set.push(id),
                Err(e) => {
                    eprintln!(
                        "error: --fail {}: {}",
                        crate::terminal::escape_line(spec),
                        crate::terminal::escape(&e)
                    );
                    return EXIT_ERROR;
                }
            }
        }
        sets.push(set);
    }
    let report = render(&model, gr, &sets, args.all, args.format);
    // Names are plain identifiers, but free text of the topology may reach the report.
    let text = match args.format {
        SimFormat::Text => crate::terminal::escape(&report.text),
        SimFormat::Json => std::borrow::Cow::Borrowed(report.text.as_str()),
    };
    if emit(args.output.as_deref(), &text, &[&args.file]) != EXIT_OK {
        return EXIT_ERROR;
    }
    if report.breached {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}
