//! `maa rules` and `maa explain`.

use clap::Args;

use super::{EXIT_ERROR, EXIT_OK, print_stdout};
use crate::rules;

/// Output format of `maa rules`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RulesFormat {
    Text,
    Json,
    /// The documentation pages (`docs/rules/README.md` and one page per rule).
    Markdown,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
    pub format: RulesFormat,
    /// With `--format markdown`: write `README.md` and `<CODE>.md` into this directory
    /// (e.g. `docs/rules`) instead of printing them.
    #[arg(long, value_name = "DIR")]
    pub out: Option<std::path::PathBuf>,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Rule code (`WLS002`) or name (`cluster-single-host`).
    pub rule: String,
}

pub fn rules(args: &RulesArgs) -> u8 {
    match args.format {
        RulesFormat::Markdown => {
            let pages = markdown_pages();
            match &args.out {
                Some(dir) => {
                    if let Err(e) = std::fs::create_dir_all(dir) {
                        eprintln!("error: cannot create `{}`: {e}", dir.display());
                        return EXIT_ERROR;
                    }
                    for (name, text) in &pages {
                        if let Err(e) = crate::fsio::write_atomic(&dir.join(name), text.as_bytes())
                        {
                            eprintln!("error: cannot write `{}`: {e}", dir.join(name).display());
                            return EXIT_ERROR;
                        }
                    }
                    EXIT_OK
                }
                None => print_stdout(
                    &pages
                        .iter()
                        .map(|(_, t)| t.as_str())
                        .collect::<Vec<_>>()
                        .join("\n"),
                ),
            }
        }
        RulesFormat::Json => {
            let docs: Vec<&rules::RuleDoc> = rules::catalogue().map(|r| r.doc()).collect();
            let mut text = serde_json::to_string_pretty(&docs).unwrap_or_default();
            text.push('\n');
            print_stdout(&text)
        }
        RulesFormat::Text => {
            let mut text = String::new();
            for r in rules::catalogue() {
                let d = r.doc();
                text.push_str(&format!(
                    "{:<8} {:<8} {:<44} {}\n",
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

/// Markdown-safe inline text (table cells): pipes and newlines escaped.
fn cell(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}

/// A fenced block whose fence is longer than any backtick run inside.
fn fenced(lang: &str, body: &str) -> String {
    let longest = body.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    format!("{fence}{lang}\n{}\n{fence}\n", body.trim_end())
}

/// One rule's documentation page.
pub fn markdown_page(d: &rules::RuleDoc) -> String {
    let mut s = format!("# {} `{}`\n\n", d.code, d.name);
    s.push_str(&format!("{}\n\n", d.summary.trim()));
    s.push_str(&format!(
        "- **Severity:** {}\n- **Area:** {}\n",
        d.severity, d.area
    ));
    let dis: Vec<&str> = d.disruptions.iter().map(|x| x.as_str()).collect();
    if !dis.is_empty() {
        s.push_str(&format!("- **Disruptions:** {}\n", dis.join(", ")));
    }
    if !d.aliases.is_empty() {
        s.push_str(&format!(
            "- **Former names:** {}\n",
            d.aliases
                .iter()
                .map(|a| format!("`{a}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    s.push_str(&format!("- **Source:** {}\n\n", cell(&d.source)));
    s.push_str(&format!("## What it checks\n\n{}\n\n", d.what.trim()));
    s.push_str(&format!("## Why\n\n{}\n\n", d.why.trim()));
    s.push_str(&format!("## Example\n\n{}\n", fenced("yaml", &d.example)));
    s.push_str(&format!("## Fix\n\n{}\n\n", d.fix.trim()));
    s.push_str(&format!(
        "## Suppress\n\n{}\n---\nGenerated by `maa rules --format markdown --out docs/rules` from `rules/{}.yaml`.\n",
        fenced("yaml", &format!("# maa: ignore[{}] <reason>   (on or above the object's line)", d.name)),
        d.code
    ));
    s
}

/// `docs/rules/README.md`: the index of every rule.
pub fn markdown_index() -> String {
    let mut s = String::from(
        "# Rules\n\nEvery rule `maa check` applies. Codes are stable forever; names are accepted wherever a code is \
         (`select`, `ignore`, suppressions, `maa explain`). See [the intent mapping](../rule-intents.md) and \
         [configuration](../configuration.md).\n\n| Code | Name | Severity | Area | Summary |\n|---|---|---|---|---|\n",
    );
    for r in rules::catalogue() {
        let d = r.doc();
        s.push_str(&format!(
            "| [{}]({}.md) | `{}` | {} | {} | {} |\n",
            d.code,
            d.code,
            d.name,
            d.severity,
            d.area,
            cell(&d.summary)
        ));
    }
    s.push_str(
        "\n---\nGenerated by `maa rules --format markdown --out docs/rules` from `rules/*.yaml`.\n",
    );
    s
}

/// Every documentation page: (`file name`, text), index first.
pub fn markdown_pages() -> Vec<(String, String)> {
    let mut v = vec![("README.md".to_owned(), markdown_index())];
    v.extend(rules::catalogue().map(|r| (format!("{}.md", r.doc().code), markdown_page(r.doc()))));
    v
}
