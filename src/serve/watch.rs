//! Watching the site folder: a notify watcher on `site.yaml`, `content/`,
//! `themes/` and `i18n/`, and the sorting of its events into what a rebuild
//! must read again. Events are gathered into one change by serve's loop,
//! which waits for [`DEBOUNCE`] of quiet before it rebuilds.

use crate::load::files::is_noise;
use notify::{PollWatcher, RecommendedWatcher, RecursiveMode, Watcher};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

/// Quiet time after an event before a rebuild starts: long enough to merge
/// an editor's write-then-rename, short enough not to be felt.
pub const DEBOUNCE: Duration = Duration::from_millis(20);

/// The folders below the site root that hold its sources.
const FOLDERS: [&str; 3] = ["content", "themes", "i18n"];

/// What changed, as far as a rebuild is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// These files or folders below `content/`, and whether `site.yaml`,
    /// the theme or the messages changed (they then load again as a whole).
    Files { content: BTreeSet<PathBuf>, settings: bool },
    /// The watcher lost events: read everything again.
    Everything,
}

impl Change {
    /// One change covering both.
    pub fn merge(self, other: Change) -> Change {
        match (self, other) {
            (Change::Files { mut content, settings }, Change::Files { content: more, settings: also }) => {
                content.extend(more);
                Change::Files { content, settings: settings || also }
            }
            _ => Change::Everything,
        }
    }

    /// Whether it names many paths: a bulk change (a checkout, a copied
    /// folder) that may still be under way.
    pub fn is_bulk(&self) -> bool {
        match self {
            Change::Files { content, settings } => *settings || content.len() > 3,
            Change::Everything => true,
        }
    }
}

/// What the watcher reports: an event, or an error (events were lost).
pub type Report = notify::Result<notify::Event>;

/// Sorts one event of the watcher. `None` when nothing that matters
/// changed (reads, editors' swap files, files outside the sources).
pub fn classify(root: &Path, report: &Report) -> Option<Change> {
    let ev = match report {
        Ok(ev) => ev,
        Err(_) => return Some(Change::Everything),
    };
    if ev.kind.is_access() {
        return None;
    }
    if ev.need_rescan() {
        return Some(Change::Everything);
    }
    let mut content = BTreeSet::new();
    let mut settings = false;
    for path in &ev.paths {
        let Ok(rel) = path.strip_prefix(root) else { continue };
        if rel.iter().any(|c| is_noise(&c.to_string_lossy())) {
            continue;
        }
        match rel.iter().next().and_then(|c| c.to_str()) {
            // the folder itself replaced, removed or made (a sync tool,
            // an unzip): every file in it may differ
            Some("content") if rel.iter().count() == 1 => return Some(Change::Everything),
            Some("content") => {
                content.insert(path.clone());
            }
            Some("themes" | "i18n") => settings = true,
            Some("site.yaml") if rel.iter().count() == 1 => settings = true,
            _ => {}
        }
    }
    (settings || !content.is_empty()).then_some(Change::Files { content, settings })
}

/// A running watcher; dropping it stops watching.
pub enum SiteWatcher {
    Events(RecommendedWatcher, Watched),
    Poll(PollWatcher, Watched),
}

/// The folders watched, with what each was when its watch began: a folder
/// replaced by another of the same name (`mv content old && cp -r old
/// content`) is another folder, whose watch must begin again.
pub type Watched = BTreeMap<PathBuf, Option<Identity>>;

/// What tells one folder from another at the same path.
pub type Identity = (u64, u64);

fn identity(dir: &Path) -> Option<Identity> {
    let meta = std::fs::metadata(dir).ok()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        // no inode: the creation time tells a copied folder from the old one
        let t = meta.created().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?;
        Some((t.as_secs(), u64::from(t.subsec_nanos())))
    }
}

impl SiteWatcher {
    /// Starts watching `root`, sending each event to `tx`. With `poll`,
    /// the folders are scanned every 500 ms instead (for file systems
    /// without change events).
    pub fn start(root: &Path, poll: bool, tx: Sender<Report>) -> notify::Result<SiteWatcher> {
        let mut w = if poll {
            let config = notify::Config::default().with_poll_interval(Duration::from_millis(500));
            SiteWatcher::Poll(PollWatcher::new(tx, config)?, Watched::new())
        } else {
            SiteWatcher::Events(RecommendedWatcher::new(tx, notify::Config::default())?, Watched::new())
        };
        w.ensure(root)?;
        Ok(w)
    }

    /// Watches the root (for `site.yaml` and new folders) and each source
    /// folder that exists and is not watched yet, or was replaced since its
    /// watch began; call it after every change.
    pub fn ensure(&mut self, root: &Path) -> notify::Result<()> {
        match self {
            SiteWatcher::Events(d, seen) => ensure(d, seen, root),
            SiteWatcher::Poll(d, seen) => ensure(d, seen, root),
        }
    }
}

fn ensure(d: &mut impl Watcher, seen: &mut Watched, root: &Path) -> notify::Result<()> {
    if !seen.contains_key(root) {
        d.watch(root, RecursiveMode::NonRecursive)?;
        seen.insert(root.to_path_buf(), identity(root));
    }
    for name in FOLDERS {
        let dir = root.join(name);
        let now = identity(&dir).filter(|_| dir.is_dir());
        match seen.get(&dir) {
            Some(was) if *was == now => continue,
            // replaced or gone: the old watch follows the old folder
            Some(_) => {
                let _ = d.unwatch(&dir);
                seen.remove(&dir);
            }
            None => {}
        }
        if now.is_some() {
            d.watch(&dir, RecursiveMode::Recursive)?;
            seen.insert(dir, now);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{AccessKind, CreateKind, EventKind, ModifyKind};

    fn ev(kind: EventKind, paths: &[&str]) -> Report {
        let mut e = notify::Event::new(kind);
        e.paths = paths.iter().map(PathBuf::from).collect();
        Ok(e)
    }

    /// The events taken one by one, merged as serve's loop merges them.
    fn classify_all(root: &Path, events: &[Report]) -> Option<Change> {
        events.iter().filter_map(|e| classify(root, e)).reduce(Change::merge)
    }

    #[test]
    fn events_are_sorted_by_what_they_touch() {
        let root = Path::new("/site");
        let edit = ev(EventKind::Modify(ModifyKind::Any), &["/site/content/cases/a/index.nl.md"]);
        let swap = ev(EventKind::Create(CreateKind::File), &["/site/content/cases/a/.index.nl.md.swp"]);
        let read = ev(EventKind::Access(AccessKind::Any), &["/site/content/cases/b/index.nl.md"]);
        let out = ev(EventKind::Create(CreateKind::File), &["/site/output/index.html", "/site/README.md"]);
        let got = classify_all(root, &[edit, swap, read, out]);
        let want: BTreeSet<PathBuf> = [PathBuf::from("/site/content/cases/a/index.nl.md")].into();
        assert_eq!(got, Some(Change::Files { content: want, settings: false }));
        let out = ev(EventKind::Create(CreateKind::File), &["/site/output/index.html", "/site/README.md"]);
        assert_eq!(classify(root, &out), None);
        let theme = ev(EventKind::Modify(ModifyKind::Any), &["/site/themes/x/style.css"]);
        let settings = Some(Change::Files { content: BTreeSet::new(), settings: true });
        assert_eq!(classify(root, &theme), settings);
        let config = ev(EventKind::Modify(ModifyKind::Any), &["/site/site.yaml"]);
        assert_eq!(classify(root, &config), settings);
        let lost = notify::Error::generic("queue overflow");
        assert_eq!(classify(root, &Err(lost)), Some(Change::Everything));
        let rescan = Ok(notify::Event::new(EventKind::Other).set_flag(notify::event::Flag::Rescan));
        assert_eq!(classify(root, &rescan), Some(Change::Everything));
    }
}
