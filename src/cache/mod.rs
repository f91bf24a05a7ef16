//! The build cache shared by builds on this machine: rendered posters,
//! resized images and search indexes, each a file named by the hash of what it was made from,
//! so an unchanged input is never made twice (`VITRINE_CACHE_DIR`, else the
//! user's cache folder).

pub mod hash;

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// Identifies the running vitrine (its version, and the size and time of
/// its executable), part of every cache key: a new build of the program,
/// whose posters, pictures or resizing may differ, never takes what an
/// older one cached.
pub fn program() -> &'static str {
    static ID: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    ID.get_or_init(|| {
        let exe = std::env::current_exe().and_then(std::fs::metadata);
        let stamp = exe.map(|m| {
            let t = m.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).unwrap_or_default();
            format!("{}-{}", m.len(), t.as_nanos())
        });
        format!("{}-{}", env!("CARGO_PKG_VERSION"), stamp.unwrap_or_default())
    })
}

/// How long an entry no build has used stays in the cache.
const KEEP: Duration = Duration::from_secs(30 * 24 * 3600);

/// How often a build looks for entries to remove.
const PRUNE_EVERY: Duration = Duration::from_secs(24 * 3600);

/// A file ready to write: made now, or a file of the cache (linked or
/// copied into the output, so an unchanged one costs no more than that).
pub enum Output {
    Made(Vec<u8>),
    Cached { path: PathBuf, size: usize },
}

/// The folders of the cache, one per kind of entry.
const KINDS: [&str; 5] = ["posters", "share", "images", "search", BUILDS];

/// The kind of entry that holds what each build made ([`crate::write::made`]).
pub const BUILDS: &str = "builds";

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
    /// The user's cache, its folder made when the first entry is kept (a
    /// command that stops before making anything leaves no trace).
    pub fn user() -> Cache {
        Cache { dir: user_dir(), writable: true }
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

    /// The same cache, read but never written.
    pub fn read_only(&self) -> Cache {
        Cache { dir: self.dir.clone(), writable: false }
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
        self.get_at(kind, name, SystemTime::now())
    }

    /// [`Cache::get`] at a time of one's choosing. An entry not used for a
    /// day is marked used (its modification time set), so that [`Cache::prune`]
    /// leaves it, however it is used (linked, copied, served from the cache).
    fn get_at(&self, kind: &str, name: &str, now: SystemTime) -> Option<Hit> {
        let path = self.path(kind, name)?;
        let meta = std::fs::metadata(&path).ok().filter(|m| m.is_file() && m.len() > 0)?;
        if self.writable && now.duration_since(last_used(&meta)).is_ok_and(|d| d > PRUNE_EVERY) {
            let _ = std::fs::File::open(&path).and_then(|f| f.set_modified(now));
        }
        Some(Hit { path, size: meta.len() as usize })
    }

    /// Removes the entries no build has used for 30 days, and temporary
    /// files a stopped build left, looking at most once a day (the time of
    /// the last look is the modification time of `.pruned`). Returns how
    /// many files went.
    pub fn prune(&self, now: SystemTime) -> usize {
        let Some(dir) = self.dir.as_ref().filter(|_| self.writable) else { return 0 };
        let marker = dir.join(".pruned");
        let since = |t: SystemTime| now.duration_since(t).unwrap_or_default();
        if std::fs::metadata(&marker).and_then(|m| m.modified()).is_ok_and(|t| since(t) < PRUNE_EVERY) {
            return 0;
        }
        let touched = std::fs::File::create(&marker).and_then(|f| f.set_modified(now));
        if touched.is_err() {
            return 0;
        }
        let mut removed = 0;
        for entry in KINDS.iter().filter_map(|k| std::fs::read_dir(dir.join(k)).ok()).flatten().flatten() {
            let Ok(meta) = entry.metadata() else { continue };
            let used = last_used(&meta);
            let temporary = entry.file_name().to_string_lossy().contains(".tmp");
            let stale = if temporary { PRUNE_EVERY } else { KEEP };
            if meta.is_file() && since(used) > stale && std::fs::remove_file(entry.path()).is_ok() {
                removed += 1;
            }
        }
        removed
    }

    /// Keeps an entry. Failing to is no error: the next build makes it again.
    pub fn put(&self, kind: &str, name: &str, bytes: &[u8]) {
        self.keep(kind, name, bytes);
    }

    /// The output of an entry made now: the file it is kept in (so that
    /// `serve` holds a path, not the bytes), else the bytes.
    pub fn made(&self, kind: &str, name: &str, bytes: Vec<u8>) -> Output {
        match self.keep(kind, name, &bytes) {
            Some(path) => Output::Cached { path, size: bytes.len() },
            None => Output::Made(bytes),
        }
    }

    /// [`Cache::put`]; where the entry is, when it was kept.
    fn keep(&self, kind: &str, name: &str, bytes: &[u8]) -> Option<PathBuf> {
        let path = self.path(kind, name).filter(|_| self.writable)?;
        if path.parent().is_some_and(|p| std::fs::create_dir_all(p).is_err()) {
            return None;
        }
        // write then rename, so a concurrent build never reads half a file
        let tmp = path.with_extension(format!("tmp{}-{:?}", std::process::id(), std::thread::current().id()));
        if std::fs::write(&tmp, bytes).is_ok() && std::fs::rename(&tmp, &path).is_ok() {
            return Some(path);
        }
        let _ = std::fs::remove_file(&tmp);
        None
    }
}

/// When an entry was last made, marked used or hard-linked into an output
/// (which changes its status change time).
fn last_used(meta: &std::fs::Metadata) -> SystemTime {
    let modified = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let changed = SystemTime::UNIX_EPOCH + Duration::from_secs(u64::try_from(meta.ctime()).unwrap_or(0));
        modified.max(changed)
    }
    #[cfg(not(unix))]
    modified
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_made_now_is_handed_on_as_its_file_once_kept() {
        let dir = tempfile::tempdir().unwrap();
        let kept = Cache::at(dir.path()).made("share", "c.png", b"png".to_vec());
        let Output::Cached { path, size } = kept else { panic!("a kept entry is handed on as bytes") };
        assert_eq!((std::fs::read(&path).unwrap(), size), (b"png".to_vec(), 3));
        assert!(path.starts_with(dir.path()));
        // nowhere to keep it: the bytes themselves
        assert!(matches!(Cache::none().made("share", "c.png", b"png".to_vec()), Output::Made(b) if b == b"png"));
        let read_only = Cache { dir: Some(dir.path().to_path_buf()), writable: false };
        assert!(matches!(read_only.made("share", "d.png", b"png".to_vec()), Output::Made(_)));
    }

    #[test]
    fn entries_no_build_used_for_a_month_are_removed_at_most_once_a_day() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(dir.path());
        let day = Duration::from_secs(24 * 3600);
        let now = SystemTime::now();
        cache.put("posters", "a.pdf", b"%PDF");
        cache.put("images", "b-480w.jpg", b"jpeg");
        cache.put("share", "c.png", b"png");
        cache.put("search", "d-0.json", b"{}");
        cache.put("builds", "0123456789abcdef", b"made");
        let left = || KINDS.iter().map(|k| std::fs::read_dir(dir.path().join(k)).unwrap().count()).sum::<usize>();
        assert_eq!(cache.prune(now), 0, "fresh entries stay");
        assert_eq!(cache.prune(now + 29 * day), 0, "used within 30 days");
        assert_eq!(left(), 5);
        assert_eq!(cache.prune(now + 31 * day), 5, "unused for a month");
        assert_eq!(left(), 0);
        // an hour after a look, no other: these would go, being a month old then
        cache.put("posters", "a.pdf", b"%PDF");
        assert_eq!(cache.prune(now + 31 * day + day / 24), 0);
        assert_eq!(left(), 1);
        // taken from the cache later on, an entry stays 30 days from then
        assert!(cache.get_at("posters", "a.pdf", now + 51 * day).is_some());
        assert_eq!(cache.prune(now + 80 * day), 0);
        assert_eq!(cache.prune(now + 82 * day), 1);
        assert_eq!(Cache::none().prune(now + 31 * day), 0);
    }
}
