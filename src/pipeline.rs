//! The whole pipeline, load → validate → render → write, as the commands
//! use it. `build` runs all of it; `check` and `serve` reuse its parts.

use crate::config::{self, Config};
use crate::diagnostic::{self, Diagnostic};
use crate::i18n::I18n;
use crate::model::Site;
use crate::poster::{Cache, PosterStyle};
use crate::render::{self, Summary};
use crate::theme::Theme;
use crate::write::{DirSink, Staging};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

/// What `vitrine build` was asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub output: PathBuf,
    pub base_url: Option<String>,
    pub drafts: bool,
}

/// A loaded and validated site with its theme and messages: the input of rendering.
pub struct Loaded {
    pub site: Site,
    pub theme: Theme,
    pub i18n: Arc<I18n>,
    pub poster_style: PosterStyle,
}

/// Runs load and validate and prepares the theme. Returns `None` when there
/// is any error; the diagnostics hold every problem found.
pub fn load(root: &Path, base_url: Option<&str>, drafts: bool) -> (Option<Loaded>, Vec<Diagnostic>) {
    let (loaded, mut diags) = load_unsorted(root, base_url, drafts);
    diagnostic::sort(&mut diags);
    (loaded, diags)
}

fn load_unsorted(root: &Path, base_url: Option<&str>, drafts: bool) -> (Option<Loaded>, Vec<Diagnostic>) {
    let sources = crate::load::load(root);
    let config: Config = match config::load(root, &sources.languages_found(), base_url) {
        Ok(c) => c,
        Err(mut ds) => {
            ds.extend(sources.diagnostics);
            return (None, ds);
        }
    };
    let i18n = I18n::load(root, &config).map(Arc::new);
    let theme = match &i18n {
        Ok(i) => Theme::load(root, &config, i.clone()),
        Err(_) => Err(Vec::new()),
    };
    let style = theme.as_ref().map_err(|_| Vec::new()).and_then(PosterStyle::load);
    let (site, mut diags) = crate::validate::validate(root, config, sources, drafts);
    let (i18n, theme, poster_style) = match (i18n, theme, style) {
        (Ok(i), Ok(t), Ok(s)) => (i, t, s),
        (i, t, s) => {
            diags.extend(i.err().unwrap_or_default());
            diags.extend(t.err().unwrap_or_default());
            diags.extend(s.err().unwrap_or_default());
            return (None, diags);
        }
    };
    match site {
        Some(site) => (Some(Loaded { site, theme, i18n, poster_style }), diags),
        None => (None, diags),
    }
}

/// The result of a build: the counts and time for the summary line, and
/// every diagnostic (warnings only, when it succeeded).
#[derive(Debug)]
pub struct BuildReport {
    pub summary: Option<Summary>,
    pub millis: u128,
    pub diagnostics: Vec<Diagnostic>,
}

/// Builds the site into `opts.output`, replacing it only on success.
pub fn build(opts: &BuildOptions) -> BuildReport {
    let start = Instant::now();
    let (loaded, mut diags) = load(&opts.root, opts.base_url.as_deref(), opts.drafts);
    let summary = loaded.and_then(|l| {
        let staging = match Staging::new(&opts.output) {
            Ok(s) => s,
            Err(e) => {
                diags.push(Diagnostic::error(&opts.output, 1, 1, format!("cannot create the output folder: {e}")));
                return None;
            }
        };
        let (summary, render_diags) =
            render::render(&l.site, &l.theme, &l.i18n, &l.poster_style, &Cache::user(), &DirSink(staging.dir()));
        diags.extend(render_diags);
        if diagnostic::has_errors(&diags) {
            return None;
        }
        match staging.commit() {
            Ok(()) => Some(summary),
            Err(e) => {
                diags.push(Diagnostic::error(&opts.output, 1, 1, format!("cannot put the new site in place: {e}")));
                None
            }
        }
    });
    diagnostic::sort(&mut diags);
    BuildReport { summary, millis: start.elapsed().as_millis(), diagnostics: diags }
}

/// Renders the poster of one case file on its own. The site is the folder
/// holding the file's `content/` (else `root`), loaded whole so that people,
/// messages and the address are those of a build; drafts included.
/// Returns the PDF, the case's slug and any warnings.
pub fn poster(root: &Path, file: &Path) -> Result<(Vec<u8>, String, Vec<Diagnostic>), Vec<Diagnostic>> {
    let shown = file.to_path_buf();
    let Ok(wanted) = file.canonicalize() else {
        return Err(vec![Diagnostic::error(&shown, 1, 1, "no such file")]);
    };
    // content/cases/<folder>/index.<lang>.md: the site root is three folders up
    let site_root = wanted
        .ancestors()
        .nth(4)
        .filter(|r| wanted.strip_prefix(r.join("content/cases")).is_ok())
        .map_or_else(|| root.to_path_buf(), Path::to_path_buf);
    let (loaded, mut diags) = load(&site_root, None, true);
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
    let cache = Cache::none();
    let rendered =
        crate::poster::Posters::prepare(&l.site, &l.i18n, &l.poster_style, &cache, &[i]).and_then(|p| p.render(i));
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
