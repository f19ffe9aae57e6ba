//! Numbering markers as written: their shape, value and variant.
//!
//! The grammar decides *that* a line starts with a marker; this module says
//! what the marker is (kind of numeral, brackets, separator) so that `lower`
//! can place it, `validate` can name non-standard variants and `fmt` can
//! write the canonical form.

use super::numeral;

/// The marker families by shape, before the document's family decides the
/// node kind (（一） is a section in a policy, a 项 in a regulation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Shape {
    /// 第X编
    Book,
    /// 第X章
    Chapter,
    /// 第X节
    Division,
    /// 第X条, 第X条之Y
    Article,
    /// 一、
    ChineseSep,
    /// （一）
    ChineseParen,
    /// 1.
    ArabicSep,
    /// （1）
    ArabicParen,
    /// ①
    Circled,
}

/// Everything about one marker's spelling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkerInfo {
    pub shape: Shape,
    pub number: u32,
    /// 之Y of an inserted article.
    pub sub: Option<u32>,
    /// The opening bracket, for bracketed shapes: '（' or '('.
    pub open: Option<char>,
    /// The closing bracket: '）' or ')'.
    pub close: Option<char>,
    /// The separator after the numeral or bracket: '、', '.', '．', '，'…
    pub sep: Option<char>,
    /// Digits were full-width (１．).
    pub wide_digits: bool,
}

impl MarkerInfo {
    /// Whether the spelling is the GB/T 9704 one: 一、 （一） 1. （1） ①, 第X条.
    pub fn is_standard(&self) -> bool {
        match self.shape {
            Shape::ChineseSep => self.sep == Some('、'),
            Shape::ChineseParen | Shape::ArabicParen => {
                self.open == Some('（') && self.close == Some('）') && self.sep.is_none() && !self.wide_digits
            }
            Shape::ArabicSep => self.sep == Some('.') && !self.wide_digits,
            _ => true,
        }
    }

    /// A short description of the variant, for grouping markers of one level
    /// ("(一)" and "（一）" are different variants of the same level).
    pub fn variant(&self) -> String {
        // Four characters at most, of up to four bytes.
        let mut v = String::with_capacity(16);
        self.write_variant(&mut v);
        v
    }

    /// [`MarkerInfo::variant`] written into `v`, which a caller grouping
    /// many markers reuses.
    pub fn write_variant(&self, v: &mut String) {
        if let Some(o) = self.open {
            v.push(o);
        }
        v.push(match self.shape {
            Shape::ChineseSep | Shape::ChineseParen => '一',
            Shape::ArabicSep | Shape::ArabicParen if self.wide_digits => '１',
            Shape::ArabicSep | Shape::ArabicParen => '1',
            Shape::Circled => '①',
            Shape::Book => '编',
            Shape::Chapter => '章',
            Shape::Division => '节',
            Shape::Article => '条',
        });
        if let Some(c) = self.close {
            v.push(c);
        }
        if let Some(s) = self.sep {
            v.push(s);
        }
    }
}

/// Read a marker as the grammar matched it. `None` when the numeral inside is
/// malformed (一二、), in which case the line is text.
pub fn analyze(marker: &str) -> Option<MarkerInfo> {
    let mut info = MarkerInfo {
        shape: Shape::Circled,
        number: 0,
        sub: None,
        open: None,
        close: None,
        sep: None,
        wide_digits: false,
    };
    if let Some(rest) = marker.strip_prefix('第') {
        let (head, sub) = match rest.split_once('之') {
            Some((head, sub)) => (head, Some(numeral::parse(sub)?)),
            None => (rest, None),
        };
        let unit = head.chars().last()?;
        info.shape = match unit {
            '编' => Shape::Book,
            '章' => Shape::Chapter,
            '节' => Shape::Division,
            '条' => Shape::Article,
            _ => return None,
        };
        info.number = numeral::parse(&head[..head.len() - unit.len_utf8()])?;
        info.sub = sub;
        return Some(info);
    }
    let first = marker.chars().next()?;
    if let Some(n) = circled(first) {
        info.number = n;
        return Some(info);
    }
    let mut body = marker;
    if first == '（' || first == '(' {
        info.open = Some(first);
        body = &body[first.len_utf8()..];
    }
    let last = body.chars().last()?;
    if is_sep(last) {
        info.sep = Some(last);
        body = &body[..body.len() - last.len_utf8()];
    }
    if info.open.is_some() {
        let close = body.chars().last()?;
        if close != '）' && close != ')' {
            return None;
        }
        info.close = Some(close);
        body = &body[..body.len() - close.len_utf8()];
    }
    if let Some(n) = numeral::parse(body) {
        info.number = n;
        info.shape = if info.open.is_some() { Shape::ChineseParen } else { Shape::ChineseSep };
    } else {
        info.number = numeral::parse_digits(body)?;
        info.wide_digits = body.chars().any(|c| !c.is_ascii_digit());
        info.shape = if info.open.is_some() { Shape::ArabicParen } else { Shape::ArabicSep };
    }
    if info.number == 0 {
        return None;
    }
    if info.open.is_none() && info.sep.is_none() {
        return None;
    }
    Some(info)
}

fn is_sep(c: char) -> bool {
    matches!(c, '、' | '.' | '．' | '，' | ',')
}

fn circled(c: char) -> Option<u32> {
    let c = c as u32;
    match c {
        0x2460..=0x2473 => Some(c - 0x2460 + 1),
        0x3251..=0x325f => Some(c - 0x3251 + 21),
        0x32b1..=0x32bf => Some(c - 0x32b1 + 36),
        _ => None,
    }
}

/// The circled digit for 1 ≤ n ≤ 50.
pub fn circled_char(n: u32) -> Option<char> {
    let code = match n {
        1..=20 => 0x2460 + n - 1,
        21..=35 => 0x3251 + n - 21,
        36..=50 => 0x32b1 + n - 36,
        _ => return None,
    };
    char::from_u32(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_and_values() {
        let cases = [
            ("一、", Shape::ChineseSep, 1, true),
            ("十一、", Shape::ChineseSep, 11, true),
            ("一.", Shape::ChineseSep, 1, false),
            ("（一）", Shape::ChineseParen, 1, true),
            ("(二十七)", Shape::ChineseParen, 27, false),
            ("（一)", Shape::ChineseParen, 1, false),
            ("（一）、", Shape::ChineseParen, 1, false),
            ("1.", Shape::ArabicSep, 1, true),
            ("39.", Shape::ArabicSep, 39, true),
            ("1、", Shape::ArabicSep, 1, false),
            ("１．", Shape::ArabicSep, 1, false),
            ("（1）", Shape::ArabicParen, 1, true),
            ("(12)", Shape::ArabicParen, 12, false),
            ("①", Shape::Circled, 1, true),
            ("⑳", Shape::Circled, 20, true),
            ("第一章", Shape::Chapter, 1, true),
            ("第三十五条", Shape::Article, 35, true),
            ("第一百零五条", Shape::Article, 105, true),
        ];
        for (m, shape, n, standard) in cases {
            let info = analyze(m).unwrap_or_else(|| panic!("{m}"));
            assert_eq!((info.shape, info.number, info.is_standard()), (shape, n, standard), "{m}");
        }
        let inserted = analyze("第十二条之一").unwrap();
        assert_eq!((inserted.number, inserted.sub), (12, Some(1)));
    }

    #[test]
    fn not_markers() {
        for m in ["一二、", "（十十）", "0.", "第二〇条"] {
            assert_eq!(analyze(m), None, "{m}");
        }
    }

    #[test]
    fn circled_round_trip() {
        for n in 1..=50 {
            let c = circled_char(n).unwrap();
            assert_eq!(circled(c), Some(n));
        }
    }
}
