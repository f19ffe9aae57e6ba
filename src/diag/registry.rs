//! Every diagnostic code policyc can emit, with its name, default level and
//! the explanation `policyc explain` prints.
//!
//! Takes nothing; gives a [`Rule`] constant per code and [`ALL`], the one
//! table that `check`, the configuration (which accepts a code or a name)
//! and `explain` read. A [`Diagnostic`](super::Diagnostic) is made from a
//! rule, never from a code written by hand, so the registry sits below every
//! stage that reports: the parser, the checks (`validate::rules`, which hold
//! the code that finds each rule's problem) and `fmt`. Each explanation is a
//! Markdown file in `src/diag/explain/`, named `<CODE>-<name>.md`.

use super::Severity;

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

/// The explanation of a rule: `src/diag/explain/<file>.md`, without the
/// final line break an editor adds.
macro_rules! explanation {
    ($file:literal) => {
        include_str!(concat!("explain/", $file, ".md")).trim_ascii_end()
    };
}

// Found while parsing (`parse`).

pub const GRAMMAR_LIMIT: Rule =
    Rule { code: "S002", name: "grammar-limit", level: Level::Error, doc: explanation!("S002-grammar-limit") };

pub const LINE_REJOINED: Rule =
    Rule { code: "S101", name: "line-rejoined", level: Level::Note, doc: explanation!("S101-line-rejoined") };

pub const DEBRIS: Rule = Rule { code: "D001", name: "debris", level: Level::Note, doc: explanation!("D001-debris") };

pub const DOC_NUMBER_BRACKETS: Rule = Rule {
    code: "F001",
    name: "doc-number-brackets",
    level: Level::Error,
    doc: explanation!("F001-doc-number-brackets"),
};

pub const IMPOSSIBLE_DATE: Rule =
    Rule { code: "F002", name: "impossible-date", level: Level::Error, doc: explanation!("F002-impossible-date") };

pub const UNTERMINATED_ANNOTATION: Rule = Rule {
    code: "F003",
    name: "unterminated-annotation",
    level: Level::Error,
    doc: explanation!("F003-unterminated-annotation"),
};

// Configuration found in a document (`validate::config`).

pub const INVALID_FRONT_MATTER: Rule = Rule {
    code: "C001",
    name: "invalid-front-matter",
    level: Level::Error,
    doc: explanation!("C001-invalid-front-matter"),
};

// Checked by `validate::rules::frame`.

pub const DOC_NUMBER_FORMAT: Rule =
    Rule { code: "F004", name: "doc-number-format", level: Level::Error, doc: explanation!("F004-doc-number-format") };

pub const DATE_ZERO_PADDED: Rule =
    Rule { code: "F005", name: "date-zero-padded", level: Level::Warning, doc: explanation!("F005-date-zero-padded") };

pub const NOTICE_TITLE_MISMATCH: Rule = Rule {
    code: "F006",
    name: "notice-title-mismatch",
    level: Level::Warning,
    doc: explanation!("F006-notice-title-mismatch"),
};

pub const ATTACHMENT_COUNT_MISMATCH: Rule = Rule {
    code: "F007",
    name: "attachment-count-mismatch",
    level: Level::Warning,
    doc: explanation!("F007-attachment-count-mismatch"),
};

pub const PAGE_DATE_MISMATCH: Rule = Rule {
    code: "F008",
    name: "page-date-mismatch",
    level: Level::Warning,
    doc: explanation!("F008-page-date-mismatch"),
};

pub const TITLE_PROPERTY_MISMATCH: Rule = Rule {
    code: "F009",
    name: "title-property-mismatch",
    level: Level::Warning,
    doc: explanation!("F009-title-property-mismatch"),
};

// Checked by `validate::rules::numbering`.

pub const NUMBERING_GAP: Rule =
    Rule { code: "N001", name: "numbering-gap", level: Level::Error, doc: explanation!("N001-numbering-gap") };

pub const NUMBERING_DUPLICATE: Rule = Rule {
    code: "N002",
    name: "numbering-duplicate",
    level: Level::Error,
    doc: explanation!("N002-numbering-duplicate"),
};

pub const NUMBERING_OUT_OF_ORDER: Rule = Rule {
    code: "N003",
    name: "numbering-out-of-order",
    level: Level::Error,
    doc: explanation!("N003-numbering-out-of-order"),
};

pub const LEVEL_INVERSION: Rule =
    Rule { code: "N004", name: "level-inversion", level: Level::Error, doc: explanation!("N004-level-inversion") };

pub const NUMBERING_SCHEME_MIXED: Rule = Rule {
    code: "N005",
    name: "numbering-scheme-mixed",
    level: Level::Warning,
    doc: explanation!("N005-numbering-scheme-mixed"),
};

pub const MARKER_VARIANT_MIXED: Rule = Rule {
    code: "N006",
    name: "marker-variant-mixed",
    level: Level::Warning,
    doc: explanation!("N006-marker-variant-mixed"),
};

pub const MARKER_NONSTANDARD: Rule = Rule {
    code: "N007",
    name: "marker-nonstandard",
    level: Level::Warning,
    doc: explanation!("N007-marker-nonstandard"),
};

pub const MARKER_MISSING_SEPARATOR: Rule = Rule {
    code: "N008",
    name: "marker-missing-separator",
    level: Level::Warning,
    doc: explanation!("N008-marker-missing-separator"),
};

pub const LEVEL_SKIPPED: Rule =
    Rule { code: "N009", name: "level-skipped", level: Level::Warning, doc: explanation!("N009-level-skipped") };

// Checked by `validate::rules::regulation`.

pub const ARTICLE_NUMBERING_RESTARTS: Rule = Rule {
    code: "R001",
    name: "article-numbering-restarts",
    level: Level::Error,
    doc: explanation!("R001-article-numbering-restarts"),
};

// Checked by `validate::rules::text`.

pub const HALF_WIDTH_PUNCTUATION: Rule = Rule {
    code: "T001",
    name: "half-width-punctuation",
    level: Level::Warning,
    doc: explanation!("T001-half-width-punctuation"),
};

pub const STRAY_SPACE: Rule =
    Rule { code: "T002", name: "stray-space", level: Level::Warning, doc: explanation!("T002-stray-space") };

pub const UNBALANCED_BRACKETS: Rule = Rule {
    code: "T003",
    name: "unbalanced-brackets",
    level: Level::Warning,
    doc: explanation!("T003-unbalanced-brackets"),
};

pub const REPEATED_SENTENCE: Rule = Rule {
    code: "T004",
    name: "repeated-sentence",
    level: Level::Warning,
    doc: explanation!("T004-repeated-sentence"),
};

pub const MISSING_TERMINAL_PUNCTUATION: Rule = Rule {
    code: "T005",
    name: "missing-terminal-punctuation",
    level: Level::Warning,
    doc: explanation!("T005-missing-terminal-punctuation"),
};

pub const EMPTY_CLAUSE: Rule =
    Rule { code: "T006", name: "empty-clause", level: Level::Warning, doc: explanation!("T006-empty-clause") };

// Checked by `validate::rules::doubled`.

pub const DOUBLED_WORD: Rule =
    Rule { code: "T007", name: "doubled-word", level: Level::Warning, doc: explanation!("T007-doubled-word") };

pub const DOUBLED_PUNCTUATION: Rule = Rule {
    code: "T008",
    name: "doubled-punctuation",
    level: Level::Warning,
    doc: explanation!("T008-doubled-punctuation"),
};

// Checked by `validate::rules::tables`.

pub const STRAY_MERGE_MARKER: Rule = Rule {
    code: "T009",
    name: "stray-merge-marker",
    level: Level::Warning,
    doc: explanation!("T009-stray-merge-marker"),
};

// Checked by `validate::rules::references`.

pub const DANGLING_REFERENCE: Rule = Rule {
    code: "X001",
    name: "dangling-reference",
    level: Level::Error,
    doc: explanation!("X001-dangling-reference"),
};

pub const REFERENCE_AMBIGUOUS: Rule = Rule {
    code: "X002",
    name: "reference-ambiguous",
    level: Level::Warning,
    doc: explanation!("X002-reference-ambiguous"),
};

// Reported by `fmt` when it cannot follow a reference while renumbering.

pub const REFERENCE_UNRESOLVED: Rule = Rule {
    code: "X003",
    name: "reference-unresolved",
    level: Level::Warning,
    doc: explanation!("X003-reference-unresolved"),
};

/// Every code, parser's and rules', in code order.
pub const ALL: &[Rule] = &[
    INVALID_FRONT_MATTER,
    DEBRIS,
    DOC_NUMBER_BRACKETS,
    IMPOSSIBLE_DATE,
    UNTERMINATED_ANNOTATION,
    DOC_NUMBER_FORMAT,
    DATE_ZERO_PADDED,
    NOTICE_TITLE_MISMATCH,
    ATTACHMENT_COUNT_MISMATCH,
    PAGE_DATE_MISMATCH,
    TITLE_PROPERTY_MISMATCH,
    NUMBERING_GAP,
    NUMBERING_DUPLICATE,
    NUMBERING_OUT_OF_ORDER,
    LEVEL_INVERSION,
    NUMBERING_SCHEME_MIXED,
    MARKER_VARIANT_MIXED,
    MARKER_NONSTANDARD,
    MARKER_MISSING_SEPARATOR,
    LEVEL_SKIPPED,
    ARTICLE_NUMBERING_RESTARTS,
    GRAMMAR_LIMIT,
    LINE_REJOINED,
    HALF_WIDTH_PUNCTUATION,
    STRAY_SPACE,
    UNBALANCED_BRACKETS,
    REPEATED_SENTENCE,
    MISSING_TERMINAL_PUNCTUATION,
    EMPTY_CLAUSE,
    DOUBLED_WORD,
    DOUBLED_PUNCTUATION,
    STRAY_MERGE_MARKER,
    DANGLING_REFERENCE,
    REFERENCE_AMBIGUOUS,
    REFERENCE_UNRESOLVED,
];

/// A rule by code (`N001`, any case) or name (`numbering-gap`).
pub fn find(key: &str) -> Option<&'static Rule> {
    ALL.iter().find(|r| r.code.eq_ignore_ascii_case(key) || r.name == key)
}
