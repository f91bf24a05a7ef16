//! What a case folder publishes: the case pages and the files a page links
//! or shows; never editors' and systems' leftovers, near misses of a case
//! file or client material nobody linked. Run as the README runs build.

use crate::common;

use common::{SITE_YAML, case, site, vitrine};

#[test]
fn only_what_a_page_links_or_shows_is_published() {
    let body = "Het [rapport](rapport.pdf) en ![de kaart](kaart.svg \"kaart\").\n";
    let dir = site(&[
        ("site.yaml", SITE_YAML),
        ("content/cases/a/index.nl.md", &format!("{}{body}", case("A", "image: hero.svg\nimage_alt: Een held\n"))),
        ("content/cases/a/index.fr.md", &case("A en français", "")),
        ("content/cases/a/hero.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" height=\"2\"/>"),
        ("content/cases/a/kaart.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" height=\"2\"/>"),
        ("content/cases/a/rapport.pdf", "%PDF-1.4"),
        // client material nobody linked
        ("content/cases/a/interview-klant.docx", "vertrouwelijk"),
        ("content/cases/a/notities.txt", "intern"),
        // near misses of a case file
        ("content/cases/a/Index.NL.md", &case("Oud", "")),
        ("content/cases/a/index.fr.markdown", &case("Brouillon", "")),
        ("content/cases/a/index.nl.md.bak", &case("Backup", "")),
        // leftovers of systems and editors
        ("content/cases/a/.DS_Store", "x"),
        ("content/cases/a/Thumbs.db", "x"),
        ("content/cases/a/desktop.ini", "x"),
        ("content/cases/a/~$interview-klant.docx", "x"),
        ("content/cases/a/rapport.pdf~", "x"),
        ("content/cases/a/.index.nl.md.swp", "x"),
    ]);
    let out = vitrine(&["build"], dir.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let published = |lang_dir: &str| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir.path().join("output").join(lang_dir))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    // the files linked from the Dutch text are beside both language versions
    // and each page's share image
    assert_eq!(published("nl/cases/a"), ["a-share.png", "hero.svg", "index.html", "kaart.svg", "rapport.pdf"]);
    assert_eq!(published("fr/projets/a"), ["a-share.png", "hero.svg", "index.html", "kaart.svg", "rapport.pdf"]);
    assert!(
        stderr.contains("content/cases/a:1:1: warning: these files are neither linked nor shown by a page of the case, so not published: interview-klant.docx, notities.txt"),
        "{stderr}"
    );
    for (file, meant) in
        [("Index.NL.md", "index.nl.md"), ("index.fr.markdown", "index.fr.md"), ("index.nl.md.bak", "index.nl.md")]
    {
        let warning = format!(
            "content/cases/a/{file}:1:1: warning: this looks like the case file `{meant}`, but a case file is named exactly index.<lang>.md: it is neither built nor published"
        );
        assert!(stderr.contains(&warning), "{file}: {stderr}");
    }
    for quiet in ["DS_Store", "Thumbs.db", "desktop.ini", "~$", ".swp", "rapport.pdf~"] {
        assert!(!stderr.contains(quiet), "{quiet} is noise, not worth a warning: {stderr}");
    }
    // a case file in a language the site lacks is left out with a warning naming the likely one
    common::write(dir.path(), "content/cases/a/index.nk.md", case("Tikfout", "").as_bytes());
    let out = vitrine(&["build"], dir.path());
    assert_eq!(out.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains(
            "content/cases/a/index.nk.md:1:1: warning: language `nk` (from the file name) is not one of the site's languages (nl, fr): the file is neither built nor published\n   = hint: rename it to index.nl.md"
        ),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_case_links_its_own_poster_in_its_language() {
    let strategy = "strategy:\n  title: S\n  lines:\n    - title: L\n      text: T\n";
    let dir = site(&[
        ("site.yaml", SITE_YAML),
        ("content/cases/a/index.nl.md", &format!("{}[Bekijk de strategie op één A3](poster:)\n", case("A", strategy))),
        (
            "content/cases/a/index.fr.md",
            &format!("{}[La stratégie sur un A3](poster:)\n", case("A fr", &format!("slug: a-fr\n{strategy}"))),
        ),
    ]);
    let out = vitrine(&["build"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    for (page, href) in [
        ("nl/cases/a/index.html", "/nl/cases/a/a-a3.pdf"),
        ("fr/projets/a-fr/index.html", "/fr/projets/a-fr/a-fr-a3.pdf"),
    ] {
        let html = std::fs::read_to_string(dir.path().join("output").join(page)).unwrap();
        assert!(html.contains(&format!("<a href=\"{href}\">")), "{page}: {html}");
        assert!(dir.path().join("output").join(&href[1..]).is_file(), "{href}");
    }
    let out = vitrine(&["check"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));

    // a case without a strategy has no poster to link, and `poster:` takes nothing after it
    std::fs::write(dir.path().join("content/cases/a/index.nl.md"), format!("{}[A3](poster:)\n", case("A", "")))
        .unwrap();
    std::fs::write(
        dir.path().join("content/cases/a/index.fr.md"),
        format!("{}[A3](poster:autre)\n", case("A fr", &format!("slug: a-fr\n{strategy}"))),
    )
    .unwrap();
    let out = vitrine(&["build"], dir.path());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("content/cases/a/index.nl.md:8:6: error: link `poster:` leads to the case's A3 poster, but the case has no `strategy`"), "{err}");
    assert!(err.contains("content/cases/a/index.fr.md:14:6: error: link `poster:autre`"), "{err}");
}
