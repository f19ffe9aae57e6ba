//! Byte scanning a word or a block at a time: the one home of the
//! eight-/sixteen-bytes-at-a-time searches the text rules, the annotation
//! pass, the HTML escaper and the line index use.
//!
//! Takes UTF-8 bytes; gives places (byte offsets) and counts. What these
//! searches look for (digits, ASCII punctuation, the lead bytes of a few
//! full-width marks) is rare in Chinese text and known by its bytes, so a
//! whole word is tested with a few integer operations and most of the text
//! is passed over without decoding a character. A leaf: it imports nothing
//! from the rest of the crate.

/// The high bit of each byte of `word` that lies in `lo..=hi` (both below
/// 0x80 or both above). Exact for every byte: no carry crosses a byte.
#[inline(always)]
pub fn bytes_in(word: u64, lo: u8, hi: u8) -> u64 {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGH: u64 = ONES * 0x80;
    let low = word & !HIGH;
    let at_least = (low + ONES * u64::from(0x80 - (lo & 0x7f))) & HIGH;
    let above = (low + ONES * u64::from(0x7f - (hi & 0x7f))) & HIGH;
    let side = if lo >= 0x80 { word & HIGH } else { !word & HIGH };
    at_least & !above & side
}

/// The first byte at or after `from` that `mask` marks. `mask` gives, for
/// eight bytes read as a little-endian word, the high bit of each byte
/// wanted (see [`bytes_in`]).
#[inline(always)]
pub fn next_byte_where(bytes: &[u8], from: usize, mask: impl Fn(u64) -> u64) -> Option<usize> {
    let first = |m: u64| (m.trailing_zeros() / 8) as usize;
    let mut i = from;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let m = mask(u64::from_le_bytes(chunk.try_into().unwrap_or_default()));
        if m != 0 {
            return Some(i + first(m));
        }
        i += 8;
    }
    // Fewer than eight bytes are left: pad them, and ignore the padding.
    let rest = bytes.get(i..).unwrap_or_default();
    let mut word = [0; 8];
    word[..rest.len()].copy_from_slice(rest);
    let m = mask(u64::from_le_bytes(word)) & (1u64 << (8 * rest.len())).wrapping_sub(1);
    (m != 0).then(|| i + first(m))
}

/// How many places [`skip_to_hit`] tests at once: one SSE2 register.
pub const BLOCK: usize = 16;

/// The first place at or after `from` where `hit` holds, or the place
/// where too few bytes are left for a whole block of sixteen; a byte
/// search such as [`next_byte_where`] goes on from there, so every place
/// `hit` takes must be one the search's mask marks too.
///
/// `hit` gets the byte at a place and the two after it: a whole character
/// of up to three bytes, so 《 is told from 、 and 。 (all three start with
/// 0xE3) and the text between two hits is passed over without a stop. See
/// [`block_hits`] for how `hit` must be written.
#[inline(always)]
pub fn skip_to_hit(bytes: &[u8], from: usize, hit: impl Fn(u8, u8, u8) -> bool) -> usize {
    let mut i = from;
    while let Some(window) = bytes.get(i..i + BLOCK + 2).and_then(|w| <&[u8; BLOCK + 2]>::try_from(w).ok()) {
        let found = block_hits(window, &hit);
        if found != 0 {
            return i + (found.trailing_zeros() / 8) as usize;
        }
        i += BLOCK;
    }
    i
}

/// Every place of `bytes` where `hit` holds, in order, for what is found
/// often (clause separators): each block of sixteen places is tested once
/// however many hits it holds, where [`skip_to_hit`] tests again from each.
/// The last places are tested padded with zeros, which the places `hit`
/// takes never read if `bytes` holds whole characters.
#[inline(always)]
pub fn all_hits(bytes: &[u8], hit: impl Fn(u8, u8, u8) -> bool) -> impl Iterator<Item = usize> {
    let (mut block, mut next, mut found) = (0, 0, 0u128);
    std::iter::from_fn(move || {
        loop {
            if found != 0 {
                let k = found.trailing_zeros() / 8;
                found &= !(0xFF << (8 * k));
                return Some(block + k as usize);
            }
            let rest = bytes.get(next..).filter(|rest| !rest.is_empty())?;
            block = next;
            found = match rest.get(..BLOCK + 2).and_then(|w| <&[u8; BLOCK + 2]>::try_from(w).ok()) {
                Some(window) => block_hits(window, &hit),
                None => {
                    let mut window = [0; BLOCK + 2];
                    window[..rest.len()].copy_from_slice(rest);
                    block_hits(&window, &hit) & (u128::MAX >> (8 * BLOCK.saturating_sub(rest.len())))
                }
            };
            next = block + BLOCK;
        }
    })
}

/// The places among the first sixteen of `window` that `hit` takes, as
/// 0xFF bytes of a little-endian u128. `hit` must use only `&`, `|` and
/// `==`, not `&&`, `||` or `matches!`: without branches the sixteen tests
/// compile to SSE2 instructions (`unsafe` intrinsics being forbidden here,
/// this is how the checker gets them). Look at the code a new test compiles
/// to: a test that was nothing but three comparisons joined by `&` came out
/// as shuffles and byte-by-byte loads.
#[inline(always)]
pub fn block_hits(window: &[u8; BLOCK + 2], hit: impl Fn(u8, u8, u8) -> bool) -> u128 {
    // Three loads of sixteen bytes, one, two and three bytes in: read from
    // the window place by place, LLVM shuffled one load instead.
    let [first, second, third] = [0, 1, 2].map(|at| {
        let mut bytes = [0u8; BLOCK];
        bytes.copy_from_slice(&window[at..at + BLOCK]);
        bytes
    });
    let mut marks = [0u8; BLOCK];
    for (k, mark) in marks.iter_mut().enumerate() {
        *mark = if hit(first[k], second[k], third[k]) { 0xFF } else { 0 };
    }
    u128::from_le_bytes(marks)
}

/// How many characters `bytes` (UTF-8, cut anywhere) starts: the bytes
/// that are not continuation bytes (10xxxxxx), counted in byte-sized sums
/// of up to 255 that compile to vector instructions.
pub fn char_count(bytes: &[u8]) -> usize {
    bytes.chunks(255).map(|chunk| usize::from(chunk.iter().fold(0u8, |n, &b| n + u8::from((b as i8) >= -0x40)))).sum()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// Text of the kinds the searches meet: CJK and its punctuation, ASCII
    /// digits and marks, controls, two- and four-byte characters.
    fn mixed_text() -> impl Strategy<Value = String> {
        const PARTS: &[&str] = &[
            "知识",
            "产权",
            "，",
            "。",
            "、",
            "《",
            "》",
            "（",
            "）",
            "1",
            "2024",
            "(",
            ")",
            "\"",
            "<",
            "&",
            " ",
            "\u{3000}",
            "\n",
            "\r",
            "a",
            "é",
            "\u{a0}",
            "\u{1f600}",
            "\0",
            "\u{7f}",
        ];
        proptest::collection::vec(proptest::sample::select(PARTS), 0..80).prop_map(|parts| parts.concat())
    }

    #[test]
    fn bytes_in_marks_exactly_the_range_for_every_byte() {
        let ranges = [
            (b'!', b'?'),
            (b'0', b'9'),
            (b'"', b'>'),
            (0, b' '),
            (0xE1, 0xE3),
            (0xEF, 0xEF),
            (0x7F, 0x7F),
            (0x80, 0xFF),
        ];
        for b in 0..=255u8 {
            for (lo, hi) in ranges {
                let word = u64::from_le_bytes([b'a', b, 0xE4, b, 0, 0xFF, b, 0x7F]);
                let expected = word
                    .to_le_bytes()
                    .iter()
                    .enumerate()
                    .fold(0u64, |m, (k, &x)| if (lo..=hi).contains(&x) { m | 0x80 << (8 * k) } else { m });
                assert_eq!(bytes_in(word, lo, hi), expected, "{b:#x} in {lo:#x}..={hi:#x}");
            }
        }
    }

    /// A branch-free test of a whole character: 、 。 or 〃 (E3 80 81…83), or
    /// an ASCII digit.
    fn comma_stop_or_digit(a: u8, b: u8, c: u8) -> bool {
        (a == 0xE3) & (b == 0x80) & ((c | 3) == 0x83) & (c != 0x80) | (a.wrapping_sub(b'0') < 10)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        /// `next_byte_where` finds what a plain search of the range finds,
        /// from every place, the padded tail included.
        #[test]
        fn next_byte_where_agrees_with_a_plain_search(text in mixed_text(), lo in 0u8..0x80, span in 0u8..0x20) {
            let bytes = text.as_bytes();
            let hi = lo.saturating_add(span).min(0x7F);
            for from in 0..=bytes.len() {
                let plain = bytes[from..].iter().position(|b| (lo..=hi).contains(b)).map(|p| from + p);
                prop_assert_eq!(next_byte_where(bytes, from, |w| bytes_in(w, lo, hi)), plain, "{:?} from {}", text, from);
                let wide = bytes[from..].iter().position(|b| (0xE1..=0xE3).contains(b)).map(|p| from + p);
                prop_assert_eq!(next_byte_where(bytes, from, |w| bytes_in(w, 0xE1, 0xE3)), wide);
            }
        }

        /// `skip_to_hit` never passes a place its test takes, and stops at
        /// the first one (or where too little is left for a whole block).
        #[test]
        fn skips_stop_at_the_first_hit(text in mixed_text()) {
            let bytes = text.as_bytes();
            let at = |k: usize| bytes.get(k).copied().unwrap_or(0);
            let takes = |k: usize| text.is_char_boundary(k) && comma_stop_or_digit(at(k), at(k + 1), at(k + 2));
            for from in (0..=bytes.len()).filter(|&k| text.is_char_boundary(k)) {
                let to = skip_to_hit(bytes, from, comma_stop_or_digit);
                let first = (from..bytes.len()).find(|&k| takes(k));
                prop_assert!(to <= first.unwrap_or(bytes.len()), "{:?} from {}: {}", text, from, to);
                prop_assert!(first == Some(to) || to + BLOCK + 2 > bytes.len(), "{:?} from {}: {}", text, from, to);
            }
        }

        /// `all_hits` finds every place its test takes, in order.
        #[test]
        fn all_hits_finds_every_hit(text in mixed_text()) {
            let bytes = text.as_bytes();
            let at = |k: usize| bytes.get(k).copied().unwrap_or(0);
            let plain: Vec<usize> = (0..bytes.len())
                .filter(|&k| text.is_char_boundary(k) && comma_stop_or_digit(at(k), at(k + 1), at(k + 2)))
                .collect();
            prop_assert_eq!(all_hits(bytes, comma_stop_or_digit).collect::<Vec<_>>(), plain, "{:?}", text);
        }

        /// `char_count` counts what `chars` counts, on text cut at any byte
        /// (a cut character counts once, where it starts).
        #[test]
        fn char_count_agrees_with_chars(text in "\\PC{0,600}", cut in any::<prop::sample::Index>()) {
            prop_assert_eq!(char_count(text.as_bytes()), text.chars().count());
            let bytes = text.as_bytes();
            let cut = cut.index(bytes.len() + 1);
            let starts = text.char_indices().filter(|&(i, _)| i < cut).count();
            prop_assert_eq!(char_count(&bytes[..cut]), starts);
        }
    }
}
