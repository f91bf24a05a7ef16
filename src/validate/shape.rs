//! The cases of a validate in order, with their addresses and folders:
//! worked out from every case file, or, after a save, from the last
//! validate's, as long as every case file says the same of its place.

use super::links::{self, Folders};
use super::undeclared;
use crate::diagnostic::{Diagnostic, display_path};
use crate::load::CaseSource;
use crate::model::config::{Config, valid_slug};
use crate::model::frontmatter::{Seg, locate};
use crate::model::urls;
use crate::text::markdown;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use std::path::Path;
use std::sync::Arc;

/// The cases of a validate in order, and what follows from their order
/// and places alone. A save rarely moves a case: when every case file is
/// the one the last validate read, or says the same of its place (path,
/// language, draft, date, slug, contact), the last shape is kept, with the
/// changed files put in their places (at 10,000 cases, working it out
/// again reads 19,000 cases scattered in memory: ~13 ms of a save).
pub(super) struct Shape {
    config: Config,
    /// For each case file, in the order of the sources: its index in
    /// `cases`, or the file itself when it is left out.
    at: Vec<Result<usize, Arc<CaseSource>>>,
    /// What working the order out found: languages that are not the
    /// site's, slugs that are not slugs or are taken.
    found: Vec<Diagnostic>,
    /// Each case with its language, ordered by language, newest first,
    /// then by folder.
    pub cases: Vec<(usize, Arc<CaseSource>)>,
    /// For each language, the range of `cases` in it.
    pub by_lang: Vec<std::ops::Range<usize>>,
    /// Each case folder's case in each language.
    pub folders: Folders,
    /// The address of each case.
    pub urls: Vec<String>,
    /// The folders of the drafts left out.
    pub draft_folders: FxHashSet<String>,
    /// The contacts the case files name.
    pub named: FxHashSet<String>,
    /// A digest of the order ((language, folder) of each case).
    pub order: u64,
    /// The cases' part of [`links::links_digest`].
    pub links: u64,
}

impl Shape {
    /// The shape of `sources` (with the problems of their places in
    /// `diags`): `last`, with the changed files in it, when they say the
    /// same of their places; else worked out again. (`drafts` is not
    /// compared: a session builds with or without them throughout.)
    pub fn of(
        root: &Path,
        config: &Config,
        sources: Vec<Arc<CaseSource>>,
        drafts: bool,
        last: Option<Shape>,
        diags: &mut Vec<Diagnostic>,
    ) -> Shape {
        let shape = match last {
            Some(last) if last.fits(config, &sources) => last.with(sources),
            _ => Shape::new(root, config, sources, drafts),
        };
        diags.extend(shape.found.iter().cloned());
        shape
    }

    /// Whether the files `sources` say the same of their places as those
    /// of this shape (most are the same files: no case is read for them).
    fn fits(&self, config: &Config, sources: &[Arc<CaseSource>]) -> bool {
        // (a slug's problem is said at its line, which may have moved)
        self.at.len() == sources.len()
            && !crate::diagnostic::has_errors(&self.found)
            && (sources.iter().zip(&self.at)).all(|(c, at)| {
                let was = match at {
                    Ok(i) => &self.cases[*i].1,
                    Err(was) => was,
                };
                Arc::ptr_eq(c, was) || same_place(c, was)
            })
            && self.config == *config
    }

    /// This shape with the case files of `sources` in it.
    fn with(mut self, sources: Vec<Arc<CaseSource>>) -> Shape {
        for (c, at) in sources.into_iter().zip(&mut self.at) {
            match at {
                Ok(i) => {
                    let was = &mut self.cases[*i].1;
                    if !Arc::ptr_eq(&c, was) {
                        *was = c;
                    }
                }
                Err(was) => *was = c,
            }
        }
        self
    }

    fn new(root: &Path, config: &Config, sources: Vec<Arc<CaseSource>>, drafts: bool) -> Shape {
        let mut found = Vec::new();
        let (order, draft_folders, named) = cases(root, config, &sources, drafts, &mut found);
        let mut at: Vec<Result<usize, Arc<CaseSource>>> = sources.iter().map(|c| Err(c.clone())).collect();
        for (k, (_, i)) in order.iter().enumerate() {
            at[*i] = Ok(k);
        }
        let by_lang = ranges(&order, config.languages.len());
        let cases: Vec<(usize, Arc<CaseSource>)> =
            order.into_iter().map(|(lang, i)| (lang, sources[i].clone())).collect();
        // (two maps of every case, one on each core)
        let (folders, urls) = rayon::join(
            || {
                let mut folders: Folders = FxHashMap::with_capacity_and_hasher(cases.len(), Default::default());
                for (i, (lang, c)) in cases.iter().enumerate() {
                    folders.entry(c.folder.clone()).or_insert_with(|| vec![None; config.languages.len()])[*lang] =
                        Some(i);
                }
                folders
            },
            || -> Vec<String> {
                (cases.par_iter())
                    .map(|(lang, c)| urls::case(&config.languages[*lang], c.fm.slug.as_deref().unwrap_or(&c.folder)))
                    .collect()
            },
        );
        let order = super::digest(cases.iter().map(|(lang, c)| (lang, &c.folder)));
        let links = links::cases_digest(&cases, &urls);
        Shape { config: config.clone(), at, found, cases, by_lang, folders, urls, draft_folders, named, order, links }
    }
}

/// Whether two versions of a case file say the same of its place: all
/// that its order, address and folder, and the contacts named, come from.
fn same_place(a: &CaseSource, b: &CaseSource) -> bool {
    let (fa, fb) = (&a.fm, &b.fm);
    a.rel == b.rel && (fa.draft, fa.date, &fa.slug, &fa.contact) == (fb.draft, fb.date, &fb.slug, &fb.contact)
}

/// The cases of the build (language, index in `sources`): in a language of
/// the site, not drafts (unless asked), each with a valid slug of its own;
/// ordered by language, newest first, then by folder. Also the folders of
/// the drafts left out, and the contacts every case file names (drafts
/// included).
fn cases(
    root: &Path,
    config: &Config,
    sources: &[Arc<CaseSource>],
    drafts: bool,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<(usize, usize)>, FxHashSet<String>, FxHashSet<String>) {
    // what each file says of its place, read on both cores (reading the
    // cases from memory is most of the time): language, draft, date, slug
    // and whether it is one, contact
    let places: Vec<_> = (sources.par_iter())
        .map(|c| {
            let slug = c.fm.slug.as_deref().unwrap_or(&c.folder);
            (config.language(&c.lang), c.fm.draft, c.fm.date, slug, valid_slug(slug), c.fm.contact.as_deref())
        })
        .collect();
    let mut draft_folders = FxHashSet::default();
    let mut named: FxHashSet<String> = FxHashSet::default();
    // (language, date, index in `sources`) of each case kept
    let mut kept = Vec::with_capacity(sources.len());
    let mut slugs: FxHashMap<(usize, &str), &Path> =
        FxHashMap::with_capacity_and_hasher(sources.len(), Default::default());
    for (i, (c, &(lang, draft, date, slug, valid, contact))) in sources.iter().zip(&places).enumerate() {
        // (a site has few people, named by many cases)
        if let Some(id) = contact.filter(|id| !named.contains(*id)) {
            named.insert(id.to_string());
        }
        let Some(lang) = lang else {
            diags.push(undeclared(root, config, &c.lang, &c.rel));
            continue;
        };
        if draft && !drafts {
            draft_folders.insert(c.folder.clone());
            continue;
        }
        kept.push((lang, date, i));
        let shown = || display_path(root, &c.rel);
        if !valid {
            let (l, col) = if c.fm.slug.is_some() { locate(&c.yaml, &[Seg::Key("slug")]) } else { (1, 1) };
            let what = if c.fm.slug.is_some() { "slug" } else { "the case folder name (the default slug)" };
            diags.push(Diagnostic::error(shown(), l, col, format!("{what} `{slug}` is not a URL slug")).with_hint(
                format!("use lowercase letters, digits and hyphens, such as `{}`", markdown::slugify(slug)),
            ));
        } else if let Some(other) = slugs.insert((lang, slug), &c.rel) {
            let (l, col) = locate(&c.yaml, &[Seg::Key("slug")]);
            diags.push(Diagnostic::error(
                shown(),
                l,
                col,
                format!("slug `{slug}` is also used by {} in the same language", display_path(root, other).display()),
            ));
        }
    }
    drop((places, slugs));
    // (no two cases of a language share a folder: unstable is as good; the
    // dates beside the cases, and folders compared only when dates are the
    // same: most comparisons then read no case)
    kept.sort_unstable_by(|(la, da, a), (lb, db, b)| {
        la.cmp(lb).then(db.cmp(da)).then_with(|| sources[*a].folder.cmp(&sources[*b].folder))
    });
    (kept.into_iter().map(|(lang, _, i)| (lang, i)).collect(), draft_folders, named)
}

/// For each language, the range of the (sorted) cases in it.
fn ranges(cases: &[(usize, usize)], nlang: usize) -> Vec<std::ops::Range<usize>> {
    let mut counts = vec![0; nlang];
    for (lang, _) in cases {
        counts[*lang] += 1;
    }
    let mut start = 0;
    counts
        .iter()
        .map(|n| {
            start += n;
            start - n..start
        })
        .collect()
}
