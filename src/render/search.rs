//! Each language's search index, made from the site model (the typed
//! front matter and the body), not read back from the pages, for the
//! search box of the theme (`static/search.js`). In `search/<lang>/`:
//!
//! - `meta.json`: `{"docs": N, "parts": P, "per_file": F, "stamp": "…"}`.
//!   `stamp` changes with the index; the script asks for the other files
//!   with it (`w/3.json?v=stamp`), so no browser keeps a stale part.
//! - `w/<n>.json`, one of the `P` parts of the vocabulary:
//!   `{"w": {"gemeente": 0, "gemeenten": 0, …}, "p": [[d, s, d, s, …], …]}`.
//!   `w` maps each word of the pages (lower case, accents folded,
//!   [`crate::text::words`]) to a stem of this part; `p` holds, per stem,
//!   the documents that have it and a score for each (document numbers as
//!   the difference to the one before). A word's part is [`part_of`] its
//!   first two characters, so a query loads one part per word it has. A
//!   reader's word is matched against these words (whole or as the start of
//!   one): the browser needs no stemmer.
//! - `filters.json`: what the cases can be narrowed by, each value with
//!   its documents: `{"tag": [["Participatie", [0, 3, 7]], …], "client":
//!   […], "year": [["2024", […]], …]}`; tags and clients by name, years
//!   newest first, documents in order. The list of cases narrows with it.
//! - `d/<n>.json`: documents `n × F` to `n × F + F - 1`, each
//!   `[address, title, client, year, excerpt]`, the address relative to
//!   the site root. Documents are the language's cases, newest first.
//!
//! A score is BM25 over counts weighed by field (a word in the title counts
//! six times one in the body), times ten, at least 1; the script multiplies
//! it by the rarity of the stem and adds up the words of the query.

use super::{Done, Env, Job, Make, Planning};
use crate::cache::Output;
use crate::model::urls::{self, SearchFile};
use crate::model::{CasePage, Site};
use crate::text::words::{self, Stems};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::fmt::Write as _;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;

/// The build cache's folder of search indexes.
const CACHE: &str = "search";

/// Documents per file of document data: the ten results a reader sees
/// first load about 30 KB of them (at 50, 120 KB on a 1,000-case site:
/// results are spread over the whole list).
const PER_FILE: usize = 10;

/// What a word counts for in each field of a case.
const TITLE: u32 = 6;
const CLIENT: u32 = 5;
const TAGS: u32 = 5;
const SUMMARY: u32 = 3;
const QUOTE: u32 = 2;
const FACTS: u32 = 2;
const BODY: u32 = 1;

/// BM25's saturation (in weighed counts: a title word alone scores about
/// what five words of the body do) and the weight of a document's length.
const K: f32 = 6.0;
const B: f32 = 0.5;

/// How many parts the vocabulary of `docs` documents is split into: about
/// eight documents a part, a power of two, at most 256.
fn parts(docs: usize) -> usize {
    (docs / 8).next_power_of_two().min(256)
}

/// The part of the vocabulary a folded word is in: FNV-1a (32 bits) of the
/// UTF-8 of its first two characters, modulo `parts`. The search script
/// works it out the same way.
fn part_of(word: &str, parts: usize) -> usize {
    let end = word.char_indices().nth(2).map_or(word.len(), |(i, _)| i);
    let mut h: u32 = 0x811c_9dc5;
    for &b in &word.as_bytes()[..end] {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    (h % parts as u32) as usize
}

/// A language's index (its position in `site.config.languages`) and the
/// fingerprint of what it is made of.
struct Index(usize, u64);

pub(super) fn plan<'s>(p: &Planning<'s>) -> Vec<Job<'s>> {
    let site = p.site;
    (0..site.config.languages.len())
        .map(|lang| {
            let l = &site.config.languages[lang];
            let docs = site.by_lang[lang].len();
            let mut paths = vec![urls::search_file(l, SearchFile::Meta), urls::search_file(l, SearchFile::Filters)];
            paths.extend((0..parts(docs)).map(|n| urls::search_file(l, SearchFile::Words(n))));
            paths.extend((0..docs.div_ceil(PER_FILE)).map(|n| urls::search_file(l, SearchFile::Documents(n))));
            // (worked out when it is made: a render of the pages keeps the last one)
            let fingerprint = (p.part != super::Part::First).then(|| fingerprint(site, lang));
            Job::new(paths, fingerprint, Index(lang, fingerprint.unwrap_or_default()))
        })
        .collect()
}

/// Every page of the language: what it is made of, and its address.
fn fingerprint(site: &Site, lang: usize) -> u64 {
    let mut h = DefaultHasher::new();
    (&site.config.languages[lang].code, PER_FILE, &site.config.filters).hash(&mut h);
    for p in site.pages_in(lang) {
        (p.digest, super::plan::address(p)).hash(&mut h);
    }
    h.finish()
}

impl Make for Index {
    /// From the build cache when an earlier build (of this program) made
    /// the index of the same pages: an unchanged site is not indexed again.
    fn make(&self, env: &Env, paths: &[String], done: &mut Done) -> bool {
        if !env.sink.keeps_bytes() {
            return paths.iter().all(|rel| super::wrote(done, rel, env.sink.write(rel, &[])));
        }
        let mut h = DefaultHasher::new();
        (crate::cache::program(), self.1).hash(&mut h);
        let name = |i: usize| format!("{:016x}-{i}.json", h.finish());
        let cached: Option<Vec<Output>> = (0..paths.len())
            .map(|i| env.cache.get(CACHE, &name(i)).map(|hit| Output::Cached { path: hit.path, size: hit.size }))
            .collect();
        let outputs = cached.unwrap_or_else(|| {
            let files = index(env.site, self.0, self.1).into_iter().enumerate();
            files.map(|(i, text)| env.cache.made(CACHE, &name(i), text.into_bytes())).collect()
        });
        let mut ok = true;
        for (rel, output) in paths.iter().zip(outputs) {
            ok &= env.put(Ok((output, vec![])), rel, done).is_some();
        }
        ok
    }

    fn describe(&self, site: &Site, _: &[String], _: &str, _: usize) -> String {
        format!("the search index of `{}`", site.config.languages[self.0].code)
    }

    fn later(&self) -> bool {
        true
    }
}

/// The files of a language's index, in the order of its job's paths.
fn index(site: &Site, lang: usize, stamp: u64) -> Vec<String> {
    let pages = site.pages_in(lang);
    let stems = Stems::of(&site.config.languages[lang].code);
    const CHUNK: usize = 64;
    let counted: Vec<Counted> =
        pages.par_chunks(CHUNK).enumerate().map(|(c, chunk)| count(chunk, c * CHUNK, &stems)).collect();
    let Merged { stems, words, lens } = merge(counted);
    let n_parts = parts(pages.len());

    let avg = lens.iter().map(|&l| l as f32).sum::<f32>() / lens.len().max(1) as f32;
    let score = |doc: u32, tf: u32| {
        let tf = tf as f32;
        let norm = K * (1.0 - B + B * lens[doc as usize] as f32 / avg.max(1.0));
        ((tf * (K + 1.0) / (tf + norm)) * 10.0).round().max(1.0) as u32
    };

    let mut by_part: Vec<Vec<(&str, u32)>> = vec![Vec::new(); n_parts];
    for (word, &stem) in &words {
        by_part[part_of(word, n_parts)].push((word, stem));
    }
    let mut files = Vec::with_capacity(1 + n_parts + pages.len().div_ceil(PER_FILE));
    files.push(format!(
        "{{\"docs\":{},\"parts\":{n_parts},\"per_file\":{PER_FILE},\"stamp\":\"{stamp:016x}\"}}\n",
        pages.len()
    ));
    files.push(filters(site, lang));
    files.par_extend(by_part.into_par_iter().map(|mut entries| {
        entries.sort_unstable();
        // the stems of this part, in the order their first word comes
        let mut local: FxHashMap<u32, usize> = FxHashMap::default();
        let mut order = Vec::new();
        let mut out = String::from("{\"w\":{");
        for (i, (word, stem)) in entries.iter().enumerate() {
            let n = *local.entry(*stem).or_insert_with(|| {
                order.push(*stem);
                order.len() - 1
            });
            // (a word is letters and digits: nothing to escape)
            let _ = write!(out, "{}\"{word}\":{n}", if i > 0 { "," } else { "" });
        }
        out.push_str("},\"p\":[");
        for (i, &stem) in order.iter().enumerate() {
            out.push_str(if i > 0 { ",[" } else { "[" });
            let mut last = 0;
            for (j, &(doc, tf)) in stems[stem as usize].iter().enumerate() {
                let _ = write!(out, "{}{},{}", if j > 0 { "," } else { "" }, doc - last, score(doc, tf));
                last = doc;
            }
            out.push(']');
        }
        out.push_str("]}\n");
        out
    }));
    files.par_extend(pages.par_chunks(PER_FILE).map(|chunk| {
        let docs: Vec<_> =
            chunk.iter().map(|p| (&p.url, &p.fm.title, &p.fm.client, p.fm.date.year, &p.description)).collect();
        serde_json::to_string(&docs).unwrap_or_default() + "\n"
    }));
    files
}

/// `filters.json`: each tag, client and year of the language's cases with
/// the documents (cases, newest first) that have it.
fn filters<'s>(site: &'s Site, lang: usize) -> String {
    let first = site.by_lang[lang].start;
    // tags and the site's own filters' values, by name (their cases are in
    // document order already)
    let terms = |terms: &'s [crate::model::Tag]| -> Vec<(&'s str, Vec<usize>)> {
        let mut terms: Vec<(&str, Vec<usize>)> =
            terms.iter().map(|t| (t.name.as_str(), t.pages.iter().map(|&i| i - first).collect())).collect();
        terms.sort_by(|a, b| by_name(a.0, b.0));
        terms
    };
    let mut clients: std::collections::BTreeMap<&str, Vec<usize>> = Default::default();
    let mut years: std::collections::BTreeMap<std::cmp::Reverse<u16>, Vec<usize>> = Default::default();
    for (doc, p) in site.pages_in(lang).iter().enumerate() {
        clients.entry(&p.fm.client).or_default().push(doc);
        years.entry(std::cmp::Reverse(p.fm.date.year)).or_default().push(doc);
    }
    let mut clients: Vec<(&str, Vec<usize>)> = clients.into_iter().collect();
    clients.sort_by(|a, b| by_name(a.0, b.0));
    let years: Vec<(String, Vec<usize>)> = years.into_iter().map(|(y, docs)| (y.0.to_string(), docs)).collect();
    let mut value = serde_json::json!({ "tag": terms(&site.tags[lang]), "client": clients, "year": years });
    for (key, values) in site.config.filters.iter().zip(&site.fields) {
        value[key.as_str()] = serde_json::json!(terms(&values[lang]));
    }
    value.to_string() + "\n"
}

/// Names in the order a reader looks for them: without case and accents.
fn by_name(a: &str, b: &str) -> std::cmp::Ordering {
    words::fold(&a.to_lowercase()).cmp(&words::fold(&b.to_lowercase())).then(a.cmp(b))
}

/// The words of some pages: each stem with its postings (document number,
/// weighed count), every folded word with its stem, each page's length in
/// words.
#[derive(Default)]
struct Counted {
    stems: Vec<(String, Vec<(u32, u32)>)>,
    words: Vec<(String, u32)>,
    lens: Vec<u32>,
}

/// The texts of a case in the index, with what a word of each counts for.
fn fields<'a>(p: &'a CasePage, body: &'a str) -> Vec<(&'a str, u32)> {
    let fm = &p.fm;
    let mut f = vec![(fm.title.as_str(), TITLE), (fm.client.as_str(), CLIENT)];
    f.extend(fm.tags.iter().map(|t| (t.as_str(), TAGS)));
    f.extend(fm.summary.iter().map(|s| (s.as_str(), SUMMARY)));
    if let Some(q) = &fm.quote {
        f.extend(std::iter::once(&q.text).chain(&q.author).map(|t| (t.as_str(), QUOTE)));
    }
    for fact in fm.facts.iter().flatten() {
        f.extend([&fact.value, &fact.label].into_iter().chain(&fact.source).map(|t| (t.as_str(), FACTS)));
    }
    if let Some(s) = &fm.strategy {
        let lines = s.lines.iter().flat_map(|l| [&l.title, &l.text]);
        f.extend(std::iter::once(&s.title).chain(&s.story).chain(lines).map(|t| (t.as_str(), BODY)));
    }
    f.push((body, BODY));
    f
}

/// Counts the words of `pages`, the first of them document `first`.
fn count(pages: &[Arc<CasePage>], first: usize, stems: &Stems) -> Counted {
    let mut c = Counted::default();
    let mut ids: FxHashMap<String, u32> = FxHashMap::default();
    // a word as written → its stem's number: each word lowered and stemmed once
    let mut seen: FxHashMap<&str, u32> = FxHashMap::default();
    let mut lower = String::new();
    let mut tf: FxHashMap<u32, u32> = FxHashMap::default();
    // (kept while the words seen point into them)
    let bodies: Vec<String> = pages.iter().map(|p| text_of(&p.body_html.text())).collect();
    for (i, (p, body)) in pages.iter().zip(&bodies).enumerate() {
        tf.clear();
        let mut len = 0;
        for (text, weight) in fields(p, body) {
            for word in words::split(text) {
                let id = match seen.get(word) {
                    Some(&id) => id,
                    None if word.chars().nth(1).is_none() => continue,
                    None => {
                        lower.clear();
                        lower.extend(word.chars().flat_map(char::to_lowercase));
                        let stem = stems.stem(&lower);
                        let id = match ids.get(&stem) {
                            Some(&id) => id,
                            None => {
                                let id = c.stems.len() as u32;
                                ids.insert(stem.clone(), id);
                                c.stems.push((stem, Vec::new()));
                                id
                            }
                        };
                        c.words.push((words::fold(&lower), id));
                        seen.insert(word, id);
                        id
                    }
                };
                *tf.entry(id).or_default() += weight;
                len += 1;
            }
        }
        let doc = (first + i) as u32;
        for (&id, &n) in &tf {
            c.stems[id as usize].1.push((doc, n));
        }
        c.lens.push(len);
    }
    c
}

/// The counts of all pages: stems numbered across them, postings in
/// document order.
struct Merged {
    stems: Vec<Vec<(u32, u32)>>,
    words: FxHashMap<String, u32>,
    lens: Vec<u32>,
}

fn merge(parts: Vec<Counted>) -> Merged {
    let mut ids: FxHashMap<String, u32> = FxHashMap::default();
    let mut merged = Merged { stems: Vec::new(), words: FxHashMap::default(), lens: Vec::new() };
    for part in parts {
        let global: Vec<u32> = part
            .stems
            .into_iter()
            .map(|(stem, postings)| match ids.get(&stem) {
                Some(&id) => {
                    let all = &mut merged.stems[id as usize];
                    all.extend(postings);
                    id
                }
                None => {
                    let id = merged.stems.len() as u32;
                    ids.insert(stem, id);
                    merged.stems.push(postings);
                    id
                }
            })
            .collect();
        for (word, local) in part.words {
            merged.words.entry(word).or_insert(global[local as usize]);
        }
        merged.lens.extend(part.lens);
    }
    // (a page's postings were added in any order of its stems, but pages in order)
    merged
}

/// The text of an HTML fragment: its tags left out, its character
/// references read (those the Markdown renderer writes).
fn text_of(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find(['<', '&']) {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        if rest.starts_with('<') {
            out.push(' ');
            rest = rest.find('>').map_or("", |e| &rest[e + 1..]);
            continue;
        }
        let entity = rest.find(';').filter(|&e| e <= 10).map(|e| &rest[1..e]);
        let c = match entity {
            Some("amp") => Some('&'),
            Some("lt") => Some('<'),
            Some("gt") => Some('>'),
            Some("quot") => Some('"'),
            Some("nbsp") => Some('\u{a0}'),
            Some(e) if e.starts_with("#x") || e.starts_with("#X") => {
                u32::from_str_radix(&e[2..], 16).ok().and_then(char::from_u32)
            }
            Some(e) if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match (c, entity) {
            (Some(c), Some(e)) => {
                out.push(c);
                rest = &rest[e.len() + 2..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_of_html_has_no_tags_and_its_references_read() {
        assert_eq!(
            text_of("<p>Samen met <em>inwoners</em> &amp; ondernemers&#x2019; &#8220;wijk&#8221; &lt;3</p>\n<p>&foo"),
            " Samen met  inwoners  & ondernemers’ “wijk” <3 \n &foo"
        );
    }

    #[test]
    fn parts_grow_with_the_site_and_every_word_has_one() {
        assert_eq!(parts(0), 1);
        assert_eq!(parts(2), 1);
        assert_eq!(parts(950), 128);
        assert_eq!(parts(1_000_000), 256);
        // the same value as the script's (static/search.js) for a known word
        assert_eq!(part_of("gemeente", 1 << 31), 0x3c20_6dd9);
        assert_eq!(part_of("g", 128), part_of("g", 128));
        assert!(["ab", "gemeente", "été", "2024"].iter().all(|w| part_of(w, 7) < 7));
    }
}
