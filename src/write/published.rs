//! What a build published, remembered in the site folder (`published.tsv`,
//! committed with the site, so a build from a fresh clone in CI knows it
//! too; never in the output, so no deploy uploads it): the address of every
//! case page. The next build compares, and warns about a case whose address
//! changed without an alias keeping the old one working (links already
//! shared, search results, printed posters).

use crate::diagnostic::Diagnostic;
use crate::model::Site;
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::path::Path;

/// The file in the site folder.
pub const FILE: &str = "published.tsv";

/// Where builds before this one kept it: in the output folder.
const OLD_FILE: &str = ".vitrine.published";

const HEADER: &str = "# vitrine: the address of each published case page at the last build (case folder, language, address).\n\
                      # Commit this file: a build compares with it and warns when a case moves without an alias.\n";

/// The addresses recorded by the last build: the site folder's record, or
/// the one an older vitrine left in `output`.
pub fn previous(root: &Path, output: &Path) -> String {
    std::fs::read_to_string(root.join(FILE))
        .or_else(|_| std::fs::read_to_string(output.join(OLD_FILE)))
        .unwrap_or_default()
}

/// Writes this build's record, when it differs from the one there (so
/// an unchanged site leaves the file, and its version control, alone).
pub fn remember(site: &Site) -> std::io::Result<()> {
    let path = site.root.join(FILE);
    let text = manifest(site);
    if std::fs::read_to_string(&path).is_ok_and(|t| t == text) {
        return Ok(());
    }
    let tmp = site.root.join(format!(".{FILE}.tmp"));
    std::fs::write(&tmp, &text)?;
    std::fs::rename(&tmp, &path)
}

/// The addresses of this build's published case pages (drafts left out),
/// as [`moved`] reads them.
pub fn manifest(site: &Site) -> String {
    let mut out = String::with_capacity(HEADER.len() + site.pages.len() * 64);
    out.push_str(HEADER);
    for p in site.pages.iter().filter(|p| !p.fm.draft) {
        let _ = writeln!(out, "{}\t{}\t{}", p.folder, site.config.languages[p.lang].code, p.url);
    }
    out
}

/// A warning for each case page whose address in `previous` (a
/// [`manifest`] of an earlier build) is neither its address now nor one of
/// its aliases, with the alias line to add.
pub fn moved(site: &Site, previous: &str) -> Vec<Diagnostic> {
    let before: HashMap<(&str, &str), &str> = previous
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let mut parts = l.split('\t');
            Some(((parts.next()?, parts.next()?), parts.next()?))
        })
        .collect();
    if before.is_empty() {
        return Vec::new();
    }
    let taken: HashSet<&str> = site.pages.iter().map(|p| p.url.as_str()).collect();
    let mut diags = Vec::new();
    for p in &site.pages {
        let lang = &site.config.languages[p.lang];
        let Some(&old) = before.get(&(p.folder.as_str(), lang.code.as_str())) else { continue };
        if old == p.url || p.aliases.iter().any(|a| a.url == old) {
            continue;
        }
        let message =
            format!("the address of this case changed since the last build (published.tsv): {old} is now {}", p.url);
        let d = Diagnostic::warning(&p.source, 1, 1, message);
        if taken.contains(old) {
            diags.push(d.with_hint(format!("{old} is now the address of another case, so links to it lead there")));
            continue;
        }
        // an earlier slug of the same section is written as the slug, any other address as a path
        let slug = old.strip_suffix('/').and_then(|o| o.rsplit_once('/')).map(|(_, slug)| slug);
        let alias = match slug {
            Some(slug) if crate::model::config::valid_slug(slug) && crate::model::urls::case(lang, slug) == old => {
                slug.to_string()
            }
            _ => format!("/{old}"),
        };
        let hint = if p.fm.aliases.is_empty() {
            format!("links already shared to the old address break: add `aliases: [{alias}]` to the front matter")
        } else {
            format!("links already shared to the old address break: add `{alias}` to its `aliases`")
        };
        diags.push(d.with_hint(hint));
    }
    diags
}
