//! The corpus figures: how policyc reads a directory of real documents.
//!
//! Takes source files (a law collection's Markdown, a web page's text dump,
//! any `.txt`/`.md`) and gives, per document, what the acceptance
//! asks for: for a regulation, whether every `第X条` paragraph and every
//! `第X编/章/节` heading of the source came out, in order, as a node of its
//! kind, and whether any numbered item sits outside every article; for a web
//! page, whether the title carries page furniture; for both, the number of
//! errors and warnings `check` gives and the time taken. Shared by the
//! `corpus-report` example and the `corpus` test module, so the figures the
//! tests hold are the figures the runner prints.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use policyc::diag::Severity;
use policyc::source::{Encoding, Format, SourceFile};
use policyc::tree::{Document, Kind, Meta, Node};
use serde::Deserialize;

/// What one document gave.
#[derive(Debug, Clone)]
pub struct Measured {
    pub path: PathBuf,
    pub bytes: usize,
    pub elapsed: Duration,
    /// A law collection's file (a header block closed by `<!-- INFO END -->`)
    /// or a regulation-shaped text with 第X条 paragraphs.
    pub regulation: bool,
    /// The 第X条 / 第X编章节 lines of the source, as `(kind, marker)`.
    pub expected: Vec<(Kind, String)>,
    /// The same kinds among the tree's nodes, in document order.
    pub found: Vec<(Kind, String)>,
    /// Numbered nodes of the policy family, or 项/目, outside any article in
    /// a body that has articles.
    pub outside_articles: usize,
    pub errors: Vec<String>,
    pub warnings: Vec<String>,
    pub meta: Meta,
}

impl Measured {
    pub fn structure_ok(&self) -> bool {
        self.expected == self.found
    }

    /// The title carries a page's navigation or its `<title>`.
    pub fn navigation_title(&self) -> bool {
        self.meta.title.as_deref().is_some_and(is_navigation)
    }
}

/// Words no policy title contains but page titles and navigation do.
const NAVIGATION: [&str; 14] = [
    "首页",
    "当前位置",
    "您的位置",
    "政务公开",
    "信息公开",
    "设为首页",
    "网站",
    "字体",
    "打印",
    "来源：",
    "】-",
    "】_",
    "】—",
    "_国家",
];

pub fn is_navigation(title: &str) -> bool {
    NAVIGATION.iter().any(|w| title.contains(w)) || (title.starts_with('【') && title.contains('】'))
}

/// The documents under `dir`: `.txt` and `.md` files, sorted, recursively.
pub fn documents(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if matches!(path.extension().and_then(|e| e.to_str()), Some("txt" | "md"))
                && !path.file_name().is_some_and(|n| n.eq_ignore_ascii_case("README.md"))
            {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Parse and check one file. `None` when it cannot be read or decoded.
pub fn measure(path: &Path) -> Option<Measured> {
    let bytes = std::fs::read(path).ok()?;
    let format = Format::from_path(path).unwrap_or(Format::Text);
    let source = SourceFile::from_bytes(path, format, &bytes, Encoding::Utf8).ok()?;
    // The fastest of three checks: on a shared machine one run may wait
    // for the processor, and the slowest document per byte is a figure.
    let mut elapsed = Duration::MAX;
    let mut checked = None;
    for _ in 0..3 {
        let start = Instant::now();
        checked = Some(policyc::validate::run(&source, &policyc::validate::Config::default()));
        elapsed = elapsed.min(start.elapsed());
    }
    let checked = checked.expect("checked three times");
    let expected = expected_structure(&source.text);
    let document = &checked.document;
    let found = structure(document);
    let regulation = source.text.contains("<!-- INFO END -->") || expected.iter().any(|(k, _)| *k == Kind::Article);
    let pick = |level: Severity| -> Vec<String> {
        checked
            .diagnostics
            .iter()
            .filter(|d| d.severity == level)
            .map(|d| format!("{}:{}:{} {} {}", path.display(), d.span.line, d.span.column, d.code, d.message))
            .collect()
    };
    Some(Measured {
        path: path.to_path_buf(),
        bytes: bytes.len(),
        elapsed,
        regulation,
        expected,
        found,
        outside_articles: outside_articles(document),
        errors: pick(Severity::Error),
        warnings: pick(Severity::Warning),
        meta: document.meta.clone(),
    })
}

fn is_numeral_char(c: char) -> bool {
    "零〇一二三四五六七八九十百千两".contains(c)
}

/// The source's own structure lines, read without the parser: a line
/// (after Markdown `#`s and indentation) that starts `第X编/章/节` followed by
/// a space or the end of the line, or `第X条` (`之Y`) followed by a space.
/// Table rows start with `|` and are not counted.
pub fn expected_structure(text: &str) -> Vec<(Kind, String)> {
    let body = text.split_once("<!-- INFO END -->").map_or(text, |(_, b)| b);
    let mut out = Vec::new();
    for line in body.lines() {
        let t = line.trim_start_matches(['#', ' ', '\u{3000}', '\t']);
        let Some(rest) = t.strip_prefix('第') else { continue };
        let n = rest.len() - rest.trim_start_matches(is_numeral_char).len();
        if n == 0 {
            continue;
        }
        let after = &rest[n..];
        let mut chars = after.chars();
        let Some(unit) = chars.next() else { continue };
        let mut tail = chars.as_str();
        let mut marker = format!("第{}{unit}", &rest[..n]);
        let kind = match unit {
            '编' => Kind::Book,
            '章' => Kind::Chapter,
            '节' => Kind::Division,
            '条' => Kind::Article,
            _ => continue,
        };
        if kind == Kind::Article
            && let Some(sub) = tail.strip_prefix('之')
        {
            let m = sub.len() - sub.trim_start_matches(is_numeral_char).len();
            if m > 0 {
                marker.push('之');
                marker.push_str(&sub[..m]);
                tail = &sub[m..];
            }
        }
        let heading = line.trim_start().starts_with('#') && kind != Kind::Article;
        let spaced = heading || tail.is_empty() || tail.starts_with([' ', '\u{3000}', '\t', '\u{a0}']);
        if spaced && policyc::parse::numeral::parse(&rest[..n]).is_some() {
            out.push((kind, marker));
        }
    }
    out
}

/// The tree's 编章节条 nodes in document order, main document then attachments.
pub fn structure(document: &Document) -> Vec<(Kind, String)> {
    let mut out: Vec<(Kind, String)> = document
        .nodes()
        .filter(|n| matches!(n.kind, Kind::Book | Kind::Chapter | Kind::Division | Kind::Article))
        .map(|n| (n.kind, n.marker.clone()))
        .collect();
    for attachment in &document.attachments {
        out.extend(structure(attachment));
    }
    out
}

/// Numbered nodes that are not inside any article, in a body that has one
/// (an 一、 that heads articles as a 章 would is structure, not an item).
pub fn outside_articles(document: &Document) -> usize {
    fn visit(nodes: &[Node], in_article: bool, out: &mut usize) {
        for node in nodes {
            let numbered = !matches!(node.kind, Kind::Book | Kind::Chapter | Kind::Division | Kind::Article);
            let heads_articles = node.walk().any(|n| n.kind == Kind::Article);
            if numbered && !in_article && !heads_articles {
                *out += 1;
            }
            visit(&node.children, in_article || node.kind == Kind::Article, out);
        }
    }
    if !document.nodes().any(|n| n.kind == Kind::Article) {
        return 0;
    }
    let mut out = 0;
    visit(&document.body, false, &mut out);
    out
}

/// A hand-made label: what a reader finds in the document. Every field is
/// labelled; an absent optional field means the document has none.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Label {
    /// The file, relative to the labels file's directory.
    pub file: String,
    pub title: Option<String>,
    pub notice_title: Option<String>,
    pub doc_number: Option<String>,
    pub date: Option<String>,
    pub page_date: Option<String>,
    #[serde(default)]
    pub issuers: Vec<String>,
    pub status: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Labels {
    #[serde(rename = "doc")]
    pub docs: Vec<Label>,
}

pub fn read_labels(path: &Path) -> Result<Labels, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// The labelled fields policyc got wrong: `(field, labelled, found)`.
pub fn mismatches(label: &Label, meta: &Meta) -> Vec<(&'static str, String, String)> {
    let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".to_owned());
    let mut out = Vec::new();
    let fields: [(&str, &Option<String>, &Option<String>); 6] = [
        ("title", &label.title, &meta.title),
        ("notice_title", &label.notice_title, &meta.notice_title),
        ("doc_number", &label.doc_number, &meta.doc_number),
        ("date", &label.date, &meta.date),
        ("page_date", &label.page_date, &meta.page_date),
        ("status", &label.status, &meta.status),
    ];
    for (name, want, got) in fields {
        if want != got {
            out.push((name, show(want), show(got)));
        }
    }
    if label.issuers != meta.issuers {
        out.push(("issuers", label.issuers.join("、"), meta.issuers.join("、")));
    }
    out
}
