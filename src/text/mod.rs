//! What editors' words become for readers: Markdown as HTML, and the
//! typography of each language (whole numbers, French spaces, quotes,
//! hyphenation), the same on pages, feeds, share images and posters.

pub mod markdown;
pub mod typography;
