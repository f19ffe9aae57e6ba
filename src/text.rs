//! Character classes of Chinese text that every stage asks about: what is
//! white space, what is Chinese, which brackets pair and whether a text
//! ends its sentence.

use crate::scan::{bytes_in, next_byte_where, skip_to_hit};

/// White space as Chinese documents have it: ASCII, NBSP, ideographic space,
/// and the zero-width characters that ride along.
pub fn is_space(c: char) -> bool {
    // CJK text is almost all in U+3001..U+FEFE, where nothing is a space;
    // saying so first spares every ideograph the Unicode table look-up.
    if ('\u{3001}'..='\u{fefe}').contains(&c) {
        return false;
    }
    c.is_whitespace()
        || matches!(c, '\u{3000}' | '\u{a0}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}')
}

/// Chinese text: ideographs and the full-width punctuation that goes with them.
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '\u{f900}'..='\u{faff}'
        | '\u{3000}'..='\u{303f}' | '\u{ff00}'..='\u{ffef}' | '\u{2014}' | '\u{2026}' | '\u{201c}' | '\u{201d}'
        | '\u{2018}' | '\u{2019}' | '\u{00b7}' | '\u{25cb}')
}

/// A Chinese ideograph (not punctuation).
pub fn is_ideograph(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '\u{f900}'..='\u{faff}' | '\u{3007}')
}

/// Whether every quote and bracket opened in `text` is closed in it: as
/// many “ as ”, ‘ as ’, 《 as 》, （ as ）, `(` as `)`, 〔 as 〕, 【 as 】 and `[` as `]`.
pub fn balanced(text: &str) -> bool {
    // One pass from bracket to bracket, not a pass per character counted.
    let mut open = [0i64; 8];
    let bytes = text.as_bytes();
    let mut next = 0;
    while let Some(i) = next_byte_where(bytes, skip_to_hit(bytes, next, bracket_hit), bracket_leads) {
        let Some(c) = text[i..].chars().next() else { break };
        next = i + c.len_utf8();
        let (pair, step) = match c {
            '“' => (0, 1),
            '”' => (0, -1),
            '‘' => (1, 1),
            '’' => (1, -1),
            '《' => (2, 1),
            '》' => (2, -1),
            '（' => (3, 1),
            '）' => (3, -1),
            '(' => (4, 1),
            ')' => (4, -1),
            '〔' => (5, 1),
            '〕' => (5, -1),
            '【' => (6, 1),
            '】' => (6, -1),
            '[' => (7, 1),
            ']' => (7, -1),
            _ => continue,
        };
        open[pair] += step;
    }
    open == [0; 8]
}

/// Whether `text` ends a sentence (closing quotes and brackets aside).
pub fn ends_sentence(text: &str) -> bool {
    text.trim_end_matches(['”', '’', '）', ')', '》', '】']).ends_with(['。', '！', '？', '；', '：', ':', ';', '…'])
}

/// The family of a bracket (both widths of one bracket are one family)
/// and whether it opens; a `match` so the per-character test is cheap.
pub fn bracket_family(c: char) -> Option<(usize, bool)> {
    Some(match c {
        '“' => (0, true),
        '”' => (0, false),
        '‘' => (1, true),
        '’' => (1, false),
        '《' => (2, true),
        '》' => (2, false),
        '（' | '(' => (3, true),
        '）' | ')' => (3, false),
        '〔' => (5, true),
        '〕' => (5, false),
        '【' => (6, true),
        '】' => (6, false),
        '［' | '[' => (7, true),
        '］' | ']' => (7, false),
        // Opens or closes by what is open (see `brackets`).
        '"' => (0, true),
        _ => return None,
    })
}

/// Whether the bytes `a b c` start a character [`bracket_family`] knows:
/// ( ) [ ], “ ” ‘ ’ (E2 80 …), 《 》 〔 〕 【 】 (E3 80 …), （ ） ［ ］ (EF BC …).
/// Branch-free for [`block_hits`](crate::scan::block_hits); `x | 1` pairs an opening code with its
/// closing one.
#[inline(always)]
pub fn bracket_hit(a: u8, b: u8, c: u8) -> bool {
    let ascii = ((a | 1) == b')') | (a == b'[') | (a == b']') | (a == b'"');
    let quote = (a == 0xE2) & (b == 0x80) & (((c | 1) == 0x99) | ((c | 1) == 0x9D));
    let cjk = (a == 0xE3) & (b == 0x80) & (((c | 1) == 0x8B) | ((c | 1) == 0x91) | ((c | 1) == 0x95));
    let wide = (a == 0xEF) & (b == 0xBC) & (((c | 1) == 0x89) | (c == 0xBB) | (c == 0xBD));
    ascii | quote | cjk | wide
}

/// Every bracket is ASCII or starts with one of three bytes: the first
/// bytes [`bracket_hit`] takes, for [`next_byte_where`].
pub fn bracket_leads(word: u64) -> u64 {
    bytes_in(word, b'(', b')')
        | bytes_in(word, b'"', b'"')
        | bytes_in(word, b'[', b'[')
        | bytes_in(word, b']', b']')
        | bytes_in(word, 0xE2, 0xE3)
        | bytes_in(word, 0xEF, 0xEF)
}
