//! Stage 1, load: walks `content/` and parses every file in parallel. It never
//! stops at the first problem: each file becomes a parsed value or diagnostics.

use crate::content::{CASE_SCHEMA, FrontMatter, INTRO_SCHEMA, IntroFrontMatter, PERSON_SCHEMA, PersonFile};
use crate::diagnostic::{Diagnostic, display_path, line_col};
use crate::frontmatter::{self, YamlProblem};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Everything read from `content/`, before any cross-file check.
#[derive(Debug, Default)]
pub struct Sources {
    /// Sorted by folder, then language.
    pub cases: Vec<CaseSource>,
    pub people: Vec<PersonSource>,
    pub intros: Vec<IntroSource>,
    /// Files copied to the output as they are (case images, photos).
    pub assets: Vec<Asset>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Sources {
    /// Language codes of every case and intro file, for a site without `site.yaml`.
    pub fn languages_found(&self) -> Vec<String> {
        self.cases.iter().map(|c| c.lang.clone()).chain(self.intros.iter().map(|i| i.lang.clone())).collect()
    }
}

/// One language version of a case.
#[derive(Debug, Clone)]
pub struct CaseSource {
    /// Relative to the site root: `content/cases/<folder>/index.<lang>.md`.
    pub rel: PathBuf,
    pub folder: String,
    pub lang: String,
    pub fm: FrontMatter,
    /// The front matter text, to locate keys in later checks.
    pub yaml: String,
    pub body: String,
}

/// A parsed `content/people/<id>.yaml`, the id being its file name.
#[derive(Debug, Clone)]
pub struct PersonSource {
    pub id: String,
    pub rel: PathBuf,
    pub file: PersonFile,
    pub yaml: String,
}

/// A parsed home intro `content/_index.<lang>.md`.
#[derive(Debug, Clone)]
pub struct IntroSource {
    pub rel: PathBuf,
    pub lang: String,
    pub fm: IntroFrontMatter,
    pub body: String,
}

/// A file copied to the output: `rel` below the site root, and the case
/// folder it belongs to (`None` for people's photos).
#[derive(Debug, Clone)]
pub struct Asset {
    pub rel: PathBuf,
    pub case_folder: Option<String>,
    /// The path inside the case folder (or inside `people/`).
    pub inner: String,
}

enum Job {
    Case { rel: PathBuf, folder: String, lang: String },
    Person { rel: PathBuf, id: String },
    Intro { rel: PathBuf, lang: String },
}

enum Parsed {
    Case(Box<CaseSource>),
    Person(PersonSource),
    Intro(IntroSource),
    Failed(Vec<Diagnostic>),
}

/// Reads the site's `content/` folder.
pub fn load(root: &Path) -> Sources {
    let mut sources = Sources::default();
    let content = root.join("content");
    if !content.is_dir() {
        sources.diagnostics.push(Diagnostic::error(
            display_path(root, Path::new("content")),
            1,
            1,
            "no content/ folder: a site keeps its cases in content/cases/<slug>/index.<lang>.md",
        ));
        return sources;
    }
    let mut jobs = Vec::new();
    let mut case_folders = std::collections::BTreeMap::<String, bool>::new();
    for entry in walkdir::WalkDir::new(&content).follow_links(true).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let rel = e.path().and_then(|p| p.strip_prefix(root).ok()).unwrap_or(Path::new("content"));
                let msg = if e.loop_ancestor().is_some() {
                    "a symbolic link here points back to a folder that contains it; it is skipped".to_string()
                } else {
                    format!("cannot read: {}", e.io_error().map_or(e.to_string(), |io| io.to_string()))
                };
                sources.diagnostics.push(Diagnostic::error(display_path(root, rel), 1, 1, msg));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(root).unwrap_or(entry.path()).to_path_buf();
        let Some(parts) = rel.iter().skip(1).map(|p| p.to_str()).collect::<Option<Vec<&str>>>() else {
            sources.diagnostics.push(Diagnostic::error(
                display_path(root, &rel),
                1,
                1,
                "the file name is not UTF-8; rename it",
            ));
            continue;
        };
        if parts.iter().any(|p| is_noise(p)) {
            continue;
        }
        match parts.as_slice() {
            [name] if lang_of(name, "_index.").is_some() => {
                let lang = lang_of(name, "_index.").unwrap_or_default().to_string();
                jobs.push(Job::Intro { rel, lang });
            }
            ["cases", folder, name] if lang_of(name, "index.").is_some() => {
                let lang = lang_of(name, "index.").unwrap_or_default().to_string();
                case_folders.insert(folder.to_string(), true);
                jobs.push(Job::Case { folder: folder.to_string(), lang, rel });
            }
            ["cases", folder, inner @ ..] if !inner.is_empty() => {
                case_folders.entry(folder.to_string()).or_insert(false);
                let inner = inner.join("/");
                sources.assets.push(Asset { case_folder: Some(folder.to_string()), inner, rel });
            }
            ["people", name] if name.ends_with(".yaml") || name.ends_with(".yml") => {
                let id = name.trim_end_matches(".yaml").trim_end_matches(".yml").to_string();
                jobs.push(Job::Person { rel, id });
            }
            ["people", inner @ ..] => {
                let inner = inner.join("/");
                sources.assets.push(Asset { case_folder: None, inner, rel });
            }
            _ => sources.diagnostics.push(
                Diagnostic::warning(display_path(root, &rel), 1, 1, "not part of a site folder, ignored").with_hint(
                    "cases live in content/cases/<slug>/index.<lang>.md, people in content/people/<id>.yaml, home intros in content/_index.<lang>.md",
                ),
            ),
        }
    }
    for (folder, has_index) in &case_folders {
        if !has_index {
            let rel = Path::new("content/cases").join(folder);
            sources.diagnostics.push(
                Diagnostic::warning(
                    display_path(root, &rel),
                    1,
                    1,
                    "this case folder has no index.<lang>.md; its files are ignored",
                )
                .with_hint("add index.nl.md (or another language) with the case's front matter"),
            );
        }
    }
    sources.assets.retain(|a| a.case_folder.as_ref().is_none_or(|f| case_folders[f]));

    let parsed: Vec<Parsed> = jobs.into_par_iter().map(|job| parse_job(root, job)).collect();
    for p in parsed {
        match p {
            Parsed::Case(c) => sources.cases.push(*c),
            Parsed::Person(p) => sources.people.push(p),
            Parsed::Intro(i) => sources.intros.push(i),
            Parsed::Failed(ds) => sources.diagnostics.extend(ds),
        }
    }
    sources
}

/// Editors' swap, backup and lock files, and hidden files.
pub fn is_noise(name: &str) -> bool {
    name.starts_with('.') || name.starts_with('#') || name.ends_with('~') || name.ends_with(".swp") || name == "4913"
}

/// `index.nl.md` with prefix `index.` gives `nl`.
fn lang_of<'a>(name: &'a str, prefix: &str) -> Option<&'a str> {
    let lang = name.strip_prefix(prefix)?.strip_suffix(".md")?;
    (!lang.is_empty() && !lang.contains('.')).then_some(lang)
}

fn parse_job(root: &Path, job: Job) -> Parsed {
    let rel = match &job {
        Job::Case { rel, .. } | Job::Person { rel, .. } | Job::Intro { rel, .. } => rel.clone(),
    };
    let shown = display_path(root, &rel);
    let src = match read_text(&root.join(&rel)) {
        Ok(s) => s,
        Err((line, col, msg)) => {
            return Parsed::Failed(vec![Diagnostic::error(shown, line, col, msg)]);
        }
    };
    let src = frontmatter::strip_bom(&src);
    let fail = |ps: Vec<YamlProblem>| Parsed::Failed(ps.into_iter().map(|p| p.into_diagnostic(&shown)).collect());
    match job {
        Job::Case { rel, folder, lang } => {
            let split = match frontmatter::split(src) {
                Ok(s) => s,
                Err(p) => return fail(vec![p]),
            };
            match frontmatter::parse::<FrontMatter>(split.yaml, &CASE_SCHEMA) {
                Ok(fm) => Parsed::Case(Box::new(CaseSource {
                    rel,
                    folder,
                    lang,
                    fm,
                    yaml: split.yaml.to_string(),
                    body: split.body.to_string(),
                })),
                Err(ps) => fail(ps),
            }
        }
        Job::Person { rel, id } => {
            let yaml = if src.trim().is_empty() { "{}" } else { src };
            match frontmatter::parse::<PersonFile>(yaml, &PERSON_SCHEMA) {
                Ok(file) => Parsed::Person(PersonSource { id, rel, file, yaml: yaml.to_string() }),
                Err(ps) => fail(ps),
            }
        }
        Job::Intro { rel, lang } => {
            if !src.starts_with("---") {
                return Parsed::Intro(IntroSource {
                    rel,
                    lang,
                    fm: IntroFrontMatter::default(),
                    body: src.to_string(),
                });
            }
            let split = match frontmatter::split(src) {
                Ok(s) => s,
                Err(p) => return fail(vec![p]),
            };
            let fm = if split.yaml.trim() == "---" {
                Ok(IntroFrontMatter::default())
            } else {
                frontmatter::parse::<IntroFrontMatter>(split.yaml, &INTRO_SCHEMA)
            };
            match fm {
                Ok(fm) => Parsed::Intro(IntroSource { rel, lang, fm, body: split.body.to_string() }),
                Err(ps) => fail(ps),
            }
        }
    }
}

/// Reads a file as UTF-8; an invalid byte is reported at its line and column.
pub fn read_text(path: &Path) -> Result<String, (usize, usize, String)> {
    let bytes = std::fs::read(path).map_err(|e| (1, 1, format!("cannot read: {e}")))?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let text = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
        let (line, col) = line_col(text, valid);
        (line, col, "this file is not UTF-8 text: save it as UTF-8".to_string())
    })
}
