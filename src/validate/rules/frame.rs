//! The frame (GB/T 9704-2012 section 7): 发文字号, 成文日期, the notice and
//! the policy it sends, the attachment note. (Brackets of the 字号 and
//! impossible dates are found while parsing: F001, F002.)

use crate::diag::registry::{
    ATTACHMENT_COUNT_MISMATCH, DATE_ZERO_PADDED, DOC_NUMBER_FORMAT, NOTICE_TITLE_MISMATCH, PAGE_DATE_MISMATCH,
    TITLE_PROPERTY_MISMATCH,
};
use crate::diag::{Applicability, Diagnostic, Edit, Fix};
use crate::parse::frame::{normalize_title, parse_date, sent_title};
use crate::text::is_space;
use crate::tree::Paragraph;
use crate::validate::Context;

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
    if cx.enabled(&TITLE_PROPERTY_MISMATCH) {
        title_property(cx, out);
    }
    if cx.enabled(&ATTACHMENT_COUNT_MISMATCH) {
        attachments(cx, out);
    }
}

/// A Word document's 标题 property against the title in its text, as
/// [`page_date`] holds a page's info table to the signature. A page's
/// `ArticleTitle` is not held to the text: extraction already looks for the
/// text's title where the page names it.
fn title_property(cx: &Context, out: &mut Vec<Diagnostic>) {
    let frame = &cx.document.frame;
    let Some(stated) = frame.evidence.iter().find(|e| e.field == "title" && e.from == "core dc:title") else {
        return;
    };
    if crate::source::docx::is_placeholder_title(&stated.value) {
        return;
    }
    let Some(title) = frame.notice.as_ref().and_then(|n| n.title.as_ref()).or(frame.title.as_ref()) else {
        return;
    };
    // The property may name the notice or the policy it sends, with or
    // without its 字号, status or the 附件 label: it agrees when one holds
    // the other, whatever the punctuation.
    let property = title_skeleton(&stated.value);
    let agrees = [frame.title.as_ref(), frame.notice.as_ref().and_then(|n| n.title.as_ref())]
        .into_iter()
        .flatten()
        .map(|t| title_skeleton(&t.text))
        .any(|text| !text.is_empty() && (text.contains(&property) || property.contains(&text)));
    if agrees || property.is_empty() {
        return;
    }
    out.push(
        cx.diagnostic(
            &TITLE_PROPERTY_MISMATCH,
            title.span,
            format!(
                "the document's properties give the title `{}` (docProps/core.xml, line {}), the text's title is `{}`",
                stated.value, stated.line, title.text
            ),
        )
        .with_help(
            "the text decides: if the property is stale, correct or clear it in Word (文件 > 信息 > 属性 > 标题); otherwise correct the title here",
        ),
    );
}

/// A title's letters and digits, without a 字号 in brackets at its end.
fn title_skeleton(title: &str) -> String {
    let title = title.trim();
    let bare = match title.rfind(['(', '（']) {
        Some(at) if crate::recognize::doc_number(title[at..].trim_matches(['(', ')', '（', '）'])).is_some() => {
            &title[..at]
        }
        _ => title,
    };
    bare.chars().filter(|c| c.is_alphanumeric()).collect()
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
        && code.chars().all(crate::text::is_ideograph))
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
    // The status set on its own line under the title (`（试行）`) is part of it.
    let with_status = frame.status.as_ref().map(|s| format!("{}{}", title.text, s.text));
    if normalize_title(sent) == normalize_title(&title.text)
        || with_status.is_some_and(|t| normalize_title(sent) == normalize_title(&t))
    {
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
