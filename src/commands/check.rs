//! `vitrine check`: everything `build` checks, then the rendered site
//! itself, without writing a file. Every page is rendered in memory and
//! every link, image and `#anchor` in it is followed to a file (and an id)
//! of the site; a broken one is reported where it was written: at its line
//! in the Markdown, or at the template that made the page.

use crate::diagnostic::{self, Diagnostic, display_path};
use crate::pipeline;
use crate::render::Input;
use crate::render::{self, Sink};
use crate::text::markdown::{Link, has_scheme, walk_relative};
use html5gum::Tokenizer;
use html5gum::emitters::callback::{CallbackEmitter, CallbackEvent};
use percent_encoding::percent_decode_str;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// How many broken links of one template are listed before the rest are counted.
const TEMPLATE_REPORTS: usize = 10;

/// What a check found, for the summary line.
#[derive(Debug, Default)]
pub struct CheckReport {
    /// False when the site has errors that stop it from being rendered.
    pub rendered: bool,
    pub pages: usize,
    pub links: usize,
    /// Sorted; errors make the check fail.
    pub diagnostics: Vec<Diagnostic>,
}

/// Checks the site of `opts` (drafts included when asked), its posters
/// dated as a build with the same `SOURCE_DATE_EPOCH` dates them, and
/// taken from its cache when earlier builds made them.
pub fn check(opts: &pipeline::Options) -> CheckReport {
    let (loaded, mut diags) = pipeline::load(opts);
    let mut report = CheckReport::default();
    if let Some(l) = loaded {
        let sink = PageSink::default();
        // posters and images earlier builds made are not made again
        let rendered = render::render(&l, &opts.cache, &sink, None, render::Part::All);
        diags.extend(rendered.diagnostics);
        let site = Output::from(sink);
        report.rendered = true;
        report.pages = site.pages.len();
        report.links = check_links(&l, &site, &mut diags);
        diags.extend(missing_translations(&opts.root, &l));
    }
    diagnostic::sort(&mut diags);
    report.diagnostics = diags;
    report
}

/// Keeps the pages of a render in memory and only the names of other files.
#[derive(Default)]
struct PageSink {
    pages: Mutex<Vec<(String, String)>>,
    files: Mutex<Vec<String>>,
}

impl Sink for PageSink {
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        if rel.ends_with(".html") {
            let page = (rel.to_string(), String::from_utf8_lossy(bytes).into_owned());
            self.pages.lock().unwrap_or_else(|e| e.into_inner()).push(page);
        }
        self.files.lock().unwrap_or_else(|e| e.into_inner()).push(rel.to_string());
        Ok(())
    }

    fn copy(&self, rel: &str, from: &Path) -> io::Result<()> {
        if !from.is_file() {
            return Err(io::Error::new(io::ErrorKind::NotFound, format!("{} is not a file", from.display())));
        }
        self.files.lock().unwrap_or_else(|e| e.into_inner()).push(rel.to_string());
        Ok(())
    }

    fn keeps_bytes(&self) -> bool {
        false
    }
}

/// The rendered site: every output path, and each page's ids and links.
struct Output {
    files: HashSet<String>,
    pages: HashMap<String, Page>,
}

#[derive(Default)]
struct Page {
    ids: HashSet<String>,
    /// `href`, `src` and `srcset` addresses, as written.
    links: Vec<String>,
}

impl From<PageSink> for Output {
    fn from(sink: PageSink) -> Output {
        let files = sink.files.into_inner().unwrap_or_else(|e| e.into_inner()).into_iter().collect();
        let pages = sink.pages.into_inner().unwrap_or_else(|e| e.into_inner());
        let pages = pages.into_par_iter().map(|(rel, html)| (rel, scan(&html))).collect();
        Output { files, pages }
    }
}

/// An id or an address found in a page.
enum Found {
    Id(String),
    Link(String),
}

/// The ids and link addresses of an HTML page, through a real HTML
/// tokenizer (attributes in any quoting, character references decoded).
fn scan(html: &str) -> Page {
    let (mut tag, mut attr) = (Vec::new(), Vec::new());
    let emitter = CallbackEmitter::new(move |event: CallbackEvent<'_>, _: html5gum::Span<()>| -> Option<Vec<Found>> {
        match event {
            CallbackEvent::OpenStartTag { name } => {
                tag.clear();
                tag.extend_from_slice(name);
                None
            }
            CallbackEvent::AttributeName { name } => {
                attr.clear();
                attr.extend_from_slice(name);
                None
            }
            CallbackEvent::AttributeValue { value } => {
                let value = String::from_utf8_lossy(value);
                match (tag.as_slice(), attr.as_slice()) {
                    (_, b"id") | (b"a", b"name") => Some(vec![Found::Id(value.into_owned())]),
                    (b"a" | b"area" | b"link", b"href") | (b"img" | b"script" | b"source" | b"iframe", b"src") => {
                        Some(vec![Found::Link(value.trim().to_string())])
                    }
                    (b"img" | b"source", b"srcset") => Some(
                        value
                            .split(',')
                            .filter_map(|c| c.split_whitespace().next())
                            .map(|u| Found::Link(u.to_string()))
                            .collect(),
                    ),
                    _ => None,
                }
            }
            _ => None,
        }
    });
    let mut page = Page::default();
    for found in Tokenizer::new_with_emitter(html, emitter).flatten().flatten() {
        match found {
            Found::Id(id) => {
                page.ids.insert(id);
            }
            Found::Link(l) => page.links.push(l),
        }
    }
    page
}

/// Where a page's problems are reported: the template that made it and,
/// for its Markdown, the source file and the links written there.
struct Origin<'a> {
    template: &'a str,
    source: Option<&'a Path>,
    markdown: &'a [Link],
}

/// A broken address of a page, and why it is broken.
type Broken = (String, String);

/// Follows every link of every page; returns how many were followed.
fn check_links(l: &Input, out: &Output, diags: &mut Vec<Diagnostic>) -> usize {
    let site = &l.site;
    let mut origins: HashMap<String, Origin> = HashMap::new();
    for p in &site.pages {
        let origin = Origin { template: "case.html", source: Some(&p.source), markdown: &p.links };
        origins.insert(format!("{}index.html", p.url), origin);
    }
    for (lang, home) in site.homes.iter().enumerate() {
        let origin = Origin { template: "home.html", source: home.source.as_deref(), markdown: &home.links };
        origins.insert(format!("{}index.html", site.home_url(lang)), origin);
    }
    origins.insert(crate::model::urls::ROOT.into(), Origin { template: "languages.html", source: None, markdown: &[] });
    origins.insert(crate::model::urls::NOT_FOUND.into(), Origin { template: "404.html", source: None, markdown: &[] });

    let base = &site.config.base;
    // per page: how many links it has, and the broken ones with why
    let found: Vec<(String, usize, Vec<Broken>)> = out
        .pages
        .par_iter()
        .map(|(rel, page)| {
            let dir = rel.rsplit_once('/').map_or("", |(d, _)| d);
            let broken = page
                .links
                .iter()
                .filter_map(|href| {
                    follow(href, dir, &base.url, &base.path, rel, out).err().map(|why| (href.clone(), why))
                })
                .collect();
            (rel.clone(), page.links.len(), broken)
        })
        .collect();

    let mut per_template: HashMap<&str, usize> = HashMap::new();
    let mut followed = 0;
    for (rel, count, broken) in found {
        followed += count;
        let origin = origins.get(&rel);
        for (href, why) in broken {
            let written: Vec<&Link> =
                origin.map(|o| o.markdown.iter().filter(|m| m.href == href).collect()).unwrap_or_default();
            match (origin.and_then(|o| o.source), written.is_empty()) {
                (Some(source), false) => {
                    for m in written {
                        let msg = format!("link `{}`: {why}", m.target);
                        diags.push(Diagnostic::error(source, m.line, m.column, msg));
                    }
                }
                _ => {
                    let template = origin.map_or("", |o| o.template);
                    let n = per_template.entry(template).or_default();
                    *n += 1;
                    if *n <= TEMPLATE_REPORTS {
                        let path =
                            if template.is_empty() { PathBuf::from(&rel) } else { l.theme.template_path(template) };
                        diags.push(Diagnostic::error(path, 1, 1, format!("on {rel}, link `{href}`: {why}")));
                    }
                }
            }
        }
    }
    for (template, n) in per_template.into_iter().filter(|(_, n)| *n > TEMPLATE_REPORTS) {
        let path = l.theme.template_path(template);
        let more = n - TEMPLATE_REPORTS;
        diags.push(Diagnostic::error(path, 1, 1, format!("… and {more} more broken links on pages of this template")));
    }
    followed
}

/// Follows one address of the page `rel` (in folder `dir`) to a file of
/// the output and, for a `#fragment`, to an id of that page. External
/// addresses are not followed.
fn follow(href: &str, dir: &str, base_url: &str, base_path: &str, rel: &str, out: &Output) -> Result<(), String> {
    let (path, fragment) = href.split_once('#').unwrap_or((href, ""));
    let path = path.split_once('?').map_or(path, |(p, _)| p);
    let path = percent_decode_str(path).decode_utf8_lossy();
    let target = if let Some(inside) = path.strip_prefix(base_url) {
        inside.to_string()
    } else if has_scheme(&path) || path.starts_with("//") {
        return Ok(());
    } else if let Some(abs) = path.strip_prefix('/') {
        match format!("/{abs}").strip_prefix(base_path) {
            Some(inside) => inside.to_string(),
            None => return Err(format!("it leaves the site, which lives below `{base_path}`")),
        }
    } else if path.is_empty() {
        rel.to_string()
    } else {
        let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
        if walk_relative(&mut parts, &path).is_none() {
            return Err("it goes above the site's root folder".into());
        }
        let mut joined = parts.join("/");
        if path.ends_with('/') && !joined.is_empty() {
            joined.push('/');
        }
        joined
    };
    let file = if target.is_empty() || target.ends_with('/') {
        format!("{target}index.html")
    } else if out.files.contains(&target) {
        target
    } else {
        format!("{target}/index.html")
    };
    if !out.files.contains(&file) {
        return Err(format!("there is no {} in the site", file.strip_suffix("index.html").unwrap_or(&file)));
    }
    let fragment = percent_decode_str(fragment).decode_utf8_lossy();
    match out.pages.get(&file) {
        Some(page) if !fragment.is_empty() && !page.ids.contains(fragment.as_ref()) => {
            let mut msg = format!("there is no `#{fragment}` on that page");
            if let Some(m) = diagnostic::did_you_mean(&fragment, page.ids.iter().map(String::as_str)) {
                msg.push_str(&format!(" (did you mean `#{m}`?)"));
            }
            Err(msg)
        }
        _ => Ok(()),
    }
}

/// One warning per language listing the cases that have no version in it.
fn missing_translations(root: &Path, l: &Input) -> Vec<Diagnostic> {
    let site = &l.site;
    let languages = &site.config.languages;
    if languages.len() < 2 {
        return Vec::new();
    }
    let mut folders: Vec<(&str, Vec<bool>)> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for p in &site.pages {
        let i = *index.entry(&p.folder).or_insert_with(|| {
            folders.push((&p.folder, vec![false; languages.len()]));
            folders.len() - 1
        });
        folders[i].1[p.lang] = true;
    }
    folders.sort();
    let mut out = Vec::new();
    for (lang, language) in languages.iter().enumerate() {
        let missing: Vec<&str> = folders.iter().filter(|(_, has)| !has[lang]).map(|(f, _)| *f).collect();
        if missing.is_empty() {
            continue;
        }
        let (path, (line, column)) = match language.at {
            Some(at) => (display_path(root, Path::new("site.yaml")), at),
            None => (display_path(root, Path::new("content/cases")), (1, 1)),
        };
        let n = missing.len();
        let mut list = missing.iter().take(10).map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ");
        if n > 10 {
            list.push_str(&format!(" and {} more", n - 10));
        }
        let cases = if n == 1 { "case has" } else { "cases have" };
        out.push(Diagnostic::warning(path, line, column, format!("{n} {cases} no {} version: {list}", language.code)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scan_finds_ids_and_addresses_in_any_quoting() {
        let page = scan(
            "<h2 id=vraag>V</h2><a href='../x/?a=1&amp;b=2#top'>x</a>\
             <img src=\"a.jpg\" srcset=\"a-480.jpg 480w, a-960.jpg 960w\" alt=\"\"><p id=\"r&eacute;\">",
        );
        assert_eq!(page.links, ["../x/?a=1&b=2#top", "a.jpg", "a-480.jpg", "a-960.jpg"]);
        assert!(page.ids.contains("vraag") && page.ids.contains("ré"));
    }

    #[test]
    fn addresses_are_followed_to_files_and_ids() {
        let mut pages = HashMap::new();
        pages.insert("nl/a/index.html".to_string(), scan("<h2 id=aanpak>"));
        let files =
            ["index.html", "nl/a/index.html", "nl/a/foto.jpg", "style.css"].map(String::from).into_iter().collect();
        let out = Output { files, pages };
        let f = |href: &str| follow(href, "nl/b", "https://x.org/s/", "/s/", "nl/b/index.html", &out);
        assert_eq!(f("../a/"), Ok(()));
        assert_eq!(f("../a"), Ok(()));
        assert_eq!(f("../../"), Ok(()));
        assert_eq!(f("/s/nl/a/#aanpak"), Ok(()));
        assert_eq!(f("https://x.org/s/style.css"), Ok(()));
        assert_eq!(f("https://elsewhere.org/nothing"), Ok(()));
        assert_eq!(f("../a/foto.jpg"), Ok(()));
        assert_eq!(f("../a/#aanpk"), Err("there is no `#aanpk` on that page (did you mean `#aanpak`?)".into()));
        assert_eq!(f("../c/"), Err("there is no nl/c/ in the site".into()));
        assert_eq!(f("/nl/a/"), Err("it leaves the site, which lives below `/s/`".into()));
        assert_eq!(f("../../../x"), Err("it goes above the site's root folder".into()));
    }
}
