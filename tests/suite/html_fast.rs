//! The HTML edition's compiled `clauses.html` against the template
//! interpreter: byte for byte on every fixture, the seeds and generated
//! trees, so that the two cannot drift apart. Also which template sets keep
//! the fast path.

use std::collections::{BTreeMap, HashMap};
use std::fs;

use policyc::emit::html::{Page, Renderer, Versions};
use policyc::parse::parse;
use policyc::tree::{Document, Node, Paragraph, Span};
use proptest::prelude::*;

use crate::common::*;

fn assert_same_page(document: &Document, what: &str) {
    let fast = Renderer::builtin();
    assert!(fast.is_fast());
    let interpreted = Renderer::builtin_interpreted();
    assert!(!interpreted.is_fast());
    for slug in [None, Some("slug")] {
        let want = interpreted.document(document, slug).unwrap();
        let got = fast.document(document, slug).unwrap();
        assert_same_text(&got, &want, &format!("{what}: the fast path against the template"));
    }
    // In a site: the editions linked, and owner labels linked to the owners
    // page (some units listed there under another name, some not at all).
    let mut owner_units = std::collections::BTreeMap::new();
    for (i, node) in document.nodes().enumerate() {
        for owner in node.owners.iter().filter(|_| i % 3 != 0) {
            owner_units.insert(owner.unit.clone(), format!("{}（某局 \"<&>\"）", owner.unit));
        }
    }
    let page = Page { slug: Some("slug"), editions: vec!["yaml", "md", "docx"], owner_units, ..Page::default() };
    let want = interpreted.page(document, &page).unwrap();
    let got = fast.page(document, &page).unwrap();
    assert_same_text(&got, &want, &format!("{what}: the fast path against the template, in a site"));

    // A version in a chain: every other clause under the id the chain gives
    // it, the versions bar, removed clauses' redirects, previous/next.
    let places: Vec<String> = want
        .match_indices("<section id=\"")
        .map(|(i, m)| &want[i + m.len()..])
        .filter(|rest| rest.split_once('"').is_some_and(|(_, after)| after.starts_with(" class=\"node")))
        .map(|rest| rest.split('"').next().unwrap().to_owned())
        .collect();
    let chain: HashMap<String, String> =
        places.iter().step_by(2).map(|p| (p.clone(), format!("v20240101-{p}"))).collect();
    let gone: BTreeMap<String, String> =
        [("gone-1".to_owned(), "./slug%40history.html#removed-gone-1".to_owned())].into_iter().collect();
    let versions = Versions {
        date: "2020-01-01",
        latest: "2024-01-01",
        latest_page: "slug.html".to_owned(),
        previous: Some(("slug@2019-01-01.html".to_owned(), "2019-01-01")),
        next: Some(("slug@2024-01-01.html".to_owned(), "2024-01-01")),
        history: "slug@history.html".to_owned(),
        count: 3,
    };
    let in_chain = Page {
        clause_ids: Some(&chain),
        versions: Some(versions),
        gone,
        sequence: Some("<a rel=\"next\" href=\"./b.html\">下一件</a>"),
        ..page
    };
    let want = interpreted.page(document, &in_chain).unwrap();
    let got = fast.page(document, &in_chain).unwrap();
    assert_same_text(&got, &want, &format!("{what}: the fast path against the template, in a version chain"));
    for place in places.iter().step_by(2) {
        let id = &chain[place];
        assert!(want.contains(&format!("<section id=\"{id}\"")), "{what}: {place} is shown as {id}");
        assert!(
            !want.contains(&format!("<section id=\"{place}\" class=\"node")),
            "{what}: {place} is not shown by its place id"
        );
    }
    assert!(want.contains("<nav class=\"versions\""), "{what}: the versions bar");
    assert!(want.contains("\"gone-1\""), "{what}: removed clauses are redirected");
    assert!(want.contains("<span class=\"sequence\"><a rel=\"next\""), "{what}: previous/next");
}

#[test]
fn the_fast_path_matches_the_template_on_every_fixture_and_seed() {
    let mut paths = fixture_sources();
    paths.extend(SEEDS.iter().map(|slug| seed_path(slug)));
    paths.sort();
    assert!(paths.len() > 50, "fixtures found: {}", paths.len());
    for path in paths {
        let document = parse(&load(&path)).document;
        assert_same_page(&document, &path.display().to_string());
    }
}

#[test]
fn the_fast_path_matches_the_template_on_the_seeds_as_one_document() {
    assert_same_page(&seeds_twice_over(), "the seeds twice over");
}

#[test]
fn overridden_templates_that_see_the_clauses_leave_the_fast_path() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    assert!(Renderer::with_overrides(dir).unwrap().is_fast(), "no override");
    fs::write(dir.join("style.css"), "body { color: #000; }\n.toc, .nodes { margin: 0; }\n").unwrap();
    fs::write(dir.join("index.html"), "{{ nodes }}").unwrap();
    assert!(Renderer::with_overrides(dir).unwrap().is_fast(), "style and index do not see the clauses");
    fs::write(dir.join("base.html"), "{% block body %}{% endblock %}{{ nodes | length }}").unwrap();
    assert!(!Renderer::with_overrides(dir).unwrap().is_fast(), "base.html names the nodes");
    fs::write(dir.join("base.html"), "{% block body %}{% endblock %}{% if toc %}…{% endif %}").unwrap();
    assert!(!Renderer::with_overrides(dir).unwrap().is_fast(), "base.html looks at the table of contents");
    fs::remove_file(dir.join("base.html")).unwrap();
    for name in ["clauses.html", "document.html", "attachment.html"] {
        let builtin = policyc::emit::html::BUILTIN.iter().find(|(n, _)| *n == name).unwrap().1;
        fs::write(dir.join(name), builtin).unwrap();
        assert!(Renderer::with_overrides(dir).unwrap().is_fast(), "{name} as built in");
        fs::write(dir.join(name), format!("{builtin} ")).unwrap();
        assert!(!Renderer::with_overrides(dir).unwrap().is_fast(), "{name} changed");
        fs::remove_file(dir.join(name)).unwrap();
    }
}

/// Text with what escaping and the slots must survive.
fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            "推进",
            "知识产权",
            "<b>",
            "&amp;",
            "\"",
            "'",
            "/",
            ">",
            "\u{FDD0}",
            "\u{FDD0}0\u{FDD0}",
            "a",
            " ",
            "~2",
            "第",
        ]),
        0..5,
    )
    .prop_map(|pieces| pieces.concat())
}

fn span() -> Span {
    Span::default()
}

fn node() -> BoxedStrategy<Node> {
    let marker = prop::sample::select(vec!["一、", "（一）", "1.", "", "第一条", "a/b", "<i>"]).prop_map(str::to_owned);
    arb_node(text().boxed(), marker.boxed(), span(), 6, 48, 4)
}

fn document() -> impl Strategy<Value = Document> {
    let body = prop::collection::vec(node(), 0..5);
    let paragraph = || text().prop_map(|text| Paragraph { text, span: span() });
    (body, prop::collection::vec((prop::collection::vec(node(), 0..3), paragraph()), 0..3), text(), paragraph())
        .prop_map(|(body, attachments, title, preamble)| {
            let mut document = Document { body, ..Document::default() };
            document.meta.title = Some(title);
            document.frame.preamble.push(preamble);
            document.attachments = attachments
                .into_iter()
                .map(|(body, closing)| {
                    let mut attachment = Document { body, ..Document::default() };
                    attachment.frame.closing.push(closing);
                    attachment
                })
                .collect();
            document
        })
}

proptest! {
    #![proptest_config(proptest_config(256))]

    #[test]
    fn the_fast_path_matches_the_template_on_generated_trees(document in document()) {
        assert_same_page(&document, "a generated tree");
    }
}
