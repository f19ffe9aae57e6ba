//! What the index page shows of a document: a summary the build's manifest
//! keeps, so that an unchanged document need not be parsed again to be
//! listed. Takes a [`Document`]; never fails.

use serde::{Deserialize, Serialize};

use super::Document;

/// What the index shows of a document; the build's manifest keeps it, so
/// that an unchanged document need not be parsed again to list it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexRow {
    pub title: String,
    pub date: Option<String>,
    pub status: Option<String>,
    pub issuer: Option<String>,
    pub doc_number: Option<String>,
    pub clauses: usize,
}

impl IndexRow {
    /// The row of `document`, whose file is named `slug` (its title when the
    /// document has none).
    pub fn of(document: &Document, slug: &str) -> IndexRow {
        let meta = &document.meta;
        IndexRow {
            title: meta.title.clone().unwrap_or_else(|| slug.to_owned()),
            date: meta.date.clone(),
            status: meta.status.clone(),
            issuer: meta.issuers.first().map(|first| {
                if meta.issuers.len() > 1 { format!("{first}等{}部门", meta.issuers.len()) } else { first.clone() }
            }),
            doc_number: meta.doc_number.clone(),
            clauses: document.nodes().count(),
        }
    }
}
