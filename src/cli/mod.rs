//! The `maa` command line: argument parsing and dispatch. Each command is a thin layer
//! over the library.

mod check;
mod graph;
mod help;
mod init;
pub mod man;
mod render;
mod report;
mod rules;
mod simulate;

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

use crate::diagnostic::Severity;
use crate::report::human;
use crate::resolve::Model;

/// Exit code: nothing at or above the threshold.
pub const EXIT_OK: u8 = 0;
/// Exit code: findings at or above the threshold (or drift, for `--check`).
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: usage, parse or configuration error.
pub const EXIT_ERROR: u8 = 2;

/// Model, check, simulate and render Oracle Maximum Availability Architecture topologies.
#[derive(Debug, Parser)]
#[command(name = "maa", version, about, long_about = None, propagate_version = true)]
#[command(after_help = help::TOP)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// When to colour human output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// The lowest severity that makes `maa check` exit 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

impl FailOn {
    pub fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Info => Some(Severity::Info),
            FailOn::Never => None,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check topologies for single points of failure and departures from MAA.
    Check(check::CheckArgs),
    /// Print the JSON Schema of the topology format (or, with `--config`, of `maa.yaml`).
    #[command(after_help = help::SCHEMA)]
    Schema {
        /// Print the schema of the configuration file instead.
        #[arg(long)]
        config: bool,
    },
    /// Write a commented starter topology.
    Init(init::InitArgs),
    /// List the rules.
    Rules(rules::RulesArgs),
    /// Explain one rule by code or name.
    Explain(rules::ExplainArgs),
    /// Simulate failures: surviving services, recovery timeline, RTO/RPO versus the objectives.
    Simulate(simulate::SimulateArgs),
    /// Print the dependency and failure-domain graph (DOT, Mermaid or JSON), SPOFs highlighted.
    Graph(graph::GraphArgs),
    /// Write an HTML report: topology diagram, findings, failure scenarios and timelines, diff.
    Report(report::ReportArgs),
    /// Render configuration artifacts (tnsnames.ora, WLST, OHS, DGMGRL, srvctl, AWS).
    Render(render::RenderArgs),
    /// Print shell completions.
    #[command(after_help = help::COMPLETIONS)]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual pages (roff): maa(1), one per subcommand, or all into a directory.
    Man(man::ManArgs),
}

/// Parses arguments and runs; returns the process exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_ERROR } else { EXIT_OK };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let code = match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Schema { config: false } => print_stdout(&crate::schema::topology_schema_text()),
        Command::Schema { config: true } => print_stdout(&crate::config::schema_text()),
        Command::Init(args) => init::run(&args),
        Command::Render(args) => render::run(&args),
        Command::Simulate(args) => simulate::run(&args),
        Command::Graph(args) => graph::run(&args),
        Command::Report(args) => report::run(&args),
        Command::Rules(args) => rules::rules(&args),
        Command::Explain(args) => rules::explain(&args),
        Command::Completions { shell } => {
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "maa", &mut buf);
            print_stdout(&String::from_utf8_lossy(&buf))
        }
        Command::Man(args) => man::run(&args),
    };
    ExitCode::from(code)
}

/// Writes to stdout; a closed pipe (`maa rules | head`) is not an error.
pub fn print_stdout(text: &str) -> u8 {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => EXIT_OK,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(e) => {
            eprintln!("error: cannot write to stdout: {e}");
            EXIT_ERROR
        }
    }
}

/// Loads and resolves one topology; on failure prints the errors (plain human style) to
/// stderr and returns `Err(())`: the caller exits with [`EXIT_ERROR`].
fn load_model(file: &Path) -> Result<Model, ()> {
    let display = file.to_string_lossy().into_owned();
    crate::resolve::load_model(file, &display).map_err(|errors| {
        eprint!("{}", human::render(&errors, human::HumanStyle::plain()));
    })
}

/// Writes a command's output to `output` (atomically) or to stdout; returns the exit code.
/// `output` may not be one of the command's `inputs`, nor an existing special file
/// ([`output_allowed`]); errors name only the target.
fn emit(output: Option<&Path>, text: &str, inputs: &[&Path]) -> u8 {
    let Some(path) = output else {
        return print_stdout(text);
    };
    let shown = crate::terminal::path(path);
    if is_dev_null(path) {
        return EXIT_OK;
    }
    if let Err(why) = output_allowed(path, inputs) {
        eprintln!("error: not writing `{shown}`: {why}");
        return EXIT_ERROR;
    }
    match crate::fsio::write_atomic(path, text.as_bytes()) {
        Ok(()) => EXIT_OK,
        Err(e) => {
            eprintln!("error: cannot write `{shown}`: {e}");
            EXIT_ERROR
        }
    }
}

/// Whether `path` is `/dev/null` (through links too): `-o /dev/null` discards the output,
/// as usual, instead of replacing the device (which an atomic rename as root would do).
fn is_dev_null(path: &Path) -> bool {
    std::fs::canonicalize(path).is_ok_and(|p| p == Path::new("/dev/null"))
}

/// Whether two output paths name one file: the same absolute path, or an existing file
/// reached by both.
fn same_target(a: &Path, b: &Path) -> bool {
    let abs = |p: &Path| std::path::absolute(p).ok();
    if abs(a).is_some_and(|x| Some(x) == abs(b)) {
        return true;
    }
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(x), Ok(y)) => same_file(&x, &y),
        _ => false,
    }
}

/// Why `path` must not be written: it is one of `inputs` (the same file: hard and symbolic
/// links too), or an existing file that is not a regular one (`-o /dev/null` as root would
/// replace the device; [`emit`] discards output to `/dev/null` before asking).
fn output_allowed(path: &Path, inputs: &[&Path]) -> Result<(), String> {
    // Absent (or a dangling link, which the rename replaces): a new file.
    let Ok(meta) = std::fs::metadata(path) else {
        return Ok(());
    };

    if !meta.is_file() {
        return Err(format!(
            "it is {}, not a regular file (leave out -o to write to stdout)",
            crate::input::kind(&meta)
        ));
    }
    let same = |input: &&&Path| std::fs::metadata(input).is_ok_and(|m| same_file(&m, &meta));
    match inputs.iter().find(same) {
        Some(input) => Err(format!(
            "it is the input `{}`, which the output would replace",
            crate::terminal::path(input)
        )),
        None => Ok(()),
    }
}

/// Whether two files' metadata are of one file.
#[cfg(unix)]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

/// Whether two files' metadata are of one file (without inode numbers: never claimed).
#[cfg(not(unix))]
fn same_file(_: &std::fs::Metadata, _: &std::fs::Metadata) -> bool {
    false
}
