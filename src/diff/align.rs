//! Clause alignment: which clause of `old` became which clause of `new`.
//!
//! Takes the two revisions' bodies (the policy's and its attachments')
//! flattened into [`Clause`]s and gives an
//! [`Alignment`]: 1:1 pairs plus split/merge [`Group`]s. Numbers are never
//! used to pair (inserting one clause renumbers every later one); content
//! is, in passes that get more expensive and see fewer clauses each time:
//!
//! 1. **fingerprints**: clauses whose whitespace-free text hashes the same
//!    pair in document order — in a typical revision this settles almost
//!    everything in linear time;
//! 2. **similarity**: the rest are compared by the Jaccard index of their
//!    character bigrams (Chinese has no spaces; two characters are roughly a
//!    word). Candidates come from an inverted index of bigrams, skipping
//!    bigrams shared by too many clauses, so the work grows with the number
//!    of changed clauses, never with the product of the two documents.
//!    Pairs at or above [`PAIR_THRESHOLD`] are taken best first, position
//!    breaking ties;
//! 3. **parents from children**: an unpaired clause whose children mostly
//!    went to one unpaired clause of `new` is paired with it (a part whose
//!    heading was reworded is still that part);
//! 4. **splits and merges**: a clause of one side whose text is covered by
//!    several consecutive siblings of the other side, each mostly made of
//!    its words.
//!
//! Only clauses of the same [`Kind`] are compared. Never fails.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, VecDeque};

use crate::tree::{Document, Kind, Node, Owner};

/// Below this Jaccard index of character bigrams two clauses are unrelated:
/// clauses of two different policies on the same subject share their
/// vocabulary (知识产权, 服务机构…) and score up to about 0.3; a clause with
/// one of three sentences rewritten still scores about 0.5.
pub const PAIR_THRESHOLD: f64 = 0.4;

/// A piece of a split (or a source of a merge) must have at least this
/// share of its bigrams in the whole clause…
const PIECE_CONTAINMENT: f64 = 0.7;

/// …and the pieces together must match the whole clause at least this well.
const GROUP_THRESHOLD: f64 = 0.6;

/// Bigrams in more clauses than this are too common to find candidates by
/// (and would make the search grow with the square of the clause count).
const COMMON_GRAM: usize = 64;

/// Candidates kept per clause, by shared bigrams, for the exact score.
const CANDIDATES: usize = 8;

/// One document of a revision whose body takes part: the policy, or a
/// further attachment with its label as `scope` (`附件2`; "" for the policy).
#[derive(Debug, Clone)]
pub struct Part<'a> {
    pub scope: String,
    pub document: &'a Document,
}

/// One numbered node of a body, with what alignment needs to know of it.
#[derive(Debug, Clone)]
pub struct Clause<'a> {
    pub node: &'a Node,
    /// Marker path as written: `二、/（四）`, `附件2/一、` in an attachment.
    pub path: String,
    pub parent: Option<usize>,
    /// The next and previous sibling, for split/merge detection.
    pub next: Option<usize>,
    pub prev: Option<usize>,
    /// The clause's own text (title and paragraphs, not its children), with
    /// its responsibility annotations; borrowed from the tree when that is
    /// one piece already (most clauses: no copy of a long text).
    pub text: Cow<'a, str>,
    /// Hash of the whitespace-free content.
    fingerprint: u64,
    /// Sorted, distinct character bigrams of the content.
    grams: Vec<u64>,
    /// Whether the clause has words of its own (or under it) to compare.
    has_content: bool,
}

/// Flatten the bodies of a revision's parts in document order (parents
/// before children). `source` is the text the parts were parsed from, if
/// known: annotations are then shown as written.
pub fn flatten<'a>(parts: &[Part<'a>], source: Option<&str>) -> Vec<Clause<'a>> {
    struct Walk<'s> {
        source: Option<&'s str>,
    }
    impl Walk<'_> {
        fn visit<'a>(&self, nodes: &'a [Node], parent: Option<usize>, prefix: &str, out: &mut Vec<Clause<'a>>) {
            let mut prev: Option<usize> = None;
            for node in nodes {
                let mut path = prefix.to_owned();
                crate::tree::push_marker_path(&mut path, node);
                let text = own_words(node, self.source);
                let mut content = normalize(&text);
                if content.is_empty() {
                    // A bare number with children only: it is what it contains.
                    content = node.walk().skip(1).map(|n| normalize(&n.full_text())).collect();
                }
                let index = out.len();
                if let Some(p) = prev {
                    out[p].next = Some(index);
                }
                out.push(Clause {
                    node,
                    path: path.clone(),
                    parent,
                    next: None,
                    prev,
                    text,
                    fingerprint: xxhash_rust::xxh3::xxh3_64(content.as_bytes()),
                    grams: bigrams(&content),
                    has_content: !content.is_empty(),
                });
                prev = Some(index);
                self.visit(&node.children, Some(index), &path, out);
            }
        }
    }
    let walk = Walk { source };
    let mut out = Vec::new();
    for part in parts {
        walk.visit(&part.document.body, None, &part.scope, &mut out);
    }
    out
}

/// The clause's title and paragraphs, with its responsibility annotations
/// written back at the end: `parse` lifts them out of the text into
/// `owners`, and a change of the lead unit is a change of the clause. With
/// the source at hand an annotation reads as written there
/// (（牵头单位：市商务局）); without, in one canonical form.
fn own_words<'a>(node: &'a Node, source: Option<&str>) -> Cow<'a, str> {
    if node.owners.is_empty() && node.tables.is_empty() {
        match (&node.title, node.text.as_slice()) {
            (Some(title), []) => return Cow::Borrowed(title),
            (None, [paragraph]) => return Cow::Borrowed(paragraph),
            _ => return Cow::Owned(node.full_text()),
        }
    }
    let mut text = node.full_text();
    let mut owners = node.owners.iter().peekable();
    while let Some(first) = owners.next() {
        // One annotation per span: the units it names, in order.
        let mut units = vec![first.unit.as_str()];
        while let Some(next) = owners.next_if(|o| o.span == first.span) {
            units.push(&next.unit);
        }
        match (source.and_then(|s| as_written(s, first)), &first.role) {
            (Some(written), _) => text.push_str(written),
            (None, Some(role)) => text.push_str(&format!("[{role}:{}]", units.join("、"))),
            (None, None) => text.push_str(&format!("({}负责)", units.join("、"))),
        }
    }
    Cow::Owned(text)
}

/// The annotation an owner was named in, as the source has it, when its
/// span holds a bracketed annotation (a span that could not be located in
/// the source points at the whole paragraph instead).
fn as_written<'s>(source: &'s str, owner: &Owner) -> Option<&'s str> {
    let written = source.get(owner.span.start..owner.span.end)?;
    let opens = written.starts_with(['[', '［', '(', '（', '【']);
    let closes = written.ends_with([']', '］', ')', '）', '】']);
    (opens && closes && written.contains(owner.unit.as_str()) && !written.contains('\n')).then_some(written)
}

/// Spaces carry no meaning between Chinese characters (they are copy debris),
/// so they take no part in matching; they still show in the character diff.
fn normalize(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The sorted, distinct character bigrams of `content`. Real text repeats
/// its bigrams, so the list is kept deduplicated as it grows: memory follows
/// the number of distinct bigrams, not the length of the clause.
fn bigrams(content: &str) -> Vec<u64> {
    let mut chars = content.chars().map(u64::from);
    let Some(mut last) = chars.next() else { return Vec::new() };
    let mut grams: Vec<u64> = Vec::new();
    let mut distinct = 0;
    let mut single = true;
    for c in chars {
        single = false;
        grams.push((last << 21) | c);
        last = c;
        if grams.len() >= 2 * distinct + 4096 {
            grams.sort_unstable();
            grams.dedup();
            distinct = grams.len();
        }
    }
    if single {
        return vec![last];
    }
    grams.sort_unstable();
    grams.dedup();
    grams.shrink_to_fit();
    grams
}

/// Size of the intersection of two sorted, distinct lists.
fn shared(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let s = shared(a, b);
    s as f64 / (a.len() + b.len() - s) as f64
}

/// Share of `part`'s bigrams found in `whole`.
fn containment(part: &[u64], whole: &[u64]) -> f64 {
    if part.is_empty() {
        return 0.0;
    }
    shared(part, whole) as f64 / part.len() as f64
}

fn union(lists: &[&[u64]]) -> Vec<u64> {
    let mut all: Vec<u64> = lists.iter().flat_map(|l| l.iter().copied()).collect();
    all.sort_unstable();
    all.dedup();
    all
}

/// Several clauses of one side that correspond, as a whole, to clauses of
/// the other: a split (one old, several new) or a merge (several old, one
/// new). Indices are in document order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub old: Vec<usize>,
    pub new: Vec<usize>,
}

/// The result of alignment.
#[derive(Debug, Clone, Default)]
pub struct Alignment {
    pub old_to_new: Vec<Option<usize>>,
    pub new_to_old: Vec<Option<usize>>,
    pub groups: Vec<Group>,
    old_group: Vec<Option<usize>>,
    new_group: Vec<Option<usize>>,
}

impl Alignment {
    fn new(old: usize, new: usize) -> Self {
        Alignment {
            old_to_new: vec![None; old],
            new_to_old: vec![None; new],
            groups: Vec::new(),
            old_group: vec![None; old],
            new_group: vec![None; new],
        }
    }

    pub fn old_group(&self, o: usize) -> Option<&Group> {
        self.old_group[o].map(|g| &self.groups[g])
    }

    pub fn new_group(&self, n: usize) -> Option<&Group> {
        self.new_group[n].map(|g| &self.groups[g])
    }

    fn old_free(&self, o: usize) -> bool {
        self.old_to_new[o].is_none() && self.old_group[o].is_none()
    }

    fn new_free(&self, n: usize) -> bool {
        self.new_to_old[n].is_none() && self.new_group[n].is_none()
    }

    fn pair(&mut self, o: usize, n: usize) {
        self.old_to_new[o] = Some(n);
        self.new_to_old[n] = Some(o);
    }

    fn unpair(&mut self, o: usize) {
        if let Some(n) = self.old_to_new[o].take() {
            self.new_to_old[n] = None;
        }
    }

    fn add_group(&mut self, group: Group) {
        let id = self.groups.len();
        for &o in &group.old {
            self.unpair(o);
            self.old_group[o] = Some(id);
        }
        for &n in &group.new {
            if let Some(o) = self.new_to_old[n] {
                self.unpair(o);
            }
            self.new_group[n] = Some(id);
        }
        self.groups.push(group);
    }

    /// Whether old clause `o` corresponds to new clause `n`, by a pair or a group.
    fn corresponds(&self, o: usize, n: usize) -> bool {
        self.old_to_new[o] == Some(n) || (self.old_group[o].is_some() && self.old_group[o] == self.new_group[n])
    }
}

/// A scored candidate pair.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    score: f64,
    old: usize,
    new: usize,
}

/// Pair the clauses of `old` with those of `new`.
pub fn align(old: &[Clause<'_>], new: &[Clause<'_>]) -> Alignment {
    let mut alignment = Alignment::new(old.len(), new.len());
    match_fingerprints(old, new, &mut alignment);
    let candidates = match_similar(old, new, &mut alignment);
    match_parents(old, new, &mut alignment);
    let mut old_candidates: Vec<Vec<usize>> = vec![Vec::new(); old.len()];
    let mut new_candidates: Vec<Vec<usize>> = vec![Vec::new(); new.len()];
    for c in &candidates {
        old_candidates[c.old].push(c.new);
        new_candidates[c.new].push(c.old);
    }
    find_groups(old, new, &old_candidates, &mut alignment, Side::Split);
    find_groups(new, old, &new_candidates, &mut alignment, Side::Merge);
    alignment
}

/// Pass 1: identical content, paired in document order.
fn match_fingerprints(old: &[Clause<'_>], new: &[Clause<'_>], alignment: &mut Alignment) {
    let mut by_print: HashMap<(Kind, u64), VecDeque<usize>> = HashMap::new();
    for (n, clause) in new.iter().enumerate() {
        if clause.has_content {
            by_print.entry((clause.node.kind, clause.fingerprint)).or_default().push_back(n);
        }
    }
    for (o, clause) in old.iter().enumerate() {
        if !clause.has_content {
            continue;
        }
        if let Some(n) = by_print.get_mut(&(clause.node.kind, clause.fingerprint)).and_then(VecDeque::pop_front) {
            alignment.pair(o, n);
        }
    }
}

/// Pass 2: similar content. Returns every candidate scored (above a floor),
/// paired or not, for the split/merge pass.
fn match_similar(old: &[Clause<'_>], new: &[Clause<'_>], alignment: &mut Alignment) -> Vec<Candidate> {
    let free_new: Vec<usize> = (0..new.len()).filter(|&n| alignment.new_free(n) && new[n].has_content).collect();
    if free_new.is_empty() {
        return Vec::new();
    }
    let mut index: HashMap<u64, Vec<usize>> = HashMap::new();
    for &n in &free_new {
        for &g in &new[n].grams {
            index.entry(g).or_default().push(n);
        }
    }
    let mut counts = vec![0u32; new.len()];
    let mut touched: Vec<usize> = Vec::new();
    let mut candidates = Vec::new();
    for (o, clause) in old.iter().enumerate() {
        if !alignment.old_free(o) || !clause.has_content {
            continue;
        }
        for g in &clause.grams {
            let Some(list) = index.get(g) else { continue };
            if list.len() > COMMON_GRAM {
                continue;
            }
            for &n in list {
                if new[n].node.kind != clause.node.kind {
                    continue;
                }
                if counts[n] == 0 {
                    touched.push(n);
                }
                counts[n] += 1;
            }
        }
        // The best few by shared bigrams, ties to the nearest position.
        let rank = |&n: &usize| (std::cmp::Reverse(counts[n]), distance(o, old.len(), n, new.len()), n);
        let best = if touched.len() > CANDIDATES {
            touched.select_nth_unstable_by_key(CANDIDATES, rank).0
        } else {
            &mut touched[..]
        };
        best.sort_by_key(rank);
        for &n in best.iter() {
            let score = jaccard(&clause.grams, &new[n].grams);
            let contained = containment(&new[n].grams, &clause.grams).max(containment(&clause.grams, &new[n].grams));
            if score >= PAIR_THRESHOLD || contained >= PIECE_CONTAINMENT {
                candidates.push(Candidate { score, old: o, new: n });
            }
        }
        for &n in &touched {
            counts[n] = 0;
        }
        touched.clear();
    }
    let mut ranked: Vec<Candidate> = candidates.iter().copied().filter(|c| c.score >= PAIR_THRESHOLD).collect();
    ranked.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(distance(a.old, old.len(), a.new, new.len()).cmp(&distance(b.old, old.len(), b.new, new.len())))
            .then(a.old.cmp(&b.old))
            .then(a.new.cmp(&b.new))
    });
    for c in ranked {
        if alignment.old_free(c.old) && alignment.new_free(c.new) {
            alignment.pair(c.old, c.new);
        }
    }
    candidates
}

/// How far apart two clauses sit, relative to their documents' lengths
/// (scaled to integers so that sorting is exact).
fn distance(o: usize, old_len: usize, n: usize, new_len: usize) -> u128 {
    let a = o as u128 * new_len as u128;
    let b = n as u128 * old_len as u128;
    a.abs_diff(b)
}

/// Pass 3: an unpaired clause whose paired children mostly went to the
/// children of one unpaired clause of `new` is that clause, reworded.
fn match_parents(old: &[Clause<'_>], new: &[Clause<'_>], alignment: &mut Alignment) {
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); old.len()];
    for (o, clause) in old.iter().enumerate() {
        if let Some(p) = clause.parent {
            children[p].push(o);
        }
    }
    // Reverse document order sees children before their parents, so a
    // pairing found here can vote for the grandparent.
    for o in (0..old.len()).rev() {
        if !alignment.old_free(o) || children[o].is_empty() {
            continue;
        }
        let mut votes: Vec<usize> =
            children[o].iter().filter_map(|&c| alignment.old_to_new[c]).filter_map(|n| new[n].parent).collect();
        votes.sort_unstable();
        let best = votes
            .chunk_by(|a, b| a == b)
            .map(|run| (run.len(), run[0]))
            .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        if let Some((count, n)) = best
            && count * 2 > children[o].len()
            && alignment.new_free(n)
            && new[n].node.kind == old[o].node.kind
        {
            alignment.pair(o, n);
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    /// `whole` is old, pieces are new.
    Split,
    /// `whole` is new, pieces are old.
    Merge,
}

/// Pass 4: one clause of `whole_side` against consecutive siblings of
/// `piece_side` that together carry its text.
fn find_groups(
    whole_side: &[Clause<'_>],
    piece_side: &[Clause<'_>],
    candidates: &[Vec<usize>],
    alignment: &mut Alignment,
    side: Side,
) {
    // Views of the alignment from the whole's side, so one function serves
    // splits and merges.
    let partner = |a: &Alignment, w: usize| match side {
        Side::Split => a.old_to_new[w],
        Side::Merge => a.new_to_old[w],
    };
    let whole_free = |a: &Alignment, w: usize| match side {
        Side::Split => a.old_free(w),
        Side::Merge => a.new_free(w),
    };
    let piece_free = |a: &Alignment, p: usize| match side {
        Side::Split => a.new_free(p),
        Side::Merge => a.old_free(p),
    };
    for (w, whole) in whole_side.iter().enumerate() {
        if !whole.has_content {
            continue;
        }
        let seeds: Vec<usize> = match partner(alignment, w) {
            Some(p) => vec![p],
            None if whole_free(alignment, w) => candidates[w].clone(),
            None => continue,
        };
        for seed in seeds {
            if partner(alignment, w) != Some(seed) && !piece_free(alignment, seed) {
                continue;
            }
            if containment(&piece_side[seed].grams, &whole.grams) < PIECE_CONTAINMENT {
                continue;
            }
            let fits = |p: usize, a: &Alignment| {
                piece_free(a, p)
                    && piece_side[p].node.kind == whole.node.kind
                    && piece_side[p].has_content
                    && containment(&piece_side[p].grams, &whole.grams) >= PIECE_CONTAINMENT
            };
            let mut pieces = VecDeque::from([seed]);
            while let Some(&first) = pieces.front()
                && let Some(prev) = piece_side[first].prev
                && fits(prev, alignment)
            {
                pieces.push_front(prev);
            }
            while let Some(&last) = pieces.back()
                && let Some(next) = piece_side[last].next
                && fits(next, alignment)
            {
                pieces.push_back(next);
            }
            if pieces.len() < 2 {
                continue;
            }
            let lists: Vec<&[u64]> = pieces.iter().map(|&p| piece_side[p].grams.as_slice()).collect();
            let together = jaccard(&whole.grams, &union(&lists));
            let alone = jaccard(&whole.grams, &piece_side[seed].grams);
            if together < GROUP_THRESHOLD || together <= alone {
                continue;
            }
            let pieces: Vec<usize> = pieces.into();
            let group = match side {
                Side::Split => Group { old: vec![w], new: pieces },
                Side::Merge => Group { old: pieces, new: vec![w] },
            };
            alignment.add_group(group);
            break;
        }
    }
}

/// Which paired old clauses moved: their parent does not correspond to
/// their partner's parent, or they are out of order among the pairs that
/// share both parents (the longest increasing run stays; the rest moved).
pub fn moved(old: &[Clause<'_>], new: &[Clause<'_>], alignment: &Alignment) -> Vec<bool> {
    let mut moved = vec![false; old.len()];
    // Pairs grouped by (old parent, new parent): siblings on both sides.
    type Parents = (Option<usize>, Option<usize>);
    let mut families: BTreeMap<Parents, Vec<(usize, usize)>> = BTreeMap::new();
    for (o, clause) in old.iter().enumerate() {
        let Some(n) = alignment.old_to_new[o] else { continue };
        let same_parent = match (clause.parent, new[n].parent) {
            // At the top: the same document (the policy, or the attachment
            // of the same label).
            (None, None) => scope(&clause.path) == scope(&new[n].path),
            (Some(po), Some(pn)) => alignment.corresponds(po, pn),
            _ => false,
        };
        if same_parent {
            families.entry((clause.parent, new[n].parent)).or_default().push((o, n));
        } else {
            moved[o] = true;
        }
    }
    for pairs in families.into_values() {
        // `pairs` is in old document order; keep the longest run that is in
        // new order too.
        let news: Vec<usize> = pairs.iter().map(|&(_, n)| n).collect();
        let keep = longest_increasing(&news);
        for (i, &(o, _)) in pairs.iter().enumerate() {
            if !keep[i] {
                moved[o] = true;
            }
        }
    }
    moved
}

/// The attachment label a top-level clause's path starts with ("" for the
/// policy's own clauses).
fn scope(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(scope, _)| scope)
}

/// Marks the members of one longest strictly increasing subsequence
/// (patience sorting, O(n log n)); the earliest such run on ties.
fn longest_increasing(values: &[usize]) -> Vec<bool> {
    let mut tails: Vec<usize> = Vec::new(); // index into values of the smallest tail of each length
    let mut back: Vec<Option<usize>> = vec![None; values.len()];
    for (i, &v) in values.iter().enumerate() {
        let len = tails.partition_point(|&t| values[t] < v);
        back[i] = len.checked_sub(1).map(|l| tails[l]);
        if len == tails.len() {
            tails.push(i);
        } else {
            tails[len] = i;
        }
    }
    let mut keep = vec![false; values.len()];
    let mut at = tails.last().copied();
    while let Some(i) = at {
        keep[i] = true;
        at = back[i];
    }
    keep
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_increasing_keeps_the_ordered_run() {
        assert_eq!(longest_increasing(&[0, 1, 5, 2, 3]), [true, true, false, true, true]);
        assert_eq!(longest_increasing(&[]), Vec::<bool>::new());
        assert_eq!(longest_increasing(&[3, 0, 1, 2]), [false, true, true, true]);
    }

    #[test]
    fn bigrams_ignore_spaces_and_repeat() {
        assert_eq!(bigrams(&normalize("知识 产权知识")), bigrams("知识产权知识"));
        assert_eq!(bigrams("知识产权知识").len(), 4);
        assert!((jaccard(&bigrams("甲乙丙"), &bigrams("甲乙丙")) - 1.0).abs() < f64::EPSILON);
        assert!(jaccard(&bigrams("甲乙丙"), &bigrams("丁戊己")).abs() < f64::EPSILON);
    }
}
