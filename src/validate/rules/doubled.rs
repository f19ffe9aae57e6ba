//! Doubled text: a character, a word or a punctuation mark typed twice in
//! a row (的的, 推动推动, ，，).
//!
//! Takes the prose regions of the [`Context`]; gives one diagnostic per
//! doubled place (with a fix that deletes the second copy), and one per
//! line however often a line repeats the same doubling.

use crate::diag::registry::{DOUBLED_PUNCTUATION, DOUBLED_WORD};
use crate::diag::{Applicability, Diagnostic, Edit, Fix};
use crate::text::is_ideograph;
use crate::validate::{Context, RegionKind};

/// Particles and prepositions that never reduplicate: the only single
/// characters reported when doubled. Each with the characters that, before
/// the pair, make the first copy the end of another word (目的的: 目的 +
/// 的), and those that, after it, make the second copy the start of one
/// (为了了解: 了 + 了解; 的的确确: 的确).
const PARTICLES: &[(char, &str, &str)] = &[
    ('的', "目有端标", "确"),
    ('了', "为除罢", "解结却如然不"),
    ('和', "总缓温平柔暖", "谐睦平"),
    ('与', "参给赋授", ""),
    ('及', "涉以普波危论顾企", "时格早"),
    ('在', "存现正实所内外自潜旨好", ""),
    ('将', "即必终行", "近来"),
    ('把', "一", "握关"),
    ('被', "棉", ""),
];

/// Words that reduplicate as a whole in standard Chinese (研究研究 "look
/// into it"): not a slip.
const REDUPLICATING: &[&str] =
    &["研究", "讨论", "商量", "考虑", "学习", "了解", "休息", "琢磨", "打扫", "收拾", "整理", "活动", "锻炼", "商议"];

/// The marks [`DOUBLED_PUNCTUATION`] reports.
const MARKS: &str = "，、。；：？！";

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let words = cx.enabled(&DOUBLED_WORD);
    let marks = cx.enabled(&DOUBLED_PUNCTUATION);
    if !words && !marks {
        return;
    }
    let mut found = Vec::new();
    for region in &cx.regions {
        if region.kind != RegionKind::Prose {
            continue;
        }
        found.clear();
        doubled(cx.text(region.span), words, marks, &mut found);
        // One diagnostic per line and doubling: a line that repeats one
        // doubling a thousand times is one finding with a thousand edits.
        let mut k = 0;
        while k < found.len() {
            let (at, len, rule) = found[k];
            let text = cx.text(region.span);
            let word = &text[at..at + len];
            let start = region.span.start + at;
            let line = cx.span(start..start).line;
            let mut same = k + 1;
            while same < found.len() && {
                let (a, l, r) = found[same];
                r == rule
                    && &text[a..a + l] == word
                    && cx.span(region.span.start + a..region.span.start + a).line == line
            } {
                same += 1;
            }
            let copy = cx.span(start + len..start + 2 * len);
            let edits: Vec<Edit> = found[k..same]
                .iter()
                .map(|&(a, l, _)| {
                    let s = region.span.start + a + l;
                    Edit { span: cx.span(s..s + l), replacement: "".into() }
                })
                .collect();
            let times = same - k;
            let (what, applicability) = if rule == DOUBLED_PUNCTUATION.code {
                (format!("`{word}` is written twice"), Applicability::Safe)
            } else {
                (format!("`{word}` is written twice in a row"), Applicability::Unsafe)
            };
            let message = if times > 1 { format!("{what}, {times} times on this line") } else { what };
            let rule = if rule == DOUBLED_PUNCTUATION.code { &DOUBLED_PUNCTUATION } else { &DOUBLED_WORD };
            let mut d = cx
                .diagnostic(rule, copy, message)
                .with_related(cx.span(start..start + len), "first here")
                .with_help("delete one of the two");
            d = d.with_fix(Fix { applicability, edits });
            out.push(d);
            k = same;
        }
    }
}

/// The doubled places of `text`: (byte offset of the first copy, length
/// of one copy, rule code), in order, not overlapping.
///
/// Every doubling reported is of three-byte characters (ideographs and
/// full-width marks) whose first character comes again one to four
/// characters on, so the text is passed over by its bytes to such places
/// and only there looked at as characters.
fn doubled(text: &str, words: bool, marks: bool, out: &mut Vec<(usize, usize, &'static str)>) {
    let mut at = 0;
    while let Some(candidate) = next_candidate(text.as_bytes(), at) {
        at = candidate + examine(text, candidate, words, marks, out);
    }
}

/// The first character start at or after `from` of a three-byte character
/// that the bytes 3, 6, 9 or 12 on repeat.
fn next_candidate(bytes: &[u8], from: usize) -> Option<usize> {
    // The same three bytes `s` on, compared a byte at a time from the lead
    // byte: most places differ there or at the next byte.
    let again = |i: usize, s: usize| {
        bytes.get(i + s + 2).is_some()
            && bytes[i + s] == bytes[i]
            && bytes[i + s + 1] == bytes[i + 1]
            && bytes[i + s + 2] == bytes[i + 2]
    };
    let mut i = from;
    while i + 3 <= bytes.len() {
        let lead = bytes[i];
        if lead & 0xF0 == 0xE0 {
            if again(i, 3) || again(i, 6) || again(i, 9) || again(i, 12) {
                return Some(i);
            }
            i += 3;
        } else {
            i += match lead {
                0xF0.. => 4,
                0xC0.. => 2,
                _ => 1,
            };
        }
    }
    None
}

/// The doubling that starts at `at`, if any, pushed to `out`; gives how
/// many bytes on the search goes from (past the doubling, or past the
/// character at `at`).
fn examine(text: &str, at: usize, words: bool, marks: bool, out: &mut Vec<(usize, usize, &'static str)>) -> usize {
    // The longest doubling read is of 4 + 4 characters and the one after.
    let mut window = [(0, '\0'); 9];
    let mut len = 0;
    for (i, c) in text[at..].char_indices().take(window.len()) {
        window[len] = (at + i, c);
        len += 1;
    }
    let chars = &window[..len];
    let Some(&(_, c)) = chars.first() else { return 1 };
    let before = text[..at].chars().next_back();
    let end_of = |k: usize| chars.get(k).map_or(text.len(), |&(i, _)| i);
    if marks && MARKS.contains(c) && chars.get(1).is_some_and(|&(_, d)| d == c) {
        // A run of one mark: every copy after the first is extra.
        let copies = text[at..].chars().take_while(|&d| d == c).count();
        for k in 0..copies - 1 {
            out.push((at + k * c.len_utf8(), c.len_utf8(), DOUBLED_PUNCTUATION.code));
        }
        return copies * c.len_utf8();
    }
    if !words || !is_ideograph(c) {
        return c.len_utf8();
    }
    let mut step = 1;
    // The longest doubled word first: 知识产权知识产权, not 知识.
    for n in (2..=4).rev() {
        let same = (0..n).all(|j| {
            let (a, b) = (chars.get(j), chars.get(n + j));
            matches!((a, b), (Some(&(_, a)), Some(&(_, b))) if a == b && is_ideograph(a))
        });
        if !same {
            continue;
        }
        let word = &text[at..end_of(n)];
        let one_character = word.chars().all(|x| x == c);
        let numeral = word.chars().all(|x| "〇一二三四五六七八九十百千万亿".contains(x));
        // Inside a run of text, ABAB is mostly two words that overlap
        // (构建共建共治, 使用信用信息, 本规定规定的, 上一年度年度报告):
        // a doubled word is reported where it starts or ends a clause,
        // as a slip of typing at the start of a task does.
        let starts_clause = before.is_none_or(|x| !is_ideograph(x));
        let ends_clause = chars.get(2 * n).is_none_or(|&(_, x)| !is_ideograph(x));
        let particle = |x: Option<char>| x.is_some_and(|x| "的了和与及在等之是".contains(x));
        if one_character
            || numeral
            || REDUPLICATING.contains(&word)
            || !(starts_clause || ends_clause)
            || particle(word.chars().next())
            || particle(word.chars().next_back())
        {
            continue;
        }
        out.push((at, word.len(), DOUBLED_WORD.code));
        step = 2 * n;
        break;
    }
    if step == 1
        && let Some(&(_, next)) = chars.get(1)
        && next == c
        && let Some(&(_, ends, starts)) = PARTICLES.iter().find(|p| p.0 == c)
        // A third copy is not a slip of one: 的的的 is something else.
        && chars.get(2).is_none_or(|&(_, after)| after != c && !starts.contains(after))
        && before.is_none_or(|x| x != c && !ends.contains(x))
    {
        out.push((at, c.len_utf8(), DOUBLED_WORD.code));
        step = 2;
    }
    end_of(step) - at
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rule as first written, a character at a time: what [`doubled`]
    /// must agree with.
    fn doubled_by_chars(text: &str, words: bool, marks: bool, out: &mut Vec<(usize, usize, &'static str)>) {
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let end_of = |k: usize| chars.get(k).map_or(text.len(), |&(i, _)| i);
        let mut k = 0;
        while k < chars.len() {
            let (at, c) = chars[k];
            if marks && MARKS.contains(c) && chars.get(k + 1).is_some_and(|&(_, d)| d == c) {
                // A run of one mark: every copy after the first is extra.
                let mut run = k + 1;
                while chars.get(run + 1).is_some_and(|&(_, d)| d == c) {
                    run += 1;
                }
                for &(i, _) in &chars[k..run] {
                    out.push((i, c.len_utf8(), DOUBLED_PUNCTUATION.code));
                }
                k = run + 1;
                continue;
            }
            if !words || !is_ideograph(c) {
                k += 1;
                continue;
            }
            let mut step = 1;
            // The longest doubled word first: 知识产权知识产权, not 知识.
            for n in (2..=4).rev() {
                let same = (0..n).all(|j| {
                    let (a, b) = (chars.get(k + j), chars.get(k + n + j));
                    matches!((a, b), (Some(&(_, a)), Some(&(_, b))) if a == b && is_ideograph(a))
                });
                if !same {
                    continue;
                }
                let word = &text[at..end_of(k + n)];
                let one_character = word.chars().all(|x| x == c);
                let numeral = word.chars().all(|x| "〇一二三四五六七八九十百千万亿".contains(x));
                // Inside a run of text, ABAB is mostly two words that overlap
                // (构建共建共治, 使用信用信息, 本规定规定的, 上一年度年度报告):
                // a doubled word is reported where it starts or ends a clause,
                // as a slip of typing at the start of a task does.
                let starts_clause = k == 0 || !is_ideograph(chars[k - 1].1);
                let ends_clause = chars.get(k + 2 * n).is_none_or(|&(_, x)| !is_ideograph(x));
                let particle = |x: Option<char>| x.is_some_and(|x| "的了和与及在等之是".contains(x));
                if one_character
                    || numeral
                    || REDUPLICATING.contains(&word)
                    || !(starts_clause || ends_clause)
                    || particle(word.chars().next())
                    || particle(word.chars().next_back())
                {
                    continue;
                }
                out.push((at, word.len(), DOUBLED_WORD.code));
                step = 2 * n;
                break;
            }
            if step == 1
                && let Some(&(_, next)) = chars.get(k + 1)
                && next == c
                && let Some(&(_, ends, starts)) = PARTICLES.iter().find(|p| p.0 == c)
                // A third copy is not a slip of one: 的的的 is something else.
                && chars.get(k + 2).is_none_or(|&(_, after)| after != c && !starts.contains(after))
                && (k == 0 || (chars[k - 1].1 != c && !ends.contains(chars[k - 1].1)))
            {
                out.push((at, c.len_utf8(), DOUBLED_WORD.code));
                step = 2;
            }
            k += step;
        }
    }

    fn found(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        doubled(text, true, true, &mut out);
        out.iter().map(|&(at, len, _)| &text[at..at + len]).collect()
    }

    #[test]
    fn slips_are_found() {
        assert_eq!(found("推动推动知识产权服务业发展"), ["推动"]);
        assert_eq!(found("加强加强，保护的的措施"), ["加强", "的"]);
        assert_eq!(found("知识产权知识产权服务"), ["知识产权"]);
        assert_eq!(found("加强保护，，完善服务。。"), ["，", "。"]);
        assert_eq!(found("保护，，，完善"), ["，", "，"]);
    }

    #[test]
    fn reduplication_is_left_alone() {
        for text in [
            "常常",
            "人人",
            "天天",
            "层层",
            "个个",
            "年年",
            "渐渐",
            "多多",
            "大大",
            "谢谢",
            "看看",
            "研究研究",
            "方方面面",
            "家家户户",
            "的的确确",
            "为了了解情况",
            "一一对应",
            "十一十一",
            "……",
            "——",
            "上海海关",
            "工作作风",
            "实现目的的手段",
            "扎扎实实",
            "构建共建共治",
            "使用信用信息",
            "本规定规定的",
            "上一年度年度报告",
            "保险标的的损失",
            "人口少的村的村民",
            "高等教育等教育机构",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 1024, ..Default::default() })]

        /// Skipping to candidates finds what looking at every character
        /// finds, on text dense with doublings, particles and marks.
        #[test]
        fn skipping_agrees_with_every_character(
            parts in proptest::collection::vec(
                proptest::sample::select(&[
                    "推动", "推", "动", "知识产权", "的", "了", "解", "为", "目", "和", "谐", "，", "。", "、", "……",
                    "研究", "一", "二", "a", "1", " ", "\n", "é", "\u{1f600}", "常", "规定", "年度", "在",
                ][..]),
                0..40,
            ),
            words in proptest::bool::ANY,
            marks in proptest::bool::ANY,
        ) {
            let text = parts.concat();
            let (mut fast, mut plain) = (Vec::new(), Vec::new());
            doubled(&text, words, marks, &mut fast);
            doubled_by_chars(&text, words, marks, &mut plain);
            proptest::prop_assert_eq!(fast, plain, "{:?}", text);
        }
    }
}
