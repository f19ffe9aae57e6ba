//! The YAML edition: the tree as serde-saphyr writes it, and the reader
//! that takes it back (with an explicit budget, since YAML files may come
//! from anywhere).
//!
//! serde-saphyr is the reference for every byte. Most documents are written
//! by the `fast` module, which gives the same bytes several times faster;
//! whatever it is not sure to reproduce (see its module doc) sends the whole
//! document through serde-saphyr instead.

use serde_saphyr::{Budget, Options};

use super::EmitError;
use crate::tree::Document;

mod fast;

pub fn to_yaml(document: &Document) -> Result<String, EmitError> {
    match to_yaml_fast(document) {
        Some(yaml) => Ok(yaml),
        None => serde_saphyr::to_string(document).map_err(|e| EmitError::Yaml(e.to_string())),
    }
}

/// The fast path alone: `Some` with serde-saphyr's very bytes, or `None`
/// when the document holds something it leaves to serde-saphyr. For the
/// tests and benchmarks that hold the two together; use [`to_yaml`].
pub fn to_yaml_fast(document: &Document) -> Option<String> {
    // The edition is about twice its source. Reserving it at once spares
    // the copies and fresh pages of a string doubled a dozen times; pages
    // reserved but never written cost nothing.
    fast::to_string(document, source_len(document).saturating_mul(5) / 2 + 4096).ok()
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
