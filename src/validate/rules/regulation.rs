//! Regulations (条例, 办法, 规定): 编, 章 and 条 are numbered continuously
//! through the whole text, across 章 and 节. (项 and 目 are checked like the
//! policy levels, restarting under each parent, in `numbering`.)

use crate::diag::Diagnostic;
use crate::diag::registry::{ARTICLE_NUMBERING_RESTARTS, NUMBERING_DUPLICATE, NUMBERING_GAP, NUMBERING_OUT_OF_ORDER};
use crate::tree::Kind;
use crate::validate::{Context, Entry};

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
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
