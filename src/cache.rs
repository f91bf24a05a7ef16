//! The build cache shared by builds on this machine: rendered posters and
//! resized images, each a file named by the hash of what it was made from,
//! so an unchanged input is never made twice (`VITRINE_CACHE_DIR`, else the
//! user's cache folder).

use std::path::{Path, PathBuf};

/// A cache folder, or none (every output is made again).
#[derive(Debug, Clone)]
pub struct Cache {
    dir: Option<PathBuf>,
    /// Whether entries are kept (`check` only reads).
    writable: bool,
}

/// A file found in the cache: where it is, and its size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub path: PathBuf,
    pub size: usize,
}

/// `$VITRINE_CACHE_DIR`, else `vitrine` in the user's cache folder.
fn user_dir() -> Option<PathBuf> {
    std::env::var_os("VITRINE_CACHE_DIR").map(PathBuf::from).or_else(|| {
        std::env::var_os("XDG_CACHE_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cache")))
            .map(|c| c.join("vitrine"))
    })
}

impl Cache {
    /// The user's cache, or none when it cannot be created.
    pub fn user() -> Cache {
        user_dir().map_or(Cache::none(), |b| Cache::at(&b))
    }

    /// The user's cache, only to read from: what earlier builds made is
    /// used, nothing is kept (`vitrine check` writes nothing).
    pub fn user_read_only() -> Cache {
        Cache { dir: user_dir().filter(|d| d.is_dir()), writable: false }
    }

    /// A cache in a folder of one's choosing.
    pub fn at(dir: &Path) -> Cache {
        Cache { dir: std::fs::create_dir_all(dir).is_ok().then(|| dir.to_path_buf()), writable: true }
    }

    /// No caching: everything is made again.
    pub fn none() -> Cache {
        Cache { dir: None, writable: false }
    }

    /// Where the entry `name` of a kind (`posters`, `images`) is kept.
    pub fn path(&self, kind: &str, name: &str) -> Option<PathBuf> {
        self.dir.as_ref().map(|d| d.join(kind).join(name))
    }

    /// The entry, when a previous build left it.
    pub fn get(&self, kind: &str, name: &str) -> Option<Hit> {
        let path = self.path(kind, name)?;
        let size = std::fs::metadata(&path).ok().filter(|m| m.is_file() && m.len() > 0)?.len() as usize;
        Some(Hit { path, size })
    }

    /// Keeps an entry. Failing to is no error: the next build makes it again.
    pub fn put(&self, kind: &str, name: &str, bytes: &[u8]) {
        let Some(path) = self.path(kind, name).filter(|_| self.writable) else { return };
        if path.parent().is_some_and(|p| std::fs::create_dir_all(p).is_err()) {
            return;
        }
        // write then rename, so a concurrent build never reads half a file
        let tmp = path.with_extension(format!("tmp{}-{:?}", std::process::id(), std::thread::current().id()));
        if std::fs::write(&tmp, bytes).is_ok() && std::fs::rename(&tmp, &path).is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
    }
}
