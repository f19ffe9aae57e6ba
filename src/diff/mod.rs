//! Two revisions of a document → the list of what changed, clause by clause.
//!
//! Takes two parsed [`Document`]s (`old` and `new`, each optionally with the
//! source text it was parsed from) and gives a [`Diff`]: the changes of every
//! part of the frame (the notice's title, 字号, addressees, text, issuers,
//! date and 附注; the policy's attachment label, title, status, addressees,
//! preamble, closing, signature, date and 版记) and one [`Change`] per
//! clause — every clause of `old` paired with its successor in `new` or
//! reported removed, every clause of `new` without a predecessor reported
//! added. Further attachments (附件2 …) take part the same way, their frame
//! fields scoped by their label and their clauses' paths starting with it.
//! Only debris (`frame.debris`, and with it `meta.page_date`) is left out,
//! as `fmt` leaves it out. Texts are compared after `fmt`'s normalization
//! ([`crate::fmt::text::normalize`]: full-width punctuation, no stray
//! spaces), so such a change is no change; what is shown is the text as
//! written. Never fails. The stages:
//! [`align`] pairs clauses by content (fingerprints first, then shingle
//! similarity, then split/merge detection), this module classifies the
//! pairs, [`chars`] finds the character-level edits inside changed clauses,
//! and [`report`] renders the result as text, Markdown, HTML, YAML or JSON.

pub mod align;
pub mod chars;
pub mod report;

use serde::Serialize;

use crate::tree::{Document, Kind, Paragraph};

pub use chars::{Edit, Granularity};

/// What happened to a clause between the two revisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Op {
    /// Same text, same numbering path.
    Unchanged,
    /// Same text under a new number (or under a renumbered parent).
    Renumbered,
    /// Text changed; the numbering may have changed too.
    Modified,
    /// Under another parent, or out of order among its siblings; the text
    /// may have changed too (then `edits` says how).
    Moved,
    /// Only in `new`.
    Added,
    /// Only in `old`.
    Removed,
    /// One clause of `old` became several consecutive clauses of `new`.
    Split,
    /// Several consecutive clauses of `old` became one clause of `new`.
    Merged,
}

impl Op {
    pub const ALL: [Op; 8] =
        [Op::Unchanged, Op::Renumbered, Op::Modified, Op::Moved, Op::Added, Op::Removed, Op::Split, Op::Merged];

    pub fn name(self) -> &'static str {
        match self {
            Op::Unchanged => "unchanged",
            Op::Renumbered => "renumbered",
            Op::Modified => "modified",
            Op::Moved => "moved",
            Op::Added => "added",
            Op::Removed => "removed",
            Op::Split => "split",
            Op::Merged => "merged",
        }
    }

    /// The word a 修订对照表 uses.
    pub fn chinese(self) -> &'static str {
        match self {
            Op::Unchanged => "未修改",
            Op::Renumbered => "序号调整",
            Op::Modified => "修改",
            Op::Moved => "移动",
            Op::Added => "新增",
            Op::Removed => "删除",
            Op::Split => "拆分",
            Op::Merged => "合并",
        }
    }
}

/// One entry of the change list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub op: Op,
    pub kind: Kind,
    /// Marker path in `old` (`二、/（四）`), or `None` for an added clause.
    pub old: Option<String>,
    /// Marker path in `new`, or `None` for a removed clause.
    pub new: Option<String>,
    /// The other clauses taking part: for `split`, the further pieces in
    /// `new` after the one in `new`; for `merged`, the further sources in
    /// `old` after the one in `old`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<String>,
    /// Character-level edits from the old text to the new one, for clauses
    /// whose text changed (modified, moved and modified, split, merged).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub edits: Vec<Edit>,
    /// How fine `edits` are: characters, unless the texts were too long for
    /// that (then sentences, or the changed stretch whole).
    #[serde(skip_serializing_if = "Granularity::is_character")]
    pub granularity: Granularity,
    /// The clause's text, for added and removed clauses.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The old clause's own text (split: the one old clause; merged: the
    /// sources joined), for the renderers; empty for unchanged and
    /// renumbered clauses, which reports do not show.
    #[serde(skip)]
    pub old_text: String,
    /// The new clause's own text (split: the pieces joined).
    #[serde(skip)]
    pub new_text: String,
}

impl Change {
    /// Whether the clause's text changed (as opposed to its place or number).
    pub fn text_changed(&self) -> bool {
        !self.edits.is_empty()
    }
}

/// A changed field of the frame.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FrameChange {
    /// One of [`FRAME_FIELDS`]: `notice_title`, `doc_number`,
    /// `notice_addressees`, `notice_text`, `notice_issuers`, `notice_date`,
    /// `notice_notes`, `attachment`, `title`, `status`, `addressees`,
    /// `preamble`, `closing`, `issuers`, `date`, `imprint`.
    pub field: &'static str,
    /// The attachment the field belongs to (`附件2`); absent for the main
    /// document.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// The field as written; paragraphs and lines joined with a line break,
    /// issuers with 、.
    pub old: Option<String>,
    pub new: Option<String>,
    /// Edits for prose fields when both sides have text.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub edits: Vec<Edit>,
    #[serde(skip_serializing_if = "Granularity::is_character")]
    pub granularity: Granularity,
}

/// Every field of the frame that is compared, with its name in a 修订对照表,
/// in the order they are listed.
pub const FRAME_FIELDS: [(&str, &str); 16] = [
    ("notice_title", "印发通知标题"),
    ("doc_number", "发文字号"),
    ("notice_addressees", "印发通知主送机关"),
    ("notice_text", "印发通知正文"),
    ("notice_issuers", "印发通知发文机关"),
    ("notice_date", "印发通知成文日期"),
    ("notice_notes", "附注"),
    ("attachment", "附件标识"),
    ("title", "标题"),
    ("status", "状态"),
    ("addressees", "主送机关"),
    ("preamble", "前言"),
    ("closing", "结尾"),
    ("issuers", "署名"),
    ("date", "成文日期"),
    ("imprint", "版记"),
];

impl FrameChange {
    /// The field's name in a 修订对照表 (`附件2 标题` in an attachment).
    pub fn chinese(&self) -> String {
        let name = FRAME_FIELDS.iter().find(|(f, _)| *f == self.field).map_or("其他", |(_, c)| c);
        match &self.scope {
            Some(scope) => format!("{scope} {name}"),
            None => name.to_owned(),
        }
    }
}

/// What a 修订对照表 says of one revision: the policy's title, 字号 and date.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Version {
    pub title: Option<String>,
    pub doc_number: Option<String>,
    /// 成文日期 as a 修订对照表 writes it: 2025年3月15日.
    pub date: Option<String>,
}

impl Version {
    fn of(document: &Document) -> Self {
        let written = || {
            let notice_date = document.frame.notice.as_ref().and_then(|n| n.date.as_ref());
            notice_date.or(document.frame.date.as_ref()).map(|d| d.text.clone())
        };
        Version {
            title: document.meta.title.clone(),
            doc_number: document.meta.doc_number.clone(),
            date: document.meta.date.as_deref().and_then(chinese_date).or_else(written),
        }
    }
}

/// `2025-03-15` → `2025年3月15日`.
pub fn chinese_date(iso: &str) -> Option<String> {
    let mut parts = iso.splitn(3, '-').map(str::parse::<u32>);
    match (parts.next(), parts.next(), parts.next()) {
        (Some(Ok(y)), Some(Ok(m)), Some(Ok(d))) => Some(format!("{y}年{m}月{d}日")),
        _ => None,
    }
}

/// How many clauses came out with each op.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub unchanged: usize,
    pub renumbered: usize,
    pub modified: usize,
    pub moved: usize,
    pub added: usize,
    pub removed: usize,
    pub split: usize,
    pub merged: usize,
}

impl Summary {
    pub fn count(&self, op: Op) -> usize {
        match op {
            Op::Unchanged => self.unchanged,
            Op::Renumbered => self.renumbered,
            Op::Modified => self.modified,
            Op::Moved => self.moved,
            Op::Added => self.added,
            Op::Removed => self.removed,
            Op::Split => self.split,
            Op::Merged => self.merged,
        }
    }

    fn bump(&mut self, op: Op) {
        let slot = match op {
            Op::Unchanged => &mut self.unchanged,
            Op::Renumbered => &mut self.renumbered,
            Op::Modified => &mut self.modified,
            Op::Moved => &mut self.moved,
            Op::Added => &mut self.added,
            Op::Removed => &mut self.removed,
            Op::Split => &mut self.split,
            Op::Merged => &mut self.merged,
        };
        *slot += 1;
    }
}

/// The comparison of two revisions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Diff {
    /// The title, 字号 and date of each revision.
    pub versions: Versions,
    pub summary: Summary,
    pub frame: Vec<FrameChange>,
    /// In the reading order of `new`, removed clauses where they stood.
    pub changes: Vec<Change>,
}

/// [`Version`]s of the two sides.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Versions {
    pub old: Version,
    pub new: Version,
}

impl Diff {
    /// Whether the two revisions are the same document: no frame change and
    /// every clause unchanged.
    pub fn is_same(&self) -> bool {
        self.frame.is_empty() && self.changes.iter().all(|c| c.op == Op::Unchanged)
    }
}

/// One side of a comparison: a parsed document and, when known, the source
/// text it was parsed from, so that annotations lifted out of a clause's
/// text are shown as the source wrote them.
#[derive(Debug, Clone, Copy)]
pub struct Revision<'a> {
    pub document: &'a Document,
    pub source: Option<&'a str>,
}

/// Compare two revisions (annotations shown in a canonical form, as there
/// is no source text to take them from; see [`compare`]).
pub fn diff(old: &Document, new: &Document) -> Diff {
    compare(Revision { document: old, source: None }, Revision { document: new, source: None })
}

/// Compare two revisions.
pub fn compare(old: Revision<'_>, new: Revision<'_>) -> Diff {
    let (old_parts, new_parts) = (parts(old.document), parts(new.document));
    let old_clauses = align::flatten(&old_parts, old.source);
    let new_clauses = align::flatten(&new_parts, new.source);
    let alignment = align::align(&old_clauses, &new_clauses);
    let changes = classify(&old_clauses, &new_clauses, &alignment);
    let mut summary = Summary::default();
    for change in &changes {
        summary.bump(change.op);
    }
    let mut frame = Vec::new();
    for i in 0..old_parts.len().max(new_parts.len()) {
        let (o, n) = (old_parts.get(i), new_parts.get(i));
        // The label of the attachment as it now stands names the pair.
        let scope = n.or(o).and_then(|p| (!p.scope.is_empty()).then(|| p.scope.clone()));
        frame.extend(frame_changes(o.map(|p| p.document), n.map(|p| p.document), scope));
    }
    let versions = Versions { old: Version::of(old.document), new: Version::of(new.document) };
    Diff { versions, summary, frame, changes }
}

/// What became of each clause of `old` in `new`, for a chain of versions
/// (`publish::history` keeps a clause's id across it): for each clause of
/// `new`, in document order (the policy's clauses, then each attachment's),
/// the clause of `old` it continues, by the same order, and how. A split
/// continues its old clause in its first piece, a merge its first source;
/// the further pieces are `Split` without a predecessor, the further sources
/// are not continued.
pub fn lineage(old: &Document, new: &Document) -> Vec<(Option<usize>, Op)> {
    let (old_parts, new_parts) = (parts(old), parts(new));
    let old_clauses = align::flatten(&old_parts, None);
    let new_clauses = align::flatten(&new_parts, None);
    let alignment = align::align(&old_clauses, &new_clauses);
    let moved = align::moved(&old_clauses, &new_clauses, &alignment);
    (0..new_clauses.len())
        .map(|n| {
            if let Some(group) = alignment.new_group(n) {
                let op = if group.new.len() > 1 { Op::Split } else { Op::Merged };
                return ((group.new[0] == n).then_some(group.old[0]), op);
            }
            match alignment.new_to_old[n] {
                Some(o) => {
                    let (a, b) = (&old_clauses[o], &new_clauses[n]);
                    let op = if moved[o] {
                        Op::Moved
                    } else if !same_text(&a.text, &b.text) {
                        Op::Modified
                    } else if a.path != b.path {
                        Op::Renumbered
                    } else {
                        Op::Unchanged
                    };
                    (Some(o), op)
                }
                None => (None, Op::Added),
            }
        })
        .collect()
}

/// The documents of a revision: the policy and each further attachment,
/// with the label that scopes it ("" for the policy). Attachments of the two
/// revisions are compared in order.
fn parts(document: &Document) -> Vec<align::Part<'_>> {
    let mut out = vec![align::Part { scope: String::new(), document }];
    for (i, attachment) in document.attachments.iter().enumerate() {
        let label = attachment.frame.attachment.as_ref().map(|p| p.text.trim().to_owned());
        let scope = label.filter(|l| !l.is_empty()).unwrap_or_else(|| format!("附件{}", i + 2));
        out.push(align::Part { scope, document: attachment });
    }
    out
}

/// Turn the alignment into the change list, in `new`'s reading order with
/// removed clauses placed after the clause that preceded them in `old`.
fn classify(old: &[align::Clause<'_>], new: &[align::Clause<'_>], alignment: &align::Alignment) -> Vec<Change> {
    let moved = align::moved(old, new, alignment);
    let mut changes = Vec::with_capacity(old.len().max(new.len()));
    let mut emitted_old = vec![false; old.len()];
    // Removed clauses are emitted once the walk through `new` has passed the
    // clause that came before them in `old`.
    let mut next_old = 0;
    let flush = |upto: usize, next_old: &mut usize, emitted: &mut Vec<bool>, changes: &mut Vec<Change>| {
        while *next_old < upto {
            let o = *next_old;
            if !emitted[o] && alignment.old_to_new[o].is_none() && alignment.old_group(o).is_none() {
                emitted[o] = true;
                changes.push(removed(&old[o]));
            }
            *next_old += 1;
        }
    };
    for (n, clause) in new.iter().enumerate() {
        if let Some(group) = alignment.new_group(n) {
            // A split is reported at its first piece; a merge at its result.
            if group.new[0] != n {
                continue;
            }
            flush(group.old[0], &mut next_old, &mut emitted_old, &mut changes);
            for &o in &group.old {
                emitted_old[o] = true;
            }
            changes.push(grouped(old, new, group));
            continue;
        }
        match alignment.new_to_old[n] {
            Some(o) => {
                // A clause moved up from further down does not drag the
                // removals before its old place along with it.
                if o >= next_old && !moved[o] {
                    flush(o + 1, &mut next_old, &mut emitted_old, &mut changes);
                }
                emitted_old[o] = true;
                changes.push(paired(&old[o], clause, moved[o]));
            }
            None => {
                // What was removed right here reads before what replaced it.
                let mut end = next_old;
                while end < old.len() && alignment.old_to_new[end].is_none() && alignment.old_group(end).is_none() {
                    end += 1;
                }
                flush(end, &mut next_old, &mut emitted_old, &mut changes);
                changes.push(added(clause));
            }
        }
    }
    flush(old.len(), &mut next_old, &mut emitted_old, &mut changes);
    changes
}

fn paired(old: &align::Clause<'_>, new: &align::Clause<'_>, moved: bool) -> Change {
    let text_changed = !same_text(&old.text, &new.text);
    let op = if moved {
        Op::Moved
    } else if text_changed {
        Op::Modified
    } else if old.path != new.path {
        Op::Renumbered
    } else {
        Op::Unchanged
    };
    // Reports show the text of changed and moved clauses only; the others
    // (nearly all of a large revision) need not carry a copy.
    let shown = |text: &str| if matches!(op, Op::Unchanged | Op::Renumbered) { String::new() } else { text.to_owned() };
    let (edits, granularity) = if text_changed {
        chars::edits_with_granularity(&old.text, &new.text)
    } else {
        (Vec::new(), Granularity::Character)
    };
    Change {
        op,
        kind: new.node.kind,
        old: Some(old.path.clone()),
        new: Some(new.path.clone()),
        also: Vec::new(),
        edits,
        granularity,
        text: None,
        old_text: shown(&old.text),
        new_text: shown(&new.text),
    }
}

/// Whether two texts say the same once `fmt` has normalized them: the
/// difference between `,` and `，`, or a stray space between two Chinese
/// characters, is not a change of what the policy says.
pub fn same_text(old: &str, new: &str) -> bool {
    if old == new {
        return true;
    }
    // Normalization keeps every ideograph, letter and digit as it is and
    // makes none: texts that differ in those differ after it too. Seeing so
    // first spares the normalization (slow on a very long paragraph) for
    // nearly every changed clause.
    if !old.chars().filter(|&c| kept(c)).eq(new.chars().filter(|&c| kept(c))) {
        return false;
    }
    old.lines().map(normalize).eq(new.lines().map(normalize))
}

/// A character `fmt`'s normalization neither changes, removes nor makes.
fn kept(c: char) -> bool {
    crate::fmt::text::is_han(c) || c.is_ascii_alphanumeric()
}

/// A line as `fmt` writes it: text normalized, a table row (a line of
/// [`crate::tree::Table::to_lines`]) as it is, since `fmt` changes no cell.
fn normalize(line: &str) -> String {
    if crate::parse::table::is_row(line) {
        return line.to_owned();
    }
    crate::fmt::text::normalize(line)
}

fn grouped(old: &[align::Clause<'_>], new: &[align::Clause<'_>], group: &align::Group) -> Change {
    let join = |clauses: &[align::Clause<'_>], ids: &[usize]| {
        ids.iter().map(|&i| clauses[i].text.as_ref()).collect::<Vec<_>>().join("\n")
    };
    let old_text = join(old, &group.old);
    let new_text = join(new, &group.new);
    let (op, also) = if group.new.len() > 1 {
        (Op::Split, group.new[1..].iter().map(|&n| new[n].path.clone()).collect())
    } else {
        (Op::Merged, group.old[1..].iter().map(|&o| old[o].path.clone()).collect())
    };
    let (edits, granularity) = chars::edits_with_granularity(&old_text, &new_text);
    Change {
        op,
        kind: new[group.new[0]].node.kind,
        old: Some(old[group.old[0]].path.clone()),
        new: Some(new[group.new[0]].path.clone()),
        also,
        edits,
        granularity,
        text: None,
        old_text,
        new_text,
    }
}

fn added(new: &align::Clause<'_>) -> Change {
    Change {
        op: Op::Added,
        kind: new.node.kind,
        old: None,
        new: Some(new.path.clone()),
        also: Vec::new(),
        edits: Vec::new(),
        granularity: Granularity::Character,
        text: Some(new.text.clone().into_owned()),
        old_text: String::new(),
        new_text: new.text.clone().into_owned(),
    }
}

fn removed(old: &align::Clause<'_>) -> Change {
    Change {
        op: Op::Removed,
        kind: old.node.kind,
        old: Some(old.path.clone()),
        new: None,
        also: Vec::new(),
        edits: Vec::new(),
        granularity: Granularity::Character,
        text: Some(old.text.clone().into_owned()),
        old_text: old.text.clone().into_owned(),
        new_text: String::new(),
    }
}

/// The frame fields of one document (or of none, for an attachment only
/// one side has), as written, in the order of [`FRAME_FIELDS`].
fn frame_fields(document: Option<&Document>) -> [Option<String>; 16] {
    let Some(document) = document else { return Default::default() };
    let one = |p: Option<&Paragraph>| p.map(|p| p.text.clone());
    let lines = |ps: &[Paragraph], sep: &str| {
        (!ps.is_empty()).then(|| ps.iter().map(|p| p.text.as_str()).collect::<Vec<_>>().join(sep))
    };
    let frame = &document.frame;
    let notice = frame.notice.as_ref();
    [
        notice.and_then(|n| one(n.title.as_ref())),
        notice.and_then(|n| one(n.doc_number.as_ref())),
        notice.and_then(|n| one(n.addressees.as_ref())),
        notice.and_then(|n| lines(&n.text, "\n")),
        notice.and_then(|n| lines(&n.issuers, "、")),
        notice.and_then(|n| one(n.date.as_ref())),
        notice.and_then(|n| lines(&n.notes, "\n")),
        one(frame.attachment.as_ref()),
        one(frame.title.as_ref()),
        one(frame.status.as_ref()),
        one(frame.addressees.as_ref()),
        with_tables(lines(&frame.preamble, "\n"), &frame.preamble_tables),
        with_tables(lines(&frame.closing, "\n"), &frame.closing_tables),
        lines(&frame.issuers, "、"),
        one(frame.date.as_ref()),
        lines(&frame.imprint, "\n"),
    ]
}

/// A frame field's text with its tables' rows after it: a changed cell is a
/// change of the field.
fn with_tables(text: Option<String>, tables: &[crate::tree::Table]) -> Option<String> {
    if tables.is_empty() {
        return text;
    }
    let mut text = text.unwrap_or_default();
    for table in tables {
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(&table.to_lines());
    }
    Some(text)
}

/// The frame's text in reading order, whatever field the parser put each
/// line in: the pieces of one source line (the units of a signature line)
/// joined, lines apart, each normalized as `fmt` writes it.
fn frame_text(document: Option<&Document>) -> Vec<String> {
    let Some(document) = document else { return Vec::new() };
    let frame = &document.frame;
    let mut paragraphs: Vec<&Paragraph> = Vec::new();
    if let Some(notice) = &frame.notice {
        paragraphs.extend(notice.title.iter().chain(&notice.doc_number).chain(&notice.addressees));
        paragraphs.extend(notice.text.iter().chain(&notice.issuers).chain(&notice.date).chain(&notice.notes));
    }
    paragraphs.extend(frame.attachment.iter().chain(&frame.title).chain(&frame.status).chain(&frame.addressees));
    paragraphs.extend(frame.preamble.iter().chain(&frame.closing).chain(&frame.issuers));
    paragraphs.extend(frame.date.iter().chain(&frame.imprint));
    paragraphs.sort_by_key(|p| (p.span.start, p.span.end));
    let mut lines: Vec<(u32, String)> = Vec::new();
    for p in paragraphs {
        match lines.last_mut() {
            Some((line, text)) if *line == p.span.line => text.push_str(&p.text),
            _ => lines.push((p.span.line, p.text.clone())),
        }
    }
    // A table outside the body reads as its rows, after the paragraphs that
    // start before it (line 0: a row never runs on with a paragraph).
    let mut floor = 0;
    for table in frame.preamble_tables.iter().chain(&frame.closing_tables) {
        let before = lines.iter().rposition(|(line, _)| *line != 0 && *line < table.span.line).map_or(0, |i| i + 1);
        let at = before.max(floor);
        let rows: Vec<(u32, String)> = table.to_lines().lines().map(|row| (0, row.to_owned())).collect();
        floor = at + rows.len();
        lines.splice(at..at, rows);
    }
    lines.into_iter().map(|(_, text)| normalize(&text)).collect()
}

/// Changes of the frame, field by field, in the order of [`FRAME_FIELDS`].
/// None when the frame reads the same line for line: a line the parser
/// files under another field once a space or a bracket is written otherwise
/// (（ 联系人：…） is notice text, （联系人：…） a 附注) says the same.
fn frame_changes(old: Option<&Document>, new: Option<&Document>, scope: Option<String>) -> Vec<FrameChange> {
    if frame_text(old) == frame_text(new) {
        return Vec::new();
    }
    let (old, new) = (frame_fields(old), frame_fields(new));
    let mut out = Vec::new();
    for (((field, _), old), new) in FRAME_FIELDS.iter().zip(old).zip(new) {
        let same = match (&old, &new) {
            (Some(o), Some(n)) => same_text(o, n),
            (None, None) => true,
            _ => false,
        };
        if same {
            continue;
        }
        // A date or a 字号 is read whole; prose and lists of units are
        // compared character by character.
        let whole = matches!(*field, "doc_number" | "notice_date" | "date" | "status" | "attachment");
        let (edits, granularity) = match (&old, &new) {
            (Some(o), Some(n)) if !whole => chars::edits_with_granularity(o, n),
            _ => (Vec::new(), Granularity::Character),
        };
        out.push(FrameChange { field, scope: scope.clone(), old, new, edits, granularity });
    }
    out
}
