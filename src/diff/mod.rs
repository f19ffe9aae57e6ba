//! Two revisions of a document → the list of what changed, clause by clause.
//!
//! Takes two parsed [`Document`]s (`old` and `new`) and gives a [`Diff`]:
//! the changes of the frame (title, status, date, 字号, issuers, preamble,
//! closing) and one [`Change`] per clause — every clause of `old` paired with
//! its successor in `new` or reported removed, every clause of `new` without
//! a predecessor reported added. Never fails. The stages:
//! [`align`] pairs clauses by content (fingerprints first, then shingle
//! similarity, then split/merge detection), this module classifies the
//! pairs, [`chars`] finds the character-level edits inside changed clauses,
//! and [`report`] renders the result as text, Markdown, HTML, YAML or JSON.

pub mod align;
pub mod chars;
pub mod report;

use serde::Serialize;

use crate::tree::{Document, Kind};

pub use chars::Edit;

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
    /// `notice_title`, `title`, `status`, `doc_number`, `date`, `issuers`,
    /// `addressees`, `attachment`, `preamble` or `closing`.
    pub field: &'static str,
    pub old: Option<String>,
    pub new: Option<String>,
    /// Character-level edits for prose fields (title, issuers, addressees,
    /// preamble, closing) when both sides have text.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub edits: Vec<Edit>,
}

impl FrameChange {
    /// The field's name in a 修订对照表.
    pub fn chinese(&self) -> &'static str {
        match self.field {
            "notice_title" => "印发通知标题",
            "title" => "标题",
            "status" => "状态",
            "date" => "成文日期",
            "doc_number" => "发文字号",
            "issuers" => "发文机关",
            "addressees" => "主送机关",
            "preamble" => "前言",
            "closing" => "结尾",
            "attachment" => "附件标识",
            _ => "其他",
        }
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
    pub summary: Summary,
    pub frame: Vec<FrameChange>,
    /// In the reading order of `new`, removed clauses where they stood.
    pub changes: Vec<Change>,
}

impl Diff {
    /// Whether the two revisions are the same document: no frame change and
    /// every clause unchanged.
    pub fn is_same(&self) -> bool {
        self.frame.is_empty() && self.changes.iter().all(|c| c.op == Op::Unchanged)
    }
}

/// Compare two revisions.
pub fn diff(old: &Document, new: &Document) -> Diff {
    let old_clauses = align::flatten(&old.body);
    let new_clauses = align::flatten(&new.body);
    let alignment = align::align(&old_clauses, &new_clauses);
    let changes = classify(&old_clauses, &new_clauses, &alignment);
    let mut summary = Summary::default();
    for change in &changes {
        summary.bump(change.op);
    }
    Diff { summary, frame: frame_changes(old, new), changes }
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
    let text_changed = old.text != new.text;
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
    Change {
        op,
        kind: new.node.kind,
        old: Some(old.path.clone()),
        new: Some(new.path.clone()),
        also: Vec::new(),
        edits: if text_changed { chars::edits(&old.text, &new.text) } else { Vec::new() },
        text: None,
        old_text: shown(&old.text),
        new_text: shown(&new.text),
    }
}

fn grouped(old: &[align::Clause<'_>], new: &[align::Clause<'_>], group: &align::Group) -> Change {
    let join = |clauses: &[align::Clause<'_>], ids: &[usize]| {
        ids.iter().map(|&i| clauses[i].text.as_str()).collect::<Vec<_>>().join("\n")
    };
    let old_text = join(old, &group.old);
    let new_text = join(new, &group.new);
    let (op, also) = if group.new.len() > 1 {
        (Op::Split, group.new[1..].iter().map(|&n| new[n].path.clone()).collect())
    } else {
        (Op::Merged, group.old[1..].iter().map(|&o| old[o].path.clone()).collect())
    };
    Change {
        op,
        kind: new[group.new[0]].node.kind,
        old: Some(old[group.old[0]].path.clone()),
        new: Some(new[group.new[0]].path.clone()),
        also,
        edits: chars::edits(&old_text, &new_text),
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
        text: Some(new.text.clone()),
        old_text: String::new(),
        new_text: new.text.clone(),
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
        text: Some(old.text.clone()),
        old_text: old.text.clone(),
        new_text: String::new(),
    }
}

/// Changes of the frame, field by field, in a fixed order.
fn frame_changes(old: &Document, new: &Document) -> Vec<FrameChange> {
    let paragraphs = |ps: &[crate::tree::Paragraph]| {
        let joined = ps.iter().map(|p| p.text.as_str()).collect::<Vec<_>>().join("\n");
        (!joined.is_empty()).then_some(joined)
    };
    let units = |us: &[String]| (!us.is_empty()).then(|| us.join("、"));
    let fields: [(&'static str, Option<String>, Option<String>); 10] = [
        ("notice_title", old.meta.notice_title.clone(), new.meta.notice_title.clone()),
        ("title", old.meta.title.clone(), new.meta.title.clone()),
        ("status", old.meta.status.clone(), new.meta.status.clone()),
        ("doc_number", old.meta.doc_number.clone(), new.meta.doc_number.clone()),
        ("date", old.meta.date.clone(), new.meta.date.clone()),
        ("issuers", units(&old.meta.issuers), units(&new.meta.issuers)),
        ("addressees", units(&old.meta.addressees), units(&new.meta.addressees)),
        ("attachment", old.meta.attachment.clone(), new.meta.attachment.clone()),
        ("preamble", paragraphs(&old.frame.preamble), paragraphs(&new.frame.preamble)),
        ("closing", paragraphs(&old.frame.closing), paragraphs(&new.frame.closing)),
    ];
    fields
        .into_iter()
        .filter(|(_, o, n)| o != n)
        .map(|(field, old, new)| {
            // A date or a 字号 is read whole; prose and lists of units are
            // compared character by character.
            let prose = matches!(field, "notice_title" | "title" | "issuers" | "addressees" | "preamble" | "closing");
            let edits = match (&old, &new) {
                (Some(o), Some(n)) if prose => chars::edits(o, n),
                _ => Vec::new(),
            };
            FrameChange { field, old, new, edits }
        })
        .collect()
}
