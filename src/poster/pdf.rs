//! The thin PDF layer: turns placed items into printpdf operations, embeds
//! subset fonts, and sets the document's title, author and language.

use super::fonts::{EmbedSet, Faces, Style};
use super::hash::{Fnv, tag};
use super::layout::{Item, PAGE_H, Placed, Rgb};
use printpdf::{
    Color, Mm, Op, PaintMode, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Pt, Rect, TextMatrix, WindingOrder,
};
use std::hash::Hasher;

/// The document information of a poster.
pub struct Meta<'a> {
    pub title: &'a str,
    pub author: &'a str,
    pub subject: &'a str,
    pub keywords: &'a [String],
    /// BCP 47 language tag, written as the catalog's `/Lang`.
    pub lang: &'a str,
    /// Creation date in seconds since 1970 (`SOURCE_DATE_EPOCH`); none keeps
    /// the bytes reproducible.
    pub epoch: Option<i64>,
}

/// Deflate level of the PDF's streams. Level 1 renders a poster in half the
/// time of level 6 (2.5 ms instead of 5.2) for a file 9 % larger (45 KB).
pub const FLATE_LEVEL: u32 = 1;

fn color(c: Rgb) -> Color {
    Color::Rgb(printpdf::Rgb::new(c.0, c.1, c.2, None))
}

/// Writes the poster as a one-page A3 PDF.
pub fn write(placed: &Placed, fonts: &EmbedSet, faces: &Faces, meta: &Meta) -> Result<Vec<u8>, String> {
    let mut doc = PdfDocument::new(meta.title);
    let info = &mut doc.metadata.info;
    info.author = meta.author.to_string();
    info.subject = meta.subject.to_string();
    info.keywords = meta.keywords.to_vec();
    info.creator = "vitrine".to_string();
    info.producer = format!("vitrine {}", env!("CARGO_PKG_VERSION"));
    if let Some(epoch) = meta.epoch {
        let date =
            printpdf::OffsetDateTime::from_unix_timestamp(epoch).map_err(|e| format!("SOURCE_DATE_EPOCH: {e:?}"))?;
        info.creation_date = date;
        info.modification_date = date;
        info.metadata_date = date;
    }
    // printpdf names fonts (and so subset tags) and the document from a
    // process-wide counter; name them from the content, so that the same
    // poster always gives the same bytes
    let mut ids = Vec::new();
    let mut doc_hash = Fnv::new();
    for style in Style::ALL {
        let mut h = Fnv::new();
        h.write(&[style as u8]);
        let mut used = false;
        for item in &placed.items {
            if let Item::Text { style: s, text, .. } = item
                && *s == style
            {
                used = true;
                h.write(text.as_bytes());
            }
        }
        doc_hash.write(&h.finish().to_le_bytes());
        ids.push(used.then(|| {
            let id = printpdf::FontId(tag(h.finish()));
            doc.resources
                .fonts
                .map
                .insert(id.clone(), printpdf::PdfFont::new(fonts.fonts[style as usize].parsed.clone()));
            id
        }));
    }
    doc_hash.write(meta.title.as_bytes());
    doc_hash.write(meta.lang.as_bytes());

    let mut ops = Vec::with_capacity(placed.items.len() * 6);
    for item in &placed.items {
        match item {
            Item::Fill { rect, color: c } => {
                ops.push(Op::SetFillColor { col: color(*c) });
                ops.push(Op::DrawRectangle {
                    rectangle: Rect {
                        x: Pt(rect.x),
                        y: Pt(PAGE_H - rect.y - rect.h),
                        width: Pt(rect.w),
                        height: Pt(rect.h),
                        mode: Some(PaintMode::Fill),
                        winding_order: Some(WindingOrder::NonZero),
                    },
                });
            }
            Item::Text { x, baseline, size, style, color: c, text, .. } => {
                let Some(font) = &ids[*style as usize] else { continue };
                ops.extend([
                    Op::StartTextSection,
                    Op::SetFont { font: PdfFontHandle::External(font.clone()), size: Pt(*size) },
                    Op::SetFillColor { col: color(*c) },
                    Op::SetTextMatrix { matrix: TextMatrix::Translate(Pt(*x), Pt(PAGE_H - baseline)) },
                    Op::ShowText { items: faces.kerned(*style, text) },
                    Op::EndTextSection,
                ]);
            }
        }
    }
    doc.with_pages(vec![PdfPage::new(Mm(297.0), Mm(420.0), ops)]);
    // the fonts are subset once per build (see `FontSet::embed`), not per poster
    let opts = PdfSaveOptions { subset_fonts: false, ..Default::default() };
    let mut warnings = Vec::new();
    let mut lo = doc.to_lopdf_document(&opts, &mut warnings);
    // printpdf has no document language: set it on the catalog
    let root = lo.trailer.get(b"Root").and_then(|r| r.as_reference()).map_err(|e| format!("PDF catalog: {e}"))?;
    lo.get_object_mut(root)
        .and_then(|o| o.as_dict_mut())
        .map_err(|e| format!("PDF catalog: {e}"))?
        .set("Lang", lopdf::Object::string_literal(meta.lang));
    // printpdf writes an empty PDF/X version, which readers take as a claim of PDF/X
    if let Ok(info) = lo.trailer.get(b"Info").and_then(|r| r.as_reference())
        && let Ok(dict) = lo.get_object_mut(info).and_then(|o| o.as_dict_mut())
    {
        dict.remove(b"GTS_PDFXVersion");
    }
    let d = doc_hash.finish();
    let id = format!("{:016x}{:016x}", d, d.rotate_left(32) ^ 0x5bd1_e995);
    let id = lopdf::Object::String(id.into_bytes(), lopdf::StringFormat::Hexadecimal);
    lo.trailer.set("ID", lopdf::Object::Array(vec![id.clone(), id]));
    // lopdf's own compress() uses the slowest deflate level (9)
    for obj in lo.objects.values_mut() {
        match obj {
            lopdf::Object::Stream(stream) if stream.dict.get(b"Filter").is_err() => {
                if let Some(font) = fonts.fonts.iter().find(|f| f.is(&stream.content)) {
                    stream.dict.set("Filter", "FlateDecode");
                    stream.set_content(font.packed.clone());
                    continue;
                }
                let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(FLATE_LEVEL));
                if std::io::Write::write_all(&mut z, &stream.content).is_ok()
                    && let Ok(packed) = z.finish()
                    && packed.len() < stream.content.len()
                {
                    stream.dict.set("Filter", "FlateDecode");
                    stream.set_content(packed);
                }
            }
            // the embedded fonts are subsets: say so in their names (`ABCDEF+Name`)
            lopdf::Object::Dictionary(dict) => {
                for key in [&b"BaseFont"[..], b"FontName"] {
                    if let Ok(name) = dict.get(key).and_then(|n| n.as_name())
                        && !name.contains(&b'+')
                        && let Some(font) =
                            fonts.fonts.iter().find(|f| f.parsed_name().is_some_and(|n| name.ends_with(n.as_bytes())))
                    {
                        let tagged = [font.tag.as_bytes(), b"+", name].concat();
                        dict.set(key, lopdf::Object::Name(tagged));
                    }
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::with_capacity(64 * 1024);
    lo.save_to(&mut out).map_err(|e| format!("writing the PDF: {e}"))?;
    Ok(out)
}
