//! Helpers shared by the integration tests: temporary sites and builds.
#![allow(dead_code)]

pub mod html;
pub mod serve;

use std::fs;
use std::path::{Path, PathBuf};
use vitrine::diagnostic::Diagnostic;
use vitrine::pipeline::{self, BuildReport, Options};

/// The repository root, which is the example site.
pub fn example_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A site folder with these files (path, contents), in a temporary folder.
pub fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        write(dir.path(), path, text.as_bytes());
    }
    dir
}

pub fn write(root: &Path, rel: &str, bytes: &[u8]) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, bytes).unwrap();
}

pub const SITE_YAML: &str = "title: Test\nbase_url: https://example.org/\ndefault_language: nl\nlanguages:\n  nl: { name: Nederlands, section: cases }\n  fr: { name: Français, section: projets }\n";

/// A valid case file with extra front matter lines.
pub fn case(title: &str, extra: &str) -> String {
    format!("---\ntitle: {title}\nclient: Klant\ndate: 2021-01-02\n{extra}---\n\nTekst van de case.\n")
}

/// Builds in-process with a cache of its own, dropped after: a test never
/// reads or prunes the user's cache, nor another test's.
pub fn build(root: &Path, output: &Path) -> BuildReport {
    let cache = tempfile::tempdir().unwrap();
    pipeline::build(&Options { cache: vitrine::cache::Cache::at(cache.path()), ..Options::new(root) }, output)
}

/// The diagnostics of loading a site, as printed, with the temp root removed.
pub fn diagnostics(root: &Path) -> Vec<String> {
    let (_, diags) = pipeline::load(&Options::new(root));
    shown(root, &diags)
}

pub fn shown(root: &Path, diags: &[Diagnostic]) -> Vec<String> {
    let prefix = format!("{}/", root.display());
    diags.iter().map(|d| d.to_string().replace(&prefix, "")).collect()
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A copy of the example site (sources only).
pub fn example_copy() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let root = example_root();
    for name in ["content", "themes", "i18n"] {
        if root.join(name).is_dir() {
            copy_dir(&root.join(name), &tmp.path().join(name));
        }
    }
    fs::copy(root.join("site.yaml"), tmp.path().join("site.yaml")).unwrap();
    tmp
}

/// Adds Markdown links to these files at the end of a case file: a file of
/// a case folder is published only when a page links or shows it.
pub fn link_files(root: &Path, case_file: &str, files: &[&str]) {
    let path = root.join(case_file);
    let mut text = fs::read_to_string(&path).unwrap();
    for f in files {
        text.push_str(&format!("\n\n[{f}]({f})\n"));
    }
    fs::write(path, text).unwrap();
}

/// Runs the vitrine binary in `cwd`, with no colour, as a user's shell would.
/// (with a cache folder of its own for this run, never the user's: a test
/// that keeps a cache between runs sets its own `VITRINE_CACHE_DIR`)
pub fn vitrine(args: &[&str], cwd: &Path) -> std::process::Output {
    let cache = tempfile::tempdir().unwrap();
    std::process::Command::new(env!("CARGO_BIN_EXE_vitrine"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env("VITRINE_CACHE_DIR", cache.path())
        .output()
        .unwrap()
}

/// Every file below a folder with its bytes, in a stable order.
pub fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().to_path_buf(), fs::read(e.path()).unwrap()))
        .collect()
}

/// A page of an output folder, parsed as a browser would.
pub fn page(out: &Path, rel: &str) -> crate::common::html::Html {
    let text = std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    crate::common::html::Html::parse_document(&text)
}

/// Attribute `attr` of every element matching `css`, in document order.
pub fn attrs(html: &crate::common::html::Html, css: &str, attr: &str) -> Vec<String> {
    let sel = crate::common::html::Selector::parse(css).unwrap();
    html.select(&sel).filter_map(|e| e.value().attr(attr).map(str::to_string)).collect()
}
