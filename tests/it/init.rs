//! `vitrine init` and `vitrine new person`, run as the README shows them:
//! in an empty folder, then inside the new site, with default flags.

use crate::common;

use common::vitrine;
use std::path::Path;

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn init_makes_a_site_that_builds_with_a_poster_in_every_language() {
    let parent = tempfile::tempdir().unwrap();
    let out = vitrine(
        &["init", "my-site", "--lang", "nl,fr", "--title", "Onze cases", "--base-url", "https://www.agency.nl/cases/"],
        parent.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("created my-site/site.yaml\n"), "{}", stdout(&out));
    assert!(stdout(&out).contains("  cd my-site\n  vitrine serve"), "{}", stdout(&out));
    let site = parent.path().join("my-site");
    let yaml = std::fs::read_to_string(site.join("site.yaml")).unwrap();
    assert!(yaml.contains("title: \"Onze cases\"\nbase_url: \"https://www.agency.nl/cases/\"\ndefault_language: nl\n"));
    assert!(yaml.contains("  fr: { name: \"Français\", section: projets, tags: mots-cles }"), "{yaml}");
    assert_eq!(
        std::fs::read_to_string(site.join(".gitignore")).unwrap().lines().filter(|l| l.starts_with('/')).count(),
        2
    );

    // inside the site, as the next steps say: builds clean, with a poster per language
    let built = vitrine(&["build"], &site);
    assert_eq!(built.status.code(), Some(0), "{}", stderr(&built));
    assert_eq!(stderr(&built), "", "a new site builds without a warning");
    assert!(stdout(&built).contains(", 2 posters, "), "{}", stdout(&built));
    for pdf in ["nl/cases/example-case/example-case-a3.pdf", "fr/projets/example-case/example-case-a3.pdf"] {
        assert!(site.join("output").join(pdf).is_file(), "{pdf}");
    }
    let page = std::fs::read_to_string(site.join("output/fr/projets/example-case/index.html")).unwrap();
    assert!(page.contains("Sanne de Vries") && page.contains("Cheffe de projet"), "the contact person is shown");
    let checked = vitrine(&["check"], &site);
    assert_eq!(checked.status.code(), Some(0), "{}", stderr(&checked));
    assert!(stdout(&checked).ends_with(": no problems\n"), "{}", stdout(&checked));

    // a second init writes nothing over the site
    let before = common::tree(&site.join("content"));
    let again = vitrine(&["init"], &site);
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("site.yaml:1:1: error: this file exists already; init writes nothing over it"));
    assert_eq!(common::tree(&site.join("content")), before);
}

#[test]
fn init_in_the_current_folder_without_an_address_warns_until_one_is_set() {
    let dir = tempfile::tempdir().unwrap();
    let out = vitrine(&["init", "--lang", "en"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("created ./site.yaml") || stdout(&out).contains("created site.yaml"),
        "{}",
        stdout(&out)
    );
    assert!(!stdout(&out).contains("  cd "), "{}", stdout(&out));
    assert!(stdout(&out).contains("set base_url in site.yaml"), "{}", stdout(&out));
    let built = vitrine(&["build"], dir.path());
    assert_eq!(built.status.code(), Some(0), "{}", stderr(&built));
    assert!(stderr(&built).contains("site.yaml:1:1: warning: no `base_url`"), "{}", stderr(&built));
    assert!(dir.path().join("output/en/cases/example-case/example-case-a3.pdf").is_file());
    // a language code that is not one is wrong usage
    let bad = vitrine(&["init", "other", "--lang", "nl,Frans"], dir.path());
    assert_eq!(bad.status.code(), Some(2));
    assert!(!dir.path().join("other").exists());
}

#[test]
fn new_person_and_new_case_name_people_of_the_site() {
    let dir = tempfile::tempdir().unwrap();
    assert!(vitrine(&["init"], dir.path()).status.success());
    let made = vitrine(&["new", "person", "eefje", "--name", "Eefje Rolsma"], dir.path());
    assert_eq!(made.status.code(), Some(0), "{}", stderr(&made));
    assert_eq!(stdout(&made), "created content/people/eefje.yaml\ncases name this person with `contact: eefje`\n");
    let person = std::fs::read_to_string(dir.path().join("content/people/eefje.yaml")).unwrap();
    assert!(person.contains("name: \"Eefje Rolsma\"\n# role: { nl: \"…\", fr: \"…\" }"), "{person}");
    let again = vitrine(&["new", "person", "eefje"], dir.path());
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("content/people/eefje.yaml:1:1: error: this person exists already"));
    assert_eq!(vitrine(&["new", "person", "Eefje R"], dir.path()).status.code(), Some(2));

    // the new case's comment names a person who exists here
    assert!(vitrine(&["new", "case", "bavel"], dir.path()).status.success());
    let case = std::fs::read_to_string(dir.path().join("content/cases/bavel/index.nl.md")).unwrap();
    assert!(case.contains("# contact: eefje "), "{case}");
    let built = vitrine(&["build", "--drafts"], dir.path());
    assert_eq!(built.status.code(), Some(0), "{}", stderr(&built));
}

#[test]
fn new_case_refuses_where_there_is_no_site() {
    let dir = tempfile::tempdir().unwrap();
    for args in [&["new", "case", "bavel"][..], &["new", "case", "bavel", "--lang", "nl"], &["new", "person", "eefje"]]
    {
        let out = vitrine(args, dir.path());
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(stderr(&out).starts_with("error: there is no site in "), "{}", stderr(&out));
        assert!(stderr(&out).contains("hint: run `vitrine init` to start a site here"), "{}", stderr(&out));
    }
    assert!(!Path::new(&dir.path().join("content")).exists(), "nothing was made");
}
