//! `vitrine check` (links, anchors, images and translations of the rendered
//! site), links between cases that survive translation, and `vitrine new
//! case`: through the binary, with the exact lines an editor reads.

use crate::common;

use common::{SITE_YAML, case, example_copy, site, tree, vitrine};
use std::path::Path;

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A case file whose body is `body`.
fn case_with_body(title: &str, extra: &str, body: &str) -> String {
    format!("---\ntitle: {title}\nclient: Klant\ndate: 2021-01-02\n{extra}---\n{body}")
}

#[test]
fn the_example_site_checks_clean_and_nothing_is_written() {
    let dir = example_copy();
    let out = vitrine(&["check"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let summary = stdout(&out);
    // every link of every page followed (a count added up wrongly says so)
    assert_eq!(summary, "checked 44 pages, 957 links: 2 warnings\n");
    let err = stderr(&out);
    assert!(
        err.contains(
            "site.yaml:7:3: warning: 3 cases have no nl version: `city-2-bruxelles`, `mobilite-intelligente-brabant`, `scholen-van-morgen`\n 7 |   nl: { name: Nederlands, section: cases }\n   |   ^^\n"
        ),
        "{err}"
    );
    assert!(err.contains("site.yaml:8:3: warning: 4 cases have no fr version: `centrum-huiselijk-geweld`, "), "{err}");
    assert!(!err.contains('\u{1b}'), "no colour when piped");
    assert!(!dir.path().join("output").exists(), "check wrote an output folder");
}

#[test]
fn check_adds_nothing_to_the_cache_and_says_the_same_after_a_build() {
    let dir = example_copy();
    let cache = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_vitrine"))
            .args(args)
            .current_dir(dir.path())
            .env("VITRINE_CACHE_DIR", cache.path())
            .output()
            .unwrap()
    };
    let first = run(&["check"]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    assert_eq!(tree(cache.path()), [], "check cached something");
    assert_eq!(run(&["build"]).status.code(), Some(0));
    let cached = tree(cache.path());
    assert_eq!(cached.iter().filter(|(p, _)| p.extension().is_some_and(|e| e == "pdf")).count(), 2);
    let again = run(&["check"]);
    assert_eq!((stdout(&again), stderr(&again)), (stdout(&first), stderr(&first)));
    assert_eq!(tree(cache.path()), cached, "check changed the cache");
}

#[test]
fn broken_anchors_and_files_are_errors_at_their_markdown_line() {
    let dir = site(&[
        ("site.yaml", SITE_YAML),
        ("content/cases/a/index.nl.md", &case_with_body("A", "", "## Aanpak\n\nZie [de aanpak](#aanpk).\n")),
        ("content/cases/b/index.nl.md", &case_with_body("B", "", "Lees [A](../a/#aanpak) en [A](../a/#vraag).\n")),
    ]);
    let out = vitrine(&["check"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let expected_a = "content/cases/a/index.nl.md:8:17: error: link `#aanpk`: there is no `#aanpk` on that page (did you mean `#aanpak`?)\n 8 | Zie [de aanpak](#aanpk).\n   |                 ^^^^^^\n";
    assert!(err.contains(expected_a), "{err}");
    assert!(
        err.contains("content/cases/b/index.nl.md:6:31: error: link `../a/#vraag`: there is no `#vraag` on that page"),
        "{err}"
    );
    assert!(!err.contains("#aanpak`: there is no"), "a good anchor was reported: {err}");
    assert!(stdout(&out).ends_with(": 2 errors, 1 warning\n"), "{}", stdout(&out));
}

#[test]
fn a_broken_link_of_a_template_is_reported_at_the_template() {
    let dir = site(&[
        ("site.yaml", &format!("{SITE_YAML}theme: mine\n")),
        (
            "themes/mine/templates/404.html",
            "<!doctype html><html lang=\"nl\"><title>x</title><a href=\"/nergens/\">x</a></html>",
        ),
        ("content/cases/a/index.nl.md", &case("A", "")),
        ("content/cases/a/index.fr.md", &case("A", "")),
    ]);
    let out = vitrine(&["check"], dir.path());
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "themes/mine/templates/404.html:1:1: error: on 404.html, link `/nergens/`: there is no nergens/ in the site\n"
    );
}

#[test]
fn a_template_s_broken_link_is_told_ten_times_then_counted_and_missing_versions_are_listed() {
    let mut files: Vec<(String, String)> = vec![
        ("site.yaml".into(), format!("{SITE_YAML}theme: mine\n")),
        (
            "themes/mine/templates/case.html".into(),
            "<!doctype html><html lang=\"nl\"><title>x</title><a href=\"/nergens/\">x</a></html>".into(),
        ),
    ];
    let names: Vec<String> = (1..=12).map(|i| format!("case-{i:02}")).collect();
    for name in &names {
        files.push((format!("content/cases/{name}/index.nl.md"), case(name, "")));
    }
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let dir = site(&files);
    let out = vitrine(&["check"], dir.path());
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let said = stderr(&out);
    let at_template: Vec<&str> =
        said.lines().filter(|l| l.starts_with("themes/mine/templates/case.html:1:1: error: ")).collect();
    assert_eq!(at_template.len(), 11, "{said}");
    for line in &at_template[..10] {
        assert!(line.ends_with("link `/nergens/`: there is no nergens/ in the site"), "{line}");
    }
    assert_eq!(
        at_template[10],
        "themes/mine/templates/case.html:1:1: error: … and 2 more broken links on pages of this template"
    );
    let listed: Vec<String> = names[..10].iter().map(|n| format!("`{n}`")).collect();
    let missing = format!("warning: 12 cases have no fr version: {} and 2 more", listed.join(", "));
    assert!(said.lines().any(|l| l.starts_with("site.yaml:") && l.ends_with(&missing)), "{missing}\n{said}");

    // ten of each are all told, with nothing counted after them; and a
    // third language gets its own list
    for name in &names[10..] {
        std::fs::remove_dir_all(dir.path().join("content/cases").join(name)).unwrap();
    }
    let three = SITE_YAML.replace("  fr:", "  en: { name: English, section: work }\n  fr:");
    std::fs::write(dir.path().join("site.yaml"), format!("{three}theme: mine\n")).unwrap();
    let out = vitrine(&["check"], dir.path());
    let said = stderr(&out);
    let at_template = said.lines().filter(|l| l.starts_with("themes/mine/templates/case.html:1:1: error: ")).count();
    assert_eq!(at_template, 10, "{said}");
    assert!(!said.contains(" more"), "{said}");
    for code in ["en", "fr"] {
        let missing = format!("warning: 10 cases have no {code} version: {}", listed.join(", "));
        assert!(said.lines().any(|l| l.starts_with("site.yaml:") && l.ends_with(&missing)), "{missing}\n{said}");
    }
}

#[test]
fn content_paths_lead_to_the_case_in_the_pages_language() {
    let dir = site(&[
        ("site.yaml", SITE_YAML),
        ("content/cases/bavel/index.nl.md", &case_with_body("Bavel", "", "## Vraag\n")),
        ("content/cases/bavel/index.fr.md", &case_with_body("Bavel", "slug: bavel-fr\n", "## Demande\n")),
        ("content/cases/solo/index.nl.md", &case("Solo", "")),
        (
            "content/cases/a/index.fr.md",
            &case_with_body("A", "", "Voir [Bavel](@/cases/bavel#demande) et [Solo](@/cases/solo).\n"),
        ),
        ("content/cases/a/index.nl.md", &case_with_body("A", "", "Zie [Bavel](@/cases/bavel/#vraag).\n")),
    ]);
    let out = vitrine(&["build"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "content/cases/a/index.fr.md:6:47: warning: link `@/cases/solo`: the case has no fr version; it leads to another language\n 6 | Voir [Bavel](@/cases/bavel#demande) et [Solo](@/cases/solo).\n   |                                               ^^^^^^^^^^^^\n"
    );
    let fr = std::fs::read_to_string(dir.path().join("output/fr/projets/a/index.html")).unwrap();
    assert!(fr.contains(r##"href="/fr/projets/bavel-fr/#demande""##), "{fr}");
    assert!(fr.contains(r#"href="/nl/cases/solo/""#), "{fr}");
    let nl = std::fs::read_to_string(dir.path().join("output/nl/cases/a/index.html")).unwrap();
    assert!(nl.contains(r##"href="/nl/cases/bavel/#vraag""##), "{nl}");
    assert_eq!(vitrine(&["check"], dir.path()).status.code(), Some(0));
}

#[test]
fn links_to_missing_cases_and_drafts_fail_the_build_with_a_guess() {
    let dir = site(&[
        ("site.yaml", SITE_YAML),
        ("content/cases/bavel/index.nl.md", &case("Bavel", "")),
        ("content/cases/later/index.nl.md", &case("Later", "draft: true\n")),
        (
            "content/cases/a/index.nl.md",
            &case_with_body("A", "related: [later]\n", "[B](@/cases/bavl) [L](../later/)\n"),
        ),
    ]);
    let out = vitrine(&["build"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("content/cases/a/index.nl.md:5:1: warning: related case `later` is a draft; it is left out"),
        "{err}"
    );
    assert!(
        err.contains("content/cases/a/index.nl.md:7:5: error: link `@/cases/bavl` points to no case (no folder `bavl`)\n 7 | [B](@/cases/bavl) [L](../later/)\n   |     ^^^^^^^^^^^^\n   = hint: did you mean `bavel`?\n"),
        "{err}"
    );
    assert!(
        err.contains(
            "content/cases/a/index.nl.md:7:23: error: link `../later/` leads to a draft, which is not published"
        ),
        "{err}"
    );
    assert_eq!(vitrine(&["build", "--drafts"], dir.path()).status.code(), Some(1), "bavl is still wrong");
}

#[test]
fn a_case_that_fails_to_parse_is_reported_once_not_by_every_case_that_names_it() {
    let dir = site(&[
        ("site.yaml", SITE_YAML),
        ("content/cases/b/index.nl.md", "---\ntitle: B\nclient: K\ndate: gisteren\n---\n"),
        ("content/cases/a/index.nl.md", &case_with_body("A", "related: [b]\n", "[B](../b/)\n")),
    ]);
    let out = vitrine(&["check"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.starts_with("content/cases/b/index.nl.md:4:7: error: `gisteren` is not a date"), "{err}");
    assert!(!err.contains("content/cases/a/"), "{err}");
    assert_eq!(stdout(&out), "check found 1 error; the pages and their links are checked once these are fixed\n");
}

mod new_case {
    use super::*;

    fn today() -> String {
        vitrine::model::date::Date::today().to_string()
    }

    #[test]
    fn a_new_case_gets_a_file_per_language_and_builds_at_once() {
        let dir = example_copy();
        let out = vitrine(&["new", "case", "cafe-ole"], dir.path());
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert!(
            stdout(&out).starts_with(
                "created content/cases/cafe-ole/index.nl.md\ncreated content/cases/cafe-ole/index.fr.md\n"
            )
        );
        let nl = std::fs::read_to_string(dir.path().join("content/cases/cafe-ole/index.nl.md")).unwrap();
        assert!(nl.contains("\ntitle: \"Cafe ole\" "), "{nl}");
        assert!(nl.contains(&format!("\ndate: {} ", today())), "{nl}");
        assert!(nl.contains("\ndraft: true "), "{nl}");
        assert!(nl.contains("## Aanpak"), "{nl}");
        // (and the example site's own filter, `sector`)
        for key in [
            "summary",
            "slug",
            "tags",
            "sector",
            "contact",
            "image",
            "image_alt",
            "quote",
            "facts",
            "strategy",
            "related",
        ] {
            assert!(nl.contains(&format!("\n# {key}:")), "`{key}` is missing: {nl}");
        }
        let fr = std::fs::read_to_string(dir.path().join("content/cases/cafe-ole/index.fr.md")).unwrap();
        assert!(fr.contains("client: \"Nom du client\"") && fr.contains("## Résultat"), "{fr}");

        let drafts = vitrine(&["build", "--drafts"], dir.path());
        assert_eq!(drafts.status.code(), Some(0), "{}", stderr(&drafts));
        assert!(dir.path().join("output/nl/cases/cafe-ole/index.html").is_file());
        assert!(dir.path().join("output/fr/projets/cafe-ole/index.html").is_file());
        let published = vitrine(&["build"], dir.path());
        assert_eq!(published.status.code(), Some(0), "{}", stderr(&published));
        assert!(!dir.path().join("output/nl/cases/cafe-ole").exists(), "a draft was published");
    }

    #[test]
    fn one_language_and_no_overwriting() {
        let dir = site(&[("site.yaml", SITE_YAML), ("content/cases/bavel/index.nl.md", &case("Bavel", ""))]);
        let out = vitrine(&["new", "case", "bavel", "--lang", "fr,nl"], dir.path());
        assert_eq!(out.status.code(), Some(1));
        assert_eq!(
            stderr(&out),
            "content/cases/bavel/index.nl.md:1:1: error: this case file exists already; it was left as it is\n   = hint: choose another slug, or edit this file\n"
        );
        assert!(!dir.path().join("content/cases/bavel/index.fr.md").exists(), "nothing is made when one exists");
        let out = vitrine(&["new", "case", "bavel", "--lang", "fr"], dir.path());
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert!(dir.path().join("content/cases/bavel/index.fr.md").is_file());
        assert_eq!(vitrine(&["check"], dir.path()).status.code(), Some(0));
    }

    #[test]
    fn a_title_is_not_a_slug_but_suggests_one() {
        let dir = site(&[("site.yaml", SITE_YAML)]);
        let out = vitrine(&["new", "case", "Café Ölé"], dir.path());
        assert_eq!(out.status.code(), Some(2));
        assert_eq!(
            stderr(&out),
            "error: `Café Ölé` is not a slug: use lowercase letters, digits and hyphens\n  = hint: did you mean `cafe-ole`?\n"
        );
        let out = vitrine(&["new", "case", "x", "--lang", "de"], dir.path());
        assert_eq!(out.status.code(), Some(2));
        assert_eq!(stderr(&out), "error: `de` is not a language of the site (nl, fr)\n");
        assert!(tree(dir.path()).iter().all(|(p, _)| !p.starts_with(dir.path().join("content"))));
    }
}

#[test]
fn colour_only_on_request_of_a_terminal() {
    // piped output is plain even without NO_COLOR
    let dir = site(&[("content/cases/a/index.nl.md", "---\ntitel: A\n---\n")]);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_vitrine"))
        .args(["check"])
        .current_dir(dir.path())
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(!stderr(&out).contains('\u{1b}'), "{}", stderr(&out));
    assert!(Path::new(&dir.path().join("content")).is_dir());
}
