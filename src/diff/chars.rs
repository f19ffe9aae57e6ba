//! Character-level edits between two texts of a clause.
//!
//! Takes two strings and gives the list of [`Edit`]s that turns the first
//! into the second, and how fine it is ([`Granularity`]). Chinese has no
//! spaces, so words are not a unit: the diff runs on characters (with
//! `similar`'s Myers), then tiny runs of equal characters caught between two
//! changes are folded into them — 将「加强」改为「强化」 reads better than
//! four interleaved one-character edits that happen to share 强. The common
//! beginning and end are set aside first, in linear time; Myers' work grows
//! with the length of what is left times the number of differences, so a
//! stretch longer than [`CHAR_LIMIT`] is compared sentence by sentence, and
//! one with more than [`SENTENCE_LIMIT`] sentences is replaced whole: time
//! and memory stay linear in the texts' length. Never fails.

use serde::Serialize;
use similar::{Algorithm, ChangeTag, DiffTag};

/// Equal runs shorter than this, between two changes, are folded into them.
const MIN_EQUAL: usize = 3;

/// Characters (both sides together) of a changed stretch up to which it is
/// compared character by character. A clause is rarely 2,000 characters
/// long; at this size Myers' worst case (every character different) is a
/// few times 10⁷ steps, a fraction of a second.
pub const CHAR_LIMIT: usize = 8_000;

/// Sentences (both sides together) of a changed stretch up to which it is
/// compared sentence by sentence, for the same bound on the work.
pub const SENTENCE_LIMIT: usize = 8_000;

/// How fine a list of edits is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Granularity {
    /// Character by character (every text of ordinary length).
    #[default]
    Character,
    /// Whole sentences: the changed stretch was longer than [`CHAR_LIMIT`].
    Sentence,
    /// The changed stretch deleted and inserted whole: it had more than
    /// [`SENTENCE_LIMIT`] sentences.
    Whole,
}

impl Granularity {
    pub fn is_character(&self) -> bool {
        *self == Granularity::Character
    }

    /// What a report says when the edits are coarser than characters.
    pub fn note(self) -> Option<&'static str> {
        match self {
            Granularity::Character => None,
            Granularity::Sentence => Some("改动范围过长，按句比较"),
            Granularity::Whole => Some("改动范围过长，整段比较"),
        }
    }
}

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
    edits_with_granularity(old, new).0
}

/// The edits from `old` to `new`, and how fine they are.
pub fn edits_with_granularity(old: &str, new: &str) -> (Vec<Edit>, Granularity) {
    if old == new {
        return (Vec::new(), Granularity::Character);
    }
    let prefix = common_prefix(old, new);
    let suffix = common_suffix(&old[prefix..], &new[prefix..]);
    let (old_mid, new_mid) = (&old[prefix..old.len() - suffix], &new[prefix..new.len() - suffix]);
    let mut runs: Vec<Run> = Vec::new();
    if prefix > 0 {
        runs.push(Run::Equal(old[..prefix].to_owned()));
    }
    let granularity = if old_mid.chars().count() + new_mid.chars().count() <= CHAR_LIMIT {
        let raw = similar::utils::diff_chars(Algorithm::Myers, old_mid, new_mid);
        push_changes(&mut runs, raw.into_iter());
        Granularity::Character
    } else {
        let (old_sentences, new_sentences) = (sentences(old_mid), sentences(new_mid));
        if old_sentences.len() + new_sentences.len() <= SENTENCE_LIMIT {
            let ops = similar::capture_diff_slices(Algorithm::Myers, &old_sentences, &new_sentences);
            let changes = ops.iter().flat_map(|op| {
                let (tag, old_range, new_range) = op.as_tag_tuple();
                let deleted = old_sentences[old_range]
                    .iter()
                    .map(move |t| (if tag == DiffTag::Equal { ChangeTag::Equal } else { ChangeTag::Delete }, *t));
                let inserted = new_sentences[new_range].iter().filter(move |_| tag != DiffTag::Equal);
                deleted.chain(inserted.map(|t| (ChangeTag::Insert, *t)))
            });
            push_changes(&mut runs, changes);
            Granularity::Sentence
        } else {
            push_changes(&mut runs, [(ChangeTag::Delete, old_mid), (ChangeTag::Insert, new_mid)].into_iter());
            Granularity::Whole
        }
    };
    if suffix > 0 {
        push_changes(&mut runs, std::iter::once((ChangeTag::Equal, &old[old.len() - suffix..])));
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
    (out, granularity)
}

/// Gather tagged pieces into runs: (equal text) or (deleted, inserted)
/// between two equal runs.
fn push_changes<'t>(runs: &mut Vec<Run>, pieces: impl Iterator<Item = (ChangeTag, &'t str)>) {
    for (tag, text) in pieces {
        if text.is_empty() {
            continue;
        }
        match (tag, runs.last_mut()) {
            (ChangeTag::Equal, Some(Run::Equal(t))) => t.push_str(text),
            (ChangeTag::Equal, _) => runs.push(Run::Equal(text.to_owned())),
            (ChangeTag::Delete, Some(Run::Change(d, _))) => d.push_str(text),
            (ChangeTag::Insert, Some(Run::Change(_, i))) => i.push_str(text),
            (ChangeTag::Delete, _) => runs.push(Run::Change(text.to_owned(), String::new())),
            (ChangeTag::Insert, _) => runs.push(Run::Change(String::new(), text.to_owned())),
        }
    }
}

/// Length in bytes of the longest common beginning, on a character boundary.
fn common_prefix(a: &str, b: &str) -> usize {
    a.char_indices().zip(b.chars()).find(|&((_, x), y)| x != y).map_or(a.len().min(b.len()), |((i, _), _)| i)
}

/// Length in bytes of the longest common end, on a character boundary.
fn common_suffix(a: &str, b: &str) -> usize {
    let mut len = 0;
    for (x, y) in a.chars().rev().zip(b.chars().rev()) {
        if x != y {
            break;
        }
        len += x.len_utf8();
    }
    len
}

/// A text cut after each sentence's end (。；！？ and line breaks); the pieces
/// join to the text.
fn sentences(text: &str) -> Vec<&str> {
    text.split_inclusive(['。', '；', '！', '？', '\n']).collect()
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
    fn a_long_stretch_is_compared_by_sentences_then_whole() {
        let old: String = (0..CHAR_LIMIT).map(|i| if i % 10 == 9 { '。' } else { '甲' }).collect();
        let new = old.replacen("甲甲甲", "乙乙乙", 1) + &"丙".repeat(CHAR_LIMIT) + "。";
        let (e, granularity) = edits_with_granularity(&old, &new);
        assert_eq!(granularity, Granularity::Sentence);
        assert_eq!((old_side(&e), new_side(&e)), (old.clone(), new.clone()));
        // Whole sentences: the first one changed as a whole.
        assert!(e.contains(&Edit::Insert("乙乙乙甲甲甲甲甲甲。".into())), "{e:?}");
        let many = "甲。".repeat(SENTENCE_LIMIT);
        let (e, granularity) = edits_with_granularity(&many, &many.replacen('甲', "乙", 1));
        assert_eq!(granularity, Granularity::Character, "a short change in a long text stays fine");
        assert_eq!(e.len(), 3);
        let (e, granularity) = edits_with_granularity(&many, &"乙。".repeat(SENTENCE_LIMIT));
        assert_eq!(granularity, Granularity::Whole);
        // Deleted whole, inserted whole, and the common final 。.
        assert_eq!(e.len(), 3);
    }

    #[test]
    fn sides_rebuild_the_texts() {
        let (old, new) = ("建立健全知识产权公共服务体系，提升效能。", "健全知识产权服务体系，全面提升服务效能和水平。");
        let e = edits(old, new);
        assert_eq!(old_side(&e), old);
        assert_eq!(new_side(&e), new);
    }
}
