//! Character-level edits between two texts of a clause.
//!
//! Takes two strings and gives the list of [`Edit`]s that turns the first
//! into the second. Chinese has no spaces, so words are not a unit: the diff
//! runs on characters (with `similar`'s Myers, whose heuristics bound the
//! work on very different inputs), then tiny runs of equal characters caught
//! between two changes are folded into them — 将「加强」改为「强化」 reads
//! better than four interleaved one-character edits that happen to share 强.
//! Never fails.

use serde::Serialize;
use similar::{Algorithm, ChangeTag};

/// Equal runs shorter than this, between two changes, are folded into them.
const MIN_EQUAL: usize = 3;

/// One piece of the way from the old text to the new: kept, deleted or
/// inserted text. Concatenating `equal` and `delete` pieces gives the old
/// text; `equal` and `insert` pieces the new one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "op", content = "text", rename_all = "lowercase")]
pub enum Edit {
    Equal(String),
    Delete(String),
    Insert(String),
}

impl Edit {
    pub fn text(&self) -> &str {
        match self {
            Edit::Equal(t) | Edit::Delete(t) | Edit::Insert(t) => t,
        }
    }
}

/// The edits from `old` to `new`; empty when they are equal.
pub fn edits(old: &str, new: &str) -> Vec<Edit> {
    if old == new {
        return Vec::new();
    }
    let raw = similar::utils::diff_chars(Algorithm::Myers, old, new);
    // Runs: (equal text) or (deleted, inserted) between two equal runs.
    let mut runs: Vec<Run> = Vec::new();
    for (tag, text) in raw {
        match (tag, runs.last_mut()) {
            (ChangeTag::Equal, Some(Run::Equal(t))) => t.push_str(text),
            (ChangeTag::Equal, _) => runs.push(Run::Equal(text.to_owned())),
            (ChangeTag::Delete, Some(Run::Change(d, _))) => d.push_str(text),
            (ChangeTag::Insert, Some(Run::Change(_, i))) => i.push_str(text),
            (ChangeTag::Delete, _) => runs.push(Run::Change(text.to_owned(), String::new())),
            (ChangeTag::Insert, _) => runs.push(Run::Change(String::new(), text.to_owned())),
        }
    }
    let runs = fold_tiny_equals(runs);
    let mut out = Vec::with_capacity(runs.len() + 1);
    for run in runs {
        match run {
            Run::Equal(t) => out.push(Edit::Equal(t)),
            Run::Change(d, i) => {
                if !d.is_empty() {
                    out.push(Edit::Delete(d));
                }
                if !i.is_empty() {
                    out.push(Edit::Insert(i));
                }
            }
        }
    }
    out
}

enum Run {
    Equal(String),
    Change(String, String),
}

/// Fold every short equal run that sits between two changes into one change.
fn fold_tiny_equals(runs: Vec<Run>) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::with_capacity(runs.len());
    let mut iter = runs.into_iter().peekable();
    while let Some(run) = iter.next() {
        match run {
            Run::Equal(t)
                if t.chars().count() < MIN_EQUAL
                    && matches!(out.last(), Some(Run::Change(..)))
                    && matches!(iter.peek(), Some(Run::Change(..))) =>
            {
                if let Some(Run::Change(d, i)) = out.last_mut() {
                    d.push_str(&t);
                    i.push_str(&t);
                }
            }
            Run::Change(d, i) => match out.last_mut() {
                Some(Run::Change(pd, pi)) => {
                    pd.push_str(&d);
                    pi.push_str(&i);
                }
                _ => out.push(Run::Change(d, i)),
            },
            equal => out.push(equal),
        }
    }
    out
}

/// The old text back from the edits.
pub fn old_side(edits: &[Edit]) -> String {
    edits.iter().filter(|e| !matches!(e, Edit::Insert(_))).map(Edit::text).collect()
}

/// The new text back from the edits.
pub fn new_side(edits: &[Edit]) -> String {
    edits.iter().filter(|e| !matches!(e, Edit::Delete(_))).map(Edit::text).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_texts_have_no_edits() {
        assert!(edits("一样", "一样").is_empty());
    }

    #[test]
    fn a_replaced_word_is_one_delete_and_one_insert() {
        let e = edits("进一步加强知识产权保护。", "进一步强化知识产权保护。");
        assert_eq!(
            e,
            [
                Edit::Equal("进一步".into()),
                Edit::Delete("加强".into()),
                Edit::Insert("强化".into()),
                Edit::Equal("知识产权保护。".into())
            ]
        );
    }

    #[test]
    fn short_equal_runs_between_changes_are_folded() {
        let e = edits("甲乙丙丁戊己庚", "甲子丙丑戊己庚");
        assert_eq!(
            e,
            [
                Edit::Equal("甲".into()),
                Edit::Delete("乙丙丁".into()),
                Edit::Insert("子丙丑".into()),
                Edit::Equal("戊己庚".into())
            ]
        );
    }

    #[test]
    fn sides_rebuild_the_texts() {
        let (old, new) = ("建立健全知识产权公共服务体系，提升效能。", "健全知识产权服务体系，全面提升服务效能和水平。");
        let e = edits(old, new);
        assert_eq!(old_side(&e), old);
        assert_eq!(new_side(&e), new);
    }
}
