//! Sources a user can open. `docs/sources.md` names the three source documents by public
//! title, sections and URL; rule citations use its keys, titles and section names; no
//! user-facing text (rule docs, `maa explain`, SARIF rule help, docs, README, schema,
//! strings in `src/`) names a file under `../shared`, which users do not have; and the
//! recommendation matrix and the rule registry agree in both directions.

// Test code: an unwrap/expect that fails is a failed test. clippy.toml allows them only in
// #[test] and #[cfg(test)] code, which an integration test's helper functions are not.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use regex::Regex;

const SOURCES_MD: &str = "docs/sources.md";
/// The pseudo-section of matrix rows taken from a chapter's text before its first section.
const CHAPTER_INTRO: &str = "(chapter introduction)";

/// A reference to a file under `../shared`: the seed directory, the directory itself, or a
/// seed file name (`<nnn>_<16 hex digits>.txt`).
fn shared_file_ref() -> Regex {
    Regex::new(r"seeds/|\.\./shared|_[0-9a-f]{16}\.txt").unwrap()
}

fn rule_code() -> Regex {
    Regex::new(r"\b(?:FE|WLS|COH|DB|GG|GDS|CLI|CMAN|AWS|SPOF|OBJ|MAA)[0-9]{3}\b").unwrap()
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(common::root().join(rel))
        .unwrap_or_else(|e| panic!("cannot read {rel}: {e}"))
}

/// One source document as `docs/sources.md` declares it.
#[derive(Debug)]
struct Source {
    cite_as: String,
    sections: BTreeSet<String>,
}

/// One row of the recommendation matrix (`X` rows: the extensions table, no section).
#[derive(Debug)]
struct Row {
    id: String,
    key: Option<String>,
    section: Option<String>,
    check: String,
    notes: String,
    line: String,
}

/// The text of the `## <title>` part of a Markdown document.
fn part<'t>(text: &'t str, title: &str) -> &'t str {
    let start = text
        .find(&format!("\n## {title}\n"))
        .unwrap_or_else(|| panic!("{SOURCES_MD} has no `## {title}` section"));
    let rest = &text[start + 1..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |e| e + 3);
    &rest[..end]
}

/// The `[KEY]` a heading line starts with, if any.
fn heading_key(line: &str) -> Option<String> {
    let rest = line.strip_prefix("### [")?;
    let end = rest.find(']')?;
    Some(format!("[{}]", &rest[..end]))
}

/// Keys, "Cite as" titles and section names of the three sources.
fn sources(text: &str) -> BTreeMap<String, Source> {
    sources_in(text, "The three sources")
}

/// Keys, "Cite as" titles and section names of the further references (Oracle manuals a
/// rule cites besides the three sources; they have no matrix of their own).
fn further(text: &str) -> BTreeMap<String, Source> {
    sources_in(text, "Further references")
}

fn sources_in(text: &str, title: &str) -> BTreeMap<String, Source> {
    let mut out: BTreeMap<String, Source> = BTreeMap::new();
    let mut key: Option<String> = None;
    for line in part(text, title).lines() {
        if line.starts_with("### ") {
            key = heading_key(line);
            if let Some(k) = &key {
                out.insert(
                    k.clone(),
                    Source {
                        cite_as: String::new(),
                        sections: BTreeSet::new(),
                    },
                );
            }
            continue;
        }
        let Some(src) = key.as_ref().and_then(|k| out.get_mut(k)) else {
            continue;
        };
        if let Some(rest) = line.strip_prefix("Cite as: `") {
            src.cite_as = rest.trim_end_matches('`').to_owned();
        } else if let Some(rest) = line.strip_prefix("- \"") {
            src.sections.insert(rest.trim_end_matches('"').to_owned());
        }
    }
    out
}

/// The rows of the recommendation matrix and of the extensions table.
fn matrix(text: &str) -> Vec<Row> {
    let id_re = Regex::new(r"^[AWDX][0-9]{2,3}$").unwrap();
    let mut rows = Vec::new();
    let mut key: Option<String> = None;
    for line in part(text, "Recommendation matrix").lines() {
        if line.starts_with("### ") {
            key = heading_key(line);
            continue;
        }
        let Some(inner) = line.strip_prefix("| ").and_then(|l| l.strip_suffix(" |")) else {
            continue;
        };
        let cells: Vec<String> = inner.split(" | ").map(|c| c.trim().to_owned()).collect();
        if !id_re.is_match(&cells[0]) {
            continue;
        }
        let with_section = !cells[0].starts_with('X');
        let width = if with_section { 5 } else { 4 };
        assert_eq!(
            cells.len(),
            width,
            "{SOURCES_MD}: row {} has {} cells, expected {width} (a `|` inside a cell?): {line}",
            cells[0],
            cells.len()
        );
        let (section, check, notes) = if with_section {
            (Some(cells[1].clone()), cells[3].clone(), cells[4].clone())
        } else {
            (None, cells[2].clone(), cells[3].clone())
        };
        rows.push(Row {
            id: cells[0].clone(),
            key: if with_section { key.clone() } else { None },
            section,
            check,
            notes,
            line: line.to_owned(),
        });
    }
    rows
}

/// Every file under `dir` (recursively), sorted.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let p = e.unwrap().path();
            let ft = std::fs::symlink_metadata(&p).unwrap().file_type();
            if ft.is_dir() {
                stack.push(p);
            } else if ft.is_file() {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// `where: line` for every line of `text` naming a file under `../shared`.
fn offending(text: &str, place: &str) -> Vec<String> {
    let re = shared_file_ref();
    text.lines()
        .enumerate()
        .filter(|(_, l)| re.is_match(l))
        .map(|(i, l)| format!("{place}:{}: {}", i + 1, l.trim()))
        .collect()
}

#[test]
fn the_shared_file_pattern_catches_what_users_cannot_open() {
    let re = shared_file_ref();
    for bad in [
        "source: seeds/001_e614249d9488241d.txt, section \"Leasing\"",
        "see ../shared/reference/oracle.md",
        "000_6a8bb5767d855a51.txt",
    ] {
        assert!(re.is_match(bad), "not caught: {bad}");
    }
    for good in [
        "[WLS-MAA] Common Design Considerations for High Availability and Disaster Recovery, section \"Leasing\"",
        "docs/sources.md",
        "shared storage",
    ] {
        assert!(!re.is_match(good), "caught by mistake: {good}");
    }
}

#[test]
fn no_user_facing_file_names_a_file_under_shared() {
    let root = common::root();
    let mut files: Vec<PathBuf> = vec![root.join("README.md")];
    for dir in ["rules", "docs", "schemas", "src"] {
        files.extend(files_under(&root.join(dir)));
    }
    let files: Vec<PathBuf> = files
        .into_iter()
        .filter(|p| {
            let ext = p.extension().and_then(|e| e.to_str()).unwrap_or_default();
            p.starts_with(root.join("src")) || matches!(ext, "md" | "yaml" | "yml" | "json" | "txt")
        })
        .collect();
    assert!(
        files.len() > 100,
        "only {} files scanned: the walk is broken",
        files.len()
    );
    let mut bad = Vec::new();
    for f in &files {
        let Ok(text) = std::fs::read_to_string(f) else {
            continue; // binary (images)
        };
        let rel = f.strip_prefix(&root).unwrap_or(f).display().to_string();
        bad.extend(offending(&text, &rel));
    }
    assert!(
        bad.is_empty(),
        "user-facing files name files under ../shared (cite the public title and section from {SOURCES_MD} instead):\n{}",
        bad.join("\n")
    );
}

#[test]
fn rule_docs_and_explain_text_name_no_file_under_shared() {
    let mut bad = Vec::new();
    for r in maa::rules::catalogue() {
        let d = r.doc();
        let json = serde_json::to_string_pretty(d).unwrap();
        bad.extend(offending(&json, &format!("rule doc {}", d.code)));
        bad.extend(offending(r.source(), &format!("rules/{}.yaml", d.code)));
        let explain = maa::report::docs::explain_text(d);
        bad.extend(offending(&explain, &format!("explain_text({})", d.code)));
        assert!(
            explain.contains(&d.source),
            "{}: explain text lacks the source",
            d.code
        );
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn maa_explain_of_every_rule_cites_a_public_source() {
    for r in maa::rules::catalogue() {
        let d = r.doc();
        let out = common::maa().args(["explain", &d.code]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "maa explain {}", d.code);
        let text = String::from_utf8_lossy(&out.stdout);
        let bad = offending(&text, &format!("maa explain {}", d.code));
        assert!(bad.is_empty(), "{}", bad.join("\n"));
        assert!(
            text.contains(&d.source),
            "maa explain {} does not show the citation `{}`",
            d.code,
            d.source
        );
    }
}

#[test]
fn sarif_rule_help_cites_public_sources() {
    let out = common::maa()
        .args([
            "check",
            "--format",
            "sarif",
            "--fail-on",
            "never",
            "topologies/active-passive-rac.yaml",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let bad = offending(&text, "SARIF");
    assert!(bad.is_empty(), "{}", bad.join("\n"));
    let sarif: serde_json::Value = serde_json::from_str(&text).unwrap();
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("SARIF run without rule descriptors");
    let mut seen = BTreeSet::new();
    for desc in rules {
        let id = desc["id"].as_str().unwrap_or_default();
        let Some(r) = maa::rules::find(id) else {
            continue; // load/* descriptors
        };
        let source = &r.doc().source;
        for field in ["text", "markdown"] {
            let help = desc["help"][field].as_str().unwrap_or_default();
            assert!(
                help.contains(source.as_str()),
                "SARIF help.{field} of {id} lacks the citation `{source}`"
            );
        }
        seen.insert(id.to_owned());
    }
    // Every checking rule is described; the suppression codes (MAA001-MAA003) only when used.
    let all: BTreeSet<String> = maa::rules::all()
        .iter()
        .map(|r| r.doc().code.clone())
        .collect();
    assert!(
        all.is_subset(&seen),
        "SARIF must describe every rule with its citation; missing {:?}",
        all.difference(&seen).collect::<Vec<_>>()
    );
}

#[test]
fn rule_citations_use_the_keys_titles_and_sections_of_sources_md() {
    let text = read(SOURCES_MD);
    let srcs = sources(&text);
    let keys: BTreeSet<&str> = srcs.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        BTreeSet::from(["[AWS-FSXN]", "[DB-HA]", "[WLS-MAA]"]),
        "{SOURCES_MD} must declare the three sources"
    );
    for (k, s) in &srcs {
        assert!(
            s.cite_as.starts_with(&format!("{k} ")),
            "{k}: `Cite as` must start with the key: {:?}",
            s.cite_as
        );
        assert!(s.sections.len() >= 5, "{k}: sections not listed");
    }
    let more = further(&text);
    for (k, s) in &more {
        assert!(
            s.cite_as.starts_with(&format!("{k} "))
                && !s.sections.is_empty()
                && !keys.contains(k.as_str()),
            "{k}: a further reference needs its own key, a `Cite as` starting with it and its sections"
        );
    }
    let ext_rows: BTreeMap<String, Row> = matrix(&text)
        .into_iter()
        .filter(|r| r.id.starts_with('X'))
        .map(|r| (r.id.clone(), r))
        .collect();
    let quoted = Regex::new(r#""([^"]+)""#).unwrap();
    let ext_row = Regex::new(r"row (X[0-9]{2})").unwrap();
    let mut problems = Vec::new();
    for r in maa::rules::catalogue() {
        let d = r.doc();
        for cite in d.source.split("; ") {
            if cite.starts_with("maa extension") {
                match ext_row.captures(cite).map(|c| c[1].to_owned()) {
                    Some(id) if ext_rows.get(&id).is_some_and(|row| row.check.contains(&d.code)) => {}
                    other => problems.push(format!(
                        "{}: `maa extension` must name an extensions row of {SOURCES_MD} listing the rule (found {other:?})",
                        d.code
                    )),
                }
                continue;
            }
            let Some(src) = srcs
                .values()
                .chain(more.values())
                .find(|s| cite.starts_with(&s.cite_as))
            else {
                problems.push(format!(
                    "{}: citation does not start with a `Cite as` title of {SOURCES_MD}: {cite}",
                    d.code
                ));
                continue;
            };
            let rest = &cite[src.cite_as.len()..];
            if !(rest.starts_with(", section \"") || rest.starts_with(", sections \"")) {
                problems.push(format!(
                    "{}: title must be followed by `, section \"…\"`: {cite}",
                    d.code
                ));
            }
            for c in quoted.captures_iter(rest) {
                if !src.sections.contains(&c[1]) {
                    problems.push(format!(
                        "{}: section \"{}\" is not a section of {} in {SOURCES_MD}",
                        d.code, &c[1], src.cite_as
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn matrix_covers_every_section_and_traces_every_rule() {
    let text = read(SOURCES_MD);
    let srcs = sources(&text);
    let rows = matrix(&text);
    assert!(rows.len() > 150, "only {} matrix rows parsed", rows.len());
    let code_re = rule_code();
    let mut problems = Vec::new();
    let mut ids = BTreeSet::new();
    let mut covered: BTreeSet<(String, String)> = BTreeSet::new();
    let mut traced: BTreeSet<String> = BTreeSet::new();
    let prefix_of = |key: &str| match key {
        "[AWS-FSXN]" => 'A',
        "[WLS-MAA]" => 'W',
        "[DB-HA]" => 'D',
        _ => '?',
    };
    for row in &rows {
        if !ids.insert(row.id.clone()) {
            problems.push(format!("row {} appears twice", row.id));
        }
        for m in code_re.find_iter(&row.line) {
            if maa::rules::find(m.as_str()).is_none_or(|r| r.doc().code != m.as_str()) {
                problems.push(format!(
                    "row {} names {}, which is not a rule",
                    row.id,
                    m.as_str()
                ));
            }
        }
        let codes: Vec<&str> = code_re.find_iter(&row.check).map(|m| m.as_str()).collect();
        traced.extend(codes.iter().map(|c| (*c).to_owned()));
        let says_model = row.check.contains("model:");
        let not_checkable = row.check.contains("not checkable:");
        let gap = row.check.contains("GAP");
        if codes.is_empty() && !says_model && !not_checkable && !gap {
            problems.push(format!(
                "row {}: the Check column names no rule, `model:`, `not checkable:` or `GAP`: {:?}",
                row.id, row.check
            ));
        }
        if gap && row.notes.is_empty() {
            problems.push(format!(
                "row {}: a GAP needs the proposed check in Notes",
                row.id
            ));
        }
        if row.id.starts_with('X') {
            if codes.is_empty() || row.notes.is_empty() {
                problems.push(format!("extension row {} needs rules and a reason", row.id));
            }
            continue;
        }
        let Some(key) = &row.key else {
            problems.push(format!("row {} is not under a `### [KEY]` heading", row.id));
            continue;
        };
        if !row.id.starts_with(prefix_of(key)) {
            problems.push(format!("row {} is filed under {key}", row.id));
        }
        let section = row.section.clone().unwrap_or_default();
        match srcs.get(key) {
            Some(s) if s.sections.contains(&section) || section == CHAPTER_INTRO => {
                covered.insert((key.clone(), section));
            }
            _ => problems.push(format!(
                "row {}: `{section}` is not a section of {key} listed in {SOURCES_MD}",
                row.id
            )),
        }
    }
    for (k, s) in &srcs {
        for sec in &s.sections {
            if !covered.contains(&(k.clone(), sec.clone())) {
                problems.push(format!("{k} section \"{sec}\" has no row in the matrix"));
            }
        }
    }
    for r in maa::rules::catalogue() {
        if !traced.contains(&r.doc().code) {
            problems.push(format!(
                "{} appears in no Check cell of the matrix: trace it to a recommendation or list it as an extension",
                r.doc().code
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
