//! Fingerprints of what an output is made of, so that a render after a
//! change can leave out what would come out the same. Each covers every
//! value the output's template context reads; the theme, messages and
//! configuration are not in them (a change there renders everything).

use crate::model::{CasePage, Site, Tag};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

/// Per case: what its card shows in lists (homes, related cases). Worked
/// out once per page (kept with it while it is unchanged).
pub fn cards(site: &Site) -> Vec<u64> {
    let card = |p: &CasePage| {
        let fm = &p.fm;
        let mut h = DefaultHasher::new();
        (&fm.title, &fm.client, fm.date, &p.description, &p.url, &p.image, &fm.image_alt, &fm.tags).hash(&mut h);
        h.finish()
    };
    site.pages.par_iter().map(|p| *p.derived.card.get_or_init(|| card(p))).collect()
}

/// What a page itself shows: its digest and its image (worked out once
/// per page, as the fingerprints that hold it are worked out every render).
fn own(p: &CasePage) -> u64 {
    *p.derived.own.get_or_init(|| {
        let mut h = DefaultHasher::new();
        (p.digest, &p.image).hash(&mut h);
        h.finish()
    })
}

/// A page's language and address, as the pages naming it show them.
pub fn address(p: &CasePage) -> u64 {
    *p.derived.address.get_or_init(|| {
        let mut h = DefaultHasher::new();
        (p.lang, &p.url).hash(&mut h);
        h.finish()
    })
}

/// Each person as a contact card shows them, by id (hashed once per
/// render, not once per case naming them).
pub fn people(site: &Site) -> FxHashMap<&str, u64> {
    let person = |p: &crate::model::Person| {
        let mut h = DefaultHasher::new();
        p.hash(&mut h);
        h.finish()
    };
    site.people.iter().map(|(id, p)| (id.as_str(), person(p))).collect()
}

/// All of [`people`] in one (a change to anyone may change a case page).
pub fn people_digest(people: &FxHashMap<&str, u64>) -> u64 {
    let mut all: Vec<(&str, u64)> = people.iter().map(|(id, h)| (*id, *h)).collect();
    all.sort_unstable();
    let mut h = DefaultHasher::new();
    all.hash(&mut h);
    h.finish()
}

/// A case page and its poster: the page itself, the languages and
/// addresses of its translations (switch, alternates), the cards of its
/// related cases, its contact person ([`people`]), and, for a poster, what
/// all posters are made with (program, fonts, colours).
pub fn case(site: &Site, i: usize, cards: &[u64], people: &FxHashMap<&str, u64>, posters: u64) -> u64 {
    let p = &site.pages[i];
    let mut h = DefaultHasher::new();
    own(p).hash(&mut h);
    for &t in &p.translations {
        address(&site.pages[t]).hash(&mut h);
    }
    for &r in &p.related {
        cards[r].hash(&mut h);
    }
    p.fm.contact.as_deref().and_then(|id| people.get(id)).hash(&mut h);
    if p.fm.strategy.is_some() {
        posters.hash(&mut h);
    }
    h.finish()
}

/// A language's home: its intro, the cards of its cases, in order, and the
/// values of the declared filters (its links to them).
pub fn home(site: &Site, lang: usize, cards: &[u64]) -> u64 {
    let mut h = DefaultHasher::new();
    site.homes[lang].hash(&mut h);
    cards[site.by_lang[lang].clone()].hash(&mut h);
    for values in &site.fields {
        for t in &values[lang] {
            (&t.name, &t.url, t.pages.len()).hash(&mut h);
        }
    }
    h.finish()
}

/// The values' pages of declared filter `f`: its values in each language
/// (names, addresses, case counts), as its alternates and switch name them.
pub fn field(site: &Site, f: usize) -> u64 {
    let mut h = DefaultHasher::new();
    for values in &site.fields[f] {
        values.len().hash(&mut h);
        for t in values {
            (&t.name, &t.url, t.pages.len()).hash(&mut h);
        }
    }
    h.finish()
}

/// Page `n` of a language's list of cases: its cards, how many cases and
/// pages the list has (its links), and which languages have a page `n`
/// (its alternates).
pub fn section(site: &Site, lang: usize, n: usize, cards: &[u64]) -> u64 {
    let mut h = DefaultHasher::new();
    (n, site.by_lang[lang].len()).hash(&mut h);
    cards[site.section_range(lang, n)].hash(&mut h);
    for l in 0..site.config.languages.len() {
        site.section_pages(l).min(n).hash(&mut h);
    }
    // (its filters: those with values)
    for values in &site.fields {
        values[lang].is_empty().hash(&mut h);
    }
    h.finish()
}

/// A language's list of tags: their names, addresses and case counts.
pub fn tags(site: &Site, lang: usize) -> u64 {
    let mut h = DefaultHasher::new();
    for t in &site.tags[lang] {
        (&t.name, &t.url, t.pages.len()).hash(&mut h);
    }
    h.finish()
}

/// A tag's page: its name and the cards of its cases, in order.
pub fn tag(tag: &Tag, cards: &[u64]) -> u64 {
    let mut h = DefaultHasher::new();
    (&tag.name, &tag.url).hash(&mut h);
    for &i in &tag.pages {
        cards[i].hash(&mut h);
    }
    h.finish()
}

/// The sitemap: every page's address, date and translations.
pub fn sitemap(site: &Site) -> u64 {
    let entry = |p: &CasePage| {
        *p.derived.sitemap_entry.get_or_init(|| {
            let mut h = DefaultHasher::new();
            (&p.url, p.fm.date, &p.fm.tags, &p.fields).hash(&mut h);
            h.finish()
        })
    };
    let entries: Vec<u64> = site.pages.par_iter().map(|p| entry(p)).collect();
    // each page's entry with its translations' (which hold their
    // addresses), on both cores; then all of them in order
    let pages: Vec<u64> = (site.pages.par_iter().zip(&entries))
        .map(|(p, entry)| {
            let mut h = DefaultHasher::new();
            entry.hash(&mut h);
            for &t in &p.translations {
                (site.pages[t].lang, entries[t]).hash(&mut h);
            }
            h.finish()
        })
        .collect();
    let mut h = DefaultHasher::new();
    pages.hash(&mut h);
    h.finish()
}
