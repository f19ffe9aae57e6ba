//! `policies/` → `output/`: the build step.
//!
//! Takes a directory of sources (`<slug>.txt`, `<slug>.md`) and writes, for
//! each, `<slug>.yaml`, `<slug>.md` and `<slug>.html`, plus `index.html`
//! over all of them and a manifest (`.policyc-manifest.json`) that records
//! what was built from what. Files are parsed and rendered in parallel
//! (rayon) and the results sorted by slug, so the bytes do not depend on the
//! thread count. Writes go through [`crate::write`] only. Outputs whose
//! source is gone are removed — only files the manifest says policyc wrote,
//! never anything else in the directory. A source that fails is reported
//! and the rest is still built.
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

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::diag::{Diagnostic, Severity};
use crate::emit::html::{IndexEntry, Renderer, digest, is_draft};
use crate::emit::{Edition, EmitError};
use crate::parse;
use crate::source::{Encoding, Format, SourceError, SourceFile};
use crate::tree::Document;

/// The editions a build writes for each source.
pub const EDITIONS: [Edition; 3] = [Edition::Yaml, Edition::Markdown, Edition::Html];

/// The manifest's file name inside the output directory.
pub const MANIFEST: &str = ".policyc-manifest.json";

/// Changes whenever the manifest's entries change shape; then every
/// document is built again.
const MANIFEST_FORMAT: u32 = 2;

/// Each built document's units and their clauses, for the owners view on
/// the index. Kept apart from the manifest because it is large (every
/// clause of every unit) and read only when the index is rendered again, so
/// that a build with nothing changed reads the small manifest alone.
pub const OWNERS: &str = ".policyc-owners.json";

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
    Read(io::Error),
    Decode(SourceError),
    /// The document parsed but has errors; `diagnostics` says which.
    Errors,
    Emit(EmitError),
    Write(PathBuf, io::Error),
}

/// What happened to one source.
#[derive(Debug)]
pub struct FileReport {
    pub slug: String,
    pub path: PathBuf,
    /// The decoded source, when it could be read.
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
    /// Every file this build wrote (editions, index, manifest), sorted.
    pub written: Vec<PathBuf>,
}

/// Told about a build's progress, from the worker threads.
pub trait Progress: Sync {
    /// The build found `total` sources.
    fn start(&self, _total: usize) {}
    /// One source is done (built, unchanged or failed).
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
}

/// Trouble with the build as a whole (not with one source).
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("cannot read the policies directory {0}: {1}")]
    Input(PathBuf, io::Error),
    #[error("cannot create the output directory {0}: {1}")]
    Output(PathBuf, io::Error),
    #[error("{0}")]
    Templates(EmitError),
    #[error("two sources share the slug `{slug}`: {first} and {second}; rename one")]
    DuplicateSlug { slug: String, first: PathBuf, second: PathBuf },
    #[error("cannot write {0}: {1}")]
    Write(PathBuf, io::Error),
}

/// What the manifest remembers of each source.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestEntry {
    pub source: String,
    pub source_hash: String,
    pub outputs: Vec<String>,
    pub index: Option<IndexRow>,
    /// The document's responsible units, for the index's owners view: set
    /// for documents this build parsed; the others' are in [`OWNERS`].
    #[serde(skip)]
    pub owners: Vec<crate::owners::UnitView>,
    /// A digest of `owners`, so that a change to them is seen without
    /// reading the store.
    #[serde(default)]
    pub owners_digest: String,
}

/// The index row of a built document, kept so an unchanged document need
/// not be parsed again to list it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexRow {
    pub title: String,
    pub date: Option<String>,
    pub status: Option<String>,
    pub issuer: Option<String>,
    pub doc_number: Option<String>,
    pub clauses: usize,
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

/// The sources in a directory, sorted by file name: `.txt` and `.md` files.
pub fn sources(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_file() && Format::from_path(&path).is_some() {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}

/// The slug of a source: its file stem.
pub fn slug(path: &Path) -> String {
    path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

/// Read and parse one source file.
pub fn load(path: &Path, encoding: Encoding) -> Result<SourceFile, Failure> {
    let bytes = fs::read(path).map_err(Failure::Read)?;
    let format = Format::from_path(path).unwrap_or(Format::Text);
    SourceFile::from_bytes(path, format, &bytes, encoding).map_err(Failure::Decode)
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
    let paths = sources(&options.input).map_err(|e| BuildError::Input(options.input.clone(), e))?;
    let mut slugs: BTreeMap<String, PathBuf> = BTreeMap::new();
    for path in &paths {
        if let Some(first) = slugs.insert(slug(path), path.clone()) {
            return Err(BuildError::DuplicateSlug { slug: slug(path), first, second: path.clone() });
        }
    }
    fs::create_dir_all(&options.output).map_err(|e| BuildError::Output(options.output.clone(), e))?;
    let owners_path = options.output.join(OWNERS);
    // Without the owners store, a document that is not parsed again could
    // not be listed in the owners view: then nothing is taken as unchanged.
    let previous =
        if trust_previous && owners_path.is_file() { Manifest::load(&options.output) } else { Manifest::default() };
    // The manifest's own format is part of it: an entry written by an older
    // format may lack what this build relies on (`owners_digest`).
    // The code digest makes outputs of another build of policyc stale even
    // at the same version number; the settings, outputs checked under other
    // rules.
    let generator = format!(
        "policyc {} code {} manifest {MANIFEST_FORMAT} templates {} settings {}",
        env!("CARGO_PKG_VERSION"),
        env!("POLICYC_CODE_DIGEST"),
        renderer.fingerprint(),
        digest::hex(options.settings.as_bytes()),
    );
    let fresh_generator = previous.generator == generator;

    progress.start(paths.len());
    let results: Vec<(FileReport, Option<ManifestEntry>, Vec<PathBuf>)> = paths
        .par_iter()
        .map(|path| {
            let mut written = Vec::new();
            let (file, entry) =
                build_one(path, options, &renderer, checker, fresh_generator.then_some(&previous), &mut written);
            progress.done(&file);
            (file, entry, written)
        })
        .collect();

    let mut report = BuildReport::default();
    let mut manifest = Manifest { generator, index_digest: String::new(), files: BTreeMap::new() };
    for (file, entry, written) in results {
        report.written.extend(written);
        match entry {
            Some(entry) => {
                manifest.files.insert(file.slug.clone(), entry);
            }
            // A failed source keeps its previous outputs (if any) listed, so
            // a later build can still clean them up.
            None => {
                if let Some(old) = previous.files.get(&file.slug) {
                    manifest.files.insert(file.slug.clone(), ManifestEntry { index: None, ..old.clone() });
                }
            }
        }
        report.files.push(file);
    }

    // Remove what policyc wrote for sources that are gone.
    for (slug, old) in &previous.files {
        if slugs.contains_key(slug) {
            continue;
        }
        for name in &old.outputs {
            if let Ok(path) = crate::write::inside(&options.output, name)
                && fs::remove_file(&path).is_ok()
            {
                report.removed.push(path);
            }
        }
    }

    manifest.index_digest = manifest.index_digest();
    let mut manifest_json = serde_json::to_string_pretty(&manifest).unwrap_or_default();
    manifest_json.push('\n');
    let manifest_path = options.output.join(MANIFEST);
    let index_path = options.output.join("index.html");
    // When nothing the index shows has changed since the last build (a
    // source edited inside a clause without owners, say), the index and
    // the owners store are neither rendered nor read.
    let index_fresh = manifest.index_digest == previous.index_digest && index_path.is_file();
    if !(index_fresh && owners_path.is_file()) {
        let Some(owners) = owners_by_slug(&manifest, &report, &owners_path) else {
            // The store is damaged: build again without trusting the past,
            // and report what both passes did.
            let mut again = build_trusting(options, checker, progress, false)?;
            again.written.extend(report.written);
            again.written.sort();
            again.written.dedup();
            again.removed.extend(report.removed);
            return Ok(again);
        };
        let index = render_index(&manifest, &owners, &renderer)?;
        if write_unless_same(&index_path, index.as_bytes()).map_err(|e| BuildError::Write(index_path.clone(), e))? {
            report.written.push(index_path);
        }
        let owners_json = serde_json::to_string(&owners).unwrap_or_default();
        if write_unless_same(&owners_path, owners_json.as_bytes())
            .map_err(|e| BuildError::Write(owners_path.clone(), e))?
        {
            report.written.push(owners_path);
        }
    }
    if write_unless_same(&manifest_path, manifest_json.as_bytes())
        .map_err(|e| BuildError::Write(manifest_path.clone(), e))?
    {
        report.written.push(manifest_path);
    }
    report.written.sort();
    Ok(report)
}

/// The units of every listed document: this build's for the documents it
/// parsed, the store's for the rest. `None` when the store is needed and
/// cannot be read.
fn owners_by_slug(
    manifest: &Manifest,
    report: &BuildReport,
    store: &Path,
) -> Option<BTreeMap<String, Vec<crate::owners::UnitView>>> {
    let parsed: std::collections::BTreeSet<&str> =
        report.files.iter().filter(|f| matches!(f.outcome, Outcome::Built)).map(|f| f.slug.as_str()).collect();
    let listed = || manifest.files.iter().filter(|(_, e)| e.index.is_some());
    let mut stored: BTreeMap<String, Vec<crate::owners::UnitView>> =
        if listed().all(|(slug, _)| parsed.contains(slug.as_str())) {
            BTreeMap::new()
        } else {
            serde_json::from_slice(&fs::read(store).ok()?).ok()?
        };
    let mut out = BTreeMap::new();
    for (slug, entry) in listed() {
        let owners = if parsed.contains(slug.as_str()) { entry.owners.clone() } else { stored.remove(slug)? };
        out.insert(slug.clone(), owners);
    }
    Some(out)
}

fn render_index(
    manifest: &Manifest,
    owners: &BTreeMap<String, Vec<crate::owners::UnitView>>,
    renderer: &Renderer,
) -> Result<String, BuildError> {
    let mut entries: Vec<IndexEntry> = manifest
        .files
        .iter()
        .filter_map(|(slug, e)| {
            e.index.as_ref().map(|row| IndexEntry {
                slug: slug.clone(),
                title: row.title.clone(),
                date: row.date.clone(),
                status: row.status.clone(),
                issuer: row.issuer.clone(),
                doc_number: row.doc_number.clone(),
                clauses: row.clauses,
                draft: is_draft(row.status.as_deref()),
            })
        })
        .collect();
    // Newest first, as a reader of a list of policies expects; undated last.
    entries.sort_by(|a, b| b.date.is_some().cmp(&a.date.is_some()).then(b.date.cmp(&a.date)).then(a.slug.cmp(&b.slug)));
    renderer.index(&entries, &merge_units(owners)).map_err(BuildError::Templates)
}

/// The owners view over all documents from each document's own: what
/// `owners::invert` gives for the same pairs, without its search for
/// duplicates — each document's view has none, and two documents' clauses
/// differ by slug — which grows with the square of a unit's clauses and
/// took most of a minute over 10,000 documents.
fn merge_units(owners: &BTreeMap<String, Vec<crate::owners::UnitView>>) -> Vec<crate::owners::UnitView> {
    let mut units: BTreeMap<&str, Vec<crate::owners::ClauseRef>> = BTreeMap::new();
    for unit in owners.values().flatten() {
        units.entry(unit.unit.as_str()).or_default().extend(unit.clauses.iter().cloned());
    }
    units.into_iter().map(|(unit, clauses)| crate::owners::UnitView { unit: unit.to_owned(), clauses }).collect()
}

fn build_one(
    path: &Path,
    options: &BuildOptions,
    renderer: &Renderer,
    checker: &Checker,
    previous: Option<&Manifest>,
    written: &mut Vec<PathBuf>,
) -> (FileReport, Option<ManifestEntry>) {
    let slug = slug(path);
    let mut report = FileReport {
        slug: slug.clone(),
        path: path.to_owned(),
        source: None,
        diagnostics: Vec::new(),
        outcome: Outcome::Built,
    };
    let bytes = match fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            report.outcome = Outcome::Failed(Failure::Read(e));
            return (report, None);
        }
    };
    let source_hash = digest::hex(&bytes);
    let source_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let outputs: Vec<String> = EDITIONS.iter().map(|e| format!("{slug}.{}", e.extension())).collect();
    if let Some(old) = previous.and_then(|m| m.files.get(&slug)) {
        let present = outputs.iter().all(|o| options.output.join(o).is_file());
        if old.source_hash == source_hash && old.source == source_name && present && old.index.is_some() {
            report.outcome = Outcome::Unchanged;
            return (report, Some(old.clone()));
        }
    }
    let format = Format::from_path(path).unwrap_or(Format::Text);
    let source = match SourceFile::from_bytes(path, format, &bytes, Encoding::Utf8) {
        Ok(s) => s,
        Err(e) => {
            report.outcome = Outcome::Failed(Failure::Decode(e));
            return (report, None);
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
        return (report, None);
    }
    let document = parsed.document;
    for (edition, name) in EDITIONS.iter().zip(&outputs) {
        let rendered = match edition {
            Edition::Html => renderer.document(&document, Some(&slug)),
            other => crate::emit::render(&document, *other),
        };
        let text = match rendered {
            Ok(t) => t,
            Err(e) => {
                report.outcome = Outcome::Failed(Failure::Emit(e));
                return (report, None);
            }
        };
        let target = options.output.join(name);
        match write_unless_same(&target, text.as_bytes()) {
            Ok(true) => written.push(target),
            Ok(false) => {}
            Err(e) => {
                report.outcome = Outcome::Failed(Failure::Write(target, e));
                return (report, None);
            }
        }
    }
    let row = IndexRow {
        title: document.meta.title.clone().unwrap_or_else(|| slug.clone()),
        date: document.meta.date.clone(),
        status: document.meta.status.clone(),
        issuer: document.meta.issuers.first().map(|first| {
            if document.meta.issuers.len() > 1 {
                format!("{first}等{}部门", document.meta.issuers.len())
            } else {
                first.clone()
            }
        }),
        doc_number: document.meta.doc_number.clone(),
        clauses: document.nodes().count(),
    };
    let owners = crate::owners::invert(crate::owners::collect(&document, &slug));
    let owners_digest = digest::hex(serde_json::to_string(&owners).unwrap_or_default().as_bytes());
    let entry = ManifestEntry { source: source_name, source_hash, outputs, index: Some(row), owners, owners_digest };
    (report, Some(entry))
}

/// Write `bytes` unless the file already holds them (so that an unchanged
/// output keeps its modification time); true when it wrote.
fn write_unless_same(path: &Path, bytes: &[u8]) -> io::Result<bool> {
    let same =
        fs::metadata(path).is_ok_and(|m| m.len() == bytes.len() as u64) && fs::read(path).is_ok_and(|old| old == bytes);
    if same {
        return Ok(false);
    }
    crate::write::write_atomic(path, bytes).map(|()| true)
}
