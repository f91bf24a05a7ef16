//! The site folder's files as every stage reads them: text files within a
//! size limit and as UTF-8, the files nobody means to publish, and the
//! symbolic links that lead out of the site.

use crate::diagnostic::{Diagnostic, display_path, line_col};
use std::path::{Path, PathBuf};

/// The site folder as the file system resolves it (itself when it cannot).
pub fn canonical(root: &Path) -> PathBuf {
    root.canonicalize().unwrap_or_else(|_| root.to_path_buf())
}

/// Whether `path` resolves to somewhere outside the folder `inside` (a
/// canonical path): a symbolic link out of the site, which is never read,
/// copied or served (as Hugo and Zola do).
pub fn leads_outside(inside: &Path, path: &Path) -> bool {
    !path.canonicalize().is_ok_and(|p| p.starts_with(inside))
}

/// The warning for a symbolic link at `rel` that leads out of the site.
pub fn outside_link(root: &Path, rel: &Path) -> Diagnostic {
    Diagnostic::warning(
        display_path(root, rel),
        1,
        1,
        "this symbolic link leads outside the site folder: it is not read, copied or served",
    )
    .with_hint("copy the file into the site folder instead of linking to it")
}

/// Writes a new file (and its folder when missing), never over an existing
/// one: what `init` and `new` make.
pub fn create_new(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(path)?;
    std::io::Write::write_all(&mut file, text.as_bytes())
}

/// `cafe-ole` or `agency_cases` → `Cafe ole`, `Agency cases`: a title made
/// from a file or folder name, to replace.
pub fn title_of(name: &str) -> String {
    let words = name.replace(['-', '_'], " ");
    let mut chars = words.trim().chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// Editors' swap, backup and lock files, the files operating systems leave
/// in folders, and hidden files: never read, published or watched.
pub fn is_noise(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    name.starts_with(['.', '#'])
        || name.starts_with("~$")
        || name.ends_with('~')
        || [".swp", ".swo", ".bak", ".tmp", ".orig"].iter().any(|s| lower.ends_with(s))
        || ["4913", "thumbs.db", "desktop.ini", "ehthumbs.db"].contains(&lower.as_str())
}

/// The largest text file vitrine reads (a case, person, intro, message or
/// template file): far beyond any real one, and small enough that a file
/// written by mistake (a log, a database dump) cannot exhaust the memory.
pub const MAX_TEXT_FILE: u64 = 8 << 20;

/// Reads a file as UTF-8; an invalid byte is reported at its line and
/// column, a file over [`MAX_TEXT_FILE`] is refused.
pub fn read_text(path: &Path) -> Result<String, (usize, usize, String)> {
    let size = std::fs::metadata(path).map_err(|e| (1, 1, format!("cannot read: {e}")))?.len();
    if size > MAX_TEXT_FILE {
        let mb = |n: u64| n as f64 / (1 << 20) as f64;
        let msg = format!(
            "this file is {:.1} MB; a text file of the site may be at most {:.0} MB",
            mb(size),
            mb(MAX_TEXT_FILE)
        );
        return Err((1, 1, msg));
    }
    decode_text(std::fs::read(path).map_err(|e| (1, 1, format!("cannot read: {e}")))?)
}

pub fn decode_text(bytes: Vec<u8>) -> Result<String, (usize, usize, String)> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let text = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
        let (line, col) = line_col(text, valid);
        (line, col, "this file is not UTF-8 text: save it as UTF-8".to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_come_from_names() {
        assert_eq!(title_of("cafe-ole"), "Cafe ole");
        assert_eq!(title_of("a16"), "A16");
        assert_eq!(title_of("agency_cases"), "Agency cases");
    }
}
