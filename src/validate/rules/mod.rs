//! The rules, one family per file. Each rule is a [`Rule`] constant (its
//! code, name, default level and `explain` text) next to the code that
//! finds it.
//!
//! [`Rule`]: super::registry::Rule

pub mod doubled;
pub mod frame;
pub mod numbering;
pub mod references;
pub mod regulation;
pub mod text;
