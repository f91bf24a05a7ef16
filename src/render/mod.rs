//! Stage 3, render: a function of the site model and the theme that emits
//! every output file (pages, feeds, sitemap, copied files) to a [`Sink`].
//! Pages render in parallel; lists shared by many pages are built once.
//!
//! Each kind of output is a file of this folder: a type that implements
//! [`Make`] and a `plan` of its jobs, listed in [`OUTPUTS`]. Render writes
//! only to its [`Sink`], never to the disk itself.

mod admin;
mod alias;
mod case;
mod context;
mod copied;
mod files;
mod fingerprints;
mod jsonld;
mod pages;
mod plan;
mod resized;
mod search;

pub use fingerprints::Fingerprints;

pub use context::{
    Alternate, alternates_of_case, alternates_of_home, alternates_of_section, alternates_of_tag, alternates_of_tags,
};

use crate::cache::{Cache, Output};
use crate::diagnostic::Diagnostic;
use crate::load::theme::Theme;
use crate::model::Site;
use crate::poster;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use std::io;
use std::path::Path;
use std::sync::atomic::AtomicBool;

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
    /// Keeps the files at `rels` as the previous render made them (their
    /// fingerprints are unchanged): `false` when it cannot, and they are
    /// made. A sink that holds the previous render's files (`serve`) has
    /// nothing to do.
    fn keep(&self, _rels: &[String]) -> bool {
        true
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
    let mut causes: FxHashMap<String, usize> = FxHashMap::default();
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

/// The result of [`render`].
pub struct Rendered {
    pub summary: Summary,
    /// Every problem: template errors, write errors, fallback warnings.
    pub diagnostics: Vec<Diagnostic>,
    pub fingerprints: Fingerprints,
}

/// How a [`Job`] makes its files: one type per kind of output, in a file
/// of this folder that also plans its jobs (a function [`OUTPUTS`] lists).
trait Make: Send + Sync {
    /// Makes and writes the job's files (`paths`); `true` when all of
    /// them were written.
    fn make(&self, env: &Env, paths: &[String], done: &mut Done) -> bool;

    /// The job's file at `path` in words, for an alias of case page `of`
    /// that would take its place.
    fn describe(&self, site: &Site, paths: &[String], path: &str, of: usize) -> String;

    /// What the job adds to the summary when it is left out, unchanged:
    /// what the previous render made is still there.
    fn unchanged(&self, paths: &[String]) -> Summary {
        Summary { files: paths.len(), ..Summary::default() }
    }

    /// `(page, alias)` when the job is the redirect page at an alias.
    fn alias(&self) -> Option<(usize, usize)> {
        None
    }

    /// Whether no page waits for it (the search index): `serve` makes it
    /// after the pages are served and the browser reloaded ([`Part`]).
    fn later(&self) -> bool {
        false
    }

    /// Whether a browser opens it first (the homes, the language choice,
    /// the theme's files): `serve` serves these before it makes the rest
    /// of a site it starts on ([`Part::Front`]).
    fn front(&self) -> bool {
        false
    }

    /// The case page whose files it makes (its fingerprints are kept by
    /// page, [`Fingerprints`]).
    fn page(&self) -> Option<usize> {
        None
    }
}

/// Which jobs a render runs: all of them (`build`, `check`), or for
/// `serve` first those the reloaded pages need, then the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    All,
    /// Every job but the later ones, whose files stay as `previous` made
    /// them: their paths are in the fingerprints, with the previous ones.
    First,
    /// Only the later ones.
    Later,
    /// Only the front ones: the pages a site is opened at, made on their
    /// own when `serve` starts, so that they answer while the rest is made.
    Front,
}

/// One output of a render, or a few made together: the paths it writes,
/// the fingerprint of what it is made of (`None`: made every time), and how
/// to make it. A render plans every job, leaves out those whose
/// fingerprint is unchanged, and runs the rest in parallel.
struct Job<'s> {
    paths: Vec<String>,
    fingerprint: Option<u64>,
    make: Box<dyn Make + 's>,
}

impl<'s> Job<'s> {
    fn new(paths: Vec<String>, fingerprint: Option<u64>, make: impl Make + 's) -> Job<'s> {
        Job { paths, fingerprint, make: Box::new(make) }
    }
}

/// What the plan of every kind of output reads.
struct Planning<'s> {
    site: &'s Site,
    theme: &'s Theme,
    /// The fingerprint of each case page's card ([`plan::cards`]).
    cards: Vec<u64>,
    /// The fingerprint of what every poster is made with.
    posters: u64,
    /// Each person's, by id ([`plan::people`]).
    people: FxHashMap<&'s str, u64>,
    /// The case pages left out, unchanged ([`Fingerprints::quiet`]).
    quiet: Vec<bool>,
    /// Which part of the site is rendered.
    part: Part,
}

/// The jobs of one kind of output.
type Plan = for<'s> fn(&Planning<'s>) -> Vec<Job<'s>>;

/// Every kind of output, in the order they are planned and written. A new
/// kind is a file of this folder (its [`Make`] and its plan) and a line here.
const OUTPUTS: [Plan; 8] =
    [case::plan, pages::plan, alias::plan, files::plan, search::plan, admin::plan, copied::plan, resized::plan];

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

/// Every output of the site, in the order they are written, but the case
/// pages that are `quiet`.
fn plan<'s>(planning: &Planning<'s>) -> Vec<Job<'s>> {
    OUTPUTS.iter().flat_map(|plan| plan(planning)).collect()
}

/// Takes out of `jobs` the aliases whose file another output (or an
/// earlier alias) writes, or whose folder is a file of the output: each an
/// error at the alias naming the other.
fn clashing_aliases<'s>(site: &crate::model::Site, mut jobs: Vec<Job<'s>>) -> (Vec<Job<'s>>, Vec<Diagnostic>) {
    // the files the aliases would be, and their folders: the only paths
    // of other outputs worth remembering (most sites have no alias)
    let wanted: FxHashSet<&str> = (jobs.iter())
        .filter_map(|job| {
            let (i, k) = job.make.alias()?;
            Some([job.paths[0].as_str(), site.pages[i].aliases[k].url.trim_end_matches('/')])
        })
        .flatten()
        .collect();
    if wanted.is_empty() {
        return (jobs, Vec::new());
    }
    let mut owners: FxHashMap<&str, usize> = FxHashMap::default();
    for (j, job) in jobs.iter().enumerate().filter(|(_, job)| job.make.alias().is_none()) {
        for p in job.paths.iter().filter(|p| wanted.contains(p.as_str())) {
            owners.entry(p.as_str()).or_insert(j);
        }
    }
    let mut diags = Vec::new();
    let mut clashing = Vec::new();
    for (j, job) in jobs.iter().enumerate() {
        let Some((i, k)) = job.make.alias() else { continue };
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
                            jobs[o].make.describe(site, &jobs[o].paths, file, i)
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

/// Splits `jobs` into those whose fingerprint is unchanged in `previous`
/// (to be counted and remembered, not made) and the rest.
fn filter<'s>(jobs: Vec<Job<'s>>, previous: Option<&Fingerprints>) -> (Vec<Job<'s>>, Vec<Job<'s>>) {
    jobs.into_iter().partition(|job| {
        let (Some(previous), Some(fp)) = (previous, job.fingerprint) else { return false };
        match job.make.page() {
            // (by place after a render of this process, else by path)
            Some(i) => previous.same_case(i, fp) || job.paths.iter().all(|p| previous.same_path(p, fp)),
            None => job.paths.iter().all(|p| previous.same_path(p, fp)),
        }
    })
}

/// Renders the site, or a [`Part`] of it, into `sink`. With `previous`
/// (the fingerprints of a render of the same site with the same theme,
/// messages and configuration), the outputs whose fingerprint is unchanged
/// are left out.
pub fn render(loaded: &Input, cache: &Cache, sink: &dyn Sink, previous: Option<&Fingerprints>, part: Part) -> Rendered {
    let Input { site, theme, i18n, poster_style } = loaded;
    let (site, theme, i18n, poster_style) = (site, &**theme, &**i18n, &**poster_style);
    let timing = crate::diagnostic::timings::Phases::start("render");
    let shared = context::Shared::new(site, i18n);
    let posters = poster::Posters::new(site, i18n, poster_style, cache);
    let people = plan::people(site);
    let mut fingerprints = Fingerprints {
        posters: posters.fingerprint(),
        people: plan::people_digest(&people),
        print: site.config.print_posters,
        ..Fingerprints::default()
    };
    // (the case pages are made in the parts that make pages)
    let cases = matches!(part, Part::All | Part::First);
    let (quiet, unchanged) = match previous {
        Some(previous) if cases => previous.quiet(site, fingerprints.posters, fingerprints.people, fingerprints.print),
        _ => Default::default(),
    };
    timing.end("quiet pages");
    let cards = plan::cards(site);
    let planning = Planning { site, theme, cards, posters: fingerprints.posters, people, quiet, part };
    let jobs = plan(&planning);
    timing.end("plan");
    let (mut jobs, clashes) = clashing_aliases(site, jobs);
    match part {
        Part::All => {}
        Part::Later => jobs.retain(|job| job.make.later()),
        Part::Front => jobs.retain(|job| job.make.front()),
        Part::First => jobs.retain(|job| {
            if job.make.later() {
                let was = |p: &String| previous.and_then(|f| f.paths.get(p).copied().flatten());
                fingerprints.paths.extend(job.paths.iter().map(|p| (p.clone(), was(p))));
            }
            !job.make.later()
        }),
    }
    if cases {
        // the quiet case pages as the previous render made them
        let was = |i: usize| previous.and_then(|f| f.cases.get(i)).and_then(|(_, fp)| *fp);
        fingerprints.cases = (site.pages.iter().enumerate())
            .map(|(i, p)| (p.clone(), if planning.quiet.get(i) == Some(&true) { was(i) } else { None }))
            .collect();
    }
    let (kept, mut run) = filter(jobs, previous);

    let mut done = Done { diagnostics: clashes, ..Done::default() };
    done.summary += unchanged;
    for job in kept {
        if !sink.keep(&job.paths) {
            run.push(job);
            continue;
        }
        done.summary += job.make.unchanged(&job.paths);
        fingerprints.remember(job);
    }
    timing.end("unchanged left out");
    let pictures = crate::share::Pictures::new(site, poster_style, cache, &posters);
    let env = Env {
        site,
        theme,
        shared: &shared,
        posters: &posters,
        pictures: &pictures,
        poster_style,
        cache,
        sink,
        i18n,
        printing: AtomicBool::new(false),
    };
    let results: Vec<(Done, bool)> = run
        .par_iter()
        .map(|job| {
            let mut done = Done::default();
            let ok = job.make.make(&env, &job.paths, &mut done);
            (done, ok)
        })
        .collect();
    for (job, (result, ok)) in run.into_iter().zip(results) {
        done.summary += result.summary;
        done.diagnostics.extend(result.diagnostics);
        if ok {
            fingerprints.remember(job);
        }
    }
    timing.end("made");
    collapse_write_errors(&mut done.diagnostics, sink);
    Rendered { summary: done.summary, diagnostics: done.diagnostics, fingerprints }
}

/// What the jobs of one render make their files with.
struct Env<'a> {
    site: &'a Site,
    theme: &'a Theme,
    i18n: &'a crate::load::i18n::I18n,
    shared: &'a context::Shared<'a>,
    posters: &'a poster::Posters<'a>,
    pictures: &'a crate::share::Pictures<'a>,
    poster_style: &'a poster::PosterStyle,
    cache: &'a Cache,
    sink: &'a dyn Sink,
    /// Set by the first print file: the colours print files convert are
    /// reported once per render.
    printing: AtomicBool,
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
}
