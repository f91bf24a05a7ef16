//! The HTTP side of `serve`: HTTP/1.1 on a thread per connection, each
//! request answered from the current snapshot, the reload script injected
//! into pages, and the Server-Sent Events streams that rebuilds write to.
//!
//! A client can hold only its own connection: a request head must arrive
//! within [`HEAD_TIME`], each 64 KiB of a response must be taken within
//! [`SEND_TIME`], and the number of connections is capped, so neither a
//! slow reader nor a slow writer stalls the others. Only requests whose
//! `Host` names this server are answered (see [`Hosts`]).

use super::snapshot::Snapshot;
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use std::io::{self, Read, Write};
use std::net::{IpAddr, TcpListener, TcpStream};
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, SyncSender};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

/// How long a client has to send a whole request head, counted from when
/// the server starts waiting for it: also how long a kept-alive connection
/// may stay idle.
pub const HEAD_TIME: Duration = Duration::from_secs(10);

/// How long a client may take to read each [`CHUNK`] of a response (or an
/// event) before it is dropped.
pub const SEND_TIME: Duration = Duration::from_secs(3);

/// The slice of a response that must be taken within [`SEND_TIME`].
const CHUNK: usize = 64 << 10;

/// The largest request head read.
const HEAD_MAX: usize = 16 << 10;

/// Connections open at once; one more is closed at once. A browser opens
/// six per server, and one more per tab for its event stream.
const MAX_CONNECTIONS: usize = 512;

/// How long a request for a file the first build has not made yet waits
/// for it ([`Served::partial`]).
const WHOLE_TIME: Duration = Duration::from_secs(120);

/// The path of the event stream pages listen on.
const EVENTS: &str = "__vitrine/events";

/// What every request thread reads: the last good build and the problems
/// of the last rebuild, swapped as a whole by the rebuild thread.
pub struct State {
    served: RwLock<Arc<Served>>,
    /// Told whenever `served` is replaced (requests waiting for the rest
    /// of a [`Served::partial`] site).
    replaced: (Mutex<()>, std::sync::Condvar),
    hub: Hub,
    /// Where the web editor's saves go, when serve answers its protocol.
    editor: Option<Editor>,
}

/// The web editor's side of the server ([`super::cms`]).
pub struct Editor {
    /// The site folder.
    pub root: std::path::PathBuf,
    /// The rebuild thread, which checks and writes saves.
    pub saves: mpsc::Sender<super::cms::Event>,
}

/// One state of the server, replaced as a whole.
pub struct Served {
    pub snapshot: Arc<Snapshot>,
    /// Changes with every successful build; a page that reconnects to a
    /// server with another build id reloads.
    pub build: String,
    /// The diagnostics of the last rebuild when it failed, as printed.
    pub problems: Vec<String>,
    /// The configuration of the last good build (`None` before one).
    pub config: Option<Arc<crate::model::config::Config>>,
    /// Only the pages a site is opened at, while the first build makes
    /// the rest: a request for another file waits for it.
    pub partial: bool,
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
    pub fn new(served: Served, editor: Option<Editor>) -> State {
        State { served: RwLock::new(Arc::new(served)), replaced: Default::default(), hub: Hub::default(), editor }
    }

    fn current(&self) -> Arc<Served> {
        self.served.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The state once it is no longer [`Served::partial`] (at most
    /// [`WHOLE_TIME`] later; then the partial one).
    fn whole(&self) -> Arc<Served> {
        let deadline = Instant::now() + WHOLE_TIME;
        let (lock, replaced) = &self.replaced;
        let mut guard = lock.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            let served = self.current();
            let left = deadline.saturating_duration_since(Instant::now());
            if !served.partial || left.is_zero() {
                return served;
            }
            guard = replaced.wait_timeout(guard, left).unwrap_or_else(|e| e.into_inner()).0;
        }
    }

    /// Puts `served` in place and wakes the requests waiting for it.
    fn replace(&self, served: Arc<Served>) {
        let _guard = self.replaced.0.lock().unwrap_or_else(|e| e.into_inner());
        *self.served.write().unwrap_or_else(|e| e.into_inner()) = served;
        self.replaced.1.notify_all();
    }

    /// Puts a new state in place, telling no page: the whole site after a
    /// [`Served::partial`] one (the pages open show what they showed).
    pub fn complete(&self, served: Served) {
        self.replace(Arc::new(served));
    }

    /// Puts a new state in place, then tells every open page.
    pub fn publish(&self, served: Served, notice: Notice) {
        let served = Arc::new(served);
        self.replace(served.clone());
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

    /// Serves these files from now on, the build, its problems and
    /// configuration as they are, telling no page (the search index made
    /// after a reload).
    pub fn update_files(&self, snapshot: Arc<Snapshot>) {
        let served = self.current();
        let now = Served {
            snapshot,
            build: served.build.clone(),
            problems: served.problems.clone(),
            config: served.config.clone(),
            partial: served.partial,
        };
        self.replace(Arc::new(now));
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

    /// Keeps `stream` open for events, on the thread of its connection,
    /// until the client goes or falls behind.
    fn subscribe(&self, mut stream: TcpStream, state: &State) {
        let (queue, events) = mpsc::sync_channel::<Arc<[u8]>>(QUEUE);
        let dropped = Arc::new(AtomicBool::new(false));
        {
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
            if queue.try_send(Arc::from(hello.as_bytes())).is_err() {
                return;
            }
            streams.push(Stream { queue, dropped: dropped.clone() });
        }
        for bytes in events {
            if dropped.load(Ordering::Relaxed) || send_all(&mut stream, &bytes).is_err() {
                break;
            }
        }
    }
}

/// Who may be answered: requests whose `Host` is `localhost`, an IP
/// address (rebinding a page to this server needs a name, so addresses
/// are safe), the name the server was bound to, or a name allowed with
/// `--allow-host`. Anything else is a page on another site trying to read
/// the preview through its own name (DNS rebinding).
#[derive(Debug, Clone, Default)]
pub struct Hosts {
    names: Vec<String>,
}

impl Hosts {
    /// `localhost` and these names (compared without case).
    pub fn new<'a>(names: impl IntoIterator<Item = &'a str>) -> Hosts {
        Hosts { names: names.into_iter().map(|n| n.trim_end_matches('.').to_ascii_lowercase()).collect() }
    }

    /// Whether `host` (a `Host` value: a name or address, maybe a port)
    /// names this server.
    fn allows(&self, host: &str) -> bool {
        let name = match host.strip_prefix('[') {
            // [v6] or [v6]:port
            Some(v6) => return v6.split_once(']').is_some_and(|(a, _)| a.parse::<std::net::Ipv6Addr>().is_ok()),
            None => {
                host.rsplit_once(':').filter(|(_, p)| p.bytes().all(|b| b.is_ascii_digit())).map_or(host, |(h, _)| h)
            }
        };
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        name.parse::<IpAddr>().is_ok() || name == "localhost" || self.names.contains(&name)
    }
}

/// Accepts connections on `listener` until the process ends, each on a
/// thread of its own.
pub fn serve(listener: TcpListener, state: Arc<State>, hosts: Hosts) -> io::Result<()> {
    let hosts = Arc::new(hosts);
    let open = Arc::new(AtomicUsize::new(0));
    std::thread::Builder::new().name("vitrine-accept".into()).spawn(move || {
        loop {
            let stream = match listener.accept() {
                Ok((stream, _)) => stream,
                // out of file descriptors, or a connection reset before it
                // was taken: never a reason to stop accepting
                Err(_) => {
                    std::thread::sleep(Duration::from_millis(10));
                    continue;
                }
            };
            if open.fetch_add(1, Ordering::AcqRel) >= MAX_CONNECTIONS {
                open.fetch_sub(1, Ordering::AcqRel);
                continue;
            }
            let (state, hosts, count) = (state.clone(), hosts.clone(), open.clone());
            let spawned =
                std::thread::Builder::new().name("vitrine-http".into()).stack_size(256 << 10).spawn(move || {
                    // a handler that panics loses its connection, never the server
                    let _ = std::panic::catch_unwind(AssertUnwindSafe(|| connection(stream, &state, &hosts)));
                    count.fetch_sub(1, Ordering::AcqRel);
                });
            if spawned.is_err() {
                open.fetch_sub(1, Ordering::AcqRel);
            }
        }
    })?;
    Ok(())
}

/// One request as far as serving it is concerned.
struct Request {
    get: bool,
    head: bool,
    post: bool,
    /// The length of the body (only a `POST` has one).
    length: usize,
    content_type: Option<String>,
    origin: Option<String>,
    target: String,
    host: Option<String>,
    http10: bool,
    keep_alive: bool,
}

/// Answers the requests of one connection, one after the other, until the
/// client closes it, asks to, or stays silent for [`HEAD_TIME`].
fn connection(mut stream: TcpStream, state: &State, hosts: &Hosts) {
    // set on each connection (not inherited from the listener everywhere)
    let _ = stream.set_nodelay(true);
    let mut buf = Vec::with_capacity(2048);
    loop {
        let end = match read_head(&mut stream, &mut buf) {
            Ok(Some(end)) => end,
            Ok(None) => return,
            Err(status) => {
                let _ = send(&mut stream, "HTTP/1.1", &Reply::text(status, "request head too large\n"), false, false);
                return;
            }
        };
        let parsed = parse(&buf[..end]);
        buf.drain(..end);
        let Some(req) = parsed else {
            let _ = send(&mut stream, "HTTP/1.1", &Reply::text(400, "bad request\n"), false, false);
            return;
        };
        // a body is read only for the web editor's JSON posts, sent to a name of this server
        let api = Target::parse(&req.target).is_some_and(|t| t.rel == crate::model::urls::CMS_API)
            && req.host.as_deref().is_some_and(|h| hosts.allows(h));
        if req.length > 0 && !(api && req.is_json()) {
            let refusal = if api {
                Reply::text(415, "send JSON (Content-Type: application/json)\n")
            } else {
                Reply::text(400, "this request takes no body\n")
            };
            let _ = send(&mut stream, "HTTP/1.1", &refusal, false, false);
            return;
        }
        if req.length > super::cms::MAX_BODY {
            let _ = send(&mut stream, "HTTP/1.1", &Reply::text(413, "request too large\n"), false, false);
            return;
        }
        if !read_body(&mut stream, &mut buf, req.length) {
            return;
        }
        let body: Vec<u8> = buf.drain(..req.length).collect();
        match answer(&req, &body, hosts, state) {
            Answer::Events => return state.hub.subscribe(stream, state),
            Answer::Send(reply) => {
                // an HTTP/1.0 client is answered in its version, so it reads `Connection: keep-alive`
                let version = if req.http10 { "HTTP/1.0" } else { "HTTP/1.1" };
                let sent = send(&mut stream, version, &reply, req.keep_alive, req.head).is_ok();
                if !sent || !req.keep_alive {
                    return;
                }
            }
        }
    }
}

/// Reads until `buf` holds a whole request head; its length, or `None`
/// when the client closed the connection or did not finish a head within
/// [`HEAD_TIME`]; `Err` with a status for a head too large.
fn read_head(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Result<Option<usize>, u16> {
    let deadline = Instant::now() + HEAD_TIME;
    let mut scanned: usize = 0;
    loop {
        if let Some(at) = buf[scanned.saturating_sub(3)..].windows(4).position(|w| w == b"\r\n\r\n") {
            return Ok(Some(scanned.saturating_sub(3) + at + 4));
        }
        scanned = buf.len();
        if buf.len() > HEAD_MAX {
            return Err(431);
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return Ok(None);
        }
        let mut chunk = [0u8; 4096];
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return Ok(None),
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
}

impl Request {
    /// Whether its body is JSON, as the web editor sends.
    fn is_json(&self) -> bool {
        let media = self.content_type.as_deref().and_then(|t| t.split(';').next());
        media.is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
    }
}

/// Reads until `buf` holds `length` bytes of body, within [`HEAD_TIME`]
/// for every 64 KiB; `false` when the client did not send them.
fn read_body(stream: &mut TcpStream, buf: &mut Vec<u8>, length: usize) -> bool {
    let deadline = Instant::now() + HEAD_TIME * (1 + (length / CHUNK) as u32).min(30);
    let mut chunk = vec![0u8; 64 << 10];
    while buf.len() < length {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return false;
        }
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return false,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    true
}

/// The request in a head, `None` when it is not HTTP/1.x, or has a body
/// that is not a `POST`'s with a length (only the web editor's posts take one).
fn parse(head: &[u8]) -> Option<Request> {
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut r = httparse::Request::new(&mut headers);
    if !matches!(r.parse(head), Ok(httparse::Status::Complete(_))) {
        return None;
    }
    let http10 = r.version? == 0;
    let value = |name: &str| {
        r.headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| String::from_utf8_lossy(h.value).trim().to_string())
    };
    let method = r.method?;
    let length = match value("Content-Length") {
        Some(v) => v.parse::<usize>().ok()?,
        None => 0,
    };
    if value("Transfer-Encoding").is_some() || (length > 0 && method != "POST") {
        return None;
    }
    let connection = value("Connection").unwrap_or_default().to_ascii_lowercase();
    let keep_alive = if http10 { connection.contains("keep-alive") } else { !connection.contains("close") };
    Some(Request {
        get: method == "GET",
        head: method == "HEAD",
        post: method == "POST",
        length,
        content_type: value("Content-Type"),
        origin: value("Origin"),
        target: r.path?.to_string(),
        host: value("Host"),
        http10,
        keep_alive,
    })
}

/// What a request gets.
enum Answer {
    Send(Reply),
    /// The event stream: the connection stays open for events.
    Events,
}

/// A response.
struct Reply {
    status: u16,
    content_type: String,
    body: Arc<[u8]>,
    /// More headers (`Location`, `Allow`).
    extra: Vec<(&'static str, String)>,
}

impl Reply {
    fn text(status: u16, body: &str) -> Reply {
        Reply {
            status,
            content_type: "text/plain; charset=utf-8".into(),
            body: Arc::from(body.as_bytes()),
            extra: Vec::new(),
        }
    }

    fn with(mut self, name: &'static str, value: String) -> Reply {
        self.extra.push((name, value));
        self
    }
}

fn text(status: u16, body: &str) -> Answer {
    Answer::Send(Reply::text(status, body))
}

/// The reason phrase of the statuses sent.
fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Content",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        _ => "Service Unavailable",
    }
}

/// Writes a response; `Err` when the client did not take it in time.
fn send(stream: &mut TcpStream, version: &str, reply: &Reply, keep_alive: bool, head_only: bool) -> io::Result<()> {
    let Reply { status, content_type, body, extra } = reply;
    let mut out = format!(
        "{version} {status} {}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nCache-Control: no-store\r\n",
        reason(*status),
        body.len()
    );
    for (name, value) in extra {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str(if keep_alive { "Connection: keep-alive\r\n\r\n" } else { "Connection: close\r\n\r\n" });
    let body = if head_only { &[][..] } else { &body[..] };
    if out.len() + body.len() <= CHUNK {
        // one write for a small response
        let mut all = out.into_bytes();
        all.extend_from_slice(body);
        send_all(stream, &all)?;
    } else {
        send_all(stream, out.as_bytes())?;
        send_all(stream, body)?;
    }
    if !keep_alive {
        let _ = stream.shutdown(std::net::Shutdown::Write);
    }
    Ok(())
}

/// Writes `bytes`, giving the client [`SEND_TIME`] for each [`CHUNK`]: one
/// that reads slower than that is dropped, so it holds its thread for
/// seconds at most.
fn send_all(stream: &mut TcpStream, bytes: &[u8]) -> io::Result<()> {
    for chunk in bytes.chunks(CHUNK) {
        let deadline = Instant::now() + SEND_TIME;
        let mut left = chunk;
        while !left.is_empty() {
            let time = deadline.saturating_duration_since(Instant::now());
            if time.is_zero() {
                return Err(io::ErrorKind::TimedOut.into());
            }
            stream.set_write_timeout(Some(time))?;
            match stream.write(left) {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(n) => left = &left[n..],
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }
    Ok(())
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

fn answer(req: &Request, body: &[u8], hosts: &Hosts, state: &State) -> Answer {
    // the absolute form's authority counts as much as Host (RFC 9112 3.2.2)
    let named = [req.host.as_deref(), authority(&req.target)];
    if let Some(h) = named.iter().flatten().find(|h| !hosts.allows(h)) {
        let h: String = h.chars().filter(|c| !c.is_control() && !c.is_whitespace()).take(100).collect();
        return text(
            403,
            &format!(
                "vitrine serve answers only for localhost, IP addresses and the names given with \
                 --allow-host; this request was for {h} (`vitrine serve --allow-host {h}` answers it)\n"
            ),
        );
    }
    if named.iter().all(Option::is_none) && !req.http10 {
        return text(400, "a request without Host\n");
    }
    let Some(target) = Target::parse(&req.target) else {
        return text(400, "bad request path\n");
    };
    if target.rel == crate::model::urls::CMS_API {
        return editor(req, body, state);
    }
    let events = target.rel == EVENTS;
    if !req.get && (events || !req.head) {
        let allow = if events { "GET" } else { "GET, HEAD" };
        return Answer::Send(Reply::text(405, "method not allowed\n").with("Allow", allow.to_string()));
    }
    if events {
        return Answer::Events;
    }
    let rel = if target.rel.is_empty() {
        "index.html".to_string()
    } else if target.slash {
        format!("{}/index.html", target.rel)
    } else {
        target.rel.clone()
    };
    let mut served = state.current();
    if served.partial && served.snapshot.get(&rel).is_none() {
        // not made yet: answered from the whole site, once there
        served = state.whole();
    }
    let snap = &served.snapshot;
    let (status, rel) = match snap.get(&rel) {
        Some(_) => (200, rel),
        None if !target.slash && snap.has_index(&target.rel) => {
            let path: Vec<String> =
                target.rel.split('/').map(|seg| utf8_percent_encode(seg, SEGMENT).to_string()).collect();
            let location = format!("/{}/{}", path.join("/"), target.query);
            return Answer::Send(Reply::text(301, &format!("moved to {location}\n")).with("Location", location));
        }
        None => (404, "404.html".to_string()),
    };
    let html = "text/html; charset=utf-8";
    let Some(body) = snap.get(&rel) else {
        // no good build yet (or a theme without 404.html): a page that
        // carries the problems and reloads once the site builds
        let status = if snap.files.is_empty() { 503 } else { 404 };
        let page = format!(
            "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>vitrine</title></head>\
             <body><h1>{}</h1></body></html>\n",
            if status == 503 { "The site does not build yet" } else { "Not found" }
        );
        let body = Arc::from(inject(page.as_bytes(), &served.problems));
        return Answer::Send(Reply { status, content_type: html.into(), body, extra: Vec::new() });
    };
    let bytes = match body.read() {
        Ok(b) => b,
        // the cache entry went away since the build: say which output, never where it lay on disk
        Err(e) => return text(500, &format!("cannot read {rel}: {}\n", e.kind())),
    };
    let content_type = content_type(&rel);
    // the web editor's page is not reloaded under the editor's hands
    let page = content_type.starts_with("text/html") && !rel.starts_with("admin/");
    let body = if page { Arc::from(inject(&bytes, &served.problems)) } else { bytes };
    Answer::Send(Reply { status, content_type, body, extra: Vec::new() })
}

/// The web editor's protocol: same-origin JSON posts only (a page of
/// another site can neither send JSON without asking first, which is never
/// allowed, nor hide its `Origin`), and only while the site has `cms:`.
fn editor(req: &Request, body: &[u8], state: &State) -> Answer {
    let served = state.current();
    let (Some(editor), Some(config)) = (&state.editor, served.config.as_deref().filter(|c| c.cms.is_some())) else {
        return text(404, "no web editor: add `cms:` to site.yaml\n");
    };
    if !req.post {
        return Answer::Send(Reply::text(405, "method not allowed\n").with("Allow", "POST".to_string()));
    }
    let own = req.host.as_deref().map(|h| format!("http://{h}"));
    if req.origin.is_some() && req.origin != own {
        return text(403, "the web editor's requests come from its own page only\n");
    }
    if !req.is_json() {
        return text(415, "send JSON (Content-Type: application/json)\n");
    }
    let (status, reply) = super::cms::answer(&editor.root, config, body, &editor.saves);
    let body: Arc<[u8]> = Arc::from(reply.into_bytes());
    Answer::Send(Reply { status, content_type: "application/json".into(), body, extra: Vec::new() })
}

/// The host of an absolute-form request target (`GET http://host/path`).
fn authority(target: &str) -> Option<&str> {
    let (scheme, rest) = target.split_once("://")?;
    if scheme.contains('/') {
        return None;
    }
    Some(rest.split(['/', '?', '#']).next().unwrap_or(rest).rsplit('@').next().unwrap_or(rest))
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
    let mime = super::snapshot::media_type(rel);
    if super::snapshot::is_text(rel) { format!("{mime}; charset=utf-8") } else { mime.to_string() }
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
        // the absolute form only with a scheme: a path that holds `://` is a path
        assert_eq!(rel("/nl/http://x/y").map(|r| r.starts_with("nl/")), Some(true));
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

    /// A server of an empty site on a free port, and its state.
    fn server() -> (Arc<State>, u16) {
        let served =
            Served { snapshot: Arc::default(), build: "b1".into(), problems: Vec::new(), config: None, partial: false };
        let state = Arc::new(State::new(served, None));
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
        let port = listener.local_addr().expect("bound").port();
        serve(listener, state.clone(), Hosts::new([])).expect("serving");
        (state, port)
    }

    /// Reads from `stream` until `want` came, or fails after 10 s.
    fn read_until(stream: &mut TcpStream, want: &str) -> String {
        use std::io::Read;
        stream.set_read_timeout(Some(Duration::from_secs(10))).expect("a timeout");
        let mut got = Vec::new();
        let mut buf = [0u8; 4096];
        while !String::from_utf8_lossy(&got).contains(want) {
            match stream.read(&mut buf) {
                Ok(0) | Err(_) => panic!("no {want:?} in {:?}", String::from_utf8_lossy(&got)),
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
        String::from_utf8_lossy(&got).into_owned()
    }

    #[test]
    fn open_pages_hear_of_builds_and_pings() {
        let (state, port) = server();
        let mut page = TcpStream::connect(("127.0.0.1", port)).expect("connected");
        write!(page, "GET /{EVENTS} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").expect("sent");
        let hello = read_until(&mut page, "event: problems\ndata: []\n\n");
        assert!(hello.contains("Content-Type: text/event-stream\r\n") && hello.contains("event: hello\ndata: b1\n\n"));
        // a ping is a comment line, which keeps an idle stream open
        state.ping();
        assert_eq!(read_until(&mut page, ": ping\n\n"), ": ping\n\n");
        let served =
            Served { snapshot: Arc::default(), build: "b2".into(), problems: Vec::new(), config: None, partial: false };
        state.publish(served, Notice::Css);
        read_until(&mut page, "event: problems\ndata: []\n\nevent: css\ndata: b2\n\n");
        // a page gone is dropped at the next event
        drop(page);
        for _ in 0..100 {
            state.ping();
            if state.hub.streams.lock().expect("not poisoned").is_empty() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("a closed page is still sent events");
    }

    /// Sends `parts` to a new connection of `port`, a pause between them
    /// (so that the server reads them apart), and reads until the server
    /// closes the connection: every response, in order.
    fn talk(port: u16, parts: &[&[u8]]) -> String {
        use std::io::Read;
        let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connected");
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                std::thread::sleep(Duration::from_millis(50));
            }
            s.write_all(part).expect("sent");
        }
        s.set_read_timeout(Some(Duration::from_secs(15))).expect("a timeout");
        let mut got = Vec::new();
        let _ = s.read_to_end(&mut got);
        String::from_utf8_lossy(&got).into_owned()
    }

    /// The status lines of `responses`, in order.
    fn statuses(responses: &str) -> Vec<&str> {
        responses.lines().filter(|l| l.starts_with("HTTP/1.")).collect()
    }

    const LAST: &[u8] = b"GET /next HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";

    /// A post of `body` to `path` as `content_type`, with the request after
    /// it on the same connection.
    fn post(port: u16, path: &str, content_type: &str, body: &[u8], host: &str) -> String {
        let head = format!(
            "POST /{path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        // the body arrives in two parts, the next request with the second
        let (first, second) = body.split_at(body.len() / 2);
        talk(port, &[&[head.as_bytes(), first].concat(), &[second, LAST].concat()])
    }

    #[test]
    fn a_body_is_read_only_from_the_editor_s_json_posts_and_whole() {
        let (_state, port) = server();
        let json = br#"{"action":"entriesByFolder","params":{}}"#;
        let no_editor = "HTTP/1.1 404 Not Found";
        let not_built = "HTTP/1.1 503 Service Unavailable";
        // read whole, though it came in two parts, and the connection goes on:
        // the server has no editor, and no site yet
        for media in ["application/json", "application/json; charset=utf-8", "Application/JSON"] {
            let got = post(port, "api/v1", media, json, "127.0.0.1");
            assert_eq!(statuses(&got), [no_editor, not_built], "{media}: {got}");
        }
        // bodies of a few 64 KiB chunks, and the largest taken
        let big = [b"[".as_slice(), &b"0,".repeat(100_000), b"0]"].concat();
        assert_eq!(statuses(&post(port, "api/v1", "application/json", &big, "localhost:1")), [no_editor, not_built]);
        let largest = vec![b' '; super::super::cms::MAX_BODY];
        assert_eq!(statuses(&post(port, "api/v1", "application/json", &largest, "localhost")), [no_editor, not_built]);
        // refused before the body is read, and the connection closed
        let refused = |path: &str, media: &str, host: &str| statuses(&post(port, path, media, json, host)).join(" | ");
        assert_eq!(refused("api/v1", "text/plain", "127.0.0.1"), "HTTP/1.1 415 Unsupported Media Type");
        assert_eq!(refused("api/v1", "application/jsonp", "127.0.0.1"), "HTTP/1.1 415 Unsupported Media Type");
        assert_eq!(refused("nl/", "application/json", "127.0.0.1"), "HTTP/1.1 400 Bad Request");
        // (a post to the editor's address under another name is no editor's)
        assert_eq!(refused("api/v1", "application/json", "example.org"), "HTTP/1.1 400 Bad Request");
        let too_large = format!(
            "POST /api/v1 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            super::super::cms::MAX_BODY + 1
        );
        assert_eq!(statuses(&talk(port, &[too_large.as_bytes()])), ["HTTP/1.1 413 Content Too Large"]);
    }

    #[test]
    fn a_request_head_is_read_up_to_its_limit_in_any_parts() {
        let (_state, port) = server();
        let not_built = "HTTP/1.1 503 Service Unavailable";
        // the blank line that ends a head split over two reads, at each place
        let head = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
        for cut in head.len() - 4..head.len() {
            let got = talk(port, &[&head[..cut], &[&head[cut..], LAST].concat()]);
            assert_eq!(statuses(&got), [not_built, not_built], "cut at {cut}: {got}");
        }
        // a head of exactly the largest size is answered; one byte more is not
        let sized = |n: usize| {
            let start = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nX-Pad: ";
            format!("{start}{}\r\n\r\n", "a".repeat(n - start.len() - 4))
        };
        // (all but its blank line first: the server holds exactly the limit, unfinished)
        let largest = sized(HEAD_MAX + 4);
        assert_eq!(statuses(&talk(port, &[&largest.as_bytes()[..HEAD_MAX], b"\r\n\r\n"])), [not_built]);
        assert_eq!(
            statuses(&talk(port, &[sized(HEAD_MAX + 4 + 4096).as_bytes()])),
            ["HTTP/1.1 431 Request Header Fields Too Large"]
        );
    }

    #[test]
    fn while_the_first_build_makes_the_rest_its_front_answers_and_other_files_wait() {
        use super::super::snapshot::Body;
        let site = |files: &[&str], partial: bool| {
            let mut snapshot = Snapshot::default();
            for rel in files {
                snapshot.files.insert(Arc::from(*rel), Body::Bytes(Arc::from(rel.as_bytes())));
            }
            Served { snapshot: Arc::new(snapshot), build: "b1".into(), problems: Vec::new(), config: None, partial }
        };
        let (state, port) = server();
        state.complete(site(&["style.css"], true));
        let get = move |path: &str| {
            let request = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
            talk(port, &[request.as_bytes()])
        };
        // the front at once
        assert!(get("/style.css").ends_with("\r\n\r\nstyle.css"), "{}", get("/style.css"));
        // a case page once the whole site is there, and not before
        let waiting = std::thread::spawn(move || get("/nl/hero.txt"));
        std::thread::sleep(Duration::from_millis(300));
        assert!(!waiting.is_finished(), "a file of the rest was answered before it was made");
        state.complete(site(&["style.css", "nl/hero.txt"], false));
        let got = waiting.join().expect("answered");
        assert!(got.starts_with("HTTP/1.1 200 OK") && got.ends_with("\r\n\r\nnl/hero.txt"), "{got}");
        // and a file the whole site has not either: not found, at once
        assert!(get("/nl/other.txt").starts_with("HTTP/1.1 404"));
    }

    #[test]
    fn statuses_have_the_reason_phrases_of_rfc_9110() {
        for (status, phrase) in [
            (200, "OK"),
            (301, "Moved Permanently"),
            (400, "Bad Request"),
            (403, "Forbidden"),
            (404, "Not Found"),
            (405, "Method Not Allowed"),
            (413, "Content Too Large"),
            (415, "Unsupported Media Type"),
            (422, "Unprocessable Content"),
            (431, "Request Header Fields Too Large"),
            (500, "Internal Server Error"),
            (503, "Service Unavailable"),
        ] {
            assert_eq!(reason(status), phrase, "{status}");
        }
    }

    #[test]
    fn a_body_without_a_length_or_on_another_method_is_a_bad_request() {
        let (_state, port) = server();
        for head in [
            "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n\r\n{}",
            "GET /api/v1 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}",
            "POST /api/v1 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
            "POST /api/v1 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: two\r\n\r\n{}",
        ] {
            assert_eq!(statuses(&talk(port, &[head.as_bytes()])), ["HTTP/1.1 400 Bad Request"], "{head}");
        }
    }

    #[test]
    fn a_request_for_another_host_is_told_the_flag_that_answers_it_in_printable_characters() {
        let (_state, port) = server();
        for host in ["evil\t.example", "evil .example"] {
            let request = format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
            let got = talk(port, &[request.as_bytes()]);
            assert_eq!(statuses(&got), ["HTTP/1.1 403 Forbidden"]);
            assert!(got.contains("request was for evil.example (`vitrine serve --allow-host evil.example`"), "{got}");
        }
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
