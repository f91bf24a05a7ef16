//! The filters a site declares in `site.yaml` (`filters: [sector]`): a key
//! of the cases' front matter with a page per value, in the lists' filters,
//! in the search index's filters.json, in the sitemap and in the web
//! editor's form; a key no site declares is still an error, located.

use crate::common::html::{Html, Selector};
use crate::common::{self, attrs as all, page};

const SITE: &str = "filters: [sector]\ncms:\n  backend: { name: github, repo: agency/cases }\n";

/// Dutch cases a (2021-01-03, Overheid), b (2021-01-02, Overheid and
/// Zorg), c (2021-01-01, no sector); French d (Commune).
fn site() -> tempfile::TempDir {
    let dated = |title: &str, date: &str, extra: &str| common::case(title, extra).replace("2021-01-02", date);
    common::site(&[
        ("site.yaml", &format!("{}{SITE}", common::SITE_YAML)),
        ("content/cases/a/index.nl.md", &dated("A", "2021-01-03", "sector: Overheid\n")),
        ("content/cases/b/index.nl.md", &dated("B", "2021-01-02", "sector:\n  - Overheid\n  - Zorg\n")),
        ("content/cases/c/index.nl.md", &dated("C", "2021-01-01", "")),
        ("content/cases/d/index.fr.md", &dated("D", "2021-01-01", "sector: Commune\n")),
    ])
}

fn texts(html: &Html, css: &str) -> Vec<String> {
    let sel = Selector::parse(css).unwrap();
    html.select(&sel).map(|e| e.text().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" ")).collect()
}

#[test]
fn a_declared_filter_has_a_page_per_value_and_narrows_the_lists() {
    let dir = site();
    let run = common::vitrine(&["build"], dir.path());
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let out = dir.path().join("output");

    // a page per value, its cases newest first, below the list of values
    let overheid = page(&out, "nl/sector/overheid/index.html");
    assert_eq!(all(&overheid, "li.card .card-title a", "href"), ["/nl/cases/a/", "/nl/cases/b/"]);
    assert_eq!(texts(&overheid, "h1"), ["Sector: Overheid"]);
    assert_eq!(all(&overheid, ".eyebrow a", "href"), ["/nl/sector/"]);
    assert_eq!(all(&page(&out, "nl/sector/zorg/index.html"), "li.card .card-title a", "href"), ["/nl/cases/b/"]);
    let values = page(&out, "nl/sector/index.html");
    assert_eq!(texts(&values, ".tag-list li"), ["Overheid (2)", "Zorg (1)"]);
    assert_eq!(
        all(&values, "link[rel=alternate][hreflang]", "hreflang"),
        ["nl", "fr", "x-default"],
        "the French values' page is its translation"
    );
    assert_eq!(all(&page(&out, "fr/sector/commune/index.html"), "li.card .card-title a", "href"), ["/fr/projets/d/"]);

    // a case links its values; one without says nothing
    let b = page(&out, "nl/cases/b/index.html");
    assert_eq!(all(&b, ".case-filter a", "href"), ["/nl/sector/", "/nl/sector/overheid/", "/nl/sector/zorg/"]);
    assert!(all(&page(&out, "nl/cases/c/index.html"), ".case-filter a", "href").is_empty());

    // the lists' filters have it, the home links its values
    let home = page(&out, "nl/index.html");
    assert_eq!(all(&home, "form.case-filters select", "name"), ["tag", "client", "year", "sector"]);
    assert_eq!(all(&home, "nav.browse a[href^=\"/nl/sector/\"]", "href").len(), 3, "the values and their list");
    assert_eq!(all(&page(&out, "nl/cases/index.html"), "form.case-filters select", "name").last().unwrap(), "sector");

    // the search index's filters: documents are the language's cases, newest first
    let filters: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("search/nl/filters.json")).unwrap()).unwrap();
    assert_eq!(filters["sector"], serde_json::json!([["Overheid", [0, 1]], ["Zorg", [1]]]));

    // in the sitemap
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    let doc = roxmltree::Document::parse(&sitemap).unwrap();
    let locs: Vec<&str> = doc.descendants().filter(|n| n.has_tag_name("loc")).filter_map(|n| n.text()).collect();
    for url in ["nl/sector/", "nl/sector/overheid/", "nl/sector/zorg/", "fr/sector/commune/"] {
        assert!(locs.contains(&format!("https://example.org/{url}").as_str()), "{url} not in the sitemap");
    }

    // the web editor's form has it, a list in each language
    let config: serde_yaml::Value =
        serde_yaml::from_str(&std::fs::read_to_string(out.join("admin/config.yml")).unwrap()).unwrap();
    let fields = config["collections"][0]["fields"].as_sequence().unwrap();
    let sector = fields.iter().find(|f| f["name"] == "sector").expect("a sector field");
    assert_eq!((sector["widget"].as_str(), sector["i18n"].as_bool()), (Some("list"), Some(true)));
    assert_eq!(sector["label"], "Sector");
}

#[test]
fn a_key_no_site_declares_is_unknown_and_a_wrong_filter_value_is_located() {
    let dir = common::site(&[
        ("site.yaml", &format!("{}filters: [sector]\n", common::SITE_YAML)),
        ("content/cases/a/index.nl.md", &common::case("A", "doelgroep: Jongeren\n")),
        ("content/cases/b/index.nl.md", &common::case("B", "sector: { naam: Overheid }\n")),
    ]);
    let run = common::vitrine(&["build"], dir.path());
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    let at = |start: &str| lines.iter().position(|l| l.starts_with(start)).unwrap_or_else(|| panic!("{stderr}"));
    let unknown = at("content/cases/a/index.nl.md:5:1: error: unknown key `doelgroep`");
    let hint = lines[unknown..].iter().find(|l| l.contains("hint:")).unwrap();
    assert!(
        hint.ends_with(
            "translated_from, sector; or, to make `doelgroep` a filter of this site, list it under `filters:` in site.yaml"
        ),
        "the site's own filters are among the keys: {hint}"
    );
    at("content/cases/b/index.nl.md:5:1: error: `sector` is a filter of this site: give it a text or a list of texts");
    assert!(!dir.path().join("output").exists(), "a failed build writes nothing");
}

#[test]
fn a_filter_site_yaml_cannot_declare_is_located() {
    let dir = common::site(&[
        ("site.yaml", &format!("{}filters:\n  - tags\n  - Sector\n  - projets\n  - q\n", common::SITE_YAML)),
        ("content/cases/a/index.nl.md", &common::case("A", "")),
    ]);
    let run = common::vitrine(&["build"], dir.path());
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("site.yaml:")).collect();
    assert_eq!(
        errors,
        [
            "site.yaml:8:3: error: `tags` cannot be declared as a filter: vitrine gives it a meaning of its own",
            "site.yaml:9:3: error: filter `Sector` is not a key such as `sector`: use lowercase letters, digits and hyphens",
            "site.yaml:10:3: error: filter `projets` would take the address of the cases or tags of `fr`",
            "site.yaml:11:3: error: `q` cannot be declared as a filter: vitrine gives it a meaning of its own",
        ],
        "{stderr}"
    );
}
