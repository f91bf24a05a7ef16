//! Pictures of a layout: its items drawn into pixels with tiny-skia, each
//! glyph from its outline in the theme's font (ttf-parser) at the place the
//! PDF puts it, and written as PNG. The poster's preview on its page and the
//! share images are made here.

use super::fonts::{Faces, Style};
use super::layout::{Item, Rect, Rgb};
use std::collections::HashMap;
use tiny_skia::{FillRule, Paint, Path, PathBuilder, Pixmap, PixmapPaint, Transform};

/// A glyph's outline collected as a path, in font units (y up).
struct Outline(PathBuilder);

impl ttf_parser::OutlineBuilder for Outline {
    fn move_to(&mut self, x: f32, y: f32) {
        self.0.move_to(x, y);
    }
    fn line_to(&mut self, x: f32, y: f32) {
        self.0.line_to(x, y);
    }
    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        self.0.quad_to(x1, y1, x, y);
    }
    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        self.0.cubic_to(x1, y1, x2, y2, x, y);
    }
    fn close(&mut self) {
        self.0.close();
    }
}

fn paint(color: Rgb) -> Paint<'static> {
    let mut paint = Paint::default();
    let c = |v: f32| (v.clamp(0.0, 1.0) * 255.0).round() as u8;
    paint.set_color_rgba8(c(color.0), c(color.1), c(color.2), 255);
    paint.anti_alias = true;
    paint
}

/// Draws `items` onto `pixmap`, `scale` pixels to a unit of the layout;
/// the first item should cover the canvas (the PNG has no transparency).
pub fn draw(pixmap: &mut Pixmap, items: &[Item], scale: f32, faces: &Faces) {
    let fonts = Style::ALL.map(|s| faces.face(s));
    // each glyph's outline once per picture: a title repeats few of them
    let mut outlines: HashMap<(Style, u16), Option<Path>> = HashMap::with_capacity(128);
    for item in items {
        match item {
            Item::Fill { rect, color } => {
                let r = tiny_skia::Rect::from_xywh(rect.x * scale, rect.y * scale, rect.w * scale, rect.h * scale);
                if let Some(r) = r {
                    pixmap.fill_rect(r, &paint(*color), Transform::identity(), None);
                }
            }
            Item::Text { x, baseline, size, style, color, text, .. } => {
                let Some(face) = &fonts[*style as usize] else { continue };
                let paint = paint(*color);
                let s = size * scale / f32::from(face.units_per_em());
                faces.place(*style, text, |g, em| {
                    let outline = outlines.entry((*style, g)).or_insert_with(|| {
                        let mut o = Outline(PathBuilder::new());
                        face.outline_glyph(ttf_parser::GlyphId(g), &mut o)?;
                        o.0.finish()
                    });
                    if let Some(path) = outline {
                        let at = Transform::from_row(s, 0.0, 0.0, -s, (x + em * size) * scale, baseline * scale);
                        pixmap.fill_path(path, &paint, FillRule::Winding, at, None);
                    }
                });
            }
        }
    }
}

/// Draws a picture to cover `rect` (units of the layout), cropped around
/// its middle to the rectangle's proportions.
pub fn cover(pixmap: &mut Pixmap, picture: &image::RgbImage, rect: Rect, scale: f32) {
    let (w, h) = ((rect.w * scale).round() as u32, (rect.h * scale).round() as u32);
    if w == 0 || h == 0 || picture.width() == 0 || picture.height() == 0 {
        return;
    }
    let (pw, ph) = (picture.width() as f32, picture.height() as f32);
    let zoom = (w as f32 / pw).max(h as f32 / ph);
    let (cw, ch) = ((w as f32 / zoom).min(pw) as u32, (h as f32 / zoom).min(ph) as u32);
    let (cx, cy) = ((picture.width() - cw) / 2, (picture.height() - ch) / 2);
    let crop = image::imageops::crop_imm(picture, cx, cy, cw.max(1), ch.max(1)).to_image();
    let fitted = image::imageops::resize(&crop, w, h, image::imageops::FilterType::Triangle);
    let Some(mut tile) = Pixmap::new(w, h) else { return };
    for (px, rgb) in tile.data_mut().chunks_exact_mut(4).zip(fitted.pixels()) {
        px.copy_from_slice(&[rgb[0], rgb[1], rgb[2], 255]);
    }
    let (x, y) = ((rect.x * scale).round() as i32, (rect.y * scale).round() as i32);
    pixmap.draw_pixmap(x, y, tile.as_ref(), &PixmapPaint::default(), Transform::identity(), None);
}

/// The picture as an opaque RGB PNG, compressed fast (fdeflate): flat
/// colours and text pack small at a fraction of the time of zlib. Above
/// `budget` bytes (a photo in it), compressed again as small as it goes.
pub fn png(pixmap: &Pixmap, budget: usize) -> Result<Vec<u8>, String> {
    let data = pixmap.data();
    let mut rgb = Vec::with_capacity(data.len() / 4 * 3);
    for px in data.chunks_exact(4) {
        rgb.extend_from_slice(&px[..3]);
    }
    let encode = |compression| -> Result<Vec<u8>, png::EncodingError> {
        let mut out = Vec::with_capacity(rgb.len() / 16);
        let mut encoder = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(compression);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(&rgb)?;
        writer.finish()?;
        Ok(out)
    };
    let fast = encode(png::Compression::Fast).map_err(|e| e.to_string())?;
    if fast.len() <= budget {
        return Ok(fast);
    }
    let small = encode(png::Compression::High).map_err(|e| e.to_string())?;
    Ok(if small.len() < fast.len() { small } else { fast })
}
