//! `vitrine serve`: builds the site in memory, serves it, watches the
//! sources and rebuilds what a change touches, then reloads open pages.
//! The server always answers from the last good build; problems of a
//! failed rebuild are printed and shown over the page until fixed.

mod http;
mod rebuild;
mod snapshot;
mod watch;

pub use rebuild::{Outcome, Rebuilder};
pub use snapshot::{Body, Snapshot};
pub use watch::Change;

use http::{Notice, Served, State};
use std::path::PathBuf;
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

/// What `vitrine serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: String,
    pub port: u16,
    pub open: bool,
    pub poll: bool,
    pub drafts: bool,
}

/// Threads answering requests; an open event stream holds none of them.
const HTTP_THREADS: usize = 8;

/// How long a bulk change (a checkout, a copied folder) may go quiet
/// before its rebuild starts.
const SETTLE: Duration = Duration::from_millis(40);

/// Runs the server until the process is stopped. Returns an error message
/// only when it cannot start (a busy port, no watcher).
pub fn run(opts: &ServeOptions) -> Result<(), String> {
    if !opts.root.is_dir() {
        return Err(format!("no site folder at {} (`--root` names it)", opts.root.display()));
    }
    let server = tiny_http::Server::http((opts.bind.as_str(), opts.port)).map_err(|e| {
        format!(
            "cannot listen on {}:{}: {e} (is another server running there? `--port 0` picks a free port)",
            opts.bind, opts.port
        )
    })?;
    let addr = server.server_addr().to_ip().ok_or("the server has no IP address")?;
    let host = if addr.ip().is_unspecified() { "127.0.0.1".to_string() } else { addr.ip().to_string() };
    let host = if host.contains(':') { format!("[{host}]") } else { host };
    let url = format!("http://{host}:{}/", addr.port());

    // watch before the first build and before saying where we listen, so
    // that no save made from then on goes unseen
    let (tx, rx) = mpsc::channel();
    let mut watcher = watch::SiteWatcher::start(&opts.root, opts.poll, tx)
        .map_err(|e| format!("cannot watch {}: {e} (try `--poll`)", opts.root.display()))?;
    let mut rebuilder = Rebuilder::new(&opts.root, &url, opts.drafts, crate::poster::Cache::user());
    let first = rebuilder.rebuild(None);
    print_outcome(&first);
    let state = Arc::new(State::new(served_of(&first, &rebuilder)));
    let server = Arc::new(server);
    http::run_pool(server, state.clone(), HTTP_THREADS);
    {
        let state = state.clone();
        std::thread::spawn(move || {
            loop {
                std::thread::sleep(Duration::from_secs(15));
                state.ping();
            }
        });
    }
    println!("serving {} at {url} (Ctrl-C stops)", opts.root.display());
    if opts.open {
        open_browser(&url);
    }

    while let Ok(batch) = rx.recv() {
        let Some(mut change) = watch::classify(&opts.root, &batch) else {
            continue;
        };
        // a bulk change arrives in several batches: take them as one
        let wait = if change.is_bulk() { SETTLE } else { Duration::ZERO };
        let deadline = Instant::now() + Duration::from_secs(2);
        while let Ok(more) = rx.recv_timeout(wait) {
            if let Some(c) = watch::classify(&opts.root, &more) {
                change = change.merge(c);
            }
            if Instant::now() > deadline {
                break;
            }
        }
        if change.is_bulk() {
            let _ = watcher.ensure(&opts.root);
        }
        let outcome = rebuilder.rebuild(Some(change));
        print_outcome(&outcome);
        let notice = match &outcome {
            Outcome::Built { css_only: true, .. } => Notice::Css,
            Outcome::Built { .. } => Notice::Reload,
            Outcome::Unchanged { .. } => continue,
            Outcome::Failed { .. } => Notice::Problems,
        };
        state.publish(served_of(&outcome, &rebuilder), notice);
    }
    Ok(())
}

fn served_of(outcome: &Outcome, rebuilder: &Rebuilder) -> Served {
    let problems = match outcome {
        Outcome::Failed { diagnostics } => diagnostics.iter().map(ToString::to_string).collect(),
        _ => Vec::new(),
    };
    Served { snapshot: rebuilder.snapshot(), build: rebuilder.build_id().to_string(), problems }
}

fn print_outcome(outcome: &Outcome) {
    match outcome {
        Outcome::Built { warnings, millis, changed, summary, .. } => {
            crate::report::print(warnings);
            println!(
                "built in {millis} ms: {changed} files changed ({} pages, {} posters, {} files in all)",
                summary.pages, summary.posters, summary.files
            );
        }
        Outcome::Unchanged { millis } => println!("rebuilt in {millis} ms: no output changed"),
        Outcome::Failed { diagnostics } => {
            crate::report::print(diagnostics);
            let n = diagnostics.iter().filter(|d| d.is_error()).count();
            eprintln!(
                "build failed with {n} error{}; still serving the last good version",
                if n == 1 { "" } else { "s" }
            );
        }
    }
}

fn open_browser(url: &str) {
    let cmd = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(cmd).arg(url).spawn() {
        eprintln!("cannot open a browser ({cmd}: {e}); open {url} yourself");
    }
}
