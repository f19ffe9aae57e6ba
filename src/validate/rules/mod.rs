//! The rules, one family per file: the code that finds each rule's
//! problem. The rules' identities (code, name, default level, `explain`
//! text) are [`Rule`] constants of the registry, which the parser reports
//! by too.
//!
//! [`Rule`]: crate::diag::registry::Rule

pub mod doubled;
pub mod frame;
pub mod numbering;
pub mod references;
pub mod regulation;
pub mod tables;
pub mod text;
