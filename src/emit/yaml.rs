//! The YAML edition: the tree written by policyc's own writer (the module
//! doc of `src/emit/yaml/writer.rs` is the format), and the reader that
//! takes it back, serde-saphyr with an explicit budget, since YAML files
//! may come from anywhere.
//!
//! Every YAML text policyc writes (the editions, the owners view, a chain's
//! `history:`, the machine 修订对照表) goes through [`to_string`].

use serde::Serialize;
use serde_saphyr::{Budget, Options};

use super::EmitError;
use crate::tree::Document;

mod writer;

/// The YAML edition of a document.
pub fn to_yaml(document: &Document) -> Result<String, EmitError> {
    // The edition is about twice its source. Reserving it at once spares
    // the copies and fresh pages of a string doubled a dozen times; pages
    // reserved but never written cost nothing.
    writer::to_string(document, source_len(document).saturating_mul(5) / 2 + 4096)
        .map_err(|e| EmitError::Yaml(e.to_string()))
}

/// Any value in policyc's YAML format; an error when it holds something
/// the format has no place for (a float, a map, an enum variant with data).
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> Result<String, EmitError> {
    writer::to_string(value, 4096).map_err(|e| EmitError::Yaml(e.to_string()))
}

/// About how long the document's source was: where its last piece ends.
fn source_len(document: &Document) -> usize {
    let frame = &document.frame;
    let paragraphs = frame.closing.iter().chain(&frame.issuers).chain(&frame.date).chain(&frame.imprint);
    let ends = document.body.last().map(|node| node.span.end).into_iter().chain(paragraphs.map(|p| p.span.end));
    let attachments = document.attachments.iter().map(source_len);
    ends.chain(frame.debris.iter().map(|d| d.span.end)).chain(attachments).max().unwrap_or(0)
}

/// Read a YAML edition back into a document. The budget scales with the
/// input: a policy's tree has a few dozen YAML nodes per kilobyte, so these
/// limits leave a wide margin and still stop an alias bomb.
pub fn from_yaml(yaml: &str) -> Result<Document, String> {
    let scale = yaml.len().max(1 << 16);
    let mut budget = Budget::default();
    budget.max_events = scale;
    budget.max_nodes = scale;
    budget.max_aliases = 0;
    budget.max_anchors = 0;
    budget.max_total_scalar_bytes = yaml.len() + 1024;
    budget.max_depth = 64;
    let mut options = Options::default();
    options.budget = Some(budget);
    serde_saphyr::from_str_with_options(yaml, options).map_err(|e| e.to_string())
}
