//! Canonical text: half-width punctuation inside Chinese text becomes
//! full-width, spaces between Chinese characters go, invisible characters go.
//!
//! Takes one line of text and gives it normalized; cannot fail. What is not
//! Chinese text is left as it is: ASCII words and numbers (1.5, 1,000,
//! 11:07), URLs, e-mail addresses, standard codes (GB/T 9704-2012, ISO 56005)
//! and document numbers (川市监发(2021)21号), whose half-width characters are
//! part of the token. The decisions look at the nearest non-space neighbours
//! *after* conversion and are repeated until nothing changes, so that the
//! result is a fixed point: normalizing it again changes nothing.

use std::sync::LazyLock;

use regex::Regex;

use crate::text::is_space;

/// Tokens whose characters are never converted and whose inner spaces stay.
static PROTECTED: LazyLock<Regex> = LazyLock::new(|| {
    // A URL runs to the next space, bracket or Chinese character, but does
    // not end with the punctuation of the sentence it sits in.
    let url = r#"(?:(?:https?|ftp)://|www\.)[^\s\p{Han}，。；：！？（）“”《》、()"<>]*[^\s\p{Han}，。；：！？（）“”《》、,.;:!?()"<>]"#;
    let email = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+";
    let standard = r"(?-u:\b)(?:GB|DB|JJF|JJG|ISO|IEC|ITU|IEEE|EN|ANSI|[A-Z]{2})(?:/[A-Z]{1,3})* ?\d+(?:[.\-:]\d+)*";
    let doc_number = r"\p{Han}{1,12}[〔\[［(（【]\d{4}[〕\]］)）】]\d+号";
    let pattern = format!("{url}|{email}|{standard}|{doc_number}");
    // The pattern is a constant; a failure is a bug caught by every test.
    Regex::new(&pattern).unwrap_or_else(|e| panic!("protected-token pattern: {e}"))
});

/// A Chinese ideograph (including 〇).
pub fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}' | '\u{20000}'..='\u{2fa1f}' | '〇')
}

/// Chinese text for the purpose of deciding what is around a character: an
/// ideograph or full-width punctuation (，。“”《》、…—).
pub fn is_chinese(c: char) -> bool {
    is_han(c)
        || matches!(c, '\u{3001}'..='\u{303f}' | '\u{ff01}'..='\u{ff65}' | '‘' | '’' | '“' | '”' | '…' | '—' | '·')
}

fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}')
}

/// Normalize one line of text.
pub fn normalize(text: &str) -> String {
    // Invisible characters go first, so that they cannot hide a token's end.
    let clean: std::borrow::Cow<str> = if text.contains(is_invisible) {
        text.chars().filter(|&c| !is_invisible(c)).collect::<String>().into()
    } else {
        text.into()
    };
    // Matches come in order and do not overlap: one pass marks them.
    let mut protected_ranges = PROTECTED.find_iter(&clean).map(|m| m.range()).peekable();
    // Eight bytes a character: sized by characters, not bytes (a third of
    // the bytes in Chinese text), so a long line costs 2.7 times its size
    // here and not 8.
    let mut chars: Vec<Char> = Vec::with_capacity(crate::scan::char_count(clean.as_bytes()));
    for (at, c) in clean.char_indices() {
        while protected_ranges.next_if(|r| r.end <= at).is_some() {}
        let protected = protected_ranges.peek().is_some_and(|r| r.contains(&at));
        chars.push(Char { c, protected });
    }
    convert_punctuation(&mut chars);
    collapse_spaces(&chars)
}

#[derive(Clone, Copy)]
struct Char {
    c: char,
    protected: bool,
}

/// Convert half-width punctuation to full-width until nothing changes.
/// Conversions only go one way, so the loop ends.
fn convert_punctuation(chars: &mut [Char]) {
    let has_han = chars.iter().any(|c| is_han(c.c));
    loop {
        let mut changed = false;
        let parens = pairs(chars, |c| c == '(', |c| c == ')');
        for (open, close) in parens {
            let inside = chars[open + 1..close].iter().any(|ch| is_chinese(ch.c));
            let around = neighbour(chars, open, Dir::Back).is_some_and(is_chinese)
                || neighbour(chars, close, Dir::Forward).is_some_and(is_chinese);
            if inside || around {
                chars[open].c = '（';
                chars[close].c = '）';
                changed = true;
            }
        }
        let quotes = quote_pairs(chars);
        for (open, close) in quotes {
            let inside = chars[open + 1..close].iter().any(|ch| is_chinese(ch.c));
            let around = neighbour(chars, open, Dir::Back).is_some_and(is_chinese)
                || neighbour(chars, close, Dir::Forward).is_some_and(is_chinese);
            if inside || around {
                chars[open].c = '“';
                chars[close].c = '”';
                changed = true;
            }
        }
        for i in 0..chars.len() {
            if chars[i].protected {
                continue;
            }
            let wide = match chars[i].c {
                ',' => '，',
                ';' => '；',
                ':' => '：',
                '?' => '？',
                '!' => '！',
                '.' => {
                    // Only a full stop that ends a line of Chinese text: 1.5,
                    // e.g. and 附件1. stay as they are, and one inside a line
                    // is left alone, because making it a 。 would move where
                    // the parser ends a clause's title.
                    let after_han = i > 0 && is_han(chars[i - 1].c);
                    let at_end = chars[i + 1..].iter().all(|n| is_space(n.c));
                    if after_han && at_end {
                        chars[i].c = '。';
                        changed = true;
                    }
                    continue;
                }
                _ => continue,
            };
            // At the end of a line of Chinese text the mark ends a Chinese
            // sentence even after an ASCII word (…zscq@example.gov.cn;).
            let after = neighbour(chars, i, Dir::Forward);
            let chinese_around = neighbour(chars, i, Dir::Back).is_some_and(is_chinese)
                || after.is_some_and(is_chinese)
                || (after.is_none() && has_han);
            if chinese_around {
                chars[i].c = wide;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
}

#[derive(Clone, Copy)]
enum Dir {
    Back,
    Forward,
}

/// The nearest character that is not white space, before or after `i`.
fn neighbour(chars: &[Char], i: usize, dir: Dir) -> Option<char> {
    match dir {
        Dir::Back => chars[..i].iter().rev().find(|c| !is_space(c.c)).map(|c| c.c),
        Dir::Forward => chars[i + 1..].iter().find(|c| !is_space(c.c)).map(|c| c.c),
    }
}

/// Matching pairs of unprotected half-width brackets, innermost first.
fn pairs(chars: &[Char], open: impl Fn(char) -> bool, close: impl Fn(char) -> bool) -> Vec<(usize, usize)> {
    let mut stack = Vec::new();
    let mut out = Vec::new();
    for (i, ch) in chars.iter().enumerate() {
        if ch.protected {
            continue;
        }
        if open(ch.c) {
            stack.push(i);
        } else if close(ch.c)
            && let Some(o) = stack.pop()
        {
            out.push((o, i));
        }
    }
    out
}

/// Straight double quotes paired in order: the first opens, the second closes.
fn quote_pairs(chars: &[Char]) -> Vec<(usize, usize)> {
    let at: Vec<usize> = chars.iter().enumerate().filter(|(_, c)| !c.protected && c.c == '"').map(|(i, _)| i).collect();
    at.chunks_exact(2).map(|p| (p[0], p[1])).collect()
}

/// Drop white space at the ends and between Chinese characters; keep one
/// ASCII space elsewhere, and protected tokens' own spaces.
fn collapse_spaces(chars: &[Char]) -> String {
    let mut out = String::with_capacity(chars.len() * 3);
    let mut i = 0;
    while i < chars.len() {
        if !is_space(chars[i].c) {
            out.push(chars[i].c);
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && is_space(chars[i].c) {
            i += 1;
        }
        let run = &chars[start..i];
        if start == 0 || i == chars.len() {
            continue;
        }
        let (before, after) = (chars[start - 1], chars[i]);
        if before.protected && after.protected && run.iter().all(|c| c.protected) {
            run.iter().for_each(|c| out.push(c.c));
        } else if is_chinese(before.c) && is_chinese(after.c) {
            // Spaces between Chinese characters carry no meaning.
        } else {
            out.push(' ');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::normalize;

    fn n(s: &str) -> String {
        normalize(s)
    }

    #[test]
    fn punctuation_in_chinese_text() {
        assert_eq!(n("各市(州)市场监管局(知识产权局):"), "各市（州）市场监管局（知识产权局）：");
        assert_eq!(n("面向产业链,创新链;强化服务?是!"), "面向产业链，创新链；强化服务？是！");
        assert_eq!(n("抓好\"铁拳\"行动"), "抓好“铁拳”行动");
        assert_eq!(n("加快发展."), "加快发展。");
        assert_eq!(n("(2016-2018年)"), "（2016-2018年）");
    }

    #[test]
    fn spaces_between_chinese_characters() {
        assert_eq!(n("为 贯彻落实 习近平"), "为贯彻落实习近平");
        assert_eq!(n("经济和信息化局 、教育局"), "经济和信息化局、教育局");
        assert_eq!(n("  前后  "), "前后");
        assert_eq!(n("达到 10 件"), "达到 10 件");
        assert_eq!(n("标题 正文"), "标题正文");
    }

    #[test]
    fn tokens_that_stay() {
        for s in [
            "增长1.5倍",
            "共1,000元",
            "发布于2016-12-19 11:07:33",
            "见https://www.cnipa.gov.cn/a,b.html。",
            "邮箱zscq@sc.gov.cn,电话",
            "符合GB/T 9704-2012的要求",
            "依据ISO 56005标准",
            "依据ISO/IEC 27001:2013执行",
            "e.g. version 2.0",
        ] {
            let out = n(s);
            for token in [
                "1.5",
                "1,000",
                "11:07:33",
                "https://www.cnipa.gov.cn/a,b.html",
                "zscq@sc.gov.cn",
                "GB/T 9704-2012",
                "ISO 56005",
                "ISO/IEC 27001:2013",
                "e.g. version 2.0",
            ] {
                if s.contains(token) {
                    assert!(out.contains(token), "{s} → {out}");
                }
            }
        }
        assert_eq!(n("川市监发(2021)21号"), "川市监发(2021)21号");
        assert_eq!(n("邮箱zscq@sc.gov.cn,电话"), "邮箱zscq@sc.gov.cn，电话");
        assert_eq!(
            n("详见https://a.cn/a,b.html,联系邮箱zscq@sc.gov.cn;"),
            "详见https://a.cn/a,b.html，联系邮箱zscq@sc.gov.cn；"
        );
        assert_eq!(n("version 2.0;"), "version 2.0;");
    }

    #[test]
    fn invisible_characters_go() {
        assert_eq!(n("知识\u{200b}产权"), "知识产权");
    }

    #[test]
    fn idempotent_on_examples() {
        for s in ["a,(中)", "中 (abc)", "中 . 文", "\"a\" \"中\"", "(a(中)b)", "Copyright(C)2015-2016 广州"] {
            let once = n(s);
            assert_eq!(n(&once), once, "{s}");
        }
    }
}
