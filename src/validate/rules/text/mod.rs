//! The text itself: punctuation width, stray spaces, paired brackets and
//! quotes, repeated passages, clause endings, empty clauses. One file per
//! rule or pair of rules; this one holds what they share: where a law
//! collection's header block and a web page's footer are (no text rule
//! reads them as the policy's prose) and the one-diagnostic-for-many-places
//! form.

mod brackets;
mod endings;
mod punctuation;
mod repeats;
mod spaces;
#[cfg(test)]
mod tests;

use crate::diag::registry::{
    EMPTY_CLAUSE, HALF_WIDTH_PUNCTUATION, MISSING_TERMINAL_PUNCTUATION, REPEATED_SENTENCE, Rule, STRAY_SPACE,
    UNBALANCED_BRACKETS,
};
use crate::diag::{Applicability, Diagnostic, Edit, Fix};
use crate::text::{is_cjk, is_space};
use crate::validate::Context;

/// The spans of the frame paragraphs that are a law collection's header
/// block, not the policy's prose: everything before its `<!-- INFO END -->`,
/// and history lines (`2020年6月24日 郑州市第十五届……通过`, the bracketed
/// revision history) anywhere in the preamble. The collection lays them out
/// with spaces and splits the bracketed history over lines, so the text
/// rules would read layout as defects. Sorted by start.
pub(super) fn header_block(cx: &Context) -> Vec<(usize, usize)> {
    let end = cx.source.text.find("<!-- INFO END -->").unwrap_or(0);
    let mut out: Vec<(usize, usize)> = cx
        .document
        .frame
        .preamble
        .iter()
        .filter(|p| p.span.end <= end || crate::parse::frame::is_history_line(&p.text))
        .map(|p| (p.span.start, p.span.end))
        .collect();
    out.sort_unstable();
    out
}

/// Whether `region` is one of the `header` paragraphs, or a web page's
/// footer that its text dump carries after the document (`地址: 济南市…`,
/// `扫一扫在手机打开当前页`, a help line's phone numbers): the site's, not
/// the policy's, so its layout is not the policy's defect.
pub(super) fn in_header(header: &[(usize, usize)], region: &crate::validate::Region) -> bool {
    header.binary_search(&(region.span.start, region.span.end)).is_ok()
}

/// Words only a page's furniture carries; `地址` and `电话` lines count only
/// after the document's date (see [`page_footer`]).
pub(super) const PAGE_ONLY: [&str; 17] = [
    "网安备",
    "监督热线",
    "扫一扫",
    "在手机打开",
    "办证咨询",
    "网站标识码",
    "ICP备",
    "版权所有",
    "公网安备",
    "留言时请注明",
    "主办单位",
    "相关导读",
    "服务热线",
    "[ 打印",
    "【打印】",
    "关闭窗口",
    "接听时间",
];

pub(super) const CONTACT: [&str; 9] =
    ["地址：", "地址:", "邮编", "联系电话", "值班电话", "传真：", "联系人", "邮箱", "电话："];

/// The regions of a web page's footer (see [`in_header`]): a line with
/// words only a page carries, or a contact line after the 成文日期 (or
/// anywhere, with `contacts`: a contact line's spaces pad names, `张 晨`).
pub(super) fn page_footer(cx: &Context, region: &crate::validate::Region, contacts: bool, footer_from: usize) -> bool {
    let text = cx.text(region.span);
    let dated_before = cx.document.frame.date.as_ref().is_some_and(|d| d.span.end <= region.span.start);
    // A contact block pads its labels to one width (`传 真：`).
    let packed: String = text.chars().filter(|&c| !is_space(c)).collect();
    region.span.start >= footer_from
        || PAGE_ONLY.iter().any(|w| text.contains(w))
        || file_name(text)
        || ((dated_before || contacts) && (CONTACT.iter().any(|w| packed.contains(w)) || ends_with_phone(text)))
}

/// Where a web page's footer begins: the first line after the 成文日期
/// that only a page carries (`扫一扫在手机打开当前页`, `网站地图`,
/// `相关政策与解读`). What follows it (related links, the site's address,
/// its hotline's hours) is the site's, whatever words it has.
pub(super) fn footer_start(cx: &Context) -> usize {
    let Some(date) = &cx.document.frame.date else { return usize::MAX };
    let text = cx.source.text.as_str();
    let mut at = date.span.end.min(text.len());
    for line in text[at..].split_inclusive('\n') {
        let t = line.trim_matches(is_space);
        if PAGE_ONLY.iter().any(|w| t.contains(w)) || SERVICE.contains(&t.trim_end_matches(['：', ':'])) {
            return at;
        }
        at += line.len();
    }
    usize::MAX
}

/// A page's service labels, each a line of its own.
pub(super) const SERVICE: [&str; 15] = [
    "政策解读",
    "政策性文件留言咨询",
    "相关附件",
    "相关链接",
    "相关文件",
    "相关稿件",
    "附件下载",
    "网站地图",
    "联系我们",
    "图片解读",
    "文字解读",
    "分享到",
    "相关政策与解读",
    "相关政策",
    "排行榜",
];

/// A contact line: it ends with a telephone number (`张 晨 85253859`,
/// `027-88717600`), seven digits or more.
pub(super) fn ends_with_phone(text: &str) -> bool {
    let t = text.trim_end_matches(is_space);
    let tail = t.len() - t.trim_end_matches(|c: char| c.is_ascii_digit() || c == '-').len();
    t[t.len() - tail..].chars().filter(char::is_ascii_digit).count() >= 7
}

/// Lines a page or the document's frame sets under a clause's last words:
/// the 附件说明 (`附件：…`, `附件1.…`) and every line after it, a contact
/// note (`联系人：…`), and a page's service labels (`政策解读`).
pub(super) fn ends_clause_words(text: &str) -> bool {
    let t = text.trim_matches(is_space).trim_start_matches(['（', '(']);
    let attachment = t.strip_prefix("附件").is_some_and(|rest| {
        rest.is_empty()
            || rest.starts_with(['：', ':', ' ', '\u{3000}'])
            || rest.starts_with(|c: char| c.is_ascii_digit() || ('０'..='９').contains(&c))
    });
    let label = t.trim_end_matches(['：', ':']);
    // The closing formula (`特此通知`, `特此公告`) is the frame's.
    let formula = t.starts_with("特此") && t.chars().count() <= 6;
    attachment
        || formula
        || SERVICE.contains(&label)
        || ["联系人", "联系电话", "联系方式"].iter().any(|w| t.starts_with(w))
}

/// A paragraph of page furniture or a file name a web page lists under the
/// document (`扫一扫在手机打开当前页`, `分享`, `…修订内容.pdf`): not the
/// words a clause ends with.
pub(super) fn page_furniture(text: &str) -> bool {
    let t = text.trim_matches(is_space);
    PAGE_ONLY.iter().any(|w| t.contains(w))
        || matches!(t, "分享" | "打印" | "关闭" | "收藏")
        // A link's address or its tail (`8-ee56035f17a2`): no Chinese at all.
        || (!t.is_empty() && !t.chars().any(is_cjk))
        || file_name(t)
}

/// A file's name a page lists under the document (`…修订内容.pdf`): a
/// link's text, not the document's prose, whatever its spaces and brackets.
pub(super) fn file_name(text: &str) -> bool {
    let lower = text.trim_matches(is_space).to_ascii_lowercase();
    [".pdf", ".doc", ".docx", ".xls", ".xlsx", ".wps", ".ofd", ".zip", ".rar", ".txt"]
        .iter()
        .any(|e| lower.ends_with(e))
}

/// How many places a once-per-document diagnostic names.
pub(super) const FIRST_PLACES: usize = 3;

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    if cx.enabled(&HALF_WIDTH_PUNCTUATION) {
        punctuation::half_width(cx, out);
    }
    if cx.enabled(&STRAY_SPACE) {
        spaces::stray_spaces(cx, out);
    }
    if cx.enabled(&UNBALANCED_BRACKETS) {
        brackets::brackets(cx, out);
    }
    if cx.enabled(&REPEATED_SENTENCE) {
        repeats::repeats(cx, out);
    }
    if cx.enabled(&MISSING_TERMINAL_PUNCTUATION) || cx.enabled(&EMPTY_CLAUSE) {
        endings::clause_ends(cx, out);
    }
}

/// One diagnostic for a defect found at many places: the first is the
/// primary span, the next few are named, the fix covers all.
pub(super) fn once_per_document(
    cx: &Context,
    rule: &'static Rule,
    places: Vec<Edit>,
    what: String,
    help: &str,
    applicability: Applicability,
) -> Diagnostic {
    let named: Vec<String> =
        places.iter().take(FIRST_PLACES).map(|e| format!("{}:{}", e.span.line, e.span.column)).collect();
    let more = if places.len() > FIRST_PLACES { ", …" } else { "" };
    let mut d = cx
        .diagnostic(rule, places[0].span, format!("{what}; first at {}{more}", named.join(", ")))
        .with_help(help.to_owned());
    for e in places.iter().skip(1).take(FIRST_PLACES - 1) {
        d = d.with_related(e.span, "and here");
    }
    d.with_fix(Fix { applicability, edits: places })
}

/// The character before `at` and after `end`, skipping nothing.
pub(super) fn neighbours(text: &str, at: usize, end: usize) -> (Option<char>, Option<char>) {
    (text[..at].chars().next_back(), text[end..].chars().next())
}
