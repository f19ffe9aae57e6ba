//! Character classes of Chinese text that every stage asks about: what is
//! white space, what is Chinese.

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
