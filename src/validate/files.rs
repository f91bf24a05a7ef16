//! The files of case folders and people: which are published, and which
//! images cannot be shown.

use crate::diagnostic::{Diagnostic, display_path};
use crate::images::Picture;
use crate::model::{CasePage, urls};
use rustc_hash::FxHashSet;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The files copied to the output: people's files, and the files of case
/// folders that a page shows or links (`linked`), beside every version of
/// the case; the others are left out with one warning per case. Also the
/// files published, each once.
pub(super) fn published<'s>(
    root: &Path,
    sources: &'s [crate::load::Asset],
    folders: &super::links::Folders,
    urls: &[String],
    linked: &FxHashSet<(String, String)>,
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
pub(super) fn picture(asset: &crate::load::Asset, original: String, ladder: &[u32]) -> Option<Picture> {
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
pub(super) fn unusable_images(
    root: &Path,
    assets: &[&crate::load::Asset],
    people: &[Arc<crate::load::PersonSource>],
    pages: &[Arc<CasePage>],
) -> Vec<Diagnostic> {
    // (case folder or none for people, file name) of every image shown
    let mut shown: FxHashSet<(Option<&str>, &str)> = FxHashSet::default();
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
