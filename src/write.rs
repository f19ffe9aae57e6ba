//! The one write sink for outputs: a temp file in the target directory,
//! then a rename, so a reader never sees half a file and a failed write
//! never destroys the previous one.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// Write `bytes` to `path` atomically (same directory temp file + rename).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "no file name"))?;
    let tmp = dir.join(format!(
        ".{}.{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let result = (|| {
        let mut file = fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.flush()?;
        // Keep the permissions of the file being replaced (fmt rewrites
        // sources in place).
        if let Ok(meta) = fs::metadata(path) {
            fs::set_permissions(&tmp, meta.permissions())?;
        }
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// `path` inside `root`, refusing anything that would leave it.
pub fn inside(root: &Path, relative: &str) -> io::Result<PathBuf> {
    let rel = Path::new(relative);
    let escapes = rel.is_absolute() || rel.components().any(|c| !matches!(c, std::path::Component::Normal(_)));
    if escapes {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, format!("`{relative}` is not a plain file name")));
    }
    Ok(root.join(rel))
}
