//! Stage 4, write: renders into a fresh folder beside the output and swaps
//! it in with renames at the end, so a failed or interrupted build never
//! leaves half a site and never removes the previous one.

use crate::render::Sink;
use std::ffi::OsString;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// A folder being filled by a build, beside the output on the same file system.
pub struct Staging {
    dir: PathBuf,
    output: PathBuf,
}

fn sibling(output: &Path, tag: &str) -> PathBuf {
    let name = output.file_name().map_or_else(|| OsString::from("output"), |n| n.to_os_string());
    let mut s = OsString::from(".");
    s.push(&name);
    s.push(format!(".vitrine-{tag}-{}", std::process::id()));
    output.with_file_name(s)
}

impl Staging {
    /// Creates the staging folder next to `output` (whose parent is created if needed).
    pub fn new(output: &Path) -> io::Result<Staging> {
        let output = absolute(output)?;
        if let Some(parent) = output.parent() {
            fs::create_dir_all(parent)?;
        }
        let dir = sibling(&output, "new");
        if dir.exists() {
            fs::remove_dir_all(&dir)?;
        }
        fs::create_dir(&dir)?;
        Ok(Staging { dir, output })
    }

    /// Where the build writes until it is committed.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Puts the staged site in place of the output. Top-level dot files of
    /// the old output (`.gitkeep`, `.git`, `.nojekyll`) move over to the new
    /// one, so a deploy checkout in the output folder survives builds.
    pub fn commit(self) -> io::Result<()> {
        let old = sibling(&self.output, "old");
        let had_output = self.output.exists();
        if had_output {
            if old.exists() {
                fs::remove_dir_all(&old)?;
            }
            fs::rename(&self.output, &old)?;
        }
        if let Err(e) = fs::rename(&self.dir, &self.output) {
            if had_output {
                let _ = fs::rename(&old, &self.output);
            }
            return Err(e);
        }
        if had_output {
            for entry in fs::read_dir(&old)?.flatten() {
                let name = entry.file_name();
                let keep = name.to_string_lossy().starts_with('.') && !self.output.join(&name).exists();
                if keep {
                    fs::rename(entry.path(), self.output.join(&name))?;
                }
            }
            fs::remove_dir_all(&old)?;
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        // after a commit the folder has been renamed away and nothing is left here
        if self.dir.exists() {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

fn absolute(p: &Path) -> io::Result<PathBuf> {
    if p.is_absolute() { Ok(p.to_path_buf()) } else { Ok(std::env::current_dir()?.join(p)) }
}

/// Writes outputs as files below a folder.
pub struct DirSink<'a>(pub &'a Path);

impl DirSink<'_> {
    /// Makes the file at `rel` with `make`, creating its folders when they
    /// are missing: trying first spares a `mkdir` for every file but the
    /// first of a folder (a case page, its poster and its images).
    fn make(&self, rel: &str, make: impl Fn(&Path) -> io::Result<()>) -> io::Result<()> {
        let path = self.0.join(rel);
        match make(&path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                if let Some(parent) = path.parent() {
                    fs::create_dir_all(parent)?;
                }
                make(&path)
            }
            done => done,
        }
    }
}

impl Sink for DirSink<'_> {
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        self.make(rel, |to| fs::write(to, bytes))
    }

    fn copy(&self, rel: &str, from: &Path) -> io::Result<()> {
        self.make(rel, |to| fs::copy(from, to).map(|_| ()))
    }

    /// A hard link where cache and output share a file system (no bytes
    /// written: a warm build of 10,000 posters spares 600 MB), else a copy.
    fn link(&self, rel: &str, from: &Path) -> io::Result<()> {
        self.make(rel, |to| match fs::hard_link(from, to) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => fs::copy(from, to).map(|_| ()),
            linked => linked,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_replaces_the_output_and_keeps_dot_files() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("output");
        fs::create_dir(&out).unwrap();
        fs::write(out.join(".gitkeep"), "").unwrap();
        fs::write(out.join("old.html"), "old").unwrap();
        let staging = Staging::new(&out).unwrap();
        DirSink(staging.dir()).write("nl/index.html", b"new").unwrap();
        staging.commit().unwrap();
        assert!(out.join(".gitkeep").exists());
        assert!(!out.join("old.html").exists());
        assert_eq!(fs::read_to_string(out.join("nl/index.html")).unwrap(), "new");
        let left: Vec<_> = fs::read_dir(tmp.path()).unwrap().flatten().map(|e| e.file_name()).collect();
        assert_eq!(left, vec![OsString::from("output")]);
    }

    #[test]
    fn dropping_a_staging_leaves_the_output_alone() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("output");
        fs::create_dir(&out).unwrap();
        fs::write(out.join("index.html"), "old").unwrap();
        {
            let staging = Staging::new(&out).unwrap();
            DirSink(staging.dir()).write("index.html", b"half").unwrap();
        }
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "old");
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1);
    }
}
