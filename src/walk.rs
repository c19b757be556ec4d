//! Finding topology files under the paths given to `maa check`, without leaving them.
//!
//! A repository under review is untrusted: a pull request may add
//! `topologies/x.yaml -> ../../secret.txt` or a link loop. So by default no symbolic link
//! is followed (each one skipped is reported as a [`Skipped`] note), and only regular
//! files are taken (a FIFO named `x.yaml` would block the reader). With
//! `follow_symlinks`, links are followed only to targets inside the given directories, and
//! a loop is reported instead of followed.
//!
//! The walk is `walkdir`'s (loop detection, sorted directory listings). A path given by
//! name is kept as given when it is a regular file or a special file (the reader refuses
//! special files with an error: the user asked for that one); a link given by name obeys
//! the same rule as a link found in a directory, its root being the working directory.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

/// Files named like configuration, not topologies: skipped when expanding directories.
pub const NOT_TOPOLOGIES: &[&str] = &[
    "maa.yaml",
    ".maa.yaml",
    ".pre-commit-config.yaml",
    ".pre-commit-hooks.yaml",
];

/// Directories never searched (besides hidden ones).
const SKIPPED_DIRS: &[&str] = &["target", "node_modules"];

/// A path left out of the walk, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub path: PathBuf,
    pub why: String,
}

/// The topology files found, in order, and what was skipped.
#[derive(Debug, Default)]
pub struct Walk {
    pub files: Vec<PathBuf>,
    pub skipped: Vec<Skipped>,
}

/// Expands directories into their `*.yaml` / `*.yml` files (sorted, depth first); paths
/// that are not directories are kept as given, except links (see the module comment).
pub fn topology_files(paths: &[PathBuf], follow_symlinks: bool) -> Result<Walk, String> {
    let mut walk = Walk::default();
    for p in paths {
        if let Some(why) = leaves_the_tree(p) {
            walk.skip(p, why);
            continue;
        }
        let meta = std::fs::symlink_metadata(p);
        let is_link = meta.as_ref().is_ok_and(|m| m.file_type().is_symlink());
        if is_link && !p.is_dir() {
            walk.link_by_name(p, follow_symlinks);
        } else if p.is_dir() {
            walk.directory(p, follow_symlinks)?;
        } else {
            walk.files.push(p.clone());
        }
    }
    walk.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(walk)
}

/// The repository holding `dir`: the nearest of `dir` and its ancestors that holds `.git`
/// (a directory, or a file in a worktree).
pub fn repository_root(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find(|d| std::fs::symlink_metadata(d.join(".git")).is_ok())
        .map(Path::to_path_buf)
}

/// The tree a path named on the command line must stay in when it goes through a link:
/// the repository holding the working directory, else the working directory.
fn tree() -> Option<PathBuf> {
    let cwd = std::env::current_dir().ok()?;
    let top = repository_root(&cwd).unwrap_or(cwd);
    std::fs::canonicalize(top).ok()
}

/// Why `p` may not be used: it (or one of its directories) is a symbolic link that resolves
/// outside the tree (see [`tree`]), e.g. `topologies -> ../../home/.config/gh` or
/// `build -> /etc` under `render --out build/maa-out`. A path that goes through no link is
/// the user's own choice and is not limited. For a path that does not exist yet, its
/// nearest existing directory is resolved.
pub fn leaves_the_tree(p: &Path) -> Option<String> {
    let abs = std::path::absolute(p).ok()?;
    let (existing, rest) = abs
        .ancestors()
        .find_map(|a| std::fs::canonicalize(a).ok().map(|c| (a, c)))?;
    let lexical: PathBuf = existing.components().fold(PathBuf::new(), |mut acc, c| {
        match c {
            std::path::Component::ParentDir => {
                acc.pop();
            }
            std::path::Component::CurDir => {}
            c => acc.push(c),
        }
        acc
    });
    if lexical == rest {
        return None;
    }
    match tree() {
        Some(t) if rest.starts_with(&t) => None,
        _ => Some(
            "a symbolic link (or a path through one) that leads outside the repository \
             (or the working directory); name the target itself if you mean it"
                .to_owned(),
        ),
    }
}

/// Why a link is not followed by default.
const NOT_FOLLOWED: &str = "a symbolic link (links are followed only with --follow-symlinks)";

impl Walk {
    fn skip(&mut self, path: &Path, why: impl Into<String>) {
        self.skipped.push(Skipped {
            path: path.to_path_buf(),
            why: why.into(),
        });
    }

    /// A link named on the command line: followed (with the option) to a file inside the
    /// working directory.
    fn link_by_name(&mut self, p: &Path, follow: bool) {
        if !follow {
            return self.skip(p, NOT_FOLLOWED);
        }
        let root = std::env::current_dir().and_then(std::fs::canonicalize);
        match (root, std::fs::canonicalize(p)) {
            (Ok(root), Ok(target)) if target.starts_with(&root) => self.files.push(p.to_path_buf()),
            (_, Err(e)) => self.skip(p, format!("a symbolic link that cannot be resolved: {e}")),
            _ => self.skip(p, "a symbolic link to a file outside the working directory"),
        }
    }

    /// Every topology file below `dir`.
    fn directory(&mut self, dir: &Path, follow: bool) -> Result<(), String> {
        let root = std::fs::canonicalize(dir).map_err(|e| {
            format!(
                "cannot read directory `{}`: {e}",
                crate::terminal::path(dir)
            )
        })?;
        let mut links = Vec::new();
        let entries = WalkDir::new(dir)
            .follow_links(follow)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| keep(e, follow, &root, &mut links));
        let mut seen = std::collections::HashSet::new();
        for entry in entries {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    self.walk_error(dir, &e)?;
                    continue;
                }
            };
            let path = entry.path();
            if entry.depth() == 0 || entry.file_type().is_dir() || !is_topology_name(path) {
                continue;
            }
            if !entry.file_type().is_file() {
                let kind =
                    std::fs::metadata(path).map_or("a special file", |m| crate::input::kind(&m));
                self.skip(path, format!("{kind}, not a regular file"));
            } else if follow && !std::fs::canonicalize(path).is_ok_and(|c| seen.insert(c)) {
                // Reached twice through links: checked once.
                self.skip(
                    path,
                    "the same file as one found before, through a symbolic link",
                );
            } else {
                self.files.push(path.to_path_buf());
            }
        }
        self.skipped.extend(links);
        Ok(())
    }

    /// A loop is a note; an unreadable directory below the root is a note; the root
    /// itself unreadable is an error.
    fn walk_error(&mut self, dir: &Path, e: &walkdir::Error) -> Result<(), String> {
        let path = e.path().unwrap_or(dir).to_path_buf();
        if e.loop_ancestor().is_some() {
            self.skip(&path, "a symbolic link loop");
            return Ok(());
        }
        if e.depth() == 0 {
            return Err(format!(
                "cannot read directory `{}`: {e}",
                crate::terminal::path(dir)
            ));
        }
        let why = e
            .io_error()
            .map_or_else(|| e.to_string(), ToString::to_string);
        self.skip(&path, format!("cannot be read: {why}"));
        Ok(())
    }
}

/// Whether the walk enters (a directory) or yields (a file) `e`. Hidden directories, build
/// output and dependencies are left out silently (links to them too); other links are
/// left out, with a note in `links`, unless followed to a target inside `root`.
fn keep(e: &walkdir::DirEntry, follow: bool, root: &Path, links: &mut Vec<Skipped>) -> bool {
    if e.depth() == 0 {
        return true;
    }
    let path = e.path();
    let name = e.file_name().to_str().unwrap_or("");
    let dir = e.file_type().is_dir() || e.path_is_symlink() && path.is_dir();
    if dir && (name.starts_with('.') || SKIPPED_DIRS.contains(&name)) {
        return false;
    }
    if !e.path_is_symlink() {
        return true;
    }
    let why = if !follow {
        NOT_FOLLOWED
    } else if std::fs::canonicalize(path).is_ok_and(|t| t.starts_with(root)) {
        return true;
    } else {
        "a symbolic link to a target outside the given directory"
    };
    if dir || is_topology_name(path) {
        links.push(Skipped {
            path: path.to_path_buf(),
            why: why.to_owned(),
        });
    }
    false
}

/// `*.yaml` / `*.yml`, and not a configuration file.
fn is_topology_name(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    (name.ends_with(".yaml") || name.ends_with(".yml")) && !NOT_TOPOLOGIES.contains(&name)
}
