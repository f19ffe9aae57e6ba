//! Every diagnostic code policyc can emit, with its name, default level and
//! the explanation `policyc explain` prints.
//!
//! Takes nothing; gives [`ALL`], the one table that `check`, the
//! configuration (which accepts a code or a name) and `explain` read. The
//! codes the parser emits are listed here too, so that they can be
//! configured and explained like any rule.

use crate::diag::Severity;

/// How loudly a rule speaks: a severity, or not at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Allow,
    Note,
    Warning,
    Error,
}

impl Level {
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Allow => None,
            Level::Note => Some(Severity::Note),
            Level::Warning => Some(Severity::Warning),
            Level::Error => Some(Severity::Error),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Level::Allow => "allow",
            Level::Note => "note",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

impl std::str::FromStr for Level {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "allow" | "off" => Ok(Level::Allow),
            other => other.parse::<Severity>().map(|s| match s {
                Severity::Error => Level::Error,
                Severity::Warning => Level::Warning,
                Severity::Note => Level::Note,
            }),
        }
    }
}

/// One rule: what `explain` shows and what configuration refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Stable code: `N001`.
    pub code: &'static str,
    /// Stable kebab-case name that names the problem: `numbering-gap`.
    pub name: &'static str,
    pub level: Level,
    /// What it does, why it matters, an example: the `explain` text.
    pub doc: &'static str,
}

impl Rule {
    /// The rule's default severity; rules that are off by default have none.
    pub fn severity(&self) -> Severity {
        self.level.severity().unwrap_or(Severity::Note)
    }
}

use super::rules::{doubled, frame, numbering, references, regulation, text};

/// Codes the parser emits (see `parse`); listed so they can be explained and
/// configured.
pub mod parse_codes {
    use super::{Level, Rule};

    pub const GRAMMAR_LIMIT: Rule = Rule {
        code: "S002",
        name: "grammar-limit",
        level: Level::Error,
        doc: "## What it does\nReports a place where the parser's call limit was reached, so that no input can hang policyc.\n\n## Why is this bad\nNo real policy document comes near the limit; reaching it means the file is not a document (a data dump, a file of one endless line) or policyc has a bug.\n\n## What to do\nSplit the file, or report it with the file attached.",
    };
    pub const LINE_REJOINED: Rule = Rule {
        code: "S101",
        name: "line-rejoined",
        level: Level::Note,
        doc: "## What it does\nSays where a hard line break inside a sentence (or between a marker and its heading) was removed before parsing.\n\n## Why is this bad\nText from PDF files and web pages arrives broken at arbitrary places; `（` on one line and `一）` on the next is one marker. policyc reads the lines together, and says so, because the source still has the break.\n\n## Example\n```text\n三、\n强化供给\n```\nis read as `三、强化供给`.",
    };
    pub const DEBRIS: Rule = Rule {
        code: "D001",
        name: "debris",
        level: Level::Note,
        doc: "## What it does\nReports lines and fragments that are not part of the document: web page breadcrumbs (当前位置:首页 > …), 来源:/日期: lines, 【字体:大 中 小】, footers (公网安备, 版权所有), Word residue such as `[bookmark: _GoBack]`, invisible characters.\n\n## Why is this bad\nThey came with the copy, not with the document. policyc leaves them out of every edition, but dropping text silently would be wrong, so each is reported.\n\n## What to do\nDelete them from the source, or leave them: they are never published.",
    };
    pub const DOC_NUMBER_BRACKETS: Rule = Rule {
        code: "F001",
        name: "doc-number-brackets",
        level: Level::Error,
        doc: "## What it does\nChecks that the year in a 发文字号 is in the hexagonal brackets 〔〕.\n\n## Why is this bad\nGB/T 9704-2012 7.2.4 writes the year as 〔2021〕; [2021], (2021) and 【2021】 are typing substitutes.\n\n## Example\n```text\n川市监发[2021]21号\n```\nUse instead:\n```text\n川市监发〔2021〕21号\n```",
    };
    pub const IMPOSSIBLE_DATE: Rule = Rule {
        code: "F002",
        name: "impossible-date",
        level: Level::Error,
        doc: "## What it does\nChecks that a 成文日期 is a real calendar date.\n\n## Why is this bad\n2023年2月29日 or 2023年13月1日 cannot be the date a document was signed; it is a typing error, and the date is left out of the metadata until it is corrected.\n\n## Example\n```text\n2023年2月30日\n```",
    };
    pub const UNTERMINATED_ANNOTATION: Rule = Rule {
        code: "F003",
        name: "unterminated-annotation",
        level: Level::Error,
        doc: "## What it does\nReports a responsibility note such as `[牵头单位:…` whose bracket is never closed.\n\n## Why is this bad\nThe units named in the note cannot be told apart from the clause's text, so the clause loses its owners and the note is published as prose.\n\n## Example\n```text\n1.开展培训。[牵头单位:省市场监管局\n```\nUse instead:\n```text\n1.开展培训。[牵头单位:省市场监管局]\n```",
    };
}

/// Codes `policyc fmt` emits when it cannot follow a reference while
/// renumbering; listed so they can be explained.
pub mod fmt_codes {
    use super::{Level, Rule};

    pub const REFERENCE_UNRESOLVED: Rule = Rule {
        code: "X003",
        name: "reference-unresolved",
        level: Level::Warning,
        doc: "## What it does\nReported by `policyc fmt` when an internal reference points at no clause of the document while the numbering it would follow changed.\n\n## Why is this bad\nThe reference was already wrong, or names a clause that was deleted; renumbering cannot follow it.\n\n## Example\n```text\n违反本条例第四十条规定的……（the regulation has 35 条）\n```",
    };
}

/// Codes about configuration found in a document.
pub const INVALID_FRONT_MATTER: Rule = Rule {
    code: "C001",
    name: "invalid-front-matter",
    level: Level::Error,
    doc: "## What it does\nReports a front-matter block (between `+++` lines at the top of a source file) that is not valid policyc configuration.\n\n## Why is this bad\nThe block is meant to change how this document is checked; when it cannot be read, none of it applies, and the document is checked with the project's settings.\n\n## Example\n```text\n+++\n[rules]\nstray-space = \"sometimes\"\n+++\n```\nLevels are `error`, `warning`, `note` or `allow`.",
};

/// Every code, parser's and rules', in code order.
pub const ALL: &[Rule] = &[
    INVALID_FRONT_MATTER,
    parse_codes::DEBRIS,
    parse_codes::DOC_NUMBER_BRACKETS,
    parse_codes::IMPOSSIBLE_DATE,
    parse_codes::UNTERMINATED_ANNOTATION,
    frame::DOC_NUMBER_FORMAT,
    frame::DATE_ZERO_PADDED,
    frame::NOTICE_TITLE_MISMATCH,
    frame::ATTACHMENT_COUNT_MISMATCH,
    frame::PAGE_DATE_MISMATCH,
    numbering::NUMBERING_GAP,
    numbering::NUMBERING_DUPLICATE,
    numbering::NUMBERING_OUT_OF_ORDER,
    numbering::LEVEL_INVERSION,
    numbering::NUMBERING_SCHEME_MIXED,
    numbering::MARKER_VARIANT_MIXED,
    numbering::MARKER_NONSTANDARD,
    numbering::MARKER_MISSING_SEPARATOR,
    numbering::LEVEL_SKIPPED,
    regulation::ARTICLE_NUMBERING_RESTARTS,
    parse_codes::GRAMMAR_LIMIT,
    parse_codes::LINE_REJOINED,
    text::HALF_WIDTH_PUNCTUATION,
    text::STRAY_SPACE,
    text::UNBALANCED_BRACKETS,
    text::REPEATED_SENTENCE,
    text::MISSING_TERMINAL_PUNCTUATION,
    text::EMPTY_CLAUSE,
    doubled::DOUBLED_WORD,
    doubled::DOUBLED_PUNCTUATION,
    references::DANGLING_REFERENCE,
    references::REFERENCE_AMBIGUOUS,
    fmt_codes::REFERENCE_UNRESOLVED,
];

/// A rule by code (`N001`, any case) or name (`numbering-gap`).
pub fn find(key: &str) -> Option<&'static Rule> {
    ALL.iter().find(|r| r.code.eq_ignore_ascii_case(key) || r.name == key)
}
