//! `maa rules` and `maa explain`.

use clap::Args;

use super::{EXIT_ERROR, print_stdout};
use crate::rules;

/// Output format of `maa rules`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RulesFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
    pub format: RulesFormat,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Rule code (`WLS002`) or name (`cluster-single-host`).
    pub rule: String,
}

pub fn rules(args: &RulesArgs) -> u8 {
    match args.format {
        RulesFormat::Json => {
            let docs: Vec<&rules::RuleDoc> = rules::all().iter().map(|r| r.doc()).collect();
            let mut text = serde_json::to_string_pretty(&docs).unwrap_or_default();
            text.push('\n');
            print_stdout(&text)
        }
        RulesFormat::Text => {
            let mut text = String::new();
            for r in rules::all() {
                let d = r.doc();
                text.push_str(&format!(
                    "{:<8} {:<8} {:<36} {}\n",
                    d.code, d.severity, d.name, d.summary
                ));
            }
            print_stdout(&text)
        }
    }
}

/// The full text of one rule's documentation.
pub fn explain_text(doc: &rules::RuleDoc) -> String {
    format!(
        "{} ({}) — {}\nseverity: {}   area: {}   disruptions: {}\n\nWhat\n{}\nWhy\n{}\nExample\n{}\nFix\n{}\nSource\n  {}\n",
        doc.code,
        doc.name,
        doc.summary,
        doc.severity,
        doc.area,
        doc.disruptions
            .iter()
            .map(|d| d.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        indent(&doc.what),
        indent(&doc.why),
        indent(&doc.example),
        indent(&doc.fix),
        doc.source
    )
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| {
            if l.is_empty() {
                "\n".to_owned()
            } else {
                format!("  {l}\n")
            }
        })
        .collect()
}

pub fn explain(args: &ExplainArgs) -> u8 {
    match rules::find(&args.rule) {
        Some(r) => print_stdout(&explain_text(r.doc())),
        None => {
            let names: Vec<String> = rules::all()
                .iter()
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
