//! Stage 3, render: a function of the site model and the theme that emits
//! every output file (pages, feeds, sitemap, copied files) to a [`Sink`].
//! Pages render in parallel; lists shared by many pages are built once.

mod context;
mod files;
mod jsonld;
mod plan;

pub use context::{Alternate, alternates_of_case, alternates_of_home, alternates_of_tag, alternates_of_tags};

use crate::cache::{Cache, Output};
use crate::diagnostic::Diagnostic;
use crate::images::{Made, Resize};
use crate::load::theme::Origin;
use crate::poster;
use rayon::prelude::*;
use std::collections::HashMap;
use std::io;
use std::path::Path;

/// A loaded and validated site with its theme, messages and poster style:
/// what rendering reads (made by [`crate::pipeline`]).
pub struct Input {
    pub site: crate::model::Site,
    pub theme: std::sync::Arc<crate::load::theme::Theme>,
    pub i18n: std::sync::Arc<crate::load::i18n::I18n>,
    pub poster_style: std::sync::Arc<poster::PosterStyle>,
}

/// Where rendered files go: a folder on disk for `build`, memory for `serve`.
/// Paths are relative to the output root, with `/` separators.
pub trait Sink: Sync {
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()>;
    /// Copies a file of the site folder as it is.
    fn copy(&self, rel: &str, from: &Path) -> io::Result<()>;
    /// Puts a file of the build cache at `rel`. The cache replaces its
    /// files, never changes them in place, so a sink on disk may link to
    /// them instead of copying.
    fn link(&self, rel: &str, from: &Path) -> io::Result<()> {
        self.copy(rel, from)
    }
    /// Whether it keeps the bytes of files other than pages: one that
    /// notes only their names (`check`) spares the resizing of images.
    fn keeps_bytes(&self) -> bool {
        true
    }
    /// The bytes free where it writes, for the message of a full disk.
    fn free_space(&self) -> Option<u64> {
        None
    }
    /// The path to show for the output file at `rel`.
    fn shown(&self, rel: &Path) -> std::path::PathBuf {
        rel.to_path_buf()
    }
}

/// What every write error says first.
const CANNOT_WRITE: &str = "cannot write the output file: ";

fn out_error(rel: &str, e: io::Error) -> Diagnostic {
    Diagnostic::error(rel, 1, 1, format!("{CANNOT_WRITE}{e}"))
}

/// A full disk (or any one cause) fails every file after the first: report
/// it once, with the count and the space left, not once per file.
fn collapse_write_errors(diags: &mut Vec<Diagnostic>, sink: &dyn Sink) {
    let mut causes: HashMap<String, usize> = HashMap::new();
    for d in diags.iter_mut() {
        if let Some(cause) = d.message.strip_prefix(CANNOT_WRITE) {
            *causes.entry(cause.to_string()).or_default() += 1;
            d.path = sink.shown(&d.path);
        }
    }
    for (cause, n) in causes {
        if n < 3 {
            continue;
        }
        let Some(first) = diags.iter().position(|d| d.message.strip_prefix(CANNOT_WRITE) == Some(cause.as_str()))
        else {
            continue;
        };
        let mut one = diags[first].clone();
        one.message = format!("cannot write {n} output files, this one first: {cause}");
        if let Some(free) = sink.free_space() {
            one.hint = Some(format!("{} MB free on that disk", free / 1_000_000));
        }
        diags.retain(|d| d.message.strip_prefix(CANNOT_WRITE) != Some(cause.as_str()));
        diags.push(one);
    }
}

/// Counts a file written, or reports why it was not; `true` when written.
fn wrote(done: &mut Done, rel: &str, written: io::Result<()>) -> bool {
    match written {
        Ok(()) => {
            done.summary.files += 1;
            true
        }
        Err(e) => {
            done.diagnostics.push(out_error(rel, e));
            false
        }
    }
}

/// A page made of many cases or of the site itself.
enum Single {
    Home(usize),
    /// The list of a language's tags.
    Tags(usize),
    /// A tag's page: (language, index in `site.tags[language]`).
    Tag(usize, usize),
    /// The language choice at the root.
    Root,
    NotFound,
}

/// What a render produced, for the summary line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub pages: usize,
    pub posters: usize,
    /// Posters' print files (`poster: { print: true }`).
    pub print: usize,
    pub files: usize,
    /// Image files resized by this render (the others came from the cache).
    pub resized: usize,
    /// Redirect pages at the cases' aliases.
    pub redirects: usize,
}

/// Where a case job's files are in its paths, after the page.
const SHARE_AT: usize = 1;
const POSTER_AT: usize = 2;
const PREVIEW_AT: usize = 3;

/// What each case page, poster, home and sitemap was made from, by output
/// path: a render after a change leaves out the outputs whose fingerprint
/// is unchanged (they are not written; the caller keeps its copy).
pub type Fingerprints = HashMap<String, u64>;

/// The result of [`render`].
pub struct Rendered {
    pub summary: Summary,
    /// Every problem: template errors, write errors, fallback warnings.
    pub diagnostics: Vec<Diagnostic>,
    pub fingerprints: Fingerprints,
}

/// How a [`Job`] makes its files.
enum Make<'s> {
    /// A case page and its share image, with its poster and the poster's
    /// preview when it has a strategy (at [`SHARE_AT`], [`POSTER_AT`], [`PREVIEW_AT`]).
    Case(usize),
    /// The print file of a case's poster.
    Print(usize),
    /// A page made of many cases or of the site itself, with its template.
    Page(Single, &'static str),
    /// The sitemap (in parts above 50,000 addresses).
    Sitemaps,
    /// The feeds and `robots.txt`.
    SiteFiles,
    /// The redirect page at alias `k` of case page `i`.
    Alias(usize, usize),
    /// The host's redirect rules for every alias ([`crate::model::urls::REDIRECTS`]).
    Redirects,
    /// A file of the theme's `static/` folder.
    Static(&'s Origin),
    /// A file of the site folder copied as it is.
    Asset(&'s Path),
    /// Widths of one image file, decoded once for all of them.
    Resized(&'s Resize, Vec<u32>),
}

/// One output of a render, or a few made together: the paths it writes,
/// the fingerprint of what it is made of (`None`: made every time), and how
/// to make it. A render plans every job, leaves out those whose
/// fingerprint is unchanged, and runs the rest in parallel; a new kind of
/// output is a new [`Make`].
struct Job<'s> {
    paths: Vec<String>,
    fingerprint: Option<u64>,
    make: Make<'s>,
}

impl Job<'_> {
    fn made_every_time(paths: Vec<String>, make: Make<'_>) -> Job<'_> {
        Job { paths, fingerprint: None, make }
    }
}

/// What a job came to: what it adds to the summary, its problems.
#[derive(Default)]
struct Done {
    summary: Summary,
    diagnostics: Vec<Diagnostic>,
}

impl std::ops::AddAssign for Summary {
    fn add_assign(&mut self, b: Summary) {
        self.pages += b.pages;
        self.posters += b.posters;
        self.print += b.print;
        self.files += b.files;
        self.resized += b.resized;
        self.redirects += b.redirects;
    }
}

/// Every output of the site, in the order they are written.
fn plan<'s>(site: &'s crate::model::Site, theme: &'s crate::load::theme::Theme, posters: u64) -> Vec<Job<'s>> {
    let cards = plan::cards(site);
    // the case pages' fingerprints hash every page: in parallel
    let print = site.config.print_posters;
    let mut jobs: Vec<Job> = site
        .pages
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, p)| {
            let poster = |kind| crate::model::urls::poster(&p.url, &p.slug, kind);
            let fingerprint = Some(plan::case(site, i, &cards, posters));
            let mut paths = vec![crate::model::urls::page_file(&p.url), crate::model::urls::share(&p.url, &p.slug)];
            let strategy = p.fm.strategy.is_some();
            if strategy {
                paths.extend([
                    poster(crate::model::urls::PosterFile::Screen),
                    poster(crate::model::urls::PosterFile::Preview),
                ]);
            }
            let print = (strategy && print).then(|| Job {
                paths: vec![poster(crate::model::urls::PosterFile::Print)],
                fingerprint,
                make: Make::Print(i),
            });
            std::iter::once(Job { paths, fingerprint, make: Make::Case(i) }).chain(print)
        })
        .collect();
    for lang in 0..site.config.languages.len() {
        let single = |path: String, fp: u64, which: Single, template| Job {
            paths: vec![path],
            fingerprint: Some(fp),
            make: Make::Page(which, template),
        };
        let page = |url: String| crate::model::urls::page_file(&url);
        let mut home =
            single(page(site.home_url(lang)), plan::home(site, lang, &cards), Single::Home(lang), "home.html");
        home.paths.push(crate::model::urls::home_share(&site.config.languages[lang]));
        jobs.push(home);
        jobs.push(single(page(site.tags_url(lang)), plan::tags(site, lang), Single::Tags(lang), "tags.html"));
        for (t, tag) in site.tags[lang].iter().enumerate() {
            jobs.push(single(
                crate::model::urls::page_file(&tag.url),
                plan::tag(tag, &cards),
                Single::Tag(lang, t),
                "tag.html",
            ));
        }
    }
    let aliases = site.pages.iter().enumerate().flat_map(|(i, p)| (0..p.aliases.len()).map(move |k| (i, k)));
    jobs.extend(aliases.map(|(i, k)| Job::made_every_time(vec![site.pages[i].aliases[k].file()], Make::Alias(i, k))));
    // the theme's own redirect rules come first in the file with the aliases'
    let redirects = site.pages.iter().any(|p| !p.aliases.is_empty());
    if redirects {
        jobs.push(Job::made_every_time(vec![crate::model::urls::REDIRECTS.into()], Make::Redirects));
    }
    jobs.push(Job::made_every_time(vec![crate::model::urls::ROOT.into()], Make::Page(Single::Root, "languages.html")));
    jobs.push(Job::made_every_time(
        vec![crate::model::urls::NOT_FOUND.into()],
        Make::Page(Single::NotFound, "404.html"),
    ));
    jobs.push(Job { paths: files::sitemap_names(site), fingerprint: Some(plan::sitemap(site)), make: Make::Sitemaps });
    jobs.push(Job::made_every_time(files::site_file_names(site), Make::SiteFiles));
    jobs.extend(
        theme
            .statics
            .iter()
            .filter(|(rel, _)| !(redirects && rel.as_str() == crate::model::urls::REDIRECTS))
            .map(|(rel, origin)| Job::made_every_time(vec![rel.clone()], Make::Static(origin))),
    );
    jobs.extend(site.assets.iter().map(|(from, rel)| Job::made_every_time(vec![rel.clone()], Make::Asset(from))));
    for job in &site.resizes {
        for (&w, rels) in &job.outputs {
            jobs.push(Job {
                paths: rels.clone(),
                fingerprint: Some(job.fingerprint(w)),
                make: Make::Resized(job, vec![w]),
            });
        }
    }
    jobs
}

/// Takes out of `jobs` the aliases whose file another output (or an
/// earlier alias) writes, or whose folder is a file of the output: each an
/// error at the alias naming the other.
fn clashing_aliases<'s>(site: &crate::model::Site, mut jobs: Vec<Job<'s>>) -> (Vec<Job<'s>>, Vec<Diagnostic>) {
    let mut owners: HashMap<&str, usize> = HashMap::with_capacity(jobs.len());
    for (j, job) in jobs.iter().enumerate().filter(|(_, job)| !matches!(job.make, Make::Alias(..))) {
        for p in &job.paths {
            owners.entry(p.as_str()).or_insert(j);
        }
    }
    let mut diags = Vec::new();
    let mut clashing = Vec::new();
    for (j, job) in jobs.iter().enumerate() {
        let Make::Alias(i, k) = job.make else { continue };
        let alias = &site.pages[i].aliases[k];
        let file = job.paths[0].as_str();
        match owners.get(file).or_else(|| owners.get(alias.url.trim_end_matches('/'))) {
            Some(&o) => {
                let page = &site.pages[i];
                diags.push(
                    Diagnostic::error(
                        &page.source,
                        alias.at.0,
                        alias.at.1,
                        format!(
                            "alias `{}` would take the place of {}",
                            alias.written,
                            describe(site, &jobs[o], file, i)
                        ),
                    )
                    .with_hint("an alias is an address this case had before; remove it or give another one"),
                );
                clashing.push(j);
            }
            None => {
                owners.insert(file, j);
            }
        }
    }
    // (in order, so a binary search finds them)
    let mut j = 0;
    jobs.retain(|_| {
        j += 1;
        clashing.binary_search(&(j - 1)).is_err()
    });
    (jobs, diags)
}

/// What a job writes at `path`, in words, for a clash with an alias of
/// case page `of`.
fn describe(site: &crate::model::Site, job: &Job, path: &str, of: usize) -> String {
    let lang = |l: usize| &site.config.languages[l].code;
    match &job.make {
        Make::Case(i) if job.paths[0] == path && *i == of => "this page itself: it is its address now".into(),
        Make::Case(i) if job.paths[0] == path => format!("the page of {}", site.pages[*i].source.display()),
        Make::Case(i) | Make::Print(i) => format!("{path}, a file of {}", site.pages[*i].source.display()),
        Make::Alias(i, k) => {
            let (page, alias) = (&site.pages[*i], &site.pages[*i].aliases[*k]);
            format!("alias `{}` of {}:{}:{}", alias.written, page.source.display(), alias.at.0, alias.at.1)
        }
        Make::Page(Single::Home(l), _) => format!("the home page of `{}`", lang(*l)),
        Make::Page(Single::Tags(l), _) => format!("the list of tags of `{}`", lang(*l)),
        Make::Page(Single::Tag(l, t), _) => format!("the page of tag `{}`", site.tags[*l][*t].name),
        Make::Page(Single::Root, _) => "the language choice".into(),
        Make::Page(Single::NotFound, _) => "the page for missing addresses".into(),
        Make::Static(Origin::File(from)) => format!("the theme's file {}", from.display()),
        Make::Static(Origin::Builtin(_)) => format!("the built-in theme's {}", job.paths[0]),
        Make::Asset(from) => format!("{}", from.display()),
        Make::Resized(image, _) => format!("a resized copy of {}", image.source.display()),
        Make::Sitemaps | Make::SiteFiles | Make::Redirects => {
            job.paths.iter().find(|p| path.starts_with(p.as_str())).unwrap_or(&job.paths[0]).clone()
        }
    }
}

/// Takes out of `jobs` those whose every path has the same fingerprint in
/// `previous`: returned apart, to be counted and remembered, not made. The
/// widths of one image that remain are joined into one job.
fn filter<'s>(jobs: Vec<Job<'s>>, previous: Option<&Fingerprints>) -> (Vec<Job<'s>>, Vec<Job<'s>>) {
    let unchanged = |job: &Job| {
        let (Some(previous), Some(fp)) = (previous, job.fingerprint) else { return false };
        job.paths.iter().all(|p| previous.get(p) == Some(&fp))
    };
    let (kept, mut run): (Vec<Job>, Vec<Job>) = jobs.into_iter().partition(unchanged);
    let mut joined: Vec<Job> = Vec::with_capacity(run.len());
    for job in run.drain(..) {
        if let (Some(last), Make::Resized(image, widths)) = (joined.last_mut(), &job.make)
            && let Make::Resized(last_image, last_widths) = &mut last.make
            && std::ptr::eq(*last_image, *image)
        {
            last_widths.extend(widths);
            last.paths.extend(job.paths);
            last.fingerprint = None;
            continue;
        }
        joined.push(job);
    }
    (kept, joined)
}

/// What a job left out by [`filter`] adds to the summary: what the previous
/// render made is still there.
fn unchanged(job: &Job) -> Summary {
    let mut s = Summary { files: job.paths.len(), ..Summary::default() };
    match job.make {
        Make::Case(_) => (s.pages, s.posters) = (1, usize::from(job.paths.len() > POSTER_AT)),
        Make::Print(_) => s.print = 1,
        Make::Page(..) => s.pages = 1,
        _ => {}
    }
    s
}

/// Renders the site into `sink`. With `previous` (the fingerprints of a
/// render of the same site with the same theme, messages and
/// configuration), the case pages (with their posters), homes and sitemap
/// whose fingerprint is unchanged are left out; every other output is
/// written.
pub fn render(loaded: &Input, cache: &Cache, sink: &dyn Sink, previous: Option<&Fingerprints>) -> Rendered {
    let Input { site, theme, i18n, poster_style } = loaded;
    let (site, theme, i18n, poster_style) = (site, &**theme, &**i18n, &**poster_style);
    let shared = context::Shared::new(site, i18n);
    let posters = poster::Posters::new(site, i18n, poster_style, cache);
    let (jobs, clashes) = clashing_aliases(site, plan(site, theme, posters.fingerprint()));
    let (kept, run) = filter(jobs, previous);

    let mut fingerprints = Fingerprints::with_capacity(site.pages.len() * 2 + site.homes.len());
    let mut done = Done { diagnostics: clashes, ..Done::default() };
    for job in &kept {
        done.summary += unchanged(job);
        fingerprints.extend(job.paths.iter().map(|p| (p.clone(), job.fingerprint.unwrap_or_default())));
    }
    let pictures = crate::share::Pictures::new(site, poster_style, cache, &posters);
    let env = Env { site, theme, shared: &shared, posters: &posters, pictures: &pictures, cache, sink, i18n };
    let results: Vec<(Done, bool)> = run.par_iter().map(|job| env.run(job)).collect();
    // once per build that makes print files: the colours they convert
    if run.iter().any(|job| matches!(job.make, Make::Print(_))) {
        done.diagnostics.extend(poster_style.converted_colors());
    }
    for (job, (result, ok)) in run.iter().zip(results) {
        done.summary += result.summary;
        done.diagnostics.extend(result.diagnostics);
        if !ok {
            continue;
        }
        match (&job.make, job.fingerprint) {
            // joined widths of one image: each width has a fingerprint of its own
            (Make::Resized(image, widths), _) => {
                for w in widths {
                    fingerprints.extend(image.outputs[w].iter().map(|p| (p.clone(), image.fingerprint(*w))));
                }
            }
            (_, Some(fp)) => fingerprints.extend(job.paths.iter().map(|p| (p.clone(), fp))),
            (_, None) => {}
        }
    }
    collapse_write_errors(&mut done.diagnostics, sink);
    Rendered { summary: done.summary, diagnostics: done.diagnostics, fingerprints }
}

/// What the jobs of one render make their files with.
struct Env<'a> {
    site: &'a crate::model::Site,
    theme: &'a crate::load::theme::Theme,
    i18n: &'a crate::load::i18n::I18n,
    shared: &'a context::Shared<'a>,
    posters: &'a poster::Posters<'a>,
    pictures: &'a crate::share::Pictures<'a>,
    cache: &'a Cache,
    sink: &'a dyn Sink,
}

impl Env<'_> {
    /// Writes a picture (share image, poster preview) at `rel`; a sink
    /// that notes names only (`check`) gets the name, and nothing is drawn.
    fn picture(
        &self,
        make: impl FnOnce() -> Result<(Output, Vec<Diagnostic>), Diagnostic>,
        rel: &str,
        done: &mut Done,
    ) -> Option<usize> {
        if self.sink.keeps_bytes() {
            return self.put(make(), rel, done);
        }
        let written = self.sink.write(rel, &[]);
        done.summary.files += usize::from(written.is_ok());
        written.ok().map(|()| 0)
    }

    /// Writes a poster file or picture, made now or found in the cache, at
    /// `rel`; its size when it was written.
    fn put(&self, made: Result<(Output, Vec<Diagnostic>), Diagnostic>, rel: &str, done: &mut Done) -> Option<usize> {
        match made {
            Ok((made, warnings)) => {
                // (the print file's are the screen poster's: the report drops repeats)
                done.diagnostics.extend(warnings);
                let (written, size) = match made {
                    Output::Made(bytes) => (self.sink.write(rel, &bytes), bytes.len()),
                    Output::Cached { path, size } => (self.sink.link(rel, &path), size),
                };
                match written {
                    Ok(()) => {
                        done.summary.files += 1;
                        Some(size)
                    }
                    Err(e) => {
                        done.diagnostics.push(out_error(rel, e));
                        None
                    }
                }
            }
            Err(d) => {
                done.diagnostics.push(d);
                None
            }
        }
    }

    /// Renders a template into the page at `rel`; `true` when it was written.
    fn page(&self, template: &str, ctx: &tera::Context, rel: &str, done: &mut Done) -> bool {
        match self.theme.render(template, ctx) {
            Ok(html) => wrote(done, rel, self.sink.write(rel, html.as_bytes())),
            Err(d) => {
                done.diagnostics.push(d);
                false
            }
        }
    }

    /// Makes and writes a job's files; `true` when all of them were written.
    fn run(&self, job: &Job) -> (Done, bool) {
        let mut done = Done::default();
        let sink = self.sink;
        let ok = match &job.make {
            Make::Case(i) => {
                // the page names its share image, links the poster with its size, shows its preview
                let mut files = context::CaseFiles::default();
                let share = &job.paths[SHARE_AT];
                let mut ok =
                    self.picture(|| self.pictures.share(*i).map(|s| (s, Vec::new())), share, &mut done).is_some();
                files.share = ok.then_some(share.as_str());
                // the poster and its preview are laid out once
                let mut laid = None;
                if let Some(rel) = job.paths.get(POSTER_AT) {
                    let made = self.posters.poster_laid_out(*i, crate::model::urls::PosterFile::Screen, &mut laid);
                    match self.put(made, rel, &mut done) {
                        Some(size) => {
                            done.summary.posters += 1;
                            files.poster = Some((rel.as_str(), size));
                        }
                        None => ok = false,
                    }
                }
                if let Some(rel) = job.paths.get(PREVIEW_AT) {
                    let preview = || self.pictures.preview(*i, &mut laid);
                    let made = self.picture(preview, rel, &mut done);
                    files.preview = made.map(|_| rel.as_str());
                    ok &= made.is_some();
                }
                done.summary.pages += 1;
                ok & self.page("case.html", &self.shared.case_context(*i, &files), &job.paths[0], &mut done)
            }
            Make::Print(i) => {
                let made =
                    self.put(self.posters.poster(*i, crate::model::urls::PosterFile::Print), &job.paths[0], &mut done);
                done.summary.print += usize::from(made.is_some());
                made.is_some()
            }
            Make::Page(which, template) => {
                let ctx = match *which {
                    Single::Home(lang) => {
                        let share = &job.paths[1];
                        let title = self.shared.home_share_title(lang);
                        let made = self.picture(
                            || self.pictures.home_share(lang, &title).map(|s| (s, Vec::new())),
                            share,
                            &mut done,
                        );
                        self.shared.home_context(lang, made.map(|_| (share.as_str(), title.as_str())))
                    }
                    Single::Tags(lang) => self.shared.tags_context(lang),
                    Single::Tag(lang, t) => self.shared.tag_context(lang, t),
                    Single::Root => self.shared.root_context(),
                    Single::NotFound => self.shared.not_found_context(),
                };
                let written = self.page(template, &ctx, &job.paths[0], &mut done);
                done.summary.pages += usize::from(written);
                written
            }
            Make::Sitemaps | Make::SiteFiles => {
                let files = match job.make {
                    Make::Sitemaps => files::sitemaps(self.site),
                    _ => files::site_files(self.site, self.i18n),
                };
                let mut ok = true;
                for (rel, text) in files {
                    ok &= wrote(&mut done, &rel, sink.write(&rel, text.as_bytes()));
                }
                ok
            }
            Make::Alias(i, _) => {
                let written = self.page("alias.html", &self.shared.alias_context(*i), &job.paths[0], &mut done);
                done.summary.redirects += usize::from(written);
                written
            }
            Make::Redirects => {
                let rel = &job.paths[0];
                let own = match self.theme.statics.get(rel) {
                    Some(Origin::Builtin(bytes)) => Ok(bytes.to_vec()),
                    Some(Origin::File(path)) => std::fs::read(path),
                    None => Ok(Vec::new()),
                };
                let written = own.and_then(|mut rules| {
                    if !rules.is_empty() && !rules.ends_with(b"\n") {
                        rules.push(b'\n');
                    }
                    rules.extend_from_slice(files::redirects(self.site).as_bytes());
                    sink.write(rel, &rules)
                });
                wrote(&mut done, rel, written)
            }
            Make::Static(origin) => {
                let rel = &job.paths[0];
                let written = match origin {
                    Origin::Builtin(bytes) => sink.write(rel, bytes),
                    Origin::File(path) => sink.copy(rel, path),
                };
                wrote(&mut done, rel, written)
            }
            Make::Asset(from) => {
                let rel = &job.paths[0];
                wrote(&mut done, rel, sink.copy(rel, &self.site.root.join(from)))
            }
            Make::Resized(image, widths) => self.resized(image, widths, &mut done),
        };
        (done, ok)
    }

    /// Writes the resized files of one image at these widths, from the
    /// cache or made now (decoded once for all of them).
    fn resized(&self, image: &Resize, widths: &[u32], done: &mut Done) -> bool {
        let sink = self.sink;
        if !sink.keeps_bytes() {
            // a sink that notes names only: no image needs making
            for rel in widths.iter().flat_map(|w| &image.outputs[w]) {
                done.summary.files += usize::from(sink.write(rel, &[]).is_ok());
            }
            return true;
        }
        let made = match image.make(&self.site.root, self.cache, widths) {
            Ok(made) => made,
            Err(why) => {
                let at = crate::diagnostic::display_path(&self.site.root, &image.source);
                done.diagnostics.push(Diagnostic::error(at, 1, 1, why.message).with_hint(why.hint));
                return false;
            }
        };
        let mut ok = true;
        for (w, file) in made {
            done.summary.resized += usize::from(matches!(file, Made::Bytes(_)));
            for rel in &image.outputs[&w] {
                let written = match &file {
                    Made::Bytes(bytes) => sink.write(rel, bytes),
                    Made::Cached(hit) => sink.link(rel, &hit.path),
                };
                match written {
                    Ok(()) => done.summary.files += 1,
                    Err(e) => {
                        done.diagnostics.push(out_error(rel, e));
                        ok = false;
                    }
                }
            }
        }
        ok
    }
}
