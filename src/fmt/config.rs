//! The `[fmt]` table of `policyc.toml`: a project's formatting choices.
//!
//! Takes the text of `policyc.toml` and gives a [`Config`] that makes the
//! [`Options`] for each document; fails with a [`ConfigError`] that names the
//! key (and, for TOML syntax, the line and column). Other tables (`[check]`…)
//! belong to other commands and are ignored here.
//!
//! ```toml
//! [fmt]
//! style = "half-width"              # or "standard" (the default)
//! keep-debris = false
//!
//! [fmt.numbering]                   # every document
//! section = "continuous"
//!
//! [fmt.documents.liaoning-ip-three-year-plan-2023.numbering]
//! section = "restart"               # one document, by its file name without .txt
//! ```

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{Options, Scheme, Style};
use crate::tree::Kind;

/// The `[fmt]` table, checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    pub style: Option<Style>,
    pub keep_debris: Option<bool>,
    pub numbering: BTreeMap<Kind, Scheme>,
    /// Per-document numbering, by file stem (the slug).
    pub documents: BTreeMap<String, BTreeMap<Kind, Scheme>>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// `[fmt` without its bracket, a string without its quote…
    #[error("{0}")]
    Syntax(String),
    /// `style = "wide"`, `numbering.chapterr = "restart"`
    #[error("`{key}`: {message}")]
    Value { key: String, message: String },
}

#[derive(Deserialize)]
struct FileTable {
    fmt: Option<FmtTable>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct FmtTable {
    style: Option<String>,
    keep_debris: Option<bool>,
    #[serde(default)]
    numbering: BTreeMap<String, String>,
    #[serde(default)]
    documents: BTreeMap<String, DocumentTable>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DocumentTable {
    #[serde(default)]
    numbering: BTreeMap<String, String>,
}

/// Read the `[fmt]` table of a `policyc.toml`.
pub fn parse(text: &str) -> Result<Config, ConfigError> {
    let file: FileTable = toml::from_str(text).map_err(|e| ConfigError::Syntax(e.to_string().trim_end().to_owned()))?;
    let Some(table) = file.fmt else { return Ok(Config::default()) };
    let style = match &table.style {
        Some(s) => Some(s.parse().map_err(|message| ConfigError::Value { key: "fmt.style".into(), message })?),
        None => None,
    };
    let mut documents = BTreeMap::new();
    for (slug, document) in &table.documents {
        documents.insert(slug.clone(), numbering(&format!("fmt.documents.{slug}.numbering"), &document.numbering)?);
    }
    Ok(Config {
        style,
        keep_debris: table.keep_debris,
        numbering: numbering("fmt.numbering", &table.numbering)?,
        documents,
    })
}

fn numbering(prefix: &str, table: &BTreeMap<String, String>) -> Result<BTreeMap<Kind, Scheme>, ConfigError> {
    let mut out = BTreeMap::new();
    for (level, scheme) in table {
        let key = format!("{prefix}.{level}");
        let kind = level_kind(level).ok_or_else(|| ConfigError::Value {
            key: key.clone(),
            message: format!("unknown level `{level}` (expected one of {})", level_names().join(", ")),
        })?;
        let scheme = scheme.parse().map_err(|message| ConfigError::Value { key, message })?;
        out.insert(kind, scheme);
    }
    Ok(out)
}

/// The level a kebab-case name (as in the tree schema) names; 款 has no
/// number to scheme.
pub fn level_kind(name: &str) -> Option<Kind> {
    Kind::ALL.into_iter().find(|k| k.name() == name && *k != Kind::Paragraph)
}

pub fn level_names() -> Vec<&'static str> {
    Kind::ALL.into_iter().filter(|&k| k != Kind::Paragraph).map(Kind::name).collect()
}

impl Config {
    /// The options for the document whose file stem is `slug`: the
    /// document's own numbering over the project's.
    pub fn options_for(&self, slug: &str) -> Options {
        let mut numbering = self.numbering.clone();
        if let Some(own) = self.documents.get(slug) {
            numbering.extend(own.iter().map(|(&k, &s)| (k, s)));
        }
        Options { style: self.style.unwrap_or_default(), keep_debris: self.keep_debris.unwrap_or(false), numbering }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_fmt_table_and_ignores_others() {
        let config = parse(
            "[check]\nlevel = 1\n\n[fmt]\nstyle = \"half-width\"\n\n[fmt.numbering]\nsection = \"continuous\"\n\n\
             [fmt.documents.plan.numbering]\nsection = \"restart\"\nitem = \"restart\"\n",
        )
        .unwrap();
        assert_eq!(config.style, Some(Style::HalfWidth));
        let project = config.options_for("other");
        assert_eq!(project.numbering, [(Kind::Section, Scheme::Continuous)].into());
        let plan = config.options_for("plan");
        assert_eq!(plan.numbering, [(Kind::Section, Scheme::Restart), (Kind::Item, Scheme::Restart)].into());
        assert_eq!(parse("").unwrap(), Config::default());
    }

    #[test]
    fn names_the_wrong_key() {
        let err = parse("[fmt.numbering]\nsectoin = \"restart\"\n").unwrap_err();
        assert!(err.to_string().starts_with("`fmt.numbering.sectoin`: unknown level"), "{err}");
        let err = parse("[fmt]\nstyle = \"wide\"\n").unwrap_err();
        assert!(err.to_string().starts_with("`fmt.style`: unknown style"), "{err}");
        let err = parse("[fmt]\nstyel = \"standard\"\n").unwrap_err();
        assert!(matches!(err, ConfigError::Syntax(ref m) if m.contains("styel")), "{err}");
        let err = parse("[fmt\n").unwrap_err();
        assert!(matches!(err, ConfigError::Syntax(ref m) if m.contains("line 1")), "{err}");
    }
}
