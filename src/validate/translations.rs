//! Which translations are missing or behind: for each case and language of
//! the site, `ok`, `missing` or `outdated`. A translation records what it
//! was made from in its front matter (`translated_from:` the source
//! language and a digest of each part of the source: its texts and the
//! sections of its body), so `outdated` needs no file times and works in a
//! fresh clone. `vitrine new translation` starts a translation with that
//! record; `vitrine translations --done CASE LANG` renews it once the
//! translation is brought up to date. A translation without a record is
//! not tracked, and counts as `ok`.

use crate::diagnostic::{Diagnostic, display_path};
use crate::model::config::Config;
use crate::model::frontmatter;
use std::path::{Path, PathBuf};

/// The front-matter key of the record.
pub const KEY: &str = "translated_from";

/// The texts of a case's front matter that a translation translates.
const FIELDS: [&str; 7] = ["title", "client", "summary", "image_alt", "quote", "facts", "strategy"];

/// Where a translation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    Missing,
    Outdated,
}

/// One language of one case.
#[derive(Debug, Clone)]
pub struct Version {
    pub lang: String,
    pub status: Status,
    /// The case's source (first) language.
    pub source: bool,
    /// Whether the translation carries a record.
    pub tracked: bool,
    /// The parts of the source changed since the record (`title`,
    /// `section-aanpak`).
    pub changed: Vec<String>,
}

/// The versions of one case folder.
#[derive(Debug, Clone)]
pub struct Case {
    pub folder: String,
    pub versions: Vec<Version>,
}

/// The report of every case folder of the site below `root`.
pub fn report(root: &Path, config: &Config) -> Vec<Case> {
    let mut folders: Vec<String> = std::fs::read_dir(root.join("content/cases"))
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().is_dir())
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|f| !crate::load::files::is_noise(f))
        .collect();
    folders.sort();
    folders.into_iter().filter_map(|folder| case(root, config, folder)).collect()
}

/// The case file of each of the site's languages, where there is one.
fn texts(root: &Path, config: &Config, folder: &str) -> Vec<Option<String>> {
    config.languages.iter().map(|l| std::fs::read_to_string(case_file(root, folder, &l.code)).ok()).collect()
}

fn case(root: &Path, config: &Config, folder: String) -> Option<Case> {
    let texts = texts(root, config, &folder);
    let source = source_of(config, &texts)?;
    let parts = texts[source].as_deref().map(parts).unwrap_or_default();
    let versions = config
        .languages
        .iter()
        .zip(&texts)
        .enumerate()
        .map(|(i, (l, text))| {
            let mut v = Version {
                lang: l.code.clone(),
                status: Status::Ok,
                source: i == source,
                tracked: false,
                changed: Vec::new(),
            };
            match text {
                None => v.status = Status::Missing,
                Some(_) if i == source => {}
                Some(text) => {
                    if let Some(record) = record_of(text) {
                        v.tracked = true;
                        v.changed = behind(record, &config.languages[source].code, &parts);
                        if !v.changed.is_empty() {
                            v.status = Status::Outdated;
                        }
                    }
                }
            }
            v
        })
        .collect();
    Some(Case { folder, versions })
}

/// The case's source language: the site's default language when the case
/// has it, else the first of the site's languages it has.
fn source_of<T>(config: &Config, texts: &[Option<T>]) -> Option<usize> {
    if texts[config.default_language].is_some() {
        return Some(config.default_language);
    }
    texts.iter().position(Option::is_some)
}

fn case_file(root: &Path, folder: &str, lang: &str) -> PathBuf {
    root.join("content/cases").join(folder).join(format!("index.{lang}.md"))
}

/// The parts of a case file with a digest of each: its front matter's
/// texts, and its body's text before the first heading (`intro`) and under
/// each heading (`section-<its slug>`).
fn parts(src: &str) -> Vec<(String, u64)> {
    let Ok(split) = frontmatter::split(frontmatter::strip_bom(src)) else { return Vec::new() };
    let digest = |s: &str| crate::cache::hash::Fnv::of(s.trim().as_bytes());
    let mut out = Vec::new();
    if let Ok(serde_yaml::Value::Mapping(map)) = serde_yaml::from_str::<serde_yaml::Value>(split.yaml) {
        for field in FIELDS {
            if let Some(v) = map.get(field) {
                out.push((field.to_string(), digest(&serde_yaml::to_string(v).unwrap_or_default())));
            }
        }
    }
    let (mut name, mut text) = ("intro".to_string(), String::new());
    for line in split.body.lines() {
        if let Some(heading) = line.strip_prefix("## ").or_else(|| line.strip_prefix("# ")) {
            if !text.trim().is_empty() || name != "intro" {
                out.push((name, digest(&text)));
            }
            (name, text) = (format!("section-{}", crate::text::markdown::slugify(heading)), String::new());
        } else {
            text.push_str(line);
            text.push('\n');
        }
    }
    if !text.trim().is_empty() || name != "intro" {
        out.push((name, digest(&text)));
    }
    out
}

/// The record of a source's parts: `nl title=1a2b3c4d … section-aanpak=…`.
fn record(lang: &str, parts: &[(String, u64)]) -> String {
    let mut out = lang.to_string();
    for (name, d) in parts {
        out.push_str(&format!(" {name}={:08x}", d & 0xffff_ffff));
    }
    out
}

/// The record in a translation's front matter: the source language and
/// the parts' names and digests.
fn record_of(text: &str) -> Option<&str> {
    let split = frontmatter::split(frontmatter::strip_bom(text)).ok()?;
    let line = split.yaml.lines().find_map(|l| l.strip_prefix(KEY)?.strip_prefix(':'))?;
    Some(line.trim().trim_matches(|c| c == '"' || c == '\''))
}

/// The parts of the source changed since `record` (a `translated_from`
/// value) was made from it: none when the translation is up to date.
fn behind(record: &str, source: &str, parts: &[(String, u64)]) -> Vec<String> {
    let mut words = record.split(' ').filter(|w| !w.is_empty());
    match words.next() {
        Some(lang) if lang == source => {
            let recorded: Vec<(String, String)> =
                words.filter_map(|w| w.split_once('=')).map(|(n, d)| (n.to_string(), d.to_string())).collect();
            changed(&recorded, parts)
        }
        _ => vec![format!("the source language, now {source}")],
    }
}

/// The parts of the source whose digest differs from the record's, or
/// that came or went.
fn changed(recorded: &[(String, String)], now: &[(String, u64)]) -> Vec<String> {
    let now: Vec<(String, String)> = now.iter().map(|(n, d)| (n.clone(), format!("{:08x}", d & 0xffff_ffff))).collect();
    let mut out: Vec<String> = now
        .iter()
        .filter(|(n, d)| !recorded.iter().any(|(rn, rd)| rn == n && rd == d))
        .map(|(n, _)| n.clone())
        .collect();
    out.extend(recorded.iter().filter(|(n, _)| !now.iter().any(|(m, _)| m == n)).map(|(n, _)| format!("{n} (gone)")));
    out
}

/// The case's source: its language, its text, and the front matter line
/// recording that text.
fn record_line(root: &Path, config: &Config, folder: &str) -> Result<(String, String, String), Diagnostic> {
    let mut texts = texts(root, config, folder);
    let Some(source) = source_of(config, &texts) else {
        let at = display_path(root, &root.join("content/cases").join(folder));
        return Err(Diagnostic::error(at, 1, 1, format!("there is no case `{folder}`")));
    };
    let lang = &config.languages[source].code;
    let text = texts[source].take().unwrap_or_default();
    let line = format!("{KEY}: \"{}\"", record(lang, &parts(&text)));
    Ok((lang.clone(), text, line))
}

/// `vitrine new translation CASE LANG`: the source file copied as the
/// start of the translation, a draft, with its record. The file made.
pub fn start(root: &Path, config: &Config, folder: &str, lang: &str) -> Result<PathBuf, Diagnostic> {
    let to = case_file(root, folder, lang);
    let shown = display_path(root, &to);
    if !config.languages.iter().any(|l| l.code == lang) {
        let codes: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
        return Err(Diagnostic::error(
            shown,
            1,
            1,
            format!("`{lang}` is not one of the site's languages ({})", codes.join(", ")),
        ));
    }
    let (_, text, line) = record_line(root, config, folder)?;
    if to.exists() {
        return Err(Diagnostic::error(shown, 1, 1, "this translation exists already; the file was left as it is")
            .with_hint(format!("once it is brought up to date: vitrine translations --done {folder} {lang}")));
    }
    let text = set_line(&set_line(&text, "draft", "draft: true"), KEY, &line);
    crate::load::files::create_new(&to, &text)
        .map_err(|e| Diagnostic::error(shown, 1, 1, format!("cannot create the file: {e}")))?;
    Ok(to)
}

/// `vitrine translations --done CASE LANG`: the translation's record set
/// to the source as it is now.
pub fn done(root: &Path, config: &Config, folder: &str, lang: &str) -> Result<PathBuf, Diagnostic> {
    let path = case_file(root, folder, lang);
    let shown = display_path(root, &path);
    let (source, _, line) = record_line(root, config, folder)?;
    if source == lang {
        return Err(Diagnostic::error(shown, 1, 1, format!("`{lang}` is the source of this case, not a translation")));
    }
    let text = std::fs::read_to_string(&path).map_err(|_| {
        Diagnostic::error(shown.clone(), 1, 1, "there is no such translation")
            .with_hint(format!("start one: vitrine new translation {folder} {lang}"))
    })?;
    std::fs::write(&path, set_line(&text, KEY, &line))
        .map_err(|e| Diagnostic::error(shown, 1, 1, format!("cannot write: {e}")))?;
    Ok(path)
}

/// The front matter with the top-level `key` line replaced by `line`, or
/// `line` added after the opening `---`.
fn set_line(text: &str, key: &str, line: &str) -> String {
    let Ok(split) = frontmatter::split(frontmatter::strip_bom(text)) else { return text.to_string() };
    let mut yaml: Vec<&str> = split.yaml.lines().collect();
    let at = yaml.iter().position(|l| l.strip_prefix(key).is_some_and(|rest| rest.starts_with(':')));
    match at {
        Some(i) => yaml[i] = line,
        None => yaml.insert(1.min(yaml.len()), line),
    }
    format!("{}\n---\n{}", yaml.join("\n"), split.body)
}

/// The one line `build` prints when translations are missing or behind.
pub fn summary(cases: &[Case]) -> Option<String> {
    let count = |s: Status| cases.iter().flat_map(|c| &c.versions).filter(|v| v.status == s).count();
    let (missing, outdated) = (count(Status::Missing), count(Status::Outdated));
    (missing + outdated > 0).then(|| summary_line(missing, outdated))
}

fn summary_line(missing: usize, outdated: usize) -> String {
    format!("translations: {missing} missing, {outdated} outdated (`vitrine translations` lists them)")
}

/// The report as `vitrine translations` prints it, a line per case.
pub fn text(cases: &[Case]) -> String {
    let width = cases.iter().map(|c| c.folder.chars().count()).max().unwrap_or(0);
    let mut out = String::new();
    for c in cases {
        out.push_str(&format!("{:width$}", c.folder));
        for v in &c.versions {
            let status = match (v.status, v.source, v.tracked) {
                (Status::Ok, true, _) => "ok (source)".to_string(),
                (Status::Ok, false, false) => "ok (not tracked)".to_string(),
                (Status::Ok, false, true) => "ok".to_string(),
                (Status::Missing, ..) => "missing".to_string(),
                (Status::Outdated, ..) => format!("outdated: {} changed", v.changed.join(", ")),
            };
            out.push_str(&format!("  {}: {status}", v.lang));
        }
        out.push('\n');
    }
    out
}

/// The report as `--json` prints it: `[{"case", "languages": {lang: status}}]`.
pub fn json(cases: &[Case]) -> String {
    let rows: Vec<serde_json::Value> = cases
        .iter()
        .map(|c| {
            let langs: serde_json::Map<String, serde_json::Value> = c
                .versions
                .iter()
                .map(|v| (v.lang.clone(), serde_json::to_value(v.status).unwrap_or_default()))
                .collect();
            serde_json::json!({ "case": c.folder, "languages": langs })
        })
        .collect();
    serde_json::to_string_pretty(&rows).unwrap_or_default()
}

/// [`summary`] for a build, from its site model: missing versions of the
/// cases built, and the tracked translations whose source changed (only
/// those source files are read again, in parallel).
pub fn summary_of(site: &crate::model::Site) -> Option<String> {
    use rayon::prelude::*;
    use std::collections::BTreeMap;
    let langs = site.config.languages.len();
    let mut by_folder: BTreeMap<&str, Vec<Option<&crate::model::CasePage>>> = BTreeMap::new();
    for p in &site.pages {
        by_folder.entry(p.folder.as_str()).or_insert_with(|| vec![None; langs])[p.lang] = Some(p);
    }
    let missing = by_folder.values().flatten().filter(|p| p.is_none()).count();
    let outdated = by_folder
        .par_iter()
        .map(|(_, versions)| {
            let source = source_of(&site.config, versions).unwrap_or(0);
            let tracked: Vec<&&crate::model::CasePage> = versions
                .iter()
                .enumerate()
                .filter(|&(i, p)| i != source && p.is_some_and(|p| p.fm.translated_from.is_some()))
                .filter_map(|(_, p)| p.as_ref())
                .collect();
            if tracked.is_empty() {
                return 0;
            }
            let Some(src) = versions[source].and_then(|s| std::fs::read_to_string(site.root.join(&s.rel)).ok()) else {
                return 0;
            };
            let (code, parts) = (&site.config.languages[source].code, parts(&src));
            tracked
                .iter()
                .filter(|p| !behind(p.fm.translated_from.as_deref().unwrap_or_default(), code, &parts).is_empty())
                .count()
        })
        .sum::<usize>();
    (missing + outdated > 0).then(|| summary_line(missing, outdated))
}
