//! Rebuilding in memory after a change: the same load, validate and render
//! as `build`, on a [`Session`] that re-reads only the changed files, into a
//! new [`Snapshot`] that replaces the old one only when nothing failed.

use super::snapshot::{Body, MemorySink, Snapshot, SourceFiles};
use super::watch::Change;
use crate::cache::Cache;
use crate::diagnostic::{self, Diagnostic};
use crate::load::theme::Theme;
use crate::pipeline::{Options, Session};
use crate::render::{self, Fingerprints, Summary};
use rustc_hash::FxHashMap;
use std::sync::Arc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

/// The result of one rebuild.
#[derive(Debug)]
pub enum Outcome {
    Built {
        summary: Summary,
        /// Output files that differ from the previous build.
        changed: usize,
        /// Every changed file is a stylesheet.
        css_only: bool,
        warnings: Vec<Diagnostic>,
        millis: u128,
    },
    /// Built, but no output differs from the previous build.
    Unchanged { millis: u128 },
    /// Some error; the previous snapshot stays.
    Failed { diagnostics: Vec<Diagnostic> },
}

/// Keeps a site loaded between rebuilds, with its last good snapshot.
pub struct Rebuilder {
    session: Session,
    cache: Cache,
    /// The site folder as the file system resolves it.
    root: std::path::PathBuf,
    /// The files copied from the site folder, as last read.
    sources: SourceFiles,
    snapshot: Arc<Snapshot>,
    /// What the snapshot's pages were made from, and with which theme
    /// (standing for the theme, messages and configuration).
    made_from: Option<(Arc<Theme>, Arc<Fingerprints>)>,
    /// Changes with every good build, and differs across restarts, so that
    /// a page reconnecting to another build reloads.
    build: String,
    /// The site of the last good rebuild, until [`Rebuilder::finish`] makes
    /// what it left for later.
    pending: Option<render::Input>,
    /// Whether what a rebuild left for later is being made.
    making: bool,
    /// Whether it was made once: what the later ones make is not put in
    /// the cache ([`Rebuilder::later`]).
    made_once: bool,
    /// The configuration of the last good rebuild.
    config: Option<Arc<crate::model::config::Config>>,
}

fn new_build_id() -> String {
    format!("{:x}", SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_nanos())
}

impl Rebuilder {
    /// Reads the site of `opts` for serving at its `base_url`, with posters
    /// cached in its cache.
    pub fn new(opts: Options) -> Rebuilder {
        Rebuilder {
            session: Session::new(&opts),
            root: crate::load::files::canonical(&opts.root),
            cache: opts.cache,
            sources: SourceFiles::default(),
            snapshot: Arc::new(Snapshot::default()),
            made_from: None,
            build: new_build_id(),
            pending: None,
            making: false,
            made_once: false,
            config: None,
        }
    }

    /// The last good build (empty before the first one succeeds).
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.snapshot.clone()
    }

    /// Whether some build succeeded.
    pub fn has_built(&self) -> bool {
        !self.snapshot.files.is_empty()
    }

    /// The configuration of the last good build.
    pub fn config(&self) -> Option<Arc<crate::model::config::Config>> {
        self.config.clone()
    }

    /// The id of the last good build.
    pub fn build_id(&self) -> &str {
        &self.build
    }

    /// Takes in a change (`None`: nothing to read again) and builds.
    pub fn rebuild(&mut self, change: Option<Change>) -> Outcome {
        self.build(change, render::Part::First)
    }

    /// Builds the pages a site is opened at ([`render::Part::Front`]) on
    /// their own: the first build of a large site answers its home while
    /// [`Rebuilder::rebuild`] (with no change) makes the rest; should that
    /// fail, [`Rebuilder::forget`] takes the front away again.
    pub fn rebuild_front(&mut self) -> Outcome {
        self.build(None, render::Part::Front)
    }

    /// Back to no good build: nothing served (a first build whose front
    /// was made but whose rest failed).
    pub fn forget(&mut self) {
        self.snapshot = Arc::new(Snapshot::default());
        self.made_from = None;
        self.pending = None;
    }

    fn build(&mut self, change: Option<Change>, part: render::Part) -> Outcome {
        let start = Instant::now();
        let timing = crate::diagnostic::timings::Phases::start("rebuild");
        match change {
            Some(Change::Files { content, settings }) => {
                self.session.content_changed(&content.into_iter().collect::<Vec<_>>());
                if settings {
                    self.session.settings_changed();
                }
            }
            Some(Change::Everything) => self.session.reset(),
            None => {}
        }
        let (loaded, mut diags) = self.session.load();
        timing.end("load");
        let Some(l) = loaded else { return Outcome::Failed { diagnostics: diags } };
        let sink = MemorySink::new(&self.root, &self.sources);
        let previous = self.made_from.as_ref().filter(|(theme, _)| Arc::ptr_eq(theme, &l.theme)).map(|(_, fp)| &**fp);
        let r = render::render(&l, &self.cache, &sink, previous, part);
        diags.extend(r.diagnostics);
        diagnostic::sort(&mut diags);
        if diagnostic::has_errors(&diags) {
            return Outcome::Failed { diagnostics: diags };
        }
        // the outputs not written are those of the previous snapshot, but
        // those the site no longer has
        let written: FxHashMap<Arc<str>, Body> =
            sink.into_files().into_iter().map(|(rel, body)| (Arc::from(rel), body)).collect();
        let mut files = self.snapshot.files.clone();
        let mut changed: Vec<Arc<str>> = Vec::new();
        match previous {
            Some(previous) => {
                for rel in r.fingerprints.gone_since(previous) {
                    if !written.contains_key(rel.as_str()) && files.remove(rel.as_str()).is_some() {
                        changed.push(Arc::from(rel));
                    }
                }
            }
            None => {
                let now = r.fingerprints.files();
                files.retain(|rel, _| {
                    let keep = written.contains_key(rel) || now.contains(&**rel);
                    if !keep {
                        changed.push(rel.clone());
                    }
                    keep
                });
            }
        }
        for (rel, body) in written {
            if !files.get(&rel).is_some_and(|old| old.same(&body)) {
                changed.push(rel.clone());
            }
            files.insert(rel, body);
        }
        let snapshot = Snapshot { files };
        timing.end("snapshot");
        let millis = start.elapsed().as_millis();
        let theme = l.theme.clone();
        if self.config.as_deref() != Some(&l.site.config) {
            self.config = Some(Arc::new(l.site.config.clone()));
        }
        self.pending = Some(l);
        self.made_from = Some((theme, Arc::new(r.fingerprints)));
        if changed.is_empty() {
            return Outcome::Unchanged { millis };
        }
        let css_only = !self.snapshot.files.is_empty() && changed.iter().all(|r| r.ends_with(".css"));
        let changed = changed.len();
        self.snapshot = Arc::new(snapshot);
        self.build = new_build_id();
        Outcome::Built { summary: r.summary, changed, css_only, warnings: diags, millis }
    }

    /// Whether the site would still build with these files (relative to the
    /// site folder) written (`Some` bytes) or deleted (`None`): the errors
    /// of that build, none when it would. Nothing is written, and the
    /// served site stays as it is; the pages the change touches are
    /// rendered (to be thrown away), so a poster that would run off its
    /// paper is an error too.
    pub fn check_save(&mut self, changes: &[(std::path::PathBuf, Option<Vec<u8>>)]) -> Vec<Diagnostic> {
        let (loaded, mut diags) = self.session.load_with(changes);
        if let Some(l) = loaded {
            let previous =
                self.made_from.as_ref().filter(|(theme, _)| Arc::ptr_eq(theme, &l.theme)).map(|(_, fp)| &**fp);
            diags.extend(render::render(&l, &self.cache, &Discard, previous, render::Part::First).diagnostics);
        }
        diags.retain(Diagnostic::is_error);
        diagnostic::sort(&mut diags);
        diags
    }

    /// Makes what the last good rebuild left for later (the search index),
    /// once its pages are served: `true` when a file of the snapshot
    /// changed. The build id stays: open pages have nothing to reload.
    pub fn finish(&mut self) -> bool {
        self.later().is_some_and(|make| {
            let made = make();
            self.take(made)
        })
    }

    /// The work of [`Rebuilder::finish`], to be done on another thread so
    /// that the next save never waits for it; its result goes to
    /// [`Rebuilder::take`]. `None` when nothing is left for later.
    /// One at a time: while one is being made, the newest site waits.
    pub fn later(&mut self) -> Option<impl FnOnce() -> Later + Send + 'static> {
        if self.making {
            return None;
        }
        let (_, made) = self.made_from.as_ref()?;
        let l = self.pending.take()?;
        self.making = true;
        // the search index of the site as serve found it goes to the cache
        // (a build or the next start reuses it); the one after each save
        // is held in memory only: at 10,000 cases each would add 22 MB
        // in 2,500 files to the cache
        let cache = if self.made_once { self.cache.read_only() } else { self.cache.clone() };
        self.made_once = true;
        // (the fingerprints shared, not copied: the render only reads them)
        let (made, root, build) = (made.clone(), self.root.clone(), self.build.clone());
        Some(move || {
            // (what is left for later writes files, and copies none)
            let sources = SourceFiles::default();
            let sink = MemorySink::new(&root, &sources);
            let r = render::render(&l, &cache, &sink, Some(&*made), render::Part::Later);
            Later { build, files: sink.into_files(), fingerprints: r.fingerprints, diagnostics: r.diagnostics }
        })
    }

    /// Takes in what [`Rebuilder::later`] made, unless another build came
    /// since (it has its own): `true` when a file of the snapshot changed.
    pub fn take(&mut self, later: Later) -> bool {
        self.making = false;
        if later.build != self.build {
            return false;
        }
        if diagnostic::has_errors(&later.diagnostics) {
            diagnostic::report::print(&later.diagnostics);
            return false;
        }
        let Some((_, made)) = self.made_from.as_mut() else { return false };
        // (the render that used them is over: not copied)
        Arc::make_mut(made).extend(later.fingerprints);
        let mut files = self.snapshot.files.clone();
        let mut changed = false;
        for (rel, body) in later.files {
            let rel: Arc<str> = Arc::from(rel);
            changed |= !files.get(&rel).is_some_and(|old| old.same(&body));
            files.insert(rel, body);
        }
        if changed {
            self.snapshot = Arc::new(Snapshot { files });
        }
        changed
    }
}

/// What a rebuild left for later, made: for the build `build`, its files
/// and their fingerprints, or its problems.
pub struct Later {
    build: String,
    files: Vec<(String, Body)>,
    fingerprints: render::Fingerprints,
    diagnostics: Vec<Diagnostic>,
}

/// A sink that keeps nothing: a trial render.
struct Discard;

impl render::Sink for Discard {
    fn write(&self, _: &str, _: &[u8]) -> std::io::Result<()> {
        Ok(())
    }

    fn copy(&self, _: &str, _: &std::path::Path) -> std::io::Result<()> {
        Ok(())
    }

    fn keeps_bytes(&self) -> bool {
        false
    }
}
