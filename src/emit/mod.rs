//! Editions: pure functions from a [`Document`] to text.
//!
//! Each emitter takes `&Document` and gives a `String`; none touches the
//! disk (only `write` does) and none depends on anything but its input, so
//! the same document always gives the same bytes.

pub mod docx;
pub mod html;
pub mod json;
pub mod markdown;
pub mod owners;
pub mod yaml;

use crate::tree::Document;

/// The version of what the editions hold and how they are written. A build
/// takes outputs recorded under another version as stale, so it is bumped
/// whenever the same source would give other bytes; `tests/suite/format_version.rs`
/// fails when the seeds' edition snapshots change and this does not.
pub const FORMAT_VERSION: u32 = 6;

/// The editions policyc writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Edition {
    Yaml,
    Json,
    Markdown,
    Html,
    /// GB/T 9704-2012 layout as a Word document: bytes, see [`render_bytes`].
    Docx,
}

impl Edition {
    pub fn extension(self) -> &'static str {
        match self {
            Edition::Yaml => "yaml",
            Edition::Json => "json",
            Edition::Markdown => "md",
            Edition::Html => "html",
            Edition::Docx => "docx",
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
            "docx" => Ok(Edition::Docx),
            other => Err(format!("unknown edition `{other}` (expected yaml, json, md, html or docx)")),
        }
    }
}

/// What a link's file name and fragment keep as they are: the unreserved
/// characters of RFC 3986. Everything else, CJK included, is percent-encoded.
const LINK_KEEPS: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// The link from one page of the site to `file` in the same directory (and
/// to `fragment` in it): `./` and the percent-encoded name. Every link
/// policyc writes between files is made here, so none can become a scheme
/// (`javascript:`), a path out of the site, or markup in an attribute.
pub fn href(file: &str, fragment: Option<&str>) -> String {
    let mut out = format!("./{}", percent_encoding::utf8_percent_encode(file, LINK_KEEPS));
    if let Some(fragment) = fragment {
        out.push('#');
        out.extend(percent_encoding::utf8_percent_encode(fragment, LINK_KEEPS));
    }
    out
}

/// Render one text edition with the built-in templates; the Word edition
/// is bytes, which [`render_bytes`] gives.
pub fn render(document: &Document, edition: Edition) -> Result<String, EmitError> {
    match edition {
        Edition::Yaml => yaml::to_yaml(document),
        Edition::Json => json::to_json(document),
        Edition::Markdown => Ok(markdown::to_markdown(document)),
        Edition::Html => html::Renderer::builtin().document(document, None),
        Edition::Docx => Err(EmitError::Binary(edition.extension())),
    }
}

/// Render any edition as the bytes of its file.
pub fn render_bytes(document: &Document, edition: Edition) -> Result<Vec<u8>, EmitError> {
    match edition {
        Edition::Docx => docx::to_docx(document),
        text => render(document, text).map(String::into_bytes),
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
    /// A page rendered straight into a file could not be written there.
    #[error("cannot write the page: {}", crate::source::io_reason(.0))]
    Write(std::io::Error),
    /// The `.docx` package could not be written (only memory can fail it).
    #[error("the .docx package could not be written: {0}")]
    Docx(String),
    /// A binary edition asked for as text.
    #[error("the {0} edition is a binary file, not text")]
    Binary(&'static str),
}

#[cfg(test)]
mod tests {
    use super::href;

    #[test]
    fn links_are_relative_and_percent_encoded() {
        assert_eq!(href("a-b_c.1.html", None), "./a-b_c.1.html");
        assert_eq!(href("javascript:alert(1).html", None), "./javascript%3Aalert%281%29.html");
        assert_eq!(
            href("工作要点.html", Some("unit-省局")),
            "./%E5%B7%A5%E4%BD%9C%E8%A6%81%E7%82%B9.html#unit-%E7%9C%81%E5%B1%80"
        );
        assert_eq!(href("a\"><b>.html", Some("p1 s1")), "./a%22%3E%3Cb%3E.html#p1%20s1");
    }
}
