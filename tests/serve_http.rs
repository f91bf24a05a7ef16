//! `vitrine serve` from the outside: the binary on a free port against a
//! copy of the example site, spoken to over HTTP and its event stream.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A running server, stopped when dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(root: &Path, cache: &Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_vitrine"))
        .args(["serve", "--port", "0", "--root"])
        .arg(root)
        .env("VITRINE_CACHE_DIR", cache)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (tx, rx) = mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    while let Ok(line) = rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
        if let Some(url) = line.split(" at http://127.0.0.1:").nth(1) {
            let port = url.split('/').next().unwrap().parse().unwrap();
            return Server { child, port };
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("the server did not say where it listens");
}

/// Status, lower-cased headers and body of one request.
fn request(port: u16, head: &str) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(s, "{head}\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("a response head");
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let mut lines = head.lines();
    let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    (status, headers, raw[split + 4..].to_vec())
}

fn get(port: u16, path: &str) -> (u16, Vec<(String, String)>, String) {
    let (status, headers, body) = request(port, &format!("GET {path} HTTP/1.1"));
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> &'a str {
    headers.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
}

/// An open event stream, read event by event.
struct Events {
    stream: BufReader<TcpStream>,
}

impl Events {
    fn open(port: u16) -> Events {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(15))).unwrap();
        write!(s, "GET /__vitrine/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
        let mut events = Events { stream: BufReader::new(s) };
        let mut line = String::new();
        events.stream.read_line(&mut line).unwrap();
        assert!(line.starts_with("HTTP/1.1 200"), "{line}");
        events
    }

    /// Reads events until one named `name` comes, within 30 s (the server's
    /// pings keep the stream busy, so its read timeout alone is no limit);
    /// returns its data.
    fn wait_for(&mut self, name: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut event = String::new();
        loop {
            assert!(Instant::now() < deadline, "no `{name}` event within 30 s");
            let mut line = String::new();
            let n = self.stream.read_line(&mut line).unwrap_or_else(|e| panic!("no `{name}` event: {e}"));
            assert!(n > 0, "the stream closed before a `{name}` event");
            let line = line.trim_end();
            if let Some(e) = line.strip_prefix("event: ") {
                event = e.to_string();
            } else if let Some(data) = line.strip_prefix("data: ")
                && event == name
            {
                return data.to_string();
            }
        }
    }
}

#[test]
fn serves_the_site_and_reloads_on_changes() {
    let site = common::example_copy();
    let cache = tempfile::tempdir().unwrap();
    let server = start(site.path(), cache.path());
    let port = server.port;

    let (status, headers, body) = get(port, "/");
    assert_eq!(status, 200);
    assert_eq!(header(&headers, "content-type"), "text/html; charset=utf-8");
    assert_eq!(header(&headers, "cache-control"), "no-store");
    assert!(body.contains("new EventSource(\"/__vitrine/events\")"), "no reload script in /");
    let (status, headers, _) = get(port, "/nl");
    assert_eq!((status, header(&headers, "location")), (301, "/nl/"));
    assert_eq!(header(&get(port, "/style.css").1, "content-type"), "text/css; charset=utf-8");
    let (status, headers, body) = request(port, "HEAD /nl/ HTTP/1.1");
    assert_eq!((status, body.len()), (200, 0));
    assert!(header(&headers, "content-length").parse::<usize>().unwrap() > 1000);
    let (status, headers, body) = get(port, "/nl/geen-pagina/");
    assert_eq!(status, 404);
    assert!(header(&headers, "content-type").starts_with("text/html") && body.contains("<html"));
    for bad in ["/../site.yaml", "/%2e%2e/site.yaml", "/..%2fsite.yaml", "/..\\site.yaml"] {
        assert_eq!(get(port, bad).0, 400, "{bad}");
    }
    assert_eq!(get(port, "/content/people/eefje.yaml").0, 404);

    let page = "/nl/cases/centrum-huiselijk-geweld/";
    let file = site.path().join("content/cases/centrum-huiselijk-geweld/index.nl.md");
    let good = std::fs::read_to_string(&file).unwrap();
    let mut events = Events::open(port);
    events.wait_for("hello");

    // an edit reloads the page with the new text
    std::fs::write(&file, format!("{good}\nEen zin die er net bij kwam.\n")).unwrap();
    events.wait_for("reload");
    let (status, _, body) = get(port, page);
    assert_eq!(status, 200);
    assert!(body.contains("Een zin die er net bij kwam."));

    // broken front matter: the problem is sent and shown, the last good page stays
    std::fs::write(&file, good.replacen("title:", "titel:", 1)).unwrap();
    let problems = events.wait_for("problems");
    let problems = if problems == "[]" { events.wait_for("problems") } else { problems };
    assert!(problems.contains("index.nl.md:2:1: error: unknown key `titel`"), "{problems}");
    let (status, _, body) = get(port, page);
    assert_eq!(status, 200);
    assert!(body.contains("Een zin die er net bij kwam."), "the last good page is no longer served");
    assert!(body.contains("unknown key `titel`"), "the page does not carry the problem");

    // the repair clears the problem and reloads
    std::fs::write(&file, &good).unwrap();
    events.wait_for("reload");
    let (_, _, body) = get(port, page);
    assert!(!body.contains("Een zin die er net bij kwam.") && !body.contains("titel"));
}

#[test]
fn a_busy_port_is_a_clear_error() {
    let site = common::example_copy();
    let cache = tempfile::tempdir().unwrap();
    let server = start(site.path(), cache.path());
    let out = Command::new(env!("CARGO_BIN_EXE_vitrine"))
        .args(["serve", "--port", &server.port.to_string(), "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("error: cannot listen on 127.0.0.1:{}", server.port)), "{err}");
}

#[test]
fn a_site_that_does_not_build_yet_is_served_once_fixed() {
    let site = common::example_copy();
    let cache = tempfile::tempdir().unwrap();
    let file = site.path().join("content/cases/centrum-huiselijk-geweld/index.nl.md");
    let good = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, good.replacen("title:", "titel:", 1)).unwrap();
    let server = start(site.path(), cache.path());
    let (status, headers, body) = get(server.port, "/nl/");
    assert_eq!(status, 503);
    assert!(header(&headers, "content-type").starts_with("text/html"));
    assert!(body.contains("index.nl.md:2:1: error: unknown key `titel`") && body.contains("EventSource"), "{body}");
    let mut events = Events::open(server.port);
    events.wait_for("hello");
    std::fs::write(&file, &good).unwrap();
    events.wait_for("reload");
    assert_eq!(get(server.port, "/nl/").0, 200);
}
