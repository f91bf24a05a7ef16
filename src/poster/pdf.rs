//! The thin PDF layer: turns placed items into printpdf operations, embeds
//! subset fonts, and sets the document's title, author and language.

use super::fonts::{Faces, FontSet, Style};
use super::layout::{Item, PAGE_H, Placed, Rgb};
use printpdf::{
    Color, Mm, Op, PaintMode, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Pt, Rect, TextMatrix, WindingOrder,
};

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

fn color(c: Rgb) -> Color {
    Color::Rgb(printpdf::Rgb::new(c.0, c.1, c.2, None))
}

/// Writes the poster as a one-page A3 PDF.
pub fn write(placed: &Placed, fonts: &FontSet, faces: &Faces, meta: &Meta) -> Result<Vec<u8>, String> {
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
    let mut ids = Vec::new();
    for style in Style::ALL {
        let used = placed.items.iter().any(|i| matches!(i, Item::Text { style: s, .. } if *s == style));
        ids.push(used.then(|| doc.add_font(&fonts.file(style).parsed)));
    }

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
    let opts = PdfSaveOptions { subset_fonts: true, ..Default::default() };
    let mut warnings = Vec::new();
    let mut lo = doc.to_lopdf_document(&opts, &mut warnings);
    // printpdf has no document language: set it on the catalog
    let root = lo.trailer.get(b"Root").and_then(|r| r.as_reference()).map_err(|e| format!("PDF catalog: {e}"))?;
    lo.get_object_mut(root)
        .and_then(|o| o.as_dict_mut())
        .map_err(|e| format!("PDF catalog: {e}"))?
        .set("Lang", lopdf::Object::string_literal(meta.lang));
    lo.compress();
    let mut out = Vec::with_capacity(64 * 1024);
    lo.save_to(&mut out).map_err(|e| format!("writing the PDF: {e}"))?;
    Ok(out)
}
