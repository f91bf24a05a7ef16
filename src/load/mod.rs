//! Stage 1, load: walks `content/` and parses every file in parallel. It never
//! stops at the first problem: each file becomes a parsed value or diagnostics.
//!
//! The room of reading the site folder: its [`files`], the [`theme`] and
//! the messages ([`i18n`]). What spans files is validate's, not load's.

mod builtin;
pub mod files;
pub mod i18n;
pub mod theme;

use crate::diagnostic::{Diagnostic, display_path};
use crate::images::{self, Format, Probe, Unusable};
use crate::load::files::{canonical, decode_text, is_noise, leads_outside, outside_link, read_text};
use crate::model::content::{CASE_SCHEMA, FrontMatter, INTRO_SCHEMA, IntroFrontMatter, PERSON_SCHEMA, PersonFile};
use crate::model::frontmatter::{self, YamlProblem};
use crate::text::packed::Packed;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::ops::Bound;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Everything read from `content/`, before any cross-file check.
#[derive(Debug, Default)]
pub struct Sources {
    /// Sorted by folder, then language.
    pub cases: Vec<Arc<CaseSource>>,
    pub people: Vec<Arc<PersonSource>>,
    pub intros: Vec<Arc<IntroSource>>,
    /// Files copied to the output as they are (case images, photos).
    pub assets: Vec<Asset>,
    /// Case folders with a file that could not be read or parsed: they
    /// exist, so links and references to them are not errors of their own.
    pub unreadable: std::collections::HashSet<String>,
    /// People whose file could not be parsed: they exist, so a case naming
    /// them as its contact is not an error of its own.
    pub unreadable_people: rustc_hash::FxHashSet<String>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Sources {
    /// Language codes of every case and intro file, for a site without `site.yaml`.
    pub fn languages_found(&self) -> Vec<&str> {
        self.cases.iter().map(|c| c.lang.as_str()).chain(self.intros.iter().map(|i| i.lang.as_str())).collect()
    }
}

/// One language version of a case.
#[derive(Debug, Clone)]
pub struct CaseSource {
    /// Relative to the site root: `content/cases/<folder>/index.<lang>.md`.
    pub rel: PathBuf,
    pub folder: String,
    pub lang: String,
    pub fm: Arc<FrontMatter>,
    /// A hash of the whole file: equal digests, equal page.
    pub digest: u64,
    /// Line and column of the `strategy` key, for poster problems.
    pub strategy_at: (usize, usize),
    /// The front matter text, to locate keys in later checks.
    pub yaml: String,
    /// The Markdown after the front matter (read when the body is
    /// rendered: once, and again only when what it links to moves).
    pub body: Packed,
    /// The line of the file where `body` starts.
    pub body_line: usize,
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
    /// The line of the file where `body` starts.
    pub body_line: usize,
}

/// A file copied to the output: `rel` below the site root, and the case
/// folder it belongs to (`None` for people's photos).
#[derive(Debug, Clone)]
pub struct Asset {
    pub rel: PathBuf,
    pub case_folder: Option<String>,
    /// The path inside the case folder (or inside `people/`).
    pub inner: String,
    /// For a JPEG, PNG or SVG file: what reading its header found.
    pub image: Option<Result<Probe, Unusable>>,
}

/// What a file below `content/` is, from its path alone.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    Intro {
        lang: String,
    },
    Case {
        folder: String,
        lang: String,
    },
    CaseAsset {
        folder: String,
        inner: String,
    },
    Person {
        id: String,
    },
    /// A file of a case folder named almost like a case file
    /// (`Index.NL.md`, `index.fr.markdown`, `index.nl.md.bak`): never
    /// published, and a warning naming the file it was probably meant as.
    NearMiss {
        intended: String,
    },
    PersonAsset {
        inner: String,
    },
    /// Not part of a site folder.
    Stray,
    /// A path that is not UTF-8.
    BadName,
}

impl Kind {
    /// Classifies a path relative to the site root; `None` for editors' noise.
    fn of(rel: &Path) -> Option<Kind> {
        let Some(parts) = rel.iter().skip(1).map(|p| p.to_str()).collect::<Option<Vec<&str>>>() else {
            return Some(Kind::BadName);
        };
        if let ["cases", _, name] = parts.as_slice()
            && let Some(intended) = near_miss(name)
        {
            return Some(Kind::NearMiss { intended });
        }
        if parts.iter().any(|p| is_noise(p)) {
            return None;
        }
        Some(match parts.as_slice() {
            [name] if lang_of(name, "_index.").is_some() => {
                Kind::Intro { lang: lang_of(name, "_index.").unwrap_or_default().to_string() }
            }
            ["cases", folder, name] if lang_of(name, "index.").is_some() => {
                Kind::Case { folder: folder.to_string(), lang: lang_of(name, "index.").unwrap_or_default().to_string() }
            }
            ["cases", folder, inner @ ..] if !inner.is_empty() => {
                Kind::CaseAsset { folder: folder.to_string(), inner: inner.join("/") }
            }
            ["people", name] if name.ends_with(".yaml") || name.ends_with(".yml") => {
                Kind::Person { id: name.trim_end_matches(".yaml").trim_end_matches(".yml").to_string() }
            }
            ["people", inner @ ..] => Kind::PersonAsset { inner: inner.join("/") },
            _ => Kind::Stray,
        })
    }

    fn is_parsed(&self) -> bool {
        match self {
            Kind::Intro { .. } | Kind::Case { .. } | Kind::Person { .. } => true,
            Kind::CaseAsset { inner, .. } | Kind::PersonAsset { inner } => Format::of(inner).is_some(),
            Kind::Stray | Kind::BadName | Kind::NearMiss { .. } => false,
        }
    }
}

/// A parsed file, shared between the mirror and the sources it hands out.
#[derive(Debug, Clone)]
enum Parsed {
    /// A case, with the problems of a file read despite unknown keys.
    Case(Arc<CaseSource>, Vec<Diagnostic>),
    Person(Arc<PersonSource>, Vec<Diagnostic>),
    Intro(Arc<IntroSource>),
    Image(Result<Probe, Unusable>),
    Failed(Vec<Diagnostic>),
}

#[derive(Debug, Clone)]
struct Entry {
    kind: Kind,
    parsed: Option<Parsed>,
}

impl Entry {
    fn image(&self) -> Option<Result<Probe, Unusable>> {
        match &self.parsed {
            Some(Parsed::Image(probe)) => Some(probe.clone()),
            _ => None,
        }
    }
}

/// The files of `content/` as last read, each parsed once: `serve` keeps it
/// between rebuilds and re-reads only the paths that changed on disk.
#[derive(Debug, Clone)]
pub struct Mirror {
    root: PathBuf,
    /// By path relative to the root, in the order a sorted walk gives.
    entries: BTreeMap<PathBuf, Entry>,
    /// Problems of the walk itself (unreadable folders, link loops), by the folder walked.
    walk_errors: Vec<(PathBuf, Diagnostic)>,
    /// Whether case bodies are held deflated ([`Packed`]).
    deflate: bool,
}

impl Mirror {
    /// Reads all of the site's `content/` folder, parsing files in parallel;
    /// with `deflate`, case bodies are held deflated (`serve`, which keeps
    /// the mirror).
    pub fn scan(root: &Path, deflate: bool) -> Mirror {
        let mut m = Mirror { root: root.to_path_buf(), entries: BTreeMap::new(), walk_errors: Vec::new(), deflate };
        m.walk(Path::new("content"));
        m.parse_pending();
        m
    }

    /// Brings the mirror up to date after the files or folders at `paths`
    /// (absolute, or relative to the root) changed, appeared or disappeared.
    /// A folder is read again as a whole; other files keep their parse.
    pub fn refresh<P: AsRef<Path>>(&mut self, paths: &[P]) {
        for path in paths {
            let path = path.as_ref();
            let rel = path.strip_prefix(&self.root).unwrap_or(path).to_path_buf();
            if !rel.starts_with("content") {
                continue;
            }
            let abs = self.root.join(&rel);
            let is_dir = abs.is_dir();
            let was_dir = self
                .entries
                .range::<PathBuf, _>((Bound::Excluded(&rel), Bound::Unbounded))
                .next()
                .is_some_and(|(k, _)| k.starts_with(&rel));
            if is_dir || was_dir || rel == Path::new("content") {
                self.entries.retain(|k, _| !k.starts_with(&rel));
                self.walk_errors.retain(|(k, _)| !k.starts_with(&rel) && !rel.starts_with(k));
                if is_dir {
                    self.walk(&rel);
                }
            } else if abs.is_file() {
                self.walk_errors.retain(|(k, _)| k != &rel);
                if leads_outside(&canonical(&self.root), &abs) {
                    self.entries.remove(&rel);
                    let d = outside_link(&self.root, &rel);
                    self.walk_errors.push((rel, d));
                } else if let Some(kind) = Kind::of(&rel) {
                    self.entries.insert(rel, Entry { kind, parsed: None });
                }
            } else {
                self.walk_errors.retain(|(k, _)| k != &rel);
                self.entries.remove(&rel);
            }
        }
        self.parse_pending();
    }

    /// The mirror as it would be with these files (relative to the root)
    /// written (`Some` bytes) or deleted (`None`), none of them touched on
    /// disk: what a web editor's save would make of the site.
    pub fn overlay(&self, changes: &[(PathBuf, Option<Vec<u8>>)]) -> Mirror {
        let mut m = self.clone();
        for (rel, bytes) in changes {
            let Some(bytes) = bytes else {
                m.entries.remove(rel);
                continue;
            };
            let Some(kind) = Kind::of(rel) else { continue };
            let shown = display_path(&self.root, rel);
            let parsed = kind.is_parsed().then(|| match &kind {
                Kind::CaseAsset { .. } | Kind::PersonAsset { .. } => {
                    let name = rel.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
                    Parsed::Image(images::probe_bytes(&name, bytes))
                }
                _ => match decode_text(bytes.clone()) {
                    Ok(src) => parse_text(&shown, rel, &kind, &src, self.deflate),
                    Err((line, col, msg)) => Parsed::Failed(vec![Diagnostic::error(shown, line, col, msg)]),
                },
            });
            m.entries.insert(rel.clone(), Entry { kind, parsed });
        }
        m
    }

    fn walk(&mut self, rel: &Path) {
        let root = self.root.clone();
        let top = root.join(rel);
        if !top.is_dir() {
            return;
        }
        let inside = canonical(&root);
        let mut walk = walkdir::WalkDir::new(&top).follow_links(true).sort_by_file_name().into_iter();
        while let Some(entry) = walk.next() {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let at = e.path().and_then(|p| p.strip_prefix(&root).ok()).unwrap_or(rel).to_path_buf();
                    let shown = display_path(&root, &at);
                    let d = if e.loop_ancestor().is_some() {
                        let msg = "a symbolic link here points back to a folder that contains it; it is skipped";
                        Diagnostic::warning(shown, 1, 1, msg)
                    } else {
                        let why = e.io_error().map_or(e.to_string(), |io| io.to_string());
                        Diagnostic::error(shown, 1, 1, format!("cannot read: {why}"))
                    };
                    self.walk_errors.push((rel.to_path_buf(), d));
                    continue;
                }
            };
            let file = entry.path().strip_prefix(&root).unwrap_or(entry.path()).to_path_buf();
            if entry.path_is_symlink() && leads_outside(&inside, entry.path()) {
                if entry.file_type().is_dir() {
                    walk.skip_current_dir();
                }
                self.walk_errors.push((rel.to_path_buf(), outside_link(&root, &file)));
                continue;
            }
            if !entry.file_type().is_file() {
                continue;
            }
            if let Some(kind) = Kind::of(&file) {
                self.entries.insert(file, Entry { kind, parsed: None });
            }
        }
    }

    /// Parses, in parallel, every entry that needs it and has no parse yet.
    fn parse_pending(&mut self) {
        let (root, deflate) = (&self.root, self.deflate);
        let mut pending: Vec<(&PathBuf, &mut Entry)> =
            self.entries.iter_mut().filter(|(_, e)| e.parsed.is_none() && e.kind.is_parsed()).collect();
        pending.par_iter_mut().for_each(|(rel, e)| {
            e.parsed = Some(parse(root, rel, &e.kind, deflate));
        });
    }

    /// The sources of a build, assembled from the mirror (parses are shared, not copied).
    pub fn sources(&self) -> Sources {
        let root = &self.root;
        let mut sources = Sources::default();
        if !root.join("content").is_dir() {
            sources.diagnostics.push(Diagnostic::error(
                display_path(root, Path::new("content")),
                1,
                1,
                "no content/ folder: a site keeps its cases in content/cases/<slug>/index.<lang>.md",
            ));
            return sources;
        }
        sources.diagnostics.extend(self.walk_errors.iter().map(|(_, d)| d.clone()));
        // (each case folder, whether it has a case file: found by hash, as
        // there are thousands)
        let mut case_folders =
            rustc_hash::FxHashMap::<&str, bool>::with_capacity_and_hasher(self.entries.len() / 2, Default::default());
        for (rel, entry) in &self.entries {
            match &entry.kind {
                Kind::BadName => sources.diagnostics.push(Diagnostic::error(
                    display_path(root, rel),
                    1,
                    1,
                    "the file name is not UTF-8; rename it",
                )),
                Kind::Case { folder, .. } => {
                    case_folders.insert(folder, true);
                }
                Kind::CaseAsset { folder, inner } => {
                    case_folders.entry(folder).or_insert(false);
                    sources.assets.push(Asset {
                        case_folder: Some(folder.clone()),
                        inner: inner.clone(),
                        rel: rel.clone(),
                        image: entry.image(),
                    });
                }
                Kind::PersonAsset { inner } => sources.assets.push(Asset {
                    case_folder: None,
                    inner: inner.clone(),
                    rel: rel.clone(),
                    image: entry.image(),
                }),
                Kind::Stray => sources.diagnostics.push(
                    Diagnostic::warning(display_path(root, rel), 1, 1, "not part of a site folder, ignored").with_hint(
                        "cases live in content/cases/<slug>/index.<lang>.md, people in content/people/<id>.yaml, home intros in content/_index.<lang>.md",
                    ),
                ),
                Kind::NearMiss { intended } => sources.diagnostics.push(
                    Diagnostic::warning(
                        display_path(root, rel),
                        1,
                        1,
                        format!("this looks like the case file `{intended}`, but a case file is named exactly index.<lang>.md: it is neither built nor published"),
                    )
                    .with_hint(format!("rename it to {intended} if it is that version of the case, else move it out of the case folder")),
                ),
                Kind::Intro { .. } | Kind::Person { .. } => {}
            }
            match &entry.parsed {
                Some(Parsed::Case(c, ds)) => {
                    sources.cases.push(c.clone());
                    sources.diagnostics.extend(ds.iter().cloned());
                }
                Some(Parsed::Person(p, ds)) => {
                    sources.people.push(p.clone());
                    sources.diagnostics.extend(ds.iter().cloned());
                }
                Some(Parsed::Intro(i)) => sources.intros.push(i.clone()),
                Some(Parsed::Failed(ds)) => {
                    match &entry.kind {
                        Kind::Case { folder, .. } => _ = sources.unreadable.insert(folder.clone()),
                        Kind::Person { id } => _ = sources.unreadable_people.insert(id.clone()),
                        _ => {}
                    }
                    sources.diagnostics.extend(ds.iter().cloned())
                }
                Some(Parsed::Image(_)) | None => {}
            }
        }
        let mut without: Vec<&str> =
            (case_folders.iter()).filter(|(_, has_index)| !**has_index).map(|(f, _)| *f).collect();
        without.sort_unstable();
        for folder in without {
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
        sources.assets.retain(|a| a.case_folder.as_deref().is_none_or(|f| case_folders[f]));
        sources
    }
}

/// Whether `rel` (relative to the site root) is a file the site is made of:
/// a case, a case's file, a person, a photo, a home intro.
pub fn is_site_file(rel: &Path) -> bool {
    matches!(
        Kind::of(rel),
        Some(
            Kind::Intro { .. }
                | Kind::Case { .. }
                | Kind::CaseAsset { .. }
                | Kind::Person { .. }
                | Kind::PersonAsset { .. }
        )
    )
}

/// Whether `rel` is a text file of the site: a case, a person, a home intro.
pub fn is_text_file(rel: &Path) -> bool {
    matches!(Kind::of(rel), Some(Kind::Intro { .. } | Kind::Case { .. } | Kind::Person { .. }))
}

/// Reads the site's `content/` folder.
pub fn load(root: &Path) -> Sources {
    Mirror::scan(root, false).sources()
}

/// The case file name a file of a case folder was probably meant to have,
/// when its name is close to `index.<lang>.md` without being one: another
/// case (`Index.NL.md`), extension (`index.fr.markdown`), separator
/// (`index-nl.md`) or a backup suffix (`index.nl.md.bak`). Hidden files
/// (an editor's swap file) are not near misses.
fn near_miss(name: &str) -> Option<String> {
    if name.starts_with('.') || lang_of(name, "index.").is_some() {
        return None;
    }
    let lower = name.to_lowercase();
    let mut stem = lower.as_str();
    for suffix in ["~", ".bak", ".orig", ".old", ".backup", ".copy"] {
        stem = stem.strip_suffix(suffix).unwrap_or(stem);
    }
    let rest = stem.strip_prefix("index")?;
    let rest =
        ["md", "markdown", "mdown", "mkd", "txt"].iter().find_map(|ext| rest.strip_suffix(ext)?.strip_suffix('.'))?;
    let lang = rest.trim_start_matches(['.', '-', '_']);
    if lang.is_empty() {
        return Some("index.<lang>.md".into());
    }
    let plausible = lang.len() <= 8 && lang.chars().all(|c| c.is_ascii_alphabetic() || c == '-');
    plausible.then(|| format!("index.{lang}.md"))
}

/// `index.nl.md` with prefix `index.` gives `nl`.
fn lang_of<'a>(name: &'a str, prefix: &str) -> Option<&'a str> {
    let lang = name.strip_prefix(prefix)?.strip_suffix(".md")?;
    (!lang.is_empty() && !lang.contains('.')).then_some(lang)
}

fn parse(root: &Path, rel: &Path, kind: &Kind, deflate: bool) -> Parsed {
    if matches!(kind, Kind::CaseAsset { .. } | Kind::PersonAsset { .. }) {
        return Parsed::Image(images::probe(&root.join(rel)));
    }
    let shown = display_path(root, rel);
    match read_text(&root.join(rel)) {
        Ok(src) => parse_text(&shown, rel, kind, &src, deflate),
        Err((line, col, msg)) => Parsed::Failed(vec![Diagnostic::error(shown, line, col, msg)]),
    }
}

/// Parses the bytes of a case file at `rel` (`content/cases/<folder>/index.<lang>.md`)
/// as a build would, without the file system: the entry point for fuzzing.
pub fn parse_case_bytes(rel: &Path, bytes: Vec<u8>) -> Result<Arc<CaseSource>, Vec<Diagnostic>> {
    let kind = Kind::of(rel).filter(|k| matches!(k, Kind::Case { .. }));
    let Some(kind) = kind else {
        return Err(vec![Diagnostic::error(rel, 1, 1, "not a case file name")]);
    };
    let parsed = match decode_text(bytes) {
        Ok(src) => parse_text(rel, rel, &kind, &src, false),
        Err((line, col, msg)) => Parsed::Failed(vec![Diagnostic::error(rel, line, col, msg)]),
    };
    match parsed {
        Parsed::Case(c, ds) if ds.is_empty() => Ok(c),
        Parsed::Case(_, ds) | Parsed::Failed(ds) => Err(ds),
        Parsed::Person(..) | Parsed::Intro(_) | Parsed::Image(_) => Err(Vec::new()),
    }
}

fn parse_text(shown: &Path, rel: &Path, kind: &Kind, src: &str, deflate: bool) -> Parsed {
    let src = frontmatter::strip_bom(src);
    let diags =
        |ps: Vec<YamlProblem>| -> Vec<Diagnostic> { ps.into_iter().map(|p| p.into_diagnostic(shown)).collect() };
    let fail = |ps: Vec<YamlProblem>| Parsed::Failed(diags(ps));
    let rel = rel.to_path_buf();
    match kind {
        Kind::Case { folder, lang } => {
            let split = match frontmatter::split(src) {
                Ok(s) => s,
                Err(p) => return fail(vec![p]),
            };
            match frontmatter::parse_keeping_extra::<FrontMatter>(split.yaml, &CASE_SCHEMA) {
                (Some(fm), extra, problems) => Parsed::Case(
                    Arc::new(CaseSource {
                        rel,
                        folder: folder.clone(),
                        lang: lang.clone(),
                        fm: Arc::new(FrontMatter { extra, ..fm }),
                        digest: {
                            let mut h = std::hash::DefaultHasher::new();
                            src.hash(&mut h);
                            h.finish()
                        },
                        strategy_at: frontmatter::locate(split.yaml, &[frontmatter::Seg::Key("strategy")]),
                        yaml: split.yaml.to_string(),
                        body: Packed::new(split.body, deflate),
                        body_line: split.body_line(),
                    }),
                    diags(problems),
                ),
                (None, _, ps) => fail(ps),
            }
        }
        Kind::Person { id } => {
            let yaml = if src.trim().is_empty() { "{}" } else { src };
            match frontmatter::parse_recovering::<PersonFile>(yaml, &PERSON_SCHEMA) {
                (Some(file), problems) => Parsed::Person(
                    Arc::new(PersonSource { id: id.clone(), rel, file, yaml: yaml.to_string() }),
                    diags(problems),
                ),
                (None, ps) => fail(ps),
            }
        }
        Kind::Intro { lang } => {
            let lang = lang.clone();
            if !src.starts_with("---") {
                return Parsed::Intro(Arc::new(IntroSource {
                    rel,
                    lang,
                    fm: IntroFrontMatter::default(),
                    body: src.to_string(),
                    body_line: 1,
                }));
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
                Ok(fm) => Parsed::Intro(Arc::new(IntroSource {
                    rel,
                    lang,
                    fm,
                    body: split.body.to_string(),
                    body_line: split.body_line(),
                })),
                Err(ps) => fail(ps),
            }
        }
        // copied or reported, never parsed
        Kind::CaseAsset { .. } | Kind::PersonAsset { .. } | Kind::Stray | Kind::BadName | Kind::NearMiss { .. } => {
            Parsed::Failed(Vec::new())
        }
    }
}
