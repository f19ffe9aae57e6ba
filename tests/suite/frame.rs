//! The document frame around the body, source repair and annotations, on
//! small fixtures that vary what the seeds show.

use policyc::parse::Parsed;
use policyc::parse::parse;
use policyc::source::{Encoding, Format, SourceFile};
use policyc::tree::{DebrisKind, Kind};

use crate::common::*;

fn parse_fixture(name: &str) -> Parsed {
    policyc::parse::parse(&load(&fixture(&format!("frame/{name}"))))
}

fn codes(parsed: &Parsed) -> Vec<(&'static str, u32, u32)> {
    parsed.diagnostics.iter().map(|d| (d.code, d.span.line, d.span.column)).collect()
}

#[test]
fn notice_without_a_doc_number() {
    let parsed = parse_fixture("notice-without-number.txt");
    let doc = &parsed.document;
    let notice = doc.frame.notice.as_ref().expect("notice");
    assert!(notice.doc_number.is_none());
    assert_eq!(notice.title.as_ref().unwrap().text, "关于印发《某市促进企业创新若干措施》的通知");
    assert_eq!(doc.meta.title.as_deref(), Some("某市促进企业创新若干措施"));
    assert_eq!(doc.meta.doc_number, None);
    assert_eq!(doc.meta.date.as_deref(), Some("2024-05-06"));
    assert_eq!(doc.meta.issuers, ["某市人民政府办公室"]);
    assert_eq!(doc.meta.addressees, ["各区人民政府", "市政府各部门"]);
    assert_eq!(marker_outline(doc), "一、\n  （一）\n  （二）\n二、\n  （三）\n");
    let closing: Vec<_> = doc.frame.closing.iter().map(|p| p.text.as_str()).collect();
    assert_eq!(closing, ["本措施自2024年6月1日起施行，有效期至2026年12月31日。"]);
    let imprint: Vec<_> = doc.frame.imprint.iter().map(|p| p.text.as_str()).collect();
    assert_eq!(imprint, ["抄送：市委办公厅，市人大常委会办公厅。", "某市人民政府办公室 2024年5月6日印发"]);
    assert!(parsed.diagnostics.is_empty(), "{:?}", codes(&parsed));
}

#[test]
fn a_policy_with_two_attachments() {
    let parsed = parse_fixture("two-attachments.txt");
    let doc = &parsed.document;
    // The 附件说明 list is the notice's, not a numbered body.
    let notice = doc.frame.notice.as_ref().expect("notice");
    assert!(notice.text.iter().any(|p| p.text == "2.乙办法"), "{:?}", notice.text);
    assert_eq!(doc.meta.title.as_deref(), Some("甲办法"));
    assert_eq!(doc.meta.attachment.as_deref(), Some("附件1"));
    assert_eq!(doc.meta.date.as_deref(), Some("2024-01-08"));
    assert_eq!(marker_outline(doc), "一、\n  （一）\n二、\n  （二）\n");
    assert_eq!(doc.attachments.len(), 1);
    let second = &doc.attachments[0];
    assert_eq!(second.meta.attachment.as_deref(), Some("附件2"));
    assert_eq!(second.meta.title.as_deref(), Some("乙办法"));
    assert_eq!(second.meta.status.as_deref(), Some("试行"));
    assert_eq!(marker_outline(second), "一、\n  （一）\n  （二）\n");
    // Both attachments are published, with ids that do not collide.
    let html = policyc::emit::render(doc, policyc::emit::Edition::Html).unwrap();
    assert!(html.contains("id=\"p1-s1\"") && html.contains("id=\"f2-p1-s1\""));
    let md = policyc::emit::render(doc, policyc::emit::Edition::Markdown).unwrap();
    assert!(md.contains("# 乙办法") && md.contains("## 一、总则"));
}

#[test]
fn annotation_with_nested_brackets_and_several_in_one_clause() {
    let parsed = parse_fixture("nested-annotation.txt");
    let items: Vec<_> = parsed.document.nodes().filter(|n| n.kind == Kind::Item).collect();
    let first: Vec<_> = items[0].owners.iter().map(|o| (o.role.as_deref(), o.unit.as_str())).collect();
    assert_eq!(first, [(Some("牵头单位"), "省市场监管局(知识产权局)"), (Some("牵头单位"), "省知识产权中心")]);
    assert_eq!(items[0].full_text(), "推进知识产权保护体系建设。");
    let second: Vec<_> = items[1].owners.iter().map(|o| o.unit.as_str()).collect();
    assert_eq!(second, ["宣传处", "人事处", "培训中心"]);
    assert_eq!(items[1].full_text(), "加强宣传培训;开展专题培训。");
    // Each owner's span is its annotation in the source.
    let source = load(&fixture("frame/nested-annotation.txt"));
    let span = items[0].owners[0].span;
    assert_eq!(&source.text[span.start..span.end], "[牵头单位:省市场监管局(知识产权局)、省知识产权中心]");
}

#[test]
fn a_frame_half_there_is_reported_and_the_rest_parsed() {
    let parsed = parse_fixture("half-there.txt");
    let found = codes(&parsed);
    assert!(found.contains(&("F001", 1, 5)), "[] around the year: {found:?}");
    assert!(found.contains(&("F002", 5, 1)), "month 13: {found:?}");
    assert!(found.contains(&("F003", 8, 10)), "unterminated annotation: {found:?}");
    let doc = &parsed.document;
    assert_eq!(doc.meta.doc_number.as_deref(), Some("川市监发[2021]21号"));
    assert_eq!(doc.meta.date, None, "an impossible date is not published");
    assert_eq!(doc.meta.title.as_deref(), Some("2021年工作要点"));
    assert_eq!(marker_outline(doc), "一、\n  1.\n  2.\n");
    let second = &doc.body[0].children[1];
    assert_eq!(second.owners.len(), 1);
}

#[test]
fn broken_lines_are_rejoined_with_spans_on_the_original_lines() {
    let parsed = parse_fixture("repair-broken-lines.txt");
    let doc = &parsed.document;
    assert_eq!(marker_outline(doc), "一、\n三、\n  （十一）\n");
    let three = &doc.body[1];
    assert_eq!(three.title.as_deref(), Some("加强组织领导"));
    assert_eq!((three.span.line, three.span.column), (8, 1));
    let eleven = &three.children[0];
    assert_eq!(eleven.number, 11);
    assert_eq!(eleven.title.as_deref(), Some("强化督促检查。"));
    assert_eq!(eleven.text, ["各单位要按照要求，及时报送进展情况。"]);
    assert_eq!((eleven.span.line, eleven.span.column), (10, 1));
    let title_span = eleven.spans.title.unwrap();
    assert_eq!((title_span.line, title_span.column), (13, 1));
    // The 字号 under the title is the document's own.
    assert_eq!(doc.meta.doc_number.as_deref(), Some("川府发〔2025〕3号"));
    assert_eq!(doc.meta.title.as_deref(), Some("某县实施方案"));
    let repairs = parsed.diagnostics.iter().filter(|d| d.code == "S101").count();
    assert_eq!(repairs, 9, "{:?}", codes(&parsed));
}

#[test]
fn paragraphs_that_only_look_numbered_are_text() {
    let parsed = parse_fixture("looks-numbered.txt");
    let doc = &parsed.document;
    assert_eq!(marker_outline(doc), "一、\n  （一）\n");
    assert_eq!(doc.body[0].text, ["一是加强统筹协调，二是强化资金保障。", "第一部分为总体要求，第二部分为主要任务。"]);
    assert_eq!(doc.body[0].children[0].text, ["按照上述第（三）项规定的程序办理。"]);
}

#[test]
fn hard_wrapped_text_is_rejoined() {
    let parsed = parse_fixture("hard-wrapped.txt");
    let doc = &parsed.document;
    assert_eq!(marker_outline(doc), "一、\n  （一）\n  （二）\n");
    assert_eq!(
        doc.frame.preamble.iter().map(|p| p.text.as_str()).collect::<Vec<_>>(),
        ["为深入贯彻落实知识产权强国建设纲要，加快推进知识产权强省建设，结合本省实际，制定本措施。"]
    );
    assert_eq!(
        doc.body[0].children[0].text,
        [
            "围绕重点产业布局一批高价值专利培育中心，支持企业与高校院所联合开展关键核心技术攻关，形成一批具有自主知识产权的核心专利。"
        ]
    );
    let target = &doc.body[0].children[1].targets[0];
    assert_eq!((target.value.as_str(), target.unit.as_deref()), ("100", Some("万件")));
}

#[test]
fn invisible_characters_are_debris() {
    let parsed = parse_text_full("一、总则\u{200b}\n（一）适用\u{feff}范围。本办法适用于全省。\n");
    let doc = &parsed.document;
    assert_eq!(doc.body[0].title.as_deref(), Some("总则"));
    assert_eq!(doc.body[0].children[0].title.as_deref(), Some("适用范围。"));
    assert_eq!(doc.frame.debris.len(), 2);
    assert!(parsed.diagnostics.iter().all(|d| d.code == "D001"));
}

fn parse_text_full(text: &str) -> Parsed {
    policyc::parse::parse_str(text)
}

#[test]
fn identical_annotations_get_their_own_spans() {
    let source = policyc::source::SourceFile::from_text(
        "t.txt",
        policyc::source::Format::Text,
        "（一）做好工作（合作处负责）；做好宣传（合作处负责）。\n",
    );
    let parsed = policyc::parse::parse(&source);
    let owners = &parsed.document.body[0].owners;
    assert_eq!(owners.len(), 2);
    assert_ne!(owners[0].span, owners[1].span);
    for owner in owners {
        assert_eq!(&source.text[owner.span.start..owner.span.end], "（合作处负责）");
    }
}

/// A law collection's header block gives the law's date in every shape the
/// collections print it: an entry broken over two lines, a date alone, a
/// decree line (whose number is the 字号, without the date), and a title the
/// text prints again under the header (left out, not a second title or
/// preamble).
#[test]
fn a_law_collections_header_gives_the_date_in_every_shape() {
    let law_source = |header: &str, body_title: &str| {
        let text = format!(
            "# 某市某某管理条例\n\n{header}\n\n<!-- INFO END -->\n\n{body_title}第一条 为了规范管理，制定本条例。\n\n第二条 本条例自公布之日起施行。\n"
        );
        SourceFile::from_bytes("law.md", Format::Markdown, text.as_bytes(), Encoding::Utf8).unwrap()
    };
    let law = |header: &str, body_title: &str| parse(&law_source(header, body_title));
    let cases = [
        (
            "2013年2月26日 某市第十五届人民代表大会常务委员会\n第九次会议通过\n2017年6月30日 某市第十六届人民代表大会常务委员会第二次会议修正",
            "2017-06-30",
            None,
        ),
        ("1985年12月30日 ", "1985-12-30", None),
        ("1984年1月7日 国务院\n中央军委发布\n发布之日施行", "1984-01-07", None),
        ("2017年11月22日 中华人民共和国国务院令第692号", "2017-11-22", Some("中华人民共和国国务院令第692号")),
        ("2024年7月1日 施行", "", None),
    ];
    for (header, date, number) in cases {
        let parsed = law(header, "");
        let meta = &parsed.document.meta;
        assert_eq!(meta.date.as_deref().unwrap_or(""), date, "{header}");
        assert_eq!(meta.doc_number.as_deref(), number, "{header}");
        assert_eq!(meta.title.as_deref(), Some("某市某某管理条例"), "{header}");
    }
    let source =
        law_source("2024年12月31日 某市第十六届人民代表大会常务委员会第十八次会议通过", "某市某某 管理条例\n\n");
    let checked = policyc::validate::run(&source, &policyc::validate::Config::default());
    let document = &checked.document;
    assert_eq!(document.meta.title.as_deref(), Some("某市某某管理条例"));
    assert_eq!(document.meta.date.as_deref(), Some("2024-12-31"));
    assert!(document.frame.preamble.iter().all(|p| !p.text.contains("管理条例")), "{:?}", document.frame.preamble);
    assert!(document.frame.debris.iter().any(|d| d.kind == DebrisKind::RepeatedTitle && d.text == "某市某某 管理条例"));
    // The repeated title's stray space is the collection's line break, not
    // a defect of the text.
    assert!(checked.diagnostics.iter().all(|d| d.code != "T002"), "{:?}", checked.diagnostics);
}
