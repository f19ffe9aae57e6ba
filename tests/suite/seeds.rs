//! The five real documents end to end: outline, frame, annotations, editions.

use policyc::emit::{Edition, render};
use policyc::tree::Kind;

use crate::common::*;

#[test]
fn outlines_are_exact() {
    for slug in SEEDS {
        let (_, parsed) = parse_seed(slug);
        let expected = std::fs::read_to_string(fixture(&format!("seeds/{slug}.outline"))).unwrap();
        assert_eq!(marker_outline(&parsed.document), expected, "{slug}");
    }
}

#[test]
fn titles_dates_and_numbers() {
    let cases = [
        ("sichuan-ip-service-measures-2023", "关于加快推动四川省知识产权服务业高质量发展的若干措施", None, Some("2023-12-29")),
        ("sichuan-ip-work-points-2021", "2021年四川省知识产权工作要点", Some("川市监发〔2021〕21号"), Some("2021-03-01")),
        ("chongqing-ip-service-measures-draft", "关于加快推进知识产权服务业高质量发展的若干措施", None, None),
        (
            "liaoning-ip-three-year-plan-2023",
            "加快知识产权高质量发展 助力全面振兴新突破三年行动方案(2023—2025年)",
            None,
            Some("2023-03-09"),
        ),
        (
            "guangzhou-ip-service-plan-2016",
            "广州市知识产权局促进知识产权服务业发展三年行动计划(2016-2018年)",
            Some("穗知〔2016〕85号"),
            Some("2016-11-25"),
        ),
    ];
    for (slug, title, number, date) in cases {
        let (_, parsed) = parse_seed(slug);
        let meta = &parsed.document.meta;
        assert_eq!(meta.title.as_deref(), Some(title), "{slug}");
        assert_eq!(meta.doc_number.as_deref(), number, "{slug}");
        assert_eq!(meta.date.as_deref(), date, "{slug}");
    }
}

#[test]
fn draft_status_and_attachment() {
    let (_, parsed) = parse_seed("chongqing-ip-service-measures-draft");
    assert_eq!(parsed.document.meta.status.as_deref(), Some("征求意见稿"));
    assert_eq!(parsed.document.meta.attachment.as_deref(), Some("附件1"));
    let closing: Vec<_> = parsed.document.frame.closing.iter().map(|p| p.text.as_str()).collect();
    assert_eq!(closing, ["本措施自发布之日起正式实施，有效期至2030年。"]);
}

#[test]
fn page_date_is_not_the_document_date() {
    let (_, parsed) = parse_seed("liaoning-ip-three-year-plan-2023");
    assert_eq!(parsed.document.meta.page_date.as_deref(), Some("2023-08-03"));
    assert_eq!(parsed.document.meta.date.as_deref(), Some("2023-03-09"));
    assert!(parsed.document.frame.notice.is_some());
}

#[test]
fn signature_block_lists_every_issuer() {
    let (_, parsed) = parse_seed("sichuan-ip-service-measures-2023");
    let issuers = &parsed.document.meta.issuers;
    // Nine lines of two columns; stray spaces inside names are not splits.
    assert_eq!(issuers.len(), 18, "{issuers:?}");
    assert_eq!(issuers[1], "中共四川省委军民融合发展委员会办公室");
    assert_eq!(issuers[9], "四川省农业农村厅");
    assert_eq!(issuers[17], "四川省总工会");
}

#[test]
fn notice_is_kept_apart_from_the_policy() {
    let (_, parsed) = parse_seed("sichuan-ip-work-points-2021");
    let notice = parsed.document.frame.notice.as_ref().expect("notice");
    assert_eq!(notice.doc_number.as_ref().unwrap().text, "川市监发〔2021〕21号");
    assert_eq!(notice.date.as_ref().unwrap().text, "2021年3月1日");
    let issuers: Vec<_> = notice.issuers.iter().map(|p| p.text.as_str()).collect();
    assert_eq!(issuers, ["四川省市场监督管理局", "四川省知识产权服务促进中心"]);
    assert!(parsed.document.frame.preamble[0].text.starts_with("2021年是“十四五”开局之年"));
}

#[test]
fn annotations_become_owners_and_leave_the_text() {
    for slug in ["sichuan-ip-work-points-2021", "liaoning-ip-three-year-plan-2023", "guangzhou-ip-service-plan-2016"] {
        let (_, parsed) = parse_seed(slug);
        for node in parsed.document.nodes() {
            let own_text = node.full_text();
            for marker in ["牵头单位", "责任部门", "处负责)", "处负责）"] {
                assert!(!own_text.contains(marker), "{slug} {}: {own_text}", node.marker);
            }
        }
    }
    let (_, parsed) = parse_seed("sichuan-ip-work-points-2021");
    let items: Vec<_> = parsed.document.nodes().filter(|n| n.kind == Kind::Item).collect();
    assert_eq!(items.len(), 39);
    assert!(items.iter().all(|n| !n.owners.is_empty()), "every work point names a lead unit");
    let first: Vec<_> = items[1].owners.iter().map(|o| o.unit.as_str()).collect();
    assert_eq!(first, ["省市场监管局", "省知识产权中心"]);
    // 004 (十八) names several units inside one clause.
    let (_, parsed) = parse_seed("guangzhou-ip-service-plan-2016");
    let eighteen = parsed.document.nodes().find(|n| n.marker == "(十八)").unwrap();
    assert!(eighteen.owners.len() >= 3, "{:?}", eighteen.owners);
}

#[test]
fn debris_is_reported_and_never_published() {
    for slug in SEEDS {
        let (source, parsed) = parse_seed(slug);
        let debris = &parsed.document.frame.debris;
        let notes = parsed.diagnostics.iter().filter(|d| d.code == "D001").count();
        assert_eq!(notes, debris.len(), "{slug}: every debris line is reported");
        for edition in [Edition::Markdown, Edition::Html] {
            let text = render(&parsed.document, edition).unwrap();
            for d in debris {
                let probe: String = d.text.chars().take(8).collect();
                if probe.chars().count() >= 3 && !probe.chars().all(|c| c == '>') {
                    assert!(!text.contains(&probe), "{slug} {edition:?} contains debris `{probe}`");
                }
            }
        }
        let _ = source;
    }
    let (_, parsed) = parse_seed("liaoning-ip-three-year-plan-2023");
    assert_eq!(parsed.document.frame.debris.len(), 4);
}

#[test]
fn targets_are_extracted() {
    let (_, parsed) = parse_seed("liaoning-ip-three-year-plan-2023");
    let targets: Vec<_> = parsed.document.nodes().flat_map(|n| &n.targets).collect();
    let find = |phrase: &str| targets.iter().find(|t| t.phrase.contains(phrase)).copied();
    let growth = find("年均增长10%").expect("年均增长10%");
    assert_eq!((growth.value.as_str(), growth.unit.as_deref()), ("10", Some("%")));
    let stations = find("总数达100家").expect("总数达100家");
    assert_eq!((stations.value.as_str(), stations.unit.as_deref()), ("100", Some("家")));
}

#[test]
fn editions_snapshots() {
    for slug in SEEDS {
        let (_, parsed) = parse_seed(slug);
        for edition in [Edition::Yaml, Edition::Markdown, Edition::Html] {
            let text = render(&parsed.document, edition).unwrap();
            insta::assert_snapshot!(format!("{slug}.{}", edition.extension()), text);
        }
    }
}
