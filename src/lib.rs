//! vitrine: a static site generator for the case pages of a communication
//! agency. One pipeline, `load → validate → render → write`, with an
//! immutable [`model::Site`] in the middle that every later stage reads.
//!
//! - [`load`] walks `content/` and parses every file in parallel;
//! - [`validate`] checks what spans files and builds the [`model::Site`];
//! - [`render`] turns the site and the [`theme`] into output files;
//! - [`write`] stages them beside the output and swaps them in.
//!
//! [`pipeline`] strings the stages together for the commands in [`cli`].

mod builtin;
pub mod cache;
pub mod check;
pub mod cli;
pub mod config;
pub mod content;
pub mod date;
pub mod diagnostic;
pub mod frontmatter;
pub mod i18n;
pub mod images;
pub mod init;
pub mod load;
pub mod markdown;
pub mod model;
pub mod new_case;
pub mod pipeline;
pub mod poster;
pub mod render;
pub mod report;
pub mod serve;
pub mod theme;
pub mod validate;
pub mod write;
