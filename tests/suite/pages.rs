//! Saved web pages as sources: the policy's text found on the page, its
//! title, 字号, date and outline as the text path would find them in a
//! clean copy, never a line of navigation or footer, tables kept as rows,
//! the page's metadata as evidence, positions in the `.html`.

use std::path::Path;

use policyc::parse::parse;
use policyc::source::{Encoding, Format, SourceError, SourceFile, html};
use policyc::tree::{Document, Node, Table};

use crate::common::{assert_same_text, fixture};

/// Every page fixture but the one that holds no text.
const PAGES: &[&str] = &[
    "nea-regional",
    "ndrc-split-title",
    "nea-info-table",
    "trading-centre",
    "shanghai-attachments",
    "inner-mongolia",
    "guangdong",
    "table",
    "task-table",
    "gbk",
    "malformed",
];

fn policyc() -> std::process::Command {
    std::process::Command::new(env!("CARGO_BIN_EXE_policyc"))
}

fn read(name: &str) -> SourceFile {
    let path = fixture(&format!("html/{name}.html"));
    SourceFile::read(&path, Encoding::Utf8).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The outline as `tests/fixtures/html/NAME.outline` writes it: one node a
/// line, indented two spaces a level, its marker and the start of its title;
/// a table as `[table: COLUMNS columns, ROWS rows, header, merged R×C at
/// ROW:COLUMN …]` under the node it is in (or at the top, for the
/// preamble's and closing's).
fn outline(document: &Document) -> String {
    fn table(t: &Table, depth: usize, out: &mut String) {
        let header = if t.header.is_some() { ", header" } else { "" };
        let merged: String =
            t.merged.iter().map(|m| format!(", merged {}×{} at {}:{}", m.rows, m.columns, m.row, m.column)).collect();
        out.push_str(&format!(
            "{}[table: {} columns, {} rows{header}{merged}]\n",
            "  ".repeat(depth),
            t.columns(),
            t.rows.len()
        ));
    }
    fn visit(nodes: &[Node], depth: usize, out: &mut String) {
        for node in nodes {
            let title: String = node.title.as_deref().unwrap_or_default().chars().take(12).collect();
            let marker = if node.marker.is_empty() { format!("({})", node.kind.name()) } else { node.marker.clone() };
            out.push_str(format!("{}{marker} {title}", "  ".repeat(depth)).trim_end());
            out.push('\n');
            node.tables.iter().for_each(|t| table(t, depth + 1, out));
            visit(&node.children, depth + 1, out);
        }
    }
    let mut out = String::new();
    document.frame.preamble_tables.iter().for_each(|t| table(t, 0, &mut out));
    visit(&document.body, 0, &mut out);
    document.frame.closing_tables.iter().for_each(|t| table(t, 0, &mut out));
    out
}

#[test]
fn each_layout_gives_its_expected_outline() {
    for name in PAGES {
        let source = read(name);
        assert_eq!(source.format, Format::Html);
        let document = parse(&source).document;
        let expected = fixture(&format!("html/{name}.outline"));
        // `UPDATE_OUTLINES=1` writes what the pages give, for review in
        // `git diff` like a snapshot.
        if std::env::var_os("UPDATE_OUTLINES").is_some() {
            std::fs::write(&expected, outline(&document)).unwrap();
        }
        let want = std::fs::read_to_string(&expected).unwrap();
        assert_same_text(&outline(&document), &want, name);
    }
}

#[test]
fn title_doc_number_and_date_come_out_as_a_clean_copy_gives_them() {
    // (page, title, 字号, 成文日期), read off each page.
    let cases: &[(&str, &str, Option<&str>, Option<&str>)] = &[
        ("nea-regional", "关于公开征求《山东电力市场规则(试行)》(征求意见稿)意见的通知", None, Some("2025-07-29")),
        (
            "ndrc-split-title",
            "国家发展改革委等部门关于促进可再生能源绿色电力证书市场高质量发展的意见",
            Some("发改能源〔2025〕262号"),
            Some("2025-03-06"),
        ),
        ("nea-info-table", "电力市场注册基本规则", Some("国能发监管规〔2024〕76号"), Some("2024-09-13")),
        (
            "shanghai-attachments",
            "关于转发《国家能源局关于印发<坚强局部电网规划建设实施方案>的通知》的通知",
            Some("沪发改能源〔2021〕3号"),
            Some("2021-01-05"),
        ),
        ("malformed", "关于开展电力需求响应工作的通知", None, Some("2024-06-03")),
        // A notice that wraps the policy: the policy's own title.
        ("task-table", "2025年能源工作要点", Some("某能发〔2025〕3号"), Some("2025-03-10")),
    ];
    for &(name, title, number, date) in cases {
        let meta = parse(&read(name)).document.meta;
        assert_eq!(meta.title.as_deref(), Some(title), "{name}: title");
        assert_eq!(meta.doc_number.as_deref(), number, "{name}: 字号");
        assert_eq!(meta.date.as_deref(), date, "{name}: date");
    }
}

#[test]
fn no_navigation_share_bar_or_footer_reaches_the_text() {
    let chrome = [
        "首页",
        "字体",
        "扫一扫",
        "ICP备",
        "分享",
        "相关文章",
        "打印",
        "当前位置",
        "网站标识码",
        "来源：",
        "Aa",
        "设为首页",
    ];
    for name in PAGES {
        let source = read(name);
        for word in chrome {
            assert!(!source.text.contains(word), "{name}: `{word}` in\n{}", source.text);
        }
        let document = parse(&source).document;
        assert!(document.frame.debris.is_empty(), "{name}: debris {:?}", document.frame.debris);
    }
}

#[test]
fn a_gbk_page_reads_as_its_utf8_twin() {
    let bytes = std::fs::read(fixture("html/gbk.html")).unwrap();
    assert!(std::str::from_utf8(&bytes).is_err(), "the fixture must be GBK");
    assert_same_text(&read("gbk").text, &read("shanghai-attachments").text, "gbk");
}

#[test]
fn a_title_over_two_centred_blocks_is_one_line() {
    let text = read("ndrc-split-title").text;
    assert!(text.starts_with(
        "国家发展改革委等部门关于促进可再生能源绿色电力证书市场高质量发展的意见\n发改能源〔2025〕262号\n"
    ));
    let text = read("nea-info-table").text;
    assert!(text.starts_with("国家能源局关于印发《电力市场注册基本规则》的通知\n国能发监管规〔2024〕76号\n"), "{text}");
}

#[test]
fn the_info_table_is_evidence_not_text() {
    let source = read("nea-info-table");
    assert!(!source.text.contains("索引号"));
    let document = parse(&source).document;
    let evidence = &document.frame.evidence;
    let find = |field: &str| evidence.iter().find(|e| e.field == field && e.from.starts_with("info table"));
    assert_eq!(find("index_number").map(|e| e.value.as_str()), Some("000019705/2024-00241"));
    assert_eq!(find("date").map(|e| e.value.as_str()), Some("2024-09-13"));
    assert_eq!(find("issuer").map(|e| e.value.as_str()), Some("国家能源局"));
    let title = evidence.iter().find(|e| e.from == "meta ArticleTitle").unwrap();
    assert_eq!(title.value, "国家能源局关于印发《电力市场注册基本规则》的通知");
    // The evidence is in the YAML edition, each with where it came from.
    let yaml = policyc::emit::render(&document, policyc::emit::Edition::Yaml).unwrap();
    assert!(yaml.contains("from: info table 索引号"), "{yaml}");
    // The page's publication date fills meta.page_date.
    assert_eq!(document.meta.page_date.as_deref(), Some("2024-09-13"));
}

#[test]
fn attachment_links_are_evidence_with_their_targets() {
    let document = parse(&read("shanghai-attachments")).document;
    let attachments: Vec<_> = document.frame.evidence.iter().filter(|e| e.field == "attachment").collect();
    // The attachment the notice forwards, then the sidebar's PDF of the
    // page itself.
    assert_eq!(attachments.len(), 2, "{attachments:?}");
    assert_eq!(attachments[0].value, "国家能源局关于印发《坚强局部电网规划建设实施方案》的通知.pdf");
    assert!(attachments[0].href.as_deref().unwrap().ends_with("f90e3509f2b9873d3d497a59f4f508d7.pdf"));
    assert_eq!(attachments[0].line, 78);
    let document = parse(&read("nea-regional")).document;
    assert_eq!(document.frame.evidence.iter().filter(|e| e.field == "attachment").count(), 3);
}

#[test]
fn a_page_that_only_links_its_pdf_names_the_attachment() {
    let path = fixture("html/pdf-only.html");
    let bytes = std::fs::read(&path).unwrap();
    match SourceFile::from_bytes(&path, Format::Html, &bytes, Encoding::Utf8) {
        Err(SourceError::AttachmentOnly { name, href, line }) => {
            assert_eq!(name, "山东电力市场规则（试行）（征求意见稿）.pdf");
            assert_eq!(href, "./P020250729768088441992.pdf");
            let page = String::from_utf8(bytes).unwrap();
            assert!(page.lines().nth(line as usize - 1).unwrap().contains(&href));
        }
        other => panic!("{other:?}"),
    }
    let out = policyc().arg("check").arg(&path).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("only a link to the attachment `山东电力市场规则（试行）（征求意见稿）.pdf`"), "{stderr}");
}

#[test]
fn tables_are_kept_as_rows() {
    let text = read("table").text;
    assert!(
        text.contains(
            "| 机组类型 | 档位 | 负荷率 | 报价限制(元/MWh) |\n| --- | --- | --- | --- |\n\
             | 燃煤 | 第一档 | 45%≤负荷率＜50% | 报价≤200 |\n| ^^ | 第二档 | 40%≤负荷率＜45% | 报价≤300 |\n"
        ),
        "{text}"
    );
    // Nested tables in a malformed page: the inner table is its cell's text.
    let text = read("malformed").text;
    assert!(text.contains("| 响应类型 | 补贴（元/千瓦） |\n| 约定响应 | 4 |\n| 实时响应 | 6 |\n"), "{text}");
}

/// Every table of a document, in reading order of the tree.
fn tables(document: &Document) -> Vec<&Table> {
    fn visit<'a>(nodes: &'a [Node], out: &mut Vec<&'a Table>) {
        for node in nodes {
            out.extend(&node.tables);
            visit(&node.children, out);
        }
    }
    let mut out: Vec<&Table> = document.frame.preamble_tables.iter().collect();
    visit(&document.body, &mut out);
    out.extend(&document.frame.closing_tables);
    out
}

#[test]
fn merged_cells_stay_over_the_columns_and_rows_they_span() {
    let source = read("task-table");
    let want = "| 序 号 | 工作任务 | 责任单位 | << | 完成时限 |\n\
                | --- | --- | --- | --- | --- |\n\
                | ^^ | ^^ | 牵头 | 配合 | ^^ |\n\
                | 1 | 新增发电装机1000万千瓦以上 | 省能源局 | 省发展改革委 | 2025年12月 |\n\
                | 2 | 建成投运抽水蓄能电站2座 | ^^ | 省自然资源厅、省生态环境厅 | 2025年10月 |\n\
                | 3 | 完善迎峰度夏电力保供预案 | 国网某省电力公司 | 省能源局 | 2025年5月 |\n\
                | 合计：3项任务 | << | << | << | — |\n";
    assert!(source.text.contains(want), "{}", source.text);
    let document = parse(&source).document;
    let merge = |row, column, rows, columns| policyc::tree::Merge { row, column, rows, columns };
    let all = tables(&document);
    assert_eq!(
        all[0].merged,
        [
            merge(0, 0, 2, 1),
            merge(0, 1, 2, 1),
            merge(0, 2, 1, 2),
            merge(0, 4, 2, 1),
            merge(2, 2, 2, 1),
            merge(5, 0, 1, 4)
        ]
    );
    assert_eq!(all[0].rows[2].cells[2], "", "a covered position holds no text");
    // Every marker the page's spans gave merges (none is left as text: T009).
    for name in PAGES {
        let checked = policyc::validate::run(&read(name), &policyc::validate::Config::default());
        assert!(checked.diagnostics.iter().all(|d| d.code != "T009"), "{name}: {:?}", checked.diagnostics);
    }

    // HTML draws the spans, the second header row in the head.
    let html = policyc::emit::render(&document, policyc::emit::Edition::Html).unwrap();
    for cell in [
        r#"<th scope="col" rowspan="2">序 号</th>"#,
        r#"<th scope="colgroup" colspan="2">责任单位</th>"#,
        r#"<tr><th scope="col">牵头</th><th scope="col">配合</th></tr></thead>"#,
        r#"<td rowspan="2">省能源局</td>"#,
        r#"<tr><td>2</td><td>建成投运抽水蓄能电站2座</td><td>省自然资源厅、省生态环境厅</td>"#,
        r#"<td colspan="4">合计：3项任务</td><td>—</td>"#,
    ] {
        assert!(html.contains(cell), "`{cell}` not in\n{html}");
    }

    // The Markdown edition and the Word edition read back as the same tables.
    let markdown = policyc::emit::render(&document, policyc::emit::Edition::Markdown).unwrap();
    let back = parse(&SourceFile::from_text("task-table.md", Format::Markdown, markdown)).document;
    let docx = policyc::emit::render_bytes(&document, policyc::emit::Edition::Docx).unwrap();
    let word = SourceFile::from_docx("task-table.docx", &docx, policyc::source::docx::Changes::Accept).unwrap();
    let word = parse(&word).document;
    for (edition, back) in [("markdown", &back), ("docx", &word)] {
        let shape = |t: &Table| (t.header.clone(), t.rows.clone(), t.merged.clone());
        let got: Vec<_> = tables(back).into_iter().map(shape).collect();
        let want: Vec<_> = all.iter().map(|t| shape(t)).collect();
        assert_eq!(got, want, "{edition}");
    }
}

#[test]
fn a_header_set_off_by_the_pages_style_sheet_is_the_header() {
    // `.zb-head{font-weight:700}` in a `<style>`; the body's cells have no
    // class, so only the style sheet tells the first row apart.
    let document = parse(&read("task-table")).document;
    let indicators = tables(&document)[1];
    assert_eq!(indicators.header.as_deref(), Some(&["指标", "2024年", "2025年目标"].map(String::from)[..]));
    // Without the rule the same row is a body row.
    let page =
        std::fs::read_to_string(fixture("html/task-table.html")).unwrap().replace(".zb-head{font-weight:700}", "");
    let plain = SourceFile::from_bytes(Path::new("plain.html"), Format::Html, page.as_bytes(), Encoding::Utf8).unwrap();
    let plain = parse(&plain).document;
    assert_eq!(tables(&plain)[1].header, None);
    assert_eq!(tables(&plain)[1].rows[0].cells, ["指标", "2024年", "2025年目标"]);
}

/// Where a piece of text first appears in a page: its line and column.
fn position_in(page: &str, needle: &str) -> (u32, u32) {
    for (i, line) in page.lines().enumerate() {
        if let Some(at) = line.find(needle) {
            return (i as u32 + 1, line[..at].chars().count() as u32 + 1);
        }
    }
    panic!("`{needle}` not in the page");
}

#[test]
fn positions_are_the_pages_lines_and_columns() {
    for (name, needle) in [("nea-info-table", "第五十一条"), ("table", "第十二条"), ("malformed", "三、工作要求")]
    {
        let source = read(name);
        let page = std::fs::read_to_string(fixture(&format!("html/{name}.html"))).unwrap();
        let at = source.text.find(needle).unwrap();
        assert_eq!(source.original_position(at), position_in(&page, needle), "{name}: {needle}");
    }
}

#[test]
fn diagnostics_point_into_the_page() {
    // 一、 then 三、: a numbering gap, reported at 三、 in the .html.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gap.html");
    let page = "<html><body>\n<div class=\"TRS_Editor\">\n<p>关于做好迎峰度夏工作的通知</p>\n<p>各有关单位：</p>\n\
                <p>　　一、加强组织领导。各单位要高度重视。</p>\n    <p>　　三、做好应急准备。</p>\n</div></body></html>\n";
    std::fs::write(&path, page).unwrap();
    let out = policyc().args(["check", "--format", "json"]).arg(&path).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let gap = stdout.lines().find(|l| l.contains("三、") || l.contains("N001")).unwrap_or_else(|| panic!("{stdout}"));
    let record: serde_json::Value = serde_json::from_str(gap).unwrap();
    assert_eq!((record["line"].as_u64(), record["column"].as_u64()), (Some(6), Some(10)), "{gap}");
    let out = policyc().arg("check").arg(&path).env("NO_COLOR", "1").output().unwrap();
    let human = String::from_utf8_lossy(&out.stdout);
    assert!(human.contains("gap.html:6:10"), "{human}");
}

#[test]
fn import_writes_a_text_source_that_records_the_page() {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("shandong.txt");
    let out = policyc().arg("import").arg(fixture("html/nea-regional.html")).arg("-o").arg(&out_path).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(&out_path).unwrap();
    assert!(
        text.starts_with("+++\n[source]\npage = \"nea-regional.html\"\nsite = \"国家能源局山东监管办公室\"\n"),
        "{text}"
    );
    assert!(
        text.contains(
            "published = \"2025-07-29\"\n+++\n关于公开征求《山东电力市场规则(试行)》(征求意见稿)意见的通知\n"
        )
    );
    // The text source checks clean of front-matter complaints and parses
    // to the page's document.
    let checked = policyc().args(["check", "--format", "json"]).arg(&out_path).output().unwrap();
    assert!(!String::from_utf8_lossy(&checked.stdout).contains("C001"));
    let from_text = parse(&SourceFile::read(&out_path, Encoding::Utf8).unwrap()).document;
    let from_page = parse(&read("nea-regional")).document;
    assert_eq!(from_text.meta.title, from_page.meta.title);
    assert_eq!(outline(&from_text), outline(&from_page));
}

#[test]
fn build_takes_pages_beside_text_sources() {
    let dir = tempfile::tempdir().unwrap();
    let policies = dir.path().join("policies");
    std::fs::create_dir(&policies).unwrap();
    std::fs::copy(fixture("html/table.html"), policies.join("table.htm")).unwrap();
    let output = dir.path().join("output");
    let out = policyc().arg("build").arg(&policies).arg("-o").arg(&output).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let yaml = std::fs::read_to_string(output.join("table.yaml")).unwrap();
    assert!(yaml.contains("第十二条"));
    assert!(!yaml.contains("扫一扫"));
}

#[test]
fn an_info_table_date_that_differs_from_the_signature_is_reported() {
    let page = "<html><body><table><tr><td>索引号：</td><td>123/2024-1</td><td>成文日期：</td><td>2024年03月02日</td></tr></table>\
                <div class=\"TRS_Editor\"><p>关于做好迎峰度夏工作的通知</p><p>各有关单位：</p><p>一、加强组织领导。各单位要高度重视。</p>\
                <p align=right>某市发展和改革委员会</p><p align=right>2024年3月1日</p></div></body></html>";
    let source = SourceFile::from_bytes(Path::new("d.html"), Format::Html, page.as_bytes(), Encoding::Utf8).unwrap();
    let checked = policyc::validate::run(&source, &policyc::validate::Config::default());
    let found: Vec<_> = checked.diagnostics.iter().filter(|d| d.code == "F008").collect();
    assert_eq!(found.len(), 1, "{:?}", checked.diagnostics);
    assert!(
        found[0].message.contains("2024年03月02日") && found[0].message.contains("2024-03-01"),
        "{}",
        found[0].message
    );
    // The same page signed on the info table's date: nothing to say.
    let same = page.replace("2024年3月1日", "2024年3月2日");
    let source = SourceFile::from_bytes(Path::new("d.html"), Format::Html, same.as_bytes(), Encoding::Utf8).unwrap();
    let checked = policyc::validate::run(&source, &policyc::validate::Config::default());
    assert!(!checked.diagnostics.iter().any(|d| d.code == "F008"));
}

#[test]
fn the_content_rules_name_what_found_the_text() {
    let page = |name: &str| html::extract(&std::fs::read(fixture(&format!("html/{name}.html"))).unwrap()).unwrap();
    assert_eq!(page("malformed").layout, "text density");
    assert_eq!(page("nea-info-table").layout, "NEA national site (table layout)");
    assert_eq!(page("shanghai-attachments").layout, "Shanghai government sites");
}
