//! A text kept long and read rarely, held deflated where memory counts.
//! While `serve` runs, every case's Markdown and its body as HTML stay in
//! memory: the Markdown is read again only when the body is rendered again
//! (a change to it, or to the addresses its links resolve to), the HTML
//! when its page or the search index is made again. At 10,000 cases they
//! are ~100 MB and ~130 MB, held deflated in about a third. A build reads
//! each once and holds them as they are.

use flate2::Compression;
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;
use std::borrow::Cow;
use std::io::{Read as _, Write as _};
use std::sync::Arc;

/// A text, as it is or deflated (shared by its clones).
#[derive(Clone, PartialEq, Eq)]
pub enum Packed {
    Plain(Arc<str>),
    Deflated(Arc<[u8]>),
}

impl Packed {
    /// `text`, deflated when `deflate` says so.
    pub fn new(text: &str, deflate: bool) -> Packed {
        if !deflate {
            return Packed::Plain(text.into());
        }
        let mut z = DeflateEncoder::new(Vec::with_capacity(text.len() / 2 + 64), Compression::fast());
        match z.write_all(text.as_bytes()).and_then(|()| z.finish()) {
            Ok(deflated) => Packed::Deflated(deflated.into()),
            // (writing to memory does not fail)
            Err(_) => Packed::Plain(text.into()),
        }
    }

    /// Whether both are the same text held once (one a clone of the other):
    /// not made again.
    pub fn same_text(a: &Packed, b: &Packed) -> bool {
        match (a, b) {
            (Packed::Plain(a), Packed::Plain(b)) => Arc::ptr_eq(a, b),
            (Packed::Deflated(a), Packed::Deflated(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }

    /// The text as it was given.
    pub fn text(&self) -> Cow<'_, str> {
        match self {
            Packed::Plain(text) => Cow::Borrowed(text),
            Packed::Deflated(bytes) => {
                let mut text = String::with_capacity(bytes.len() * 3);
                // (only what `new` deflated from a text is read)
                let _ = DeflateDecoder::new(&bytes[..]).read_to_string(&mut text);
                Cow::Owned(text)
            }
        }
    }
}

impl std::fmt::Debug for Packed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Packed::Plain(text) => text.fmt(f),
            Packed::Deflated(bytes) => write!(f, "({} bytes deflated)", bytes.len()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Packed;

    #[test]
    fn gives_back_the_text_it_was_given_deflated_in_less_room_or_as_it_is() {
        let text = "## Vraag\n\nDe gemeente wil **meer** inwoners bereiken: « été » — 12 000 € …\n".repeat(40);
        let packed = Packed::new(&text, true);
        assert_eq!(packed.text(), text);
        let Packed::Deflated(bytes) = &packed else { panic!("not deflated: {packed:?}") };
        assert!(bytes.len() * 4 < text.len(), "{} of {}", bytes.len(), text.len());
        assert_eq!(Packed::new("", true).text(), "");
        let plain = Packed::new(&text, false);
        assert!(matches!(plain, Packed::Plain(_)) && plain.text() == text);
    }
}
