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
    kern: std::collections::HashMap<u32, i16, std::hash::BuildHasherDefault<crate::cache::hash::Mix>>,
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

/// One font file, parsed for the PDF and measured once per build.
pub struct FontFile {
    /// The theme path, for messages.
    pub name: String,
    pub bytes: Cow<'static, [u8]>,
    metrics: Metrics,
}

impl FontFile {
    /// Checks that the bytes are a font both ttf-parser and printpdf can use.
    pub fn new(name: &str, bytes: Cow<'static, [u8]>) -> Result<FontFile, String> {
        let face = ttf_parser::Face::parse(&bytes, 0)
            .map_err(|e| format!("`{name}` is not a TrueType or OpenType font: {e}"))?;
        let metrics = Metrics::new(&face);
        let mut warnings = Vec::new();
        printpdf::ParsedFont::from_bytes(&bytes, 0, &mut warnings)
            .ok_or_else(|| format!("`{name}` cannot be embedded in a PDF"))?;
        Ok(FontFile { name: name.to_string(), bytes, metrics })
    }

    /// The font's PostScript name (its `name` table's ID 6).
    fn postscript_name(&self) -> Option<String> {
        let face = ttf_parser::Face::parse(&self.bytes, 0).ok()?;
        face.names()
            .into_iter()
            .filter(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
            .find_map(|n| n.to_string())
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
    /// Per character below [`TABLE_END`]: whether all three faces have it.
    in_all: Vec<bool>,
}

impl FontSet {
    /// The set of three faces, regular, bold and italic.
    pub fn new(files: [FontFile; 3]) -> FontSet {
        let in_all =
            (0..TABLE_END).map(|c| files.iter().all(|f| f.metrics.table[c].0 != 0 || c == usize::from(b' '))).collect();
        FontSet { files, in_all }
    }

    /// Whether all three faces have a glyph for the character.
    pub fn has(&self, c: char) -> bool {
        match self.in_all.get(c as usize) {
            Some(&has) => has,
            None => self.files.iter().all(|f| f.glyph(c).is_some()),
        }
    }

    /// The font file of a style.
    pub fn file(&self, style: Style) -> &FontFile {
        &self.files[style.index()]
    }
}

/// Whether `c` is one of the characters every poster's fonts hold: ASCII,
/// Latin-1, the French Œ œ Ÿ, general punctuation (quotes, dashes, the
/// narrow no-break space) and the euro sign. Subsetting to a set that does
/// not depend on the content keeps each poster independent of the others
/// (its cache key is its own inputs); the rare poster with other characters
/// gets fonts subset for it alone.
pub fn in_base(c: char) -> bool {
    matches!(c as u32, 0x20..=0x7E | 0xA0..=0xFF | 0x152 | 0x153 | 0x178 | 0x2010..=0x2027 | 0x202F..=0x203A | 0x20AC)
}

/// A font as embedded in posters: subset and stripped of its hinting.
pub struct Embedded {
    /// The subset font, for printpdf.
    pub parsed: printpdf::ParsedFont,
    /// The subset tag (`ABCDEF+`) of the font's PDF name.
    pub tag: String,
    /// The code on the page of each glyph of the whole font (0: not in the
    /// subset): the subset's glyph id, or a CID-keyed CFF font's CID.
    gids: Vec<u16>,
}

impl Embedded {
    /// The font's PostScript name, as printpdf writes it in the PDF.
    pub fn parsed_name(&self) -> Option<&str> {
        self.parsed.font_name.as_deref()
    }
}

/// The three embedded fonts of a set of posters, the characters they hold,
/// and a hash of them.
pub struct EmbedSet {
    pub fonts: [Embedded; 3],
    pub chars: std::collections::BTreeSet<char>,
    pub fingerprint: u64,
}

impl FontSet {
    /// Subsets the fonts to the base set plus `extra` characters, without
    /// hinting (a printed poster needs none; it is two fifths of the bytes).
    pub fn embed(&self, extra: &std::collections::BTreeSet<char>) -> Result<EmbedSet, String> {
        let base = (0x20..0x2040).chain([0x20AC]).filter_map(char::from_u32).filter(|&c| in_base(c));
        let chars: std::collections::BTreeSet<char> = base.chain(extra.iter().copied()).collect();
        let mut fingerprint = 0u64;
        let mut out = Vec::new();
        for style in Style::ALL {
            let file = self.file(style);
            let glyphs: std::collections::BTreeMap<u16, String> =
                chars.iter().filter_map(|&c| Some((file.glyph(c)?.0, c.to_string()))).collect();
            let subset = subset(&file.bytes, &glyphs).map_err(|e| format!("{}: {e}", file.name))?;
            let bytes = dehint(&subset.bytes).map_err(|e| format!("{}: {e}", file.name))?;
            let mut warnings = Vec::new();
            let mut parsed = printpdf::ParsedFont::from_bytes(&bytes, 0, &mut warnings)
                .ok_or_else(|| format!("{}: the subset font cannot be read back", file.name))?;
            // the subset keeps no name table: the PDF names the font by the whole font's name
            parsed.font_name = file.postscript_name();
            // the codes of the page: glyph ids, but a CID-keyed CFF font's own CIDs
            let cids = printpdf::cff_charset_gid_to_cid_map(&bytes, 0);
            let len = subset.glyph_mapping.keys().next_back().map_or(0, |&g| usize::from(g) + 1);
            let mut gids = vec![0u16; len];
            for (&old, &(new, _)) in &subset.glyph_mapping {
                if let Some(g) = gids.get_mut(usize::from(old)) {
                    *g = cids.as_ref().and_then(|m| m.get(&new).copied()).unwrap_or(new);
                }
            }
            let h = crate::cache::hash::Fnv::of(&bytes);
            fingerprint = fingerprint.rotate_left(21) ^ h;
            let tag = crate::cache::hash::tag(h);
            out.push(Embedded { parsed, tag, gids });
        }
        let fonts: [Embedded; 3] = out.try_into().map_err(|_| "three fonts".to_string())?;
        Ok(EmbedSet { fonts, chars, fingerprint })
    }
}

/// A font cut down to some of its glyphs (and their components).
struct Subset {
    bytes: Vec<u8>,
    /// Each glyph asked for: its id in the subset, and its text.
    glyph_mapping: std::collections::BTreeMap<u16, (u16, String)>,
}

/// The subset of `font` holding `glyphs` (id → text), with `.notdef`
/// first: allsorts numbers the glyphs asked for by their place in the
/// list it is given, so glyph `ids[i]` becomes `i`.
fn subset(font: &[u8], glyphs: &std::collections::BTreeMap<u16, String>) -> Result<Subset, String> {
    use allsorts::binary::read::ReadScope;
    use allsorts::font_data::FontData;
    use allsorts::subset::{CmapTarget, SubsetProfile};
    let file = ReadScope::new(font).read::<FontData<'_>>().map_err(|e| e.to_string())?;
    let provider = file.table_provider(0).map_err(|e| e.to_string())?;
    let ids: Vec<u16> = std::iter::once(0).chain(glyphs.keys().copied().filter(|&g| g != 0)).collect();
    let bytes = allsorts::subset::subset(&provider, &ids, &SubsetProfile::Pdf, CmapTarget::Unicode)
        .map_err(|e| e.to_string())?;
    let glyph_mapping = ids
        .iter()
        .enumerate()
        .filter_map(|(new, old)| glyphs.get(old).map(|text| (*old, (new as u16, text.clone()))))
        .collect();
    Ok(Subset { bytes, glyph_mapping })
}

/// The TrueType font without its hinting: the `cvt `, `fpgm` and `prep`
/// tables and every glyph's instructions, which only help rasterise small
/// text on screens. A font with CFF outlines is kept as it is.
fn dehint(font: &[u8]) -> Result<Vec<u8>, allsorts::error::ReadWriteError> {
    use allsorts::binary::read::ReadScope;
    use allsorts::binary::write::{WriteBinaryDep, WriteBuffer};
    use allsorts::font_data::FontData;
    use allsorts::tables::glyf::{CompositeGlyphFlag, GlyfRecord, GlyfTable, Glyph};
    use allsorts::tables::loca::{LocaTable, owned};
    use allsorts::tables::{FontTableProvider, HeadTable, MaxpTable};
    use allsorts::tag;

    /// The font's tables, with `glyf` and `loca` replaced.
    struct Dehinted<'a, P> {
        font: &'a P,
        glyf: Vec<u8>,
        loca: Vec<u8>,
    }

    impl<P: FontTableProvider> FontTableProvider for Dehinted<'_, P> {
        fn table_data(&self, t: u32) -> Result<Option<std::borrow::Cow<'_, [u8]>>, allsorts::error::ParseError> {
            match t {
                tag::GLYF => Ok(Some(std::borrow::Cow::Borrowed(&self.glyf))),
                tag::LOCA => Ok(Some(std::borrow::Cow::Borrowed(&self.loca))),
                _ => self.font.table_data(t),
            }
        }
        fn has_table(&self, t: u32) -> bool {
            self.font.has_table(t)
        }
        fn table_tags(&self) -> Option<Vec<u32>> {
            self.font.table_tags()
        }
    }

    let data = ReadScope::new(font).read::<FontData<'_>>()?;
    let provider = data.table_provider(0)?;
    if !provider.has_table(tag::GLYF) {
        // CFF outlines (an `.otf`): their hints are part of the outlines
        return Ok(font.to_vec());
    }
    let head = ReadScope::new(&provider.read_table_data(tag::HEAD)?).read::<HeadTable>()?;
    let maxp = ReadScope::new(&provider.read_table_data(tag::MAXP)?).read::<MaxpTable>()?;
    let loca_data = provider.read_table_data(tag::LOCA)?;
    let loca = ReadScope::new(&loca_data).read_dep::<LocaTable<'_>>((maxp.num_glyphs, head.index_to_loc_format))?;
    let glyf_data = provider.read_table_data(tag::GLYF)?;
    let mut glyf = ReadScope::new(&glyf_data).read_dep::<GlyfTable<'_>>(&loca)?;
    for record in glyf.records_mut() {
        record.parse()?;
        match record {
            GlyfRecord::Parsed(Glyph::Simple(g)) => g.instructions = Box::default(),
            GlyfRecord::Parsed(Glyph::Composite(g)) => {
                g.instructions = Box::default();
                g.glyphs.iter_mut().for_each(|c| c.flags.remove(CompositeGlyphFlag::WE_HAVE_INSTRUCTIONS));
            }
            _ => {}
        }
    }
    let mut glyf_out = WriteBuffer::new();
    let new_loca = GlyfTable::write_dep(&mut glyf_out, glyf, head.index_to_loc_format)?;
    let mut loca_out = WriteBuffer::new();
    owned::LocaTable::write_dep(&mut loca_out, new_loca, head.index_to_loc_format)?;
    let dehinted = Dehinted { font: &provider, glyf: glyf_out.into_inner(), loca: loca_out.into_inner() };
    let hinting = [tag::CVT, tag::FPGM, tag::PREP];
    let tags: Vec<u32> =
        provider.table_tags().unwrap_or_default().into_iter().filter(|t| !hinting.contains(t)).collect();
    allsorts::subset::whole_font(&dehinted, &tags)
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

    /// Whether all three faces have a glyph for the character.
    pub fn has(&self, c: char) -> bool {
        self.set.has(c)
    }

    /// Whether all three faces have every printable ASCII character.
    pub fn has_printable_ascii(&self) -> bool {
        self.set.in_all[0x20..0x7F].iter().all(|&has| has)
    }

    /// The characters of `chars` a face has, one per glyph (the first: the
    /// hyphen, not the non-breaking hyphen drawn the same), so that text
    /// copied from a PDF gives the characters one would expect.
    pub fn one_per_glyph(&self, style: Style, chars: impl Iterator<Item = char>) -> String {
        let file = self.set.file(style);
        let mut seen = std::collections::HashSet::new();
        chars.filter(|&c| file.glyph(c).is_some_and(|(g, _)| seen.insert(g))).collect()
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

    /// Each glyph of the text with its distance from the start in ems,
    /// kerning included, as [`Faces::em_width`] measures them: where a
    /// picture of the layout draws it.
    pub fn place(&self, style: Style, text: &str, mut f: impl FnMut(u16, f32)) {
        let file = self.set.file(style);
        let (mut units, mut prev) = (0i32, None);
        for c in text.chars() {
            let (g, adv) = file.glyph(c).unwrap_or((0, 0));
            if let Some(p) = prev {
                units += i32::from(file.kern(p, g));
            }
            f(g, units as f32 / file.metrics.upem);
            units += i32::from(adv);
            prev = (c != ' ').then_some(g);
        }
    }

    /// The font of a style, to draw its glyphs' outlines.
    pub fn face(&self, style: Style) -> Option<ttf_parser::Face<'a>> {
        ttf_parser::Face::parse(&self.set.file(style).bytes, 0).ok()
    }

    /// The text as runs of the subset's glyph ids (two bytes each, as an
    /// Identity-H font wants them), each run followed by the kerning to the
    /// next in whole thousandths of an em as PDF text arrays want it
    /// (positive moves left; 0 after the last run). Rounding moves a glyph
    /// by a hundredth of a point at most.
    pub fn glyph_runs(&self, style: Style, text: &str, subset: &Embedded) -> Vec<(Vec<u8>, i32)> {
        let file = self.set.file(style);
        let mut runs = vec![(Vec::with_capacity(text.len() * 2), 0)];
        let mut prev = None;
        for c in text.chars() {
            let g = file.glyph(c).map_or(0, |(g, _)| g);
            let kern = prev.map_or(0, |p| (-f32::from(file.kern(p, g)) * 1000.0 / file.metrics.upem).round() as i32);
            if kern != 0 {
                runs.last_mut().expect("one run at least").1 = kern;
                runs.push((Vec::with_capacity(text.len()), 0));
            }
            let id = subset.gids.get(usize::from(g)).copied().unwrap_or(0);
            runs.last_mut().expect("one run at least").0.extend(id.to_be_bytes());
            prev = (c != ' ').then_some(g);
        }
        runs
    }

    /// The middle of a character's ink, in ems above the baseline: where a
    /// quotation mark sits (“ high, „ low, « in between), to place any
    /// language's mark where the layout wants it.
    pub fn ink_middle(&self, style: Style, c: char) -> Option<f32> {
        let file = self.set.file(style);
        let face = ttf_parser::Face::parse(&file.bytes, 0).ok()?;
        let bbox = face.glyph_bounding_box(face.glyph_index(c)?)?;
        Some(f32::from(bbox.y_min + bbox.y_max) / 2.0 / file.metrics.upem)
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
