//! Stage 3, render: a function of the site model and the theme that emits
//! every output file (pages, feeds, sitemap, copied files) to a [`Sink`].
//! Pages render in parallel; lists shared by many pages are built once.

mod context;
mod files;

pub use context::{Alternate, alternates_of_case, alternates_of_home};

use crate::diagnostic::Diagnostic;
use crate::i18n::I18n;
use crate::model::Site;
use crate::poster::{self, Cache, PosterStyle};
use crate::theme::{Origin, Theme};
use rayon::prelude::*;
use std::io;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Where rendered files go: a folder on disk for `build`, memory for `serve`.
/// Paths are relative to the output root, with `/` separators.
pub trait Sink: Sync {
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()>;
    /// Copies a file of the site folder as it is.
    fn copy(&self, rel: &str, from: &Path) -> io::Result<()>;
}

/// What a render produced, for the summary line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub pages: usize,
    pub posters: usize,
    pub files: usize,
}

/// Renders the whole site into `sink`. Returns the counts and every problem
/// (template errors, write errors, fallback warnings).
pub fn render(
    site: &Site,
    theme: &Theme,
    i18n: &I18n,
    poster_style: &PosterStyle,
    cache: &Cache,
    sink: &dyn Sink,
) -> (Summary, Vec<Diagnostic>) {
    let shared = context::Shared::new(site, i18n);
    let out_error =
        |rel: &str, e: io::Error| Diagnostic::error(rel, 1, 1, format!("cannot write the output file: {e}"));
    let posters = AtomicUsize::new(0);
    let with_strategy: Vec<usize> = (0..site.pages.len()).filter(|&i| site.pages[i].fm.strategy.is_some()).collect();
    let prepared = match poster::Posters::prepare(site, i18n, poster_style, cache, &with_strategy) {
        Ok(p) => p,
        Err(d) => return (Summary::default(), vec![d]),
    };

    // each case page with its poster: the page links the poster with its size
    let mut diags: Vec<Diagnostic> = site
        .pages
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, page)| {
            let mut diags = Vec::new();
            let mut link = None;
            if page.fm.strategy.is_some() {
                match prepared.poster(i) {
                    Ok((made, warnings)) => {
                        diags.extend(warnings);
                        let rel = format!("{}{}", page.url, poster::file_name(page));
                        let (written, size) = match made {
                            poster::Poster::Rendered(bytes) => (sink.write(&rel, &bytes), bytes.len()),
                            poster::Poster::Cached { path, size } => (sink.copy(&rel, &path), size),
                        };
                        match written {
                            Ok(()) => {
                                posters.fetch_add(1, Ordering::Relaxed);
                                link = Some((site.config.base.root(&rel), size));
                            }
                            Err(e) => diags.push(out_error(&rel, e)),
                        }
                    }
                    Err(d) => diags.push(d),
                }
            }
            let rel = format!("{}index.html", page.url);
            match theme.render("case.html", &shared.case_context(i, link)) {
                Ok(html) => diags.extend(sink.write(&rel, html.as_bytes()).err().map(|e| out_error(&rel, e))),
                Err(d) => diags.push(d),
            }
            diags
        })
        .collect();
    let posters = posters.into_inner();
    let mut pages = site.pages.len();

    let mut singles: Vec<(String, &str, tera::Context)> = Vec::new();
    for lang in 0..site.config.languages.len() {
        singles.push((format!("{}index.html", site.home_url(lang)), "home.html", shared.home_context(lang)));
    }
    singles.push(("index.html".into(), "languages.html", shared.root_context()));
    singles.push(("404.html".into(), "404.html", shared.not_found_context()));
    for (rel, template, ctx) in &singles {
        match theme.render(template, ctx) {
            Ok(html) => {
                if let Err(e) = sink.write(rel, html.as_bytes()) {
                    diags.push(out_error(rel, e));
                }
                pages += 1;
            }
            Err(d) => diags.push(d),
        }
    }

    let mut files_written = pages + posters;
    for (rel, bytes) in files::site_files(site, i18n) {
        match sink.write(&rel, bytes.as_bytes()) {
            Ok(()) => files_written += 1,
            Err(e) => diags.push(out_error(&rel, e)),
        }
    }
    let copied: Vec<Result<(), Diagnostic>> = theme
        .statics
        .par_iter()
        .map(|(rel, origin)| {
            match origin {
                Origin::Builtin(bytes) => sink.write(rel, bytes),
                Origin::File(path) => sink.copy(rel, path),
            }
            .map_err(|e| out_error(rel, e))
        })
        .chain(
            site.assets
                .par_iter()
                .map(|(from, rel)| sink.copy(rel, &site.root.join(from)).map_err(|e| out_error(rel, e))),
        )
        .collect();
    for r in copied {
        match r {
            Ok(()) => files_written += 1,
            Err(d) => diags.push(d),
        }
    }
    diags.extend(i18n.fallback_warnings());
    (Summary { pages, posters, files: files_written }, diags)
}
