//! Every address of the output, in one place. Each function gives a path
//! relative to the output root (`nl/cases/bavel/`), which is both where the
//! file is written and, behind the base URL, its address
//! ([`crate::model::config::BaseUrl::root`] for links, [`crate::model::config::BaseUrl::abs`]
//! for permalinks). validate, render, check, serve and the poster all ask
//! here, so a new kind of output adds one function.

use crate::model::config::Language;

/// The page that lets a visitor choose a language.
pub const ROOT: &str = "index.html";
/// The page every host serves for a missing address.
pub const NOT_FOUND: &str = "404.html";
pub const ROBOTS: &str = "robots.txt";
/// The sitemap, or the index of its parts when it is split.
pub const SITEMAP: &str = "sitemap.xml";

/// The web editor's page and its configuration (with `cms:` in `site.yaml`).
pub const CMS_PAGE: &str = "admin/index.html";
pub const CMS_CONFIG: &str = "admin/config.yml";
/// Where `serve` answers the web editor's local-backend protocol (not a
/// file of the output).
pub const CMS_API: &str = "api/v1";

/// Part `n` (from 1) of a sitemap split in several files.
pub fn sitemap_part(n: usize) -> String {
    format!("sitemap-{n}.xml")
}

/// The file of the page at a folder address: `nl/cases/bavel/index.html`.
pub fn page_file(url: &str) -> String {
    format!("{url}index.html")
}

/// A language's home: `nl/`.
pub fn home(l: &Language) -> String {
    format!("{}/", l.code)
}

/// A language's Atom feed: `nl/feed.xml`.
pub fn feed(l: &Language) -> String {
    format!("{}/feed.xml", l.code)
}

/// How many cases a page of a language's list of cases shows.
pub const CASES_PER_PAGE: usize = 24;

/// Page `n` (from 1) of a language's list of cases: `nl/cases/`, then
/// `nl/cases/page/2/` (a case with the slug `page` keeps its own page:
/// these are folders below it).
pub fn section(l: &Language, n: usize) -> String {
    if n <= 1 { format!("{}/{}/", l.code, l.section) } else { format!("{}/{}/page/{n}/", l.code, l.section) }
}

/// A case page: `nl/cases/<slug>/`.
pub fn case(l: &Language, slug: &str) -> String {
    format!("{}/{}/{slug}/", l.code, l.section)
}

/// A file of a case folder, beside each of the case's pages
/// (`inner` is its path inside the folder).
pub fn case_file(case_url: &str, inner: &str) -> String {
    format!("{case_url}{inner}")
}

/// The files of a case's poster: site vocabulary (what a case's folder
/// holds), which the poster makes and the addresses name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PosterFile {
    /// `<slug>-a3.pdf`, which the page links: tagged, RGB.
    Screen,
    /// `<slug>-a3-print.pdf`, for the print shop: bleed, crop marks, CMYK, PDF/X-4.
    Print,
    /// `<slug>-a3.png`, the page's picture of the poster ([`PREVIEW`] pixels).
    Preview,
}

/// The size in pixels of a share image (Open Graph, LinkedIn, X).
pub const SHARE: (u32, u32) = (1200, 630);

/// The size in pixels of a poster's preview: A3 at 600 pixels wide.
pub const PREVIEW: (u32, u32) = (600, 848);

/// A case's A3 poster, beside its page: `nl/cases/<slug>/<slug>-a3.pdf`
/// (the print file `<slug>-a3-print.pdf`).
pub fn poster(case_url: &str, slug: &str, kind: PosterFile) -> String {
    format!("{case_url}{}", poster_name(slug, kind))
}

/// The file name of a case's poster: `<slug>-a3.pdf`, `<slug>-a3-print.pdf`.
pub fn poster_name(slug: &str, kind: PosterFile) -> String {
    match kind {
        PosterFile::Screen => format!("{slug}-a3.pdf"),
        PosterFile::Print => format!("{slug}-a3-print.pdf"),
        PosterFile::Preview => format!("{slug}-a3.png"),
    }
}

/// The share image of a case, beside its page.
pub fn share(case_url: &str, slug: &str) -> String {
    format!("{case_url}{slug}-share.png")
}

/// The share image of a language's home.
pub fn home_share(l: &Language) -> String {
    format!("{}/share.png", l.code)
}

/// The address an alias of a case page in language `l` names: an earlier
/// slug (`old` → `nl/cases/old/`) or an address below the site, a folder
/// or an HTML file (`/nl/cases/old/`, `/oud/case.html`); `None` when it is
/// neither.
pub fn alias(l: &Language, written: &str) -> Option<String> {
    let Some(path) = written.strip_prefix('/') else {
        return crate::model::config::valid_slug(written).then(|| case(l, written));
    };
    let folder = path.ends_with('/');
    let segment = |s: &str| {
        !s.is_empty() && !s.starts_with('.') && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
    };
    let segments: Vec<&str> = path.strip_suffix('/').unwrap_or(path).split('/').collect();
    if path.is_empty() || !segments.iter().all(|s| segment(s)) {
        return None;
    }
    match segments.last() {
        _ if folder => Some(path.to_string()),
        Some(last) if last.ends_with(".html") => Some(path.to_string()),
        Some(last) if !last.contains('.') => Some(format!("{path}/")),
        _ => None,
    }
}

/// The folder of a language's search index: `search/nl/`.
pub fn search(l: &Language) -> String {
    format!("search/{}/", l.code)
}

/// A file of a language's search index: its description (`meta.json`),
/// the values its cases can be filtered by (`filters.json`), part `n` of its
/// vocabulary (`w/<n>.json`) or of its documents (`d/<n>.json`).
pub fn search_file(l: &Language, file: SearchFile) -> String {
    match file {
        SearchFile::Meta => format!("{}meta.json", search(l)),
        SearchFile::Filters => format!("{}filters.json", search(l)),
        SearchFile::Words(n) => format!("{}w/{n}.json", search(l)),
        SearchFile::Documents(n) => format!("{}d/{n}.json", search(l)),
    }
}

/// The files of a search index ([`search_file`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchFile {
    Meta,
    Filters,
    Words(usize),
    Documents(usize),
}

/// The rules for hosts that redirect (Netlify, Cloudflare Pages).
pub const REDIRECTS: &str = "_redirects";

/// The response headers for hosts that read them (Netlify, Cloudflare Pages).
pub const HEADERS: &str = "_headers";

/// A file of `content/people/` (a photo): `people/<inner>`.
pub fn person_file(inner: &str) -> String {
    format!("people/{inner}")
}

/// The overview of a language's tags: `nl/trefwoorden/`.
pub fn tags(l: &Language) -> String {
    format!("{}/{}/", l.code, l.tags)
}

/// A tag's page, from the tag's slug: `nl/trefwoorden/<slug>/`.
pub fn tag(l: &Language, slug: &str) -> String {
    format!("{}/{}/{slug}/", l.code, l.tags)
}

/// The overview of the values of a declared filter: `nl/sector/`.
pub fn field(l: &Language, key: &str) -> String {
    format!("{}/{key}/", l.code)
}

/// The page of a value of a declared filter, from the value's slug:
/// `nl/sector/<slug>/`.
pub fn field_value(l: &Language, key: &str, slug: &str) -> String {
    format!("{}/{key}/{slug}/", l.code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dutch() -> Language {
        Language {
            code: "nl".into(),
            name: "Nederlands".into(),
            section: "cases".into(),
            tags: "trefwoorden".into(),
            at: None,
        }
    }

    #[test]
    fn every_address_has_its_shape() {
        let nl = dutch();
        assert_eq!(home(&nl), "nl/");
        assert_eq!(page_file(&home(&nl)), "nl/index.html");
        assert_eq!(feed(&nl), "nl/feed.xml");
        let case = case(&nl, "bavel");
        assert_eq!(case, "nl/cases/bavel/");
        assert_eq!(case_file(&case, "kaart/noord.svg"), "nl/cases/bavel/kaart/noord.svg");
        assert_eq!(poster(&case, "bavel", PosterFile::Screen), "nl/cases/bavel/bavel-a3.pdf");
        assert_eq!(poster(&case, "bavel", PosterFile::Print), "nl/cases/bavel/bavel-a3-print.pdf");
        assert_eq!(person_file("eefje.png"), "people/eefje.png");
        assert_eq!(tags(&nl), "nl/trefwoorden/");
        assert_eq!(section(&nl, 1), "nl/cases/");
        assert_eq!(section(&nl, 3), "nl/cases/page/3/");
        assert_eq!(tag(&nl, "participatie"), "nl/trefwoorden/participatie/");
        assert_eq!(sitemap_part(2), "sitemap-2.xml");
        assert_eq!(search_file(&nl, SearchFile::Meta), "search/nl/meta.json");
        assert_eq!(search_file(&nl, SearchFile::Filters), "search/nl/filters.json");
        assert_eq!(search_file(&nl, SearchFile::Words(3)), "search/nl/w/3.json");
        assert_eq!(search_file(&nl, SearchFile::Documents(0)), "search/nl/d/0.json");
    }

    #[test]
    fn an_alias_is_a_slug_or_a_folder_or_page_below_the_site() {
        let nl = dutch();
        assert_eq!(alias(&nl, "oud").as_deref(), Some("nl/cases/oud/"));
        assert_eq!(alias(&nl, "/nl/cases/oud/").as_deref(), Some("nl/cases/oud/"));
        assert_eq!(alias(&nl, "/Projecten/Oud").as_deref(), Some("Projecten/Oud/"));
        assert_eq!(alias(&nl, "/oud/case.html").as_deref(), Some("oud/case.html"));
        for wrong in ["Oud", "oud/", "/", "", "/nl//oud/", "/nl/../oud/", "/.git/", "/oud.pdf", "/oud?x=1", "/o d/"] {
            assert_eq!(alias(&nl, wrong), None, "{wrong}");
        }
    }
}
