//! Rich text for the poster: inline Markdown turned into styled runs, the
//! typography of the language applied, and paragraphs wrapped to a width.

use super::fonts::{Faces, Style};
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use std::borrow::Cow;

/// A stretch of text in one style. `accent` marks emphasis the layout colours.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Run {
    pub style: Style,
    pub accent: bool,
    pub text: String,
}

impl Run {
    /// Text with no emphasis (titles, labels).
    pub fn plain(style: Style, text: &str) -> Run {
        Run { style, accent: false, text: text.to_string() }
    }
}

/// Inline Markdown (`**bold**`, `*italic*`, code, links as their text) as runs.
/// Bold becomes `strong` in the accent colour, italic becomes italic.
pub fn runs(markdown: &str, base: Style, strong: Style) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::new();
    let (mut bold, mut italic) = (0, 0);
    let mut push = |text: &str, bold: bool, italic: bool| {
        let style = if bold {
            strong
        } else if italic {
            Style::Italic
        } else {
            base
        };
        match out.last_mut() {
            Some(r) if r.style == style && r.accent == bold => r.text.push_str(text),
            _ => out.push(Run { style, accent: bold, text: text.to_string() }),
        }
    };
    for e in Parser::new_ext(markdown, pulldown_cmark::Options::ENABLE_SMART_PUNCTUATION) {
        match e {
            Event::Start(Tag::Strong) => bold += 1,
            Event::End(TagEnd::Strong) => bold -= 1,
            Event::Start(Tag::Emphasis) => italic += 1,
            Event::End(TagEnd::Emphasis) => italic -= 1,
            Event::Text(t) | Event::Code(t) => push(&t, bold > 0, italic > 0),
            Event::SoftBreak | Event::HardBreak => push(" ", bold > 0, italic > 0),
            Event::End(TagEnd::Paragraph) => push(" ", false, false),
            _ => {}
        }
    }
    if let Some(last) = out.last_mut() {
        let trimmed = last.text.trim_end().len();
        last.text.truncate(trimmed);
    }
    out.retain(|r| !r.text.is_empty());
    out
}

/// A piece of a word in one style, with its width in ems.
#[derive(Debug, Clone)]
struct Piece {
    style: Style,
    accent: bool,
    text: String,
    em: f32,
}

/// What separates words: one space; words are never broken inside a run of
/// non-breaking spaces.
#[derive(Debug, Clone, Default)]
struct Word {
    pieces: Vec<Piece>,
    em: f32,
}

/// A paragraph measured once, wrapped at any width.
#[derive(Debug, Clone)]
pub struct Paragraph {
    words: Vec<Word>,
    space_em: f32,
    hyphen_em: f32,
    /// The hyphenation patterns of the paragraph's language, if any.
    patterns: Option<hypher::Lang>,
}

/// A laid out line: pieces (style, accent, text, x offset, width), in ems.
/// The text is the paragraph's own but where a long word was cut.
#[derive(Debug, Clone, PartialEq)]
pub struct Line<'a> {
    pub pieces: Vec<(Style, bool, Cow<'a, str>, f32, f32)>,
    pub em: f32,
    /// How the line ends where the next one goes on.
    pub end: End,
}

/// How a line of a paragraph ends, for the text a reader copies or hears:
/// the words go on after a space, or the line cuts a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// At a space between words (the paragraph's last line too).
    Space,
    /// Inside a word, after a hyphen or character of its own.
    Cut,
    /// Inside a word, with a hyphen the layout added (the line's last character).
    Hyphen,
}

impl<'a> Line<'a> {
    fn new() -> Line<'a> {
        Line { pieces: Vec::new(), em: 0.0, end: End::Space }
    }
}

impl Paragraph {
    /// Splits the runs into words and measures each once, for every width
    /// tried; a word too long for a line is hyphenated with `patterns`.
    pub fn new(runs: &[Run], faces: &Faces, patterns: Option<hypher::Lang>) -> Paragraph {
        let mut words: Vec<Word> = vec![Word::default()];
        for run in runs {
            for (i, part) in run.text.split(' ').enumerate() {
                if i > 0 && !words.last().is_some_and(|w| w.pieces.is_empty()) {
                    words.push(Word::default());
                }
                if part.is_empty() {
                    continue;
                }
                let em = faces.em_width(run.style, part);
                let w = words.last_mut().expect("never empty");
                w.pieces.push(Piece { style: run.style, accent: run.accent, text: part.to_string(), em });
                w.em += em;
            }
        }
        words.retain(|w| !w.pieces.is_empty());
        Paragraph {
            words,
            space_em: faces.em_width(Style::Regular, " "),
            hyphen_em: faces.em_width(Style::Regular, "-"),
            patterns,
        }
    }

    /// True when there is no word to set (an absent story).
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Greedy line breaking at spaces; a word wider than the line is cut
    /// with a hyphen where it must.
    pub fn wrap(&self, max_em: f32, faces: &Faces) -> Vec<Line<'_>> {
        let mut lines = Vec::new();
        let mut cur = Line::new();
        for word in &self.words {
            let needed = if cur.pieces.is_empty() { word.em } else { cur.em + self.space_em + word.em };
            if needed <= max_em || (cur.pieces.is_empty() && word.em <= max_em) {
                let mut x = if cur.pieces.is_empty() { 0.0 } else { cur.em + self.space_em };
                for p in &word.pieces {
                    cur.pieces.push((p.style, p.accent, Cow::Borrowed(&p.text), x, p.em));
                    x += p.em;
                }
                cur.em = x;
                continue;
            }
            if !cur.pieces.is_empty() {
                lines.push(std::mem::replace(&mut cur, Line::new()));
            }
            if word.em <= max_em {
                let mut x = 0.0;
                for p in &word.pieces {
                    cur.pieces.push((p.style, p.accent, Cow::Borrowed(&p.text), x, p.em));
                    x += p.em;
                }
                cur.em = x;
            } else {
                self.cut(word, max_em, faces, &mut lines, &mut cur);
            }
        }
        if !cur.pieces.is_empty() {
            lines.push(cur);
        }
        lines
    }

    /// Cuts an over-long word into lines that fit, each but the last ending
    /// in a hyphen: between syllables where the language allows, after a
    /// hyphen of the word itself, and only where neither fits (a code, a
    /// word of another language) between any two characters.
    ///
    /// An address (e-mail, URL, domain) is never hyphenated, since a hyphen
    /// would read as part of it: it breaks after `@`, `.`, `/` or its own
    /// `-` and `_`, with nothing added.
    fn cut<'a>(&self, word: &'a Word, max_em: f32, faces: &Faces, lines: &mut Vec<Line<'a>>, cur: &mut Line<'a>) {
        for p in &word.pieces {
            let text = p.text.as_str();
            let address = is_address(text);
            let mut breaks: Vec<usize> = if address {
                text.match_indices(['@', '.', '/', '-', '_']).map(|(i, _)| i + 1).collect()
            } else {
                text.match_indices('-').map(|(i, _)| i + 1).collect()
            };
            if let Some(lang) = self.patterns.filter(|_| !address) {
                let mut at = 0;
                breaks.extend(hypher::hyphenate(text, lang).map(|syllable| {
                    at += syllable.len();
                    at
                }));
            }
            breaks.sort_unstable();
            let anywhere: Vec<usize> = text.char_indices().map(|(i, _)| i).skip(1).collect();
            let mut start = 0;
            while start < text.len() {
                let rest = faces.em_width(p.style, &text[start..]);
                if cur.em + rest <= max_em {
                    cur.pieces.push((p.style, p.accent, Cow::Borrowed(&text[start..]), cur.em, rest));
                    cur.em += rest;
                    break;
                }
                // the longest piece that fits with its hyphen, at the best kind of place
                let hyphen = |end: usize| if address || text[..end].ends_with('-') { 0.0 } else { self.hyphen_em };
                let fits = |end: &&usize| {
                    **end > start
                        && **end < text.len()
                        && cur.em + faces.em_width(p.style, &text[start..**end]) + hyphen(**end) <= max_em
                };
                let end = breaks.iter().rev().find(fits).or_else(|| anywhere.iter().rev().find(fits));
                // not even one character fits: it goes on a line of its own
                let end = end.copied().or_else(|| anywhere.iter().copied().find(|&e| e > start)).unwrap_or(text.len());
                let em = faces.em_width(p.style, &text[start..end]) + hyphen(end);
                let shown = if hyphen(end) > 0.0 {
                    Cow::Owned(format!("{}-", &text[start..end]))
                } else {
                    Cow::Borrowed(&text[start..end])
                };
                cur.pieces.push((p.style, p.accent, shown, cur.em, em));
                cur.end = if hyphen(end) > 0.0 { End::Hyphen } else { End::Cut };
                lines.push(std::mem::replace(cur, Line::new()));
                start = end;
            }
        }
    }
}

/// An e-mail address, a URL or a domain name (`connectcommunicatie.nl`).
fn is_address(word: &str) -> bool {
    let domain = word.rsplit_once('.').is_some_and(|(name, tld)| {
        !name.is_empty() && (2..=6).contains(&tld.len()) && tld.chars().all(|c| c.is_ascii_lowercase())
    });
    word.contains('@') || word.contains("://") || word.starts_with("www.") || domain
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_becomes_styled_runs() {
        let r = runs("een **coach** van *het* netwerk", Style::Regular, Style::Bold);
        let styles: Vec<(Style, bool, &str)> = r.iter().map(|r| (r.style, r.accent, r.text.as_str())).collect();
        assert_eq!(
            styles,
            [
                (Style::Regular, false, "een "),
                (Style::Bold, true, "coach"),
                (Style::Regular, false, " van "),
                (Style::Italic, false, "het"),
                (Style::Regular, false, " netwerk")
            ]
        );
    }
}
