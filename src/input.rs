//! Reading input files from an untrusted repository: regular files only, bounded.
//!
//! A file's reported size says nothing about what reading it returns: `/dev/zero`, a FIFO
//! and `/proc` files report 0 bytes and never end (or never start). So every read here
//!
//! 1. refuses what `stat` says is not a regular file, without opening it (opening a FIFO
//!    blocks until a writer comes; opening some devices has side effects);
//! 2. opens without blocking (`O_NONBLOCK`) and refuses again on `fstat` of the open file
//!    (the path may have been swapped in between);
//! 3. reads at most `limit + 1` bytes, whatever the size claims, and refuses a file that
//!    had more.
//!
//! Symbolic links are followed here (an explicit path the user gave may be a link); the
//! directory walk ([`crate::walk`]) decides which links are read at all.

use std::fmt;
use std::fs::{File, Metadata};
use std::io::Read;
use std::path::Path;

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    /// The operating system refused (missing file, permissions…).
    Io(std::io::Error),
    /// Not a regular file: a directory, device, FIFO or socket.
    NotRegular(&'static str),
    /// More than the limit, in bytes.
    TooLarge { limit: u64 },
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io(e) => e.fmt(f),
            ReadError::NotRegular(kind) => write!(f, "it is {kind}, not a regular file"),
            ReadError::TooLarge { limit } => {
                write!(f, "it is larger than the limit of {limit} bytes")
            }
        }
    }
}

impl std::error::Error for ReadError {}

impl From<std::io::Error> for ReadError {
    fn from(e: std::io::Error) -> Self {
        ReadError::Io(e)
    }
}

/// What kind of file `meta` describes, with its article ("a directory").
pub fn kind(meta: &Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_file() {
        return "a regular file";
    }
    if t.is_dir() {
        return "a directory";
    }
    if t.is_symlink() {
        return "a symbolic link";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
    }
    "a special file"
}

/// Opens `path` for reading without blocking, refusing anything that is not a regular file
/// (checked before opening, and again on the open file).
pub fn open_regular(path: &Path) -> Result<(File, Metadata), ReadError> {
    let before = std::fs::metadata(path)?;
    if !before.is_file() {
        return Err(ReadError::NotRegular(kind(&before)));
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // A FIFO swapped in after the check above must not block the open.
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(kind(&meta)));
    }
    Ok((file, meta))
}

/// Reads a regular file of at most `limit` bytes.
pub fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let (file, meta) = open_regular(path)?;
    if meta.len() > limit {
        return Err(ReadError::TooLarge { limit });
    }
    // The size is a hint (a file may grow while it is read); the bound is `take`.
    let hint = usize::try_from(meta.len()).unwrap_or(0);
    let mut bytes = Vec::with_capacity(hint.saturating_add(1));
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { limit });
    }
    Ok(bytes)
}

/// Reads a regular UTF-8 text file of at most `limit` bytes.
pub fn read_text(path: &Path, limit: u64) -> Result<String, ReadError> {
    let bytes = read_bounded(path, limit)?;
    String::from_utf8(bytes).map_err(|e| {
        ReadError::Io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "it is not valid UTF-8 (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        ))
    })
}

/// Reads standard input to its end, at most `limit` bytes (`maa check -`): a pipe reports
/// no size, so the bound is the only one.
pub fn read_stdin(limit: u64) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { limit });
    }
    Ok(bytes)
}

/// Largest configuration or baseline file read (they are a few kilobytes).
pub const MAX_SETTINGS_BYTES: u64 = 16 * 1024 * 1024;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_regular_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        std::fs::write(&p, b"hello").unwrap();
        assert_eq!(read_bounded(&p, 5).unwrap(), b"hello");
        assert!(matches!(
            read_bounded(&p, 4),
            Err(ReadError::TooLarge { limit: 4 })
        ));
    }

    #[test]
    fn refuses_a_directory() {
        let dir = tempfile::tempdir().unwrap();
        let e = read_bounded(dir.path(), 10).unwrap_err();
        assert!(matches!(e, ReadError::NotRegular("a directory")), "{e:?}");
    }

    #[cfg(unix)]
    #[test]
    fn refuses_devices_and_fifos() {
        let e = read_bounded(Path::new("/dev/zero"), 10).unwrap_err();
        assert!(
            matches!(e, ReadError::NotRegular("a character device")),
            "{e:?}"
        );
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("f.yaml");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.is_ok_and(|s| s.success()), "mkfifo");
        let e = read_bounded(&fifo, 10).unwrap_err();
        assert!(
            matches!(e, ReadError::NotRegular("a named pipe (FIFO)")),
            "{e:?}"
        );
    }

    #[test]
    fn a_file_bigger_than_its_size_says_is_still_bounded() {
        // /proc files report size 0 and hold more.
        let p = Path::new("/proc/self/status");
        if p.exists() {
            assert_eq!(std::fs::metadata(p).unwrap().len(), 0);
            assert!(matches!(
                read_bounded(p, 8),
                Err(ReadError::TooLarge { limit: 8 })
            ));
        }
    }
}
