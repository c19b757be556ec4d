//! `maa man`: the manual pages, maa(1) and one per subcommand (maa-check(1), …), made from
//! the same definitions as `--help` (clap_mangen for name, synopsis, description and
//! options; the examples and exit status paragraphs of each `--help`, [`super::help`]).

use std::path::PathBuf;

use clap::{Args, CommandFactory};

use super::{Cli, EXIT_ERROR, EXIT_OK, print_stdout};

#[derive(Debug, Args)]
#[command(after_help = super::help::MAN)]
pub struct ManArgs {
    /// The subcommand whose page to print (`check`, `simulate`, …); without one, maa(1).
    #[arg(value_name = "SUBCOMMAND")]
    pub command: Option<String>,
    /// Write every page (`maa.1`, `maa-check.1`, …) into this directory instead.
    #[arg(long, value_name = "DIR", conflicts_with = "command")]
    pub out: Option<PathBuf>,
}

pub(super) fn run(args: &ManArgs) -> u8 {
    let pages = match pages() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: cannot render the manual pages: {e}");
            return EXIT_ERROR;
        }
    };
    if let Some(dir) = &args.out {
        return match crate::render::out::write_files(dir, &pages) {
            Ok(written) => {
                eprintln!(
                    "wrote {} pages to `{}`",
                    written.len(),
                    crate::terminal::path(dir)
                );
                EXIT_OK
            }
            Err(e) => {
                eprintln!("error: {e}");
                EXIT_ERROR
            }
        };
    }
    let want = match &args.command {
        None => "maa.1".to_owned(),
        Some(c) => format!("maa-{c}.1"),
    };
    if let Some((_, text)) = pages.iter().find(|(name, _)| *name == want) {
        return print_stdout(text);
    }
    let names: Vec<String> = subcommands(&built())
        .iter()
        .map(|c| c.get_name().to_owned())
        .collect();
    let asked = args.command.as_deref().unwrap_or_default();
    let hint = crate::diagnostic::suggest(asked, names.iter().map(String::as_str))
        .map(|s| format!("; did you mean `{s}`?"))
        .unwrap_or_default();
    eprintln!(
        "error: no subcommand `{}`{hint} (subcommands: {})",
        crate::terminal::escape_line(asked),
        names.join(", ")
    );
    EXIT_ERROR
}

fn built() -> clap::Command {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    cmd
}

fn subcommands(cmd: &clap::Command) -> Vec<clap::Command> {
    cmd.get_subcommands()
        .filter(|s| !s.is_hide_set())
        .cloned()
        .collect()
}

/// Every page: (file name, roff text), maa.1 first.
pub fn pages() -> std::io::Result<Vec<(String, String)>> {
    let top = built();
    let subs = subcommands(&top);
    let see_also: Vec<String> = subs.iter().map(page_name).collect();
    let mut out = vec![("maa.1".to_owned(), page(&top, super::help::TOP, &see_also)?)];
    for sub in &subs {
        let after = sub.get_after_help().map(ToString::to_string);
        let text = page(sub, after.as_deref().unwrap_or_default(), &["maa".into()])?;
        out.push((format!("{}.1", page_name(sub)), text));
    }
    Ok(out)
}

fn page_name(cmd: &clap::Command) -> String {
    cmd.get_display_name()
        .unwrap_or_else(|| cmd.get_name())
        .to_owned()
}

fn page(cmd: &clap::Command, after_help: &str, see_also: &[String]) -> std::io::Result<String> {
    let man = clap_mangen::Man::new(cmd.clone())
        .manual("maa manual")
        .source(concat!("maa ", env!("CARGO_PKG_VERSION")));
    let mut buf = Vec::new();
    man.render_title(&mut buf)?;
    man.render_name_section(&mut buf)?;
    man.render_synopsis_section(&mut buf)?;
    man.render_description_section(&mut buf)?;
    man.render_options_section(&mut buf)?;
    if cmd.has_subcommands() {
        man.render_subcommands_section(&mut buf)?;
    }
    let mut text = String::from_utf8_lossy(&buf).into_owned();
    text.push_str(&sections(after_help));
    text.push_str(".SH \"SEE ALSO\"\n");
    let refs: Vec<String> = see_also
        .iter()
        .map(|name| format!(".BR {} (1)", escape(name)))
        .collect();
    text.push_str(&refs.join(",\n"));
    text.push('\n');
    let mut version = Vec::new();
    man.render_version_section(&mut version)?;
    text.push_str(&String::from_utf8_lossy(&version));
    Ok(ascii(&text))
}

/// Non-ASCII characters as groff's Unicode escapes (`×` → `\[u00D7]`): the page reads the
/// same with or without preconv.
fn ascii(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            out.push_str(&format!("\\[u{:04X}]", u32::from(c)));
        }
    }
    out
}

/// The paragraphs after the options (`Examples…:`, `Exit status:`, others) as roff sections.
fn sections(after_help: &str) -> String {
    let mut examples = String::new();
    let mut exit = String::new();
    let mut notes = String::new();
    for paragraph in after_help.split("\n\n") {
        let mut lines = paragraph.lines();
        let head = lines.next().unwrap_or_default();
        if let Some(rest) = head.strip_prefix("Examples") {
            let note = rest.trim_end_matches(':').trim();
            let note = note.trim_start_matches('(').trim_end_matches(')');
            if !note.is_empty() {
                examples.push_str(&format!(".PP\n{}.\n", escape(&capitalise(note))));
            }
            examples.push_str(".PP\n.EX\n");
            for line in lines {
                examples.push_str(&format!("{}\n", escape(line.trim())));
            }
            examples.push_str(".EE\n");
        } else if head.starts_with("Exit status") {
            for line in lines {
                let (code, what) = line.trim().split_once(' ').unwrap_or((line.trim(), ""));
                exit.push_str(&format!(
                    ".TP\n.B {}\n{}\n",
                    escape(code),
                    escape(what.trim())
                ));
            }
        } else {
            notes.push_str(&format!(".PP\n{}\n", escape(&paragraph.replace('\n', " "))));
        }
    }
    let mut out = String::new();
    for (title, body) in [
        ("EXAMPLES", examples),
        ("\"EXIT STATUS\"", exit),
        ("NOTES", notes),
    ] {
        if !body.is_empty() {
            out.push_str(&format!(".SH {title}\n{body}"));
        }
    }
    out
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// One line of roff text: backslashes and hyphen-minus escaped, no line starts a request.
fn escape(line: &str) -> String {
    let text = line.replace('\\', "\\e").replace('-', "\\-");
    if text.starts_with('.') || text.starts_with('\'') {
        format!("\\&{text}")
    } else {
        text
    }
}
