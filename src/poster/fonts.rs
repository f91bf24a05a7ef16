//! The poster's fonts: real advance widths and kerning from the font files,
//! so that what the layout measures is what the PDF draws.

use std::borrow::Cow;

/// The three faces a poster uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Style {
    Regular,
    Bold,
    Italic,
}

impl Style {
    /// Every style, in the order of [`FontSet::files`].
    pub const ALL: [Style; 3] = [Style::Regular, Style::Bold, Style::Italic];

    fn index(self) -> usize {
        self as usize
    }
}

/// Characters below this code point are measured from tables built once per
/// build (all Latin scripts, punctuation, quotes, currency signs).
const TABLE_END: usize = 0x2200;

/// The metrics a layout needs, read from the font once per build so that
/// measuring a word is a few table lookups.
struct Metrics {
    upem: f32,
    ascent: f32,
    descent: f32,
    /// (glyph id, advance) per character below [`TABLE_END`]; glyph 0 is missing.
    table: Vec<(u16, u16)>,
    /// Kerning of glyph pairs (`left << 16 | right`), from the `kern` table.
    kern: std::collections::HashMap<u32, i16, std::hash::BuildHasherDefault<PairHasher>>,
}

impl Metrics {
    fn new(face: &ttf_parser::Face) -> Metrics {
        let table = (0..TABLE_END)
            .map(|c| {
                let g = char::from_u32(c as u32).and_then(|c| face.glyph_index(c)).unwrap_or(ttf_parser::GlyphId(0));
                (g.0, face.glyph_hor_advance(g).unwrap_or(0))
            })
            .collect();
        let mut kern = std::collections::HashMap::default();
        for sub in face.tables().kern.into_iter().flat_map(|k| k.subtables.into_iter()) {
            if let (true, ttf_parser::kern::Format::Format0(f0)) = (sub.horizontal && !sub.variable, &sub.format) {
                for pair in f0.pairs {
                    kern.entry(pair.pair).or_insert(pair.value);
                }
            }
        }
        let upem = f32::from(face.units_per_em());
        Metrics {
            upem,
            ascent: f32::from(face.ascender()) / upem,
            descent: -f32::from(face.descender()) / upem,
            table,
            kern,
        }
    }
}

/// A hasher for glyph pairs, which are already well spread `u32`s: the
/// default SipHash took a tenth of a poster's time.
#[derive(Default)]
struct PairHasher(u64);

impl std::hash::Hasher for PairHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8 | u64::from(*b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_u32(&mut self, v: u32) {
        self.0 = u64::from(v).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// One font file, parsed for the PDF and measured once per build.
pub struct FontFile {
    /// The theme path, for messages.
    pub name: String,
    pub bytes: Cow<'static, [u8]>,
    parsed: printpdf::ParsedFont,
    metrics: Metrics,
}

impl FontFile {
    /// Checks that the bytes are a font both ttf-parser and printpdf can use.
    pub fn new(name: &str, bytes: Cow<'static, [u8]>) -> Result<FontFile, String> {
        let face = ttf_parser::Face::parse(&bytes, 0)
            .map_err(|e| format!("`{name}` is not a TrueType or OpenType font: {e}"))?;
        let metrics = Metrics::new(&face);
        let mut warnings = Vec::new();
        let parsed = printpdf::ParsedFont::from_bytes(&bytes, 0, &mut warnings)
            .ok_or_else(|| format!("`{name}` cannot be embedded in a PDF"))?;
        Ok(FontFile { name: name.to_string(), bytes, parsed, metrics })
    }

    /// Glyph id and advance of a character, if the font has it.
    fn glyph(&self, c: char) -> Option<(u16, u16)> {
        match self.metrics.table.get(c as usize) {
            Some(&(g, adv)) => (g != 0).then_some((g, adv)),
            None => {
                // outside the table (rare): ask the font itself
                let face = ttf_parser::Face::parse(&self.bytes, 0).ok()?;
                let g = face.glyph_index(c)?;
                Some((g.0, face.glyph_hor_advance(g).unwrap_or(0)))
            }
        }
    }

    fn kern(&self, left: u16, right: u16) -> i16 {
        if self.metrics.kern.is_empty() {
            return 0;
        }
        self.metrics.kern.get(&(u32::from(left) << 16 | u32::from(right))).copied().unwrap_or(0)
    }
}

/// The regular, bold and italic font files of a poster style.
pub struct FontSet {
    pub files: [FontFile; 3],
}

impl FontSet {
    /// The font file of a style.
    pub fn file(&self, style: Style) -> &FontFile {
        &self.files[style.index()]
    }
}

/// Characters every build's embedded fonts hold, whatever its posters use:
/// Latin-1, Latin Extended-A, general punctuation and the euro sign. A
/// stable set keeps the fonts, and so the cached posters, the same from one
/// build to the next; other characters the posters use are added.
fn base_chars() -> impl Iterator<Item = char> {
    (0x20u32..0x7F).filter_map(char::from_u32)
}

/// A font as embedded in every poster of a build: subset once to the
/// characters the build needs, its PDF stream compressed once.
pub struct Embedded {
    pub parsed: printpdf::ParsedFont,
    /// The subset font program, as printpdf will write it.
    raw: Vec<u8>,
    /// `raw` deflated, put in place of printpdf's copy in each poster.
    pub packed: Vec<u8>,
    /// The subset tag (`ABCDEF+`) of the font's PDF name.
    pub tag: String,
}

impl Embedded {
    /// The font's PostScript name, as printpdf writes it in the PDF.
    pub fn parsed_name(&self) -> Option<&str> {
        self.parsed.font_name.as_deref()
    }

    /// Whether a PDF stream holds this font program.
    pub fn is(&self, content: &[u8]) -> bool {
        content.len() == self.raw.len() && content == self.raw.as_slice()
    }
}

/// The three embedded fonts of a build, and a hash of them for cache keys.
pub struct EmbedSet {
    pub fonts: [Embedded; 3],
    pub fingerprint: u64,
}

impl FontSet {
    /// Subsets the fonts to the base set plus `extra` characters.
    pub fn embed(&self, extra: &std::collections::BTreeSet<char>, level: u32) -> Result<EmbedSet, String> {
        let chars: std::collections::BTreeSet<char> = base_chars().chain(extra.iter().copied()).collect();
        let mut fingerprint = 0u64;
        let mut out = Vec::new();
        for style in Style::ALL {
            let file = self.file(style);
            let glyphs: std::collections::BTreeMap<u16, String> =
                chars.iter().filter_map(|&c| Some((file.glyph(c)?.0, c.to_string()))).collect();
            let subset = printpdf::subset_font(&file.parsed, &glyphs).map_err(|e| format!("{}: {e}", file.name))?;
            let mut warnings = Vec::new();
            let parsed = printpdf::ParsedFont::from_bytes(&subset.bytes, 0, &mut warnings)
                .ok_or_else(|| format!("{}: the subset font cannot be read back", file.name))?;
            let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(level));
            std::io::Write::write_all(&mut z, &subset.bytes).map_err(|e| e.to_string())?;
            let packed = z.finish().map_err(|e| e.to_string())?;
            let h = super::hash::Fnv::of(&subset.bytes);
            fingerprint = fingerprint.rotate_left(21) ^ h;
            let tag = super::hash::tag(h);
            out.push(Embedded { parsed, raw: subset.bytes, packed, tag });
        }
        let fonts: [Embedded; 3] = out.try_into().map_err(|_| "three fonts".to_string())?;
        Ok(EmbedSet { fonts, fingerprint })
    }
}

/// Measuring with a [`FontSet`]: widths in ems, with kerning, exactly as the
/// PDF will draw them.
pub struct Faces<'a> {
    set: &'a FontSet,
}

impl<'a> Faces<'a> {
    /// Measuring with the build's fonts (their tables are built already).
    pub fn new(set: &'a FontSet) -> Faces<'a> {
        Faces { set }
    }

    /// Whether the face has a glyph for the character.
    pub fn has(&self, style: Style, c: char) -> bool {
        c == ' ' || self.set.file(style).glyph(c).is_some()
    }

    /// Width of a text in ems (multiply by the size in points), kerning included.
    pub fn em_width(&self, style: Style, text: &str) -> f32 {
        let file = self.set.file(style);
        let (mut units, mut prev) = (0i32, None);
        for c in text.chars() {
            let (g, adv) = file.glyph(c).unwrap_or((0, 0));
            units += i32::from(adv);
            if let Some(p) = prev {
                units += i32::from(file.kern(p, g));
            }
            // no kerning across a space: words are measured on their own
            prev = (c != ' ').then_some(g);
        }
        units as f32 / file.metrics.upem
    }

    /// The text cut into runs with the kerning between them, in thousandths
    /// of an em as PDF text arrays want it (positive moves left).
    pub fn kerned(&self, style: Style, text: &str) -> Vec<printpdf::TextItem> {
        let file = self.set.file(style);
        let (mut items, mut run, mut prev) = (Vec::new(), String::new(), None);
        for c in text.chars() {
            let g = file.glyph(c).map_or(0, |(g, _)| g);
            if let Some(p) = prev {
                let k = file.kern(p, g);
                if k != 0 {
                    items.push(printpdf::TextItem::Text(std::mem::take(&mut run)));
                    items.push(printpdf::TextItem::Offset(-f32::from(k) * 1000.0 / file.metrics.upem));
                }
            }
            run.push(c);
            prev = (c != ' ').then_some(g);
        }
        items.push(printpdf::TextItem::Text(run));
        items
    }

    /// Height above the baseline of capitals and ascenders, in ems.
    pub fn ascent(&self, style: Style) -> f32 {
        self.set.file(style).metrics.ascent
    }

    /// Depth below the baseline, in ems (positive).
    pub fn descent(&self, style: Style) -> f32 {
        self.set.file(style).metrics.descent
    }
}
