//! Reading scenario files without trusting the folder they sit in: only regular files are read
//! (a FIFO or a device named `*.json` would block the reader for good), and at most a size
//! limit, the same as the management API's body limit.

use std::fmt;
use std::io::Read;
use std::path::Path;

/// The largest scenario accepted from a file or over the management API.
pub const MAX_SCENARIO_BYTES: usize = 16 * 1024 * 1024;

/// Why a scenario file was not read.
#[derive(Debug)]
pub enum ReadError {
    /// Nothing at the path (it was removed, or is a dangling symlink).
    Missing,
    /// A folder, FIFO, socket or device.
    NotRegular,
    TooLarge(usize),
    NotUtf8,
    Io(std::io::Error),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Missing => write!(f, "no such file"),
            ReadError::NotRegular => write!(f, "not a regular file"),
            ReadError::TooLarge(limit) => write!(f, "larger than the limit of {limit} bytes"),
            ReadError::NotUtf8 => write!(f, "not UTF-8"),
            ReadError::Io(e) => write!(f, "{e}"),
        }
    }
}

fn io(e: std::io::Error) -> ReadError {
    if e.kind() == std::io::ErrorKind::NotFound {
        ReadError::Missing
    } else {
        ReadError::Io(e)
    }
}

/// Whether the text is a streaming scenario (`LiteStreamMetaData` / `StreamMetaData`): those
/// run in `scenic-stream`, whose Kafka components this binary does not link.
pub fn is_streaming(text: &str) -> bool {
    use scenic_scenario::model::{parse_scenario, ScenarioType};
    parse_scenario(text)
        .ok()
        .and_then(|file| file.meta.scenario_type().ok())
        .is_some_and(|t| matches!(t, ScenarioType::LiteStream | ScenarioType::Stream))
}

/// Reads a regular file (symlinks are followed) of at most `limit` bytes.
pub fn read(path: &Path, limit: usize) -> Result<String, ReadError> {
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular);
    }
    if meta.len() > limit as u64 {
        return Err(ReadError::TooLarge(limit));
    }
    let file = open(path).map_err(io)?;
    // The path may have been replaced between the check and the open: check what was opened.
    if !file.metadata().map_err(io)?.is_file() {
        return Err(ReadError::NotRegular);
    }
    let mut bytes = Vec::new();
    file.take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() > limit {
        return Err(ReadError::TooLarge(limit));
    }
    String::from_utf8(bytes).map_err(|_| ReadError::NotUtf8)
}

/// Opens without blocking: opening a FIFO for reading otherwise waits for a writer.
#[cfg(unix)]
fn open(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

/// Whether a folder entry names a scenario: `*.json`, not hidden (editors' and tools' temporary
/// files start with a dot).
pub fn is_scenario_name(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "json")
        && !path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'))
}
