//! `policies/` → `output/`: the build step.
//!
//! Takes a directory of sources (`<slug>.txt`, `<slug>.md`) and writes, for
//! each, `<slug>.yaml`, `<slug>.md` and `<slug>.html`, plus `index.html`
//! and `owners.html` over all of them, the owners store ([`store`]) and a
//! manifest (`.policyc-manifest.json`) that records what was built from
//! what. Files are parsed and rendered in parallel (rayon), in batches taken
//! in slug order, so the bytes do not depend on the thread count and memory
//! does not grow with the number of files. Writes go through
//! [`crate::write`] only. Outputs policyc no longer writes (their source
//! is gone, their edition dropped from `editions = [...]`) are removed —
//! only files the manifest says policyc wrote, never anything else in the
//! directory. Each policy's page links its neighbours in the index's order
//! ([`sequence`]). A source that fails is reported, keeps its last good edition
//! everywhere (page, index row, owners), and the rest is still built. An
//! output directory that overlaps the policies directory is refused before
//! anything is written, and temp files of a killed build are removed.
//!
//! The build is incremental: the manifest keeps each source's content hash
//! and a fingerprint of policyc and the templates. A source whose hash and
//! outputs are as the manifest says is not even parsed; a changed template
//! (or policyc version) rebuilds everything; and no file is rewritten when
//! its bytes would not change, so a build with nothing changed writes
//! nothing at all ([`BuildReport::written`] says what was written). Progress
//! is reported through [`Progress`], so that the caller decides whether and
//! how to show it.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

pub mod history;
pub mod search;
pub mod sequence;
pub mod store;
pub mod units;

use rayon::prelude::*;
use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::diag::{Diagnostic, Severity};
use crate::digest;
use crate::emit::html::{IndexEntry, Page, Renderer, is_draft};
use crate::emit::{Edition, EmitError};
use crate::parse;
use crate::source::{Encoding, Format, ReadError, SourceError, SourceFile};
use crate::tree::Document;
pub use crate::tree::summary::IndexRow;

/// The editions a build writes for each source unless `policyc.toml` says
/// `editions = [...]`.
pub const EDITIONS: [Edition; 4] = [Edition::Yaml, Edition::Markdown, Edition::Html, Edition::Docx];

/// The editions the project's settings (`policyc.toml`'s text) choose:
/// `editions = ["yaml", "md", "html", "docx"]`, every one when unset.
pub fn editions(settings: &str) -> Result<Vec<Edition>, BuildError> {
    #[derive(Deserialize)]
    struct Settings {
        editions: Option<Vec<String>>,
    }
    // A file that is not TOML is reported by the checks' configuration.
    let Ok(Settings { editions: Some(names) }) = toml::from_str::<Settings>(settings) else {
        return Ok(EDITIONS.to_vec());
    };
    let mut chosen = Vec::new();
    for name in names {
        let edition: Edition = name.parse().map_err(BuildError::Settings)?;
        // JSON is the YAML edition's twin for machines; a build writes YAML.
        if edition == Edition::Json {
            return Err(BuildError::Settings("`json` is not built: `policyc parse --to json` prints it".into()));
        }
        if !chosen.contains(&edition) {
            chosen.push(edition);
        }
    }
    // Always the same order, whatever the order written.
    chosen.sort_by_key(|e| EDITIONS.iter().position(|x| x == e));
    Ok(chosen)
}

/// The editions a page links to: those built beside it, but itself.
fn linked(editions: &[Edition]) -> Vec<&'static str> {
    editions.iter().filter(|e| **e != Edition::Html).map(|e| e.extension()).collect()
}

/// The manifest's file name inside the output directory.
pub const MANIFEST: &str = ".policyc-manifest.json";

/// Changes whenever the manifest's entries change shape; then every
/// document is built again.
const MANIFEST_FORMAT: u32 = 3;

/// The owners store (see [`store`]): each built document's units and
/// their clauses, for the site's owners view. Kept apart from the manifest
/// because it is large (every clause of every unit) and read only when the
/// owners pages are rendered again, so that a build with nothing changed
/// reads the small manifest alone.
pub const OWNERS: &str = ".policyc-owners.jsonl";

/// The site's pages over all documents; a source may not take their names.
pub const SITE_PAGES: [&str; 2] = ["index.html", "owners.html"];

/// Sources are built this many at a time, in parallel, and then reported
/// and let go of in slug order: what is printed and written does not depend
/// on the thread count, and memory does not grow with the number of sources.
const CHUNK: usize = 64;

#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub input: PathBuf,
    pub output: PathBuf,
    pub templates: Option<PathBuf>,
    /// Publish documents that have errors (they are still reported).
    pub allow_errors: bool,
    /// Whatever else decides what is published (the checks' configuration,
    /// as text): when it changes, every source is built again.
    pub settings: String,
}

/// A source that could not be built, and why.
#[derive(Debug)]
pub enum Failure {
    /// The file could not be read (it is gone, unreadable, a pipe, too large).
    Read(ReadError),
    Decode(SourceError),
    /// The document parsed but has errors; `diagnostics` says which.
    Errors,
    Emit(EmitError),
    Write(PathBuf, io::Error),
    /// The slug would overwrite one of the site's own pages ([`SITE_PAGES`]).
    Reserved,
    /// Another source has the same slug (`a.txt` and `a.md`): neither is
    /// built, since either would overwrite the other's editions.
    SharedSlug(PathBuf),
    /// The slug has characters a file name in a link should not have
    /// ([`check_slug`]); `safe` is a name that would do.
    UnsafeName {
        safe: String,
    },
}

impl Failure {
    /// The file could not be read as text (or an edition not written),
    /// rather than read and found wrong: every command exits 2 for that, and
    /// 1 for a document with errors.
    pub fn is_io(&self) -> bool {
        matches!(self, Failure::Read(_) | Failure::Decode(_) | Failure::Write(..))
    }

    /// What happened to the source at `path` (published as `slug`), as a
    /// predicate of it ("would overwrite …"), and what to do about it: the
    /// one wording of a failure, which the terminal and `serve`'s overlay
    /// both show.
    pub fn describe(&self, path: &Path, slug: &str) -> (String, Option<String>) {
        match self {
            Failure::Read(e) => (format!("could not be read: {e}"), Some(e.help().to_owned())),
            Failure::Decode(e) => (e.to_string(), Some(e.help().to_owned())),
            Failure::Errors => (
                "has errors and was not published; its last good edition stays".to_owned(),
                Some("fix them, or pass --allow-errors".to_owned()),
            ),
            Failure::Emit(e) => (format!("could not be rendered: {e}"), None),
            Failure::Write(to, e) => (
                format!("could not be published: cannot write {}: {}", to.display(), crate::source::io_reason(e)),
                None,
            ),
            Failure::Reserved => {
                (format!("would overwrite the site's own {slug}.html"), Some("rename the source".to_owned()))
            }
            Failure::SharedSlug(other) => (
                format!(
                    "and {} would both be published as {slug}.html; neither was built (its last good edition stays)",
                    other.display()
                ),
                Some("rename or remove one of them".to_owned()),
            ),
            Failure::UnsafeName { safe } => {
                let renamed =
                    path.extension().map_or_else(|| safe.clone(), |e| format!("{safe}.{}", e.to_string_lossy()));
                (
                    format!("was not published: its name `{slug}` has characters a link must not carry"),
                    Some(format!("rename it to `{renamed}` (ASCII letters, digits, CJK characters, `-`, `_` and `.`)")),
                )
            }
        }
    }
}

/// What happened to one source. [`Progress::done`] sees it whole; the
/// [`BuildReport`] keeps it without `source` and `diagnostics`, so that
/// ten thousand sources are not all held until the end.
#[derive(Debug)]
pub struct FileReport {
    pub slug: String,
    pub path: PathBuf,
    /// The decoded source, when it has diagnostics to show with it.
    pub source: Option<SourceFile>,
    pub diagnostics: Vec<Diagnostic>,
    pub outcome: Outcome,
}

#[derive(Debug)]
pub enum Outcome {
    Built,
    Unchanged,
    Failed(Failure),
}

#[derive(Debug, Default)]
pub struct BuildReport {
    pub files: Vec<FileReport>,
    /// Outputs removed because their source is gone.
    pub removed: Vec<PathBuf>,
    /// Every file this build wrote (editions, site pages, store, manifest),
    /// sorted.
    pub written: Vec<PathBuf>,
}

/// Told about a build's progress.
pub trait Progress: Sync {
    /// The build found `total` sources.
    fn start(&self, _total: usize) {}
    /// One source is done (built, unchanged or failed). Called from the
    /// calling thread, in slug order, with the file's source and
    /// diagnostics, which the build lets go of afterwards.
    fn done(&self, _file: &FileReport) {}
}

/// No progress reporting.
impl Progress for () {}

impl BuildReport {
    pub fn failed(&self) -> usize {
        self.files.iter().filter(|f| matches!(f.outcome, Outcome::Failed(_))).count()
    }
    pub fn built(&self) -> usize {
        self.files.iter().filter(|f| matches!(f.outcome, Outcome::Built)).count()
    }
    pub fn unchanged(&self) -> usize {
        self.files.iter().filter(|f| matches!(f.outcome, Outcome::Unchanged)).count()
    }
    /// Sources that failed for want of reading or writing a file rather
    /// than for what they say.
    pub fn io_failures(&self) -> usize {
        self.files.iter().filter(|f| matches!(&f.outcome, Outcome::Failed(failure) if failure.is_io())).count()
    }
}

/// Trouble with the build as a whole (not with one source).
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("cannot read the policies directory {}: {}", .0.display(), crate::source::io_reason(.1))]
    Input(PathBuf, io::Error),
    #[error("cannot create the output directory {}: {}", .0.display(), crate::source::io_reason(.1))]
    Output(PathBuf, io::Error),
    #[error("{0}")]
    Templates(EmitError),
    #[error("cannot write {}: {}", .0.display(), crate::source::io_reason(.1))]
    Write(PathBuf, io::Error),
    /// A file of policyc's own bookkeeping (the manifest, the owners store)
    /// could not be written: the person knows the directory, not the file.
    #[error("cannot write into the output directory {}: {}", .0.display(), crate::source::io_reason(.1))]
    OutputWrite(PathBuf, io::Error),
    /// `policyc build d -o d`: editions would overwrite sources (a Markdown
    /// source and its Markdown edition have the same name), and every later
    /// build would read the editions as sources.
    #[error("the output directory {} {relation} the policies directory {}; nothing was written", output.display(), input.display())]
    Overlap { input: PathBuf, output: PathBuf, relation: &'static str },
    /// A source that is a link to a file in the output directory, which an
    /// edition could replace.
    #[error("the source {} is a link into the output directory {}; nothing was written", link.display(), output.display())]
    SourceInOutput { link: PathBuf, output: PathBuf },
    /// `editions = ["pdf"]` in policyc.toml.
    #[error("policyc.toml: editions: {0}")]
    Settings(String),
}

/// What the manifest remembers of each source.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestEntry {
    pub source: String,
    pub source_hash: String,
    pub outputs: Vec<String>,
    pub index: Option<IndexRow>,
    /// Where the document's block of the owners store starts and how long
    /// it is (see [`store`]).
    #[serde(default)]
    pub owners_block: [u64; 2],
    /// A digest of that block, so that a change to the document's owners is
    /// seen without reading the store, and a damaged store is noticed.
    #[serde(default)]
    pub owners_digest: String,
    /// The previous/next links its page carries (see [`sequence`]).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sequence: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Changes when policyc or the templates change: then everything is rebuilt.
    pub generator: String,
    /// A digest of everything the index shows (the generator, and each
    /// document's index row and owners): the index is rendered again only
    /// when it changes.
    #[serde(default)]
    pub index_digest: String,
    pub files: BTreeMap<String, ManifestEntry>,
}

impl Manifest {
    fn index_digest(&self) -> String {
        let mut hasher = digest::Hasher::default();
        hasher.update(self.generator.as_bytes());
        for (slug, entry) in &self.files {
            hasher.update(slug.as_bytes());
            hasher.update(serde_json::to_string(&entry.index).unwrap_or_default().as_bytes());
            hasher.update(entry.owners_digest.as_bytes());
        }
        hasher.hex()
    }
}

impl Manifest {
    pub fn load(output: &Path) -> Manifest {
        fs::read_to_string(output.join(MANIFEST)).ok().and_then(|s| serde_json::from_str(&s).ok()).unwrap_or_default()
    }
}

/// The sources in a directory, sorted by file name: everything named
/// `.txt`, `.md`, `.html` or `.docx` but a directory, and but the owner file
/// Word keeps beside a document it has open (`~$通知.docx`, a few bytes
/// naming who holds it), which is not a document. A name that is not a
/// regular file (a FIFO, a dangling link) is listed all the same, so that
/// reading it fails with a message instead of the document silently leaving
/// the site.
pub fn sources(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        // The directory listing tells a file's type without a lookup,
        // except through a symbolic link.
        let is_dir = match entry.file_type() {
            Ok(t) if !t.is_symlink() => t.is_dir(),
            _ => path.is_dir(),
        };
        if !is_dir && Format::from_path(&path).is_some() && !is_word_owner_file(&path) {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}

/// `~$通知.docx`: the lock Word writes while `通知.docx` is open.
pub fn is_word_owner_file(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n.to_string_lossy().starts_with("~$"))
}

/// The slug of a source: its file stem.
pub fn slug(path: &Path) -> String {
    path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

/// A slug is safe in a file name, a URL and an attribute when it is made of
/// ASCII letters and digits, CJK ideographs, `-`, `_` and `.`, and starts
/// with a letter, a digit or an ideograph (not a hidden file, not `..`).
/// `Err` gives a safe slug to rename the source to.
pub fn check_slug(slug: &str) -> Result<(), String> {
    static SAFE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^[A-Za-z0-9\p{Han}][A-Za-z0-9\p{Han}._-]*$").expect("a valid pattern"));
    static UNSAFE_RUN: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"[^A-Za-z0-9\p{Han}._-]+").expect("a valid pattern"));
    if SAFE.is_match(slug) {
        return Ok(());
    }
    let safe = UNSAFE_RUN.replace_all(slug, "-");
    let safe = safe.trim_matches(['-', '.', '_']);
    Err(if safe.is_empty() { "document".to_owned() } else { safe.to_owned() })
}

/// The checks a build runs before publishing; `validate` plugs in here. It
/// gets the parser's diagnostics to complete (and to reconfigure: a rule
/// set to `allow` drops them).
pub type Checker = dyn Fn(&SourceFile, &Document, &mut Vec<Diagnostic>) + Sync;

/// Build every source in `options.input` into `options.output`.
pub fn build(options: &BuildOptions, checker: &Checker) -> Result<BuildReport, BuildError> {
    build_with_progress(options, checker, &())
}

/// [`build`], telling `progress` as sources are done.
pub fn build_with_progress(
    options: &BuildOptions,
    checker: &Checker,
    progress: &dyn Progress,
) -> Result<BuildReport, BuildError> {
    build_trusting(options, checker, progress, true)
}

/// `trust_previous`: whether the manifest of the last build may spare work.
fn build_trusting(
    options: &BuildOptions,
    checker: &Checker,
    progress: &dyn Progress,
    trust_previous: bool,
) -> Result<BuildReport, BuildError> {
    let renderer = match &options.templates {
        Some(dir) => Renderer::with_overrides(dir).map_err(BuildError::Templates)?,
        None => Renderer::builtin(),
    };
    let editions = editions(&options.settings)?;
    let paths = sources(&options.input).map_err(|e| BuildError::Input(options.input.clone(), e))?;
    refuse_overlap(&options.input, &options.output, &paths)?;
    let chains = history::chains(&options.input).map_err(|e| BuildError::Input(options.input.clone(), e))?;
    // Sources of one slug (`a.txt` and `a.md`) fail together; the others
    // are built.
    let mut slugs: BTreeMap<String, Vec<&PathBuf>> = BTreeMap::new();
    for path in &paths {
        slugs.entry(slug(path)).or_default().push(path);
    }
    // Into a directory this build creates, nothing needs comparing with
    // what is there, nor cleaning up: that spares a lookup per output.
    let fresh_output = !options.output.exists();
    fs::create_dir_all(&options.output).map_err(|e| BuildError::Output(options.output.clone(), e))?;
    let mut stale = if fresh_output { Vec::new() } else { crate::write::remove_stale_temps(&options.output) };
    let owners_path = options.output.join(OWNERS);
    // Without the owners store, a document that is not parsed again could
    // not be listed in the owners view: then nothing is taken as unchanged.
    let previous =
        if trust_previous && owners_path.is_file() { Manifest::load(&options.output) } else { Manifest::default() };
    // The manifest's own format is part of it: an entry written by an older
    // format may lack what this build relies on (`owners_digest`). The
    // editions' format version and the dependencies' lock file make outputs
    // of another policyc stale; the settings, outputs checked under other
    // rules.
    let generator = format!(
        "policyc {} format {} deps {} manifest {MANIFEST_FORMAT} templates {} settings {}",
        env!("CARGO_PKG_VERSION"),
        crate::emit::FORMAT_VERSION,
        env!("POLICYC_LOCK_DIGEST"),
        renderer.fingerprint(),
        digest::hex(options.settings.as_bytes()),
    );
    let fresh_generator = previous.generator == generator;

    progress.start(paths.len() + chains.iter().map(|c| c.versions.len()).sum::<usize>());
    let mut report = BuildReport::default();
    let mut manifest = Manifest { generator, index_digest: String::new(), files: BTreeMap::new() };
    // The owners blocks of the documents parsed now, in slug order, wait
    // here until the store is assembled from them and the previous store.
    let spill_path = options.output.join(".policyc-owners.new");
    let write_error = |path: &Path| {
        let path = path.to_owned();
        move |e| BuildError::Write(path, e)
    };
    // The store, its spill and the manifest are policyc's bookkeeping: a
    // failure to write them names the output directory the person gave.
    let output_error = |e| BuildError::OutputWrite(options.output.clone(), e);
    let mut spill = crate::write::StreamFile::create(&spill_path).map_err(output_error)?;
    let mut spilled = 0;
    // What each block in the spill holds, by slug.
    let mut parsed: BTreeMap<String, Vec<store::GroupInfo>> = BTreeMap::new();
    for chunk in paths.chunks(CHUNK) {
        let one = |path: &PathBuf| {
            let slug = slug(path);
            if let Some(other) = slugs.get(&slug).and_then(|all| all.iter().find(|p| **p != path)) {
                return Built::failed(path, slug, Failure::SharedSlug((*other).clone()));
            }
            if let Some(chain) = chains.iter().find(|c| c.slug == slug) {
                return Built::failed(path, slug, Failure::SharedSlug(chain.dir.clone()));
            }
            let recorded = previous.files.get(&slug).map(|e| e.sequence.as_str());
            let previous = if fresh_output {
                Previous::Nothing
            } else if fresh_generator {
                Previous::Trusted(&previous)
            } else {
                Previous::Untrusted
            };
            build_one(path, options, &editions, &renderer, checker, previous, recorded)
        };
        // A lone source (`policyc build` of one document) does not wake the
        // thread pool: starting its threads costs more than they save.
        let results: Vec<Built> =
            if chunk.len() == 1 { chunk.iter().map(one).collect() } else { chunk.par_iter().map(one).collect() };
        for Built { mut file, entry, written, block } in results {
            progress.done(&file);
            file.source = None;
            file.diagnostics = Vec::new();
            report.written.extend(written);
            match entry {
                Some(mut entry) => {
                    if let Some((block, groups)) = block {
                        let at = store::append(&mut spill, &mut spilled, &block).map_err(output_error)?;
                        entry.owners_block = [at, block.len() as u64];
                        parsed.insert(file.slug.clone(), groups);
                    }
                    manifest.files.insert(file.slug.clone(), entry);
                }
                // A failed source keeps its last good edition everywhere: its
                // pages stay, and so do its index row and its owners, whose
                // block is copied from the previous store. A publishing
                // pipeline never shows a page the index has lost.
                None => {
                    if let Some(old) = previous.files.get(&file.slug) {
                        manifest.files.insert(file.slug.clone(), old.clone());
                    }
                }
            }
            report.files.push(file);
        }
    }

    // Policies in versions (`<slug>/<date>.txt`), each built whole or not
    // at all; one whose slug a one-file source also has is neither.
    for chain in &chains {
        let prior = if fresh_output {
            Previous::Nothing
        } else if fresh_generator {
            Previous::Trusted(&previous)
        } else {
            Previous::Untrusted
        };
        let built = match slugs.get(&chain.slug).and_then(|all| all.first()) {
            Some(other) => history::ChainBuilt {
                files: vec![FileReport {
                    slug: chain.slug.clone(),
                    path: chain.dir.clone(),
                    source: None,
                    diagnostics: Vec::new(),
                    outcome: Outcome::Failed(Failure::SharedSlug((*other).clone())),
                }],
                entry: None,
                written: Vec::new(),
                block: None,
            },
            None => {
                let recorded = previous.files.get(&chain.slug).map(|e| e.sequence.as_str());
                history::build_chain(chain, options, &editions, &renderer, checker, prior, recorded)
            }
        };
        report.written.extend(built.written);
        match built.entry {
            Some(mut entry) => {
                if let Some((block, groups)) = built.block {
                    let at = store::append(&mut spill, &mut spilled, &block).map_err(output_error)?;
                    entry.owners_block = [at, block.len() as u64];
                    parsed.insert(chain.slug.clone(), groups);
                }
                manifest.files.insert(chain.slug.clone(), entry);
            }
            None => {
                if let Some(old) = previous.files.get(&chain.slug) {
                    manifest.files.insert(chain.slug.clone(), old.clone());
                }
            }
        }
        for mut file in built.files {
            progress.done(&file);
            file.source = None;
            file.diagnostics = Vec::new();
            report.files.push(file);
        }
    }

    // The owners store's former name: one JSON document, read whole.
    let legacy = options.output.join(".policyc-owners.json");
    if !fresh_output && fs::remove_file(&legacy).is_ok() {
        report.removed.push(legacy);
    }
    report.removed.append(&mut stale);
    // Remove what policyc wrote and no longer writes: the outputs of
    // sources that are gone, of editions `editions = [...]` dropped, of
    // versions a chain lost. Only files the manifest says policyc wrote;
    // anything else in the directory is left alone.
    let kept: std::collections::BTreeSet<&str> =
        manifest.files.values().flat_map(|e| e.outputs.iter().map(String::as_str)).collect();
    for old in previous.files.values() {
        for name in old.outputs.iter().filter(|name| !kept.contains(name.as_str())) {
            if let Ok(path) = crate::write::inside(&options.output, name)
                && fs::remove_file(&path).is_ok()
            {
                report.removed.push(path);
            }
        }
    }

    // Previous/next in the index's order: only pages whose neighbours
    // changed are patched.
    let entries = index_entries(&manifest);
    for (i, listed) in entries.iter().enumerate() {
        let links = sequence::links(i.checked_sub(1).map(|j| &entries[j]), entries.get(i + 1));
        let name = format!("{}.html", listed.slug);
        let Some(entry) = manifest.files.get_mut(&listed.slug) else { continue };
        if entry.sequence == links || !entry.outputs.contains(&name) {
            continue;
        }
        let path = options.output.join(&name);
        if let Some(page) = fs::read_to_string(&path).ok().and_then(|page| sequence::replace(&page, &links))
            && write_unless_same(&path, page.as_bytes(), false).map_err(write_error(&path))?
        {
            report.written.push(path);
        }
        entry.sequence = links;
    }
    report.written.sort();
    report.written.dedup();

    manifest.index_digest = manifest.index_digest();
    let pages: Vec<PathBuf> = SITE_PAGES.iter().map(|p| options.output.join(p)).collect();
    // When nothing the site's pages show has changed since the last build
    // (a source edited inside a clause without owners, say), the pages and
    // the owners store are neither rendered nor read: every document's
    // block is as it was, since the blocks' digests are part of the index
    // digest, and so is its place in the store.
    let pages_fresh =
        manifest.index_digest == previous.index_digest && owners_path.is_file() && pages.iter().all(|p| p.is_file());
    if pages_fresh {
        for (slug, entry) in manifest.files.iter_mut() {
            if let Some(old) = previous.files.get(slug) {
                entry.owners_block = old.owners_block;
            }
        }
        drop(spill);
    } else {
        use std::io::Write as _;
        spill.flush().map_err(output_error)?;
        let Some((store, catalog)) = assemble_store(&mut manifest, &parsed, spill, &owners_path)? else {
            // The previous store is damaged: build again without trusting
            // the past, and report what both passes did (each file's
            // diagnostics once).
            let told: std::collections::BTreeSet<String> = report
                .files
                .iter()
                .filter(|f| !matches!(f.outcome, Outcome::Unchanged))
                .map(|f| f.slug.clone())
                .collect();
            let mut again = build_trusting(options, checker, &Untold { inner: progress, told }, false)?;
            again.written.extend(report.written);
            again.written.sort();
            again.written.dedup();
            again.removed.extend(report.removed);
            return Ok(again);
        };
        let mut entries = index_entries(&manifest);
        let reader = fs::File::open(store.temp_path()).map_err(output_error)?;
        let (owners, trouble) = catalog.view(reader);
        let mut rendered = Vec::new();
        for (path, page) in pages.iter().zip(SITE_PAGES) {
            let mut out = crate::write::StreamFile::create(path).map_err(write_error(path))?;
            let result = match page {
                "index.html" => renderer.index_to(std::mem::take(&mut entries), owners.clone(), &mut out),
                _ => renderer.owners_page_to(owners.clone(), &store::write_html, &mut out),
            };
            result.map_err(|e| match e {
                EmitError::Write(e) => write_error(path)(e),
                other => BuildError::Templates(other),
            })?;
            if let Some(e) = trouble.lock().unwrap_or_else(|e| e.into_inner()).take() {
                return Err(output_error(e));
            }
            rendered.push((path, out));
        }
        if store.commit().map_err(output_error)? {
            report.written.push(owners_path.clone());
        }
        for (path, out) in rendered {
            if out.commit().map_err(write_error(path))? {
                report.written.push(path.clone());
            }
        }
    }
    // Streamed: the manifest of ten thousand sources is megabytes of JSON.
    let manifest_path = options.output.join(MANIFEST);
    let mut out = crate::write::StreamFile::create(&manifest_path).map_err(output_error)?;
    serde_json::to_writer_pretty(&mut out, &manifest).map_err(|e| output_error(e.into()))?;
    {
        use std::io::Write as _;
        out.write_all(b"\n").map_err(output_error)?;
    }
    if out.commit().map_err(output_error)? {
        report.written.push(manifest_path);
    }
    report.written.sort();
    Ok(report)
}

/// What one source gave: its report, its manifest entry (none when it
/// failed), the files written, and its block of the owners store when it
/// was parsed.
struct Built {
    file: FileReport,
    entry: Option<ManifestEntry>,
    written: Vec<PathBuf>,
    block: Option<(Vec<u8>, Vec<store::GroupInfo>)>,
}

impl Built {
    fn failed(path: &Path, slug: String, failure: Failure) -> Built {
        let file = FileReport {
            slug,
            path: path.to_owned(),
            source: None,
            diagnostics: Vec::new(),
            outcome: Outcome::Failed(failure),
        };
        Built { file, entry: None, written: Vec::new(), block: None }
    }
}

/// Refuse an output directory that is, contains or lies inside the
/// policies directory (through symbolic links too), or a source that links
/// into it, before anything is written: editions would replace sources of
/// the same name and be read as sources by the next build.
fn refuse_overlap(input: &Path, output: &Path, sources: &[PathBuf]) -> Result<(), BuildError> {
    let (Some(real_input), Some(real_output)) = (resolve(input), resolve(output)) else { return Ok(()) };
    // A source that is a link may lead into the output directory, where an
    // edition of the same name would replace it. Only links need resolving.
    for source in sources {
        if fs::symlink_metadata(source).is_ok_and(|m| m.file_type().is_symlink())
            && resolve(source).is_some_and(|real| real.starts_with(&real_output))
        {
            return Err(BuildError::SourceInOutput { link: source.clone(), output: output.to_owned() });
        }
    }
    let relation = if real_input == real_output {
        "is"
    } else if real_output.starts_with(&real_input) {
        "lies inside"
    } else if real_input.starts_with(&real_output) {
        "contains"
    } else {
        return Ok(());
    };
    Err(BuildError::Overlap { input: input.to_owned(), output: output.to_owned(), relation })
}

/// `path` with symbolic links resolved as far as it exists, and the part
/// that does not exist yet (an output directory to create) appended with
/// its `.` and `..` applied.
fn resolve(path: &Path) -> Option<PathBuf> {
    use std::path::Component;
    let absolute = if path.is_absolute() { path.to_owned() } else { std::env::current_dir().ok()?.join(path) };
    let parts: Vec<Component> = absolute.components().collect();
    for existing in (1..=parts.len()).rev() {
        let Ok(mut real) = fs::canonicalize(parts[..existing].iter().collect::<PathBuf>()) else { continue };
        for part in &parts[existing..] {
            match part {
                Component::ParentDir => {
                    real.pop();
                }
                Component::Normal(name) => real.push(name),
                _ => {}
            }
        }
        return Some(real);
    }
    None
}

/// Progress for a second pass: files the first pass already told of are
/// not told again.
struct Untold<'a> {
    inner: &'a dyn Progress,
    told: std::collections::BTreeSet<String>,
}

impl Progress for Untold<'_> {
    fn done(&self, file: &FileReport) {
        if !self.told.contains(&file.slug) {
            self.inner.done(file);
        }
    }
}

/// This build's owners store: each listed document's block, from the spill
/// when the document was parsed now, else from the previous store, in slug
/// order. Gives the store (not yet in place) and what it holds; `None`
/// when a block of the previous store is missing or damaged.
fn assemble_store(
    manifest: &mut Manifest,
    parsed: &BTreeMap<String, Vec<store::GroupInfo>>,
    mut spill: crate::write::StreamFile,
    previous: &Path,
) -> Result<Option<(crate::write::StreamFile, store::Catalog)>, BuildError> {
    use std::io::Write as _;
    // The store and its spill are policyc's own files: trouble with them
    // names the output directory.
    let output = previous.parent().unwrap_or(Path::new(".")).to_owned();
    let error = |_: &Path| {
        let output = output.clone();
        move |e| BuildError::OutputWrite(output, e)
    };
    spill.flush().map_err(error(spill.temp_path()))?;
    let listed = || manifest.files.iter().filter(|(_, e)| e.index.is_some());
    let mut catalog = store::Catalog::default();
    // Every document parsed now (a first build, say): the spill holds every
    // block, in order, and becomes the store as it is.
    if listed().all(|(slug, _)| parsed.contains_key(slug)) {
        for (slug, entry) in listed() {
            catalog.add(entry.owners_block[0], &parsed[slug]);
        }
        return Ok(Some((spill.retarget(previous), catalog)));
    }
    let mut out = crate::write::StreamFile::create(previous).map_err(error(previous))?;
    let mut spill_file = fs::File::open(spill.temp_path()).map_err(error(spill.temp_path()))?;
    let mut old_file = None;
    let mut written = 0;
    for (slug, entry) in manifest.files.iter_mut().filter(|(_, e)| e.index.is_some()) {
        let [offset, len] = entry.owners_block;
        let (bytes, groups) = if let Some(groups) = parsed.get(slug) {
            (store::read_range(&mut spill_file, offset, len).map_err(error(spill.temp_path()))?, groups.clone())
        } else {
            if old_file.is_none() {
                let Ok(file) = fs::File::open(previous) else { return Ok(None) };
                old_file = Some(file);
            }
            let Some(file) = old_file.as_mut() else { return Ok(None) };
            let bytes = match store::read_range(file, offset, len) {
                Ok(bytes) if digest::hex(&bytes) == entry.owners_digest => bytes,
                _ => return Ok(None),
            };
            let Some(groups) = store::scan(&bytes) else { return Ok(None) };
            (bytes, groups)
        };
        let at = store::append(&mut out, &mut written, &bytes).map_err(error(previous))?;
        catalog.add(at, &groups);
        entry.owners_block = [at, len];
    }
    out.flush().map_err(error(previous))?;
    Ok(Some((out, catalog)))
}

/// The index's rows: newest first, as a reader of a list of policies
/// expects; undated last.
fn index_entries(manifest: &Manifest) -> Vec<IndexEntry> {
    let mut entries: Vec<IndexEntry> = manifest
        .files
        .iter()
        .filter_map(|(slug, e)| {
            e.index.as_ref().map(|row| IndexEntry {
                slug: slug.clone(),
                row: row.clone(),
                draft: is_draft(row.status.as_deref()),
            })
        })
        .collect();
    entries.sort_by(|a, b| {
        let (a_date, b_date) = (&a.row.date, &b.row.date);
        b_date.is_some().cmp(&a_date.is_some()).then(b_date.cmp(a_date)).then(a.slug.cmp(&b.slug))
    });
    entries
}

/// What a source's outputs may already be.
#[derive(Clone, Copy)]
enum Previous<'m> {
    /// The output directory is new: no outputs, nothing to compare.
    Nothing,
    /// Outputs may be there, but no manifest says what made them (there is
    /// none, or another policyc or other settings wrote it): every source is
    /// built again, and each output compared before it is replaced.
    Untrusted,
    /// The last build's manifest, made by this policyc with these settings:
    /// a source it lists with the same content is not built again.
    Trusted(&'m Manifest),
}

impl<'m> Previous<'m> {
    fn manifest(self) -> Option<&'m Manifest> {
        match self {
            Previous::Trusted(manifest) => Some(manifest),
            Previous::Nothing | Previous::Untrusted => None,
        }
    }
}

/// `recorded`: the previous/next links the last build gave the page.
fn build_one(
    path: &Path,
    options: &BuildOptions,
    editions: &[Edition],
    renderer: &Renderer,
    checker: &Checker,
    previous: Previous,
    recorded: Option<&str>,
) -> Built {
    let slug = slug(path);
    let mut written = Vec::new();
    let mut report = FileReport {
        slug: slug.clone(),
        path: path.to_owned(),
        source: None,
        diagnostics: Vec::new(),
        outcome: Outcome::Built,
    };
    if let Err(safe) = check_slug(&slug) {
        report.outcome = Outcome::Failed(Failure::UnsafeName { safe });
        return Built { file: report, entry: None, written, block: None };
    }
    if SITE_PAGES.contains(&format!("{slug}.html").as_str()) {
        report.outcome = Outcome::Failed(Failure::Reserved);
        return Built { file: report, entry: None, written, block: None };
    }
    let bytes = match crate::source::read_bytes(path) {
        Ok(b) => b,
        Err(e) => {
            report.outcome = Outcome::Failed(Failure::Read(e));
            return Built { file: report, entry: None, written, block: None };
        }
    };
    let source_hash = digest::hex(&bytes);
    let source_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut outputs: Vec<String> = editions.iter().map(|e| format!("{slug}.{}", e.extension())).collect();
    outputs.push(search::shard_name(&slug));
    if let Some(old) = previous.manifest().and_then(|m| m.files.get(&slug)) {
        let present = outputs.iter().all(|o| options.output.join(o).is_file());
        if old.source_hash == source_hash && old.source == source_name && present && old.index.is_some() {
            report.outcome = Outcome::Unchanged;
            return Built { file: report, entry: Some(old.clone()), written, block: None };
        }
    }
    let format = Format::from_path(path).unwrap_or(Format::Text);
    let source = match SourceFile::from_bytes(path, format, &bytes, Encoding::Utf8) {
        Ok(s) => s,
        Err(e) => {
            report.outcome = Outcome::Failed(Failure::Decode(e));
            return Built { file: report, entry: None, written, block: None };
        }
    };
    let parsed = parse::parse(&source);
    let mut diagnostics = parsed.diagnostics;
    checker(&source, &parsed.document, &mut diagnostics);
    crate::diag::sort(&mut diagnostics);
    report.diagnostics = diagnostics;
    // The source is kept only to show diagnostics with it (notes are not
    // shown); 10,000 clean documents must not stay in memory to the end.
    if report.diagnostics.iter().any(|d| d.severity != Severity::Note) {
        report.source = Some(source);
    }
    let has_errors = report.diagnostics.iter().any(|d| d.severity == Severity::Error);
    if has_errors && !options.allow_errors {
        report.outcome = Outcome::Failed(Failure::Errors);
        return Built { file: report, entry: None, written, block: None };
    }
    let document = parsed.document;
    let links = sequence::guess(recorded, &options.output.join(format!("{slug}.html")));
    let page = Page {
        slug: Some(&slug),
        editions: linked(editions),
        owner_units: units::labels(&document),
        sequence: Some(&links),
        ..Page::default()
    };
    for (edition, name) in editions.iter().zip(&outputs) {
        let rendered = match edition {
            Edition::Html => renderer.page(&document, &page).map(String::into_bytes),
            other => crate::emit::render_bytes(&document, *other),
        };
        let text = match rendered {
            Ok(t) => t,
            Err(e) => {
                report.outcome = Outcome::Failed(Failure::Emit(e));
                return Built { file: report, entry: None, written, block: None };
            }
        };
        let target = options.output.join(name);
        match write_unless_same(&target, &text, matches!(previous, Previous::Nothing)) {
            Ok(true) => written.push(target),
            Ok(false) => {}
            Err(e) => {
                report.outcome = Outcome::Failed(Failure::Write(target, e));
                return Built { file: report, entry: None, written, block: None };
            }
        }
    }
    let title = document.meta.title.as_deref().unwrap_or(&slug);
    let shard = search::shard(&slug, title, &history::places(&document));
    let target = options.output.join(search::shard_name(&slug));
    match write_unless_same(&target, shard.as_bytes(), matches!(previous, Previous::Nothing)) {
        Ok(true) => written.push(target),
        Ok(false) => {}
        Err(e) => {
            report.outcome = Outcome::Failed(Failure::Write(target, e));
            return Built { file: report, entry: None, written, block: None };
        }
    }
    let row = IndexRow::of(&document, &slug);
    let owners = crate::owners::invert(units::qualify_all(&document, crate::owners::collect(&document, &slug)));
    let block = store::block(&owners);
    let entry = ManifestEntry {
        source: source_name,
        source_hash,
        outputs,
        index: Some(row),
        owners_block: [0, block.0.len() as u64],
        owners_digest: digest::hex(&block.0),
        sequence: links,
    };
    Built { file: report, entry: Some(entry), written, block: Some(block) }
}

/// Write `bytes` unless the file already holds them (so that an unchanged
/// output keeps its modification time); true when it wrote. `fresh`: the
/// output directory was created by this build, so nothing is there yet.
fn write_unless_same(path: &Path, bytes: &[u8], fresh: bool) -> io::Result<bool> {
    let existing = if fresh { None } else { fs::metadata(path).ok() };
    if let Some(meta) = &existing
        && meta.len() == bytes.len() as u64
        && fs::read(path).is_ok_and(|old| old == bytes)
    {
        return Ok(false);
    }
    crate::write::replace(path, bytes, existing.as_ref()).map(|()| true)
}
