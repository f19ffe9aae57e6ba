//! Source files: bytes in, checked UTF-8 text and a line index out.
//!
//! Takes the raw bytes of a `.txt` or `.md` file and gives a [`SourceFile`]
//! whose text every later stage indexes with byte spans. Fails (with a
//! [`SourceError`] that says where and what to do) on input that is not text
//! in UTF-8: binary data, UTF-16, and GB18030/GBK, which is detected and named
//! so the editor knows which conversion to run. Line and column are computed
//! here and only here, from byte offsets.

pub mod docx;
pub mod html;
pub mod origin;

use std::path::{Path, PathBuf};

use crate::tree::{Evidence, Span};

pub mod front_matter;

pub use origin::{Origin, OriginUnit};

/// What a source file is written in, decided by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain text as copied from web pages, Word or PDF.
    Text,
    /// Markdown as Chinese law collections publish it.
    Markdown,
    /// A saved web page, converted to text by [`html`].
    Html,
    /// A Word document, read into text by [`docx`].
    Docx,
}

impl Format {
    pub fn from_path(path: &Path) -> Option<Format> {
        match path.extension()?.to_str()? {
            "txt" => Some(Format::Text),
            "md" | "markdown" => Some(Format::Markdown),
            "html" | "htm" => Some(Format::Html),
            // A .doc is taken too, so that it is refused with what to do
            // instead of being passed over.
            "docx" | "doc" => Some(Format::Docx),
            _ => None,
        }
    }
}

/// How to read the bytes of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    /// UTF-8 (with or without a byte-order mark); anything else is an error.
    #[default]
    Utf8,
    /// GB18030 (a superset of GBK and GB2312), decoded on request.
    Gb18030,
}

impl std::str::FromStr for Encoding {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "utf-8" | "utf8" => Ok(Encoding::Utf8),
            "gb18030" | "gbk" | "gb2312" => Ok(Encoding::Gb18030),
            other => Err(format!("unknown encoding `{other}` (expected utf-8 or gb18030)")),
        }
    }
}

/// Why a file could not be read as a document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SourceError {
    /// `printf ''`
    #[error("the file is empty")]
    Empty,
    /// Bytes that decode as GB18030 but not as UTF-8: `iconv -t GB18030`.
    #[error(
        "the file is not UTF-8; it looks like GB18030/GBK (the first byte that is not UTF-8 is at line {line}, column {column})"
    )]
    Gb18030 { line: u32, column: u32 },
    /// A UTF-16 byte-order mark.
    #[error("the file is UTF-16, not UTF-8")]
    Utf16,
    /// Neither UTF-8 nor GB18030.
    #[error("the file is not valid UTF-8 (line {line}, column {column})")]
    NotUtf8 { line: u32, column: u32 },
    /// NUL bytes or mostly control characters: an image, an archive, a .pdf.
    #[error("the file is binary, not text (line {line}, column {column})")]
    Binary { line: u32, column: u32 },
    /// A web page whose content is only a link to the document.
    #[error("the page holds no policy text, only a link to the attachment `{name}` ({href})")]
    AttachmentOnly { name: String, href: String, line: u32 },
    /// A web page with no content text at all.
    #[error("the page holds no policy text")]
    NoPolicyText,
    /// A `.docx` that cannot be read: a `.doc`, a damaged package.
    #[error(transparent)]
    Docx(#[from] docx::DocxError),
}

impl SourceError {
    /// What the editor can do about it.
    pub fn help(&self) -> &'static str {
        match self {
            SourceError::Empty => "write the document's text into the file, or delete the file",
            SourceError::Gb18030 { .. } => {
                "convert it with `iconv -f GB18030 -t UTF-8 FILE > FILE.utf8`, or pass `--encoding gb18030` to read it as it is"
            }
            SourceError::Utf16 => "convert it with `iconv -f UTF-16 -t UTF-8 FILE > FILE.utf8`",
            SourceError::NotUtf8 { .. } => {
                "save the file as UTF-8 (in Word: 另存为 → 纯文本 → 编码 UTF-8), or convert it with iconv"
            }
            SourceError::Binary { .. } => {
                "policyc reads plain text (.txt), Markdown (.md) and Word (.docx); save the document as one of them first (a .pdf must be converted)"
            }
            SourceError::AttachmentOnly { .. } => {
                "download the attachment and convert it to text (policyc does not read PDF); the page itself only points at it"
            }
            SourceError::NoPolicyText => {
                "save the page after its text has loaded (a page that loads its text with script saves empty), or copy the text into a .txt file"
            }
            SourceError::Docx(e) => e.help(),
        }
    }

    /// Where in the file the trouble starts, as (line, column).
    pub fn position(&self) -> (u32, u32) {
        match *self {
            SourceError::Gb18030 { line, column }
            | SourceError::NotUtf8 { line, column }
            | SourceError::Binary { line, column } => (line, column),
            SourceError::AttachmentOnly { line, .. } => (line, 1),
            SourceError::Empty | SourceError::Utf16 | SourceError::NoPolicyText | SourceError::Docx(_) => (1, 1),
        }
    }
}

/// A decoded source file.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as given, for messages.
    pub path: PathBuf,
    pub format: Format,
    pub text: String,
    pub lines: LineIndex,
    /// For a converted source (a web page): where each run of `text` sits
    /// in the original file, for the positions diagnostics print.
    pub origin: Option<Origin>,
    /// What the original file states outside the text (a page's meta tags,
    /// a Word document's properties), for the frame.
    pub evidence: Vec<Evidence>,
}

impl SourceFile {
    /// A source from text already in memory (tests, the library API, stdin).
    pub fn from_text(path: impl Into<PathBuf>, format: Format, text: impl Into<String>) -> Self {
        let text = text.into();
        let lines = LineIndex::new(&text);
        SourceFile { path: path.into(), format, text, lines, origin: None, evidence: Vec::new() }
    }

    /// A Word document's text, with tracked changes accepted or rejected.
    pub fn from_docx(path: impl Into<PathBuf>, bytes: &[u8], changes: docx::Changes) -> Result<Self, SourceError> {
        let limit = max_source_size().unwrap_or(DEFAULT_MAX_SOURCE_SIZE);
        let extracted = docx::read(bytes, changes, limit)?;
        let mut source = Self::from_text(path, Format::Docx, extracted.text);
        source.origin = Some(extracted.origin);
        source.evidence = extracted.evidence;
        Ok(source)
    }

    /// Where byte `offset` is, as people are shown it: `12:5` (line and
    /// column of the text), or `¶37:12` in a Word document.
    pub fn location(&self, offset: usize) -> String {
        match &self.origin {
            Some(origin) => origin.describe(&self.text, offset),
            None => {
                let (line, column) = self.lines.position(&self.text, offset);
                format!("{line}:{column}")
            }
        }
    }

    /// Decode file bytes. Empty input is an error here (a file nobody wrote
    /// into is a mistake worth saying); the library's `parse_str("")` gives an
    /// empty document.
    pub fn from_bytes(
        path: impl Into<PathBuf>,
        format: Format,
        bytes: &[u8],
        encoding: Encoding,
    ) -> Result<Self, SourceError> {
        if format == Format::Html {
            // A page names its own charset; `encoding` is for plain text.
            let page = html::extract(bytes)?;
            let mut source = Self::from_text(path, format, page.text);
            source.origin = Some(page.origin);
            source.evidence = page.evidence;
            return Ok(source);
        }
        if format == Format::Docx {
            return Self::from_docx(path, bytes, docx::Changes::Accept);
        }
        let text = decode(bytes, encoding)?;
        Ok(Self::from_text(path, format, text))
    }

    pub fn display_path(&self) -> String {
        self.path.display().to_string()
    }

    /// A span from two byte offsets, with line and column filled in.
    pub fn span(&self, start: usize, end: usize) -> Span {
        let (line, column) = self.lines.position(&self.text, start);
        Span { start, end, line, column }
    }

    /// The position of a byte offset as the person's file has it: the
    /// original page's line and column for a converted source, else the
    /// text's.
    pub fn original_position(&self, offset: usize) -> (u32, u32) {
        match &self.origin {
            Some(origin) => origin.locate(&self.text, offset),
            None => self.lines.position(&self.text, offset),
        }
    }

    /// Line and column (both 1-based, column in characters) of the span's end.
    pub fn end_position(&self, span: Span) -> (u32, u32) {
        self.lines.position(&self.text, span.end)
    }

    /// The text of the 1-based line `line`, without its line break.
    pub fn line_text(&self, line: u32) -> &str {
        self.lines.line_text(&self.text, line)
    }
}

/// The largest source read unless `POLICYC_MAX_SOURCE_SIZE` says otherwise:
/// the longest real policy is a few megabytes, so this only stops a wrong
/// path (a disk image, `/dev/zero` behind a link) before it fills memory.
pub const DEFAULT_MAX_SOURCE_SIZE: u64 = 256 * 1024 * 1024;

/// The environment variable that sets the largest source read, in bytes or
/// with a unit: `512M`, `1G`, `64K`.
pub const MAX_SOURCE_SIZE_VAR: &str = "POLICYC_MAX_SOURCE_SIZE";

/// Why a source file could not be read (its bytes, or its text).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    /// `policyc check no-such-file.txt`
    #[error("{}", io_reason(.0))]
    Io(#[from] std::io::Error),
    /// `mkfifo pipe.txt; policyc check pipe.txt`: reading would wait for a
    /// writer forever; `/dev/zero` would never end.
    #[error("it is {0}, not a regular file")]
    NotRegular(&'static str),
    /// A file larger than the limit ([`DEFAULT_MAX_SOURCE_SIZE`]).
    #[error("it is larger than {limit} bytes, the most policyc reads from one source")]
    TooLarge { limit: u64 },
    /// `POLICYC_MAX_SOURCE_SIZE=lots`
    #[error("{MAX_SOURCE_SIZE_VAR}=`{0}` is not a size (bytes, or a number with K, M or G)")]
    BadLimit(String),
    /// The bytes are not a text policyc reads.
    #[error(transparent)]
    Decode(#[from] SourceError),
}

impl ReadError {
    /// What the person can do about it.
    pub fn help(&self) -> &'static str {
        match self {
            ReadError::Io(e) => match e.kind() {
                std::io::ErrorKind::NotFound => "check the path (a relative path starts from the current directory)",
                std::io::ErrorKind::PermissionDenied => {
                    "make the file readable (`chmod u+r FILE`), or run as its owner"
                }
                std::io::ErrorKind::IsADirectory => "name a .txt or .md file inside it instead",
                _ => "check that the file exists and can be read",
            },
            ReadError::NotRegular(_) => {
                "policyc reads regular files only (never a pipe or a device, which may never end); save the text to a file first"
            }
            ReadError::TooLarge { .. } => {
                "a policy is far smaller: check that this is the file you meant, or raise the limit with POLICYC_MAX_SOURCE_SIZE (e.g. `POLICYC_MAX_SOURCE_SIZE=1G`)"
            }
            ReadError::BadLimit(_) => {
                "set POLICYC_MAX_SOURCE_SIZE to a size such as 268435456, 512M or 1G, or unset it"
            }
            ReadError::Decode(e) => e.help(),
        }
    }
}

/// An I/O error as a person reads it: what is wrong, without the OS's error
/// number.
pub fn io_reason(error: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    let reason = match error.kind() {
        K::NotFound => "there is no such file or directory",
        K::PermissionDenied => "permission denied",
        K::IsADirectory => "it is a directory",
        K::NotADirectory => "a part of the path is not a directory",
        K::AlreadyExists => "it already exists",
        K::StorageFull => "the disk is full",
        K::QuotaExceeded => "the disk quota is exceeded",
        K::ReadOnlyFilesystem => "the file system is read-only",
        K::FileTooLarge => "the file is too large for the file system",
        K::InvalidFilename => "the file name is too long or not allowed",
        K::CrossesDevices => "it would move a file across file systems",
        _ => {
            // The OS's own words, without its "(os error N)".
            let text = error.to_string();
            return match text.rfind(" (os error ") {
                Some(at) => text[..at].to_lowercase(),
                None => text,
            };
        }
    };
    reason.to_owned()
}

/// The largest source to read: [`MAX_SOURCE_SIZE_VAR`], or the default.
pub fn max_source_size() -> Result<u64, ReadError> {
    let Some(value) = std::env::var_os(MAX_SOURCE_SIZE_VAR).filter(|v| !v.is_empty()) else {
        return Ok(DEFAULT_MAX_SOURCE_SIZE);
    };
    let text = value.to_string_lossy().trim().to_owned();
    let (digits, unit) = match text.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((at, _)) => text.split_at(at),
        None => (text.as_str(), ""),
    };
    let scale: u64 = match unit.to_ascii_uppercase().trim_end_matches(['B', 'I']) {
        "" => 1,
        "K" => 1 << 10,
        "M" => 1 << 20,
        "G" => 1 << 30,
        _ => return Err(ReadError::BadLimit(text)),
    };
    digits.parse::<u64>().ok().and_then(|n| n.checked_mul(scale)).ok_or(ReadError::BadLimit(text))
}

/// What a file that is not a regular file is, for a message; `None` for a
/// regular file.
pub fn special_kind(file_type: std::fs::FileType) -> Option<&'static str> {
    if file_type.is_file() {
        return None;
    }
    if file_type.is_dir() {
        return Some("a directory");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return Some("a named pipe (FIFO)");
        }
        if file_type.is_char_device() {
            return Some("a character device");
        }
        if file_type.is_block_device() {
            return Some("a block device");
        }
        if file_type.is_socket() {
            return Some("a socket");
        }
    }
    Some("not a regular file")
}

/// The bytes of a source file: a regular file (through symbolic links) no
/// larger than [`max_source_size`]. Never waits on a pipe or reads a device.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, ReadError> {
    use std::io::Read;
    let limit = max_source_size()?;
    // Looked at before opening: opening a FIFO for reading waits for a writer.
    let meta = std::fs::metadata(path)?;
    if let Some(kind) = special_kind(meta.file_type()) {
        return Err(ReadError::NotRegular(kind));
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        // Should the path become a FIFO between the look and the open, the
        // open returns at once instead of waiting; the second look refuses it.
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if let Some(kind) = special_kind(meta.file_type()) {
        return Err(ReadError::NotRegular(kind));
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge { limit });
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // A file that grows while it is read still stops at the limit.
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { limit });
    }
    Ok(bytes)
}

impl SourceFile {
    /// Read and decode the source at `path` (as the person gave it, which
    /// messages show), its format decided by its extension (text when it has
    /// none policyc knows).
    pub fn read(path: &Path, encoding: Encoding) -> Result<SourceFile, ReadError> {
        Self::read_with(path, encoding, docx::Changes::Accept)
    }

    /// [`SourceFile::read`], choosing which text of a Word document with
    /// tracked changes is read.
    pub fn read_with(path: &Path, encoding: Encoding, changes: docx::Changes) -> Result<SourceFile, ReadError> {
        let bytes = read_bytes(path)?;
        let format = Format::from_path(path).unwrap_or(Format::Text);
        if format == Format::Docx {
            return Ok(SourceFile::from_docx(path, &bytes, changes)?);
        }
        Ok(SourceFile::from_vec(path, format, bytes, encoding)?)
    }

    /// [`SourceFile::from_bytes`] taking the bytes: UTF-8 becomes the text
    /// where it lies, so a large source is not held twice while it is
    /// decoded.
    pub fn from_vec(
        path: impl Into<PathBuf>,
        format: Format,
        bytes: Vec<u8>,
        encoding: Encoding,
    ) -> Result<Self, SourceError> {
        if matches!(format, Format::Html | Format::Docx) {
            // Converted sources are read from their bytes, not decoded as text.
            return Self::from_bytes(path, format, &bytes, encoding);
        }
        let text = decode_owned(bytes, encoding)?;
        Ok(Self::from_text(path, format, text))
    }
}

/// [`decode`] of bytes it may keep: valid UTF-8 is not copied.
pub fn decode_owned(bytes: Vec<u8>, encoding: Encoding) -> Result<String, SourceError> {
    if encoding != Encoding::Utf8
        || bytes.is_empty()
        || bytes.starts_with(&[0xff, 0xfe])
        || bytes.starts_with(&[0xfe, 0xff])
    {
        return decode(&bytes, encoding);
    }
    let mut text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => return decode(e.as_bytes(), encoding),
    };
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    if let Some(at) = binary_offset(&text) {
        let (line, column) = LineIndex::new(&text).position(&text, at);
        return Err(SourceError::Binary { line, column });
    }
    Ok(text)
}

/// Decode bytes into text, or say precisely why not.
pub fn decode(bytes: &[u8], encoding: Encoding) -> Result<String, SourceError> {
    if bytes.is_empty() {
        return Err(SourceError::Empty);
    }
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return Err(SourceError::Utf16);
    }
    let text = match encoding {
        Encoding::Gb18030 => {
            let (text, _, had_errors) = encoding_rs::GB18030.decode(bytes);
            if had_errors {
                let (line, column) = position_in_bytes(bytes, first_undecodable_gb18030(bytes));
                return Err(SourceError::NotUtf8 { line, column });
            }
            text.into_owned()
        }
        Encoding::Utf8 => match std::str::from_utf8(bytes) {
            Ok(text) => text.strip_prefix('\u{feff}').unwrap_or(text).to_owned(),
            Err(err) => {
                let at = err.valid_up_to();
                let (line, column) = position_in_bytes(bytes, at);
                if looks_binary(bytes) {
                    return Err(SourceError::Binary { line, column });
                }
                let (_, _, had_errors) = encoding_rs::GB18030.decode(bytes);
                return Err(if had_errors {
                    SourceError::NotUtf8 { line, column }
                } else {
                    SourceError::Gb18030 { line, column }
                });
            }
        },
    };
    if let Some(at) = binary_offset(&text) {
        let (line, column) = LineIndex::new(&text).position(&text, at);
        return Err(SourceError::Binary { line, column });
    }
    Ok(text)
}

fn first_undecodable_gb18030(bytes: &[u8]) -> usize {
    // Decode growing prefixes is quadratic; instead find the first byte whose
    // inclusion introduces a replacement character, by bisection on prefixes
    // that end at ASCII boundaries. Good enough for an error message.
    let mut lo = 0;
    let mut hi = bytes.len();
    while lo + 1 < hi {
        let mid = (lo + hi) / 2;
        let (_, bad) = encoding_rs::GB18030.decode_without_bom_handling(&bytes[..mid]);
        if bad { hi = mid } else { lo = mid }
    }
    lo
}

/// Binary data: a NUL byte, or many control characters in the first 8 KiB.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return true;
    }
    let controls = head.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c)).count();
    controls * 10 > head.len()
}

fn binary_offset(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    if let Some(at) = memchr::memchr(0, bytes) {
        return Some(at);
    }
    // In the first 8,192 characters, more than one control character in
    // ten (other than line breaks, tabs and form feeds) is binary data. The
    // controls are U+0000–U+001F and U+007F (one byte each) and
    // U+0080–U+009F (0xC2 then 0x80–0x9F); every source is scanned, so this
    // counts bytes rather than decoding characters.
    let (mut chars, mut controls, mut first) = (0usize, 0usize, None);
    let mut at = 0;
    while at < bytes.len() && chars < 8192 {
        let b = bytes[at];
        let control = match b {
            b'\n' | b'\r' | b'\t' | 0x0c => false,
            0x00..=0x1f | 0x7f => true,
            0xc2 => bytes.get(at + 1).is_some_and(|next| (0x80..=0x9f).contains(next)),
            _ => false,
        };
        if control {
            controls += 1;
            first.get_or_insert(at);
        }
        chars += usize::from(b & 0xc0 != 0x80);
        at += 1;
    }
    (controls * 10 > chars).then(|| first.unwrap_or(0))
}

/// Line and column of a byte offset in bytes that are UTF-8 up to it.
fn position_in_bytes(bytes: &[u8], at: usize) -> (u32, u32) {
    let valid = String::from_utf8_lossy(&bytes[..at]);
    let line = valid.matches('\n').count() + 1;
    let column = valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (saturate(line), saturate(column))
}

fn saturate(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Byte offsets of line starts, so that a byte offset becomes a line and a
/// column in O(log n) plus at most [`CHECKPOINT`] bytes counted, however
/// long the line: a paragraph of one 50 MB line is a line like any other.
///
/// A line ends at `\n`, `\r\n` or a lone `\r` (old Mac files and some
/// exports end lines with CR alone).
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// Characters in `text[..k * CHECKPOINT]` for every k: built the first
    /// time a column is asked on a line longer than [`CHECKPOINT`], so
    /// ordinary text never pays for it.
    checkpoints: std::sync::OnceLock<Vec<usize>>,
}

/// Bytes between two character-count checkpoints: a column is counted over
/// at most this many bytes (a few microseconds), and the checkpoints take
/// one word per this many bytes of text.
pub const CHECKPOINT: usize = 1024;

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        starts.extend(
            memchr::memchr2_iter(b'\n', b'\r', bytes)
                .filter(|&i| bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n'))
                .map(|i| i + 1),
        );
        LineIndex { starts, checkpoints: std::sync::OnceLock::new() }
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// 1-based line and 1-based column in characters of a byte offset.
    pub fn position(&self, text: &str, offset: usize) -> (u32, u32) {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let column = if offset - start <= CHECKPOINT {
            crate::scan::char_count(&text.as_bytes()[start..offset])
        } else {
            self.chars_before(text, offset) - self.chars_before(text, start)
        };
        (saturate(line), saturate(column + 1))
    }

    /// How many characters `text[..offset]` holds, from the nearest
    /// checkpoint below `offset`.
    fn chars_before(&self, text: &str, offset: usize) -> usize {
        let bytes = text.as_bytes();
        let checkpoints = self.checkpoints.get_or_init(|| {
            let mut total = 0;
            let mut out = Vec::with_capacity(bytes.len() / CHECKPOINT + 1);
            out.push(0);
            for chunk in bytes.chunks_exact(CHECKPOINT) {
                total += crate::scan::char_count(chunk);
                out.push(total);
            }
            out
        });
        let k = (offset / CHECKPOINT).min(checkpoints.len() - 1);
        checkpoints[k] + crate::scan::char_count(&bytes[k * CHECKPOINT..offset])
    }

    /// Byte offset where a 1-based line starts.
    pub fn line_start(&self, line: u32) -> usize {
        let i = (line as usize).saturating_sub(1).min(self.starts.len() - 1);
        self.starts[i]
    }

    /// Byte range of a 1-based line, with its line break.
    pub fn line_range(&self, text: &str, line: u32) -> std::ops::Range<usize> {
        let start = self.line_start(line);
        let end = self.starts.get(line as usize).copied().unwrap_or(text.len()).max(start);
        start..end
    }

    pub fn line_text<'a>(&self, text: &'a str, line: u32) -> &'a str {
        text[self.line_range(text, line)].trim_end_matches(['\n', '\r'])
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    /// The rule as first written, a character at a time.
    fn binary_offset_by_chars(text: &str) -> Option<usize> {
        if let Some(at) = text.find('\0') {
            return Some(at);
        }
        let head_end = text.char_indices().nth(8192).map_or(text.len(), |(i, _)| i);
        let head = &text[..head_end];
        let is_counted = |c: char| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}');
        let controls = head.chars().filter(|&c| is_counted(c)).count();
        (controls * 10 > head.chars().count())
            .then(|| head.char_indices().find(|&(_, c)| is_counted(c)).map_or(0, |(i, _)| i))
    }

    #[test]
    fn the_head_is_exactly_8192_characters() {
        for filler in ["a", "权"] {
            // 820 controls in 8,192 characters: binary, but only when the
            // last character, a control, is counted; the 8,193rd is not.
            let text = "\u{1}".repeat(819) + &filler.repeat(7372) + "\u{85}" + &filler.repeat(100);
            assert_eq!(super::binary_offset(&text), Some(0));
            let text = "\u{1}".repeat(819) + &filler.repeat(7373) + "\u{85}";
            assert_eq!(super::binary_offset(&text), None);
        }
    }

    /// Line and column counted a character at a time, with `\n`, `\r\n`
    /// and a lone `\r` ending lines.
    fn position_by_chars(text: &str, offset: usize) -> (u32, u32) {
        let (mut line, mut column) = (1, 1);
        // A CR that a LF follows (even past `offset`) is not a break itself.
        for (i, c) in text[..offset].char_indices() {
            if c == '\n' || (c == '\r' && text.as_bytes().get(i + 1) != Some(&b'\n')) {
                (line, column) = (line + 1, 1);
            } else {
                column += 1;
            }
        }
        (line, column)
    }

    #[test]
    fn a_lone_cr_ends_a_line() {
        let text = "一、总则\r（一）目标。\r\n二、措施\n\r三";
        let index = super::LineIndex::new(text);
        assert_eq!(index.line_count(), 5);
        let at = text.find('二').unwrap();
        assert_eq!(index.position(text, at), (3, 1));
        assert_eq!(index.position(text, text.find('三').unwrap()), (5, 1));
        assert_eq!(index.line_text(text, 2), "（一）目标。");
    }

    /// A counterexample proptest once found (C1 controls between Latin-1
    /// letters), kept here rather than in a regressions file.
    #[test]
    fn c1_controls_next_to_latin_1_letters() {
        for text in ["\u{9f}\u{a0}\u{c2}", &"\u{9f}\u{a0}\u{c2}".repeat(40)] {
            assert_eq!(super::binary_offset(text), binary_offset_by_chars(text));
        }
    }

    proptest! {
        #![proptest_config(crate::testing::proptest_config(256))]

        /// Columns far into long lines come from the checkpoints; they agree
        /// with counting every character.
        #[test]
        fn positions_agree_with_counting(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just("知识产权".to_owned()),
                    Just("\n".to_owned()),
                    Just("\r".to_owned()),
                    Just("\r\n".to_owned()),
                    "[a-z ]{0,8}",
                    any::<char>().prop_map(String::from),
                    (0usize..3000).prop_map(|n| "服".repeat(n)),
                ],
                0..24,
            ),
            picks in proptest::collection::vec(any::<proptest::sample::Index>(), 1..16),
        ) {
            let text = parts.concat();
            let index = super::LineIndex::new(&text);
            let bounds: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).collect();
            for pick in picks {
                let at = *pick.get(&bounds);
                prop_assert_eq!(index.position(&text, at), position_by_chars(&text, at), "at {}", at);
            }
        }

        #[test]
        fn byte_scan_agrees_with_the_character_rule(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just("知识产权".to_owned()),
                    Just("\u{85}".to_owned()),
                    Just("\u{9f}\u{a0}\u{c2}".to_owned()),
                    Just("\u{1}\u{1b}\u{7f}".to_owned()),
                    Just("\n\r\t\u{c}".to_owned()),
                    Just("\0".to_owned()),
                    "[a-z ]{0,8}",
                    any::<char>().prop_map(String::from),
                ],
                0..64,
            ),
            // Long heads, so the 8,192-character cut falls anywhere.
            padding in prop_oneof![Just(0usize), 8180usize..8200],
            wide in any::<bool>(),
        ) {
            let pad = if wide { "权" } else { "a" };
            let text = pad.repeat(padding) + &parts.concat();
            prop_assert_eq!(super::binary_offset(&text), binary_offset_by_chars(&text));
            let text = parts.concat() + &pad.repeat(padding);
            prop_assert_eq!(super::binary_offset(&text), binary_offset_by_chars(&text));
        }
    }
}
