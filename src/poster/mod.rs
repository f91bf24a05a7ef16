//! The A3 strategy poster of a case: [`layout`] places the content with the
//! real metrics of the theme's [`fonts`], [`pdf`] writes it. Posters are cached
//! between builds by a hash of everything they are made of.
//!
//! The room of the poster only: its pictures (the preview) are drawn by
//! [`crate::share`] from the layout [`Posters::drawn`] hands out.

pub mod fonts;
pub mod layout;
pub mod pdf;
pub mod text;

use crate::cache::hash::Fnv;
use crate::cache::{Cache, Output};
use crate::diagnostic::Diagnostic;
use crate::load::i18n::I18n;
use crate::load::theme::Theme;
use crate::model::frontmatter::{self, Schema};
use crate::model::urls::PosterFile;
use crate::model::{CasePage, Site};
use fonts::{Faces, FontFile, FontSet, Style};
use layout::{Colors, Contact, Content, Labels, Rgb, ShareLook};
use pdf::FontObjects;
use serde::Deserialize;
use std::collections::{BTreeSet, HashMap};
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};
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
    /// `SOURCE_DATE_EPOCH`, when the build was given one: the creation date
    /// written in posters (else each case's date).
    epoch: Option<i64>,
    /// Each colour of `colors` with its CMYK value from `poster.yaml`, if any.
    palette: Vec<(Rgb, Option<[f32; 4]>)>,
    /// `poster.yaml` as diagnostics name it.
    shown: PathBuf,
    /// The colours of the share images, and whether they show the case's picture.
    pub(crate) share: ShareLook,
    pub(crate) share_picture: bool,
    /// What the print files share, made when the first is asked for.
    print: Made<pdf::Print>,
    /// The fonts of the posters, by the characters they hold besides the
    /// base set ([`fonts::in_base`]; almost always none), each made when the
    /// first poster needs it.
    embedded: Mutex<HashMap<BTreeSet<char>, Arc<Made<FontObjects>>>>,
}

/// Something made once, when first needed, by whichever thread needs it.
type Made<T> = OnceLock<Result<Arc<T>, String>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StyleFile {
    fonts: FontNames,
    colors: ColorNames,
    #[serde(default)]
    share: Option<ShareNames>,
}

/// `share:` of `poster.yaml`: the share images' colours, each one of the
/// six colours by name (`primary`) or a colour of its own (`"#ffffff"`),
/// and whether they show the case's picture.
#[derive(Deserialize, Hash, Default)]
#[serde(deny_unknown_fields)]
struct ShareNames {
    background: Option<String>,
    title: Option<String>,
    accent: Option<String>,
    muted: Option<String>,
    picture: Option<bool>,
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
    #[serde(deserialize_with = "color")]
    primary: ColorValue,
    #[serde(deserialize_with = "color")]
    accent: ColorValue,
    #[serde(deserialize_with = "color")]
    band: ColorValue,
    #[serde(deserialize_with = "color")]
    text: ColorValue,
    #[serde(deserialize_with = "color")]
    muted: ColorValue,
    #[serde(deserialize_with = "color")]
    light: ColorValue,
}

/// A colour of `poster.yaml`: `"#16315f"`, or with the brand's print value
/// beside it, `{ rgb: "#16315f", cmyk: [100, 72, 0, 38] }` (percentages).
#[derive(Deserialize, Hash)]
#[serde(deny_unknown_fields)]
struct ColorValue {
    rgb: String,
    cmyk: Option<[u8; 4]>,
}

/// Reads either form of a [`ColorValue`].
fn color<'de, D: serde::Deserializer<'de>>(d: D) -> Result<ColorValue, D::Error> {
    struct V;
    impl<'de> serde::de::Visitor<'de> for V {
        type Value = ColorValue;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a colour such as \"#16315f\", or { rgb: \"#16315f\", cmyk: [100, 72, 0, 38] }")
        }
        fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<ColorValue, E> {
            Ok(ColorValue { rgb: s.to_string(), cmyk: None })
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, m: A) -> Result<ColorValue, A::Error> {
            ColorValue::deserialize(serde::de::value::MapAccessDeserializer::new(m))
        }
    }
    d.deserialize_any(V)
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
            ("primary", true, Schema::Any),
            ("accent", true, Schema::Any),
            ("band", true, Schema::Any),
            ("text", true, Schema::Any),
            ("muted", true, Schema::Any),
            ("light", true, Schema::Any),
        ]),
    ),
    (
        "share",
        false,
        Schema::Map(&[
            ("background", false, Schema::Scalar),
            ("title", false, Schema::Scalar),
            ("accent", false, Schema::Scalar),
            ("muted", false, Schema::Scalar),
            ("picture", false, Schema::Scalar),
        ]),
    ),
]);

/// The six colours of `poster.yaml`, in the order of [`Colors`].
const COLOR_NAMES: [&str; 6] = ["primary", "accent", "band", "text", "muted", "light"];

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
    pub fn load(theme: &Theme, epoch: Option<i64>) -> Result<PosterStyle, Vec<Diagnostic>> {
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
        let mut cmyk = [None; 6];
        for (i, (name, value)) in
            COLOR_NAMES.into_iter().zip([&c.primary, &c.accent, &c.band, &c.text, &c.muted, &c.light]).enumerate()
        {
            value.hash(&mut hasher);
            let at = |key: Option<&str>| {
                let mut path = vec![frontmatter::Seg::Key("colors"), frontmatter::Seg::Key(name)];
                path.extend(key.map(frontmatter::Seg::Key));
                frontmatter::locate_value(&src, &path)
            };
            let rgb_key = value.cmyk.is_some().then_some("rgb");
            match hex(&value.rgb) {
                Some(rgb) => colors[i] = rgb,
                None => {
                    let (l, col) = at(rgb_key);
                    let m = format!("`{}` is not a colour such as \"#16315f\"", value.rgb);
                    diags.push(Diagnostic::error(&shown, l, col, m));
                }
            }
            match value.cmyk {
                Some(inks) if inks.iter().any(|&v| v > 100) => {
                    let (l, col) = at(Some("cmyk"));
                    let m = format!("`cmyk` of {name}: each ink is a percentage from 0 to 100, not {inks:?}");
                    diags.push(Diagnostic::error(&shown, l, col, m));
                }
                Some(inks) => cmyk[i] = Some(inks.map(|v| f32::from(v) / 100.0)),
                None => {}
            }
        }
        let share = file.share.unwrap_or_default();
        share.hash(&mut hasher);
        let mut share_color = |key: &'static str, value: &Option<String>, default: Rgb| {
            let Some(v) = value else { return default };
            if let Some(i) = COLOR_NAMES.iter().position(|n| n == v) {
                return colors[i];
            }
            hex(v).unwrap_or_else(|| {
                let (l, col) =
                    frontmatter::locate_value(&src, &[frontmatter::Seg::Key("share"), frontmatter::Seg::Key(key)]);
                let m = format!("`{v}` is neither a colour such as \"#ffffff\" nor one of {}", COLOR_NAMES.join(", "));
                diags.push(Diagnostic::error(&shown, l, col, m));
                default
            })
        };
        let share_look = ShareLook {
            background: share_color("background", &share.background, colors[0]),
            title: share_color("title", &share.title, Rgb(1.0, 1.0, 1.0)),
            accent: share_color("accent", &share.accent, colors[1]),
            muted: share_color("muted", &share.muted, colors[5]),
        };
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
        Ok(PosterStyle {
            fonts: FontSet::new([regular, bold, italic]),
            colors: Colors { primary, accent, band, text, muted, light },
            palette: colors.into_iter().zip(cmyk).collect(),
            shown,
            share: share_look,
            share_picture: share.picture.unwrap_or(true),
            fingerprint: hasher.finish(),
            epoch,
            embedded: Mutex::default(),
            print: OnceLock::new(),
        })
    }

    /// A warning when colours of `poster.yaml` have no CMYK value, so that
    /// the print files convert them: given once per build that makes any.
    pub fn converted_colors(&self) -> Option<Diagnostic> {
        let converted: Vec<&str> =
            COLOR_NAMES.iter().zip(&self.palette).filter(|(_, (_, cmyk))| cmyk.is_none()).map(|(n, _)| *n).collect();
        (!converted.is_empty()).then(|| {
            Diagnostic::warning(
                &self.shown,
                1,
                1,
                format!("the print posters convert {} from RGB to CMYK without a colour profile", converted.join(", ")),
            )
            .with_hint(
                "give each colour the brand's print value: `primary: { rgb: \"#16315f\", cmyk: [100, 72, 0, 38] }`",
            )
        })
    }

    /// What the print files share, made once.
    fn print(&self) -> Result<Arc<pdf::Print>, String> {
        self.print
            .get_or_init(|| {
                let palette = self.palette.iter().map(|&(rgb, cmyk)| {
                    (rgb, cmyk.map_or_else(|| rgb.to_cmyk(), |[c, m, y, k]| layout::Cmyk(c, m, y, k)))
                });
                pdf::Print::new(palette.collect()).map(Arc::new)
            })
            .clone()
    }

    /// The fonts for a poster that uses `extra` characters besides the base
    /// set, made once for all posters that use the same.
    fn fonts_for(&self, extra: BTreeSet<char>) -> Result<Arc<FontObjects>, String> {
        let once = self.embedded.lock().unwrap_or_else(|e| e.into_inner()).entry(extra.clone()).or_default().clone();
        once.get_or_init(|| {
            let embed = self.fonts.embed(&extra)?;
            FontObjects::new(embed, &Faces::new(&self.fonts), FONT_FLATE_LEVEL).map(Arc::new)
        })
        .clone()
    }
}

/// Replaces characters the fonts lack with `?`.
pub(crate) fn checked(text: &str, faces: &Faces) -> String {
    text.chars().map(|c| if faces.has(c) || c.is_control() { c } else { '?' }).collect()
}

/// The labels a poster prints, as the messages give them.
#[derive(Hash)]
struct RawLabels {
    kicker: String,
    lines: String,
    facts: String,
    contact: String,
    /// The opening quotation mark of the language, printed large before the quote.
    quote_mark: String,
}

/// Everything a poster shows, as the site model and the messages give it
/// (set in the language's typography there, once, for every output). Its hash is the poster's cache key,
/// and its characters tell whether the fonts lack any, so that a poster
/// found in the cache is never prepared.
#[derive(Hash)]
struct Source<'a> {
    lang: &'a str,
    client: &'a str,
    case_title: &'a str,
    strategy_title: &'a str,
    story: Option<&'a str>,
    lines: Vec<(&'a str, &'a str)>,
    facts: Vec<(&'a str, &'a str)>,
    quote: Option<(&'a str, Option<&'a str>)>,
    contact: Option<(&'a str, Option<&'a str>, Option<&'a str>)>,
    labels: &'a RawLabels,
    site_title: &'a str,
    url: String,
    tags: &'a [String],
    /// The case's date: the poster's creation date, unless `SOURCE_DATE_EPOCH` is set.
    date: crate::model::date::Date,
}

impl Source<'_> {
    /// Calls `f` with every text of the source but the labels (printed in
    /// capitals, see [`Source::missing`]).
    fn each_text(&self, f: &mut dyn FnMut(&str)) {
        for t in [self.client, self.case_title, self.strategy_title, self.site_title, &self.url] {
            f(t);
        }
        self.story.into_iter().for_each(&mut *f);
        for &(title, text) in &self.lines {
            f(title);
            f(text);
        }
        for &(value, label) in &self.facts {
            f(value);
            f(label);
        }
        if let Some((text, author)) = self.quote {
            f(text);
            author.into_iter().for_each(&mut *f);
        }
        if let Some((name, role, email)) = self.contact {
            f(name);
            role.into_iter().chain(email).for_each(&mut *f);
        }
    }

    /// The characters the fonts lack, in the order they come. Labels are
    /// printed in capitals, so their capitals are checked too; what
    /// typography adds (quotes, dashes, spaces) is in every base font.
    fn missing(&self, faces: &Faces) -> Vec<char> {
        let mut missing = Vec::new();
        let mut check = |c: char| {
            if !faces.has(c) && !c.is_control() && !missing.contains(&c) {
                missing.push(c);
            }
        };
        let ascii = faces.has_printable_ascii();
        self.each_text(&mut |t| {
            if !(ascii && t.bytes().all(|b| b == b' ' || b.is_ascii_graphic())) {
                t.chars().for_each(&mut check);
            }
        });
        let l = self.labels;
        for t in [&l.kicker, &l.lines, &l.facts, &l.contact] {
            t.chars().flat_map(char::to_uppercase).for_each(&mut check);
        }
        l.quote_mark.chars().for_each(&mut check);
        missing
    }

    /// What the layout places: the texts with `?` for what the fonts lack.
    fn content(&self, faces: &Faces) -> Content {
        let t = |text: &str| checked(text, faces);
        let runs_of = |md: &str| -> Vec<Run> {
            text::runs(md, Style::Regular, Style::Bold).into_iter().map(|r| Run { text: t(&r.text), ..r }).collect()
        };
        let l = self.labels;
        Content {
            lang: self.lang.to_string(),
            client: t(self.client),
            case_title: t(self.case_title),
            strategy_title: t(self.strategy_title),
            story: self.story.map(runs_of).unwrap_or_default(),
            lines: self.lines.iter().map(|&(title, text)| (t(title), runs_of(text))).collect(),
            facts: self.facts.iter().map(|&(value, label)| (t(value), t(label))).collect(),
            quote: self.quote.map(|(text, author)| (t(text), author.map(t))),
            contact: self.contact.map(|(name, role, email)| Contact {
                name: t(name),
                role: role.map(t),
                email: email.map(t),
            }),
            footer_left: t(self.site_title),
            footer_right: self.url.clone(),
            labels: Labels {
                kicker: t(&l.kicker),
                lines: t(&l.lines),
                facts: t(&l.facts),
                contact: t(&l.contact),
                quote_mark: t(&l.quote_mark),
            },
        }
    }
}

/// The posters of one build: what every poster shares is worked out once,
/// so that a poster found in the cache costs a hash and a link, and one
/// that is not costs its layout and its page.
pub struct Posters<'a> {
    site: &'a Site,
    style: &'a PosterStyle,
    cache: &'a Cache,
    /// Per language, the labels of a strategy of 0 to 5 lines.
    labels: Vec<Vec<RawLabels>>,
    /// A hash of what every poster is made with: the program, the fonts and
    /// colours, the date written in them.
    made_with: u64,
    deflaters: pdf::Deflaters,
}

/// The most lines a strategy has (validation refuses more).
/// The most main lines a strategy (and its poster) has.
pub const MAX_LINES: usize = 5;

impl<'a> Posters<'a> {
    /// Gets ready to make the posters of `site`.
    pub fn new(site: &'a Site, i18n: &'a I18n, style: &'a PosterStyle, cache: &'a Cache) -> Posters<'a> {
        let labels = (0..site.config.languages.len())
            .map(|lang| {
                (0..=MAX_LINES)
                    .map(|n| {
                        let mut count = fluent::FluentArgs::new();
                        count.set("count", n);
                        RawLabels {
                            kicker: i18n.text(lang, "poster-kicker"),
                            lines: i18n
                                .format(lang, "poster-lines", Some(&count))
                                .unwrap_or_else(|_| i18n.text(lang, "strategy-heading")),
                            facts: i18n.text(lang, "facts-heading"),
                            contact: i18n.text(lang, "poster-contact"),
                            quote_mark: i18n.text(lang, "quote-open").trim().to_string(),
                        }
                    })
                    .collect()
            })
            .collect();
        let mut made_with = Fnv::new();
        (crate::cache::program(), style.fingerprint, style.epoch).hash(&mut made_with);
        Posters {
            site,
            style,
            cache,
            labels,
            made_with: made_with.finish(),
            deflaters: pdf::Deflaters::new(pdf::FLATE_LEVEL),
        }
    }

    /// Changes when what every poster is made with changes: the program,
    /// the fonts and colours, the date written in them.
    pub fn fingerprint(&self) -> u64 {
        self.made_with
    }

    /// What the poster of page `i` shows, as written.
    fn source(&self, i: usize) -> Option<Source<'_>> {
        let p = &self.site.pages[i];
        let cfg = &self.site.config;
        let lang = &cfg.languages[p.lang].code;
        let s = p.fm.strategy.as_ref()?;
        let person = p.fm.contact.as_ref().and_then(|id| self.site.people.get(id));
        Some(Source {
            lang,
            client: &p.fm.client,
            case_title: &p.fm.title,
            strategy_title: &s.title,
            story: s.story.as_deref(),
            lines: s.lines.iter().map(|l| (l.title.as_str(), l.text.as_str())).collect(),
            facts: p.fm.facts.iter().flatten().map(|f| (f.value.as_str(), f.label.as_str())).collect(),
            quote: p.fm.quote.as_ref().map(|q| (q.text.as_str(), q.author.as_deref())),
            contact: person
                .map(|person| (person.name.as_str(), person.roles[p.lang].as_deref(), person.email.as_deref())),
            labels: &self.labels[p.lang][s.lines.len().min(MAX_LINES)],
            site_title: &cfg.title,
            url: cfg.base.abs(&p.url),
            tags: &p.fm.tags,
            date: p.fm.date,
        })
    }

    /// Renders the poster file of page `i`, or finds it in the cache when
    /// nothing it is made of changed. Returns the PDF and any warning.
    pub fn poster(&self, i: usize, kind: PosterFile) -> Result<(Output, Vec<Diagnostic>), Diagnostic> {
        self.poster_laid_out(i, kind, &mut None)
    }

    /// [`Posters::poster`], with the layout made for another file of the
    /// same poster (`laid`), or making it there: a page's poster and its
    /// preview are laid out once.
    pub fn poster_laid_out(
        &self,
        i: usize,
        kind: PosterFile,
        laid: &mut Option<Laid>,
    ) -> Result<(Output, Vec<Diagnostic>), Diagnostic> {
        let p = &self.site.pages[i];
        if kind == PosterFile::Preview {
            // (a picture: [`crate::share::Pictures::preview`] draws it with [`Posters::drawn`])
            return Err(Diagnostic::error(&p.source, 1, 1, "a poster's preview is a picture, not a PDF"));
        }
        self.file(i, kind, laid, |source, Laid(content, placed), faces| {
            let mut extra = BTreeSet::new();
            content.each_text(&mut |t| extra.extend(t.chars().filter(|&c| !fonts::in_base(c) && faces.has(c))));
            let fonts = self
                .style
                .fonts_for(extra)
                .map_err(|e| Diagnostic::error(&p.source, 1, 1, format!("cannot embed the poster fonts: {e}")))?;
            let meta = pdf::Meta {
                title: &content.strategy_title,
                author: &self.site.config.title,
                subject: &content.case_title,
                keywords: &p.fm.tags,
                lang: source.lang,
                epoch: self.style.epoch.unwrap_or(source.date.days() * 86_400),
            };
            let cannot = |e| Diagnostic::error(&p.source, 1, 1, format!("cannot write the poster: {e}"));
            let print = match kind {
                PosterFile::Screen | PosterFile::Preview => None,
                PosterFile::Print => Some(self.style.print().map_err(cannot)?),
            };
            let target = print.as_deref().map_or(pdf::Target::Screen, pdf::Target::Print);
            pdf::write(placed, &fonts, faces, &meta, target, &self.deflaters).map_err(cannot)
        })
    }

    /// A picture of the poster of page `i` (its preview), drawn by `draw`
    /// from the layout made for another file of the same poster (`laid`),
    /// or making it there; or found in the cache.
    pub fn drawn(
        &self,
        i: usize,
        laid: &mut Option<Laid>,
        draw: impl FnOnce(&layout::Placed, &Faces) -> Result<Vec<u8>, Diagnostic>,
    ) -> Result<(Output, Vec<Diagnostic>), Diagnostic> {
        self.file(i, PosterFile::Preview, laid, |_, Laid(_, placed), faces| draw(placed, faces))
    }

    /// The file `kind` of page `i`'s poster: found in the cache when
    /// nothing it is made of changed, else made by `make` from the poster's
    /// layout (made once for all the files of a poster, in `laid`).
    fn file(
        &self,
        i: usize,
        kind: PosterFile,
        laid: &mut Option<Laid>,
        make: impl FnOnce(&Source, &Laid, &Faces) -> Result<Vec<u8>, Diagnostic>,
    ) -> Result<(Output, Vec<Diagnostic>), Diagnostic> {
        let p = &self.site.pages[i];
        let Some(source) = self.source(i) else {
            return Err(Diagnostic::error(&p.source, 1, 1, "this case has no `strategy`, so it has no poster"));
        };
        let faces = Faces::new(&self.style.fonts);
        let warnings = missing_warning(p, &source.missing(&faces));
        let mut key = Fnv::new();
        (self.made_with, &source, kind).hash(&mut key);
        let ext = if kind == PosterFile::Preview { "png" } else { "pdf" };
        let name = format!("{:016x}.{ext}", key.finish());
        if let Some(hit) = self.cache.get(CACHE_KIND, &name) {
            return Ok((Output::Cached { path: hit.path, size: hit.size }, warnings));
        }
        let laid = match laid {
            Some(laid) => &*laid,
            None => {
                let content = source.content(&faces);
                let placed = layout::layout(&content, &faces, &self.style.colors).ok_or_else(|| {
                    Diagnostic::error(
                        &p.source,
                        p.strategy_at.0,
                        p.strategy_at.1,
                        format!(
                            "the strategy does not fit on one A3 poster, even with {} pt body text",
                            layout::MIN_BODY
                        ),
                    )
                    .with_hint("shorten the story, the strategy lines or the facts")
                })?;
                &*laid.insert(Laid(content, placed))
            }
        };
        let bytes = make(&source, laid, &faces)?;
        Ok((self.cache.made(CACHE_KIND, &name, bytes), warnings))
    }

    /// The PDF bytes of page `i`'s poster file, rendered or read from the cache.
    pub fn render(&self, i: usize, kind: PosterFile) -> Result<(Vec<u8>, Vec<Diagnostic>), Diagnostic> {
        let (poster, warnings) = self.poster(i, kind)?;
        let bytes = match poster {
            Output::Made(bytes) => bytes,
            Output::Cached { path, .. } => std::fs::read(&path)
                .map_err(|e| Diagnostic::error(&path, 1, 1, format!("cannot read the cached poster: {e}")))?,
        };
        Ok((bytes, warnings))
    }
}

/// A poster's content laid out, for the other files of the same poster.
pub struct Laid(Content, layout::Placed);

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::frontmatter::serde_fields;

    #[test]
    fn the_schema_lists_the_keys_of_poster_yaml() {
        assert_eq!(serde_fields::<StyleFile>(), STYLE_SCHEMA.keys());
        assert_eq!(serde_fields::<FontNames>(), STYLE_SCHEMA.key("fonts").map(Schema::keys).unwrap_or_default());
        assert_eq!(serde_fields::<ColorNames>(), STYLE_SCHEMA.key("colors").map(Schema::keys).unwrap_or_default());
        assert_eq!(serde_fields::<ShareNames>(), STYLE_SCHEMA.key("share").map(Schema::keys).unwrap_or_default());
    }
}
