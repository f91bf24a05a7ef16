//! Watching the site folder: a debounced notify watcher on `site.yaml`,
//! `content/`, `themes/` and `i18n/`, and the sorting of its events into
//! what a rebuild must read again.

use crate::files::is_noise;
use notify::{PollWatcher, RecommendedWatcher, RecursiveMode, Watcher};
use notify_debouncer_full::{
    DebounceEventResult, Debouncer, FileIdCache, NoCache, RecommendedCache, new_debouncer_opt,
};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

/// Quiet time after an event before it is passed on: long enough to merge
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

/// Sorts a batch of debounced events. `None` when nothing that matters
/// changed (reads, editors' swap files, files outside the sources).
pub fn classify(root: &Path, batch: &DebounceEventResult) -> Option<Change> {
    let events = match batch {
        Ok(events) => events,
        Err(_) => return Some(Change::Everything),
    };
    let mut content = BTreeSet::new();
    let mut settings = false;
    for ev in events {
        if ev.kind.is_access() {
            continue;
        }
        if ev.need_rescan() {
            return Some(Change::Everything);
        }
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
    }
    (settings || !content.is_empty()).then_some(Change::Files { content, settings })
}

/// A running watcher; dropping it stops watching.
pub enum SiteWatcher {
    Events(Debouncer<RecommendedWatcher, RecommendedCache>, Watched),
    Poll(Debouncer<PollWatcher, NoCache>, Watched),
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
    /// Starts watching `root`, sending each batch of events to `tx`. With
    /// `poll`, the folders are scanned every 500 ms instead (for file
    /// systems without change events).
    pub fn start(root: &Path, poll: bool, tx: Sender<DebounceEventResult>) -> notify::Result<SiteWatcher> {
        let mut w = if poll {
            let config = notify::Config::default().with_poll_interval(Duration::from_millis(500));
            SiteWatcher::Poll(new_debouncer_opt(DEBOUNCE, None, tx, NoCache, config)?, Watched::new())
        } else {
            let config = notify::Config::default();
            SiteWatcher::Events(new_debouncer_opt(DEBOUNCE, None, tx, RecommendedCache::new(), config)?, Watched::new())
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

fn ensure<T: Watcher, C: FileIdCache>(d: &mut Debouncer<T, C>, seen: &mut Watched, root: &Path) -> notify::Result<()> {
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
    use notify_debouncer_full::DebouncedEvent;
    use std::time::Instant;

    fn ev(kind: EventKind, paths: &[&str]) -> DebouncedEvent {
        let mut e = notify::Event::new(kind);
        e.paths = paths.iter().map(PathBuf::from).collect();
        DebouncedEvent::new(e, Instant::now())
    }

    #[test]
    fn events_are_sorted_by_what_they_touch() {
        let root = Path::new("/site");
        let edit = ev(EventKind::Modify(ModifyKind::Any), &["/site/content/cases/a/index.nl.md"]);
        let swap = ev(EventKind::Create(CreateKind::File), &["/site/content/cases/a/.index.nl.md.swp"]);
        let read = ev(EventKind::Access(AccessKind::Any), &["/site/content/cases/b/index.nl.md"]);
        let out = ev(EventKind::Create(CreateKind::File), &["/site/output/index.html", "/site/README.md"]);
        let got = classify(root, &Ok(vec![edit, swap, read, out.clone()]));
        let want: BTreeSet<PathBuf> = [PathBuf::from("/site/content/cases/a/index.nl.md")].into();
        assert_eq!(got, Some(Change::Files { content: want, settings: false }));
        assert_eq!(classify(root, &Ok(vec![out])), None);
        let theme = ev(EventKind::Modify(ModifyKind::Any), &["/site/themes/x/style.css"]);
        let settings = Some(Change::Files { content: BTreeSet::new(), settings: true });
        assert_eq!(classify(root, &Ok(vec![theme])), settings);
        let config = ev(EventKind::Modify(ModifyKind::Any), &["/site/site.yaml"]);
        assert_eq!(classify(root, &Ok(vec![config])), settings);
        assert_eq!(classify(root, &Err(vec![])), Some(Change::Everything));
    }
}
