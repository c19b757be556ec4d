//! The output directory of `maa render`: written and read without ever leaving it.
//!
//! The directory may come from an untrusted repository (`maa-out/` committed in a pull
//! request), so:
//!
//! - a symbolic link anywhere under it (the directory itself, a sub-directory, a file) is
//!   refused: nothing is written through one (`maa-out/wlst -> elsewhere/`) and nothing is
//!   read through one (`tnsnames.ora -> /proc/self/environ` would be printed in a diff);
//! - only regular files are read, bounded ([`crate::input`]);
//! - what `maa render` wrote is recorded in a manifest (`.maa-manifest.json`: path, target
//!   and SHA-256 of each file), so `--check` reports files that are missing, changed,
//!   stale (written for a target by an earlier render, no longer produced) or unexpected
//!   (not written by maa), and `--prune` removes the stale files it owns.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::Digest;

use super::Artifact;

/// The manifest's file name, at the top of the output directory.
pub const MANIFEST: &str = ".maa-manifest.json";

/// Largest artifact read back for `--check` (artifacts are far smaller).
const MAX_ARTIFACT_BYTES: u64 = 64 * 1024 * 1024;

const MANIFEST_VERSION: u32 = 1;

/// What `maa render` wrote into an output directory.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub version: u32,
    /// By path relative to the output directory (`/` separators).
    pub files: BTreeMap<String, Entry>,
}

/// One file written by `maa render`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The render target that wrote it.
    pub target: String,
    /// SHA-256 of its content, in hexadecimal.
    pub sha256: String,
}

/// SHA-256 of `bytes`, in lowercase hexadecimal.
pub fn sha256(bytes: &[u8]) -> String {
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Why the output directory cannot be used.
#[derive(Debug)]
pub enum OutError {
    /// A symbolic link (or another non-directory, non-regular file) where maa writes or reads.
    Refused { path: PathBuf, why: String },
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
}

impl std::fmt::Display for OutError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OutError::Refused { path, why } => {
                write!(f, "`{}` {why}", crate::terminal::path(path))
            }
            OutError::Io { path, error } => {
                write!(f, "`{}`: {error}", crate::terminal::path(path))
            }
        }
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> OutError + '_ {
    move |error| OutError::Io {
        path: path.to_path_buf(),
        error,
    }
}

fn refused(path: &Path, why: &str) -> OutError {
    OutError::Refused {
        path: path.to_path_buf(),
        why: why.to_owned(),
    }
}

const LINK: &str = "is a symbolic link: maa neither writes nor reads through links under --out";

/// What is at `path` without following a link: `None` when nothing is.
fn kind(path: &Path) -> Result<Option<std::fs::FileType>, OutError> {
    match std::fs::symlink_metadata(path) {
        Ok(m) => Ok(Some(m.file_type())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io(path)(e)),
    }
}

/// An artifact's path under `dir`, refusing anything that would leave it (`..`, absolute).
pub fn inside(dir: &Path, rel: &str) -> Result<PathBuf, OutError> {
    let rel_path = Path::new(rel);
    if rel.is_empty()
        || !rel_path
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
    {
        return Err(refused(rel_path, "is not a plain relative path"));
    }
    Ok(dir.join(rel_path))
}

/// Makes the directories of `rel` under `dir`, one by one, refusing links and files in the way.
fn make_dirs(dir: &Path, rel: &str) -> Result<(), OutError> {
    let mut at = dir.to_path_buf();
    let parts: Vec<&str> = rel.split('/').collect();
    for part in parts.iter().take(parts.len().saturating_sub(1)) {
        at.push(part);
        match kind(&at)? {
            Some(t) if t.is_dir() => {}
            Some(t) if t.is_symlink() => return Err(refused(&at, LINK)),
            Some(_) => return Err(refused(&at, "is in the way: a directory is needed here")),
            None => std::fs::create_dir(&at).map_err(io(&at))?,
        }
    }
    Ok(())
}

/// Refuses a link or a file in the way anywhere on the path of `rel` under `dir`, as far
/// as it exists.
fn preflight(dir: &Path, rel: &str) -> Result<(), OutError> {
    let path = inside(dir, rel)?;
    let mut at = dir.to_path_buf();
    for c in Path::new(rel).components() {
        at.push(c);
        match kind(&at)? {
            None => return Ok(()),
            Some(t) if t.is_symlink() => return Err(refused(&at, LINK)),
            Some(t) if at == path && !t.is_file() => {
                return Err(refused(&at, "is not a regular file"));
            }
            Some(t) if at != path && !t.is_dir() => {
                return Err(refused(&at, "is in the way: a directory is needed here"));
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// The output directory itself: absent (created), or a real directory.
fn root(dir: &Path, create: bool) -> Result<bool, OutError> {
    if let Some(why) = crate::walk::leaves_the_tree(dir) {
        return Err(refused(dir, &format!("is {why}")));
    }
    match kind(dir)? {
        Some(t) if t.is_dir() => Ok(true),
        Some(t) if t.is_symlink() => Err(refused(dir, LINK)),
        Some(_) => Err(refused(dir, "is not a directory")),
        None if create => {
            std::fs::create_dir_all(dir).map_err(io(dir))?;
            Ok(true)
        }
        None => Ok(false),
    }
}

/// Reads the manifest of `dir` (an absent one is empty; an unreadable one is an error).
pub fn manifest(dir: &Path) -> Result<Manifest, OutError> {
    let path = dir.join(MANIFEST);
    match kind(&path)? {
        None => return Ok(Manifest::default()),
        Some(t) if !t.is_file() => return Err(refused(&path, LINK)),
        Some(_) => {}
    }
    let text = crate::input::read_text(&path, MAX_ARTIFACT_BYTES).map_err(|e| match e {
        crate::input::ReadError::Io(e) => io(&path)(e),
        other => refused(&path, &other.to_string()),
    })?;
    let m: Manifest = serde_json::from_str(&text)
        .map_err(|e| refused(&path, &format!("is not a maa manifest: {e}")))?;
    if m.version != MANIFEST_VERSION {
        return Err(refused(
            &path,
            &format!(
                "has version {}; this maa writes version {MANIFEST_VERSION}",
                m.version
            ),
        ));
    }
    Ok(m)
}

/// Writes plain files directly under `dir`, each atomically, with no manifest (the pages of
/// `maa man --out` and `maa rules --out`), refusing what [`write`] refuses: a linked or
/// misplaced output directory, a link or a non-regular file where a page goes. Everything
/// is checked before anything is written.
pub fn write_files(dir: &Path, files: &[(String, String)]) -> Result<Vec<PathBuf>, OutError> {
    root(dir, true)?;
    for (name, _) in files {
        preflight(dir, name)?;
    }
    let mut written = Vec::new();
    for (name, text) in files {
        let path = inside(dir, name)?;
        super::write_file(&path, text.as_bytes(), 0o644).map_err(io(&path))?;
        written.push(path);
    }
    Ok(written)
}

/// Writes `artifacts` of `targets` under `dir` (each atomically), refusing
/// links anywhere under `dir`, then records them in the manifest (entries of other targets
/// are kept). Returns the paths written.
pub fn write(
    dir: &Path,
    targets: &[&str],
    artifacts: &[Artifact],
) -> Result<Vec<PathBuf>, OutError> {
    let write = super::write_file;
    root(dir, true)?;
    let mut m = manifest(dir)?;
    // Everything is checked before anything is written: a refusal leaves the directory as
    // it was. A link anywhere under `dir`, even one no artifact goes through, is refused.
    files_on_disk(dir)?;
    for a in artifacts {
        preflight(dir, &a.path)?;
    }
    let mut written = Vec::new();
    for a in artifacts {
        let path = inside(dir, &a.path)?;
        make_dirs(dir, &a.path)?;
        match kind(&path)? {
            None => {}
            Some(t) if t.is_file() => {}
            Some(t) if t.is_symlink() => return Err(refused(&path, LINK)),
            Some(_) => return Err(refused(&path, "is not a regular file")),
        }
        let mode = if a.executable { 0o755 } else { 0o644 };
        write(&path, a.content.as_bytes(), mode).map_err(io(&path))?;
        written.push(path);
    }
    m.version = MANIFEST_VERSION;
    // An entry of a target rendered now that is no longer produced stays while its file
    // does: maa still owns it, so `--check` reports it stale and `--prune` may remove it.
    m.files.retain(|rel, e| {
        !targets.contains(&e.target.as_str())
            || std::fs::symlink_metadata(dir.join(rel)).is_ok_and(|t| t.is_file())
    });
    for a in artifacts {
        let entry = Entry {
            target: a.target.to_owned(),
            sha256: sha256(a.content.as_bytes()),
        };
        m.files.insert(a.path.clone(), entry);
    }
    let mut text = serde_json::to_string_pretty(&m).unwrap_or_default();
    text.push('\n');
    let path = dir.join(MANIFEST);
    if kind(&path)?.is_some_and(|t| !t.is_file()) {
        return Err(refused(&path, LINK));
    }
    write(&path, text.as_bytes(), 0o644).map_err(io(&path))?;
    Ok(written)
}

/// One difference between the rendered artifacts and the output directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Drift {
    /// Rendered, not on disk.
    Missing(String),
    /// On disk with other content.
    Changed { path: String, diff: String },
    /// Written by an earlier render for one of these targets, no longer rendered.
    Stale(String),
    /// On disk, neither rendered nor written by maa.
    Unexpected(String),
}

/// Every regular file under `dir` (relative, `/`-separated, sorted), refusing links and
/// special files.
fn files_on_disk(dir: &Path) -> Result<Vec<String>, OutError> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
    {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(dir).to_path_buf();
            let error = e
                .into_io_error()
                .unwrap_or_else(|| std::io::Error::other("walk failed"));
            OutError::Io { path, error }
        })?;
        let t = entry.file_type();
        if t.is_symlink() {
            return Err(refused(entry.path(), LINK));
        }
        if t.is_dir() {
            continue;
        }
        if !t.is_file() {
            return Err(refused(entry.path(), "is not a regular file"));
        }
        if let Ok(rel) = entry.path().strip_prefix(dir) {
            let rel = rel.to_string_lossy().replace('\\', "/");
            if rel != MANIFEST {
                out.push(rel);
            }
        }
    }
    Ok(out)
}

/// Compares the artifacts of `targets` with `dir`: missing, changed (with a diff), stale
/// and unexpected files. A link or special file anywhere under `dir` is an error, and its
/// content is never read.
pub fn drift(dir: &Path, targets: &[&str], artifacts: &[Artifact]) -> Result<Vec<Drift>, OutError> {
    if !root(dir, false)? {
        return Ok(artifacts
            .iter()
            .map(|a| Drift::Missing(a.path.clone()))
            .collect());
    }
    let m = manifest(dir)?;
    let on_disk = files_on_disk(dir)?;
    let mut out = Vec::new();
    for a in artifacts {
        let path = inside(dir, &a.path)?;
        if !on_disk.contains(&a.path) {
            out.push(Drift::Missing(a.path.clone()));
            continue;
        }
        let bytes = crate::input::read_bounded(&path, MAX_ARTIFACT_BYTES)
            .map_err(|e| refused(&path, &format!("cannot be compared: {e}")))?;
        let current = String::from_utf8_lossy(&bytes);
        if current != a.content {
            out.push(Drift::Changed {
                path: a.path.clone(),
                diff: super::unified_diff(&a.path, &current, &a.content),
            });
        }
    }
    for rel in &on_disk {
        if artifacts.iter().any(|a| &a.path == rel) {
            continue;
        }
        match m.files.get(rel) {
            Some(e) if targets.contains(&e.target.as_str()) => out.push(Drift::Stale(rel.clone())),
            Some(_) => {}
            None => out.push(Drift::Unexpected(rel.clone())),
        }
    }
    Ok(out)
}

/// What `--prune` did with one stale file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pruned {
    Removed(String),
    /// Changed since maa wrote it: kept, the user's edits are not maa's to delete.
    Kept(String),
}

/// Removes the stale files of `targets` (recorded in the manifest, no longer rendered)
/// whose content is still what maa wrote, then the directories that leaves empty.
pub fn prune(
    dir: &Path,
    targets: &[&str],
    artifacts: &[Artifact],
) -> Result<Vec<Pruned>, OutError> {
    let stale: Vec<String> = drift(dir, targets, artifacts)?
        .into_iter()
        .filter_map(|d| match d {
            Drift::Stale(p) => Some(p),
            _ => None,
        })
        .collect();
    let mut m = manifest(dir)?;
    let mut out = Vec::new();
    for rel in stale {
        let path = inside(dir, &rel)?;
        let bytes = crate::input::read_bounded(&path, MAX_ARTIFACT_BYTES)
            .map_err(|e| refused(&path, &format!("cannot be read: {e}")))?;
        let ours = m
            .files
            .get(&rel)
            .is_some_and(|e| e.sha256 == sha256(&bytes));
        if !ours {
            out.push(Pruned::Kept(rel));
            continue;
        }
        std::fs::remove_file(&path).map_err(io(&path))?;
        m.files.remove(&rel);
        remove_empty_parents(dir, &path);
        out.push(Pruned::Removed(rel));
    }
    let mut text = serde_json::to_string_pretty(&m).unwrap_or_default();
    text.push('\n');
    let path = dir.join(MANIFEST);
    super::write_file(&path, text.as_bytes(), 0o644).map_err(io(&path))?;
    Ok(out)
}

/// Removes the now empty directories between `file` and `dir` (never `dir` itself).
fn remove_empty_parents(dir: &Path, file: &Path) {
    let mut at = file.parent();
    while let Some(d) = at {
        if d == dir || !d.starts_with(dir) || std::fs::remove_dir(d).is_err() {
            break;
        }
        at = d.parent();
    }
}
