//! Stage 3, render: a function of the site model and the theme that emits
//! every output file (pages, feeds, sitemap, copied files) to a [`Sink`].
//! Pages render in parallel; lists shared by many pages are built once.

mod context;
mod files;
mod plan;

pub use context::{Alternate, alternates_of_case, alternates_of_home, alternates_of_tag, alternates_of_tags};

use crate::cache::Cache;
use crate::diagnostic::Diagnostic;
use crate::images::{Made, Resize};
use crate::poster;
use crate::theme::Origin;
use rayon::prelude::*;
use std::collections::HashMap;
use std::io;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A loaded and validated site with its theme, messages and poster style:
/// what rendering reads (made by [`crate::pipeline`]).
pub struct Input {
    pub site: crate::model::Site,
    pub theme: std::sync::Arc<crate::theme::Theme>,
    pub i18n: std::sync::Arc<crate::i18n::I18n>,
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
    pub files: usize,
    /// Image files resized by this render (the others came from the cache).
    pub resized: usize,
}

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

/// What writing one image's resized files came to.
struct Resized {
    /// Files written, or kept from the previous render.
    files: usize,
    /// Files resized now.
    made: usize,
    problem: Option<Diagnostic>,
}

/// Writes the resized files of one image file: those of an unchanged
/// fingerprint are left out, the others taken from the cache or made.
fn write_resized(
    site: &crate::model::Site,
    job: &Resize,
    cache: &Cache,
    sink: &dyn Sink,
    unchanged: &dyn Fn(&str, u64) -> bool,
    remember: &dyn Fn(String, u64),
) -> Resized {
    let mut r = Resized { files: 0, made: 0, problem: None };
    let mut widths: Vec<u32> = Vec::new();
    for (&w, rels) in &job.outputs {
        let fp = job.fingerprint(w);
        if rels.iter().all(|rel| unchanged(rel, fp)) {
            r.files += rels.len();
            rels.iter().for_each(|rel| remember(rel.clone(), fp));
        } else {
            widths.push(w);
        }
    }
    if !sink.keeps_bytes() {
        // a sink that notes names only: no image needs making
        for rel in widths.iter().flat_map(|w| &job.outputs[w]) {
            r.files += usize::from(sink.write(rel, &[]).is_ok());
        }
        return r;
    }
    let made = match job.make(&site.root, cache, &widths) {
        Ok(made) => made,
        Err(why) => {
            let at = crate::diagnostic::display_path(&site.root, &job.source);
            r.problem = Some(Diagnostic::error(at, 1, 1, why.message).with_hint(why.hint));
            return r;
        }
    };
    for (w, file) in made {
        r.made += usize::from(matches!(file, Made::Bytes(_)));
        for rel in &job.outputs[&w] {
            let written = match &file {
                Made::Bytes(bytes) => sink.write(rel, bytes),
                Made::Cached(hit) => sink.link(rel, &hit.path),
            };
            match written {
                Ok(()) => {
                    r.files += 1;
                    remember(rel.clone(), job.fingerprint(w));
                }
                Err(e) => r.problem = Some(out_error(rel, e)),
            }
        }
    }
    r
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
    let posters = AtomicUsize::new(0);
    let prepared = poster::Posters::new(site, i18n, poster_style, cache);
    let unchanged = |rel: &str, fp: u64| previous.is_some_and(|p| p.get(rel) == Some(&fp));
    let fingerprints = Mutex::new(Fingerprints::with_capacity(site.pages.len() + site.homes.len()));
    let remember = |rel: String, fp: u64| {
        fingerprints.lock().unwrap_or_else(|e| e.into_inner()).insert(rel, fp);
    };
    let cards = plan::cards(site);

    // each case page with its poster: the page links the poster with its size
    let mut diags: Vec<Diagnostic> = site
        .pages
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, page)| {
            let mut diags = Vec::new();
            let rel = format!("{}index.html", page.url);
            let fp = plan::case(site, i, &cards, prepared.fingerprint());
            let poster_rel = page.fm.strategy.is_some().then(|| crate::urls::poster(&page.url, &page.slug));
            if unchanged(&rel, fp) {
                if let Some(poster_rel) = poster_rel {
                    posters.fetch_add(1, Ordering::Relaxed);
                    remember(poster_rel, fp);
                }
                remember(rel, fp);
                return diags;
            }
            let mut link = None;
            if let Some(rel) = poster_rel {
                match prepared.poster(i) {
                    Ok((made, warnings)) => {
                        diags.extend(warnings);
                        let (written, size) = match made {
                            poster::Poster::Rendered(bytes) => (sink.write(&rel, &bytes), bytes.len()),
                            poster::Poster::Cached { path, size } => (sink.link(&rel, &path), size),
                        };
                        match written {
                            Ok(()) => {
                                posters.fetch_add(1, Ordering::Relaxed);
                                link = Some((site.config.base.root(&rel), size));
                                remember(rel, fp);
                            }
                            Err(e) => diags.push(out_error(&rel, e)),
                        }
                    }
                    Err(d) => diags.push(d),
                }
            }
            match theme.render("case.html", &shared.case_context(i, link)) {
                Ok(html) => diags.extend(sink.write(&rel, html.as_bytes()).err().map(|e| out_error(&rel, e))),
                Err(d) => diags.push(d),
            }
            remember(rel, fp);
            diags
        })
        .collect();
    let posters = posters.into_inner();
    let mut pages = site.pages.len();

    // the pages made of many cases: homes, tag pages, and the pages of the site itself
    let mut singles: Vec<(String, Single)> = Vec::new();
    let mut keep = |rel: String, fp: u64, which: Single, singles: &mut Vec<(String, Single)>| {
        if unchanged(&rel, fp) {
            pages += 1;
        } else {
            singles.push((rel.clone(), which));
        }
        remember(rel, fp);
    };
    for lang in 0..site.config.languages.len() {
        keep(
            format!("{}index.html", site.home_url(lang)),
            plan::home(site, lang, &cards),
            Single::Home(lang),
            &mut singles,
        );
        keep(format!("{}index.html", site.tags_url(lang)), plan::tags(site, lang), Single::Tags(lang), &mut singles);
        for (t, tag) in site.tags[lang].iter().enumerate() {
            keep(format!("{}index.html", tag.url), plan::tag(tag, &cards), Single::Tag(lang, t), &mut singles);
        }
    }
    singles.push((crate::urls::ROOT.into(), Single::Root));
    singles.push((crate::urls::NOT_FOUND.into(), Single::NotFound));
    let rendered: Vec<Result<(), Diagnostic>> = singles
        .par_iter()
        .map(|(rel, which)| {
            let (template, ctx) = match *which {
                Single::Home(lang) => ("home.html", shared.home_context(lang)),
                Single::Tags(lang) => ("tags.html", shared.tags_context(lang)),
                Single::Tag(lang, t) => ("tag.html", shared.tag_context(lang, t)),
                Single::Root => ("languages.html", shared.root_context()),
                Single::NotFound => ("404.html", shared.not_found_context()),
            };
            let html = theme.render(template, &ctx)?;
            sink.write(rel, html.as_bytes()).map_err(|e| out_error(rel, e))
        })
        .collect();
    for r in rendered {
        match r {
            Ok(()) => pages += 1,
            Err(d) => diags.push(d),
        }
    }

    let mut files_written = pages + posters;
    let sitemap_fp = plan::sitemap(site);
    let sitemap_names = files::sitemap_names(site);
    let sitemaps = if sitemap_names.iter().all(|rel| unchanged(rel, sitemap_fp)) {
        files_written += sitemap_names.len();
        Vec::new()
    } else {
        files::sitemaps(site)
    };
    for rel in sitemap_names {
        remember(rel, sitemap_fp);
    }
    for (rel, bytes) in sitemaps.into_iter().chain(files::site_files(site, i18n)) {
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
    let mut resized = 0;
    let images: Vec<Resized> =
        site.resizes.par_iter().map(|job| write_resized(site, job, cache, sink, &unchanged, &remember)).collect();
    for r in images {
        files_written += r.files;
        resized += r.made;
        diags.extend(r.problem);
    }
    diags.extend(i18n.fallback_warnings());
    collapse_write_errors(&mut diags, sink);
    Rendered {
        summary: Summary { pages, posters, files: files_written, resized },
        diagnostics: diags,
        fingerprints: fingerprints.into_inner().unwrap_or_else(|e| e.into_inner()),
    }
}
