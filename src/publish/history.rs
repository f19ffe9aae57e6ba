//! Policies in versions: `policies/<slug>/<YYYY-MM-DD>.txt` (or `.md`), one
//! directory per policy, each file one version dated by its 成文日期 or
//! revision date.
//!
//! Takes a directory of versions and gives, in the output directory:
//!
//! - `<slug>.html`, `.yaml`, `.md`, `.docx` (the editions `editions =
//!   [...]` chooses): the latest version, as a one-file policy's editions
//!   are named, so that the index and links to the policy do not care
//!   whether it has versions;
//! - `<slug>@<date>.html`, `.yaml`, `.md`, `.docx`: each version, in the
//!   same editions;
//! - with the HTML edition, `<slug>@history.html`: every version (date, status, 字号, what changed
//!   in one line), the 修订对照表 between consecutive versions, the clauses
//!   removed on the way, and a choice of any two versions to compare;
//! - `<slug>@<old>~<new>.html`: the 修订对照表 of every other pair, while
//!   the chain is short enough ([`MAX_PAIRS_CHAIN`]).
//!
//! `@` is not allowed in a slug ([`super::check_slug`]), so none of these
//! names can be another source's.
//!
//! **Clause ids survive renumbering.** A clause of the first version has
//! the id the page of a one-file policy would give it (`p2-s3`). In each
//! later version a clause that `diff` pairs with one of the version before
//! (unchanged, renumbered, modified, moved; the first piece of a split, the
//! result of a merge) keeps that clause's id, so a link to 第十二条 of 2020
//! leads to the same clause in 2024. A new clause takes the id its place
//! gives it, unless some clause of the chain ever had that id: then
//! `v<date>-<place>`. The id of a removed clause is never given again; every
//! page sends it to the history page's entry that says when it was removed.
//! All of it follows from the chain: nothing is stored by hand.
//!
//! The YAML editions of a versioned policy end with a `history:` mapping:
//! the version, the one before it, and each clause's id, path and change
//! from the version before. One-file policies' editions are as they were.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use super::{Failure, FileReport, ManifestEntry, Outcome, Previous, digest, store, write_unless_same};
use crate::diag::Severity;
use crate::diff::{self, Op};
use crate::emit::Edition;
use crate::emit::html::{Page, Renderer, Versions};
use crate::parse;
use crate::source::{Encoding, Format, SourceFile};
use crate::tree::summary::IndexRow;
use crate::tree::{Document, IdAllocator, Node};

/// Chains longer than this get the 修订对照表 of consecutive versions only
/// (on the history page): the pairs grow with the square of the chain.
pub const MAX_PAIRS_CHAIN: usize = 8;

/// A policy in versions: its directory and its version files, oldest first.
#[derive(Debug, Clone)]
pub struct Chain {
    pub slug: String,
    pub dir: PathBuf,
    /// (date, file), by date.
    pub versions: Vec<(String, PathBuf)>,
}

static VERSION_NAME: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(\d{4}-\d{2}-\d{2})$").expect("a valid pattern"));

/// The chains in a policies directory: every subdirectory holding at least
/// one file named `<YYYY-MM-DD>.txt` or `.md`, by name. Other files in it
/// are not versions and are left alone.
pub fn chains(dir: &Path) -> io::Result<Vec<Chain>> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if !path.is_dir() {
            continue;
        }
        let mut versions = Vec::new();
        let Ok(files) = fs::read_dir(&path) else { continue };
        for file in files.flatten() {
            let file = file.path();
            let stem = super::slug(&file);
            if Format::from_path(&file).is_some() && VERSION_NAME.is_match(&stem) && !file.is_dir() {
                versions.push((stem, file));
            }
        }
        if versions.is_empty() {
            continue;
        }
        versions.sort();
        out.push(Chain { slug: super::slug(&path), dir: path, versions });
    }
    out.sort_by(|a, b| a.slug.cmp(&b.slug));
    Ok(out)
}

/// The output names of a chain's pages, for the manifest: the `editions`
/// the project builds of the latest version and of each version, and,
/// when the HTML edition is built, the history and the pairs' pages.
pub fn outputs(chain: &Chain, editions: &[Edition]) -> Vec<String> {
    let slug = &chain.slug;
    let mut out: Vec<String> = editions.iter().map(|e| format!("{slug}.{}", e.extension())).collect();
    for (date, _) in &chain.versions {
        out.extend(editions.iter().map(|e| format!("{slug}@{date}.{}", e.extension())));
    }
    out.push(super::search::shard_name(slug));
    if editions.contains(&Edition::Html) {
        out.push(format!("{slug}@history.html"));
        for (old, new) in extra_pairs(chain.versions.len()) {
            out.push(pair_page(slug, &chain.versions[old].0, &chain.versions[new].0));
        }
    }
    out
}

/// The pairs of versions (by index) compared on pages of their own: every
/// pair but the consecutive ones (those are on the history page), while the
/// chain is short.
fn extra_pairs(n: usize) -> Vec<(usize, usize)> {
    if n > MAX_PAIRS_CHAIN {
        return Vec::new();
    }
    (0..n).flat_map(|a| (a + 2..n).map(move |b| (a, b))).collect()
}

fn pair_page(slug: &str, old: &str, new: &str) -> String {
    format!("{slug}@{old}~{new}.html")
}

/// One clause of one version, with its id across the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClauseId {
    /// The id its place gives it in a one-file page.
    #[serde(skip)]
    pub place: String,
    /// The id it keeps across the chain.
    pub id: String,
    pub path: String,
    /// What became of it since the version before; `None` in the first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub op: Option<Op>,
}

/// A clause that a version removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removed {
    pub id: String,
    /// Its path and text in the last version that had it.
    pub path: String,
    pub text: String,
    /// The index of the version that no longer has it.
    pub removed_in: usize,
}

/// The ids of every version's clauses, and the clauses removed.
#[derive(Debug, Clone, Default)]
pub struct Lineage {
    pub versions: Vec<Vec<ClauseId>>,
    pub removed: Vec<Removed>,
}

/// Each clause of a document with the id its place gives it, its path and
/// its own text, in the order [`diff::lineage`] counts them (the policy's
/// clauses, then each attachment's), ids as the HTML page allocates them.
pub(super) fn places(document: &Document) -> Vec<(String, String, String)> {
    fn visit(nodes: &[Node], id: &str, path: &str, ids: &mut IdAllocator, out: &mut Vec<(String, String, String)>) {
        for node in nodes {
            let own = ids.id(id, node);
            let mut full = path.to_owned();
            crate::tree::push_marker_path(&mut full, node);
            let mut text = node.title.clone().unwrap_or_default();
            for p in &node.text {
                text.push_str(p);
            }
            // A table's cells are the clause's words too: a search for a
            // cell finds the clause.
            for table in &node.tables {
                for cell in table.header.iter().flatten().chain(table.rows.iter().flat_map(|r| &r.cells)) {
                    text.push(' ');
                    text.push_str(cell);
                }
            }
            out.push((own.clone(), full.clone(), text));
            visit(&node.children, &own, &full, ids, out);
        }
    }
    let mut ids = IdAllocator::default();
    let mut out = Vec::new();
    visit(&document.body, "", "", &mut ids, &mut out);
    for (i, attachment) in document.attachments.iter().enumerate() {
        let label = attachment.frame.attachment.as_ref().map(|p| p.text.trim().to_owned()).filter(|l| !l.is_empty());
        let scope = label.unwrap_or_else(|| format!("附件{}", i + 2));
        visit(&attachment.body, &crate::tree::attachment_id(i), &scope, &mut ids, &mut out);
    }
    out
}

/// The ids of a chain's clauses: `versions` oldest first, with their dates.
pub fn lineage(versions: &[(&str, &Document)]) -> Lineage {
    let mut lineage = Lineage::default();
    let mut used: HashSet<String> = HashSet::new();
    for (v, (date, document)) in versions.iter().enumerate() {
        let here = places(document);
        let ids: Vec<ClauseId> = if v == 0 {
            here.iter()
                .map(|(place, path, _)| ClauseId {
                    place: place.clone(),
                    id: place.clone(),
                    path: path.clone(),
                    op: None,
                })
                .collect()
        } else {
            let before = &lineage.versions[v - 1];
            let pairs = diff::lineage(versions[v - 1].1, document);
            let mut continued = vec![false; before.len()];
            // Paired clauses first, so that a new clause never takes an id
            // that a kept one carries on this very page.
            let mut ids: Vec<Option<String>> = pairs
                .iter()
                .map(|(old, _)| {
                    old.filter(|&o| o < before.len()).map(|o| {
                        continued[o] = true;
                        before[o].id.clone()
                    })
                })
                .collect();
            let compact: String = date.chars().filter(char::is_ascii_digit).collect();
            for (n, id) in ids.iter_mut().enumerate() {
                if id.is_none() {
                    let place = &here[n].0;
                    *id = Some(if used.contains(place) { format!("v{compact}-{place}") } else { place.clone() });
                }
            }
            let before_text = places(versions[v - 1].1);
            for (o, kept) in continued.iter().enumerate() {
                if !kept {
                    lineage.removed.push(Removed {
                        id: before[o].id.clone(),
                        path: before[o].path.clone(),
                        text: before_text.get(o).map(|t| t.2.clone()).unwrap_or_default(),
                        removed_in: v,
                    });
                }
            }
            here.iter()
                .zip(ids)
                .zip(&pairs)
                .map(|(((place, path, _), id), (_, op))| ClauseId {
                    place: place.clone(),
                    id: id.unwrap_or_default(),
                    path: path.clone(),
                    op: Some(*op),
                })
                .collect()
        };
        used.extend(ids.iter().map(|c| c.id.clone()));
        lineage.versions.push(ids);
    }
    lineage
}

fn zh_date(date: &str) -> String {
    diff::chinese_date(date).unwrap_or_else(|| date.to_owned())
}

/// "修改 12 条，新增 3 条，删除 1 条", then whatever else happened.
pub fn summary_line(summary: &diff::Summary) -> String {
    let mut parts = vec![
        format!("修改 {} 条", summary.modified + summary.moved),
        format!("新增 {} 条", summary.added),
        format!("删除 {} 条", summary.removed),
    ];
    for op in [Op::Split, Op::Merged, Op::Renumbered] {
        if summary.count(op) > 0 {
            parts.push(format!("{} {} 条", op.chinese(), summary.count(op)));
        }
    }
    parts.join("，")
}

/// The YAML edition with the chain's `history:` mapping after the tree.
fn yaml_with_history(yaml: &str, date: &str, previous: Option<&str>, ids: &[ClauseId]) -> String {
    #[derive(Serialize)]
    struct History<'a> {
        version: &'a str,
        previous: Option<&'a str>,
        clauses: &'a [ClauseId],
    }
    #[derive(Serialize)]
    struct Wrapper<'a> {
        history: History<'a>,
    }
    let tail = crate::emit::yaml::to_string(&Wrapper { history: History { version: date, previous, clauses: ids } })
        .unwrap_or_default();
    let mut out = yaml.to_owned();
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&tail);
    out
}

/// What `history.html` sees.
#[derive(Serialize)]
struct HistoryView<'a> {
    slug: &'a str,
    title: &'a str,
    versions: Vec<VersionRow<'a>>,
    /// Pairs of versions other than consecutive ones, each on a page.
    pairs: Vec<PairRow<'a>>,
    /// Each version after the first against the one before it.
    steps: Vec<Step<'a>>,
    removed: Vec<RemovedRow<'a>>,
}

#[derive(Serialize)]
struct VersionRow<'a> {
    date: &'a str,
    page: String,
    status: Option<&'a str>,
    doc_number: Option<&'a str>,
    /// What changed from the version before ([`summary_line`]).
    change: Option<String>,
}

#[derive(Serialize)]
struct PairRow<'a> {
    page: String,
    old: &'a str,
    new: &'a str,
}

#[derive(Serialize)]
struct Step<'a> {
    old: &'a str,
    new: &'a str,
    summary: String,
    report: diff::report::HtmlView,
}

#[derive(Serialize)]
struct RemovedRow<'a> {
    id: &'a str,
    path: &'a str,
    text: &'a str,
    /// The last version that had it, and its page.
    last: &'a str,
    last_page: String,
    /// The version that removed it.
    gone: &'a str,
}

/// What building a chain gave: one report per version (in date order), the
/// chain's manifest entry (none when it failed), the files written, and its
/// owners block.
pub(super) struct ChainBuilt {
    pub files: Vec<FileReport>,
    pub entry: Option<ManifestEntry>,
    pub written: Vec<PathBuf>,
    pub block: Option<(Vec<u8>, Vec<store::GroupInfo>)>,
}

/// Build one chain: every version's pages, the latest under the policy's
/// own name, and the history. Nothing is parsed when no version changed and
/// every output is there; a change to any version rebuilds the chain's
/// pages (ids may follow from it), and nothing else of the site.
pub(super) fn build_chain(
    chain: &Chain,
    options: &super::BuildOptions,
    editions: &[Edition],
    renderer: &Renderer,
    checker: &super::Checker,
    previous: Previous,
    recorded: Option<&str>,
) -> ChainBuilt {
    let slug = &chain.slug;
    let report = |path: &Path, outcome| FileReport {
        slug: slug.clone(),
        path: path.to_owned(),
        source: None,
        diagnostics: Vec::new(),
        outcome,
    };
    let fail = |failure| ChainBuilt {
        files: vec![report(&chain.dir, Outcome::Failed(failure))],
        entry: None,
        written: Vec::new(),
        block: None,
    };
    if let Err(safe) = super::check_slug(slug) {
        return fail(Failure::UnsafeName { safe });
    }
    if super::SITE_PAGES.contains(&format!("{slug}.html").as_str()) {
        return fail(Failure::Reserved);
    }
    // Two files of one date (`2020-01-01.txt` and `.md`) are one version
    // twice: neither would do.
    for pair in chain.versions.windows(2) {
        if pair[0].0 == pair[1].0 {
            return fail(Failure::SharedSlug(pair[1].1.clone()));
        }
    }
    let mut bytes = Vec::new();
    let mut hasher = digest::Hasher::default();
    for (date, path) in &chain.versions {
        match crate::source::read_bytes(path) {
            Ok(b) => {
                hasher
                    .update(path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default().as_bytes());
                hasher.update(digest::hex(&b).as_bytes());
                bytes.push((date.clone(), path.clone(), b));
            }
            Err(e) => {
                let mut built = fail(Failure::Read(e));
                built.files[0].path = path.clone();
                return built;
            }
        }
    }
    let source_hash = hasher.hex();
    let source_name = format!("{slug}/");
    let outputs = outputs(chain, editions);
    if let Some(old) = previous.manifest().and_then(|m| m.files.get(slug)) {
        let present = outputs.iter().all(|o| options.output.join(o).is_file());
        if old.source_hash == source_hash && old.source == source_name && present && old.index.is_some() {
            let files = chain.versions.iter().map(|(_, p)| report(p, Outcome::Unchanged)).collect();
            return ChainBuilt { files, entry: Some(old.clone()), written: Vec::new(), block: None };
        }
    }
    let mut files = Vec::new();
    let mut documents = Vec::new();
    let mut failed = false;
    for (_, path, b) in &bytes {
        let format = Format::from_path(path).unwrap_or(Format::Text);
        let source = match SourceFile::from_bytes(path, format, b, Encoding::Utf8) {
            Ok(s) => s,
            Err(e) => {
                files.push(report(path, Outcome::Failed(Failure::Decode(e))));
                failed = true;
                continue;
            }
        };
        let parsed = parse::parse(&source);
        let mut diagnostics = parsed.diagnostics;
        checker(&source, &parsed.document, &mut diagnostics);
        crate::diag::sort(&mut diagnostics);
        let has_errors = diagnostics.iter().any(|d| d.severity == Severity::Error);
        let shown = diagnostics.iter().any(|d| d.severity != Severity::Note);
        let mut file = report(path, Outcome::Built);
        file.diagnostics = diagnostics;
        if shown {
            file.source = Some(source);
        }
        if has_errors && !options.allow_errors {
            file.outcome = Outcome::Failed(Failure::Errors);
            failed = true;
        }
        files.push(file);
        documents.push(parsed.document);
    }
    if failed {
        return ChainBuilt { files, entry: None, written: Vec::new(), block: None };
    }
    let dates: Vec<&str> = chain.versions.iter().map(|(d, _)| d.as_str()).collect();
    let dated: Vec<(&str, &Document)> = dates.iter().copied().zip(documents.iter()).collect();
    let lineage = lineage(&dated);
    let fresh = matches!(previous, Previous::Nothing);
    let mut written = Vec::new();
    let mut pages: Vec<(String, Vec<u8>)> = Vec::new();
    let last = documents.len() - 1;
    // Owner labels link to the owners page, which lists the latest
    // version's units: an older version's label links only to those.
    let latest_units = super::units::labels(&documents[last]);
    let links = super::sequence::guess(recorded, &options.output.join(format!("{slug}.html")));
    let history_page = format!("{slug}@history.html");
    for (v, document) in documents.iter().enumerate() {
        let ids = &lineage.versions[v];
        let previous_date = v.checked_sub(1).map(|p| dates[p]);
        let mut owner_units = super::units::labels(document);
        owner_units.retain(|_, listed| latest_units.values().any(|l| l == listed));
        let mut names = vec![format!("{slug}@{}", dates[v])];
        if v == last {
            names.push(slug.clone());
        }
        let chain_ids: HashMap<String, String> = ids.iter().map(|c| (c.place.clone(), c.id.clone())).collect();
        // A link to a clause a later version removed lands on its entry on
        // the history page; the latest page answers for every removed one.
        let gone: BTreeMap<String, String> = lineage
            .removed
            .iter()
            .filter(|r| r.removed_in <= v || v == last)
            .map(|r| (r.id.clone(), crate::emit::href(&history_page, Some(&format!("removed-{}", r.id)))))
            .collect();
        let versions = Versions {
            date: dates[v],
            latest: dates[last],
            latest_page: format!("{slug}.html"),
            previous: v.checked_sub(1).map(|p| (format!("{slug}@{}.html", dates[p]), dates[p])),
            next: dates.get(v + 1).map(|&n| (format!("{slug}@{n}.html"), n)),
            history: history_page.clone(),
            count: dates.len(),
        };
        for name in names {
            for edition in editions {
                let rendered = match edition {
                    Edition::Html => {
                        let page = Page {
                            slug: Some(&name),
                            editions: super::linked(editions),
                            owner_units: owner_units.clone(),
                            clause_ids: Some(&chain_ids),
                            versions: Some(versions.clone()),
                            gone: gone.clone(),
                            // The policy's own page is the one the index lists.
                            sequence: (name == *slug).then_some(links.as_str()),
                        };
                        renderer.page(document, &page).map(String::into_bytes)
                    }
                    Edition::Yaml => crate::emit::render(document, Edition::Yaml)
                        .map(|yaml| yaml_with_history(&yaml, dates[v], previous_date, ids).into_bytes()),
                    other => crate::emit::render_bytes(document, *other),
                };
                match rendered {
                    Ok(bytes) => pages.push((format!("{name}.{}", edition.extension()), bytes)),
                    Err(e) => return failed_emit(files, v, e),
                }
            }
        }
    }
    let latest = &documents[last];
    let title = latest.meta.title.clone().unwrap_or_else(|| slug.clone());
    // The history and the pairs' pages belong to the HTML edition.
    if editions.contains(&Edition::Html) {
        let label = |v: usize| format!("{}（{}）", zh_date(dates[v]), chain.versions[v].1.display());
        let report = |a: usize, b: usize| {
            let d = diff::diff(&documents[a], &documents[b]);
            let (old, new) = (label(a), label(b));
            (diff::report::html_view(&d, diff::report::Labels { old: &old, new: &new }), summary_line(&d.summary))
        };
        let steps: Vec<Step<'_>> = (1..documents.len())
            .map(|v| {
                let (report, summary) = report(v - 1, v);
                Step { old: dates[v - 1], new: dates[v], summary, report }
            })
            .collect();
        let pairs = extra_pairs(documents.len());
        for &(a, b) in &pairs {
            let page = renderer.diff_page(&report(a, b).0, Some(&history_page));
            match page {
                Ok(page) => pages.push((pair_page(slug, dates[a], dates[b]), page.into_bytes())),
                Err(e) => return failed_emit(files, last, e),
            }
        }
        let view = HistoryView {
            slug,
            title: &title,
            versions: documents
                .iter()
                .enumerate()
                .map(|(v, d)| VersionRow {
                    date: dates[v],
                    page: format!("{slug}@{}.html", dates[v]),
                    status: d.meta.status.as_deref(),
                    doc_number: d.meta.doc_number.as_deref(),
                    change: v.checked_sub(1).map(|p| steps[p].summary.clone()),
                })
                .collect(),
            pairs: pairs
                .iter()
                .map(|&(a, b)| PairRow { page: pair_page(slug, dates[a], dates[b]), old: dates[a], new: dates[b] })
                .collect(),
            removed: lineage
                .removed
                .iter()
                .map(|r| RemovedRow {
                    id: &r.id,
                    path: &r.path,
                    text: &r.text,
                    last: dates[r.removed_in - 1],
                    last_page: format!("{slug}@{}.html", dates[r.removed_in - 1]),
                    gone: dates[r.removed_in],
                })
                .collect(),
            steps,
        };
        let history = match renderer.history_page(&view) {
            Ok(page) => page,
            Err(e) => return failed_emit(files, last, e),
        };
        pages.push((history_page.clone(), history.into_bytes()));
    }
    let ids = &lineage.versions[last];
    let clauses: Vec<(String, String, String)> =
        places(latest).into_iter().zip(ids).map(|((_, path, text), id)| (id.id.clone(), path, text)).collect();
    pages.push((super::search::shard_name(slug), super::search::shard(slug, &title, &clauses).into_bytes()));
    for (name, bytes) in &pages {
        let target = options.output.join(name);
        match write_unless_same(&target, bytes, fresh) {
            Ok(true) => written.push(target),
            Ok(false) => {}
            Err(e) => {
                let mut files = files;
                if let Some(f) = files.last_mut() {
                    f.outcome = Outcome::Failed(Failure::Write(target, e));
                }
                return ChainBuilt { files, entry: None, written, block: None };
            }
        }
    }
    // The owners view links to the latest version's clauses by their ids
    // across the chain.
    let ids: HashMap<&str, &str> = lineage.versions[last].iter().map(|c| (c.place.as_str(), c.id.as_str())).collect();
    let pairs: Vec<_> = crate::owners::collect(latest, slug)
        .into_iter()
        .map(|(unit, mut clause)| {
            if let Some(id) = ids.get(clause.id.as_str()) {
                clause.id = (*id).to_owned();
            }
            (unit, clause)
        })
        .collect();
    let owners = crate::owners::invert(super::units::qualify_all(latest, pairs));
    let block = store::block(&owners);
    let entry = ManifestEntry {
        source: source_name,
        source_hash,
        outputs,
        index: Some(IndexRow::of(latest, slug)),
        owners_block: [0, block.0.len() as u64],
        owners_digest: digest::hex(&block.0),
        sequence: links,
    };
    ChainBuilt { files, entry: Some(entry), written, block: Some(block) }
}

fn failed_emit(mut files: Vec<FileReport>, v: usize, e: crate::emit::EmitError) -> ChainBuilt {
    if let Some(f) = files.get_mut(v) {
        f.outcome = Outcome::Failed(Failure::Emit(e));
    }
    ChainBuilt { files, entry: None, written: Vec::new(), block: None }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Document {
        let source =
            SourceFile::from_bytes(Path::new("t.txt"), Format::Text, text.as_bytes(), Encoding::Utf8).expect("utf-8");
        parse::parse(&source).document
    }

    #[test]
    fn a_renumbered_clause_keeps_its_id_and_a_new_one_gets_a_fresh_id() {
        let old = doc(
            "关于测试的办法\n\n第一条 为了规范测试工作，制定本办法。\n\n第二条 本办法适用于全省的测试活动。\n\n第三条 测试应当公开透明。\n",
        );
        let new = doc(
            "关于测试的办法\n\n第一条 为了规范测试工作，制定本办法。\n\n第二条 测试机构应当依法登记备案。\n\n第三条 本办法适用于全省的测试活动。\n\n第四条 测试应当公开透明。\n",
        );
        let lineage = lineage(&[("2020-01-01", &old), ("2024-01-01", &new)]);
        let first: Vec<&str> = lineage.versions[0].iter().map(|c| c.id.as_str()).collect();
        let second: Vec<&str> = lineage.versions[1].iter().map(|c| c.id.as_str()).collect();
        assert_eq!(first.len(), 3, "{first:?}");
        assert_eq!(second[0], first[0]);
        assert_eq!(second[2], first[1], "第二条 became 第三条 and keeps its id");
        assert_eq!(second[3], first[2]);
        assert_eq!(second[1], format!("v20240101-{}", first[1]), "the new 第二条 cannot take an id the chain gave");
        assert_eq!(lineage.versions[1][2].op, Some(Op::Renumbered));
        assert_eq!(lineage.versions[1][1].op, Some(Op::Added));
        assert!(lineage.removed.is_empty());
    }

    #[test]
    fn a_removed_clause_is_listed_with_the_version_that_removed_it() {
        let old = doc(
            "关于测试的办法\n\n第一条 为了规范测试工作，制定本办法。\n\n第二条 本办法适用于全省的测试活动。\n\n第三条 测试应当公开透明。\n",
        );
        let new = doc("关于测试的办法\n\n第一条 为了规范测试工作，制定本办法。\n\n第二条 测试应当公开透明。\n");
        let lineage = lineage(&[("2020-01-01", &old), ("2024-01-01", &new)]);
        assert_eq!(lineage.removed.len(), 1);
        assert_eq!(lineage.removed[0].id, lineage.versions[0][1].id);
        assert_eq!(lineage.removed[0].removed_in, 1);
        assert_eq!(lineage.versions[1][1].id, lineage.versions[0][2].id);
    }
}
