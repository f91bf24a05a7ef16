//! What each output of a render was made from, kept for the next render
//! of the same site ([`super::plan`] works the fingerprints out).

use super::Summary;
use crate::model::{CasePage, Site};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::Arc;

/// What each output of a render was made from: a render after a change
/// leaves out the outputs whose fingerprint is unchanged (they are not
/// written; the caller keeps its copy). The case pages' files are kept by
/// page, not by path: a page that is the same (`Arc`) at the same place,
/// with the same neighbours, is left out without its fingerprint or paths
/// being worked out ([`Fingerprints::quiet`]).
#[derive(Clone, Default)]
pub struct Fingerprints {
    /// Every other output by path (`None`: made every time).
    pub(super) paths: FxHashMap<String, Option<u64>>,
    /// The case pages in order, each with the fingerprint of its files
    /// ([`super::plan::case`], `None` until made); empty when the render
    /// does not make them.
    pub(super) cases: Vec<(Arc<CasePage>, Option<u64>)>,
    /// The other inputs of every case page: what every poster is made
    /// with, the people ([`super::plan::people_digest`]), whether posters
    /// have a print file.
    pub(super) posters: u64,
    pub(super) people: u64,
    pub(super) print: bool,
}

impl Fingerprints {
    /// Whether the render made the file at `path` with this fingerprint.
    pub(super) fn same_path(&self, path: &str, fingerprint: u64) -> bool {
        self.paths.get(path) == Some(&Some(fingerprint))
    }

    /// Whether the render made the case page at `i` with this fingerprint
    /// (which holds the page's digest, made of its file's path and text:
    /// the page's addresses are the same too).
    pub(super) fn same_case(&self, i: usize, fingerprint: u64) -> bool {
        self.cases.get(i).is_some_and(|(_, fp)| *fp == Some(fingerprint))
    }

    /// For each case page of `site`, whether it is sure to come out as this
    /// render made it: the same page (`Arc`) at the same place, whose
    /// translations and related cases are too, made with the same people
    /// and poster style; and what the quiet ones add to the summary. None
    /// is when there is nothing to compare with, or an alias on some page
    /// (aliases are checked against every file).
    pub(super) fn quiet(&self, site: &Site, posters: u64, people: u64, print: bool) -> (Vec<bool>, Summary) {
        let pages = &site.pages;
        if self.cases.is_empty() || (self.posters, self.people, self.print) != (posters, people, print) {
            return Default::default();
        }
        let changed: Vec<bool> = (pages.iter().enumerate())
            .map(|(i, p)| self.cases.get(i).is_none_or(|(was, _)| !Arc::ptr_eq(was, p)))
            .collect();
        let quiet: Option<Vec<bool>> = (pages.par_iter().zip(&changed))
            .map(|(p, &itself)| {
                let mut neighbours = p.translations.iter().chain(&p.related);
                p.aliases.is_empty().then(|| !itself && neighbours.all(|&t| !changed[t]))
            })
            .collect();
        let Some(quiet) = quiet else { return Default::default() };
        let summary = (pages.par_iter().zip(&quiet).filter(|(_, q)| **q))
            .map(|(p, _)| super::case::unchanged(p, print))
            .reduce(Summary::default, |mut a, b| {
                a += b;
                a
            });
        (quiet, summary)
    }

    /// The files of this render's outputs that `before`'s had and this
    /// one has not.
    pub fn gone_since(&self, before: &Fingerprints) -> Vec<String> {
        let mut gone: Vec<String> = before.paths.keys().filter(|p| !self.paths.contains_key(*p)).cloned().collect();
        // the case pages not where they were: their files, then and now
        let was: Vec<String> =
            moved(&before.cases, &self.cases).flat_map(|p| super::case::files(p, before.print)).collect();
        if !was.is_empty() {
            let now: FxHashSet<String> =
                moved(&self.cases, &before.cases).flat_map(|p| super::case::files(p, self.print)).collect();
            gone.extend(was.into_iter().filter(|p| !now.contains(p) && !self.paths.contains_key(p)));
        }
        gone
    }

    /// Every file of this render's outputs.
    pub fn files(&self) -> FxHashSet<String> {
        let cases = self.cases.iter().flat_map(|(p, _)| super::case::files(p, self.print));
        self.paths.keys().cloned().chain(cases).collect()
    }

    /// Takes in a job made, or left out as it was.
    pub(super) fn remember(&mut self, job: super::Job) {
        match job.make.page() {
            Some(i) => {
                if let Some((_, fp)) = self.cases.get_mut(i) {
                    *fp = job.fingerprint;
                }
            }
            None => self.paths.extend(job.paths.into_iter().map(|p| (p, job.fingerprint))),
        }
    }

    /// Every file made with a fingerprint, and it (what a build keeps for
    /// the next: [`crate::write::made`]).
    pub fn files_made(&self) -> impl Iterator<Item = (String, u64)> + '_ {
        let paths = self.paths.iter().filter_map(|(p, fp)| Some((p.clone(), (*fp)?)));
        let cases = (self.cases.iter())
            .filter_map(|(p, fp)| Some(super::case::files(p, self.print).zip(std::iter::repeat((*fp)?))));
        paths.chain(cases.flatten())
    }

    /// The fingerprints of these files, as [`Fingerprints::files_made`]
    /// gave them.
    pub fn of_files(files: Vec<(String, u64)>) -> Fingerprints {
        let paths = files.into_iter().map(|(p, fp)| (p, Some(fp))).collect();
        Fingerprints { paths, ..Fingerprints::default() }
    }

    /// Takes in what a render of other outputs (the search index) made.
    pub fn extend(&mut self, other: Fingerprints) {
        self.paths.extend(other.paths);
    }
}

/// The case pages of `at` that are not at the same place in `other`.
fn moved<'a>(
    at: &'a [(Arc<CasePage>, Option<u64>)],
    other: &'a [(Arc<CasePage>, Option<u64>)],
) -> impl Iterator<Item = &'a CasePage> {
    (at.iter().enumerate())
        .filter(|(i, (p, _))| other.get(*i).is_none_or(|(o, _)| !Arc::ptr_eq(o, p)))
        .map(|(_, (p, _))| &**p)
}
