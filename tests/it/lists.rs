//! The list of a language's cases at its section's address (`/nl/cases/`),
//! in pages of 24, newest first: read back as a reader and a crawler do
//! (the cards, the links between pages, `rel="prev"`/`"next"`, hreflang,
//! the sitemap).

use crate::common::html::{Html, Selector};
use crate::common::{self, attrs as all, page};

const BASE: &str = "https://example.org/";

/// A site of `nl` Dutch and `fr` French cases, case `i` dated `i` days
/// into 2020 (so the newest is the last).
fn site(nl: usize, fr: usize) -> tempfile::TempDir {
    let mut files = vec![("site.yaml".to_string(), common::SITE_YAML.to_string())];
    for (lang, n) in [("nl", nl), ("fr", fr)] {
        for i in 1..=n {
            let date = format!("2020-{:02}-{:02}", 1 + i / 28, 1 + i % 28);
            let case = common::case(&format!("Case {i:02}"), "").replace("2021-01-02", &date);
            files.push((format!("content/cases/case-{i:02}/index.{lang}.md"), case));
        }
    }
    let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    common::site(&refs)
}

fn cards(html: &Html) -> Vec<String> {
    all(html, "li.card .card-title a", "href")
}

#[test]
fn each_language_lists_its_cases_in_pages_newest_first() {
    let dir = site(30, 2);
    let out_ = common::vitrine(&["build"], dir.path());
    assert!(out_.status.success(), "{}", String::from_utf8_lossy(&out_.stderr));
    let out = dir.path().join("output");

    let first = page(&out, "nl/cases/index.html");
    let newest: Vec<String> = (7..=30).rev().map(|i| format!("/nl/cases/case-{i:02}/")).collect();
    assert_eq!(cards(&first), newest, "the 24 newest, newest first");
    assert_eq!(all(&first, "link[rel=next]", "href"), [format!("{BASE}nl/cases/page/2/")]);
    assert!(all(&first, "link[rel=prev]", "href").is_empty());
    assert_eq!(all(&first, "nav.pagination a[rel=next]", "href"), ["/nl/cases/page/2/"]);

    let second = page(&out, "nl/cases/page/2/index.html");
    let oldest: Vec<String> = (1..=6).rev().map(|i| format!("/nl/cases/case-{i:02}/")).collect();
    assert_eq!(cards(&second), oldest);
    assert_eq!(all(&second, "link[rel=prev]", "href"), [format!("{BASE}nl/cases/")]);
    assert!(all(&second, "link[rel=next]", "href").is_empty());
    assert_eq!(all(&second, "link[rel=canonical]", "href"), [format!("{BASE}nl/cases/page/2/")]);
    assert!(!out.join("nl/cases/page/3").exists());
    let title: String = second.select(&Selector::parse("title").unwrap()).next().unwrap().text().collect();
    assert!(title.contains("pagina 2 van 2"), "a title of its own: {title}");

    // the French list has one page: page 1 of each language names the
    // other, page 2 only itself
    let fr = page(&out, "fr/projets/index.html");
    assert_eq!(cards(&fr), ["/fr/projets/case-02/", "/fr/projets/case-01/"]);
    let hreflang = |html: &Html| {
        let sel = Selector::parse("link[rel=alternate][hreflang]").unwrap();
        html.select(&sel)
            .map(|e| format!("{} {}", e.value().attr("hreflang").unwrap(), e.value().attr("href").unwrap()))
            .collect::<Vec<_>>()
    };
    let pair = [format!("nl {BASE}nl/cases/"), format!("fr {BASE}fr/projets/"), format!("x-default {BASE}nl/cases/")];
    assert_eq!(hreflang(&first), pair);
    assert_eq!(hreflang(&fr), pair);
    let alone = [format!("nl {BASE}nl/cases/page/2/"), format!("x-default {BASE}nl/cases/page/2/")];
    assert_eq!(hreflang(&second), alone);

    // the home and every page's footer lead to the list
    assert!(all(&page(&out, "nl/index.html"), "a", "href").contains(&"/nl/cases/".to_string()));

    // the sitemap lists both pages, each with its alternates
    let xml = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    const SITEMAP: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
    const XHTML: &str = "http://www.w3.org/1999/xhtml";
    let entry = |loc: &str| {
        let url = doc
            .descendants()
            .filter(|n| n.has_tag_name((SITEMAP, "url")))
            .find(|u| u.children().any(|c| c.has_tag_name((SITEMAP, "loc")) && c.text() == Some(loc)))
            .unwrap_or_else(|| panic!("{loc} is not in the sitemap"));
        url.children()
            .filter(|n| n.has_tag_name((XHTML, "link")))
            .map(|n| format!("{} {}", n.attribute("hreflang").unwrap(), n.attribute("href").unwrap()))
            .collect::<Vec<_>>()
    };
    assert_eq!(entry(&format!("{BASE}nl/cases/")), pair);
    assert_eq!(entry(&format!("{BASE}nl/cases/page/2/")), alone);
    assert_eq!(entry(&format!("{BASE}fr/projets/")), pair);
}

#[test]
fn a_language_without_cases_has_an_empty_list_and_no_second_page() {
    let dir = site(24, 0);
    assert!(common::vitrine(&["build"], dir.path()).status.success());
    let out = dir.path().join("output");
    assert_eq!(cards(&page(&out, "nl/cases/index.html")).len(), 24, "24 cases fit on one page");
    assert!(!out.join("nl/cases/page").exists());
    assert!(cards(&page(&out, "fr/projets/index.html")).is_empty());
}

/// A home lists all its cases (CONTRACT.md) and stays light: the newest as
/// cards, every other one once, as a line of the archive under its year.
#[test]
fn a_home_shows_its_newest_cases_as_cards_and_every_other_one_in_its_archive() {
    let dir = site(30, 2);
    let out_ = common::vitrine(&["build"], dir.path());
    assert!(out_.status.success(), "{}", String::from_utf8_lossy(&out_.stderr));
    let out = dir.path().join("output");

    let home = page(&out, "nl/index.html");
    let newest: Vec<String> = (19..=30).rev().map(|i| format!("/nl/cases/case-{i:02}/")).collect();
    assert_eq!(cards(&home), newest, "the 12 newest as cards");
    let older: Vec<String> = (1..=18).rev().map(|i| format!("/nl/cases/case-{i:02}/")).collect();
    assert_eq!(all(&home, ".archive li a", "href"), older, "every other case once, newest first");
    let years: Vec<String> =
        home.select(&Selector::parse(".archive h3").unwrap()).map(|h| h.text().collect()).collect();
    assert_eq!(years, ["2020"]);
    // the structured data lists what the cards show, not the whole archive
    let ld = Selector::parse("script[type=\"application/ld+json\"]").unwrap();
    let ld: serde_json::Value = serde_json::from_str(&home.select(&ld).next().unwrap().inner_html()).unwrap();
    assert_eq!(ld[1]["itemListElement"].as_array().map(Vec::len), Some(12));

    // a home with few cases has no archive
    let fr = page(&out, "fr/index.html");
    assert_eq!(cards(&fr).len(), 2);
    assert!(all(&fr, ".archive li a", "href").is_empty());
}
