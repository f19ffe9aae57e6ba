//! The inverse view of clause annotations: each responsible unit → the
//! clauses it leads or shares, across all policies.
//!
//! Takes parsed documents (with their slugs) and gives [`UnitView`]s, sorted
//! by unit name, each unit's clauses in document order; renders them as YAML,
//! JSON, Markdown or HTML. Pure: no I/O.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::emit::{Edition, EmitError};
use crate::tree::{Document, marker_paths, node_ids};

/// One clause a unit is named in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClauseRef {
    /// The document's slug (its file stem).
    pub slug: String,
    /// The document's title, for display.
    pub document: String,
    /// The clause's stable HTML id in `<slug>.html`.
    pub id: String,
    /// The clause's marker path: `二、/（四）/5.`
    pub path: String,
    pub title: Option<String>,
    /// 牵头单位, 责任部门…; `None` for (X负责).
    pub role: Option<String>,
}

/// A unit with every clause naming it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitView {
    pub unit: String,
    pub clauses: Vec<ClauseRef>,
}

/// (unit, clause) pairs of one document, in document order.
pub fn collect(document: &Document, slug: &str) -> Vec<(String, ClauseRef)> {
    let title = document.meta.title.clone().unwrap_or_else(|| slug.to_owned());
    let ids = node_ids(&document.body);
    let paths = marker_paths(&document.body);
    let mut out = Vec::new();
    for ((id, node), (path, _)) in ids.iter().zip(&paths) {
        for owner in &node.owners {
            out.push((
                owner.unit.clone(),
                ClauseRef {
                    slug: slug.to_owned(),
                    document: title.clone(),
                    id: id.clone(),
                    path: path.clone(),
                    title: node.title.clone(),
                    role: owner.role.clone(),
                },
            ));
        }
    }
    out
}

/// Group pairs by unit; units sorted by name, clauses kept in the order
/// given (documents in the order given, each in document order). A unit
/// named twice in one clause is listed once for it.
pub fn invert(pairs: impl IntoIterator<Item = (String, ClauseRef)>) -> Vec<UnitView> {
    let mut units: BTreeMap<String, Vec<ClauseRef>> = BTreeMap::new();
    // Membership only, never iterated: the output order is the input's.
    let mut seen: std::collections::HashSet<(String, String, String)> = std::collections::HashSet::new();
    for (unit, clause) in pairs {
        if seen.insert((unit.clone(), clause.slug.clone(), clause.id.clone())) {
            units.entry(unit).or_default().push(clause);
        }
    }
    units.into_iter().map(|(unit, clauses)| UnitView { unit, clauses }).collect()
}

/// Render the inverse view as one edition.
pub fn render(units: &[UnitView], edition: Edition) -> Result<String, EmitError> {
    match edition {
        Edition::Yaml => serde_saphyr::to_string(&units).map_err(|e| EmitError::Yaml(e.to_string())),
        Edition::Json => {
            let mut s = serde_json::to_string_pretty(units)?;
            s.push('\n');
            Ok(s)
        }
        Edition::Markdown => Ok(markdown(units)),
        Edition::Html => crate::emit::html::Renderer::builtin().owners(units),
        // The command line offers no Word view of owners.
        Edition::Docx => Err(EmitError::Binary(edition.extension())),
    }
}

fn markdown(units: &[UnitView]) -> String {
    use crate::emit::markdown::escape_inline;
    let mut out = String::from("# 责任单位\n\n");
    for unit in units {
        let _ = writeln!(out, "## {}\n", escape_inline(&unit.unit));
        for c in &unit.clauses {
            let role = c.role.as_deref().map(|r| format!("（{r}）")).unwrap_or_default();
            let title = c.title.as_deref().map(|t| format!(" {}", escape_inline(t))).unwrap_or_default();
            let _ = writeln!(
                out,
                "- 《{}》 [{}]({}){}{}",
                escape_inline(&c.document),
                escape_inline(&c.path),
                crate::emit::href(&format!("{}.html", c.slug), Some(&c.id)),
                title,
                escape_inline(&role)
            );
        }
        out.push('\n');
    }
    out.pop();
    out
}
