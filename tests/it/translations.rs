//! The translation report, run as editors and CI run it: `vitrine
//! translations` in the site folder, a translation started with `vitrine
//! new translation` and marked up to date with `--done`.

use crate::common;

use common::{SITE_YAML, case, site, vitrine};
use std::path::Path;

fn statuses(dir: &Path) -> serde_json::Value {
    let out = vitrine(&["translations", "--json"], dir);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn status(dir: &Path, case: &str, lang: &str) -> String {
    let all = statuses(dir);
    let row = all.as_array().unwrap().iter().find(|r| r["case"] == case).unwrap_or_else(|| panic!("{case}: {all}"));
    row["languages"][lang].as_str().unwrap().to_string()
}

#[test]
fn missing_and_outdated_translations_are_reported_and_marked_up_to_date() {
    let nl = |title: &str, aanpak: &str| {
        format!("{}Inleiding.\n\n## Aanpak\n\n{aanpak}\n\n## Resultaat\n\nKlaar.\n", case(title, ""))
    };
    let dir = site(&[
        ("site.yaml", SITE_YAML),
        ("content/cases/a/index.nl.md", &nl("A", "Eerst luisteren.")),
        ("content/cases/a/index.fr.md", &case("A en français", "")),
        ("content/cases/b/index.nl.md", &nl("B", "Eerst luisteren.")),
        ("content/cases/c/index.fr.md", &case("C", "")),
    ]);
    let all = statuses(dir.path());
    assert_eq!(
        all,
        serde_json::json!([
            {"case": "a", "languages": {"nl": "ok", "fr": "ok"}},
            {"case": "b", "languages": {"nl": "ok", "fr": "missing"}},
            {"case": "c", "languages": {"nl": "missing", "fr": "ok"}},
        ])
    );
    assert_eq!(vitrine(&["translations", "--strict"], dir.path()).status.code(), Some(1));

    // a translation started from the first language: a draft that knows what it was made from
    let out = vitrine(&["new", "translation", "b", "fr"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("created content/cases/b/index.fr.md\n"));
    let fr = dir.path().join("content/cases/b/index.fr.md");
    let text = std::fs::read_to_string(&fr).unwrap();
    assert!(text.contains("\ndraft: true\n") && text.contains("\ntranslated_from: \"nl title="), "{text}");
    assert_eq!(status(dir.path(), "b", "fr"), "ok");
    assert_eq!(vitrine(&["new", "translation", "b", "fr"], dir.path()).status.code(), Some(1), "never overwrites");
    // translated and published
    std::fs::write(&fr, text.replace("draft: true\n", "").replace("Eerst luisteren.", "D'abord écouter.")).unwrap();
    assert_eq!(status(dir.path(), "b", "fr"), "ok");

    // the first language changes: its title and one section
    let source = dir.path().join("content/cases/b/index.nl.md");
    std::fs::write(&source, nl("B, herzien", "Eerst luisteren, dan bouwen.")).unwrap();
    assert_eq!(status(dir.path(), "b", "fr"), "outdated");
    let listed = String::from_utf8(vitrine(&["translations"], dir.path()).stdout).unwrap();
    let line = listed.lines().find(|l| l.starts_with("b ")).unwrap();
    assert!(line.contains("fr: outdated: title, section-aanpak changed"), "{listed}");
    let build = vitrine(&["build"], dir.path());
    assert!(build.status.success());
    let said = String::from_utf8_lossy(&build.stderr).to_string() + &String::from_utf8_lossy(&build.stdout);
    assert!(said.contains("translations: 1 missing, 1 outdated (`vitrine translations` lists them)"), "{said}");

    // brought up to date, and c translated too: nothing behind
    let out = vitrine(&["translations", "--done", "b", "fr"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(status(dir.path(), "b", "fr"), "ok");
    assert_eq!(vitrine(&["new", "translation", "c", "nl"], dir.path()).status.code(), Some(0));
    assert_eq!(vitrine(&["translations", "--strict"], dir.path()).status.code(), Some(0));
    // the source of a case is not a translation
    assert_eq!(vitrine(&["translations", "--done", "b", "nl"], dir.path()).status.code(), Some(1));
}
