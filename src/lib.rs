//! scrubs: finds identifiable patient information and unprofessional language in clinical writing.
//!
//! `engine` is pure (text in, findings out); `lsp` and `cli` adapt it to editors and the terminal.

pub mod cli;
pub mod config;
pub mod docs;
pub mod engine;
pub mod eval;
pub mod lexicon;
pub mod log;
pub mod lsp;
pub mod position;
