//! `site.yaml`: the site's title, address, languages and theme, with the
//! defaults that let a folder holding only `content/` build.

use crate::diagnostic::{Diagnostic, display_path};
use crate::model::frontmatter::{self, Schema, Seg, locate};
use serde::Deserialize;
use serde::de::{MapAccess, Visitor};
use std::fmt;
use std::path::Path;

/// The settings every stage reads; immutable once loaded.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub title: String,
    pub base: BaseUrl,
    /// In the order of the language switch.
    pub languages: Vec<Language>,
    /// Index into `languages`.
    pub default_language: usize,
    /// A folder of `themes/` layered over the built-in theme, if any.
    pub theme: Option<String>,
    /// Neither `site.yaml` nor `--base-url` gave an address: `base` is
    /// [`DEFAULT_BASE_URL`], which a build warns about.
    pub base_missing: bool,
    /// `poster: { print: true }`: a build also writes each poster's print
    /// file (bleed, crop marks, CMYK).
    pub print_posters: bool,
    /// Each language's typography on the texts readers see (quotes,
    /// French spaces, whole numbers); `typography: false` leaves every
    /// text as written.
    pub typography: bool,
    /// `cms:`: the web editor's settings, when the site has one.
    pub cms: Option<Cms>,
    /// `filters:`: keys of the case front matter that a reader can narrow
    /// the list of cases by (`sector`), each with a page per value at
    /// `<lang>/<key>/<value>/`, besides tag, client and year.
    pub filters: Vec<String>,
}

/// `cms:` of `site.yaml`: where the web editor (Decap CMS, or Sveltia CMS
/// on the same file) saves, and the script its page loads.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Cms {
    /// Decap's `backend` block, key for key.
    pub backend: Backend,
    /// The CMS script: an address, or a path below the site root (a
    /// self-hosted copy); else Decap at [`DECAP_SCRIPT`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub script: Option<String>,
    /// The language of the editor's own interface; else the site's first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// Set by `serve`, never in `site.yaml`: the editor saves through
    /// serve's own endpoint ([`crate::model::urls::CMS_API`]) into the site folder.
    #[serde(skip)]
    pub local: bool,
}

/// The version of Decap CMS the admin page loads by default, pinned: a
/// new version is tried before it is taken.
pub const DECAP_SCRIPT: &str = "https://unpkg.com/decap-cms@3.16.3/dist/decap-cms.js";

/// Decap's `backend` keys (decapcms.org/docs/backends-overview, and the
/// pages of each backend), written into `admin/config.yml` as given.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Backend {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repo: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_root: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site_domain: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_endpoint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_scope: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cms_label_prefix: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub squash_merges: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open_authoring: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub use_graphql: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit_messages: Option<std::collections::BTreeMap<String, String>>,
}

/// The backends Decap CMS has (`name:`), those Sveltia CMS also reads first.
pub const BACKENDS: [&str; 6] = ["github", "gitlab", "gitea", "git-gateway", "bitbucket", "azure"];

impl Config {
    /// The language whose typography texts in `code` get: `code`, or
    /// none (`""`) with `typography: false`.
    pub fn typeset_in<'a>(&self, code: &'a str) -> &'a str {
        if self.typography { code } else { "" }
    }

    /// The language with this code, if the site has it.
    pub fn language(&self, code: &str) -> Option<usize> {
        self.languages.iter().position(|l| l.code == code)
    }

    /// The language of `x-default`, the root page and the 404 page.
    pub fn default_lang(&self) -> &Language {
        &self.languages[self.default_language]
    }
}

/// One language of the site and the URL slug of its case section.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Language {
    pub code: String,
    pub name: String,
    pub section: String,
    /// The URL slug of its tag pages: `nl/trefwoorden/participatie/`.
    pub tags: String,
    /// Line and column of its key in `site.yaml`, for problems of the
    /// language found later (none when the content gave the language).
    pub at: Option<(usize, usize)>,
}

/// Where the site will live: an absolute URL whose path may be a sub-path.
/// Pages link to each other root-relative through `path`, so the output works
/// on any host at that path; canonical links and feeds use the full `url`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BaseUrl {
    /// `https://example.org/cases-site/`, always ending in `/`.
    pub url: String,
    /// `/cases-site/`, always starting and ending in `/`.
    pub path: String,
}

impl BaseUrl {
    /// Accepts `http(s)://host[:port][/path]`; adds the trailing slash.
    pub fn parse(s: &str) -> Result<BaseUrl, String> {
        let s = s.trim();
        let rest = s
            .strip_prefix("https://")
            .or_else(|| s.strip_prefix("http://"))
            .ok_or_else(|| format!("`{s}` is not an absolute http(s) URL, such as https://www.example.org/"))?;
        let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        if host.is_empty() || host.contains(['?', '#', ' ', '@']) || path.contains(['?', '#', ' ']) {
            return Err(format!("`{s}` is not a plain site address: give scheme, host and an optional path"));
        }
        let mut path = path.trim_end_matches('/').to_string();
        path.push('/');
        if !path.starts_with('/') {
            path.insert(0, '/');
        }
        let scheme = if s.starts_with("https://") { "https" } else { "http" };
        Ok(BaseUrl { url: format!("{scheme}://{host}{path}"), path })
    }

    /// The absolute URL of a path relative to the site root.
    pub fn abs(&self, rel: &str) -> String {
        format!("{}{rel}", self.url)
    }

    /// The address as people write it: no scheme, no trailing slash
    /// (`www.example.org/cases`).
    pub fn shown(&self) -> &str {
        let rest = self.url.split_once("://").map_or(self.url.as_str(), |(_, r)| r);
        rest.trim_end_matches('/')
    }

    /// The root-relative URL of a path relative to the site root.
    pub fn root(&self, rel: &str) -> String {
        format!("{}{rel}", self.path)
    }
}

/// The address used when neither `site.yaml` nor `--base-url` gives one.
pub const DEFAULT_BASE_URL: &str = "https://example.org/";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SiteFile {
    #[serde(default, deserialize_with = "crate::model::values::opt_text")]
    title: Option<String>,
    base_url: Option<String>,
    default_language: Option<String>,
    theme: Option<String>,
    languages: Option<Languages>,
    poster: Option<PosterSettings>,
    typography: Option<bool>,
    cms: Option<Cms>,
    #[serde(default)]
    filters: Vec<String>,
}

/// `poster:` of `site.yaml`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PosterSettings {
    #[serde(default)]
    print: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LangSpec {
    name: Option<String>,
    section: Option<String>,
    tags: Option<String>,
}

/// The `languages` mapping, in the order it is written.
struct Languages(Vec<(String, LangSpec)>);

impl<'de> Deserialize<'de> for Languages {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Languages;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping of language codes, such as `nl: { name: Nederlands, section: cases }`")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Languages, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = m.next_entry::<String, Option<LangSpec>>()? {
                    out.push((k, v.unwrap_or(LangSpec { name: None, section: None, tags: None })));
                }
                Ok(Languages(out))
            }
        }
        d.deserialize_map(V)
    }
}

static SITE_SCHEMA: Schema = Schema::Map(&[
    ("title", false, Schema::Scalar),
    ("base_url", false, Schema::Scalar),
    ("default_language", false, Schema::Scalar),
    ("theme", false, Schema::Scalar),
    ("languages", false, Schema::Any),
    ("poster", false, Schema::Map(&[("print", false, Schema::Scalar)])),
    ("typography", false, Schema::Scalar),
    (
        "cms",
        false,
        Schema::Map(&[
            (
                "backend",
                true,
                Schema::Map(&[
                    ("name", true, Schema::Scalar),
                    ("repo", false, Schema::Scalar),
                    ("branch", false, Schema::Scalar),
                    ("api_root", false, Schema::Scalar),
                    ("site_domain", false, Schema::Scalar),
                    ("base_url", false, Schema::Scalar),
                    ("auth_endpoint", false, Schema::Scalar),
                    ("auth_scope", false, Schema::Scalar),
                    ("auth_type", false, Schema::Scalar),
                    ("app_id", false, Schema::Scalar),
                    ("identity_url", false, Schema::Scalar),
                    ("gateway_url", false, Schema::Scalar),
                    ("cms_label_prefix", false, Schema::Scalar),
                    ("squash_merges", false, Schema::Scalar),
                    ("open_authoring", false, Schema::Scalar),
                    ("use_graphql", false, Schema::Scalar),
                    ("commit_messages", false, Schema::Any),
                ]),
            ),
            ("script", false, Schema::Scalar),
            ("locale", false, Schema::Scalar),
        ]),
    ),
    ("filters", false, Schema::List(&Schema::Scalar)),
]);

/// Names a declared filter cannot have: the list's own filters and the
/// search's word in the address (`?tag=…&q=…`).
const OWN_FILTERS: [&str; 4] = ["tag", "client", "year", "q"];

/// Names, section slugs and tag slugs for languages a site does not describe itself.
pub fn known_language(code: &str) -> (&str, &str, &str) {
    match code {
        "nl" => ("Nederlands", "cases", "trefwoorden"),
        "fr" => ("Français", "projets", "mots-cles"),
        "en" => ("English", "cases", "tags"),
        "de" => ("Deutsch", "projekte", "schlagworte"),
        "es" => ("Español", "casos", "temas"),
        "it" => ("Italiano", "casi", "temi"),
        _ => (code, "cases", "tags"),
    }
}

pub fn valid_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| !p.is_empty() && p.len() <= 8 && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// True for a URL slug vitrine writes as a folder name: lowercase ASCII
/// letters, digits and inner hyphens.
pub fn valid_slug(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Reads `root/site.yaml` (or makes the defaults when there is none).
/// `found_languages` are the languages of the content files, used when the
/// site does not list its own; `base_url` overrides the file's.
pub fn load(root: &Path, found_languages: &[&str], base_url: Option<&str>) -> Result<Config, Vec<Diagnostic>> {
    let rel = Path::new("site.yaml");
    let path = display_path(root, rel);
    let src = match std::fs::read(root.join(rel)) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(s) => Some(s),
            Err(_) => {
                return Err(vec![Diagnostic::error(&path, 1, 1, "site.yaml is not UTF-8 text")]);
            }
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            return Err(vec![Diagnostic::error(&path, 1, 1, format!("cannot read site.yaml: {e}"))]);
        }
    };
    let Some(src) = src else {
        return Ok(defaults(found_languages, base_url));
    };
    let src = frontmatter::strip_bom(&src);
    let yaml = if src.trim().is_empty() { "{}" } else { src };
    let file: SiteFile = frontmatter::parse(yaml, &SITE_SCHEMA)
        .map_err(|ps| ps.into_iter().map(|p| p.into_diagnostic(&path)).collect::<Vec<_>>())?;
    let mut diags = Vec::new();
    let at = |key: &str| locate(yaml, &[Seg::Key(key)]);

    let base_missing = base_url.or(file.base_url.as_deref()).is_none();
    let base = match base_url.or(file.base_url.as_deref()) {
        Some(u) => BaseUrl::parse(u).unwrap_or_else(|e| {
            let (l, c) = if base_url.is_some() { (1, 1) } else { at("base_url") };
            let what = if base_url.is_some() { "--base-url" } else { "base_url" };
            diags.push(Diagnostic::error(&path, l, c, format!("{what}: {e}")));
            BaseUrl::parse(DEFAULT_BASE_URL).expect("valid default")
        }),
        None => BaseUrl::parse(DEFAULT_BASE_URL).expect("valid default"),
    };

    let languages: Vec<Language> = match file.languages {
        Some(Languages(list)) => {
            let mut out: Vec<Language> = Vec::new();
            for (code, spec) in list {
                let (l, c) = locate(yaml, &[Seg::Key("languages"), Seg::Key(&code)]);
                if !valid_code(&code) {
                    diags.push(Diagnostic::error(
                        &path,
                        l,
                        c,
                        format!("`{code}` is not a language code such as nl, fr or en-GB"),
                    ));
                    continue;
                }
                let (name, section, tags) = known_language(&code);
                let section = spec.section.unwrap_or_else(|| section.to_string());
                let tags = spec.tags.unwrap_or_else(|| tags.to_string());
                for (key, slug, example) in [("section", &section, "cases"), ("tags", &tags, "tags")] {
                    if !valid_slug(slug) {
                        let (l, c) = locate(yaml, &[Seg::Key("languages"), Seg::Key(&code), Seg::Key(key)]);
                        diags.push(
                            Diagnostic::error(&path, l, c, format!("{key} `{slug}` of `{code}` is not a URL slug"))
                                .with_hint(format!("use lowercase letters, digits and hyphens, such as `{example}`")),
                        );
                    }
                }
                if section == tags {
                    diags.push(Diagnostic::error(
                        &path,
                        l,
                        c,
                        format!("`{code}` uses `{section}` for both its cases and its tags: give them different slugs"),
                    ));
                }
                let name = spec.name.unwrap_or_else(|| name.to_string());
                out.push(Language { code, name, section, tags, at: Some((l, c)) });
            }
            if out.is_empty() && diags.is_empty() {
                let (l, c) = at("languages");
                diags.push(Diagnostic::error(&path, l, c, "`languages` lists no language"));
            }
            out
        }
        None => defaults(found_languages, None).languages,
    };

    let default_language = match &file.default_language {
        Some(code) => languages.iter().position(|l| &l.code == code).unwrap_or_else(|| {
            let (l, c) = at("default_language");
            let codes: Vec<&str> = languages.iter().map(|l| l.code.as_str()).collect();
            diags.push(Diagnostic::error(
                &path,
                l,
                c,
                format!("default_language `{code}` is not one of the languages ({})", codes.join(", ")),
            ));
            0
        }),
        None => 0,
    };
    if let Some(name) = &file.theme
        && name != "default"
        && !root.join("themes").join(name).is_dir()
    {
        let (l, c) = at("theme");
        diags.push(Diagnostic::error(&path, l, c, format!("theme `{name}` is not a folder in themes/")));
    }
    if let Some(cms) = &file.cms {
        let name = &cms.backend.name;
        if !BACKENDS.contains(&name.as_str()) {
            let (l, c) = locate(yaml, &[Seg::Key("cms"), Seg::Key("backend"), Seg::Key("name")]);
            diags.push(
                Diagnostic::error(&path, l, c, format!("`{name}` is not a backend of Decap CMS"))
                    .with_hint(format!("use one of {}", BACKENDS.join(", "))),
            );
        }
        let git = !matches!(name.as_str(), "git-gateway");
        if git && cms.backend.repo.is_none() {
            let (l, c) = locate(yaml, &[Seg::Key("cms"), Seg::Key("backend")]);
            diags.push(
                Diagnostic::error(
                    &path,
                    l,
                    c,
                    format!("the `{name}` backend needs the repository: `repo: owner/name`"),
                )
                .with_hint("the repository that holds this site folder, as the Git host names it"),
            );
        }
        if let Some(locale) = &cms.locale
            && !valid_code(locale)
        {
            let (l, c) = locate(yaml, &[Seg::Key("cms"), Seg::Key("locale")]);
            diags.push(Diagnostic::error(&path, l, c, format!("`{locale}` is not a language code such as nl or fr")));
        }
    }
    for (i, key) in file.filters.iter().enumerate() {
        let (l, c) = locate(yaml, &[Seg::Key("filters"), Seg::Index(i)]);
        let case_key = crate::model::content::CASE_SCHEMA.keys().contains(&key.as_str());
        let problem = if !valid_slug(key) {
            Some(format!("filter `{key}` is not a key such as `sector`: use lowercase letters, digits and hyphens"))
        } else if case_key || OWN_FILTERS.contains(&key.as_str()) {
            Some(format!("`{key}` cannot be declared as a filter: vitrine gives it a meaning of its own"))
        } else if let Some(lang) = languages.iter().find(|lang| [&lang.section, &lang.tags].contains(&key)) {
            Some(format!("filter `{key}` would take the address of the cases or tags of `{}`", lang.code))
        } else if file.filters[..i].contains(key) {
            Some(format!("filter `{key}` is declared twice"))
        } else {
            None
        };
        if let Some(problem) = problem {
            diags.push(Diagnostic::error(&path, l, c, problem).with_hint(
                "a filter is a key of the cases' front matter, such as `sector`, whose values a reader can choose",
            ));
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    Ok(Config {
        title: file.title.unwrap_or_else(|| DEFAULT_TITLE.to_string()),
        base,
        languages,
        default_language,
        theme: file.theme,
        base_missing,
        print_posters: file.poster.is_some_and(|p| p.print),
        typography: file.typography.unwrap_or(true),
        cms: file.cms,
        filters: file.filters,
    })
}

/// The site title when `site.yaml` gives none.
pub const DEFAULT_TITLE: &str = "Cases";

/// The configuration of a site without `site.yaml`: the languages of its
/// content (most-used first, so the main language is the default), or English
/// for an empty site.
fn defaults(found: &[&str], base_url: Option<&str>) -> Config {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for code in found.iter().filter(|c| valid_code(c)) {
        match counts.iter_mut().find(|(c, _)| c == code) {
            Some((_, n)) => *n += 1,
            None => counts.push((code.to_string(), 1)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    if counts.is_empty() {
        counts.push(("en".into(), 0));
    }
    let languages = counts
        .into_iter()
        .map(|(code, _)| {
            let (name, section, tags) = known_language(&code);
            Language { name: name.into(), section: section.into(), tags: tags.into(), code, at: None }
        })
        .collect();
    let parsed = base_url.and_then(|u| BaseUrl::parse(u).ok());
    let base_missing = parsed.is_none();
    let base = parsed.unwrap_or_else(|| BaseUrl::parse(DEFAULT_BASE_URL).expect("valid"));
    Config {
        title: DEFAULT_TITLE.into(),
        base,
        languages,
        default_language: 0,
        theme: None,
        base_missing,
        print_posters: false,
        typography: true,
        cms: None,
        filters: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_lists_the_keys_of_site_yaml() {
        assert_eq!(crate::model::frontmatter::serde_fields::<SiteFile>(), SITE_SCHEMA.keys());
    }

    #[test]
    fn base_url_with_and_without_sub_path() {
        let b = BaseUrl::parse("https://example.org").unwrap();
        assert_eq!((b.url.as_str(), b.path.as_str()), ("https://example.org/", "/"));
        let b = BaseUrl::parse("https://example.org/cases-site").unwrap();
        assert_eq!((b.url.as_str(), b.path.as_str()), ("https://example.org/cases-site/", "/cases-site/"));
        assert_eq!(b.abs("nl/"), "https://example.org/cases-site/nl/");
        assert!(BaseUrl::parse("example.org").is_err());
        assert!(BaseUrl::parse("https://").is_err());
    }

    fn load_str(yaml: &str) -> Result<Config, Vec<Diagnostic>> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("site.yaml"), yaml).unwrap();
        load(dir.path(), &[], None).map_err(|ds| {
            ds.into_iter()
                .map(|mut d| {
                    d.path = d.path.file_name().unwrap().into();
                    d
                })
                .collect()
        })
    }

    #[test]
    fn languages_keep_their_order() {
        let c = load_str("title: T\nbase_url: https://x.org/\ndefault_language: fr\nlanguages:\n  nl: { name: Nederlands, section: cases }\n  fr: { name: Français, section: projets }\n").unwrap();
        let codes: Vec<&str> = c.languages.iter().map(|l| l.code.as_str()).collect();
        assert_eq!(codes, ["nl", "fr"]);
        assert_eq!(c.default_lang().code, "fr");
        assert_eq!(c.languages[1].section, "projets");
    }

    #[test]
    fn unknown_keys_and_bad_values_are_located() {
        let e = load_str("title: T\nbase_ur: https://x.org/\n").unwrap_err();
        assert_eq!(e[0].to_string(), "site.yaml:2:1: error: unknown key `base_ur`\n    hint: did you mean `base_url`?");
        let e = load_str("title: T\nlanguages:\n  nl: { name: N, sectoin: cases }\n").unwrap_err();
        assert!(e[0].to_string().starts_with("site.yaml:3:"), "{}", e[0]);
        let e = load_str("title: T\ndefault_language: de\nlanguages:\n  nl: {}\n").unwrap_err();
        assert_eq!(e[0].to_string(), "site.yaml:2:1: error: default_language `de` is not one of the languages (nl)");
    }

    #[test]
    fn defaults_follow_the_content() {
        let c = defaults(&["fr", "nl", "nl"], None);
        let codes: Vec<&str> = c.languages.iter().map(|l| l.code.as_str()).collect();
        assert_eq!(codes, ["nl", "fr"]);
        assert_eq!(c.languages[1].section, "projets");
        assert_eq!(defaults(&[], None).languages[0].code, "en");
    }
}
