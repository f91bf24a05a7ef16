//! The A3 strategy poster: the PDF as a reader sees it, the layout's
//! geometry for 1, 3 and 5 lines, fitting, refusal, determinism.

use crate::common;

use common::{SITE_YAML, case, shown, site};
use lopdf::{Document, Object};
use vitrine::cache::Cache;
use vitrine::cache::Output;
use vitrine::model::urls::PosterFile;
use vitrine::pipeline;
use vitrine::poster::Posters;
use vitrine::poster::fonts::{Faces, Style};
use vitrine::poster::layout::{self, Content, Item, Labels, MAX_BODY, MIN_BODY, Placed};
use vitrine::poster::text::{Paragraph, Run, runs};
use vitrine::render::Input;

fn example() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let report = common::build(&common::example_root(), &out);
    assert!(report.summary.is_some(), "{:#?}", report.diagnostics);
    assert_eq!(report.summary.unwrap().posters, 2);
    (dir, out)
}

fn text_of(doc: &Document) -> String {
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&pages).unwrap()
}

/// The text with runs of ordinary white space made one space; no-break
/// spaces stay what they are, so a test sees whether numbers are tied.
fn squash(s: &str) -> String {
    s.split([' ', '\n', '\t', '\r']).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

#[test]
fn example_posters_are_one_page_a3_with_fonts_language_and_text() {
    let (_dir, out) = example();
    for (rel, lang, title, lines, words) in [
        (
            "nl/cases/veiliger-thuis-midden-brabant/veiliger-thuis-midden-brabant-a3.pdf",
            "nl",
            "Een ‘Veiliger Thuis’ in Midden-Brabant",
            ["Heldere verwachtingen over en weer", "Op zoek naar verbinding", "In gesprek over het vergezicht"],
            vec![
                "Communicatiestrategie voor een ‘Veiliger Thuis’ in Midden-Brabant",
                "FACTS & FIGURES",
                "200.000",
                "Moniek",
            ],
        ),
        (
            "fr/projets/foyer-plus-sur-brabant-central/foyer-plus-sur-brabant-central-a3.pdf",
            "fr",
            "Un foyer plus sûr dans le Brabant central",
            ["Des attentes mutuelles claires", "Chercher une connexion", "Parler du panorama"],
            vec![
                "Stratégie de communication",
                "Conseillère chez Connect",
                "sécurité",
                "rôle",
                "FAITS ET CHIFFRES",
                // digit groups tied by a narrow no-break space
                "200\u{202F}000",
            ],
        ),
    ] {
        let bytes = std::fs::read(out.join(rel)).unwrap();
        assert!(bytes.len() < 300_000, "{rel}: {} bytes", bytes.len());
        let doc = Document::load_mem(&bytes).unwrap();
        let pages = doc.get_pages();
        assert_eq!(pages.len(), 1, "{rel}");
        let page = doc.get_dictionary(*pages.values().next().unwrap()).unwrap();
        let media: Vec<f32> =
            page.get(b"MediaBox").unwrap().as_array().unwrap().iter().map(|o| o.as_float().unwrap()).collect();
        assert!((media[2] - 841.89).abs() < 0.5 && (media[3] - 1190.55).abs() < 0.5, "{rel}: {media:?}");
        let catalog = doc.catalog().unwrap();
        assert_eq!(catalog.get(b"Lang").unwrap().as_str().unwrap(), lang.as_bytes());
        let info = doc.trailer.get(b"Info").and_then(|r| doc.dereference(r)).unwrap().1.as_dict().unwrap().clone();
        let pdf_title = info.get(b"Title").unwrap();
        assert!(matches!(pdf_title, Object::String(..)), "title set");
        // every font is embedded
        let mut fonts = 0;
        for (_, obj) in doc.objects.iter() {
            if let Ok(d) = obj.as_dict()
                && d.get(b"Type").ok().and_then(|t| t.as_name().ok()) == Some(b"FontDescriptor")
            {
                fonts += 1;
                assert!(d.has(b"FontFile2") || d.has(b"FontFile3") || d.has(b"FontFile"), "{rel}: font not embedded");
            }
        }
        assert!(fonts >= 2, "{rel}: {fonts} fonts");
        let text = squash(&text_of(&doc));
        assert!(text.contains(title), "{rel}: no title in {text}");
        for l in lines.iter().chain(&words) {
            assert!(text.contains(l), "{rel}: no `{l}` in {text}");
        }
    }
    let page = std::fs::read_to_string(out.join("nl/cases/veiliger-thuis-midden-brabant/index.html")).unwrap();
    assert!(page.contains(r#"<a href="/nl/cases/veiliger-thuis-midden-brabant/veiliger-thuis-midden-brabant-a3.pdf" download>Download de strategie op A3</a>"#), "{page}");
    let size = page.split("(PDF, ").nth(1).and_then(|s| s.split("\u{a0}kB)").next()).unwrap_or("");
    assert!(size.parse::<u32>().is_ok_and(|kb| (20..300).contains(&kb)), "the size is shown: {size}");
    // French says ko, and quotes with « » and narrow no-break spaces
    let page = std::fs::read_to_string(out.join("fr/projets/foyer-plus-sur-brabant-central/index.html")).unwrap();
    assert!(page.contains("\u{a0}ko)</span>"), "{page}");
    assert!(page.contains("<blockquote><p>«\u{202F}") && page.contains("\u{202F}»</p></blockquote>"), "{page}");
    // the poster's e-mail and case URL are links; its date is the case's, not 1970 nor today
    let doc = Document::load(out.join("nl/cases/veiliger-thuis-midden-brabant/veiliger-thuis-midden-brabant-a3.pdf"))
        .unwrap();
    let page = doc.get_dictionary(*doc.get_pages().values().next().unwrap()).unwrap();
    let uris: Vec<String> = page
        .get(b"Annots")
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let annot = doc.dereference(a).unwrap().1.as_dict().unwrap();
            assert_eq!(annot.get(b"Subtype").unwrap().as_name().unwrap(), b"Link");
            let uri = annot.get(b"A").unwrap().as_dict().unwrap().get(b"URI").unwrap().as_str().unwrap();
            String::from_utf8(uri.to_vec()).unwrap()
        })
        .collect();
    assert_eq!(uris.len(), 2, "{uris:?}");
    assert!(uris[0].starts_with("mailto:") && uris[0].contains('@'), "{uris:?}");
    assert!(uris[1].ends_with("/nl/cases/veiliger-thuis-midden-brabant/"), "{uris:?}");
    let info = doc.trailer.get(b"Info").and_then(|r| doc.dereference(r)).unwrap().1.as_dict().unwrap().clone();
    let created = info.get(b"CreationDate").unwrap().as_str().unwrap();
    assert!(created.starts_with(b"D:20200301"), "{}", String::from_utf8_lossy(created));
    assert!(
        !out.join("nl/cases/tuinzigtlaan-breda").read_dir().unwrap().any(|e| e
            .unwrap()
            .path()
            .extension()
            .is_some_and(|x| x == "pdf"))
    );
}

fn load(files: &[(&str, &str)]) -> (tempfile::TempDir, Input) {
    let mut all = vec![
        ("site.yaml", SITE_YAML),
        ("content/people/eefje.yaml", "name: Eefje Rolsma\nrole: Partner\nemail: eefje@example.org\n"),
    ];
    all.extend_from_slice(files);
    let dir = site(&all);
    let (loaded, mut diags) = pipeline::load(&pipeline::Options::new(dir.path()));
    // the fixture's person, whom not every case names
    diags.retain(|d| !d.to_string().contains("content/people/eefje.yaml:1:1: warning: no case names"));
    assert!(diags.is_empty(), "{diags:#?}");
    (dir, loaded.unwrap())
}

fn strategy(n: usize, words: usize) -> String {
    let text = "woord ".repeat(words);
    let lines: String =
        (1..=n).map(|i| format!("    - title: Lijn nummer {i}\n      text: \"{} einde.\"\n", text.trim())).collect();
    format!(
        "contact: eefje\nquote:\n  text: Een citaat.\n  author: Iemand\nfacts:\n  - value: \"2.500 / 4.000\"\n    label: adviesvragen\n  - value: \"26\"\n    label: organisaties\nstrategy:\n  title: De strategie\n  story: \"Een **verhaal** van *enkele* woorden.\"\n  lines:\n{lines}"
    )
}

fn content(lines: usize, words: usize, story_words: usize) -> Content {
    Content {
        lang: "nl".into(),
        client: "Klant".into(),
        case_title: "Een case".into(),
        strategy_title: "Een strategie".into(),
        story: runs(&format!("Een **verhaal** {}", "lang ".repeat(story_words)), Style::Regular, Style::Bold),
        lines: (1..=lines)
            .map(|i| (format!("Lijn {i}"), vec![Run::plain(Style::Regular, &"tekst ".repeat(words))]))
            .collect(),
        facts: vec![
            ("200.000".into(), "mensen".into()),
            ("2.500 / 4.000".into(), "meldingen en adviesvragen per jaar".into()),
        ],
        quote: Some(("Connect doet wat het belooft.".into(), Some("Het team".into()))),
        contact: Some(layout::Contact {
            name: "Eefje".into(),
            role: Some("Partner".into()),
            email: Some("eefje@example.org".into()),
        }),
        footer_left: "Connect".into(),
        footer_right: "https://www.example.org/nl/cases/een-case/".into(),
        labels: Labels {
            kicker: "Strategie".into(),
            lines: "Lijnen".into(),
            facts: "Feiten".into(),
            contact: "Contact".into(),
            quote_mark: "„".into(),
        },
    }
}

/// Every block inside the page, no two overlapping, every text inside a block and the page.
fn assert_geometry(p: &Placed) {
    for (name, r) in &p.blocks {
        assert!(r.inside_page(), "{name} {r:?} leaves the page");
        assert!(r.w > 0.0 && r.h > 0.0, "{name} is empty");
    }
    for (i, (a, ra)) in p.blocks.iter().enumerate() {
        for (b, rb) in &p.blocks[i + 1..] {
            assert!(!ra.overlaps(rb), "{a} {ra:?} overlaps {b} {rb:?}");
        }
    }
    for item in &p.items {
        match item {
            Item::Text { x, baseline, size, width, text, .. } => {
                let r = layout::Rect { x: *x, y: baseline - size * 0.95, w: *width, h: size * 1.2 };
                assert!(r.inside_page(), "`{text}` {r:?} leaves the page");
                assert!(
                    p.blocks.iter().any(|(_, b)| b.contains(&layout::Rect {
                        y: baseline - size * 0.7,
                        h: size * 0.7,
                        ..r
                    })),
                    "`{text}` at {r:?} is in no block"
                );
            }
            Item::Fill { rect, .. } => assert!(rect.inside_page(), "{rect:?}"),
        }
    }
}

#[test]
fn each_language_s_quotation_mark_stands_above_the_quote() {
    let (_dir, loaded) = load(&[]);
    let faces = Faces::new(&loaded.poster_style.fonts);
    for mark in ["„", "“", "«"] {
        let mut c = content(3, 10, 10);
        c.labels.quote_mark = mark.into();
        let placed = layout::layout(&c, &faces, &loaded.poster_style.colors).expect("fits");
        let text = |t: &str| {
            placed.items.iter().find_map(|i| match i {
                Item::Text { text, baseline, size, .. } if text.starts_with(t) => Some((*baseline, *size)),
                _ => None,
            })
        };
        let (mark_baseline, mark_size) = text(mark).expect("the mark is drawn");
        let (quote_baseline, quote_size) = text("Connect doet").expect("the quote is drawn");
        // the mark's ink (from its baseline up to a third of its size, for „) ends above the quote's capitals
        let ink_bottom = mark_baseline
            - faces.ink_middle(Style::Bold, mark.chars().next().unwrap()).unwrap() * mark_size
            + 0.15 * mark_size;
        assert!(
            ink_bottom < quote_baseline - 0.75 * quote_size,
            "{mark}: ink to {ink_bottom}, quote baseline {quote_baseline}"
        );
    }
}

#[test]
fn one_three_and_five_lines_fit_without_overlap() {
    let (_dir, loaded) = load(&[]);
    let faces = Faces::new(&loaded.poster_style.fonts);
    for n in [1, 2, 3, 4, 5] {
        let placed = layout::layout(&content(n, 30, 20), &faces, &loaded.poster_style.colors).expect("fits");
        assert_geometry(&placed);
        let lines = placed.blocks.iter().filter(|(n, _)| n.starts_with("line-")).count();
        assert_eq!(lines, n);
        assert!(placed.body >= 12.0, "{n} lines at {} pt", placed.body);
    }
}

#[test]
fn a_word_too_long_for_its_line_is_hyphenated_between_syllables() {
    let (_dir, loaded) = load(&[]);
    let faces = Faces::new(&loaded.poster_style.fonts);
    let cut = |word: &str, lang: &str, max_em: f32| -> Vec<String> {
        let p =
            Paragraph::new(&[Run::plain(Style::Regular, word)], &faces, vitrine::text::typography::hyphenation(lang));
        p.wrap(max_em, &faces).iter().map(|l| l.pieces.iter().map(|p| p.2.as_ref()).collect()).collect()
    };
    let word = "communicatiestrategieontwikkeling";
    let lines = cut(word, "nl", 6.0);
    assert!(lines.len() > 2, "{lines:?}");
    let syllables: Vec<&str> = hypher::hyphenate(word, hypher::Lang::Dutch).collect();
    let mut at = 0;
    for (i, line) in lines.iter().enumerate() {
        let part = if i + 1 < lines.len() { line.strip_suffix('-').expect("a hyphen at the cut") } else { line };
        assert!(faces.em_width(Style::Regular, line) <= 6.0, "{line} is too wide");
        at += part.len();
        let ends = syllables.iter().scan(0, |end, s| {
            *end += s.len();
            Some(*end)
        });
        assert!(ends.into_iter().any(|e| e == at), "{lines:?} cuts {word} inside a syllable");
    }
    assert_eq!(lines.concat().replace('-', ""), word);
    // a word of a language without patterns, or with no syllables, is cut where it must
    let code = cut("ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZ", "xx", 6.0);
    assert!(code.len() > 2 && code.iter().all(|l| faces.em_width(Style::Regular, l) <= 6.0), "{code:?}");
    // a word's own hyphen is a place to break, without a second one
    assert_eq!(cut("Midden-Brabantsestraatweg", "xx", 6.0)[0], "Midden-");
}

#[test]
fn an_address_is_broken_after_its_punctuation_never_hyphenated() {
    let (_dir, loaded) = load(&[]);
    let faces = Faces::new(&loaded.poster_style.fonts);
    let cut = |word: &str| -> Vec<String> {
        let p =
            Paragraph::new(&[Run::plain(Style::Regular, word)], &faces, vitrine::text::typography::hyphenation("nl"));
        p.wrap(12.0, &faces).iter().map(|l| l.pieces.iter().map(|p| p.2.as_ref()).collect()).collect()
    };
    for address in [
        "eefje.rolsma@connectcommunicatie.nl",
        "https://www.connectcommunicatie.nl/cases/veiliger-thuis-midden-brabant/",
    ] {
        let lines = cut(address);
        assert!(lines.len() > 1, "{lines:?}");
        // read back whole: no hyphen was added, each cut follows @ . / or the address's own hyphen
        assert_eq!(lines.concat(), address);
        for line in &lines[..lines.len() - 1] {
            assert!(line.ends_with(['@', '.', '/', '-']), "{lines:?}");
        }
    }
}

#[test]
fn long_content_is_set_smaller_then_refused() {
    let (_dir, loaded) = load(&[]);
    let faces = Faces::new(&loaded.poster_style.fonts);
    let colors = &loaded.poster_style.colors;
    let short = layout::layout(&content(3, 20, 10), &faces, colors).unwrap();
    let long = layout::layout(&content(5, 120, 200), &faces, colors).unwrap();
    assert!(long.body < short.body && long.body >= MIN_BODY, "{} < {}", long.body, short.body);
    assert!(short.body <= MAX_BODY);
    assert_geometry(&long);
    assert!(layout::layout(&content(5, 600, 2000), &faces, colors).is_none());
}

#[test]
fn too_long_a_strategy_fails_the_build_naming_the_case() {
    let (dir, _) = load(&[]);
    common::write(dir.path(), "content/cases/a/index.nl.md", case("A", &strategy(5, 700)).as_bytes());
    let report = common::build(dir.path(), &dir.path().join("output"));
    assert!(report.summary.is_none());
    assert_eq!(
        shown(dir.path(), &report.diagnostics),
        [
            "content/cases/a/index.nl.md:14:1: error: the strategy does not fit on one A3 poster, even with 9 pt body text\n    hint: shorten the story, the strategy lines or the facts"
        ]
    );
}

#[test]
fn posters_are_byte_identical_between_renders() {
    let (_dir, loaded) = load(&[("content/cases/a/index.nl.md", &case("Één ‘case’", &strategy(3, 20)))]);
    let none = Cache::none();
    let render = || {
        let posters = Posters::new(&loaded.site, &loaded.i18n, &loaded.poster_style, &none);
        posters.render(0, PosterFile::Screen).unwrap().0
    };
    let (a, b) = (render(), render());
    assert!(a.starts_with(b"%PDF"));
    assert!(a == b, "two renders differ");
    let cache_dir = tempfile::tempdir().unwrap();
    let cache = Cache::at(cache_dir.path());
    let posters = Posters::new(&loaded.site, &loaded.i18n, &loaded.poster_style, &cache);
    let first = posters.render(0, PosterFile::Screen).unwrap().0;
    assert_eq!(std::fs::read_dir(cache_dir.path()).unwrap().count(), 1, "cached");
    let again = posters.render(0, PosterFile::Screen).unwrap().0;
    assert!(first == again && first == a, "the cached poster differs");
}

#[test]
fn a_character_the_font_lacks_is_a_warning_not_a_gap() {
    let (_dir, loaded) = load(&[(
        "content/cases/a/index.nl.md",
        &case("A", &strategy(1, 5).replace("De strategie", "De strategie 🚀")),
    )]);
    let none = Cache::none();
    let posters = Posters::new(&loaded.site, &loaded.i18n, &loaded.poster_style, &none);
    let (bytes, warnings) = posters.render(0, PosterFile::Screen).unwrap();
    let w: Vec<String> = warnings.iter().map(|d| d.to_string()).collect();
    assert_eq!(w.len(), 1);
    assert!(w[0].ends_with("content/cases/a/index.nl.md:14:1: warning: the poster font has no glyph for `🚀` (U+1F680); the poster shows `?` instead"), "{}", w[0]);
    let text = squash(&text_of(&Document::load_mem(&bytes).unwrap()));
    assert!(text.contains("De strategie ?"), "{text}");
    // a poster taken from the cache is not prepared again, and still warns
    let cache_dir = tempfile::tempdir().unwrap();
    let cache = Cache::at(cache_dir.path());
    let posters = Posters::new(&loaded.site, &loaded.i18n, &loaded.poster_style, &cache);
    for _ in 0..2 {
        let (poster, warnings) = posters.poster(0, PosterFile::Screen).unwrap();
        assert_eq!(warnings.iter().map(|d| d.to_string()).collect::<Vec<_>>(), w);
        if let Output::Made(again) = poster {
            assert!(again == bytes);
        }
    }
    assert!(matches!(posters.poster(0, PosterFile::Screen).unwrap().0, Output::Cached { .. }));
}

#[test]
fn characters_beyond_the_usual_set_get_fonts_of_their_own() {
    // Ł, ő and the Greek α are in Liberation Sans but not in the fonts every poster shares
    let words = "Łódź, Győr en de factor α";
    let (_dir, loaded) =
        load(&[("content/cases/a/index.nl.md", &case("A", &strategy(1, 5).replace("De strategie", words)))]);
    let none = Cache::none();
    let posters = Posters::new(&loaded.site, &loaded.i18n, &loaded.poster_style, &none);
    let (bytes, warnings) = posters.render(0, PosterFile::Screen).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    let doc = Document::load_mem(&bytes).unwrap();
    assert!(squash(&text_of(&doc)).contains(words), "{}", text_of(&doc));
}

#[test]
fn a_theme_restyles_the_poster_and_its_mistakes_are_located() {
    let yaml = SITE_YAML.replace("default_language: nl", "default_language: nl\ntheme: mine");
    let dir = site(&[
        ("site.yaml", &yaml),
        ("content/cases/a/index.nl.md", &case("A", &strategy(2, 5).replace("contact: eefje\n", ""))),
        (
            "themes/mine/poster.yaml",
            "fonts:\n  regular: fonts/LiberationSans-Regular.ttf\n  bold: fonts/LiberationSans-Bold.ttf\n  italic: fonts/LiberationSans-Italic.ttf\ncolors:\n  primary: \"#000000\"\n  accent: red\n  band: \"#eeeeee\"\n  text: \"#111111\"\n  muted: \"#555555\"\n  light: \"#dddddd\"\n",
        ),
    ]);
    let report = common::build(dir.path(), &dir.path().join("output"));
    assert_eq!(
        shown(dir.path(), &report.diagnostics),
        ["themes/mine/poster.yaml:7:11: error: `red` is not a colour such as \"#16315f\""]
    );
    let fixed = std::fs::read_to_string(dir.path().join("themes/mine/poster.yaml"))
        .unwrap()
        .replace("accent: red", "accent: \"#ff0000\"");
    common::write(dir.path(), "themes/mine/poster.yaml", fixed.as_bytes());
    let report = common::build(dir.path(), &dir.path().join("output"));
    assert!(report.summary.is_some(), "{:#?}", report.diagnostics);
    let pdf = std::fs::read(dir.path().join("output/nl/cases/a/a-a3.pdf")).unwrap();
    let doc = Document::load_mem(&pdf).unwrap();
    let content = doc.get_page_content(*doc.get_pages().values().next().unwrap());
    assert!(String::from_utf8_lossy(&content).contains("1 0 0 rg"), "the theme's red accent is used");
}

#[test]
fn the_poster_command_renders_one_case_file() {
    let (dir, _) = load(&[
        ("content/cases/a/index.nl.md", &case("A", &strategy(1, 10))),
        ("content/cases/b/index.nl.md", &case("B", "")),
    ]);
    let out = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_vitrine")).args(args).current_dir(out.path()).output().unwrap()
    };
    let file = dir.path().join("content/cases/a/index.nl.md");
    let ok = run(&["poster", file.to_str().unwrap()]);
    assert_eq!(ok.status.code(), Some(0), "{}", String::from_utf8_lossy(&ok.stderr));
    let pdf = std::fs::read(out.path().join("a-a3.pdf")).unwrap();
    assert_eq!(Document::load_mem(&pdf).unwrap().get_pages().len(), 1);
    let custom = out.path().join("custom.pdf");
    assert_eq!(run(&["poster", file.to_str().unwrap(), "-o", custom.to_str().unwrap()]).status.code(), Some(0));
    assert!(custom.is_file());
    let date_of = |pdf: &[u8]| {
        let doc = Document::load_mem(pdf).unwrap();
        let info = doc.trailer.get(b"Info").and_then(|r| doc.dereference(r)).unwrap().1.as_dict().unwrap().clone();
        String::from_utf8_lossy(info.get(b"CreationDate").unwrap().as_str().unwrap()).into_owned()
    };
    assert!(date_of(&pdf).starts_with("D:20210102"), "the case's date: {}", date_of(&pdf));
    let dated = std::process::Command::new(env!("CARGO_BIN_EXE_vitrine"))
        .args(["poster", file.to_str().unwrap(), "-o", "dated.pdf"])
        .env("SOURCE_DATE_EPOCH", "1600000000")
        .current_dir(out.path())
        .output()
        .unwrap();
    assert_eq!(dated.status.code(), Some(0));
    assert!(date_of(&std::fs::read(out.path().join("dated.pdf")).unwrap()).starts_with("D:20200913"));
    let none = run(&["poster", dir.path().join("content/cases/b/index.nl.md").to_str().unwrap()]);
    assert_eq!(none.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&none.stderr).contains("index.nl.md:1:1: error: this case has no `strategy`"));
}

#[test]
fn a_fact_may_have_words_around_its_number_and_is_shown_whole() {
    let facts = "facts:\n  - value: \"meer dan 40\"\n    label: partners aan tafel\n  - value: \"3.000+\"\n    label: reacties\n";
    let fm = strategy(1, 5).replace(
        "facts:\n  - value: \"2.500 / 4.000\"\n    label: adviesvragen\n  - value: \"26\"\n    label: organisaties\n",
        facts,
    );
    assert!(fm.contains("meer dan 40"));
    let dir = site(&[
        ("site.yaml", SITE_YAML),
        ("content/people/eefje.yaml", "name: Eefje Rolsma\n"),
        ("content/cases/a/index.nl.md", &case("A", &fm)),
    ]);
    let out = common::vitrine(&["build"], dir.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let page = std::fs::read_to_string(dir.path().join("output/nl/cases/a/index.html")).unwrap();
    assert!(page.contains(r#"<span class="fact-value">meer dan 40</span>"#), "{page}");
    let doc = Document::load(dir.path().join("output/nl/cases/a/a-a3.pdf")).unwrap();
    let text = squash(&text_of(&doc));
    assert!(text.contains("meer dan 40") && text.contains("3.000+"), "{text}");
}
