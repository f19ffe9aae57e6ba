//! The frame (GB/T 9704-2012 section 7): 发文字号, 成文日期, the notice and
//! the policy it sends, the attachment note. (Brackets of the 字号 and
//! impossible dates are found while parsing: F001, F002.)

use crate::diag::{Applicability, Diagnostic, Edit, Fix};
use crate::parse::frame::{normalize_title, parse_date, sent_title};
use crate::parse::lower::is_space;
use crate::tree::Paragraph;
use crate::validate::Context;
use crate::validate::registry::{Level, Rule};

pub const DOC_NUMBER_FORMAT: Rule = Rule {
    code: "F004",
    name: "doc-number-format",
    level: Level::Error,
    doc: "## What it does\nChecks the serial number of a 发文字号: no leading zeros, no 第, and 号 at the end.\n\n## Why is this bad\nGB/T 9704-2012 7.2.4: the 发文字号 is the issuer code, the year in 〔〕 and the serial number, written 川市监发〔2021〕21号 — not 〔2021〕021号 or 〔2021〕第21号. Registries and citations match the exact form.\n\n## Example\n```text\n川市监发〔2021〕第021号\n```\nUse instead:\n```text\n川市监发〔2021〕21号\n```",
};

pub const DATE_ZERO_PADDED: Rule = Rule {
    code: "F005",
    name: "date-zero-padded",
    level: Level::Warning,
    doc: "## What it does\nFinds a 成文日期 whose month or day is written with a leading zero.\n\n## Why is this bad\nGB/T 9704-2012 7.3.5.1 writes the year in full and the month and day without leading zeros: 2023年3月9日. A zero-padded date is a web page's or a database's format, not the document's.\n\n## Example\n```text\n2023年03月09日\n```\nUse instead:\n```text\n2023年3月9日\n```",
};

pub const NOTICE_TITLE_MISMATCH: Rule = Rule {
    code: "F006",
    name: "notice-title-mismatch",
    level: Level::Warning,
    doc: "## What it does\nCompares the title a transmittal notice names in 《》 (关于印发《X》的通知, 现将《X》印发给你们) with the title of the policy it sends, ignoring spaces and the width of brackets.\n\n## Why is this bad\nThe notice and the policy are published together; when the names differ, one of them was edited and the other not, and readers cite two titles for one document.\n\n## Example\n```text\n关于印发《知识产权工作要点》的通知\n……\n2021年四川省知识产权工作要点\n```",
};

pub const ATTACHMENT_COUNT_MISMATCH: Rule = Rule {
    code: "F007",
    name: "attachment-count-mismatch",
    level: Level::Warning,
    doc: "## What it does\nCounts the attachments an 附件说明 (附件：1.…… 2.……) lists and compares them with the attachments (附件1, 附件2 …) the document holds, when it holds any.\n\n## Why is this bad\nThe 附件说明 is the reader's list of what comes with the document; a different number means an attachment is missing or the list was not updated.\n\n## Example\n```text\n附件：1.实施方案\n      2.任务分工表\n……\n附件1\n```",
};

pub const PAGE_DATE_MISMATCH: Rule = Rule {
    code: "F008",
    name: "page-date-mismatch",
    level: Level::Warning,
    doc: "## What it does\nCompares the 成文日期 a web page states in its info table (信息公开: 成文日期 / 制发日期) with the date at the document's signature, when the source is a saved page.\n\n## Why is this bad\nThe info table is filled by the site's editor, the signature by the issuer; when they differ, one was typed wrong, and an index built from the page gives readers a date the document does not bear.\n\n## Example\n```text\n成文日期：2024-09-12   (info table)\n……\n2024年9月13日          (signature)\n```",
};

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let frame = &cx.document.frame;
    let notice = frame.notice.as_ref();
    if cx.enabled(&DOC_NUMBER_FORMAT) {
        match notice.and_then(|n| n.doc_number.as_ref()) {
            Some(number) => doc_number(cx, number, out),
            None => head_doc_number(cx, out),
        }
    }
    if cx.enabled(&DATE_ZERO_PADDED) {
        for date in notice.and_then(|n| n.date.as_ref()).into_iter().chain(&frame.date) {
            zero_padded(cx, date, out);
        }
    }
    if cx.enabled(&NOTICE_TITLE_MISMATCH) {
        title_mismatch(cx, out);
    }
    if cx.enabled(&PAGE_DATE_MISMATCH) {
        page_date(cx, out);
    }
    if cx.enabled(&ATTACHMENT_COUNT_MISMATCH) {
        attachments(cx, out);
    }
}

/// The info table's 成文日期 against the signature's.
fn page_date(cx: &Context, out: &mut Vec<Diagnostic>) {
    let document = cx.document;
    let Some(stated) = document.frame.evidence.iter().find(|e| e.field == "date" && e.from.starts_with("info table"))
    else {
        return;
    };
    let Some(page) = crate::source::html::iso_date(&stated.value) else { return };
    let signed = document.frame.notice.as_ref().and_then(|n| n.date.as_ref()).or(document.frame.date.as_ref());
    let (Some(signed), Some(date)) = (signed, document.meta.date.as_deref()) else { return };
    if page == date {
        return;
    }
    out.push(
        cx.diagnostic(
            &PAGE_DATE_MISMATCH,
            signed.span,
            format!(
                "the page's {} says {} (line {} of the page), the signature says {date}",
                stated.from.trim_start_matches("info table "),
                stated.value,
                stated.line
            ),
        )
        .with_help(
            "check the signed document: correct the date here, or tell the site's editor that the info table is wrong",
        ),
    );
}

fn doc_number(cx: &Context, number: &Paragraph, out: &mut Vec<Diagnostic>) {
    let text = number.text.as_str();
    // The serial: after the closing bracket of the year, up to 号.
    let Some(close) = text.find(['〕', ']', '］', ')', '）', '】']) else { return };
    let close_len = text[close..].chars().next().map_or(1, char::len_utf8);
    let serial_at = close + close_len;
    let serial = text[serial_at..].trim_end_matches('号');
    let digits = serial.trim_start_matches('第');
    let fixed = digits.trim_start_matches('0');
    if serial == fixed || fixed.is_empty() {
        return;
    }
    let line = cx.source.line_text(number.span.line);
    let Some(offset) = line.find(text) else { return };
    let line_start = cx.source.lines.line_start(number.span.line);
    let start = line_start + offset + serial_at;
    let span = cx.span(start..start + serial.len());
    let problem = match (serial.starts_with('第'), digits.starts_with('0')) {
        (true, true) => "has 第 and leading zeros",
        (true, false) => "has 第",
        _ => "has leading zeros",
    };
    out.push(
        cx.diagnostic(&DOC_NUMBER_FORMAT, span, format!("the serial number of the 发文字号 `{text}` {problem}"))
            .with_help(format!("GB/T 9704-2012 7.2.4: write `{}{fixed}号`", &text[..serial_at]))
            .with_fix(Fix {
                applicability: Applicability::Safe,
                edits: vec![Edit { span, replacement: fixed.to_owned().into() }],
            }),
    );
}

/// A document without a notice keeps its 发文字号 (if any) in the lines
/// above its title; the frame does not record it, so look there.
fn head_doc_number(cx: &Context, out: &mut Vec<Diagnostic>) {
    let frame = &cx.document.frame;
    // Up to the end of the title: a 字号 without its 号 is read as the
    // title's first line.
    let end = frame.title.as_ref().map(|t| t.span.end).or(cx.nodes.first().map(|e| e.node.span.start));
    let Some(end) = end else { return };
    let mut at = 0;
    for line in cx.source.text[..end].split_inclusive('\n') {
        let start = at;
        at += line.len();
        let trimmed = line.trim_matches(|c| is_space(c) || c == '\n' || c == '\r');
        if trimmed.is_empty() {
            continue;
        }
        let lead = line.len() - line.trim_start_matches(is_space).len();
        let span = cx.span(start + lead..start + lead + trimmed.len());
        if crate::parse::frame::doc_number(trimmed).is_some() {
            doc_number(cx, &Paragraph { text: trimmed.to_owned(), span }, out);
        } else if let Some(number) = missing_hao(trimmed) {
            out.push(
                cx.diagnostic(&DOC_NUMBER_FORMAT, span, format!("the 发文字号 `{trimmed}` does not end with 号"))
                    .with_help(format!("GB/T 9704-2012 7.2.4: write `{number}号`"))
                    .with_fix(Fix {
                        applicability: Applicability::Safe,
                        edits: vec![Edit { span: cx.span(span.end..span.end), replacement: "号".into() }],
                    }),
            );
        }
    }
}

/// `川知发〔2024〕5`: a 字号 but for its 号.
fn missing_hao(text: &str) -> Option<&str> {
    let open = text.find('〔')?;
    let close = text.find('〕')?;
    let year = &text[open + '〔'.len_utf8()..close];
    let serial = &text[close + '〕'.len_utf8()..];
    let code = &text[..open];
    (open > 0
        && year.len() == 4
        && year.bytes().all(|b| b.is_ascii_digit())
        && !serial.is_empty()
        && serial.bytes().all(|b| b.is_ascii_digit())
        && code.chars().all(crate::validate::is_ideograph))
    .then_some(text)
}

fn zero_padded(cx: &Context, date: &Paragraph, out: &mut Vec<Diagnostic>) {
    let text = date.text.trim_matches(is_space);
    let Ok(parsed) = parse_date(text) else { return };
    let (Some((_, rest)), true) = (text.split_once('年'), text.chars().next().is_some_and(|c| c.is_ascii_digit()))
    else {
        return;
    };
    let padded = rest.starts_with('0') || rest.split_once('月').is_some_and(|(_, d)| d.starts_with('0'));
    if !padded {
        return;
    }
    let standard = format!("{}年{}月{}日", parsed.year, parsed.month, parsed.day);
    out.push(
        cx.diagnostic(&DATE_ZERO_PADDED, date.span, format!("the 成文日期 `{text}` has a zero-padded month or day"))
            .with_help(format!("GB/T 9704-2012 7.3.5.1: write `{standard}`"))
            .with_fix(Fix {
                applicability: Applicability::Safe,
                edits: vec![Edit { span: date.span, replacement: standard.into() }],
            }),
    );
}

fn title_mismatch(cx: &Context, out: &mut Vec<Diagnostic>) {
    let frame = &cx.document.frame;
    let (Some(notice), Some(title)) = (&frame.notice, &frame.title) else { return };
    let named = notice.title.iter().chain(&notice.text).find_map(|p| sent_title(&p.text).map(|t| (t, p.span)));
    let Some((sent, at)) = named else { return };
    if normalize_title(sent) == normalize_title(&title.text) {
        return;
    }
    out.push(
        cx.diagnostic(
            &NOTICE_TITLE_MISMATCH,
            title.span,
            format!("the notice sends 《{sent}》, but the policy is titled `{}`", title.text),
        )
        .with_related(at, "the notice names it here")
        .with_help("make the two titles the same"),
    );
}

fn attachments(cx: &Context, out: &mut Vec<Diagnostic>) {
    let frame = &cx.document.frame;
    let notice_text = frame.notice.iter().flat_map(|n| &n.text);
    let Some(note) = notice_text
        .chain(&frame.preamble)
        .chain(&frame.closing)
        .find(|p| p.text.starts_with("附件：") || p.text.starts_with("附件:"))
    else {
        return;
    };
    let listed = (1..=20u32)
        .take_while(|n| note.text.contains(&format!("{n}.")) || note.text.contains(&format!("{n}．")))
        .count()
        .max(1);
    let label = |p: &Paragraph| {
        p.text.strip_prefix("附件").is_some_and(|r| !r.is_empty() && r.chars().all(|c| c.is_ascii_digit()))
    };
    let notice_text = frame.notice.iter().flat_map(|n| &n.text);
    let held = frame
        .attachment
        .iter()
        .chain(notice_text)
        .chain(&frame.closing)
        .chain(&frame.imprint)
        .filter(|p| label(p))
        .count();
    if held == 0 || held == listed {
        return;
    }
    out.push(
        cx.diagnostic(
            &ATTACHMENT_COUNT_MISMATCH,
            note.span,
            format!("the 附件说明 lists {listed} attachment(s), but the document holds {held}"),
        )
        .with_help("list every attachment the document holds, and only those"),
    );
}
