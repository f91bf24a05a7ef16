//! One complete build held in memory: what the server answers from. A new
//! snapshot replaces the old one only after a rebuild succeeded, so a
//! request never sees half a site.

use crate::render::Sink;
use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The bytes of one output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    Bytes(Arc<[u8]>),
    /// A file copied as it is (images, cached posters): read when served,
    /// so large files are not held in memory.
    File(PathBuf),
}

impl Body {
    /// The content, read from disk for a copied file.
    pub fn read(&self) -> io::Result<Arc<[u8]>> {
        match self {
            Body::Bytes(b) => Ok(b.clone()),
            Body::File(p) => std::fs::read(p).map(Arc::from),
        }
    }
}

/// The files of a build by output path (`nl/cases/x/index.html`). Paths
/// are shared, so the next snapshot starts as a cheap copy of this one.
#[derive(Debug, Default, Clone)]
pub struct Snapshot {
    pub files: HashMap<Arc<str>, Body>,
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

/// Collects a render's files in memory.
#[derive(Default)]
pub struct MemorySink {
    files: Mutex<Vec<(String, Body)>>,
}

impl MemorySink {
    /// The files written so far.
    pub fn into_files(self) -> Vec<(String, Body)> {
        self.files.into_inner().unwrap_or_else(|e| e.into_inner())
    }

    fn push(&self, rel: &str, body: Body) {
        self.files.lock().unwrap_or_else(|e| e.into_inner()).push((rel.to_string(), body));
    }
}

impl Sink for MemorySink {
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        self.push(rel, Body::Bytes(Arc::from(bytes)));
        Ok(())
    }

    fn copy(&self, rel: &str, from: &Path) -> io::Result<()> {
        if !from.is_file() {
            return Err(io::Error::new(io::ErrorKind::NotFound, format!("{} is not a file", from.display())));
        }
        self.push(rel, Body::File(from.to_path_buf()));
        Ok(())
    }
}
