//! The build step as a publishing pipeline leans on it: a build with nothing
//! changed writes nothing, a changed source rebuilds only its editions and
//! the index, a changed template rebuilds every page; the summary line and
//! the (absent) progress bar off a terminal; and what the HTML site shows.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

use policyc::publish::{BuildOptions, BuildReport, MANIFEST, OWNERS, build};

use crate::common::*;

/// A policies directory with the five seeds, and an output directory.
struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    fn new() -> Site {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("policies")).unwrap();
        for slug in SEEDS {
            fs::copy(seed_path(slug), dir.path().join(format!("policies/{slug}.txt"))).unwrap();
        }
        Site { dir }
    }

    fn input(&self) -> PathBuf {
        self.dir.path().join("policies")
    }

    fn output(&self) -> PathBuf {
        self.dir.path().join("output")
    }

    fn build_with(&self, templates: Option<PathBuf>) -> BuildReport {
        let options = BuildOptions {
            input: self.input(),
            output: self.output(),
            templates,
            allow_errors: false,
            ..Default::default()
        };
        build(&options, &|_, _, _| {}).unwrap()
    }

    fn build(&self) -> BuildReport {
        self.build_with(None)
    }

    fn source(&self, slug: &str) -> PathBuf {
        self.input().join(format!("{slug}.txt"))
    }

    fn page(&self, name: &str) -> String {
        fs::read_to_string(self.output().join(name)).unwrap()
    }

    /// Names of the files the build wrote, relative to the output directory.
    fn written(&self, report: &BuildReport) -> Vec<String> {
        names(&self.output(), &report.written)
    }

    fn mtimes(&self) -> Vec<(String, SystemTime)> {
        let mut out: Vec<_> = fs::read_dir(self.output())
            .unwrap()
            .map(|e| e.unwrap())
            .map(|e| (e.file_name().to_string_lossy().into_owned(), e.metadata().unwrap().modified().unwrap()))
            .collect();
        out.sort();
        out
    }
}

fn names(root: &Path, paths: &[PathBuf]) -> Vec<String> {
    paths.iter().map(|p| p.strip_prefix(root).unwrap().to_string_lossy().into_owned()).collect()
}

/// A document's editions and its search shard, sorted.
fn editions(slug: &str) -> Vec<String> {
    ["docx", "html", "md", "search.js", "yaml"].iter().map(|ext| format!("{slug}.{ext}")).collect()
}

#[test]
fn a_second_build_with_nothing_changed_writes_nothing() {
    let site = Site::new();
    let first = site.build();
    assert_eq!((first.built(), first.unchanged(), first.failed()), (5, 0, 0));
    // Every edition and the search shard of each, the index and owners
    // pages, the manifest and the owners store.
    assert_eq!(first.written.len(), 5 * (policyc::publish::EDITIONS.len() + 1) + 4, "{:?}", site.written(&first));
    let before = site.mtimes();
    let second = site.build();
    assert_eq!((second.built(), second.unchanged(), second.failed()), (0, 5, 0));
    assert_eq!(site.written(&second), Vec::<String>::new());
    assert_eq!(site.mtimes(), before, "a file was touched");
}

#[test]
fn a_changed_source_rebuilds_only_its_editions_and_the_index() {
    let site = Site::new();
    site.build();
    let slug = "liaoning-ip-three-year-plan-2023";
    retitle_liaoning(&site);
    let report = site.build();
    assert_eq!((report.built(), report.unchanged()), (1, 4));
    let mut expected = editions(slug);
    // The owners view names the document by its title: the store and the
    // owners page change.
    expected.extend([MANIFEST.to_owned(), OWNERS.to_owned(), "index.html".to_owned(), "owners.html".to_owned()]);
    expected.sort();
    assert_eq!(site.written(&report), expected);
    assert!(site.page("index.html").contains("三年行动计划"));
    assert!(site.page("owners.html").contains("三年行动计划"));
}

#[test]
fn a_change_inside_the_body_leaves_the_index_alone() {
    let site = Site::new();
    site.build();
    // A document without owners, so that the index's owners view stays too.
    let slug = "chongqing-ip-service-measures-draft";
    let text = fs::read_to_string(site.source(slug)).unwrap();
    let edited = text.replacen("构建内外联动的知识产权服务网络", "构建内外联动、开放共享的知识产权服务网络", 1);
    assert_ne!(edited, text);
    fs::write(site.source(slug), edited).unwrap();
    let report = site.build();
    let mut expected = editions(slug);
    expected.insert(0, MANIFEST.to_owned());
    assert_eq!(site.written(&report), expected);
}

#[test]
fn a_changed_template_rebuilds_every_page() {
    let site = Site::new();
    let templates = site.dir.path().join("templates");
    fs::create_dir(&templates).unwrap();
    site.build_with(Some(templates.clone()));
    assert_eq!(site.build_with(Some(templates.clone())).built(), 0);
    let css = policyc::emit::html::BUILTIN.iter().find(|(n, _)| *n == "style.css").unwrap().1;
    fs::write(templates.join("style.css"), format!("{css}\n.policy h1 {{ color: #000; }}\n")).unwrap();
    let report = site.build_with(Some(templates));
    assert_eq!(report.built(), 5);
    // Every page is rendered again; the YAML and Markdown editions come out
    // the same bytes, so they are not rewritten.
    let mut expected: Vec<String> = SEEDS.iter().map(|s| format!("{s}.html")).collect();
    expected.extend([MANIFEST.to_owned(), "index.html".to_owned(), "owners.html".to_owned()]);
    expected.sort();
    assert_eq!(site.written(&report), expected);
    assert!(site.page("index.html").contains(".policy h1 { color: #000; }"));
}

#[test]
fn a_damaged_manifest_means_a_full_build_not_a_failure() {
    let site = Site::new();
    site.build();
    fs::write(site.output().join(MANIFEST), "{ not json").unwrap();
    let report = site.build();
    assert_eq!((report.built(), report.failed()), (5, 0));
    // The editions were the same bytes: only the manifest was rewritten.
    assert_eq!(site.written(&report), vec![MANIFEST.to_owned()]);
}

#[test]
fn a_deleted_output_is_written_again() {
    let site = Site::new();
    site.build();
    let gone = "guangzhou-ip-service-plan-2016.html";
    fs::remove_file(site.output().join(gone)).unwrap();
    let report = site.build();
    assert_eq!(report.built(), 1);
    assert_eq!(site.written(&report), vec![gone.to_owned()]);
}

fn policyc_build(site: &Site, extra: &[&str]) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_policyc"))
        .arg("build")
        .arg(site.input())
        .arg("-o")
        .arg(site.output())
        .args(extra)
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    (output.status.success(), String::from_utf8(output.stderr).unwrap())
}

#[test]
fn off_a_terminal_the_build_prints_only_its_summary() {
    let site = Site::new();
    let (ok, stderr) = policyc_build(&site, &[]);
    assert!(ok, "{stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    let last = lines.last().copied().unwrap_or_default();
    let rest = last.strip_prefix("built 5, unchanged 0, failed 0, removed 0 in ").unwrap_or_else(|| panic!("{stderr}"));
    assert!(rest.ends_with('s') && rest.trim_end_matches('s').parse::<f64>().is_ok(), "{last}");
    // No progress bar: no carriage returns, no escape sequences.
    assert!(!stderr.contains('\r') && !stderr.contains('\u{1b}'), "{stderr:?}");
    let (ok, stderr) = policyc_build(&site, &[]);
    assert!(ok && stderr.trim_end().ends_with('s') && stderr.contains("built 0, unchanged 5, failed 0"), "{stderr}");
}

#[test]
fn quiet_builds_print_nothing() {
    let site = Site::new();
    let (ok, stderr) = policyc_build(&site, &["--quiet"]);
    assert!(ok);
    assert_eq!(stderr, "");
}

#[test]
fn the_draft_alone_carries_the_banner_and_the_watermark() {
    let site = Site::new();
    site.build();
    for slug in SEEDS {
        let page = site.page(&format!("{slug}.html"));
        let draft = slug == "chongqing-ip-service-measures-draft";
        assert_eq!(page.contains("class=\"draft-banner\""), draft, "{slug}");
        assert_eq!(page.contains("data-watermark=\"征求意见稿\""), draft, "{slug}");
    }
}

#[test]
fn the_header_shows_the_frame() {
    let site = Site::new();
    site.build();
    let page = site.page("sichuan-ip-work-points-2021.html");
    let meta = &page[page.find("<dl class=\"meta\">").unwrap()..];
    let meta = &meta[..meta.find("</dl>").unwrap()];
    for expected in [
        "<dt>发文字号</dt><dd>川市监发〔2021〕21号</dd>",
        "<dt>成文日期</dt><dd><time datetime=\"2021-03-01\">2021年3月1日</time></dd>",
        "<dt>发文机关</dt><dd>四川省市场监督管理局、四川省知识产权服务促进中心</dd>",
        "<dt>状态</dt><dd>正式文件</dd>",
    ] {
        assert!(meta.contains(expected), "{expected} not in {meta}");
    }
}

#[test]
fn every_clause_has_a_permalink_to_its_own_id() {
    let site = Site::new();
    site.build();
    let page = site.page("sichuan-ip-service-measures-2023.html");
    let ids: Vec<&str> = page.split("<section id=\"").skip(1).map(|s| &s[..s.find('"').unwrap()]).collect();
    let (_, parsed) = parse_seed("sichuan-ip-service-measures-2023");
    assert_eq!(ids.len(), parsed.document.nodes().count());
    for id in ids {
        assert!(page.contains(&format!("<a class=\"permalink\" href=\"#{id}\"")), "no permalink for {id}");
    }
}

#[test]
fn the_index_lists_newest_first_with_status_and_issuer() {
    let site = Site::new();
    site.build();
    let index = site.page("index.html");
    let dates: Vec<&str> = index.split("<td data-sort=\"").skip(1).map(|s| &s[..s.find('"').unwrap()]).collect();
    let mut sorted = dates.clone();
    // Newest first, undated last.
    sorted.sort_by(|a, b| a.is_empty().cmp(&b.is_empty()).then(b.cmp(a)));
    assert_eq!(dates, sorted);
    assert_eq!(dates.len(), 5);
    assert!(index.contains("<span class=\"badge draft\">征求意见稿</span>"));
    assert!(index.contains("四川省市场监督管理局等"), "{index}");
    // Nothing is fetched from outside: no src= or external href at all.
    assert!(!index.contains("src=") && !index.contains("href=\"http"));
}

/// Give the Liaoning plan's own title (line 19; the notice names it too) a
/// new word: the index lists titles, so it must be rendered again.
fn retitle_liaoning(site: &Site) {
    let path = site.source("liaoning-ip-three-year-plan-2023");
    let text = fs::read_to_string(&path).unwrap();
    let mut lines: Vec<String> = text.split('\n').map(str::to_owned).collect();
    assert!(lines[18].contains("三年行动方案"), "{}", lines[18]);
    lines[18] = lines[18].replace("三年行动方案", "三年行动计划");
    fs::write(&path, lines.join("\n")).unwrap();
}

#[test]
fn a_body_edit_without_owners_does_not_read_the_owners_store() {
    let site = Site::new();
    site.build();
    // Damaged, but not needed: the index shows nothing that changed.
    fs::write(site.output().join(OWNERS), "[").unwrap();
    let path = site.source("chongqing-ip-service-measures-draft");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, text.replacen("构建内外联动的", "构建内外联动、开放共享的", 1)).unwrap();
    let report = site.build();
    assert_eq!((report.built(), report.unchanged()), (1, 4));
}

#[test]
fn a_damaged_owners_store_means_a_full_build_with_every_owner_listed() {
    let site = Site::new();
    site.build();
    let units = |page: &str| page.matches("<section class=\"unit\"").count();
    let before = units(&site.page("owners.html"));
    assert!(before > 10);
    fs::write(site.output().join(OWNERS), "[").unwrap();
    retitle_liaoning(&site);
    let report = site.build();
    assert_eq!((report.built(), report.failed()), (5, 0));
    assert_eq!(units(&site.page("owners.html")), before, "the owners view lost units");
    let mut expected = editions("liaoning-ip-three-year-plan-2023");
    expected.extend([MANIFEST.to_owned(), OWNERS.to_owned(), "index.html".to_owned(), "owners.html".to_owned()]);
    expected.sort();
    assert_eq!(site.written(&report), expected);
}

#[test]
fn a_missing_owners_store_means_a_full_build() {
    let site = Site::new();
    site.build();
    fs::remove_file(site.output().join(OWNERS)).unwrap();
    let report = site.build();
    assert_eq!(report.built(), 5);
    assert_eq!(site.written(&report), vec![OWNERS.to_owned()]);
}

#[test]
fn a_damaged_block_of_the_owners_store_is_noticed() {
    let site = Site::new();
    site.build();
    let page = site.page("owners.html");
    // A unit's name altered inside the store, its length kept: only the
    // block's digest in the manifest can tell.
    let store = site.output().join(OWNERS);
    let text = fs::read_to_string(&store).unwrap();
    let damaged = text.replacen("\"unit\":\"四川省", "\"unit\":\"四川市", 1);
    assert_ne!(damaged, text);
    fs::write(&store, damaged).unwrap();
    retitle_liaoning(&site);
    let report = site.build();
    assert_eq!((report.built(), report.failed()), (5, 0));
    assert_eq!(site.page("owners.html"), page.replace("三年行动方案", "三年行动计划"));
}

#[test]
fn the_owners_page_lists_every_clause_of_every_unit() {
    let site = Site::new();
    site.build();
    let mut pairs = Vec::new();
    for slug in SEEDS {
        let (_, parsed) = parse_seed(slug);
        let own = policyc::owners::collect(&parsed.document, slug);
        pairs.extend(policyc::publish::units::qualify_all(&parsed.document, own));
    }
    let units = policyc::owners::invert(pairs);
    let page = site.page("owners.html");
    assert_eq!(page.matches("<section class=\"unit\"").count(), units.len());
    let clauses: usize = units.iter().map(|u| u.clauses.len()).sum();
    assert_eq!(page.matches("<li>").count(), clauses);
    for unit in &units {
        let section = format!("<section class=\"unit\" id=\"unit-{}\">", unit.unit);
        let at = page.find(&section).unwrap_or_else(|| panic!("no section for {}", unit.unit));
        let first = &unit.clauses[0];
        let link = format!("<a href=\"{}\">", policyc::emit::href(&format!("{}.html", first.slug), Some(&first.id)));
        assert!(page[at..].contains(&link), "{}: {link}", unit.unit);
    }
    let index = site.page("index.html");
    assert_eq!(index.matches("<a href=\"./owners.html#unit-").count(), units.len());
}

#[test]
fn the_owners_page_written_by_hand_is_what_the_template_gives() {
    let site = Site::new();
    // Owners whose names and clauses need escaping, a role, an empty title.
    fs::write(
        site.input().join("tricky.txt"),
        "关于<测试>的措施\n\n一、总体要求\n1.\"引号\"与'撇号'&符号/斜线。[牵头单位:<b>局</b>、省知识产权局]\n2.建立机制。(责任部门:A&B处)\n二、保障\n（一）经费保障。（省财政厅负责）\n",
    )
    .unwrap();
    site.build();
    let fast = site.page("owners.html");
    assert!(fast.contains("&lt;b&gt;局&lt;&#x2f;b&gt;"), "{fast}");
    // The built-in template with a comment after its last block renders the
    // same page, but is not the built-in one: the interpreter writes it.
    let templates = site.dir.path().join("templates");
    fs::create_dir(&templates).unwrap();
    let builtin = policyc::emit::html::BUILTIN.iter().find(|(n, _)| *n == "owners.html").unwrap().1;
    fs::write(templates.join("owners.html"), format!("{builtin}{{# interpreted #}}\n")).unwrap();
    site.build_with(Some(templates));
    assert_eq!(site.page("owners.html"), fast);
}

#[test]
fn a_unit_named_in_more_documents_than_a_window_is_written_in_order() {
    // The owners page is written by all threads, in windows of a unit's
    // documents: across their seams the page must read as the interpreter
    // writes it, every document once, in slug order.
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("policies");
    fs::create_dir(&input).unwrap();
    for i in 0..1100 {
        let other = if i % 7 == 0 { "、省科技厅" } else { "" };
        fs::write(
            input.join(format!("m{i:04}.txt")),
            format!(
                "关于第{i}项的措施\n\n一、要求\n1.建立机制。（省财政厅{other}负责）\n2.落实经费。（省财政厅负责）\n"
            ),
        )
        .unwrap();
    }
    let build_into = |output: &str, templates: Option<PathBuf>| {
        let options = BuildOptions {
            input: input.clone(),
            output: dir.path().join(output),
            templates,
            allow_errors: false,
            ..Default::default()
        };
        build(&options, &|_, _, _| {}).unwrap();
        fs::read_to_string(dir.path().join(output).join("owners.html")).unwrap()
    };
    let fast = build_into("fast", None);
    let templates = dir.path().join("templates");
    fs::create_dir(&templates).unwrap();
    let builtin = policyc::emit::html::BUILTIN.iter().find(|(n, _)| *n == "owners.html").unwrap().1;
    fs::write(templates.join("owners.html"), format!("{builtin}{{# interpreted #}}\n")).unwrap();
    assert_eq!(build_into("interpreted", Some(templates)), fast);
    let finance = &fast[fast.find("id=\"unit-省财政厅\"").unwrap()..];
    let finance = &finance[..finance.find("</section>").unwrap()];
    assert_eq!(finance.matches("<h3>").count(), 1100);
    assert_eq!(finance.matches("</ul>").count(), 1100);
    assert!(finance.find("m0031.html\"").unwrap() < finance.find("m0032.html\"").unwrap());
    assert!(finance.find("m1023.html\"").unwrap() < finance.find("m1024.html\"").unwrap());
}

/// Issue 14: a source whose name could become a scheme or markup in a link
/// is not published, and the error names a safe name; every link of the
/// site is `./` and a percent-encoded file, or a fragment.
#[test]
fn hostile_source_names_are_refused_and_every_href_is_relative_and_encoded() {
    let dir = tempfile::tempdir().unwrap();
    let input = hostile_policies(dir.path());
    let out = dir.path().join("site");
    let output =
        Command::new(env!("CARGO_BIN_EXE_policyc")).arg("build").arg(&input).arg("-o").arg(&out).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    for (name, safe) in HOSTILE_NAMES {
        assert!(stderr.contains(&format!("{} was not published", input.join(name).display())), "{stderr}");
        assert!(stderr.contains(&format!("rename it to `{safe}`")), "{stderr}");
        assert!(policyc::publish::check_slug(safe.trim_end_matches(".txt")).is_ok(), "{safe} is safe itself");
    }
    let mut pages: Vec<_> = fs::read_dir(&out)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    pages.sort();
    let names: Vec<_> = pages.iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert_eq!(names, ["2016年广州.服务_计划-v1.html", "index.html", "owners.html", "units.html"]);
    for page in &pages {
        let html = fs::read_to_string(page).unwrap();
        let anchors: Vec<&str> = html.split("<a ").skip(1).collect();
        assert!(!anchors.is_empty(), "{}", page.display());
        for anchor in anchors {
            let href = anchor.split("href=\"").nth(1).and_then(|s| s.split('"').next()).unwrap_or("");
            assert!(is_safe_href(href), "{}: href={href:?}", page.display());
        }
        assert!(!html.contains("javascript:alert(document"), "{}", page.display());
    }
}

#[test]
fn slugs_outside_the_safe_pattern_are_refused_with_a_safe_name() {
    use policyc::publish::check_slug;
    for ok in ["sichuan-ip-work-points-2021", "2021年四川省知识产权工作要点", "a.b_c-d", "〇一"] {
        assert_eq!(check_slug(ok), Ok(()), "{ok}");
    }
    for (bad, safe) in [
        ("javascript:alert(1)", "javascript-alert-1"),
        ("..", "document"),
        (".hidden", "hidden"),
        ("-x", "x"),
        ("a b", "a-b"),
        ("工作要点（征求意见稿）", "工作要点-征求意见稿"),
        ("a%2Fb", "a-2Fb"),
        ("", "document"),
    ] {
        assert_eq!(check_slug(bad), Err(safe.to_owned()), "{bad}");
    }
}

/// The site header's navigation of a page, between `<nav aria-label="站点">` and its `</nav>`.
fn site_nav(page: &str) -> &str {
    let start = page.find("<nav aria-label=\"站点\">").expect("a site navigation");
    &page[start..start + page[start..].find("</nav>").unwrap()]
}

/// The `href`s of the links in `html` with `rel`.
fn rel_href<'a>(html: &'a str, rel: &str) -> Option<&'a str> {
    let at = html.find(&format!("rel=\"{rel}\" href=\""))? + format!("rel=\"{rel}\" href=\"").len();
    Some(&html[at..at + html[at..].find('"')?])
}

/// Issue 19: one navigation. The site's bar does not repeat the table of
/// contents (政策文件目录 beside 目录): the only 目录 is the page's own.
#[test]
fn a_policy_page_has_one_navigation_not_two_named_mulu() {
    let site = Site::new();
    site.build();
    for slug in SEEDS {
        let page = site.page(&format!("{slug}.html"));
        let nav = site_nav(&page);
        assert!(nav.contains(">政策文件目录</a>"), "{slug}: {nav}");
        assert!(!nav.contains("#toc") && !nav.contains(">目录<"), "{slug}: a second 目录 in the bar: {nav}");
        assert_eq!(page.matches("<nav aria-label=\"站点\">").count(), 1, "{slug}");
    }
}

/// Issue 19: previous/next in the index's order (newest first) on every
/// policy's page; a removed policy's neighbours are patched to link to
/// each other, and no other page is written.
#[test]
fn each_policy_page_links_its_neighbours_in_the_index_order() {
    let site = Site::new();
    site.build();
    let index = site.page("index.html");
    let order: Vec<String> = SEEDS
        .iter()
        .map(|s| (index.find(&format!("href=\"./{s}.html\"")).unwrap(), s.to_string()))
        .collect::<std::collections::BTreeMap<_, _>>()
        .into_values()
        .collect();
    for (i, slug) in order.iter().enumerate() {
        let nav = site.page(&format!("{slug}.html"));
        let nav = site_nav(&nav);
        let prev = i.checked_sub(1).map(|j| format!("./{}.html", order[j]));
        let next = order.get(i + 1).map(|s| format!("./{s}.html"));
        assert_eq!(rel_href(nav, "prev").map(str::to_owned), prev, "{slug}: {nav}");
        assert_eq!(rel_href(nav, "next").map(str::to_owned), next, "{slug}: {nav}");
    }
    // Take the middle one away: its neighbours now lead to each other.
    fs::remove_file(site.source(&order[2])).unwrap();
    let report = site.build();
    let mut expected: Vec<String> = vec![format!("{}.html", order[1]), format!("{}.html", order[3])];
    expected.extend([MANIFEST.to_owned(), OWNERS.to_owned(), "index.html".to_owned(), "owners.html".to_owned()]);
    expected.sort();
    assert_eq!(site.written(&report), expected);
    let before = site.page(&format!("{}.html", order[1]));
    assert_eq!(rel_href(site_nav(&before), "next"), Some(format!("./{}.html", order[3]).as_str()));
    let after = site.page(&format!("{}.html", order[3]));
    assert_eq!(rel_href(site_nav(&after), "prev"), Some(format!("./{}.html", order[1]).as_str()));
    // And a build with nothing changed writes nothing.
    assert_eq!(site.written(&site.build()), Vec::<String>::new());
}

/// Issue 19: each owner label links to its unit's section of owners.html,
/// by the name the owners page gives it (省市场监管局 of a 四川省 document
/// is 四川省市场监管局 there).
#[test]
fn owner_labels_link_to_their_section_of_the_owners_page() {
    let site = Site::new();
    site.build();
    let owners = site.page("owners.html");
    let mut links = 0;
    for slug in SEEDS {
        let page = site.page(&format!("{slug}.html"));
        for label in page.split("<a class=\"owner\" href=\"./owners.html#").skip(1) {
            let fragment = &label[..label.find('"').unwrap()];
            let id = percent_encoding::percent_decode_str(fragment).decode_utf8().unwrap();
            assert!(owners.contains(&format!("<section class=\"unit\" id=\"{id}\"")), "{slug}: #{id} is no section");
            links += 1;
        }
        assert!(!page.contains("<span class=\"owner\">"), "{slug}: a label without its link");
    }
    assert!(links > 50, "{links} labels");
    let page = site.page("sichuan-ip-work-points-2021.html");
    let link =
        format!("href=\"{}\">省市场监管局</a>", policyc::emit::href("owners.html", Some("unit-四川省市场监管局")));
    assert!(page.contains(&link), "no {link}");
}

/// Issue 19: a run-in title (（一）加快……。 and its text) is marked to share
/// the line with the paragraph after it; a heading without its full stop
/// (一、总体要求) stands alone. The browser check measures the line.
#[test]
fn run_in_titles_share_the_line_with_their_text() {
    let site = Site::new();
    site.build();
    let page = site.page("guangzhou-ip-service-plan-2016.html");
    let run_in = "<h3 class=\"run-in\"><span class=\"marker\">(一)</span>建立重大科技经济活动知识产权审查评议制度。";
    let at = page.find(run_in).unwrap_or_else(|| panic!("no run-in title:\n{page}"));
    let after = &page[at..];
    assert!(after[after.find("</h3>").unwrap()..].starts_with("</h3>\n  <p>制定重大科技经济活动"), "{after:.300}");
    assert!(page.contains("<h2><span class=\"marker\">"), "headings without a full stop stay headings");
    assert!(!page.contains("<h2 class=\"run-in\">"));
    let css = site.page("sichuan-ip-work-points-2021.html");
    assert!(css.contains(".node > .run-in, .node > .run-in + p { display: inline; }"));
}

/// Issue 19: the page links the editions built beside it, the Word one
/// included, and none that `editions = [...]` leaves out.
#[test]
fn a_page_links_the_docx_edition_only_when_it_is_built() {
    let site = Site::new();
    site.build();
    let slug = "sichuan-ip-work-points-2021";
    let nav = site.page(&format!("{slug}.html"));
    for edition in ["yaml", "md", "docx"] {
        assert!(site_nav(&nav).contains(&format!("href=\"./{slug}.{edition}\"")), "{edition}: {}", site_nav(&nav));
    }
    let options = BuildOptions {
        input: site.input(),
        output: site.output(),
        settings: "editions = [\"html\", \"md\"]\n".to_owned(),
        ..Default::default()
    };
    build(&options, &|_, _, _| {}).unwrap();
    let nav = site.page(&format!("{slug}.html"));
    assert!(site_nav(&nav).contains(&format!("href=\"./{slug}.md\"")));
    assert!(!nav.contains(&format!("./{slug}.docx")) && !nav.contains(&format!("./{slug}.yaml")), "{}", site_nav(&nav));
}

/// Issue 19: an edition dropped from `editions` takes its outputs with it:
/// those the manifest says policyc wrote, and nothing else.
#[test]
fn a_dropped_edition_s_outputs_are_removed_and_foreign_files_stay() {
    let site = Site::new();
    site.build();
    fs::write(site.output().join("notes.yaml"), "mine: true\n").unwrap();
    fs::write(site.output().join("notes.docx"), "mine").unwrap();
    let options = BuildOptions {
        input: site.input(),
        output: site.output(),
        settings: "editions = [\"html\"]\n".to_owned(),
        ..Default::default()
    };
    let report = build(&options, &|_, _, _| {}).unwrap();
    assert_eq!(report.failed(), 0);
    let mut removed = names(&site.output(), &report.removed);
    removed.sort();
    let mut expected: Vec<String> =
        SEEDS.iter().flat_map(|s| ["docx", "md", "yaml"].map(|e| format!("{s}.{e}"))).collect();
    expected.sort();
    assert_eq!(removed, expected);
    for slug in SEEDS {
        assert!(site.output().join(format!("{slug}.html")).is_file());
        assert!(!site.output().join(format!("{slug}.yaml")).exists());
    }
    assert!(site.output().join("notes.yaml").is_file() && site.output().join("notes.docx").is_file());
}
