//! Responsible units as the site lists them: one government's units apart
//! from another's, in pinyin order.
//!
//! Takes a document's (unit, clause) pairs and gives them with each unit
//! named so that it means one body across the site. A unit's name in an
//! annotation (省市场监管局, 法规处) means something only inside the
//! government that wrote it: 法规处 of 广州市知识产权局 and 法规处 of
//! 辽宁省知识产权局 are two units. The document's first issuer tells the
//! government (广州市, 辽宁省: its name up to the first 省, 市, 自治区, 州,
//! 县 or 区). A name that starts with the same kind of word (省…, 市…)
//! takes the government's name in its place (省市场监管局 of a 四川省
//! document is 四川省市场监管局); a name that already starts with a place
//! of two characters or more (广州市…, 国家…) stays; any other is followed
//! by the issuer in brackets (法规处（广州市知识产权局）). A document
//! without an issuer leaves its units as they are. Each document is
//! qualified on its own, so an incremental build stays incremental.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::owners::ClauseRef;
use crate::tree::Document;

/// The level words a government's name ends with, longest first.
const LEVELS: [&str; 6] = ["自治区", "省", "市", "州", "县", "区"];

static GOVERNMENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\p{Han}{2,}?(?:自治区|省|市|州|县|区)").expect("a valid pattern"));

/// A name that already says whose it is: a place of two characters or
/// more and its level, or a national body.
static PLACED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\p{Han}{2,}?(?:自治区|省|市|州|县|区)|国家|国务院|全国|中共中央|中央)").expect("a valid pattern")
});

/// The government of an issuer: 广州市知识产权局 → 广州市.
pub fn government(issuer: &str) -> Option<&str> {
    GOVERNMENT.find(issuer).map(|m| m.as_str())
}

/// A unit's name as the site shows it, for a document issued by `issuer`.
pub fn qualify(unit: &str, issuer: Option<&str>) -> String {
    let Some(issuer) = issuer.filter(|i| !i.trim().is_empty()) else { return unit.to_owned() };
    // 各市局, 相关市局: units of many places, named from the document's.
    let many = ["各", "相关", "有关", "其他", "所属"].iter().any(|w| unit.starts_with(w));
    if PLACED.is_match(unit) && !many {
        return unit.to_owned();
    }
    if let Some(government) = government(issuer) {
        // 辽宁 of a 辽宁省 document.
        let stem = LEVELS.iter().find_map(|l| government.strip_suffix(l)).unwrap_or(government);
        if stem.chars().count() >= 2 && unit.starts_with(stem) {
            return unit.to_owned();
        }
        for level in LEVELS {
            if let Some(rest) = unit.strip_prefix(level)
                && government.ends_with(level)
                && !rest.is_empty()
            {
                return format!("{government}{rest}");
            }
        }
    }
    format!("{unit}（{issuer}）")
}

/// A document's (unit, clause) pairs with each unit qualified.
pub fn qualify_all(document: &Document, pairs: Vec<(String, ClauseRef)>) -> Vec<(String, ClauseRef)> {
    let issuer = document.meta.issuers.first().map(String::as_str);
    pairs.into_iter().map(|(unit, clause)| (qualify(&unit, issuer), clause)).collect()
}

/// Each unit the owner labels of a document's body name → its name on the
/// owners page, where the label links to.
pub fn labels(document: &Document) -> BTreeMap<String, String> {
    let issuer = document.meta.issuers.first().map(String::as_str);
    crate::owners::collect(document, "")
        .into_iter()
        .map(|(unit, _)| {
            let listed = qualify(&unit, issuer);
            (unit, listed)
        })
        .collect()
}

/// The key units are sorted by: each Chinese character's pinyin, syllable
/// then tone (知 zhi1 before 执 zhi2, as Chinese collation has it), then
/// the name itself for names that sound alike. A reader looks
/// 财政厅 up under c, not at the code point of 财. As in Chinese collation,
/// punctuation comes before digits, digits before Chinese characters (大连（…）
/// before 大连保护中心), and those before Latin letters (办公室 before J…).
pub fn pinyin_key(name: &str) -> (Vec<(u8, String)>, String) {
    use pinyin::ToPinyin;
    let key = name
        .chars()
        .zip(name.to_pinyin())
        .map(|(c, p)| match p {
            Some(p) => (2, p.with_tone_num_end().to_owned()),
            None if c.is_ascii_digit() => (1, c.to_string()),
            None if c.is_alphabetic() => (3, c.to_lowercase().collect()),
            None => (0, c.to_string()),
        })
        .collect();
    (key, name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_are_qualified_by_their_government() {
        assert_eq!(qualify("省市场监管局", Some("四川省市场监督管理局")), "四川省市场监管局");
        assert_eq!(qualify("市发展改革委", Some("广州市知识产权局")), "广州市发展改革委");
        assert_eq!(qualify("法规处", Some("广州市知识产权局")), "法规处（广州市知识产权局）");
        assert_eq!(qualify("法规处", Some("辽宁省知识产权局")), "法规处（辽宁省知识产权局）");
        assert_eq!(qualify("广州市知识产权局", Some("广州市知识产权局")), "广州市知识产权局");
        assert_eq!(qualify("国家知识产权局", Some("辽宁省知识产权局")), "国家知识产权局");
        assert_eq!(qualify("省财政厅", None), "省财政厅");
        assert_eq!(qualify("辽宁", Some("辽宁省知识产权局")), "辽宁");
        assert_eq!(qualify("相关市局", Some("辽宁省知识产权局")), "相关市局（辽宁省知识产权局）");
    }

    #[test]
    fn pinyin_orders_by_sound_not_code_point() {
        let mut names = ["省财政厅", "省科技厅", "省安全厅", "法规处"];
        names.sort_by_key(|n| pinyin_key(n));
        assert_eq!(names, ["法规处", "省安全厅", "省财政厅", "省科技厅"]);
        // By code point 财 (U+8D22) would come after 科 (U+79D1).
        assert!('财' > '科');
        let mut names = ["大连保护中心（辽宁省知识产权局）", "大连（辽宁省知识产权局）"];
        names.sort_by_key(|n| pinyin_key(n));
        assert_eq!(names[0], "大连（辽宁省知识产权局）");
        let mut names = ["javascript处", "办公室"];
        names.sort_by_key(|n| pinyin_key(n));
        assert_eq!(names, ["办公室", "javascript处"]);
    }
}
