//! The web editor's local backend: `serve` answers Decap CMS's
//! local-backend protocol (what `decap-server` does in `fs` mode) at
//! [`urls::CMS_API`], reading and writing the site folder.
//!
//! One route, `POST` with a JSON body `{action, params}`. Reads are
//! answered on the request's thread. Writes go to the rebuild thread
//! ([`Save`]), which builds the site as it would be with them and writes
//! them only when that build has no error; otherwise the CMS shows
//! vitrine's problems. Every path from the browser is taken apart by
//! component and must name a file the site is made of, below `content/`
//! ([`crate::load::is_site_file`]), never a hidden one, never through a
//! symbolic link out of the folder.
//!
//! Two habits of Decap with `i18n: multiple_files` are answered here: it
//! writes a file for every language of a case, translated or not, and it
//! reads a case without its first language's file as if the other
//! language's text were that language's. So a language file that does
//! not exist yet is written only when it has a title of its own (a
//! translation made on purpose), and a case without its first language's
//! file is read with a stand-in for that file ([`Api::stand_in`]).

use crate::load::files::{canonical, is_noise, leads_outside};
use crate::model::config::Config;
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde_json::{Value, json};
use sha2::Digest;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{self, Sender};
use std::time::Duration;

/// The largest request body taken (an image upload, base64-encoded).
pub const MAX_BODY: usize = 48 << 20;

/// How long a save may wait for the rebuild thread (the CMS gives up at 60 s).
const SAVE_TIME: Duration = Duration::from_secs(50);

/// The keys a case's language files share (Decap's `i18n: duplicate`
/// fields of [`crate::render`]'s generated configuration).
pub const SHARED_KEYS: [&str; 5] = ["date", "draft", "contact", "image", "related"];

/// Files to write (`Some` bytes) or delete (`None`), relative to the site folder.
pub type Changes = Vec<(PathBuf, Option<Vec<u8>>)>;

/// The files of a save, with where to say whether they were written.
pub struct Save {
    pub changes: Changes,
    pub reply: Sender<Result<(), String>>,
}

/// What the rebuild thread hears: the watcher, or a save from the web editor.
pub enum Event {
    Watch(super::watch::Report),
    Save(Save),
    /// What a rebuild left for later, made on a thread of its own.
    Later(super::rebuild::Later),
}

/// Writes (and deletes) the files of a save that was found to build.
pub fn write(root: &Path, changes: &[(PathBuf, Option<Vec<u8>>)]) -> Result<(), String> {
    for (rel, bytes) in changes {
        let path = root.join(rel);
        let done = match bytes {
            Some(bytes) => {
                path.parent().map_or(Ok(()), std::fs::create_dir_all).and_then(|()| replace_file(&path, bytes))
            }
            None => match std::fs::remove_file(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
                _ => {
                    // a case folder left empty goes too
                    if let Some(dir) = path.parent().filter(|d| d.starts_with(root.join("content/cases"))) {
                        let _ = std::fs::remove_dir(dir);
                    }
                    Ok(())
                }
            },
        };
        done.map_err(|e| format!("cannot write {}: {e}", rel.display()))?;
    }
    Ok(())
}

/// Writes a file whole or not at all: into a hidden file beside it (which
/// the watcher ignores), then renamed over it.
fn replace_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    let temp = path.with_file_name(format!(".{name}.vitrine-save"));
    std::fs::write(&temp, bytes)?;
    std::fs::rename(&temp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&temp);
    })
}

/// The answer to one request body: a status and JSON.
pub fn answer(root: &Path, config: &Config, body: &[u8], saves: &Sender<Event>) -> (u16, String) {
    let request: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => return refuse(format!("not a JSON request: {e}")),
    };
    let action = request["action"].as_str().unwrap_or_default();
    let params = &request["params"];
    let api = Api { root: canonical(root), config };
    let result = match action {
        "info" => Ok(json!({
            "repo": root.file_name().map(|n| n.to_string_lossy()).unwrap_or_default(),
            "publish_modes": ["simple"],
            "type": "local_fs",
        })),
        "entriesByFolder" => api.entries_by_folder(params),
        "entriesByFiles" => api.entries_by_files(params),
        "getEntry" => api.path(&params["path"]).and_then(|p| api.entry(&p)),
        "getMedia" => api.media(params),
        "getMediaFile" => api.path(&params["path"]).and_then(|p| api.media_file(&p)),
        "getDeployPreview" => Ok(Value::Null),
        "persistEntry" => api.persist_entry(params).and_then(|changes| save(saves, changes, "saved")),
        "persistMedia" => api.persist_media(params).and_then(|(changes, file)| {
            save(saves, changes, "saved")?;
            Ok(file)
        }),
        "deleteFile" => api.path(&params["path"]).and_then(|p| save(saves, vec![(api.writable(&p)?, None)], "deleted")),
        "deleteFiles" => params["paths"]
            .as_array()
            .ok_or_else(|| "`paths` is not a list".to_string())
            .and_then(|paths| paths.iter().map(|p| api.path(p).and_then(|p| api.writable(&p))).collect())
            .and_then(|paths: Vec<PathBuf>| save(saves, paths.into_iter().map(|p| (p, None)).collect(), "deleted")),
        "" => Err("no `action`".to_string()),
        other => Err(format!("vitrine serve does not answer `{other}`")),
    };
    match result {
        Ok(v) => (200, v.to_string()),
        Err(e) => refuse(e),
    }
}

/// A request that cannot be done, as Decap's server answers it.
fn refuse(error: String) -> (u16, String) {
    (422, json!({ "error": error }).to_string())
}

/// Hands a save to the rebuild thread and waits for its verdict.
fn save(saves: &Sender<Event>, changes: Changes, done: &str) -> Result<Value, String> {
    if changes.is_empty() {
        return Ok(json!({ "message": "nothing to save" }));
    }
    let (reply, verdict) = mpsc::channel();
    saves.send(Event::Save(Save { changes, reply })).map_err(|_| "the server is stopping".to_string())?;
    match verdict.recv_timeout(SAVE_TIME) {
        Ok(Ok(())) => Ok(json!({ "message": done })),
        Ok(Err(problems)) => Err(problems),
        Err(_) => Err("the site is still building; save again in a moment".to_string()),
    }
}

/// The site folder as the protocol sees it.
struct Api<'a> {
    /// Canonical.
    root: PathBuf,
    config: &'a Config,
}

impl Api<'_> {
    /// A path from the browser, relative to the site folder: plain
    /// components below `content/`, none hidden, none leading out.
    fn path(&self, value: &Value) -> Result<PathBuf, String> {
        let text = value.as_str().ok_or_else(|| "a path is missing".to_string())?;
        let bad = || format!("`{text}` is not a path of the site's content");
        if text.contains(['\\', '\0']) || text.starts_with('/') {
            return Err(bad());
        }
        let mut rel = PathBuf::new();
        for (i, c) in Path::new(text).components().enumerate() {
            match c {
                Component::Normal(name) => {
                    let name = name.to_str().ok_or_else(bad)?;
                    if name.starts_with('.') || (i == 0 && name != "content") {
                        return Err(bad());
                    }
                    rel.push(name);
                }
                // (a `.` inside is dropped by `components`; one at the start is refused)
                _ => return Err(bad()),
            }
        }
        if rel.as_os_str().is_empty() {
            return Err(bad());
        }
        // each folder on the way that exists must stay in the site
        let mut at = self.root.clone();
        for c in rel.components() {
            at.push(c);
            if std::fs::symlink_metadata(&at).is_err() {
                break;
            }
            if leads_outside(&self.root, &at) {
                return Err(bad());
            }
        }
        Ok(rel)
    }

    /// A path a save may write or delete: a file the site is made of.
    fn writable(&self, rel: &Path) -> Result<PathBuf, String> {
        let name = rel.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if !crate::load::is_site_file(rel) || is_noise(name) {
            return Err(format!(
                "`{}` is not a file of a case, a person or a home intro: vitrine writes only those",
                rel.display()
            ));
        }
        Ok(rel.to_path_buf())
    }

    /// A path a save may write text to: a case's language file, a
    /// person's file, a home intro.
    fn text_file(&self, rel: &Path) -> Result<PathBuf, String> {
        let rel = self.writable(rel)?;
        let name = rel.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if crate::load::is_text_file(&rel) {
            return Ok(rel);
        }
        // Decap names a new case whose folder exists `<folder>/index-1`
        Err(if name.starts_with("index-") {
            let folder = rel.parent().and_then(Path::file_name).map(|f| f.to_string_lossy()).unwrap_or_default();
            format!(
                "there is a case in folder `{folder}` already: give the new case another title (its folder is made from it)"
            )
        } else {
            format!("`{}` is not a file of a case, a person or a home intro", rel.display())
        })
    }

    fn read(&self, rel: &Path) -> Option<Vec<u8>> {
        std::fs::read(self.root.join(rel)).ok()
    }

    /// `{data, file: {path, id}}` of a text file.
    fn entry(&self, rel: &Path) -> Result<Value, String> {
        match self.read(rel) {
            Some(bytes) => Ok(entry_json(rel, &bytes)),
            // a language file not written yet: no data (Decap then starts it empty)
            None => Ok(match self.stand_in(rel) {
                Some(text) => entry_json(rel, text.as_bytes()),
                None => json!({ "data": null, "file": { "path": slash_path(rel), "id": null } }),
            }),
        }
    }

    fn entries_by_folder(&self, params: &Value) -> Result<Value, String> {
        let folder = self.path(&params["folder"])?;
        let extension = params["extension"].as_str().unwrap_or("md");
        let depth = params["depth"].as_u64().unwrap_or(1).clamp(1, 8) as usize;
        let mut out = Vec::new();
        let mut stand_ins = Vec::new();
        let walk = walkdir::WalkDir::new(self.root.join(&folder)).max_depth(depth).sort_by_file_name();
        for entry in walk.into_iter().filter_entry(|e| e.depth() == 0 || !is_noise(&e.file_name().to_string_lossy())) {
            let Ok(entry) = entry else { continue };
            // (a case folder's, as `first_language_file` checks)
            if entry.file_type().is_dir() {
                stand_ins.extend(self.first_language_file(entry.path()));
            }
            let is_file = entry.file_type().is_file()
                && entry.path().extension().is_some_and(|e| e == extension)
                && !leads_outside(&self.root, entry.path());
            if !is_file {
                continue;
            }
            let rel = entry.path().strip_prefix(&self.root).unwrap_or(entry.path());
            if let Ok(bytes) = std::fs::read(entry.path()) {
                out.push(entry_json(rel, &bytes));
            }
        }
        for rel in stand_ins {
            if let Some(text) = self.stand_in(&rel) {
                out.push(entry_json(&rel, text.as_bytes()));
            }
        }
        Ok(Value::Array(out))
    }

    fn entries_by_files(&self, params: &Value) -> Result<Value, String> {
        let files = params["files"].as_array().ok_or_else(|| "`files` is not a list".to_string())?;
        Ok(Value::Array(
            files
                .iter()
                .map(|f| {
                    let path = f["path"].as_str().unwrap_or_default();
                    self.path(&f["path"]).and_then(|rel| self.entry(&rel)).unwrap_or_else(
                        |_| json!({ "data": null, "file": { "path": path, "label": f["label"], "id": null } }),
                    )
                })
                .collect(),
        ))
    }

    /// The first language's file of a case folder, when it is missing
    /// and another language's is there.
    fn first_language_file(&self, dir: &Path) -> Option<PathBuf> {
        let config = self.config;
        let rel = dir.strip_prefix(&self.root).ok()?;
        if rel.parent() != Some(Path::new("content/cases")) {
            return None;
        }
        let first = rel.join(format!("index.{}.md", config.default_lang().code));
        (!self.root.join(&first).exists()).then_some(first)
    }

    /// The stand-in for a case's missing first-language file: the other
    /// language's title, marked with its language (`[fr] Un foyer sûr`),
    /// and client, and what the languages share (date, contact, image,
    /// related cases), no text: so that the CMS lists the case, shows the
    /// other language in its own pane, and lets it be saved. Saved with
    /// that title unchanged, it is not written.
    fn stand_in(&self, rel: &Path) -> Option<String> {
        let config = self.config;
        let name = rel.file_name()?.to_str()?;
        if name != format!("index.{}.md", config.default_lang().code)
            || rel.parent()?.parent()? != Path::new("content/cases")
        {
            return None;
        }
        let dir = self.root.join(rel.parent()?);
        let (code, other) = config.languages.iter().find_map(|l| {
            std::fs::read_to_string(dir.join(format!("index.{}.md", l.code))).ok().map(|text| (&l.code, text))
        })?;
        let split = crate::model::frontmatter::split(&other).ok()?;
        let yaml = split.yaml.strip_prefix("---").unwrap_or(split.yaml);
        let Ok(serde_yaml::Value::Mapping(fm)) = serde_yaml::from_str::<serde_yaml::Value>(yaml) else {
            return None;
        };
        let mut out = serde_yaml::Mapping::new();
        if let Some(title) = fm.get("title").and_then(serde_yaml::Value::as_str) {
            out.insert("title".into(), format!("[{code}] {title}").into());
        }
        for (k, v) in fm {
            if k.as_str().is_some_and(|k| k == "client" || SHARED_KEYS.contains(&k)) {
                out.insert(k, v);
            }
        }
        let yaml = if out.is_empty() { String::new() } else { serde_yaml::to_string(&out).ok()? };
        Some(format!("---\n{yaml}---\n"))
    }

    /// The files of a save: each data file (moved when `newPath` differs),
    /// and the images uploaded with it. A language file that does not
    /// exist yet is left out unless it has a title.
    fn persist_entry(&self, params: &Value) -> Result<Changes, String> {
        let mut changes = Vec::new();
        let files = match params["dataFiles"].as_array() {
            Some(list) => list.clone(),
            None => vec![params["entry"].clone()],
        };
        for file in &files {
            let rel = self.text_file(&self.path(&file["path"])?)?;
            let raw = file["raw"].as_str().ok_or_else(|| format!("no text for {}", rel.display()))?;
            let target = match file.get("newPath").filter(|p| !p.is_null()) {
                Some(p) => self.text_file(&self.path(p)?)?,
                None => rel.clone(),
            };
            let exists = self.root.join(&rel).exists();
            if !exists && is_case_file(&rel) {
                // a translation is made by giving it a title of its own
                let untitled = match title_of(raw) {
                    Ok(None) => true,
                    Ok(Some(title)) => self.stand_in(&rel).is_some_and(|s| title_of(&s) == Ok(Some(title))),
                    // a file that does not parse is written, and its problems shown
                    Err(()) => false,
                };
                if untitled {
                    continue;
                }
            }
            if target != rel && exists {
                changes.push((rel.clone(), None));
            }
            changes.push((target, Some(raw.as_bytes().to_vec())));
        }
        if !files.is_empty() && changes.is_empty() {
            return Err("nothing to save: give the case a title in at least one language".to_string());
        }
        for asset in params["assets"].as_array().into_iter().flatten() {
            changes.push(self.asset(asset)?);
        }
        Ok(changes)
    }

    /// An uploaded file: its path and decoded bytes.
    fn asset(&self, asset: &Value) -> Result<(PathBuf, Option<Vec<u8>>), String> {
        let rel = self.writable(&self.path(&asset["path"])?)?;
        let content = asset["content"].as_str().unwrap_or_default();
        let bytes = match asset["encoding"].as_str() {
            Some("base64") => BASE64.decode(content).map_err(|e| format!("{}: not base64: {e}", rel.display()))?,
            _ => content.as_bytes().to_vec(),
        };
        Ok((rel, Some(bytes)))
    }

    fn persist_media(&self, params: &Value) -> Result<(Changes, Value), String> {
        let (rel, bytes) = self.asset(&params["asset"])?;
        let file = media_json(&rel, bytes.as_deref().unwrap_or_default());
        Ok((vec![(rel, bytes)], file))
    }

    /// The images of a media folder, one level.
    fn media(&self, params: &Value) -> Result<Value, String> {
        let folder = self.path(&params["mediaFolder"])?;
        let Ok(dir) = std::fs::read_dir(self.root.join(&folder)) else { return Ok(json!([])) };
        let mut names: Vec<String> = dir
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| !is_noise(n) && crate::images::Format::of(n).is_some())
            .collect();
        names.sort();
        Ok(Value::Array(names.iter().filter_map(|n| self.media_file(&folder.join(n)).ok()).collect()))
    }

    fn media_file(&self, rel: &Path) -> Result<Value, String> {
        if leads_outside(&self.root, &self.root.join(rel)) {
            return Err(format!("no file {}", rel.display()));
        }
        let bytes = self.read(rel).ok_or_else(|| format!("no file {}", rel.display()))?;
        Ok(media_json(rel, &bytes))
    }
}

/// Whether a path is a case's language file.
fn is_case_file(rel: &Path) -> bool {
    rel.starts_with("content/cases") && rel.extension().is_some_and(|e| e == "md")
}

/// The title a case file's front matter gives (`None`: none, or a blank
/// one); `Err` when the front matter cannot be read.
fn title_of(raw: &str) -> Result<Option<String>, ()> {
    let split = crate::model::frontmatter::split(raw).map_err(|_| ())?;
    let yaml = split.yaml.strip_prefix("---").unwrap_or(split.yaml);
    let fm = serde_yaml::from_str::<serde_yaml::Value>(yaml).map_err(|_| ())?;
    Ok(fm.get("title").and_then(serde_yaml::Value::as_str).map(str::trim).filter(|t| !t.is_empty()).map(str::to_string))
}

fn id(bytes: &[u8]) -> String {
    let digest = sha2::Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn slash_path(rel: &Path) -> String {
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

fn entry_json(rel: &Path, bytes: &[u8]) -> Value {
    json!({ "data": String::from_utf8_lossy(bytes), "file": { "path": slash_path(rel), "id": id(bytes) } })
}

fn media_json(rel: &Path, bytes: &[u8]) -> Value {
    json!({
        "id": id(bytes),
        "content": BASE64.encode(bytes),
        "encoding": "base64",
        "path": slash_path(rel),
        "name": rel.file_name().map(|n| n.to_string_lossy()).unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> (tempfile::TempDir, Config) {
        let dir = tempfile::tempdir().unwrap();
        let case = dir.path().join("content/cases/fr-only");
        std::fs::create_dir_all(&case).unwrap();
        std::fs::write(
            case.join("index.fr.md"),
            "---\ntitle: Un cas\nclient: Ville\ndate: 2024-01-05\ncontact: anna\n---\nTexte\n",
        )
        .unwrap();
        let yaml = "languages:\n  nl: {}\n  fr: {}\ncms:\n  backend: { name: github, repo: a/b }\n";
        std::fs::write(dir.path().join("site.yaml"), yaml).unwrap();
        let config = crate::model::config::load(dir.path(), &[], None).unwrap();
        (dir, config)
    }

    fn api<'a>(dir: &tempfile::TempDir, config: &'a Config) -> Api<'a> {
        Api { root: canonical(dir.path()), config }
    }

    #[test]
    fn the_cases_are_listed_and_read_as_the_cms_asks() {
        let (dir, config) = site();
        let text = "---\ntitle: A\nclient: K\ndate: 2024-01-02\n---\nTekst\n";
        for (rel, body) in [
            ("content/cases/a/index.nl.md", text),
            ("content/cases/a/.index.nl.md", "a hidden copy"),
            ("content/cases/a/notes.txt", "not a case file"),
            ("content/cases/.old/index.nl.md", "in a hidden folder"),
            ("content/people/anna.yaml", "name: Anna\n"),
        ] {
            write_file(&dir, rel, body);
        }
        std::fs::write(dir.path().join("secret.md"), "outside").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(dir.path().join("secret.md"), dir.path().join("content/cases/a/elders.md")).unwrap();
        let api = api(&dir, &config);
        let listed =
            api.entries_by_folder(&json!({ "folder": "content/cases", "extension": "md", "depth": 2 })).unwrap();
        let paths: Vec<&str> = listed.as_array().unwrap().iter().map(|e| e["file"]["path"].as_str().unwrap()).collect();
        // the French-only case's Dutch file is its stand-in, listed after the files
        assert_eq!(
            paths,
            ["content/cases/a/index.nl.md", "content/cases/fr-only/index.fr.md", "content/cases/fr-only/index.nl.md"]
        );
        assert_eq!(listed[0]["data"], text);
        let entry = api.entry(Path::new("content/cases/a/index.nl.md")).unwrap();
        assert_eq!(
            (entry["data"].as_str(), entry["file"]["path"].as_str()),
            (Some(text), Some("content/cases/a/index.nl.md"))
        );
        // the home intros, as the files collection asks for them: one there, one not
        write_file(&dir, "content/_index.nl.md", "---\ntitle: Home\n---\nWelkom\n");
        let files = json!({ "files": [{ "path": "content/_index.nl.md" }, { "path": "content/_index.fr.md" }] });
        let intros = api.entries_by_files(&files).unwrap();
        assert_eq!(intros[0]["data"], "---\ntitle: Home\n---\nWelkom\n");
        assert_eq!(
            (intros[1]["data"].is_null(), intros[1]["file"]["path"].as_str()),
            (true, Some("content/_index.fr.md"))
        );
        // a missing file is none, but the first language's of a case in another only
        for missing in ["content/cases/a/index.fr.md", "content/cases/index.nl.md", "content/people/bob.yaml"] {
            assert!(api.entry(Path::new(missing)).unwrap()["data"].is_null(), "{missing}");
        }
        let stand_in = api.entry(Path::new("content/cases/fr-only/index.nl.md")).unwrap();
        assert!(stand_in["data"].as_str().unwrap().starts_with("---\ntitle: '[fr] Un cas'"), "{stand_in}");
        // the files a save may write text to
        for ok in
            ["content/cases/a/index.nl.md", "content/people/anna.yaml", "content/people/bo.yml", "content/_index.fr.md"]
        {
            assert!(api.text_file(Path::new(ok)).is_ok(), "{ok}");
        }
        for not_text in ["content/cases/a/photo.jpg", "content/cases/a/notes.txt"] {
            assert!(api.text_file(Path::new(not_text)).is_err(), "{not_text}");
        }
    }

    #[test]
    fn saves_and_media_are_read_as_the_cms_sends_them() {
        let (dir, config) = site();
        write_file(&dir, "content/cases/a/index.nl.md", "---\ntitle: A\nclient: K\ndate: 2024-01-02\n---\n");
        write_file(&dir, "content/cases/a/photo.jpg", "jpeg bytes");
        write_file(&dir, "content/cases/a/.photo.jpg", "hidden");
        write_file(&dir, "content/cases/a/notes.txt", "no image");
        let api = api(&dir, &config);
        let saved = |file: Value| api.persist_entry(&json!({ "dataFiles": [file] }));
        let paths =
            |changes: Changes| changes.into_iter().map(|(p, b)| (slash_path(&p), b.is_some())).collect::<Vec<_>>();
        // `newPath: null` is no move
        let raw = "---\ntitle: B\nclient: K\ndate: 2024-01-02\n---\n";
        let file = json!({ "path": "content/cases/a/index.nl.md", "raw": raw, "newPath": null });
        assert_eq!(paths(saved(file).unwrap()), [("content/cases/a/index.nl.md".to_string(), true)]);
        // an existing case file saved without its title is written (and then refused with vitrine's problem)
        let file = json!({ "path": "content/cases/a/index.nl.md", "raw": "---\nclient: K\n---\n" });
        assert_eq!(paths(saved(file).unwrap()).len(), 1);
        // a new person or home intro has no title to wait for
        let file = json!({ "path": "content/people/bob.yaml", "raw": "name: Bob\n" });
        assert_eq!(paths(saved(file).unwrap()), [("content/people/bob.yaml".to_string(), true)]);
        let file = json!({ "path": "content/_index.fr.md", "raw": "---\n---\nBonjour\n" });
        assert_eq!(paths(saved(file).unwrap()), [("content/_index.fr.md".to_string(), true)]);

        // a case folder's images, and nothing else, with their bytes
        let media = api.media(&json!({ "mediaFolder": "content/cases/a" })).unwrap();
        let names: Vec<&str> = media.as_array().unwrap().iter().map(|m| m["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["photo.jpg"]);
        assert_eq!(media[0]["content"], BASE64.encode("jpeg bytes"));
        let one = api.media_file(Path::new("content/cases/a/photo.jpg")).unwrap();
        assert_eq!(
            (one["path"].as_str(), one["encoding"].as_str()),
            (Some("content/cases/a/photo.jpg"), Some("base64"))
        );
    }

    fn write_file(dir: &tempfile::TempDir, rel: &str, body: &str) {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, body).unwrap();
    }

    #[test]
    fn paths_from_the_browser_stay_in_the_content_folder() {
        let (dir, config) = site();
        std::fs::write(dir.path().join("secret.txt"), "x").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(std::env::temp_dir(), dir.path().join("content/out")).unwrap();
        let api = api(&dir, &config);
        for bad in [
            "site.yaml",
            "content/../site.yaml",
            "content/cases/../../secret.txt",
            "/etc/passwd",
            "content\\cases",
            "content/cases\\a\\index.nl.md",
            "./site.yaml",
            "./content/cases/a/index.nl.md",
            "content/.git/config",
            "content/cases/.x/index.nl.md",
            "themes/default/templates/base.html",
            "",
            #[cfg(unix)]
            "content/out/x/index.nl.md",
        ] {
            assert!(api.path(&json!(bad)).is_err(), "{bad}");
        }
        assert_eq!(api.path(&json!("content/cases/a/index.nl.md")).unwrap(), Path::new("content/cases/a/index.nl.md"));
        assert_eq!(api.path(&json!("content/./people")).unwrap(), Path::new("content/people"));
        // a path of the content folder that is no file of the site is not written
        for not_site in ["content/notes.txt", "content/cases/a/.index.nl.md.swp"] {
            assert!(api.writable(Path::new(not_site)).is_err(), "{not_site}");
        }
        assert!(api.writable(Path::new("content/cases/a/photo.jpg")).is_ok());
        let err = api.text_file(Path::new("content/cases/a/index-1.nl.md")).unwrap_err();
        assert!(err.contains("there is a case in folder `a` already"), "{err}");
        assert!(api.text_file(Path::new("content/cases/a/photo.jpg")).is_err());
    }

    #[test]
    fn a_case_without_its_first_language_is_read_with_a_stand_in_that_is_never_written_untitled() {
        let (dir, config) = site();
        let api = api(&dir, &config);
        let listed = api.entries_by_folder(&json!({"folder": "content/cases", "extension": "md", "depth": 2})).unwrap();
        let paths: Vec<&str> = listed.as_array().unwrap().iter().map(|e| e["file"]["path"].as_str().unwrap()).collect();
        assert_eq!(paths, ["content/cases/fr-only/index.fr.md", "content/cases/fr-only/index.nl.md"]);
        let stand_in = listed[1]["data"].as_str().unwrap();
        let want = "---\ntitle: '[fr] Un cas'\nclient: Ville\ndate: 2024-01-05\ncontact: anna\n---\n";
        assert_eq!(stand_in, want, "the other language's title, marked, and what the languages share; no text");
        // saved as it came, with the French text changed: the Dutch file is not made
        let params = json!({"dataFiles": [
            {"path": "content/cases/fr-only/index.nl.md", "raw": stand_in},
            {"path": "content/cases/fr-only/index.fr.md", "raw": "---\ntitle: Un autre titre\nclient: Ville\ndate: 2024-01-05\n---\n"},
        ]});
        let changes = api.persist_entry(&params).unwrap();
        let written: Vec<&Path> = changes.iter().map(|(p, _)| p.as_path()).collect();
        assert_eq!(written, [Path::new("content/cases/fr-only/index.fr.md")]);
        // nor with its text left empty
        let params =
            json!({"dataFiles": [{"path": "content/cases/fr-only/index.nl.md", "raw": "---\ntitle: ''\n---\n"}]});
        assert!(api.persist_entry(&params).is_err(), "nothing to save");
        // given a title of its own, it is a translation made on purpose
        let params = json!({"dataFiles": [{"path": "content/cases/fr-only/index.nl.md", "raw": "---\ntitle: Een titel\n---\n"}]});
        assert_eq!(api.persist_entry(&params).unwrap().len(), 1);
        // a new case with no title anywhere is nothing to save
        let params = json!({"dataFiles": [{"path": "content/cases/new/index.nl.md", "raw": "---\ndate: 2024-01-05\ntitle: ''\n---\n"}]});
        assert!(api.persist_entry(&params).unwrap_err().contains("give the case a title"));
        // a file not written yet reads as no data, as Decap's own server answers
        let missing = api.entry(Path::new("content/cases/other/index.fr.md")).unwrap();
        assert!(missing["data"].is_null());
    }

    #[test]
    fn uploads_are_decoded_and_files_named_by_their_sha_256() {
        let (dir, config) = site();
        let api = api(&dir, &config);
        let (changes, file) = api
            .persist_media(
                &json!({"asset": {"path": "content/people/anna.png", "content": "aGVsbG8=", "encoding": "base64"}}),
            )
            .unwrap();
        assert_eq!(changes, [(PathBuf::from("content/people/anna.png"), Some(b"hello".to_vec()))]);
        // sha256("hello")
        assert_eq!(file["id"], "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
        assert_eq!((file["name"].as_str(), file["path"].as_str()), (Some("anna.png"), Some("content/people/anna.png")));
    }

    #[test]
    fn a_save_is_written_whole_and_a_deleted_case_takes_its_empty_folder() {
        let (dir, _) = site();
        let rel = PathBuf::from("content/cases/fr-only/index.fr.md");
        write(dir.path(), &[(rel.clone(), Some(b"new".to_vec()))]).unwrap();
        assert_eq!(std::fs::read(dir.path().join(&rel)).unwrap(), b"new");
        let left: Vec<_> = std::fs::read_dir(dir.path().join("content/cases/fr-only")).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary file left");
        write(dir.path(), &[(rel.clone(), None)]).unwrap();
        assert!(!dir.path().join("content/cases/fr-only").exists());
        // a file that is not there is deleted already (Decap deletes every language's file)
        write(dir.path(), &[(rel, None)]).unwrap();
        // any other failure is said
        let folder = PathBuf::from("content/people");
        std::fs::create_dir_all(dir.path().join(&folder)).unwrap();
        assert!(write(dir.path(), &[(folder, None)]).unwrap_err().starts_with("cannot write content/people: "));
    }
}
