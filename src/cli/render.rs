//! `maa render`: write (or `--check`) the configuration artifacts of a topology.

use std::path::PathBuf;

use clap::Args;

use super::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, load_model, print_stdout};
use crate::render::{self, Drift};

#[derive(Debug, Args)]
#[command(after_help = super::help::RENDER)]
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
    /// Render in memory and compare with the files in --out (missing, changed, stale,
    /// unexpected); exit 1 on drift.
    #[arg(long, conflicts_with = "prune")]
    pub check: bool,
    /// Also remove the files an earlier render wrote for these targets that they no longer
    /// produce (unless edited since).
    #[arg(long)]
    pub prune: bool,
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
    silent_targets(&names, &artifacts);
    errors_warning(file);
    if args.check {
        return check(args, &names, &artifacts);
    }
    // Before writing: the manifest still says what the earlier render wrote.
    if args.prune && prune(args, &names, &artifacts) != EXIT_OK {
        return EXIT_ERROR;
    }
    match render::write(&args.out, &names, &artifacts) {
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

/// A note on stderr for each target that rendered nothing (its part is absent from the
/// topology), so that an empty result is never silent.
fn silent_targets(names: &[&str], artifacts: &[render::Artifact]) {
    let empty: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| !artifacts.iter().any(|a| a.target == *n))
        .collect();
    match empty.as_slice() {
        [] => {}
        [one] => {
            let about = render::targets()
                .iter()
                .find(|t| t.name == *one)
                .map_or("", |t| t.about);
            eprintln!("note: target `{one}` has nothing to render in this topology ({about})");
        }
        many => eprintln!(
            "note: targets {} have nothing to render in this topology",
            many.iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
    if !empty.is_empty() && artifacts.is_empty() {
        eprintln!("note: nothing rendered");
    }
}

/// A warning on stderr when the topology has error findings (as `maa check` reports them,
/// with its configuration): the artifacts implement a topology that breaks its own claims.
fn errors_warning(file: &std::path::Path) {
    let opts = crate::check::Options::default();
    let Ok(report) = crate::check::run(&[file.to_path_buf()], &opts) else {
        return;
    };
    let errors = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == crate::diagnostic::Severity::Error)
        .count();
    if errors > 0 {
        eprintln!(
            "warning: the topology has {errors} error finding(s); the artifacts implement it as it is (`maa check {}` lists them)",
            crate::terminal::path(file)
        );
    }
}

/// `--check`: missing, changed, stale and unexpected files, exit 1 on any.
fn check(args: &RenderArgs, names: &[&str], artifacts: &[render::Artifact]) -> u8 {
    let out = crate::terminal::path(&args.out);
    let drift = match render::drift(&args.out, names, artifacts) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: cannot check `{out}`: {e}");
            return EXIT_ERROR;
        }
    };
    if drift.is_empty() {
        eprintln!(
            "{} artifact(s) in {out} match the topology",
            artifacts.len()
        );
        return EXIT_OK;
    }
    let mut text = String::new();
    for d in &drift {
        match d {
            Drift::Missing(p) => text.push_str(&format!("missing: {p}\n")),
            Drift::Changed { diff, .. } => text.push_str(diff),
            // Names found on disk: a line feed in one would forge a line of the log.
            Drift::Stale(p) => text.push_str(&format!(
                "stale: {} (rendered before, no longer; `maa render --prune` removes it)\n",
                crate::terminal::escape_line(p)
            )),
            Drift::Unexpected(p) => text.push_str(&format!(
                "unexpected: {} (not written by maa)\n",
                crate::terminal::escape_line(p)
            )),
        }
    }
    print_stdout(&crate::terminal::escape(&text));
    eprintln!(
        "{} difference(s) between the topology and {out}; run `maa render` (and `--prune`) to update it",
        drift.len()
    );
    EXIT_FINDINGS
}

/// `--prune`: removes the stale files maa wrote (unchanged since), keeps edited ones. A
/// directory that does not exist yet has nothing stale.
fn prune(args: &RenderArgs, names: &[&str], artifacts: &[render::Artifact]) -> u8 {
    let out = crate::terminal::path(&args.out);
    match render::out::prune(&args.out, names, artifacts) {
        Ok(done) => {
            for p in &done {
                match p {
                    render::Pruned::Removed(p) => {
                        eprintln!("removed {out}/{}", crate::terminal::escape_line(p))
                    }
                    render::Pruned::Kept(p) => eprintln!(
                        "kept {out}/{}: stale, but changed since maa wrote it",
                        crate::terminal::escape_line(p)
                    ),
                }
            }
            EXIT_OK
        }
        Err(e) => {
            eprintln!("error: cannot prune `{out}`: {e}");
            EXIT_ERROR
        }
    }
}
