//! The JSON edition: the same serde tree as YAML, pretty-printed.

use super::EmitError;
use crate::tree::Document;

pub fn to_json(document: &Document) -> Result<String, EmitError> {
    let mut out = serde_json::to_string_pretty(document)?;
    out.push('\n');
    Ok(out)
}
