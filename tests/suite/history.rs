//! Policies in versions (`policies/<slug>/<date>.txt`): the pages a chain
//! builds into, clause ids that survive renumbering, removed clauses sent to
//! the history page, and builds that stay incremental.

use std::fs;
use std::path::{Path, PathBuf};

use policyc::publish::{BuildOptions, BuildReport, MANIFEST, build};

use crate::common::*;

/// A policies directory with two seeds, the three-version `measures` chain
/// and the two versions of the ozone regulation from the laws corpus.
struct Site {
    dir: tempfile::TempDir,
}

const SEEDS_HERE: [&str; 2] = ["chongqing-ip-service-measures-draft", "liaoning-ip-three-year-plan-2023"];

impl Site {
    fn new() -> Site {
        let dir = tempfile::tempdir().unwrap();
        let policies = dir.path().join("policies");
        fs::create_dir(&policies).unwrap();
        for slug in SEEDS_HERE {
            fs::copy(seed_path(slug), policies.join(format!("{slug}.txt"))).unwrap();
        }
        for chain in ["measures", "ozone"] {
            fs::create_dir(policies.join(chain)).unwrap();
            for entry in fs::read_dir(fixture(&format!("history/{chain}"))).unwrap() {
                let path = entry.unwrap().path();
                fs::copy(&path, policies.join(chain).join(path.file_name().unwrap())).unwrap();
            }
        }
        Site { dir }
    }

    fn input(&self) -> PathBuf {
        self.dir.path().join("policies")
    }

    fn output(&self) -> PathBuf {
        self.dir.path().join("output")
    }

    fn build(&self) -> BuildReport {
        let options = BuildOptions { input: self.input(), output: self.output(), ..Default::default() };
        build(&options, &|_, _, _| {}).unwrap()
    }

    fn page(&self, name: &str) -> String {
        fs::read_to_string(self.output().join(name)).unwrap()
    }

    fn written(&self, report: &BuildReport) -> Vec<String> {
        let root = self.output();
        report.written.iter().map(|p| p.strip_prefix(&root).unwrap().to_string_lossy().into_owned()).collect()
    }
}

/// The text of the element with `id` in a page: from its tag to the next
/// `</p>` or heading end, enough to tell one clause from another.
fn clause_text(page: &str, id: &str) -> Option<String> {
    let at = page.find(&format!("<section id=\"{id}\""))?;
    let rest = &page[at..];
    let end = rest.find("</p>").or_else(|| rest.find("</h"))?;
    let text = regex::Regex::new("<[^>]+>").unwrap().replace_all(&rest[..end], "");
    Some(text.trim().trim_end_matches('#').to_owned())
}

#[test]
fn a_chain_builds_its_versions_its_latest_page_and_its_history() {
    let site = Site::new();
    let report = site.build();
    assert_eq!(report.failed(), 0);
    // 3 + 2 versions, each reported.
    assert_eq!(report.built(), 2 + 3 + 2);
    for name in [
        "measures.html",
        "measures.yaml",
        "measures.md",
        "measures@2019-01-01.html",
        "measures@2021-06-01.yaml",
        "measures@2024-03-01.md",
        "measures@history.html",
        "measures@2019-01-01~2024-03-01.html",
        "ozone@2018-03-19.html",
        "ozone@2023-12-29.html",
        "ozone@history.html",
    ] {
        assert!(site.output().join(name).is_file(), "{name} is missing");
    }
    // The policy's page is its latest version.
    let latest = site.page("measures.html");
    assert!(latest.contains("额度不超过十万元"));
    assert!(!latest.contains("市科技局负责创新券"));
    assert!(latest.contains("现行文本（2024年3月1日）"));
    let old = site.page("measures@2019-01-01.html");
    assert!(old.contains("这是2019年1月1日的版本，不是现行文本。"));
    // The index lists the policy once, by its latest version.
    let index = site.page("index.html");
    assert_eq!(index.matches("某市科技创新券管理办法").count(), 1);
    assert!(!index.contains("measures%402019"));
    let history = site.page("measures@history.html");
    assert!(history.contains("修改 1 条，新增 1 条，删除 0 条"), "{history}");
    assert!(history.contains("修改 0 条，新增 0 条，删除 1 条"), "{history}");
    assert!(history.contains("2019年1月1日 → 2021年6月1日 修订对照表"));
    assert!(history.contains("<del>五</del><ins>十</ins>") || history.contains("<del>五</del>"), "{history}");
    assert!(history.contains("measures%402019-01-01~2024-03-01.html"));
}

#[test]
fn a_renumbered_clause_keeps_its_id_across_the_chain() {
    let site = Site::new();
    site.build();
    let (first, latest) = (site.page("measures@2019-01-01.html"), site.page("measures.html"));
    // 第四条 of 2019 is 第五条 in 2021 and 第四条 again in 2024: one id.
    let of_2019 = clause_text(&first, "a4").unwrap();
    assert!(of_2019.starts_with("第四条创新券每年申领一次"), "{of_2019}");
    let of_2024 = clause_text(&latest, "a4").unwrap();
    assert!(of_2024.starts_with("第四条创新券每年申领一次"), "{of_2024}");
    let middle = clause_text(&site.page("measures@2021-06-01.html"), "a4").unwrap();
    assert!(middle.starts_with("第五条创新券每年申领一次"), "{middle}");
    // The clause added in 2021 cannot take an id the chain gave before.
    let added = clause_text(&latest, "v20210601-a2").unwrap();
    assert!(added.starts_with("第二条本办法所称创新券"), "{added}");
    // In the real chain too: every id of the 2018 page whose clause is
    // still there leads to a clause with the same text or a changed one,
    // never to another clause's place; and most ids are kept.
    let (old, new) = (site.page("ozone@2018-03-19.html"), site.page("ozone.html"));
    let ids: Vec<String> =
        regex::Regex::new(r#"<section id="([^"]+)""#).unwrap().captures_iter(&old).map(|c| c[1].to_owned()).collect();
    let kept = ids.iter().filter(|id| new.contains(&format!("<section id=\"{id}\""))).count();
    assert!(kept * 10 >= ids.len() * 8, "{kept} of {} ids kept", ids.len());
    let yaml = site.page("ozone.yaml");
    assert!(
        yaml.contains("\nhistory:\n  version: 2023-12-29\n")
            || yaml.contains("\nhistory:\n  version: \"2023-12-29\"\n")
    );
    assert!(yaml.contains("op: renumbered"));
}

#[test]
fn a_removed_clause_is_sent_to_its_history_entry() {
    let site = Site::new();
    site.build();
    let history = site.page("measures@history.html");
    let entry = history.lines().find(|l| l.contains("id=\"removed-a3\"")).expect("an entry for the removed 第三条");
    assert!(entry.contains("于2024年3月1日的版本中删除"), "{entry}");
    assert!(entry.contains("市科技局负责创新券的发放和监督管理"));
    // The latest page has no clause a3 and sends the id to that entry.
    let latest = site.page("measures.html");
    assert!(!latest.contains("id=\"a3\""));
    assert!(latest.contains("\"a3\": \"./measures%40history.html#removed-a3\""), "{latest}");
    // The version that still had it keeps it.
    assert!(site.page("measures@2021-06-01.html").contains("id=\"a3\""));
}

#[test]
fn changing_one_version_rebuilds_that_policy_only() {
    let site = Site::new();
    site.build();
    let second = site.build();
    assert_eq!(site.written(&second), Vec::<String>::new());
    assert_eq!(second.built(), 0);
    let path = site.input().join("measures/2021-06-01.txt");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, text.replace("购买科技服务", "购买研发、检测等科技服务")).unwrap();
    let report = site.build();
    assert_eq!(report.built(), 3, "the chain's versions are built again, nothing else");
    let written = site.written(&report);
    assert!(written.iter().all(|n| n.starts_with("measures") || n == MANIFEST), "{written:?}");
    assert!(written.contains(&"measures@2021-06-01.html".to_owned()));
    assert!(written.contains(&"measures@history.html".to_owned()));
    // The 2019 page does not change with a later version.
    assert!(!written.contains(&"measures@2019-01-01.html".to_owned()));
}

#[test]
fn a_removed_chain_takes_its_pages_with_it_and_a_shared_slug_fails() {
    let site = Site::new();
    site.build();
    fs::copy(seed_path(SEEDS_HERE[0]), site.input().join("measures.txt")).unwrap();
    let report = site.build();
    assert_eq!(report.failed(), 2, "the one-file policy and the chain of one slug both fail");
    // Failed, they keep their last good pages.
    assert!(site.output().join("measures@history.html").is_file());
    fs::remove_file(site.input().join("measures.txt")).unwrap();
    remove_dir(&site.input().join("measures"));
    let report = site.build();
    assert_eq!(report.failed(), 0);
    assert!(!site.output().join("measures@history.html").exists());
    assert!(!site.output().join("measures@2019-01-01.html").exists());
    assert!(!site.output().join("measures.html").exists());
}

fn remove_dir(dir: &Path) {
    fs::remove_dir_all(dir).unwrap();
}

/// Issue 19: previous/next within the chain on every version's page (the
/// latest's previous is the version before it), and the policy's page
/// among the others in the index's order.
#[test]
fn every_version_links_the_versions_before_and_after_it() {
    let site = Site::new();
    site.build();
    let dates = ["2019-01-01", "2021-06-01", "2024-03-01"];
    for (i, date) in dates.iter().enumerate() {
        let page = site.page(&format!("measures@{date}.html"));
        let bar = &page[page.find("<nav class=\"versions\"").unwrap()..];
        let bar = &bar[..bar.find("</nav>").unwrap()];
        let link = |rel: &str, to: &str| format!("rel=\"{rel}\" href=\"./measures%40{to}.html\"");
        assert_eq!(i > 0 && bar.contains(&link("prev", dates[i.saturating_sub(1)])), i > 0, "{date}: {bar}");
        assert_eq!(bar.contains(&link("next", dates[(i + 1).min(2)])), i < 2, "{date}: {bar}");
    }
    let latest = site.page("measures.html");
    assert!(latest.contains("rel=\"prev\" href=\"./measures%402021-06-01.html\""));
    // In the site's navigation, the neighbours on the index.
    let nav = &latest[latest.find("<nav aria-label=\"站点\">").unwrap()..];
    let nav = &nav[..nav.find("</nav>").unwrap()];
    assert!(nav.contains("<span class=\"sequence\"><a rel=\"prev\" href=\"./"), "{nav}");
}

/// Issue 19: a chain's pages follow `editions = [...]`: only the
/// configured editions of each version, a real Word file for `docx`, and
/// the history with the HTML edition only.
#[test]
fn a_chain_builds_the_configured_editions_only() {
    let site = Site::new();
    let with = |settings: &str| {
        let options = BuildOptions {
            input: site.input(),
            output: site.output(),
            settings: settings.to_owned(),
            ..Default::default()
        };
        build(&options, &|_, _, _| {}).unwrap()
    };
    let report = with("editions = [\"html\", \"docx\"]\n");
    assert_eq!(report.failed(), 0);
    for date in ["2019-01-01", "2021-06-01", "2024-03-01"] {
        assert!(site.output().join(format!("measures@{date}.html")).is_file());
        let docx = fs::read(site.output().join(format!("measures@{date}.docx"))).unwrap();
        assert!(docx.starts_with(b"PK\x03\x04"), "measures@{date}.docx is no Word file");
        for ext in ["yaml", "md"] {
            assert!(!site.output().join(format!("measures@{date}.{ext}")).exists(), "{date}.{ext}");
        }
    }
    assert!(site.page("measures@2019-01-01.html").contains("href=\"./measures%402019-01-01.docx\""));
    assert!(site.output().join("measures@history.html").is_file());
    // Without the HTML edition there are no pages to have a history of;
    // what the HTML build wrote is removed, and the YAML comes.
    let report = with("editions = [\"yaml\"]\n");
    assert_eq!(report.failed(), 0);
    assert!(site.output().join("measures@2019-01-01.yaml").is_file());
    for name in ["measures@2019-01-01.html", "measures@2019-01-01.docx", "measures@history.html", "measures.html"] {
        assert!(!site.output().join(name).exists(), "{name} stayed");
    }
}
