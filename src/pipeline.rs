//! The whole pipeline, load → validate → render → write, as the commands
//! use it. `build` runs all of it; `check` and `serve` reuse its parts.

use crate::cache::Cache;
use crate::diagnostic::{self, Diagnostic};
use crate::load::Mirror;
use crate::load::i18n::I18n;
use crate::load::theme::Theme;
use crate::model::config::{self, Config};
use crate::poster::PosterStyle;
use crate::render::{self, Input, Summary};
use crate::validate::Memo;
use crate::write::{DirSink, Staging};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

/// The site a command works on and how: read once from the command line
/// (and `SOURCE_DATE_EPOCH`) and passed down to `build`, `check`, `serve`
/// and `poster` alike.
#[derive(Debug, Clone)]
pub struct Options {
    /// The site folder.
    pub root: PathBuf,
    /// Also the cases marked `draft: true`.
    pub drafts: bool,
    /// Another address than site.yaml's `base_url` (`build --base-url`,
    /// serve's own address).
    pub base_url: Option<String>,
    /// `SOURCE_DATE_EPOCH`: the creation date of every poster, for
    /// reproducible builds (else each case's date).
    pub source_date_epoch: Option<i64>,
    /// Where posters and resized images are kept between builds
    /// ([`Cache::user`] for the commands; a test's own folder in tests).
    pub cache: Cache,
    /// `serve`: the web editor saves through serve into the site folder
    /// ([`crate::model::config::Cms::local`]).
    pub cms_local: bool,
    /// `serve`: the texts kept between rebuilds (case bodies as Markdown
    /// and HTML) are held deflated ([`crate::text::packed`]).
    pub deflate_texts: bool,
}

impl Options {
    /// The site in `root` as it is published: no drafts, its own address,
    /// posters dated by their cases, no cache.
    pub fn new(root: impl Into<PathBuf>) -> Options {
        Options {
            root: root.into(),
            drafts: false,
            base_url: None,
            source_date_epoch: None,
            cache: Cache::none(),
            cms_local: false,
            deflate_texts: false,
        }
    }
}

/// The theme, messages and poster style made for one configuration.
#[derive(Clone)]
struct Env {
    config: Config,
    theme: Arc<Theme>,
    i18n: Arc<I18n>,
    poster_style: Arc<PosterStyle>,
}

/// What one site's builds have read so far. `build` uses it once; `serve`
/// keeps it, tells it which paths changed, and loads again: only changed
/// content files are parsed again, and the theme and messages are kept
/// until a file of theirs or the configuration changes.
pub struct Session {
    opts: Options,
    mirror: Mirror,
    memo: Memo,
    env: Option<Env>,
}

impl Session {
    /// Reads the site's content folder.
    pub fn new(opts: &Options) -> Session {
        Session {
            mirror: Mirror::scan(&opts.root, opts.deflate_texts),
            opts: opts.clone(),
            memo: Memo::new(opts.deflate_texts),
            env: None,
        }
    }

    /// Content files or folders changed on disk: re-read just those.
    pub fn content_changed<P: AsRef<Path>>(&mut self, paths: &[P]) {
        self.mirror.refresh(paths);
    }

    /// The theme, messages or `site.yaml` changed: load them again (the
    /// parsed content stays; bodies are rendered again if addresses moved).
    pub fn settings_changed(&mut self) {
        self.env = None;
    }

    /// The watcher lost track: read everything again.
    pub fn reset(&mut self) {
        self.mirror = Mirror::scan(&self.opts.root, self.opts.deflate_texts);
        self.memo = Memo::new(self.opts.deflate_texts);
        self.env = None;
    }

    /// Runs load and validate and prepares the theme. Returns `None` when
    /// there is any error; the diagnostics, sorted, hold every problem found.
    pub fn load(&mut self) -> (Option<Input>, Vec<Diagnostic>) {
        let (loaded, mut diags) = self.load_unsorted();
        diagnostic::sort(&mut diags);
        (loaded, diags)
    }

    /// [`Session::load`] of the site as it would be with these files
    /// written (`Some` bytes) or deleted (`None`); nothing changes on disk
    /// and the session stays as it was.
    pub fn load_with(&mut self, changes: &[(PathBuf, Option<Vec<u8>>)]) -> (Option<Input>, Vec<Diagnostic>) {
        let now = self.mirror.overlay(changes);
        let kept = std::mem::replace(&mut self.mirror, now);
        let loaded = self.load();
        self.mirror = kept;
        loaded
    }

    fn load_unsorted(&mut self) -> (Option<Input>, Vec<Diagnostic>) {
        let root = &self.opts.root;
        let timing = crate::diagnostic::timings::Phases::start("load");
        let sources = self.mirror.sources();
        timing.end("sources");
        let config: Config = match config::load(root, &sources.languages_found(), self.opts.base_url.as_deref()) {
            Ok(mut c) => {
                if let Some(cms) = &mut c.cms {
                    cms.local = self.opts.cms_local;
                }
                c
            }
            Err(mut ds) => {
                ds.extend(sources.diagnostics);
                return (None, ds);
            }
        };
        let mut warnings = Vec::new();
        if config.base_missing {
            warnings.push(
                Diagnostic::warning(
                    crate::diagnostic::display_path(root, Path::new("site.yaml")),
                    1,
                    1,
                    format!(
                        "no `base_url`: canonical links, og:url, the sitemap, the feeds and every poster's footer point at {}",
                        config::DEFAULT_BASE_URL
                    ),
                )
                .with_hint("add the site's address, such as `base_url: https://www.agency.nl/cases/`, or build with --base-url"),
            );
        }
        let env = match self.env.take().filter(|e| e.config == config) {
            Some(env) => Ok(env),
            None => load_env(root, &config, self.opts.source_date_epoch),
        };
        timing.end("settings");
        let (site, mut diags) = crate::validate::validate(root, config, sources, self.opts.drafts, &mut self.memo);
        timing.end("validate");
        diags.extend(warnings);
        let env = match env {
            Ok(env) => env,
            Err(ds) => {
                diags.extend(ds);
                return (None, diags);
            }
        };
        self.env = Some(env.clone());
        diags.extend(env.theme.warnings.iter().cloned());
        match site {
            Some(site) => {
                let Env { theme, i18n, poster_style, .. } = env;
                (Some(Input { site, theme, i18n, poster_style }), diags)
            }
            None => (None, diags),
        }
    }
}

fn load_env(root: &Path, config: &Config, epoch: Option<i64>) -> Result<Env, Vec<Diagnostic>> {
    let i18n = Arc::new(I18n::load(root, config)?);
    let theme = Theme::load(root, config, i18n.clone())?;
    let poster_style = PosterStyle::load(&theme, epoch)?;
    Ok(Env { config: config.clone(), theme: Arc::new(theme), i18n, poster_style: Arc::new(poster_style) })
}

/// Runs load and validate once. See [`Session::load`].
pub fn load(opts: &Options) -> (Option<Input>, Vec<Diagnostic>) {
    Session::new(opts).load()
}

/// The result of a build: the counts and time for the summary line, and
/// every diagnostic (warnings only, when it succeeded).
#[derive(Debug)]
pub struct BuildReport {
    pub summary: Option<Summary>,
    pub millis: u128,
    pub diagnostics: Vec<Diagnostic>,
    /// Worth knowing about the build itself, printed after the summary.
    pub notes: Vec<String>,
}

/// Builds the site into `output`, replacing it only on success.
pub fn build(opts: &Options, output: &Path) -> BuildReport {
    let start = Instant::now();
    let mut notes = Vec::new();
    crate::write::clean_leftovers(output);
    let (loaded, mut diags) = Session::new(opts).load();
    let summary = loaded.and_then(|l| {
        let staging = match Staging::new(output) {
            Ok(s) => s,
            Err(e) => {
                diags.push(Diagnostic::error(output, 1, 1, format!("cannot create the output folder: {e}")));
                return None;
            }
        };
        let cache = &opts.cache;
        // what the last build into `output` made: its unchanged files are linked
        let settings = crate::write::made::settings(&opts.root, (&opts.base_url, opts.drafts, opts.source_date_epoch));
        let previous = crate::write::made::previous(cache, output, settings).filter(|_| output.is_dir());
        let made_before = previous.as_ref().map(|(_, ended)| *ended);
        let sink = DirSink { dir: staging.dir(), shown: output, made_before };
        let rendered = render::render(&l, cache, &sink, previous.as_ref().map(|(f, _)| f), render::Part::All);
        diags.extend(rendered.diagnostics);
        if diagnostic::has_errors(&diags) {
            return None;
        }
        diags.extend(crate::write::published::moved(&l.site, &crate::write::published::previous(&opts.root, output)));
        notes.extend(crate::validate::translations::summary_of(&l.site));
        let base = &l.site.config.base;
        if base.path != "/" {
            let host = &base.url[..base.url.len() + 1 - base.path.len()];
            notes.push(format!(
                "robots.txt is written, but crawlers read it only at the root of the host ({host}robots.txt), \
                 not below {}: to have the sitemap found, name {}{} in the host's own robots.txt",
                base.path,
                base.url,
                crate::model::urls::SITEMAP
            ));
        }
        if staging.per_entry() {
            notes.push(format!(
                "{} is a mount point, so it cannot be swapped as a whole: its entries were replaced one by one",
                output.display()
            ));
        }
        match staging.commit() {
            Ok(()) => {
                crate::write::made::remember(cache, output, settings, &rendered.fingerprints);
                cache.prune(std::time::SystemTime::now());
                if let Err(e) = crate::write::published::remember(&l.site) {
                    let at = crate::diagnostic::display_path(&opts.root, Path::new(crate::write::published::FILE));
                    diags.push(Diagnostic::warning(at, 1, 1, format!("cannot write: {e}")).with_hint(
                        "vitrine keeps the address of every case page here, to warn when one changes without an alias",
                    ));
                }
                Some(rendered.summary)
            }
            Err(e) => {
                diags.push(Diagnostic::error(output, 1, 1, format!("cannot put the new site in place: {e}")));
                None
            }
        }
    });
    diagnostic::sort(&mut diags);
    BuildReport { summary, millis: start.elapsed().as_millis(), diagnostics: diags, notes }
}

/// Renders the poster of one case file on its own. The site is the folder
/// holding the file's `content/` (else `opts.root`), loaded whole so that
/// people, messages and the address are those of a build; drafts included.
/// Returns the PDF, the case's slug and any warnings.
pub fn poster(
    opts: &Options,
    file: &Path,
    kind: crate::model::urls::PosterFile,
) -> Result<(Vec<u8>, String, Vec<Diagnostic>), Vec<Diagnostic>> {
    let shown = file.to_path_buf();
    let Ok(wanted) = file.canonicalize() else {
        return Err(vec![Diagnostic::error(&shown, 1, 1, "no such file")]);
    };
    // content/cases/<folder>/index.<lang>.md: the site root is three folders up
    let site_root = wanted
        .ancestors()
        .nth(4)
        .filter(|r| wanted.strip_prefix(r.join("content/cases")).is_ok())
        .map_or_else(|| opts.root.clone(), Path::to_path_buf);
    let (loaded, mut diags) = Session::new(&Options { root: site_root.clone(), drafts: true, ..opts.clone() }).load();
    let Some(l) = loaded else { return Err(diags) };
    let Some(i) =
        l.site.pages.iter().position(|p| l.site.root.join(&p.rel).canonicalize().ok().as_deref() == Some(&wanted))
    else {
        diags.push(Diagnostic::error(&shown, 1, 1, format!("not a case file of the site in {}", site_root.display())));
        return Err(diags);
    };
    let page = &l.site.pages[i];
    if page.fm.strategy.is_none() {
        diags.push(
            Diagnostic::error(&shown, 1, 1, "this case has no `strategy`, so it has no poster")
                .with_hint("add a `strategy` with a title and 1 to 5 lines to the front matter"),
        );
        return Err(diags);
    }
    if kind == crate::model::urls::PosterFile::Print {
        diags.extend(l.poster_style.converted_colors());
    }
    let rendered = crate::poster::Posters::new(&l.site, &l.i18n, &l.poster_style, &opts.cache).render(i, kind);
    match rendered {
        Ok((bytes, warnings)) => {
            diags.extend(warnings);
            Ok((bytes, page.slug.clone(), diags))
        }
        Err(d) => {
            diags.push(d);
            Err(diags)
        }
    }
}
