//! Recognizers for the frame's fields in plain text: a 发文字号
//! (川府发〔2025〕3号, 国务院令第731号) and a date (2021年3月1日,
//! 二〇二三年三月九日). Text in, a value or nothing out; used by the parser's
//! frame reading and by the converters of web pages, which must tell a 字号
//! or a date from the title before any parsing.

use crate::numeral;
use crate::text::is_space;

/// A 发文字号 line: issuer code, year in brackets, serial, 号. Returns the
/// number as written. Lenient about the brackets so the diagnostic can say
/// which ones are wrong.
pub fn doc_number(text: &str) -> Option<&str> {
    let mut t = text.trim_matches(is_space);
    for label in ["文号", "发文字号", "字号", "发文号"] {
        if let Some(rest) = t.strip_prefix(label).and_then(|r| r.trim_start_matches(is_space).strip_prefix(['：', ':']))
        {
            t = rest.trim_matches(is_space);
        }
    }
    // A decree's line in a law's header names its date first
    // (`2017年11月22日 中华人民共和国国务院令第692号`): the number is what follows.
    if let Some((_, rest)) = leading_date(t).filter(|(_, rest)| !rest.is_empty()) {
        t = rest;
    }
    // （国办发〔2023〕17号） and 文号：…号) keep the number without the brackets.
    if t.ends_with(['）', ')']) && t.trim_end_matches(['）', ')']).ends_with('号') {
        t = t.trim_end_matches(['）', ')']);
        t = t.strip_prefix(['（', '(']).unwrap_or(t);
    }
    if !t.ends_with('号') || t.chars().count() > 30 {
        return None;
    }
    if is_decree_number(t) {
        return Some(t);
    }
    let open = t.find(['〔', '[', '［', '(', '（', '【', '﹝'])?;
    let code = &t[..open];
    if code.is_empty() || code.chars().any(|c| c.is_ascii_digit() || matches!(c, '，' | '。' | '：')) {
        return None;
    }
    let after = &t[open..];
    let mut chars = after.chars();
    chars.next();
    let year: String = chars.clone().take_while(|c| c.is_ascii_digit()).collect();
    (year.len() == 4).then_some(t)
}

/// 中华人民共和国国务院令第731号, 国家发展改革委令 第20号, 国家能源局公告2023年第5号.
fn is_decree_number(t: &str) -> bool {
    let Some(at) = t.rfind('第') else { return false };
    let head = t[..at].trim_end_matches(is_space);
    let serial = &t[at + '第'.len_utf8()..t.len() - '号'.len_utf8()];
    let numeric = !serial.is_empty() && serial.chars().all(|c| c.is_ascii_digit() || is_space(c));
    let year_form = head.ends_with('年') && head.len() > 4 && {
        let y = head.trim_end_matches('年');
        y.chars().rev().take(4).all(|c| c.is_ascii_digit())
    };
    numeric && (head.ends_with('令') || (year_form && head.contains("公告"))) && !head.contains(['，', '。', '、'])
}

/// A date that opens `text` (`1984年1月7日 国务院`), and what follows it,
/// without the spaces between.
pub fn leading_date(text: &str) -> Option<(Date, &str)> {
    let t = text.trim_start_matches(is_space);
    let end = t.char_indices().take(12).find(|(_, c)| *c == '日').map(|(i, c)| i + c.len_utf8())?;
    let date = parse_date(&t[..end]).ok()?;
    Some((date, t[end..].trim_matches(is_space)))
}

/// A calendar date as written in a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date {
    pub year: u32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Why a date-shaped text is not a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateError {
    NotADate,
    Impossible { year: u32, month: u32, day: u32 },
}

/// A line that is a date and nothing else: 2021年3月1日, 2023年08月03日,
/// 二〇二三年三月九日.
pub fn is_date(text: &str) -> bool {
    !matches!(parse_date(text), Err(DateError::NotADate))
}

/// The first well-formed date inside a longer text.
pub fn find_date(text: &str) -> Option<Date> {
    let at = text.find('年')?;
    let start = text[..at].char_indices().rev().take_while(|(_, c)| c.is_ascii_digit()).last().map(|(i, _)| i)?;
    let end = text[at..].find('日')? + at + '日'.len_utf8();
    parse_date(&text[start..end]).ok()
}

/// 2019-04-28, 2025/09/12, 2026.02.14 at the start of `text`.
pub fn dashed_date(text: &str) -> Option<Date> {
    let t = text.trim_start_matches(|c: char| is_space(c) || c == '(' || c == '（');
    let mut parts = t.splitn(3, ['-', '/', '.']);
    let year: u32 = parts.next()?.parse().ok().filter(|y| (1949..=2100).contains(y))?;
    let month: u32 = parts.next()?.parse().ok()?;
    let rest = parts.next()?;
    let day_end = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
    let day: u32 = rest[..day_end].parse().ok()?;
    parse_date(&format!("{year}年{month}月{day}日")).ok()
}

/// A page's publication time after its label, as sites print it beside
/// the source (`信息来源：广州电力交易中心 发布时间：2025-06-22`,
/// `发布日期：2024年09月13日`): the label and the date. Read by the text
/// path on a dump's line and by the page reader on the page's element.
pub fn publication_time(text: &str) -> Option<(&'static str, Date)> {
    let (label, at) =
        ["发布时间", "发布日期"].into_iter().find_map(|label| text.find(label).map(|i| (label, i + label.len())))?;
    let value = text[at..].trim_start_matches(|c: char| matches!(c, '：' | ':') || is_space(c));
    // The date is the value's first word: what follows is the next label's.
    let value = &value[..value.find(is_space).unwrap_or(value.len())];
    Some((label, find_date(value).or_else(|| dashed_date(value))?))
}

/// Parse a whole line as a date; month 13 is an error, not a non-date.
pub fn parse_date(text: &str) -> Result<Date, DateError> {
    let t = text.trim_matches(is_space);
    let (y, rest) = t.split_once('年').ok_or(DateError::NotADate)?;
    let (m, rest) = rest.split_once('月').ok_or(DateError::NotADate)?;
    let d = rest.strip_suffix('日').ok_or(DateError::NotADate)?;
    let year = year_value(y).ok_or(DateError::NotADate)?;
    let month = small_value(m).ok_or(DateError::NotADate)?;
    let day = small_value(d).ok_or(DateError::NotADate)?;
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        _ => 0,
    };
    if day == 0 || day > days_in_month {
        return Err(DateError::Impossible { year, month, day });
    }
    Ok(Date { year, month, day })
}

fn year_value(s: &str) -> Option<u32> {
    if s.chars().count() != 4 {
        return None;
    }
    if let Some(n) = numeral::parse_digits(s) {
        return Some(n);
    }
    // 二〇二三: digit by digit.
    s.chars()
        .map(|c| match c {
            '〇' | '零' | 'Ｏ' | 'O' => Some(0),
            c => numeral::parse(&c.to_string()).filter(|&d| d < 10),
        })
        .try_fold(0, |acc, d| d.map(|d| acc * 10 + d))
}

fn small_value(s: &str) -> Option<u32> {
    if s.is_empty() || s.chars().count() > 3 {
        return None;
    }
    numeral::parse_digits(s).or_else(|| numeral::parse(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn publication_times_as_pages_and_dumps_print_them() {
        let date = |text: &str| publication_time(text).map(|(label, d)| (label, d.iso()));
        assert_eq!(
            date("信息来源：广州电力交易中心 发布时间：2025-06-22"),
            Some(("发布时间", "2025-06-22".to_owned()))
        );
        assert_eq!(date("发布日期：2024年09月13日"), Some(("发布日期", "2024-09-13".to_owned())));
        assert_eq!(
            date("发布时间: 2025/9/12 10:30 来源：2024年12月1日报"),
            Some(("发布时间", "2025-09-12".to_owned()))
        );
        assert_eq!(date("发布时间：2025-02-30"), None, "no such day");
        assert_eq!(date("来源：本站"), None);
    }
}
