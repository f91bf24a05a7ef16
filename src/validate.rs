//! Stage 2, validate: turns the parsed sources into the immutable [`Site`],
//! checking everything that spans files (languages, slugs, references,
//! images) and computing every shared list once.

use crate::config::{Config, valid_slug};
use crate::diagnostic::{Diagnostic, did_you_mean, display_path};
use crate::frontmatter::{Seg, locate};
use crate::images::{self, Picture};
use crate::load::{CaseSource, Sources};
use crate::markdown;
use crate::model::{CasePage, Home, Person, Site, Tag};
use crate::urls;
use rayon::prelude::*;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};
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

/// Case bodies rendered by an earlier validate of the same site, reused
/// while their file and every case address are unchanged (serve keeps one
/// between rebuilds; a build starts empty).
#[derive(Default)]
pub struct Memo {
    /// The [`links_digest`] the bodies were rendered with.
    links: u64,
    bodies: HashMap<PathBuf, (u64, Arc<Body>)>,
}

/// A rendered case body, the page description made from it, its links,
/// and what resolving them found.
struct Body {
    html: Arc<str>,
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
    let mut diags = sources.diagnostics;
    let codes: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
    // a file in a language the site lacks is left out, not published in a language nobody declared
    let undeclared = |lang: &str, rel: &Path, diags: &mut Vec<Diagnostic>| {
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
        diags.push(d.with_hint(hint));
    };

    // cases: known language, not a draft (unless asked), valid and unique slug
    let mut cases: Vec<(usize, Arc<CaseSource>)> = Vec::new();
    let mut draft_folders = HashSet::new();
    for c in sources.cases {
        let Some(lang) = config.language(&c.lang) else {
            undeclared(&c.lang, &c.rel, &mut diags);
            continue;
        };
        if c.fm.draft && !drafts {
            draft_folders.insert(c.folder.clone());
            continue;
        }
        cases.push((lang, c));
    }
    let mut slugs: HashMap<(usize, &str), &Path> = HashMap::with_capacity(cases.len());
    for (lang, c) in &cases {
        let shown = || display_path(root, &c.rel);
        let slug = c.fm.slug.as_deref().unwrap_or(&c.folder);
        if !valid_slug(slug) {
            let (l, col) = if c.fm.slug.is_some() { locate(&c.yaml, &[Seg::Key("slug")]) } else { (1, 1) };
            let what = if c.fm.slug.is_some() { "slug" } else { "the case folder name (the default slug)" };
            diags.push(Diagnostic::error(shown(), l, col, format!("{what} `{slug}` is not a URL slug")).with_hint(
                format!("use lowercase letters, digits and hyphens, such as `{}`", markdown::slugify(slug)),
            ));
        } else if let Some(other) = slugs.insert((*lang, slug), &c.rel) {
            let (l, col) = locate(&c.yaml, &[Seg::Key("slug")]);
            diags.push(Diagnostic::error(
                shown(),
                l,
                col,
                format!("slug `{slug}` is also used by {} in the same language", display_path(root, other).display()),
            ));
        }
    }

    // order: by language, newest first, then by folder
    cases.sort_by(|(la, a), (lb, b)| la.cmp(lb).then(b.fm.date.cmp(&a.fm.date)).then(a.folder.cmp(&b.folder)));
    let nlang = config.languages.len();
    let mut counts = vec![0; nlang];
    for (lang, _) in &cases {
        counts[*lang] += 1;
    }
    let mut start = 0;
    let by_lang: Vec<std::ops::Range<usize>> = counts
        .iter()
        .map(|n| {
            start += n;
            start - n..start
        })
        .collect();
    let mut folders: HashMap<&str, Vec<Option<usize>>> = HashMap::new();
    for (i, (lang, c)) in cases.iter().enumerate() {
        folders.entry(c.folder.as_str()).or_insert_with(|| vec![None; nlang])[*lang] = Some(i);
    }
    let urls: Vec<String> = cases
        .iter()
        .map(|(lang, c)| urls::case(&config.languages[*lang], c.fm.slug.as_deref().unwrap_or(&c.folder)))
        .collect();

    // people
    let person_assets: HashMap<&str, &crate::load::Asset> =
        sources.assets.iter().filter(|a| a.case_folder.is_none()).map(|a| (a.inner.as_str(), a)).collect();
    let mut people = BTreeMap::new();
    for p in &sources.people {
        let shown = display_path(root, &p.rel);
        let asset = |photo: &str| person_assets.get(photo).filter(|_| !photo.contains(".."));
        let photo = match &p.file.photo {
            Some(photo) if let Some(a) = asset(photo) => picture(a, urls::person_file(photo), images::PHOTO_WIDTHS),
            Some(photo) => {
                let (l, c) = locate(&p.yaml, &[Seg::Key("photo")]);
                diags.push(Diagnostic::error(
                    &shown,
                    l,
                    c,
                    format!("photo `{photo}` is not a file in content/people/"),
                ));
                None
            }
            None => None,
        };
        if let Some(email) = &p.file.email
            && (!email.contains('@') || email.contains(char::is_whitespace))
        {
            let (l, c) = locate(&p.yaml, &[Seg::Key("email")]);
            diags.push(Diagnostic::error(&shown, l, c, format!("`{email}` is not an e-mail address")));
        }
        if let Some(crate::content::Role::PerLanguage(roles)) = &p.file.role {
            for lang in roles.keys().filter(|k| config.language(k).is_none()) {
                let (l, c) = locate(&p.yaml, &[Seg::Key("role"), Seg::Key(lang)]);
                diags.push(Diagnostic::warning(
                    &shown,
                    l,
                    c,
                    format!("role in `{lang}`, which is not a language of the site"),
                ));
            }
        }
        people.insert(
            p.id.clone(),
            Person { name: p.file.name.clone(), role: p.file.role.clone(), email: p.file.email.clone(), photo },
        );
    }

    // case assets, per folder
    let mut case_assets: HashMap<&str, Vec<&crate::load::Asset>> = HashMap::new();
    for a in &sources.assets {
        if let Some(f) = &a.case_folder {
            case_assets.entry(f.as_str()).or_default().push(a);
        }
    }

    let mut skipped: HashMap<&str, Skipped> =
        sources.unreadable.iter().map(|f| (f.as_str(), Skipped::Unreadable)).collect();
    for folder in &draft_folders {
        skipped.entry(folder.as_str()).or_insert(Skipped::Draft);
    }
    let links =
        LinkContext { config: &config, folders: &folders, urls: &urls, assets: &case_assets, skipped: &skipped };
    let links_digest = links_digest(&links, &cases);
    if memo.links != links_digest {
        memo.bodies.clear();
        memo.links = links_digest;
    }
    let memo_in: &Memo = memo;
    let checked: Vec<(CasePage, Arc<Body>, Vec<Diagnostic>)> = cases
        .par_iter()
        .enumerate()
        .map(|(i, (lang, c))| {
            check_case(
                root,
                i,
                *lang,
                c,
                &links,
                &people,
                case_assets.get(c.folder.as_str()).map_or(&[][..], |v| v),
                &by_lang,
                memo_in,
            )
        })
        .collect();
    let mut pages = Vec::with_capacity(checked.len());
    let mut bodies = HashMap::with_capacity(checked.len());
    // the files of case folders that a text links or shows
    let mut linked: HashSet<(String, String)> = HashSet::new();
    for (page, body, ds) in checked {
        diags.extend(ds);
        diags.extend(body.found.problems.iter().cloned());
        linked.extend(body.found.files.iter().cloned());
        bodies.insert(page.rel.clone(), (page.digest, body));
        pages.push(page);
    }
    memo.bodies = bodies;

    // homes
    let mut homes = vec![Home::default(); nlang];
    for intro in &sources.intros {
        let Some(lang) = config.language(&intro.lang) else {
            undeclared(&intro.lang, &intro.rel, &mut diags);
            continue;
        };
        let found = RefCell::new(Found::default());
        let shown = display_path(root, &intro.rel);
        let resolve =
            |t: &str, l: usize, c: usize| links.resolve(t, None, lang, &shown, (l + intro.body_line - 1, c), &found);
        let r = markdown::render(&intro.body, &resolve, RESERVED_IDS);
        let found = found.into_inner();
        diags.extend(found.problems);
        linked.extend(found.files);
        homes[lang] = Home {
            title: intro.fm.title.clone(),
            description: intro.fm.description.clone(),
            intro_html: r.html,
            intro_text: r.first_paragraph,
            source: Some(shown.clone()),
            links: in_file(r.links, intro.body_line),
        };
    }

    // a file of a case folder is published only when a page shows or links it
    linked.extend(pages.iter().filter_map(|p| Some((p.folder.clone(), p.fm.image.clone()?))));
    let mut assets = Vec::new();
    let mut unpublished: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for a in &sources.assets {
        match &a.case_folder {
            Some(f) if !folders.contains_key(f.as_str()) => {}
            Some(f) if !linked.contains(&(f.clone(), a.inner.clone())) => {
                unpublished.entry(f).or_default().push(&a.inner);
            }
            Some(f) => {
                for i in folders[f.as_str()].iter().flatten() {
                    assets.push((a.rel.clone(), urls::case_file(&urls[*i], &a.inner)));
                }
            }
            None => assets.push((a.rel.clone(), urls::person_file(&a.inner))),
        }
    }
    for (folder, files) in &unpublished {
        let (n, list) = (files.len(), files.join(", "));
        let what = if n == 1 { "this file is" } else { "these files are" };
        diags.push(
            Diagnostic::warning(
                display_path(root, &Path::new("content/cases").join(folder)),
                1,
                1,
                format!("{what} neither linked nor shown by a page of the case, so not published: {list}"),
            )
            .with_hint("link a file from the case text to publish it, such as [the report](report.pdf)"),
        );
    }
    let published =
        |a: &&crate::load::Asset| a.case_folder.as_ref().is_none_or(|f| linked.contains(&(f.clone(), a.inner.clone())));
    let published: Vec<&crate::load::Asset> = sources.assets.iter().filter(published).collect();
    diags.extend(unusable_images(root, &published, &sources.people, &pages));
    if crate::diagnostic::has_errors(&diags) {
        return (None, diags);
    }
    let tags = tags_of(&config, &pages, &by_lang);
    let pictures =
        pages.iter().filter_map(|p| p.image.as_ref()).chain(people.values().filter_map(|p| p.photo.as_ref()));
    let resizes = images::resizes(pictures);
    let site = Site { root: root.to_path_buf(), config, pages, by_lang, people, homes, assets, tags, resizes };
    (Some(site), diags)
}

/// How a page shows an image file copied to output path `original`:
/// `None` when the file cannot be shown (reported by [`unusable_images`]).
fn picture(asset: &crate::load::Asset, original: String, ladder: &[u32]) -> Option<Picture> {
    let probe = match &asset.image {
        Some(Err(_)) => return None,
        Some(Ok(probe)) => Some(probe),
        None => None,
    };
    Some(Picture::plan(&asset.rel, &original, probe, ladder))
}

/// The image files that cannot be read or are too large: an error at the
/// file when a case or person shows it, else a warning (it is copied as
/// it is, and may be linked from a text).
fn unusable_images(
    root: &Path,
    assets: &[&crate::load::Asset],
    people: &[Arc<crate::load::PersonSource>],
    pages: &[CasePage],
) -> Vec<Diagnostic> {
    // (case folder or none for people, file name) of every image shown
    let mut shown: HashSet<(Option<&str>, &str)> = HashSet::new();
    shown.extend(people.iter().filter_map(|p| p.file.photo.as_deref()).map(|photo| (None, photo)));
    shown.extend(pages.iter().filter_map(|p| Some((Some(p.folder.as_str()), p.fm.image.as_deref()?))));
    let mut diags = Vec::new();
    for a in assets {
        let Some(Err(why)) = &a.image else { continue };
        let at = display_path(root, &a.rel);
        let d = if shown.contains(&(a.case_folder.as_deref(), a.inner.as_str())) {
            Diagnostic::error(at, 1, 1, why.message.clone())
        } else {
            Diagnostic::warning(at, 1, 1, format!("{}; it is copied as it is", why.message))
        };
        diags.push(d.with_hint(why.hint));
    }
    diags
}

/// Each language's tags with their cases (pages are newest first within a
/// language, so each tag's list is too); tags that make the same slug are one.
fn tags_of(config: &Config, pages: &[CasePage], by_lang: &[std::ops::Range<usize>]) -> Vec<Vec<Tag>> {
    by_lang
        .iter()
        .enumerate()
        .map(|(lang, range)| {
            let l = &config.languages[lang];
            let mut tags: BTreeMap<String, Tag> = BTreeMap::new();
            for i in range.clone() {
                for name in &pages[i].fm.tags {
                    let slug = markdown::slugify(name);
                    let tag = tags.entry(slug.clone()).or_insert_with(|| Tag {
                        name: name.trim().to_string(),
                        url: urls::tag(l, &slug),
                        slug,
                        pages: Vec::new(),
                    });
                    if tag.pages.last() != Some(&i) {
                        tag.pages.push(i);
                    }
                }
            }
            tags.into_values().collect()
        })
        .collect()
}

/// A digest of everything a case body's links can resolve to: the base
/// path, every case's address, the files of the case folders, and the
/// folders left out (drafts, unreadable). Independent of their order.
fn links_digest(links: &LinkContext, cases: &[(usize, Arc<CaseSource>)]) -> u64 {
    let of = |v: &dyn Fn(&mut std::hash::DefaultHasher)| {
        let mut h = std::hash::DefaultHasher::new();
        v(&mut h);
        h.finish()
    };
    let mut d = of(&|h| (&links.config.base.path, &links.config.languages).hash(h));
    for ((lang, c), url) in cases.iter().zip(links.urls) {
        d ^= of(&|h| (lang, &c.folder, url).hash(h));
    }
    for (folder, files) in links.assets {
        for a in files {
            d ^= of(&|h| (folder, &a.inner).hash(h));
        }
    }
    for (folder, why) in links.skipped {
        d ^= of(&|h| (folder, why).hash(h));
    }
    d
}

/// Why a case folder that exists on disk has no page in this build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Skipped {
    /// Its file has errors of its own, already reported.
    Unreadable,
    /// It is a draft and drafts are not built.
    Draft,
}

/// Links of a Markdown text with their lines counted in the whole file.
fn in_file(links: Vec<markdown::Link>, body_line: usize) -> Arc<[markdown::Link]> {
    links.into_iter().map(|l| markdown::Link { line: l.line + body_line - 1, ..l }).collect()
}

/// What link rewriting needs to find a case, or a file of a case, in a language.
struct LinkContext<'a> {
    config: &'a Config,
    folders: &'a HashMap<&'a str, Vec<Option<usize>>>,
    urls: &'a [String],
    assets: &'a HashMap<&'a str, Vec<&'a crate::load::Asset>>,
    skipped: &'a HashMap<&'a str, Skipped>,
}

impl LinkContext<'_> {
    /// Maps a link of a case body (folder `from`) or home intro (`from` =
    /// `None`), written at `at` in `source`, to its root-relative URL in
    /// the output. A case is named by a relative path (`../other/`,
    /// `../other/index.fr.md`) or a content path (`@/cases/other`) and
    /// leads to that case in the page's language, or in the language the
    /// file name gives; a file of a case folder is checked to exist. Other
    /// links are kept as written (`vitrine check` follows them).
    fn resolve(
        &self,
        target: &str,
        from: Option<&str>,
        lang: usize,
        source: &Path,
        at: (usize, usize),
        found: &RefCell<Found>,
    ) -> Option<String> {
        let report = |d: Diagnostic| found.borrow_mut().problems.push(d);
        let error = |msg: String| Diagnostic::error(source, at.0, at.1, msg);
        let cut = target.find(['#', '?']).unwrap_or(target.len());
        let (path, suffix) = target.split_at(cut);
        let base = &self.config.base.path;
        let content_path = path.strip_prefix("@/");
        if content_path.is_none()
            && let Some(abs) = path.strip_prefix('/')
        {
            return Some(format!("{base}{abs}{suffix}"));
        }
        let mut parts: Vec<&str> = match (content_path, from) {
            (None, Some(folder)) => vec!["cases", folder],
            _ => vec![],
        };
        markdown::walk_relative(&mut parts, content_path.unwrap_or(path))?;
        let (folder, inner) = match parts.as_slice() {
            ["cases", folder, inner @ ..] => (*folder, inner.join("/")),
            _ if content_path.is_some() => {
                report(error(format!("link `{target}`: a content path names a case, such as `@/cases/<folder>`")));
                return None;
            }
            _ => return None,
        };
        let file_lang = inner.strip_prefix("index.").and_then(|f| f.strip_suffix(".md"));
        let Some(versions) = self.folders.get(folder) else {
            match self.skipped.get(folder) {
                Some(Skipped::Unreadable) => {}
                Some(Skipped::Draft) => report(
                    error(format!("link `{target}` leads to a draft, which is not published"))
                        .with_hint("remove `draft: true` from that case, or the link; `--drafts` builds drafts too"),
                ),
                None => {
                    let mut d = error(format!("link `{target}` points to no case (no folder `{folder}`)"));
                    if let Some(m) = did_you_mean(folder, self.folders.keys().copied()) {
                        d = d.with_hint(format!("did you mean `{m}`?"));
                    }
                    report(d);
                }
            }
            return None;
        };
        if file_lang.is_none() && !inner.is_empty() {
            let decoded = percent_encoding::percent_decode_str(&inner).decode_utf8_lossy();
            let files = self.assets.get(folder).map_or(&[][..], |v| v);
            if !files.iter().any(|a| a.inner == decoded) {
                let mut d =
                    error(format!("link `{target}`: there is no file `{decoded}` in the case folder `{folder}`"));
                if let Some(m) = did_you_mean(&decoded, files.iter().map(|a| a.inner.as_str())) {
                    d = d.with_hint(format!("did you mean `{m}`?"));
                }
                report(d);
                return None;
            }
            found.borrow_mut().files.push((folder.to_string(), decoded.into_owned()));
            if from == Some(folder) && content_path.is_none() {
                return None;
            }
        } else if from == Some(folder) && file_lang.is_none() && content_path.is_none() {
            return None;
        }
        let want = file_lang.and_then(|code| self.config.language(code)).unwrap_or(lang);
        let i = match versions[want] {
            Some(i) => i,
            None => {
                let i = versions.iter().flatten().next().copied()?;
                report(Diagnostic::warning(
                    source,
                    at.0,
                    at.1,
                    format!(
                        "link `{target}`: the case has no {} version; it leads to another language",
                        self.config.languages[want].code
                    ),
                ));
                i
            }
        };
        let file = if file_lang.is_some() { "" } else { inner.as_str() };
        Some(format!("{base}{}{file}{suffix}", self.urls[i]))
    }
}

#[allow(clippy::too_many_arguments)]
fn check_case(
    root: &Path,
    index: usize,
    lang: usize,
    c: &CaseSource,
    links: &LinkContext,
    people: &BTreeMap<String, Person>,
    assets: &[&crate::load::Asset],
    by_lang: &[std::ops::Range<usize>],
    memo: &Memo,
) -> (CasePage, Arc<Body>, Vec<Diagnostic>) {
    let shown = display_path(root, &c.rel);
    let mut diags = Vec::new();
    let at = |path: &[Seg]| locate(&c.yaml, path);
    let mut error = |path: &[Seg], msg: String| {
        let (l, col) = at(path);
        diags.push(Diagnostic::error(&shown, l, col, msg));
    };
    let fm = &c.fm;
    for (key, value) in [("title", &fm.title), ("client", &fm.client)] {
        if value.trim().is_empty() {
            error(&[Seg::Key(key)], format!("`{key}` is empty"));
        }
    }
    if let Some(q) = &fm.quote
        && q.text.trim().is_empty()
    {
        error(&[Seg::Key("quote"), Seg::Key("text")], "`quote.text` is empty".into());
    }
    for (i, tag) in fm.tags.iter().enumerate() {
        if tag.trim().is_empty() {
            error(&[Seg::Key("tags"), Seg::Index(i)], "an empty tag".into());
        } else if markdown::slugify(tag).is_empty() {
            error(
                &[Seg::Key("tags"), Seg::Index(i)],
                format!("tag `{tag}` has no letter or digit to make its address from"),
            );
        }
    }
    if let Some(s) = &fm.strategy {
        let n = s.lines.len();
        if !(1..=5).contains(&n) {
            error(&[Seg::Key("strategy"), Seg::Key("lines")], format!("a strategy has 1 to 5 lines, this one has {n}"));
        }
    }
    if let Some(id) = &fm.contact
        && !people.contains_key(id)
    {
        let (l, col) = at(&[Seg::Key("contact")]);
        let mut d = Diagnostic::error(&shown, l, col, format!("contact `{id}` is not a person in content/people/"));
        if let Some(m) = did_you_mean(id, people.keys().map(String::as_str)) {
            d = d.with_hint(format!("did you mean `{m}`?"));
        }
        diags.push(d);
    }
    let image = fm.image.as_ref().and_then(|img| {
        let inside = !img.starts_with('/') && !img.contains('\\') && !img.split('/').any(|s| s == "..");
        if !inside {
            let (l, col) = at(&[Seg::Key("image")]);
            diags.push(
                Diagnostic::error(&shown, l, col, format!("image `{img}` must be a file inside the case folder"))
                    .with_hint("put the image beside index.<lang>.md and give its name, such as `hero.jpg`"),
            );
            return None;
        }
        let Some(asset) = assets.iter().find(|a| a.inner == *img) else {
            let (l, col) = at(&[Seg::Key("image")]);
            let mut d = Diagnostic::error(&shown, l, col, format!("image `{img}` is not in the case folder"));
            if let Some(m) = did_you_mean(img, assets.iter().map(|a| a.inner.as_str())) {
                d = d.with_hint(format!("did you mean `{m}`?"));
            }
            diags.push(d);
            return None;
        };
        picture(asset, urls::case_file(&links.urls[index], img), images::CASE_WIDTHS)
    });

    let related = match &fm.related {
        Some(list) => {
            let mut out = Vec::new();
            for (i, folder) in list.iter().enumerate() {
                let (l, col) = at(&[Seg::Key("related"), Seg::Index(i)]);
                match links.folders.get(folder.as_str()) {
                    None if links.skipped.get(folder.as_str()) == Some(&Skipped::Unreadable) => {}
                    None if links.skipped.get(folder.as_str()) == Some(&Skipped::Draft) => {
                        diags.push(Diagnostic::warning(
                            &shown,
                            l,
                            col,
                            format!("related case `{folder}` is a draft; it is left out"),
                        ))
                    }
                    None => {
                        let mut d =
                            Diagnostic::error(&shown, l, col, format!("related case `{folder}` does not exist"));
                        if let Some(m) = did_you_mean(folder, links.folders.keys().copied()) {
                            d = d.with_hint(format!("did you mean `{m}`?"));
                        }
                        diags.push(d);
                    }
                    Some(v) => match v[lang] {
                        Some(j) if j != index => out.push(j),
                        Some(_) => {
                            diags.push(Diagnostic::warning(&shown, l, col, "a case cannot be related to itself"))
                        }
                        None => diags.push(Diagnostic::warning(
                            &shown,
                            l,
                            col,
                            format!(
                                "related case `{folder}` has no {} version; it is left out",
                                links.config.languages[lang].code
                            ),
                        )),
                    },
                }
            }
            out
        }
        None => by_lang[lang].clone().filter(|&j| j != index).take(DEFAULT_RELATED).collect(),
    };

    let digest = {
        let mut h = std::hash::DefaultHasher::new();
        (c.digest, memo.links, &c.rel).hash(&mut h);
        h.finish()
    };
    let body = match memo.bodies.get(&c.rel) {
        Some((d, body)) if *d == digest => body.clone(),
        _ => {
            let found = RefCell::new(Found::default());
            let resolve = |t: &str, l: usize, col: usize| {
                links.resolve(t, Some(&c.folder), lang, &shown, (l + c.body_line - 1, col), &found)
            };
            let r = markdown::render(&c.body, &resolve, RESERVED_IDS);
            let description = match &fm.summary {
                Some(s) if !s.trim().is_empty() => markdown::plain_text(s),
                _ => markdown::truncate_words(&r.first_paragraph, 200),
            };
            let links = in_file(r.links, c.body_line);
            Arc::new(Body { html: r.html.into(), description, links, found: found.into_inner() })
        }
    };
    let translations = links.folders[c.folder.as_str()].iter().flatten().copied().collect();
    let page = CasePage {
        rel: c.rel.clone(),
        source: shown,
        folder: c.folder.clone(),
        lang,
        slug: c.fm.slug.clone().unwrap_or_else(|| c.folder.clone()),
        url: links.urls[index].clone(),
        fm: c.fm.clone(),
        body_html: body.html.clone(),
        links: body.links.clone(),
        description: body.description.clone(),
        translations,
        related,
        image,
        strategy_at: c.strategy_at,
        digest,
    };
    (page, body, diags)
}
