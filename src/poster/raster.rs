//! Pictures of a layout: its items drawn into an RGB canvas, each glyph
//! from its outline in the theme's font (ttf-parser) at the place the PDF
//! puts it, and written as PNG. The poster's preview on its page and the
//! share images are made here.
//!
//! A glyph is filled (tiny-skia) once per size and quarter-pixel position
//! into a coverage mask that [`Glyphs`] keeps for the whole render; every
//! later use blends the mask. A build draws thousands of pictures from a
//! few hundred glyphs.

use super::fonts::{Faces, Style};
use super::layout::{Item, Rect, Rgb};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tiny_skia::{FillRule, Mask, PathBuilder, Transform};

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

/// Opaque RGB pixels, row by row: what the PNG holds.
pub struct Canvas {
    width: usize,
    height: usize,
    rgb: Vec<u8>,
}

/// Positions snap to a quarter pixel: four masks per glyph and size at most.
const STEPS: f32 = 4.0;
/// Sizes snap to a 64th of a pixel.
const SIZE_STEPS: f32 = 64.0;

fn rgb8(color: Rgb) -> [u8; 3] {
    let c = |v: f32| (v.clamp(0.0, 1.0) * 255.0).round() as u8;
    [c(color.0), c(color.1), c(color.2)]
}

/// `color` over `dst` at coverage `a` (0–255).
fn blend(dst: &mut [u8], color: [u8; 3], a: u16) {
    for (d, c) in dst.iter_mut().zip(color) {
        *d = ((u16::from(*d) * (255 - a) + u16::from(c) * a + 127) / 255) as u8;
    }
}

impl Canvas {
    /// A canvas of this size in `color`.
    pub fn new(width: u32, height: u32, color: Rgb) -> Canvas {
        let (width, height) = (width as usize, height as usize);
        let rgb = rgb8(color).repeat(width * height);
        Canvas { width, height, rgb }
    }

    /// Fills a rectangle in pixels; edges that cut a pixel cover it in part.
    fn fill(&mut self, (x0, y0, x1, y1): (f32, f32, f32, f32), color: Rgb) {
        let (x0, x1) = (x0.max(0.0), x1.min(self.width as f32));
        let (y0, y1) = (y0.max(0.0), y1.min(self.height as f32));
        if x1 <= x0 || y1 <= y0 {
            return;
        }
        let color = rgb8(color);
        let cover = |i: usize, lo: f32, hi: f32| (hi.min(i as f32 + 1.0) - lo.max(i as f32)).clamp(0.0, 1.0);
        let (c0, c1) = (x0.floor() as usize, (x1.ceil() as usize).min(self.width));
        let solid: Vec<u8> = color.repeat(c1 - c0);
        for row in y0.floor() as usize..(y1.ceil() as usize).min(self.height) {
            let cy = cover(row, y0, y1);
            let line = &mut self.rgb[(row * self.width + c0) * 3..(row * self.width + c1) * 3];
            if cy >= 1.0 && cover(c0, x0, x1) >= 1.0 && cover(c1 - 1, x0, x1) >= 1.0 {
                line.copy_from_slice(&solid);
                continue;
            }
            for (k, px) in line.chunks_exact_mut(3).enumerate() {
                let a = (cy * cover(c0 + k, x0, x1) * 255.0).round() as u16;
                if a > 0 {
                    blend(px, color, a);
                }
            }
        }
    }

    /// Blends a glyph's mask in `color` with its top left corner at (x, y).
    fn stamp(&mut self, mask: &GlyphMask, x: i32, y: i32, color: [u8; 3]) {
        let (w, h) = (self.width as i32, self.height as i32);
        for my in 0..mask.height as i32 {
            let row = y + my;
            if !(0..h).contains(&row) {
                continue;
            }
            let coverage = &mask.alpha[(my as usize) * mask.width..][..mask.width];
            for (mx, &a) in coverage.iter().enumerate() {
                let col = x + mx as i32;
                if a == 0 || !(0..w).contains(&col) {
                    continue;
                }
                let at = (row as usize * self.width + col as usize) * 3;
                let px = &mut self.rgb[at..at + 3];
                if a == 255 {
                    px.copy_from_slice(&color);
                } else {
                    blend(px, color, u16::from(a));
                }
            }
        }
    }
}

/// A glyph's coverage at one size and position: `alpha` row by row, its
/// top left corner `left`, `top` pixels from the pen position.
struct GlyphMask {
    left: i32,
    top: i32,
    width: usize,
    height: usize,
    alpha: Vec<u8>,
}

/// A glyph at a size (64ths of a pixel per em) and quarter-pixel offsets.
type GlyphKey = (Style, u16, u32, u8, u8);

/// The glyph masks of one render, shared by the threads drawing its
/// pictures (`None`: a glyph with no outline, a space).
#[derive(Default)]
pub struct Glyphs(Mutex<HashMap<GlyphKey, Option<Arc<GlyphMask>>>>);

impl Glyphs {
    fn get(&self, key: GlyphKey, face: &ttf_parser::Face) -> Option<Arc<GlyphMask>> {
        let known = self.0.lock().unwrap_or_else(|e| e.into_inner()).get(&key).cloned();
        known.unwrap_or_else(|| {
            // made outside the lock; two threads making the same one make the same bytes
            let mask = rasterize(key, face).map(Arc::new);
            self.0.lock().unwrap_or_else(|e| e.into_inner()).insert(key, mask.clone());
            mask
        })
    }
}

/// Fills the outline of the glyph `key` names into a mask just large enough.
fn rasterize((_, gid, size, fx, fy): GlyphKey, face: &ttf_parser::Face) -> Option<GlyphMask> {
    let glyph = ttf_parser::GlyphId(gid);
    let mut outline = Outline(PathBuilder::new());
    face.outline_glyph(glyph, &mut outline)?;
    let path = outline.0.finish()?;
    let bounds = path.bounds();
    let s = size as f32 / SIZE_STEPS / f32::from(face.units_per_em());
    let (ox, oy) = (f32::from(fx) / STEPS, f32::from(fy) / STEPS);
    let left = (ox + bounds.left() * s).floor() as i32 - 1;
    let top = (oy - bounds.bottom() * s).floor() as i32 - 1;
    let right = (ox + bounds.right() * s).ceil() as i32 + 1;
    let bottom = (oy - bounds.top() * s).ceil() as i32 + 1;
    let (width, height) = ((right - left).max(1) as u32, (bottom - top).max(1) as u32);
    let mut mask = Mask::new(width, height)?;
    let at = Transform::from_row(s, 0.0, 0.0, -s, ox - left as f32, oy - top as f32);
    mask.fill_path(&path, FillRule::Winding, true, at);
    Some(GlyphMask { left, top, width: width as usize, height: height as usize, alpha: mask.data().to_vec() })
}

/// A position in pixels as a whole pixel and a quarter-pixel step.
fn snap(v: f32) -> (i32, u8) {
    let steps = (v * STEPS).round() as i64;
    (steps.div_euclid(STEPS as i64) as i32, steps.rem_euclid(STEPS as i64) as u8)
}

/// Draws `items` onto `canvas`, `scale` pixels to a unit of the layout.
pub fn draw(canvas: &mut Canvas, items: &[Item], scale: f32, faces: &Faces, glyphs: &Glyphs) {
    let fonts = Style::ALL.map(|s| faces.face(s));
    for item in items {
        match item {
            Item::Fill { rect, color } => {
                let r = (rect.x * scale, rect.y * scale, (rect.x + rect.w) * scale, (rect.y + rect.h) * scale);
                canvas.fill(r, *color);
            }
            Item::Text { x, baseline, size, style, color, text, .. } => {
                let Some(face) = &fonts[*style as usize] else { continue };
                let color = rgb8(*color);
                let px = (size * scale * SIZE_STEPS).round() as u32;
                let (y, fy) = snap(baseline * scale);
                faces.place(*style, text, |g, em| {
                    let (x, fx) = snap((x + em * size) * scale);
                    if let Some(mask) = glyphs.get((*style, g, px, fx, fy), face) {
                        canvas.stamp(&mask, x + mask.left, y + mask.top, color);
                    }
                });
            }
        }
    }
}

/// Draws a picture to cover `rect` (units of the layout), cropped around
/// its middle to the rectangle's proportions.
pub fn cover(canvas: &mut Canvas, picture: &image::RgbImage, rect: Rect, scale: f32) {
    let (w, h) = ((rect.w * scale).round() as u32, (rect.h * scale).round() as u32);
    if w == 0 || h == 0 || picture.width() == 0 || picture.height() == 0 {
        return;
    }
    let (pw, ph) = (picture.width() as f32, picture.height() as f32);
    let zoom = (w as f32 / pw).max(h as f32 / ph);
    let (cw, ch) = ((w as f32 / zoom).min(pw) as u32, (h as f32 / zoom).min(ph) as u32);
    let (cx, cy) = ((picture.width() - cw) / 2, (picture.height() - ch) / 2);
    let crop = image::imageops::crop_imm(picture, cx, cy, cw.max(1), ch.max(1));
    // smaller: averaged over each pixel's area (fast); larger: interpolated
    let fitted = if zoom < 1.0 {
        image::imageops::thumbnail(&*crop, w, h)
    } else {
        image::imageops::resize(&*crop, w, h, image::imageops::FilterType::Triangle)
    };
    let (x, y) = ((rect.x * scale).round() as usize, (rect.y * scale).round() as usize);
    let cols = (w as usize).min(canvas.width.saturating_sub(x));
    for (row, line) in fitted.as_raw().chunks_exact(w as usize * 3).enumerate().take(canvas.height.saturating_sub(y)) {
        let at = ((y + row) * canvas.width + x) * 3;
        canvas.rgb[at..at + cols * 3].copy_from_slice(&line[..cols * 3]);
    }
}

/// The canvas as PNG, compressed fast (fdeflate; rows filtered "up", which
/// turns flat colour into runs). Above `budget` bytes (a photo in it),
/// compressed again with zlib's default level and filters chosen per row
/// (about a third of the size, at several times the time; the best level
/// gains nothing more on these pictures at twice that).
pub fn png(canvas: &Canvas, budget: usize) -> Result<Vec<u8>, String> {
    let encode = |compression| -> Result<Vec<u8>, png::EncodingError> {
        let mut out = Vec::with_capacity(canvas.rgb.len() / 16);
        let mut encoder = png::Encoder::new(&mut out, canvas.width as u32, canvas.height as u32);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(compression);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(&canvas.rgb)?;
        writer.finish()?;
        Ok(out)
    };
    let fast = encode(png::Compression::Fastest).map_err(|e| e.to_string())?;
    if fast.len() <= budget {
        return Ok(fast);
    }
    let small = encode(png::Compression::Balanced).map_err(|e| e.to_string())?;
    Ok(if small.len() < fast.len() { small } else { fast })
}
