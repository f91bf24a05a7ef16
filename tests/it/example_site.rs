//! Builds the repository's example site and checks the output as a visitor
//! and a search engine would see it.

use crate::common;

use crate::common::html::{Html, Selector};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const BASE: &str = "https://www.example.org/";

/// One build of the example site shared by the tests of this file.
fn out() -> &'static Path {
    static OUT: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &OUT.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let report = common::build(&common::example_root(), &out);
        assert!(report.summary.is_some(), "build failed: {:#?}", report.diagnostics);
        assert!(report.diagnostics.is_empty(), "warnings: {:#?}", report.diagnostics);
        (dir, out)
    })
    .1
}

fn page(rel: &str) -> Html {
    let path = out().join(rel);
    Html::parse_document(&std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

fn select<'a>(doc: &'a Html, css: &str) -> Vec<crate::common::html::ElementRef<'a>> {
    doc.select(&Selector::parse(css).unwrap()).collect()
}

/// The text of the elements as a reader sees it (soft hyphens are invisible).
fn text(doc: &Html, css: &str) -> String {
    let all: Vec<String> =
        select(doc, css).iter().map(|e| e.text().collect::<String>().replace('\u{AD}', "")).collect();
    all.join(" | ")
}

fn attr(doc: &Html, css: &str, name: &str) -> Option<String> {
    select(doc, css).first().and_then(|e| e.value().attr(name)).map(str::to_string)
}

const NL_MAIN: &str = "nl/cases/veiliger-thuis-midden-brabant/index.html";
const FR_MAIN: &str = "fr/projets/foyer-plus-sur-brabant-central/index.html";

#[test]
fn both_translations_of_the_main_case_are_at_their_contract_paths() {
    let nl = page(NL_MAIN);
    assert_eq!(attr(&nl, "html", "lang").as_deref(), Some("nl"));
    assert_eq!(text(&nl, "h1"), "Communicatiestrategie voor een ‘Veiliger Thuis’ in Midden-Brabant");
    // a long word of a title may break on a phone, between syllables, with a hyphen
    let h1: String = select(&nl, "h1")[0].text().collect();
    assert!(h1.starts_with("Com\u{AD}mu\u{AD}ni\u{AD}ca\u{AD}tie\u{AD}stra"), "{h1:?}");
    let fr = page(FR_MAIN);
    assert_eq!(attr(&fr, "html", "lang").as_deref(), Some("fr"));
    assert!(text(&fr, "h1").starts_with("Stratégie de communication"));
    assert!(text(&nl, "time").contains("1 maart 2020"));
    assert!(text(&fr, "time").contains("1 mars 2020"));
}

#[test]
fn hreflang_links_point_both_ways_with_x_default() {
    let nl_url = format!("{BASE}nl/cases/veiliger-thuis-midden-brabant/");
    let fr_url = format!("{BASE}fr/projets/foyer-plus-sur-brabant-central/");
    for rel in [NL_MAIN, FR_MAIN] {
        let doc = page(rel);
        assert_eq!(
            attr(&doc, r#"link[rel=alternate][hreflang=nl]"#, "href").as_deref(),
            Some(nl_url.as_str()),
            "{rel}"
        );
        assert_eq!(
            attr(&doc, r#"link[rel=alternate][hreflang=fr]"#, "href").as_deref(),
            Some(fr_url.as_str()),
            "{rel}"
        );
        assert_eq!(attr(&doc, r#"link[rel=alternate][hreflang=x-default]"#, "href").as_deref(), Some(nl_url.as_str()));
    }
    assert_eq!(attr(&page(NL_MAIN), "link[rel=canonical]", "href").as_deref(), Some(nl_url.as_str()));
    // the switch leads to the translation
    assert_eq!(
        attr(&page(NL_MAIN), ".lang-switch a[hreflang=fr]", "href").as_deref(),
        Some("/fr/projets/foyer-plus-sur-brabant-central/")
    );
    assert_eq!(
        attr(&page(FR_MAIN), ".lang-switch a[hreflang=nl]", "href").as_deref(),
        Some("/nl/cases/veiliger-thuis-midden-brabant/")
    );
}

#[test]
fn a_one_language_case_switches_to_the_other_home() {
    let doc = page("nl/cases/tuinzigtlaan-breda/index.html");
    assert_eq!(attr(&doc, ".lang-switch a[hreflang=fr]", "href").as_deref(), Some("/fr/"));
    let alternates = select(&doc, "link[rel=alternate][hreflang]");
    assert_eq!(alternates.len(), 2, "nl and x-default only");
    let doc = page("fr/projets/city-2-bruxelles/index.html");
    assert_eq!(attr(&doc, ".lang-switch a[hreflang=nl]", "href").as_deref(), Some("/nl/"));
}

#[test]
fn the_case_page_shows_facts_quote_contact_and_related() {
    let doc = page(NL_MAIN);
    let facts: Vec<String> = select(&doc, ".fact-value").iter().map(|e| e.text().collect()).collect();
    assert_eq!(facts, ["200.000", "26", "2.500 / 4.000", "3.000+"]);
    assert_eq!(text(&doc, "#facts h2"), "Facts & figures");
    assert!(text(&doc, ".quote blockquote").contains("Connect doet wat het belooft"));
    assert_eq!(text(&doc, ".quote figcaption"), "Het team van Veilig Thuis");
    assert_eq!(text(&doc, ".contact-cta"), "Neem contact op met Moniek");
    assert!(text(&doc, ".contact-role").contains("Adviseur bij Connect"));
    assert_eq!(attr(&doc, ".contact a[href^=mailto]", "href").as_deref(), Some("mailto:moniek@example.org"));
    let related: Vec<String> =
        select(&doc, ".related .card-title a").iter().map(|e| e.value().attr("href").unwrap().to_string()).collect();
    assert_eq!(related, ["/nl/cases/centrum-huiselijk-geweld/", "/nl/cases/windmolenproject-energie-a16/"]);
    assert!(text(&doc, ".related .card-client").contains("Centrum Huiselijk Geweld en Kindermishandeling"));
    assert_eq!(text(&page(FR_MAIN), ".contact-role"), "Conseillère chez Connect");
    assert_eq!(text(&page(FR_MAIN), "#facts h2"), "Faits et chiffres");
    // strategy lines as in the seeds
    let lines: Vec<String> =
        select(&doc, ".strategy-lines h3").iter().map(|e| e.text().collect::<String>().replace('\u{AD}', "")).collect();
    assert_eq!(
        lines,
        ["Heldere verwachtingen over en weer", "Op zoek naar verbinding", "In gesprek over het vergezicht"]
    );
}

#[test]
fn homes_list_their_cases_newest_first() {
    let doc = page("nl/index.html");
    let dates: Vec<String> =
        select(&doc, ".cards time").iter().map(|e| e.value().attr("datetime").unwrap().to_string()).collect();
    assert_eq!(dates.len(), 5);
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
    assert_eq!(text(&doc, ".count"), "5 cases");
    assert_eq!(text(&page("fr/index.html"), ".count"), "4 projets");
}

#[test]
fn every_tag_has_a_page_per_language_linked_from_its_cases_and_the_home() {
    let doc = page("nl/trefwoorden/participatie/index.html");
    assert_eq!(text(&doc, "h1"), "Trefwoord: participatie");
    let cases: Vec<String> =
        select(&doc, ".card-title a").iter().map(|a| a.value().attr("href").unwrap().to_string()).collect();
    assert_eq!(cases, ["/nl/cases/tuinzigtlaan-breda/", "/nl/cases/gebiedsvisie-bavel/"], "newest first");
    assert_eq!(
        attr(&doc, "link[rel=alternate][hreflang=x-default]", "href").as_deref(),
        Some("https://www.example.org/nl/trefwoorden/participatie/")
    );
    let case = page("nl/cases/gebiedsvisie-bavel/index.html");
    assert_eq!(attr(&case, ".tags a", "href").as_deref(), Some("/nl/trefwoorden/participatie/"));
    let home = page("nl/index.html");
    assert!(text(&home, ".browse .tags").contains("participatie (2)"), "{}", text(&home, ".browse .tags"));
    let fr = page("fr/mots-cles/index.html");
    assert_eq!(text(&fr, "h1"), "Tous les mots-clés");
    assert!(select(&fr, ".tag-list a").iter().any(|a| a.value().attr("href") == Some("/fr/mots-cles/ecoles/")));
    let sitemap = std::fs::read_to_string(out().join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("<loc>https://www.example.org/fr/mots-cles/ecoles/</loc>"));
}

fn html_pages() -> Vec<String> {
    walkdir::WalkDir::new(out())
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.path().strip_prefix(out()).unwrap().to_string_lossy().replace('\\', "/"))
        .collect()
}

#[test]
fn the_sitemap_lists_every_page_but_404() {
    // read as a crawler reads it: XML, with the namespaces it declares
    let xml = std::fs::read_to_string(out().join("sitemap.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    const SITEMAP: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
    const XHTML: &str = "http://www.w3.org/1999/xhtml";
    assert!(doc.root_element().has_tag_name((SITEMAP, "urlset")));
    let urls: Vec<roxmltree::Node> =
        doc.root_element().children().filter(|n| n.has_tag_name((SITEMAP, "url"))).collect();
    let loc = |u: &roxmltree::Node| -> String {
        u.children().find(|n| n.has_tag_name((SITEMAP, "loc"))).and_then(|n| n.text()).unwrap().to_string()
    };
    let locs: BTreeSet<String> = urls.iter().map(loc).collect();
    let pages: BTreeSet<String> = html_pages()
        .into_iter()
        .filter(|p| p != "404.html")
        .map(|p| format!("{BASE}{}", p.trim_end_matches("index.html")))
        .collect();
    assert_eq!(locs, pages);
    // the Dutch case names its French version as an alternate, in the XHTML namespace
    let nl = urls.iter().find(|u| loc(u) == format!("{BASE}nl/cases/veiliger-thuis-midden-brabant/")).unwrap();
    let alternates: Vec<(&str, &str)> = nl
        .children()
        .filter(|n| n.has_tag_name((XHTML, "link")) && n.attribute("rel") == Some("alternate"))
        .map(|n| (n.attribute("hreflang").unwrap(), n.attribute("href").unwrap()))
        .collect();
    assert!(
        alternates.contains(&("fr", "https://www.example.org/fr/projets/foyer-plus-sur-brabant-central/")),
        "{alternates:?}"
    );
}

/// The file a root-relative or relative URL of page `from` leads to.
fn target(from: &str, url: &str) -> Option<PathBuf> {
    let url = url.split(['#', '?']).next().unwrap();
    let path = if let Some(abs) = url.strip_prefix('/') {
        out().join(abs)
    } else {
        out().join(from).parent().unwrap().join(url)
    };
    if url.is_empty() || url.ends_with('/') { Some(path.join("index.html")) } else { Some(path) }
}

#[test]
fn every_internal_href_and_src_resolves() {
    let mut checked = 0;
    for rel in html_pages() {
        let doc = page(&rel);
        for el in select(&doc, "[href], [src]") {
            for name in ["href", "src"] {
                let Some(url) = el.value().attr(name) else { continue };
                if url.contains(':') || url.starts_with('#') || url.starts_with("//") {
                    continue;
                }
                let file = target(&rel, url).unwrap();
                assert!(file.is_file(), "{rel}: {name}={url} → {} missing", file.display());
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "only {checked} links checked");
}

#[test]
fn site_files_are_there_and_clean() {
    let robots = std::fs::read_to_string(out().join("robots.txt")).unwrap();
    assert!(robots.contains("Sitemap: https://www.example.org/sitemap.xml"));
    let feed = std::fs::read_to_string(out().join("fr/feed.xml")).unwrap();
    assert!(feed.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\""));
    assert_eq!(feed.matches("<entry>").count(), 4);
    let root = page("index.html");
    assert_eq!(attr(&root, "a.default", "href").as_deref(), Some("/nl/"));
    let not_found = page("404.html");
    for a in select(&not_found, "a[href], link[href]") {
        let href = a.value().attr("href").unwrap();
        assert!(href.starts_with('/') || href.starts_with("https://") || href.starts_with('#'), "404 link {href}");
    }
    assert!(out().join("style.css").is_file());
    // every page names its icons (a browser asks for /favicon.ico otherwise, and gets a 404)
    for rel in html_pages() {
        let doc = page(&rel);
        let icons: Vec<String> = select(&doc, "link[rel=icon], link[rel=apple-touch-icon]")
            .iter()
            .filter_map(|l| l.value().attr("href").map(str::to_string))
            .collect();
        assert_eq!(icons, ["/favicon.ico", "/favicon.svg", "/apple-touch-icon.png"], "{rel}");
    }
    // an icon file as Windows reads it: two PNG images, 16 and 32 pixels
    let ico = std::fs::read(out().join("favicon.ico")).unwrap();
    assert_eq!(ico[..6], [0, 0, 1, 0, 2, 0]);
    assert_eq!((ico[6], ico[22]), (16, 32));
    let first = u32::from_le_bytes(ico[18..22].try_into().unwrap()) as usize;
    assert_eq!(&ico[first..first + 8], b"\x89PNG\r\n\x1a\n");
    assert!(out().join("nl/cases/veiliger-thuis-midden-brabant/hero.svg").is_file());
    assert!(out().join("fr/projets/foyer-plus-sur-brabant-central/hero.svg").is_file());
    for entry in walkdir::WalkDir::new(out()).into_iter().flatten().filter(|e| e.file_type().is_file()) {
        let bytes = std::fs::read(entry.path()).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains('\u{2068}') && !text.contains('\u{2069}'), "bidi marks in {}", entry.path().display());
        assert!(!text.contains("EventSource"), "reload code in {}", entry.path().display());
    }
}

#[test]
fn base_url_with_a_sub_path_prefixes_every_link() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o");
    let opts = vitrine::pipeline::Options {
        base_url: Some("https://preview.example.net/cases-site".into()),
        ..vitrine::pipeline::Options::new(common::example_root())
    };
    let report = vitrine::pipeline::build(&opts, &out);
    assert!(report.summary.is_some(), "{:#?}", report.diagnostics);
    let doc = Html::parse_document(&std::fs::read_to_string(out.join(NL_MAIN)).unwrap());
    assert_eq!(
        attr(&doc, "link[rel=canonical]", "href").as_deref(),
        Some("https://preview.example.net/cases-site/nl/cases/veiliger-thuis-midden-brabant/")
    );
    assert_eq!(attr(&doc, "link[rel=stylesheet]", "href").as_deref(), Some("/cases-site/style.css"));
    for a in select(&doc, "a[href^='/']") {
        assert!(a.value().attr("href").unwrap().starts_with("/cases-site/"));
    }
}
