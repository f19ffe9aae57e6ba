//! A sentence that occurs twice in a document (repeated-sentence), found by
//! hashing each clause once with a hasher made for sentences.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use crate::diag::registry::REPEATED_SENTENCE;
use crate::diag::{Applicability, Diagnostic, Edit, Fix};
use crate::scan::all_hits;
use crate::text::is_space;
use crate::validate::{Context, excerpt};

/// A hasher for the sentences of one document that reads a sentence's
/// length and ends rather than every byte, as SipHash would. Keyed per map
/// from the standard library's random state, so colliding sentences cannot
/// be prepared in advance.
#[derive(Clone)]
pub(super) struct SentenceHasher(u64);

impl std::hash::Hasher for SentenceHasher {
    // Equal sentences have equal ends: the length and the first and last
    // sixteen bytes tell sentences apart without reading them whole.
    fn write(&mut self, bytes: &[u8]) {
        let head = &bytes[..bytes.len().min(16)];
        let tail = &bytes[bytes.len().saturating_sub(16)..];
        self.mix(bytes.len() as u64);
        for part in [head, tail] {
            for chunk in part.chunks(8) {
                let mut word = [0; 8];
                word[..chunk.len()].copy_from_slice(chunk);
                self.mix(u64::from_le_bytes(word));
            }
        }
    }

    fn finish(&self) -> u64 {
        // The multiply leaves the low bits weak; hashbrown takes its
        // buckets from them and its tags from the top.
        self.0 ^ (self.0 >> 29)
    }
}

impl SentenceHasher {
    fn mix(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

#[derive(Clone)]
pub(super) struct SentenceHash(u64);

impl SentenceHash {
    fn new() -> Self {
        use std::hash::BuildHasher;
        SentenceHash(std::collections::hash_map::RandomState::new().hash_one(0u8))
    }
}

impl std::hash::BuildHasher for SentenceHash {
    type Hasher = SentenceHasher;
    fn build_hasher(&self) -> SentenceHasher {
        SentenceHasher(self.0)
    }
}

/// Whether the bytes `a b c` start a clause separator: `, ;` or ， ！ ？ ；
/// (EF BC …) or 。 (E3 80 82). Branch-free for [`block_hits`](crate::scan::block_hits).
#[inline(always)]
pub(super) fn separator_hit(a: u8, b: u8, c: u8) -> bool {
    let wide = (a == 0xEF) & (b == 0xBC) & ((c == 0x8C) | (c == 0x81) | (c == 0x9F) | (c == 0x9B));
    (a == b',') | (a == b';') | wide | ((a == 0xE3) & (b == 0x80) & (c == 0x82))
}

/// Split a text into clauses, each ending at (and including) one of
/// `， , ； ; 。 ！ ？`; the last may end without one. Into `out`, which is
/// cleared first. The separators are found by their bytes: decoding every
/// character cost more than the rest of the rule.
pub(super) fn clauses<'t>(text: &'t str, out: &mut Vec<(usize, &'t str)>) {
    out.clear();
    let bytes = text.as_bytes();
    let mut start = 0;
    for at in all_hits(bytes, separator_hit) {
        let end = at + if matches!(bytes[at], b',' | b';') { 1 } else { 3 };
        out.push((start, &text[start..end]));
        start = end;
    }
    if start < text.len() {
        out.push((start, &text[start..]));
    }
}

/// `text.trim_end_matches(['，', ',', '；', ';', '。', '！', '？'])`, by the
/// separators' bytes: decoding the ends of every clause cost more than
/// comparing them.
pub(super) fn strip_separators(mut text: &str) -> &str {
    loop {
        let cut = match text.as_bytes() {
            [.., b',' | b';'] => 1,
            [.., 0xEF, 0xBC, 0x8C | 0x9B | 0x81 | 0x9F] | [.., 0xE3, 0x80, 0x82] => 3,
            _ => return text,
        };
        text = &text[..text.len() - cut];
    }
}

/// Whether `text` ends with 。 ！ or ？, by their bytes.
pub(super) fn ends_with_sentence_separator(text: &str) -> bool {
    matches!(text.as_bytes(), [.., 0xE3, 0x80, 0x82] | [.., 0xEF, 0xBC, 0x81 | 0x9F])
}

/// `text.trim_matches(is_space)`, without decoding the ends when they
/// cannot be spaces: an ideograph (first byte E4…E9, U+4000…U+9FFF) or
/// printable ASCII, as at both ends of nearly every clause.
pub(super) fn trim_spaces(text: &str) -> &str {
    let solid = |b: u8| (0x21..0x7F).contains(&b) || (0xE4..=0xE9).contains(&b);
    let starts_solid = text.as_bytes().first().is_some_and(|&b| solid(b));
    let ends_solid = match text.as_bytes() {
        [.., last] if (0x21..0x7F).contains(last) => true,
        // A lead byte three from the end starts the last character.
        [.., lead, _, _] => (0xE4..=0xE9).contains(lead),
        _ => false,
    };
    if starts_solid && ends_solid { text } else { text.trim_matches(is_space) }
}

/// A sentence's first place (start, end), the diagnostic reporting its
/// repeats (an index into the output), how often it occurs, and the clause
/// (an index into the context's nodes) it is first in.
pub(super) type Seen = (usize, usize, Option<usize>, usize, Option<usize>);

pub(super) fn repeats<'a>(cx: &Context<'a>, out: &mut Vec<Diagnostic>) {
    // Where each sentence is first, the diagnostic reporting its repeats
    // (an index into `out`), and how often it occurs.
    // The last element is the clause it is in: a law says `法律、法规规定的
    // 其他职责。` or `构成犯罪的，依法追究刑事责任。` in article after article
    // and item after item by design, and an amendment quotes the sentence
    // it changes, so a sentence is repeated only within one clause.
    let mut sentences: HashMap<&str, Seen, SentenceHash> =
        HashMap::with_capacity_and_hasher(cx.nodes.len() * 2, SentenceHash::new());
    let mut pieces = Vec::new();
    for (index, entry) in cx.nodes.iter().enumerate() {
        let article = Some(index);
        let spans = &entry.node.spans;
        for &span in spans.title.iter().chain(&spans.text) {
            let text = cx.text(span);
            // A clause said twice in a row: `推进……建设,推进……建设,`.
            clauses(text, &mut pieces);
            let core = |s: &'a str| trim_spaces(strip_separators(s));
            // Each clause is compared with the one before and the one after:
            // its core is trimmed once.
            let mut before: Option<(&str, &str)> = None;
            let mut last_repeat: Option<(usize, &str)> = None;
            for &(at, b) in &pieces {
                let core_b = core(b);
                let Some((a, core_a)) = before.replace((b, core_b)) else { continue };
                if core_a == core_b && core_b.chars().count() >= 6 {
                    let start = span.start + at;
                    let here = cx.span(start..start + b.len());
                    // The same clause again on the same line: one finding,
                    // counted, whose fix deletes every repeat.
                    if let Some(k) = last_repeat
                        .filter(|&(k, core)| {
                            core == core_b && out.get(k).is_some_and(|d: &Diagnostic| d.span.line == here.line)
                        })
                        .map(|(k, _)| k)
                    {
                        let d = &mut out[k];
                        if let Some(fix) = d.fix.as_mut() {
                            fix.edits.push(Edit { span: here, replacement: "".into() });
                            d.message = format!(
                                "`{}` is said {} times in a row, word for word",
                                excerpt(core_b, 16),
                                fix.edits.len() + 1
                            );
                        }
                        continue;
                    }
                    last_repeat = Some((out.len(), core_b));
                    out.push(
                        cx.diagnostic(
                            &REPEATED_SENTENCE,
                            here,
                            format!("`{}` is said twice in a row, word for word", excerpt(core_b, 16)),
                        )
                        .with_related(cx.span(start - a.len()..start), "first here")
                        .with_help("delete the repetition")
                        .with_fix(Fix {
                            applicability: Applicability::Unsafe,
                            edits: vec![Edit { span: here, replacement: "".into() }],
                        }),
                    );
                }
            }
            // A whole sentence that occurs twice in the body. Sentences end
            // where clauses do, at the clauses that end with 。！？.
            let mut sentence_start = 0;
            for &(at, clause) in &pieces {
                if !ends_with_sentence_separator(clause) {
                    continue;
                }
                let sentence = &text[sentence_start..at + clause.len()];
                let at = std::mem::replace(&mut sentence_start, at + clause.len());
                let key = trim_spaces(sentence);
                // Twelve characters at least: 36 bytes of Chinese text (and
                // 48 bytes are twelve characters whatever they are).
                if key.len() < 36 || (key.len() < 48 && key.chars().count() < 12) {
                    continue;
                }
                let start = span.start + at;
                let end = start + sentence.len();
                // One look-up (and one hash) for both the test and the insert.
                match sentences.entry(key) {
                    Entry::Occupied(mut first) => {
                        let (first_start, first_end, reported, times, first_clause) = *first.get();
                        if first_clause.is_some() && first_clause != article {
                            continue;
                        }
                        let here = cx.span(start..end);
                        // Repeats on the line already reported are counted
                        // into that diagnostic: a line of one sentence said
                        // three thousand times is one finding.
                        if let Some(k) = reported.filter(|&k| out.get(k).is_some_and(|d| d.span.line == here.line)) {
                            out[k].message = format!(
                                "the sentence `{}` occurs {} times in the document, {} of them on this line",
                                excerpt(key, 16),
                                times + 1,
                                times
                            );
                            first.insert((first_start, first_end, reported, times + 1, first_clause));
                            continue;
                        }
                        first.insert((first_start, first_end, Some(out.len()), times + 1, first_clause));
                        out.push(
                            cx.diagnostic(
                                &REPEATED_SENTENCE,
                                here,
                                format!("the sentence `{}` occurs twice in the document", excerpt(key, 16)),
                            )
                            .with_related(cx.span(first_start..first_end), "first here")
                            .with_help("delete one, or say what differs"),
                        );
                    }
                    Entry::Vacant(slot) => {
                        slot.insert((start, end, None, 1, article));
                    }
                }
            }
        }
    }
}
