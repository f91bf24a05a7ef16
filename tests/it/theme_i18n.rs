//! A site's own theme and messages override the built-in ones file by file
//! and message by message; missing messages fall back with a warning.

use crate::common;

use common::{SITE_YAML, build, case, shown, site};

fn read(root: &std::path::Path, rel: &str) -> String {
    std::fs::read_to_string(root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn a_site_theme_overrides_one_template_and_adds_static_files() {
    let yaml = SITE_YAML.replace("default_language: nl", "default_language: nl\ntheme: mine");
    let dir = site(&[
        ("site.yaml", &yaml),
        ("content/cases/a/index.nl.md", &case("A", "")),
        ("content/cases/b/index.nl.md", &case("B", "")),
        (
            "themes/mine/templates/card.html",
            "<li class=\"my-card\"><a href=\"{{ c.url }}\">{{ c.title | upper }}</a></li>\n",
        ),
        ("themes/mine/static/extra.css", "body { color: red; }\n"),
    ]);
    let out = dir.path().join("output");
    let report = build(dir.path(), &out);
    assert!(report.summary.is_some(), "{:#?}", report.diagnostics);
    let home = read(&out, "nl/index.html");
    assert!(home.contains("<li class=\"my-card\"><a href=\"/nl/cases/a/\">A</a></li>"), "{home}");
    assert!(home.contains("class=\"lang-switch\""), "the other templates stay built-in");
    assert_eq!(read(&out, "extra.css"), "body { color: red; }\n");
    assert!(read(&out, "style.css").contains(":root"));
}

#[test]
fn template_errors_point_at_the_template_line() {
    let yaml = SITE_YAML.replace("default_language: nl", "default_language: nl\ntheme: mine");
    let dir = site(&[
        ("site.yaml", &yaml),
        ("content/cases/a/index.nl.md", &case("A", "")),
        ("themes/mine/templates/card.html", "<li>\n{{ c.title }\n</li>\n"),
    ]);
    let report = build(dir.path(), &dir.path().join("output"));
    assert!(report.summary.is_none());
    let p = shown(dir.path(), &report.diagnostics);
    assert_eq!(p.len(), 1, "{p:#?}");
    assert!(p[0].starts_with("themes/mine/templates/card.html:2:"), "{}", p[0]);
    let dir = site(&[
        ("site.yaml", &yaml.replace("theme: mine", "theme: gone")),
        ("content/cases/a/index.nl.md", &case("A", "")),
    ]);
    let p = shown(dir.path(), &build(dir.path(), &dir.path().join("output")).diagnostics);
    assert_eq!(p, ["site.yaml:4:1: error: theme `gone` is not a folder in themes/"]);
}

#[test]
fn site_messages_override_the_builtin_ones_one_by_one() {
    let dir = site(&[
        ("site.yaml", SITE_YAML),
        ("content/cases/a/index.fr.md", &case("A", "facts:\n  - value: \"1\"\n    label: un\n")),
        ("i18n/fr.ftl", "facts-heading = Chiffres clés\n"),
    ]);
    let out = dir.path().join("output");
    let report = build(dir.path(), &out);
    assert!(report.diagnostics.is_empty(), "{:#?}", report.diagnostics);
    let page = read(&out, "fr/projets/a/index.html");
    assert!(page.contains("Chiffres clés"), "overridden");
    assert!(page.contains("Tous les projets"), "the other messages stay built-in");
    assert!(page.contains("2 janvier 2021"), "dates in words");
    assert!(read(&out, "fr/index.html").contains("1 projet<"), "plural one");
    assert!(read(&out, "nl/index.html").contains("0 cases<"), "plural other");
}

#[test]
fn a_language_without_messages_falls_back_with_a_warning() {
    let yaml =
        "title: T\nbase_url: https://example.org/\nlanguages:\n  nl: {}\n  de: { name: Deutsch, section: faelle }\n";
    let dir = site(&[
        ("site.yaml", yaml),
        ("content/cases/a/index.de.md", &case("A", "")),
        ("i18n/de.ftl", "all-cases = Alle Fälle\n"),
    ]);
    let out = dir.path().join("output");
    let report = build(dir.path(), &out);
    assert!(report.summary.is_some(), "{:#?}", report.diagnostics);
    let page = read(&out, "de/faelle/a/index.html");
    assert!(page.contains("Alle Fälle"), "the site's own message");
    assert!(page.contains("Naar de inhoud"), "the default language's text for the rest");
    assert!(page.contains("2 januari 2021"));
    let p = shown(dir.path(), &report.diagnostics);
    assert!(
        p.contains(
            &"i18n/de.ftl:1:1: warning: message `skip-to-content` is missing in de; the nl text is used".to_string()
        ),
        "{p:#?}"
    );
    assert!(!p.iter().any(|l| l.contains("`all-cases`")));
    assert!(!p.iter().any(|l| l.contains("error")));
}

#[test]
fn fluent_syntax_errors_are_located() {
    let dir = site(&[
        ("site.yaml", SITE_YAML),
        ("content/cases/a/index.nl.md", &case("A", "")),
        ("i18n/nl.ftl", "all-cases = Alle cases\nbroken message\n"),
    ]);
    let p = shown(dir.path(), &build(dir.path(), &dir.path().join("output")).diagnostics);
    assert_eq!(p.len(), 1, "{p:#?}");
    assert!(p[0].starts_with("i18n/nl.ftl:2:"), "{}", p[0]);
}

#[test]
fn drafts_are_built_only_when_asked() {
    let dir = site(&[
        ("site.yaml", SITE_YAML),
        ("content/cases/a/index.nl.md", &case("A", "draft: true\n")),
        ("content/cases/b/index.nl.md", &case("B", "")),
    ]);
    let out = dir.path().join("output");
    build(dir.path(), &out);
    assert!(!out.join("nl/cases/a").exists());
    assert!(out.join("nl/cases/b/index.html").exists());
    let drafts = vitrine::pipeline::Options { drafts: true, ..vitrine::pipeline::Options::new(dir.path()) };
    let report = vitrine::pipeline::build(&drafts, &out);
    assert!(report.summary.is_some());
    assert!(out.join("nl/cases/a/index.html").exists());
}

#[test]
fn typography_per_language_and_a_setting_that_leaves_text_as_written() {
    let fm = "title: 'Le projet \"Lire ensemble\" de l''agence'\nsummary: \"Vous souhaitez en savoir plus ?\"\n";
    let body = "Ils ont dit \"nous voulons du changement\".\n";
    let files = |yaml: String| {
        site(&[
            ("site.yaml", &yaml),
            ("content/cases/a/index.fr.md", &format!("{}{body}", case("x", "").replacen("title: x\n", fm, 1))),
        ])
    };
    let n = '\u{202F}';
    let set = files(SITE_YAML.to_string());
    let out = common::vitrine(&["build"], set.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let page = std::fs::read_to_string(set.path().join("output/fr/projets/a/index.html")).unwrap();
    assert!(page.contains(&format!("<title>Le projet «{n}Lire ensemble{n}» de l’agence · Test</title>")), "{page}");
    assert!(page.contains(&format!("content=\"Vous souhaitez en savoir plus{n}?\"")), "{page}");
    assert!(page.contains(&format!("Ils ont dit «{n}nous voulons du changement{n}».")), "{page}");

    // typography: false: every text as written
    let plain = files(format!("{SITE_YAML}typography: false\n"));
    let out = common::vitrine(&["build"], plain.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let page = std::fs::read_to_string(plain.path().join("output/fr/projets/a/index.html")).unwrap();
    assert!(page.contains("<title>Le projet &quot;Lire ensemble&quot; de l&#39;agence · Test</title>"), "{page}");
    assert!(page.contains("content=\"Vous souhaitez en savoir plus ?\""), "{page}");
}

#[test]
fn a_contact_s_role_and_a_home_s_title_get_the_language_s_typography_too() {
    let files = |yaml: String| {
        site(&[
            ("site.yaml", &yaml),
            (
                "content/people/anna.yaml",
                "name: Anna\nrole: { nl: 'Adviseur: strategie', fr: 'Conseillère : stratégie' }\n",
            ),
            (
                "content/_index.fr.md",
                "---\ntitle: 'Nos projets : tous'\ndescription: \"Qui sommes-nous ?\"\n---\nBonjour.\n",
            ),
            ("content/cases/a/index.fr.md", &case("x", "contact: anna\n")),
        ])
    };
    let n = '\u{202F}';
    let set = files(SITE_YAML.to_string());
    let out = common::vitrine(&["build"], set.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let page = std::fs::read_to_string(set.path().join("output/fr/projets/a/index.html")).unwrap();
    assert!(page.contains(&format!("<span class=\"contact-role\">Conseillère{n}: stratégie</span>")), "{page}");
    let home = std::fs::read_to_string(set.path().join("output/fr/index.html")).unwrap();
    assert!(home.contains(&format!("<title>Nos projets{n}: tous")), "{home}");
    assert!(home.contains(&format!("content=\"Qui sommes-nous{n}?\"")), "{home}");

    let plain = files(format!("{SITE_YAML}typography: false\n"));
    let out = common::vitrine(&["build"], plain.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let page = std::fs::read_to_string(plain.path().join("output/fr/projets/a/index.html")).unwrap();
    assert!(page.contains("<span class=\"contact-role\">Conseillère : stratégie</span>"), "{page}");
}
