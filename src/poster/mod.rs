//! The A3 strategy poster of a case: [`layout`] places the content with the
//! real metrics of the theme's [`fonts`], [`pdf`] writes it. Posters are cached
//! between builds by a hash of everything they are made of.

pub mod fonts;
pub mod hash;
pub mod layout;
pub mod pdf;
pub mod text;

pub use crate::cache::Cache;
use crate::diagnostic::Diagnostic;
use crate::frontmatter::{self, Schema};
use crate::i18n::I18n;
use crate::model::{CasePage, Site};
use crate::theme::Theme;
use fonts::{EmbedSet, Faces, FontFile, FontSet, Style};
use hash::Fnv;
use layout::{Colors, Contact, Content, Labels, Rgb};
use rayon::prelude::*;
use serde::Deserialize;
use std::collections::{BTreeSet, HashMap};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use text::Run;

/// Deflate level of the embedded fonts: they are packed once per build and
/// copied into every poster, so the smallest is worth its few milliseconds.
const FONT_FLATE_LEVEL: u32 = 9;

/// The posters' folder of the build cache.
const CACHE_KIND: &str = "posters";

/// The poster's look, from the theme: fonts and colours.
pub struct PosterStyle {
    pub fonts: FontSet,
    pub colors: Colors,
    /// A hash of the font files and colours, part of every poster's cache key.
    fingerprint: u64,
    /// `SOURCE_DATE_EPOCH`, if set: the creation date written in posters.
    epoch: Option<i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StyleFile {
    fonts: FontNames,
    colors: ColorNames,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FontNames {
    regular: String,
    bold: String,
    italic: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ColorNames {
    primary: String,
    accent: String,
    band: String,
    text: String,
    muted: String,
    light: String,
}

static STYLE_SCHEMA: Schema = Schema::Map(&[
    (
        "fonts",
        true,
        Schema::Map(&[
            ("regular", true, Schema::Scalar),
            ("bold", true, Schema::Scalar),
            ("italic", true, Schema::Scalar),
        ]),
    ),
    (
        "colors",
        true,
        Schema::Map(&[
            ("primary", true, Schema::Scalar),
            ("accent", true, Schema::Scalar),
            ("band", true, Schema::Scalar),
            ("text", true, Schema::Scalar),
            ("muted", true, Schema::Scalar),
            ("light", true, Schema::Scalar),
        ]),
    ),
]);

fn hex(s: &str) -> Option<Rgb> {
    let h = s.trim().strip_prefix('#')?;
    if h.len() != 6 || !h.is_ascii() {
        return None;
    }
    let c = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).ok().map(|v| f32::from(v) / 255.0);
    Some(Rgb(c(0)?, c(2)?, c(4)?))
}

impl PosterStyle {
    /// Reads the theme's `poster.yaml` and the fonts it names.
    pub fn load(theme: &Theme) -> Result<PosterStyle, Vec<Diagnostic>> {
        let Some((bytes, shown)) = theme.file("poster.yaml") else {
            return Err(vec![Diagnostic::error("poster.yaml", 1, 1, "the theme has no poster.yaml")]);
        };
        let shown = shown.to_path_buf();
        let err = |l, c, m: String| vec![Diagnostic::error(&shown, l, c, m)];
        let bytes = bytes.map_err(|e| err(1, 1, format!("cannot read: {e}")))?;
        let src = String::from_utf8_lossy(&bytes).into_owned();
        let file: StyleFile = frontmatter::parse(&src, &STYLE_SCHEMA)
            .map_err(|ps| ps.into_iter().map(|p| p.into_diagnostic(&shown)).collect::<Vec<_>>())?;
        let mut diags = Vec::new();
        let mut hasher = Fnv::new();
        let c = &file.colors;
        let mut colors = [Rgb(0.0, 0.0, 0.0); 6];
        for (i, (name, value)) in [
            ("primary", &c.primary),
            ("accent", &c.accent),
            ("band", &c.band),
            ("text", &c.text),
            ("muted", &c.muted),
            ("light", &c.light),
        ]
        .into_iter()
        .enumerate()
        {
            value.hash(&mut hasher);
            match hex(value) {
                Some(rgb) => colors[i] = rgb,
                None => {
                    let (l, col) = frontmatter::locate_value(
                        &src,
                        &[frontmatter::Seg::Key("colors"), frontmatter::Seg::Key(name)],
                    );
                    diags.push(Diagnostic::error(
                        &shown,
                        l,
                        col,
                        format!("`{value}` is not a colour such as \"#16315f\""),
                    ));
                }
            }
        }
        let mut files = Vec::new();
        for (name, rel) in
            [("regular", &file.fonts.regular), ("bold", &file.fonts.bold), ("italic", &file.fonts.italic)]
        {
            let (l, col) =
                frontmatter::locate_value(&src, &[frontmatter::Seg::Key("fonts"), frontmatter::Seg::Key(name)]);
            let loaded = match theme.file(rel) {
                None => Err(format!("the font `{rel}` is not a file of the theme")),
                Some((Err(e), _)) => Err(format!("cannot read the font `{rel}`: {e}")),
                Some((Ok(bytes), _)) => {
                    bytes.hash(&mut hasher);
                    FontFile::new(rel, bytes)
                }
            };
            match loaded {
                Ok(f) => files.push(f),
                Err(m) => diags.push(Diagnostic::error(&shown, l, col, m)),
            }
        }
        if !diags.is_empty() {
            return Err(diags);
        }
        let [regular, bold, italic]: [FontFile; 3] = files.try_into().map_err(|_| Vec::new())?;
        let [primary, accent, band, text, muted, light] = colors;
        let epoch = std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|s| s.trim().parse().ok());
        Ok(PosterStyle {
            fonts: FontSet { files: [regular, bold, italic] },
            colors: Colors { primary, accent, band, text, muted, light },
            fingerprint: hasher.finish(),
            epoch,
        })
    }
}

/// Identifies the running vitrine, so that a new build of the program (whose
/// layout may differ) never takes posters an older one cached.
fn build_id() -> &'static str {
    static ID: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    ID.get_or_init(|| {
        let exe = std::env::current_exe().and_then(std::fs::metadata);
        let stamp = exe.map(|m| {
            let t = m.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).unwrap_or_default();
            format!("{}-{}", m.len(), t.as_nanos())
        });
        format!("{}-{}", env!("CARGO_PKG_VERSION"), stamp.unwrap_or_default())
    })
}

/// The file name of a case's poster, beside its page.
pub fn file_name(page: &CasePage) -> String {
    format!("{}-a3.pdf", page.slug)
}

/// Replaces characters the fonts lack with `?`, and says which.
fn checked(text: &str, faces: &Faces, missing: &mut Vec<char>) -> String {
    text.chars()
        .map(|c| {
            if Style::ALL.iter().all(|s| faces.has(*s, c)) || c.is_control() {
                c
            } else {
                if !missing.contains(&c) {
                    missing.push(c);
                }
                '?'
            }
        })
        .collect()
}

/// A hash of what [`content`] reads of page `i` besides the messages and
/// the configuration (which a `serve` rebuild never changes in place).
fn content_key(site: &Site, i: usize) -> u64 {
    let p = &site.pages[i];
    let mut h = std::hash::DefaultHasher::new();
    (p.digest, &p.url, p.fm.contact.as_ref().and_then(|id| site.people.get(id))).hash(&mut h);
    h.finish()
}

/// Everything the poster of page `i` shows, in its language.
fn content(site: &Site, i: usize, i18n: &I18n, faces: &Faces, missing: &mut Vec<char>) -> Content {
    let p = &site.pages[i];
    let cfg = &site.config;
    let lang = &cfg.languages[p.lang].code;
    let s = p.fm.strategy.as_ref().expect("only cases with a strategy get a poster");
    let mut t = |text: &str| checked(&text::typography(text, lang), faces, missing);
    let runs_of = |md: &str, t: &mut dyn FnMut(&str) -> String| -> Vec<Run> {
        text::runs(md, Style::Regular, Style::Bold).into_iter().map(|r| Run { text: t(&r.text), ..r }).collect()
    };
    let story = s.story.as_deref().map(|md| runs_of(md, &mut t)).unwrap_or_default();
    let lines = s
        .lines
        .iter()
        .map(|l| (t(&l.title), l.text.as_deref().map(|md| runs_of(md, &mut t)).unwrap_or_default()))
        .collect();
    let facts = p.fm.facts.iter().flatten().map(|f| (t(&f.value), t(&f.label))).collect();
    let quote = p.fm.quote.as_ref().map(|q| (t(&q.text), q.author.as_deref().map(&mut t)));
    let contact = p.fm.contact.as_ref().and_then(|id| site.people.get(id)).map(|person| Contact {
        name: t(&person.name),
        role: person.role.as_ref().and_then(|r| r.get(lang, &cfg.default_lang().code)).map(&mut t),
        email: person.email.as_deref().map(&mut t),
    });
    let mut count = fluent::FluentArgs::new();
    count.set("count", s.lines.len());
    let labels = Labels {
        kicker: t(&i18n.text(p.lang, "poster-kicker")),
        lines: t(&i18n
            .format(p.lang, "poster-lines", Some(&count))
            .unwrap_or_else(|_| i18n.text(p.lang, "strategy-heading"))),
        facts: t(&i18n.text(p.lang, "facts-heading")),
        contact: t(&i18n.text(p.lang, "poster-contact")),
    };
    Content {
        client: t(&p.fm.client),
        case_title: t(&p.fm.title),
        strategy_title: t(&s.title),
        story,
        lines,
        facts,
        quote,
        contact,
        footer_left: t(&cfg.title),
        footer_right: cfg.base.abs(&p.url),
        labels,
    }
}

/// A poster's content and the warnings found making it.
type Prepared = Option<(Content, Vec<Diagnostic>)>;

/// The posters of one build: every poster's content prepared once, and the
/// fonts subset once to the characters they use, so that rendering a poster
/// is layout and PDF writing only.
pub struct Posters<'a> {
    site: &'a Site,
    i18n: &'a I18n,
    style: &'a PosterStyle,
    cache: &'a Cache,
    embed: Arc<EmbedSet>,
    /// Per page: its content and warnings, when prepared (pages without a
    /// strategy: none; pages whose characters came from the memo: made on use).
    contents: Vec<Prepared>,
}

/// What earlier preparations of the same site's posters found, kept by
/// `serve` between rebuilds: the characters of each poster (by case file
/// and a hash of what its content is made of) and the fonts subset to all
/// of them, so that a rebuild prepares only the posters whose case changed.
#[derive(Default)]
pub struct Memo {
    chars: HashMap<PathBuf, (u64, Arc<[char]>)>,
    embed: Option<(BTreeSet<char>, Arc<EmbedSet>)>,
}

impl<'a> Posters<'a> {
    /// Prepares the posters of `pages` (indices of pages with a strategy),
    /// with the fonts subset to the characters all of them use.
    pub fn prepare(
        site: &'a Site,
        i18n: &'a I18n,
        style: &'a PosterStyle,
        cache: &'a Cache,
        pages: &[usize],
    ) -> Result<Posters<'a>, Diagnostic> {
        Posters::prepare_with(site, i18n, style, cache, pages, &mut Memo::default())
    }

    /// [`Posters::prepare`], taking from `memo` the characters of posters
    /// whose case is unchanged and leaving in it what this build found.
    pub fn prepare_with(
        site: &'a Site,
        i18n: &'a I18n,
        style: &'a PosterStyle,
        cache: &'a Cache,
        pages: &[usize],
        memo: &mut Memo,
    ) -> Result<Posters<'a>, Diagnostic> {
        let faces = Faces::new(&style.fonts);
        let mut contents: Vec<Prepared> = (0..site.pages.len()).map(|_| None).collect();
        let keyed: Vec<(usize, u64)> = pages.iter().map(|&i| (i, content_key(site, i))).collect();
        let prepared: Vec<(usize, u64, Arc<[char]>, Prepared)> = keyed
            .par_iter()
            .map(|&(i, key)| match memo.chars.get(&site.pages[i].rel) {
                Some((k, chars)) if *k == key => (i, key, chars.clone(), None),
                _ => {
                    let mut missing = Vec::new();
                    let content = content(site, i, i18n, &faces, &mut missing);
                    // printable ASCII is in every subset anyway: keep the rest
                    let mut chars = BTreeSet::new();
                    content.each_text(&mut |t| chars.extend(t.chars().filter(|c| !c.is_ascii())));
                    let chars: Arc<[char]> = chars.into_iter().collect();
                    (i, key, chars, Some((content, missing_warning(&site.pages[i], &missing))))
                }
            })
            .collect();
        let mut chars = BTreeSet::new();
        let mut memo_chars = HashMap::with_capacity(prepared.len());
        for (i, key, used, content) in prepared {
            chars.extend(used.iter().copied());
            memo_chars.insert(site.pages[i].rel.clone(), (key, used));
            contents[i] = content;
        }
        memo.chars = memo_chars;
        let embed = match memo.embed.take() {
            Some((c, embed)) if c == chars => embed,
            _ => Arc::new(style.fonts.embed(&chars, FONT_FLATE_LEVEL).map_err(|e| {
                Diagnostic::error(Path::new("poster.yaml"), 1, 1, format!("cannot embed the poster fonts: {e}"))
            })?),
        };
        memo.embed = Some((chars, embed.clone()));
        Ok(Posters { site, i18n, style, cache, embed, contents })
    }

    /// Changes when the fonts embedded in every poster change (they are
    /// subset to the characters all posters of the build use).
    pub fn fingerprint(&self) -> u64 {
        self.embed.fingerprint
    }

    /// Renders the poster of page `i`, or finds it in the cache when nothing
    /// it is made of changed. Returns the PDF and any warning.
    pub fn poster(&self, i: usize) -> Result<(Poster, Vec<Diagnostic>), Diagnostic> {
        let p = &self.site.pages[i];
        if p.fm.strategy.is_none() {
            return Err(Diagnostic::error(&p.source, 1, 1, "this case has no `strategy`, so it has no poster"));
        }
        let faces = Faces::new(&self.style.fonts);
        let made;
        let (content, warnings) = match &self.contents[i] {
            Some(c) => (&c.0, &c.1),
            None => {
                let mut missing = Vec::new();
                let content = content(self.site, i, self.i18n, &faces, &mut missing);
                made = (content, missing_warning(p, &missing));
                (&made.0, &made.1)
            }
        };
        let lang = &self.site.config.languages[p.lang].code;
        let mut key = Fnv::new();
        (build_id(), content, self.style.fingerprint, self.embed.fingerprint, self.style.epoch, lang, &p.fm.tags)
            .hash(&mut key);
        let key = key.finish();
        let name = format!("{key:016x}.pdf");
        if let Some(hit) = self.cache.get(CACHE_KIND, &name) {
            return Ok((Poster::Cached { path: hit.path, size: hit.size }, warnings.clone()));
        }
        let placed = layout::layout(content, &faces, &self.style.colors).ok_or_else(|| {
            Diagnostic::error(
                &p.source,
                p.strategy_at.0,
                p.strategy_at.1,
                format!("the strategy does not fit on one A3 poster, even with {} pt body text", layout::MIN_BODY),
            )
            .with_hint("shorten the story, the strategy lines or the facts")
        })?;
        let meta = pdf::Meta {
            title: &content.strategy_title,
            author: &self.site.config.title,
            subject: &content.case_title,
            keywords: &p.fm.tags,
            lang,
            epoch: self.style.epoch,
        };
        let bytes = pdf::write(&placed, &self.embed, &faces, &meta)
            .map_err(|e| Diagnostic::error(&p.source, 1, 1, format!("cannot write the poster: {e}")))?;
        self.cache.put(CACHE_KIND, &name, &bytes);
        Ok((Poster::Rendered(bytes), warnings.clone()))
    }

    /// The PDF bytes of page `i`'s poster, rendered or read from the cache.
    pub fn render(&self, i: usize) -> Result<(Vec<u8>, Vec<Diagnostic>), Diagnostic> {
        let (poster, warnings) = self.poster(i)?;
        let bytes = match poster {
            Poster::Rendered(bytes) => bytes,
            Poster::Cached { path, .. } => std::fs::read(&path)
                .map_err(|e| Diagnostic::error(&path, 1, 1, format!("cannot read the cached poster: {e}")))?,
        };
        Ok((bytes, warnings))
    }
}

/// A poster ready to write: rendered now, or a file of the cache (copied
/// file to file, so an unchanged poster costs no more than a copy).
pub enum Poster {
    Rendered(Vec<u8>),
    Cached { path: PathBuf, size: usize },
}

/// A warning for the characters a poster's fonts lack.
fn missing_warning(p: &CasePage, missing: &[char]) -> Vec<Diagnostic> {
    if missing.is_empty() {
        return Vec::new();
    }
    let list: Vec<String> = missing.iter().map(|c| format!("`{c}` (U+{:04X})", u32::from(*c))).collect();
    vec![Diagnostic::warning(
        &p.source,
        p.strategy_at.0,
        p.strategy_at.1,
        format!("the poster font has no glyph for {}; the poster shows `?` instead", list.join(", ")),
    )]
}

/// "42 kB", "1,2 MB" (decimal comma but in English).
pub fn size_text(bytes: usize, lang: &str) -> String {
    let s = if bytes < 1_000_000 {
        format!("{} kB", bytes.div_ceil(1000))
    } else {
        format!("{:.1} MB", bytes as f64 / 1_000_000.0)
    };
    if lang.starts_with("en") { s } else { s.replace('.', ",") }
}
