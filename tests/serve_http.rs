//! `vitrine serve` from the outside: the binary on a free port against a
//! copy of the example site, spoken to over HTTP and its event stream.

mod common;

use common::serve::{Events, get, header, request, start};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

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

/// The text of a case file of the copy, and a function that saves it.
fn case_file(site: &Path) -> (std::path::PathBuf, String) {
    let file = site.join("content/cases/centrum-huiselijk-geweld/index.nl.md");
    let good = std::fs::read_to_string(&file).unwrap();
    (file, good)
}

#[test]
fn an_undo_takes_the_problems_off_the_page() {
    let site = common::example_copy();
    let cache = tempfile::tempdir().unwrap();
    let server = start(site.path(), cache.path());
    let (file, good) = case_file(site.path());
    let mut events = Events::open(server.port);
    events.wait_for("hello");
    let broken = good.replacen("date: ", "date: 15 september ", 1);
    std::fs::write(&file, &broken).unwrap();
    let problems = events.wait_for("problems");
    let problems = if problems == "[]" { events.wait_for("problems") } else { problems };
    assert!(problems.contains("is not a date"), "{problems}");
    // the file as it was: no output changes, yet the problems must go
    std::fs::write(&file, &good).unwrap();
    assert_eq!(events.wait_for("problems"), "[]");
    let (_, _, body) = get(server.port, "/nl/");
    assert!(!body.contains("is not a date"), "a fresh load still shows the fixed problem");
}

#[test]
fn a_client_that_stops_reading_holds_up_nobody() {
    use socket2::{Domain, Socket, Type};
    let site = common::example_copy();
    let cache = tempfile::tempdir().unwrap();
    let server = start(site.path(), cache.path());
    let port = server.port;
    // a stream with a tiny receive buffer that is never read
    let stalled = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    stalled.set_recv_buffer_size(4096).unwrap();
    stalled.connect(&std::net::SocketAddr::from(([127, 0, 0, 1], port)).into()).unwrap();
    let mut stalled: TcpStream = stalled.into();
    write!(stalled, "GET /__vitrine/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    let mut events = Events::open(port);
    events.wait_for("hello");

    // large problems events (2,000 unknown keys), saved 30 times
    let (file, good) = case_file(site.path());
    let keys: String = (0..2000).map(|i| format!("onbekend{i}: x\n")).collect();
    for round in 0..30 {
        std::fs::write(&file, good.replacen("---\n", &format!("---\n# {round}\n{keys}"), 1)).unwrap();
        let problems = events.wait_for("problems");
        let problems = if problems == "[]" { events.wait_for("problems") } else { problems };
        assert!(problems.contains("onbekend1999"), "round {round}");
    }
    // a valid edit is still applied, and pages and new streams still answer
    std::fs::write(&file, format!("{good}\nNa de storing.\n")).unwrap();
    events.wait_for("reload");
    assert!(get(port, "/nl/cases/centrum-huiselijk-geweld/").2.contains("Na de storing."));
    for _ in 0..10 {
        Events::open(port).wait_for("hello");
    }
    assert_eq!(get(port, "/style.css").0, 200);
    drop(stalled);
}

#[test]
fn a_non_ascii_folder_is_redirected_with_an_encoded_location() {
    let site = common::example_copy();
    common::write(
        site.path(),
        "content/cases/centrum-huiselijk-geweld/présentation/index.html",
        b"<!doctype html><title>p</title>",
    );
    common::link_files(site.path(), "content/cases/centrum-huiselijk-geweld/index.nl.md", &["présentation/index.html"]);
    let cache = tempfile::tempdir().unwrap();
    let server = start(site.path(), cache.path());
    // more requests than the server has threads: none may be lost
    for _ in 0..12 {
        let (status, headers, _) = get(server.port, "/nl/cases/centrum-huiselijk-geweld/pr%C3%A9sentation");
        assert_eq!(status, 301);
        assert_eq!(header(&headers, "location"), "/nl/cases/centrum-huiselijk-geweld/pr%C3%A9sentation/");
    }
    assert_eq!(get(server.port, "/nl/cases/centrum-huiselijk-geweld/pr%C3%A9sentation/").0, 200);
    assert_eq!(get(server.port, "/nl/").0, 200);
}

#[test]
fn methods_encoded_slashes_and_http_1_0_keep_alive() {
    let site = common::example_copy();
    let cache = tempfile::tempdir().unwrap();
    let server = start(site.path(), cache.path());
    let port = server.port;
    assert_eq!(get(port, "/nl%2findex.html").0, 400);
    assert_eq!(get(port, "/nl%2Findex.html").0, 400);
    let (status, headers, _) = request(port, "POST /__vitrine/events HTTP/1.1\r\nContent-Length: 0");
    assert_eq!((status, header(&headers, "allow")), (405, "GET"));
    assert_eq!(request(port, "DELETE /nl/ HTTP/1.1").0, 405);

    // HTTP/1.0 with keep-alive: told so, with a length, and the connection serves a second request
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut reader = BufReader::new(s.try_clone().unwrap());
    for path in ["/robots.txt", "/style.css"] {
        write!(s, "GET {path} HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").unwrap();
        let mut head = Vec::new();
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if line == "\r\n" || line.is_empty() {
                break;
            }
            head.push(line.trim_end().to_ascii_lowercase());
        }
        assert!(head[0].starts_with("http/1.0 200"), "{head:?}");
        assert!(head.contains(&"connection: keep-alive".to_string()), "{head:?}");
        let len: usize = head.iter().find_map(|h| h.strip_prefix("content-length: ")).unwrap().parse().unwrap();
        let mut body = vec![0; len];
        reader.read_exact(&mut body).unwrap();
    }
}

#[cfg(unix)]
#[test]
fn links_out_of_the_site_are_not_served() {
    let site = common::example_copy();
    let secret = tempfile::tempdir().unwrap();
    std::fs::write(secret.path().join("secret.txt"), "geheim").unwrap();
    let folder = site.path().join("content/cases/centrum-huiselijk-geweld");
    std::os::unix::fs::symlink(secret.path().join("secret.txt"), folder.join("secret.txt")).unwrap();
    std::os::unix::fs::symlink(secret.path(), folder.join("buiten")).unwrap();
    // a link that stays inside the site is fine
    std::os::unix::fs::symlink("index.nl.md", folder.join("bron.md")).unwrap();
    common::link_files(site.path(), "content/cases/centrum-huiselijk-geweld/index.nl.md", &["bron.md"]);
    let cache = tempfile::tempdir().unwrap();
    let server = start(site.path(), cache.path());
    let case = "/nl/cases/centrum-huiselijk-geweld";
    for path in ["secret.txt", "buiten/secret.txt"] {
        let (status, _, body) = get(server.port, &format!("{case}/{path}"));
        assert_eq!(status, 404, "{path}");
        assert!(!body.contains("geheim"));
    }
    assert_eq!(get(server.port, &format!("{case}/bron.md")).0, 200);
}
