//! Every loader error an editor can make, with the exact `path:line:column`
//! message it gets; several at once; and the exit codes of the binary.

use crate::common;

use common::{SITE_YAML, case, diagnostics, site};

const CASE: &str = "content/cases/a/index.nl.md";

/// The diagnostics of a site with `site.yaml`, one good person and these files.
fn problems(files: &[(&str, &str)]) -> Vec<String> {
    let mut all =
        vec![("site.yaml", SITE_YAML), ("content/people/eefje.yaml", "name: Eefje Rolsma\nemail: eefje@example.org\n")];
    all.extend_from_slice(files);
    let dir = site(&all);
    // the fixture's person, whom not every case names (tested on its own below)
    let mut p = diagnostics(dir.path());
    p.retain(|d| !d.starts_with("content/people/eefje.yaml:1:1: warning: no case names"));
    p
}

fn one(files: &[(&str, &str)]) -> String {
    let p = problems(files);
    assert_eq!(p.len(), 1, "{p:#?}");
    p[0].clone()
}

#[test]
fn a_good_case_has_no_problem() {
    let p = problems(&[(CASE, &case("A", "contact: eefje\ntags: [x]\n"))]);
    assert!(p.is_empty(), "{p:#?}");
}

#[test]
fn unknown_key_with_did_you_mean_at_its_line() {
    let p = one(&[(CASE, "---\ntitle: A\ntitel: B\nclient: K\ndate: 2021-01-02\n---\n")]);
    assert_eq!(p, format!("{CASE}:3:1: error: unknown key `titel`\n    hint: did you mean `title`?"));
}

#[test]
fn nested_unknown_key_and_missing_required_key() {
    let p = problems(&[(
        CASE,
        "---\ntitle: A\ndate: 2021-01-02\nquote:\n  txt: Q\nfacts:\n  - value: \"1\"\n    lable: x\n---\n",
    )]);
    assert_eq!(
        p,
        [
            format!("{CASE}:1:1: error: missing required key `client`"),
            format!("{CASE}:5:3: error: unknown key `quote.txt`\n    hint: did you mean `text`?"),
            format!("{CASE}:8:5: error: unknown key `facts[1].lable`\n    hint: did you mean `label`?"),
        ]
    );
}

#[test]
fn dates_must_be_real_days_in_yyyy_mm_dd() {
    let p = one(&[(CASE, "---\ntitle: A\nclient: K\ndate: 2021-02-30\n---\n")]);
    assert!(p.starts_with(&format!("{CASE}:4:7: error: ")), "{p}");
    assert!(p.contains("`2021-02-30` is not a date: write it as YYYY-MM-DD"), "{p}");
    let p = one(&[(CASE, "---\ntitle: A\nclient: K\ndate: 15 juni 2020\n---\n")]);
    assert!(p.starts_with(&format!("{CASE}:4:7: error: ")), "{p}");
}

#[test]
fn wrong_types_are_located() {
    let p = one(&[(CASE, &case("A", "tags: 5\n"))]);
    assert_eq!(p, format!("{CASE}:5:1: error: `tags` must be a list"));
    let p = one(&[(CASE, &case("A", "draft: yes\n"))]);
    assert!(p.starts_with(&format!("{CASE}:5:8: error: draft: invalid type")), "{p}");
    let p = one(&[(CASE, &case("A", "facts:\n  - value: 200.000\n    label: mensen\n"))]);
    assert!(p.starts_with(&format!("{CASE}:6:12: error: ")) && p.contains("put the value in quotes"), "{p}");
    // the first fact is facts[1] in every message, as an editor counts
    assert!(p.contains("facts[1].value: "), "{p}");
}

#[test]
fn dutch_and_french_keys_get_the_key_they_mean() {
    let p = problems(&[(
        CASE,
        "---\ntitel: A\nklant: K\ndatum: 2021-01-02\nfeiten:\n  - value: \"1\"\n    label: x\ncitation:\n  text: Q\n---\n",
    )]);
    assert_eq!(
        p,
        [
            format!("{CASE}:2:1: error: unknown key `titel`\n    hint: did you mean `title`?"),
            format!("{CASE}:3:1: error: unknown key `klant`\n    hint: did you mean `client`?"),
            format!("{CASE}:4:1: error: unknown key `datum`\n    hint: did you mean `date`?"),
            format!("{CASE}:5:1: error: unknown key `feiten`\n    hint: did you mean `facts`?"),
            format!("{CASE}:8:1: error: unknown key `citation`\n    hint: did you mean `quote`?"),
        ]
    );
    let p = one(&[(CASE, &case("A", "stratégie:\n  title: S\n  lignes:\n    - title: L\n"))]);
    assert_eq!(p, format!("{CASE}:5:1: error: unknown key `stratégie`\n    hint: did you mean `strategy`?"));
}

#[test]
fn an_unknown_key_does_not_hide_the_other_problems_of_its_file() {
    let p = problems(&[
        (CASE, &case("A", "tagz: [x]\ncontact: eefj\nrelated: [nope]\n")),
        ("content/people/jan.yaml", "naam: Jan\n"),
        ("content/cases/b/index.nl.md", &case("B", "contact: jan\n")),
    ]);
    assert_eq!(
        p,
        [
            format!("{CASE}:5:1: error: unknown key `tagz`\n    hint: did you mean `tags`?"),
            format!(
                "{CASE}:6:1: error: contact `eefj` is not a person in content/people/\n    hint: did you mean `eefje` (content/people/eefje.yaml: Eefje Rolsma)?"
            ),
            // the item itself, in the list `[nope]`
            format!("{CASE}:7:11: error: related case `nope` does not exist"),
            // a person read as its misspelt key meant: the case naming them is fine
            "content/people/jan.yaml:1:1: error: unknown key `naam`\n    hint: did you mean `name`?".to_string(),
        ]
    );
}

#[test]
fn the_commonest_yaml_mistakes_get_a_hint() {
    let colon = one(&[(CASE, "---\ntitle: Partnercommunicatie: een reis\nclient: K\ndate: 2021-01-02\n---\n")]);
    assert_eq!(
        colon,
        format!(
            "{CASE}:2:27: error: mapping values are not allowed in this context\n    hint: put the text in quotes: title: \"Partnercommunicatie: een reis\""
        )
    );
    // a quote inside quoted text: the caret on the quote that closed it, and the fix
    let inner = one(&[(CASE, &case("A", "summary: \"Hij zei \"ja\" tegen het plan\"\n"))]);
    assert_eq!(
        inner,
        format!(
            "{CASE}:5:19: error: this `\"` ends the text that the first `\"` began, and the rest of the line is left over\n    hint: to write \" inside the text, put the text in single quotes: summary: 'Hij zei \"ja\" tegen het plan' (or write \\\" for each inner quote)"
        )
    );
    let inner = one(&[(CASE, &case("A", "summary: 'Le projet de l'agence'\n"))]);
    assert_eq!(
        inner,
        format!(
            "{CASE}:5:25: error: this `'` ends the text that the first `'` began, and the rest of the line is left over\n    hint: to write ' inside text in single quotes, double it: summary: 'Le projet de l''agence' (or put the text in double quotes)"
        )
    );
    let tab = one(&[(CASE, &case("A", "quote:\n\ttext: Q\n"))]);
    assert!(tab.starts_with(&format!("{CASE}:6:1: error: ")), "{tab}");
    assert!(tab.ends_with("hint: indent with spaces: YAML does not allow tabs in indentation"), "{tab}");
}

#[test]
fn references_to_people_and_cases_are_checked() {
    let p = problems(&[
        (CASE, &case("A", "contact: eefj\nrelated:\n  - b\n  - bee\n")),
        ("content/cases/b/index.nl.md", &case("B", "")),
        ("content/cases/bed/index.fr.md", &case("Bed", "")),
    ]);
    assert_eq!(
        p,
        [
            format!(
                "{CASE}:5:1: error: contact `eefj` is not a person in content/people/\n    hint: did you mean `eefje` (content/people/eefje.yaml: Eefje Rolsma)?"
            ),
            // the caret on the item, not its dash
            format!("{CASE}:8:5: error: related case `bee` does not exist\n    hint: did you mean `bed`?"),
        ]
    );
    let p = one(&[(CASE, &case("A", "related: [b]\n")), ("content/cases/b/index.fr.md", &case("B", ""))]);
    assert_eq!(p, format!("{CASE}:5:1: warning: related case `b` has no nl version; it is left out"));
}

#[test]
fn images_must_be_files_inside_the_case_folder() {
    let p = one(&[(CASE, &case("A", "image: ../b/hero.jpg\n"))]);
    assert!(
        p.starts_with(&format!("{CASE}:5:1: error: image `../b/hero.jpg` must be a file inside the case folder")),
        "{p}"
    );
    let p = one(&[(CASE, &case("A", "image: /etc/hero.jpg\n"))]);
    assert!(p.contains("must be a file inside the case folder"), "{p}");
    let p = problems(&[(CASE, &case("A", "image: hero.sgv\n")), ("content/cases/a/hero.svg", "<svg/>")]);
    assert!(
        p.contains(&format!(
            "{CASE}:5:1: error: image `hero.sgv` is not in the case folder\n    hint: did you mean `hero.svg`?"
        )),
        "{p:#?}"
    );
}

#[test]
fn slugs_are_unique_per_language() {
    let p = one(&[(CASE, &case("A", "slug: same\n")), ("content/cases/b/index.nl.md", &case("B", "slug: same\n"))]);
    assert_eq!(
        p,
        format!("content/cases/b/index.nl.md:5:1: error: slug `same` is also used by {CASE} in the same language")
    );
    // the same slug in two languages is fine
    assert!(
        problems(&[(CASE, &case("A", "slug: same\n")), ("content/cases/b/index.fr.md", &case("B", "slug: same\n"))])
            .is_empty()
    );
    let p = one(&[(CASE, &case("A", "slug: Mijn Case\n"))]);
    assert_eq!(
        p,
        format!(
            "{CASE}:5:1: error: slug `Mijn Case` is not a URL slug\n    hint: use lowercase letters, digits and hyphens, such as `mijn-case`"
        )
    );
}

#[test]
fn a_strategy_has_one_to_five_lines() {
    let six: String = (1..=6).map(|i| format!("    - title: L{i}\n      text: T{i}\n")).collect();
    let p = one(&[(CASE, &case("A", &format!("strategy:\n  title: S\n  lines:\n{six}")))]);
    assert_eq!(p, format!("{CASE}:7:3: error: a strategy has 1 to 5 lines, this one has 6"));
    let p = one(&[(CASE, &case("A", "strategy:\n  title: S\n  lines: []\n"))]);
    assert_eq!(p, format!("{CASE}:7:3: error: a strategy has 1 to 5 lines, this one has 0"));
    let p = one(&[(CASE, &case("A", "strategy:\n  title: S\n"))]);
    assert_eq!(p, format!("{CASE}:5:1: error: missing required key `strategy.lines`"));
    // a line is a title and its text, as the README says
    let p = one(&[(
        CASE,
        &case("A", "strategy:\n  title: S\n  lines:\n    - title: L1\n      text: T1\n    - title: L2\n"),
    )]);
    assert_eq!(p, format!("{CASE}:10:5: error: missing required key `strategy.lines[2].text`"));
}

#[test]
fn languages_must_be_declared() {
    let p = one(&[("content/cases/a/index.de.md", &case("A", ""))]);
    assert_eq!(
        p,
        "content/cases/a/index.de.md:1:1: warning: language `de` (from the file name) is not one of the site's languages (nl, fr): the file is neither built nor published\n    hint: add `de` to `languages` in site.yaml to publish it"
    );
}

#[test]
fn broken_files_are_ordinary_errors() {
    assert_eq!(
        one(&[(CASE, "")]),
        format!("{CASE}:1:1: error: the file is empty: a case starts with front matter between two `---` lines")
    );
    assert_eq!(
        one(&[(CASE, "---\ntitle: A\nclient: K\n")]),
        format!("{CASE}:1:1: error: the front matter is never closed: add a line `---` after its last key")
    );
    assert_eq!(
        one(&[(CASE, "# Titel\n\ntekst\n")]),
        format!("{CASE}:1:1: error: no front matter: the first line of a case file must be `---`")
    );
    // half-written YAML: an unclosed flow list
    let p = one(&[(CASE, "---\ntitle: A\nclient: K\ndate: 2021-01-02\ntags: [a, b\n---\n")]);
    assert!(p.starts_with(&format!("{CASE}:")) && p.contains("error:"), "{p}");
    let p = one(&[(CASE, "---\ntitle: A\n  client: K\n---\n")]);
    assert!(p.starts_with(&format!("{CASE}:3:")), "{p}");
}

#[test]
fn non_utf8_is_reported_at_the_byte() {
    let dir = site(&[("site.yaml", SITE_YAML)]);
    common::write(dir.path(), CASE, b"---\ntitle: Caf\xe9\n");
    assert_eq!(diagnostics(dir.path()), [format!("{CASE}:2:11: error: this file is not UTF-8 text: save it as UTF-8")]);
}

#[test]
fn bom_and_crlf_are_fine() {
    let text = format!("\u{feff}{}", case("A", "tags: [x]\n").replace('\n', "\r\n"));
    assert!(problems(&[(CASE, &text)]).is_empty());
}

#[test]
fn every_problem_of_the_run_is_reported_at_once() {
    let p = problems(&[
        (CASE, "---\ntitel: A\nclient: K\ndate: 2021-01-02\nklant: X\n---\n"),
        ("content/cases/b/index.nl.md", &case("B", "contact: nobody\n")),
        ("content/cases/c/index.fr.md", ""),
        ("content/people/broken.yaml", "name: X\nmail: x@example.org\n"),
    ]);
    assert_eq!(p.len(), 5, "{p:#?}");
    assert!(p.iter().any(|l| l.starts_with("content/cases/a/index.nl.md:2:1: error: unknown key `titel`")));
    assert!(p.iter().any(|l| l.starts_with("content/cases/a/index.nl.md:5:1: error: unknown key `klant`")));
    // `titel` is taken for `title`: its hint says so, and `title` is not reported missing as well
    assert!(p.iter().all(|l| !l.contains("missing required key `title`")));
    assert!(p.iter().any(|l| l.starts_with("content/cases/b/index.nl.md:5:1: error: contact `nobody`")));
    assert!(p.iter().any(|l| l.starts_with("content/cases/c/index.fr.md:1:1: error: the file is empty")));
    assert!(p.iter().any(|l| l.starts_with("content/people/broken.yaml:2:1: error: unknown key `mail`")));
}

#[test]
fn site_yaml_problems_are_located() {
    let dir =
        site(&[("site.yaml", "title: T\nlanguages:\n  nl: { name: N, section: Cases Nu }\n"), (CASE, &case("A", ""))]);
    let p = diagnostics(dir.path());
    assert_eq!(
        p,
        [
            "site.yaml:3:3: error: section `Cases Nu` of `nl` is not a URL slug\n    hint: use lowercase letters, digits and hyphens, such as `cases`"
        ]
    );
}

mod binary {
    use super::*;
    use common::{tree as files, vitrine};

    #[test]
    fn a_wrong_date_is_underlined_whole() {
        let dir = site(&[("site.yaml", SITE_YAML), (CASE, "---\ntitle: A\nclient: K\ndate: 15 september 2021\n---\n")]);
        let out = vitrine(&["build"], dir.path());
        assert_eq!(out.status.code(), Some(1));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(" 4 | date: 15 september 2021\n   |       ^^^^^^^^^^^^^^^^^\n"), "{stderr}");
    }

    #[test]
    fn a_missing_base_url_is_said_once_by_build_and_check() {
        let dir = site(&[("site.yaml", "title: T\n"), (CASE, &case("A", ""))]);
        let warning = "site.yaml:1:1: warning: no `base_url`: canonical links, og:url, the sitemap, the feeds and every poster's footer point at https://example.org/";
        for command in ["build", "check"] {
            let out = vitrine(&[command], dir.path());
            assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(stderr.matches(warning).count(), 1, "{command}: {stderr}");
        }
        // given on the command line or in site.yaml, nothing is said
        let out = vitrine(&["build", "--base-url", "https://www.agency.nl/cases/"], dir.path());
        assert!(!String::from_utf8_lossy(&out.stderr).contains("base_url"));
        let stdout = String::from_utf8_lossy(&out.stdout);
        // below a sub-path, robots.txt is useless, and the build says so
        assert!(
            stdout.contains("note: robots.txt is written, but crawlers read it only at the root of the host (https://www.agency.nl/robots.txt)"),
            "{stdout}"
        );
        common::write(dir.path(), "site.yaml", b"title: T\nbase_url: https://www.agency.nl/\n");
        let out = vitrine(&["build"], dir.path());
        assert!(!String::from_utf8_lossy(&out.stderr).contains("base_url"));
        assert!(!String::from_utf8_lossy(&out.stdout).contains("robots.txt"));
    }

    #[test]
    fn content_errors_exit_1_and_keep_the_previous_output() {
        let dir = site(&[("site.yaml", SITE_YAML), (CASE, &case("A", ""))]);
        let ok = vitrine(&["build"], dir.path());
        assert_eq!(ok.status.code(), Some(0), "{}", String::from_utf8_lossy(&ok.stderr));
        let stdout = String::from_utf8_lossy(&ok.stdout);
        assert!(stdout.starts_with("built 9 pages, 0 posters, "), "{stdout}");
        let before = files(&dir.path().join("output"));
        common::write(dir.path(), CASE, b"---\ntitle: A\nclient: K\ndate: gisteren\n---\n");
        common::write(dir.path(), "content/cases/b/index.nl.md", b"---\ntitel: B\n---\n");
        let bad = vitrine(&["build"], dir.path());
        assert_eq!(bad.status.code(), Some(1));
        let stderr = String::from_utf8_lossy(&bad.stderr);
        assert!(stderr.contains(&format!("{CASE}:4:7: error: `gisteren` is not a date")), "{stderr}");
        assert!(stderr.contains("content/cases/b/index.nl.md:2:1: error: unknown key `titel`"), "{stderr}");
        let after = files(&dir.path().join("output"));
        assert_eq!(before, after, "the failed build changed the output");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().contains("vitrine"))
            .collect();
        assert!(leftovers.is_empty(), "staging folders left: {leftovers:?}");
    }

    #[test]
    fn wrong_usage_exits_2() {
        let dir = site(&[]);
        assert_eq!(vitrine(&["bulid"], dir.path()).status.code(), Some(2));
        assert_eq!(vitrine(&["build", "--nope"], dir.path()).status.code(), Some(2));
        assert_eq!(vitrine(&[], dir.path()).status.code(), Some(2));
    }

    #[test]
    fn a_folder_with_only_content_builds_with_the_builtin_theme() {
        let dir = site(&[
            ("content/cases/a/index.fr.md", &case("A", "")),
            ("content/cases/a/index.nl.md", &case("A nl", "")),
            ("content/cases/b/index.nl.md", &case("B", "")),
        ]);
        let out = vitrine(&["build"], dir.path());
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        let page = std::fs::read_to_string(dir.path().join("output/fr/projets/a/index.html")).unwrap();
        assert!(page.contains("<html lang=\"fr\">") && page.contains("Tous les projets"), "built-in fr messages");
        assert!(page.contains("href=\"/nl/cases/a/\""), "switch to the nl translation");
        assert!(dir.path().join("output/style.css").is_file());
        assert!(std::fs::read_to_string(dir.path().join("output/index.html")).unwrap().contains("href=\"/nl/\""));
    }
}

#[test]
fn every_problem_of_a_file_in_one_run_whatever_comes_first() {
    // a Dutch key whose value does not fit the key it stands for, a date
    // that is none, text where a list belongs: none of them hides the
    // contact and the related case that are wrong too
    let p = problems(&[(
        CASE,
        "---\ntitle: A\nclient: K\ndate: 2021-13-45\ntags: 5\nfeiten: 1\ncontact: niemand-hier\nrelated: [geen-case]\n---\n",
    )]);
    let at: Vec<&str> = p.iter().map(|d| d.split(": error: ").next().unwrap()).collect();
    assert_eq!(at, ["4:7", "5:1", "6:1", "7:1", "8:11"].map(|lc| format!("{CASE}:{lc}")), "{p:#?}");
    assert!(p[2].contains("unknown key `feiten`"), "{}", p[2]);
    assert!(p[3].contains("niemand-hier"), "{}", p[3]);
    assert!(p[4].contains("geen-case"), "{}", p[4]);
}

#[test]
fn a_name_for_a_contact_and_an_address_for_a_related_case_get_what_was_meant() {
    let p = problems(&[
        (CASE, &case("A", "contact: Eefje Rolsma\nrelated: [foyer-plus-sur, b-nl]\n")),
        ("content/cases/b/index.nl.md", &case("B", "slug: b-nl\n")),
        ("content/cases/c/index.fr.md", &case("C", "slug: foyer-plus-sur\n")),
    ]);
    assert_eq!(
        p,
        [
            format!(
                "{CASE}:5:1: error: contact `Eefje Rolsma` is not a person in content/people/\n    hint: did you mean `eefje` (content/people/eefje.yaml: Eefje Rolsma)? `contact` takes the name of the person's file, not the person's"
            ),
            format!(
                "{CASE}:6:11: error: related case `foyer-plus-sur` does not exist\n    hint: `foyer-plus-sur` is the address of the case in folder `c`: `related` names case folders, so write `c`"
            ),
            format!(
                "{CASE}:6:27: error: related case `b-nl` does not exist\n    hint: `b-nl` is the address of the case in folder `b`: `related` names case folders, so write `b`"
            ),
        ]
    );
}

#[test]
fn a_person_no_case_names_is_a_warning_naming_the_file() {
    let dir = site(&[
        ("site.yaml", SITE_YAML),
        ("content/people/eefje.yaml", "name: Eefje Rolsma\n"),
        ("content/people/sanne.yaml", "name: Sanne de Vries\n"),
        (CASE, &case("A", "contact: eefje\n")),
        // a draft names its contact too
        ("content/cases/b/index.nl.md", &case("B", "draft: true\ncontact: sanne\n")),
    ]);
    assert!(diagnostics(dir.path()).is_empty(), "{:#?}", diagnostics(dir.path()));
    std::fs::remove_dir_all(dir.path().join("content/cases/b")).unwrap();
    assert_eq!(
        diagnostics(dir.path()),
        [
            "content/people/sanne.yaml:1:1: warning: no case names Sanne de Vries (`sanne`) as its contact\n    hint: write `contact: sanne` in a case, or remove the file when the person is no longer a contact"
        ]
    );
}

#[test]
fn a_person_file_that_does_not_parse_is_one_error_not_one_per_case_naming_them() {
    let p = one(&[
        ("content/people/jan.yaml", "name: Jan\nrole: { nl: \"Adviseur, fr: Conseiller }\n"),
        (CASE, &case("A", "contact: jan\n")),
        ("content/cases/b/index.nl.md", &case("B", "contact: jan\n")),
    ]);
    assert!(p.starts_with("content/people/jan.yaml:"), "{p}");
    // a contact that names nobody is still an error
    let p = one(&[(CASE, &case("A", "contact: piet\n"))]);
    assert!(p.starts_with(&format!("{CASE}:5:1: error: contact `piet` is not a person")), "{p}");
}
