//! A [`Diff`] as text: the terminal view, the 修订对照表 in Markdown,
//! HTML and Word (bytes, [`docx`]), and the machine-readable change list in
//! YAML and JSON.
//!
//! Pure functions from a diff (and the two files' labels) to a `String`;
//! only `cli` prints and only `write` writes. The 修订对照表 is headed by
//! the policy's title, 字号 and date in each version and has one row per
//! changed clause (原条文 | 修改后条文 | 说明) with deletions and insertions
//! marked inline; unchanged clauses are counted and runs of merely
//! renumbered ones folded to their first and last, in every format.

use std::fmt::Write as _;

use anstyle::{AnsiColor, Effects, Style};
use serde::Serialize;

use super::{Change, Diff, Edit, FrameChange, Op, Summary, Version, Versions};
use crate::emit::EmitError;

/// git's name, and the reports', for a side that does not exist (a file
/// added or deleted).
pub const NO_FILE: &str = "/dev/null";

/// What to call the two sides in a report (file names, usually; [`NO_FILE`]
/// for a side that does not exist).
#[derive(Debug, Clone, Copy)]
pub struct Labels<'a> {
    pub old: &'a str,
    pub new: &'a str,
}

/// The output formats of `policyc diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Html,
    Yaml,
    Json,
    /// The 修订对照表 as a Word table: bytes, from [`docx`].
    Docx,
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "text" => Ok(Format::Text),
            "md" | "markdown" => Ok(Format::Markdown),
            "html" => Ok(Format::Html),
            "yaml" | "yml" => Ok(Format::Yaml),
            "json" => Ok(Format::Json),
            "docx" => Ok(Format::Docx),
            other => Err(format!("unknown format `{other}` (expected text, md, html, yaml, json or docx)")),
        }
    }
}

/// Render a diff in one format (`color` only affects `text`).
pub fn render(diff: &Diff, labels: Labels<'_>, format: Format, color: bool) -> Result<String, EmitError> {
    match format {
        Format::Text => Ok(text(diff, labels, color)),
        Format::Markdown => Ok(markdown(diff, labels)),
        Format::Html => html(diff, labels),
        Format::Yaml => yaml(diff, labels),
        Format::Json => json(diff, labels),
        Format::Docx => Err(EmitError::Binary("docx")),
    }
}

/// The machine format's top level.
#[derive(Serialize)]
struct Machine<'a> {
    old: &'a str,
    new: &'a str,
    same: bool,
    versions: &'a Versions,
    summary: &'a Summary,
    frame: &'a [FrameChange],
    changes: &'a [Change],
}

fn machine<'a>(diff: &'a Diff, labels: Labels<'a>) -> Machine<'a> {
    Machine {
        old: labels.old,
        new: labels.new,
        same: diff.is_same(),
        versions: &diff.versions,
        summary: &diff.summary,
        frame: &diff.frame,
        changes: &diff.changes,
    }
}

pub fn yaml(diff: &Diff, labels: Labels<'_>) -> Result<String, EmitError> {
    crate::emit::yaml::to_string(&machine(diff, labels))
}

pub fn json(diff: &Diff, labels: Labels<'_>) -> Result<String, EmitError> {
    let mut out = serde_json::to_string_pretty(&machine(diff, labels))?;
    out.push('\n');
    Ok(out)
}

/// The summary as a sentence: `1 modified, 17 renumbered, 12 unchanged`.
fn summary_line(summary: &Summary) -> String {
    let parts: Vec<String> = Op::ALL
        .iter()
        .filter(|&&op| summary.count(op) > 0)
        .map(|&op| format!("{} {}", summary.count(op), op.name()))
        .collect();
    if parts.is_empty() { "no clauses".to_owned() } else { parts.join(", ") }
}

/// 修改 1 条，序号调整 17 条，未修改 12 条
fn summary_chinese(summary: &Summary) -> String {
    let parts: Vec<String> = Op::ALL
        .iter()
        .filter(|&&op| summary.count(op) > 0)
        .map(|&op| format!("{} {} 条", op.chinese(), summary.count(op)))
        .collect();
    if parts.is_empty() { "无条文".to_owned() } else { parts.join("，") }
}

fn path(p: &Option<String>) -> &str {
    p.as_deref().unwrap_or("—")
}

/// Where a change goes: `一、/（二） → 一、/（三）`, or the one path.
fn movement(change: &Change) -> String {
    let mut olds = vec![path(&change.old).to_owned()];
    let mut news = vec![path(&change.new).to_owned()];
    match change.op {
        Op::Split => news.extend(change.also.iter().cloned()),
        Op::Merged => olds.extend(change.also.iter().cloned()),
        _ => {}
    }
    match (change.old.is_some(), change.new.is_some()) {
        (true, false) => olds.join(" + "),
        (false, true) => news.join(" + "),
        _ if olds == news => olds.join(" + "),
        _ => format!("{} → {}", olds.join(" + "), news.join(" + ")),
    }
}

// ---------------------------------------------------------------- text

struct Palette {
    op: Style,
    delete: Style,
    insert: Style,
    dim: Style,
}

impl Palette {
    fn new(color: bool) -> Self {
        if !color {
            return Palette { op: Style::new(), delete: Style::new(), insert: Style::new(), dim: Style::new() };
        }
        Palette {
            op: Style::new().effects(Effects::BOLD),
            delete: Style::new().fg_color(Some(AnsiColor::Red.into())).effects(Effects::STRIKETHROUGH),
            insert: Style::new().fg_color(Some(AnsiColor::Green.into())).effects(Effects::UNDERLINE),
            dim: Style::new().effects(Effects::DIMMED),
        }
    }
}

/// The terminal view: every change but `unchanged`, with the character
/// edits inline, and each run of renumbered clauses on one line. Without
/// colour, deletions read `[-…-]` and insertions `{+…+}` (wdiff's
/// convention).
pub fn text(diff: &Diff, labels: Labels<'_>, color: bool) -> String {
    let p = Palette::new(color);
    let mut out = String::new();
    let _ = writeln!(out, "--- {}\n+++ {}", labels.old, labels.new);
    for change in &diff.frame {
        let scope = change.scope.as_deref().map(|s| format!("{s} ")).unwrap_or_default();
        let _ = writeln!(
            out,
            "{}frame{:#} {scope}{}: {}{}",
            p.op,
            p.op,
            change.field,
            inline_text(change.old.as_deref(), change.new.as_deref(), &change.edits, &p, color),
            change.granularity.note().map(|n| format!(" （{n}）")).unwrap_or_default()
        );
    }
    for item in items(diff) {
        let change = match item {
            Item::Renumbered(run) => {
                let _ = writeln!(out, "{}{:<10}{:#} {}", p.op, Op::Renumbered.name(), p.op, run_text(&run, " … "));
                continue;
            }
            Item::Change(change) => change,
        };
        let _ = writeln!(out, "{}{:<10}{:#} {}", p.op, change.op.name(), p.op, movement(change));
        let body = match change.op {
            Op::Added => mark(change.text.as_deref().unwrap_or(""), p.insert, ("{+", "+}"), color),
            Op::Removed => mark(change.text.as_deref().unwrap_or(""), p.delete, ("[-", "-]"), color),
            Op::Moved if !change.text_changed() => continue,
            _ => inline_edits(&change.edits, &p, color),
        };
        if let Some(note) = change.granularity.note() {
            let _ = writeln!(out, "    （{note}）");
        }
        for line in body.lines() {
            let _ = writeln!(out, "    {line}");
        }
    }
    let _ = writeln!(out, "{}{}{:#}", p.dim, summary_line(&diff.summary), p.dim);
    out
}

/// What a report lists, in order: a change, or a run of renumbered clauses.
enum Item<'a> {
    Change(&'a Change),
    Renumbered(Vec<&'a Change>),
}

/// The changes a report lists: every change but `unchanged`, with
/// consecutive renumbered clauses gathered into runs. An unchanged clause of
/// a higher level (the 二、 between （五） and （六）) does not end a run; one
/// of the run's level or below does, as the run would then seem to cover it.
fn items(diff: &Diff) -> Vec<Item<'_>> {
    let mut out = Vec::new();
    let mut run: Vec<&Change> = Vec::new();
    for change in &diff.changes {
        match change.op {
            Op::Renumbered => run.push(change),
            Op::Unchanged if run.first().is_some_and(|first| change.kind.rank() < first.kind.rank()) => {}
            op => {
                if !run.is_empty() {
                    out.push(Item::Renumbered(std::mem::take(&mut run)));
                }
                if op != Op::Unchanged {
                    out.push(Item::Change(change));
                }
            }
        }
    }
    if !run.is_empty() {
        out.push(Item::Renumbered(run));
    }
    out
}

/// A run of renumbered clauses by its ends: `（六） → （七） 至 （十八） →
/// （十九）（共 13 条）` (with `between` for 至), or the one clause.
fn run_text(run: &[&Change], between: &str) -> String {
    match run {
        [] => String::new(),
        [one] => movement(one),
        [first, .., last] => {
            let count = if between == " 至 " {
                format!("（共 {} 条）", run.len())
            } else {
                format!(" ({} clauses)", run.len())
            };
            format!("{}{between}{}{count}", movement(first), movement(last))
        }
    }
}

fn mark(text: &str, style: Style, brackets: (&str, &str), color: bool) -> String {
    if text.is_empty() {
        return String::new();
    }
    if color {
        // Styles end at line breaks so that a pager keeps each line intact.
        text.lines().map(|l| format!("{style}{l}{style:#}")).collect::<Vec<_>>().join("\n")
    } else {
        format!("{}{text}{}", brackets.0, brackets.1)
    }
}

fn inline_edits(edits: &[Edit], p: &Palette, color: bool) -> String {
    edits
        .iter()
        .map(|e| match e {
            Edit::Equal(t) => t.clone(),
            Edit::Delete(t) => mark(t, p.delete, ("[-", "-]"), color),
            Edit::Insert(t) => mark(t, p.insert, ("{+", "+}"), color),
        })
        .collect()
}

fn inline_text(old: Option<&str>, new: Option<&str>, edits: &[Edit], p: &Palette, color: bool) -> String {
    match (old, new) {
        (Some(o), Some(n)) if edits.is_empty() => {
            format!("{} → {}", mark(o, p.delete, ("[-", "-]"), color), mark(n, p.insert, ("{+", "+}"), color))
                .replace('\n', " / ")
        }
        (Some(_), Some(_)) => inline_edits(edits, p, color).replace('\n', " / "),
        (Some(o), None) => mark(o, p.delete, ("[-", "-]"), color).replace('\n', " / "),
        (None, Some(n)) => mark(n, p.insert, ("{+", "+}"), color).replace('\n', " / "),
        (None, None) => String::new(),
    }
}

// ------------------------------------------------------------ Markdown

/// Explanation for the 说明 column, with a note when the edits are coarser
/// than characters.
fn explain(change: &Change) -> String {
    let what = explain_op(change);
    match change.granularity.note() {
        Some(note) => format!("{what}（{note}）"),
        None => what,
    }
}

fn explain_op(change: &Change) -> String {
    let parent = |p: &Option<String>| {
        p.as_deref().and_then(|p| p.rsplit_once('/')).map_or_else(|| "顶层".to_owned(), |(parent, _)| parent.to_owned())
    };
    match change.op {
        Op::Unchanged => Op::Unchanged.chinese().to_owned(),
        Op::Renumbered => format!("序号调整：{}", movement(change)),
        Op::Modified if change.old != change.new => format!("修改；序号调整：{}", movement(change)),
        Op::Modified => "修改".to_owned(),
        Op::Moved => {
            let (from, to) = (parent(&change.old), parent(&change.new));
            let place =
                if from == to { format!("在 {from} 内调整位置") } else { format!("自 {from} 移至 {to}") };
            let edited = if change.text_changed() { "，并修改" } else { "" };
            format!("移动：{place}（{}）{edited}", movement(change))
        }
        Op::Added => "新增".to_owned(),
        Op::Removed => "删除".to_owned(),
        Op::Split => {
            let pieces: Vec<&str> =
                std::iter::once(path(&change.new)).chain(change.also.iter().map(String::as_str)).collect();
            format!("拆分为 {}", pieces.join("、"))
        }
        Op::Merged => {
            let sources: Vec<&str> =
                std::iter::once(path(&change.old)).chain(change.also.iter().map(String::as_str)).collect();
            format!("由 {} 合并", sources.join("、"))
        }
    }
}

/// Paths of the clauses on one side of a change, for the table's cells.
fn side_paths(change: &Change, old: bool) -> String {
    let (first, others) = match (old, change.op) {
        (true, Op::Merged) => (&change.old, change.also.as_slice()),
        (false, Op::Split) => (&change.new, change.also.as_slice()),
        (true, _) => (&change.old, &[][..]),
        (false, _) => (&change.new, &[][..]),
    };
    match first {
        Some(p) => std::iter::once(p.as_str()).chain(others.iter().map(String::as_str)).collect::<Vec<_>>().join(" + "),
        None => String::new(),
    }
}

/// How a piece of a cell's text reads: as in both versions, deleted from
/// the old or inserted in the new.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    Same,
    Deleted,
    Inserted,
}

/// A cell's text, piece by marked piece.
type Cell<'a> = Vec<(Mark, &'a str)>;

/// The two cells of a change as marked pieces: the old text with its
/// deletions, the new with its insertions. Empty pieces are left out.
fn sides(change: &Change) -> (Cell<'_>, Cell<'_>) {
    fn one(mark: Mark, t: &str) -> Cell<'_> {
        if t.is_empty() { Vec::new() } else { vec![(mark, t)] }
    }
    match change.op {
        Op::Added => (Vec::new(), one(Mark::Inserted, &change.new_text)),
        Op::Removed => (one(Mark::Deleted, &change.old_text), Vec::new()),
        _ if change.edits.is_empty() => (one(Mark::Same, &change.old_text), one(Mark::Same, &change.new_text)),
        _ => {
            let (mut old, mut new) = (Vec::new(), Vec::new());
            for edit in &change.edits {
                match edit {
                    Edit::Equal(t) => {
                        old.extend(one(Mark::Same, t));
                        new.extend(one(Mark::Same, t));
                    }
                    Edit::Delete(t) => old.extend(one(Mark::Deleted, t)),
                    Edit::Insert(t) => new.extend(one(Mark::Inserted, t)),
                }
            }
            (old, new)
        }
    }
}

/// The two cells of a change: old text with deletions marked, new text with
/// insertions marked, through `escape` and the two wrappers.
fn cells(
    change: &Change,
    escape: &dyn Fn(&str) -> String,
    del: (&str, &str),
    ins: (&str, &str),
    br: &str,
) -> (String, String) {
    let cell = |pieces: Cell<'_>| {
        let mut out = String::new();
        for (mark, text) in pieces {
            let text = escape(text).replace('\n', br);
            match mark {
                Mark::Same => out.push_str(&text),
                Mark::Deleted => out.push_str(&format!("{}{text}{}", del.0, del.1)),
                Mark::Inserted => out.push_str(&format!("{}{text}{}", ins.0, ins.1)),
            }
        }
        out
    };
    let (old, new) = sides(change);
    (cell(old), cell(new))
}

/// A change of the frame as a change of a clause, so that it is marked in
/// its cells as a clause's is.
fn frame_as_change(change: &FrameChange) -> Change {
    Change {
        op: match (&change.old, &change.new) {
            (None, _) => Op::Added,
            (_, None) => Op::Removed,
            _ => Op::Modified,
        },
        kind: crate::tree::Kind::Part,
        old: None,
        new: None,
        also: Vec::new(),
        granularity: change.granularity,
        // A field read whole (a date, a 字号) is struck out and replaced whole.
        edits: match (&change.old, &change.new) {
            (Some(o), Some(n)) if change.edits.is_empty() => vec![Edit::Delete(o.clone()), Edit::Insert(n.clone())],
            _ => change.edits.clone(),
        },
        text: None,
        old_text: change.old.clone().unwrap_or_default(),
        new_text: change.new.clone().unwrap_or_default(),
    }
}

fn frame_cells(
    change: &FrameChange,
    escape: &dyn Fn(&str) -> String,
    del: (&str, &str),
    ins: (&str, &str),
    br: &str,
) -> (String, String) {
    cells(&frame_as_change(change), escape, del, ins, br)
}

fn frame_explain(change: &FrameChange) -> String {
    let what = match (&change.old, &change.new) {
        (None, _) => "新增",
        (_, None) => "删除",
        _ => "修改",
    };
    let note = change.granularity.note().map(|n| format!("（{n}）")).unwrap_or_default();
    format!("{}{what}{note}", change.chinese())
}

/// Renumbered clauses, summarized: each run of them (see [`items`]) by its
/// first and last, so that one inserted clause does not add a line per
/// later clause.
fn renumbered_list(diff: &Diff) -> Vec<String> {
    items(diff)
        .into_iter()
        .filter_map(|item| match item {
            Item::Renumbered(run) => Some(run_text(&run, " 至 ")),
            Item::Change(_) => None,
        })
        .collect()
}

/// The policy a 修订对照表 is about: the new version's title, else the old's.
fn policy_title(diff: &Diff) -> Option<&str> {
    diff.versions.new.title.as_deref().or(diff.versions.old.title.as_deref())
}

/// One version in a 修订对照表's header: `《title》（字号，2025年3月15日）`;
/// the file's label when the text has no title; [`NO_FILE`] for a side that
/// does not exist.
fn describe(version: &Version, label: &str) -> String {
    if label == NO_FILE {
        return NO_FILE.to_owned();
    }
    let mut out = match &version.title {
        Some(title) => format!("《{title}》"),
        None => label.to_owned(),
    };
    let facts: Vec<&str> = [version.doc_number.as_deref(), version.date.as_deref()].into_iter().flatten().collect();
    if !facts.is_empty() {
        out.push_str(&format!("（{}）", facts.join("，")));
    }
    out
}

/// The 修订对照表 in Markdown. Deletions and insertions are inline HTML
/// `<del>`/`<ins>`: GitHub, GitLab and pandoc render them, they read plainly
/// in the source, and unlike `~~`/`**` they work next to Chinese
/// punctuation (CommonMark's flanking rules make `**，新增**` literal).
pub fn markdown(diff: &Diff, labels: Labels<'_>) -> String {
    use crate::emit::markdown::escape_inline;
    let escape = |t: &str| escape_inline(t);
    let (del, ins) = (("<del>", "</del>"), ("<ins>", "</ins>"));
    let mut out = String::new();
    match policy_title(diff) {
        Some(title) => {
            let _ = writeln!(out, "# {}\n", escape_inline(&format!("《{title}》修订对照表")));
        }
        None => {
            let _ = writeln!(out, "# 修订对照表\n");
        }
    }
    let _ = writeln!(out, "- 原文：{}", escape_inline(&describe(&diff.versions.old, labels.old)));
    let _ = writeln!(out, "- 修改后：{}", escape_inline(&describe(&diff.versions.new, labels.new)));
    let _ = writeln!(out, "- 概况：{}\n", summary_chinese(&diff.summary));
    let rows: Vec<&Change> = diff.changes.iter().filter(|c| !matches!(c.op, Op::Unchanged | Op::Renumbered)).collect();
    if rows.is_empty() && diff.frame.is_empty() {
        let _ = writeln!(out, "条文内容无修改。\n");
    } else {
        let _ = writeln!(out, "<del>删除线</del>为删去的文字，<ins>下划线</ins>为新增的文字。\n");
        let _ = writeln!(out, "| 原条文 | 修改后条文 | 说明 |\n|---|---|---|");
        for change in &diff.frame {
            let (old, new) = frame_cells(change, &escape, del, ins, "<br>");
            let _ = writeln!(out, "| {old} | {new} | {} |", frame_explain(change));
        }
        for change in rows {
            let (old, new) = cells(change, &escape, del, ins, "<br>");
            let label = |side: bool, cell: String| {
                let paths = side_paths(change, side);
                if paths.is_empty() { cell } else { format!("**{}** {cell}", escape_inline(&paths)) }
            };
            let _ =
                writeln!(out, "| {} | {} | {} |", label(true, old), label(false, new), escape_inline(&explain(change)));
        }
        out.push('\n');
    }
    if diff.summary.unchanged > 0 {
        let _ = writeln!(out, "未修改的条文 {} 条，不再列出。\n", diff.summary.unchanged);
    }
    let renumbered = renumbered_list(diff);
    if !renumbered.is_empty() {
        let _ = writeln!(out, "仅序号调整、内容未变的条文 {} 条：\n", diff.summary.renumbered);
        for line in renumbered {
            let _ = writeln!(out, "- {}", escape_inline(&line));
        }
    }
    out
}

// ---------------------------------------------------------------- HTML

/// What the 修订对照表's templates (`changes.html`, and `diff.html` around
/// it) see as `report`: every text as text, the marks as data, so the
/// markup is the templates' alone.
#[derive(Debug, Serialize)]
pub struct HtmlView {
    heading: String,
    old: String,
    new: String,
    summary: String,
    /// The frame's changes, then the clauses' (unchanged and merely
    /// renumbered clauses are counted below, not listed).
    rows: Vec<RowView>,
    unchanged: usize,
    renumbered: usize,
    renumbered_runs: Vec<String>,
}

#[derive(Debug, Serialize)]
struct RowView {
    /// The change's op (`modified`, `added`…), or `frame`.
    class: &'static str,
    old: CellView,
    new: CellView,
    note: String,
}

#[derive(Debug, Serialize)]
struct CellView {
    /// The clause's marker path on this side, shown before its text.
    path: String,
    pieces: Vec<PieceView>,
}

/// A run of text with one mark (`del`, `ins` or none), cut at its line
/// breaks.
#[derive(Debug, Serialize)]
struct PieceView {
    mark: &'static str,
    lines: Vec<String>,
}

fn cell_view(path: String, pieces: Cell<'_>) -> CellView {
    let pieces = pieces
        .into_iter()
        .map(|(mark, text)| PieceView {
            mark: match mark {
                Mark::Same => "",
                Mark::Deleted => "del",
                Mark::Inserted => "ins",
            },
            lines: text.split('\n').map(str::to_owned).collect(),
        })
        .collect();
    CellView { path, pieces }
}

/// The 修订对照表 of `diff` as the HTML templates see it.
pub fn html_view(diff: &Diff, labels: Labels<'_>) -> HtmlView {
    let mut rows = Vec::new();
    for change in &diff.frame {
        let as_change = frame_as_change(change);
        let (old, new) = sides(&as_change);
        rows.push(RowView {
            class: "frame",
            old: cell_view(String::new(), old),
            new: cell_view(String::new(), new),
            note: frame_explain(change),
        });
    }
    for change in diff.changes.iter().filter(|c| !matches!(c.op, Op::Unchanged | Op::Renumbered)) {
        let (old, new) = sides(change);
        rows.push(RowView {
            class: change.op.name(),
            old: cell_view(side_paths(change, true), old),
            new: cell_view(side_paths(change, false), new),
            note: explain(change),
        });
    }
    HtmlView {
        heading: policy_title(diff).map_or_else(|| "修订对照表".to_owned(), |t| format!("《{t}》修订对照表")),
        old: describe(&diff.versions.old, labels.old),
        new: describe(&diff.versions.new, labels.new),
        summary: summary_chinese(&diff.summary),
        rows,
        unchanged: diff.summary.unchanged,
        renumbered: diff.summary.renumbered,
        renumbered_runs: renumbered_list(diff),
    }
}

/// The 修订对照表 as a standalone HTML page, through the built-in
/// templates.
pub fn html(diff: &Diff, labels: Labels<'_>) -> Result<String, EmitError> {
    crate::emit::html::Renderer::builtin().diff_page(&html_view(diff, labels), None)
}

// ---------------------------------------------------------------- Word

/// Marks in a cell's text between [`cells`] and the runs they become:
/// control characters, which [`crate::emit::docx::escape`] never lets
/// through from the text itself.
const DEL_START: &str = "\u{1}D";
const INS_START: &str = "\u{1}I";
const MARK_END: &str = "\u{1}E";
const BREAK: &str = "\u{1}B";

/// A cell's marked text as runs: deletions struck through, insertions
/// underlined, as editors mark a 修订对照表 by hand.
fn word_runs(marked: &str) -> String {
    let mut out = String::new();
    let mut look = "";
    for (k, piece) in marked.split('\u{1}').enumerate() {
        let text = if k == 0 {
            piece
        } else {
            let (mark, rest) = piece.split_at(piece.len().min(1));
            match mark {
                "D" => look = "<w:rPr><w:strike/><w:color w:val=\"C00000\"/></w:rPr>",
                "I" => look = "<w:rPr><w:u w:val=\"single\"/><w:b/><w:color w:val=\"1B6B1B\"/></w:rPr>",
                "E" => look = "",
                _ => out.push_str("<w:r><w:br/></w:r>"),
            }
            rest
        };
        if !text.is_empty() {
            let _ = write!(out, "<w:r>{look}<w:t xml:space=\"preserve\">{text}</w:t></w:r>");
        }
    }
    out
}

/// One table cell of `width` twips holding `label` (a clause path, in bold)
/// and the marked text.
fn word_cell(out: &mut String, width: u32, label: &str, marked: &str) {
    let _ = write!(
        out,
        "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/></w:tcPr><w:p><w:pPr><w:pStyle w:val=\"Cell\"/></w:pPr>"
    );
    if !label.is_empty() {
        let _ = write!(
            out,
            "<w:r><w:rPr><w:rFonts w:ascii=\"黑体\" w:hAnsi=\"黑体\" w:eastAsia=\"黑体\"/></w:rPr><w:t xml:space=\"preserve\">{} </w:t></w:r>",
            crate::emit::docx::escape(label)
        );
    }
    out.push_str(&word_runs(marked));
    out.push_str("</w:p></w:tc>");
}

/// The 修订对照表 as a Word document: the heading and the versions as in
/// the other formats, then a three-column table (原条文 | 修改后条文 | 说明)
/// whose header row repeats on every page, on landscape A4.
pub fn docx(diff: &Diff, labels: Labels<'_>) -> Result<Vec<u8>, EmitError> {
    use crate::emit::docx::{Orientation, escape, package, paragraph};
    let escape_text = |t: &str| escape(t);
    let (del, ins) = ((DEL_START, MARK_END), (INS_START, MARK_END));
    let heading = policy_title(diff).map_or_else(|| "修订对照表".to_owned(), |t| format!("《{t}》修订对照表"));
    let mut out = paragraph("Title", &heading);
    out.push_str(&paragraph("Plain", &format!("原文：{}", describe(&diff.versions.old, labels.old))));
    out.push_str(&paragraph("Plain", &format!("修改后：{}", describe(&diff.versions.new, labels.new))));
    out.push_str(&paragraph("Plain", &format!("概况：{}", summary_chinese(&diff.summary))));
    let rows: Vec<&Change> = diff.changes.iter().filter(|c| !matches!(c.op, Op::Unchanged | Op::Renumbered)).collect();
    if rows.is_empty() && diff.frame.is_empty() {
        out.push_str(&paragraph("Plain", "条文内容无修改。"));
    } else {
        out.push_str(&paragraph("Plain", "删除线为删去的文字，下划线为新增的文字。"));
        // The landscape type area is 243 mm wide: two text columns and a
        // narrower one for the note.
        let widths = [5669u32, 5669, 2438];
        out.push_str("<w:tbl><w:tblPr><w:tblW w:w=\"13776\" w:type=\"dxa\"/><w:tblBorders>");
        for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
            let _ = write!(out, "<w:{side} w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>");
        }
        out.push_str("</w:tblBorders><w:tblLayout w:type=\"fixed\"/></w:tblPr><w:tblGrid>");
        for width in widths {
            let _ = write!(out, "<w:gridCol w:w=\"{width}\"/>");
        }
        out.push_str("</w:tblGrid><w:tr><w:trPr><w:tblHeader/></w:trPr>");
        for (width, name) in widths.iter().zip(["原条文", "修改后条文", "说明"]) {
            let _ = write!(
                out,
                "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/><w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"F2F2F2\"/></w:tcPr>{}</w:tc>",
                paragraph("CellHeading", name)
            );
        }
        out.push_str("</w:tr>");
        for change in &diff.frame {
            let (old, new) = frame_cells(change, &escape_text, del, ins, BREAK);
            out.push_str("<w:tr>");
            word_cell(&mut out, widths[0], "", &old);
            word_cell(&mut out, widths[1], "", &new);
            word_cell(&mut out, widths[2], "", &escape(&frame_explain(change)));
            out.push_str("</w:tr>");
        }
        for change in rows {
            let (old, new) = cells(change, &escape_text, del, ins, BREAK);
            out.push_str("<w:tr>");
            word_cell(&mut out, widths[0], &side_paths(change, true), &old);
            word_cell(&mut out, widths[1], &side_paths(change, false), &new);
            word_cell(&mut out, widths[2], "", &escape(&explain(change)));
            out.push_str("</w:tr>");
        }
        out.push_str("</w:tbl>");
    }
    if diff.summary.unchanged > 0 {
        out.push_str(&paragraph("Plain", &format!("未修改的条文 {} 条，不再列出。", diff.summary.unchanged)));
    }
    let renumbered = renumbered_list(diff);
    if !renumbered.is_empty() {
        out.push_str(&paragraph("Plain", &format!("仅序号调整、内容未变的条文 {} 条：", diff.summary.renumbered)));
        for line in renumbered {
            out.push_str(&paragraph("Plain", &line));
        }
    }
    package(&out, &heading, Orientation::Landscape)
}
