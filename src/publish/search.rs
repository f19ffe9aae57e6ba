//! Full-text search over the site, offline and static.
//!
//! Takes a built document (with the ids its page gives its clauses) and
//! gives its search shard, `<slug>.search.js`: a script that hands the
//! index page the document's title, its clauses (id, path, text) and an
//! index of the character bigrams of their texts (each bigram with the
//! clauses that hold it). Chinese needs no word segmentation that way: a
//! query's bigrams narrow the clauses down, and the script then looks for
//! the query itself in each. One shard per document keeps builds
//! incremental (a changed document rewrites its shard alone), and a script
//! rather than JSON lets the index page load it from a `file:` URL too.
//!
//! Posting lists are written as the gaps between clause numbers in base 36,
//! joined by `,`: most gaps are one character.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

/// The shard's file name for a slug.
pub fn shard_name(slug: &str) -> String {
    format!("{slug}.search.js")
}

/// The bigrams of a text: pairs of consecutive characters that are neither
/// space nor punctuation, lower-cased (so a query in either case finds Latin
/// letters).
pub fn bigrams(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().flat_map(char::to_lowercase).collect();
    chars.windows(2).filter(|w| w.iter().all(|c| c.is_alphanumeric())).map(|w| w.iter().collect()).collect()
}

fn base36(mut n: usize, out: &mut String) {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut buf = Vec::new();
    loop {
        buf.push(DIGITS[n % 36]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    buf.reverse();
    out.push_str(std::str::from_utf8(&buf).unwrap_or_default());
}

#[derive(Serialize)]
struct Shard<'a> {
    slug: &'a str,
    title: &'a str,
    /// (id, path, text) per clause.
    clauses: Vec<[&'a str; 3]>,
    grams: BTreeMap<String, String>,
}

/// The shard of one document: `clauses` are (id, path, own text) in
/// document order.
pub fn shard(slug: &str, title: &str, clauses: &[(String, String, String)]) -> String {
    let mut postings: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, (_, _, text)) in clauses.iter().enumerate() {
        for gram in bigrams(text) {
            let list = postings.entry(gram).or_default();
            if list.last() != Some(&i) {
                list.push(i);
            }
        }
    }
    let grams = postings
        .into_iter()
        .map(|(gram, list)| {
            let mut out = String::new();
            let mut last = 0;
            for (k, n) in list.into_iter().enumerate() {
                if k > 0 {
                    out.push(',');
                }
                base36(n - last, &mut out);
                last = n;
            }
            (gram, out)
        })
        .collect();
    let shard = Shard {
        slug,
        title,
        clauses: clauses.iter().map(|(id, path, text)| [id.as_str(), path.as_str(), text.as_str()]).collect(),
        grams,
    };
    // `</` inside a string would end a script element that inlined it.
    let json = serde_json::to_string(&shard).unwrap_or_default().replace("</", "<\\/");
    let mut out = String::with_capacity(json.len() + 32);
    let _ = writeln!(out, "policycSearch({json});");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postings_are_gaps_in_base_36_and_punctuation_makes_no_bigram() {
        let clauses: Vec<(String, String, String)> = (0..40)
            .map(|i| {
                (format!("a{i}"), format!("第{i}条"), if i % 39 == 0 { "知识产权。".into() } else { "其他".into() })
            })
            .collect();
        let js = shard("x", "标题", &clauses);
        assert!(js.starts_with("policycSearch({\"slug\":\"x\""), "{js}");
        assert!(js.contains("\"知识\":\"0,13\""), "clauses 0 and 39: gap 39 is 13 in base 36: {js}");
        assert!(js.contains("\"其他\":\"1,1,"));
        assert!(!js.contains("\"权。\":"));
        assert_eq!(bigrams("A股、B股"), vec!["a股".to_owned(), "b股".to_owned()]);
    }
}
