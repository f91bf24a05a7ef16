//! The poster's layout engine, apart from any PDF call: places measured,
//! wrapped text and colour fields on an A3 page, and fits the content by
//! stepping the type sizes down to a legible minimum. The result is a list of
//! positioned items and the content blocks they form (which never overlap).

use super::fonts::{Faces, Style};
use super::text::{End, Paragraph, Run};

/// A3 portrait in PDF points: width…
pub const PAGE_W: f32 = 841.89;
/// …and height.
pub const PAGE_H: f32 = 1190.55;
/// The body size the fit starts from, and the smallest it may step down to.
pub const MAX_BODY: f32 = 20.0;
/// The smallest legible body size on an A3 sheet held in the hand.
pub const MIN_BODY: f32 = 9.0;
const STEP: f32 = 0.5;
const MARGIN: f32 = 48.0;
const COLUMN_GAP: f32 = 28.0;
/// The width between the page's margins.
const INNER: f32 = PAGE_W - 2.0 * MARGIN;

/// A colour, each channel 0.0–1.0.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rgb(pub f32, pub f32, pub f32);

/// A print colour: cyan, magenta, yellow and black ink, each 0.0–1.0.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cmyk(pub f32, pub f32, pub f32, pub f32);

impl Rgb {
    /// The colour in inks when the theme gives no CMYK value: the plain
    /// conversion without a colour profile, black from the brightest
    /// channel, K = 1 − max(R, G, B), and each ink from what is left,
    /// C = (1 − R − K) / (1 − K) (M from G, Y from B).
    pub fn to_cmyk(self) -> Cmyk {
        let k = 1.0 - self.0.max(self.1).max(self.2);
        if k >= 1.0 - 1e-6 {
            return Cmyk(0.0, 0.0, 0.0, 1.0);
        }
        let ink = |c: f32| ((1.0 - c - k) / (1.0 - k)).clamp(0.0, 1.0);
        Cmyk(ink(self.0), ink(self.1), ink(self.2), k)
    }
}

pub const WHITE: Rgb = Rgb(1.0, 1.0, 1.0);

/// The poster's palette (from the theme's `poster.yaml`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Colors {
    /// Header band, titles, contact card.
    pub primary: Rgb,
    /// Numbers, labels, rules, emphasis.
    pub accent: Rgb,
    /// Background of the facts band.
    pub band: Rgb,
    pub text: Rgb,
    pub muted: Rgb,
    /// Secondary text on the primary colour.
    pub light: Rgb,
}

/// A rectangle with its origin at the top left of the page, y downwards.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

impl Rect {
    /// True when the rectangle lies on the A3 page.
    pub fn inside_page(&self) -> bool {
        self.x >= -0.01 && self.y >= -0.01 && self.x + self.w <= PAGE_W + 0.01 && self.y + self.h <= PAGE_H + 0.01
    }

    /// True when two rectangles share area (touching edges do not count).
    pub fn overlaps(&self, o: &Rect) -> bool {
        self.x < o.x + o.w - 0.01
            && o.x < self.x + self.w - 0.01
            && self.y < o.y + o.h - 0.01
            && o.y < self.y + self.h - 0.01
    }

    /// True when `o` lies within this rectangle.
    pub fn contains(&self, o: &Rect) -> bool {
        o.x >= self.x - 0.01
            && o.y >= self.y - 0.01
            && o.x + o.w <= self.x + self.w + 0.01
            && o.y + o.h <= self.y + self.h + 0.01
    }
}

/// Something drawn on the page.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Fill {
        rect: Rect,
        color: Rgb,
    },
    /// One run of text on one line; `width` is its measured advance.
    Text {
        x: f32,
        baseline: f32,
        size: f32,
        style: Style,
        color: Rgb,
        text: String,
        width: f32,
        /// The structure element (index into [`Placed::nodes`]) the text is
        /// content of; none for decoration (the large quotation mark).
        node: Option<usize>,
    },
}

/// The standard structure types (ISO 32000-1, 14.8.4) a poster is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Document,
    Sect,
    H1,
    H2,
    P,
    L,
    LI,
    Lbl,
    LBody,
    BlockQuote,
    Link,
}

impl Role {
    /// The structure type's name in the PDF.
    pub fn name(self) -> &'static str {
        match self {
            Role::Document => "Document",
            Role::Sect => "Sect",
            Role::H1 => "H1",
            Role::H2 => "H2",
            Role::P => "P",
            Role::L => "L",
            Role::LI => "LI",
            Role::Lbl => "Lbl",
            Role::LBody => "LBody",
            Role::BlockQuote => "BlockQuote",
            Role::Link => "Link",
        }
    }
}

/// An element of the poster's logical structure, in reading order: the
/// tagged PDF a screen reader follows.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub role: Role,
    /// The element it is part of; none for the document.
    pub parent: Option<usize>,
    /// For a `Link`, the index into [`Placed::links`] of the address it opens.
    pub link: Option<usize>,
}

/// What a poster shows, already in the case's language.
#[derive(Debug, Clone, Hash)]
pub struct Content {
    /// The language tag, for hyphenation.
    pub lang: String,
    pub client: String,
    pub case_title: String,
    pub strategy_title: String,
    pub story: Vec<Run>,
    /// (title, text) of each strategy line.
    pub lines: Vec<(String, Vec<Run>)>,
    /// (value, label) of each fact.
    pub facts: Vec<(String, String)>,
    /// (text, author).
    pub quote: Option<(String, Option<String>)>,
    pub contact: Option<Contact>,
    pub footer_left: String,
    pub footer_right: String,
    pub labels: Labels,
}

impl Content {
    /// Calls `f` with every text the poster shows.
    pub fn each_text(&self, f: &mut dyn FnMut(&str)) {
        for t in [&self.client, &self.case_title, &self.strategy_title, &self.footer_left, &self.footer_right] {
            f(t);
        }
        let l = &self.labels;
        for t in [&l.kicker, &l.lines, &l.facts, &l.contact] {
            f(&t.to_uppercase());
        }
        self.story.iter().for_each(|r| f(&r.text));
        for (title, text) in &self.lines {
            f(title);
            text.iter().for_each(|r| f(&r.text));
        }
        for (value, label) in &self.facts {
            f(value);
            f(label);
        }
        if let Some((q, a)) = &self.quote {
            f(q);
            f(&format!("— {}", a.as_deref().unwrap_or("")));
        }
        if let Some(c) = &self.contact {
            f(&c.name);
            c.role.iter().chain(&c.email).for_each(|t| f(t));
        }
        f("0123456789");
        f(&self.labels.quote_mark);
        f(&self.client.to_uppercase());
    }
}

/// The contact card of a poster, in the case's language.
#[derive(Debug, Clone, Hash)]
pub struct Contact {
    pub name: String,
    pub role: Option<String>,
    pub email: Option<String>,
}

/// The words the poster prints itself (from Fluent).
#[derive(Debug, Clone, Hash)]
pub struct Labels {
    pub kicker: String,
    pub lines: String,
    pub facts: String,
    pub contact: String,
    /// The opening quotation mark of the language (“, „ or «), printed large.
    pub quote_mark: String,
}

/// A laid out poster.
#[derive(Debug, Clone)]
pub struct Placed {
    pub items: Vec<Item>,
    /// Named content blocks: every text item lies in one, and they never overlap.
    pub blocks: Vec<(String, Rect)>,
    /// The body size the content fitted at.
    pub body: f32,
    /// Where an address is printed, with what it opens: the contact's
    /// e-mail (`mailto:`) and the case URL of the footer.
    pub links: Vec<(Rect, String)>,
    /// The logical structure, the document first, each element after the
    /// one it is part of.
    pub nodes: Vec<Node>,
}

/// Every text of the content, measured once for all the sizes tried.
struct Measured {
    client: Paragraph,
    title: Paragraph,
    subtitle: Paragraph,
    story: Paragraph,
    lines: Vec<(Paragraph, Paragraph)>,
    facts: Vec<(Paragraph, Paragraph, f32)>,
    quote: Option<(Paragraph, Option<Paragraph>)>,
    contact: Option<(Paragraph, Option<Paragraph>, Option<Paragraph>)>,
    /// How far (in ems, down) the language's large quotation mark is drawn
    /// from where “ would be, so that its ink is where the layout wants “'s.
    mark_shift: f32,
}

impl Measured {
    fn new(c: &Content, faces: &Faces) -> Measured {
        let patterns = crate::text::typography::hyphenation(&c.lang);
        let para =
            |faces: &Faces, style: Style, text: &str| Paragraph::new(&[Run::plain(style, text)], faces, patterns);
        Measured {
            client: para(faces, Style::Bold, &c.client.to_uppercase()),
            title: para(faces, Style::Bold, &c.strategy_title),
            subtitle: para(faces, Style::Regular, &c.case_title),
            story: Paragraph::new(&c.story, faces, patterns),
            lines: c
                .lines
                .iter()
                .map(|(t, text)| (para(faces, Style::Bold, t), Paragraph::new(text, faces, patterns)))
                .collect(),
            facts: c
                .facts
                .iter()
                .map(|(v, l)| {
                    (para(faces, Style::Bold, v), para(faces, Style::Regular, l), faces.em_width(Style::Bold, v))
                })
                .collect(),
            quote: c.quote.as_ref().map(|(q, a)| {
                (para(faces, Style::Italic, q), a.as_ref().map(|a| para(faces, Style::Bold, &format!("— {a}"))))
            }),
            mark_shift: {
                let ink = |ch| faces.ink_middle(Style::Bold, ch);
                let first = c.labels.quote_mark.chars().next().unwrap_or('“');
                ink(first).zip(ink('“')).map_or(0.0, |(own, high)| own - high)
            },
            contact: c.contact.as_ref().map(|p| {
                (
                    para(faces, Style::Bold, &p.name),
                    p.role.as_ref().map(|r| para(faces, Style::Regular, r)),
                    p.email.as_ref().map(|e| para(faces, Style::Regular, e)),
                )
            }),
        }
    }
}

/// Lays the content out at the largest body size that fits, from
/// [`MAX_BODY`] down to [`MIN_BODY`]; `None` when even the minimum does not fit.
pub fn layout(c: &Content, faces: &Faces, colors: &Colors) -> Option<Placed> {
    let m = Measured::new(c, faces);
    let steps = ((MAX_BODY - MIN_BODY) / STEP).round() as usize;
    let size = |step: usize| MAX_BODY - step as f32 * STEP;
    let spare = |step: usize| Composer::new(faces, colors, size(step)).compose(c, &m, 0.0, 0.0).spare;
    // the content's height grows with the type size: binary search the largest size that fits
    let (mut lo, mut hi) = (0, steps);
    let mut fits = (steps, spare(steps));
    if fits.1 < 0.0 {
        return None;
    }
    while lo < hi {
        let mid = (lo + hi) / 2;
        let left = spare(mid);
        if left >= 0.0 {
            fits = (mid, left);
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    let (fits, left) = fits;
    // the space left goes between the sections rather than under them
    let (a, b) = if c.story.is_empty() { (0.0, left) } else { (left * 0.35, left * 0.65) };
    let done = Composer::new(faces, colors, size(fits)).compose(c, &m, a, b);
    Some(Placed { items: done.items, blocks: done.blocks, body: size(fits), links: done.links, nodes: done.nodes })
}

/// The colours of a share image (from `poster.yaml`, `share:`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShareLook {
    pub background: Rgb,
    pub title: Rgb,
    pub accent: Rgb,
    pub muted: Rgb,
}

/// Places text and colour fields, tagged for the PDF's structure; the
/// share images use it too.
pub(crate) struct Composer<'a, 'f> {
    faces: &'a Faces<'f>,
    colors: &'a Colors,
    b: f32,
    pub items: Vec<Item>,
    blocks: Vec<(String, Rect)>,
    links: Vec<(Rect, String)>,
    nodes: Vec<Node>,
    /// The open structure elements, innermost last: text placed belongs to it.
    open: Vec<usize>,
}

struct Composed {
    items: Vec<Item>,
    blocks: Vec<(String, Rect)>,
    links: Vec<(Rect, String)>,
    nodes: Vec<Node>,
    /// Vertical space left above the footer (negative: does not fit).
    spare: f32,
}

/// How a paragraph is set: its type size, its line height (a multiple of
/// the size) and its colour.
pub(crate) struct Set {
    pub size: f32,
    pub leading: f32,
    pub color: Rgb,
}

impl Composer<'_, '_> {
    pub(crate) fn new<'a, 'f>(faces: &'a Faces<'f>, colors: &'a Colors, b: f32) -> Composer<'a, 'f> {
        Composer {
            faces,
            colors,
            b,
            items: Vec::with_capacity(256),
            blocks: Vec::with_capacity(16),
            links: Vec::new(),
            nodes: Vec::with_capacity(48),
            open: Vec::with_capacity(6),
        }
    }

    /// Opens a structure element inside the innermost open one.
    fn open(&mut self, role: Role) {
        self.nodes.push(Node { role, parent: self.open.last().copied(), link: None });
        self.open.push(self.nodes.len() - 1);
    }

    /// Closes the innermost open structure element.
    fn close(&mut self) {
        self.open.pop();
    }

    /// A paragraph as an element of its own (`P`, `H1`, …).
    fn tagged(&mut self, role: Role, p: &Paragraph, x: f32, y: f32, width: f32, set: Set) -> f32 {
        self.open(role);
        let h = self.text(p, x, y, width, set);
        self.close();
        h
    }

    /// A block's label (`H2`): one line of bold capitals in the accent colour.
    fn heading(&mut self, text: &str, x: f32, y: f32, size: f32) -> f32 {
        self.open(Role::H2);
        let h = self.label(&text.to_uppercase(), x, y, size, Style::Bold, self.colors.accent);
        self.close();
        h
    }

    /// Opens a link element for the address placed next, which opens `uri`.
    fn open_link(&mut self, uri: String) {
        self.open(Role::Link);
        if let Some(n) = self.nodes.last_mut() {
            n.link = Some(self.links.len());
        }
        self.links.push((Rect { x: 0.0, y: 0.0, w: 0.0, h: 0.0 }, uri));
    }

    /// Closes the link element opened last, whose address lies in `rect`.
    fn close_link(&mut self, rect: Rect) {
        if let Some(l) = self.links.last_mut() {
            l.0 = rect;
        }
        self.close();
    }

    /// Places a paragraph with its top at `y`; returns its height.
    pub(crate) fn text(&mut self, p: &Paragraph, x: f32, y: f32, width: f32, Set { size, leading, color }: Set) -> f32 {
        let lines = p.wrap(width / size, self.faces);
        let asc = self.faces.ascent(Style::Regular);
        let desc = self.faces.descent(Style::Regular);
        let space = Style::ALL.map(|s| self.faces.em_width(s, " "));
        let hyphen_em = self.faces.em_width(Style::Regular, "-");
        for (i, line) in lines.iter().enumerate() {
            let baseline = y + size * asc + i as f32 * size * leading;
            // one text run for the words of a line in the same style: far fewer
            // PDF operations than a run per word, at exactly the same places
            let mut run: Option<(Style, bool, String, f32, f32)> = None;
            for (style, accent, text, x_em, em) in &line.pieces {
                if let Some((s, a, t, _, end)) = &mut run
                    && (*s, *a) == (*style, *accent)
                    && (x_em - *end - space[*style as usize]).abs() < 1e-4
                {
                    t.push(' ');
                    t.push_str(text);
                    *end = x_em + em;
                    continue;
                }
                if let Some(mut done) = run.take() {
                    // the space before a word in another style ends the run before
                    if *x_em > done.4 + 1e-4 {
                        done.2.push(' ');
                    }
                    self.push_run(done, x, baseline, size, color);
                }
                run = Some((*style, *accent, text.to_string(), *x_em, x_em + em));
            }
            if let Some(mut done) = run {
                match line.end {
                    // a space at the line's end, unseen, keeps the words apart
                    // in the text copied from the poster or read aloud
                    End::Space if i + 1 < lines.len() => done.2.push(' '),
                    // the hyphen the layout added is decoration: the word is whole
                    End::Hyphen if done.2.ends_with('-') && done.2.len() > 1 => {
                        let (style, accent, end) = (done.0, done.1, done.4);
                        done.2.pop();
                        done.4 -= hyphen_em;
                        self.push_run(done, x, baseline, size, color);
                        self.push_run((style, accent, "-".into(), end - hyphen_em, end), x, baseline, size, color);
                        self.unmark_last();
                        continue;
                    }
                    _ => {}
                }
                self.push_run(done, x, baseline, size, color);
            }
        }
        if lines.is_empty() { 0.0 } else { (lines.len() - 1) as f32 * size * leading + size * (asc + desc) }
    }

    /// Makes the text placed last decoration, apart from the structure.
    fn unmark_last(&mut self) {
        if let Some(Item::Text { node, .. }) = self.items.last_mut() {
            *node = None;
        }
    }

    fn push_run(
        &mut self,
        (style, accent, text, start, end): (Style, bool, String, f32, f32),
        x: f32,
        baseline: f32,
        size: f32,
        color: Rgb,
    ) {
        let color = if accent { self.colors.accent } else { color };
        self.items.push(Item::Text {
            x: x + start * size,
            baseline,
            size,
            style,
            color,
            text,
            width: (end - start) * size,
            node: self.open.last().copied(),
        });
    }

    /// One line of text with its top at `y`; returns its height.
    pub(crate) fn label(&mut self, text: &str, x: f32, y: f32, size: f32, style: Style, color: Rgb) -> f32 {
        let width = self.faces.em_width(style, text) * size;
        let baseline = y + size * self.faces.ascent(style);
        let node = self.open.last().copied();
        self.items.push(Item::Text { x, baseline, size, style, color, text: text.to_string(), width, node });
        size * (self.faces.ascent(style) + self.faces.descent(style))
    }

    pub(crate) fn fill(&mut self, rect: Rect, color: Rgb) {
        self.items.push(Item::Fill { rect, color });
    }

    fn block(&mut self, name: String, rect: Rect) {
        self.blocks.push((name, rect));
    }

    /// The space between the sections of the poster.
    fn gap(&self) -> f32 {
        1.8 * self.b
    }

    /// The size of the small capitals: section labels, the kicker.
    fn small(&self) -> f32 {
        (0.72 * self.b).max(8.0)
    }

    /// The poster from top to bottom, with `slack_a` more space under the
    /// story and `slack_b` under the strategy lines.
    fn compose(mut self, c: &Content, m: &Measured, slack_a: f32, slack_b: f32) -> Composed {
        self.open(Role::Document);
        let mut y = self.header(c, m);
        if !m.story.is_empty() {
            y += self.story(&m.story, y) + slack_a;
        }
        if !m.lines.is_empty() {
            y = self.lines(&c.labels.lines, &m.lines, y);
        }
        y += slack_b;
        if !m.facts.is_empty() {
            y = self.facts(&c.labels.facts, &m.facts, y);
        }
        y += self.quote_and_contact(c, m, y);
        let footer_top = self.footer(c);
        self.close();
        let spare = footer_top - (y + 0.8 * self.gap());
        Composed { items: self.items, blocks: self.blocks, links: self.links, nodes: self.nodes, spare }
    }

    /// The header band: client and kicker, strategy title, case title, on
    /// the primary colour with an accent rule under it. Returns where the
    /// next section starts.
    fn header(&mut self, c: &Content, m: &Measured) -> f32 {
        let (b, small, colors) = (self.b, self.small(), *self.colors);
        self.open(Role::Sect);
        let band_start = self.items.len();
        let mut y = MARGIN * 0.9;
        let kicker = c.labels.kicker.to_uppercase();
        let kicker_w = self.faces.em_width(Style::Bold, &kicker) * small;
        let set = Set { size: small, leading: 1.3, color: colors.accent };
        let h1 = self.tagged(Role::P, &m.client, MARGIN, y, INNER - kicker_w - COLUMN_GAP, set);
        self.open(Role::P);
        self.label(&kicker, PAGE_W - MARGIN - kicker_w, y, small, Style::Bold, colors.light);
        self.close();
        y += h1.max(small) + 1.1 * b;
        let set = Set { size: 2.8 * b, leading: 1.08, color: WHITE };
        y += self.tagged(Role::H1, &m.title, MARGIN, y, INNER, set) + 0.8 * b;
        let set = Set { size: 1.1 * b, leading: 1.3, color: colors.light };
        y += self.tagged(Role::P, &m.subtitle, MARGIN, y, INNER, set);
        let band_h = y + MARGIN * 0.7;
        let band = Rect { x: 0.0, y: 0.0, w: PAGE_W, h: band_h };
        self.items.insert(band_start, Item::Fill { rect: band, color: colors.primary });
        self.fill(Rect { x: 0.0, y: band_h, w: PAGE_W, h: 6.0 }, colors.accent);
        self.block("header".into(), Rect { x: 0.0, y: 0.0, w: PAGE_W, h: band_h + 6.0 });
        self.close();
        band_h + 6.0 + self.gap()
    }

    /// The story at `y`, as a lead with an accent bar; returns the space it
    /// takes with the gap under it.
    fn story(&mut self, story: &Paragraph, y: f32) -> f32 {
        let set = Set { size: 1.3 * self.b, leading: 1.4, color: self.colors.primary };
        let h = self.tagged(Role::P, story, MARGIN + 20.0, y, INNER - 20.0, set);
        self.fill(Rect { x: MARGIN, y, w: 4.0, h }, self.colors.accent);
        self.block("story".into(), Rect { x: MARGIN, y, w: INNER, h });
        h + self.gap()
    }

    /// The strategy lines at `y`, numbered, on a grid of up to three
    /// columns: a list. Returns where the next section starts.
    fn lines(&mut self, label: &str, lines: &[(Paragraph, Paragraph)], mut y: f32) -> f32 {
        let (b, colors) = (self.b, *self.colors);
        self.open(Role::Sect);
        let h = self.heading(label, MARGIN, y, self.small());
        self.block("lines-label".into(), Rect { x: MARGIN, y, w: INNER, h });
        y += h + 0.8 * b;
        let cols = match lines.len() {
            1 => 1,
            2 | 4 => 2,
            _ => 3,
        };
        // a single line keeps a readable measure rather than the full width
        let col_w = if cols == 1 { INNER * 0.7 } else { (INNER - (cols - 1) as f32 * COLUMN_GAP) / cols as f32 };
        self.open(Role::L);
        for (row_i, row) in lines.chunks(cols).enumerate() {
            let mut row_h: f32 = 0.0;
            for (col, (title, text)) in row.iter().enumerate() {
                let n = row_i * cols + col;
                let x = MARGIN + col as f32 * (col_w + COLUMN_GAP);
                self.open(Role::LI);
                self.fill(Rect { x, y, w: col_w, h: 1.5 }, colors.primary);
                let mut yy = y + 0.6 * b;
                self.open(Role::Lbl);
                yy += self.label(&format!("{:02}", n + 1), x, yy, 2.4 * b, Style::Bold, colors.accent) + 0.35 * b;
                self.close();
                self.open(Role::LBody);
                let set = Set { size: 1.15 * b, leading: 1.2, color: colors.primary };
                yy += self.tagged(Role::P, title, x, yy, col_w, set);
                if !text.is_empty() {
                    yy += 0.45 * b;
                    let set = Set { size: b, leading: 1.4, color: colors.text };
                    yy += self.tagged(Role::P, text, x, yy, col_w, set);
                }
                self.close();
                self.close();
                self.block(format!("line-{}", n + 1), Rect { x, y, w: col_w, h: yy - y });
                row_h = row_h.max(yy - y);
            }
            y += row_h + 1.4 * b;
        }
        self.close();
        self.close();
        y + (self.gap() - 1.4 * b)
    }

    /// Facts & figures at `y`, on a band of their own: a list of value and
    /// label. Returns where the next section starts.
    fn facts(&mut self, label: &str, facts: &[(Paragraph, Paragraph, f32)], mut y: f32) -> f32 {
        let (b, colors) = (self.b, *self.colors);
        self.open(Role::Sect);
        let band_top = y;
        let band_start = self.items.len();
        let pad = 1.5 * b;
        y += pad;
        let h = self.heading(label, MARGIN, y, self.small());
        self.block("facts-label".into(), Rect { x: MARGIN, y, w: INNER, h });
        y += h + 0.8 * b;
        let cols = match facts.len() {
            n @ 1..=4 => n,
            5 | 6 => 3,
            _ => 4,
        };
        let col_w = (INNER - (cols - 1) as f32 * COLUMN_GAP) / cols as f32;
        self.open(Role::L);
        for (row_i, row) in facts.chunks(cols).enumerate() {
            let mut row_h: f32 = 0.0;
            for (col, (value, label, value_em)) in row.iter().enumerate() {
                let x = MARGIN + col as f32 * (col_w + COLUMN_GAP);
                self.open(Role::LI);
                self.open(Role::LBody);
                // a large number, made smaller when it is wider than its column
                let full = 2.5 * b;
                let size = full.min(col_w / value_em.max(0.01)).max(1.2 * b);
                // smaller values share the baseline of the full-size ones
                let asc = self.faces.ascent(Style::Bold);
                let drop = (full - size) * asc;
                let set = Set { size, leading: 1.05, color: colors.primary };
                let h = self.tagged(Role::P, value, x, y + drop, col_w, set);
                let full_h = full * (asc + self.faces.descent(Style::Bold));
                let mut yy = y + (drop + h).max(full_h) + 0.4 * b;
                self.fill(Rect { x, y: yy, w: col_w.min(56.0), h: 2.5 }, colors.accent);
                yy += 2.5 + 0.5 * b;
                let set = Set { size: 0.9 * b, leading: 1.35, color: colors.text };
                yy += self.tagged(Role::P, label, x, yy, col_w, set);
                self.close();
                self.close();
                self.block(format!("fact-{}", row_i * cols + col + 1), Rect { x, y, w: col_w, h: yy - y });
                row_h = row_h.max(yy - y);
            }
            y += row_h + 1.2 * b;
        }
        self.close();
        y += pad - 1.2 * b;
        let rect = Rect { x: 0.0, y: band_top, w: PAGE_W, h: y - band_top };
        self.items.insert(band_start, Item::Fill { rect, color: colors.band });
        self.close();
        y + self.gap()
    }

    /// The quote beside the contact card, both at `y`; returns the height
    /// of the taller.
    fn quote_and_contact(&mut self, c: &Content, m: &Measured, y: f32) -> f32 {
        let contact_w = INNER * 0.34;
        let quote_w = if m.contact.is_some() { INNER - contact_w - 2.0 * COLUMN_GAP } else { INNER };
        let mut bottom_h: f32 = 0.0;
        if let Some((text, author)) = &m.quote {
            bottom_h = bottom_h.max(self.quote(&c.labels.quote_mark, m.mark_shift, text, author.as_ref(), y, quote_w));
        }
        if let Some((name, role, email)) = &m.contact {
            let address = c.contact.as_ref().and_then(|p| p.email.as_deref()).unwrap_or_default();
            let card = Card { label: &c.labels.contact, name, role: role.as_ref(), email: email.as_ref(), address };
            bottom_h = bottom_h.max(self.contact(card, y, contact_w));
        }
        bottom_h
    }

    /// The quote at `y` under the language's large quotation mark (moved
    /// down by `mark_shift` ems); returns its height.
    fn quote(
        &mut self,
        mark_text: &str,
        mark_shift: f32,
        text: &Paragraph,
        author: Option<&Paragraph>,
        y: f32,
        width: f32,
    ) -> f32 {
        let (b, colors) = (self.b, *self.colors);
        let mark = 3.6 * b;
        let mut yy = y;
        let shift = mark_shift * mark;
        // the large mark is decoration: the quote is tagged as one
        self.label(mark_text, MARGIN, yy - 0.12 * mark + shift, mark, Style::Bold, colors.accent);
        self.unmark_last();
        self.open(Role::BlockQuote);
        yy += 0.62 * mark;
        let set = Set { size: 1.3 * b, leading: 1.4, color: colors.primary };
        yy += self.tagged(Role::P, text, MARGIN, yy, width, set);
        if let Some(author) = author {
            let set = Set { size: 0.85 * b, leading: 1.3, color: colors.muted };
            yy += 0.8 * b + self.tagged(Role::P, author, MARGIN, yy + 0.8 * b, width, set);
        }
        self.close();
        let top = y - 0.12 * mark + shift.min(0.0);
        self.block("quote".into(), Rect { x: MARGIN, y: top, w: width, h: yy - top });
        yy - y
    }

    /// The contact card at `y`, against the right margin; returns its height.
    fn contact(&mut self, card: Card, y: f32, width: f32) -> f32 {
        let (b, colors) = (self.b, *self.colors);
        self.open(Role::Sect);
        let x = PAGE_W - MARGIN - width;
        let pad = 1.3 * b;
        let box_start = self.items.len();
        let inner_w = width - 2.0 * pad;
        let mut yy = y + pad;
        yy += self.heading(card.label, x + pad, yy, self.small()) + 0.7 * b;
        let set = Set { size: 1.2 * b, leading: 1.2, color: WHITE };
        yy += self.tagged(Role::P, card.name, x + pad, yy, inner_w, set);
        if let Some(role) = card.role {
            let set = Set { size: 0.9 * b, leading: 1.3, color: colors.light };
            yy += 0.3 * b + self.tagged(Role::P, role, x + pad, yy + 0.3 * b, inner_w, set);
        }
        if let Some(email) = card.email {
            self.open(Role::P);
            self.open_link(format!("mailto:{}", card.address));
            let set = Set { size: 0.9 * b, leading: 1.3, color: WHITE };
            let h = self.text(email, x + pad, yy + 0.8 * b, inner_w, set);
            self.close_link(Rect { x: x + pad, y: yy + 0.8 * b, w: inner_w, h });
            self.close();
            yy += 0.8 * b + h;
        }
        yy += pad;
        let rect = Rect { x, y, w: width, h: yy - y };
        self.items.insert(box_start, Item::Fill { rect, color: colors.primary });
        self.block("contact".into(), rect);
        self.close();
        yy - y
    }

    /// The footer on the bottom margin: the site's name and the case's
    /// address; returns its top.
    fn footer(&mut self, c: &Content) -> f32 {
        let colors = *self.colors;
        self.open(Role::Sect);
        let fs = (0.72 * self.b).max(7.5);
        let line_h = fs * (self.faces.ascent(Style::Regular) + self.faces.descent(Style::Regular));
        let footer_top = PAGE_H - MARGIN * 0.8 - line_h - 10.0;
        self.fill(Rect { x: MARGIN, y: footer_top, w: INNER, h: 0.75 }, colors.muted);
        let left_w = self.faces.em_width(Style::Bold, &c.footer_left) * fs;
        self.open(Role::P);
        self.label(&c.footer_left, MARGIN, footer_top + 10.0, fs, Style::Bold, colors.primary);
        self.close();
        let room = INNER - left_w - COLUMN_GAP;
        let url_em = self.faces.em_width(Style::Regular, &c.footer_right).max(0.01);
        let url_size = fs.min(room / url_em);
        let url_w = url_em * url_size;
        self.open(Role::P);
        self.open_link(c.footer_right.clone());
        self.label(&c.footer_right, PAGE_W - MARGIN - url_w, footer_top + 10.0, url_size, Style::Regular, colors.muted);
        self.close_link(Rect { x: PAGE_W - MARGIN - url_w, y: footer_top + 10.0, w: url_w, h: line_h });
        self.close();
        self.block("footer".into(), Rect { x: MARGIN, y: footer_top, w: INNER, h: 10.0 + line_h });
        self.close();
        footer_top
    }
}

/// What the contact card shows: its label, the person's measured name,
/// role and e-mail, and the address the e-mail opens.
struct Card<'p> {
    label: &'p str,
    name: &'p Paragraph,
    role: Option<&'p Paragraph>,
    email: Option<&'p Paragraph>,
    address: &'p str,
}
