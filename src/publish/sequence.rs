//! Previous and next policy, in the index's order, on each policy's page.
//!
//! Takes the index's rows (newest first, as the build orders
//! them) and gives each page's two links, which `base.html` places in the
//! site's navigation as `<span class="sequence">…</span>` (a `base.html`
//! that leaves `sequence` out gets no links). A page's neighbours
//! depend on other documents, so they are not part of its rendering: a
//! page is rendered with the links the manifest says it had (or the page
//! on disk has), and after every source is built, only the pages whose
//! neighbours changed are patched. Adding a policy rewrites its page and
//! its two neighbours', not the site.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use crate::emit::html::IndexEntry;

const OPEN: &str = "<span class=\"sequence\">";
const CLOSE: &str = "</span>";

/// The links of the page listed between `before` (newer, above it on the
/// index) and `after` (older, below it). They name no title: a retitled
/// policy rewrites its own page and the index, not its neighbours'.
pub fn links(before: Option<&IndexEntry>, after: Option<&IndexEntry>) -> String {
    let mut out = String::new();
    for (entry, rel, label) in [(before, "prev", "上一件"), (after, "next", "下一件")] {
        let Some(entry) = entry else { continue };
        let _ = write!(
            out,
            "<a rel=\"{rel}\" href=\"{}\">{label}</a>",
            crate::emit::href(&format!("{}.html", entry.slug), None)
        );
    }
    out
}

/// The links a page carries now.
pub fn current(page: &str) -> Option<&str> {
    let start = page.find(OPEN)? + OPEN.len();
    let len = page[start..].find(CLOSE)?;
    Some(&page[start..start + len])
}

/// `page` with its links replaced by `links`; `None` when it has none.
pub fn replace(page: &str, links: &str) -> Option<String> {
    let start = page.find(OPEN)? + OPEN.len();
    let len = page[start..].find(CLOSE)?;
    Some(format!("{}{links}{}", &page[..start], &page[start + len..]))
}

/// The links to render a page with before the index's order is known:
/// those the last build gave it (`recorded`), else those of the page on
/// disk, so that a page whose neighbours did not change is written once.
pub fn guess(recorded: Option<&str>, page: &Path) -> String {
    if let Some(links) = recorded {
        return links.to_owned();
    }
    fs::read_to_string(page).ok().and_then(|p| current(&p).map(str::to_owned)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_found_and_replaced() {
        let page = "<nav><a href=\"./index.html\">政策文件目录</a><span class=\"sequence\"><a rel=\"next\" href=\"./b.html\">下一件</a></span></nav>\n<nav aria-label=\"目录\"></nav>";
        assert_eq!(current(page), Some("<a rel=\"next\" href=\"./b.html\">下一件</a>"));
        let replaced = replace(page, "").unwrap();
        assert_eq!(replaced, page.replace("<a rel=\"next\" href=\"./b.html\">下一件</a>", ""));
        assert_eq!(current(&replaced), Some(""));
        assert_eq!(replace("<nav></nav>", ""), None);
    }
}
