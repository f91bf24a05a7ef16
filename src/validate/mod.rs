//! Stage 2, validate: turns the parsed sources into the immutable [`Site`],
//! checking everything that spans files (languages, slugs, references,
//! images) and computing every shared list once.
//!
//! Every text readers see is set in its language's typography here, once
//! ([`crate::model::content::FrontMatter::typeset`]): later stages print
//! it as it is. Nothing here renders or writes.

mod case;
mod files;
mod homes;
mod links;
mod people;
mod shape;
pub mod translations;

use crate::diagnostic::{Diagnostic, did_you_mean, display_path};
use crate::images;
use crate::load::{CaseSource, Sources};
use crate::model::config::Config;
use crate::model::urls;
use crate::model::{CasePage, Site, Tag};
use crate::text::markdown;
use crate::text::packed::Packed;
use case::Checker;
use links::{LinkContext, Skipped};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Ids the built-in case template gives its own sections; body headings get
/// other ids so that anchors stay unique.
pub const RESERVED_IDS: &[&str] = &[
    "top",
    "main",
    "quote",
    "contact",
    "contact-title",
    "facts",
    "facts-title",
    "strategy",
    "strategy-title",
    "related",
    "related-title",
    "cases-title",
    "poster",
];

/// How many related cases a case shows when its front matter names none.
pub const DEFAULT_RELATED: usize = 3;

/// What an earlier validate of the same site made, reused while what it
/// was made from is unchanged (serve keeps one between rebuilds; a build
/// starts empty): case bodies, while their file and every case address
/// are; whole checked cases, while their file, the files of their folder
/// and everything else a case's check reads ([`Context`]) are.
#[derive(Default)]
pub struct Memo {
    /// Whether bodies are held deflated (`serve`).
    deflate: bool,
    /// The [`links::links_digest`] the bodies were rendered with.
    links: u64,
    bodies: FxHashMap<PathBuf, (u64, Arc<Body>)>,
    /// What the cases were checked with.
    context: Option<Context>,
    /// A digest of the files of every case folder the cases were checked with.
    folder_files: u64,
    /// The cases in order, with their addresses ([`shape::Shape`]).
    shape: Option<shape::Shape>,
    /// Each case checked, by its place in the order (which changes only
    /// with the context): the file it was checked from, the memo key,
    /// what it came to.
    cases: Vec<Option<(Arc<CaseSource>, u64, Checked)>>,
}

impl Memo {
    /// An empty memo; with `deflate`, the bodies it keeps are held deflated.
    pub fn new(deflate: bool) -> Memo {
        Memo { deflate, ..Memo::default() }
    }
}

/// Everything the check of one case reads besides its own file and the
/// files of its folder: the configuration, the addresses links resolve to,
/// the order of the cases (pages name each other by position), the people.
#[derive(PartialEq)]
struct Context {
    config: Config,
    links: u64,
    order: u64,
    /// The people's ids and names, which `contact` is checked against.
    people: u64,
    /// The people whose file does not parse, in order.
    unreadable_people: Vec<String>,
}

/// A case checked: its page, its body, its problems.
type Checked = (Arc<CasePage>, Arc<Body>, Vec<Diagnostic>);

/// A case as the memo has it, or checked now (with its memo key).
enum Looked<'m> {
    Kept(&'m Checked),
    Checked(u64, Checked),
}

/// A rendered case body, the page description made from it, its links,
/// and what resolving them found.
struct Body {
    html: Packed,
    description: String,
    links: Arc<[markdown::Link]>,
    found: Found,
}

/// What resolving the links of a text found: its problems, and the files
/// of case folders it links or shows (case folder, path inside it), which
/// are therefore published.
#[derive(Default)]
struct Found {
    problems: Vec<Diagnostic>,
    files: Vec<(String, String)>,
    /// The case folders whose files a link was looked up in.
    folders: Vec<String>,
}

/// Builds the site model. Returns `None` when any error was found; the
/// diagnostics hold every error and warning of the run.
pub fn validate(
    root: &Path,
    config: Config,
    sources: Sources,
    drafts: bool,
    memo: &mut Memo,
) -> (Option<Site>, Vec<Diagnostic>) {
    let timing = crate::diagnostic::timings::Phases::start("validate");
    let mut diags = sources.diagnostics;
    let shape = shape::Shape::of(root, &config, sources.cases, drafts, memo.shape.take(), &mut diags);
    // (said only when every case file could be read)
    if sources.unreadable.is_empty() {
        diags.extend(people::unnamed(root, &sources.people, &shape.named));
    }
    timing.end("cases, addresses and folders");
    let (cases, by_lang, folders, urls) = (&shape.cases, &shape.by_lang, &shape.folders, &shape.urls);
    let people = people::people(root, &config, &sources.people, &sources.assets, &mut diags);
    let mut case_assets: FxHashMap<&str, Vec<&crate::load::Asset>> = FxHashMap::default();
    for a in &sources.assets {
        if let Some(f) = &a.case_folder {
            case_assets.entry(f.as_str()).or_default().push(a);
        }
    }
    let mut skipped: FxHashMap<&str, Skipped> =
        sources.unreadable.iter().map(|f| (f.as_str(), Skipped::Unreadable)).collect();
    for folder in &shape.draft_folders {
        skipped.entry(folder.as_str()).or_insert(Skipped::Draft);
    }
    let links = LinkContext { config: &config, folders, urls, assets: &case_assets, skipped: &skipped };
    // the files of each case folder, by digest
    let folder_files: FxHashMap<&str, u64> = (case_assets.iter())
        .map(|(folder, files)| (*folder, files.iter().fold(0, |d, a| d ^ asset_digest(a))))
        .collect();
    timing.end("case files");
    let links_digest = links::links_digest(&links, shape.links);
    timing.end("links digest");
    if memo.links != links_digest {
        memo.bodies.clear();
        memo.links = links_digest;
    }
    let context = Context {
        config: config.clone(),
        links: links_digest,
        order: shape.order,
        people: digest(people.iter().map(|(id, p)| (id, &p.name))),
        unreadable_people: {
            let mut ids: Vec<String> = sources.unreadable_people.iter().cloned().collect();
            ids.sort();
            ids
        },
    };
    if memo.context.as_ref() != Some(&context) {
        memo.cases.clear();
        memo.context = Some(context);
    }
    timing.end("context");
    memo.cases.resize_with(cases.len(), || None);
    // (when no folder's files changed, a case checked from the same file
    // is as it was: its key need not be worked out)
    let files = folder_files.iter().fold(0, |d, entry| d ^ digest(std::iter::once(entry)));
    let same_files = std::mem::replace(&mut memo.folder_files, files) == files;
    let checker = Checker {
        root,
        links: &links,
        people: &people,
        unreadable_people: &sources.unreadable_people,
        by_lang,
        folder_files: &folder_files,
        memo,
    };
    let looked: Vec<Looked> = cases
        .par_iter()
        .enumerate()
        .map(|(i, (lang, c))| {
            // the case's file and the files of its folder, as an image's size is part of its page
            // and the files of the folders its links looked in
            let key = |body: &Body| {
                let folders = std::iter::once(&c.folder).chain(&body.found.folders);
                digest(std::iter::once((c.digest, None)).chain(folders.map(|f| (0, folder_files.get(f.as_str())))))
            };
            match &checker.memo.cases[i] {
                Some((was, _, checked)) if same_files && Arc::ptr_eq(was, c) => Looked::Kept(checked),
                Some((_, k, checked)) if *k == key(&checked.1) => Looked::Kept(checked),
                _ => {
                    let checked = checker.case(i, *lang, c);
                    Looked::Checked(key(&checked.1), checked)
                }
            }
        })
        .collect();
    timing.end("cases looked up");
    let mut pages = Vec::with_capacity(looked.len());
    // the files of case folders that a text links or shows
    let mut linked: FxHashSet<(String, String)> = FxHashSet::default();
    let mut fresh = Vec::new();
    for (i, looked) in looked.into_iter().enumerate() {
        let (page, body, ds) = match &looked {
            Looked::Kept((page, body, ds)) | Looked::Checked(_, (page, body, ds)) => (page, body, ds),
        };
        diags.extend(ds.iter().cloned());
        diags.extend(body.found.problems.iter().cloned());
        linked.extend(body.found.files.iter().cloned());
        pages.push(page.clone());
        if let Looked::Checked(key, checked) = looked {
            fresh.push((i, key, checked));
        }
    }
    // the memo learns the cases checked now; the others are in it
    for (i, key, (page, body, ds)) in fresh {
        memo.bodies.insert(page.rel.clone(), (page.digest, body.clone()));
        memo.cases[i] = Some((cases[i].1.clone(), key, (page, body, ds)));
    }
    // and forgets the bodies of those gone (removed, renamed, now drafts)
    if memo.bodies.len() > pages.len() {
        let current: FxHashSet<&Path> = pages.iter().map(|p| p.rel.as_path()).collect();
        memo.bodies.retain(|rel, _| current.contains(rel.as_path()));
    }
    timing.end("cases checked");
    // the lists of tags and filter values (thrown away if there are errors)
    // on one core, the files that are published on the other
    let ((tags, fields), (homes, assets)) = rayon::join(
        || {
            let tags = terms_of(&pages, by_lang, |p| &p.fm.tags, |lang, slug| urls::tag(&config.languages[lang], slug));
            let fields: Vec<_> = (config.filters.iter().enumerate())
                .map(|(f, key)| {
                    terms_of(
                        &pages,
                        by_lang,
                        |p| &p.fields[f],
                        |lang, slug| urls::field_value(&config.languages[lang], key, slug),
                    )
                })
                .collect();
            (tags, fields)
        },
        || {
            let homes = homes::homes(root, &links, &sources.intros, &mut linked, &mut diags);
            linked.extend(pages.iter().filter_map(|p| Some((p.folder.clone(), p.fm.image.clone()?))));
            let (assets, published) = files::published(root, &sources.assets, folders, urls, &linked, &mut diags);
            diags.extend(files::unusable_images(root, &published, &sources.people, &pages));
            (homes, assets)
        },
    );
    timing.end("published files, lists");
    let by_lang = by_lang.clone();
    memo.shape = Some(shape);
    if crate::diagnostic::has_errors(&diags) {
        return (None, diags);
    }
    let pictures =
        pages.iter().filter_map(|p| p.image.as_ref()).chain(people.values().filter_map(|p| p.photo.as_ref()));
    let resizes = images::resizes(pictures);
    timing.end("lists");
    let site = Site { root: root.to_path_buf(), config, pages, by_lang, people, homes, assets, tags, fields, resizes };
    (Some(site), diags)
}

/// A digest of a sequence of values, for the memo.
fn digest<T: Hash>(items: impl Iterator<Item = T>) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    for item in items {
        item.hash(&mut h);
    }
    h.finish()
}

/// A digest of a file below `content/`: its path and, for an image, what
/// its header says and its bytes' hash.
fn asset_digest(a: &crate::load::Asset) -> u64 {
    digest(std::iter::once((&a.inner, a.image.as_ref().map(|r| r.as_ref().ok()))))
}

/// A file in a language the site does not list: left out, not published in
/// a language nobody declared.
fn undeclared(root: &Path, config: &Config, lang: &str, rel: &Path) -> Diagnostic {
    let codes: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
    let d = Diagnostic::warning(
        display_path(root, rel),
        1,
        1,
        format!(
            "language `{lang}` (from the file name) is not one of the site's languages ({}): the file is neither built nor published",
            codes.join(", ")
        ),
    );
    let name = rel.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let hint = match did_you_mean(lang, codes.iter().copied()) {
        Some(code) => format!("rename it to {}", name.replacen(&format!(".{lang}."), &format!(".{code}."), 1)),
        None => format!("add `{lang}` to `languages` in site.yaml to publish it"),
    };
    d.with_hint(hint)
}

/// Each language's tags with their cases (pages are newest first within a
/// language, so each tag's list is too); tags that make the same slug are one.
/// The tags of each language (or the values of a declared filter), each
/// with its cases: `names` gives those of a case, `url` the address of a
/// page from its language and slug.
fn terms_of(
    pages: &[Arc<CasePage>],
    by_lang: &[std::ops::Range<usize>],
    names: impl Fn(&CasePage) -> &[String] + Sync,
    url: impl Fn(usize, &str) -> String + Sync,
) -> Vec<Vec<Tag>> {
    by_lang
        .par_iter()
        .enumerate()
        .map(|(lang, range)| {
            let mut tags: Vec<Tag> = Vec::new();
            // (a site has few tags, written on many cases: each name is
            // slugified and found once, by the name as written)
            let mut of_name: FxHashMap<&str, usize> = FxHashMap::default();
            let mut of_slug: FxHashMap<String, usize> = FxHashMap::default();
            for i in range.clone() {
                for name in names(&pages[i]) {
                    let t = *of_name.entry(name).or_insert_with(|| {
                        let slug = markdown::slugify(name);
                        *of_slug.entry(slug).or_insert_with_key(|slug| {
                            let url = url(lang, slug);
                            tags.push(Tag {
                                name: name.trim().to_string(),
                                url,
                                slug: slug.clone(),
                                pages: Vec::new(),
                            });
                            tags.len() - 1
                        })
                    });
                    if tags[t].pages.last() != Some(&i) {
                        tags[t].pages.push(i);
                    }
                }
            }
            tags.sort_unstable_by(|a, b| a.slug.cmp(&b.slug));
            tags
        })
        .collect()
}
