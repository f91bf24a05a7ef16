//! Pictures of a layout: its items drawn into an RGB canvas, each glyph
//! from its outline in the theme's font (ttf-parser) at the place the PDF
//! puts it, and written as PNG. The poster's preview on its page and the
//! share images are made here.
//!
//! A glyph is filled (tiny-skia) once per size and quarter-pixel position
//! into a coverage mask that [`Glyphs`] keeps for the whole render; every
//! later use blends the mask. A build draws thousands of pictures from a
//! few hundred glyphs.

use crate::poster::fonts::{Faces, Style};
use crate::poster::layout::{Item, Rect, Rgb};
use std::collections::HashMap;
use std::hash::BuildHasherDefault;
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

/// The picture's pixels, row by row: one palette index each while it has
/// at most 256 colours (a layout of a few flat colours and text), three
/// bytes of RGB once it has more (a photo): the PNG holds either.
pub struct Canvas {
    width: usize,
    height: usize,
    /// The indexed pixels, until there are more colours.
    palette: Option<Palette>,
    /// The RGB pixels after (empty before).
    rgb: Vec<u8>,
}

/// Indexed pixels and their colours, with the blends of each ink over each
/// colour at each coverage step remembered (`u16::MAX`: not yet made).
struct Palette {
    index: Vec<u8>,
    colors: Vec<[u8; 3]>,
    lookup: HashMap<[u8; 3], u8>,
    blends: Vec<([u8; 3], Vec<u16>)>,
}

/// A colour to paint with, and in an indexed canvas its index (`None`:
/// the palette is full) and table of blends.
struct Ink {
    color: [u8; 3],
    index: Option<u8>,
    table: usize,
}

/// Positions snap to a quarter pixel: four masks per glyph and size at most.
const STEPS: f32 = 4.0;
/// Sizes snap to a quarter pixel: the poster fits its text by sizes a few
/// hundredths of a point apart, which on a 600-pixel preview would make
/// each poster's glyphs its own; a quarter pixel is 2–4 % of a body glyph,
/// drawn at its exact place.
const SIZE_STEPS: f32 = 4.0;
/// Coverage is drawn in 16 steps (tiny-skia's anti-aliasing samples 4 × 4
/// per pixel, so no finer step is lost), which keeps a layout's colours few.
const COVERAGE: u16 = 17;

fn rgb8(color: Rgb) -> [u8; 3] {
    let c = |v: f32| (v.clamp(0.0, 1.0) * 255.0).round() as u8;
    [c(color.0), c(color.1), c(color.2)]
}

/// A coverage (0–255) as a step of [`COVERAGE`] (0–15).
fn step(a: u8) -> u8 {
    ((u16::from(a) + COVERAGE / 2) / COVERAGE) as u8
}

/// `ink` over `dst` at coverage `a` (0–255, a multiple of [`COVERAGE`]).
fn blend(dst: [u8; 3], ink: [u8; 3], a: u16) -> [u8; 3] {
    let mix = |d: u8, c: u8| ((u16::from(d) * (255 - a) + u16::from(c) * a + 127) / 255) as u8;
    [mix(dst[0], ink[0]), mix(dst[1], ink[1]), mix(dst[2], ink[2])]
}

impl Palette {
    /// The index of a colour, added if new; `None` when 256 are taken.
    fn index_of(&mut self, color: [u8; 3]) -> Option<u8> {
        if let Some(&i) = self.lookup.get(&color) {
            return Some(i);
        }
        let i = u8::try_from(self.colors.len()).ok()?;
        self.colors.push(color);
        self.lookup.insert(color, i);
        Some(i)
    }

    /// Which table of blends is `ink`'s.
    fn blends_of(&mut self, ink: [u8; 3]) -> usize {
        self.blends.iter().position(|(c, _)| *c == ink).unwrap_or_else(|| {
            self.blends.push((ink, vec![u16::MAX; 256 * 16]));
            self.blends.len() - 1
        })
    }

    /// `ink` at coverage step `step` (1–15) over pixel `at`; `false` when
    /// the colour that makes does not fit in the palette.
    fn blend(&mut self, table: usize, at: usize, step: u16) -> bool {
        let dst = self.index[at];
        let slot = usize::from(dst) * 16 + usize::from(step);
        let known = self.blends[table].1[slot];
        if known != u16::MAX {
            self.index[at] = known as u8;
            return true;
        }
        let color = blend(self.colors[usize::from(dst)], self.blends[table].0, step * COVERAGE);
        let Some(i) = self.index_of(color) else { return false };
        self.blends[table].1[slot] = u16::from(i);
        self.index[at] = i;
        true
    }

    /// Paints `ink` (index `i`, blends `table`) at the coverage `steps`
    /// (0–15, one a pixel) from pixel `at` on; at a colour the palette
    /// cannot take, stops and says how many pixels it painted.
    fn stamp(&mut self, at: usize, steps: &[u8], i: u8, table: usize) -> Result<(), usize> {
        for (k, &step) in steps.iter().enumerate() {
            match step {
                0 => {}
                15 => self.index[at + k] = i,
                _ if self.blend(table, at + k, u16::from(step)) => {}
                _ => return Err(k),
            }
        }
        Ok(())
    }

    fn to_rgb(&self) -> Vec<u8> {
        self.index.iter().flat_map(|&i| self.colors[usize::from(i)]).collect()
    }
}

impl Canvas {
    /// A canvas of this size in `color`.
    pub fn new(width: u32, height: u32, color: Rgb) -> Canvas {
        let (width, height) = (width as usize, height as usize);
        let mut palette =
            Palette { index: vec![0; width * height], colors: Vec::new(), lookup: HashMap::new(), blends: Vec::new() };
        palette.index_of(rgb8(color));
        Canvas { width, height, palette: Some(palette), rgb: Vec::new() }
    }

    /// From now on three bytes a pixel.
    fn rgb(&mut self) -> &mut Vec<u8> {
        if let Some(palette) = self.palette.take() {
            self.rgb = palette.to_rgb();
        }
        &mut self.rgb
    }

    /// What painting with a colour needs, looked up once for many pixels.
    fn ink(&mut self, color: [u8; 3]) -> Ink {
        match &mut self.palette {
            Some(p) => Ink { color, index: p.index_of(color), table: p.blends_of(color) },
            None => Ink { color, index: None, table: 0 },
        }
    }

    /// Paints `ink` at the coverage `steps` (0–15, one a pixel) from pixel
    /// `at` on.
    fn paint(&mut self, at: usize, steps: &[u8], ink: &Ink) {
        let painted = match (&mut self.palette, ink.index) {
            (Some(palette), Some(i)) => palette.stamp(at, steps, i, ink.table),
            _ => Err(0),
        };
        let Err(k) = painted else { return };
        let rgb = &mut self.rgb()[(at + k) * 3..(at + steps.len()) * 3];
        for (px, &step) in rgb.chunks_exact_mut(3).zip(&steps[k..]) {
            if step > 0 {
                let mixed = blend([px[0], px[1], px[2]], ink.color, u16::from(step) * COVERAGE);
                px.copy_from_slice(&mixed);
            }
        }
    }

    /// Fills a rectangle in pixels; edges that cut a pixel cover it in part.
    fn fill(&mut self, (x0, y0, x1, y1): (f32, f32, f32, f32), color: Rgb) {
        let (x0, x1) = (x0.max(0.0), x1.min(self.width as f32));
        let (y0, y1) = (y0.max(0.0), y1.min(self.height as f32));
        if x1 <= x0 || y1 <= y0 {
            return;
        }
        let ink = self.ink(rgb8(color));
        let cover = |i: usize, lo: f32, hi: f32| (hi.min(i as f32 + 1.0) - lo.max(i as f32)).clamp(0.0, 1.0);
        let (c0, c1) = (x0.floor() as usize, (x1.ceil() as usize).min(self.width));
        // the columns cut by an edge, and those between, whole
        let left = step((cover(c0, x0, x1) * 255.0).round() as u8);
        let right = step((cover(c1 - 1, x0, x1) * 255.0).round() as u8);
        let inner = (c0 + usize::from(left < 15))..(c1 - usize::from(right < 15 && c1 - 1 > c0));
        for row in y0.floor() as usize..(y1.ceil() as usize).min(self.height) {
            let cy = cover(row, y0, y1);
            let at = row * self.width;
            if cy < 1.0 {
                let steps: Vec<u8> =
                    (c0..c1).map(|col| step((cy * cover(col, x0, x1) * 255.0).round() as u8)).collect();
                self.paint(at + c0, &steps, &ink);
                continue;
            }
            self.paint(at + c0, &[left], &ink);
            if c1 - 1 > c0 {
                self.paint(at + c1 - 1, &[right], &ink);
            }
            let (start, end) = (at + inner.start, at + inner.end);
            if let (Some(p), Some(i)) = (&mut self.palette, ink.index) {
                p.index[start..end].fill(i);
            } else {
                let rgb = &mut self.rgb()[start * 3..end * 3];
                rgb.chunks_exact_mut(3).for_each(|px| px.copy_from_slice(&ink.color));
            }
        }
    }

    /// Blends a glyph's mask in `ink` with its top left corner at (x, y).
    fn stamp(&mut self, mask: &GlyphMask, x: i32, y: i32, ink: &Ink) {
        let (w, h) = (self.width as i32, self.height as i32);
        let (c0, c1) = (x.max(0), (x + mask.width as i32).min(w));
        if c1 <= c0 {
            return;
        }
        for row in y.max(0)..(y + mask.height as i32).min(h) {
            let steps = &mask.steps[(row - y) as usize * mask.width..][(c0 - x) as usize..(c1 - x) as usize];
            self.paint(row as usize * self.width + c0 as usize, steps, ink);
        }
    }
}

/// A glyph's coverage at one size and position: its coverage steps row by
/// row, its top left corner `left`, `top` pixels from the pen position.
struct GlyphMask {
    left: i32,
    top: i32,
    width: usize,
    height: usize,
    steps: Vec<u8>,
}

/// A glyph of a style at a size (quarter pixels per em) and
/// quarter-pixel offsets, packed in one number.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct GlyphKey(u64);

impl GlyphKey {
    fn new(style: Style, gid: u16, size: u32, fx: u8, fy: u8) -> GlyphKey {
        let packed = (style as u64) << 60 | u64::from(gid) << 44 | u64::from(size) << 4 | u64::from(fx) << 2;
        GlyphKey(packed | u64::from(fy))
    }

    fn parts(self) -> (u16, u32, u8, u8) {
        let k = self.0;
        ((k >> 44) as u16, (k >> 4) as u32, ((k >> 2) & 3) as u8, (k & 3) as u8)
    }
}

type GlyphMap = HashMap<GlyphKey, Option<Arc<GlyphMask>>, BuildHasherDefault<crate::cache::hash::Mix>>;

/// The glyph masks of one render, shared by the threads drawing its
/// pictures (`None`: a glyph with no outline, a space). A picture keeps
/// those it used in a map of its own, so that it asks here once for each.
#[derive(Default)]
pub struct Glyphs(Mutex<GlyphMap>);

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
fn rasterize(key: GlyphKey, face: &ttf_parser::Face) -> Option<GlyphMask> {
    let (gid, size, fx, fy) = key.parts();
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
    let steps = mask.data().iter().map(|&a| step(a)).collect();
    Some(GlyphMask { left, top, width: width as usize, height: height as usize, steps })
}

/// A position in pixels as a whole pixel and a quarter-pixel step.
fn snap(v: f32) -> (i32, u8) {
    let steps = (v * STEPS).round() as i64;
    (steps.div_euclid(STEPS as i64) as i32, steps.rem_euclid(STEPS as i64) as u8)
}

/// Draws `items` onto `canvas`, `scale` pixels to a unit of the layout.
pub fn draw(canvas: &mut Canvas, items: &[Item], scale: f32, faces: &Faces, glyphs: &Glyphs) {
    let fonts = Style::ALL.map(|s| faces.face(s));
    let mut used = GlyphMap::default();
    for item in items {
        match item {
            Item::Fill { rect, color } => {
                let r = (rect.x * scale, rect.y * scale, (rect.x + rect.w) * scale, (rect.y + rect.h) * scale);
                canvas.fill(r, *color);
            }
            Item::Text { x, baseline, size, style, color, text, .. } => {
                let Some(face) = &fonts[*style as usize] else { continue };
                let ink = canvas.ink(rgb8(*color));
                let px = (size * scale * SIZE_STEPS).round() as u32;
                let (y, fy) = snap(baseline * scale);
                faces.place(*style, text, |g, em| {
                    let (x, fx) = snap((x + em * size) * scale);
                    let key = GlyphKey::new(*style, g, px, fx, fy);
                    let mask = used.entry(key).or_insert_with(|| glyphs.get(key, face));
                    if let Some(mask) = mask {
                        canvas.stamp(mask, x + mask.left, y + mask.top, &ink);
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
    let (width, height) = (canvas.width, canvas.height);
    let cols = (w as usize).min(width.saturating_sub(x));
    let rgb = canvas.rgb();
    for (row, line) in fitted.as_raw().chunks_exact(w as usize * 3).enumerate().take(height.saturating_sub(y)) {
        let at = ((y + row) * width + x) * 3;
        rgb[at..at + cols * 3].copy_from_slice(&line[..cols * 3]);
    }
}

/// The canvas as PNG, compressed fast (fdeflate; rows filtered "up", which
/// turns flat colour into runs). Above `budget` bytes (a photo in it),
/// compressed again with zlib's default level and filters chosen per row
/// (about a third of the size, at several times the time; the best level
/// gains nothing more on these pictures at twice that).
pub fn png(canvas: &Canvas, budget: usize) -> Result<Vec<u8>, String> {
    let encode = |compression| -> Result<Vec<u8>, png::EncodingError> {
        let mut out = Vec::with_capacity(canvas.width * canvas.height / 16);
        let mut encoder = png::Encoder::new(&mut out, canvas.width as u32, canvas.height as u32);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(compression);
        let data = match &canvas.palette {
            Some(palette) => {
                encoder.set_color(png::ColorType::Indexed);
                encoder.set_palette(palette.colors.concat());
                &palette.index
            }
            None => {
                encoder.set_color(png::ColorType::Rgb);
                &canvas.rgb
            }
        };
        let mut writer = encoder.write_header()?;
        writer.write_image_data(data)?;
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
