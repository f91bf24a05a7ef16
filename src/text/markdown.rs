//! Markdown to HTML: CommonMark with tables, footnotes and strikethrough,
//! unique heading ids for anchors, and links rewritten so that links between
//! case files keep working wherever the cases land in the output.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, TextMergeStream, html};
use std::collections::HashSet;

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// The HTML of a Markdown body and what the page needs to know about it.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    /// Plain text of the first paragraph: the description when there is no summary.
    pub first_paragraph: String,
    /// The headings' ids, in order (for a table of contents or anchor checks).
    pub heading_ids: Vec<String>,
    /// Every link and image that stays on the site, as written in the output.
    pub links: Vec<Link>,
}

/// A link or image of a Markdown text that points inside the site: its
/// address in the output, and where it is written (1-based, in the text).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Link {
    /// The address as written in the Markdown.
    pub target: String,
    /// The address in the output.
    pub href: String,
    pub line: usize,
    pub column: usize,
}

/// Renders a body. `resolve` maps a link target written at a line and
/// column of `src` to its URL in the output (or `None` to keep it);
/// `reserved` are ids the template uses, which headings must not take.
pub fn render(
    src: &str,
    lang: &str,
    resolve: &dyn Fn(&str, usize, usize) -> Option<String>,
    reserved: &[&str],
) -> Rendered {
    let (mut events, ranges): (Vec<Event>, Vec<std::ops::Range<usize>>) =
        Parser::new_ext(src, options()).into_offset_iter().unzip();
    let lines = LineIndex::new(src);
    let mut taken: HashSet<String> = reserved.iter().map(|s| s.to_string()).collect();
    let mut heading_ids = Vec::new();
    let mut links = Vec::new();
    let mut first_paragraph = String::new();
    let (mut depth, mut in_first, mut first_done) = (0usize, false, false);
    let mut i = 0;
    while i < events.len() {
        if matches!(events[i], Event::Start(Tag::Heading { .. })) {
            let text = plain_text_until_end(&events[i + 1..]);
            if let Event::Start(Tag::Heading { id, .. }) = &mut events[i] {
                let wanted = id.take().map_or_else(|| slugify(&text), |given| given.to_string());
                let unique = unique_id(if wanted.is_empty() { "section".into() } else { wanted }, &mut taken);
                heading_ids.push(unique.clone());
                *id = Some(CowStr::from(unique));
            }
        }
        match &mut events[i] {
            Event::Start(tag) => {
                if let Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } = tag
                    && is_internal(dest_url)
                {
                    // at the address itself when it is written inside the link, as in `[a](b)`
                    let r = &ranges[i];
                    let within = src.get(r.clone()).and_then(|s| s.rfind(dest_url.as_ref())).unwrap_or(0);
                    let (line, column) = lines.at(src, r.start + within);
                    let target = dest_url.to_string();
                    if !target.starts_with('#')
                        && let Some(new) = resolve(&target, line, column)
                    {
                        *dest_url = CowStr::from(new);
                    }
                    links.push(Link { target, href: dest_url.to_string(), line, column });
                }
                if matches!(tag, Tag::Paragraph) && depth == 0 && !first_done {
                    in_first = true;
                }
                depth += 1;
            }
            Event::End(end) => {
                depth = depth.saturating_sub(1);
                if matches!(end, TagEnd::Paragraph) && in_first && depth == 0 {
                    in_first = false;
                    first_done = true;
                }
            }
            Event::Text(t) | Event::Code(t) if in_first => first_paragraph.push_str(t),
            Event::SoftBreak | Event::HardBreak if in_first => first_paragraph.push(' '),
            _ => {}
        }
        i += 1;
    }
    let mut out = String::with_capacity(src.len() * 3 / 2);
    // the language's typography (French spaces before `: ; ! ?` and inside
    // « », numbers kept whole), on text merged across the parser's splits
    let mut code = false;
    let typeset = TextMergeStream::new(events.into_iter()).map(|e| match e {
        Event::Text(t) if !code => match crate::text::typography::typeset(&t, lang) {
            std::borrow::Cow::Borrowed(_) => Event::Text(t),
            std::borrow::Cow::Owned(set) => Event::Text(CowStr::from(set)),
        },
        e => {
            code = match &e {
                Event::Start(Tag::CodeBlock(_)) => true,
                Event::End(TagEnd::CodeBlock) => false,
                _ => code,
            };
            e
        }
    });
    html::push_html(&mut out, typeset);
    Rendered { html: out, first_paragraph: first_paragraph.trim().to_string(), heading_ids, links }
}

/// Soft hyphens (U+00AD) between the syllables of every long word, in
/// the hyphenation patterns of `lang` (`nl`, `fr-BE`): a large title on a
/// phone then breaks `partnercommu-nicatie` instead of cutting it anywhere,
/// in every browser, with or without its own hyphenation dictionaries (the
/// stylesheet's `hyphens: auto` where they exist). Shorter words, and
/// languages without patterns, are left as they are; a soft hyphen is
/// invisible where the word is not broken, and not copied with it.
pub fn soft_hyphens(text: &str, lang: &str) -> String {
    const LONG: usize = 10;
    let Some(patterns) = crate::text::typography::hyphenation(lang) else { return text.to_string() };
    let mut out = String::with_capacity(text.len() + 16);
    for token in text.split_inclusive(char::is_whitespace) {
        if token.contains(['@', '/']) || token.contains("www.") {
            out.push_str(token);
            continue;
        }
        // the runs of letters of the token, with what lies between them kept as it is
        let mut rest = token;
        while let Some(start) = rest.find(char::is_alphabetic) {
            out.push_str(&rest[..start]);
            let run = &rest[start..];
            let len = run.find(|c: char| !c.is_alphabetic()).unwrap_or(run.len());
            let (word, after) = run.split_at(len);
            if word.chars().count() >= LONG {
                for (i, syllable) in hypher::hyphenate(word, patterns).enumerate() {
                    if i > 0 {
                        out.push('\u{AD}');
                    }
                    out.push_str(syllable);
                }
            } else {
                out.push_str(word);
            }
            rest = after;
        }
        out.push_str(rest);
    }
    out
}

/// Where the lines of a text start, so that a byte offset becomes a line
/// and column without scanning the text again for every link.
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(src: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(src.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// 1-based line and column (in characters) of a byte offset.
    fn at(&self, src: &str, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let column = src.get(start..offset).map_or(1, |s| s.chars().count() + 1);
        (line, column)
    }
}

fn plain_text_until_end(events: &[Event]) -> String {
    let mut s = String::new();
    for e in events {
        match e {
            Event::End(TagEnd::Heading(_)) => break,
            Event::Text(t) | Event::Code(t) => s.push_str(t),
            _ => {}
        }
    }
    s
}

fn unique_id(wanted: String, taken: &mut HashSet<String>) -> String {
    let mut id = wanted.clone();
    let mut n = 1;
    while taken.contains(&id) {
        id = format!("{wanted}-{n}");
        n += 1;
    }
    taken.insert(id.clone());
    id
}

/// A link target that stays on the site (not `https:`, `mailto:` or
/// `//host`); `poster:` is the case's own A3 poster.
fn is_internal(dest: &str) -> bool {
    !dest.is_empty() && !dest.starts_with("//") && (!has_scheme(dest) || dest.starts_with(POSTER_LINK))
}

/// The link target that stands for the case's own A3 poster, in its language.
pub const POSTER_LINK: &str = "poster:";

/// Walks a relative path (`../a/./b`) from the folder whose segments are
/// `parts`, leaving the segments of where it ends; `None` when it climbs
/// above the root.
pub fn walk_relative<'a>(parts: &mut Vec<&'a str>, path: &'a str) -> Option<()> {
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(())
}

/// True for `https:`, `mailto:` and the like.
pub fn has_scheme(url: &str) -> bool {
    match url.find(':') {
        Some(i) => {
            let s = &url[..i];
            !s.is_empty()
                && s.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && !url[..i].contains('/')
        }
        None => false,
    }
}

/// Renders a short Markdown text that stands inside another element (a
/// strategy story or line): inline markup only, no wrapping paragraph.
pub fn inline_html(src: &str) -> String {
    let mut out = String::new();
    let events = Parser::new_ext(src, options())
        .filter(|e| !matches!(e, Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph)));
    html::push_html(&mut out, events);
    out.trim_end().to_string()
}

/// A heading or tag turned into an id or URL slug: lowercase ASCII letters,
/// digits and hyphens, accents folded (`Résultat` → `resultat`).
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut hyphen = false;
    for c in text.chars().flat_map(fold_accent) {
        if c.is_ascii_alphanumeric() {
            if hyphen && !out.is_empty() {
                out.push('-');
            }
            hyphen = false;
            out.push(c.to_ascii_lowercase());
        } else {
            hyphen = true;
        }
    }
    out
}

fn fold_accent(c: char) -> Vec<char> {
    let s = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => "a",
        'æ' | 'Æ' => "ae",
        'ç' | 'Ç' => "c",
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => "e",
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => "i",
        'ñ' | 'Ñ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => "o",
        'œ' | 'Œ' => "oe",
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => "u",
        'ý' | 'ÿ' | 'Ý' => "y",
        'ß' => "ss",
        '\'' | '’' | '‘' => "",
        _ => return vec![c],
    };
    s.chars().collect()
}

/// Plain text of a short Markdown text (for meta descriptions and feeds).
pub fn plain_text(src: &str) -> String {
    let mut s = String::new();
    for e in Parser::new_ext(src, options()) {
        match e {
            Event::Text(t) | Event::Code(t) => s.push_str(&t),
            Event::SoftBreak | Event::HardBreak => s.push(' '),
            Event::End(TagEnd::Paragraph) => s.push(' '),
            _ => {}
        }
    }
    s.trim().to_string()
}

/// Cuts a text at a word boundary to at most `max` characters, with an ellipsis.
pub fn truncate_words(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let at = cut.rfind(' ').unwrap_or(cut.len());
    format!("{}…", cut[..at].trim_end_matches([',', ';', ':', '.', ' ']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_words_get_soft_hyphens_in_their_language() {
        let t =
            soft_hyphens("Doelgerichte partnercommunicatie, ‘Kindermishandeling’ en info@connectcommunicatie.nl", "nl");
        assert_eq!(
            t.replace('\u{AD}', ""),
            "Doelgerichte partnercommunicatie, ‘Kindermishandeling’ en info@connectcommunicatie.nl"
        );
        assert!(t.contains("part\u{AD}ner\u{AD}com\u{AD}mu\u{AD}ni\u{AD}ca\u{AD}tie,"), "{t}");
        assert!(t.contains("‘Kin\u{AD}der"), "{t}");
        assert!(t.ends_with(" en info@connectcommunicatie.nl"), "an address is left whole: {t}");
        assert_eq!(soft_hyphens("kort en bondig", "nl"), "kort en bondig");
        assert_eq!(soft_hyphens("partnercommunicatie", "xx"), "partnercommunicatie");
    }

    fn no_links(_: &str, _: usize, _: usize) -> Option<String> {
        None
    }

    #[test]
    fn headings_get_unique_ids_around_reserved_ones() {
        let r = render("## Vraag\n\ntekst\n\n## Vraag\n\n## Résultat\n\n## Facts\n", "nl", &no_links, &["facts"]);
        assert_eq!(r.heading_ids, ["vraag", "vraag-1", "resultat", "facts-1"]);
        assert!(r.html.contains(r#"<h2 id="vraag-1">Vraag</h2>"#), "{}", r.html);
        assert_eq!(r.first_paragraph, "tekst");
    }

    #[test]
    fn tables_footnotes_strikethrough_and_quotes() {
        let r = render("a ~~b~~[^1] 'c'\n\n[^1]: note\n\n| x | y |\n|---|---|\n| 1 | 2 |\n", "nl", &no_links, &[]);
        assert!(r.html.contains("<del>b</del>"));
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("footnote-definition"));
        assert!(r.html.contains("‘c’"));
    }

    #[test]
    fn links_are_rewritten_but_not_external_ones() {
        let resolve = |u: &str, _, _| (u == "../other/").then(|| "/nl/cases/other/".to_string());
        let r = render("[a](../other/) [b](https://x.org/)\n\nx [c](#top) [d](mailto:a@b.c)", "nl", &resolve, &[]);
        assert!(r.html.contains(r#"href="/nl/cases/other/""#));
        assert!(r.html.contains(r#"href="https://x.org/""#));
        assert!(r.html.contains(r##"href="#top""##));
        let found: Vec<_> = r.links.iter().map(|l| (l.href.as_str(), l.line, l.column)).collect();
        assert_eq!(found, [("/nl/cases/other/", 1, 5), ("#top", 3, 7)]);
    }

    #[test]
    fn slugs_and_truncation() {
        assert_eq!(slugify("Coördinatie & Één ‘Veiliger’ Thuis!"), "coordinatie-een-veiliger-thuis");
        assert_eq!(truncate_words("een twee drie vier", 12), "een twee…");
        assert_eq!(inline_html("een **vet** woord"), "een <strong>vet</strong> woord");
    }

    #[test]
    fn french_text_gets_its_spaces_and_numbers_stay_whole() {
        let src = "Le « *Veiliger Thuis* » : plus de 2 500 demandes !\n\n```\na : b\n```\n";
        let r = render(src, "fr", &|_: &str, _, _| None, &[]);
        let n = '\u{202F}';
        assert!(
            r.html.contains(&format!("«{n}<em>Veiliger Thuis</em>{n}»{n}: plus de 2{n}500 demandes{n}!")),
            "{}",
            r.html
        );
        assert!(r.html.contains("a : b"), "code is left as written: {}", r.html);
        let nl = render("Zo’n 2 500 meldingen: veel!\n", "nl", &|_: &str, _, _| None, &[]);
        assert!(nl.html.contains(&format!("2{n}500 meldingen: veel!")), "{}", nl.html);
    }
}
