//! vitrine: a static site generator for the case pages of a communication
//! agency. One pipeline, `load → validate → render → write`, with an
//! immutable [`model::Site`] in the middle that every later stage reads.
//!
//! - [`load`] walks `content/` and parses every file in parallel, and reads
//!   the theme and the messages;
//! - [`validate`] checks what spans files, typesets every text readers see
//!   once, and builds the [`model::Site`];
//! - [`render`] turns the site and the theme into output files, one file
//!   of its folder per kind of output, with the [`poster`] and [`share`]
//!   pictures;
//! - [`write`] stages them beside the output and swaps them in.
//!
//! [`pipeline`] strings the stages together for [`commands`] and [`serve`];
//! [`model`], [`text`], [`images`], [`cache`] and [`diagnostic`] are what
//! they all speak. Each room may use only the rooms before it in
//! docs/architecture.md, which says what each owns.

#![forbid(unsafe_code)]
// nothing an editor, a request or a file controls may panic: no `unwrap`
// outside tests (an `expect` names the invariant that makes it safe)
#![cfg_attr(not(test), deny(clippy::unwrap_used))]

pub mod cache;
pub mod commands;
pub mod diagnostic;
pub mod images;
pub mod load;
pub mod model;
pub mod pipeline;
pub mod poster;
pub mod render;
pub mod serve;
pub mod share;
pub mod text;
pub mod validate;
pub mod write;
