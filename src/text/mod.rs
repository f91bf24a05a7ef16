//! What editors' words become for readers: Markdown as HTML, and the
//! typography of each language (whole numbers, French spaces, quotes,
//! hyphenation), the same on pages, feeds, share images and posters; and
//! the words of a text as the search index takes them; and texts held
//! deflated while they wait.

pub mod markdown;
pub mod packed;
pub mod typography;
pub mod words;
