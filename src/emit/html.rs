//! The HTML edition, through minijinja templates.
//!
//! The templates in `src/templates/` are embedded in the binary; a directory
//! given with `--templates DIR` overrides any of them by file name (as
//! mdBook's themes do), the rest staying built in. Templates end in `.html`
//! so minijinja escapes every value: document text is always text, never
//! markup. Views handed to the templates carry each node's stable id, its
//! heading level and its owners grouped by role, so templates stay simple.

use std::path::Path;

use minijinja::value::Serde;
use minijinja::{Environment, Value, context};
use serde::Serialize;

use super::EmitError;
use crate::tree::{Document, IdAllocator, Node, Target};

/// The built-in templates, by name.
pub const BUILTIN: [(&str, &str); 7] = [
    ("attachment.html", include_str!("../templates/attachment.html")),
    ("base.html", include_str!("../templates/base.html")),
    ("clauses.html", include_str!("../templates/clauses.html")),
    ("document.html", include_str!("../templates/document.html")),
    ("index.html", include_str!("../templates/index.html")),
    ("owners.html", include_str!("../templates/owners.html")),
    ("style.css", include_str!("../templates/style.css")),
];

/// A template set ready to render.
pub struct Renderer {
    env: Environment<'static>,
    fingerprint: String,
}

/// One row of the index page.
#[derive(Debug, Clone, Serialize)]
pub struct IndexEntry {
    pub slug: String,
    pub title: String,
    pub date: Option<String>,
    pub status: Option<String>,
    pub issuer: Option<String>,
    pub doc_number: Option<String>,
    pub clauses: usize,
    /// A draft for comment (征求意见稿, 送审稿…), flagged on the index.
    pub draft: bool,
}

/// Whether a status (征求意见稿, 试行, …) says the text is not final, so
/// that pages show a banner and a watermark.
pub fn is_draft(status: Option<&str>) -> bool {
    status.is_some_and(|s| ["征求意见", "送审", "草案", "讨论稿", "草稿"].iter().any(|mark| s.contains(mark)))
}

/// `2023-12-29` → `2023年12月29日` (a date it cannot read stays as it is).
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
}

impl<'a> DocView<'a> {
    fn of(document: &'a Document) -> Self {
        DocView { meta: &document.meta, frame: &document.frame }
    }
}

#[derive(Serialize)]
struct NodeView<'a> {
    id: String,
    kind: &'static str,
    marker: &'a str,
    /// The marker path (`二、/（四）/5.`), how editors name the clause.
    path: String,
    title: Option<&'a str>,
    text: &'a [String],
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
        Self::from_sources(BUILTIN.iter().map(|&(n, s)| (n.to_owned(), s.to_owned())).collect())
            .unwrap_or_else(|e| panic!("built-in templates must compile: {e}"))
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
        Self::from_sources(sources)
    }

    fn from_sources(sources: Vec<(String, String)>) -> Result<Self, EmitError> {
        let mut env = Environment::new();
        // Optional fields of the tree are left out when empty; a template may
        // test them without each test being an error.
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Chainable);
        env.add_filter("zh_date", zh_date);
        let mut hasher = digest::Hasher::default();
        for (name, source) in sources {
            hasher.update(name.as_bytes());
            hasher.update(source.as_bytes());
            env.add_template_owned(name.clone(), source)
                .map_err(|e| EmitError::Template { name, message: e.to_string() })?;
        }
        Ok(Renderer { env, fingerprint: hasher.hex() })
    }

    /// A digest of the template sources: a changed template means every page
    /// must be rebuilt.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// The page of one document. `slug` names the file for links back.
    pub fn document(&self, document: &Document, slug: Option<&str>) -> Result<String, EmitError> {
        let mut ids = IdAllocator::default();
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
                let prefix = format!("a{}", i + 2);
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
            draft => is_draft(document.meta.status.as_deref()),
            generator => concat!("policyc ", env!("CARGO_PKG_VERSION")),
        };
        self.render("document.html", ctx)
    }

    /// The index over all policies, with a summary of the owners view
    /// (each unit, how many clauses and documents name it), written to
    /// `out`. `owners` is the view the build reads lazily from its store
    /// (see `publish::store`); the template may walk it as a list of units.
    pub fn index_to(&self, entries: Vec<IndexEntry>, owners: Value, out: impl std::io::Write) -> Result<(), EmitError> {
        let ctx = context! {
            policies => Value::from_object(IndexRows(entries)),
            owners => owners,
            generator => concat!("policyc ", env!("CARGO_PKG_VERSION")),
        };
        self.render_to("index.html", ctx, out)
    }

    /// The owners view on a page of its own (`owners.html` of a build),
    /// written to `out`; `owners` as for [`Renderer::index_to`].
    pub fn owners_to(&self, owners: Value, out: impl std::io::Write) -> Result<(), EmitError> {
        let ctx = context! {
            owners => owners,
            generator => concat!("policyc ", env!("CARGO_PKG_VERSION")),
        };
        self.render_to("owners.html", ctx, out)
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
            out.write_all(b"\n").map_err(|e| error(e.to_string()))?;
        }
        Ok(())
    }

    fn render(&self, name: &str, ctx: Value) -> Result<String, EmitError> {
        let template = self
            .env
            .get_template(name)
            .map_err(|e| EmitError::Template { name: name.to_owned(), message: e.to_string() })?;
        let mut out =
            template.render(ctx).map_err(|e| EmitError::Template { name: name.to_owned(), message: e.to_string() })?;
        if !out.ends_with('\n') {
            out.push('\n');
        }
        Ok(out)
    }
}

fn views<'a>(nodes: &'a [Node], parent: &str, depth: usize, level: usize, ids: &mut IdAllocator) -> Vec<NodeView<'a>> {
    views_under(nodes, parent, "", depth, level, ids)
}

/// The views of `nodes`, whose parent has the id `parent` and the marker
/// path `parent_path`.
fn views_under<'a>(
    nodes: &'a [Node],
    parent: &str,
    parent_path: &str,
    depth: usize,
    level: usize,
    ids: &mut IdAllocator,
) -> Vec<NodeView<'a>> {
    nodes
        .iter()
        .map(|node| {
            let id = ids.id(parent, node);
            // As `tree::marker_paths` names them.
            let own = if node.marker.is_empty() { format!("第{}款", node.number) } else { node.marker.clone() };
            let path = if parent_path.is_empty() { own } else { format!("{parent_path}/{own}") };
            let child_level = if node.title.is_some() { level + 1 } else { level };
            let children = views_under(&node.children, &id, &path, depth + 1, child_level, ids);
            NodeView {
                id,
                kind: node.kind.name(),
                marker: &node.marker,
                path,
                title: node.title.as_deref(),
                text: &node.text,
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

/// Content digests (XXH3, 128 bits): used to notice changed templates and
/// sources, not for security.
pub mod digest {
    /// An incremental digest over several byte strings.
    #[derive(Default)]
    pub struct Hasher(xxhash_rust::xxh3::Xxh3Default);

    impl Hasher {
        pub fn update(&mut self, bytes: &[u8]) {
            // Length first, so ("ab", "c") and ("a", "bc") differ.
            self.0.update(&(bytes.len() as u64).to_le_bytes());
            self.0.update(bytes);
        }

        pub fn hex(&self) -> String {
            format!("{:032x}", self.0.digest128())
        }
    }

    pub fn hex(bytes: &[u8]) -> String {
        format!("{:032x}", xxhash_rust::xxh3::xxh3_128(bytes))
    }
}
