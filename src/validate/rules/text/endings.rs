//! A clause that does not end its sentence (missing terminal punctuation)
//! and a marker with nothing after it (empty clause).

use super::punctuation::ends_chinese_sentence;
use super::{ends_clause_words, file_name, page_furniture};
use crate::diag::registry::{EMPTY_CLAUSE, MISSING_TERMINAL_PUNCTUATION};
use crate::diag::{Applicability, Diagnostic, Edit, Fix};
use crate::text::balanced;
use crate::text::is_cjk;
use crate::validate::{Context, excerpt};

pub(super) fn clause_ends(cx: &Context, out: &mut Vec<Diagnostic>) {
    for entry in &cx.nodes {
        let node = entry.node;
        if node.marker.is_empty() {
            continue;
        }
        let spans = &node.spans;
        if node.title.is_none() && node.text.is_empty() && node.children.is_empty() {
            if cx.enabled(&EMPTY_CLAUSE) {
                out.push(
                    cx.diagnostic(&EMPTY_CLAUSE, spans.marker, format!("`{}` has no text", node.marker))
                        .with_help("write the clause, or delete the marker and renumber"),
                );
            }
            continue;
        }
        // 编, 章 and 节 are headings, whatever their line holds (a title
        // wrapped onto the next line, `## 第三章` above `业主`): no 。.
        if !cx.enabled(&MISSING_TERMINAL_PUNCTUATION)
            || matches!(node.kind, crate::tree::Kind::Book | crate::tree::Kind::Chapter | crate::tree::Kind::Division)
        {
            continue;
        }
        // A heading that runs on into its text, closed only by a space.
        if let (Some(title), Some(title_span), Some(first)) = (&node.title, spans.title, spans.text.first())
            && cx.title_gaps.iter().any(|g| g.start == title_span.end && g.end == first.start)
        {
            let span = cx.span(title_span.end..first.start);
            out.push(
                cx.diagnostic(
                    &MISSING_TERMINAL_PUNCTUATION,
                    span,
                    format!("the heading `{}` runs into its text with only a space between", excerpt(title, 16)),
                )
                .with_help("close the heading with 。")
                .with_fix(Fix {
                    applicability: Applicability::Unsafe,
                    edits: vec![Edit { span, replacement: "。".into() }],
                }),
            );
        }
        // The clause's last words: its last paragraph, or a lone title.
        // Page furniture a web page appends under the last clause is not
        // the clause's last words: the paragraph before it is.
        let kept = node.text.iter().rposition(|t| !page_furniture(t)).map_or(0, |i| i + 1);
        let kept = node.text[..kept].iter().position(|t| ends_clause_words(t) || file_name(t)).unwrap_or(kept);
        let texts = (&node.text[..kept], &spans.text[..kept.min(spans.text.len())]);
        let (last, span) = match (texts.0.last(), texts.1.last(), &node.title, spans.title) {
            (Some(text), Some(&span), _, _) => (text.as_str(), span),
            // A lone title is a sentence when it has a sentence's commas;
            // else it is a heading (`一、总则`), which takes no 。.
            (None, _, Some(title), Some(span))
                if node.children.is_empty() && title.contains(['，', ',', '；', ';']) =>
            {
                (title.as_str(), span)
            }
            _ => continue,
        };
        // A ： says that more follows (sub-clauses, or lines the outline
        // does not number: `甲、` items, a quoted text); it is punctuation,
        // if the wrong one where ； was meant, and this rule is about none.
        let allowed_colon = true;
        // A note in brackets after the sentence is not its end:
        // `……提高资金使用效益。（2010年12月23日删除）`.
        let sentence = match last.trim_end().strip_suffix(['）', ')']) {
            Some(body) if body.ends_with(|c: char| c.is_ascii_digit() || is_cjk(c)) => {
                body.rfind(['（', '(']).map_or(last, |at| &body[..at])
            }
            _ => last,
        };
        // A private-use character (a font's glyph the collection kept,
        // U+E004) after the ending is not the words' end.
        let trimmed = sentence
            .trim_end_matches(|c: char| ('\u{E000}'..='\u{F8FF}').contains(&c))
            .trim_end_matches(['”', '’', '）', ')', '》', '】']);
        // A half-width `.` `!` `?` `;` ending Chinese text is the right
        // ending in the wrong width: half-width-punctuation reports it, and
        // its fix replaces it, where an added 。 would double the ending.
        let half_width_end =
            trimmed.ends_with(['.', '!', '?', ';']) && ends_chinese_sentence(trimmed, trimmed.len() - 1);
        // `．` (U+FF0E) ends a sentence in texts set from older typescripts.
        let ends = trimmed.ends_with(['。', '！', '？', '；', '…', '．'])
            || half_width_end
            || (allowed_colon && trimmed.ends_with(['：', ':']));
        // An unclosed bracket (unbalanced-brackets, unterminated-annotation)
        // or a heading that lost its 、 (marker-missing-separator) is the
        // defect there, not the ending.
        // A clause that is only a short text without any punctuation is a
        // name or a heading, not a sentence cut off: `3．甲基乙基酮`,
        // `第十八条 承运人的责任`, `（一）动产质押` over the articles of its
        // part (after a heading, `（四）优化服务。完善服务体系`, it is cut off).
        // A chemical's or a product's name keeps its dashes and letters
        // (`7．N—乙酰邻氨基苯酸`), a list of names its 、 (`麻黄素、伪麻黄素`):
        // only a sentence's punctuation makes a sentence.
        let name_or_heading = node.title.is_none()
            && kept == 1
            && last.chars().count() <= 16
            && !last.contains(['，', '。', '；', '：', '！', '？', ',', ';', ':', '!', '?']);
        if ends
            || name_or_heading
            || last.is_empty()
            || !balanced(last)
            || crate::validate::rules::numbering::looks_like_heading(last)
        {
            continue;
        }
        // Point at the last character of the words (a responsibility note
        // after them is not part of the sentence).
        let Some(c) = last.chars().next_back() else { continue };
        let source = cx.text(span);
        let Some(at) = source.rfind(c) else { continue };
        let start = span.start + at;
        let end = start + c.len_utf8();
        out.push(
            cx.diagnostic(
                &MISSING_TERMINAL_PUNCTUATION,
                cx.span(start..end),
                format!("`{}` ends without terminal punctuation", node.marker),
            )
            .with_help("end the clause with 。")
            .with_fix(Fix {
                applicability: Applicability::Unsafe,
                edits: vec![Edit { span: cx.span(end..end), replacement: "。".into() }],
            }),
        );
    }
}
