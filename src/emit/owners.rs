//! The owners view ([`UnitView`]s: each responsible unit → its clauses) as
//! one edition. Pure: `&[UnitView]` → `String`.

use std::fmt::Write as _;

use super::markdown::escape_inline;
use super::{Edition, EmitError};
use crate::owners::UnitView;

/// Render the inverse view as one edition.
pub fn render(units: &[UnitView], edition: Edition) -> Result<String, EmitError> {
    match edition {
        Edition::Yaml => super::yaml::to_string(&units),
        Edition::Json => {
            let mut s = serde_json::to_string_pretty(units)?;
            s.push('\n');
            Ok(s)
        }
        Edition::Markdown => Ok(markdown(units)),
        Edition::Html => super::html::Renderer::builtin().owners(units),
        // The command line offers no Word view of owners.
        Edition::Docx => Err(EmitError::Binary(edition.extension())),
    }
}

fn markdown(units: &[UnitView]) -> String {
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
                super::href(&format!("{}.html", c.slug), Some(&c.id)),
                title,
                escape_inline(&role)
            );
        }
        out.push('\n');
    }
    out.pop();
    out
}
