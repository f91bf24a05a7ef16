//! A bounded load on `vitrine serve` (loopback only, over in seconds): keep-
//! alive clients, open event streams and stalled sockets while an editor
//! saves; no request may fail, no page may be torn, and what is served at
//! the end is what a clean build writes.

use crate::common;

use common::serve::{Events, start};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

/// One request on a kept-alive connection: status and body.
fn fetch(reader: &mut BufReader<TcpStream>, path: &str) -> std::io::Result<(u16, Vec<u8>)> {
    // one write: several would wait on each other's ACK (Nagle)
    reader.get_mut().write_all(format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").as_bytes())?;
    let mut status = 0;
    let mut len = 0;
    let mut chunked = false;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(s) = line.strip_prefix("HTTP/1.1 ") {
            status = s[..3].parse().unwrap_or(0);
        } else if let Some((k, v)) = line.split_once(':')
            && k.eq_ignore_ascii_case("content-length")
        {
            len = v.trim().parse().unwrap_or(0);
        } else if let Some((k, v)) = line.split_once(':')
            && k.eq_ignore_ascii_case("transfer-encoding")
        {
            chunked = v.trim().eq_ignore_ascii_case("chunked");
        }
    }
    if !chunked {
        let mut body = vec![0; len];
        reader.read_exact(&mut body)?;
        return Ok((status, body));
    }
    // tiny_http sends bodies over 32 KB in chunks
    let mut body = Vec::new();
    loop {
        let mut size = String::new();
        reader.read_line(&mut size)?;
        let n = usize::from_str_radix(size.trim().split(';').next().unwrap_or(""), 16)
            .map_err(|_| std::io::Error::from(std::io::ErrorKind::InvalidData))?;
        let mut chunk = vec![0; n + 2];
        reader.read_exact(&mut chunk)?;
        if n == 0 {
            return Ok((status, body));
        }
        body.extend_from_slice(&chunk[..n]);
    }
}

/// A served page without the reload script serve adds before `</body>`.
fn without_script(body: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(body);
    match (text.rfind("<script>"), text.rfind("</script>\n")) {
        (Some(a), Some(b)) if text[b..].trim_start_matches("</script>\n").starts_with("</body>") => {
            format!("{}{}", &text[..a], &text[b + "</script>\n".len()..]).into_bytes()
        }
        _ => body.to_vec(),
    }
}

#[test]
fn under_load_and_live_edits_nothing_fails_and_the_end_is_a_clean_build() {
    let site = common::example_copy();
    let cache = tempfile::tempdir().unwrap();
    let server = start(site.path(), cache.path());
    let port = server.port;
    let paths = ["/nl/", "/fr/", "/style.css", "/nl/cases/centrum-huiselijk-geweld/", "/robots.txt", "/sitemap.xml"];

    // stalled sockets that never finish a request, and idle event streams
    let mut idle = Vec::new();
    for i in 0..40 {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        let half = if i % 2 == 0 { "GET /nl/ HTTP/1.1\r\nHost: 127" } else { "GET /__vitrine/events HTTP/1.1\r\n\r\n" };
        s.write_all(half.as_bytes()).unwrap();
        idle.push(s);
    }

    let stop = Arc::new(AtomicBool::new(false));
    let (done, failed, torn) =
        (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let clients_n = 24;
    let clients: Vec<_> = (0..clients_n)
        .map(|c| {
            let (stop, done, failed, torn) = (stop.clone(), done.clone(), failed.clone(), torn.clone());
            std::thread::spawn(move || {
                let connect = || {
                    let s = TcpStream::connect(("127.0.0.1", port)).unwrap();
                    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
                    BufReader::new(s)
                };
                let mut conn = connect();
                let mut i = c;
                while !stop.load(Ordering::Relaxed) {
                    let path = paths[i % paths.len()];
                    i += 1;
                    match fetch(&mut conn, path) {
                        Ok((200, body)) => {
                            done.fetch_add(1, Ordering::Relaxed);
                            let html = path.ends_with('/');
                            if html && !String::from_utf8_lossy(&body).trim_end().ends_with("</html>") {
                                torn.fetch_add(1, Ordering::Relaxed);
                            }
                        }
                        other => {
                            eprintln!("{path}: {:?}", other.map(|(status, _)| status));
                            failed.fetch_add(1, Ordering::Relaxed);
                            conn = connect();
                        }
                    }
                }
            })
        })
        .collect();

    // twenty saves, each seen through as a reload
    let file = site.path().join("content/cases/centrum-huiselijk-geweld/index.nl.md");
    let good = std::fs::read_to_string(&file).unwrap();
    let mut events = Events::open(port);
    events.wait_for("hello");
    for edit in 0..20 {
        std::fs::write(&file, format!("{good}\nBewerking {edit}.\n")).unwrap();
        events.wait_for("reload");
    }
    stop.store(true, Ordering::Relaxed);
    for c in clients {
        c.join().unwrap();
    }
    drop(idle);
    let (done, failed, torn) =
        (done.load(Ordering::Relaxed), failed.load(Ordering::Relaxed), torn.load(Ordering::Relaxed));
    eprintln!("{done} requests answered, {failed} failed, {torn} torn pages");
    assert!(done >= clients_n, "only {done} requests answered by {clients_n} clients");
    assert_eq!((failed, torn), (0, 0));

    // the site served at the end is what a clean build of the same sources gives
    let out = tempfile::tempdir().unwrap();
    let base = format!("http://127.0.0.1:{port}/");
    let built = common::vitrine(&["build", "--base-url", &base, "--output", out.path().to_str().unwrap()], site.path());
    assert!(built.status.success());
    let mut conn = BufReader::new(TcpStream::connect(("127.0.0.1", port)).unwrap());
    let mut differ = BTreeMap::new();
    for (path, bytes) in common::tree(out.path()) {
        let rel = path.strip_prefix(out.path()).unwrap().to_string_lossy().replace('\\', "/");
        let (status, body) = fetch(&mut conn, &format!("/{rel}")).unwrap();
        let body = if rel.ends_with(".html") { without_script(&body) } else { body };
        if status != 200 || body != bytes {
            differ.insert(rel, status);
        }
    }
    assert!(differ.is_empty(), "served differently from a clean build: {differ:?}");
}
