//! A case's page with its share image, and when it has a strategy its A3
//! poster and the poster's preview; the poster's print file apart. Made
//! from the case (and what its page lists, [`super::plan::case`]) and what
//! every poster is made with.

use super::{Done, Env, Job, Make, Planning, Summary, context};
use crate::model::urls::{self, PosterFile};
use crate::model::{CasePage, Site};
use rayon::prelude::*;
use std::sync::atomic::Ordering;

/// Where a case job's files are in its paths, after the page.
const SHARE_AT: usize = 1;
const POSTER_AT: usize = 2;
const PREVIEW_AT: usize = 3;

/// Case page `i` and its pictures and poster (at [`SHARE_AT`],
/// [`POSTER_AT`], [`PREVIEW_AT`]).
struct Case(usize);

/// The print file of case page `i`'s poster.
struct Print(usize);

pub(super) fn plan<'s>(p: &Planning<'s>) -> Vec<Job<'s>> {
    let site = p.site;
    let print = site.config.print_posters;
    // (the search index is made after a render that planned and checked them)
    if p.part == super::Part::Later {
        return Vec::new();
    }
    // the case pages' fingerprints hash every page: in parallel; the
    // quiet ones are left out before any is worked out
    (site.pages.par_iter().enumerate())
        .filter(|(i, _)| !p.quiet.get(*i).is_some_and(|q| *q))
        .flat_map_iter(|(i, page)| {
            let fingerprint = Some(super::plan::case(site, i, &p.cards, &p.people, p.posters));
            let (paths, print) = paths(page, print);
            let print = print.map(|path| Job::new(vec![path], fingerprint, Print(i)));
            std::iter::once(Job::new(paths, fingerprint, Case(i))).chain(print)
        })
        .collect()
}

/// The files of a case page's job (the page, its share image, its poster
/// and preview at [`SHARE_AT`], [`POSTER_AT`], [`PREVIEW_AT`]), and of its
/// print job (with `print`, for a case with a strategy).
fn paths(page: &CasePage, print: bool) -> (Vec<String>, Option<String>) {
    let poster = |kind| urls::poster(&page.url, &page.slug, kind);
    let mut paths = vec![urls::page_file(&page.url), urls::share(&page.url, &page.slug)];
    let strategy = page.fm.strategy.is_some();
    if strategy {
        paths.extend([poster(PosterFile::Screen), poster(PosterFile::Preview)]);
    }
    (paths, (strategy && print).then(|| poster(PosterFile::Print)))
}

/// Every file a case page's jobs make.
pub(super) fn files(page: &CasePage, print: bool) -> impl Iterator<Item = String> {
    let (paths, print) = paths(page, print);
    paths.into_iter().chain(print)
}

/// What a case page's jobs add to the summary when they are left out.
pub(super) fn unchanged(page: &CasePage, print: bool) -> Summary {
    let strategy = usize::from(page.fm.strategy.is_some());
    let print = strategy * usize::from(print);
    Summary { pages: 1, posters: strategy, print, files: 2 + 2 * strategy + print, ..Summary::default() }
}

impl Make for Case {
    fn make(&self, env: &Env, paths: &[String], done: &mut Done) -> bool {
        let i = self.0;
        // the page names its share image, links the poster with its size, shows its preview
        let mut files = context::CaseFiles::default();
        let share = &paths[SHARE_AT];
        let mut ok = env.picture(|| env.pictures.share(i), share, done).is_some();
        files.share = ok.then_some(share.as_str());
        // the poster and its preview are laid out once
        let mut laid = None;
        if let Some(rel) = paths.get(POSTER_AT) {
            let made = env.posters.poster_laid_out(i, PosterFile::Screen, &mut laid);
            match env.put(made, rel, done) {
                Some(size) => {
                    done.summary.posters += 1;
                    files.poster = Some((rel.as_str(), size));
                }
                None => ok = false,
            }
        }
        if let Some(rel) = paths.get(PREVIEW_AT) {
            let made = env.picture(|| env.pictures.preview(i, &mut laid), rel, done);
            files.preview = made.map(|_| rel.as_str());
            ok &= made.is_some();
        }
        done.summary.pages += 1;
        ok & env.page("case.html", &env.shared.case_context(i, &files), &paths[0], done)
    }

    fn describe(&self, site: &Site, paths: &[String], path: &str, of: usize) -> String {
        let page = &site.pages[self.0];
        match () {
            () if paths[0] == path && self.0 == of => "this page itself: it is its address now".into(),
            () if paths[0] == path => format!("the page of {}", page.source.display()),
            () => format!("{path}, a file of {}", page.source.display()),
        }
    }

    fn unchanged(&self, paths: &[String]) -> Summary {
        let posters = usize::from(paths.len() > POSTER_AT);
        Summary { pages: 1, posters, files: paths.len(), ..Summary::default() }
    }

    fn page(&self) -> Option<usize> {
        Some(self.0)
    }
}

impl Make for Print {
    fn make(&self, env: &Env, paths: &[String], done: &mut Done) -> bool {
        // once per render that makes print files: the colours they convert
        if !env.printing.swap(true, Ordering::Relaxed) {
            done.diagnostics.extend(env.poster_style.converted_colors());
        }
        let made = env.put(env.posters.poster(self.0, PosterFile::Print), &paths[0], done);
        done.summary.print += usize::from(made.is_some());
        made.is_some()
    }

    fn describe(&self, site: &Site, _: &[String], path: &str, _: usize) -> String {
        format!("{path}, a file of {}", site.pages[self.0].source.display())
    }

    fn unchanged(&self, paths: &[String]) -> Summary {
        Summary { print: 1, files: paths.len(), ..Summary::default() }
    }

    fn page(&self) -> Option<usize> {
        Some(self.0)
    }
}
