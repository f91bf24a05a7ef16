//! schema.org structured data (JSON-LD) of the case pages and homes, ready
//! to print inside `<script type="application/ld+json">`.

use crate::model::Site;
use serde_json::{Value, json};

/// The agency that publishes the site: `author` and `publisher` of every case.
fn agency(site: &Site) -> Value {
    json!({ "@type": "Organization", "name": site.config.title, "url": site.config.base.url })
}

/// JSON text that cannot end the `<script>` element it stands in, nor open
/// a comment or markup there: `<`, `>` and `&` (only ever inside strings)
/// as `\u` escapes, which JSON reads back as the same characters.
fn script_safe(value: &Value) -> String {
    let text = value.to_string();
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// The poster a case page links, for `associatedMedia`.
pub struct PosterMedia<'a> {
    /// Root-relative path of the PDF in the output.
    pub rel: &'a str,
    pub bytes: usize,
}

/// Case `i` as an `Article`: its translations (the default language's
/// version is the work, the others its translations), its client, the
/// agency, its share image and poster.
pub fn case(site: &Site, i: usize, image: Option<&str>, poster: Option<PosterMedia>) -> String {
    let cfg = &site.config;
    let p = &site.pages[i];
    let code = |i: usize| cfg.languages[site.pages[i].lang].code.as_str();
    let reference =
        |i: usize| json!({ "@type": "Article", "@id": cfg.base.abs(&site.pages[i].url), "inLanguage": code(i) });
    let client = json!({ "@type": "Organization", "name": p.fm.client });
    let agency = agency(site);
    let mut article = json!({
        "@context": "https://schema.org",
        "@type": "Article",
        "@id": cfg.base.abs(&p.url),
        "url": cfg.base.abs(&p.url),
        "headline": p.fm.title,
        "name": p.fm.title,
        "description": p.description,
        "datePublished": p.fm.date.to_string(),
        "inLanguage": code(i),
        "keywords": p.fm.tags,
        "about": client,
        "sponsor": client,
        "author": agency.clone(),
        "publisher": agency,
    });
    let o = article.as_object_mut().expect("an object");
    if let Some(image) = image {
        o.insert("image".into(), image.into());
    }
    // the work is its version in the default language (else the first)
    let others: Vec<usize> = p.translations.iter().copied().filter(|&t| t != i).collect();
    let original = p
        .translations
        .iter()
        .copied()
        .find(|&t| site.pages[t].lang == cfg.default_language)
        .or(p.translations.first().copied());
    match original {
        Some(o_i) if o_i != i => {
            o.insert("translationOfWork".into(), reference(o_i));
        }
        _ if !others.is_empty() => {
            o.insert("workTranslation".into(), others.into_iter().map(reference).collect());
        }
        _ => {}
    }
    if let (Some(poster), Some(s)) = (poster, &p.fm.strategy) {
        o.insert(
            "associatedMedia".into(),
            json!({
                "@type": "MediaObject",
                "name": s.title,
                "contentUrl": cfg.base.abs(poster.rel),
                "encodingFormat": "application/pdf",
                "contentSize": crate::text::typography::size_text(poster.bytes, "en"),
            }),
        );
    }
    script_safe(&article)
}

/// A language's home: the agency and the list of its `cards` newest cases
/// (those it shows as cards), in order.
pub fn home(site: &Site, lang: usize, name: &str, cards: usize) -> String {
    let cfg = &site.config;
    // the cases the home shows as cards (a list of every case would weigh
    // more than the page itself at 1,000 cases)
    let items: Vec<Value> = site.by_lang[lang]
        .clone()
        .take(cards)
        .enumerate()
        .map(|(n, i)| {
            let p = &site.pages[i];
            json!({ "@type": "ListItem", "position": n + 1, "url": cfg.base.abs(&p.url), "name": p.fm.title })
        })
        .collect();
    let mut organization = agency(site);
    organization["@context"] = "https://schema.org".into();
    let list = json!({
        "@context": "https://schema.org",
        "@type": "ItemList",
        "name": name,
        "url": cfg.base.abs(&site.home_url(lang)),
        "inLanguage": cfg.languages[lang].code,
        "numberOfItems": items.len(),
        "itemListElement": items,
    });
    script_safe(&Value::Array(vec![organization, list]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_text_can_end_the_script_element() {
        let v = json!({ "t": "</script><script>alert(1)</script> & <!--", "u": "a\u{2028}b" });
        let safe = script_safe(&v);
        assert!(!safe.contains('<') && !safe.contains('>') && !safe.contains('&'), "{safe}");
        assert_eq!(serde_json::from_str::<Value>(&safe).unwrap(), v);
    }
}
