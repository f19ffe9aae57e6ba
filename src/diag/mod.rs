//! Diagnostics are data: every stage that finds something wrong (or worth
//! saying) returns [`Diagnostic`]s with spans; only the renderers in this
//! module turn them into text, and only `cli` prints that text.

pub mod fix;
pub mod human;
pub mod json;
pub mod registry;

use std::borrow::Cow;

use serde::Serialize;

use crate::tree::Span;
use registry::Rule;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Note,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

impl std::str::FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "error" | "deny" => Ok(Severity::Error),
            "warning" | "warn" => Ok(Severity::Warning),
            "note" => Ok(Severity::Note),
            other => Err(format!("unknown level `{other}` (expected error, warning, note or allow)")),
        }
    }
}

/// How safe it is to apply a fix without reading it (after ruff).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Applicability {
    /// Applying it cannot change the meaning.
    Safe,
    /// Probably right, but a person should look.
    Unsafe,
}

/// One replacement of a span of the source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    pub span: Span,
    /// Borrowed when it is a constant (，for `,`, 。, nothing): a fix of
    /// hundreds of edits then allocates nothing per edit.
    pub replacement: Cow<'static, str>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
}

/// A secondary place the message refers to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Related {
    pub span: Span,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Stable code, such as `N001`: the [`Rule`]'s, copied for matching.
    pub code: &'static str,
    /// Stable kebab-case name, such as `numbering-gap`: the [`Rule`]'s.
    pub name: &'static str,
    pub severity: Severity,
    pub span: Span,
    pub message: String,
    pub help: Option<String>,
    pub fix: Option<Fix>,
    pub related: Vec<Related>,
}

impl Diagnostic {
    /// A diagnostic of `rule` at its default severity: the rule is the only
    /// place its code and name are written (levels set in `policyc.toml` are
    /// applied afterwards, in one place).
    pub fn new(rule: &'static Rule, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            code: rule.code,
            name: rule.name,
            severity: rule.severity(),
            span,
            message: message.into(),
            help: None,
            fix: None,
            related: Vec::new(),
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    pub fn with_related(mut self, span: Span, message: impl Into<String>) -> Self {
        self.related.push(Related { span, message: message.into() });
        self
    }
}

/// Sort diagnostics into the order they are shown: by position, then code,
/// so that output does not depend on the order rules or threads ran in.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (a.span.start, a.span.end, a.code, &a.message).cmp(&(b.span.start, b.span.end, b.code, &b.message))
    });
}
