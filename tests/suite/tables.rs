//! Tables (issue 16): a pipe table in a `.txt` or `.md`, a web page's data
//! table and a Word table become a `Table` of the tree, placed among the
//! paragraphs of the clause (or the preamble, or the closing) they are in,
//! and every edition prints them as tables. Fixtures: `fixtures/tables/`
//! (`plan.txt`, `page.html`), `fixtures/docx/table-and-fields.docx`, and the
//! law of the corpus with a table (`fixtures/corpus/laws/law0664.md`).

use policyc::diff::Op;
use policyc::emit::{Edition, render, render_bytes};
use policyc::source::docx::Changes;
use policyc::source::{Encoding, SourceFile};
use policyc::tree::{Document, Node, Row, Table};
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use crate::common::{fixture, load};

fn cells(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| (*c).to_owned()).collect()
}

fn rows(rows: &[&[&str]]) -> Vec<Row> {
    rows.iter().map(|r| Row { cells: cells(r) }).collect()
}

fn document(rel: &str) -> Document {
    let path = fixture(rel);
    let source = if rel.ends_with(".html") || rel.ends_with(".docx") {
        SourceFile::read(&path, Encoding::Utf8).unwrap_or_else(|e| panic!("{rel}: {e}"))
    } else {
        load(&path)
    };
    policyc::parse::parse(&source).document
}

fn node<'a>(document: &'a Document, path: &str) -> &'a Node {
    policyc::tree::marker_paths(&document.body)
        .into_iter()
        .find(|(p, _)| p == path)
        .unwrap_or_else(|| panic!("no {path}"))
        .1
}

/// Every table of a document in reading order: the preamble's, the body's
/// depth first, the closing's, then the attachments'.
fn all_tables(document: &Document) -> Vec<&Table> {
    let mut out: Vec<&Table> = document.frame.preamble_tables.iter().collect();
    out.extend(document.nodes().flat_map(|n| &n.tables));
    out.extend(&document.frame.closing_tables);
    out.extend(document.attachments.iter().flat_map(all_tables));
    out
}

const DOCUMENTS: [&str; 4] =
    ["tables/plan.txt", "tables/page.html", "docx/table-and-fields.docx", "corpus/laws/law0664.md"];

#[test]
fn a_pipe_table_is_a_table_of_the_clause_it_is_in() {
    let document = document("tables/plan.txt");
    let first = node(&document, "一、/（一）");
    assert_eq!(first.text, ["任务分工如下：", "各单位按季度报送进展。"]);
    let [table] = first.tables.as_slice() else { panic!("{:?}", first.tables) };
    assert_eq!(table.at, 1, "between the two paragraphs");
    assert_eq!(table.header, Some(cells(&["任务", "牵头单位", "完成时限"])));
    assert_eq!(
        table.rows,
        rows(&[
            &["建设保护中心", "市知识产权局", "2025年6月"],
            &["完善快速维权 | 调解", "市市场监管局、市公安局", "2025年12月"]
        ])
    );
    // A 牵头单位 column names each row's units.
    let units: Vec<(&str, Option<&str>)> = first.owners.iter().map(|o| (o.unit.as_str(), o.role.as_deref())).collect();
    assert_eq!(
        units,
        [("市知识产权局", Some("牵头单位")), ("市市场监管局", Some("牵头单位")), ("市公安局", Some("牵头单位"))]
    );
    // Rows that start with 第…条 are rows, and the line after a table is a
    // clause of its own.
    let second = node(&document, "一、/（二）");
    assert_eq!(second.tables[0].header, None, "no delimiter row, no header");
    assert_eq!(second.tables[0].rows, rows(&[&["第三百零二条", "依法从重处罚"], &["第三百零三条", "依法处罚"]]));
    let markers: Vec<String> = policyc::tree::marker_paths(&document.body).into_iter().map(|(p, _)| p).collect();
    assert_eq!(markers, ["一、", "一、/（一）", "一、/（二）", "二、", "三、"]);
    // A row read as a sentence states a target.
    let targets = &node(&document, "二、").targets;
    assert_eq!(targets.iter().map(|t| t.phrase.as_str()).collect::<Vec<_>>(), ["到2025年达到10万件"]);
    // Before the first clause: a table of the preamble, between its paragraphs.
    let [preamble] = document.frame.preamble_tables.as_slice() else { panic!() };
    assert_eq!(preamble.at, 1);
    assert_eq!(preamble.header, Some(cells(&["指标", "2024年", "2025年目标"])));
    assert_eq!(preamble.rows.len(), 2);
    assert_eq!(document.frame.preamble.len(), 2);
    // No table row is a paragraph anywhere.
    assert!(document.nodes().flat_map(|n| &n.text).all(|t| !t.starts_with('|')));
}

#[test]
fn a_markdown_table_is_a_table_and_a_row_without_pipes_is_not() {
    let document = document("corpus/laws/law0664.md");
    let [table] = all_tables(&document)[..] else { panic!() };
    assert_eq!(table.header, Some(cells(&["刑法条文", "罪名"])));
    assert_eq!(table.rows.len(), 25);
    assert_eq!(table.rows[0].cells[0], "第一百三十三条之二 （《刑法修正案（十一）》第二条）");
    assert!(document.body.is_empty(), "no row became an article");
    // GFM reads a line right under a table as one more row; without a pipe
    // it is the clause it says it is.
    let md = "# 条例\n\n第一条　表如下：\n\n| 项目 | **金额** |\n|:---|---:|\n| 罚款 | 100元 \\| 200元 |\n第二条　本条例自公布之日起施行。\n";
    let source = SourceFile::from_text("t.md", policyc::source::Format::Markdown, md);
    let document = policyc::parse::parse(&source).document;
    let markers: Vec<&str> = document.body.iter().map(|n| n.marker.as_str()).collect();
    assert_eq!(markers, ["第一条", "第二条"]);
    let table = &document.body[0].tables[0];
    assert_eq!(table.header, Some(cells(&["项目", "金额"])));
    assert_eq!(table.rows, rows(&[&["罚款", "100元 | 200元"]]));
}

#[test]
fn a_web_page_table_keeps_its_header_cells_and_nested_text() {
    let document = document("tables/page.html");
    let first = node(&document, "一、");
    let [table] = first.tables.as_slice() else { panic!("{:?}", first) };
    assert_eq!(table.header, Some(cells(&["城市", "单位GDP能耗降低", "责任单位"])), "from <thead>");
    assert_eq!(
        table.rows,
        rows(&[
            &["广州", "3.5%", "广州市发展改革委"],
            // Unclosed cells and rows close as a browser closes them.
            &["深圳 | 前海", "3.2%", "深圳市发展改革委"],
            // A table nested in a cell is that cell's text.
            &["珠海", "3.0% （含横琴）", "珠海市发展改革委"],
        ])
    );
    assert_eq!(first.owners.len(), 3, "the 责任单位 column");
    let second = node(&document, "二、");
    assert_eq!(second.tables[0].header, Some(cells(&["项目", "时限"])), "a first row of <th>");
    assert_eq!(second.text, ["各市要按时报送。"]);
    assert_eq!(second.tables[0].at, 0);
}

#[test]
fn a_word_table_is_a_table() {
    let document = document("docx/table-and-fields.docx");
    let part = node(&document, "一、");
    let [table] = part.tables.as_slice() else { panic!("{part:?}") };
    assert_eq!(table.header, Some(cells(&["序号", "任务", "责任单位"])), "w:tblHeader");
    assert_eq!(table.rows[1].cells[1], "完善快速维权|调解");
}

/// The tables of a Markdown text as pulldown-cmark reads them with GFM
/// tables on: each table's rows of cell texts, the header row first.
fn markdown_tables(md: &str) -> Vec<Vec<Vec<String>>> {
    let mut tables = Vec::new();
    let mut cell: Option<String> = None;
    for event in Parser::new_ext(md, policyc::parse::prepare::markdown_options()) {
        match event {
            Event::Start(Tag::Table(_)) => tables.push(Vec::new()),
            Event::Start(Tag::TableHead | Tag::TableRow) => {
                if let Some(t) = tables.last_mut() {
                    t.push(Vec::new());
                }
            }
            Event::Start(Tag::TableCell) => cell = Some(String::new()),
            Event::Text(text) => {
                if let Some(c) = cell.as_mut() {
                    c.push_str(&text);
                }
            }
            Event::End(TagEnd::TableCell) => {
                if let (Some(row), Some(c)) = (tables.last_mut().and_then(|t| t.last_mut()), cell.take()) {
                    row.push(c);
                }
            }
            _ => {}
        }
    }
    tables
}

#[test]
fn every_edition_prints_tables_as_tables() {
    for rel in DOCUMENTS {
        let document = document(rel);
        let tables = all_tables(&document);
        assert!(!tables.is_empty(), "{rel}");

        // Markdown: GFM tables with the same cells (a header-less table gets
        // an empty header row, every row the table's width).
        let md = render(&document, Edition::Markdown).unwrap();
        let read = markdown_tables(&md);
        assert_eq!(read.len(), tables.len(), "{rel}: {md}");
        for (got, table) in read.iter().zip(&tables) {
            let width = table.columns();
            let pad = |cells: &[String]| {
                let mut cells = cells.to_vec();
                cells.resize(width, String::new());
                cells
            };
            let mut want = vec![pad(table.header.as_deref().unwrap_or_default())];
            want.extend(table.rows.iter().map(|r| pad(&r.cells)));
            assert_eq!(got, &want, "{rel}");
        }

        // HTML: a <table> each, <thead> where there is a header.
        // (The page's own targets table is not one of them.)
        let html = render(&document, Edition::Html).unwrap();
        let printed: Vec<&str> = html
            .split("<div class=\"table\"><table>")
            .skip(1)
            .map(|t| t.split("</table></div>").next().unwrap_or_default())
            .collect();
        assert_eq!(printed.len(), tables.len(), "{rel}");
        for (html, table) in printed.iter().zip(&tables) {
            assert_eq!(html.contains("<thead>"), table.header.is_some(), "{rel}");
            assert_eq!(html.matches("<tr>").count(), table.rows.len() + usize::from(table.header.is_some()), "{rel}");
            let cells: usize = table.rows.iter().map(|r| r.cells.len()).sum();
            assert_eq!(html.matches("<td>").count(), cells, "{rel}");
        }

        // YAML and JSON: the tree, tables and all.
        let yaml = render(&document, Edition::Yaml).unwrap();
        let back: Document = serde_saphyr::from_str(&yaml).unwrap();
        assert_eq!(back, document, "{rel}");
        let json = render(&document, Edition::Json).unwrap();
        assert_eq!(serde_json::from_str::<Document>(&json).unwrap(), document, "{rel}");

        // Word: a bordered w:tbl each, read back as the same tables in the
        // same places (rows padded to the table's width, as Word's grid is).
        let bytes = render_bytes(&document, Edition::Docx).unwrap();
        let xml = word_document(&bytes);
        assert_eq!(xml.matches("<w:tbl>").count(), tables.len(), "{rel}");
        assert!(xml.contains(r#"<w:insideH w:val="single""#), "{rel}");
        let back = SourceFile::from_docx(format!("{rel}.docx"), &bytes, Changes::Accept).unwrap();
        let back = policyc::parse::parse(&back).document;
        let shape = |d: &Document| -> Vec<(usize, Option<Vec<String>>, Vec<Row>)> {
            all_tables(d)
                .into_iter()
                .map(|t| {
                    let width = t.columns();
                    let pad = |cells: &[String]| {
                        let mut cells = cells.to_vec();
                        cells.resize(width, String::new());
                        cells
                    };
                    let rows = t.rows.iter().map(|r| Row { cells: pad(&r.cells) }).collect();
                    (t.at, t.header.as_deref().map(pad), rows)
                })
                .collect()
        };
        assert_eq!(shape(&back), shape(&document), "{rel}");
        let owners = |d: &Document| d.nodes().map(|n| n.owners.len()).collect::<Vec<_>>();
        assert_eq!(owners(&back), owners(&document), "{rel}: a table's owners are read back once");
    }
}

fn word_document(bytes: &[u8]) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("word/document.xml").unwrap(), &mut text).unwrap();
    text
}

#[test]
fn the_markdown_edition_of_a_plan_with_tables() {
    let md = render(&document("tables/plan.txt"), Edition::Markdown).unwrap();
    insta::assert_snapshot!("tables_plan_markdown", md);
}

#[test]
fn the_html_clauses_of_a_plan_with_tables() {
    let html = render(&document("tables/plan.txt"), Edition::Html).unwrap();
    let start = html.find("<section class=\"preamble\"").unwrap();
    let end = html.find("<footer class=\"signature\"").unwrap();
    insta::assert_snapshot!("tables_plan_html", &html[start..end]);
}

#[test]
fn fmt_prints_every_cell_as_written_in_one_layout() {
    let text =
        "通知\n\n一、任务\n|任务|  牵头单位|\n|:--|--:|\n| 建设,保护中心 | 市局 \\| 区局 |\n二、要求\n按时报送。\n";
    let formatted = policyc::fmt::format_str(text, &policyc::fmt::Options::default()).unwrap().text;
    assert!(
        formatted.contains("| 任务 | 牵头单位 |\n| --- | --- |\n| 建设,保护中心 | 市局 \\| 区局 |\n"),
        "a cell's half-width comma stays: {formatted}"
    );
    let before = policyc::parse::parse_str(text).document;
    let after = policyc::parse::parse_str(&formatted).document;
    assert_eq!(all_tables(&after).len(), 1);
    assert_eq!(
        all_tables(&after).iter().map(|t| (&t.header, &t.rows)).collect::<Vec<_>>(),
        all_tables(&before).iter().map(|t| (&t.header, &t.rows)).collect::<Vec<_>>()
    );
    let again = policyc::fmt::format_str(&formatted, &policyc::fmt::Options::default()).unwrap().text;
    assert_eq!(again, formatted);
    let plan = std::fs::read_to_string(fixture("tables/plan.txt")).unwrap();
    let formatted = policyc::fmt::format_str(&plan, &policyc::fmt::Options::default()).unwrap().text;
    let shapes = |text: &str| -> Vec<(usize, Option<Vec<String>>, Vec<Row>)> {
        all_tables(&policyc::parse::parse_str(text).document)
            .into_iter()
            .map(|t| (t.at, t.header.clone(), t.rows.clone()))
            .collect()
    };
    assert_eq!(shapes(&formatted), shapes(&plan));
}

fn compare(old: &str, new: &str) -> policyc::diff::Diff {
    let (old, new) = (policyc::parse::parse_str(old).document, policyc::parse::parse_str(new).document);
    policyc::diff::diff(&old, &new)
}

#[test]
fn diff_reports_a_changed_cell_as_a_change_of_its_clause_or_field() {
    let plan = std::fs::read_to_string(fixture("tables/plan.txt")).unwrap();
    let changed =
        plan.replace("| 建设保护中心 | 市知识产权局 | 2025年6月 |", "| 建设保护中心 | 市知识产权局 | 2025年9月 |");
    let d = compare(&plan, &changed);
    let modified: Vec<_> = d.changes.iter().filter(|c| c.op != Op::Unchanged).collect();
    assert_eq!(modified.len(), 1, "{modified:?}");
    assert_eq!((modified[0].op, modified[0].new.as_deref()), (Op::Modified, Some("一、/（一）")));
    assert!(d.frame.is_empty());

    let changed = plan.replace("| 商标注册量 | 1.2万件 | 新增1.5万件 |", "| 商标注册量 | 1.2万件 | 新增2万件 |");
    let d = compare(&plan, &changed);
    assert!(d.changes.iter().all(|c| c.op == Op::Unchanged));
    assert_eq!(d.frame.iter().map(|f| f.field).collect::<Vec<_>>(), ["preamble"]);

    assert!(compare(&plan, &plan).is_same());
}

#[test]
fn a_search_for_a_cell_finds_its_clause() {
    let dir = tempfile::tempdir().unwrap();
    let policies = dir.path().join("policies");
    std::fs::create_dir(&policies).unwrap();
    std::fs::copy(fixture("tables/plan.txt"), policies.join("plan.txt")).unwrap();
    let out = dir.path().join("output");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_policyc"))
        .args(["build", "-q", "--allow-errors"])
        .arg(&policies)
        .arg("-o")
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    let shard = std::fs::read_to_string(out.join("plan.search.js")).unwrap();
    assert!(shard.contains("任务分工如下：各单位按季度报送进展。 任务 牵头单位 完成时限 建设保护中心"), "{shard}");
}
