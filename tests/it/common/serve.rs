//! `vitrine serve` from the outside: the binary on a free port, spoken to
//! over HTTP and its event stream.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A running server, stopped when dropped.
pub struct Server {
    child: Child,
    pub port: u16,
    /// What it prints, stdout and stderr, a line at a time.
    lines: mpsc::Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Waits up to 60 s for a printed line that contains `text`; returns it.
    pub fn wait_line(&self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        while let Ok(line) = self.lines.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            if line.contains(text) {
                return line;
            }
        }
        panic!("the server did not print a line with `{text}`");
    }
}

/// Starts `vitrine serve` as the README has people run it: in the site
/// folder, with no `--root` (only the port is one that is free).
pub fn start(root: &Path, cache: &Path) -> Server {
    start_with(root, cache, &[])
}

/// [`start`] with more arguments (a free port unless they name one).
pub fn start_with(root: &Path, cache: &Path, args: &[&str]) -> Server {
    let port: &[&str] = if args.contains(&"--port") { &[] } else { &["--port", "0"] };
    let mut child = Command::new(env!("CARGO_BIN_EXE_vitrine"))
        .arg("serve")
        .args(port)
        .args(args)
        .current_dir(root)
        .env("VITRINE_CACHE_DIR", cache)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, rx) = mpsc::channel();
    let out: Box<dyn Read + Send> = Box::new(child.stdout.take().unwrap());
    let err: Box<dyn Read + Send> = Box::new(child.stderr.take().unwrap());
    for stream in [out, err] {
        let tx = tx.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut before = Vec::new();
    while let Ok(line) = rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
        if let Some(url) = line.split(" at http://127.0.0.1:").nth(1) {
            let port = url.split('/').next().unwrap().parse().unwrap();
            // what came before (the first build's problems) can still be waited for
            let (again, lines) = mpsc::channel();
            for l in before {
                let _ = again.send(l);
            }
            std::thread::spawn(move || {
                while let Ok(l) = rx.recv() {
                    if again.send(l).is_err() {
                        break;
                    }
                }
            });
            return Server { child, port, lines };
        }
        before.push(line);
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("the server did not say where it listens");
}

/// Status, lower-cased headers and body of one request.
pub fn request(port: u16, head: &str) -> (u16, Vec<(String, String)>, Vec<u8>) {
    exchange(port, &format!("{head}\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"))
}

/// Sends `raw` (a whole request) on a new connection and reads the
/// response until the server closes it.
pub fn exchange(port: u16, raw: &str) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(raw.as_bytes()).unwrap();
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

pub fn get(port: u16, path: &str) -> (u16, Vec<(String, String)>, String) {
    let (status, headers, body) = request(port, &format!("GET {path} HTTP/1.1"));
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

pub fn header<'a>(headers: &'a [(String, String)], name: &str) -> &'a str {
    headers.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
}

/// An open event stream, read event by event.
pub struct Events {
    stream: BufReader<TcpStream>,
}

impl Events {
    pub fn open(port: u16) -> Events {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(15))).unwrap();
        write!(s, "GET /__vitrine/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
        let mut events = Events { stream: BufReader::new(s) };
        let mut head = Vec::new();
        loop {
            let mut line = String::new();
            events.stream.read_line(&mut line).unwrap();
            if line.trim_end().is_empty() {
                break;
            }
            head.push(line.trim_end().to_ascii_lowercase());
        }
        assert!(head[0].starts_with("http/1.1 200"), "{head:?}");
        // what makes a browser's EventSource take the stream at all
        assert!(head.iter().any(|h| h == "content-type: text/event-stream"), "{head:?}");
        events
    }

    /// Reads events until one named `name` comes, within 30 s (the server's
    /// pings keep the stream busy, so its read timeout alone is no limit);
    /// returns its data.
    pub fn wait_for(&mut self, name: &str) -> String {
        self.wait_for_any(&[name]).1
    }

    /// Reads events until one of these comes; its name and data.
    pub fn wait_for_any(&mut self, names: &[&str]) -> (String, String) {
        let name = names.join("` or `");
        let deadline = Instant::now() + Duration::from_secs(30);
        // as a browser reads it: fields gathered until a blank line fires the event
        let (mut event, mut data) = (String::new(), Vec::new());
        loop {
            assert!(Instant::now() < deadline, "no `{name}` event within 30 s");
            let mut line = String::new();
            let n = self.stream.read_line(&mut line).unwrap_or_else(|e| panic!("no `{name}` event: {e}"));
            assert!(n > 0, "the stream closed before a `{name}` event");
            let line = line.trim_end_matches(['\r', '\n']);
            if line.is_empty() {
                let fired = if event.is_empty() { "message" } else { event.as_str() };
                if !data.is_empty() && names.contains(&fired) {
                    return (fired.to_string(), data.join("\n"));
                }
                (event, data) = (String::new(), Vec::new());
            } else if let Some(e) = line.strip_prefix("event:") {
                event = e.trim_start().to_string();
            } else if let Some(d) = line.strip_prefix("data:") {
                data.push(d.strip_prefix(' ').unwrap_or(d).to_string());
            }
        }
    }
}
