//! `serve`'s incremental rebuilds: after every kind of change an editor
//! makes, the served site must be byte for byte what a clean build gives.

use crate::common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use vitrine::cache::Cache;
use vitrine::pipeline::{self, Options};
use vitrine::serve::{Change, Outcome, Rebuilder};
use vitrine::text::packed::Packed;

/// An edit and the change the watcher reports for it.
type Step<'a> = (&'static str, Box<dyn Fn() -> Option<Change> + 'a>);

const BASE: &str = "http://127.0.0.1:1111/";

/// The options of serving `root` at [`BASE`] with a cache of its own.
fn serving(root: &Path, cache: &tempfile::TempDir) -> Options {
    // (texts held deflated, as `serve` holds them; the clean build they are
    // compared with holds them as they are)
    Options { base_url: Some(BASE.into()), cache: Cache::at(cache.path()), deflate_texts: true, ..Options::new(root) }
}

/// Every file of a clean build of `root`, by output path.
fn clean_build(root: &Path) -> BTreeMap<String, Vec<u8>> {
    clean(root).0
}

/// [`clean_build`], with the build's summary.
fn clean(root: &Path) -> (BTreeMap<String, Vec<u8>>, vitrine::render::Summary) {
    let out = tempfile::tempdir().unwrap();
    let output = out.path().join("site");
    let report = pipeline::build(&Options { base_url: Some(BASE.into()), ..Options::new(root) }, &output);
    let Some(summary) = report.summary else { panic!("clean build failed: {:?}", report.diagnostics) };
    let files = walkdir::WalkDir::new(&output)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(&output).unwrap().to_string_lossy().replace('\\', "/");
            (rel, fs::read(e.path()).unwrap())
        })
        .collect();
    (files, summary)
}

/// What the server serves once it has made what it leaves for later.
fn served(r: &mut Rebuilder) -> BTreeMap<String, Vec<u8>> {
    r.finish();
    snapshot(r)
}

fn snapshot(r: &Rebuilder) -> BTreeMap<String, Vec<u8>> {
    r.snapshot().files.iter().map(|(rel, body)| (rel.to_string(), body.read().unwrap().to_vec())).collect()
}

/// The files of the search index.
fn index(files: BTreeMap<String, Vec<u8>>) -> BTreeMap<String, Vec<u8>> {
    files.into_iter().filter(|(rel, _)| rel.starts_with("search/")).collect()
}

fn assert_same(step: &str, got: &BTreeMap<String, Vec<u8>>, want: &BTreeMap<String, Vec<u8>>) {
    let missing: Vec<&String> = want.keys().filter(|k| !got.contains_key(*k)).collect();
    let extra: Vec<&String> = got.keys().filter(|k| !want.contains_key(*k)).collect();
    let differ: Vec<&String> = want.keys().filter(|k| got.get(*k).is_some_and(|g| g != &want[*k])).collect();
    assert!(
        missing.is_empty() && extra.is_empty() && differ.is_empty(),
        "after {step}: missing {missing:?}, extra {extra:?}, different {differ:?}"
    );
}

fn content(paths: &[&Path]) -> Option<Change> {
    Some(Change::Files { content: paths.iter().map(|p| p.to_path_buf()).collect(), settings: false })
}

#[test]
fn incremental_rebuilds_give_what_a_clean_build_gives() {
    let site = common::example_copy();
    let root = site.path();
    let cache_dir = tempfile::tempdir().unwrap();
    let mut r = Rebuilder::new(serving(root, &cache_dir));
    assert!(matches!(r.rebuild(None), Outcome::Built { .. }));
    assert_same("the first build", &served(&mut r), &clean_build(root));

    let cases = root.join("content/cases");
    let file = |rel: &str| cases.join(rel);
    let append = |path: &PathBuf, text: &str| {
        let mut s = fs::read_to_string(path).unwrap();
        s.push_str(text);
        fs::write(path, s).unwrap();
    };
    let replace = |path: &PathBuf, from: &str, to: &str| {
        let s = fs::read_to_string(path).unwrap();
        assert!(s.contains(from), "{} has no {from:?}", path.display());
        fs::write(path, s.replacen(from, to, 1)).unwrap();
    };

    let mut steps: Vec<Step> = Vec::new();
    steps.push((
        "a new paragraph in a case body",
        Box::new(|| {
            let f = file("centrum-huiselijk-geweld/index.nl.md");
            append(&f, "\nEen nieuwe alinea, net toegevoegd.\n");
            content(&[&f])
        }),
    ));
    steps.push((
        "a new title of a case other cases relate to",
        Box::new(|| {
            let f = file("windmolenproject-energie-a16/index.nl.md");
            replace(&f, "title: ", "title: Nieuw en ");
            content(&[&f])
        }),
    ));
    steps.push((
        "a new date that reorders the home",
        Box::new(|| {
            let f = file("gebiedsvisie-bavel/index.nl.md");
            replace(&f, "date: 2021-12-06", "date: 2019-01-01");
            content(&[&f])
        }),
    ));
    steps.push((
        "a new date that keeps the order (the sitemap's dates)",
        Box::new(|| {
            let f = file("tuinzigtlaan-breda/index.nl.md");
            replace(&f, "date: 2022-04-11", "date: 2022-05-02");
            content(&[&f])
        }),
    ));
    steps.push((
        "a new address for one translation (the other's language switch and alternates)",
        Box::new(|| {
            let f = file("veiliger-thuis-midden-brabant/index.fr.md");
            replace(&f, "slug: ", "slug: ensemble-");
            content(&[&f])
        }),
    ));
    steps.push((
        "a new case folder",
        Box::new(|| {
            let dir = cases.join("nieuwe-case");
            common::write(&dir, "index.nl.md", common::case("Een nieuwe case", "").as_bytes());
            content(&[&dir])
        }),
    ));
    steps.push((
        "a renamed case folder",
        Box::new(|| {
            let (from, to) = (cases.join("nieuwe-case"), cases.join("hernoemde-case"));
            fs::rename(&from, &to).unwrap();
            content(&[&from, &to])
        }),
    ));
    steps.push((
        "a case older than all others",
        Box::new(|| {
            let text = common::case("De oudste case", "").replace("date: 2021-01-02", "date: 2000-01-01");
            common::write(&cases, "oudste-case/index.nl.md", text.as_bytes());
            content(&[&cases.join("oudste-case")])
        }),
    ));
    steps.push((
        "a renamed case folder whose case stays in its place (in the order of files and of cases), the same text at a new address",
        Box::new(|| {
            let (from, to) = (cases.join("oudste-case"), cases.join("oudste-case-hernoemd"));
            fs::rename(&from, &to).unwrap();
            content(&[&from, &to])
        }),
    ));
    steps.push((
        "a case made a draft",
        Box::new(|| {
            let f = file("oudste-case-hernoemd/index.nl.md");
            replace(&f, "title: ", "draft: true\ntitle: ");
            content(&[&f])
        }),
    ));
    steps.push((
        "a new name for a language's section in site.yaml (every address in it)",
        Box::new(|| {
            replace(&root.join("site.yaml"), "section: projets", "section: realisations");
            Some(Change::Files { content: Default::default(), settings: true })
        }),
    ));
    steps.push((
        "a deleted translation",
        Box::new(|| {
            let f = file("veiliger-thuis-midden-brabant/index.fr.md");
            fs::remove_file(&f).unwrap();
            content(&[&f])
        }),
    ));
    steps.push((
        "a changed contact person",
        Box::new(|| {
            let f = root.join("content/people/eefje.yaml");
            replace(&f, "name: ", "name: Dr. ");
            content(&[&f])
        }),
    ));
    steps.push((
        "a new case image (resized again)",
        Box::new(|| {
            let f = file("gebiedsvisie-bavel/hero.jpg");
            let img = image::open(&f).unwrap().resize_exact(1200, 600, image::imageops::FilterType::Triangle);
            img.save(&f).unwrap();
            content(&[&f])
        }),
    ));
    steps.push((
        "a photo removed from a person",
        Box::new(|| {
            let f = root.join("content/people/eefje.yaml");
            replace(&f, "photo: eefje.png\n", "");
            content(&[&f])
        }),
    ));
    steps.push((
        "a changed strategy line (poster)",
        Box::new(|| {
            let f = file("veiliger-thuis-midden-brabant/index.nl.md");
            replace(&f, "Geweld stopt", "Geweld stopt pas");
            content(&[&f])
        }),
    ));
    steps.push((
        "a changed message (on pages and posters)",
        Box::new(|| {
            replace(&root.join("i18n/nl.ftl"), "facts-heading = ", "facts-heading = Alle ");
            Some(Change::Files { content: Default::default(), settings: true })
        }),
    ));
    steps.push((
        "a rescan after lost events, with a new case",
        Box::new(|| {
            common::write(&cases, "gemiste-case/index.nl.md", common::case("Een gemiste case", "").as_bytes());
            Some(Change::Everything)
        }),
    ));
    steps.push((
        "a deleted case folder",
        Box::new(|| {
            let dir = cases.join("hernoemde-case");
            fs::remove_dir_all(&dir).unwrap();
            content(&[&dir])
        }),
    ));
    for (step, apply) in &steps {
        let change = apply();
        let before = index(snapshot(&r));
        let outcome = r.rebuild(change);
        assert!(matches!(outcome, Outcome::Built { .. }), "after {step}: {outcome:?}");
        // the pages first, then the index (what is still served is as it was)
        let now = index(snapshot(&r));
        assert!(
            now.iter().all(|(rel, bytes)| before.get(rel) == Some(bytes)),
            "after {step}: the index before the pages"
        );
        let (files, summary) = clean(root);
        assert_same(step, &served(&mut r), &files);
        // the log line counts what is served, made now or not
        let Outcome::Built { summary: got, .. } = outcome else { unreachable!() };
        let counts = |s: vitrine::render::Summary| (s.pages, s.posters, s.print);
        assert_eq!(counts(got), counts(summary), "after {step}: the counts of the log line");
    }

    // a broken file keeps the last good site; its repair builds again
    let f = file("centrum-huiselijk-geweld/index.nl.md");
    let good = fs::read_to_string(&f).unwrap();
    let before = served(&mut r);
    fs::write(&f, good.replacen("title:", "titel:", 1)).unwrap();
    match r.rebuild(content(&[&f])) {
        Outcome::Failed { diagnostics } => {
            assert!(diagnostics.iter().any(|d| d.to_string().contains("index.nl.md:2:1: error")), "{diagnostics:?}")
        }
        other => panic!("a broken file built: {other:?}"),
    }
    assert_same("a broken file", &served(&mut r), &before);
    fs::write(&f, good.replacen("title: ", "title: Hersteld ", 1)).unwrap();
    assert!(matches!(r.rebuild(content(&[&f])), Outcome::Built { .. }));
    assert_same("the repair", &served(&mut r), &clean_build(root));

    // a person removed while cases name them: those cases are checked again
    // (their own files did not change) and fail; the person back, they pass
    let person = root.join("content/people/eefje.yaml");
    let kept = fs::read(&person).unwrap();
    fs::remove_file(&person).unwrap();
    match r.rebuild(content(&[&person])) {
        Outcome::Failed { diagnostics } => assert!(
            diagnostics.iter().any(|d| d.to_string().contains("error: contact `eefje` is not a person")),
            "{diagnostics:?}"
        ),
        other => panic!("a case naming a removed person built: {other:?}"),
    }
    fs::write(&person, kept).unwrap();
    // (the site is as the last good build left it)
    let back = r.rebuild(content(&[&person]));
    assert!(matches!(back, Outcome::Unchanged { .. }), "{back:?}");
    assert_same("the person back", &served(&mut r), &clean_build(root));

    // a link to a file of the case folder that is not there yet: the file's arrival
    // is enough to build again, though the Markdown did not change
    let f = file("gebiedsvisie-bavel/index.nl.md");
    let text = fs::read_to_string(&f).unwrap();
    fs::write(&f, format!("{text}\n[De visie als PDF](visie.pdf)\n")).unwrap();
    assert!(matches!(r.rebuild(content(&[&f])), Outcome::Failed { .. }), "a link to a missing file built");
    let pdf = file("gebiedsvisie-bavel/visie.pdf");
    fs::write(&pdf, b"%PDF-1.4").unwrap();
    assert!(matches!(r.rebuild(content(&[&pdf])), Outcome::Built { .. }));
    assert_same("the linked file added", &served(&mut r), &clean_build(root));
}

#[test]
fn an_unchanged_rebuild_changes_no_output() {
    let site = common::example_copy();
    let cache_dir = tempfile::tempdir().unwrap();
    let mut r = Rebuilder::new(serving(site.path(), &cache_dir));
    assert!(matches!(r.rebuild(None), Outcome::Built { .. }));
    let f = site.path().join("content/cases/gebiedsvisie-bavel/index.nl.md");
    assert!(matches!(r.rebuild(content(&[&f])), Outcome::Unchanged { .. }));
}

#[test]
fn a_text_that_links_a_case_follows_it_to_its_new_address_wherever_it_is_in_the_list() {
    // a case that links every other one of a list long enough to be
    // looked at in parts (on both cores); each in turn gets a new address
    let n = 40;
    let links: String = (0..n).map(|k| format!("[{k}](../c{k:02}/) ")).collect();
    let mut files = vec![("site.yaml".to_string(), common::SITE_YAML.to_string())];
    files.push(("content/cases/a/index.nl.md".into(), common::case("A", "").replace("Tekst", &links)));
    for k in 0..n {
        files.push((format!("content/cases/c{k:02}/index.nl.md"), common::case(&format!("C{k}"), "")));
    }
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let site = common::site(&files);
    let root = site.path();
    let mut session = pipeline::Session::new(&Options { deflate_texts: true, ..Options::new(root) });
    let body_of_a = |session: &mut pipeline::Session| {
        let (input, diags) = session.load();
        let input = input.unwrap_or_else(|| panic!("{diags:?}"));
        let a = input.site.pages.iter().find(|p| p.folder == "a").expect("a");
        a.body_html.text().into_owned()
    };
    assert!(body_of_a(&mut session).contains("href=\"/nl/cases/c39/\""));
    for k in [0, 13, 20, 27, 39] {
        let rel = format!("content/cases/c{k:02}/index.nl.md");
        common::write(root, &rel, common::case(&format!("C{k}"), &format!("slug: nieuw-{k}\n")).as_bytes());
        session.content_changed(&[root.join(&rel)]);
        let body = body_of_a(&mut session);
        assert!(body.contains(&format!("href=\"/nl/cases/nieuw-{k}/\"")), "link to c{k:02}: {body}");
        assert!(!body.contains(&format!("href=\"/nl/cases/c{k:02}/\"")), "link to c{k:02}: {body}");
    }
}

#[test]
fn a_file_added_to_a_case_folder_renders_again_only_the_texts_that_link_a_file_there() {
    let site = common::site(&[
        ("site.yaml", common::SITE_YAML),
        ("content/cases/a/index.nl.md", &common::case("A", "").replace("Tekst", "Het [plan](../b/plan.pdf). Tekst")),
        ("content/cases/b/index.nl.md", &common::case("B", "")),
        ("content/cases/b/plan.pdf", "%PDF-1.4\n"),
        ("content/cases/c/index.nl.md", &common::case("C", "").replace("Tekst", "Zie [B](../b/). Tekst")),
    ]);
    let root = site.path();
    let mut session = pipeline::Session::new(&Options { deflate_texts: true, ..Options::new(root) });
    let bodies = |session: &mut pipeline::Session| -> BTreeMap<String, Packed> {
        let (input, diags) = session.load();
        let input = input.unwrap_or_else(|| panic!("{diags:?}"));
        input.site.pages.iter().map(|p| (p.folder.clone(), p.body_html.clone())).collect()
    };
    let before = bodies(&mut session);
    let a = before["a"].text();
    assert!(a.contains("href=\"/nl/cases/b/plan.pdf\""), "{a}");

    // an editor's temporary file in b: the text that links a file of b is
    // made again (and comes out the same); the others are kept as they were
    let temp = root.join("content/cases/b/sed4Xq2b");
    fs::write(&temp, "x").unwrap();
    session.content_changed(&[&temp]);
    let after = bodies(&mut session);
    assert_eq!(before, after);
    assert!(!Packed::same_text(&before["a"], &after["a"]), "a's link was not looked up again");
    for kept in ["b", "c"] {
        assert!(Packed::same_text(&before[kept], &after[kept]), "{kept} was rendered again");
    }

    // the linked file gone: the link is an error, memo or not
    let plan = root.join("content/cases/b/plan.pdf");
    fs::remove_file(&plan).unwrap();
    session.content_changed(&[&plan]);
    let (input, diags) = session.load();
    assert!(input.is_none());
    let said: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
    assert!(
        said.iter().any(|d| d.ends_with(
            "content/cases/a/index.nl.md:7:12: error: link `../b/plan.pdf`: there is no file `plan.pdf` in the case folder `b`"
        )),
        "{said:?}"
    );
}

#[test]
fn the_search_index_of_each_save_is_held_not_cached() {
    let site = common::example_copy();
    let cache_dir = tempfile::tempdir().unwrap();
    let cached = || {
        let dir = cache_dir.path().join("search");
        fs::read_dir(dir).map_or(0, |d| d.filter(|e| e.as_ref().unwrap().path().is_file()).count())
    };
    let mut r = Rebuilder::new(serving(site.path(), &cache_dir));
    assert!(matches!(r.rebuild(None), Outcome::Built { .. }));
    // the site as serve found it: its index is cached for a build or the next start
    let first = served(&mut r);
    let at_start = cached();
    assert!(at_start > 0, "the first index is not in the cache");
    // a save: a new index, served, and nothing more in the cache
    let f = site.path().join("content/cases/gebiedsvisie-bavel/index.nl.md");
    let text = fs::read_to_string(&f).unwrap();
    fs::write(&f, format!("{text}\nEen nieuwe zin over zoekwoordgezinsvriendelijk.\n")).unwrap();
    assert!(matches!(r.rebuild(content(&[&f])), Outcome::Built { .. }));
    let now = served(&mut r);
    assert_ne!(index(first), index(now.clone()), "the index did not follow the save");
    assert_eq!(cached(), at_start, "a save's index was written to the cache");
    assert_same("a save", &now, &clean_build(site.path()));
}

#[test]
fn what_a_save_says_of_people_and_slugs_is_what_the_files_say_now() {
    let people = "role: { nl: Adviseur, fr: Conseillère }\n";
    let site = common::site(&[
        ("site.yaml", common::SITE_YAML),
        ("content/people/eefje.yaml", &format!("name: Eefje\n{people}")),
        ("content/people/moniek.yaml", &format!("name: Moniek\n{people}")),
        ("content/cases/a/index.nl.md", &common::case("A", "contact: eefje\n")),
        ("content/cases/b/index.nl.md", &common::case("B", "contact: moniek\n")),
    ]);
    let root = site.path();
    let mut session = pipeline::Session::new(&Options { deflate_texts: true, ..Options::new(root) });
    let mut save = |rel: &str, text: String| {
        common::write(root, rel, text.as_bytes());
        session.content_changed(&[root.join(rel)]);
        common::shown(root, &session.load().1)
    };
    let unnamed = |diags: &[String]| {
        diags
            .iter()
            .filter_map(|d| d.lines().next().filter(|l| l.contains("no case names")))
            .map(String::from)
            .collect::<Vec<_>>()
    };
    let b = "content/cases/b/index.nl.md";
    assert_eq!(unnamed(&save(b, common::case("B", "contact: moniek\n"))), Vec::<String>::new());
    // a case names another person: the first is named by none
    let diags = save(b, common::case("B", "contact: eefje\n"));
    assert_eq!(
        unnamed(&diags),
        ["content/people/moniek.yaml:1:1: warning: no case names Moniek (`moniek`) as its contact"]
    );
    // a slug that is none is said at its line, wherever a save moved it
    let slug_at = |diags: &[String]| diags.iter().find(|d| d.contains("is not a URL slug")).cloned();
    let wrong = "contact: eefje\nslug: Fout Adres\n";
    let at_6 = save(b, common::case("B", wrong));
    assert!(slug_at(&at_6).is_some_and(|d| d.starts_with(&format!("{b}:6:1: error"))), "{at_6:?}");
    let at_7 = save(b, common::case("B", &format!("summary: Kort.\n{wrong}")));
    assert!(slug_at(&at_7).is_some_and(|d| d.starts_with(&format!("{b}:7:1: error"))), "{at_7:?}");
}

#[test]
fn an_alias_saved_onto_a_page_no_save_touched_is_refused() {
    // (a, the oldest, is none of b's related cases: b's page is left as it is)
    let oldest = |title: &str, extra: &str| common::case(title, extra).replace("2021-01-02", "2000-01-01");
    let site = common::site(&[
        ("site.yaml", common::SITE_YAML),
        ("content/cases/a/index.nl.md", &oldest("A", "")),
        ("content/cases/b/index.nl.md", &common::case("B", "")),
        ("content/cases/c/index.nl.md", &common::case("C", "")),
        ("content/cases/d/index.nl.md", &common::case("D", "")),
        ("content/cases/e/index.nl.md", &common::case("E", "")),
    ]);
    let root = site.path();
    let cache_dir = tempfile::tempdir().unwrap();
    let mut r = Rebuilder::new(serving(root, &cache_dir));
    assert!(matches!(r.rebuild(None), Outcome::Built { .. }));
    let a = root.join("content/cases/a/index.nl.md");
    fs::write(&a, oldest("A", "aliases: [b]\n")).unwrap();
    match r.rebuild(content(&[&a])) {
        Outcome::Failed { diagnostics } => assert!(
            diagnostics.iter().any(|d| d.to_string().contains("alias `b` would take the place of the page of")),
            "{diagnostics:?}"
        ),
        other => panic!("an alias onto page b built: {other:?}"),
    }
}
