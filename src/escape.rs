//! HTML escaping, byte for byte as minijinja's auto-escaping does it, for
//! the text written outside templates (the fast paths of the HTML edition
//! and of the owners page, and `serve`'s error overlay).

/// Append `text` escaped as minijinja's HTML auto-escaping does.
pub fn html(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Nearly all of a policy's text needs no escaping: eight bytes at a
        // time are checked and passed over together.
        if let Some(word) = bytes.get(i..i + 8)
            && !has_special(u64::from_le_bytes(word.try_into().unwrap_or_default()))
        {
            i += 8;
            continue;
        }
        let end = (i + 8).min(bytes.len());
        while i < end {
            let entity = match bytes[i] {
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'&' => "&amp;",
                b'"' => "&quot;",
                b'\'' => "&#x27;",
                b'/' => "&#x2f;",
                _ => {
                    i += 1;
                    continue;
                }
            };
            out.push_str(&text[start..i]);
            out.push_str(entity);
            i += 1;
            start = i;
        }
    }
    out.push_str(&text[start..]);
}

/// Whether any of the eight bytes lies in `"`..=`>`, where all six
/// characters that are escaped lie (`"&'/<>`); ASCII only, so no byte of a
/// multi-byte character counts. Per byte, without carries between bytes:
/// the low seven bits `t` are ≤ 0x3E when 0xBE − t keeps its high bit, and
/// ≥ 0x22 when t + 0x5E gains it.
fn has_special(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let low = word & (0x7F * ONES);
    let at_most = (0xBE * ONES) - low;
    let at_least = low + (0x5E * ONES);
    at_most & at_least & !word & (0x80 * ONES) != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_matches_minijinja_for_every_byte() {
        let mut text = String::new();
        for c in (0u8..0x80).map(char::from).chain("中文。（）".chars()) {
            text.push(c);
            text.push_str("政策");
            text.push(c);
        }
        for len in 0..text.len() {
            let Some(part) = text.get(..len) else { continue };
            let mut ours = String::new();
            html(&mut ours, part);
            assert_eq!(ours, minijinja::HtmlEscape(part).to_string(), "{part:?}");
        }
    }

    #[test]
    fn the_word_check_finds_exactly_the_range() {
        for b in 0..=255u8 {
            for at in 0..8 {
                let mut word = [b'a'; 8];
                word[at] = b;
                let want = (b'"'..=b'>').contains(&b);
                assert_eq!(has_special(u64::from_le_bytes(word)), want, "{b:#x} at {at}");
            }
        }
    }
}
