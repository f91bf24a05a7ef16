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

/// One font file, parsed for the PDF once per build.
pub struct FontFile {
    /// The theme path, for messages.
    pub name: String,
    pub bytes: Cow<'static, [u8]>,
    pub parsed: Arc<printpdf::ParsedFont>,
}

impl FontFile {
    /// Checks that the bytes are a font both ttf-parser and printpdf can use.
    pub fn new(name: &str, bytes: Cow<'static, [u8]>) -> Result<FontFile, String> {
        ttf_parser::Face::parse(&bytes, 0).map_err(|e| format!("`{name}` is not a TrueType or OpenType font: {e}"))?;
        let mut warnings = Vec::new();
        let parsed = printpdf::ParsedFont::from_bytes(&bytes, 0, &mut warnings)
            .ok_or_else(|| format!("`{name}` cannot be embedded in a PDF"))?;
        Ok(FontFile { name: name.to_string(), bytes, parsed: Arc::new(parsed) })
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

/// Parsed faces for measuring, borrowed from a [`FontSet`] for one poster.
pub struct Faces<'a> {
    faces: [ttf_parser::Face<'a>; 3],
    upem: [f32; 3],
}

impl<'a> Faces<'a> {
    pub fn new(set: &'a FontSet) -> Faces<'a> {
        let parse =
            |s: Style| ttf_parser::Face::parse(&set.file(s).bytes, 0).expect("checked when the theme was loaded");
        let faces = [parse(Style::Regular), parse(Style::Bold), parse(Style::Italic)];
        let upem = [0, 1, 2].map(|i| faces[i].units_per_em() as f32);
        Faces { faces, upem }
    }

    /// Whether the face has a glyph for the character.
    pub fn has(&self, style: Style, c: char) -> bool {
        c == ' ' || self.faces[style.index()].glyph_index(c).is_some()
    }

    fn kern(&self, face: &ttf_parser::Face, left: ttf_parser::GlyphId, right: ttf_parser::GlyphId) -> i16 {
        face.tables()
            .kern
            .and_then(|k| k.subtables.into_iter().filter(|t| t.horizontal).find_map(|t| t.glyphs_kerning(left, right)))
            .unwrap_or(0)
    }

    /// Width of a text in ems (multiply by the size in points), kerning included.
    pub fn em_width(&self, style: Style, text: &str) -> f32 {
        let face = &self.faces[style.index()];
        let (mut units, mut prev) = (0i32, None);
        for c in text.chars() {
            let g = face.glyph_index(c).unwrap_or(ttf_parser::GlyphId(0));
            units += i32::from(face.glyph_hor_advance(g).unwrap_or(0));
            if let Some(p) = prev {
                units += i32::from(self.kern(face, p, g));
            }
            prev = Some(g);
        }
        units as f32 / self.upem[style.index()]
    }

    /// The text cut into runs with the kerning between them, in thousandths
    /// of an em as PDF text arrays want it (positive moves left).
    pub fn kerned(&self, style: Style, text: &str) -> Vec<printpdf::TextItem> {
        let face = &self.faces[style.index()];
        let upem = self.upem[style.index()];
        let (mut items, mut run, mut prev) = (Vec::new(), String::new(), None);
        for c in text.chars() {
            let g = face.glyph_index(c).unwrap_or(ttf_parser::GlyphId(0));
            if let Some(p) = prev {
                let k = self.kern(face, p, g);
                if k != 0 {
                    items.push(printpdf::TextItem::Text(std::mem::take(&mut run)));
                    items.push(printpdf::TextItem::Offset(-f32::from(k) * 1000.0 / upem));
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
        f32::from(self.faces[style.index()].ascender()) / self.upem[style.index()]
    }

    /// Depth below the baseline, in ems (positive).
    pub fn descent(&self, style: Style) -> f32 {
        -f32::from(self.faces[style.index()].descender()) / self.upem[style.index()]
    }
}
