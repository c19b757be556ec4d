//! `maa rules` and `maa explain` (texts from [`crate::report::docs`]).

use clap::Args;

use super::{EXIT_ERROR, EXIT_OK, print_stdout};
use crate::report::docs::{self, RulesFormat};
use crate::rules;

#[derive(Debug, Args)]
#[command(after_help = super::help::RULES)]
pub struct RulesArgs {
    #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
    pub format: RulesFormat,
    /// With `--format markdown`: write `README.md` and `<CODE>.md` into this directory
    /// (e.g. `docs/rules`) instead of printing them.
    #[arg(long, value_name = "DIR")]
    pub out: Option<std::path::PathBuf>,
}

#[derive(Debug, Args)]
#[command(after_help = super::help::EXPLAIN)]
pub struct ExplainArgs {
    /// Rule code (`WLS002`) or name (`cluster-single-host`).
    pub rule: String,
}

pub(super) fn rules(args: &RulesArgs) -> u8 {
    match args.format {
        RulesFormat::Markdown => {
            let pages = docs::markdown_pages();
            match &args.out {
                Some(dir) => match crate::render::out::write_files(dir, &pages) {
                    Ok(_) => EXIT_OK,
                    Err(e) => {
                        eprintln!("error: {e}");
                        EXIT_ERROR
                    }
                },
                None => print_stdout(
                    &pages
                        .iter()
                        .map(|(_, t)| t.as_str())
                        .collect::<Vec<_>>()
                        .join("\n"),
                ),
            }
        }
        RulesFormat::Json => print_stdout(&docs::rules_json()),
        RulesFormat::Text => print_stdout(&docs::rules_text()),
    }
}

pub(super) fn explain(args: &ExplainArgs) -> u8 {
    match rules::find(&args.rule) {
        Some(r) => print_stdout(&docs::explain_text(r.doc())),
        None => {
            let names: Vec<String> = rules::catalogue()
                .flat_map(|r| [r.doc().code.clone(), r.doc().name.clone()])
                .collect();
            let hint = crate::diagnostic::suggest(&args.rule, names.iter().map(String::as_str))
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            eprintln!(
                "error: no rule `{}`{hint} (`maa rules` lists them)",
                args.rule
            );
            EXIT_ERROR
        }
    }
}
