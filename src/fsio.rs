//! File-system output shared by every layer that writes files: atomic whole-file writes.
//!
//! The bottom layer: it imports nothing from the crate, so `render` and `cli` both use it.

use std::io::Write;
use std::path::PathBuf;

/// Writes `text` to `path` atomically (temporary file in the same directory, then rename).
/// The file keeps the permissions of the file it replaces; a new file is `rw-r--r--`
/// (the temporary file alone would leave it `rw-------`).
pub fn write_atomic(path: &std::path::Path, text: &[u8]) -> std::io::Result<()> {
    write_atomic_mode(path, text, None)
}

/// [`write_atomic`] with a Unix mode set before the rename (so the file never appears with
/// other permissions); `None` keeps the replaced file's mode, or `rw-r--r--`.
pub fn write_atomic_mode(
    path: &std::path::Path,
    text: &[u8],
    mode: Option<u32>,
) -> std::io::Result<()> {
    write_atomic_inner(path, text, mode).map_err(|e| {
        // tempfile names its temporary file in errors; the user knows only the target
        // (and nothing is left behind: the temporary file is removed when dropped).
        match e.raw_os_error() {
            Some(code) => std::io::Error::from_raw_os_error(code),
            None => std::io::Error::from(e.kind()),
        }
    })
}

fn write_atomic_inner(
    path: &std::path::Path,
    text: &[u8],
    mode: Option<u32>,
) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(&dir)?;
    tmp.write_all(text)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let perms = match (mode, std::fs::metadata(path)) {
            (Some(m), _) => std::fs::Permissions::from_mode(m),
            (None, Ok(m)) => m.permissions(),
            (None, Err(_)) => std::fs::Permissions::from_mode(0o644),
        };
        tmp.as_file().set_permissions(perms)?;
    }
    #[cfg(not(unix))]
    let _ = mode;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
