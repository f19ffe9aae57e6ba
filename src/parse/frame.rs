//! Everything around the numbered body: the transmittal notice, the policy's
//! title, status, addressees and preamble, the closing paragraphs, the
//! signature (issuers and 成文日期), the 版记, and debris.
//!
//! Takes the classified lines and the body's bounds; fills `Document::meta`
//! and `Document::frame` and reports what is half there (a 字号 with [],
//! a date with month 13) as diagnostics. The rules follow GB/T 9704-2012
//! section 7 and what the seeds show real documents do.

use std::ops::Range;

use super::line::{Content, Line};
use super::lower::trimmed;
use super::numeral;
use super::prepare::Prepared;
use crate::diag::Diagnostic;
use crate::diag::registry::{DEBRIS, DOC_NUMBER_BRACKETS, IMPOSSIBLE_DATE};
use crate::text::is_space;
use crate::tree::{Debris, DebrisKind, Document, Frame, Notice, Paragraph, Span};

/// Where the body starts and ends among the lines: from the first marker
/// line to the first line after the last marker line that belongs to the
/// frame (a closing clause, a signature, a date, a footer).
pub fn body_bounds(lines: &[Line], prepared: &Prepared) -> (usize, usize) {
    // Numbered lines right under 附件： belong to the 附件说明, not the body.
    let mut in_note = false;
    let mut first = None;
    for (i, line) in lines.iter().enumerate() {
        match &line.content {
            Content::Text(r) => in_note = is_attachment_note(&prepared.text[r.clone()]),
            Content::Heading { .. } if !in_note => {
                first = Some(i);
                break;
            }
            _ => {}
        }
    }
    let Some(first) = first else {
        return (lines.len(), lines.len());
    };
    // The last marker line of the body, not of an 附件说明 listed under its
    // label alone (`附件：` / `1.《…细则》` / `2.《…细则》` before the
    // signature). A list that starts on the label's line (`附件：1.甲表`)
    // stays in reach of the numbering checks.
    let bare_note = |text: &str| matches!(text.trim_matches(is_space), "附件：" | "附件:");
    let mut in_note = false;
    let mut last = first;
    for (i, line) in lines.iter().enumerate().skip(first) {
        match &line.content {
            Content::Text(r) => in_note = bare_note(&prepared.text[r.clone()]),
            Content::Heading { .. } if !in_note => last = i,
            _ => {}
        }
    }
    let mut end = last + 1;
    // A marker alone on its line (`第六十五条` over `本规则自…起施行`, as a
    // page dump sets an article) has its words on the next text line,
    // whatever they say: they are the clause's, not the closing.
    if let Content::Heading { rest, .. } = &lines[last].content
        && prepared.text[rest.clone()].trim_matches(is_space).is_empty()
        && let Some(next) = lines[end..].iter().position(|l| !l.is_blank())
        && matches!(lines[end + next].content, Content::Text(_))
    {
        end += next + 1;
    }
    while end < lines.len() {
        let line = &lines[end];
        let tail = match &line.content {
            Content::Text(r) => {
                let text = &prepared.text[r.clone()];
                is_closing(text)
                    || is_date(text)
                    || is_issuer_line(text)
                    || starts_broken_issuer(text, lines.get(end + 1), prepared)
                    || is_imprint(text)
                    || is_attachment_label(text)
                    || bare_note(text)
            }
            Content::Debris(..) => true,
            _ => false,
        };
        if tail {
            break;
        }
        end += 1;
    }
    (first, end)
}

/// `国家发展` above `改革委`: a signature broken inside a unit's name.
fn starts_broken_issuer(text: &str, next: Option<&Line>, prepared: &Prepared) -> bool {
    let Some(Content::Text(r)) = next.map(|l| &l.content) else { return false };
    let next = prepared.text[r.clone()].trim_matches(is_space);
    text.chars().count() <= 6
        && next.chars().count() <= 6
        && !is_issuer_line(text)
        && is_issuer_line(&format!("{text}{next}"))
}

/// Lines where a further attachment starts: a `附件N` label (N ≥ 2) alone
/// on its line, after a numbered body has begun.
pub fn attachment_starts(lines: &[Line], prepared: &Prepared) -> Vec<usize> {
    let Some(first_heading) = lines.iter().position(|l| matches!(l.content, Content::Heading { .. })) else {
        return Vec::new();
    };
    lines
        .iter()
        .enumerate()
        .skip(first_heading + 1)
        .filter(|(_, l)| match &l.content {
            Content::Text(r) => {
                let text = prepared.text[r.clone()].trim_matches(is_space);
                is_attachment_label(text) && attachment_number(text).is_some_and(|n| n >= 2)
            }
            _ => false,
        })
        .map(|(i, _)| i)
        .collect()
}

fn attachment_number(label: &str) -> Option<u32> {
    let digits: String = label.chars().filter(|c| !is_space(*c)).skip(2).collect();
    numeral::parse_digits(&digits)
}

/// One text line of the frame.
#[derive(Clone)]
struct FrameLine {
    text: String,
    span: Span,
}

/// Fill `meta` and `frame` from the lines before and after the body.
pub fn build(
    document: &mut Document,
    lines: &[Line],
    first: usize,
    end: usize,
    tables: &[super::table::Found],
    prepared: &Prepared,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut frame = Frame::default();
    collect_debris(lines, prepared, &mut frame.debris, diagnostics);
    let text_lines = |range: Range<usize>| -> Vec<FrameLine> {
        lines[range]
            .iter()
            .filter_map(|l| match &l.content {
                // Outside the body a numbered line is text (an 附件说明 item).
                Content::Text(_) | Content::Heading { .. } => {
                    trimmed(prepared, l.content_range()).map(|(text, span)| FrameLine { text, span })
                }
                _ => None,
            })
            .collect()
    };
    let mut head = text_lines(0..first.min(lines.len()));
    let mut tail = text_lines(end.min(lines.len())..lines.len());
    // A Markdown heading on top is the document's own title (a law
    // collection's `# 标题` over its history), never a web page's `<title>`.
    let page_date = if head.first().is_some_and(|line| is_markdown_heading(prepared, line)) {
        drop_repeated_title(&mut head, &mut frame.debris, diagnostics);
        None
    } else {
        strip_page_chrome(&mut head, &mut frame.debris, diagnostics)
    };
    if first >= lines.len() {
        // No numbered body: the signature and date close the head.
        tail = split_signature(&mut head);
    }

    let policy_start = split_notice(&head, &mut frame, diagnostics);
    policy_head(&head[policy_start..], &mut frame, diagnostics);
    policy_tail(&tail, &mut frame, diagnostics);
    // Tables outside the body: before it with the preamble, after it with
    // the closing, each placed among their paragraphs by position.
    for found in tables.iter().filter(|t| t.lines.start < first || t.lines.start >= end) {
        let into = if found.lines.start < first { &mut frame.preamble_tables } else { &mut frame.closing_tables };
        into.push(found.table.clone());
    }
    super::table::place(&mut frame.preamble_tables, frame.preamble.iter().map(|p| p.span));
    super::table::place(&mut frame.closing_tables, frame.closing.iter().map(|p| p.span));

    // meta: the normalized facts.
    let meta = &mut document.meta;
    meta.title = frame.title.as_ref().map(|t| without_number_suffix(&single_spaced(&t.text)));
    meta.status = frame
        .status
        .as_ref()
        .map(|s| s.text.chars().filter(|&c| !matches!(c, '（' | '）' | '(' | ')') && !is_space(c)).collect())
        .or_else(|| meta.title.as_deref().and_then(title_status));
    meta.attachment = frame.attachment.as_ref().map(|a| a.text.clone());
    meta.notice_title = frame.notice.as_ref().and_then(|n| n.title.as_ref()).map(|t| t.text.clone());
    let notice_number = frame.notice.as_ref().and_then(|n| n.doc_number.as_ref());
    meta.doc_number =
        notice_number.or(frame.doc_number.as_ref()).map(|d| d.text.chars().filter(|c| !is_space(*c)).collect());
    let notice_date = frame.notice.as_ref().and_then(|n| n.date.as_ref());
    meta.date = notice_date
        .or(frame.date.as_ref())
        .and_then(|d| parse_date(&d.text).ok())
        .or_else(|| history_date(&frame.preamble))
        // A decree's line gives the date it was promulgated on
        // (`2017年11月22日 中华人民共和国国务院令第692号`).
        .or_else(|| {
            let line = frame.doc_number.as_ref()?;
            let text = prepared.source.text.get(line.span.start..line.span.end)?;
            crate::recognize::leading_date(text).map(|(date, _)| date)
        })
        .map(|d| d.iso());
    let notice_issuers = frame.notice.as_ref().map(|n| n.issuers.as_slice()).unwrap_or_default();
    let issuers = if notice_issuers.is_empty() { &frame.issuers } else { notice_issuers };
    meta.issuers = issuers.iter().map(|p| p.text.clone()).collect();
    let addressees = frame.notice.as_ref().and_then(|n| n.addressees.as_ref()).or(frame.addressees.as_ref());
    meta.addressees = addressees.map(|a| split_units(&a.text)).unwrap_or_default();
    meta.page_date = frame
        .debris
        .iter()
        .filter(|d| d.kind == DebrisKind::PageMeta)
        .find_map(|d| page_meta_date(&d.text))
        .or(page_date)
        .map(|d| d.iso());
    document.frame = frame;
}

/// The status a title carries at its end: 《…办法（试行）》, …（征求意见稿）.
fn title_status(title: &str) -> Option<String> {
    const STATUSES: [&str; 4] = ["征求意见稿", "试行", "暂行", "草案"];
    let inner = title.trim_end_matches(['》', '”']);
    if let Some(open) = inner.rfind(['（', '('])
        && inner.ends_with(['）', ')'])
    {
        let word = inner[open..].trim_start_matches(['（', '(']).trim_end_matches(['）', ')']);
        if let Some(status) = STATUSES.iter().find(|s| word == **s || word.ends_with(*s)) {
            return Some((*status).to_owned());
        }
    }
    // 暂行办法 names the policy's own status; 关于印发《…暂行办法》的通知 does not.
    (title.contains("暂行") && !title.contains('《')).then(|| "暂行".to_owned())
}

/// The date of a page-metadata line: 日期：2023年08月03日, 发布时间：2025/09/12,
/// 2019-04-28 00:00.
fn page_meta_date(text: &str) -> Option<Date> {
    let value = text.split_once(['：', ':']).map_or(text, |(_, v)| v);
    publication_line(text).or_else(|| find_date(value)).or_else(|| dashed_date(value))
}

/// A line that is a page's publication time and nothing else:
/// `2019-04-28 00:00`, `(发布日期：2025年12月24日`, `发布时间：2025/09/12`.
fn page_time(text: &str) -> Option<Date> {
    let t = text.trim_matches(|c: char| is_space(c) || matches!(c, '(' | ')' | '（' | '）'));
    const LABELS: [&str; 6] = ["发布日期", "发布时间", "发文日期", "日期", "时间", "更新时间"];
    if let Some(label) = LABELS.iter().find(|l| t.starts_with(*l)) {
        let value = t[label.len()..].trim_start_matches(['：', ':', ' ']);
        return find_date(value).or_else(|| dashed_date(value));
    }
    let date = dashed_date(t)?;
    t.chars().all(|c| c.is_ascii_digit() || matches!(c, '-' | '/' | '.' | ':' | ' ')).then_some(date)
}

/// The tokens of a page's font-size control, each on a line of its own in a
/// text dump.
const FONT_WIDGET: [&str; 16] =
    ["Aa", "A+", "A-", "A＋", "A－", "字体：", "字体:", "字号：", "字号:", "小", "中", "大", "|", "｜", "默认", "T"];

/// A page's line naming its source and publication time
/// (`信息来源：广州电力交易中心 发布时间：2025-06-22`): the date.
fn publication_line(text: &str) -> Option<Date> {
    if text.chars().count() > 60 {
        return None;
    }
    crate::recognize::publication_time(text).map(|(_, date)| date)
}

/// Words of a web page's navigation and controls, never of a policy's head.
const PAGE_WORDS: [&str; 16] = [
    "首页",
    "当前位置",
    "您的位置",
    "设为首页",
    "工作邮箱",
    "网站",
    "字体",
    "打印",
    "关闭",
    "分享",
    "扫一扫",
    "浏览次数",
    "返回",
    "收藏",
    "来源：",
    "来源:",
];

/// Strip what a web page's text dump puts above the policy: the page's
/// `<title>` (`【关于…的通知(发改价格〔2026〕114号)】-国家发展和改革委员会…`,
/// `关于…的通知_国家能源局山东监管办公室`), navigation, the publication time
/// and the font controls. The page title is recognised by the policy's
/// title repeating it further down; everything up to that repetition, and
/// the short control lines after it, is the page's. Returns the page's
/// publication date when it printed one.
fn strip_page_chrome(
    head: &mut Vec<FrameLine>,
    debris: &mut Vec<Debris>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Date> {
    let first = head.first()?;
    // The page title's parts: the title itself and the site's name, joined
    // by _ or -, the title maybe in 【】.
    let page_title = normalize_title(&first.text);
    let parts: Vec<&str> = page_title.split(['_', '【', '】', '—']).filter(|p| !p.is_empty()).collect();
    // The policy's title line repeating the page title, at most a page of
    // navigation further down.
    // The last repetition before the first sentence: an index table of
    // the page (公开事项名称 / 索引号 / 主办单位…) may name the title first.
    let repeat = head
        .iter()
        .enumerate()
        .skip(1)
        .take(80)
        .take_while(|(_, l)| !l.text.contains('。'))
        .filter(|(_, l)| {
            let t = normalize_title(&l.text);
            t.chars().count() >= 8
                && is_title_like(&l.text)
                && !is_unit(&l.text)
                && (t == page_title || parts.contains(&t.as_str()))
        })
        .map(|(i, _)| i)
        .last();
    // A dump that opens with the site's name and menu rather than the
    // page's `<title>`: the document's heading stands right above the
    // page's publication line (`信息来源：… 发布时间：2025-06-22`), under a run
    // of menu entries.
    let repeat = repeat.or_else(|| {
        let published = debris
            .iter()
            .filter(|d| d.kind == DebrisKind::PageMeta && publication_line(&d.text).is_some())
            .map(|d| d.span.start)
            .chain(head.iter().filter(|l| publication_line(&l.text).is_some()).map(|l| l.span.start))
            .min()?;
        let at = head.iter().position(|l| l.span.start >= published)?;
        if head[..at].iter().any(|l| l.text.contains('。')) {
            return None;
        }
        let menu = head.get(..at.checked_sub(1)?)?;
        let short = menu.iter().filter(|l| l.text.chars().count() <= 10).count();
        let heading = &head[at - 1].text;
        // Not when the first line is the page's title over a heading broken
        // over lines (the repetition above covers those pages).
        let opening: String = normalize_title(&first.text).chars().take(6).collect();
        if head[at.saturating_sub(4)..at].iter().any(|l| normalize_title(&l.text).starts_with(&opening)) {
            return None;
        }
        (menu.len() >= 6 && short * 3 >= menu.len() * 2 && heading.chars().count() >= 8 && !is_unit(heading))
            .then_some(at - 1)
    });
    // A page's heading with its 字号 in brackets (`关于印发…的通知(发改价格规
    // ﹝2017﹞2269号)`) over the body's own title, which holds it.
    let numbered_heading = {
        let core = normalize_title(&without_number_suffix(&first.text));
        let body: String = head.iter().skip(1).take(5).map(|l| normalize_title(&l.text)).collect();
        core != normalize_title(&first.text)
            && core.chars().count() >= 8
            && body.contains(core.split('（').next().unwrap_or(&core))
    };
    let looks_like_page = repeat.is_some()
        || numbered_heading
        || PAGE_WORDS.iter().any(|w| first.text.contains(w))
        || first.text.starts_with('【')
        || first.text.contains('_');
    if !looks_like_page {
        return None;
    }
    let mut drop = vec![false; head.len()];
    let mut page_date = None;
    let chrome_end = repeat.unwrap_or(0);
    drop[..chrome_end].iter_mut().for_each(|d| *d = true);
    if repeat.is_none() {
        drop[0] = true;
    }
    // After the title (or the page title when none repeats): navigation,
    // publication time and controls, up to the first line of substance.
    let mut i = if repeat.is_some() { chrome_end + 1 } else { 1 };
    while let Some(line) = head.get(i) {
        let text = line.text.as_str();
        if let Some(date) = page_time(text) {
            page_date = page_date.or(Some(date));
        } else if !(is_page_control(text) || (repeat.is_none() && is_navigation_line(text))) {
            break;
        }
        drop[i] = true;
        i += 1;
    }
    // The page title above the policy's own title, which the body repeats
    // (split over lines or with the issuer in front): the body's wins.
    if let Some(k) = repeat {
        let title = normalize_title(&head[k].text);
        let title = title.split('（').next().unwrap_or(&title).to_owned();
        // Or the body's title, broken over lines, holds the page title's
        // opening (`国家发展改革委关于印发《区域电网…` under `关于印发《区域电网…`).
        let body: String = head[i..].iter().take(5).map(|l| normalize_title(&l.text)).collect();
        let again = head[i..].iter().take(4).any(|l| {
            let t = normalize_title(&l.text);
            t.chars().count() >= 8 && (title.ends_with(&t) || t.ends_with(&title))
        }) || body_title_follows(&head[i..])
            || (title.chars().count() >= 8 && body.contains(&title));
        if again && i < head.len() {
            drop[k] = true;
        }
    }
    // The value of a page's label left alone on its line (`来源：` /
    // `国家发展改革委、国家能源局`): the line after it, when short.
    for label in debris.iter().filter(|d| d.kind == DebrisKind::PageMeta && d.text.trim_end().ends_with(['：', ':'])) {
        if let Some(at) = head.iter().position(|l| l.span.start >= label.span.end)
            && head[at].text.chars().count() <= 30
            && !head[at].text.contains(['。', '，'])
            && head[..at].iter().all(|l| !l.text.contains('。'))
        {
            drop[at] = true;
        }
    }
    // The font-size widget (`Aa`, `字体：`, `小 | 中 | 大`, one token a line)
    // anywhere above the first sentence: never a policy's words.
    for (at, line) in head.iter().enumerate().take_while(|(_, l)| !l.text.contains('。')) {
        let t = line.text.trim_matches(is_space);
        let bracketed_control = t.starts_with(['[', '【'])
            && t.ends_with([']', '】'])
            && t.chars().count() <= 12
            && PAGE_WORDS.iter().any(|w| t.contains(w));
        if FONT_WIDGET.contains(&t) || bracketed_control {
            drop[at] = true;
        }
    }
    // The page's publication time anywhere above the first sentence (the
    // chrome before a repeated title, or under the title: `(发布日期：…`).
    for (at, line) in head.iter().enumerate().take_while(|(_, l)| !l.text.contains('。')) {
        // A bare date under another label (制发日期:) is not the page's.
        let other_label = at > 0
            && head[at - 1].text.ends_with([':', '：'])
            && !head[at - 1].text.contains("发布")
            && !head[at - 1].text.contains("日期：");
        if let Some(date) = page_time(&line.text).or_else(|| publication_line(&line.text)).filter(|_| !other_label) {
            page_date = page_date.or(Some(date));
            drop[at] = true;
        }
    }
    let mut kept = Vec::with_capacity(head.len());
    for (line, dropped) in head.drain(..).zip(drop) {
        if dropped {
            diagnostics.push(
                Diagnostic::new(
                    &DEBRIS,
                    line.span,
                    format!(
                        "{} left out of the editions: `{}`",
                        DebrisKind::PageFurniture.describe(),
                        visible(&line.text)
                    ),
                )
                .with_help("delete the line from the source (policyc fmt does), or keep it: it is never published"),
            );
            debris.push(Debris { kind: DebrisKind::PageFurniture, text: line.text, span: line.span });
        } else {
            kept.push(line);
        }
    }
    *head = kept;
    page_date
}

/// The title a law collection prints again as the text's first line, under
/// its header block (maybe broken over two lines into one with a space):
/// debris, so that it is neither preamble nor a second title.
fn drop_repeated_title(head: &mut Vec<FrameLine>, debris: &mut Vec<Debris>, diagnostics: &mut Vec<Diagnostic>) {
    // Joint issuers may be spaced where the heading has 、 between them.
    let compact = |t: &str| t.chars().filter(|c| !is_space(*c) && *c != '、').collect::<String>();
    let Some(title) = head.first().map(|l| compact(&l.text)) else { return };
    let again = head
        .iter()
        .enumerate()
        .skip(1)
        .take(12)
        .take_while(|(_, l)| !l.text.contains('。'))
        .find(|(_, l)| compact(&l.text) == title)
        .map(|(i, _)| i);
    if let Some(i) = again {
        let line = head.remove(i);
        diagnostics.push(
            Diagnostic::new(
                &DEBRIS,
                line.span,
                format!("{} left out of the editions: `{}`", DebrisKind::RepeatedTitle.describe(), visible(&line.text)),
            )
            .with_help("delete the line from the source (policyc fmt does), or keep it: it is never published"),
        );
        debris.push(Debris { kind: DebrisKind::RepeatedTitle, text: line.text, span: line.span });
    }
}

/// Whether `line` is an ATX heading (`# 标题`) of a Markdown source.
fn is_markdown_heading(prepared: &Prepared, line: &FrameLine) -> bool {
    let text = &prepared.source.text;
    prepared.source.format == crate::source::Format::Markdown
        && text.get(..line.span.start).is_some_and(|before| {
            let start = before.rfind('\n').map_or(0, |i| i + 1);
            before[start..].trim_start().starts_with('#')
        })
}

/// Whether the lines open with a title of the document's own (关于…的通知,
/// maybe broken over up to three lines): then the page's heading above it
/// is the page's.
fn body_title_follows(lines: &[FrameLine]) -> bool {
    let mut joined = String::new();
    for line in lines.iter().take(3) {
        if !is_title_like(&line.text) || line.text.contains(['，', ',']) || is_unit(&line.text) {
            return false;
        }
        joined.push_str(&line.text);
        if ends_like_title(&joined) {
            return joined.contains("关于");
        }
    }
    false
}

/// A short line of page controls: `Aa`, `字体：`, `小`, `|`, `[ 打印 ]`, `朗读`,
/// or a 来源 value on its own line.
fn is_page_control(text: &str) -> bool {
    let n = text.chars().count();
    n <= 6 && !ends_like_title(text) && doc_number(text).is_none() && !is_date(text)
        || PAGE_WORDS.iter().any(|w| text.contains(w)) && n <= 20
        || (text.starts_with(['[', '【']) && n <= 12)
}

/// A navigation line: a menu entry or a breadcrumb (`/ 政务公开`, `>`).
fn is_navigation_line(text: &str) -> bool {
    let n = text.chars().count();
    n <= 8 || text.starts_with(['/', '>', '›', '»']) || PAGE_WORDS.iter().any(|w| text.contains(w))
}

/// In a document without a numbered body, the signature and date at its
/// end: from the issuer lines above the last date to the end. Returns
/// them, leaving the rest in `head`.
fn split_signature(head: &mut Vec<FrameLine>) -> Vec<FrameLine> {
    let Some(date_at) = head.iter().rposition(|l| is_date(&l.text)) else { return Vec::new() };
    if date_at == 0 {
        return Vec::new();
    }
    let mut start = date_at;
    while start > 1
        && (is_issuer_line(&head[start - 1].text)
            || (head[start - 1].text.chars().count() <= 6
                && is_issuer_line(&format!("{}{}", head[start - 1].text, head[start].text))))
    {
        start -= 1;
    }
    head.split_off(start)
}

/// Debris lines, Word residue and invisible characters, each reported once
/// as a note so nothing is dropped silently.
fn collect_debris(lines: &[Line], prepared: &Prepared, debris: &mut Vec<Debris>, diagnostics: &mut Vec<Diagnostic>) {
    for line in lines {
        let mut found: Vec<(DebrisKind, Range<usize>)> = Vec::new();
        if let Content::Debris(kind, r) = &line.content {
            found.push((*kind, r.clone()));
        }
        found.extend(line.residue.iter().map(|r| (DebrisKind::WordResidue, r.clone())));
        found.extend(line.invisible.iter().map(|r| (DebrisKind::Invisible, r.clone())));
        if prepared.has_invisible
            && let Content::Text(r) | Content::Heading { rest: r, .. } = &line.content
        {
            // Zero-width characters inside the text are debris too.
            for (i, c) in prepared.text[r.clone()].char_indices() {
                if matches!(c, '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}') {
                    let at = r.start + i;
                    found.push((DebrisKind::Invisible, at..at + c.len_utf8()));
                }
            }
        }
        for (kind, range) in found {
            let raw = &prepared.text[range.clone()];
            let text = raw.trim_matches(is_space).to_owned();
            let span = prepared.span(range);
            diagnostics.push(
                Diagnostic::new(
                    &DEBRIS,
                    span,
                    format!("{} left out of the editions: `{}`", kind.describe(), visible(&text)),
                )
                .with_help("delete the line from the source (policyc fmt does), or keep it: it is never published"),
            );
            debris.push(Debris { kind, text, span });
        }
    }
}

fn visible(text: &str) -> String {
    let shown: String = text
        .chars()
        .map(|c| {
            if c.is_whitespace() || c.is_control() || matches!(c, '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}') {
                '·'
            } else {
                c
            }
        })
        .take(40)
        .collect();
    if shown.is_empty() { "·".to_owned() } else { shown }
}

/// If the head holds a transmittal notice, fill `frame.notice` and return
/// the index of the policy's own title among `head`; else 0.
fn split_notice(head: &[FrameLine], frame: &mut Frame, diagnostics: &mut Vec<Diagnostic>) -> usize {
    // The notice names the policy it sends in 《》 next to 印发.
    let Some((named_at, sent)) =
        head.iter().enumerate().find_map(|(i, l)| sent_title(&l.text).map(|t| (i, t.to_owned())))
    else {
        return 0;
    };
    let wanted = normalize_title(&sent);
    // The policy's own title is the last line after the notice's sentence
    // that reads the same as the name in 《》 (a notice may repeat it).
    // The title may be broken over up to three lines.
    let reads_as_sent = |i: usize| {
        (1..=3).any(|n| {
            head.get(i..i + n)
                .is_some_and(|lines| lines.iter().map(|l| normalize_title(&l.text)).collect::<String>() == wanted)
        })
    };
    let title_at = (named_at + 1..head.len()).find(|&i| reads_as_sent(i)).or_else(|| {
        // Failing that, the first line after the notice's date and its
        // 附注 (`（联系电话：…）`, `（此件公开发布）`).
        let date = head.iter().enumerate().skip(named_at + 1).find(|(_, l)| is_date(&l.text)).map(|(i, _)| i)?;
        Some((date + 1..head.len()).find(|&i| !is_note(&head[i].text)).unwrap_or(head.len()))
    });
    let Some(mut title_at) = title_at.filter(|&i| i < head.len()) else {
        return 0;
    };
    // 附件1 above the title belongs to the policy, not the notice.
    if title_at > 0 && is_attachment_label(&head[title_at - 1].text) {
        title_at -= 1;
    }
    let mut notice = Notice::default();
    let mut seen_text = false;
    // A notice title broken over two lines (国家能源局关于印发 / 《…》的通知).
    let mut notice_lines: Vec<FrameLine> = head[..title_at].to_vec();
    if notice_lines.len() >= 2
        && !is_notice_title(&notice_lines[0].text)
        && doc_number(&notice_lines[0].text).is_none()
        && notice_lines[0].text.chars().count() <= 30
    {
        let joined = format!("{}{}", notice_lines[0].text, notice_lines[1].text);
        if is_notice_title(&joined) && is_title_like(&joined) {
            let end = notice_lines[1].span.end;
            notice_lines[0] = FrameLine { text: joined, span: Span { end, ..notice_lines[0].span } };
            notice_lines.remove(1);
        }
    }
    for line in &notice_lines {
        let text = line.text.as_str();
        let para = Paragraph { text: line.text.clone(), span: line.span };
        if notice.title.is_none() && !seen_text && is_notice_title(text) {
            notice.title = Some(para);
        } else if notice.title.is_none() && !seen_text && is_letterhead(text) {
            // The 发文机关标志 (`国家能源局华北监管局文件`) above the 字号 and
            // title: the notice's, and no sentence of it.
            notice.text.push(para);
        } else if notice.doc_number.is_none() && doc_number(text).is_some() {
            check_doc_number(line, diagnostics);
            notice.doc_number =
                Some(Paragraph { text: doc_number(text).unwrap_or_default().to_owned(), span: line.span });
        } else if notice.addressees.is_none() && !seen_text && is_addressee_line(text) {
            notice.addressees = Some(para);
        } else if is_date(text) {
            check_date(line, diagnostics);
            notice.date = Some(para);
        } else if is_note(text) {
            notice.notes.push(para);
        } else if seen_text && notice.date.is_none() && is_issuer_line(text) {
            notice.issuers.extend(split_issuers(line));
        } else {
            seen_text = true;
            notice.text.push(para);
        }
    }
    frame.notice = Some(notice);
    title_at
}

/// The policy's own head: attachment label, title (joined when broken over
/// lines), status, addressees, preamble.
fn policy_head(head: &[FrameLine], frame: &mut Frame, diagnostics: &mut Vec<Diagnostic>) {
    let mut i = 0;
    if let Some(line) = head.first().filter(|l| is_attachment_label(&l.text)) {
        frame.attachment = Some(Paragraph { text: line.text.clone(), span: line.span });
        i += 1;
    }
    if let Some(line) = head.get(i).filter(|l| doc_number(&l.text).is_some() && frame.notice.is_none()) {
        check_doc_number(line, diagnostics);
        frame.doc_number =
            Some(Paragraph { text: doc_number(&line.text).unwrap_or_default().to_owned(), span: line.span });
        i += 1;
    }
    if let Some(line) = head.get(i).filter(|l| is_title_like(&l.text)) {
        let mut text = line.text.clone();
        let mut span = line.span;
        i += 1;
        // A title broken over lines: join while the title does not yet end
        // the way titles end and the next line is short and not a status.
        while let Some(next) = head.get(i) {
            // Inside 《》 the title goes on whatever the next line looks like
            // (`关于转发《…关于印发` / `<` / `…方案> 的通知》的通知`).
            let open = text.matches('《').count() > text.matches('》').count();
            if open && next.text.chars().count() <= 40 && !next.text.contains('。') {
                text.push_str(&next.text);
                span.end = next.span.end;
                i += 1;
                continue;
            }
            if ends_like_title(&text)
                || !is_title_like(&next.text)
                || starts_with_date(&next.text)
                || doc_number(&next.text).is_some()
                || next.text.contains(['，', ','])
                || next.text.starts_with(['[', '【'])
                || PAGE_WORDS.iter().any(|w| next.text.contains(w))
                || is_status(&next.text)
                || is_addressee_line(&next.text)
            {
                break;
            }
            if next.text.chars().count() > 30 {
                break;
            }
            text.push_str(&next.text);
            span.end = next.span.end;
            i += 1;
        }
        frame.title = Some(Paragraph { text, span });
    }
    if let Some(line) = head.get(i).filter(|l| is_status(&l.text)) {
        frame.status = Some(Paragraph { text: line.text.clone(), span: line.span });
        i += 1;
    }
    // The 字号 of a document that is itself a notice: under its title, maybe
    // after a 版头 (…文件) or the page's 发布日期, before the first sentence.
    let mut number_at = None;
    if frame.notice.is_none() && frame.doc_number.is_none() {
        number_at = head
            .iter()
            .enumerate()
            .skip(i)
            .take_while(|(_, l)| !l.text.contains('。') && !is_addressee_line(&l.text))
            .find(|(_, l)| doc_number(&l.text).is_some())
            .map(|(at, _)| at);
        if let Some(line) = number_at.map(|at| &head[at]) {
            check_doc_number(line, diagnostics);
            frame.doc_number =
                Some(Paragraph { text: doc_number(&line.text).unwrap_or_default().to_owned(), span: line.span });
        }
    }
    for (at, line) in head.iter().enumerate().skip(i) {
        if Some(at) == number_at {
            continue;
        }
        let para = Paragraph { text: line.text.clone(), span: line.span };
        if frame.addressees.is_none() && frame.preamble.is_empty() && is_addressee_line(&line.text) {
            frame.addressees = Some(para);
        } else {
            frame.preamble.push(para);
        }
    }
}

/// A signature broken inside a unit's name (`国家发` / `展改革委`), as web
/// pages centre it: short fragments rejoined where together they name a unit.
fn rejoin_issuers(tail: &[FrameLine]) -> Vec<FrameLine> {
    let mut out: Vec<FrameLine> = Vec::with_capacity(tail.len());
    let mut i = 0;
    while i < tail.len() {
        let line = &tail[i];
        if let Some(next) = tail.get(i + 1)
            && line.text.chars().count() <= 6
            && next.text.chars().count() <= 6
            && !is_issuer_line(&line.text)
        {
            let joined = format!("{}{}", line.text, next.text);
            if is_issuer_line(&joined) {
                out.push(FrameLine { text: joined, span: Span { end: next.span.end, ..line.span } });
                i += 2;
                continue;
            }
        }
        out.push(line.clone());
        i += 1;
    }
    out
}

/// After the body: closing paragraphs, the signature, the date, the 版记.
fn policy_tail(tail: &[FrameLine], frame: &mut Frame, diagnostics: &mut Vec<Diagnostic>) {
    let tail = rejoin_issuers(tail);
    for line in &tail {
        let text = line.text.as_str();
        let para = Paragraph { text: line.text.clone(), span: line.span };
        if is_date(text) && frame.date.is_none() {
            check_date(line, diagnostics);
            frame.date = Some(para);
        } else if is_imprint(text) {
            frame.imprint.push(para);
        } else if frame.date.is_none() && is_issuer_line(text) && !is_closing(text) {
            frame.issuers.extend(split_issuers(line));
        } else {
            frame.closing.push(para);
        }
    }
}

/// Runs of white space of any width as one ASCII space: meta is normalized,
/// the frame keeps the text as written.
/// A title as a page's `<title>` gives it, its 字号 in brackets after it
/// (`…的通知(发改价格规﹝2017﹞2269号)`): the title alone. The 字号 is
/// `doc_number`'s.
fn without_number_suffix(title: &str) -> String {
    let Some(open) = title.rfind(['(', '（']) else { return title.to_owned() };
    let tail = &title[open..];
    let inner = tail.trim_start_matches(['(', '（']).trim_end_matches([')', '）']);
    if open > 0 && tail.ends_with([')', '）']) && doc_number(inner).is_some() {
        title[..open].trim_end_matches(is_space).to_owned()
    } else {
        title.to_owned()
    }
}

fn single_spaced(text: &str) -> String {
    text.split(is_space).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

// ------------------------------------------------------------------ shapes

/// The title in 《》 of a notice that sends a policy: 印发《X》 (关于印发《X》
///的通知 has it after 印发; 现将《X》印发给你们, before).
pub fn sent_title(text: &str) -> Option<&str> {
    let at = text.find("印发")?;
    let pick = |s: &str, base: usize| -> Option<(usize, usize)> {
        let open = s.find('《')?;
        let close = s[open..].find('》')? + open;
        Some((base + open + '《'.len_utf8(), base + close))
    };
    let (start, end) = pick(&text[at..], at).or_else(|| pick(&text[..at], 0))?;
    Some(&text[start..end])
}

/// Titles compared as a reader would: no spaces, one width of brackets and
/// dashes.
pub fn normalize_title(text: &str) -> String {
    text.chars()
        .filter(|&c| !is_space(c))
        .map(|c| match c {
            '(' => '（',
            ')' => '）',
            '-' | '－' | '–' | '—' => '—',
            c => c,
        })
        .collect::<String>()
        .replace("——", "—")
}

fn is_notice_title(text: &str) -> bool {
    text.contains("通知") && (text.contains("印发") || text.contains("转发") || text.starts_with("关于"))
}

/// 关于……的若干措施, 2021年……工作要点: short, no sentence punctuation.
fn is_title_like(text: &str) -> bool {
    let n = text.chars().count();
    (2..=150).contains(&n)
        && !text.ends_with(['。', '，', ',', '；', ';', '：', ':'])
        && !is_date(text)
        && !is_status(text)
        && !text.contains('。')
}

fn ends_like_title(text: &str) -> bool {
    const ENDINGS: [&str; 23] = [
        "措施", "方案", "意见", "要点", "计划", "办法", "规定", "条例", "通知", "细则", "纲要", "规划", "决定", "规则",
        "指引", "通告", "公告", "决议", "批复", "报告", "年）", "年)", "函",
    ];
    ENDINGS.iter().any(|e| text.ends_with(e))
}

fn is_status(text: &str) -> bool {
    let inner = text.trim_start_matches(['（', '(']).trim_end_matches(['）', ')']);
    // Set letter-spaced under a title as often as not: `（ 试 行 ）`.
    let packed: String = inner.chars().filter(|&c| !is_space(c)).collect();
    inner.len() < text.len()
        && matches!(
            packed.as_str(),
            "征求意见稿" | "试行" | "暂行" | "送审稿" | "草案" | "修订稿" | "讨论稿" | "修订草案" | "草案征求意见稿"
        )
}

fn is_attachment_label(text: &str) -> bool {
    let rest = text.strip_prefix("附件").unwrap_or(text);
    rest.len() < text.len() && rest.chars().all(|c| c.is_ascii_digit() || ('０'..='９').contains(&c) || is_space(c))
}

/// 附件：1.…: the list of attachments a notice or policy sends.
fn is_attachment_note(text: &str) -> bool {
    let t = text.trim_start_matches(is_space);
    t.starts_with("附件：") || t.starts_with("附件:")
}

/// A 版头's 发文机关标志: a unit's name and 文件 (`国家能源局华北监管局文件`).
fn is_letterhead(text: &str) -> bool {
    let t: String = text.chars().filter(|c| !is_space(*c)).collect();
    t.strip_suffix("文件").is_some_and(|unit| is_unit(unit) || is_issuer_line(unit)) && t.chars().count() <= 40
}

fn is_addressee_line(text: &str) -> bool {
    text.ends_with(['：', ':']) && !text.contains('。') && text.chars().count() >= 3
}

fn is_note(text: &str) -> bool {
    let inner = text.trim_start_matches(['（', '(']);
    inner.len() < text.len()
        && (inner.starts_with("联系人") || inner.starts_with("此件") || inner.starts_with("联系电话"))
}

fn is_imprint(text: &str) -> bool {
    text.starts_with("抄送")
        || (text.contains("印发") && find_date(text).is_some() && text.chars().count() < 60 && !text.contains('《'))
}

/// A 施行 clause or another closing sentence of the policy.
pub fn is_closing(text: &str) -> bool {
    let head: String = text.chars().take(40).collect();
    (head.starts_with('本')
        && (head.contains("施行")
            || head.contains("实施")
            || head.contains("执行")
            || head.contains("生效")
            || head.contains("解释")))
        || head.contains("有效期")
}

/// Organization names that end the way units end.
const UNIT_SUFFIXES: [&str; 27] = [
    "局",
    "厅",
    "委员会",
    "委",
    "办公室",
    "办",
    "中心",
    "政府",
    "部",
    "院",
    "会",
    "处",
    "室",
    "所",
    "署",
    "行",
    "社",
    "团",
    "工会",
    "集团",
    "公司",
    "馆",
    "站",
    "队",
    "组",
    "司",
    "庭",
];

fn is_unit(text: &str) -> bool {
    let n = text.chars().count();
    // A page's own links (`12398能源监管热线网站`) end like units too.
    (2..=40).contains(&n)
        && UNIT_SUFFIXES.iter().any(|s| text.ends_with(s))
        && !PAGE_WORDS.iter().any(|w| text.contains(w))
}

/// A signature line: units only, separated by white space, no punctuation.
pub fn is_issuer_line(text: &str) -> bool {
    if text.contains(['。', '，', ',', '；', '：', ':', '、', '《']) {
        return false;
    }
    let units = split_unit_words(text);
    !units.is_empty() && units.iter().all(|u| is_unit(u))
}

/// Split a signature line into units: runs of two or more spaces always
/// separate; a single space separates only where the left side is a whole
/// unit (四川省市场监督管理局 四川省知识产权服务促进中心), otherwise it is a
/// stray space inside a name (中共 四川省委…) and is dropped.
fn split_unit_words(text: &str) -> Vec<String> {
    let mut units = Vec::new();
    for column in split_wide(text) {
        let mut current = String::new();
        for word in column.split(is_space).filter(|w| !w.is_empty()) {
            if !current.is_empty() && is_unit(&current) && word.chars().count() >= 2 {
                units.push(std::mem::take(&mut current));
            }
            current.push_str(word);
        }
        if !current.is_empty() {
            units.push(current);
        }
    }
    units
}

/// Split on runs of two or more white-space characters.
fn split_wide(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut run_start = None;
    let mut run = 0;
    for (i, c) in text.char_indices() {
        if is_space(c) {
            if run == 0 {
                run_start = Some(i);
            }
            run += 1;
        } else {
            if run >= 2 {
                if let Some(rs) = run_start {
                    out.push(&text[start..rs]);
                }
                start = i;
            }
            run = 0;
        }
    }
    out.push(&text[start..]);
    out.into_iter().map(|s| s.trim_matches(is_space)).filter(|s| !s.is_empty()).collect()
}

fn split_issuers(line: &FrameLine) -> Vec<Paragraph> {
    split_unit_words(&line.text).into_iter().map(|text| Paragraph { text, span: line.span }).collect()
}

/// Addressees split into single units: 、 ， , ； separate.
pub fn split_units(text: &str) -> Vec<String> {
    let body = text.trim_end_matches(['：', ':']);
    let mut units = Vec::new();
    let mut depth = 0i32;
    let mut current = String::new();
    for c in body.chars() {
        match c {
            '(' | '（' => depth += 1,
            ')' | '）' => depth -= 1,
            _ => {}
        }
        if depth <= 0 && matches!(c, '、' | '，' | ',' | '；' | ';') {
            push_unit(&mut units, &mut current);
        } else if !is_space(c) {
            current.push(c);
        }
    }
    push_unit(&mut units, &mut current);
    units
}

fn push_unit(units: &mut Vec<String>, current: &mut String) {
    let unit = std::mem::take(current);
    if !unit.is_empty() {
        units.push(unit);
    }
}

// ------------------------------------------------------------- 发文字号

pub use crate::recognize::doc_number;

fn check_doc_number(line: &FrameLine, diagnostics: &mut Vec<Diagnostic>) {
    let text = line.text.as_str();
    if let Some(pos) = text.find(['[', '［', '(', '（', '【']) {
        let open = text[pos..].chars().next().unwrap_or('[');
        // From the opening bracket to the end of the closing one (or of the
        // opening one, when none closes), whatever their widths.
        let end = text[pos..]
            .char_indices()
            .find(|(_, c)| matches!(c, ']' | '］' | ')' | '）' | '】'))
            .map_or(pos + open.len_utf8(), |(at, c)| pos + at + c.len_utf8());
        // A 字号 rejoined from several lines is no longer the file's bytes
        // one for one: the whole line is pointed at then.
        let span = if line.span.end - line.span.start == text.len() {
            Span {
                start: line.span.start + pos,
                end: line.span.start + end,
                line: line.span.line,
                column: line.span.column + text[..pos].chars().count() as u32,
            }
        } else {
            line.span
        };
        diagnostics.push(
            Diagnostic::new(
                &DOC_NUMBER_BRACKETS,
                span,
                format!("the year in the 发文字号 `{text}` is in `{open}`, not in the hexagonal brackets 〔〕"),
            )
            .with_help("GB/T 9704-2012 7.2.4: write the year as 〔2021〕"),
        );
    }
}

// ------------------------------------------------------------------- dates

pub use crate::recognize::{Date, DateError, dashed_date, find_date, is_date, parse_date};

/// Whether `text` opens with a date (`1984年2月27日 发布`).
/// A line of a law collection's header block rather than of the text: the
/// adoption and revision history (`2020年6月24日 郑州市第十五届……通过`,
/// `（2009年8月27日……通过 根据……修正）` and its pieces over several lines,
/// a bracket alone on its line), the 公布/施行 lines, or 目录. It is frame:
/// the text rules do not read it as the policy's prose.
pub fn is_history_line(text: &str) -> bool {
    const ACTS: [&str; 9] = ["通过", "修订", "修正", "修改", "批准", "发布", "公布", "施行", "废止"];
    let t = text.trim_matches(is_space);
    if matches!(t, "（" | "(" | "）" | ")" | "目录" | "目  录" | "目　录") {
        return true;
    }
    let inner = t.trim_start_matches(['（', '(']).trim_end_matches(['）', ')']);
    let dated = starts_with_date(inner) || (inner.starts_with("根据") && !dates_in(inner).is_empty());
    // A sentence of the text ends with 。; a history entry names an act.
    dated && !t.ends_with('。') && ACTS.iter().any(|a| t.contains(a))
}

fn starts_with_date(text: &str) -> bool {
    dates_in(text).first().is_some_and(|(at, _)| *at == 0)
}

/// Every well-formed date in `text` (Arabic or Chinese numerals), with its
/// byte offset.
pub fn dates_in(text: &str) -> Vec<(usize, Date)> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices('年') {
        let start = text[..at]
            .char_indices()
            .rev()
            .take(4)
            .take_while(|(_, c)| {
                c.is_ascii_digit()
                    || ('０'..='９').contains(c)
                    || matches!(c, '〇' | '零' | 'Ｏ')
                    || numeral::parse(&c.to_string()).is_some_and(|d| d < 10)
            })
            .last()
            .map(|(i, _)| i);
        let Some(start) = start else { continue };
        let Some(end) =
            text[at..].char_indices().take(12).find(|(_, c)| *c == '日').map(|(i, _)| at + i + '日'.len_utf8())
        else {
            continue;
        };
        if let Ok(date) = parse_date(&text[start..end]) {
            out.push((start, date));
        }
    }
    out
}

/// The date of a law's latest adoption, revision or amendment, from the
/// history a law collection prints under the title (`2024年5月26日 《国务院
/// 关于修改…的决定》第四次修订`); a date that only says when the law takes
/// effect (`2005年12月21日 施行`) is not one. Only the entries at the top of
/// the head count: lines that open with a date or with 根据, each with the
/// lines that finish it.
fn history_date(head: &[Paragraph]) -> Option<Date> {
    const ACTS: [&str; 8] = ["通过", "修订", "修正", "修改", "批准", "发布", "公布", "决定"];
    let acts = |t: &str| ACTS.iter().any(|a| t.contains(a));
    // An entry ends with its act (通过, 第一次修正, 施行), a decree's number or
    // its closing bracket; one that does not goes on on the next line (an
    // act's name in 《》 may hold 修改 and 决定 itself).
    let finished = |t: &str| {
        let t = t.trim_end_matches(is_space);
        ACTS.iter().chain(&["施行", "号", "）", ")"]).any(|end| t.ends_with(end))
    };
    // The history may stand in brackets, over one line or several
    // (`（2013年1月21日……通过,根据……修正）`, or `（` alone on its line), and an
    // entry may be broken over lines (`2013年2月26日 青岛市…常务委员会` /
    // `第九次会议通过`, `1984年1月7日 国务院` / `中央军委发布`).
    let inner = |p: &Paragraph| p.text.trim_start_matches(['（', '(']).to_owned();
    let mut entries: Vec<String> = Vec::new();
    for p in head.iter().filter(|p| !matches!(p.text.trim_matches(is_space), "（" | "(" | "）" | ")")) {
        let t = inner(p);
        if starts_with_date(&t) || (t.starts_with("根据") && !dates_in(&t).is_empty()) {
            entries.push(t);
        } else if let Some(last) = entries.last_mut().filter(|last| !finished(last) && !t.contains('。')) {
            last.push_str(&t);
        } else {
            break;
        }
    }
    entries
        .iter()
        .flat_map(|text| {
            let dates = dates_in(text);
            let ends: Vec<usize> = dates.iter().skip(1).map(|(at, _)| *at).chain([text.len()]).collect();
            dates
                .into_iter()
                .zip(ends)
                .filter(|((at, _), end)| {
                    let entry = &text[*at..*end];
                    // An act (通过, 修正…), a decree that promulgated it
                    // (国务院令第692号), or the date alone (`1985年12月30日`):
                    // not a date that says only when the law takes effect.
                    acts(entry)
                        || doc_number(entry.trim_end_matches(['）', ')'])).is_some()
                        || parse_date(entry.trim_end_matches(['）', ')'])).is_ok()
                })
                .map(|((_, d), _)| d)
                .collect::<Vec<_>>()
        })
        .max_by_key(|d| (d.year, d.month, d.day))
}

fn check_date(line: &FrameLine, diagnostics: &mut Vec<Diagnostic>) {
    if let Err(DateError::Impossible { year, month, day }) = parse_date(&line.text) {
        diagnostics.push(
            Diagnostic::new(
                &IMPOSSIBLE_DATE,
                line.span,
                format!("`{}` is not a date: {year} has no day {day} in month {month}", line.text),
            )
            .with_help("correct the 成文日期; it is left out of meta.date until it is a real date"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(parse_date("2021年3月1日").map(Date::iso), Ok("2021-03-01".into()));
        assert_eq!(parse_date("2023年08月03日").map(Date::iso), Ok("2023-08-03".into()));
        assert_eq!(parse_date("二〇二三年三月九日").map(Date::iso), Ok("2023-03-09".into()));
        assert_eq!(parse_date("2023年13月1日"), Err(DateError::Impossible { year: 2023, month: 13, day: 1 }));
        assert_eq!(parse_date("2023年2月29日"), Err(DateError::Impossible { year: 2023, month: 2, day: 29 }));
        assert_eq!(parse_date("2021年是开局之年"), Err(DateError::NotADate));
    }

    #[test]
    fn issuers() {
        assert_eq!(
            split_unit_words("四川省知识产权服务促进中心      中共 四川省委军民融合发展委员会办公室"),
            ["四川省知识产权服务促进中心", "中共四川省委军民融合发展委员会办公室"]
        );
        assert_eq!(
            split_unit_words("四川省市场监督管理局 四川省知识产权服务促进中心"),
            ["四川省市场监督管理局", "四川省知识产权服务促进中心"]
        );
        assert_eq!(
            split_unit_words("四川省人力资源和社会保障厅     四川省 农业农村厅"),
            ["四川省人力资源和社会保障厅", "四川省农业农村厅"]
        );
        assert!(!is_issuer_line("2021年四川省知识产权工作要点"));
    }

    #[test]
    fn doc_numbers() {
        assert_eq!(doc_number("川市监发〔2021〕21号"), Some("川市监发〔2021〕21号"));
        assert_eq!(doc_number("川市监发[2021]21号"), Some("川市监发[2021]21号"));
        assert_eq!(doc_number("本办法第十二条规定的号"), None);
    }

    #[test]
    fn units() {
        assert_eq!(
            split_units("各市(州)市场监管局(知识产权局)、 军民融合办,各有关单位:"),
            ["各市(州)市场监管局(知识产权局)", "军民融合办", "各有关单位"]
        );
    }
}
