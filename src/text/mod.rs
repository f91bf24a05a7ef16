//! What editors' words become for readers: Markdown as HTML, and the
//! typography of each language (whole numbers, French spaces, quotes,
//! hyphenation), the same on pages, feeds, share images and posters; and
//! the words of a text as the search index takes them.

pub mod markdown;
pub mod typography;
pub mod words;
