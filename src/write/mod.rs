//! Stage 4, write: renders into a fresh folder beside the output and swaps
//! it in at the end, so a failed or interrupted build never leaves half a
//! site and never removes the previous one.
//!
//! The folders a build makes beside the output are named
//! `.<output>.vitrine-<tag>-<pid>`: `new` while it is filled, `old` for the
//! previous output during a swap that cannot be one step, `trash` for what
//! is being removed. A build stopped by Ctrl-C or SIGTERM removes its `new`
//! folder; one killed outright leaves it, and the next build removes the
//! folders of processes that no longer run (restoring an `old` output that
//! no new one replaced). The old tree is removed by a detached process once
//! the new site is in place, so a build returns as soon as it is.

pub mod made;
pub mod published;

use crate::render::Sink;
use std::ffi::OsString;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// A folder being filled by a build, on the same file system as the output.
pub struct Staging {
    dir: PathBuf,
    output: PathBuf,
    /// The output is a mount point (a Docker volume, a bind mount): it cannot
    /// be renamed, so the staging folder is inside it and its entries are
    /// swapped one by one.
    per_entry: bool,
}

/// The staging folder of the build under way, for the signal handler.
static UNDER_WAY: Mutex<Option<PathBuf>> = Mutex::new(None);
/// Set once the process is stopping: no new folder is created for an output file.
static STOPPING: AtomicBool = AtomicBool::new(false);
/// The vitrine binary, when the command line runs: it removes old trees
/// in a detached process. Without it (the library in tests) they are
/// removed before `commit` returns.
static REMOVER: Mutex<Option<PathBuf>> = Mutex::new(None);

/// Lets `commit` hand the removal of the old output to a detached
/// `vitrine` process (the command line calls this), and removes the staging
/// folder when the build is stopped by Ctrl-C, SIGTERM or SIGHUP.
pub fn run_as_command() {
    if let Ok(exe) = std::env::current_exe() {
        *REMOVER.lock().unwrap_or_else(|e| e.into_inner()) = Some(exe);
    }
    let stop = || {
        STOPPING.store(true, Ordering::SeqCst);
        // a commit holds the lock until the new site is in place: wait for it
        let staging = UNDER_WAY.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(dir) = staging {
            discard(&dir);
        }
        std::process::exit(130);
    };
    // the signals are taken by a thread of their own, which cleans up as
    // any thread may (a signal handler itself may do next to nothing)
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        if let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) {
            let _ = std::thread::Builder::new().name("vitrine-signals".into()).spawn(move || {
                if signals.forever().next().is_some() {
                    stop();
                }
            });
        }
    }
    // (Windows has no signal iterator: Ctrl-C sets a flag, looked at 20
    // times a second)
    #[cfg(not(unix))]
    {
        use signal_hook::consts::{SIGINT, SIGTERM};
        let stopped = std::sync::Arc::new(AtomicBool::new(false));
        let registered = [SIGINT, SIGTERM].iter().all(|&s| signal_hook::flag::register(s, stopped.clone()).is_ok());
        if registered {
            let _ = std::thread::Builder::new().name("vitrine-signals".into()).spawn(move || {
                while !stopped.load(Ordering::SeqCst) {
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
                stop();
            });
        }
    }
}

/// The hidden command a detached remover runs: removes the given trees,
/// each first renamed to carry this process's id, so that a build starting
/// meanwhile sees it as under way and leaves it to this one.
pub fn remove_trees(paths: &[PathBuf]) {
    for p in paths {
        let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let mine = name.rsplit_once('-').map(|(base, _)| p.with_file_name(format!("{base}-{}", std::process::id())));
        let p = match mine {
            Some(mine) if fs::rename(p, &mine).is_ok() => mine,
            _ => p.clone(),
        };
        let _ = fs::remove_dir_all(p);
    }
}

fn name_of(output: &Path) -> OsString {
    output.file_name().map_or_else(|| OsString::from("output"), |n| n.to_os_string())
}

/// `.<output>.vitrine-<tag>-<pid>` beside the output (`.vitrine-<tag>-<pid>`
/// inside it for a mount point).
fn sibling(output: &Path, tag: &str, per_entry: bool) -> PathBuf {
    if per_entry {
        return output.join(format!(".vitrine-{tag}-{}", std::process::id()));
    }
    let mut s = OsString::from(".");
    s.push(name_of(output));
    s.push(format!(".vitrine-{tag}-{}", std::process::id()));
    output.with_file_name(s)
}

/// The tag and process id of a folder named by [`sibling`] for `prefix`
/// (`.<output>.vitrine-` or `.vitrine-`).
fn leftover(name: &str, prefix: &str) -> Option<(String, u32)> {
    let (tag, pid) = name.strip_prefix(prefix)?.split_once('-')?;
    matches!(tag, "new" | "old" | "trash").then_some(())?;
    Some((tag.to_string(), pid.parse().ok()?))
}

/// Whether a process of this id still runs (on systems without `/proc`,
/// a leftover is taken as live until it is a day old).
fn is_running(pid: u32, path: &Path) -> bool {
    if pid == std::process::id() {
        return true;
    }
    if Path::new("/proc/self").exists() {
        return Path::new("/proc").join(pid.to_string()).exists();
    }
    let age = fs::symlink_metadata(path).and_then(|m| m.modified()).ok().and_then(|t| t.elapsed().ok());
    age.is_none_or(|a| a.as_secs() < 24 * 3600)
}

/// Removes or restores what stopped builds left beside (or inside) the
/// output: an `old` output comes back when no output took its place. A
/// build calls it first, whether or not it gets as far as writing.
pub fn clean_leftovers(output: &Path) {
    let Ok(output) = std::path::absolute(output) else { return };
    let output = output.as_path();
    let beside = format!(".{}.vitrine-", name_of(output).to_string_lossy());
    let places = [(output.parent().map(Path::to_path_buf), beside), (Some(output.to_path_buf()), ".vitrine-".into())];
    let mut trash = Vec::new();
    for (dir, prefix) in places {
        let Some(entries) = dir.and_then(|d| fs::read_dir(d).ok()) else { continue };
        for entry in entries.flatten() {
            let Some((tag, pid)) = leftover(&entry.file_name().to_string_lossy(), &prefix) else { continue };
            if is_running(pid, &entry.path()) {
                continue;
            }
            if tag == "old" && !output.exists() && fs::rename(entry.path(), output).is_ok() {
                continue;
            }
            // a build killed right after its swap leaves the old output here:
            // its dot files (a deploy checkout's `.git`) belong to the output
            if tag != "trash" && output.is_dir() && !prefix.starts_with(".vitrine-") {
                move_dot_files(&entry.path(), output);
            }
            trash.push(entry.path());
        }
    }
    for dir in trash {
        discard(&dir);
    }
}

/// Removes a folder, in a detached process when the command line runs:
/// renamed out of the way first, so that nothing else sees it.
fn discard(dir: &Path) {
    let exe = REMOVER.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let Some(exe) = exe else {
        let _ = fs::remove_dir_all(dir);
        return;
    };
    let parent = dir.parent().unwrap_or(Path::new("."));
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let base = name.rsplit_once(".vitrine-").map_or(".", |(b, _)| b);
    let staged = parent.join(format!("{base}.vitrine-trash-{}", std::process::id()));
    let target = if staged == dir || fs::rename(dir, &staged).is_ok() { staged } else { dir.to_path_buf() };
    let mut cmd = std::process::Command::new(exe);
    cmd.arg("__remove").arg(&target);
    cmd.stdin(std::process::Stdio::null()).stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null());
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    if cmd.spawn().is_err() {
        let _ = fs::remove_dir_all(&target);
    }
}

/// Whether `dir` is a mount point: on another device than its parent.
fn is_mount_point(dir: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let parent = dir.parent().unwrap_or(Path::new("/"));
        match (fs::metadata(dir), fs::metadata(parent)) {
            (Ok(d), Ok(p)) => d.is_dir() && (d.dev() != p.dev() || d.ino() == p.ino()),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        false
    }
}

/// Swaps two paths in one step where the system can (Linux); `Ok(false)`
/// where it cannot, so the caller renames twice.
fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
            Ok(()) => Ok(true),
            // a file system or kernel without it
            Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => Ok(false),
            Err(e) => Err(e.into()),
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (a, b);
        Ok(false)
    }
}

impl Staging {
    /// Creates the staging folder for `output` (whose parent is created if
    /// needed), after clearing what stopped builds left there.
    pub fn new(output: &Path) -> io::Result<Staging> {
        let output = std::path::absolute(output)?;
        if let Some(parent) = output.parent() {
            fs::create_dir_all(parent)?;
        }
        let per_entry = is_mount_point(&output);
        let dir = sibling(&output, "new", per_entry);
        if dir.exists() {
            fs::remove_dir_all(&dir)?;
        }
        fs::create_dir(&dir)?;
        *UNDER_WAY.lock().unwrap_or_else(|e| e.into_inner()) = Some(dir.clone());
        Ok(Staging { dir, output, per_entry })
    }

    /// Where the build writes until it is committed.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Whether the output is a mount point, whose entries are swapped one
    /// by one (a reader may see old and new entries side by side).
    pub fn per_entry(&self) -> bool {
        self.per_entry
    }

    /// Puts the staged site in place of the output. Top-level dot files of
    /// the old output (`.gitkeep`, `.git`, `.nojekyll`) stay, so a deploy
    /// checkout in the output folder survives builds.
    pub fn commit(self) -> io::Result<()> {
        // a stop signal now waits until the new site is in place
        let mut under_way = UNDER_WAY.lock().unwrap_or_else(|e| e.into_inner());
        let done = if self.per_entry { self.swap_entries() } else { self.swap_folder() };
        if done.is_ok() {
            *under_way = None;
        }
        done
    }

    fn swap_folder(&self) -> io::Result<()> {
        if !self.output.exists() {
            return fs::rename(&self.dir, &self.output);
        }
        let old = if exchange(&self.dir, &self.output)? {
            // one step: the staging folder now holds the old output
            self.dir.clone()
        } else {
            let old = sibling(&self.output, "old", false);
            if old.exists() {
                fs::remove_dir_all(&old)?;
            }
            fs::rename(&self.output, &old)?;
            if let Err(e) = fs::rename(&self.dir, &self.output) {
                let _ = fs::rename(&old, &self.output);
                return Err(e);
            }
            old
        };
        move_dot_files(&old, &self.output);
        discard(&old);
        Ok(())
    }

    /// For a mount point: each entry of the new site takes the place of the
    /// old one (swapped in one step where the system can); old entries the
    /// new site lacks go; dot files stay.
    fn swap_entries(&self) -> io::Result<()> {
        let trash = sibling(&self.output, "trash", true);
        fs::create_dir_all(&trash)?;
        let mut names: Vec<OsString> = fs::read_dir(&self.dir)?.flatten().map(|e| e.file_name()).collect();
        names.sort();
        for name in &names {
            let (new, at) = (self.dir.join(name), self.output.join(name));
            if at.symlink_metadata().is_ok() && !exchange(&new, &at)? {
                fs::rename(&at, trash.join(name))?;
                fs::rename(&new, &at)?;
            } else if !at.exists() {
                fs::rename(&new, &at)?;
            }
        }
        for entry in fs::read_dir(&self.output)?.flatten() {
            let name = entry.file_name();
            if !name.to_string_lossy().starts_with('.') && !names.contains(&name) {
                fs::rename(entry.path(), trash.join(&name))?;
            }
        }
        discard(&self.dir);
        discard(&trash);
        Ok(())
    }
}

/// Moves the top-level dot files of the old output that the new one lacks.
fn move_dot_files(old: &Path, output: &Path) {
    for entry in fs::read_dir(old).into_iter().flatten().flatten() {
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') && !output.join(&name).exists() {
            let _ = fs::rename(entry.path(), output.join(&name));
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        // after a commit the folder has been renamed away and nothing is left here
        let mut under_way = UNDER_WAY.lock().unwrap_or_else(|e| e.into_inner());
        if under_way.as_deref() == Some(self.dir.as_path()) {
            *under_way = None;
        }
        if self.dir.exists() {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Writes outputs as files below a folder (`dir`), naming them in messages
/// as files of `shown` (the output the folder will become).
pub struct DirSink<'a> {
    pub dir: &'a Path,
    pub shown: &'a Path,
    /// When the build that made the files in `shown` ended, when its
    /// fingerprints are known ([`made`]): its files unchanged since are
    /// linked, not made again.
    pub made_before: Option<std::time::SystemTime>,
}

impl DirSink<'_> {
    /// Makes the file at `rel` with `make`, creating its folders when they
    /// are missing: trying first spares a `mkdir` for every file but the
    /// first of a folder (a case page, its poster and its images).
    fn make(&self, rel: &str, make: impl Fn(&Path) -> io::Result<()>) -> io::Result<()> {
        let path = self.dir.join(rel);
        match make(&path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                if STOPPING.load(Ordering::Relaxed) {
                    return Err(io::Error::other("the build was stopped"));
                }
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

    /// Links the files of the previous output at `rels`, when each is as
    /// the previous build left it (not modified since it ended); if one
    /// cannot be linked, those linked are taken away again (the job then
    /// writes them, and must not write through a link into the old file).
    fn keep(&self, rels: &[String]) -> bool {
        let Some(ended) = self.made_before else { return false };
        let old = |rel: &str| self.shown.join(rel);
        let as_left = |rel: &String| {
            fs::symlink_metadata(old(rel)).is_ok_and(|m| m.is_file() && m.modified().is_ok_and(|t| t <= ended))
        };
        if !rels.iter().all(as_left) {
            return false;
        }
        for (k, rel) in rels.iter().enumerate() {
            if self.make(rel, |to| fs::hard_link(old(rel), to)).is_err() {
                for rel in &rels[..k] {
                    let _ = fs::remove_file(self.dir.join(rel));
                }
                return false;
            }
        }
        true
    }

    /// A hard link where cache and output share a file system (no bytes
    /// written: a warm build of 10,000 posters spares 600 MB), else a copy.
    fn link(&self, rel: &str, from: &Path) -> io::Result<()> {
        self.make(rel, |to| match fs::hard_link(from, to) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => fs::copy(from, to).map(|_| ()),
            linked => linked,
        })
    }

    fn shown(&self, rel: &Path) -> PathBuf {
        self.shown.join(rel)
    }

    fn free_space(&self) -> Option<u64> {
        #[cfg(unix)]
        {
            let st = rustix::fs::statvfs(self.dir).ok()?;
            Some(st.f_bavail.saturating_mul(st.f_frsize))
        }
        #[cfg(not(unix))]
        {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> =
            fs::read_dir(dir).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
        v.sort();
        v
    }

    #[test]
    fn commit_replaces_the_output_and_keeps_dot_files() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("output");
        fs::create_dir(&out).unwrap();
        fs::write(out.join(".gitkeep"), "").unwrap();
        fs::write(out.join("old.html"), "old").unwrap();
        let staging = Staging::new(&out).unwrap();
        DirSink { dir: staging.dir(), shown: Path::new("output"), made_before: None }
            .write("nl/index.html", b"new")
            .unwrap();
        staging.commit().unwrap();
        assert!(out.join(".gitkeep").exists());
        assert!(!out.join("old.html").exists());
        assert_eq!(fs::read_to_string(out.join("nl/index.html")).unwrap(), "new");
        assert_eq!(names(tmp.path()), ["output"]);
    }

    #[test]
    fn dropping_a_staging_leaves_the_output_alone() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("output");
        fs::create_dir(&out).unwrap();
        fs::write(out.join("index.html"), "old").unwrap();
        {
            let staging = Staging::new(&out).unwrap();
            DirSink { dir: staging.dir(), shown: Path::new("output"), made_before: None }
                .write("index.html", b"half")
                .unwrap();
        }
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "old");
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1);
    }

    /// A process id that runs no process: above Linux's largest.
    const DEAD: u32 = 4_194_305;

    #[test]
    fn leftovers_of_dead_builds_go_and_an_orphaned_output_comes_back() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("output");
        // a build killed while filling its folder, one killed between the
        // two renames of a swap (no output), and a live build's folder
        let killed = tmp.path().join(format!(".output.vitrine-new-{DEAD}"));
        let orphan = tmp.path().join(format!(".output.vitrine-old-{}", DEAD + 1));
        let live = tmp.path().join(format!(".output.vitrine-new-{}", std::process::id()));
        for (dir, file) in [(&killed, "half.html"), (&orphan, "index.html"), (&live, "x")] {
            fs::create_dir(dir).unwrap();
            fs::write(dir.join(file), "x").unwrap();
        }
        fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
        clean_leftovers(&out);
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "x", "the previous output is restored");
        assert!(!killed.exists());
        assert!(live.exists(), "a running build's folder stays");
        assert!(tmp.path().join("notes.txt").exists());
    }

    #[test]
    fn a_swap_entry_by_entry_replaces_the_contents_and_keeps_dot_files() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("output");
        fs::create_dir_all(out.join("nl")).unwrap();
        fs::write(out.join("nl/index.html"), "old").unwrap();
        fs::write(out.join("gone.html"), "old").unwrap();
        fs::write(out.join(".nojekyll"), "").unwrap();
        let staging = Staging { dir: sibling(&out, "new", true), output: out.clone(), per_entry: true };
        fs::create_dir(staging.dir()).unwrap();
        DirSink { dir: staging.dir(), shown: Path::new("output"), made_before: None }
            .write("nl/index.html", b"new")
            .unwrap();
        DirSink { dir: staging.dir(), shown: Path::new("output"), made_before: None }
            .write("index.html", b"root")
            .unwrap();
        staging.commit().unwrap();
        assert_eq!(names(&out), [".nojekyll", "index.html", "nl"]);
        assert_eq!(fs::read_to_string(out.join("nl/index.html")).unwrap(), "new");
    }

    #[test]
    fn leftover_names() {
        assert_eq!(leftover("new-12", ""), Some(("new".into(), 12)));
        assert_eq!(leftover(".output.vitrine-trash-7", ".output.vitrine-"), Some(("trash".into(), 7)));
        assert_eq!(leftover(".output.vitrine-new-x", ".output.vitrine-"), None);
        assert_eq!(leftover(".site.vitrine-new-7", ".output.vitrine-"), None);
    }
}
