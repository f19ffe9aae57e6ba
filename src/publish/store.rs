//! The owners store: each built document's owners view, kept on disk
//! (`.policyc-owners.jsonl` in the output directory) so that
//!
//! - a document that is not parsed again still appears in the site's owners
//!   view, and
//! - the owners view of ten thousand documents — every clause of every unit,
//!   tens of megabytes — never has to be in memory at once: the pages are
//!   rendered from the store, one unit's clauses at a time.
//!
//! The store is JSON lines, one line per (document, unit): the unit, the
//! document's slug and title, and the unit's clauses in document order.
//! Documents follow each other in slug order and each one's lines (its
//! *block*) are contiguous, units sorted by name within it; the manifest
//! keeps where each block starts, how long it is, and a digest of its bytes,
//! so a block can be copied from one build's store to the next and a
//! damaged one is noticed.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::sync::{Arc, Mutex};

use minijinja::Value;
use minijinja::value::{Enumerator, Object, ObjectRepr};
use serde::{Deserialize, Serialize};

use crate::emit::html::fast;
use crate::owners::UnitView;

/// One line of the store: a unit's clauses in one document. Its strings
/// are borrowed both ways: from the owners view when written, from the
/// line's bytes when read (JSON escapes none of the Chinese text).
#[derive(Debug, Serialize, Deserialize)]
struct Group<'a> {
    #[serde(borrow)]
    unit: Cow<'a, str>,
    #[serde(borrow)]
    slug: Cow<'a, str>,
    #[serde(borrow)]
    document: Cow<'a, str>,
    #[serde(borrow)]
    clauses: Vec<Clause<'a>>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Clause<'a> {
    #[serde(borrow)]
    id: Cow<'a, str>,
    #[serde(borrow)]
    path: Cow<'a, str>,
    #[serde(borrow)]
    title: Option<Cow<'a, str>>,
    #[serde(borrow)]
    role: Option<Cow<'a, str>>,
}

impl Clause<'_> {
    fn into_owned(self) -> Clause<'static> {
        let owned = |s: Cow<'_, str>| Cow::Owned(s.into_owned());
        Clause { id: owned(self.id), path: owned(self.path), title: self.title.map(owned), role: self.role.map(owned) }
    }
}

/// Where one line sits in its block, and what it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupInfo {
    pub unit: String,
    pub clauses: u32,
    pub start: u32,
    pub len: u32,
}

/// The lines of one document's owners view, and what each holds.
pub fn block(units: &[UnitView]) -> (Vec<u8>, Vec<GroupInfo>) {
    let mut bytes = Vec::new();
    let mut groups = Vec::with_capacity(units.len());
    for unit in units {
        let Some(first) = unit.clauses.first() else { continue };
        let group = Group {
            unit: Cow::Borrowed(&unit.unit),
            slug: Cow::Borrowed(&first.slug),
            document: Cow::Borrowed(&first.document),
            clauses: unit
                .clauses
                .iter()
                .map(|c| Clause {
                    id: Cow::Borrowed(&c.id),
                    path: Cow::Borrowed(&c.path),
                    title: c.title.as_deref().map(Cow::Borrowed),
                    role: c.role.as_deref().map(Cow::Borrowed),
                })
                .collect(),
        };
        let start = bytes.len();
        // Plain strings into a Vec: this cannot fail.
        let _ = serde_json::to_writer(&mut bytes, &group);
        bytes.push(b'\n');
        groups.push(GroupInfo {
            unit: unit.unit.clone(),
            clauses: group.clauses.len() as u32,
            start: start as u32,
            len: (bytes.len() - start) as u32,
        });
    }
    (bytes, groups)
}

/// What a block read back from a store holds; `None` when it is not a
/// block this module wrote.
pub fn scan(bytes: &[u8]) -> Option<Vec<GroupInfo>> {
    #[derive(Deserialize)]
    struct Head<'a> {
        #[serde(borrow)]
        unit: std::borrow::Cow<'a, str>,
        clauses: Vec<serde::de::IgnoredAny>,
    }
    let mut groups = Vec::new();
    let mut start = 0;
    while start < bytes.len() {
        let end = start + memchr::memchr(b'\n', &bytes[start..])? + 1;
        let head: Head = serde_json::from_slice(&bytes[start..end]).ok()?;
        groups.push(GroupInfo {
            unit: head.unit.into_owned(),
            clauses: head.clauses.len() as u32,
            start: start as u32,
            len: (end - start) as u32,
        });
        start = end;
    }
    Some(groups)
}

/// Read `len` bytes at `offset` of a file.
pub fn read_range(file: &mut fs::File, offset: u64, len: u64) -> io::Result<Vec<u8>> {
    file.seek(SeekFrom::Start(offset))?;
    let mut bytes = vec![0; len as usize];
    file.read_exact(&mut bytes)?;
    Ok(bytes)
}

/// Every unit's lines in a store, for rendering: units by name, each
/// unit's lines in the store's (slug) order. A few bytes per line; the
/// clauses stay on disk.
#[derive(Debug, Default)]
pub struct Catalog {
    units: BTreeMap<String, Vec<Line>>,
}

#[derive(Debug, Clone, Copy)]
struct Line {
    offset: u64,
    len: u32,
    clauses: u32,
}

impl Catalog {
    /// Note the lines of a block written at `offset` of the store.
    pub fn add(&mut self, offset: u64, groups: &[GroupInfo]) {
        for g in groups {
            let line = Line { offset: offset + u64::from(g.start), len: g.len, clauses: g.clauses };
            match self.units.get_mut(g.unit.as_str()) {
                Some(lines) => lines.push(line),
                None => {
                    self.units.insert(g.unit.clone(), vec![line]);
                }
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }

    /// The owners view as templates see it (`owners`: a list of units, each
    /// with `unit`, `documents` and `clauses`, each clause with `slug`,
    /// `document`, `id`, `path`, `title` and `role`, as `UnitView` gives
    /// them), read lazily from `store`: a unit's clauses are read when a
    /// template walks them. Trouble reading the store is kept in the
    /// returned slot, since a template cannot be told mid-loop.
    pub fn view(self, store: fs::File) -> (Value, Arc<Mutex<Option<io::Error>>>) {
        let trouble = Arc::new(Mutex::new(None));
        // Units by pinyin, as a reader looks a name up.
        let mut units: Vec<(String, Vec<Line>)> = self.units.into_iter().collect();
        units.sort_by_cached_key(|(name, _)| super::units::pinyin_key(name));
        let units = Units { units, store: Mutex::new(store), trouble: Arc::clone(&trouble) };
        (Value::from_object(units), trouble)
    }
}

#[derive(Debug)]
struct Units {
    units: Vec<(String, Vec<Line>)>,
    store: Mutex<fs::File>,
    trouble: Arc<Mutex<Option<io::Error>>>,
}

impl Units {
    /// A line's bytes, to be read with [`Units::parse`].
    fn read(&self, line: Line) -> Option<Vec<u8>> {
        let bytes = {
            let mut file = self.store.lock().unwrap_or_else(|e| e.into_inner());
            read_range(&mut file, line.offset, u64::from(line.len))
        };
        self.kept(bytes)
    }

    fn parse<'a>(&self, bytes: &'a [u8]) -> Option<Group<'a>> {
        self.kept(serde_json::from_slice(bytes).map_err(io::Error::other))
    }

    /// The value, or `None` with the trouble kept for the caller of
    /// [`Catalog::view`].
    fn kept<T>(&self, result: io::Result<T>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(e) => {
                self.trouble.lock().unwrap_or_else(|e| e.into_inner()).get_or_insert(e);
                None
            }
        }
    }
}

impl Object for Units {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Seq
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let index = key.as_usize()?;
        (index < self.units.len()).then(|| Value::from_object(Unit { units: Arc::clone(self), index }))
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Seq(self.units.len())
    }
}

#[derive(Debug)]
struct Unit {
    units: Arc<Units>,
    index: usize,
}

impl Object for Unit {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let (name, lines) = &self.units.units[self.index];
        match key.as_str()? {
            "unit" => Some(Value::from(name.as_str())),
            "documents" => Some(Value::from(lines.len())),
            "clauses" => Some(Value::from_object(Clauses { units: Arc::clone(&self.units), index: self.index })),
            _ => None,
        }
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Str(&["unit", "documents", "clauses"])
    }
}

/// A unit's clauses across documents, read from the store as they are
/// iterated.
#[derive(Debug)]
struct Clauses {
    units: Arc<Units>,
    index: usize,
}

impl Object for Clauses {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Iterable
    }

    fn enumerator_len(self: &Arc<Self>) -> Option<usize> {
        Some(self.units.units[self.index].1.iter().map(|l| l.clauses as usize).sum())
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        let units = Arc::clone(&self.units);
        let index = self.index;
        let count = self.units.units[index].1.len();
        let lines = (0..count).flat_map(move |i| {
            let line = units.units[index].1[i];
            let bytes = units.read(line).unwrap_or_default();
            let clauses: Vec<Value> = units
                .parse(&bytes)
                .map(|g| {
                    let document: Arc<(String, String)> = Arc::new((g.slug.into_owned(), g.document.into_owned()));
                    g.clauses
                        .into_iter()
                        .map(|clause| {
                            let clause = clause.into_owned();
                            Value::from_object(ClauseView { document: Arc::clone(&document), clause })
                        })
                        .collect()
                })
                .unwrap_or_default();
            clauses
        });
        Enumerator::Iter(Box::new(lines))
    }
}

/// Write the units of a view made by [`Catalog::view`] as the built-in
/// `units.html` does, byte for byte, with the writer of `emit::html::fast` (see
/// `Renderer::owners_page_to`, and the test against the interpreter in
/// tests/suite/site.rs). Nothing when `owners` is not such a view.
///
/// This page is the serial end of a build: for ten thousand documents it
/// is some 50 MB read back from the store and as much HTML. A unit's lines
/// are therefore read and written by all threads, a window at a time so
/// that no more than a window's HTML is held, and put out in their order.
pub fn write_html(owners: &Value, out: &mut dyn Write) -> io::Result<()> {
    use rayon::prelude::*;
    /// Lines rendered before they are put out, and lines a task takes.
    const WINDOW: usize = 1024;
    const TASK: usize = 32;
    let Some(units) = owners.downcast_object_ref::<Units>() else { return Ok(()) };
    for (name, lines) in &units.units {
        let mut html = String::new();
        let clauses: u32 = lines.iter().map(|l| l.clauses).sum();
        fast::write_unit_head(&mut html, name, clauses, lines.len());
        out.write_all(html.as_bytes())?;
        for (w, window) in lines.chunks(WINDOW).enumerate() {
            let parts: Vec<String> = window
                .par_chunks(TASK)
                .enumerate()
                .map(|(t, task)| {
                    let mut html = String::new();
                    for (i, &line) in task.iter().enumerate() {
                        // A line that cannot be read is left out; the
                        // trouble is kept in the view, and the page is
                        // not committed.
                        let bytes = units.read(line).unwrap_or_default();
                        if let Some(group) = units.parse(&bytes) {
                            group_html(&mut html, &group, w * WINDOW + t * TASK + i == 0);
                        }
                    }
                    html
                })
                .collect();
            for part in parts {
                out.write_all(part.as_bytes())?;
            }
        }
        out.write_all(fast::UNIT_END.as_bytes())?;
    }
    Ok(())
}

/// One document's clauses under a unit, through the one writer of the
/// built-in `units.html`.
fn group_html(html: &mut String, group: &Group, first: bool) {
    let clauses = group.clauses.iter().map(|c| fast::UnitClause {
        id: &c.id,
        path: &c.path,
        title: c.title.as_deref(),
        role: c.role.as_deref(),
    });
    fast::write_unit_document(html, &group.slug, &group.document, clauses, first);
}

/// One clause as templates see it: a plain object rather than a map of
/// values, since a large owners page has hundreds of thousands of them.
#[derive(Debug)]
struct ClauseView {
    /// The document's slug and title, shared by its clauses.
    document: Arc<(String, String)>,
    clause: Clause<'static>,
}

impl Object for ClauseView {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let text = |s: &str| Some(Value::from(s));
        let optional = |s: &Option<Cow<str>>| Some(s.as_deref().map_or(Value::from(()), Value::from));
        match key.as_str()? {
            "slug" => text(&self.document.0),
            "document" => text(&self.document.1),
            "id" => text(&self.clause.id),
            "path" => text(&self.clause.path),
            "title" => optional(&self.clause.title),
            "role" => optional(&self.clause.role),
            _ => None,
        }
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Str(&["slug", "document", "id", "path", "title", "role"])
    }
}

/// Write `bytes` at the end of a store being assembled; gives its offset.
pub fn append(out: &mut impl Write, written: &mut u64, bytes: &[u8]) -> io::Result<u64> {
    let at = *written;
    out.write_all(bytes)?;
    *written += bytes.len() as u64;
    Ok(at)
}
