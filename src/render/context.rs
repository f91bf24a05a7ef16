//! The values templates receive. Everything is ready to print (URLs, dates
//! in words, HTML of Markdown); lists many pages share are serialized once.

use crate::images::Picture;
use crate::load::i18n::I18n;
use crate::model::{CasePage, Site, Tag};
use crate::text::markdown::inline_html;
use serde::Serialize;
use std::borrow::Cow;
use std::fmt::Write as _;
use std::sync::OnceLock;
use tera::{Context, Value};

/// A `<link rel="alternate" hreflang>` of a page, also listed in the sitemap.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Alternate {
    pub hreflang: String,
    /// Absolute URL.
    pub href: String,
}

/// Every translation of a case plus `x-default` (the default language's
/// version, else the first one).
pub fn alternates_of_case(site: &Site, page: &CasePage) -> Vec<Alternate> {
    let mut out: Vec<Alternate> = page
        .translations
        .iter()
        .map(|&t| Alternate {
            hreflang: site.config.languages[site.pages[t].lang].code.clone(),
            href: site.config.base.abs(&site.pages[t].url),
        })
        .collect();
    let default = page
        .translations
        .iter()
        .find(|&&t| site.pages[t].lang == site.config.default_language)
        .or(page.translations.first())
        .map(|&t| site.config.base.abs(&site.pages[t].url));
    if let Some(href) = default {
        out.push(Alternate { hreflang: "x-default".into(), href });
    }
    out
}

/// The language homes plus `x-default` pointing to the language choice.
pub fn alternates_of_home(site: &Site) -> Vec<Alternate> {
    let mut out: Vec<Alternate> = (0..site.config.languages.len())
        .map(|l| Alternate {
            hreflang: site.config.languages[l].code.clone(),
            href: site.config.base.abs(&site.home_url(l)),
        })
        .collect();
    out.push(Alternate { hreflang: "x-default".into(), href: site.config.base.url.clone() });
    out
}

/// The tag overviews of every language plus `x-default` (the default language's).
pub fn alternates_of_tags(site: &Site) -> Vec<Alternate> {
    let cfg = &site.config;
    (0..cfg.languages.len())
        .chain([cfg.default_language])
        .enumerate()
        .map(|(i, l)| Alternate {
            hreflang: if i < cfg.languages.len() { cfg.languages[l].code.clone() } else { "x-default".into() },
            href: cfg.base.abs(&site.tags_url(l)),
        })
        .collect()
}

/// Page `n` of a language's list of cases: page `n` of each language's
/// list that has one, and `x-default`.
pub fn alternates_of_section(site: &Site, n: usize) -> Vec<Alternate> {
    let cfg = &site.config;
    alternates_where(site, |l| site.section_pages(l) >= n, |l| crate::model::urls::section(&cfg.languages[l], n))
}

/// The values' page of declared filter `f`: that of each language that
/// has values, and `x-default`.
pub fn alternates_of_field(site: &Site, f: usize) -> Vec<Alternate> {
    alternates_where(site, |l| !site.fields[f][l].is_empty(), |l| site.field_url(f, l))
}

/// A page that each language for which `has` holds has at `url`: those,
/// and `x-default` (the default language's, else the first's).
fn alternates_where(site: &Site, has: impl Fn(usize) -> bool, url: impl Fn(usize) -> String) -> Vec<Alternate> {
    let cfg = &site.config;
    let href = |l: usize| cfg.base.abs(&url(l));
    let mut out: Vec<Alternate> = (0..cfg.languages.len())
        .filter(|&l| has(l))
        .map(|l| Alternate { hreflang: cfg.languages[l].code.clone(), href: href(l) })
        .collect();
    let default = Some(cfg.default_language).filter(|&l| has(l)).or_else(|| (0..cfg.languages.len()).find(|&l| has(l)));
    if let Some(l) = default {
        out.push(Alternate { hreflang: "x-default".into(), href: href(l) });
    }
    out
}

/// A tag's page, which exists in its language only: itself and `x-default`.
pub fn alternates_of_tag(site: &Site, lang: usize, tag: &Tag) -> Vec<Alternate> {
    let href = site.config.base.abs(&tag.url);
    let hreflang = site.config.languages[lang].code.clone();
    vec![Alternate { hreflang, href: href.clone() }, Alternate { hreflang: "x-default".into(), href }]
}

#[derive(Serialize)]
struct LangItem<'a> {
    code: &'a str,
    name: &'a str,
    /// Root-relative URL of the language's home.
    url: String,
}

#[derive(Serialize)]
struct SiteValue<'a> {
    title: &'a str,
    base_url: &'a str,
    /// The base path, for root-relative links: `{{ site.root }}style.css`.
    root: &'a str,
    languages: Vec<LangItem<'a>>,
    default_language: &'a str,
}

#[derive(Serialize)]
struct SwitchItem<'a> {
    code: &'a str,
    name: &'a str,
    url: String,
    current: bool,
    /// True when `url` is the translation of this page, not a home page.
    translated: bool,
}

#[derive(Serialize)]
struct PageValue<'a> {
    kind: &'a str,
    title: &'a str,
    description: &'a str,
    canonical: String,
    url: String,
    /// The image shown where the page is shared (`og:image`).
    image: Option<ShareValue>,
    /// schema.org JSON-LD, safe to print inside `<script>`.
    json_ld: Option<String>,
}

impl<'a> PageValue<'a> {
    fn new(kind: &'a str, title: &'a str, description: &'a str, canonical: String, url: String) -> Self {
        PageValue { kind, title, description, canonical, url, image: None, json_ld: None }
    }
}

/// The links between the pages of a list: the previous and next page, and
/// the numbers (the first, the last and two on each side of this one; a
/// gap where numbers are left out).
#[derive(Serialize)]
struct Pagination {
    current: usize,
    total: usize,
    prev: Option<String>,
    next: Option<String>,
    /// For `<link rel="prev|next">`: absolute addresses.
    prev_abs: Option<String>,
    next_abs: Option<String>,
    pages: Vec<PageNumber>,
}

#[derive(Serialize)]
struct PageNumber {
    /// 0 for a gap.
    number: usize,
    url: String,
    current: bool,
}

/// A share image: its absolute URL, size in pixels and text.
#[derive(Serialize)]
struct ShareValue {
    url: String,
    width: u32,
    height: u32,
    alt: String,
}

/// The files made with a case page, by output path: its share image, its
/// poster (with its size in bytes) and the poster's preview; each `None`
/// when the case has none or it could not be made.
#[derive(Default)]
pub struct CaseFiles<'a> {
    pub share: Option<&'a str>,
    pub poster: Option<(&'a str, usize)>,
    pub preview: Option<&'a str>,
}

/// How many of its newest cases a home shows as cards; the others are
/// lines of its archive.
const HOME_CARDS: usize = 12;

/// A year of a home's archive: its cases, newest first.
#[derive(Serialize)]
struct ArchiveYear<'a> {
    year: u16,
    cases: Vec<ArchiveLine<'a>>,
}

/// A case as a line of a home's archive.
#[derive(Serialize)]
struct ArchiveLine<'a> {
    title: &'a str,
    client: &'a str,
    url: String,
}

/// A case as lists show it (home page, related cases).
#[derive(Serialize)]
struct Card<'a> {
    title: &'a str,
    /// The title with soft hyphens in its long words, for large type
    /// (made once per case, where `| hyphenate` would make it on every list).
    title_hyphenated: String,
    client: &'a str,
    date: String,
    date_text: &'a str,
    summary: &'a str,
    url: String,
    image: Option<ImageValue<'a>>,
    tags: Vec<TagLink<'a>>,
}

/// An image as a template shows it: `src`, a ready `srcset` (empty when
/// there is one file), the same as WebP for a `<source>` (`webp`: a
/// srcset, empty for an SVG), its size in pixels (0 when unknown) and its text.
#[derive(Serialize)]
struct ImageValue<'a> {
    src: String,
    srcset: String,
    webp: String,
    width: u32,
    height: u32,
    alt: Cow<'a, str>,
}

impl<'a> ImageValue<'a> {
    fn of(p: &Picture, alt: &'a str, base: &crate::model::config::BaseUrl) -> ImageValue<'a> {
        let set = |files: &[(String, u32)]| {
            let mut srcset = String::new();
            for (rel, w) in files {
                if !srcset.is_empty() {
                    srcset.push_str(", ");
                }
                let _ = write!(srcset, "{} {w}w", base.root(rel));
            }
            srcset
        };
        let (srcset, webp) = (set(&p.srcset), set(&p.webp));
        ImageValue { src: base.root(&p.src), srcset, webp, width: p.width, height: p.height, alt: Cow::Borrowed(alt) }
    }
}

/// A tag as a page shows it: its name and the root-relative URL of its page.
#[derive(Serialize)]
struct TagLink<'a> {
    name: &'a str,
    url: String,
}

/// A filter a site declares, in a language: its key, its name, the page
/// of its values and (on the home) the values.
#[derive(Serialize)]
struct FilterValue<'a> {
    key: &'a str,
    label: String,
    url: String,
    values: Vec<TagItem<'a>>,
}

/// The values of a declared filter on a case page.
#[derive(Serialize)]
struct CaseFilter<'a> {
    label: String,
    url: String,
    values: Vec<TagLink<'a>>,
}

/// A tag in the list of a language's tags, with how many cases carry it.
#[derive(Serialize)]
struct TagItem<'a> {
    name: &'a str,
    url: String,
    count: usize,
}

#[derive(Serialize)]
struct StrategyLineValue<'a> {
    title: &'a str,
    text: String,
}

#[derive(Serialize)]
struct StrategyValue<'a> {
    title: &'a str,
    story: String,
    lines: Vec<StrategyLineValue<'a>>,
}

#[derive(Serialize)]
struct ContactValue<'a> {
    id: &'a str,
    name: &'a str,
    /// For a personal call to action: "Neem contact op met Eefje".
    first_name: &'a str,
    role: Option<&'a str>,
    email: Option<&'a str>,
    photo: Option<ImageValue<'a>>,
}

/// The A3 poster of a case: its URL, its size in words ("42 kB") and a
/// picture of it.
#[derive(Serialize)]
struct PosterValue {
    url: String,
    size: String,
    preview: Option<ImageValue<'static>>,
}

#[derive(Serialize)]
struct CaseValue<'a> {
    title: &'a str,
    client: &'a str,
    date: String,
    date_text: &'a str,
    summary: Option<&'a str>,
    description: &'a str,
    body: &'a str,
    image: Option<ImageValue<'a>>,
    tags: Vec<TagLink<'a>>,
    /// The values of the site's declared filters.
    filters: Vec<CaseFilter<'a>>,
    facts: &'a [crate::model::content::Fact],
    quote: Option<&'a crate::model::content::Quote>,
    strategy: Option<StrategyValue<'a>>,
    contact: Option<ContactValue<'a>>,
    related: Vec<Value>,
    poster: Option<PosterValue>,
}

/// Values computed at most once per build and shared by every page's
/// context; a case's card and date are made when a page first needs them.
pub struct Shared<'a> {
    site: &'a Site,
    i18n: &'a I18n,
    site_value: Value,
    /// Per language: what the search box needs ([`SearchBox`]).
    search: Vec<Value>,
    date_texts: Vec<OnceLock<String>>,
    cards: Vec<OnceLock<Value>>,
}

/// The search box of every page: the address of its language's index and
/// its messages, worked out once per language (not per page).
#[derive(Serialize)]
struct SearchBox {
    index: String,
    label: String,
    /// The count of results with `#` for the number: one, several, none.
    one: String,
    many: String,
    none: String,
}

impl<'a> Shared<'a> {
    /// Serializes the site-wide values and every case's card, once per build.
    pub fn new(site: &'a Site, i18n: &'a I18n) -> Self {
        let cfg = &site.config;
        let languages = cfg
            .languages
            .iter()
            .enumerate()
            .map(|(i, l)| LangItem { code: &l.code, name: &l.name, url: cfg.base.root(&site.home_url(i)) })
            .collect();
        let site_value = Value::from_serializable(&SiteValue {
            title: &cfg.title,
            base_url: &cfg.base.url,
            root: &cfg.base.path,
            languages,
            default_language: &cfg.default_lang().code,
        });
        let search = (0..cfg.languages.len())
            .map(|lang| {
                let count = |n: fluent::FluentValue<'static>| {
                    let mut args = fluent::FluentArgs::new();
                    args.set("count", n);
                    i18n.format(lang, "search-count", Some(&args)).unwrap_or_default()
                };
                Value::from_serializable(&SearchBox {
                    index: cfg.base.root(&crate::model::urls::search(&cfg.languages[lang])),
                    label: i18n.text(lang, "search-label"),
                    one: count(1.into()),
                    many: count("#".into()),
                    none: i18n.text(lang, "search-none"),
                })
            })
            .collect();
        let n = site.pages.len();
        Shared {
            site,
            i18n,
            site_value,
            search,
            date_texts: (0..n).map(|_| OnceLock::new()).collect(),
            cards: (0..n).map(|_| OnceLock::new()).collect(),
        }
    }

    fn date_text(&self, i: usize) -> &str {
        let p = &self.site.pages[i];
        self.date_texts[i].get_or_init(|| self.i18n.date(p.lang, p.fm.date))
    }

    /// Case `i` as lists show it.
    fn card(&self, i: usize) -> Value {
        let cfg = &self.site.config;
        let p = &self.site.pages[i];
        let card = || {
            Value::from_serializable(&Card {
                title: &p.fm.title,
                title_hyphenated: crate::text::markdown::soft_hyphens(&p.fm.title, &cfg.languages[p.lang].code),
                client: &p.fm.client,
                date: p.fm.date.to_string(),
                date_text: self.date_text(i),
                summary: &p.description,
                url: cfg.base.root(&p.url),
                image: p
                    .image
                    .as_ref()
                    .map(|img| ImageValue::of(img, p.fm.image_alt.as_deref().unwrap_or(""), &cfg.base)),
                tags: self.tag_links(i),
            })
        };
        self.cards[i].get_or_init(card).clone()
    }

    /// The tags of case `i`, each with the URL of its page.
    fn tag_links(&self, i: usize) -> Vec<TagLink<'a>> {
        let site = self.site;
        let p = &site.pages[i];
        let l = &site.config.languages[p.lang];
        p.fm.tags
            .iter()
            .map(|name| TagLink {
                name: name.as_str(),
                url: site.config.base.root(&crate::model::urls::tag(l, &crate::text::markdown::slugify(name))),
            })
            .collect()
    }

    /// Every tag of a language with its case count, for the home and the tag overview.
    fn tag_items(&self, lang: usize) -> Vec<TagItem<'a>> {
        self.items(&self.site.tags[lang])
    }

    /// Tags, or a declared filter's values, each with its case count.
    fn items(&self, terms: &'a [Tag]) -> Vec<TagItem<'a>> {
        let base = &self.site.config.base;
        terms.iter().map(|t| TagItem { name: &t.name, url: base.root(&t.url), count: t.pages.len() }).collect()
    }

    /// The context of `tag.html`: the cases of tag `t` of a language.
    pub fn tag_context(&self, lang: usize, t: usize) -> Context {
        let site = self.site;
        let tag = &site.tags[lang][t];
        let mut args = fluent::FluentArgs::new();
        args.set("tag", tag.name.as_str());
        args.set("count", tag.pages.len());
        let title = self.i18n.format(lang, "tag-title", Some(&args)).unwrap_or_else(|_| tag.name.clone());
        let description = self.i18n.format(lang, "tag-description", Some(&args)).unwrap_or_else(|_| title.clone());
        let heading = self.i18n.text(lang, "tags-heading");
        self.term_context(lang, tag, (&title, &description), (&heading, &site.tags_url(lang)))
    }

    /// The context of `tag.html` for the cases of value `t` of declared
    /// filter `f` in a language (`/nl/sector/gemeente/`).
    pub fn field_value_context(&self, f: usize, lang: usize, t: usize) -> Context {
        let site = self.site;
        let value = &site.fields[f][lang][t];
        let name = self.i18n.filter_name(lang, &site.config.filters[f]);
        let mut args = fluent::FluentArgs::new();
        args.set("filter", name.as_str());
        args.set("value", value.name.as_str());
        args.set("count", value.pages.len());
        let title = self.i18n.format(lang, "filter-title", Some(&args)).unwrap_or_else(|_| value.name.clone());
        let description = self.i18n.format(lang, "filter-description", Some(&args)).unwrap_or_else(|_| title.clone());
        self.term_context(lang, value, (&title, &description), (&name, &site.field_url(f, lang)))
    }

    /// A page of the cases of a tag or of a declared filter's value, below
    /// `heading` (the name of what it is one of, linking to `up`).
    fn term_context(
        &self,
        lang: usize,
        tag: &Tag,
        (title, description): (&str, &str),
        (heading, up): (&str, &str),
    ) -> Context {
        let site = self.site;
        let page =
            PageValue::new("tag", title, description, site.config.base.abs(&tag.url), site.config.base.root(&tag.url));
        let switch = self.switch(Some(lang), |_| None);
        let mut ctx = self.base(lang, page, &alternates_of_tag(site, lang, tag), switch);
        ctx.insert("tag", &TagLink { name: &tag.name, url: site.config.base.root(&tag.url) });
        ctx.insert("heading", heading);
        ctx.insert("tags_url", &site.config.base.root(up));
        let cards: Vec<Value> = tag.pages.iter().map(|&i| self.card(i)).collect();
        ctx.insert_value("cases", Value::from(cards));
        ctx.insert("count", &tag.pages.len());
        ctx
    }

    /// The context of `tags.html`: every tag of a language.
    pub fn tags_context(&self, lang: usize) -> Context {
        let site = self.site;
        let url = site.tags_url(lang);
        let title = self.i18n.text(lang, "tags-title");
        let page = PageValue::new("tags", &title, &title, site.config.base.abs(&url), site.config.base.root(&url));
        let switch = self.switch(Some(lang), |l| Some(site.tags_url(l)));
        let mut ctx = self.base(lang, page, &alternates_of_tags(site), switch);
        ctx.insert("tags", &self.tag_items(lang));
        ctx
    }

    /// The context of `tags.html` for the values of declared filter `f` in
    /// a language (`/nl/sector/`).
    pub fn field_context(&self, f: usize, lang: usize) -> Context {
        let site = self.site;
        let url = site.field_url(f, lang);
        let title = self.i18n.filter_name(lang, &site.config.filters[f]);
        let page = PageValue::new("tags", &title, &title, site.config.base.abs(&url), site.config.base.root(&url));
        let has = |l: usize| !site.fields[f][l].is_empty();
        let switch = self.switch(Some(lang), |l| has(l).then(|| site.field_url(f, l)));
        let alternates = alternates_of_field(site, f);
        let mut ctx = self.base(lang, page, &alternates, switch);
        ctx.insert("tags", &self.field_items(f, lang));
        ctx
    }

    /// Every value of declared filter `f` in a language with its case count.
    fn field_items(&self, f: usize, lang: usize) -> Vec<TagItem<'a>> {
        self.items(&self.site.fields[f][lang])
    }

    /// The declared filters that have values in a language, for the
    /// filters of a list of cases and, `with_values`, the home's links.
    fn filters(&self, lang: usize, with_values: bool) -> Vec<FilterValue<'a>> {
        let site = self.site;
        (0..site.config.filters.len())
            .filter(|&f| !site.fields[f][lang].is_empty())
            .map(|f| FilterValue {
                key: &site.config.filters[f],
                label: self.i18n.filter_name(lang, &site.config.filters[f]),
                url: site.config.base.root(&site.field_url(f, lang)),
                values: if with_values { self.field_items(f, lang) } else { Vec::new() },
            })
            .collect()
    }

    /// The values of the declared filters of case `i`, with their pages.
    fn case_filters(&self, i: usize) -> Vec<CaseFilter<'a>> {
        let site = self.site;
        let p = &site.pages[i];
        let l = &site.config.languages[p.lang];
        (site.config.filters.iter().zip(&p.fields))
            .enumerate()
            .filter(|(_, (_, values))| !values.is_empty())
            .map(|(f, (key, values))| CaseFilter {
                label: self.i18n.filter_name(p.lang, key),
                url: site.config.base.root(&site.field_url(f, p.lang)),
                values: values
                    .iter()
                    .map(|name| TagLink {
                        name: name.as_str(),
                        url: site.config.base.root(&crate::model::urls::field_value(
                            l,
                            key,
                            &crate::text::markdown::slugify(name),
                        )),
                    })
                    .collect(),
            })
            .collect()
    }

    fn switch(&self, current: Option<usize>, url_of: impl Fn(usize) -> Option<String>) -> Vec<SwitchItem<'a>> {
        let cfg = &self.site.config;
        (0..cfg.languages.len())
            .map(|l| {
                let translated = url_of(l);
                SwitchItem {
                    code: &cfg.languages[l].code,
                    name: &cfg.languages[l].name,
                    translated: translated.is_some(),
                    url: cfg.base.root(&translated.unwrap_or_else(|| self.site.home_url(l))),
                    current: current == Some(l),
                }
            })
            .collect()
    }

    fn base(&self, lang: usize, page: PageValue, alternates: &[Alternate], switch: Vec<SwitchItem>) -> Context {
        let l = &self.site.config.languages[lang];
        let mut ctx = Context::new();
        ctx.insert("lang", &l.code);
        ctx.insert("lang_name", &l.name);
        ctx.insert_value("site", self.site_value.clone());
        ctx.insert("page", &page);
        ctx.insert("alternates", alternates);
        ctx.insert("switch", &switch);
        ctx.insert("feed_url", &self.site.config.base.root(&crate::model::urls::feed(l)));
        ctx.insert_value("search", self.search[lang].clone());
        ctx.insert("section_url", &self.site.config.base.root(&crate::model::urls::section(l, 1)));
        ctx
    }

    /// The context of `case.html` for page `i`, with the files made with it.
    pub fn case_context(&self, i: usize, files: &CaseFiles) -> Context {
        let site = self.site;
        let cfg = &site.config;
        let p = &site.pages[i];
        let mut page = PageValue::new("case", &p.fm.title, &p.description, cfg.base.abs(&p.url), cfg.base.root(&p.url));
        page.image = files.share.map(|rel| self.share_value(p.lang, rel, &p.fm.client, &p.fm.title));
        let image = page.image.as_ref().map(|s| s.url.as_str());
        let media = files.poster.map(|(rel, bytes)| super::jsonld::PosterMedia { rel, bytes });
        page.json_ld = Some(super::jsonld::case(site, i, image, media));
        let translations = &p.translations;
        let switch = self.switch(Some(p.lang), |l| {
            translations.iter().find(|&&t| site.pages[t].lang == l).map(|&t| site.pages[t].url.clone())
        });
        let mut ctx = self.base(p.lang, page, &alternates_of_case(site, p), switch);
        let code = &cfg.languages[p.lang].code;
        let contact = p.fm.contact.as_ref().and_then(|id| {
            let person = site.people.get(id)?;
            Some(ContactValue {
                id,
                name: &person.name,
                first_name: person.name.split_whitespace().next().unwrap_or(&person.name),
                role: person.roles[p.lang].as_deref(),
                email: person.email.as_deref(),
                photo: person.photo.as_ref().map(|img| ImageValue::of(img, "", &cfg.base)),
            })
        });
        let body = p.body_html.text();
        let strategy = p.fm.strategy.as_ref().map(|s| StrategyValue {
            title: &s.title,
            story: s.story.as_deref().map(inline_html).unwrap_or_default(),
            lines: s.lines.iter().map(|l| StrategyLineValue { title: &l.title, text: inline_html(&l.text) }).collect(),
        });
        let case = CaseValue {
            title: &p.fm.title,
            client: &p.fm.client,
            date: p.fm.date.to_string(),
            date_text: self.date_text(i),
            summary: p.fm.summary.as_deref(),
            description: &p.description,
            body: &body,
            image: p.image.as_ref().map(|img| ImageValue::of(img, p.fm.image_alt.as_deref().unwrap_or(""), &cfg.base)),
            tags: self.tag_links(i),
            filters: self.case_filters(i),
            facts: p.fm.facts.as_deref().unwrap_or(&[]),
            quote: p.fm.quote.as_ref(),
            strategy,
            contact,
            related: p.related.iter().map(|&r| self.card(r)).collect(),
            poster: files.poster.map(|(rel, bytes)| PosterValue {
                url: cfg.base.root(rel),
                size: crate::text::typography::size_text(bytes, code),
                preview: files.preview.zip(p.fm.strategy.as_ref()).map(|(rel, s)| {
                    let mut args = fluent::FluentArgs::new();
                    args.set("title", s.title.as_str());
                    let alt =
                        self.i18n.format(p.lang, "poster-preview", Some(&args)).unwrap_or_else(|_| s.title.clone());
                    let (width, height) = crate::model::urls::PREVIEW;
                    let (srcset, webp) = (String::new(), String::new());
                    ImageValue { src: cfg.base.root(rel), srcset, webp, width, height, alt: Cow::Owned(alt) }
                }),
            }),
        };
        ctx.insert("case", &case);
        ctx
    }

    /// The share image at `rel`, described as showing `kicker` and `title`.
    fn share_value(&self, lang: usize, rel: &str, kicker: &str, title: &str) -> ShareValue {
        let mut args = fluent::FluentArgs::new();
        args.set("client", kicker);
        args.set("title", title);
        let alt = self.i18n.format(lang, "share-image", Some(&args)).unwrap_or_else(|_| title.to_string());
        let (width, height) = crate::model::urls::SHARE;
        ShareValue { url: self.site.config.base.abs(rel), width, height, alt }
    }

    /// A language home's description: its own, else its intro's start.
    fn home_description(&self, lang: usize) -> String {
        let home = &self.site.homes[lang];
        home.description
            .clone()
            .or_else(|| {
                (!home.intro_text.is_empty()).then(|| crate::text::markdown::truncate_words(&home.intro_text, 200))
            })
            .unwrap_or_else(|| self.site.config.title.clone())
    }

    /// What a language home's share image says under the site's name: its
    /// title, else its description.
    pub fn home_share_title(&self, lang: usize) -> String {
        self.site.homes[lang].title.clone().unwrap_or_else(|| self.home_description(lang))
    }

    /// The context of `home.html` for a language, with the path of its
    /// share image and the title it shows.
    pub fn home_context(&self, lang: usize, share: Option<(&str, &str)>) -> Context {
        let site = self.site;
        let home = &site.homes[lang];
        let count = site.by_lang[lang].len();
        let description = self.home_description(lang);
        let title = home.title.as_deref().unwrap_or(&site.config.title);
        let url = site.home_url(lang);
        let mut page =
            PageValue::new("home", title, &description, site.config.base.abs(&url), site.config.base.root(&url));
        page.image = share.map(|(rel, shown)| self.share_value(lang, rel, &site.config.title, shown));
        page.json_ld = Some(super::jsonld::home(site, lang, title, HOME_CARDS));
        let switch = self.switch(Some(lang), |l| Some(site.home_url(l)));
        let mut ctx = self.base(lang, page, &alternates_of_home(site), switch);
        ctx.insert("intro", &home.intro_html);
        ctx.insert("tags", &self.tag_items(lang));
        ctx.insert("tags_url", &site.config.base.root(&site.tags_url(lang)));
        ctx.insert("filters", &self.filters(lang, true));
        // the newest as cards, every other one as a line of the archive by
        // year: a home that lists all its cases stays light at 1,000 of them
        let mut newest = site.by_lang[lang].clone();
        let cards: Vec<Value> = newest.by_ref().take(HOME_CARDS).map(|i| self.card(i)).collect();
        ctx.insert_value("cases", Value::from(cards));
        let mut archive: Vec<ArchiveYear> = Vec::new();
        for i in newest {
            let p = &site.pages[i];
            let line = ArchiveLine { title: &p.fm.title, client: &p.fm.client, url: site.config.base.root(&p.url) };
            match archive.last_mut() {
                Some(y) if y.year == p.fm.date.year => y.cases.push(line),
                _ => archive.push(ArchiveYear { year: p.fm.date.year, cases: vec![line] }),
            }
        }
        ctx.insert("archive", &archive);
        ctx.insert("count", &count);
        ctx
    }

    /// The context of `section.html`: page `n` of a language's list of
    /// cases, newest first.
    pub fn section_context(&self, lang: usize, n: usize) -> Context {
        let site = self.site;
        let cfg = &site.config;
        let l = &cfg.languages[lang];
        let total = site.section_pages(lang);
        let count = site.by_lang[lang].len();
        let name = self.i18n.text(lang, "all-cases");
        let mut args = fluent::FluentArgs::new();
        args.set("title", name.as_str());
        args.set("page", n);
        args.set("pages", total);
        args.set("count", count);
        args.set("site", cfg.title.as_str());
        let title = if n > 1 {
            self.i18n.format(lang, "section-page-title", Some(&args)).unwrap_or(name.clone())
        } else {
            name.clone()
        };
        let description = self.i18n.format(lang, "section-description", Some(&args)).unwrap_or_else(|_| title.clone());
        let url = crate::model::urls::section(l, n);
        let page = PageValue::new("section", &title, &description, cfg.base.abs(&url), cfg.base.root(&url));
        let switch = self.switch(Some(lang), |o| {
            Some(crate::model::urls::section(&cfg.languages[o], if site.section_pages(o) >= n { n } else { 1 }))
        });
        let mut ctx = self.base(lang, page, &alternates_of_section(site, n), switch);
        let at = |k: usize| crate::model::urls::section(l, k);
        let mut pages = Vec::new();
        for k in 1..=total {
            if k == 1 || k == total || k.abs_diff(n) <= 2 {
                pages.push(PageNumber { number: k, url: cfg.base.root(&at(k)), current: k == n });
            } else if pages.last().is_some_and(|p: &PageNumber| p.number != 0) {
                pages.push(PageNumber { number: 0, url: String::new(), current: false });
            }
        }
        let near = |k: Option<usize>| k.filter(|&k| (1..=total).contains(&k)).map(at);
        let (prev, next) = (near(n.checked_sub(1)), near(Some(n + 1)));
        ctx.insert(
            "pagination",
            &Pagination {
                current: n,
                total,
                prev_abs: prev.as_deref().map(|u| cfg.base.abs(u)),
                next_abs: next.as_deref().map(|u| cfg.base.abs(u)),
                prev: prev.map(|u| cfg.base.root(&u)),
                next: next.map(|u| cfg.base.root(&u)),
                pages,
            },
        );
        ctx.insert("name", &name);
        ctx.insert("filters", &self.filters(lang, false));
        let cards: Vec<Value> = site.section_range(lang, n).map(|i| self.card(i)).collect();
        ctx.insert_value("cases", Value::from(cards));
        ctx.insert("count", &count);
        ctx
    }

    /// The context of `languages.html`, the language choice at the root.
    pub fn root_context(&self) -> Context {
        let site = self.site;
        let lang = site.config.default_language;
        let title = self.i18n.text(lang, "choose-language-title");
        let page = PageValue::new(
            "languages",
            &title,
            &site.config.title,
            site.config.base.url.clone(),
            site.config.base.path.clone(),
        );
        let switch = self.switch(None, |l| Some(site.home_url(l)));
        self.base(lang, page, &alternates_of_home(site), switch)
    }

    /// The context of `alias.html`: the redirect from an earlier address of
    /// page `i` to the page.
    pub fn alias_context(&self, i: usize) -> Context {
        let p = &self.site.pages[i];
        let base = &self.site.config.base;
        let page = PageValue::new("alias", &p.fm.title, &p.description, base.abs(&p.url), base.root(&p.url));
        self.base(p.lang, page, &[], Vec::new())
    }

    /// The context of `404.html`, served at any depth: all its links are root-relative.
    pub fn not_found_context(&self) -> Context {
        let site = self.site;
        let lang = site.config.default_language;
        let title = self.i18n.text(lang, "not-found-title");
        let page = PageValue::new(
            "404",
            &title,
            &title,
            site.config.base.abs(crate::model::urls::NOT_FOUND),
            site.config.base.root(crate::model::urls::NOT_FOUND),
        );
        let switch = self.switch(None, |l| Some(site.home_url(l)));
        self.base(lang, page, &[], switch)
    }
}
