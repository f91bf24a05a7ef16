//! The site model: everything a page or poster needs, computed once by the
//! validate stage and read, never changed, by every later stage.
//!
//! The room of the vocabulary every stage speaks: `site.yaml` ([`config`]),
//! what editors write ([`content`], [`frontmatter`], [`values`], [`date`]),
//! every output's address and picture size ([`urls`]). It reads no folder
//! and renders nothing.

pub mod config;
pub mod content;
pub mod date;
pub mod frontmatter;
pub mod urls;
pub mod values;

use crate::images::{Picture, Resize};
use crate::model::config::Config;
use crate::model::content::FrontMatter;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

/// A validated site. Lists that many pages share (cases per language newest
/// first, related cases, translations) are computed here once, so rendering a
/// page never walks all pages.
#[derive(Debug)]
pub struct Site {
    pub root: PathBuf,
    pub config: Config,
    /// Every language version of every case, grouped by language (in the
    /// order of `config.languages`), newest first within a language.
    pub pages: Vec<Arc<CasePage>>,
    /// For each language, the range of `pages` in that language.
    pub by_lang: Vec<std::ops::Range<usize>>,
    pub people: BTreeMap<String, Person>,
    /// One per language, in the order of `config.languages`.
    pub homes: Vec<Home>,
    /// Files copied as they are: (source below the root, output path).
    pub assets: Vec<(PathBuf, String)>,
    /// For each language, its tags in alphabetical order of their slugs.
    pub tags: Vec<Vec<Tag>>,
    /// For each declared filter (`config.filters`), for each language, its
    /// values in alphabetical order of their slugs, as tags are.
    pub fields: Vec<Vec<Vec<Tag>>>,
    /// The resized files the pictures of pages and people need, by image file.
    pub resizes: Vec<Resize>,
}

/// A tag of a language and the cases that carry it: a page of its own, so
/// readers can browse the cases by theme.
#[derive(Debug, Clone, Hash)]
pub struct Tag {
    /// As the newest case carrying it spells it.
    pub name: String,
    pub slug: String,
    /// Output path of its page, relative to the site root (`nl/trefwoorden/x/`).
    pub url: String,
    /// Its cases, newest first.
    pub pages: Vec<usize>,
}

impl Site {
    /// The pages of a language, newest first.
    pub fn pages_in(&self, lang: usize) -> &[Arc<CasePage>] {
        &self.pages[self.by_lang[lang].clone()]
    }

    /// Output path of the page listing the values of declared filter `f`
    /// in a language (`nl/sector/`).
    pub fn field_url(&self, f: usize, lang: usize) -> String {
        crate::model::urls::field(&self.config.languages[lang], &self.config.filters[f])
    }

    /// Output path of the page listing a language's tags (`nl/trefwoorden/`).
    pub fn tags_url(&self, lang: usize) -> String {
        crate::model::urls::tags(&self.config.languages[lang])
    }

    /// How many pages a language's list of cases has (one at least).
    pub fn section_pages(&self, lang: usize) -> usize {
        self.by_lang[lang].len().div_ceil(crate::model::urls::CASES_PER_PAGE).max(1)
    }

    /// The cases (indexes into `pages`) on page `n` of a language's list.
    pub fn section_range(&self, lang: usize, n: usize) -> std::ops::Range<usize> {
        let all = self.by_lang[lang].clone();
        let start = (all.start + (n - 1) * crate::model::urls::CASES_PER_PAGE).min(all.end);
        start..(start + crate::model::urls::CASES_PER_PAGE).min(all.end)
    }

    /// Output path of a language's home, relative to the site root (`nl/`).
    pub fn home_url(&self, lang: usize) -> String {
        crate::model::urls::home(&self.config.languages[lang])
    }
}

/// One language version of a case.
#[derive(Debug, Clone)]
pub struct CasePage {
    /// The source file relative to the site root.
    pub rel: PathBuf,
    /// The source file as shown in diagnostics.
    pub source: PathBuf,
    /// The case folder name, shared by its translations.
    pub folder: String,
    /// Index into `config.languages`.
    pub lang: usize,
    pub slug: String,
    /// Relative to the site root, with a trailing slash: `nl/cases/slug/`.
    pub url: String,
    pub fm: Arc<FrontMatter>,
    /// The body as HTML, deflated: read when the page or the search index is made.
    pub body_html: crate::text::packed::Packed,
    /// The body's links that stay on the site, for `vitrine check`.
    pub links: Arc<[crate::text::markdown::Link]>,
    /// The summary, else the first paragraph, as plain text.
    pub description: String,
    /// The pages of the same case, in language order, this one included.
    pub translations: Vec<usize>,
    /// Pages of the same language shown as related cases.
    pub related: Vec<usize>,
    /// The case image, if any.
    pub image: Option<Picture>,
    /// Earlier addresses of this page, each redirecting to it.
    pub aliases: Vec<Alias>,
    /// Line and column of the `strategy` key, for poster problems.
    pub strategy_at: (usize, usize),
    /// The values of each of the site's declared filters
    /// (`config.filters`, in order).
    pub fields: Vec<Vec<String>>,
    /// Changes whenever anything the page is made of may have changed (its
    /// file, the addresses its links resolve to): equal digests, equal page.
    pub digest: u64,
    /// What rendering works out from this page alone (the fingerprints of
    /// its card, its sitemap entry, itself and its address), kept with it:
    /// a page checked again is a new page, so these are worked out again
    /// only for it.
    pub derived: Derived,
}

/// Values worked out from one [`CasePage`] once, when first asked for.
#[derive(Debug, Clone, Default)]
pub struct Derived {
    pub card: std::sync::OnceLock<u64>,
    pub sitemap_entry: std::sync::OnceLock<u64>,
    /// What the page itself shows (its digest and image), hashed.
    pub own: std::sync::OnceLock<u64>,
    /// Its language and address, as other pages name it, hashed.
    pub address: std::sync::OnceLock<u64>,
}

/// An earlier address of a case page, kept working with a redirect.
#[derive(Debug, Clone, Hash)]
pub struct Alias {
    /// As the front matter writes it.
    pub written: String,
    /// Relative to the site root: a folder (`nl/cases/old/`) or an HTML
    /// file (`oud/case.html`).
    pub url: String,
    /// Line and column of the entry in the front matter.
    pub at: (usize, usize),
}

impl Alias {
    /// The file written at the alias's address.
    pub fn file(&self) -> String {
        if self.url.ends_with('/') { crate::model::urls::page_file(&self.url) } else { self.url.clone() }
    }
}

/// A contact person.
#[derive(Debug, Clone, Hash)]
pub struct Person {
    pub name: String,
    /// The role shown in each language of the site (by index), in its
    /// typography: the role of that language, else of the default one.
    pub roles: Vec<Option<String>>,
    pub email: Option<String>,
    pub photo: Option<Picture>,
}

/// A language's home page.
#[derive(Debug, Clone, Default, Hash)]
pub struct Home {
    pub title: Option<String>,
    pub description: Option<String>,
    pub intro_html: String,
    /// Plain first paragraph of the intro.
    pub intro_text: String,
    /// The intro file as shown in diagnostics, and its links that stay on the site.
    pub source: Option<PathBuf>,
    pub links: Arc<[crate::text::markdown::Link]>,
}
