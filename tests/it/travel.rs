//! Cases that travel: the share image a link shows on LinkedIn or in a
//! mail, the poster's preview on its page, the structured data search
//! engines read. Built as the README builds (`vitrine build` in the site
//! folder) and read back as a crawler would.

use crate::common;

use crate::common::html::{Html, Selector};
use std::path::Path;

fn page(dir: &Path, rel: &str) -> Html {
    Html::parse_document(&std::fs::read_to_string(dir.join("output").join(rel)).unwrap())
}

/// A `<meta>` value as its reader finds it: Open Graph (`og:`) by
/// `property`, every other (`twitter:`, `description`) by `name`.
fn meta(html: &Html, key: &str) -> Option<String> {
    let attr = if key.starts_with("og:") { "property" } else { "name" };
    let sel = Selector::parse(&format!("meta[{attr}=\"{key}\"]")).unwrap();
    html.select(&sel).next().and_then(|m| m.value().attr("content")).map(str::to_string)
}

/// The size in pixels of a PNG file of the output, and its bytes.
fn png_size(dir: &Path, rel: &str) -> (u32, u32, usize) {
    let bytes = std::fs::read(dir.join("output").join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let reader = png::Decoder::new(std::io::Cursor::new(&bytes)).read_info().unwrap();
    let info = reader.info();
    (info.width, info.height, bytes.len())
}

fn json_ld(html: &Html) -> serde_json::Value {
    let sel = Selector::parse("script[type=\"application/ld+json\"]").unwrap();
    let text: String = html.select(&sel).next().expect("a JSON-LD script").text().collect();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

#[test]
fn each_case_and_home_has_a_share_image_named_in_its_head() {
    let dir = common::example_copy();
    let out = common::vitrine(&["build"], dir.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for (folder, slug, lang) in [
        ("nl/cases/veiliger-thuis-midden-brabant/", "veiliger-thuis-midden-brabant", "nl"),
        ("fr/projets/foyer-plus-sur-brabant-central/", "foyer-plus-sur-brabant-central", "fr"),
        // with a hero image on the right
        ("nl/cases/gebiedsvisie-bavel/", "gebiedsvisie-bavel", "nl"),
    ] {
        let html = page(dir.path(), &format!("{folder}index.html"));
        let image = format!("https://www.example.org/{folder}{slug}-share.png");
        assert_eq!(meta(&html, "og:image").as_deref(), Some(image.as_str()), "{folder}");
        assert_eq!(meta(&html, "og:image:width").as_deref(), Some("1200"));
        assert_eq!(meta(&html, "og:image:height").as_deref(), Some("630"));
        assert_eq!(meta(&html, "og:type").as_deref(), Some("article"));
        assert_eq!(meta(&html, "twitter:card").as_deref(), Some("summary_large_image"));
        assert!(meta(&html, "og:image:alt").is_some_and(|a| a.len() > 10), "{folder}");
        // what a link preview shows: the page's title, description and canonical address
        let text = |sel: &str| {
            let sel = Selector::parse(sel).unwrap();
            html.select(&sel).next().map(|e| e.text().collect::<String>())
        };
        let title = text("title").unwrap();
        assert_eq!(meta(&html, "og:title").map(|t| format!("{t} · Connect")), Some(title), "{folder}");
        assert_eq!(meta(&html, "og:description"), meta(&html, "description"), "{folder}");
        assert!(meta(&html, "og:description").is_some_and(|d| d.len() > 40), "{folder}");
        assert_eq!(meta(&html, "og:url").as_deref(), Some(format!("https://www.example.org/{folder}").as_str()));
        let (w, h, bytes) = png_size(dir.path(), &format!("{folder}{slug}-share.png"));
        assert_eq!((w, h), (1200, 630), "{folder}");
        assert!(bytes < 150_000, "{folder}: {bytes} bytes");

        let ld = json_ld(&html);
        assert_eq!(ld["@context"], "https://schema.org", "without it no reader knows the vocabulary");
        assert_eq!(ld["@type"], "Article");
        assert_eq!(ld["inLanguage"], lang);
        assert_eq!(ld["image"], image.as_str());
        assert_eq!(ld["url"], format!("https://www.example.org/{folder}"));
        assert_eq!(ld["author"]["name"], "Connect");
        assert!(ld["sponsor"]["name"].as_str().is_some_and(|c| !c.is_empty()));
        // the case's own date, as ISO 8601
        let source = if lang == "fr" { "veiliger-thuis-midden-brabant" } else { slug };
        let text = std::fs::read_to_string(dir.path().join(format!("content/cases/{source}/index.{lang}.md"))).unwrap();
        let date = text.lines().find_map(|l| l.strip_prefix("date: ")).unwrap().trim();
        assert_eq!(ld["datePublished"], date, "{folder}");
    }
    // the French version is a translation of the Dutch work, which names it
    let nl = json_ld(&page(dir.path(), "nl/cases/veiliger-thuis-midden-brabant/index.html"));
    let fr = json_ld(&page(dir.path(), "fr/projets/foyer-plus-sur-brabant-central/index.html"));
    assert_eq!(fr["translationOfWork"]["@id"], nl["@id"]);
    assert_eq!(nl["workTranslation"][0]["@id"], fr["@id"]);
    assert_eq!(nl["associatedMedia"]["encodingFormat"], "application/pdf");
    assert_eq!(
        nl["associatedMedia"]["contentUrl"],
        "https://www.example.org/nl/cases/veiliger-thuis-midden-brabant/veiliger-thuis-midden-brabant-a3.pdf"
    );

    for lang in ["nl", "fr"] {
        let html = page(dir.path(), &format!("{lang}/index.html"));
        assert_eq!(meta(&html, "og:image"), Some(format!("https://www.example.org/{lang}/share.png")));
        assert_eq!(png_size(dir.path(), &format!("{lang}/share.png")).0, 1200);
        let ld = json_ld(&html);
        assert_eq!(ld[0]["@type"], "Organization");
        assert_eq!(ld[1]["@type"], "ItemList");
        let items = ld[1]["itemListElement"].as_array().unwrap();
        assert!(items.len() >= 3 && items[0]["position"] == 1, "{items:?}");
    }
}

#[test]
fn a_case_with_a_strategy_shows_its_poster_linked_to_the_pdf() {
    let dir = common::example_copy();
    assert!(common::vitrine(&["build"], dir.path()).status.success());
    let folder = "nl/cases/veiliger-thuis-midden-brabant/";
    let html = page(dir.path(), &format!("{folder}index.html"));
    let sel = Selector::parse("a[href$=\"-a3.pdf\"] > img").unwrap();
    let img = html.select(&sel).next().expect("a preview inside the poster's link");
    let a = img.value();
    assert_eq!(a.attr("src"), Some("/nl/cases/veiliger-thuis-midden-brabant/veiliger-thuis-midden-brabant-a3.png"));
    assert_eq!((a.attr("width"), a.attr("height"), a.attr("loading")), (Some("600"), Some("848"), Some("lazy")));
    assert!(a.attr("alt").is_some_and(|alt| alt.contains("A3")), "{:?}", a.attr("alt"));
    let (w, h, _) = png_size(dir.path(), &format!("{folder}veiliger-thuis-midden-brabant-a3.png"));
    assert_eq!((w, h), (600, 848));
}

#[test]
fn no_front_matter_text_breaks_out_of_the_json_ld_script() {
    let dir = common::example_copy();
    let case = dir.path().join("content/cases/veiliger-thuis-midden-brabant/index.nl.md");
    let text = std::fs::read_to_string(&case).unwrap();
    let evil = "Veilig </script><script>alert(1)</script> & <!-- Thuis";
    let text = text.replacen("client: ", &format!("client: \"{evil}\"\nclient_was: "), 1);
    std::fs::write(&case, text.replacen("client_was: ", "# ", 1)).unwrap();
    let out = common::vitrine(&["build"], dir.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let html = page(dir.path(), "nl/cases/veiliger-thuis-midden-brabant/index.html");
    let sel = Selector::parse("script").unwrap();
    let scripts: Vec<_> = html.select(&sel).map(|s| (s.value().attr("type"), s.value().attr("src"))).collect();
    assert_eq!(
        scripts,
        [(Some("application/ld+json"), None), (None, Some("/search.js"))],
        "two script elements: the JSON-LD and the search box's"
    );
    assert_eq!(json_ld(&html)["sponsor"]["name"], evil);
}
