//! What a build made, kept in the cache for the next build into the same
//! folder: each output file's fingerprint ([`Fingerprints`]), what they all
//! were made with, and when the build ended. The next build links each
//! file whose fingerprint is unchanged from the previous output into the
//! new one ([`super::DirSink`]) instead of making it again.

use crate::cache::{BUILDS, Cache};
use crate::render::Fingerprints;
use std::fmt::Write;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// What every output of a build of the site in `root` is made with besides
/// what the fingerprints cover: the program, the configuration, the theme
/// and the messages (their files, as they are), the command's `options`.
pub fn settings(root: &Path, options: impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    (crate::cache::program(), options).hash(&mut h);
    std::fs::read(root.join("site.yaml")).ok().hash(&mut h);
    for folder in ["themes", "i18n"] {
        let files = walkdir::WalkDir::new(root.join(folder)).sort_by_file_name().into_iter().flatten();
        for entry in files.filter(|e| e.file_type().is_file()) {
            (entry.path(), std::fs::read(entry.path()).ok()).hash(&mut h);
        }
    }
    h.finish()
}

/// The entry of the builds into `output`.
fn name(output: &Path) -> String {
    let mut h = DefaultHasher::new();
    std::path::absolute(output).unwrap_or_else(|_| output.to_path_buf()).hash(&mut h);
    format!("{:016x}", h.finish())
}

/// The fingerprints of the last build into `output`, and when it ended,
/// when it was made with these `settings`.
pub fn previous(cache: &Cache, output: &Path, settings: u64) -> Option<(Fingerprints, SystemTime)> {
    let text = std::fs::read_to_string(cache.get(BUILDS, &name(output))?.path).ok()?;
    let mut lines = text.lines();
    let (made_with, ended) = lines.next()?.split_once(' ')?;
    if u64::from_str_radix(made_with, 16).ok()? != settings {
        return None;
    }
    let ended = UNIX_EPOCH + Duration::from_nanos(ended.parse().ok()?);
    let files = lines.map(|l| {
        let (fp, path) = l.split_once(' ')?;
        Some((path.to_string(), u64::from_str_radix(fp, 16).ok()?))
    });
    Some((Fingerprints::of_files(files.collect::<Option<Vec<_>>>()?), ended))
}

/// Keeps what a build into `output` made with `settings`, ended now.
pub fn remember(cache: &Cache, output: &Path, settings: u64, made: &Fingerprints) {
    let ended = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_nanos();
    let mut text = format!("{settings:016x} {ended}\n");
    for (path, fp) in made.files_made() {
        let _ = writeln!(text, "{fp:016x} {path}");
    }
    cache.put(BUILDS, &name(output), text.as_bytes());
}
