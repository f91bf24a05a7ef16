//! The thin PDF layer: printpdf makes the document (its information, page
//! and fonts), the placed items become the page's operators, and lopdf sets
//! the language and writes it.
//!
//! The fonts are the same in almost every poster, so printpdf turns them
//! into PDF objects once ([`FontObjects`]) and each poster gets a copy of
//! those objects: a poster's own work is its page and its metadata.

use super::fonts::{EmbedSet, Faces, Style};
use super::hash::Fnv;
use super::layout::{Item, PAGE_H, Placed, Rgb};
use lopdf::{Object, ObjectId};
use printpdf::{FontId, Mm, Op, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Pt, TextItem};
use std::hash::Hasher;

/// The document information of a poster.
pub struct Meta<'a> {
    pub title: &'a str,
    pub author: &'a str,
    pub subject: &'a str,
    pub keywords: &'a [String],
    /// BCP 47 language tag, written as the catalog's `/Lang`.
    pub lang: &'a str,
    /// Creation date in seconds since 1970: `SOURCE_DATE_EPOCH`, else the
    /// case's date (not the time of the build, which keeps the bytes
    /// reproducible); none leaves printpdf's default.
    pub epoch: Option<i64>,
}

/// Deflate level of a poster's page. Level 1 takes half the time of level 6
/// for a page 9 % larger.
pub const FLATE_LEVEL: u32 = 1;

/// The fonts' resource names in the page (not names printpdf reads as its
/// built-in fonts `F1`…`F14`).
const RESOURCE: [&str; 3] = ["FR", "FB", "FI"];

/// Deflate state kept from one stream to the next: setting one up clears a
/// few hundred kilobytes, more work than packing a poster's page. A pool,
/// so that each thread takes one of its own.
pub struct Deflaters {
    level: u32,
    pool: std::sync::Mutex<Vec<flate2::Compress>>,
}

impl Deflaters {
    /// Deflaters at a level from 1 (fast) to 9 (small).
    pub fn new(level: u32) -> Deflaters {
        Deflaters { level, pool: std::sync::Mutex::default() }
    }

    fn deflate(&self, bytes: &[u8]) -> Result<Vec<u8>, String> {
        use flate2::{Compress, Compression, FlushCompress, Status};
        let taken = self.pool.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let mut z = taken.unwrap_or_else(|| Compress::new(Compression::new(self.level), true));
        let mut out = Vec::with_capacity(bytes.len() / 2 + 64);
        loop {
            let done = usize::try_from(z.total_in()).unwrap_or(bytes.len()).min(bytes.len());
            match z.compress_vec(&bytes[done..], &mut out, FlushCompress::Finish) {
                Ok(Status::StreamEnd) => break,
                Ok(_) => out.reserve(out.capacity().max(1024)),
                Err(e) => return Err(format!("deflating a stream: {e}")),
            }
        }
        z.reset();
        self.pool.lock().unwrap_or_else(|e| e.into_inner()).push(z);
        Ok(out)
    }
}

/// The three fonts of a set of posters as PDF objects, numbered from 1:
/// per style, its objects and the number of its font dictionary.
pub struct FontObjects {
    styles: [(Vec<(u32, Object)>, u32); 3],
    /// The highest object number used.
    last: u32,
    /// The fonts the objects are made of, for the glyph ids of the text.
    pub embed: EmbedSet,
}

impl FontObjects {
    /// Has printpdf write the fonts (program, widths, ToUnicode map,
    /// descriptor) once, each with every character of the subset, and packs
    /// their streams at `level`.
    pub fn new(embed: EmbedSet, faces: &Faces, level: u32) -> Result<FontObjects, String> {
        let mut doc = PdfDocument::new("fonts");
        let mut ops = vec![Op::StartTextSection];
        for style in Style::ALL {
            let id = FontId(RESOURCE[style as usize].to_string());
            let font = printpdf::PdfFont::new(embed.fonts[style as usize].parsed.clone());
            doc.resources.fonts.map.insert(id.clone(), font);
            let all = faces.one_per_glyph(style, embed.chars.iter().copied());
            ops.push(Op::SetFont { font: PdfFontHandle::External(id), size: Pt(10.0) });
            ops.push(Op::ShowText { items: vec![TextItem::Text(all)] });
        }
        ops.push(Op::EndTextSection);
        doc.with_pages(vec![PdfPage::new(Mm(297.0), Mm(420.0), ops)]);
        let opts = PdfSaveOptions { subset_fonts: false, ..Default::default() };
        let mut lo = doc.to_lopdf_document(&opts, &mut Vec::new());
        let dict = font_dict(&mut lo)?.clone();
        let deflaters = Deflaters::new(level);
        let mut styles: [(Vec<(u32, Object)>, u32); 3] = Default::default();
        for style in Style::ALL {
            let root = dict.get(RESOURCE[style as usize].as_bytes()).and_then(Object::as_reference);
            let root = root.map_err(|e| format!("font {}: {e}", RESOURCE[style as usize]))?;
            let font = &embed.fonts[style as usize];
            let mut objects = Vec::new();
            for id in reachable(&lo, root) {
                let mut obj = lo.get_object(id).map_err(|e| e.to_string())?.clone();
                match &mut obj {
                    // the font program and its ToUnicode map
                    Object::Stream(s) => {
                        let packed = deflaters.deflate(&s.content)?;
                        s.dict.set("Filter", "FlateDecode");
                        s.set_content(packed);
                    }
                    other => tag_names(other, font),
                }
                objects.push((id.0, obj));
            }
            styles[style as usize] = (objects, root.0);
        }
        let last = styles.iter().flat_map(|(o, _)| o.iter().map(|(id, _)| *id)).max().unwrap_or(0);
        Ok(FontObjects { styles, last, embed })
    }

    /// A hash of the fonts, for cache keys.
    pub fn fingerprint(&self) -> u64 {
        self.embed.fingerprint
    }

    /// Copies the fonts of the `used` styles into a poster made without
    /// them, and names them in its page's resources.
    fn add_to(&self, lo: &mut lopdf::Document, used: [bool; 3]) -> Result<(), String> {
        lo.renumber_objects_with(self.last + 1);
        let mut names = lopdf::Dictionary::new();
        for (style, (objects, root)) in self.styles.iter().enumerate() {
            if !used[style] {
                continue;
            }
            for (id, obj) in objects {
                lo.objects.insert((*id, 0), obj.clone());
            }
            names.set(RESOURCE[style], Object::Reference((*root, 0)));
        }
        *font_dict(lo)? = names;
        Ok(())
    }
}

/// The font dictionary of the (only) page's resources.
fn font_dict(lo: &mut lopdf::Document) -> Result<&mut lopdf::Dictionary, String> {
    let page = lo.page_iter().next().ok_or("the PDF has no page")?;
    let resources = lo.get_dictionary(page).and_then(|p| p.get(b"Resources")).and_then(Object::as_reference);
    let fonts =
        resources.and_then(|r| lo.get_dictionary(r)).and_then(|r| r.get(b"Font")).and_then(Object::as_reference);
    let fonts = fonts.map_err(|e| format!("page fonts: {e}"))?;
    lo.get_dictionary_mut(fonts).map_err(|e| format!("page fonts: {e}"))
}

/// The objects `root` refers to, directly or not, itself included.
fn reachable(lo: &lopdf::Document, root: ObjectId) -> Vec<ObjectId> {
    fn refs(obj: &Object, out: &mut Vec<ObjectId>) {
        match obj {
            Object::Reference(id) => out.push(*id),
            Object::Array(a) => a.iter().for_each(|o| refs(o, out)),
            Object::Dictionary(d) => d.iter().for_each(|(_, o)| refs(o, out)),
            Object::Stream(s) => s.dict.iter().for_each(|(_, o)| refs(o, out)),
            _ => {}
        }
    }
    let (mut seen, mut todo) = (Vec::new(), vec![root]);
    while let Some(id) = todo.pop() {
        if !seen.contains(&id)
            && let Ok(obj) = lo.get_object(id)
        {
            seen.push(id);
            refs(obj, &mut todo);
        }
    }
    seen.sort_unstable();
    seen
}

/// The fonts are subsets: say so in their names (`ABCDEF+Name`), in the
/// font dictionaries and descriptor alike.
fn tag_names(obj: &mut Object, font: &super::fonts::Embedded) {
    match obj {
        Object::Dictionary(dict) => {
            for key in [&b"BaseFont"[..], b"FontName"] {
                if let Ok(name) = dict.get(key).and_then(|n| n.as_name())
                    && !name.contains(&b'+')
                    && font.parsed_name().is_some_and(|n| name.ends_with(n.as_bytes()))
                {
                    let tagged = [font.tag.as_bytes(), b"+", name].concat();
                    dict.set(key, Object::Name(tagged));
                }
            }
            dict.iter_mut().for_each(|(_, o)| tag_names(o, font));
        }
        Object::Array(items) => items.iter_mut().for_each(|o| tag_names(o, font)),
        _ => {}
    }
}

/// The page's operators. printpdf's own encoder writes every glyph as a
/// hex string of its own, one formatted byte at a time, which was most of a
/// poster's time; here each run of text is one string, encoded by lopdf.
fn page(placed: &Placed, fonts: &FontObjects, faces: &Faces, used: &mut [bool; 3]) -> Result<Vec<u8>, String> {
    use lopdf::content::{Content, Operation};
    let rgb = |c: Rgb| vec![Object::Real(c.0), Object::Real(c.1), Object::Real(c.2)];
    let mut ops = Vec::with_capacity(placed.items.len() * 6);
    for item in &placed.items {
        match item {
            Item::Fill { rect, color } => {
                let (x, y, w, h) = (rect.x, PAGE_H - rect.y - rect.h, rect.w, rect.h);
                ops.push(Operation::new("rg", rgb(*color)));
                ops.push(Operation::new("re", vec![x.into(), y.into(), w.into(), h.into()]));
                ops.push(Operation::new("f", Vec::new()));
            }
            Item::Text { x, baseline, size, style, color, text, .. } => {
                let s = *style as usize;
                used[s] = true;
                let runs = faces.glyph_runs(*style, text, &fonts.embed.fonts[s]);
                let mut array = Vec::with_capacity(runs.len() * 2);
                for (glyphs, kern) in runs {
                    array.push(Object::String(glyphs, lopdf::StringFormat::Literal));
                    if kern != 0 {
                        array.push(Object::Integer(kern.into()));
                    }
                }
                let at = vec![1.into(), 0.into(), 0.into(), 1.into(), (*x).into(), (PAGE_H - baseline).into()];
                ops.extend([
                    Operation::new("BT", Vec::new()),
                    Operation::new("Tf", vec![Object::Name(RESOURCE[s].into()), (*size).into()]),
                    Operation::new("rg", rgb(*color)),
                    Operation::new("Tm", at),
                    Operation::new("TJ", vec![Object::Array(array)]),
                    Operation::new("ET", Vec::new()),
                ]);
            }
        }
    }
    Content { operations: ops }.encode().map_err(|e| format!("the page: {e}"))
}

/// Makes the printed addresses clickable: a `/Link` annotation over each,
/// opening its URI, with the address as its `/Contents` for readers that
/// announce links.
fn add_links(
    lo: &mut lopdf::Document,
    page_id: ObjectId,
    links: &[(super::layout::Rect, String)],
) -> Result<(), String> {
    use lopdf::dictionary;
    let mut annots = Vec::with_capacity(links.len());
    for (r, uri) in links {
        let rect = [r.x, PAGE_H - r.y - r.h, r.x + r.w, PAGE_H - r.y].map(Object::Real).to_vec();
        let shown = uri.strip_prefix("mailto:").unwrap_or(uri);
        let id = lo.add_object(dictionary! {
            "Type" => "Annot",
            "Subtype" => "Link",
            "Rect" => rect,
            "Border" => vec![0.into(), 0.into(), 0.into()],
            "Contents" => Object::string_literal(shown),
            "A" => dictionary! { "S" => "URI", "URI" => Object::string_literal(uri.as_str()) },
        });
        annots.push(Object::Reference(id));
    }
    if !annots.is_empty() {
        let page = lo.get_object_mut(page_id).and_then(|o| o.as_dict_mut()).map_err(|e| format!("the page: {e}"))?;
        page.set("Annots", annots);
    }
    Ok(())
}

/// Writes the poster as a one-page A3 PDF.
pub fn write(
    placed: &Placed,
    fonts: &FontObjects,
    faces: &Faces,
    meta: &Meta,
    deflaters: &Deflaters,
) -> Result<Vec<u8>, String> {
    let mut doc = PdfDocument::new(meta.title);
    let info = &mut doc.metadata.info;
    info.author = meta.author.to_string();
    info.subject = meta.subject.to_string();
    info.keywords = meta.keywords.to_vec();
    info.creator = "vitrine".to_string();
    info.producer = format!("vitrine {}", env!("CARGO_PKG_VERSION"));
    if let Some(epoch) = meta.epoch {
        let date = printpdf::OffsetDateTime::from_unix_timestamp(epoch)
            .map_err(|e| format!("creation date {epoch}: {e:?}"))?;
        info.creation_date = date;
        info.modification_date = date;
        info.metadata_date = date;
    }
    doc.with_pages(vec![PdfPage::new(Mm(297.0), Mm(420.0), Vec::new())]);
    let mut lo = doc.to_lopdf_document(&PdfSaveOptions::default(), &mut Vec::new());
    let mut used = [false; 3];
    let content = deflaters.deflate(&page(placed, fonts, faces, &mut used)?)?;
    // printpdf draws a random document ID: make one of the content, so
    // that the same poster always gives the same bytes
    let mut doc_hash = Fnv::new();
    doc_hash.write_u64(fonts.fingerprint());
    doc_hash.write(&content);
    doc_hash.write(meta.title.as_bytes());
    doc_hash.write(meta.lang.as_bytes());
    let page_id = lo.page_iter().next().ok_or("the PDF has no page")?;
    let contents = lo.get_dictionary(page_id).and_then(|p| p.get(b"Contents")).and_then(Object::as_reference);
    match lo.get_object_mut(contents.map_err(|e| format!("the page: {e}"))?) {
        Ok(Object::Stream(stream)) => {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(content);
        }
        _ => return Err("the page has no content stream".into()),
    }
    fonts.add_to(&mut lo, used)?;
    // the fonts' objects come first: the page has another number now
    let page_id = lo.page_iter().next().ok_or("the PDF has no page")?;
    add_links(&mut lo, page_id, &placed.links)?;
    // printpdf has no document language: set it on the catalog
    let root = lo.trailer.get(b"Root").and_then(|r| r.as_reference()).map_err(|e| format!("PDF catalog: {e}"))?;
    lo.get_object_mut(root)
        .and_then(|o| o.as_dict_mut())
        .map_err(|e| format!("PDF catalog: {e}"))?
        .set("Lang", Object::string_literal(meta.lang));
    // printpdf writes an empty PDF/X version, which readers take as a claim of PDF/X
    if let Ok(info) = lo.trailer.get(b"Info").and_then(|r| r.as_reference())
        && let Ok(dict) = lo.get_object_mut(info).and_then(|o| o.as_dict_mut())
    {
        dict.remove(b"GTS_PDFXVersion");
    }
    let d = doc_hash.finish();
    let id = format!("{:016x}{:016x}", d, d.rotate_left(32) ^ 0x5bd1_e995);
    let id = Object::String(id.into_bytes(), lopdf::StringFormat::Hexadecimal);
    lo.trailer.set("ID", Object::Array(vec![id.clone(), id]));
    let mut out = Vec::with_capacity(64 * 1024);
    lo.save_to(&mut out).map_err(|e| format!("writing the PDF: {e}"))?;
    Ok(out)
}
