//! Word's automatic numbering: `numbering.xml` in, the marker each numbered
//! paragraph shows out.
//!
//! Takes the `abstractNum` definitions (levels with `start`, `numFmt`,
//! `lvlText`, `lvlRestart`, `isLgl`, `suff`) and the `num` instances that
//! point at them (with `lvlOverride`/`startOverride`), then, paragraph by
//! paragraph in document order, counts as Word counts and renders the
//! marker as Word displays it: `%1、` with `chineseCounting` at 12 is
//! `十二、`. Unknown formats fall back to decimal, as Word does; nothing
//! here fails.

use std::collections::{BTreeMap, HashMap, HashSet};

use quick_xml::events::Event;

use super::attr;

/// The deepest level Word numbers (ilvl 0–8).
const LEVELS: usize = 9;

/// One level of a list definition.
#[derive(Debug, Clone, Default)]
struct Level {
    start: u32,
    format: String,
    text: String,
    /// `lvlRestart`: restart after a level at most this (1-based) is
    /// used; 0 never. `None`: after any shallower level, Word's default.
    restart: Option<u32>,
    /// `isLgl`: every number in the marker in decimal (1.2.3).
    legal: bool,
    /// What follows the marker: a tab (Word's default), a space, nothing.
    suffix: Suffix,
    /// The paragraph style this level is linked to (`w:pStyle`).
    style: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Suffix {
    #[default]
    Tab,
    Space,
    Nothing,
}

#[derive(Debug, Clone, Default)]
struct Instance {
    abstract_id: String,
    /// Per level: a start override, and a whole level that replaces the
    /// abstract definition's.
    starts: BTreeMap<usize, u32>,
    levels: BTreeMap<usize, Level>,
}

/// The list definitions of a document and the counters of the paragraphs
/// numbered so far.
#[derive(Debug, Default)]
pub struct Numbering {
    abstracts: HashMap<String, Vec<Level>>,
    instances: HashMap<String, Instance>,
    /// Per abstract list: the current value of each level (`None`: not
    /// used since the last restart). Word counts per abstract list, so two
    /// `num`s that share one continue each other's numbers.
    counters: HashMap<String, [Option<u32>; LEVELS]>,
    /// The `num`s whose start overrides have been applied: an override
    /// restarts the list the first time that `num` is used.
    started: HashSet<String>,
}

impl Numbering {
    /// Read `numbering.xml`; a part that is not XML gives what was read
    /// before the fault (numbering is presentation: the text still reads).
    pub fn parse(xml: &str) -> Result<Numbering, quick_xml::Error> {
        let mut numbering = Numbering::default();
        let mut reader = quick_xml::Reader::from_str(xml);
        // What is being read: an abstractNum (id), a num (id), a level.
        let mut abstract_id: Option<String> = None;
        let mut abstract_levels: Vec<Level> = Vec::new();
        let mut instance: Option<(String, Instance)> = None;
        let mut override_level: Option<usize> = None;
        let mut level: Option<(usize, Level)> = None;
        loop {
            let event = reader.read_event()?;
            let (element, is_start) = match &event {
                Event::Start(e) => (e, true),
                Event::Empty(e) => (e, false),
                Event::End(e) => {
                    match e.local_name().as_ref() {
                        "abstractNum" => {
                            if let Some(id) = abstract_id.take() {
                                numbering.abstracts.insert(id, std::mem::take(&mut abstract_levels));
                            }
                        }
                        "num" => {
                            if let Some((id, inst)) = instance.take() {
                                numbering.instances.insert(id, inst);
                            }
                        }
                        "lvl" => {
                            if let Some((ilvl, lvl)) = level.take() {
                                match (&mut instance, override_level) {
                                    (Some((_, inst)), Some(_)) => {
                                        inst.levels.insert(ilvl, lvl);
                                    }
                                    _ => {
                                        if abstract_levels.len() <= ilvl {
                                            abstract_levels.resize(ilvl + 1, Level::default());
                                        }
                                        abstract_levels[ilvl] = lvl;
                                    }
                                }
                            }
                        }
                        "lvlOverride" => override_level = None,
                        _ => {}
                    }
                    continue;
                }
                Event::Eof => break,
                _ => continue,
            };
            let name = element.local_name();
            match name.as_ref() {
                "abstractNum" if is_start => {
                    abstract_id = attr(element, "abstractNumId");
                    abstract_levels.clear();
                }
                "num" if is_start => {
                    instance = attr(element, "numId").map(|id| (id, Instance::default()));
                }
                "abstractNumId" => {
                    if let (Some((_, inst)), Some(value)) = (&mut instance, attr(element, "val")) {
                        inst.abstract_id = value;
                    }
                }
                "lvlOverride" => {
                    override_level = attr(element, "ilvl").and_then(|v| v.parse().ok()).filter(|&l| l < LEVELS);
                }
                "startOverride" => {
                    if let (Some((_, inst)), Some(ilvl), Some(value)) =
                        (&mut instance, override_level, attr(element, "val").and_then(|v| v.parse().ok()))
                    {
                        inst.starts.insert(ilvl, value);
                    }
                }
                "lvl" if is_start => {
                    let ilvl = attr(element, "ilvl").and_then(|v| v.parse().ok()).unwrap_or(0usize);
                    let ilvl = if instance.is_some() { override_level.unwrap_or(ilvl) } else { ilvl };
                    level = (ilvl < LEVELS).then(|| (ilvl, Level { format: "decimal".into(), ..Level::default() }));
                }
                field => {
                    let Some((_, lvl)) = &mut level else { continue };
                    let value = attr(element, "val");
                    match field {
                        "start" => lvl.start = value.and_then(|v| v.parse().ok()).unwrap_or(0),
                        "numFmt" => lvl.format = value.unwrap_or_else(|| "decimal".into()),
                        "lvlText" => lvl.text = value.unwrap_or_default(),
                        "lvlRestart" => lvl.restart = value.and_then(|v| v.parse().ok()),
                        "isLgl" => lvl.legal = value.is_none_or(|v| !matches!(v.as_str(), "0" | "false" | "off")),
                        "pStyle" => lvl.style = value,
                        "suff" => {
                            lvl.suffix = match value.as_deref() {
                                Some("space") => Suffix::Space,
                                Some("nothing") => Suffix::Nothing,
                                _ => Suffix::Tab,
                            }
                        }
                        _ => {}
                    }
                }
            }
        }
        Ok(numbering)
    }

    /// The level of list `num_id` linked to paragraph style `style`, for a
    /// paragraph whose style gives the list but not the level.
    pub fn level_of_style(&self, num_id: &str, style: &str) -> Option<usize> {
        let instance = self.instances.get(num_id)?;
        let levels = self.abstracts.get(&instance.abstract_id)?;
        levels.iter().position(|l| l.style.as_deref() == Some(style))
    }

    /// The next marker of list `num_id` at level `ilvl`, with what follows
    /// it: counts the paragraph. `None` when the list does not exist
    /// (numId 0 switches numbering off) or the level shows nothing.
    pub fn next(&mut self, num_id: &str, ilvl: usize) -> Option<String> {
        let ilvl = ilvl.min(LEVELS - 1);
        let instance = self.instances.get(num_id)?;
        let levels = self.abstracts.get(&instance.abstract_id)?;
        let level_of = |l: usize| instance.levels.get(&l).or_else(|| levels.get(l));
        let start_of =
            |l: usize| instance.starts.get(&l).copied().or_else(|| level_of(l).map(|lv| lv.start)).unwrap_or(0);
        let counters = self.counters.entry(instance.abstract_id.clone()).or_insert([None; LEVELS]);
        if self.started.insert(num_id.to_owned()) {
            for &l in instance.starts.keys() {
                if l < LEVELS {
                    counters[l] = None;
                }
            }
        }
        counters[ilvl] = Some(counters[ilvl].map_or(start_of(ilvl), |v| v.saturating_add(1)));
        for (deeper, counter) in counters.iter_mut().enumerate().skip(ilvl + 1) {
            let restart = level_of(deeper).and_then(|l| l.restart).unwrap_or(deeper as u32);
            if (ilvl as u32) < restart {
                *counter = None;
            }
        }
        let level = level_of(ilvl)?;
        if level.format == "none" && !level.text.contains('%') || level.text.is_empty() {
            return None;
        }
        let mut marker = String::new();
        let mut chars = level.text.chars().peekable();
        while let Some(c) = chars.next() {
            let digit = chars.peek().and_then(|d| d.to_digit(10)).filter(|d| (1..=LEVELS as u32).contains(d));
            match (c, digit) {
                ('%', Some(d)) => {
                    chars.next();
                    let l = d as usize - 1;
                    let value = counters[l].unwrap_or_else(|| start_of(l));
                    let format = match level_of(l) {
                        Some(lv) if !(level.legal && l < ilvl) => lv.format.as_str(),
                        _ => "decimal",
                    };
                    marker.push_str(&format_number(value, format));
                }
                _ => marker.push(c),
            }
        }
        match level.suffix {
            Suffix::Nothing => {}
            // A tab after a marker is layout (the hanging indent); the text
            // keeps the marker's own punctuation and, where the marker has
            // none to end it, one space so the words do not run into it.
            Suffix::Tab | Suffix::Space => {
                if !marker.ends_with(['、', '．', '.', '）', ')', '】', '〕', '：', ':'])
                    && !marker.chars().last().is_some_and(|c| ('\u{2460}'..='\u{24ff}').contains(&c))
                {
                    marker.push(' ');
                }
            }
        }
        Some(marker)
    }
}

const DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/// `n` in Word's number format `format`; decimal for formats policy
/// documents do not use.
pub fn format_number(n: u32, format: &str) -> String {
    match format {
        "chineseCounting" => chinese_counting(n),
        "chineseCountingThousand" | "taiwaneseCountingThousand" | "japaneseCounting" => chinese(n, &ZH_LOWER),
        "chineseLegalSimplified" => chinese(n, &ZH_LEGAL),
        "ideographDigital" | "japaneseDigitalTenThousand" => {
            n.to_string().bytes().map(|b| DIGITS[usize::from(b - b'0')]).collect()
        }
        "ideographTraditional" => stem(n, "甲乙丙丁戊己庚辛壬癸"),
        "ideographZodiac" => stem(n, "子丑寅卯辰巳午未申酉戌亥"),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" => enclosed(n, 20, 0x2460),
        "decimalEnclosedParen" => enclosed(n, 20, 0x2474),
        "decimalEnclosedFullstop" => enclosed(n, 20, 0x2488),
        "decimalFullWidth" | "decimalFullWidth2" => {
            n.to_string().chars().map(|c| char::from_u32(c as u32 - '0' as u32 + 0xff10).unwrap_or(c)).collect()
        }
        "decimalZero" if n < 10 => format!("0{n}"),
        "upperLetter" => letters(n, b'A'),
        "lowerLetter" => letters(n, b'a'),
        "upperRoman" => roman(n),
        "lowerRoman" => roman(n).to_lowercase(),
        "bullet" | "none" => String::new(),
        _ => n.to_string(),
    }
}

/// `chineseCounting`: 十, 十一, 二十三 below a hundred; digit by digit
/// (一〇〇) from a hundred on.
fn chinese_counting(n: u32) -> String {
    match n {
        0..=9 => DIGITS[n as usize].to_string(),
        10..=99 => {
            let (tens, ones) = (n / 10, n % 10);
            let mut out = String::new();
            if tens > 1 {
                out.push(DIGITS[tens as usize]);
            }
            out.push('十');
            if ones > 0 {
                out.push(DIGITS[ones as usize]);
            }
            out
        }
        _ => n.to_string().bytes().map(|b| DIGITS[usize::from(b - b'0')]).collect(),
    }
}

struct Numerals {
    digits: [char; 10],
    units: [char; 4],
}

const ZH_LOWER: Numerals = Numerals {
    digits: ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'],
    units: ['十', '百', '千', '万'],
};
const ZH_LEGAL: Numerals = Numerals {
    digits: ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'],
    units: ['拾', '佰', '仟', '万'],
};

/// Counting with 十百千万 and 零 for a gap: 十一, 一百零五, 二千零一十.
/// A leading 一十 is written 十, as a clause number is read aloud.
fn chinese(n: u32, numerals: &Numerals) -> String {
    if n == 0 {
        return numerals.digits[0].to_string();
    }
    if n >= 100_000 {
        return n.to_string();
    }
    let places = [
        (n / 10_000 % 10, Some(numerals.units[3])),
        (n / 1000 % 10, Some(numerals.units[2])),
        (n / 100 % 10, Some(numerals.units[1])),
        (n / 10 % 10, Some(numerals.units[0])),
        (n % 10, None),
    ];
    let mut out = String::new();
    let mut pending_zero = false;
    for (digit, unit) in places {
        if digit == 0 {
            pending_zero |= !out.is_empty();
            continue;
        }
        if pending_zero {
            out.push(numerals.digits[0]);
            pending_zero = false;
        }
        let lone_ten = out.is_empty() && digit == 1 && unit == Some(numerals.units[0]);
        if !lone_ten {
            out.push(numerals.digits[digit as usize]);
        }
        if let Some(unit) = unit {
            out.push(unit);
        }
    }
    out
}

fn stem(n: u32, cycle: &str) -> String {
    let chars: Vec<char> = cycle.chars().collect();
    match n.checked_sub(1).and_then(|k| chars.get(k as usize)) {
        Some(c) => c.to_string(),
        None => n.to_string(),
    }
}

/// ① … ⑳, then decimal: the circled set has twenty.
fn enclosed(n: u32, size: u32, first: u32) -> String {
    if (1..=size).contains(&n) {
        char::from_u32(first + n - 1).map_or_else(|| n.to_string(), String::from)
    } else {
        n.to_string()
    }
}

/// A … Z, then AA, BB: Word repeats the letter.
fn letters(n: u32, a: u8) -> String {
    if n == 0 {
        return String::new();
    }
    let letter = char::from(a + ((n - 1) % 26) as u8);
    letter.to_string().repeat(((n - 1) / 26 + 1).min(64) as usize)
}

fn roman(mut n: u32) -> String {
    if n == 0 || n >= 4000 {
        return n.to_string();
    }
    let table = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (value, symbol) in table {
        while n >= value {
            out.push_str(symbol);
            n -= value;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_formats_read_as_word_shows_them() {
        let counting: Vec<String> =
            [1, 9, 10, 11, 20, 23, 99, 100].iter().map(|&n| format_number(n, "chineseCounting")).collect();
        assert_eq!(counting, ["一", "九", "十", "十一", "二十", "二十三", "九十九", "一〇〇"]);
        let thousand: Vec<String> =
            [1, 10, 11, 20, 100, 105, 110, 2010].iter().map(|&n| format_number(n, "chineseCountingThousand")).collect();
        assert_eq!(thousand, ["一", "十", "十一", "二十", "一百", "一百零五", "一百一十", "二千零一十"]);
        assert_eq!(format_number(3, "ideographTraditional"), "丙");
        assert_eq!(format_number(11, "ideographTraditional"), "11");
        assert_eq!(format_number(2, "decimalEnclosedCircle"), "②");
        assert_eq!(format_number(21, "decimalEnclosedCircle"), "21");
        assert_eq!(format_number(12, "chineseLegalSimplified"), "拾贰");
        assert_eq!(format_number(4, "upperRoman"), "IV");
        assert_eq!(format_number(28, "lowerLetter"), "bb");
    }

    const LISTS: &str = r#"<w:numbering xmlns:w="w">
      <w:abstractNum w:abstractNumId="0">
        <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/><w:suff w:val="nothing"/></w:lvl>
        <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
        <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/><w:lvlRestart w:val="1"/></w:lvl>
        <w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2.%4"/><w:isLgl/><w:suff w:val="space"/></w:lvl>
      </w:abstractNum>
      <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
      <w:num w:numId="2"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>
    </w:numbering>"#;

    #[test]
    fn counters_restart_as_word_restarts_them() {
        let mut n = Numbering::parse(LISTS).unwrap();
        let mut next = |id: &str, l: usize| n.next(id, l).unwrap_or_default();
        assert_eq!(next("1", 0), "一、");
        assert_eq!(next("1", 1), "（一）");
        assert_eq!(next("1", 2), "1.");
        assert_eq!(next("1", 1), "（二）");
        // lvlRestart 1: level 3 restarts after level 1 only, not level 2.
        assert_eq!(next("1", 2), "2.");
        assert_eq!(next("1", 3), "1.2.1 ");
        assert_eq!(next("1", 0), "二、");
        assert_eq!(next("1", 1), "（一）");
        assert_eq!(next("1", 2), "1.");
        // A num with a start override restarts the shared list.
        assert_eq!(next("2", 0), "五、");
        assert_eq!(next("1", 0), "六、");
        assert_eq!(n.next("0", 0), None);
    }
}
