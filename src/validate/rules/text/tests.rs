//! The byte-at-a-time searches of the text rules against plain character
//! searches, and their splitting and trimming, over generated mixed text.

use super::punctuation::*;
use super::repeats::*;
use super::spaces::*;
use crate::scan::{all_hits, bytes_in, next_byte_where, skip_to_hit};
use crate::text::{balanced, bracket_family, bracket_hit, bracket_leads, is_space};

#[test]
fn clauses_split_where_the_characters_say() {
    let sep = |c: char| matches!(c, '，' | ',' | '；' | ';' | '。' | '！' | '？');
    for text in ["", "。", "推进培训基地建设,推进培训基地建设，分别新增。", "一；二;三！四？五", "无标点", "末尾。 "]
    {
        let mut expected = Vec::new();
        let mut start = 0;
        for (i, c) in text.char_indices().filter(|&(_, c)| sep(c)) {
            expected.push((start, &text[start..i + c.len_utf8()]));
            start = i + c.len_utf8();
        }
        if start < text.len() {
            expected.push((start, &text[start..]));
        }
        let mut got = Vec::new();
        clauses(text, &mut got);
        assert_eq!(got, expected, "{text:?}");
    }
}

#[test]
fn byte_search_agrees_with_the_plain_one() {
    let texts = [
        "",
        " ",
        "为 贯彻落实\u{3000}习近平总书记……",
        "abcdefgh\tijklmnop",
        "《标题》内容\u{a0}x",
        "\u{7f}\u{80}\u{ff}\0",
    ];
    let lead = |b: u8| b <= b' ' || matches!(b, 0xC2 | 0xE1..=0xE3 | 0xEF);
    for text in texts {
        let bytes = text.as_bytes();
        for from in 0..=bytes.len() {
            let plain = bytes[from..].iter().position(|&b| lead(b)).map(|p| from + p);
            assert_eq!(next_byte_where(bytes, from, space_leads), plain, "{text:?} from {from}");
        }
    }
}

#[test]
fn mark_search_agrees_with_the_plain_one() {
    for text in ["", ",", "聚焦需求,释放(高质量)发展动能!", "abcdefgh:", "12345678;9", "无标点的一段中文文字内容", "?"]
    {
        let bytes = text.as_bytes();
        for from in 0..=bytes.len() {
            let plain = bytes[from..].iter().position(|b| (b'!'..=b'?').contains(b)).map(|p| from + p);
            assert_eq!(next_mark(bytes, from), plain, "{text:?} from {from}");
        }
    }
}

/// Characters the text rules act on, their near misses (same first
/// bytes), the spaces `is_space` takes, and plain text around them.
const MIXED: &[char] = &[
    '推',
    '进',
    '建',
    '设',
    '一',
    '、',
    '，',
    '。',
    '；',
    '：',
    '！',
    '？',
    ',',
    ';',
    ':',
    '!',
    '?',
    '.',
    '(',
    ')',
    '[',
    ']',
    '（',
    '）',
    '［',
    '］',
    '《',
    '》',
    '〈',
    '〉',
    '“',
    '”',
    '‘',
    '’',
    '"',
    '【',
    '】',
    '〔',
    '〕',
    '〇',
    '—',
    '…',
    '·',
    '1',
    '0',
    'a',
    ' ',
    '\u{3000}',
    '\u{a0}',
    '\u{85}',
    '\t',
    '\n',
    '\r',
    '\u{1680}',
    '\u{2002}',
    '\u{200b}',
    '\u{2028}',
    '\u{202f}',
    '\u{205f}',
    '\u{2060}',
    '\u{feff}',
    '\u{ff0c}',
    '\u{3001}',
    '\u{3002}',
    '\u{300c}',
    '\0',
    '\u{7f}',
    'é',
    '\u{1f600}',
];

fn mixed_text() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::strategy::Strategy;
    proptest::collection::vec(proptest::sample::select(MIXED), 0..80).prop_map(String::from_iter)
}

/// A character's first three bytes, padded as `skip_to_hit` never pads
/// (it reads whole characters), so a test cannot pass on padding.
fn first_bytes(c: char) -> (u8, u8, u8) {
    let mut buf = [0xFF; 4];
    c.encode_utf8(&mut buf);
    (buf[0], buf[1], buf[2])
}

#[test]
fn hit_tests_take_exactly_what_their_rules_act_on() {
    let sep = |c: char| matches!(c, '，' | ',' | '；' | ';' | '。' | '！' | '？');
    let lead = |c: char, mask: &dyn Fn(u64) -> u64| mask(u64::from(first_bytes(c).0)) & 0x80 != 0;
    for c in (0..=0x10FFFF).filter_map(char::from_u32) {
        let (a, b, d) = first_bytes(c);
        assert_eq!(bracket_hit(a, b, d), bracket_family(c).is_some(), "{c:?}");
        assert_eq!(separator_hit(a, b, d), sep(c), "{c:?}");
        assert_eq!(mark_hit(a, b, d), full_width(c).is_some(), "{c:?}");
        // stray_spaces acts on spaces and on 《 》; the rest it passes.
        if is_space(c) || c == '《' || c == '》' {
            assert!(space_hit(a, b, d), "{c:?}");
        }
        // What a skip stops at, the byte search after it stops at too.
        if space_hit(a, b, d) {
            assert!(lead(c, &space_leads), "{c:?}");
        }
        if bracket_hit(a, b, d) {
            assert!(lead(c, &bracket_leads), "{c:?}");
        }
        if mark_hit(a, b, d) {
            assert!(lead(c, &|w| bytes_in(w, b'!', b'?')), "{c:?}");
        }
    }
}

proptest::proptest! {
    #![proptest_config(crate::testing::proptest_config(512))]

    /// `skip_to_hit` never passes a place its test takes, and stops at
    /// the first one (or where too little is left for a whole block).
    #[test]
    fn skips_stop_at_the_first_hit(text in mixed_text()) {
        let bytes = text.as_bytes();
        let at = |k: usize| bytes.get(k).copied().unwrap_or(0);
        let tests: [fn(u8, u8, u8) -> bool; 4] = [bracket_hit, space_hit, separator_hit, mark_hit];
        for hit in tests {
            let takes = |k: usize| text.is_char_boundary(k) && hit(at(k), at(k + 1), at(k + 2));
            for from in (0..=bytes.len()).filter(|&k| text.is_char_boundary(k)) {
                let to = skip_to_hit(bytes, from, hit);
                let first = (from..bytes.len()).find(|&k| takes(k));
                proptest::prop_assert!(to <= first.unwrap_or(bytes.len()), "{text:?} from {from}: {to}");
                proptest::prop_assert!(first == Some(to) || to + 18 > bytes.len(), "{text:?} from {from}: {to}");
            }
        }
    }

    /// `all_hits` finds every place its test takes, in order.
    #[test]
    fn all_hits_finds_every_hit(text in mixed_text()) {
        let bytes = text.as_bytes();
        let at = |k: usize| bytes.get(k).copied().unwrap_or(0);
        let tests: [fn(u8, u8, u8) -> bool; 4] = [bracket_hit, space_hit, separator_hit, mark_hit];
        for hit in tests {
            let plain: Vec<usize> =
                (0..bytes.len()).filter(|&k| text.is_char_boundary(k) && hit(at(k), at(k + 1), at(k + 2))).collect();
            proptest::prop_assert_eq!(all_hits(bytes, hit).collect::<Vec<_>>(), plain, "{:?}", text);
        }
    }

    /// `balanced` agrees with counting each character on its own.
    #[test]
    fn balanced_agrees_with_counting(text in mixed_text()) {
        let count = |c: char| text.chars().filter(|&x| x == c).count();
        let plain = [('“', '”'), ('‘', '’'), ('《', '》'), ('（', '）'), ('(', ')'), ('〔', '〕'), ('【', '】'), ('[', ']')]
            .iter()
            .all(|&(o, c)| count(o) == count(c));
        proptest::prop_assert_eq!(balanced(&text), plain, "{:?}", text);
    }

    /// The clause trims by bytes agree with the `str` methods they stand for.
    #[test]
    fn byte_trims_agree_with_the_plain_ones(text in mixed_text()) {
        let seps = ['，', ',', '；', ';', '。', '！', '？'];
        proptest::prop_assert_eq!(strip_separators(&text), text.trim_end_matches(seps));
        proptest::prop_assert_eq!(trim_spaces(&text), text.trim_matches(is_space));
        proptest::prop_assert_eq!(ends_with_sentence_separator(&text), text.ends_with(['。', '！', '？']));
    }
}
