//! Editions: pure functions from a [`Document`] to text.
//!
//! Each emitter takes `&Document` and gives a `String`; none touches the
//! disk (only `write` does) and none depends on anything but its input, so
//! the same document always gives the same bytes.

pub mod html;
pub mod json;
pub mod markdown;
pub mod yaml;

use crate::tree::Document;

/// The editions policyc writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Edition {
    Yaml,
    Json,
    Markdown,
    Html,
}

impl Edition {
    pub fn extension(self) -> &'static str {
        match self {
            Edition::Yaml => "yaml",
            Edition::Json => "json",
            Edition::Markdown => "md",
            Edition::Html => "html",
        }
    }
}

impl std::str::FromStr for Edition {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "yaml" | "yml" => Ok(Edition::Yaml),
            "json" => Ok(Edition::Json),
            "md" | "markdown" => Ok(Edition::Markdown),
            "html" => Ok(Edition::Html),
            other => Err(format!("unknown edition `{other}` (expected yaml, json, md or html)")),
        }
    }
}

/// Render one edition with the built-in templates.
pub fn render(document: &Document, edition: Edition) -> Result<String, EmitError> {
    match edition {
        Edition::Yaml => yaml::to_yaml(document),
        Edition::Json => json::to_json(document),
        Edition::Markdown => Ok(markdown::to_markdown(document)),
        Edition::Html => html::Renderer::builtin().document(document, None),
    }
}

/// Why an edition could not be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EmitError {
    #[error("YAML serialization failed: {0}")]
    Yaml(String),
    #[error("JSON serialization failed: {0}")]
    Json(#[from] serde_json::Error),
    #[error("template `{name}`: {message}")]
    Template { name: String, message: String },
}
