//! `vitrine serve`: builds the site in memory, serves it, watches the
//! sources and rebuilds what a change touches, then reloads open pages.
//! The server always answers from the last good build; problems of a
//! failed rebuild are printed and shown over the page until fixed.

mod cms;
mod http;
mod rebuild;
mod snapshot;
mod watch;

pub use rebuild::{Outcome, Rebuilder};
pub use snapshot::{Body, Snapshot};
pub use watch::Change;

use crate::pipeline::Options;
use http::{Notice, Served, State};
use std::path::Path;
use std::sync::{Arc, mpsc};
use std::time::Duration;

/// What `vitrine serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site, its drafts and cache (its address is the server's own).
    pub site: Options,
    pub bind: String,
    pub port: u16,
    pub open: bool,
    pub poll: bool,
    /// Host names answered besides localhost, IP addresses and `bind`.
    pub allow_host: Vec<String>,
}

/// Runs the server until the process is stopped. Returns an error message
/// only when it cannot start (a busy port, no watcher).
pub fn run(opts: &ServeOptions) -> Result<(), String> {
    // the watcher reports absolute paths: the root they are matched against must be one too
    let Ok(root) = opts.site.root.canonicalize().map_err(|_| ()).and_then(|r| if r.is_dir() { Ok(r) } else { Err(()) })
    else {
        return Err(format!("no site folder at {} (`--root` names it)", opts.site.root.display()));
    };
    let listener = listen(&opts.bind, opts.port).map_err(|e| {
        format!(
            "cannot listen on {}:{}: {e} (is another server running there? `--port 0` picks a free port)",
            opts.bind, opts.port
        )
    })?;
    let addr = listener.local_addr().map_err(|e| format!("cannot listen on {}:{}: {e}", opts.bind, opts.port))?;
    let host = if addr.ip().is_unspecified() { "127.0.0.1".to_string() } else { addr.ip().to_string() };
    let host = if host.contains(':') { format!("[{host}]") } else { host };
    let url = format!("http://{host}:{}/", addr.port());

    // watch before the first build and before saying where we listen, so
    // that no save made from then on goes unseen
    let (tx, rx) = mpsc::channel::<cms::Event>();
    let watched = tx.clone();
    let on_event = move |report| {
        let _ = watched.send(cms::Event::Watch(report));
    };
    let mut watcher = watch::SiteWatcher::start(&root, opts.poll, on_event)
        .map_err(|e| format!("cannot watch {}: {e} (try `--poll`)", opts.site.root.display()))?;
    let mut rebuilder = Rebuilder::new(Options {
        root: root.clone(),
        base_url: Some(url.clone()),
        cms_local: true,
        deflate_texts: true,
        ..opts.site.clone()
    });
    // the first build: the homes, the language choice and the theme's
    // files first, served while the rest is made (a request for another
    // file waits for it), then the whole site
    let start = std::time::Instant::now();
    let front = rebuilder.rebuild_front();
    let editor = http::Editor { root: root.clone(), saves: tx.clone() };
    let served = Served { partial: rebuilder.has_built(), ..served_of(&front, &rebuilder, &root) };
    let state = Arc::new(State::new(served, Some(editor)));
    let hosts = http::Hosts::new(opts.allow_host.iter().map(String::as_str).chain([opts.bind.as_str()]));
    http::serve(listener, state.clone(), hosts).map_err(|e| format!("cannot start serving: {e}"))?;
    let first = first_build(&front, rebuilder.rebuild(None), start);
    if matches!(first, Outcome::Failed { .. }) {
        rebuilder.forget();
    }
    state.complete(served_of(&first, &rebuilder, &root));
    print_outcome(&first, false);
    let mut showing_problems = matches!(first, Outcome::Failed { .. });
    {
        let state = state.clone();
        std::thread::spawn(move || {
            loop {
                std::thread::sleep(Duration::from_secs(15));
                state.ping();
            }
        });
    }
    println!("serving {} at {url} (Ctrl-C stops)", crate::diagnostic::display_path(&root, Path::new("")).display());
    if opts.open {
        open_browser(&url);
    }
    // the search index once the pages are served, beside the next rebuild
    // (one at a time: a newer site's waits for the one being made)
    let later = |rebuilder: &mut Rebuilder| {
        if let Some(make) = rebuilder.later() {
            let tx = tx.clone();
            std::thread::spawn(move || {
                let _ = tx.send(cms::Event::Later(make()));
            });
        }
    };

    // saves from the web editor, and indexes made, that came while a change was gathered
    let mut saves = std::collections::VecDeque::new();
    let mut made_meanwhile = Vec::new();
    loop {
        // the search index is made after the pages, and taken in here:
        // neither a reload nor the next save waits for it
        for made in made_meanwhile.drain(..) {
            if rebuilder.take(made) {
                state.update_files(rebuilder.snapshot());
            }
        }
        later(&mut rebuilder);
        let report = match saves.pop_front() {
            Some(save) => {
                answer_save(&mut rebuilder, &root, save);
                continue;
            }
            None => match rx.recv() {
                Ok(cms::Event::Watch(report)) => report,
                Ok(cms::Event::Save(save)) => {
                    saves.push_back(save);
                    continue;
                }
                Ok(cms::Event::Later(made)) => {
                    made_meanwhile.push(made);
                    continue;
                }
                Err(_) => break,
            },
        };
        let mut next = |wait| loop {
            let event = match wait {
                watch::Wait::Queued => rx.try_recv().ok(),
                watch::Wait::Quiet(time) => rx.recv_timeout(time).ok(),
            };
            match event? {
                cms::Event::Watch(report) => return Some(report),
                cms::Event::Save(save) => saves.push_back(save),
                cms::Event::Later(made) => made_meanwhile.push(made),
            }
        };
        let Some(change) = watch::gather(&root, &report, &mut next) else {
            continue;
        };
        // a source folder made, or replaced as a whole, is watched anew
        let _ = watcher.ensure(&root);
        let built_before = rebuilder.has_built();
        let outcome = rebuilder.rebuild(Some(change));
        let notice = match &outcome {
            Outcome::Built { css_only: true, .. } => Some(Notice::Css),
            Outcome::Built { .. } => Some(Notice::Reload),
            // an undo: the site is as it was, but the problems shown are gone
            Outcome::Unchanged { .. } if showing_problems => Some(Notice::Cleared),
            Outcome::Unchanged { .. } => None,
            Outcome::Failed { .. } => Some(Notice::Problems),
        };
        showing_problems = matches!(outcome, Outcome::Failed { .. });
        if let Some(notice) = notice {
            state.publish(served_of(&outcome, &rebuilder, &root), notice);
        }
        // said once it is served: whoever reads "built in" (an editor, a
        // test) finds the new site there
        print_outcome(&outcome, built_before);
    }
    Ok(())
}

/// Checks a save of the web editor against the site and writes it when
/// the site still builds with it (the watcher then sees it as any save).
fn answer_save(rebuilder: &mut Rebuilder, root: &Path, save: cms::Save) {
    let problems = rebuilder.check_save(&save.changes);
    let verdict = if problems.is_empty() {
        cms::write(root, &save.changes)
    } else {
        let prefix = format!("{}{}", root.display(), std::path::MAIN_SEPARATOR);
        let lines: Vec<String> = problems.iter().map(|d| d.to_string().replace(&prefix, "")).collect();
        crate::diagnostic::report::print(&problems);
        eprintln!("the web editor's save was refused: the site would not build with it");
        Err(format!("vitrine did not save: the site would not build with this.\n{}", lines.join("\n")))
    };
    let _ = save.reply.send(verdict);
}

/// A listener for `bind:port` whose connections answer without delay
/// (`TCP_NODELAY`: without it, a response on a reused connection waits
/// about 40 ms for the client's delayed ACK; set on each connection too,
/// as not every system passes it on), with room for a browser's burst of
/// connections (a backlog of 1,024; the standard library's is 128).
fn listen(bind: &str, port: u16) -> std::io::Result<std::net::TcpListener> {
    use std::net::ToSocketAddrs;
    let addr = (bind, port)
        .to_socket_addrs()?
        .next()
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "no such address"))?;
    #[cfg(unix)]
    {
        use rustix::net::{AddressFamily, SocketType, sockopt};
        let family = if addr.is_ipv4() { AddressFamily::INET } else { AddressFamily::INET6 };
        let socket = rustix::net::socket(family, SocketType::STREAM, None)?;
        rustix::io::fcntl_setfd(&socket, rustix::io::FdFlags::CLOEXEC)?;
        sockopt::set_socket_reuseaddr(&socket, true)?;
        sockopt::set_tcp_nodelay(&socket, true)?;
        rustix::net::bind(&socket, &addr)?;
        rustix::net::listen(&socket, 1024)?;
        Ok(socket.into())
    }
    #[cfg(not(unix))]
    std::net::TcpListener::bind(addr)
}

fn served_of(outcome: &Outcome, rebuilder: &Rebuilder, root: &Path) -> Served {
    // the page shows paths inside the site, never where it lies on the machine
    let prefix = format!("{}{}", root.display(), std::path::MAIN_SEPARATOR);
    let problems = match outcome {
        Outcome::Failed { diagnostics } => diagnostics.iter().map(|d| d.to_string().replace(&prefix, "")).collect(),
        _ => Vec::new(),
    };
    Served {
        snapshot: rebuilder.snapshot(),
        build: rebuilder.build_id().to_string(),
        problems,
        config: rebuilder.config(),
        partial: false,
    }
}

/// The first build as one: its front ([`Rebuilder::rebuild_front`]) and
/// the `rest`, in the time since `start`.
fn first_build(front: &Outcome, rest: Outcome, start: std::time::Instant) -> Outcome {
    let millis = start.elapsed().as_millis();
    let front_changed = match front {
        Outcome::Built { changed, .. } => *changed,
        _ => 0,
    };
    match rest {
        Outcome::Built { summary, changed, warnings, .. } => {
            Outcome::Built { summary, changed: front_changed + changed, css_only: false, warnings, millis }
        }
        Outcome::Unchanged { .. } => match front {
            Outcome::Built { summary, changed, warnings, .. } => Outcome::Built {
                summary: *summary,
                changed: *changed,
                css_only: false,
                warnings: warnings.clone(),
                millis,
            },
            _ => Outcome::Unchanged { millis },
        },
        failed @ Outcome::Failed { .. } => failed,
    }
}

/// Prints what a rebuild did; `built_before`: some build succeeded before.
fn print_outcome(outcome: &Outcome, built_before: bool) {
    match outcome {
        Outcome::Built { warnings, millis, changed, summary, .. } => {
            crate::diagnostic::report::print(warnings);
            use crate::diagnostic::report::count;
            println!(
                "built in {millis} ms: {} changed ({}, {}, {} in all)",
                count(*changed, "file"),
                count(summary.pages, "page"),
                count(summary.posters, "poster"),
                count(summary.files, "file")
            );
        }
        Outcome::Unchanged { millis } => println!("rebuilt in {millis} ms: no output changed"),
        Outcome::Failed { diagnostics } => {
            crate::diagnostic::report::print(diagnostics);
            let n = diagnostics.iter().filter(|d| d.is_error()).count();
            let served = if built_before {
                "still serving the last good version"
            } else {
                "no version of the site has built yet: every page shows these problems until one does"
            };
            eprintln!("build failed with {}; {served}", crate::diagnostic::report::count(n, "error"));
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpStream;

    #[test]
    fn accepted_connections_answer_without_delay() {
        let listener = listen("127.0.0.1", 0).unwrap();
        let addr = listener.local_addr().unwrap();
        let _client = TcpStream::connect(addr).unwrap();
        let (accepted, _) = listener.accept().unwrap();
        assert!(accepted.nodelay().unwrap());
    }
}
