//! Bad input gets a correct tree or a clear error: never a panic, a hang, or
//! a silently wrong tree.

use policyc::source::{Encoding, Format, SourceError, SourceFile, decode};

use crate::common::*;

#[test]
fn empty_file_is_an_error_with_help() {
    assert_eq!(decode(b"", Encoding::Utf8), Err(SourceError::Empty));
    assert!(SourceError::Empty.help().contains("write"));
    // The library's string entry point accepts it as an empty document.
    assert!(parse_text("").body.is_empty());
}

#[test]
fn gb18030_is_detected_and_named() {
    let (bytes, _, _) = encoding_rs::GB18030.encode("一、总则\n（一）适用范围。\n");
    let err = decode(&bytes, Encoding::Utf8).unwrap_err();
    assert!(matches!(err, SourceError::Gb18030 { line: 1, .. }), "{err:?}");
    assert!(err.help().contains("iconv") && err.help().contains("--encoding gb18030"));
    // And the option reads it.
    let text = decode(&bytes, Encoding::Gb18030).unwrap();
    assert!(text.starts_with("一、总则"));
}

#[test]
fn binary_data_is_refused() {
    let err = decode(b"PK\x03\x04\x00\x00binary", Encoding::Utf8).unwrap_err();
    assert!(matches!(err, SourceError::Binary { .. }), "{err:?}");
    let err = decode(&[0xff, 0xfe, b'a', 0], Encoding::Utf8).unwrap_err();
    assert_eq!(err, SourceError::Utf16);
}

#[test]
fn huge_single_line_parses() {
    let line = "知识产权服务业高质量发展，".repeat(20 * 1024 * 1024 / 39);
    let source = SourceFile::from_text("big.txt", Format::Text, line);
    let parsed = policyc::parse::parse(&source);
    assert!(parsed.document.body.is_empty());
    assert_eq!(parsed.document.frame.preamble.len(), 1);
}

#[test]
fn no_numbering_is_a_body_of_plain_paragraphs() {
    let doc = parse_text("关于做好某项工作的通知\n\n各单位：\n\n请认真贯彻落实。\n");
    assert!(doc.body.is_empty());
    assert_eq!(doc.meta.title.as_deref(), Some("关于做好某项工作的通知"));
    assert_eq!(doc.frame.preamble.iter().map(|p| p.text.as_str()).collect::<Vec<_>>(), ["请认真贯彻落实。"]);
}

#[test]
fn level_jump_keeps_document_order() {
    // 1. before any 一、: the items stay at the top, in order, and the part
    // that follows gets its own children.
    let doc = parse_text("1.甲。\n2.乙。\n一、总则\n（一）丙。\n");
    assert_eq!(marker_outline(&doc), "1.\n2.\n一、\n  （一）\n");
}

#[test]
fn numbers_inside_sentences_are_never_headings() {
    let doc = parse_text(
        "一、总则\n（2021-2035年）规划纲要已经印发。\n1.5亿元用于支持。\n第三条规定的情形除外。\n(IS056005)标准。\n",
    );
    assert_eq!(marker_outline(&doc), "一、\n");
    assert_eq!(doc.body[0].text.len(), 4);
}
