//! Watching the site folder: a notify watcher on `site.yaml`, `content/`,
//! `themes/` and `i18n/`, and the sorting of its events into what a rebuild
//! must read again, gathered into one change ([`gather`]) that serve's loop
//! rebuilds when a save has ended ([`ends_save`]) or after [`DEBOUNCE`] of
//! quiet.

use crate::load::files::is_noise;
use notify::event::{AccessKind, AccessMode, EventKind, ModifyKind, RenameMode};
use notify::{PollWatcher, RecommendedWatcher, RecursiveMode, Watcher};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Quiet time after an event before a rebuild starts: long enough to merge
/// an editor's write-then-rename, short enough not to be felt.
pub const DEBOUNCE: Duration = Duration::from_millis(20);

/// How long a bulk change (a checkout, a copied folder) may go quiet
/// before its rebuild starts.
const SETTLE: Duration = Duration::from_millis(40);

/// The longest a change is gathered before it is rebuilt, however busy
/// the folder.
const GATHER_AT_MOST: Duration = Duration::from_secs(2);

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
        match source(root, path) {
            Some(Source::ContentFolder) => return Some(Change::Everything),
            Some(Source::Content) => {
                content.insert(path.clone());
            }
            Some(Source::Settings) => settings = true,
            None => {}
        }
    }
    (settings || !content.is_empty()).then_some(Change::Files { content, settings })
}

/// What a path of an event is to a rebuild.
enum Source {
    /// `content/` itself, replaced, removed or made (a sync tool, an
    /// unzip): every file in it may differ.
    ContentFolder,
    /// A file or folder below `content/`.
    Content,
    /// `site.yaml`, or below `themes/` or `i18n/`.
    Settings,
}

fn source(root: &Path, path: &Path) -> Option<Source> {
    let rel = path.strip_prefix(root).ok()?;
    if rel.iter().any(|c| is_noise(&c.to_string_lossy())) {
        return None;
    }
    let top = rel.iter().next().and_then(|c| c.to_str());
    match top {
        Some("content") if rel.iter().count() == 1 => Some(Source::ContentFolder),
        Some("content") => Some(Source::Content),
        Some("themes" | "i18n") => Some(Source::Settings),
        Some("site.yaml") if rel.iter().count() == 1 => Some(Source::Settings),
        _ => None,
    }
}

/// Whether the event ends a save of a source file: the file closed after
/// writing, or put in place by a rename (an editor's write-then-rename).
/// Then the rebuild need not wait for [`DEBOUNCE`] of quiet. Only inotify
/// (Linux) reports these; elsewhere the quiet time decides.
pub fn ends_save(root: &Path, report: &Report) -> bool {
    let Ok(ev) = report else { return false };
    let ends = matches!(
        ev.kind,
        EventKind::Access(AccessKind::Close(AccessMode::Write))
            | EventKind::Modify(ModifyKind::Name(RenameMode::To | RenameMode::Both))
    );
    // (a rename names the file it leaves, then the one it makes)
    ends && ev.paths.last().is_some_and(|p| source(root, p).is_some())
}

/// What [`gather`] asks the watcher's channel for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    /// An event already there, without waiting.
    Queued,
    /// The next event, if one comes within this time.
    Quiet(Duration),
}

/// The change that `first` begins: the events that follow within a moment
/// are taken as one change (an editor's write-then-rename), and a bulk
/// change, which arrives over a longer time, as one too; once a save has
/// ended ([`ends_save`]) only the events already there are added. `None`
/// when `first` changes nothing that matters.
pub fn gather(root: &Path, first: &Report, mut next: impl FnMut(Wait) -> Option<Report>) -> Option<Change> {
    let mut change = classify(root, first)?;
    let deadline = Instant::now() + GATHER_AT_MOST;
    let mut ended = ends_save(root, first);
    loop {
        let wait = match change.is_bulk() {
            false if ended => Wait::Queued,
            false => Wait::Quiet(DEBOUNCE),
            true => Wait::Quiet(SETTLE),
        };
        let Some(more) = next(wait) else { break };
        if let Some(c) = classify(root, &more) {
            change = change.merge(c);
        }
        ended = ends_save(root, &more);
        if Instant::now() > deadline {
            break;
        }
    }
    Some(change)
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
    pub fn start(root: &Path, poll: bool, tx: impl notify::EventHandler) -> notify::Result<SiteWatcher> {
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
    use notify::event::CreateKind;

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

    #[test]
    fn a_save_ends_when_the_file_is_closed_or_renamed_into_place() {
        let root = Path::new("/site");
        let case = "/site/content/cases/a/index.nl.md";
        let closed = EventKind::Access(AccessKind::Close(AccessMode::Write));
        assert!(ends_save(root, &ev(closed, &[case])));
        let renamed = EventKind::Modify(ModifyKind::Name(RenameMode::Both));
        assert!(ends_save(root, &ev(renamed, &["/site/content/cases/a/.index.nl.md.tmp", case])));
        let moved_in = EventKind::Modify(ModifyKind::Name(RenameMode::To));
        assert!(ends_save(root, &ev(moved_in, &["/site/themes/x/style.css"])));
        // still under way: written, not closed; renamed away (a backup)
        assert!(!ends_save(root, &ev(EventKind::Modify(ModifyKind::Any), &[case])));
        let away = EventKind::Modify(ModifyKind::Name(RenameMode::Both));
        assert!(!ends_save(root, &ev(away, &[case, "/site/content/cases/a/index.nl.md~"])));
        // not a source: a swap file closed, the output written
        assert!(!ends_save(root, &ev(closed, &["/site/content/cases/a/.index.nl.md.swp"])));
        assert!(!ends_save(root, &ev(closed, &["/site/output/index.html"])));
        assert!(!ends_save(root, &Err(notify::Error::generic("queue overflow"))));
    }

    /// Runs [`gather`] over `events`, each either already queued or coming
    /// later (within the quiet time); the events it did not take.
    fn gathered(events: Vec<(bool, Report)>) -> (Option<Change>, usize) {
        let root = Path::new("/site");
        let mut events = std::collections::VecDeque::from(events);
        let first = events.pop_front().unwrap().1;
        let change = gather(root, &first, |wait| match events.front() {
            Some((true, _)) => events.pop_front().map(|e| e.1),
            Some((false, _)) if wait != Wait::Queued => events.pop_front().map(|e| e.1),
            _ => None,
        });
        (change, events.len())
    }

    #[test]
    fn a_save_is_rebuilt_once_it_has_ended_and_not_before() {
        let case = "/site/content/cases/a/index.nl.md";
        let backup = "/site/content/cases/a/index.nl.md~";
        let other = "/site/content/cases/b/index.nl.md";
        let (now, later) = (true, false);
        let name = |mode| EventKind::Modify(ModifyKind::Name(mode));
        let written = EventKind::Modify(ModifyKind::Data(notify::event::DataChange::Any));
        let closed = EventKind::Access(AccessKind::Close(AccessMode::Write));
        // vim with a backup: the file renamed aside, then a new one written
        // a moment later: the moment in between is no end of the save
        let vim = vec![
            (now, ev(name(RenameMode::From), &[case])),
            (now, ev(name(RenameMode::To), &[backup])),
            (now, ev(name(RenameMode::Both), &[case, backup])),
            (later, ev(EventKind::Create(CreateKind::File), &[case])),
            (now, ev(written, &[case])),
            (now, ev(closed, &[case])),
            (later, ev(written, &[other])),
        ];
        let want = Change::Files { content: [PathBuf::from(case)].into(), settings: false };
        assert_eq!(gathered(vim), (Some(want.clone()), 1));
        // written in place and closed: nothing more is waited for
        let plain = vec![(now, ev(written, &[case])), (now, ev(closed, &[case])), (later, ev(written, &[other]))];
        assert_eq!(gathered(plain), (Some(want), 1));
        // a file closed without a change first is no change
        assert_eq!(gathered(vec![(now, ev(closed, &[case]))]), (None, 0));
    }
}
