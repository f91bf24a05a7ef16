//! Renamed slugs keep working: `aliases` in the front matter make redirect
//! pages and the host's `_redirects`; a build remembers what it published
//! and warns when a case's address changes without one; an alias that would
//! replace another output is an error naming both. Run as the README runs
//! vitrine: `vitrine build` in the site folder, default flags.

use crate::common;

use crate::common::html::{Html, Selector};
use common::{SITE_YAML, case, site, vitrine};
use std::path::Path;

fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join("output").join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn attr(html: &Html, selector: &str, name: &str) -> String {
    let sel = Selector::parse(selector).unwrap();
    let el = html.select(&sel).next().unwrap_or_else(|| panic!("no {selector}"));
    el.value().attr(name).unwrap_or_else(|| panic!("{selector} has no {name}")).to_string()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Asserts that a failed build said each of these lines (each at the start
/// of a line, so a location is the whole location).
fn says(out: &std::process::Output, lines: &[&str]) {
    assert_eq!(out.status.code(), Some(1));
    let said = stderr(out);
    for expected in lines {
        assert!(said.lines().any(|l| l.starts_with(expected)), "{expected}\n{said}");
    }
}

#[test]
fn aliases_make_redirect_pages_and_host_rules_below_the_base_path() {
    let yaml = SITE_YAML.replace("https://example.org/", "https://example.org/werk/");
    let dir = site(&[
        ("site.yaml", &yaml),
        (
            "content/cases/bavel/index.nl.md",
            &case("Bavel", "slug: gebiedsvisie-bavel\naliases: [bavel, /oud/bavel.html]\n"),
        ),
        ("content/cases/bavel/index.fr.md", &case("Bavel FR", "aliases:\n  - /projets/ancien/\n")),
    ]);
    let out = vitrine(&["build"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("(3 redirects)"), "{said}");

    for (rel, lang, target) in [
        ("nl/cases/bavel/index.html", "nl", "nl/cases/gebiedsvisie-bavel/"),
        ("oud/bavel.html", "nl", "nl/cases/gebiedsvisie-bavel/"),
        ("projets/ancien/index.html", "fr", "fr/projets/bavel/"),
    ] {
        let html = Html::parse_document(&read(dir.path(), rel));
        assert_eq!(attr(&html, "html", "lang"), lang, "{rel}");
        assert_eq!(attr(&html, "link[rel=canonical]", "href"), format!("https://example.org/werk/{target}"), "{rel}");
        assert_eq!(attr(&html, "meta[http-equiv=refresh]", "content"), format!("0; url=/werk/{target}"), "{rel}");
        assert_eq!(attr(&html, "meta[name=robots]", "content"), "noindex", "{rel}");
        assert_eq!(attr(&html, "body a", "href"), format!("/werk/{target}"), "{rel}");
        // the page it leads to is there
        assert!(dir.path().join("output").join(target).join("index.html").is_file(), "{target}");
    }
    let rules = read(dir.path(), "_redirects");
    let lines: Vec<&str> = rules.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(
        lines,
        [
            "/werk/nl/cases/bavel/ /werk/nl/cases/gebiedsvisie-bavel/ 301",
            "/werk/oud/bavel.html /werk/nl/cases/gebiedsvisie-bavel/ 301",
            "/werk/projets/ancien/ /werk/fr/projets/bavel/ 301",
        ]
    );
    // redirects are not pages to index
    assert!(!read(dir.path(), "sitemap.xml").contains("/oud/"));
    assert!(!read(dir.path(), "sitemap.xml").contains("nl/cases/bavel/"));
}

#[test]
fn the_theme_s_own_redirect_rules_come_first() {
    let dir = site(&[
        ("site.yaml", &format!("{SITE_YAML}theme: eigen\n")),
        ("themes/eigen/static/_redirects", "/oud-archief/* /nl/ 302"),
        ("content/cases/a/index.nl.md", &case("A", "aliases: [oude-a]\n")),
    ]);
    let out = vitrine(&["build"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let rules = read(dir.path(), "_redirects");
    assert!(rules.starts_with("/oud-archief/* /nl/ 302\n"), "{rules}");
    assert!(rules.ends_with("/nl/cases/oude-a/ /nl/cases/a/ 301\n"), "{rules}");
}

#[test]
fn a_changed_address_warns_with_the_alias_to_add_until_it_is_added() {
    let file = "content/cases/bavel/index.nl.md";
    let dir = site(&[("site.yaml", SITE_YAML), (file, &case("Bavel", ""))]);
    let out = vitrine(&["build"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("warning"), "{}", stderr(&out));

    // the record is the site's (committed with it), not the output's (never deployed)
    let record = std::fs::read_to_string(dir.path().join("published.tsv")).unwrap();
    assert!(record.lines().any(|l| l == "bavel\tnl\tnl/cases/bavel/"), "{record}");
    assert!(!common::tree(&dir.path().join("output")).iter().any(|(p, _)| p.to_string_lossy().contains("published")));

    // the editor gives the case a shorter slug; the build runs where no
    // earlier output exists (a fresh clone in CI)
    common::write(dir.path(), file, case("Bavel", "slug: gebiedsvisie\n").as_bytes());
    std::fs::remove_dir_all(dir.path().join("output")).unwrap();
    let out = vitrine(&["build"], dir.path());
    assert!(out.status.success(), "a warning does not stop the build: {}", stderr(&out));
    let said = stderr(&out);
    assert!(
        said.contains(&format!(
            "{file}:1:1: warning: the address of this case changed since the last build (published.tsv): \
             nl/cases/bavel/ is now nl/cases/gebiedsvisie/"
        )),
        "{said}"
    );
    assert!(said.contains("add `aliases: [bavel]` to the front matter"), "{said}");

    // the next build compares with the last one, which published the new address: nothing to say
    let out = vitrine(&["build"], dir.path());
    assert!(!stderr(&out).contains("changed since"), "the last build published the new address: {}", stderr(&out));

    // moved again, this time with the alias: no warning, and the old address redirects
    common::write(dir.path(), file, case("Bavel", "slug: visie\naliases: [gebiedsvisie]\n").as_bytes());
    let out = vitrine(&["build"], dir.path());
    assert!(out.status.success());
    assert!(!stderr(&out).contains("changed since"), "{}", stderr(&out));
    assert!(read(dir.path(), "nl/cases/gebiedsvisie/index.html").contains("url=/nl/cases/visie/"));
}

#[test]
fn an_alias_that_would_replace_another_output_is_an_error_naming_both() {
    let dir = site(&[
        ("site.yaml", SITE_YAML),
        ("content/cases/a/index.nl.md", &case("A", "aliases: [b, /oud.html, a]\n")),
        ("content/cases/b/index.nl.md", &case("B", "aliases:\n  - /oud.html\n  - /nl/\n")),
        ("content/cases/c/index.nl.md", &case("C", "aliases: [/Oud Archief/, oud.pdf]\n")),
    ]);
    // an earlier output, which a failed build leaves alone
    std::fs::create_dir_all(dir.path().join("output")).unwrap();
    std::fs::write(dir.path().join("output/keep.txt"), "previous").unwrap();
    // the address checks come first: the render (and its clashes) waits for valid input
    says(
        &vitrine(&["build"], dir.path()),
        &[
            "content/cases/c/index.nl.md:5:11: error: alias `/Oud Archief/` is neither a slug nor an address below the site",
            "content/cases/c/index.nl.md:5:26: error: alias `oud.pdf` is neither a slug nor an address below the site",
        ],
    );
    common::write(dir.path(), "content/cases/c/index.nl.md", case("C", "").as_bytes());
    says(
        &vitrine(&["build"], dir.path()),
        &[
            "content/cases/a/index.nl.md:5:11: error: alias `b` would take the place of the page of content/cases/b/index.nl.md",
            "content/cases/a/index.nl.md:5:25: error: alias `a` would take the place of this page itself",
            "content/cases/b/index.nl.md:6:5: error: alias `/oud.html` would take the place of alias `/oud.html` of content/cases/a/index.nl.md:5:14",
            "content/cases/b/index.nl.md:7:5: error: alias `/nl/` would take the place of the home page of `nl`",
            "build failed with 4 errors",
        ],
    );
    assert_eq!(std::fs::read_to_string(dir.path().join("output/keep.txt")).unwrap(), "previous");
}

#[test]
fn an_alias_whose_folder_would_be_a_file_of_the_site_is_an_error() {
    let dir = site(&[
        ("site.yaml", SITE_YAML),
        ("content/cases/a/index.nl.md", &case("A", "aliases: [/robots.txt/, /style.css/, /nl/cases/b/foto.svg/]\n")),
        ("content/cases/b/index.nl.md", &case("B", "image: foto.svg\nimage_alt: Een foto\n")),
    ]);
    common::write(
        dir.path(),
        "content/cases/b/foto.svg",
        b"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" height=\"3\"/>",
    );
    says(
        &vitrine(&["build"], dir.path()),
        &[
            "content/cases/a/index.nl.md:5:11: error: alias `/robots.txt/` would take the place of robots.txt",
            "content/cases/a/index.nl.md:5:25: error: alias `/style.css/` would take the place of the built-in theme's style.css",
            "content/cases/a/index.nl.md:5:38: error: alias `/nl/cases/b/foto.svg/` would take the place of content/cases/b/foto.svg",
            "build failed with 3 errors",
        ],
    );
    assert!(!dir.path().join("output").exists(), "a failed build wrote an output");
}
