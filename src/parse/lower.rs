//! Classified lines → the typed body.
//!
//! Nesting comes from the document's own order of markers, not from the
//! marker kind alone: each new marker closes every open node of the same or a
//! deeper level and becomes the child of the nearest shallower one. So an
//! 一、 part whose items are 1. directly has them as its children, and a 1.
//! before any 一、 stays at the top, where `validate` can say so.

use std::ops::Range;

use super::line::{Content, Line};
use super::marker::Shape;
use super::prepare::Prepared;
use super::table::Found;
use crate::text::is_space;
use crate::tree::{Family, Kind, Node, NodeSpans, Span, Table};

/// The body as built, plus where it starts and ends among the lines.
pub struct Body {
    pub nodes: Vec<Node>,
    /// Index of the first line of the body (the first marker line).
    pub first_line: usize,
    /// Index one past the last line of the body.
    pub end_line: usize,
}

/// The family a document is written in: any 第X条 at a line start makes it a
/// regulation.
pub fn family(lines: &[Line]) -> Family {
    let regulation =
        lines.iter().any(|l| matches!(&l.content, Content::Heading { info, .. } if info.shape == Shape::Article));
    if regulation { Family::Regulation } else { Family::Policy }
}

/// The node kind a marker shape has in a document of `family`.
pub fn kind_of(shape: Shape, family: Family) -> Kind {
    match (shape, family) {
        (Shape::Book, _) => Kind::Book,
        (Shape::Chapter, _) => Kind::Chapter,
        (Shape::Division, _) => Kind::Division,
        (Shape::Article, _) => Kind::Article,
        (Shape::ChineseSep, _) => Kind::Part,
        (Shape::Circled, _) => Kind::Point,
        (Shape::ChineseParen, Family::Policy) => Kind::Section,
        (Shape::ArabicSep, Family::Policy) => Kind::Item,
        (Shape::ArabicParen, Family::Policy) => Kind::Subitem,
        (Shape::ChineseParen, Family::Regulation) => Kind::Clause,
        (Shape::ArabicSep | Shape::ArabicParen, Family::Regulation) => Kind::Subclause,
    }
}

/// A node under construction: its own paragraphs and children in the order
/// they came, so that an article's 款 can be cut apart afterwards.
struct Open {
    node: Node,
    items: Vec<Piece>,
    /// Where the node nests ([`nest_rank`]), or a 节's for an 一、 that
    /// heads articles.
    rank: u8,
}

enum Piece {
    Text(String, Span),
    Child(Box<Node>),
    Table(Table),
}

/// Build the body from `lines[first..end]`. Lines that are not markers
/// become paragraphs of the innermost open node, and a table (`tables`, by
/// the line it starts on) one of its tables; debris and blank lines are
/// skipped here (the frame stage collects debris from all lines).
pub fn body(
    lines: &[Line],
    first: usize,
    end: usize,
    family: Family,
    tables: &[Found],
    prepared: &Prepared,
) -> Vec<Node> {
    let mut stack: Vec<Open> = Vec::new();
    let mut roots: Vec<Node> = Vec::new();
    for (at, line) in lines[first..end].iter().enumerate() {
        match &line.content {
            Content::Heading { marker, rest, .. } if glued_sentence(marker, rest, prepared) => {
                text_line(&mut stack, &mut roots, family, prepared, marker.start..rest.end);
            }
            Content::Heading { info, marker, rest } => {
                let kind = kind_of(info.shape, family);
                let over_articles = family == Family::Regulation
                    && !matches!(info.shape, Shape::Book | Shape::Chapter | Shape::Division | Shape::Article)
                    && heads_articles(&lines[first + at..end], prepared);
                // An 一、 over articles nests as a 节 does, and a （一） over
                // articles (a judicial interpretation's `（一）动产质押` under
                // `四、关于质押部分的解释`) between that and the articles.
                let rank = match (over_articles, kind) {
                    (true, Kind::Part) => nest_rank(Kind::Division),
                    (true, _) => nest_rank(Kind::Division) + 1,
                    (false, _) => nest_rank(kind),
                };
                // In a regulation, a list numbered 一、 or 1. inside an
                // article belongs to it and restarts with the next article.
                let in_article = family == Family::Regulation && kind.family() == Family::Policy && !over_articles;
                while let Some(open) = stack.last() {
                    if (in_article && open.node.kind == Kind::Article) || open.rank < rank {
                        break;
                    }
                    close(&mut stack, &mut roots);
                }
                let mut open = open_node(kind, info.number, info.sub, marker.clone(), rest.clone(), prepared);
                open.rank = rank;
                stack.push(open);
            }
            Content::Text(range) => text_line(&mut stack, &mut roots, family, prepared, range.clone()),
            Content::Row(_) => {
                // A table stays with the clause it is in, even after a list
                // of 项: it is not a paragraph that starts the next 款.
                let line = first + at;
                let found = tables.binary_search_by_key(&line, |t| t.lines.start).ok().map(|i| &tables[i]);
                if let (Some(open), Some(found)) = (stack.last_mut(), found) {
                    open.items.push(Piece::Table(found.table.clone()));
                }
            }
            Content::Blank | Content::Debris(..) => {}
        }
    }
    while !stack.is_empty() {
        close(&mut stack, &mut roots);
    }
    roots
}

/// Where a node of `kind` nests: its rank, spaced out so that a heading
/// over articles can nest between two ranks.
fn nest_rank(kind: Kind) -> u8 {
    kind.rank() * 2
}

/// A line of text: a paragraph of the innermost open node.
fn text_line(stack: &mut Vec<Open>, roots: &mut Vec<Node>, family: Family, prepared: &Prepared, range: Range<usize>) {
    // In a regulation a 项 or 目 is one paragraph; a paragraph
    // after the list is the article's next 款.
    // Everything open above an article is a list inside it.
    let article = stack.iter().rposition(|o| o.node.kind == Kind::Article);
    if family == Family::Regulation && article.is_some_and(|i| i + 1 < stack.len()) {
        while stack.last().is_some_and(|o| o.node.kind != Kind::Article) {
            close(stack, roots);
        }
    }
    if let (Some(open), Some((text, span))) = (stack.last_mut(), trimmed(prepared, range)) {
        open.items.push(Piece::Text(text, span));
    }
}

/// Whether a 编/章/节 marker runs on, with no space, into a sentence:
/// `第七节相应改为第八节，…。` in an amendment or a 决定 names a heading
/// of the law it amends; a heading's title (`第一章总则`) has no sentence
/// punctuation.
fn glued_sentence(marker: &Range<usize>, rest: &Range<usize>, prepared: &Prepared) -> bool {
    let text = &prepared.text;
    let is_unit = text.get(marker.clone()).is_some_and(|m| m.ends_with(['编', '章', '节']));
    is_unit
        && marker.end == rest.start
        && text.get(rest.clone()).is_some_and(|r| r.contains(['，', '。', '；', ',', ';']))
}

/// Whether the 一、 line starting `lines` heads articles the way a 章 does:
/// a Markdown heading, or a line without sentence punctuation whose next
/// numbered line is an article.
fn heads_articles(lines: &[Line], prepared: &Prepared) -> bool {
    let Some(line) = lines.first() else { return false };
    let source = &prepared.source.text;
    let at = prepared.to_source(line.start).min(source.len());
    if prepared.source.format == crate::source::Format::Markdown
        && source.get(at..).is_some_and(|s| s.trim_start_matches([' ', '\t']).starts_with('#'))
    {
        return true;
    }
    let Content::Heading { rest, .. } = &line.content else { return false };
    let text = prepared.text[rest.clone()].trim_end_matches(is_space);
    if text.is_empty() || text.chars().count() > 30 || text.contains(['。', '；', '：', '，', ';', ':']) {
        return false;
    }
    lines[1..].iter().find_map(|l| match &l.content {
        Content::Heading { info, .. } => Some(info.shape == Shape::Article),
        _ => None,
    }) == Some(true)
}

fn open_node(
    kind: Kind,
    number: u32,
    sub: Option<u32>,
    marker: Range<usize>,
    rest: Range<usize>,
    prepared: &Prepared,
) -> Open {
    let marker_text = prepared.text[marker.clone()].to_owned();
    let marker_span = prepared.span(marker.clone());
    let mut node = Node {
        kind,
        marker: marker_text,
        number,
        sub,
        title: None,
        text: Vec::new(),
        tables: Vec::new(),
        owners: Vec::new(),
        targets: Vec::new(),
        children: Vec::new(),
        span: prepared.span(marker.start..rest.end.max(marker.end)),
        spans: NodeSpans { marker: marker_span, title: None, text: Vec::new() },
    };
    let mut items = Vec::new();
    let rest_text = &prepared.text[rest.clone()];
    let titled = matches!(kind, Kind::Part | Kind::Section | Kind::Item | Kind::Subitem | Kind::Point);
    if kind.is_heading_line() {
        if let Some((text, span)) = trimmed(prepared, rest.clone()) {
            node.title = Some(text);
            node.spans.title = Some(span);
        }
    } else if titled {
        let (title, remainder) = split_title(rest_text);
        if let Some(title) = title {
            let range = rest.start + title.start..rest.start + title.end;
            if let Some((text, span)) = trimmed(prepared, range) {
                node.title = Some(text);
                node.spans.title = Some(span);
            }
        }
        let range = rest.start + remainder.start..rest.start + remainder.end;
        if let Some((text, span)) = trimmed(prepared, range) {
            items.push(Piece::Text(text, span));
        }
    } else if let Some((text, span)) = trimmed(prepared, rest) {
        items.push(Piece::Text(text, span));
    }
    Open { node, items, rank: nest_rank(kind) }
}

/// Finish the innermost open node and attach it to its parent (or the roots).
fn close(stack: &mut Vec<Open>, roots: &mut Vec<Node>) {
    let Some(open) = stack.pop() else { return };
    let node = finish(open);
    match stack.last_mut() {
        Some(parent) => parent.items.push(Piece::Child(Box::new(node))),
        None => roots.push(node),
    }
}

fn finish(open: Open) -> Node {
    let Open { mut node, items, .. } = open;
    let paragraphs = items.iter().filter(|p| matches!(p, Piece::Text(..))).count();
    if node.kind == Kind::Article && paragraphs > 1 {
        // 款 are numbered by position: every paragraph of the article starts
        // one, and the 项 after a paragraph belong to its 款.
        let mut kuan: Vec<Open> = Vec::new();
        for piece in items {
            match piece {
                Piece::Text(text, span) => {
                    let number = kuan.len() as u32 + 1;
                    kuan.push(Open {
                        node: Node {
                            kind: Kind::Paragraph,
                            marker: String::new(),
                            number,
                            sub: None,
                            title: None,
                            text: vec![text],
                            tables: Vec::new(),
                            owners: Vec::new(),
                            targets: Vec::new(),
                            children: Vec::new(),
                            span,
                            spans: NodeSpans {
                                marker: Span { end: span.start, ..span },
                                title: None,
                                text: vec![span],
                            },
                        },
                        items: Vec::new(),
                        rank: nest_rank(Kind::Paragraph),
                    });
                }
                Piece::Child(child) => match kuan.last_mut() {
                    Some(k) => k.items.push(Piece::Child(child)),
                    None => node.children.push(*child),
                },
                // A table belongs to the 款 whose words it follows.
                Piece::Table(table) => match kuan.last_mut() {
                    Some(k) => k.node.tables.push(table),
                    None => node.tables.push(table),
                },
            }
        }
        for k in kuan {
            let mut paragraph = k.node;
            for piece in k.items {
                if let Piece::Child(child) = piece {
                    paragraph.children.push(*child);
                }
            }
            super::table::place(&mut paragraph.tables, paragraph.spans.text.iter().copied());
            extend_span(&mut paragraph);
            node.children.push(paragraph);
        }
    } else {
        for piece in items {
            match piece {
                Piece::Text(text, span) => {
                    node.text.push(text);
                    node.spans.text.push(span);
                }
                Piece::Child(child) => node.children.push(*child),
                Piece::Table(table) => node.tables.push(table),
            }
        }
    }
    super::table::place(&mut node.tables, node.spans.text.iter().copied());
    extend_span(&mut node);
    node
}

/// A node's span runs to the end of its own text or its last descendant.
fn extend_span(node: &mut Node) {
    let own_end = node.spans.text.last().map(|s| s.end).into_iter().chain(node.tables.last().map(|t| t.span.end));
    let title_end = node.spans.title.map(|s| s.end).into_iter();
    let child_end = node.children.last().map(|c| c.span.end).into_iter();
    if let Some(end) = own_end.chain(title_end).chain(child_end).max() {
        node.span.end = node.span.end.max(end);
    }
}

/// The text of a range with surrounding white space removed, and its span;
/// `None` when nothing is left.
pub fn trimmed(prepared: &Prepared, range: Range<usize>) -> Option<(String, Span)> {
    let raw = &prepared.text[range.clone()];
    let lead = raw.len() - raw.trim_start_matches(is_space).len();
    let body = raw.trim_matches(is_space);
    if body.is_empty() {
        return None;
    }
    let start = range.start + lead;
    let span = prepared.span(start..start + body.len());
    // Zero-width characters are debris (the frame stage reports them); the
    // text keeps none of them.
    let text = if prepared.has_invisible && INVISIBLE.iter().any(|c| body.contains(*c)) {
        body.chars().filter(|c| !INVISIBLE.contains(c)).collect()
    } else {
        body.to_owned()
    };
    Some((text, span))
}

/// Characters that take no room and carry no meaning.
pub const INVISIBLE: [char; 5] = ['\u{200b}', '\u{200c}', '\u{200d}', '\u{2060}', '\u{feff}'];

/// How far into a clause a lead sentence may end and still be its title.
const TITLE_MAX_CHARS: usize = 50;
/// A heading on a line of its own is at most this long.
const HEADING_LINE_MAX_CHARS: usize = 60;

/// Split the text after a policy-family marker into its title and the rest
/// (byte ranges into `rest`). The title is, in this order of preference:
/// the whole line when it is a short line with no full stop (a heading on a
/// line of its own); the lead sentence up to 。 or ： when that comes early;
/// the words before a separating space (000 writes `(一)标题 正文…`).
/// Anything longer is text: a title names a clause, it does not carry it.
pub fn split_title(rest: &str) -> (Option<Range<usize>>, Range<usize>) {
    let len = rest.trim_end_matches(is_space).len();
    let line = &rest[..len];
    if line.is_empty() {
        return (None, len..len);
    }
    // Punctuation inside brackets ((责任部门:…), 《…：…》) ends nothing.
    let terminal = top_level_chars(line).find(|&(_, (_, c))| matches!(c, '。' | '：' | ':'));
    if terminal.is_none() && line.chars().count() <= HEADING_LINE_MAX_CHARS {
        return (Some(0..len), len..len);
    }
    if let Some((ci, (b, c))) = terminal {
        let end = b + c.len_utf8();
        if ci < TITLE_MAX_CHARS {
            return (Some(0..end), end..len);
        }
    }
    // A separating space before the first clause punctuation: the last such
    // space wins, so a stray space inside the title does not cut it short.
    let clause_end = top_level_chars(line)
        .find(|(_, (_, c))| matches!(c, '，' | ',' | '、' | '；' | ';' | '。' | '：' | ':'))
        .map_or(len, |(_, (b, _))| b);
    let mut split = None;
    let mut in_space = false;
    for (_, (b, c)) in top_level_chars(line).take_while(|(_, (b, _))| *b < clause_end) {
        if is_space(c) {
            if !in_space && line[..b].chars().count() >= 4 {
                let after = line[b..].trim_start_matches(is_space);
                split = Some((b, len - after.len()));
            }
            in_space = true;
        } else {
            in_space = false;
        }
    }
    match split.filter(|&(end, _)| line[..end].chars().count() <= TITLE_MAX_CHARS) {
        Some((title_end, rest_start)) => (Some(0..title_end), rest_start..len),
        // A lead sentence longer than a title is the clause's first sentence.
        None => (None, 0..len),
    }
}

/// (character index, (byte offset, character)) of the characters outside
/// any bracket, 《》 or quotes; lazily, since the first 。 or ： usually ends
/// the search early in a long clause.
fn top_level_chars(line: &str) -> impl Iterator<Item = (usize, (usize, char))> + '_ {
    let mut depth = 0u32;
    line.char_indices().enumerate().filter(move |&(_, (_, c))| match c {
        '(' | '（' | '[' | '［' | '【' | '《' | '“' | '〔' => {
            depth += 1;
            false
        }
        ')' | '）' | ']' | '］' | '】' | '》' | '”' | '〕' => {
            depth = depth.saturating_sub(1);
            false
        }
        _ => depth == 0,
    })
}

#[cfg(test)]
mod tests {
    use super::split_title;

    fn split(s: &str) -> (Option<&str>, &str) {
        let (title, rest) = split_title(s);
        (title.map(|r| &s[r]), s[rest].trim_start())
    }

    #[test]
    fn heading_on_its_own_line() {
        assert_eq!(split("指导思想"), (Some("指导思想"), ""));
        assert_eq!(split("强化供给 提升高质量服务能力"), (Some("强化供给 提升高质量服务能力"), ""));
    }

    #[test]
    fn lead_sentence() {
        assert_eq!(split("强化组织领导。局党组负总责。"), (Some("强化组织领导。"), "局党组负总责。"));
        assert_eq!(split("引导服务业增强能力。 探索机制。"), (Some("引导服务业增强能力。"), "探索机制。"));
    }

    #[test]
    fn separating_space_after_a_stray_one() {
        let s = "促进知识产权服务业与 产业发展协同联动 引导知识产权服务业围绕我省重点产业和战略性新兴产业、重点产业功能区聚集,面向产业链强化服务。";
        assert_eq!(split(s).0, Some("促进知识产权服务业与 产业发展协同联动"));
    }

    #[test]
    fn punctuation_inside_brackets_ends_nothing() {
        let s = "加强组织领导(责任部门:办公室、人事处)，按季度报告进展";
        assert_eq!(split(s), (Some(s), ""), "a short line without a full stop is a heading, brackets and all");
        assert_eq!(split("落实《条例：修订版》要求。其余内容。").0, Some("落实《条例：修订版》要求。"));
    }

    #[test]
    fn long_sentence_without_structure_has_no_title() {
        let s = "一".repeat(120) + "。";
        assert_eq!(split(&s).0, None);
    }

    #[test]
    fn long_lead_sentence_is_text() {
        let s = "持续抓好“铁拳”“春雷”“ 护航”专项行动,围绕驰名商标、纳入中欧互认的地理标志、涉外商标等重点领域、重点产品,开展打击侵犯知识产权的专项整治行动。充分运用互联网。";
        assert_eq!(split(s), (None, s));
    }
}
