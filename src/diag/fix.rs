//! Applying fixes: the safe fixes of a file's diagnostics, as edits to its
//! text.
//!
//! Takes a text and the diagnostics found in it; gives the text with every
//! [`Applicability::Safe`] fix applied that does not overlap another one
//! taken before it (a fix is taken whole or not at all), and the edits
//! applied. Never fails; writing the result is the caller's business (the
//! command line writes through `write`). Unsafe fixes are shown, never
//! applied.

use super::{Applicability, Diagnostic, Edit};

/// A text with fixes applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixed {
    pub text: String,
    /// The edits applied, in text order; their spans are the original's.
    pub edits: Vec<Edit>,
    /// How many diagnostics' fixes were applied.
    pub fixes: usize,
}

/// Whether two edits touch the same place: overlapping ranges, or an
/// insertion inside or at either end of the other (which side of a
/// replacement an insertion goes is not something to guess).
fn collide(a: &Edit, b: &Edit) -> bool {
    let (a, b) = (a.span, b.span);
    if a.start == a.end || b.start == b.end {
        a.start <= b.end && b.start <= a.end
    } else {
        a.start < b.end && b.start < a.end
    }
}

/// Apply the safe fixes of `diagnostics` to `text`: `None` when none applies.
pub fn apply(text: &str, diagnostics: &[Diagnostic]) -> Option<Fixed> {
    let mut taken: Vec<Edit> = Vec::new();
    let mut fixes = 0;
    for fix in diagnostics.iter().filter_map(|d| d.fix.as_ref()) {
        if fix.applicability != Applicability::Safe || fix.edits.is_empty() {
            continue;
        }
        let inside = fix.edits.iter().all(|e| {
            e.span.start <= e.span.end
                && e.span.end <= text.len()
                && text.is_char_boundary(e.span.start)
                && text.is_char_boundary(e.span.end)
        });
        // A fix's own edits must not collide either: the fix would be
        // ambiguous.
        let mut own: Vec<&Edit> = fix.edits.iter().collect();
        own.sort_by_key(|e| (e.span.start, e.span.end));
        let clean = own.windows(2).all(|w| !collide(w[0], w[1]));
        if !inside || !clean || fix.edits.iter().any(|e| taken.iter().any(|t| collide(e, t))) {
            continue;
        }
        taken.extend(fix.edits.iter().cloned());
        fixes += 1;
    }
    if taken.is_empty() {
        return None;
    }
    taken.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for edit in &taken {
        out.push_str(&text[at..edit.span.start]);
        out.push_str(&edit.replacement);
        at = edit.span.end;
    }
    out.push_str(&text[at..]);
    Some(Fixed { text: out, edits: taken, fixes })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Fix;
    use crate::tree::Span;

    fn edit(start: usize, end: usize, with: &'static str) -> Edit {
        Edit { span: Span { start, end, line: 1, column: 1 }, replacement: with.into() }
    }

    fn fixing(applicability: Applicability, edits: Vec<Edit>) -> Diagnostic {
        let span = edits[0].span;
        Diagnostic::new(&crate::diag::registry::HALF_WIDTH_PUNCTUATION, span, "m")
            .with_fix(Fix { applicability, edits })
    }

    #[test]
    fn overlapping_and_unsafe_fixes_are_left_out() {
        let text = "ab,cd.ef";
        let found = [
            fixing(Applicability::Safe, vec![edit(2, 3, "，"), edit(5, 6, "。")]),
            // Collides with the first fix's edit at 5..6.
            fixing(Applicability::Safe, vec![edit(6, 6, "。")]),
            // Same place as the first, whole fix left out.
            fixing(Applicability::Safe, vec![edit(0, 1, "A"), edit(2, 3, ";")]),
            fixing(Applicability::Unsafe, vec![edit(0, 1, "A")]),
            fixing(Applicability::Safe, vec![edit(7, 8, "F")]),
        ];
        let fixed = apply(text, &found).unwrap();
        assert_eq!(fixed.text, "ab，cd。eF");
        assert_eq!(fixed.fixes, 2);
        assert_eq!(apply(text, &found[3..4]), None);
    }
}
