//! The search index read back as its format says (`src/render/search.rs`,
//! the theme's `search.js`): with this file's own hash of a word's part and
//! its own decoding, not the writer's functions. The search box itself is
//! tried in Chromium by `tests/browser/search.mjs`.

use crate::common;
use serde_json::Value;
use std::path::Path;

fn json(out: &Path, rel: &str) -> Value {
    let text = std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// FNV-1a (32 bits) of the first two characters, as the format says.
fn part_of(word: &str, parts: u64) -> u64 {
    let two: String = word.chars().take(2).collect();
    let mut h: u32 = 0x811c_9dc5;
    for b in two.bytes() {
        h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
    }
    u64::from(h) % parts
}

/// A language's index as a reader's script sees it.
struct Index {
    meta: Value,
    /// Each part: (word → stem number, postings of each stem).
    parts: Vec<Value>,
    /// Every document: [address, title, client, year, excerpt].
    docs: Vec<Value>,
}

impl Index {
    fn read(out: &Path, lang: &str) -> Index {
        let meta = json(out, &format!("search/{lang}/meta.json"));
        let n = meta["parts"].as_u64().unwrap();
        let parts = (0..n).map(|k| json(out, &format!("search/{lang}/w/{k}.json"))).collect();
        let per_file = meta["per_file"].as_u64().unwrap();
        let files = meta["docs"].as_u64().unwrap().div_ceil(per_file);
        let docs = (0..files)
            .flat_map(|k| json(out, &format!("search/{lang}/d/{k}.json")).as_array().unwrap().clone())
            .collect();
        Index { meta, parts, docs }
    }

    /// The documents of the word's stem, with their scores: `(address, score)`.
    fn lookup(&self, word: &str) -> Vec<(String, u64)> {
        let part = &self.parts[part_of(word, self.parts.len() as u64) as usize];
        let Some(stem) = part["w"][word].as_u64() else { return vec![] };
        let postings: Vec<u64> =
            part["p"][stem as usize].as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).collect();
        let mut doc = 0;
        postings
            .chunks(2)
            .map(|p| {
                doc += p[0];
                (self.docs[doc as usize][0].as_str().unwrap().to_string(), p[1])
            })
            .collect()
    }

    fn addresses(&self, word: &str) -> Vec<String> {
        let mut a: Vec<String> = self.lookup(word).into_iter().map(|(a, _)| a).collect();
        a.sort();
        a
    }
}

#[test]
fn each_language_has_an_index_of_its_cases_that_finds_their_words() {
    let dir = common::example_copy();
    assert!(common::vitrine(&["build"], dir.path()).status.success());
    let out = dir.path().join("output");
    let nl = Index::read(&out, "nl");
    assert_eq!(nl.meta["docs"], 5);
    assert_eq!(nl.docs.len(), 5, "every Dutch case once");
    for d in &nl.docs {
        let url = d[0].as_str().unwrap();
        assert!(url.starts_with("nl/cases/") && out.join(url).join("index.html").is_file(), "{url}");
    }
    // every word in the part its first two characters name
    for (k, part) in nl.parts.iter().enumerate() {
        for word in part["w"].as_object().unwrap().keys() {
            assert_eq!(part_of(word, nl.parts.len() as u64), k as u64, "{word}");
        }
    }
    // a word of a title, its other forms, and its accents folded
    let bavel = "nl/cases/gebiedsvisie-bavel/".to_string();
    assert!(nl.addresses("gebiedsvisie").contains(&bavel));
    assert_eq!(nl.addresses("bavelse"), nl.addresses("bavel"), "one stem for both forms");
    assert_eq!(nl.addresses("coordinatie"), ["nl/cases/windmolenproject-energie-a16/"]);
    assert!(nl.lookup("coördinatie").is_empty(), "words are kept without their accents");

    let fr = Index::read(&out, "fr");
    assert_eq!(fr.docs.len(), 4);
    assert!(fr.addresses("ecoles").contains(&"fr/projets/scholen-van-morgen/".to_string()));
    assert_eq!(fr.addresses("equipes"), fr.addresses("equipe"), "one stem for both forms");
    assert!(fr.lookup("gebiedsvisie").is_empty(), "a language's index has its own cases only");
}

#[test]
fn a_word_in_the_title_outweighs_the_same_word_in_the_body() {
    let body = "Een verhaal over het zonnepark. Het zonnepark. Nog eens het zonnepark, en meer tekst.";
    let dir = common::site(&[
        ("site.yaml", common::SITE_YAML),
        ("content/cases/titel/index.nl.md", &common::case("Een zonnepark voor de buurt", "")),
        (
            "content/cases/tekst/index.nl.md",
            &format!("{}\n{body}\n", common::case("Een windpark voor de buurt", "").trim_end()),
        ),
    ]);
    assert!(common::vitrine(&["build"], dir.path()).status.success());
    let nl = Index::read(&dir.path().join("output"), "nl");
    let scores: std::collections::BTreeMap<String, u64> = nl.lookup("zonnepark").into_iter().collect();
    let (title, text) = (scores["nl/cases/titel/"], scores["nl/cases/tekst/"]);
    assert!(title > text, "once in the title {title}, three times in the body {text}");
}

#[test]
fn a_changed_case_is_found_by_its_new_words_at_the_next_build() {
    let dir = common::example_copy();
    assert!(common::vitrine(&["build"], dir.path()).status.success());
    let before = Index::read(&dir.path().join("output"), "nl");
    assert!(before.lookup("zonnepark").is_empty());
    let case = dir.path().join("content/cases/tuinzigtlaan-breda/index.nl.md");
    let text = std::fs::read_to_string(&case).unwrap();
    let title = text.lines().find(|l| l.starts_with("title:")).unwrap();
    std::fs::write(&case, text.replacen(title, "title: Een zonnepark aan de Tuinzigtlaan", 1)).unwrap();
    assert!(common::vitrine(&["build"], dir.path()).status.success());
    let nl = Index::read(&dir.path().join("output"), "nl");
    assert_eq!(nl.addresses("zonnepark"), ["nl/cases/tuinzigtlaan-breda/"]);
    assert_ne!(nl.meta["stamp"], before.meta["stamp"], "a new stamp: browsers load the new parts");
}

/// A build with the cache folder `cache`, in the site folder.
fn build_with_cache(site: &Path, cache: &Path) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_vitrine"))
        .arg("build")
        .current_dir(site)
        .env("NO_COLOR", "1")
        .env("VITRINE_CACHE_DIR", cache)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[cfg(unix)]
#[test]
fn an_unchanged_site_is_not_indexed_again() {
    use std::os::unix::fs::MetadataExt;
    let dir = common::example_copy();
    let cache = tempfile::tempdir().unwrap();
    let file = |rel: &str| std::fs::metadata(dir.path().join("output").join(rel)).unwrap().ino();
    build_with_cache(dir.path(), cache.path());
    let first = (file("search/nl/w/0.json"), file("search/fr/d/0.json"));
    build_with_cache(dir.path(), cache.path());
    assert_eq!((file("search/nl/w/0.json"), file("search/fr/d/0.json")), first, "the files the first build made");
    // a change to a Dutch case: the Dutch index is made again, the French one is not
    let case = dir.path().join("content/cases/tuinzigtlaan-breda/index.nl.md");
    std::fs::write(&case, std::fs::read_to_string(&case).unwrap() + "\nEen zin erbij.\n").unwrap();
    build_with_cache(dir.path(), cache.path());
    assert_ne!(file("search/nl/w/0.json"), first.0);
    assert_eq!(file("search/fr/d/0.json"), first.1);
}

/// `filters.json`: each tag, client and year with its documents, which are
/// the cases the tag's page lists, the cases of that client and of that
/// year (read from the case files' own front matter).
#[test]
fn the_filters_name_each_tag_client_and_year_with_its_cases() {
    let dir = common::example_copy();
    assert!(common::vitrine(&["build"], dir.path()).status.success());
    let out = dir.path().join("output");
    let nl = Index::read(&out, "nl");
    let filters = json(&out, "search/nl/filters.json");
    let addresses = |facet: &str, value: &str| -> Vec<String> {
        let values = filters[facet].as_array().unwrap();
        let (_, docs) = values
            .iter()
            .map(|v| (v[0].as_str().unwrap(), v[1].as_array().unwrap()))
            .find(|(v, _)| *v == value)
            .unwrap_or_else(|| panic!("no {facet} {value}"));
        let mut a: Vec<String> =
            docs.iter().map(|d| nl.docs[d.as_u64().unwrap() as usize][0].as_str().unwrap().to_string()).collect();
        a.sort();
        a
    };
    // the cases of each, from the sources
    let sources = |key: &str, value: &str| -> Vec<String> {
        let mut found = Vec::new();
        for entry in std::fs::read_dir(dir.path().join("content/cases")).unwrap().flatten() {
            let Ok(text) = std::fs::read_to_string(entry.path().join("index.nl.md")) else { continue };
            let fm = text.split("---").nth(1).unwrap();
            let v: serde_yaml::Value = serde_yaml::from_str(fm).unwrap();
            let has = match &v[key] {
                serde_yaml::Value::Sequence(items) => items.iter().any(|i| i.as_str() == Some(value)),
                other => other.as_str().is_some_and(|s| s.starts_with(value)),
            };
            if has {
                let slug =
                    v["slug"].as_str().map_or_else(|| entry.file_name().to_string_lossy().into_owned(), str::to_string);
                found.push(format!("nl/cases/{slug}/"));
            }
        }
        found.sort();
        found
    };
    assert_eq!(addresses("tag", "participatie"), sources("tags", "participatie"));
    assert_eq!(addresses("tag", "participatie").len(), 2);
    assert_eq!(addresses("client", "Gemeente Breda"), sources("client", "Gemeente Breda"));
    let years: Vec<&str> = filters["year"].as_array().unwrap().iter().map(|y| y[0].as_str().unwrap()).collect();
    assert_eq!(years, ["2022", "2021", "2020"], "newest first");
    let mut in_2021 = addresses("year", "2021");
    in_2021.sort();
    // (a date is 2021-… in the front matter: `date` read as text starts with the year)
    let mut from_files = Vec::new();
    for entry in std::fs::read_dir(dir.path().join("content/cases")).unwrap().flatten() {
        let Ok(text) = std::fs::read_to_string(entry.path().join("index.nl.md")) else { continue };
        if text.lines().any(|l| l.starts_with("date: 2021")) {
            let v: serde_yaml::Value = serde_yaml::from_str(text.split("---").nth(1).unwrap()).unwrap();
            let slug =
                v["slug"].as_str().map_or_else(|| entry.file_name().to_string_lossy().into_owned(), str::to_string);
            from_files.push(format!("nl/cases/{slug}/"));
        }
    }
    from_files.sort();
    assert_eq!(in_2021, from_files);
    // every case has a client and a year: each document once per facet
    for facet in ["client", "year"] {
        let n: usize = filters[facet].as_array().unwrap().iter().map(|v| v[1].as_array().unwrap().len()).sum();
        assert_eq!(n, nl.docs.len(), "{facet}");
    }
}
