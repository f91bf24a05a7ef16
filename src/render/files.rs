//! The site files that are not pages: `sitemap.xml` with hreflang
//! alternates, an Atom feed per language, `robots.txt` and the hosts'
//! `_headers`.

use super::context::{
    Alternate, alternates_of_case, alternates_of_field, alternates_of_home, alternates_of_section, alternates_of_tag,
    alternates_of_tags,
};
use crate::load::i18n::I18n;
use crate::model::Site;
use crate::model::date::Date;
use crate::model::urls;
use std::fmt::Write as _;

/// How many cases a language's feed lists, newest first.
pub const FEED_ENTRIES: usize = 20;

/// The sitemap protocol's limit of URLs per file.
const SITEMAP_MAX: usize = 50_000;

/// A 301 from every alias to its page, in the format of Netlify's and
/// Cloudflare Pages' `_redirects` (addresses from the host's root).
pub fn redirects(site: &Site) -> String {
    let base = &site.config.base;
    let mut rules = String::from("# vitrine: the earlier addresses of cases (aliases in their front matter)\n");
    for p in &site.pages {
        for a in &p.aliases {
            let _ = writeln!(rules, "{} {} 301", base.root(&a.url), base.root(&p.url));
        }
    }
    rules
}

/// Escapes text for XML content and attribute values.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_into(&mut out, s);
    out
}

/// Appends `s` escaped for XML to `out`.
fn escape_into(out: &mut String, s: &str) {
    let mut rest = s;
    while let Some(i) = rest.find(['&', '<', '>', '"', '\'']) {
        out.push_str(&rest[..i]);
        out.push_str(match rest.as_bytes()[i] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&apos;",
        });
        rest = &rest[i + 1..];
    }
    out.push_str(rest);
}

/// The paths of [`site_files`]: each language's feed, `robots.txt`, and
/// with `headers` the hosts' `_headers`.
pub fn site_file_names(site: &Site, headers: bool) -> Vec<String> {
    let mut names: Vec<String> = site.config.languages.iter().map(urls::feed).collect();
    names.push(urls::ROBOTS.into());
    if headers {
        names.push(urls::HEADERS.into());
    }
    names
}

/// The feeds, `robots.txt` and with `headers` `_headers`: (path, contents).
pub fn site_files(site: &Site, i18n: &I18n, headers: bool) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for lang in 0..site.config.languages.len() {
        out.push((urls::feed(&site.config.languages[lang]), feed(site, i18n, lang)));
    }
    out.push((
        urls::ROBOTS.into(),
        format!("User-agent: *\nAllow: /\n\nSitemap: {}\n", site.config.base.abs(urls::SITEMAP)),
    ));
    if headers {
        out.push((urls::HEADERS.into(), host_headers(site)));
    }
    out
}

/// `_headers` (Netlify and Cloudflare Pages read it): every response
/// says what it is and leaks no address to other sites; the parts of the
/// search index, whose address carries the index's stamp (`?v=…`: the
/// scripts ask for them so), are kept for a year; its description, read
/// first, is asked again each time.
fn host_headers(site: &Site) -> String {
    let root = &site.config.base.path;
    let year = "  Cache-Control: public, max-age=31536000, immutable\n";
    let mut s = String::from("# vitrine: response headers for Netlify and Cloudflare Pages\n");
    let _ =
        write!(s, "{root}*\n  X-Content-Type-Options: nosniff\n  Referrer-Policy: strict-origin-when-cross-origin\n");
    for part in ["w/*", "d/*", "filters.json"] {
        let _ = write!(s, "{root}search/*/{part}\n{year}");
    }
    let _ = write!(s, "{root}search/*/meta.json\n  Cache-Control: no-cache\n");
    s
}

fn newest(site: &Site, pages: std::ops::Range<usize>) -> Option<Date> {
    site.pages[pages].iter().map(|p| p.fm.date).max()
}

/// The sitemap's file names: `sitemap.xml`, and when there are more pages
/// than one sitemap may list, the files it indexes.
pub fn sitemap_names(site: &Site) -> Vec<String> {
    sitemap_names_of(site, SITEMAP_MAX)
}

fn sitemap_names_of(site: &Site, max: usize) -> Vec<String> {
    let tag_pages: usize = site.tags.iter().map(|t| t.len() + 1).sum();
    let section_pages: usize = (0..site.config.languages.len()).map(|l| site.section_pages(l)).sum();
    // each declared filter's values and their list, in the languages that have values
    let field_pages: usize = site.fields.iter().flatten().filter(|v| !v.is_empty()).map(|v| v.len() + 1).sum();
    let all = site.pages.len() + 1 + site.config.languages.len() + tag_pages + section_pages + field_pages;
    let n = all.div_ceil(max);
    let mut names: Vec<String> = if n > 1 { (1..=n).map(urls::sitemap_part).collect() } else { vec![] };
    names.push(urls::SITEMAP.into());
    names
}

/// The sitemap file or files: (path, contents).
pub fn sitemaps(site: &Site) -> Vec<(String, String)> {
    sitemaps_of(site, SITEMAP_MAX)
}

/// The sitemaps of `site`, at most `max` addresses in a file.
fn sitemaps_of(site: &Site, max: usize) -> Vec<(String, String)> {
    let cfg = &site.config;
    let home_alts = alternates_of_home(site);
    let all = 0..site.pages.len();
    let mut entries: Vec<(String, Option<Date>, Vec<Alternate>)> = Vec::with_capacity(site.pages.len() + 4);
    entries.push((cfg.base.url.clone(), newest(site, all), home_alts.clone()));
    for lang in 0..cfg.languages.len() {
        entries.push((cfg.base.abs(&site.home_url(lang)), newest(site, site.by_lang[lang].clone()), home_alts.clone()));
    }
    for p in &site.pages {
        entries.push((cfg.base.abs(&p.url), Some(p.fm.date), alternates_of_case(site, p)));
    }
    for lang in 0..cfg.languages.len() {
        for n in 1..=site.section_pages(lang) {
            let url = cfg.base.abs(&urls::section(&cfg.languages[lang], n));
            entries.push((url, newest(site, site.section_range(lang, n)), alternates_of_section(site, n)));
        }
    }
    for lang in 0..cfg.languages.len() {
        entries.push((cfg.base.abs(&site.tags_url(lang)), None, alternates_of_tags(site)));
        for tag in &site.tags[lang] {
            let newest = tag.pages.first().map(|&i| site.pages[i].fm.date);
            entries.push((cfg.base.abs(&tag.url), newest, alternates_of_tag(site, lang, tag)));
        }
        for (f, values) in site.fields.iter().enumerate().filter(|(_, v)| !v[lang].is_empty()) {
            entries.push((cfg.base.abs(&site.field_url(f, lang)), None, alternates_of_field(site, f)));
            for value in &values[lang] {
                let newest = value.pages.first().map(|&i| site.pages[i].fm.date);
                entries.push((cfg.base.abs(&value.url), newest, alternates_of_tag(site, lang, value)));
            }
        }
    }
    let chunks: Vec<_> = entries.chunks(max).collect();
    if chunks.len() == 1 {
        return vec![(urls::SITEMAP.into(), urlset(chunks[0]))];
    }
    let mut out = Vec::new();
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (i, chunk) in chunks.iter().enumerate() {
        let name = urls::sitemap_part(i + 1);
        let _ = writeln!(index, "  <sitemap><loc>{}</loc></sitemap>", xml_escape(&cfg.base.abs(&name)));
        out.push((name, urlset(chunk)));
    }
    index.push_str("</sitemapindex>\n");
    out.push((urls::SITEMAP.into(), index));
    out
}

fn urlset(entries: &[(String, Option<Date>, Vec<Alternate>)]) -> String {
    let mut s = String::with_capacity(entries.len() * 400);
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n");
    for (loc, lastmod, alts) in entries {
        s.push_str("  <url>\n    <loc>");
        escape_into(&mut s, loc);
        s.push_str("</loc>\n");
        if let Some(d) = lastmod {
            let _ = writeln!(s, "    <lastmod>{d}</lastmod>");
        }
        for a in alts {
            s.push_str("    <xhtml:link rel=\"alternate\" hreflang=\"");
            escape_into(&mut s, &a.hreflang);
            s.push_str("\" href=\"");
            escape_into(&mut s, &a.href);
            s.push_str("\"/>\n");
        }
        s.push_str("  </url>\n");
    }
    s.push_str("</urlset>\n");
    s
}

fn feed(site: &Site, i18n: &I18n, lang: usize) -> String {
    let cfg = &site.config;
    let home = cfg.base.abs(&site.home_url(lang));
    let self_url = cfg.base.abs(&urls::feed(&cfg.languages[lang]));
    let mut args = fluent::FluentArgs::new();
    args.set("site", cfg.title.clone());
    let title = i18n.format(lang, "feed-title", Some(&args)).unwrap_or_else(|_| cfg.title.clone());
    let pages = site.pages_in(lang);
    let updated =
        newest(site, site.by_lang[lang].clone()).map_or_else(|| "1970-01-01T00:00:00Z".into(), |d| d.rfc3339());
    let mut s = String::with_capacity(2048 + FEED_ENTRIES * 600);
    let _ = write!(
        s,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\">\n  <id>{id}</id>\n  <title>{title}</title>\n  <updated>{updated}</updated>\n  <author><name>{author}</name></author>\n  <link rel=\"self\" type=\"application/atom+xml\" href=\"{self_url}\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"{id}\"/>\n",
        lang = xml_escape(&cfg.languages[lang].code),
        id = xml_escape(&home),
        title = xml_escape(&title),
        author = xml_escape(&cfg.title),
        self_url = xml_escape(&self_url),
    );
    for p in pages.iter().take(FEED_ENTRIES) {
        let url = xml_escape(&cfg.base.abs(&p.url));
        let _ = write!(
            s,
            "  <entry>\n    <id>{url}</id>\n    <title>{}</title>\n    <updated>{}</updated>\n    <link rel=\"alternate\" type=\"text/html\" href=\"{url}\"/>\n    <summary>{}</summary>\n  </entry>\n",
            xml_escape(&p.fm.title),
            p.fm.date.rfc3339(),
            xml_escape(&p.description),
        );
    }
    s.push_str("</feed>\n");
    s
}

/// The sitemap (in parts above 50,000 addresses), made from every page's
/// address, date and translations ([`super::plan::sitemap`]).
struct Sitemaps;

/// The feeds, `robots.txt` and, unless the theme has its own, `_headers`:
/// made every time.
struct SiteFiles {
    headers: bool,
}

pub(super) fn plan<'s>(p: &super::Planning<'s>) -> Vec<super::Job<'s>> {
    let site = p.site;
    let headers = !p.theme.statics.iter().any(|(rel, _)| rel == urls::HEADERS);
    vec![
        super::Job::new(sitemap_names(site), Some(super::plan::sitemap(site)), Sitemaps),
        super::Job::new(site_file_names(site, headers), None, SiteFiles { headers }),
    ]
}

/// Writes text files; `true` when all of them were written.
fn write_all(env: &super::Env, files: Vec<(String, String)>, done: &mut super::Done) -> bool {
    let mut ok = true;
    for (rel, text) in files {
        ok &= super::wrote(done, &rel, env.sink.write(&rel, text.as_bytes()));
    }
    ok
}

/// The file of `paths` that `path` is, or is in.
fn named(paths: &[String], path: &str) -> String {
    paths.iter().find(|p| path.starts_with(p.as_str())).unwrap_or(&paths[0]).clone()
}

impl super::Make for Sitemaps {
    fn make(&self, env: &super::Env, _: &[String], done: &mut super::Done) -> bool {
        write_all(env, sitemaps(env.site), done)
    }

    fn describe(&self, _: &Site, paths: &[String], path: &str, _: usize) -> String {
        named(paths, path)
    }
}

impl super::Make for SiteFiles {
    fn make(&self, env: &super::Env, _: &[String], done: &mut super::Done) -> bool {
        write_all(env, site_files(env.site, env.i18n, self.headers), done)
    }

    fn describe(&self, _: &Site, paths: &[String], path: &str, _: usize) -> String {
        named(paths, path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example site's sitemaps, as if a file held at most `max` addresses.
    fn example(max: usize) -> (Site, Vec<(String, String)>) {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let (input, diags) = crate::pipeline::load(&crate::pipeline::Options::new(root));
        let site = input.unwrap_or_else(|| panic!("{diags:?}")).site;
        let files = sitemaps_of(&site, max);
        (site, files)
    }

    fn locs(xml: &str) -> Vec<&str> {
        xml.split("<loc>").skip(1).map(|s| s.split_once("</loc>").unwrap().0).collect()
    }

    #[test]
    fn a_sitemap_too_long_for_one_file_is_split_under_an_index() {
        assert_eq!(SITEMAP_MAX, 50_000, "the limit of sitemaps.org's protocol");
        let (site, whole) = example(SITEMAP_MAX);
        assert_eq!(whole.len(), 1, "the example fits in one file");
        assert_eq!(sitemap_names(&site), ["sitemap.xml"]);
        let every = locs(&whole[0].1);
        assert!(every.len() > 20);

        let max = every.len() / 3 + 1;
        let (_, split) = example(max);
        let names: Vec<&str> = split.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml", "sitemap.xml"]);
        assert_eq!(sitemap_names_of(&site, max), names, "the files the index lists are the files written");
        // at every size (one address more or fewer than counted changes the parts somewhere)
        for max in 2..=every.len() {
            let written: Vec<String> = sitemaps_of(&site, max).into_iter().map(|(n, _)| n).collect();
            assert_eq!(sitemap_names_of(&site, max), written, "at {max} addresses a file");
        }
        let (index, parts) = split.split_last().unwrap();
        assert!(index.1.contains("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"));
        let base = &site.config.base.url;
        let listed: Vec<String> = parts.iter().map(|(n, _)| format!("{base}{n}")).collect();
        assert_eq!(locs(&index.1), listed, "the index names each part by its address");
        let mut again = Vec::new();
        for (name, xml) in parts {
            assert!(xml.contains("<urlset"), "{name}");
            let l = locs(xml);
            assert!(l.len() <= max && !l.is_empty(), "{name}: {} addresses", l.len());
            again.extend(l);
        }
        assert_eq!(again, every, "every address once, in order");
    }
}
