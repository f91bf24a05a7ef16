//! Case images and people's photos for the web. Loading reads each image's
//! header once (its size as shown, its orientation, a digest of its bytes);
//! validation plans the widths a page offers in its `srcset`; rendering
//! makes the resized files, into the build cache, so an unchanged image is
//! never resized twice.

use crate::cache::{Cache, Hit};
use image::imageops::FilterType;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageReader};
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::io::Cursor;
use std::path::{Path, PathBuf};

/// The largest image file read: a photo straight from a camera is a tenth
/// of it; anything larger is a mistake that would slow every build.
pub const MAX_FILE: u64 = 50 << 20;

/// The most pixels an image may have: decoded, that is 200 MB of memory.
pub const MAX_PIXELS: u64 = 50_000_000;

/// Widths of a case image: a phone; a card on a retina desktop (22rem
/// shown at 2×: 704 pixels); a phone or tablet at 2× and 3×; the hero at
/// full width on a retina desktop.
pub const CASE_WIDTHS: &[u32] = &[480, 720, 960, 1920];

/// Widths of a contact photo, shown 64 px wide: 1× and 2× screens.
pub const PHOTO_WIDTHS: &[u32] = &[64, 128];

/// Bumped when the resized files would come out differently (filter,
/// quality), so the cache does not hand out the old ones.
const RESIZE_VERSION: u32 = 2;

/// JPEG quality of resized photos: no visible loss, a third of the size of quality 95.
const JPEG_QUALITY: u8 = 80;

/// WebP quality of resized photos (from a JPEG): as good to the eye as
/// [`JPEG_QUALITY`], and about a third smaller. A PNG becomes a lossless WebP.
const WEBP_QUALITY: f32 = 80.0;

/// The cache's folder of resized images.
const CACHE_KIND: &str = "images";

/// The image formats vitrine shows; only JPEG and PNG are resized.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Jpeg,
    Png,
    Svg,
}

impl Format {
    /// The format of a file, by its extension.
    pub fn of(name: &str) -> Option<Format> {
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "jpg" | "jpeg" => Some(Format::Jpeg),
            "png" => Some(Format::Png),
            "svg" => Some(Format::Svg),
            _ => None,
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::Svg => "svg",
        }
    }
}

/// What loading an image file found.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Probe {
    pub format: Format,
    /// The size as shown, after the EXIF orientation; 0 when an SVG does
    /// not say.
    pub width: u32,
    pub height: u32,
    /// The EXIF orientation (1 = upright).
    orientation: u8,
    /// A hash of the file's bytes: the key of its resized files.
    digest: u64,
}

/// Why an image cannot be shown, in words an editor can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unusable {
    pub message: String,
    pub hint: &'static str,
}

const RESAVE: &str = "open it in an image editor and export it again as JPEG or PNG";

/// Reads an image file's header (and, for JPEG and PNG, hashes its bytes).
pub fn probe(path: &Path) -> Result<Probe, Unusable> {
    let unusable = |message: String, hint| Unusable { message, hint };
    let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    Format::of(&name).ok_or_else(|| unusable("not an image format vitrine shows".into(), RESAVE))?;
    let size = std::fs::metadata(path).map_err(|e| unusable(format!("cannot read: {e}"), RESAVE))?.len();
    if size > MAX_FILE {
        let mb = |n: u64| n as f64 / (1 << 20) as f64;
        return Err(unusable(
            format!("this image is {:.1} MB; an image may be at most {:.0} MB", mb(size), mb(MAX_FILE)),
            "export it at about 3000 pixels wide: vitrine makes the smaller sizes itself",
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| unusable(format!("cannot read: {e}"), RESAVE))?;
    probe_bytes(&name, &bytes)
}

/// [`probe`] of a file's bytes (a file not yet written: a web editor's upload).
pub fn probe_bytes(name: &str, bytes: &[u8]) -> Result<Probe, Unusable> {
    let unusable = |message: String, hint| Unusable { message, hint };
    let format = Format::of(name).ok_or_else(|| unusable("not an image format vitrine shows".into(), RESAVE))?;
    if bytes.len() as u64 > MAX_FILE {
        return Err(unusable(
            format!("this image is larger than {} MB", MAX_FILE >> 20),
            "export it at about 3000 pixels wide: vitrine makes the smaller sizes itself",
        ));
    }
    if format == Format::Svg {
        let (width, height) = svg_size(&String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]));
        return Ok(Probe { format, width, height, orientation: 1, digest: 0 });
    }
    let corrupt = |e: image::ImageError| unusable(format!("this image cannot be read: {e}"), RESAVE);
    let reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|e| corrupt(e.into()))?;
    let found = reader.format();
    let expected = if format == Format::Jpeg { image::ImageFormat::Jpeg } else { image::ImageFormat::Png };
    if found != Some(expected) {
        let what = found.map_or("no image format vitrine knows".to_string(), |f| format!("{f:?}"));
        return Err(unusable(
            format!("this file is named .{} but holds {what}", format.extension()),
            "give it the extension of what it holds, or export it again as JPEG or PNG",
        ));
    }
    if format == Format::Jpeg && !jpeg_is_whole(bytes) {
        return Err(unusable("this image is cut short: the file ends before the picture does".into(), RESAVE));
    }
    let mut decoder = reader.into_decoder().map_err(corrupt)?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let (mut width, mut height) = decoder.dimensions();
    let pixels = u64::from(width) * u64::from(height);
    if pixels > MAX_PIXELS || width == 0 || height == 0 {
        return Err(unusable(
            format!(
                "this image is {width} × {height} pixels ({} megapixels); vitrine resizes images of at most {} megapixels",
                pixels.div_ceil(1_000_000),
                MAX_PIXELS / 1_000_000
            ),
            "export it at about 3000 pixels wide: vitrine makes the smaller sizes itself",
        ));
    }
    if matches!(
        orientation,
        Orientation::Rotate90 | Orientation::Rotate270 | Orientation::Rotate90FlipH | Orientation::Rotate270FlipH
    ) {
        std::mem::swap(&mut width, &mut height);
    }
    let mut h = std::hash::DefaultHasher::new();
    bytes.hash(&mut h);
    Ok(Probe { format, width, height, orientation: orientation.to_exif(), digest: h.finish() })
}

/// Whether a JPEG file holds its whole picture: after the markers before
/// it (metadata, with its own thumbnail, is skipped by length), the image
/// data runs up to an end marker. The decoder fills a cut-off picture with
/// grey instead of failing; whatever follows the end (a phone's motion
/// photo) is no concern.
fn jpeg_is_whole(bytes: &[u8]) -> bool {
    let mut i = 2;
    while i + 4 <= bytes.len() {
        if bytes[i] != 0xFF {
            return false;
        }
        let marker = bytes[i + 1];
        if marker == 0xFF {
            i += 1; // fill byte
            continue;
        }
        let len = usize::from(u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]));
        if marker == 0xDA {
            // image data: a 0xFF in it is followed by 0x00 or a restart marker
            return bytes.get(i + 2 + len..).is_some_and(|data| data.windows(2).any(|w| w == [0xFF, 0xD9]));
        }
        i += 2 + len;
    }
    false
}

/// The size an SVG gives itself: `width` and `height` in pixels, else its
/// `viewBox`; 0 × 0 when it gives neither.
fn svg_size(head: &str) -> (u32, u32) {
    let Some(start) = head.find("<svg") else { return (0, 0) };
    let tag = &head[start..head[start..].find('>').map_or(head.len(), |e| start + e)];
    let attr = |name: &str| {
        let at = tag.match_indices(name).find(|(i, _)| tag[..*i].ends_with(char::is_whitespace))?.0;
        let rest = tag[at + name.len()..].trim_start().strip_prefix('=')?.trim_start();
        let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        rest[1..].split(quote).next()
    };
    let px =
        |v: &str| v.trim().trim_end_matches("px").parse::<f64>().ok().filter(|n| *n > 0.0).map(|n| n.round() as u32);
    if let (Some(w), Some(h)) = (attr("width").and_then(px), attr("height").and_then(px)) {
        return (w, h);
    }
    let view: Vec<f64> = attr("viewBox")
        .map(|v| v.split([' ', ',']).filter(|s| !s.is_empty()).filter_map(|n| n.parse().ok()).collect())
        .unwrap_or_default();
    match view[..] {
        [_, _, w, h] if w > 0.0 && h > 0.0 => (w.round() as u32, h.round() as u32),
        _ => (0, 0),
    }
}

/// An image as a page shows it: the file for `src`, the files of its
/// `srcset`, and where they come from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Picture {
    /// Output path (relative to the site root) of the widest file.
    pub src: String,
    /// Of the widest file; 0 when unknown (an SVG without a size).
    pub width: u32,
    pub height: u32,
    /// (output path, width) of each file, narrowest first; empty when
    /// there is only `src`.
    pub srcset: Vec<(String, u32)>,
    /// (output path, width) of the same picture as WebP at each width of
    /// the srcset (or of `src` alone); empty for an SVG or a file vitrine
    /// does not read.
    pub webp: Vec<(String, u32)>,
    /// The image file below the site root.
    pub source: PathBuf,
    /// The output path of the file copied as it is.
    pub original: String,
    /// What loading found; `None` for a file of another format (shown as
    /// it is, size unknown).
    pub probe: Option<Probe>,
}

impl Picture {
    /// How the image at `source`, copied to output path `original`, is
    /// shown with the widths of `ladder` that are narrower than it; the
    /// widest file is the original itself when it is no wider than the
    /// ladder's top and upright.
    pub fn plan(source: &Path, original: &str, probe: Option<&Probe>, ladder: &[u32]) -> Picture {
        let mut picture = Picture {
            src: original.to_string(),
            width: 0,
            height: 0,
            srcset: Vec::new(),
            webp: Vec::new(),
            source: source.to_path_buf(),
            original: original.to_string(),
            probe: probe.cloned(),
        };
        let Some(probe) = probe else { return picture };
        let mut srcset: Vec<(String, u32)> = Vec::new();
        if probe.format != Format::Svg {
            let top = ladder.iter().copied().max().unwrap_or(0);
            for &w in ladder.iter().filter(|&&w| w < probe.width) {
                srcset.push((resized_name(original, w, probe.format), w));
            }
            if probe.width <= top {
                let name = if probe.orientation == 1 {
                    original.to_string()
                } else {
                    resized_name(original, probe.width, probe.format)
                };
                srcset.push((name, probe.width));
            }
        }
        let (src, width) = srcset.last().cloned().unwrap_or_else(|| (original.to_string(), probe.width));
        let height = if probe.width == 0 { probe.height } else { scaled(probe, width) };
        picture.webp = srcset.iter().map(|(_, w)| (webp_name(original, *w), *w)).collect();
        if srcset.len() < 2 {
            srcset.clear();
        }
        picture.src = src;
        (picture.width, picture.height, picture.srcset) = (width, height, srcset);
        picture
    }

    /// The files that are made from the image, in its format by resizing
    /// and as WebP: (width, encoding, output path).
    fn resized(&self) -> impl Iterator<Item = (MadeFile, &str)> {
        let same = self.srcset.iter().filter(|(rel, _)| *rel != self.original);
        let same = same.map(|(rel, w)| ((*w, Encoding::Same), rel.as_str()));
        same.chain(self.webp.iter().map(|(rel, w)| ((*w, Encoding::WebP), rel.as_str())))
    }
}

/// The height of `probe` shown at `width`.
fn scaled(probe: &Probe, width: u32) -> u32 {
    let w = u64::from(probe.width.max(1));
    ((u64::from(probe.height) * u64::from(width) + w / 2) / w).max(1) as u32
}

/// `nl/cases/x/hero.jpeg` at 480 px: `nl/cases/x/hero-480w.jpg`.
fn resized_name(original: &str, width: u32, format: Format) -> String {
    named(original, width, format.extension())
}

/// `nl/cases/x/hero.jpeg` as WebP at 480 px: `nl/cases/x/hero-480w.webp`.
fn webp_name(original: &str, width: u32) -> String {
    named(original, width, "webp")
}

fn named(original: &str, width: u32, extension: &str) -> String {
    let (dir, file) = original.rsplit_once('/').map_or(("", original), |(d, f)| (d, f));
    let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
    let sep = if dir.is_empty() { "" } else { "/" };
    format!("{dir}{sep}{stem}-{width}w.{extension}")
}

/// A file made from an image: its width and encoding.
pub type MadeFile = (u32, Encoding);

/// How a made file is encoded: as the image itself (JPEG or PNG), or as WebP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Encoding {
    Same,
    WebP,
}

/// The resized files of one image file, made together so that it is
/// decoded once: the outputs of each width and encoding (one per page
/// showing it).
#[derive(Debug, Clone)]
pub struct Resize {
    pub source: PathBuf,
    pub probe: Probe,
    pub outputs: BTreeMap<MadeFile, Vec<String>>,
}

/// The resizing the pictures need, one job per image file.
pub fn resizes<'a>(pictures: impl Iterator<Item = &'a Picture>) -> Vec<Resize> {
    let mut jobs: BTreeMap<&Path, Resize> = BTreeMap::new();
    for p in pictures {
        let Some(probe) = &p.probe else { continue };
        for (file, rel) in p.resized() {
            let job = jobs.entry(&p.source).or_insert_with(|| Resize {
                source: p.source.clone(),
                probe: probe.clone(),
                outputs: BTreeMap::new(),
            });
            let outputs = job.outputs.entry(file).or_default();
            if !outputs.iter().any(|o| o == rel) {
                outputs.push(rel.to_string());
            }
        }
    }
    jobs.into_values().collect()
}

/// A resized file ready to write.
pub enum Made {
    /// Resized now (and put in the cache).
    Bytes(Vec<u8>),
    /// Resized by an earlier build.
    Cached(Hit),
}

impl Resize {
    /// A fingerprint of the file of this width and encoding: equal
    /// fingerprints, equal bytes.
    pub fn fingerprint(&self, (width, encoding): MadeFile) -> u64 {
        let mut h = std::hash::DefaultHasher::new();
        let made = (crate::cache::program(), RESIZE_VERSION, self.probe.digest, self.probe.orientation, width);
        (made, encoding).hash(&mut h);
        h.finish()
    }

    fn cache_name(&self, file: MadeFile) -> String {
        let extension = if file.1 == Encoding::WebP { "webp" } else { self.probe.format.extension() };
        format!("{:016x}.{extension}", self.fingerprint(file))
    }

    /// The files of these widths and encodings, from the cache where an
    /// earlier build made them, else made now (the image decoded once, each
    /// width resized from the next wider one) and cached. `root` is the site's.
    pub fn make(&self, root: &Path, cache: &Cache, files: &[MadeFile]) -> Result<Vec<(MadeFile, Made)>, Unusable> {
        let mut out = Vec::with_capacity(files.len());
        let mut missing: Vec<MadeFile> = Vec::new();
        for &file in files {
            match cache.get(CACHE_KIND, &self.cache_name(file)) {
                Some(hit) => out.push((file, Made::Cached(hit))),
                None => missing.push(file),
            }
        }
        if missing.is_empty() {
            return Ok(out);
        }
        let mut image = decode(&root.join(&self.source))?;
        missing.sort_unstable_by(|a, b| b.cmp(a));
        for (w, encoding) in missing {
            let h = scaled(&self.probe, w);
            if (w, h) != (image.width(), image.height()) {
                image = image.resize_exact(w, h, FilterType::Lanczos3);
            }
            let bytes = match encoding {
                Encoding::Same => encode(&image, self.probe.format).map_err(failed)?,
                Encoding::WebP => encode_webp(&image, self.probe.format)?,
            };
            cache.put(CACHE_KIND, &self.cache_name((w, encoding)), &bytes);
            out.push(((w, encoding), Made::Bytes(bytes)));
        }
        Ok(out)
    }
}

fn failed(e: image::ImageError) -> Unusable {
    Unusable { message: format!("this image cannot be read: {e}"), hint: RESAVE }
}

/// An image file decoded and turned upright (EXIF orientation).
fn decode(path: &Path) -> Result<DynamicImage, Unusable> {
    let bytes = std::fs::read(path).map_err(|e| Unusable { message: format!("cannot read: {e}"), hint: RESAVE })?;
    let mut decoder = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| failed(e.into()))?
        .into_decoder()
        .map_err(failed)?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(failed)?;
    image.apply_orientation(orientation);
    Ok(image)
}

impl Picture {
    /// A hash of the image file's bytes and orientation, for the key of
    /// what is drawn from it; `None` for a file vitrine does not decode (SVG).
    pub fn digest(&self) -> Option<u64> {
        let probe = self.probe.as_ref().filter(|p| p.format != Format::Svg)?;
        Some(probe.digest ^ u64::from(probe.orientation).rotate_left(56))
    }

    /// The image's pixels, upright; `root` is the site's.
    pub fn pixels(&self, root: &Path) -> Result<image::RgbImage, Unusable> {
        Ok(decode(&root.join(&self.source))?.to_rgb8())
    }
}

fn encode(image: &DynamicImage, format: Format) -> image::ImageResult<Vec<u8>> {
    let mut bytes = Vec::new();
    match format {
        Format::Jpeg => {
            // optimised Huffman tables and 4:2:0 chroma: 40 % smaller than image's own encoder
            let mut encoder = jpeg_encoder::Encoder::new(&mut bytes, JPEG_QUALITY);
            encoder.set_optimized_huffman_tables(true);
            encoder.set_sampling_factor(jpeg_encoder::SamplingFactor::F_2_2);
            let rgb = image.to_rgb8();
            let (w, h) = (u16::try_from(rgb.width()), u16::try_from(rgb.height()));
            let (Ok(w), Ok(h)) = (w, h) else {
                return Err(image::ImageError::Limits(image::error::LimitError::from_kind(
                    image::error::LimitErrorKind::DimensionError,
                )));
            };
            encoder.encode(rgb.as_raw(), w, h, jpeg_encoder::ColorType::Rgb).map_err(|e| {
                image::ImageError::Encoding(image::error::EncodingError::new(image::ImageFormat::Jpeg.into(), e))
            })?;
        }
        Format::Png | Format::Svg => {
            use image::codecs::png::{CompressionType, FilterType, PngEncoder};
            let encoder = PngEncoder::new_with_quality(&mut bytes, CompressionType::Default, FilterType::Adaptive);
            image.write_with_encoder(encoder)?;
        }
    }
    Ok(bytes)
}

/// `image` as WebP: lossy from a JPEG, lossless from a PNG (a drawing, a
/// logo, a photo with transparency).
fn encode_webp(image: &DynamicImage, format: Format) -> Result<Vec<u8>, Unusable> {
    let (w, h) = (image.width(), image.height());
    let encoded = if image.color().has_alpha() {
        let rgba = image.to_rgba8();
        webp::Encoder::from_rgba(rgba.as_raw(), w, h).encode_simple(format == Format::Png, WEBP_QUALITY)
    } else {
        let rgb = image.to_rgb8();
        webp::Encoder::from_rgb(rgb.as_raw(), w, h).encode_simple(format == Format::Png, WEBP_QUALITY)
    };
    encoded
        .map(|m| m.to_vec())
        .map_err(|e| Unusable { message: format!("this image cannot be made into a WebP file ({e:?})"), hint: RESAVE })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn probe(format: Format, width: u32, height: u32) -> Probe {
        Probe { format, width, height, orientation: 1, digest: 7 }
    }

    #[test]
    fn svg_sizes_come_from_width_and_height_else_the_view_box() {
        assert_eq!(svg_size(r#"<?xml?><svg xmlns="x" width="1200" height="500px">"#), (1200, 500));
        assert_eq!(svg_size("<svg viewBox='0 0 300.4 150'>"), (300, 150));
        assert_eq!(svg_size(r#"<svg stroke-width="2" viewBox="0,0,40,20">"#), (40, 20));
        assert_eq!(svg_size(r#"<svg width="100%" height="50%">"#), (0, 0));
        assert_eq!(svg_size("no svg here"), (0, 0));
    }

    #[test]
    fn the_ladder_stops_at_the_image_and_the_original_is_the_widest() {
        let src = Path::new("content/cases/x/hero.jpeg");
        let big = Picture::plan(src, "nl/cases/x/hero.jpeg", Some(&probe(Format::Jpeg, 4000, 2000)), CASE_WIDTHS);
        let names: Vec<(&str, u32)> = big.srcset.iter().map(|(r, w)| (r.as_str(), *w)).collect();
        assert_eq!(
            names,
            [
                ("nl/cases/x/hero-480w.jpg", 480),
                ("nl/cases/x/hero-720w.jpg", 720),
                ("nl/cases/x/hero-960w.jpg", 960),
                ("nl/cases/x/hero-1920w.jpg", 1920)
            ]
        );
        assert_eq!((big.src.as_str(), big.width, big.height), ("nl/cases/x/hero-1920w.jpg", 1920, 960));
        let webp: Vec<(&str, u32)> = big.webp.iter().map(|(r, w)| (r.as_str(), *w)).collect();
        assert_eq!(webp[0], ("nl/cases/x/hero-480w.webp", 480));
        assert_eq!(webp.iter().map(|f| f.1).collect::<Vec<_>>(), [480, 720, 960, 1920]);

        let mid = Picture::plan(src, "nl/cases/x/hero.jpeg", Some(&probe(Format::Jpeg, 1000, 500)), CASE_WIDTHS);
        assert_eq!(mid.srcset.iter().map(|s| s.1).collect::<Vec<_>>(), [480, 720, 960, 1000]);
        assert_eq!((mid.src.as_str(), mid.width, mid.height), ("nl/cases/x/hero.jpeg", 1000, 500));
        // the original is copied as it is, and made into a WebP of its own width
        assert_eq!(mid.webp.last().map(|(r, w)| (r.as_str(), *w)), Some(("nl/cases/x/hero-1000w.webp", 1000)));

        let small = Picture::plan(src, "people/p.png", Some(&probe(Format::Png, 60, 60)), PHOTO_WIDTHS);
        assert!(small.srcset.is_empty());
        assert_eq!(small.webp, [("people/p-60w.webp".to_string(), 60)]);
        assert_eq!((small.src.as_str(), small.width), ("people/p.png", 60));

        let svg = Picture::plan(src, "a/h.svg", Some(&probe(Format::Svg, 1200, 500)), CASE_WIDTHS);
        assert!(svg.srcset.is_empty() && svg.webp.is_empty() && resizes([&svg].into_iter()).is_empty());
    }

    #[test]
    fn one_job_per_image_file_with_every_page_that_shows_it() {
        let src = Path::new("content/cases/x/hero.jpg");
        let p = probe(Format::Jpeg, 2000, 1000);
        let nl = Picture::plan(src, "nl/cases/x/hero.jpg", Some(&p), CASE_WIDTHS);
        let fr = Picture::plan(src, "fr/projets/x/hero.jpg", Some(&p), CASE_WIDTHS);
        let jobs = resizes([&nl, &fr, &nl].into_iter());
        assert_eq!(jobs.len(), 1);
        assert_eq!(jobs[0].outputs[&(960, Encoding::Same)], ["nl/cases/x/hero-960w.jpg", "fr/projets/x/hero-960w.jpg"]);
        assert_eq!(
            jobs[0].outputs[&(960, Encoding::WebP)],
            ["nl/cases/x/hero-960w.webp", "fr/projets/x/hero-960w.webp"]
        );
        let widths = |e| jobs[0].outputs.keys().filter(|k| k.1 == e).map(|k| k.0).collect::<Vec<_>>();
        assert_eq!(widths(Encoding::Same), [480, 720, 960, 1920]);
        assert_eq!(widths(Encoding::WebP), [480, 720, 960, 1920]);
    }
}
