//! What a build published, remembered in the output folder: the address of
//! every case page. The next build into the same folder compares, and warns
//! about a case whose address changed without an alias keeping the old one
//! working (links already shared, search results, printed posters).

use crate::diagnostic::Diagnostic;
use crate::model::Site;
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

/// The file in the output folder (a dot file: builds keep it, hosts need not serve it).
pub const FILE: &str = ".vitrine.published";

const HEADER: &str = "# vitrine: the address of each case page of the last build (case folder, language, address)\n";

/// The addresses of this build's case pages, as [`moved`] reads them.
pub fn manifest(site: &Site) -> String {
    let mut out = String::with_capacity(HEADER.len() + site.pages.len() * 64);
    out.push_str(HEADER);
    for p in &site.pages {
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
        let message = format!(
            "the address of this case changed since the last build into this output folder: {old} is now {}",
            p.url
        );
        let d = Diagnostic::warning(&p.source, 1, 1, message);
        if taken.contains(old) {
            diags.push(d.with_hint(format!("{old} is now the address of another case, so links to it lead there")));
            continue;
        }
        // an earlier slug of the same section is written as the slug, any other address as a path
        let slug = old.strip_suffix('/').and_then(|o| o.rsplit_once('/')).map(|(_, slug)| slug);
        let alias = match slug {
            Some(slug) if crate::config::valid_slug(slug) && crate::urls::case(lang, slug) == old => slug.to_string(),
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
