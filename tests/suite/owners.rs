//! The owners view: each responsible unit → the clauses it leads, across
//! policies, in every format.

use std::process::Command;

use policyc::emit::Edition;
use policyc::emit::owners::render;
use policyc::owners::{UnitView, collect, invert};

use crate::common::*;

fn all_seed_units() -> Vec<UnitView> {
    let mut pairs = Vec::new();
    for slug in SEEDS {
        let (_, parsed) = parse_seed(slug);
        pairs.extend(collect(&parsed.document, slug));
    }
    invert(pairs)
}

#[test]
fn units_map_to_their_clauses_in_document_order() {
    let units = all_seed_units();
    let names: Vec<_> = units.iter().map(|u| u.unit.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "units are sorted");
    let center = units.iter().find(|u| u.unit == "省知识产权中心").expect("省知识产权中心");
    assert!(center.clauses.iter().all(|c| c.slug == "sichuan-ip-work-points-2021"));
    let paths: Vec<_> = center.clauses.iter().map(|c| c.path.as_str()).collect();
    assert_eq!(paths[0], "一、/(一)/1.");
    assert_eq!(center.clauses[0].id, "p1-s1-i1");
    // Every work point names 省知识产权中心 or 省市场监管局 (or both).
    let bureau = units.iter().find(|u| u.unit == "省市场监管局").unwrap();
    let mut ids: Vec<_> = center.clauses.iter().chain(&bureau.clauses).map(|c| c.id.clone()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 39);
    // 004's (合作处负责) has no role label.
    let cooperation = units.iter().find(|u| u.unit == "合作处").unwrap();
    assert!(cooperation.clauses.iter().all(|c| c.role.is_none() && c.slug == "guangzhou-ip-service-plan-2016"));
}

#[test]
fn every_format_renders() {
    let units = all_seed_units();
    let yaml = render(&units, Edition::Yaml).unwrap();
    let back: Vec<UnitView> = serde_saphyr::from_str(&yaml).unwrap();
    assert_eq!(back, units);
    let json: Vec<UnitView> = serde_json::from_str(&render(&units, Edition::Json).unwrap()).unwrap();
    assert_eq!(json, units);
    let md = render(&units, Edition::Markdown).unwrap();
    assert!(md.contains("## 省知识产权中心") && md.contains("(./sichuan-ip-work-points-2021.html#p1-s1-i1)"));
    let html = render(&units, Edition::Html).unwrap();
    assert!(
        html.contains("<h2>省知识产权中心<span class=\"count\">")
            && html.contains("href=\"./sichuan-ip-work-points-2021.html#p1-s1-i1\"")
    );
}

#[test]
fn the_command_reads_the_files_it_is_given() {
    let result = Command::new(env!("CARGO_BIN_EXE_policyc"))
        .args(["owners", "--to", "json"])
        .arg(seed_path("liaoning-ip-three-year-plan-2023"))
        .output()
        .unwrap();
    assert!(result.status.success());
    let units: Vec<UnitView> = serde_json::from_slice(&result.stdout).unwrap();
    assert!(
        units.iter().any(|u| u.unit == "知识产权运用促进处"),
        "{:?}",
        units.iter().map(|u| &u.unit).collect::<Vec<_>>()
    );
    assert!(units.iter().all(|u| u.clauses.iter().all(|c| c.slug == "liaoning-ip-three-year-plan-2023")));
}
