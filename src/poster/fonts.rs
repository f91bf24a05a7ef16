//! The poster's fonts: real advance widths and kerning from the font files,
//! so that what the layout measures is what the PDF draws.

use std::borrow::Cow;
use std::sync::Arc;

/// The three faces a poster uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Style {
    Regular,
    Bold,
    Italic,
}

impl Style {
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
    kern: std::collections::HashMap<u32, i16>,
}

impl Metrics {
    fn new(face: &ttf_parser::Face) -> Metrics {
        let table = (0..TABLE_END)
            .map(|c| {
                let g = char::from_u32(c as u32).and_then(|c| face.glyph_index(c)).unwrap_or(ttf_parser::GlyphId(0));
                (g.0, face.glyph_hor_advance(g).unwrap_or(0))
            })
            .collect();
        let mut kern = std::collections::HashMap::new();
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

/// One font file, parsed for the PDF and measured once per build.
pub struct FontFile {
    /// The theme path, for messages.
    pub name: String,
    pub bytes: Cow<'static, [u8]>,
    pub parsed: Arc<printpdf::ParsedFont>,
    metrics: Metrics,
}

impl FontFile {
    /// Checks that the bytes are a font both ttf-parser and printpdf can use.
    pub fn new(name: &str, bytes: Cow<'static, [u8]>) -> Result<FontFile, String> {
        let face =
            ttf_parser::Face::parse(&bytes, 0).map_err(|e| format!("`{name}` is not a TrueType or OpenType font: {e}"))?;
        let metrics = Metrics::new(&face);
        let mut warnings = Vec::new();
        let parsed = printpdf::ParsedFont::from_bytes(&bytes, 0, &mut warnings)
            .ok_or_else(|| format!("`{name}` cannot be embedded in a PDF"))?;
        Ok(FontFile { name: name.to_string(), bytes, parsed: Arc::new(parsed), metrics })
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
    pub fn file(&self, style: Style) -> &FontFile {
        &self.files[style.index()]
    }
}

/// Measuring with a [`FontSet`]: widths in ems, with kerning, exactly as the
/// PDF will draw them.
pub struct Faces<'a> {
    set: &'a FontSet,
}

impl<'a> Faces<'a> {
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
            prev = Some(g);
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
            prev = Some(g);
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
