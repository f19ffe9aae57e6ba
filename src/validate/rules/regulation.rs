//! Regulations (条例, 办法, 规定): 编, 章 and 条 are numbered continuously
//! through the whole text, across 章 and 节. (项 and 目 are checked like the
//! policy levels, restarting under each parent, in `numbering`.)

use crate::diag::Diagnostic;
use crate::diag::registry::{ARTICLE_NUMBERING_RESTARTS, NUMBERING_DUPLICATE, NUMBERING_GAP, NUMBERING_OUT_OF_ORDER};
use crate::tree::Kind;
use crate::validate::{Context, Entry};

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let amendment = cx.amendment();
    for kind in [Kind::Book, Kind::Chapter, Kind::Article] {
        let mut prev: Option<&Entry> = None;
        for entry in cx.nodes.iter().filter(|e| e.node.kind == kind) {
            let node = entry.node;
            let expected = prev.map_or(1, |p| p.node.number.saturating_add(1));
            let name = kind.chinese();
            let numbered = |n: u32| format!("第{}{name}", crate::parse::numeral::format(n));
            let here = node.spans.marker;
            match prev {
                _ if node.number == expected => {}
                // 第十二条之一 after 第十二条 (or after 第十二条之一).
                Some(p) if node.sub.is_some() && p.node.number == node.number => {}
                // Some codes number their 章 from 1 again in each 编 (the
                // 刑事诉讼法); and a 目录 lists the headings, empty, before
                // the text repeats them with their articles.
                // A 修正案 numbers its articles on from the amendment before
                // (the constitution's of 1993 starts at 第三条) and quotes the
                // articles and headings it adds (第一百二十三条 among its own).
                _ if amendment && node.number > expected => {}
                // An excerpt: the line above names the text it is from.
                _ if kind == Kind::Article && node.number > expected && under_citation(cx, entry) => {}
                Some(p) if node.number == 1 && (new_book(cx, p, entry) || table_of_contents(cx, kind, entry)) => {}
                Some(p) if node.number == 1 && cx.enabled(&ARTICLE_NUMBERING_RESTARTS) => out.push(
                    cx.diagnostic(
                        &ARTICLE_NUMBERING_RESTARTS,
                        here,
                        format!("`{}` starts the {name} numbering again after `{}`", node.marker, p.node.marker),
                    )
                    .with_related(p.node.spans.marker, "the numbering before")
                    .with_help(format!(
                        "{name} are numbered continuously through the whole text: write `{}` and renumber the rest",
                        numbered(expected)
                    )),
                ),
                Some(p) if node.number == p.node.number && cx.enabled(&NUMBERING_DUPLICATE) => out.push(
                    cx.diagnostic(&NUMBERING_DUPLICATE, here, format!("`{}` is numbered twice", node.marker))
                        .with_related(p.node.spans.marker, "first here")
                        .with_help(format!("renumber it as `{}` and the rest after it", numbered(expected))),
                ),
                _ if node.number > expected && cx.enabled(&NUMBERING_GAP) => {
                    let missing = if node.number == expected.saturating_add(1) {
                        format!("`{}` is missing", numbered(expected))
                    } else {
                        format!("`{}` to `{}` are missing", numbered(expected), numbered(node.number - 1))
                    };
                    let mut d = cx
                        .diagnostic(
                            &NUMBERING_GAP,
                            here,
                            format!(
                                "`{}` follows {}: {missing}",
                                node.marker,
                                prev.map_or("the start".to_owned(), |p| format!("`{}`", p.node.marker))
                            ),
                        )
                        .with_help(format!(
                            "renumber `{}` as `{}`, or restore what is missing",
                            node.marker,
                            numbered(expected)
                        ));
                    if let Some(p) = prev {
                        d = d.with_related(p.node.spans.marker, "the number before");
                    }
                    out.push(d);
                }
                Some(p) if node.number < expected && cx.enabled(&NUMBERING_OUT_OF_ORDER) => out.push(
                    cx.diagnostic(
                        &NUMBERING_OUT_OF_ORDER,
                        here,
                        format!("`{}` comes after `{}`: the numbers go backwards", node.marker, p.node.marker),
                    )
                    .with_related(p.node.spans.marker, "the number before")
                    .with_help(format!("renumber it as `{}`", numbered(expected))),
                ),
                _ => {}
            }
            prev = Some(entry);
        }
    }
}

/// Whether `entry` (a 章) is in another 编 than `prev`.
fn new_book(cx: &Context, prev: &Entry, entry: &Entry) -> bool {
    let book = |e: &Entry| e.parent.filter(|&p| cx.nodes[p].node.kind == Kind::Book);
    entry.node.kind == Kind::Chapter && book(entry).is_some() && book(entry) != book(prev)
}

/// Whether every node of `kind` before `entry` is a heading without
/// articles (its 节 at most): the lines of a 目录.
fn table_of_contents(cx: &Context, kind: Kind, entry: &Entry) -> bool {
    let before: Vec<&Entry> =
        cx.nodes.iter().take_while(|e| !std::ptr::eq(*e, entry)).filter(|e| e.node.kind == kind).collect();
    !before.is_empty()
        && before.iter().all(|e| e.node.text.is_empty() && !e.node.walk().any(|n| n.kind == Kind::Article))
}

/// Whether the line above the article at `entry` is nothing but the title
/// of a text in 《》 (`《最高人民法院关于审理…的解释（一）》。`): the article
/// is quoted from that text, with its number there, as a guiding case or a
/// commentary sets out the provisions it applies.
fn under_citation(cx: &Context, entry: &Entry) -> bool {
    let text = cx.source.text.as_str();
    let before = text.get(..entry.node.spans.marker.start.min(text.len())).unwrap_or("");
    let Some(line) = before.lines().rev().map(str::trim).find(|l| !l.is_empty()) else { return false };
    let line = line.trim_end_matches(['。', '：', ':', '，', ' ', '\u{3000}']);
    line.starts_with('《') && line.ends_with('》') && line.matches('》').count() == 1
}
