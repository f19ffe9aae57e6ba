//! Chinese numerals (一 … 九百九十九) to integers and back.
//!
//! Strict on purpose: a malformed numeral (一二, 十十, 二〇二三) is not a
//! number, so the line it starts is text, not a heading.

/// The value of a Chinese numeral such as 十一, 二十, 一百零五; `None` when the
/// string is not a well-formed numeral between 0 and 9999.
pub fn parse(s: &str) -> Option<u32> {
    let mut total = 0u32;
    // The digit waiting for its unit (二 in 二十), if any.
    let mut pending: Option<u32> = None;
    // The unit of the last complete group, to enforce descending units.
    let mut last_unit = u32::MAX;
    // 零 stands for a skipped unit and is only allowed between groups.
    let mut saw_zero = false;
    let mut any = false;
    for c in s.chars() {
        any = true;
        if let Some(d) = digit(c) {
            if pending.is_some() {
                return None; // 一二
            }
            if d == 0 {
                if saw_zero || total == 0 {
                    return None;
                }
                saw_zero = true;
                continue;
            }
            pending = Some(d);
        } else if let Some(u) = unit(c) {
            if u >= last_unit {
                return None; // 十十, 十百
            }
            let d = match pending.take() {
                Some(d) => d,
                // A bare 十 means 一十 only at the start (十一, not 一百十).
                None if u == 10 && total == 0 => 1,
                None => return None,
            };
            if saw_zero && last_unit / u < 100 && last_unit != u32::MAX {
                // 一百零十 is not a numeral; 一千零十 is.
                return None;
            }
            total += d * u;
            last_unit = u;
            saw_zero = false;
        } else {
            return None;
        }
    }
    if !any {
        return None;
    }
    if let Some(d) = pending {
        // A trailing digit: after 零, or directly after 十 (十一, 二十一), or
        // a lone digit. 一百一 (= 110) is colloquial; refuse it.
        if last_unit != u32::MAX && last_unit > 10 && !saw_zero {
            return None;
        }
        total += d;
    } else if saw_zero {
        return None; // 一百零
    }
    Some(total)
}

fn digit(c: char) -> Option<u32> {
    Some(match c {
        '零' | '〇' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

fn unit(c: char) -> Option<u32> {
    Some(match c {
        '十' => 10,
        '百' => 100,
        '千' => 1000,
        _ => return None,
    })
}

const DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/// The canonical Chinese numeral for `n` (1 ≤ n ≤ 9999), as GB/T 9704 and
/// drafting practice write it: 十一 (not 一十一), 一百零五, 一百一十.
pub fn format(n: u32) -> String {
    if n == 0 {
        return "零".to_owned();
    }
    let mut out = String::new();
    let groups = [(1000, '千'), (100, '百'), (10, '十')];
    let mut rest = n;
    let mut need_zero = false;
    for (value, name) in groups {
        let d = rest / value;
        rest %= value;
        if d > 0 {
            if need_zero {
                out.push('零');
                need_zero = false;
            }
            // 十一 but 一百一十: the 一 before 十 is dropped only when 十 leads.
            if !(value == 10 && d == 1 && out.is_empty()) {
                out.push(DIGITS[d as usize]);
            }
            out.push(name);
        } else if !out.is_empty() {
            need_zero = true;
        }
    }
    if rest > 0 {
        if need_zero {
            out.push('零');
        }
        out.push(DIGITS[rest as usize]);
    }
    out
}

/// Value of ASCII or full-width digits (１２ → 12).
pub fn parse_digits(s: &str) -> Option<u32> {
    let mut n: u32 = 0;
    let mut any = false;
    for c in s.chars() {
        let d = match c {
            '0'..='9' => c as u32 - '0' as u32,
            '０'..='９' => c as u32 - '０' as u32,
            _ => return None,
        };
        n = n.checked_mul(10)?.checked_add(d)?;
        any = true;
    }
    any.then_some(n)
}

/// `number` written the way `like` is: in Chinese numerals (三), in ASCII
/// digits (3) or in full-width digits (３), as a reference or a marker being
/// renumbered already writes it.
pub fn format_like(like: &str, number: u32) -> String {
    if like.chars().all(|c| c.is_ascii_digit()) {
        number.to_string()
    } else if like.chars().all(|c| c.is_ascii_digit() || ('０'..='９').contains(&c)) {
        number.to_string().chars().map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c)).collect()
    } else {
        format(number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values() {
        let cases = [
            ("一", 1),
            ("十", 10),
            ("十一", 11),
            ("十九", 19),
            ("二十", 20),
            ("二十七", 27),
            ("两", 2),
            ("一百", 100),
            ("一百零五", 105),
            ("一百一十", 110),
            ("一百一十二", 112),
            ("三百", 300),
            ("九百九十九", 999),
            ("一千零一", 1001),
            ("一千零一十", 1010),
        ];
        for (s, n) in cases {
            assert_eq!(parse(s), Some(n), "{s}");
        }
    }

    #[test]
    fn malformed() {
        for s in ["", "一二", "十十", "二〇二三", "一百零", "百", "零", "十百", "一百十", "一百零十", "甲"]
        {
            assert_eq!(parse(s), None, "{s}");
        }
    }

    #[test]
    fn round_trip_to_999() {
        for n in 1..=9999 {
            let s = format(n);
            assert_eq!(parse(&s), Some(n), "{n} → {s}");
        }
    }

    #[test]
    fn digits() {
        assert_eq!(parse_digits("12"), Some(12));
        assert_eq!(parse_digits("１２"), Some(12));
        assert_eq!(parse_digits("1a"), None);
    }
}
