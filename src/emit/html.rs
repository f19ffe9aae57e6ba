//! The HTML edition, through minijinja templates.
//!
//! The templates in `src/templates/` are embedded in the binary; a directory
//! given with `--templates DIR` overrides any of them by file name (as
//! mdBook's themes do), the rest staying built in. Templates end in `.html`
//! so minijinja escapes every value: document text is always text, never
//! markup. Views handed to the templates carry each node's stable id, its
//! heading level and its owners grouped by role, so templates stay simple.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use minijinja::value::Serde;
use minijinja::{Environment, Value, context};
use serde::Serialize;

use super::EmitError;
use crate::digest;
use crate::tree::summary::IndexRow;
use crate::tree::{Document, IdAllocator, Node, Target};

pub(crate) mod fast;

/// The built-in templates, by name.
pub const BUILTIN: [(&str, &str); 15] = [
    ("attachment.html", include_str!("../templates/attachment.html")),
    ("base.html", include_str!("../templates/base.html")),
    ("changes.html", include_str!("../templates/changes.html")),
    ("clauses.html", include_str!("../templates/clauses.html")),
    ("diff.css", include_str!("../templates/diff.css")),
    ("diff.html", include_str!("../templates/diff.html")),
    ("document.html", include_str!("../templates/document.html")),
    ("history.html", include_str!("../templates/history.html")),
    ("index.html", include_str!("../templates/index.html")),
    ("owners.html", include_str!("../templates/owners.html")),
    ("style.css", include_str!("../templates/style.css")),
    ("table.html", include_str!("../templates/table.html")),
    ("toc.html", include_str!("../templates/toc.html")),
    ("units.html", include_str!("../templates/units.html")),
    ("versions.html", include_str!("../templates/versions.html")),
];

/// What every page names as its generator.
const GENERATOR: &str = concat!("policyc ", env!("CARGO_PKG_VERSION"));

/// A template set ready to render.
pub struct Renderer {
    /// The templates, with [`DOCUMENT_STUBS`] in place while `fast`.
    env: Environment<'static>,
    fingerprint: String,
    /// Whether the numbered body is written by [`fast`] rather than by the
    /// interpreter: only while everything a document page is made of, as far
    /// as it can see the clause views, is built in.
    fast: bool,
    /// The sources, for the interpreter to take over a page on the fast path
    /// that it cannot render.
    sources: Vec<(String, String)>,
    /// The templates with [`OWNERS_STUBS`] in place, when the owners page's
    /// units may be written by the caller: the built-in `owners.html` and
    /// `units.html` are in use and nothing else on its page looks at
    /// `owners`.
    owners_env: Option<Environment<'static>>,
}

/// What the document fast path puts in place of whole built-in templates:
/// the clauses (`clauses.html`) and the entries of the table of contents
/// (`toc.html`) become slots, which [`fast`] then fills. No template text is
/// edited; the templates around them render as they are.
const DOCUMENT_STUBS: [(&str, &str); 2] = [("clauses.html", "{{ nodes }}"), ("toc.html", "{{ toc }}")];

/// What the owners page's fast path puts in place of `units.html`: a slot
/// for the units, which the caller of [`Renderer::owners_page_to`] writes.
const OWNERS_STUBS: [(&str, &str); 1] = [("units.html", "{{ owners_slot }}")];

/// Marks where a body's clauses go in a page rendered on the fast path. A
/// noncharacter, so no document should hold it; one that does is rendered by
/// the interpreter instead.
const SLOT: char = '\u{FDD0}';

/// One row of the index page: a document's slug and index row.
#[derive(Debug, Clone, Serialize)]
pub struct IndexEntry {
    pub slug: String,
    #[serde(flatten)]
    pub row: IndexRow,
    /// A draft for comment (征求意见稿, 送审稿…), flagged on the index.
    pub draft: bool,
}

/// What a page of the site knows beyond its document, for its links.
#[derive(Debug, Clone, Default)]
pub struct Page<'a> {
    /// The page's file name without its extension; the other editions'
    /// links use it. `None` for a page on its own (`policyc parse`).
    pub slug: Option<&'a str>,
    /// The other editions built beside the page, by extension (`yaml`,
    /// `md`, `docx`): the page links to these and to no other.
    pub editions: Vec<&'static str>,
    /// Each unit as the document's owner labels name it → its name on the
    /// site's owners page, whose section the label links to. A unit not
    /// here is a label without a link.
    pub owner_units: BTreeMap<String, String>,
    /// The ids a version chain gives the clauses, by the id the page alone
    /// would give each (see `publish::history`): a clause keeps its id
    /// across versions. `None`: the page's own ids.
    pub clause_ids: Option<&'a HashMap<String, String>>,
    /// Where the page stands among its policy's versions, for the bar above
    /// its text; `None` for a policy in one version.
    pub versions: Option<Versions<'a>>,
    /// The id of each clause a version removed → the file and fragment of
    /// its entry on the history page, where a link to it is sent.
    pub gone: BTreeMap<String, String>,
    /// The links to the previous and next policy in the index's order (see
    /// `publish::sequence`), on a policy's own page; `Some("")` keeps their
    /// place for a later build to fill.
    pub sequence: Option<&'a str>,
}

/// A version's place in its chain, as the versions bar shows it. Pages are
/// named by file (`slug@2020-01-01.html`), dates in ISO form.
#[derive(Debug, Clone, Serialize)]
pub struct Versions<'a> {
    /// This version's date.
    pub date: &'a str,
    /// The latest version's date and page (the policy's own page).
    pub latest: &'a str,
    pub latest_page: String,
    /// The versions before and after this one: (page, date).
    pub previous: Option<(String, &'a str)>,
    pub next: Option<(String, &'a str)>,
    /// The history page, and how many versions it lists.
    pub history: String,
    pub count: usize,
}

/// Whether a clause's title runs in: a sentence (（一）加强组织领导。) with
/// the clause's text after it (not a table), which the official layout
/// prints on the title's line. A title without its full stop is a heading of its own.
pub(crate) fn runs_in(node: &Node) -> bool {
    !node.text.is_empty()
        && !node.tables.iter().any(|t| t.at == 0)
        && node.title.as_deref().is_some_and(|t| t.ends_with(['。', '！', '？', '；', '.', '!', '?', ';']))
}

/// Whether a status (征求意见稿, 试行, …) says the text is not final, so
/// that pages show a banner and a watermark.
pub fn is_draft(status: Option<&str>) -> bool {
    status.is_some_and(|s| ["征求意见", "送审", "草案", "讨论稿", "草稿"].iter().any(|mark| s.contains(mark)))
}

/// `2023-12-29` → `2023年12月29日` (a date it cannot read stays as it is).
/// `{{ "owners.html" | href("unit-" ~ u) }}`: [`super::href`] for templates;
/// safe as it is, since it is ASCII without a character HTML gives meaning.
fn link(file: String, fragment: Option<String>) -> Value {
    Value::from_safe_string(super::href(&file, fragment.as_deref()))
}

fn zh_date(value: String) -> String {
    let parts: Vec<&str> = value.split('-').collect();
    let numbers: Vec<u32> = parts.iter().filter_map(|p| p.parse().ok()).collect();
    match numbers[..] {
        [y, m, d] if parts.len() == 3 => format!("{y}年{m}月{d}日"),
        _ => value,
    }
}

/// What templates see of a document as `doc`: its metadata and frame. The
/// body reaches them as `nodes` (with ids and levels), so it is not
/// converted a second time.
#[derive(Serialize)]
struct DocView<'a> {
    meta: &'a crate::tree::Meta,
    frame: &'a crate::tree::Frame,
    /// The preamble's and the closing's paragraphs with their tables, in
    /// reading order.
    preamble: Vec<PieceView<'a>>,
    closing: Vec<PieceView<'a>>,
}

impl<'a> DocView<'a> {
    fn of(document: &'a Document) -> Self {
        let frame = &document.frame;
        DocView {
            meta: &document.meta,
            frame,
            preamble: pieces(&frame.preamble, &frame.preamble_tables),
            closing: pieces(&frame.closing, &frame.closing_tables),
        }
    }
}

/// A paragraph (`text`) or a table (`table`), as templates see them.
#[derive(Serialize)]
struct PieceView<'a> {
    text: Option<&'a str>,
    table: Option<TableView<'a>>,
}

/// A table as templates see it: the tree's fields (`header`, `rows`,
/// `merged`…) and `layout`, the cells to draw with their extents (`head`
/// and `body`, rows of `{text, rows, columns}`, covered positions left
/// out), which the built-in `table.html` draws.
#[derive(Serialize)]
struct TableView<'a> {
    #[serde(flatten)]
    table: &'a crate::tree::Table,
    layout: crate::tree::table::Layout<'a>,
}

fn pieces<'a, P: AsRef<str>>(paragraphs: &'a [P], tables: &'a [crate::tree::Table]) -> Vec<PieceView<'a>> {
    crate::tree::interleave(paragraphs, tables)
        .map(|piece| match piece {
            crate::tree::Piece::Paragraph(text) => PieceView { text: Some(text), table: None },
            crate::tree::Piece::Table(table) => {
                PieceView { text: None, table: Some(TableView { table, layout: table.layout() }) }
            }
        })
        .collect()
}

#[derive(Serialize)]
struct NodeView<'a> {
    id: String,
    kind: &'static str,
    marker: &'a str,
    /// The marker path (`二、/（四）/5.`), how editors name the clause.
    path: String,
    title: Option<&'a str>,
    /// The title runs in with the first paragraph ([`runs_in`]).
    run_in: bool,
    text: &'a [String],
    /// Paragraphs and tables in reading order.
    pieces: Vec<PieceView<'a>>,
    owners: Vec<OwnerGroup>,
    targets: &'a [Target],
    /// h2…h6 for titled nodes; nodes deeper than h6 stay h6.
    level: usize,
    depth: usize,
    children: Vec<NodeView<'a>>,
}

#[derive(Serialize)]
struct OwnerGroup {
    role: String,
    units: Vec<String>,
}

#[derive(Serialize)]
struct TocEntry {
    id: String,
    label: String,
    depth: usize,
}

impl Renderer {
    /// The embedded templates only.
    pub fn builtin() -> Self {
        Self::from_sources(BUILTIN.iter().map(|&(n, s)| (n.to_owned(), s.to_owned())).collect(), true)
            .unwrap_or_else(|e| panic!("built-in templates must compile: {e}"))
    }

    /// The embedded templates, every page through the template interpreter:
    /// what the fast path is tested against.
    #[doc(hidden)]
    pub fn builtin_interpreted() -> Self {
        Self::from_sources(BUILTIN.iter().map(|&(n, s)| (n.to_owned(), s.to_owned())).collect(), false)
            .unwrap_or_else(|e| panic!("built-in templates must compile: {e}"))
    }

    /// Whether pages are rendered with the compiled `clauses.html`.
    #[doc(hidden)]
    pub fn is_fast(&self) -> bool {
        self.fast
    }

    /// The embedded templates, each overridden by a file of the same name in
    /// `dir` when there is one.
    pub fn with_overrides(dir: &Path) -> Result<Self, EmitError> {
        let mut sources = Vec::new();
        for (name, builtin) in BUILTIN {
            let path = dir.join(name);
            let source = if path.exists() {
                std::fs::read_to_string(&path)
                    .map_err(|e| EmitError::Template { name: path.display().to_string(), message: e.to_string() })?
            } else {
                builtin.to_owned()
            };
            sources.push((name.to_owned(), source));
        }
        Self::from_sources(sources, true)
    }

    fn from_sources(sources: Vec<(String, String)>, allow_fast: bool) -> Result<Self, EmitError> {
        let mut hasher = digest::Hasher::default();
        for (name, source) in &sources {
            hasher.update(name.as_bytes());
            hasher.update(source.as_bytes());
        }
        let fingerprint = hasher.hex();
        let builtin = sources.len() == BUILTIN.len()
            && sources.iter().zip(BUILTIN).all(|((name, source), (n, s))| name == n && source == s);
        // The built-in templates compile (every test renders them) and suit
        // both fast paths (`builtin_templates_suit_the_fast_paths`): they are
        // compiled when first used, which spares `policyc build` of one
        // document a third of its start-up.
        let (fast, owners_fast) = if builtin {
            (allow_fast, allow_fast)
        } else {
            let env = environment(&sources, &[], false)?;
            (allow_fast && fast_path_applies(&env, &sources), allow_fast && owners_fast_applies(&env, &sources))
        };
        let env = environment(&sources, if fast { &DOCUMENT_STUBS[..] } else { &[] }, builtin)?;
        let owners_env = if owners_fast { Some(environment(&sources, &OWNERS_STUBS, builtin)?) } else { None };
        let sources = if fast { sources } else { Vec::new() };
        Ok(Renderer { env, fingerprint, fast, sources, owners_env })
    }

    /// A digest of the template sources: a changed template means every page
    /// must be rebuilt.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// The page of one document. `slug` names the file for links back (to
    /// its YAML and Markdown editions).
    pub fn document(&self, document: &Document, slug: Option<&str>) -> Result<String, EmitError> {
        let editions = if slug.is_some() { vec!["yaml", "md"] } else { Vec::new() };
        self.page(document, &Page { slug, editions, ..Page::default() })
    }

    /// The page of one document in a site: links to the editions built
    /// beside it and from its owner labels to the owners page.
    pub fn page(&self, document: &Document, page: &Page<'_>) -> Result<String, EmitError> {
        if self.fast {
            if let Some(out) = self.document_fast(document, page)? {
                return Ok(out);
            }
            return Self::from_sources(self.sources.clone(), false)?.page(document, page);
        }
        let slug = page.slug;
        let mut ids = Ids { allocator: IdAllocator::default(), chain: page.clause_ids };
        let nodes = views(&document.body, "", 0, 2, &mut ids);
        let mut toc = Vec::new();
        toc_entries(&nodes, &mut toc);
        // Attachments get ids under their own prefix (a2-p1-s1) so that they
        // never collide with the main document's.
        let attachments: Vec<Value> = document
            .attachments
            .iter()
            .enumerate()
            .map(|(i, attachment)| {
                let prefix = crate::tree::attachment_id(i);
                let nodes = views(&attachment.body, &prefix, 0, 2, &mut ids);
                toc_entries(&nodes, &mut toc);
                context! { doc => Value::from(Serde(DocView::of(attachment))), nodes => Value::from(Serde(&nodes)), id => prefix }
            })
            .collect();
        let targets: Vec<(&NodeView<'_>, &Target)> = {
            let mut out = Vec::new();
            collect_targets(&nodes, &mut out);
            out
        };
        let targets: Vec<Value> = targets
            .into_iter()
            .map(|(node, t)| {
                context! { id => &node.id, path => &node.path, phrase => &t.phrase, value => &t.value, unit => &t.unit }
            })
            .collect();
        let ctx = context! {
            doc => Value::from(Serde(DocView::of(document))),
            nodes => Value::from(Serde(&nodes)),
            toc => Value::from(Serde(&toc)),
            attachments => attachments,
            targets => targets,
            slug => slug,
            editions => &page.editions,
            owner_units => &page.owner_units,
            versions => page.versions.as_ref().map(|v| Value::from(Serde(v))),
            gone => &page.gone,
            sequence => page.sequence.map(|s| Value::from_safe_string(s.to_owned())),
            draft => is_draft(document.meta.status.as_deref()),
            generator => GENERATOR,
        };
        self.render("document.html", ctx)
    }

    /// [`Renderer::document`] with the table of contents and the bodies
    /// written by [`fast`]: the page is rendered with a slot for each, and
    /// they are then written into the page in place of the slots. `None` when
    /// the slots cannot be told apart from the text (it holds the slot
    /// character).
    fn document_fast(&self, document: &Document, page_links: &Page<'_>) -> Result<Option<String>, EmitError> {
        let slug = page_links.slug;
        // Ids depend on every node before them, and the table of contents
        // comes first in the page: so all ids are allocated up front.
        let mut outline = Outline { chain: page_links.clause_ids, ..Outline::default() };
        outline.visit(&document.body, true);
        for i in 0..document.attachments.len() {
            outline.id = crate::tree::attachment_id(i);
            outline.visit(&document.attachments[i].body, false);
        }
        let toc = !outline.toc.is_empty();
        // Slot 0 is the table of contents (when there is one), then the bodies.
        let slot = |i: usize| Value::from_safe_string(format!("{SLOT}{i}{SLOT}"));
        let attachments: Vec<Value> = document
            .attachments
            .iter()
            .enumerate()
            .map(|(i, attachment)| {
                let id = crate::tree::attachment_id(i);
                context! { doc => Value::from(Serde(DocView::of(attachment))), nodes => slot(i + 2), id => id }
            })
            .collect();
        let targets: Vec<Value> = outline
            .targets
            .iter()
            .map(|(id, path, t)| {
                context! { id => outline.id(*id), path => path, phrase => &t.phrase, value => &t.value, unit => &t.unit }
            })
            .collect();
        let ctx = context! {
            doc => Value::from(Serde(DocView::of(document))),
            nodes => slot(1),
            toc => if toc { slot(0) } else { Value::from("") },
            attachments => attachments,
            targets => targets,
            slug => slug,
            editions => &page_links.editions,
            owner_units => &page_links.owner_units,
            versions => page_links.versions.as_ref().map(|v| Value::from(Serde(v))),
            gone => &page_links.gone,
            sequence => page_links.sequence.map(|s| Value::from_safe_string(s.to_owned())),
            draft => is_draft(document.meta.status.as_deref()),
            generator => GENERATOR,
        };
        let skeleton = self.render("document.html", ctx)?;

        let bodies: Vec<&[Node]> =
            std::iter::once(&document.body[..]).chain(document.attachments.iter().map(|a| &a.body[..])).collect();
        let slots = usize::from(toc) + bodies.len();
        // Each slot is two slot characters; any more came from the text, and
        // then a slot found may not be ours.
        if skeleton.matches(SLOT).count() != 2 * slots {
            return Ok(None);
        }
        let mut page = String::with_capacity(skeleton.len() + outline.text_bytes * 2 + outline.ends.len() * 256);
        let mut ids = (0..outline.ends.len()).map(|i| outline.id(i));
        let mut rest = skeleton.as_str();
        for i in usize::from(!toc)..bodies.len() + 1 {
            let marker = format!("{SLOT}{i}{SLOT}");
            let Some(at) = rest.find(&marker) else { return Ok(None) };
            page.push_str(&rest[..at]);
            match i {
                0 => fast::write_toc(&mut page, &outline.toc, |i| outline.id(i)),
                _ => fast::write_clauses(&mut page, bodies[i - 1], &mut ids, &page_links.owner_units),
            }
            rest = &rest[at + marker.len()..];
        }
        page.push_str(rest);
        Ok(Some(page))
    }

    /// The index over all policies, with a summary of the owners view
    /// (each unit, how many clauses and documents name it), written to
    /// `out`. `owners` is the view the build reads lazily from its store
    /// (see `publish::store`); the template may walk it as a list of units.
    pub fn index_to(&self, entries: Vec<IndexEntry>, owners: Value, out: impl std::io::Write) -> Result<(), EmitError> {
        let ctx = context! {
            policies => Value::from_object(IndexRows(entries)),
            owners => owners,
            generator => GENERATOR,
        };
        self.render_to("index.html", ctx, out)
    }

    /// The owners view on a page of its own (`owners.html` of a build),
    /// written to `out`; `owners` as for [`Renderer::index_to`].
    pub fn owners_to(&self, owners: Value, out: impl std::io::Write) -> Result<(), EmitError> {
        let ctx = context! {
            owners => owners,
            generator => GENERATOR,
        };
        self.render_to("owners.html", ctx, out)
    }

    /// [`Renderer::owners_to`] with the units written by `units` (given the
    /// output) when the page is the built-in one: the owners page of ten
    /// thousand documents has hundreds of thousands of clauses, too many to
    /// interpret the template for each. `units` must write what the
    /// built-in template's loop would.
    pub fn owners_page_to(
        &self,
        owners: Value,
        units: &dyn Fn(&Value, &mut dyn std::io::Write) -> std::io::Result<()>,
        mut out: impl std::io::Write,
    ) -> Result<(), EmitError> {
        let Some(env) = &self.owners_env else {
            return self.owners_to(owners, out);
        };
        let slot = format!("{SLOT}owners{SLOT}");
        let ctx = context! {
            owners => owners.clone(),
            owners_slot => Value::from_safe_string(slot.clone()),
            generator => GENERATOR,
        };
        let page = render(env, "owners.html", ctx)?;
        let (head, tail) = page.split_once(&slot).unwrap_or((&page, ""));
        out.write_all(head.as_bytes()).map_err(EmitError::Write)?;
        units(&owners, &mut out).map_err(EmitError::Write)?;
        out.write_all(tail.as_bytes()).map_err(EmitError::Write)
    }

    /// The owners view on a page of its own (`policyc owners --to html`).
    pub fn owners(&self, owners: &[crate::owners::UnitView]) -> Result<String, EmitError> {
        let mut out = Vec::new();
        self.owners_to(Value::from(Serde(owners)), &mut out)?;
        String::from_utf8(out)
            .map_err(|e| EmitError::Template { name: "owners.html".to_owned(), message: e.to_string() })
    }

    /// Render straight into `out`, for pages too large to build as one
    /// string; like [`Renderer::render`], the page ends with a newline.
    fn render_to(&self, name: &str, ctx: Value, mut out: impl std::io::Write) -> Result<(), EmitError> {
        let error = |message: String| EmitError::Template { name: name.to_owned(), message };
        let template = self.env.get_template(name).map_err(|e| error(e.to_string()))?;
        let mut tail = TailWriter { inner: &mut out, last: None };
        template.render_captured_to(ctx, &mut tail).map_err(|e| error(e.to_string()))?;
        if tail.last != Some(b'\n') {
            out.write_all(b"\n").map_err(EmitError::Write)?;
        }
        Ok(())
    }

    fn render(&self, name: &str, ctx: Value) -> Result<String, EmitError> {
        render(&self.env, name, ctx)
    }

    /// A 修订对照表 page (`diff.html`, around `changes.html`): `report` is
    /// `diff::report::HtmlView`; `back`, the history page whose comparisons
    /// list it, which it links back to.
    pub fn diff_page(&self, report: &impl Serialize, back: Option<&str>) -> Result<String, EmitError> {
        let ctx = context! { report => Value::from(Serde(report)), back => back, generator => GENERATOR };
        self.render("diff.html", ctx)
    }

    /// A policy's history page (`history.html`): its versions, the
    /// 修订对照表 between each two, the removed clauses. `view` is
    /// `publish::history`'s.
    pub fn history_page(&self, view: &impl Serialize) -> Result<String, EmitError> {
        self.render("history.html", context! { generator => GENERATOR, ..Value::from(Serde(view)) })
    }
}

/// Render the template `name` of `env`; the page ends with a newline.
fn render(env: &Environment<'_>, name: &str, ctx: Value) -> Result<String, EmitError> {
    let error = |e: minijinja::Error| EmitError::Template { name: name.to_owned(), message: e.to_string() };
    let mut out = env.get_template(name).map_err(error)?.render(ctx).map_err(error)?;
    if !out.ends_with('\n') {
        out.push('\n');
    }
    Ok(out)
}

/// The templates `sources`, each of `stubs` in place of the template of
/// its name. `lazy`: each compiled when first used (the built-in ones,
/// known to compile), else all compiled now, so that an error in a
/// user's template is reported before anything is rendered.
fn environment(
    sources: &[(String, String)],
    stubs: &[(&str, &str)],
    lazy: bool,
) -> Result<Environment<'static>, EmitError> {
    let mut env = Environment::new();
    // Optional fields of the tree are left out when empty; a template may
    // test them without each test being an error.
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Chainable);
    env.add_filter("zh_date", zh_date);
    env.add_filter("href", link);
    let stubs = stubs.iter().map(|&(name, stub)| (name.to_owned(), stub.to_owned()));
    // Later entries replace earlier ones: the stubs replace the sources.
    let templates: std::collections::BTreeMap<String, String> = sources.iter().cloned().chain(stubs).collect();
    if lazy {
        env.set_loader(move |name| Ok(templates.get(name).cloned()));
    } else {
        for (name, source) in templates {
            env.add_template_owned(name.clone(), source)
                .map_err(|e| EmitError::Template { name, message: e.to_string() })?;
        }
    }
    Ok(env)
}

/// The ids of a page's clauses: each allocated from its place in the page
/// (parent's id and marker), then, in a version chain, replaced by the id
/// the chain gives that place. Children are placed under the parent's
/// place id, so that the chain's map can name every place.
struct Ids<'m> {
    allocator: IdAllocator,
    chain: Option<&'m HashMap<String, String>>,
}

impl Ids<'_> {
    /// The id a chain gives the clause at `place` (the place itself outside
    /// a chain).
    fn shown<'p>(&'p self, place: &'p str) -> &'p str {
        self.chain.and_then(|chain| chain.get(place)).map_or(place, String::as_str)
    }
}

fn views<'a>(nodes: &'a [Node], parent: &str, depth: usize, level: usize, ids: &mut Ids<'_>) -> Vec<NodeView<'a>> {
    views_under(nodes, parent, "", depth, level, ids)
}

/// The views of `nodes`, whose parent has the place id `parent` and the
/// marker path `parent_path`.
fn views_under<'a>(
    nodes: &'a [Node],
    parent: &str,
    parent_path: &str,
    depth: usize,
    level: usize,
    ids: &mut Ids<'_>,
) -> Vec<NodeView<'a>> {
    nodes
        .iter()
        .map(|node| {
            let place = ids.allocator.id(parent, node);
            let mut path = parent_path.to_owned();
            crate::tree::push_marker_path(&mut path, node);
            let child_level = if node.title.is_some() { level + 1 } else { level };
            let children = views_under(&node.children, &place, &path, depth + 1, child_level, ids);
            NodeView {
                id: ids.shown(&place).to_owned(),
                kind: node.kind.name(),
                marker: &node.marker,
                path,
                title: node.title.as_deref(),
                run_in: runs_in(node),
                text: &node.text,
                pieces: pieces(&node.text, &node.tables),
                owners: group_owners(node),
                targets: &node.targets,
                level: level.min(6),
                depth,
                children,
            }
        })
        .collect()
}

fn group_owners(node: &Node) -> Vec<OwnerGroup> {
    let mut groups: Vec<OwnerGroup> = Vec::new();
    for owner in &node.owners {
        let role = owner.role.clone().unwrap_or_else(|| "负责".to_owned());
        match groups.iter_mut().find(|g| g.role == role) {
            Some(g) => g.units.push(owner.unit.clone()),
            None => groups.push(OwnerGroup { role, units: vec![owner.unit.clone()] }),
        }
    }
    groups
}

fn toc_entries(nodes: &[NodeView<'_>], out: &mut Vec<TocEntry>) {
    for node in nodes {
        let label = match node.title {
            Some(title) => format!("{}{}", node.marker, title),
            None => node.marker.to_owned(),
        };
        // The table of contents lists headings, and articles by number.
        if node.title.is_some() || node.kind == "article" {
            out.push(TocEntry { id: node.id.clone(), label, depth: node.depth });
        }
        toc_entries(&node.children, out);
    }
}

fn collect_targets<'a>(nodes: &'a [NodeView<'a>], out: &mut Vec<(&'a NodeView<'a>, &'a Target)>) {
    for node in nodes {
        out.extend(node.targets.iter().map(|t| (node, t)));
        collect_targets(&node.children, out);
    }
}

/// The index's rows as templates see them: each row made a value only when
/// a template reaches it, so that ten thousand rows are not all copied
/// into values at once.
#[derive(Debug)]
struct IndexRows(Vec<IndexEntry>);

impl minijinja::value::Object for IndexRows {
    fn repr(self: &std::sync::Arc<Self>) -> minijinja::value::ObjectRepr {
        minijinja::value::ObjectRepr::Seq
    }

    fn get_value(self: &std::sync::Arc<Self>, key: &Value) -> Option<Value> {
        self.0.get(key.as_usize()?).map(|row| Value::from(Serde(row)))
    }

    fn enumerate(self: &std::sync::Arc<Self>) -> minijinja::value::Enumerator {
        minijinja::value::Enumerator::Seq(self.0.len())
    }
}

/// A writer that remembers the last byte through it.
struct TailWriter<W> {
    inner: W,
    last: Option<u8>,
}

impl<W: std::io::Write> std::io::Write for TailWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        if n > 0 {
            self.last = Some(buf[n - 1]);
        }
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// What the page needs of the bodies before the clauses are written: every
/// node's id, in document order, the table of contents and the targets.
#[derive(Default)]
struct Outline<'a> {
    allocator: IdAllocator,
    /// A version chain's ids, by place id (see [`Ids`]).
    chain: Option<&'a HashMap<String, String>>,
    /// The id of the node being visited, grown and cut back as a stack.
    id: String,
    /// The marker path of the node being visited, likewise.
    path: String,
    /// Every id, one after the other, and where each ends.
    ids: String,
    ends: Vec<usize>,
    toc: Vec<fast::TocItem<'a>>,
    /// (the node's number in document order, its marker path, the target)
    targets: Vec<(usize, String, &'a Target)>,
    /// The bodies' text, to size the page.
    text_bytes: usize,
}

impl<'a> Outline<'a> {
    /// As `views`, `toc_entries` and `collect_targets` see the nodes; targets
    /// only when `targets` (the page lists those of the main body).
    fn visit(&mut self, nodes: &'a [Node], targets: bool) {
        self.visit_under(nodes, 0, targets);
    }

    fn visit_under(&mut self, nodes: &'a [Node], depth: usize, targets: bool) {
        for node in nodes {
            let (id_len, path_len) = (self.id.len(), self.path.len());
            self.allocator.push(&mut self.id, node);
            let index = self.ends.len();
            let shown = self.chain.and_then(|chain| chain.get(&self.id)).unwrap_or(&self.id);
            self.ids.push_str(shown);
            self.ends.push(self.ids.len());
            self.text_bytes += node.text.iter().map(String::len).sum::<usize>();
            // The table of contents lists headings, and articles by number.
            if node.title.is_some() || node.kind == crate::tree::Kind::Article {
                self.toc.push(fast::TocItem { node: index, marker: &node.marker, title: node.title.as_deref(), depth });
            }
            if targets {
                crate::tree::push_marker_path(&mut self.path, node);
                self.targets.extend(node.targets.iter().map(|t| (index, self.path.clone(), t)));
            }
            self.visit_under(&node.children, depth + 1, targets);
            self.id.truncate(id_len);
            self.path.truncate(path_len);
        }
    }

    /// The id of the node `index`-th in document order.
    fn id(&self, index: usize) -> &str {
        let start = if index == 0 { 0 } else { self.ends[index - 1] };
        &self.ids[start..self.ends[index]]
    }
}

/// Whether the owners page's fast path gives what `sources` would: the
/// built-in `owners.html` and `units.html`, and a `base.html` and
/// `style.css` that do not look at `owners`.
fn owners_fast_applies(env: &Environment<'_>, sources: &[(String, String)]) -> bool {
    sources.iter().all(|(name, source)| match name.as_str() {
        "owners.html" | "units.html" => BUILTIN.iter().any(|&(n, builtin)| n == name && builtin == source),
        "base.html" | "style.css" => {
            env.get_template(name).is_ok_and(|t| !t.undeclared_variables(false).contains("owners"))
        }
        _ => true,
    })
}

/// Whether the fast path gives what the templates `sources` would: the
/// templates that handle the clause views and the table of contents are the
/// built-in ones, and no other template of a document page (an overridden
/// `base.html` or `style.css`) looks either up.
fn fast_path_applies(env: &Environment<'_>, sources: &[(String, String)]) -> bool {
    sources.iter().all(|(name, source)| match name.as_str() {
        "clauses.html" | "toc.html" | "document.html" | "attachment.html" | "table.html" => {
            BUILTIN.iter().any(|&(n, builtin)| n == name && builtin == source)
        }
        "index.html" | "owners.html" | "units.html" => true,
        _ => env.get_template(name).is_ok_and(|t| {
            let seen = t.undeclared_variables(false);
            !seen.contains("nodes") && !seen.contains("toc")
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The built-in templates are compiled lazily and put on both fast paths
    /// without being looked at: this is the look they are spared.
    #[test]
    fn builtin_templates_suit_the_fast_paths() {
        let sources: Vec<(String, String)> = BUILTIN.iter().map(|&(n, s)| (n.to_owned(), s.to_owned())).collect();
        let mut env = Environment::new();
        for (name, source) in sources.iter().cloned() {
            env.add_template_owned(name, source).expect("a built-in template compiles");
        }
        assert!(fast_path_applies(&env, &sources));
        assert!(owners_fast_applies(&env, &sources));
        environment(&sources, &DOCUMENT_STUBS, false).expect("the document stubs compile");
        environment(&sources, &OWNERS_STUBS, false).expect("the owners stub compiles");
    }
}
