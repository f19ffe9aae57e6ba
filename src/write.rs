//! The one write sink for outputs: a temp file in the target directory,
//! then a rename, so a reader never sees half a file and a failed write
//! never destroys the previous one.
//!
//! Takes a path and bytes; gives the file, or an [`io::Error`] with the
//! previous file intact. A path the person named ([`write_atomic`]: `fmt`'s
//! sources, `diff -o`) is written through a symbolic link to its target,
//! and anything that is not a regular file (a FIFO, a device, a directory)
//! is refused rather than replaced. Temp files left by a killed writer are
//! found by their name ([`remove_stale_temps`]): a build sweeps its output
//! directory, and [`write_atomic`] (`fmt`, `diff -o`) the directory it
//! writes into, once per directory and process.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A temp file beside `path`, named so that two writers never collide:
/// `.<name>.<pid>.<n>.tmp` (see [`temp_owner`]).
fn temp_beside(path: &Path) -> io::Result<PathBuf> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "no file name"))?;
    Ok(dir.join(format!(
        ".{}.{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )))
}

/// The process that made a temp file of [`temp_beside`]'s pattern; `None`
/// for any other name.
fn temp_owner(name: &str) -> Option<u32> {
    let inner = name.strip_prefix('.')?.strip_suffix(".tmp")?;
    let mut parts = inner.rsplitn(3, '.');
    let counter = parts.next()?;
    let pid = parts.next()?;
    let target = parts.next()?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (digits(counter) && !target.is_empty()).then_some(())?;
    digits(pid).then(|| pid.parse().ok()).flatten()
}

/// A temp file whose writer is surely gone: its process no longer runs, or
/// (where that cannot be known) it has not been touched for a day.
fn is_stale(pid: u32, meta: &fs::Metadata) -> bool {
    if pid == std::process::id() {
        return false;
    }
    let proc = Path::new("/proc");
    if proc.join("self").exists() {
        return !proc.join(pid.to_string()).exists();
    }
    meta.modified().ok().and_then(|t| t.elapsed().ok()).is_some_and(|age| age.as_secs() > 24 * 60 * 60)
}

/// Remove, from `dir`, temp files of this module's own pattern whose
/// writer was killed before it could rename or remove them (`kill -9`
/// mid-build). Only regular files of that exact pattern whose process is
/// gone; never a user's file, never one a running build is writing. Gives
/// what it removed, sorted; trouble reading the directory removes nothing.
pub fn remove_stale_temps(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else { return Vec::new() };
    let mut removed = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(temp_owner) else { continue };
        let Ok(meta) = entry.metadata() else { continue };
        if meta.is_file() && is_stale(pid, &meta) && fs::remove_file(entry.path()).is_ok() {
            removed.push(entry.path());
        }
    }
    removed.sort();
    removed
}

/// The file a path the person named stands for: the target of a symbolic
/// link (followed link by link, a dangling one included: writing creates
/// its target), else the path itself.
fn through_links(path: &Path) -> io::Result<PathBuf> {
    let mut current = path.to_owned();
    // The kernel's own limit on links in a row.
    for _ in 0..40 {
        match fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = fs::read_link(&current)?;
                current = match current.parent() {
                    Some(dir) if target.is_relative() => dir.join(target),
                    _ => target,
                };
            }
            _ => return Ok(current),
        }
    }
    Err(io::Error::new(io::ErrorKind::InvalidInput, "it is a chain of too many symbolic links"))
}

/// Write `bytes` to `path` atomically (same directory temp file + rename),
/// for a path the person named: through a symbolic link to its target
/// (beside which the temp file goes), and only over a regular file — a
/// FIFO, a device or a directory is refused, never replaced.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let target = through_links(path)?;
    sweep_once(&target);
    let existing = match fs::metadata(&target) {
        Ok(meta) => Some(meta),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    if let Some(kind) = existing.as_ref().and_then(|m| crate::source::special_kind(m.file_type())) {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, format!("it is {kind}, not a regular file")));
    }
    replace(&target, bytes, existing.as_ref())
}

/// Remove stale temp files from the directory `target` is written into,
/// the first time this process writes there: `fmt` of a thousand sources
/// in one directory reads it once, not a thousand times.
fn sweep_once(target: &Path) {
    static SWEPT: std::sync::Mutex<std::collections::BTreeSet<PathBuf>> =
        std::sync::Mutex::new(std::collections::BTreeSet::new());
    let dir = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let first = SWEPT.lock().is_ok_and(|mut swept| swept.insert(dir.to_owned()));
    if first {
        remove_stale_temps(dir);
    }
}

/// [`write_atomic`] for a caller that has looked at `path` already and
/// owns it (a build's output directory: a symbolic link there is replaced,
/// not followed):
/// `existing` is what is there now (`None`: nothing), whose permissions
/// the new file keeps (`fmt` rewrites sources in place). A build writes
/// 30,000 files; each lookup saved is one less pass over a large directory.
pub fn replace(path: &Path, bytes: &[u8], existing: Option<&fs::Metadata>) -> io::Result<()> {
    let tmp = temp_beside(path)?;
    let result = (|| {
        let mut file = fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        drop(file);
        if let Some(meta) = existing {
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

/// An output written piece by piece — too large to hold in memory — that
/// appears at its path only when [`StreamFile::commit`] renames it there.
/// Dropped without a commit, it leaves nothing behind.
pub struct StreamFile {
    path: PathBuf,
    tmp: PathBuf,
    file: Option<io::BufWriter<fs::File>>,
    /// The temp file is the output now: nothing to clean up.
    renamed: bool,
}

impl StreamFile {
    pub fn create(path: &Path) -> io::Result<StreamFile> {
        let tmp = temp_beside(path)?;
        let file = fs::File::create(&tmp)?;
        Ok(StreamFile {
            path: path.to_owned(),
            tmp,
            file: Some(io::BufWriter::with_capacity(1 << 16, file)),
            renamed: false,
        })
    }

    /// The temp file's path, to read back what was written so far (after a
    /// [`Write::flush`]).
    pub fn temp_path(&self) -> &Path {
        &self.tmp
    }

    /// The same file, to be committed to `path` instead.
    pub fn retarget(mut self, path: &Path) -> StreamFile {
        self.path = path.to_owned();
        self
    }

    /// Rename the file into place unless `path` already holds the same
    /// bytes (then it keeps its modification time); true when it did.
    pub fn commit(mut self) -> io::Result<bool> {
        let mut file = self.file.take().expect("a StreamFile is committed once");
        file.flush()?;
        drop(file);
        let existing = fs::metadata(&self.path).ok();
        if let Some(meta) = &existing {
            if same_contents(&self.tmp, meta.len(), &self.path)? {
                return Ok(false);
            }
            fs::set_permissions(&self.tmp, meta.permissions())?;
        }
        fs::rename(&self.tmp, &self.path)?;
        self.renamed = true;
        Ok(true)
    }
}

impl Write for StreamFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file.as_mut().map_or(Ok(0), |f| f.write(buf))
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self.file.as_mut() {
            Some(f) => f.write_all(buf),
            None => Ok(()),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.as_mut().map_or(Ok(()), |f| f.flush())
    }
}

impl Drop for StreamFile {
    fn drop(&mut self) {
        // Committed or not, no temp file outlives the writer.
        if !self.renamed {
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

/// Whether the file `a` holds the same bytes as `b`, whose length is
/// `b_len`, compared a block at a time so that neither is read whole.
fn same_contents(a: &Path, b_len: u64, b: &Path) -> io::Result<bool> {
    use std::io::Read;
    let Ok(meta_a) = fs::metadata(a) else { return Ok(false) };
    if meta_a.len() != b_len {
        return Ok(false);
    }
    let (mut fa, mut fb) = (io::BufReader::new(fs::File::open(a)?), io::BufReader::new(fs::File::open(b)?));
    let (mut ba, mut bb) = (vec![0u8; 1 << 16], vec![0u8; 1 << 16]);
    loop {
        let n = fa.read(&mut ba)?;
        if n == 0 {
            return Ok(true);
        }
        fb.read_exact(&mut bb[..n])?;
        if ba[..n] != bb[..n] {
            return Ok(false);
        }
    }
}
