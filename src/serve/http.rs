//! The HTTP side of `serve`: answers requests from the current snapshot on
//! a pool of threads, injects the reload script into pages, and keeps the
//! Server-Sent Events streams that rebuilds write to.

use super::snapshot::Snapshot;
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use std::io::Write;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, SyncSender};
use std::sync::{Arc, Mutex, RwLock};
use tiny_http::{Header, Request, Response, StatusCode};

/// The path of the event stream pages listen on.
const EVENTS: &str = "__vitrine/events";

/// What every request thread reads: the last good build and the problems
/// of the last rebuild, swapped as a whole by the rebuild thread.
pub struct State {
    served: RwLock<Arc<Served>>,
    hub: Hub,
}

/// One state of the server, replaced as a whole.
pub struct Served {
    pub snapshot: Arc<Snapshot>,
    /// Changes with every successful build; a page that reconnects to a
    /// server with another build id reloads.
    pub build: String,
    /// The diagnostics of the last rebuild when it failed, as printed.
    pub problems: Vec<String>,
}

/// What a rebuild tells open pages.
pub enum Notice {
    /// The site changed: reload.
    Reload,
    /// Only stylesheets changed: swap them without a reload.
    Css,
    /// The rebuild failed: show these problems over the page.
    Problems,
    /// The problems shown are gone and the site is as it was (an undo):
    /// take the overlay away.
    Cleared,
}

impl State {
    /// A server state to start with.
    pub fn new(served: Served) -> State {
        State { served: RwLock::new(Arc::new(served)), hub: Hub::default() }
    }

    fn current(&self) -> Arc<Served> {
        self.served.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Puts a new state in place, then tells every open page.
    pub fn publish(&self, served: Served, notice: Notice) {
        let served = Arc::new(served);
        *self.served.write().unwrap_or_else(|e| e.into_inner()) = served.clone();
        let (event, data) = match notice {
            Notice::Reload => ("reload", served.build.clone()),
            Notice::Css => ("css", served.build.clone()),
            Notice::Problems | Notice::Cleared => ("problems", json_lines(&served.problems)),
        };
        if matches!(notice, Notice::Reload | Notice::Css) {
            self.hub.send("problems", "[]");
        }
        self.hub.send(event, &data);
    }

    /// Keeps idle streams alive and drops the ones whose page is gone.
    pub fn ping(&self) {
        self.hub.send_raw(b": ping\n\n");
    }
}

/// How many events may wait for a client before it counts as gone: a
/// page that reads them never has more than a few queued.
const QUEUE: usize = 64;

/// The open event streams. Each has a thread of its own that writes its
/// queue to the socket; sending only queues, so no lock is ever held across
/// I/O, and a client whose queue fills (a frozen tab, a phone gone from the
/// Wi-Fi) is dropped instead of holding up the others.
#[derive(Default)]
struct Hub {
    streams: Mutex<Vec<Stream>>,
}

struct Stream {
    queue: SyncSender<Arc<[u8]>>,
    /// Set when the hub dropped the client: its thread stops writing.
    dropped: Arc<AtomicBool>,
}

impl Hub {
    fn send(&self, event: &str, data: &str) {
        self.send_raw(format!("event: {event}\ndata: {data}\n\n").as_bytes());
    }

    fn send_raw(&self, bytes: &[u8]) {
        let bytes: Arc<[u8]> = Arc::from(bytes);
        let mut streams = self.streams.lock().unwrap_or_else(|e| e.into_inner());
        streams.retain(|s| {
            let kept = s.queue.try_send(bytes.clone()).is_ok();
            if !kept {
                s.dropped.store(true, Ordering::Relaxed);
            }
            kept
        });
    }

    /// Takes over the connection of `req` (tiny_http would buffer a streamed
    /// response) and keeps it open for events, written by a thread of its own.
    fn subscribe(&self, req: Request, state: &State) {
        let (queue, events) = mpsc::sync_channel::<Arc<[u8]>>(QUEUE);
        let dropped = Arc::new(AtomicBool::new(false));
        let mut w = req.into_writer();
        let stop = dropped.clone();
        let spawned = std::thread::Builder::new().name("vitrine-events".into()).stack_size(64 << 10).spawn(move || {
            // a write to a client that stopped reading fails after the
            // listener's send timeout, and the stream ends
            for bytes in events {
                if stop.load(Ordering::Relaxed) || w.write_all(&bytes).and_then(|()| w.flush()).is_err() {
                    break;
                }
            }
        });
        if spawned.is_err() {
            return;
        }
        // the greeting is queued under the lock, so that no event published
        // meanwhile is missed or comes before it
        let mut streams = self.streams.lock().unwrap_or_else(|e| e.into_inner());
        let served = state.current();
        let hello = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\
             Connection: keep-alive\r\n\r\nretry: 500\n\nevent: hello\ndata: {}\n\nevent: problems\ndata: {}\n\n",
            served.build,
            json_lines(&served.problems)
        );
        if queue.try_send(Arc::from(hello.as_bytes())).is_ok() {
            streams.push(Stream { queue, dropped });
        }
    }
}

/// Answers requests until the server is unblocked, on `threads` threads.
/// A handler that panics loses its request (tiny_http answers it with 500),
/// never its thread.
pub fn run_pool(server: Arc<tiny_http::Server>, state: Arc<State>, threads: usize) -> Vec<std::thread::JoinHandle<()>> {
    (0..threads)
        .map(|_| {
            let server = server.clone();
            let state = state.clone();
            std::thread::spawn(move || {
                while let Ok(req) = server.recv() {
                    let _ = std::panic::catch_unwind(AssertUnwindSafe(|| handle(req, &state)));
                }
            })
        })
        .collect()
}

/// A response header; `None` for a value that is not one (it is left out).
fn header(name: &str, value: &str) -> Option<Header> {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).ok()
}

/// Characters kept as they are in a `Location` path segment.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'\\')
    .add(b'^')
    .add(b'|');

fn respond(req: Request, status: u16, content_type: &str, body: Vec<u8>, extra: Option<Header>) {
    let headers = [header("Content-Type", content_type), header("Cache-Control", "no-store"), extra];
    if is_http10_keep_alive(&req) {
        return respond_http10(req, status, headers.into_iter().flatten(), &body);
    }
    let mut resp = Response::from_data(body).with_status_code(StatusCode(status));
    for h in headers.into_iter().flatten() {
        resp = resp.with_header(h);
    }
    // a client that went away is not our problem
    let _ = req.respond(resp);
}

/// An HTTP/1.0 request that asks to keep the connection: tiny_http keeps it
/// but cannot say so (it drops a `Connection` header), and a client that is
/// not told waits for the connection to close.
fn is_http10_keep_alive(req: &Request) -> bool {
    *req.http_version() == tiny_http::HTTPVersion(1, 0)
        && req
            .headers()
            .iter()
            .any(|h| h.field.equiv("Connection") && h.value.as_str().to_ascii_lowercase().contains("keep-alive"))
}

/// Writes the response itself, with `Connection: keep-alive`.
fn respond_http10(req: Request, status: u16, headers: impl Iterator<Item = Header>, body: &[u8]) {
    let head_only = *req.method() == tiny_http::Method::Head;
    let reason = StatusCode(status).default_reason_phrase();
    let mut out = format!("HTTP/1.0 {status} {reason}\r\n");
    for h in headers {
        out.push_str(&format!("{}: {}\r\n", h.field, h.value));
    }
    out.push_str(&format!("Content-Length: {}\r\nConnection: keep-alive\r\n\r\n", body.len()));
    let mut w = req.into_writer();
    let _ = w.write_all(out.as_bytes()).and_then(|()| if head_only { Ok(()) } else { w.write_all(body) });
    let _ = w.flush();
}

fn text(req: Request, status: u16, body: &str, extra: Option<Header>) {
    respond(req, status, "text/plain; charset=utf-8", body.as_bytes().to_vec(), extra)
}

fn handle(req: Request, state: &State) {
    let Some(target) = Target::parse(req.url()) else {
        return text(req, 400, "bad request path\n", None);
    };
    let get = matches!(req.method(), tiny_http::Method::Get | tiny_http::Method::Head);
    if !get || (target.rel == EVENTS && *req.method() != tiny_http::Method::Get) {
        let allow = if target.rel == EVENTS { "GET" } else { "GET, HEAD" };
        return text(req, 405, "method not allowed\n", header("Allow", allow));
    }
    if target.rel == EVENTS {
        return state.hub.subscribe(req, state);
    }
    let served = state.current();
    let snap = &served.snapshot;
    let rel = if target.rel.is_empty() {
        "index.html".to_string()
    } else if target.slash {
        format!("{}/index.html", target.rel)
    } else {
        target.rel.clone()
    };
    let (status, rel) = match snap.get(&rel) {
        Some(_) => (200, rel),
        None if !target.slash && snap.has_index(&target.rel) => {
            let path: Vec<String> =
                target.rel.split('/').map(|seg| utf8_percent_encode(seg, SEGMENT).to_string()).collect();
            let location = format!("/{}/{}", path.join("/"), target.query);
            return text(req, 301, &format!("moved to {location}\n"), header("Location", &location));
        }
        None => (404, "404.html".to_string()),
    };
    let Some(body) = snap.get(&rel) else {
        // no good build yet (or a theme without 404.html): a page that
        // carries the problems and reloads once the site builds
        let status = if snap.files.is_empty() { 503 } else { 404 };
        let page = format!(
            "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>vitrine</title></head>\
             <body><h1>{}</h1></body></html>\n",
            if status == 503 { "The site does not build yet" } else { "Not found" }
        );
        let html = "text/html; charset=utf-8";
        return respond(req, status, html, inject(page.as_bytes(), &served.problems), None);
    };
    let bytes = match body.read() {
        Ok(b) => b,
        // the file went away since the build: say which output, never where it lay on disk
        Err(e) => return text(req, 500, &format!("cannot read {rel}: {}\n", e.kind()), None),
    };
    let content_type = content_type(&rel);
    let bytes = if content_type.starts_with("text/html") { inject(&bytes, &served.problems) } else { bytes.to_vec() };
    respond(req, status, &content_type, bytes, None);
}

/// A request path, decoded and checked: `rel` has no leading slash and no
/// `.`/`..` segment, so it can only name an output path.
#[derive(Debug, PartialEq, Eq)]
struct Target {
    rel: String,
    /// The path ended with a slash: a folder's `index.html` is asked for.
    slash: bool,
    /// `?…` as sent, kept on redirects.
    query: String,
}

impl Target {
    fn parse(url: &str) -> Option<Target> {
        // absolute form: GET http://host/path
        let url = match url.split_once("://") {
            Some((scheme, rest)) if !scheme.contains('/') => rest.find('/').map_or("/", |i| &rest[i..]),
            _ => url,
        };
        let cut = url.find(['?', '#']).unwrap_or(url.len());
        let (path, query) = url.split_at(cut);
        let query =
            if query.starts_with('?') { query.split('#').next().unwrap_or("").to_string() } else { String::new() };
        if !path.starts_with('/') {
            return None;
        }
        // an encoded slash or backslash would join two segments into one
        let lower = path.to_ascii_lowercase();
        if lower.contains("%2f") || lower.contains("%5c") {
            return None;
        }
        let decoded = percent_encoding::percent_decode_str(path).decode_utf8().ok()?;
        let mut parts = Vec::new();
        for seg in decoded.split('/') {
            if seg == "." || seg == ".." || seg.contains(['\\', '\0']) {
                return None;
            }
            if !seg.is_empty() {
                parts.push(seg);
            }
        }
        let slash = decoded.ends_with('/') && !parts.is_empty();
        Some(Target { rel: parts.join("/"), slash, query })
    }
}

fn content_type(rel: &str) -> String {
    let mime = mime_guess::from_path(rel).first_raw().unwrap_or("application/octet-stream");
    let mime = match mime {
        "application/javascript" => "text/javascript",
        m => m,
    };
    if mime.starts_with("text/") || mime == "application/xml" || mime == "image/svg+xml" {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    }
}

/// The page with the reload script before `</body>` (and the problems of a
/// failed rebuild in it, so even a fresh load shows them).
fn inject(page: &[u8], problems: &[String]) -> Vec<u8> {
    let script = include_str!("reload.js").replace("PROBLEMS", &json_lines(problems).replace('<', "\\u003c"));
    let at = page.windows(7).rposition(|w| w.eq_ignore_ascii_case(b"</body>")).unwrap_or(page.len());
    let mut out = Vec::with_capacity(page.len() + script.len() + 32);
    out.extend_from_slice(&page[..at]);
    out.extend_from_slice(b"<script>");
    out.extend_from_slice(script.as_bytes());
    out.extend_from_slice(b"</script>\n");
    out.extend_from_slice(&page[at..]);
    out
}

fn json_lines(lines: &[String]) -> String {
    serde_json::to_string(lines).unwrap_or_else(|_| "[]".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel(url: &str) -> Option<String> {
        Target::parse(url).map(|t| t.rel)
    }

    #[test]
    fn request_paths_never_leave_the_site() {
        for bad in [
            "/../site.yaml",
            "/%2e%2e/site.yaml",
            "/..%2fsite.yaml",
            "/..%5csite.yaml",
            "/..\\site.yaml",
            "/nl/../../etc/passwd",
            "/%c0%ae%c0%ae/x",
            "/..%00/x",
            "http://127.0.0.1:1111/../site.yaml",
            "/nl%2findex.html",
            "/nl%2Findex.html",
            "/nl%5cindex.html",
        ] {
            assert_eq!(rel(bad), None, "{bad}");
        }
        assert_eq!(rel("//etc/passwd").as_deref(), Some("etc/passwd"));
        assert_eq!(rel("/%252e%252e/x").as_deref(), Some("%2e%2e/x"));
        assert_eq!(rel("/nl/cases/x/?a=1").as_deref(), Some("nl/cases/x"));
        assert_eq!(rel("http://localhost/nl/").as_deref(), Some("nl"));
        let t = Target::parse("/nl?x=1").unwrap();
        assert_eq!((t.slash, t.query.as_str()), (false, "?x=1"));
    }

    #[test]
    fn the_script_goes_before_the_body_end() {
        let page = inject(b"<html><body><p>x</p></body></html>", &["a.md:1:1: error: </script>".into()]);
        let page = String::from_utf8(page).unwrap();
        assert!(page.ends_with("</script>\n</body></html>"));
        assert!(page.contains("EventSource"));
        assert!(page.contains("a.md:1:1: error: \\u003c/script>"));
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("nl/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("x/a3.pdf"), "application/pdf");
        assert_eq!(content_type("x/hero.svg"), "image/svg+xml; charset=utf-8");
        assert_eq!(content_type("fonts/a.woff2"), "font/woff2");
    }
}
