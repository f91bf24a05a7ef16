//! Stage 2, validate: turns the parsed sources into the immutable [`Site`],
//! checking everything that spans files (languages, slugs, references,
//! images) and computing every shared list once.
//!
//! Every text readers see is set in its language's typography here, once
//! ([`crate::model::content::FrontMatter::typeset`]): later stages print
//! it as it is. Nothing here renders or writes.

pub mod translations;

use crate::diagnostic::{Diagnostic, did_you_mean, display_path};
use crate::images::{self, Picture};
use crate::load::{CaseSource, Sources};
use crate::model::config::{Config, valid_slug};
use crate::model::frontmatter::{Seg, locate};
use crate::model::urls;
use crate::model::{CasePage, Home, Person, Site, Tag};
use crate::text::markdown;
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
    let unnamed = unnamed_people(root, &sources);
    let mut diags = sources.diagnostics;
    diags.extend(unnamed);
    let (cases, draft_folders) = cases(root, &config, sources.cases, drafts, &mut diags);
    let by_lang = ranges(&cases, config.languages.len());
    let mut folders: HashMap<&str, Vec<Option<usize>>> = HashMap::new();
    for (i, (lang, c)) in cases.iter().enumerate() {
        folders.entry(c.folder.as_str()).or_insert_with(|| vec![None; config.languages.len()])[*lang] = Some(i);
    }
    let urls: Vec<String> = cases
        .iter()
        .map(|(lang, c)| urls::case(&config.languages[*lang], c.fm.slug.as_deref().unwrap_or(&c.folder)))
        .collect();
    let people = people(root, &config, &sources.people, &sources.assets, &mut diags);
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
    let checker = Checker {
        root,
        links: &links,
        people: &people,
        unreadable_people: &sources.unreadable_people,
        by_lang: &by_lang,
        memo,
    };
    let checked: Vec<(CasePage, Arc<Body>, Vec<Diagnostic>)> =
        cases.par_iter().enumerate().map(|(i, (lang, c))| checker.case(i, *lang, c)).collect();
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
    let homes = homes(root, &links, &sources.intros, &mut linked, &mut diags);
    linked.extend(pages.iter().filter_map(|p| Some((p.folder.clone(), p.fm.image.clone()?))));
    let (assets, published) = published(root, &sources.assets, &folders, &urls, &linked, &mut diags);
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

/// A warning for each person no case names as its contact (drafts
/// included): the example person `init` made, or someone who left. Said
/// only when every case file could be read.
fn unnamed_people(root: &Path, sources: &Sources) -> Vec<Diagnostic> {
    if !sources.unreadable.is_empty() {
        return Vec::new();
    }
    let named: HashSet<&str> = sources.cases.iter().filter_map(|c| c.fm.contact.as_deref()).collect();
    let unnamed = sources.people.iter().filter(|p| !named.contains(p.id.as_str()));
    unnamed
        .map(|p| {
            let msg = format!("no case names {} (`{}`) as its contact", p.file.name, p.id);
            Diagnostic::warning(display_path(root, &p.rel), 1, 1, msg).with_hint(format!(
                "write `contact: {}` in a case, or remove the file when the person is no longer a contact",
                p.id
            ))
        })
        .collect()
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

/// The cases of the build: in a language of the site, not drafts (unless
/// asked), each with a valid slug of its own; ordered by language, newest
/// first, then by folder. Also the folders of the drafts left out.
fn cases(
    root: &Path,
    config: &Config,
    sources: Vec<Arc<CaseSource>>,
    drafts: bool,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<(usize, Arc<CaseSource>)>, HashSet<String>) {
    let mut cases: Vec<(usize, Arc<CaseSource>)> = Vec::new();
    let mut draft_folders = HashSet::new();
    for c in sources {
        let Some(lang) = config.language(&c.lang) else {
            diags.push(undeclared(root, config, &c.lang, &c.rel));
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

    cases.sort_by(|(la, a), (lb, b)| la.cmp(lb).then(b.fm.date.cmp(&a.fm.date)).then(a.folder.cmp(&b.folder)));
    (cases, draft_folders)
}

/// For each language, the range of the (sorted) cases in it.
fn ranges(cases: &[(usize, Arc<CaseSource>)], nlang: usize) -> Vec<std::ops::Range<usize>> {
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

/// The contact persons, with their photos, e-mail addresses and roles checked.
fn people(
    root: &Path,
    config: &Config,
    sources: &[Arc<crate::load::PersonSource>],
    assets: &[crate::load::Asset],
    diags: &mut Vec<Diagnostic>,
) -> BTreeMap<String, Person> {
    let person_assets: HashMap<&str, &crate::load::Asset> =
        assets.iter().filter(|a| a.case_folder.is_none()).map(|a| (a.inner.as_str(), a)).collect();
    let mut people = BTreeMap::new();
    for p in sources {
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
        if let Some(crate::model::content::Role::PerLanguage(roles)) = &p.file.role {
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
            Person {
                name: p.file.name.clone(),
                roles: roles(config, p.file.role.as_ref()),
                email: p.file.email.clone(),
                photo,
            },
        );
    }
    people
}

/// A person's role in each language of the site, set in its typography.
fn roles(config: &Config, role: Option<&crate::model::content::Role>) -> Vec<Option<String>> {
    let default = &config.default_lang().code;
    let shown = |code: &str| {
        let role = role?.get(code, default)?;
        Some(crate::text::typography::typeset(role, config.typeset_in(code)).into_owned())
    };
    config.languages.iter().map(|l| shown(&l.code)).collect()
}

/// Each language's home, its intro rendered with its links resolved (the
/// case files they lead to are added to `linked`).
fn homes(
    root: &Path,
    links: &LinkContext,
    intros: &[Arc<crate::load::IntroSource>],
    linked: &mut HashSet<(String, String)>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Home> {
    let mut homes = vec![Home::default(); links.config.languages.len()];
    for intro in intros {
        let Some(lang) = links.config.language(&intro.lang) else {
            diags.push(undeclared(root, links.config, &intro.lang, &intro.rel));
            continue;
        };
        let found = RefCell::new(Found::default());
        let shown = display_path(root, &intro.rel);
        let resolve =
            |t: &str, l: usize, c: usize| links.resolve(t, None, lang, &shown, (l + intro.body_line - 1, c), &found);
        let r = markdown::render(&intro.body, links.config.typeset_in(&intro.lang), &resolve, RESERVED_IDS);
        let found = found.into_inner();
        diags.extend(found.problems);
        linked.extend(found.files);
        // the title and description readers see, in the language's typography
        let set = |s: &String| crate::text::typography::typeset(s, links.config.typeset_in(&intro.lang)).into_owned();
        homes[lang] = Home {
            title: intro.fm.title.as_ref().map(set),
            description: intro.fm.description.as_ref().map(set),
            intro_html: r.html,
            intro_text: r.first_paragraph,
            source: Some(shown.clone()),
            links: in_file(r.links, intro.body_line),
        };
    }

    homes
}

/// The files copied to the output: people's files, and the files of case
/// folders that a page shows or links (`linked`), beside every version of
/// the case; the others are left out with one warning per case. Also the
/// files published, each once.
fn published<'s>(
    root: &Path,
    sources: &'s [crate::load::Asset],
    folders: &HashMap<&str, Vec<Option<usize>>>,
    urls: &[String],
    linked: &HashSet<(String, String)>,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<(PathBuf, String)>, Vec<&'s crate::load::Asset>) {
    let mut assets = Vec::new();
    let mut published = Vec::new();
    let mut unpublished: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for a in sources {
        match &a.case_folder {
            Some(f) if !folders.contains_key(f.as_str()) => {}
            Some(f) if !linked.contains(&(f.clone(), a.inner.clone())) => {
                unpublished.entry(f).or_default().push(&a.inner);
            }
            Some(f) => {
                published.push(a);
                for i in folders[f.as_str()].iter().flatten() {
                    assets.push((a.rel.clone(), urls::case_file(&urls[*i], &a.inner)));
                }
            }
            None => {
                published.push(a);
                assets.push((a.rel.clone(), urls::person_file(&a.inner)));
            }
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
    (assets, published)
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

/// `aliases`: each an earlier slug or an address below the site. Whether
/// they collide with other outputs is known when the render plans them.
fn aliases(check: &mut CaseCheck, lang: &crate::model::config::Language) -> Vec<crate::model::Alias> {
    let mut out = Vec::new();
    for (k, written) in check.c.fm.aliases.iter().enumerate() {
        let at = crate::model::frontmatter::locate_text(&check.c.yaml, &[Seg::Key("aliases"), Seg::Index(k)], written);
        match urls::alias(lang, written) {
            Some(url) => out.push(crate::model::Alias { written: written.clone(), url, at }),
            None => {
                check.error_at(at, format!("alias `{written}` is neither a slug nor an address below the site")).hint =
                    Some(format!(
                        "give an earlier slug of this case, such as `{}`, or an address ending in `/` or `.html`, \
                         such as `/{}/{}/old-name/`",
                        markdown::slugify(written),
                        lang.code,
                        lang.section
                    ))
            }
        }
    }
    out
}

/// What the checks of every case share: the site's addresses and files,
/// its people, and the bodies rendered by an earlier validate.
struct Checker<'a> {
    root: &'a Path,
    links: &'a LinkContext<'a>,
    people: &'a BTreeMap<String, Person>,
    /// People whose file has errors of its own (reported there).
    unreadable_people: &'a HashSet<String>,
    by_lang: &'a [std::ops::Range<usize>],
    memo: &'a Memo,
}

/// One case file being checked: where it is shown, its front matter text
/// for locating problems, and the problems found so far.
struct CaseCheck<'c> {
    shown: PathBuf,
    c: &'c CaseSource,
    diags: Vec<Diagnostic>,
}

impl CaseCheck<'_> {
    fn at(&self, path: &[Seg]) -> (usize, usize) {
        locate(&self.c.yaml, path)
    }

    fn error(&mut self, path: &[Seg], msg: impl Into<String>) -> &mut Diagnostic {
        self.error_at(self.at(path), msg)
    }

    fn error_at(&mut self, (l, col): (usize, usize), msg: impl Into<String>) -> &mut Diagnostic {
        self.diags.push(Diagnostic::error(&self.shown, l, col, msg));
        self.diags.last_mut().expect("just pushed")
    }

    fn warning(&mut self, path: &[Seg], msg: impl Into<String>) {
        let (l, col) = self.at(path);
        self.diags.push(Diagnostic::warning(&self.shown, l, col, msg));
    }
}

impl Checker<'_> {
    /// Checks case `index` (language `lang`) and makes its page.
    fn case(&self, index: usize, lang: usize, c: &CaseSource) -> (CasePage, Arc<Body>, Vec<Diagnostic>) {
        let mut check = CaseCheck { shown: display_path(self.root, &c.rel), c, diags: Vec::new() };
        values(&mut check);
        self.contact(&mut check);
        let image = self.case_image(&mut check, index);
        let related = self.related(&mut check, index, lang);
        let aliases = aliases(&mut check, &self.links.config.languages[lang]);
        let digest = {
            let mut h = std::hash::DefaultHasher::new();
            (c.digest, self.memo.links, &c.rel).hash(&mut h);
            h.finish()
        };
        let body = self.body(&check.shown, c, lang, digest);
        let translations = self.links.folders[c.folder.as_str()].iter().flatten().copied().collect();
        let page = CasePage {
            rel: c.rel.clone(),
            source: check.shown,
            folder: c.folder.clone(),
            lang,
            slug: c.fm.slug.clone().unwrap_or_else(|| c.folder.clone()),
            url: self.links.urls[index].clone(),
            fm: c.fm.typeset(self.links.config.typeset_in(&c.lang)).map_or_else(|| c.fm.clone(), Arc::new),
            body_html: body.html.clone(),
            links: body.links.clone(),
            description: body.description.clone(),
            translations,
            related,
            image,
            aliases,
            strategy_at: c.strategy_at,
            digest,
        };
        (page, body, check.diags)
    }

    /// `contact` names a person of the site.
    fn contact(&self, check: &mut CaseCheck) {
        let Some(id) = &check.c.fm.contact else { return };
        if self.people.contains_key(id) || self.unreadable_people.contains(id) {
            return;
        }
        // a person's id, or the name in a person's file (`Eefje Rolsma` for `eefje`)
        let ids = self.people.keys().map(|k| (k.as_str(), k.as_str()));
        let names = self.people.iter().map(|(k, p)| (p.name.as_str(), k.as_str()));
        let candidates: Vec<(&str, &str)> = ids.chain(names).collect();
        let meant = candidates.iter().find(|(c, _)| c.eq_ignore_ascii_case(id.trim())).or_else(|| {
            let m = did_you_mean(id, candidates.iter().map(|(c, _)| *c))?;
            candidates.iter().find(|(c, _)| *c == m)
        });
        let hint = meant.map(|&(written, k)| {
            let name = &self.people[k].name;
            let by_name =
                if written == k { "" } else { " `contact` takes the name of the person's file, not the person's" };
            format!("did you mean `{k}` (content/people/{k}.yaml: {name})?{by_name}")
        });
        let d = check.error(&[Seg::Key("contact")], format!("contact `{id}` is not a person in content/people/"));
        d.hint = hint;
    }

    /// `image` is a file of the case folder: how the page shows it.
    fn case_image(&self, check: &mut CaseCheck, index: usize) -> Option<Picture> {
        let img = check.c.fm.image.as_ref()?;
        let inside = !img.starts_with('/') && !img.contains('\\') && !img.split('/').any(|s| s == "..");
        if !inside {
            check.error(&[Seg::Key("image")], format!("image `{img}` must be a file inside the case folder")).hint =
                Some("put the image beside index.<lang>.md and give its name, such as `hero.jpg`".into());
            return None;
        }
        let assets = self.links.assets.get(check.c.folder.as_str()).map_or(&[][..], |v| v);
        let Some(asset) = assets.iter().find(|a| a.inner == *img) else {
            let hint =
                did_you_mean(img, assets.iter().map(|a| a.inner.as_str())).map(|m| format!("did you mean `{m}`?"));
            check.error(&[Seg::Key("image")], format!("image `{img}` is not in the case folder")).hint = hint;
            return None;
        };
        picture(asset, urls::case_file(&self.links.urls[index], img), images::CASE_WIDTHS)
    }

    /// The cases shown below this one: those `related` names, else the
    /// newest of the language.
    fn related(&self, check: &mut CaseCheck, index: usize, lang: usize) -> Vec<usize> {
        let Some(list) = &check.c.fm.related else {
            return self.by_lang[lang].clone().filter(|&j| j != index).take(DEFAULT_RELATED).collect();
        };
        let links = self.links;
        let mut out = Vec::new();
        for (i, folder) in list.iter().enumerate() {
            let at = [Seg::Key("related"), Seg::Index(i)];
            match links.folders.get(folder.as_str()) {
                None if links.skipped.get(folder.as_str()) == Some(&Skipped::Unreadable) => {}
                None if links.skipped.get(folder.as_str()) == Some(&Skipped::Draft) => {
                    check.warning(&at, format!("related case `{folder}` is a draft; it is left out"))
                }
                None => {
                    // a case folder, or the slug of one in any language
                    let slug = |j: usize| links.urls[j].trim_end_matches('/').rsplit('/').next().unwrap_or("");
                    let names: Vec<(&str, &str)> = links
                        .folders
                        .iter()
                        .flat_map(|(f, v)| {
                            std::iter::once((*f, *f)).chain(v.iter().flatten().map(move |&j| (slug(j), *f)))
                        })
                        .collect();
                    let meant = names.iter().find(|(n, _)| n == folder).or_else(|| {
                        let m = did_you_mean(folder, names.iter().map(|(n, _)| *n))?;
                        names.iter().find(|(n, _)| *n == m)
                    });
                    let hint = meant.map(|(n, f)| {
                        if n == f {
                            format!("did you mean `{f}`?")
                        } else {
                            format!("`{n}` is the address of the case in folder `{f}`: `related` names case folders, so write `{f}`")
                        }
                    });
                    // the item itself, also in a list written `[a, b]`
                    let item = crate::model::frontmatter::locate_text(&check.c.yaml, &at, folder);
                    check.error_at(item, format!("related case `{folder}` does not exist")).hint = hint;
                }
                Some(v) => match v[lang] {
                    Some(j) if j != index => out.push(j),
                    Some(_) => check.warning(&at, "a case cannot be related to itself"),
                    None => check.warning(
                        &at,
                        format!(
                            "related case `{folder}` has no {} version; it is left out",
                            links.config.languages[lang].code
                        ),
                    ),
                },
            }
        }
        out
    }

    /// The case's body as HTML, with its links resolved and the page's
    /// description: from the memo when neither the file nor any address changed.
    fn body(&self, shown: &Path, c: &CaseSource, lang: usize, digest: u64) -> Arc<Body> {
        if let Some((d, body)) = self.memo.bodies.get(&c.rel)
            && *d == digest
        {
            return body.clone();
        }
        let found = RefCell::new(Found::default());
        let resolve = |t: &str, l: usize, col: usize| {
            let at = (l + c.body_line - 1, col);
            match t.strip_prefix(markdown::POSTER_LINK) {
                Some(rest) => self.poster_link(rest, c, lang, shown, at, &found),
                None => self.links.resolve(t, Some(&c.folder), lang, shown, at, &found),
            }
        };
        let r = markdown::render(&c.body, self.links.config.typeset_in(&c.lang), &resolve, RESERVED_IDS);
        let description = match &c.fm.summary {
            Some(s) if !s.trim().is_empty() => markdown::plain_text(s),
            _ => markdown::truncate_words(&r.first_paragraph, 200),
        };
        // meta description, feeds and JSON-LD read it: the language's typography too
        let description =
            crate::text::typography::typeset(&description, self.links.config.typeset_in(&c.lang)).into_owned();
        let links = in_file(r.links, c.body_line);
        Arc::new(Body { html: r.html.into(), description, links, found: found.into_inner() })
    }

    /// The address of the case's own poster for a `poster:` link (`rest`:
    /// what follows the colon, nothing); an error when it has none.
    fn poster_link(
        &self,
        rest: &str,
        c: &CaseSource,
        lang: usize,
        source: &Path,
        at: (usize, usize),
        found: &RefCell<Found>,
    ) -> Option<String> {
        let error = |msg: &str, hint: &str| {
            let d = Diagnostic::error(source, at.0, at.1, msg).with_hint(hint);
            found.borrow_mut().problems.push(d);
            None
        };
        if !rest.is_empty() {
            return error(
                &format!("link `poster:{rest}`: `poster:` links the case's own poster and takes nothing after it"),
                "write `[the strategy on one A3](poster:)`",
            );
        }
        if c.fm.strategy.is_none() {
            return error(
                "link `poster:` leads to the case's A3 poster, but the case has no `strategy`, so it has no poster",
                "add a `strategy` to the front matter, or remove the link",
            );
        }
        let index = self.links.folders.get(c.folder.as_str())?[lang]?;
        let slug = c.fm.slug.as_deref().unwrap_or(&c.folder);
        let poster = urls::poster(&self.links.urls[index], slug, crate::model::urls::PosterFile::Screen);
        Some(format!("{}{poster}", self.links.config.base.path))
    }
}

/// The values of a case's front matter that no type can refuse: empty
/// texts and tags, the number of strategy lines.
fn values(check: &mut CaseCheck) {
    let fm = &check.c.fm;
    for (key, value) in [("title", &fm.title), ("client", &fm.client)] {
        if value.trim().is_empty() {
            check.error(&[Seg::Key(key)], format!("`{key}` is empty"));
        }
    }
    if let Some(q) = &fm.quote
        && q.text.trim().is_empty()
    {
        check.error(&[Seg::Key("quote"), Seg::Key("text")], "`quote.text` is empty");
    }
    for (i, tag) in fm.tags.iter().enumerate() {
        if tag.trim().is_empty() {
            check.error(&[Seg::Key("tags"), Seg::Index(i)], "an empty tag");
        } else if markdown::slugify(tag).is_empty() {
            check.error(
                &[Seg::Key("tags"), Seg::Index(i)],
                format!("tag `{tag}` has no letter or digit to make its address from"),
            );
        }
    }
    if let Some(s) = &fm.strategy {
        let n = s.lines.len();
        if !(1..=5).contains(&n) {
            check.error(
                &[Seg::Key("strategy"), Seg::Key("lines")],
                format!("a strategy has 1 to 5 lines, this one has {n}"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::config::{BaseUrl, Language};

    fn language(code: &str, section: &str) -> Language {
        Language { code: code.into(), name: code.into(), section: section.into(), tags: "tags".into(), at: None }
    }

    /// Resolves `target` written in the nl (or fr) version of case `a`:
    /// what it became, the problems, and the case files it links.
    fn resolve(target: &str, lang: usize) -> (Option<String>, Vec<String>, Vec<(String, String)>) {
        let config = Config {
            title: "T".into(),
            base: BaseUrl::parse("https://example.org/cases-site/").expect("valid"),
            languages: vec![language("nl", "cases"), language("fr", "projets")],
            default_language: 0,
            theme: None,
            base_missing: false,
            print_posters: false,
            typography: true,
        };
        // a in nl and fr, b in nl only, c a draft, d unreadable
        let folders: HashMap<&str, Vec<Option<usize>>> =
            HashMap::from([("a", vec![Some(0), Some(2)]), ("b", vec![Some(1), None])]);
        let urls = ["nl/cases/a/", "nl/cases/b/", "fr/projets/a/"].map(String::from);
        let file = |folder: &str, inner: &str| crate::load::Asset {
            rel: PathBuf::from(format!("content/cases/{folder}/{inner}")),
            case_folder: Some(folder.into()),
            inner: inner.into(),
            image: None,
        };
        let (rapport, kaart) = (file("a", "rapport.pdf"), file("b", "kaart map.svg"));
        let assets: HashMap<&str, Vec<&crate::load::Asset>> =
            HashMap::from([("a", vec![&rapport]), ("b", vec![&kaart])]);
        let skipped = HashMap::from([("c", Skipped::Draft), ("d", Skipped::Unreadable)]);
        let links = LinkContext { config: &config, folders: &folders, urls: &urls, assets: &assets, skipped: &skipped };
        let found = RefCell::new(Found::default());
        let to = links.resolve(target, Some("a"), lang, Path::new("a.md"), (3, 7), &found);
        let found = found.into_inner();
        (to, found.problems.iter().map(ToString::to_string).collect(), found.files)
    }

    #[test]
    fn links_between_cases_lead_to_the_version_in_the_page_language() {
        assert_eq!(resolve("../b/", 0).0.as_deref(), Some("/cases-site/nl/cases/b/"));
        assert_eq!(resolve("@/cases/b#facts", 0).0.as_deref(), Some("/cases-site/nl/cases/b/#facts"));
        // a file name chooses the language
        assert_eq!(resolve("index.fr.md", 0).0.as_deref(), Some("/cases-site/fr/projets/a/"));
        assert_eq!(resolve("../a/index.nl.md", 1).0.as_deref(), Some("/cases-site/nl/cases/a/"));
        // a root-relative link gets the base path; one inside the case stays as written
        assert_eq!(resolve("/nl/", 0).0.as_deref(), Some("/cases-site/nl/"));
        assert_eq!(resolve("#top", 0), (None, vec![], vec![]));
    }

    #[test]
    fn a_case_without_the_page_language_leads_to_another_with_a_warning() {
        let (to, problems, _) = resolve("../b/", 1);
        assert_eq!(to.as_deref(), Some("/cases-site/nl/cases/b/"));
        assert_eq!(
            problems,
            ["a.md:3:7: warning: link `../b/`: the case has no fr version; it leads to another language"]
        );
    }

    #[test]
    fn files_of_case_folders_are_checked_and_noted_as_published() {
        let (to, problems, files) = resolve("rapport.pdf", 0);
        assert_eq!((to, problems), (None, vec![]), "kept as written, beside the page");
        assert_eq!(files, [("a".to_string(), "rapport.pdf".to_string())]);
        let (to, _, files) = resolve("../b/kaart%20map.svg", 0);
        assert_eq!(to.as_deref(), Some("/cases-site/nl/cases/b/kaart%20map.svg"));
        assert_eq!(files, [("b".to_string(), "kaart map.svg".to_string())]);
        let (to, problems, files) = resolve("rapprt.pdf", 0);
        assert_eq!(to, None);
        assert!(files.is_empty());
        assert_eq!(
            problems,
            [
                "a.md:3:7: error: link `rapprt.pdf`: there is no file `rapprt.pdf` in the case folder `a`\n    hint: did you mean `rapport.pdf`?"
            ]
        );
    }

    #[test]
    fn links_to_no_case_a_draft_or_a_broken_case() {
        let (_, problems, _) = resolve("../bb/", 0);
        assert_eq!(
            problems,
            ["a.md:3:7: error: link `../bb/` points to no case (no folder `bb`)\n    hint: did you mean `b`?"]
        );
        let (_, problems, _) = resolve("@/cases/c", 0);
        assert!(
            problems[0].contains("error: link `@/cases/c` leads to a draft, which is not published"),
            "{problems:?}"
        );
        // a case whose file has errors of its own: not reported a second time
        assert_eq!(resolve("../d/", 0), (None, vec![], vec![]));
        let (_, problems, _) = resolve("@/people/eefje", 0);
        assert!(problems[0].contains("a content path names a case"), "{problems:?}");
    }
}
