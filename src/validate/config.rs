//! Configuration of the checks: rule levels and the expected marker style.
//!
//! Two places, the second layered over the first:
//!
//! - `policyc.toml` at the project root (found by walking up from the
//!   checked path), for every document;
//! - a front-matter block at the very top of one source file, between two
//!   `+++` lines, for that document only.
//!
//! Both are TOML with the same two tables:
//!
//! ```toml
//! [rules]                 # a code or a name = error | warning | note | allow
//! stray-space = "allow"
//! N009 = "error"
//!
//! [markers]               # the expected spelling of a level, by example
//! item = "1、"
//! ```
//!
//! The front matter is not part of the document: the parser masks it to
//! spaces (see [`crate::source::front_matter`]) so offsets, lines and columns stay
//! those of the file.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::source::front_matter::{FENCE, FrontMatter, front_matter};

use crate::diag::registry::{self, Level};
use crate::diag::{Diagnostic, Severity};
use crate::parse::marker::{self, MarkerInfo};
use crate::source::{Format, SourceFile};
use crate::tree::Kind;

/// The project configuration's file name.
pub const FILE_NAME: &str = "policyc.toml";

/// Rule levels and marker styles in force for one document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// Overridden levels by rule code.
    levels: BTreeMap<&'static str, Level>,
    /// The expected spelling of a level's markers, when not GB/T 9704's.
    markers: BTreeMap<Kind, MarkerInfo>,
}

/// Why a configuration could not be used, and where.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {0}: {1}")]
    Read(PathBuf, std::io::Error),
    #[error("{message}")]
    Invalid { path: PathBuf, line: u32, column: u32, message: String, help: String },
}

/// A problem in a TOML text, as a byte range of that text.
#[derive(Debug)]
struct Problem {
    range: Range<usize>,
    message: String,
    help: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    #[serde(default)]
    rules: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    markers: BTreeMap<Spanned<String>, Spanned<String>>,
    /// `policyc fmt`'s table: read by `fmt::config`, accepted here so one
    /// `policyc.toml` serves both commands.
    #[serde(default, rename = "fmt")]
    _fmt: Option<toml::Table>,
    /// Where an imported document came from (`policyc import` writes it):
    /// a record for people, not configuration.
    #[serde(default, rename = "source")]
    _source: Option<toml::Table>,
    /// `policyc build`'s editions: read by `publish::editions`.
    #[serde(default, rename = "editions")]
    _editions: Option<toml::Value>,
}

impl Config {
    /// The level of a rule in this configuration.
    pub fn level(&self, code: &str) -> Option<Level> {
        self.levels.get(code).copied().or_else(|| registry::ALL.iter().find(|r| r.code == code).map(|r| r.level))
    }

    /// The severity a diagnostic of `code` gets, or `None` when it is allowed.
    pub fn severity(&self, code: &str, default: Severity) -> Option<Severity> {
        match self.levels.get(code) {
            Some(level) => level.severity(),
            None => Some(default),
        }
    }

    /// Whether the rule reports at all.
    pub fn enabled(&self, code: &str) -> bool {
        self.level(code).is_some_and(|l| l != Level::Allow)
    }

    /// Whether `rule` reports at all: [`Config::enabled`] without looking
    /// the rule's default up by its code, which the rules ask per node.
    pub fn rule_enabled(&self, rule: &registry::Rule) -> bool {
        self.levels.get(rule.code).copied().unwrap_or(rule.level) != Level::Allow
    }

    /// The configured spelling of a level's markers, if any.
    pub fn marker(&self, kind: Kind) -> Option<&MarkerInfo> {
        self.markers.get(&kind)
    }

    /// Read `policyc.toml` text.
    pub fn from_toml(path: &Path, text: &str) -> Result<Config, ConfigError> {
        let mut config = Config::default();
        config.merge(text).map_err(|p| {
            let source = SourceFile::from_text(path, Format::Text, text);
            let (line, column) = source.lines.position(&source.text, p.range.start);
            ConfigError::Invalid { path: path.to_owned(), line, column, message: p.message, help: p.help }
        })?;
        Ok(config)
    }

    /// Read a `policyc.toml` file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Read(path.to_owned(), e))?;
        Config::from_toml(path, &text)
    }

    /// The project configuration for `start` (a file or directory): the
    /// nearest `policyc.toml` in it or above it, or the defaults.
    pub fn discover(start: &Path) -> Result<Config, ConfigError> {
        match find_project_file(start) {
            Some(path) => Config::load(&path),
            None => Ok(Config::default()),
        }
    }

    /// This configuration with a document's front matter applied. A block
    /// that cannot be read is reported and ignored.
    pub fn for_document(&self, source: &SourceFile) -> (Config, Vec<Diagnostic>) {
        let mut config = self.clone();
        let mut diagnostics = Vec::new();
        match front_matter(&source.text) {
            FrontMatter::None => {}
            FrontMatter::Unclosed => diagnostics.push(
                Diagnostic::new(
                    &registry::INVALID_FRONT_MATTER,
                    source.span(0, FENCE.len()),
                    "the front matter opened here is never closed",
                )
                .with_help("end the block with a line `+++`; until then it is read as part of the document"),
            ),
            FrontMatter::Block { body, .. } => {
                let mut layered = self.clone();
                match layered.merge(&source.text[body.clone()]) {
                    Ok(()) => config = layered,
                    Err(p) => diagnostics.push(
                        Diagnostic::new(
                            &registry::INVALID_FRONT_MATTER,
                            source.span(body.start + p.range.start, body.start + p.range.end),
                            format!("{}; the front matter is ignored", p.message),
                        )
                        .with_help(p.help),
                    ),
                }
            }
        }
        (config, diagnostics)
    }

    /// Layer a TOML text over this configuration.
    fn merge(&mut self, text: &str) -> Result<(), Problem> {
        let raw: Raw = toml::from_str(text).map_err(|e| Problem {
            range: e.span().unwrap_or(0..0),
            message: format!("invalid configuration: {}", e.message()),
            help: "the tables are [rules] (a code or a name = \"error\" | \"warning\" | \"note\" | \"allow\") and [markers] (a level = an example marker)".to_owned(),
        })?;
        for (key, value) in raw.rules {
            let rule = registry::find(key.get_ref()).ok_or_else(|| Problem {
                range: key.span(),
                message: format!("unknown rule `{}`", key.get_ref()),
                help: "`policyc explain` lists every rule's code and name".to_owned(),
            })?;
            let level: Level = value.get_ref().parse().map_err(|message| Problem {
                range: value.span(),
                message,
                help: "a rule's level is \"error\", \"warning\", \"note\" or \"allow\"".to_owned(),
            })?;
            self.levels.insert(rule.code, level);
        }
        for (key, value) in raw.markers {
            let kind = Kind::ALL.into_iter().find(|k| k.name() == key.get_ref()).ok_or_else(|| Problem {
                range: key.span(),
                message: format!("unknown level `{}`", key.get_ref()),
                help: "levels are part, section, item, subitem, point, clause and subclause".to_owned(),
            })?;
            let info = marker::analyze(value.get_ref()).ok_or_else(|| Problem {
                range: value.span(),
                message: format!("`{}` is not a marker", value.get_ref()),
                help: "give an example marker of the level, such as \"一、\", \"（一）\", \"1.\" or \"1、\"".to_owned(),
            })?;
            self.markers.insert(kind, info);
        }
        Ok(())
    }
}

/// The nearest `policyc.toml` in `start` or above it.
pub fn find_project_file(start: &Path) -> Option<PathBuf> {
    let start = if start.is_file() { start.parent()? } else { start };
    let start = if start.as_os_str().is_empty() { Path::new(".") } else { start };
    let absolute = std::path::absolute(start).ok()?;
    absolute.ancestors().map(|dir| dir.join(FILE_NAME)).find(|p| p.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_by_code_or_name() {
        let config =
            Config::from_toml(Path::new("policyc.toml"), "[rules]\nN009 = \"error\"\nstray-space = \"allow\"\n")
                .unwrap();
        assert_eq!(config.level("N009"), Some(Level::Error));
        assert!(!config.enabled("T002"));
        assert!(config.enabled("N001"));
    }

    #[test]
    fn errors_say_where() {
        let err = Config::from_toml(Path::new("policyc.toml"), "[rules]\nnumbering-gap = \"loud\"\n").unwrap_err();
        match err {
            ConfigError::Invalid { line, column, .. } => assert_eq!((line, column), (2, 17)),
            other => panic!("{other}"),
        }
    }
}
