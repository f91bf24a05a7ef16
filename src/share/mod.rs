//! Pictures of the site: the share images (Open Graph, LinkedIn, X) of
//! cases and homes, and the poster's preview on its case page. [`raster`]
//! draws a layout's items into pixels; the share image is laid out here
//! with the poster's composer and fonts, the preview is the poster's own
//! layout. Both are kept in the build cache like posters.

pub mod raster;

use crate::cache::hash::Fnv;
use crate::cache::{Cache, Output};
use crate::diagnostic::Diagnostic;
use crate::model::Site;
use crate::model::urls::{PREVIEW, SHARE};
use crate::poster::fonts::{Faces, Style};
use crate::poster::layout::ShareLook;
use crate::poster::layout::{self, Colors, Composer, Item, Rect, Set};
use crate::poster::text::{Paragraph, Run};
use crate::poster::{Laid, PosterStyle, Posters, checked};
use std::hash::{Hash, Hasher};

/// The build cache's folder of share images and previews.
const CACHE_KIND: &str = "share";

/// The bytes a share image should stay under: what one with a photo
/// compresses harder for.
const SHARE_BUDGET: usize = 150_000;

/// A share image's width and height, in the pixels its layout is made in.
const W: f32 = SHARE.0 as f32;
const H: f32 = SHARE.1 as f32;

/// The pictures of one build: share images and posters' previews.
pub struct Pictures<'a> {
    site: &'a Site,
    style: &'a PosterStyle,
    cache: &'a Cache,
    posters: &'a Posters<'a>,
    /// The glyphs the pictures are drawn with, rasterised once per build.
    glyphs: raster::Glyphs,
}

impl<'a> Pictures<'a> {
    pub fn new(site: &'a Site, style: &'a PosterStyle, cache: &'a Cache, posters: &'a Posters<'a>) -> Pictures<'a> {
        Pictures { site, style, cache, posters, glyphs: raster::Glyphs::default() }
    }

    /// The share image of case page `i`: its client and title, the site,
    /// and its picture when it has one (and the theme shows it). Like every
    /// picture, with its warnings (a share image has none).
    pub fn share(&self, i: usize) -> Result<(Output, Vec<Diagnostic>), Diagnostic> {
        let p = &self.site.pages[i];
        let lang = &self.site.config.languages[p.lang].code;
        let picture = p.image.as_ref().filter(|_| self.style.share_picture);
        self.share_image(lang, &p.fm.client, &p.fm.title, picture, &p.source)
    }

    /// The share image of a language's home: the site's name and `title`.
    pub fn home_share(&self, lang: usize, title: &str) -> Result<(Output, Vec<Diagnostic>), Diagnostic> {
        let cfg = &self.site.config;
        self.share_image(&cfg.languages[lang].code, &cfg.title, title, None, std::path::Path::new("site.yaml"))
    }

    fn share_image(
        &self,
        lang: &str,
        kicker: &str,
        title: &str,
        picture: Option<&crate::images::Picture>,
        source: &std::path::Path,
    ) -> Result<(Output, Vec<Diagnostic>), Diagnostic> {
        let faces = Faces::new(&self.style.fonts);
        let cfg = &self.site.config;
        // (the texts come set in the language's typography; the site's name
        // and address are shown as site.yaml writes them, as on every page)
        let t = |text: &str| checked(text, &faces);
        let content = ShareContent {
            lang: lang.to_string(),
            kicker: t(kicker),
            title: t(title),
            footer: t(&cfg.title),
            address: t(cfg.base.shown()),
        };
        let digest = picture.and_then(crate::images::Picture::digest);
        let mut key = Fnv::new();
        (self.posters.fingerprint(), &content, digest).hash(&mut key);
        let name = format!("{:016x}.png", key.finish());
        if let Some(hit) = self.cache.get(CACHE_KIND, &name) {
            return Ok((Output::Cached { path: hit.path, size: hit.size }, Vec::new()));
        }
        // a picture that cannot be read is reported where the page shows it
        let pixels = digest.and(picture).and_then(|pic| pic.pixels(&self.site.root).ok());
        let (items, rect) = layout(&content, &faces, &self.style.share, pixels.is_some());
        let mut canvas = raster::Canvas::new(SHARE.0, SHARE.1, layout::WHITE);
        raster::draw(&mut canvas, &items, 1.0, &faces, &self.glyphs);
        if let (Some(pixels), Some(rect)) = (&pixels, rect) {
            raster::cover(&mut canvas, pixels, rect, 1.0);
        }
        let bytes = raster::png(&canvas, SHARE_BUDGET)
            .map_err(|e| Diagnostic::error(source, 1, 1, format!("cannot draw the share image: {e}")))?;
        Ok((self.cache.made(CACHE_KIND, &name, bytes), Vec::new()))
    }

    /// The preview of page `i`'s poster: its layout (made for another file
    /// of the poster, `laid`, or made there) drawn at [`PREVIEW`] size.
    pub fn preview(&self, i: usize, laid: &mut Option<Laid>) -> Result<(Output, Vec<Diagnostic>), Diagnostic> {
        self.posters.drawn(i, laid, |placed, faces| {
            let mut canvas = raster::Canvas::new(PREVIEW.0, PREVIEW.1, layout::WHITE);
            raster::draw(&mut canvas, &placed.items, PREVIEW.0 as f32 / layout::PAGE_W, faces, &self.glyphs);
            raster::png(&canvas, usize::MAX).map_err(|e| {
                let p = &self.site.pages[i];
                Diagnostic::error(&p.source, 1, 1, format!("cannot draw the poster's preview: {e}"))
            })
        })
    }
}

/// What a share image shows: a kicker (the client, or the site on a home),
/// a title fitted to the space left, the site's name and address.
#[derive(Hash)]
pub struct ShareContent {
    pub lang: String,
    pub kicker: String,
    pub title: String,
    pub footer: String,
    pub address: String,
}

/// The largest and smallest size of a share image's title, in pixels.
const SHARE_TITLE: (f32, f32) = (76.0, 40.0);

/// Lays a share image out (units are pixels); with `image`, the right part is left for the
/// case's picture and returned. The title gets the largest size from
/// [`SHARE_TITLE`] at which it fits, measured and hyphenated as on the
/// poster; at the smallest, what does not fit ends with "…".
fn layout(c: &ShareContent, faces: &Faces, look: &ShareLook, image: bool) -> (Vec<Item>, Option<Rect>) {
    let pad = 64.0;
    let bar = 14.0;
    let picture = image.then_some(Rect { x: W * 0.62, y: 0.0, w: W * 0.38, h: H - bar });
    let right = picture.map_or(W - pad, |r| r.x - 48.0);
    let width = right - pad;
    let colors = Colors {
        primary: look.background,
        accent: look.accent,
        band: look.background,
        text: look.title,
        muted: look.muted,
        light: look.muted,
    };
    let mut k = Composer::new(faces, &colors, SHARE_TITLE.1);
    k.fill(Rect { x: 0.0, y: 0.0, w: W, h: H }, look.background);
    k.fill(Rect { x: 0.0, y: H - bar, w: W, h: bar }, look.accent);
    let mut y = pad;
    if !c.kicker.is_empty() {
        let kicker = Paragraph::new(&[Run::plain(Style::Bold, &c.kicker.to_uppercase())], faces, None);
        y += k.text(&kicker, pad, y, width, Set { size: 26.0, leading: 1.25, color: look.accent }) + 28.0;
    }
    // the footer: the site's name, its address beside it
    let foot = 26.0;
    let foot_y = H - bar - pad * 0.8 - foot;
    k.label(&c.footer, pad, foot_y, foot, Style::Bold, look.title);
    let name_em = faces.em_width(Style::Bold, &c.footer);
    k.label(&c.address, pad + name_em * foot + 18.0, foot_y + 2.0, foot - 4.0, Style::Regular, look.muted);
    let room = foot_y - 32.0 - y;
    let patterns = crate::text::typography::hyphenation(&c.lang);
    let height = |p: &Paragraph, size: f32| {
        let n = p.wrap(width / size, faces).len() as f32;
        (n - 1.0).max(0.0) * size * 1.08 + size * (faces.ascent(Style::Regular) + faces.descent(Style::Regular))
    };
    let mut title = Paragraph::new(&[Run::plain(Style::Bold, &c.title)], faces, patterns);
    let mut size = SHARE_TITLE.0;
    while size > SHARE_TITLE.1 && height(&title, size) > room {
        size -= 2.0;
    }
    // still too long at the smallest size: words off the end, an ellipsis after the last
    let mut words: Vec<&str> = c.title.split(' ').collect();
    while height(&title, size) > room && words.len() > 1 {
        words.pop();
        let text = format!("{}\u{2026}", words.join(" ").trim_end_matches([',', ';', ':', '.', ' ']));
        title = Paragraph::new(&[Run::plain(Style::Bold, &text)], faces, patterns);
    }
    k.text(&title, pad, y, width, Set { size, leading: 1.08, color: look.title });
    (k.items, picture)
}
