//! The tests' reading of a page: html5gum (the HTML standard's tokenizer,
//! which the link checker of `vitrine check` uses too) turned into a tree,
//! and the CSS selectors the tests ask with: type, `.class`, `#id`,
//! `[attr]`, `[attr=v]`, `[attr^=v]`, `[attr$=v]`, `[attr*=v]`, the
//! descendant and child combinators and lists (`a, b`). Text and attribute
//! values come with their character references decoded, as a browser reads
//! them. The tree follows the tags as written, closing the elements the
//! standard closes by themselves (`<p>`, `<li>`, ...); vitrine's pages,
//! checked by the Nu HTML Checker in CI, write every other end tag.
//!
//! (scraper, the usual crate for this, brings a browser engine's 31
//! packages: more than the 200 that issue 26 sets as the lock's budget.)

use html5gum::Tokenizer;
use html5gum::emitters::default::{DefaultEmitter, Token};
use std::collections::BTreeMap;

/// A parsed page.
pub struct Html {
    source: String,
    nodes: Vec<Node>,
}

struct Node {
    parent: Option<usize>,
    kind: Kind,
    /// where the node starts in the source, and where it ends (after its end tag)
    start: usize,
    end: usize,
    /// where its content starts and ends (between its tags)
    inner: (usize, usize),
}

enum Kind {
    Root,
    Element { name: String, attrs: BTreeMap<String, String> },
    Text(String),
}

/// Elements that have no end tag.
const VOID: &[&str] =
    &["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"];

/// Start tags that end an open `<p>` (the standard's list, abridged to
/// what a page holds).
const CLOSES_P: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "details",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "ul",
];

impl Html {
    pub fn parse_document(source: &str) -> Html {
        let mut emitter = DefaultEmitter::<usize>::new_with_span();
        emitter.naively_switch_states(true);
        let root = Node { parent: None, kind: Kind::Root, start: 0, end: source.len(), inner: (0, source.len()) };
        let mut html = Html { source: source.to_string(), nodes: vec![root] };
        let mut open: Vec<usize> = vec![0];
        for token in Tokenizer::new_with_emitter(source, emitter).flatten() {
            match token {
                Token::StartTag(tag) => {
                    let name = String::from_utf8_lossy(&tag.name).into_owned();
                    // an element the standard ends when this one starts
                    let top = html.name(*open.last().unwrap()).unwrap_or("");
                    let ends_top = match top {
                        "p" => CLOSES_P.contains(&name.as_str()),
                        "li" => name == "li",
                        "dt" | "dd" => name == "dt" || name == "dd",
                        "option" => name == "option",
                        _ => false,
                    };
                    if ends_top {
                        let closed = open.pop().unwrap();
                        html.nodes[closed].end = tag.span.start;
                        html.nodes[closed].inner.1 = tag.span.start;
                    }
                    let attrs = tag
                        .attributes
                        .iter()
                        .map(|(k, v)| {
                            (String::from_utf8_lossy(k).into_owned(), String::from_utf8_lossy(v).into_owned())
                        })
                        .collect();
                    let void = VOID.contains(&name.as_str()) || tag.self_closing;
                    let id = html.push(&open, Kind::Element { name, attrs }, tag.span.start, tag.span.end);
                    if !void {
                        html.nodes[id].end = source.len();
                        open.push(id);
                    }
                }
                Token::EndTag(tag) => {
                    let name = String::from_utf8_lossy(&tag.name);
                    // closes the nearest open element of its name, and what is open inside it
                    if let Some(at) = open.iter().rposition(|&n| html.name(n) == Some(&name)) {
                        for closed in open.drain(at..) {
                            html.nodes[closed].inner.1 = html.nodes[closed].inner.1.min(tag.span.start);
                            html.nodes[closed].end = tag.span.end;
                        }
                    }
                }
                Token::String(text) => {
                    let (start, end) = (text.span.start, text.span.end);
                    html.push(&open, Kind::Text(String::from_utf8_lossy(&text.value).into_owned()), start, end);
                }
                Token::Comment(_) | Token::Doctype(_) | Token::Error(_) => {}
            }
        }
        html
    }

    fn push(&mut self, open: &[usize], kind: Kind, start: usize, end: usize) -> usize {
        let inner = match kind {
            Kind::Text(_) => (start, end),
            _ => (end, self.source.len()),
        };
        self.nodes.push(Node { parent: open.last().copied(), kind, start, end, inner });
        self.nodes.len() - 1
    }

    fn name(&self, id: usize) -> Option<&str> {
        match &self.nodes[id].kind {
            Kind::Element { name, .. } => Some(name),
            _ => None,
        }
    }

    /// The elements that match, in document order.
    pub fn select<'a>(&'a self, selector: &Selector) -> std::vec::IntoIter<ElementRef<'a>> {
        self.select_below(0, selector)
    }

    fn select_below<'a>(&'a self, below: usize, selector: &Selector) -> std::vec::IntoIter<ElementRef<'a>> {
        let found: Vec<ElementRef<'a>> = self
            .descendants(below)
            .map(|id| ElementRef { html: self, id })
            .filter(|e| e.name().is_some() && selector.matches(e))
            .collect();
        found.into_iter()
    }

    /// The nodes inside `id`: the ones after it, up to the first that is not
    /// inside it (nodes are numbered in document order).
    fn descendants(&self, id: usize) -> impl Iterator<Item = usize> + '_ {
        (id + 1..self.nodes.len()).take_while(move |&n| self.is_below(n, id))
    }

    fn is_below(&self, mut id: usize, ancestor: usize) -> bool {
        while let Some(parent) = self.nodes[id].parent {
            if parent == ancestor {
                return true;
            }
            id = parent;
        }
        false
    }
}

/// An element of a parsed page.
#[derive(Clone, Copy)]
pub struct ElementRef<'a> {
    html: &'a Html,
    id: usize,
}

impl<'a> ElementRef<'a> {
    fn node(&self) -> &'a Node {
        &self.html.nodes[self.id]
    }

    fn name(&self) -> Option<&'a str> {
        self.html.name(self.id)
    }

    fn parent(&self) -> Option<ElementRef<'a>> {
        let parent = self.node().parent?;
        (parent != 0).then_some(ElementRef { html: self.html, id: parent })
    }

    /// The element itself (as scraper names it: `e.value().attr(…)`).
    pub fn value(&self) -> Self {
        *self
    }

    /// An attribute's value, its character references decoded.
    pub fn attr(&self, name: &str) -> Option<&'a str> {
        match &self.node().kind {
            Kind::Element { attrs, .. } => attrs.get(name).map(String::as_str),
            _ => None,
        }
    }

    /// The text inside, piece by piece, in document order.
    pub fn text(&self) -> impl Iterator<Item = &'a str> + 'a {
        let (html, id) = (self.html, self.id);
        html.descendants(id).filter_map(move |n| match &html.nodes[n].kind {
            Kind::Text(t) => Some(t.as_str()),
            _ => None,
        })
    }

    /// The source between the element's tags, as written.
    pub fn inner_html(&self) -> String {
        let (start, end) = self.node().inner;
        self.html.source[start..end.max(start)].to_string()
    }

    /// The element's source, its tags included, as written.
    pub fn html(&self) -> String {
        self.html.source[self.node().start..self.node().end].to_string()
    }

    /// The elements below this one that match, in document order.
    pub fn select(&self, selector: &Selector) -> std::vec::IntoIter<ElementRef<'a>> {
        self.html.select_below(self.id, selector)
    }
}

/// A list of selectors: an element matches when one of them does.
pub struct Selector(Vec<Complex>);

/// Compound selectors from left to right, each with the combinator that
/// joins it to the previous one (`true`: child, `false`: descendant).
struct Complex(Vec<(bool, Compound)>);

#[derive(Default)]
struct Compound {
    name: Option<String>,
    tests: Vec<Test>,
}

enum Test {
    Class(String),
    Id(String),
    Attr(String, Option<(String, String)>),
}

impl Selector {
    pub fn parse(css: &str) -> Result<Selector, String> {
        css.split(',').map(|part| Complex::parse(part.trim())).collect::<Result<_, _>>().map(Selector)
    }

    fn matches(&self, e: &ElementRef) -> bool {
        self.0.iter().any(|c| c.matches(e))
    }
}

impl Complex {
    fn parse(css: &str) -> Result<Complex, String> {
        let bad = |why: &str| Err(format!("selector `{css}`: {why}"));
        let chars: Vec<char> = css.chars().collect();
        let mut parts: Vec<(bool, Compound)> = Vec::new();
        let (mut i, mut child) = (0, false);
        while i < chars.len() {
            match chars[i] {
                ' ' => i += 1,
                '>' => {
                    child = true;
                    i += 1;
                }
                _ => {
                    let mut compound = Compound::default();
                    while i < chars.len() && !matches!(chars[i], ' ' | '>') {
                        let word = |from: usize| {
                            let end = (from..chars.len())
                                .find(|&j| !(chars[j].is_alphanumeric() || chars[j] == '-' || chars[j] == '_'))
                                .unwrap_or(chars.len());
                            (chars[from..end].iter().collect::<String>(), end)
                        };
                        match chars[i] {
                            '.' | '#' => {
                                let (w, end) = word(i + 1);
                                compound.tests.push(if chars[i] == '.' { Test::Class(w) } else { Test::Id(w) });
                                i = end;
                            }
                            '[' => {
                                let Some(close) = (i..chars.len()).find(|&j| chars[j] == ']') else {
                                    return bad("no `]`");
                                };
                                let inside: String = chars[i + 1..close].iter().collect();
                                let test = match inside.find('=') {
                                    None => Test::Attr(inside.trim().to_string(), None),
                                    Some(eq) => {
                                        let (name, op) = match inside[..eq].chars().last() {
                                            Some(c @ ('^' | '$' | '*')) => (&inside[..eq - 1], c.to_string()),
                                            _ => (&inside[..eq], String::new()),
                                        };
                                        let value = inside[eq + 1..].trim().trim_matches(['"', '\'']);
                                        Test::Attr(name.trim().to_string(), Some((op, value.to_string())))
                                    }
                                };
                                compound.tests.push(test);
                                i = close + 1;
                            }
                            '*' => i += 1,
                            c if c.is_alphabetic() => {
                                let (w, end) = word(i);
                                compound.name = Some(w.to_ascii_lowercase());
                                i = end;
                            }
                            c => return bad(&format!("`{c}` is not read here")),
                        }
                    }
                    parts.push((child, compound));
                    child = false;
                }
            }
        }
        if parts.is_empty() || child {
            return bad("incomplete");
        }
        Ok(Complex(parts))
    }

    fn matches(&self, e: &ElementRef) -> bool {
        Self::matches_up_to(&self.0, *e)
    }

    /// Whether `e` matches the last compound and its ancestors the ones before.
    fn matches_up_to(parts: &[(bool, Compound)], e: ElementRef) -> bool {
        let Some(((child, last), before)) = parts.split_last() else { return true };
        if !last.matches(&e) {
            return false;
        }
        if before.is_empty() {
            return true;
        }
        let mut up = e.parent();
        while let Some(a) = up {
            if Self::matches_up_to(before, a) {
                return true;
            }
            if *child {
                return false;
            }
            up = a.parent();
        }
        false
    }
}

impl Compound {
    fn matches(&self, e: &ElementRef) -> bool {
        let Some(name) = e.name() else { return false };
        if self.name.as_deref().is_some_and(|n| n != name) {
            return false;
        }
        self.tests.iter().all(|t| match t {
            Test::Class(c) => e.attr("class").is_some_and(|v| v.split_ascii_whitespace().any(|w| w == c)),
            Test::Id(id) => e.attr("id") == Some(id.as_str()),
            Test::Attr(a, None) => e.attr(a).is_some(),
            Test::Attr(a, Some((op, value))) => e.attr(a).is_some_and(|v| match op.as_str() {
                "^" => v.starts_with(value.as_str()),
                "$" => v.ends_with(value.as_str()),
                "*" => v.contains(value.as_str()),
                _ => v == value,
            }),
        })
    }
}

#[test]
fn selectors_read_a_page_as_a_browser_does() {
    let html = Html::parse_document(
        "<!doctype html><html><head><title>A &amp; B</title>\
         <script type=\"application/ld+json\">{\"a\":\"<b>\"}</script></head><body>\
         <nav class=\"x main\"><ul><li><a href=\"/nl/\" hreflang=nl>NL</a><li><a href='/fr/'>FR</a></ul></nav>\
         <p>one<div id=d><p>two <em>deep</em><img src=i.jpg alt=\"\"></div><a href=\"mailto:x\">m</a></body></html>",
    );
    let all = |css: &str| -> Vec<String> {
        html.select(&Selector::parse(css).unwrap()).map(|e| e.text().collect::<String>()).collect()
    };
    assert_eq!(all("title"), ["A & B"]);
    assert_eq!(all("nav.main a"), ["NL", "FR"]);
    assert_eq!(all("ul > li"), ["NL", "FR"], "an open <li> ends at the next");
    assert_eq!(all("nav > a"), Vec::<String>::new());
    assert_eq!(all("a[hreflang=nl], a[href^='/fr']"), ["NL", "FR"]);
    assert_eq!(all("a[href$=\"/\"]"), ["NL", "FR"]);
    assert_eq!(all("a[href*=ail]"), ["m"]);
    assert_eq!(all("#d p"), ["two deep"]);
    assert_eq!(all("body > p"), ["one"], "a <div> ends the open <p>");
    assert_eq!(all("div em"), ["deep"]);
    let script = html.select(&Selector::parse("script").unwrap()).next().unwrap();
    assert_eq!(script.inner_html(), "{\"a\":\"<b>\"}");
    let img = html.select(&Selector::parse("[src]").unwrap()).next().unwrap();
    assert_eq!(img.html(), "<img src=i.jpg alt=\"\">");
    assert_eq!(img.value().attr("alt"), Some(""));
    assert!(Selector::parse("a >").is_err() && Selector::parse("a:hover").is_err());
}
