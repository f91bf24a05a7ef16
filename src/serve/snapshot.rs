//! One complete build held in memory: what the server answers from. A new
//! snapshot replaces the old one only after a rebuild succeeded, so a
//! request never sees half a site, and no request ever reads a path of the
//! site folder: the bytes of copied files are read when the build admits
//! them (after the link policy), not when they are asked for.

use crate::render::Sink;
use flate2::{Compress, Compression, FlushCompress, Status};
use rustc_hash::FxHashMap;
use std::hash::{Hash, Hasher};
use std::io::{self, Read as _};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The bytes of one output file.
#[derive(Debug, Clone)]
pub enum Body {
    /// Held in memory: the files copied from the site folder, pictures.
    Bytes(Arc<[u8]>),
    /// Held in memory compressed (deflate): pages, feeds, stylesheets, a
    /// fifth of their size or less (at 10,000 cases the pages are about
    /// 300 MB as they are).
    Deflated(Arc<[u8]>),
    /// A file of the build cache (posters, resized images). The cache names
    /// an entry by a hash of everything it was made from and replaces files,
    /// never changes them, so one path always holds the same bytes; they
    /// are read when served, so large files are not held in memory.
    Cached(PathBuf),
}

impl Body {
    /// Whether both hold the same bytes: what decides whether an output
    /// changed. A poster made in one build and taken from the cache in the
    /// next is the same file.
    pub fn same(&self, other: &Body) -> bool {
        match (self, other) {
            (Body::Bytes(a), Body::Bytes(b)) => Arc::ptr_eq(a, b) || a == b,
            // (one compression of the same bytes: the same compressed bytes)
            (Body::Deflated(a), Body::Deflated(b)) => Arc::ptr_eq(a, b) || a == b,
            (Body::Cached(a), Body::Cached(b)) => a == b,
            (a, b) => matches!((a.read(), b.read()), (Ok(x), Ok(y)) if x == y),
        }
    }

    /// The content (read from the build cache for a cached file).
    pub fn read(&self) -> io::Result<Arc<[u8]>> {
        match self {
            Body::Bytes(b) => Ok(b.clone()),
            Body::Deflated(d) => {
                let mut bytes = Vec::with_capacity(d.len() * 5);
                flate2::read::DeflateDecoder::new(&d[..]).read_to_end(&mut bytes)?;
                Ok(Arc::from(bytes))
            }
            Body::Cached(p) => std::fs::read(p).map(Arc::from),
        }
    }

    /// The body of an output file written at `rel`: compressed when it is
    /// text (pictures and posters are compressed already).
    fn of(rel: &str, bytes: &[u8]) -> Body {
        if is_text(rel) {
            thread_local! {
                // (a compressor holds hundreds of KB of tables: one per thread, not one per page)
                static Z: std::cell::RefCell<Compress> = std::cell::RefCell::new(Compress::new(Compression::fast(), false));
            }
            let deflated = Z.with_borrow_mut(|z| {
                z.reset();
                let mut out = Vec::with_capacity(bytes.len() / 3 + 64);
                loop {
                    let at = z.total_in() as usize;
                    match z.compress_vec(&bytes[at..], &mut out, FlushCompress::Finish) {
                        Ok(Status::StreamEnd) => return Some(out),
                        Ok(_) => out.reserve(out.capacity().max(64)),
                        Err(_) => return None,
                    }
                }
            });
            if let Some(deflated) = deflated {
                return Body::Deflated(Arc::from(deflated));
            }
        }
        Body::Bytes(Arc::from(bytes))
    }
}

/// The media type of an output path, by its extension.
pub(super) fn media_type(rel: &str) -> &'static str {
    match mime_guess::from_path(rel).first_raw().unwrap_or("application/octet-stream") {
        "application/javascript" => "text/javascript",
        m => m,
    }
}

/// Whether the output at `rel` is text: held compressed, and sent with
/// its charset.
pub(super) fn is_text(rel: &str) -> bool {
    let mime = media_type(rel);
    mime.starts_with("text/") || ["application/xml", "application/json", "image/svg+xml"].contains(&mime)
}

/// The files of a build by output path (`nl/cases/x/index.html`).
#[derive(Debug, Default, Clone)]
pub struct Snapshot {
    pub files: Files,
}

/// How many parts [`Files`] is split into.
const SHARDS: usize = 1024;

/// A map of output paths to files, split by a hash of the path into parts
/// shared between snapshots: the next snapshot starts as a copy of 1,024
/// pointers, and a rebuild copies only the parts holding a file it
/// changed (at 10,000 cases a copy of the whole map of 39,000 files took
/// ~12 ms of every save, most of it cache misses; with 64 parts a save
/// that changes 20 files still copied a quarter of it, ~6 ms).
#[derive(Debug, Clone)]
pub struct Files {
    shards: Vec<Arc<FxHashMap<Arc<str>, Body>>>,
}

impl Default for Files {
    fn default() -> Files {
        Files { shards: (0..SHARDS).map(|_| Arc::default()).collect() }
    }
}

impl Files {
    fn shard(rel: &str) -> usize {
        let mut h = rustc_hash::FxHasher::default();
        rel.hash(&mut h);
        h.finish() as usize % SHARDS
    }

    pub fn get(&self, rel: &str) -> Option<&Body> {
        self.shards[Self::shard(rel)].get(rel)
    }

    pub fn contains_key(&self, rel: &str) -> bool {
        self.get(rel).is_some()
    }

    pub fn insert(&mut self, rel: Arc<str>, body: Body) {
        Arc::make_mut(&mut self.shards[Self::shard(&rel)]).insert(rel, body);
    }

    /// Takes the file at `rel` out (copying its part only when it is there).
    pub fn remove(&mut self, rel: &str) -> Option<Body> {
        let shard = &mut self.shards[Self::shard(rel)];
        if !shard.contains_key(rel) {
            return None;
        }
        Arc::make_mut(shard).remove(rel)
    }

    /// Keeps the files for which `keep` says so (asked once per file);
    /// copies only the parts that lose one.
    pub fn retain(&mut self, mut keep: impl FnMut(&Arc<str>, &Body) -> bool) {
        for shard in &mut self.shards {
            let gone: Vec<Arc<str>> =
                shard.iter().filter(|(rel, body)| !keep(rel, body)).map(|(rel, _)| rel.clone()).collect();
            if !gone.is_empty() {
                let shard = Arc::make_mut(shard);
                for rel in &gone {
                    shard.remove(rel);
                }
            }
        }
    }

    pub fn len(&self) -> usize {
        self.shards.iter().map(|s| s.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.shards.iter().all(|s| s.is_empty())
    }

    pub fn iter(&self) -> impl Iterator<Item = (&Arc<str>, &Body)> {
        self.shards.iter().flat_map(|s| s.iter())
    }
}

impl Snapshot {
    /// The file at an output path.
    pub fn get(&self, rel: &str) -> Option<&Body> {
        self.files.get(rel)
    }

    /// Whether `rel` is a folder of the site (some file lies below it).
    pub fn has_index(&self, rel: &str) -> bool {
        self.files.contains_key(format!("{}/index.html", rel.trim_end_matches('/')).as_str())
    }
}

/// What identifies a file's content without reading it: unchanged size,
/// modification time and inode mean unchanged bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    inode: u64,
}

impl Stamp {
    fn of(meta: &std::fs::Metadata) -> Stamp {
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(meta);
        #[cfg(not(unix))]
        let inode = 0;
        Stamp { len: meta.len(), modified: meta.modified().ok(), inode }
    }
}

/// The files of the site folder read by earlier builds, by the path they
/// resolve to: a rebuild reads again only those whose stamp changed.
#[derive(Default)]
pub struct SourceFiles {
    read: Mutex<FxHashMap<PathBuf, Read>>,
}

/// A file as it was read.
type Read = (Stamp, Arc<[u8]>);

impl SourceFiles {
    /// The bytes of `from`, a file that must resolve to a place inside the
    /// site folder `inside` (canonical): a file swapped for a link out of
    /// the site after it was loaded is refused here too.
    fn read(&self, inside: &Path, from: &Path) -> io::Result<(PathBuf, Arc<[u8]>)> {
        let real = from.canonicalize()?;
        if !real.starts_with(inside) {
            let msg = format!("{} leads outside the site folder: it is not served", from.display());
            return Err(io::Error::new(io::ErrorKind::PermissionDenied, msg));
        }
        let meta = std::fs::metadata(&real)?;
        if !meta.is_file() {
            return Err(io::Error::new(io::ErrorKind::NotFound, format!("{} is not a file", from.display())));
        }
        let stamp = Stamp::of(&meta);
        let mut read = self.read.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((s, bytes)) = read.get(&real)
            && *s == stamp
        {
            return Ok((real, bytes.clone()));
        }
        drop(read);
        let bytes: Arc<[u8]> = Arc::from(std::fs::read(&real)?);
        read = self.read.lock().unwrap_or_else(|e| e.into_inner());
        read.insert(real.clone(), (stamp, bytes.clone()));
        Ok((real, bytes))
    }

    /// Forgets the files no output was copied from in the last build.
    fn keep_only(&self, used: &std::collections::HashSet<PathBuf>) {
        self.read.lock().unwrap_or_else(|e| e.into_inner()).retain(|p, _| used.contains(p));
    }
}

/// Collects a render's files in memory.
pub struct MemorySink<'a> {
    files: Mutex<Vec<(String, Body)>>,
    sources: &'a SourceFiles,
    inside: PathBuf,
    used: Mutex<std::collections::HashSet<PathBuf>>,
}

impl<'a> MemorySink<'a> {
    /// A sink for a render of the site at `root` (canonical), reading
    /// copied files through `sources`.
    pub fn new(root: &Path, sources: &'a SourceFiles) -> MemorySink<'a> {
        MemorySink { files: Mutex::default(), sources, inside: root.to_path_buf(), used: Mutex::default() }
    }

    /// The files written so far; the source files not copied this time
    /// are forgotten.
    pub fn into_files(self) -> Vec<(String, Body)> {
        self.sources.keep_only(&self.used.into_inner().unwrap_or_else(|e| e.into_inner()));
        self.files.into_inner().unwrap_or_else(|e| e.into_inner())
    }

    fn push(&self, rel: &str, body: Body) {
        self.files.lock().unwrap_or_else(|e| e.into_inner()).push((rel.to_string(), body));
    }
}

impl Sink for MemorySink<'_> {
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        self.push(rel, Body::of(rel, bytes));
        Ok(())
    }

    fn copy(&self, rel: &str, from: &Path) -> io::Result<()> {
        let (real, bytes) = self.sources.read(&self.inside, from)?;
        self.used.lock().unwrap_or_else(|e| e.into_inner()).insert(real);
        self.push(rel, Body::Bytes(bytes));
        Ok(())
    }

    fn link(&self, rel: &str, from: &Path) -> io::Result<()> {
        self.push(rel, Body::Cached(from.to_path_buf()));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_snapshot_copies_only_the_parts_it_changes() {
        let mut first = Files::default();
        for i in 0..1000 {
            first.insert(Arc::from(format!("nl/cases/c{i}/index.html")), Body::of("a.html", b"<p>x</p>"));
        }
        assert_eq!(first.len(), 1000);
        // spread over the parts, so that a change copies a small one
        let sizes: Vec<usize> = first.shards.iter().map(|s| s.len()).collect();
        assert!(sizes.iter().all(|&n| n <= 10), "{sizes:?}");
        let mut next = first.clone();
        next.insert(Arc::from("nl/cases/c7/index.html"), Body::of("a.html", b"<p>y</p>"));
        next.insert(Arc::from("nl/new/index.html"), Body::of("a.html", b"<p>z</p>"));
        let shared = first.shards.iter().zip(&next.shards).filter(|(a, b)| Arc::ptr_eq(a, b)).count();
        assert!(shared >= SHARDS - 2, "{shared} of {SHARDS} parts shared");
        assert_eq!((first.len(), next.len()), (1000, 1001));
        let read = |f: &Files, rel: &str| f.get(rel).map(|b| b.read().expect("in memory").to_vec());
        assert_eq!(read(&first, "nl/cases/c7/index.html").as_deref(), Some(&b"<p>x</p>"[..]));
        assert_eq!(read(&next, "nl/cases/c7/index.html").as_deref(), Some(&b"<p>y</p>"[..]));
        assert!(!first.contains_key("nl/new/index.html") && next.contains_key("nl/new/index.html"));
        // each file asked once; only the parts that lose one are copied
        let mut asked = 0;
        next.retain(|rel, _| {
            asked += 1;
            !rel.ends_with("c9/index.html")
        });
        assert_eq!((asked, next.len()), (1001, 1000));
        assert!(!next.contains_key("nl/cases/c9/index.html") && first.contains_key("nl/cases/c9/index.html"));
        assert_eq!(next.iter().count(), next.len());
        assert!(Files::default().is_empty() && !next.is_empty());
    }

    #[test]
    fn text_is_held_compressed_and_read_back_whole() {
        let page = "<p>Een pagina met herhaling.</p>\n".repeat(200);
        let body = Body::of("nl/index.html", page.as_bytes());
        let Body::Deflated(held) = &body else { panic!("a page is held as it is") };
        assert!(held.len() * 5 < page.len(), "{} bytes held for {}", held.len(), page.len());
        assert_eq!(&*body.read().unwrap(), page.as_bytes());
        // a picture is compressed already
        assert!(matches!(Body::of("nl/share.png", b"\x89PNG"), Body::Bytes(_)));
        // the same bytes, however held, are the same file; others are not
        let plain = Body::Bytes(Arc::from(page.as_bytes()));
        assert!(body.same(&plain) && plain.same(&body) && body.same(&Body::of("nl/index.html", page.as_bytes())));
        assert!(!body.same(&Body::of("nl/index.html", b"<p>Anders</p>")));
        let again = Body::Bytes(Arc::from(page.as_bytes()));
        assert!(plain.same(&again), "equal bytes in two places");
        assert!(!plain.same(&Body::Bytes(Arc::from(&b"<p>Anders</p>"[..]))));
    }

    #[test]
    fn every_kind_of_text_is_text_and_pictures_are_not() {
        for rel in ["nl/index.html", "style.css", "search.js", "search/nl/meta.json", "sitemap.xml", "kaart.svg"] {
            assert!(is_text(rel), "{rel} ({})", media_type(rel));
        }
        for rel in ["nl/share.png", "foto.jpg", "nl/cases/x/x-a3.pdf"] {
            assert!(!is_text(rel), "{rel} ({})", media_type(rel));
        }
    }
}
