//! SARIF 2.1.0 output, shaped for GitHub code scanning: `$schema`, one run, rule metadata
//! with short/full description and help, repository-relative URIs, 1-based regions.

use std::collections::BTreeMap;
use std::path::Path;

use serde_sarif::sarif::{
    ArtifactLocation, Location, Message, MultiformatMessageString, PhysicalLocation, PropertyBag,
    Region, ReportingConfiguration, ReportingDescriptor, Result as SarifResult, ResultLevel, Run,
    Sarif, Suppression, Tool, ToolComponent,
};

use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::rules;
use crate::suppress::{Acceptance, Suppressed};

/// Schema URI GitHub accepts for SARIF 2.1.0.
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn result_level(s: Severity) -> ResultLevel {
    match s {
        Severity::Error => ResultLevel::Error,
        Severity::Warning => ResultLevel::Warning,
        Severity::Info => ResultLevel::Note,
    }
}

fn text(t: impl Into<String>) -> MultiformatMessageString {
    MultiformatMessageString::builder().text(t.into()).build()
}

/// A repository-relative URI for a path: relative to the root of the repository holding
/// the file (the directory holding `.git`), whatever the working directory, so that code
/// scanning maps it when `maa` runs from a sub-directory. A file in no repository (or that
/// cannot be resolved) keeps its path relative to the working directory.
pub fn artifact_uri(path: &str) -> String {
    let p = Path::new(path);
    let s = repository_path(path);
    let encoded: String = s
        .chars()
        .flat_map(|c| match c {
            ' ' => "%20".chars().collect::<Vec<_>>(),
            '%' => "%25".chars().collect(),
            '#' => "%23".chars().collect(),
            '?' => "%3F".chars().collect(),
            c => vec![c],
        })
        .collect();
    if p.is_absolute() && Path::new(&s).is_absolute() {
        format!("file://{encoded}")
    } else {
        encoded
    }
}

/// The path [`artifact_uri`] encodes: `/`-separated, relative to the root of the
/// repository holding the file, else to the working directory, else as given.
pub fn repository_path(path: &str) -> String {
    let p = Path::new(path);
    let rel = match repository_relative(p) {
        Some(r) => r,
        None if p.is_absolute() => std::env::current_dir()
            .ok()
            .and_then(|cwd| p.strip_prefix(cwd).ok().map(Path::to_path_buf))
            .unwrap_or_else(|| p.to_path_buf()),
        None => p.to_path_buf(),
    };
    let s = rel.to_string_lossy().replace('\\', "/");
    s.trim_start_matches("./").to_owned()
}

/// `path` relative to the root of its repository, both resolved.
fn repository_relative(path: &Path) -> Option<std::path::PathBuf> {
    let real = std::fs::canonicalize(path).ok()?;
    let root = crate::config::discovery::repository_root(real.parent()?)?;
    real.strip_prefix(&root).ok().map(Path::to_path_buf)
}

fn descriptor_for_rule(doc: &rules::RuleDoc) -> ReportingDescriptor {
    let help = format!(
        "{}\n\nWhy: {}\nFix: {}\nSource: {}",
        doc.summary,
        doc.why.trim(),
        doc.fix.trim(),
        doc.source
    );
    let markdown = format!(
        "**{}** ({})\n\n{}\n\n**Why.** {}\n\n**Fix.** {}\n\n**Source.** {}\n\n```yaml\n{}```\n",
        doc.code,
        doc.name,
        doc.what.trim(),
        doc.why.trim(),
        doc.fix.trim(),
        doc.source,
        doc.example
    );
    let mut tags = vec!["maa".to_owned(), doc.area.clone()];
    tags.extend(
        doc.disruptions
            .iter()
            .map(|d| format!("disruption:{}", d.as_str())),
    );
    ReportingDescriptor::builder()
        .id(doc.code.clone())
        .name(doc.name.clone())
        .short_description(text(truncate(&doc.summary, 1000)))
        .full_description(text(truncate(doc.what.trim(), 1000)))
        .help(
            MultiformatMessageString::builder()
                .text(help)
                .markdown(markdown)
                .build(),
        )
        .help_uri(doc.url())
        .default_configuration(
            ReportingConfiguration::builder()
                .level(serde_json::Value::from(level(doc.severity)))
                .build(),
        )
        .properties(PropertyBag::builder().tags(tags).build())
        .build()
}

fn descriptor_for_load(code: &str) -> ReportingDescriptor {
    let (short, full) = match Code::parse(code) {
        Some(Code::LoadUnknownKey) => (
            "Unknown key in the topology",
            "A key that the topology format does not define; usually a typo.",
        ),
        Some(Code::LoadUnknownReference) => (
            "Reference to an undeclared object",
            "A name that refers to a host, site, cluster or other object that is not declared.",
        ),
        Some(Code::LoadDuplicateName) => (
            "Name declared twice",
            "Two objects of the same kind share a name.",
        ),
        Some(Code::LoadDuplicateKey) => ("Duplicate mapping key", "A YAML mapping repeats a key."),
        Some(Code::LoadMissingField) => (
            "Required key missing",
            "An object lacks a key the format requires.",
        ),
        Some(Code::LoadWrongType) => (
            "Value of the wrong type",
            "A value is not of the type the format requires.",
        ),
        Some(Code::LoadLimit) => (
            "Input refused by safety limits",
            "The YAML exceeds the parser's depth, size or alias limits.",
        ),
        Some(Code::LoadNotUtf8) => ("File is not UTF-8", "Topology files must be UTF-8 text."),
        Some(Code::LoadEmpty) => ("Empty file", "The file holds no topology."),
        _ => (
            "Topology does not load",
            "The topology file could not be loaded; see the message.",
        ),
    };
    ReportingDescriptor::builder()
        .id(code.to_owned())
        .name(
            Code::parse(code)
                .filter(|c| c.is_load())
                .map_or_else(|| code.to_owned(), |c| c.name().to_owned()),
        )
        .short_description(text(short))
        .full_description(text(full))
        .help(text(format!(
            "{full} Fix the file at the marked location; `maa schema` prints the format."
        )))
        .default_configuration(
            ReportingConfiguration::builder()
                .level(serde_json::Value::from("error"))
                .build(),
        )
        .build()
}

/// A line or column as SARIF's integer (saturating; a file has far fewer lines than `i64::MAX`).
fn sarif_int(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        s.chars().take(max - 1).collect::<String>() + "…"
    }
}

/// A stable hash of the rule, the object and the text of the flagged line (whitespace
/// removed), so that an alert survives edits elsewhere in the file: `<16 hex digits>:1`.
fn line_hash(d: &Diagnostic) -> String {
    let (line, _) = d.line_col();
    let text: String = d
        .file
        .text
        .lines()
        .nth(line.saturating_sub(1))
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    // FNV-1a, 64 bits: deterministic across platforms and releases.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in d
        .code
        .bytes()
        .chain([0])
        .chain(d.object.bytes())
        .chain([0])
        .chain(text.bytes())
    {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}:1")
}

/// A SARIF region (1-based; never empty, as GitHub requires).
fn region(d: &Diagnostic, span: miette::SourceSpan) -> Region {
    let (line, col) = d.file.line_col(span.offset());
    let (end_line, end_col) = d.file.line_col(span.offset() + span.len());
    let end_col = if (end_line, end_col) <= (line, col) {
        col + 1
    } else {
        end_col
    };
    let end_line = end_line.max(line);
    Region::builder()
        .start_line(sarif_int(line))
        .start_column(sarif_int(col))
        .end_line(sarif_int(end_line))
        .end_column(sarif_int(end_col))
        .build()
}

fn location(uri: &str, region: Region) -> Location {
    Location::builder()
        .physical_location(
            PhysicalLocation::builder()
                .artifact_location(ArtifactLocation::builder().uri(uri.to_owned()).build())
                .region(region)
                .build(),
        )
        .build()
}

/// One SARIF result for a diagnostic.
fn result(d: &Diagnostic, uri: &str) -> SarifResult {
    let mut message = d.message.clone();
    if let Some(h) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(h);
    }
    let mut fingerprints = BTreeMap::new();
    fingerprints.insert(
        "maaObject/v1".to_owned(),
        format!("{}:{uri}:{}", d.code, d.object),
    );
    // GitHub tracks alerts by this hash; the REST upload API does not compute it.
    fingerprints.insert("primaryLocationLineHash".to_owned(), line_hash(d));
    SarifResult::builder()
        .rule_id(d.code.clone())
        .level(result_level(d.severity))
        .message(Message::builder().text(message).build())
        .locations(vec![location(uri, region(d, d.span))])
        .partial_fingerprints(fingerprints)
        .build()
}

/// The SARIF suppression of an accepted finding: `inSource` for an inline comment (located
/// at the comment), `external` for a configuration suppression or a baseline.
fn suppression(s: &Suppressed, uri: &str) -> Suppression {
    let b = Suppression::builder()
        .justification(s.justification())
        .status(serde_json::Value::from("accepted"));
    match &s.by {
        Acceptance::Inline { comment } => b
            .kind(serde_json::Value::from("inSource"))
            .location(location(uri, region(&s.finding, *comment)))
            .build(),
        Acceptance::Config { .. } | Acceptance::Baseline { .. } => {
            b.kind(serde_json::Value::from("external")).build()
        }
    }
}

/// Renders diagnostics as a SARIF 2.1.0 log with one run.
pub fn render(diags: &[Diagnostic]) -> String {
    render_with_suppressed(diags, &[])
}

/// Renders diagnostics, then the accepted findings (each with its `suppressions`), as a
/// SARIF 2.1.0 log with one run.
pub fn render_with_suppressed(diags: &[Diagnostic], suppressed: &[Suppressed]) -> String {
    let accepted = suppressed.iter().map(|s| &s.finding);
    let mut descriptors: BTreeMap<String, ReportingDescriptor> = BTreeMap::new();
    for rule in rules::all() {
        let doc = rule.doc();
        descriptors.insert(doc.code.clone(), descriptor_for_rule(doc));
    }
    for d in diags.iter().chain(accepted.clone()) {
        if !descriptors.contains_key(&d.code) {
            descriptors.insert(d.code.clone(), descriptor_for_load(&d.code));
        }
    }
    // One URI per file (resolving a path and finding its repository touches the disk).
    let mut uris: BTreeMap<&str, String> = BTreeMap::new();
    for d in diags.iter().chain(accepted) {
        uris.entry(d.file.path.as_str())
            .or_insert_with(|| artifact_uri(&d.file.path));
    }
    let uri = |d: &Diagnostic| uris.get(d.file.path.as_str()).cloned().unwrap_or_default();
    let mut results: Vec<SarifResult> = diags.iter().map(|d| result(d, &uri(d))).collect();
    results.extend(suppressed.iter().map(|s| {
        let uri = uri(&s.finding);
        let mut r = result(&s.finding, &uri);
        r.suppressions = Some(vec![suppression(s, &uri)]);
        r
    }));
    let driver = ToolComponent::builder()
        .name("maa")
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .information_uri(env!("CARGO_PKG_REPOSITORY"))
        .rules(descriptors.into_values().collect::<Vec<_>>())
        .build();
    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(results)
        .column_kind(serde_json::Value::from("unicodeCodePoints"))
        .build();
    let log = Sarif::builder()
        .schema(SCHEMA_URI)
        .version(serde_json::Value::from("2.1.0"))
        .runs(vec![run])
        .build();
    let mut out = serde_json::to_string_pretty(&log).unwrap_or_default();
    out.push('\n');
    out
}
