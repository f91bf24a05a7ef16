//! `vitrine serve` from the outside: the binary on a free port against a
//! copy of the example site, spoken to over HTTP and its event stream.

use crate::common;

use common::serve::{Events, exchange, get, header, request, start, start_with};
use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

#[test]
fn serves_the_site_and_reloads_on_changes() {
    let (site, _cache, server) = serve_copy();
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
    // the whole location, as inside the site folder (never the machine's path)
    let problems: Vec<String> = serde_json::from_str(&problems).unwrap();
    let want = "content/cases/centrum-huiselijk-geweld/index.nl.md:2:1: error: unknown key `titel`";
    assert!(problems.iter().any(|p| p.starts_with(want)), "{problems:?}");
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
    // the problems the page carries, JSON strings in its script: whole locations inside the site folder
    let want = "\"content/cases/centrum-huiselijk-geweld/index.nl.md:2:1: error: unknown key `titel`";
    assert!(body.contains(want) && body.contains("EventSource"), "{body}");
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

/// A connection to the server with a tiny receive buffer, which the test
/// then never reads: the server's writes to it soon block.
fn small_window(port: u16) -> TcpStream {
    use rustix::net::{AddressFamily, SocketType};
    let socket = rustix::net::socket(AddressFamily::INET, SocketType::STREAM, None).unwrap();
    rustix::net::sockopt::set_socket_recv_buffer_size(&socket, 4096).unwrap();
    rustix::net::connect(&socket, &std::net::SocketAddr::from(([127, 0, 0, 1], port))).unwrap();
    socket.into()
}

#[test]
fn a_client_that_stops_reading_holds_up_nobody() {
    let (site, _cache, server) = serve_copy();
    let port = server.port;
    let mut stalled = small_window(port);
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
    let (_site, _cache, server) = serve_copy();
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
        assert_eq!(body, get(port, path).2.into_bytes(), "{path} over HTTP/1.0");
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
    let file = folder.join("index.nl.md");
    let text = std::fs::read_to_string(&file).unwrap();
    // linked from the case, so that only the link policy keeps them unpublished:
    // the links are errors that say why, and nothing of them is sent
    let case = "content/cases/centrum-huiselijk-geweld/index.nl.md";
    common::link_files(site.path(), case, &["bron.md", "secret.txt", "buiten/secret.txt"]);
    let cache = tempfile::tempdir().unwrap();
    let server = start(site.path(), cache.path());
    let case = "/nl/cases/centrum-huiselijk-geweld";
    for path in ["secret.txt", "buiten/secret.txt"] {
        let (status, _, body) = get(server.port, &format!("{case}/{path}"));
        assert_ne!(status, 200, "{path}");
        assert!(!body.contains("geheim"), "{path}");
    }
    let page = get(server.port, &format!("{case}/")).2;
    let warning = "content/cases/centrum-huiselijk-geweld/secret.txt:1:1: warning: this symbolic link leads outside the site folder";
    assert!(page.contains(warning), "{page}");
    // without the links out: the case builds, the link inside is served, the others are not
    std::fs::write(&file, format!("{text}\n\n[bron](bron.md)\n")).unwrap();
    server.wait_line("built in");
    assert_eq!(get(server.port, &format!("{case}/")).0, 200, "the case is served");
    assert_eq!(get(server.port, &format!("{case}/bron.md")).0, 200);
    for path in ["secret.txt", "buiten/secret.txt"] {
        assert_eq!(get(server.port, &format!("{case}/{path}")).0, 404, "{path}");
    }
}

/// A copy of the example site served as the README runs it, with a cache
/// of its own (kept as long as the server runs).
fn serve_copy() -> (tempfile::TempDir, tempfile::TempDir, common::serve::Server) {
    let site = common::example_copy();
    let cache = tempfile::tempdir().unwrap();
    let server = start(site.path(), cache.path());
    (site, cache, server)
}

/// The body of a page or file that must be there.
fn body_of(port: u16, path: &str) -> Vec<u8> {
    let (status, _, body) = request(port, &format!("GET {path} HTTP/1.1"));
    assert_eq!(status, 200, "{path}");
    body
}

#[test]
fn every_saved_file_shows_a_stylesheet_by_css_the_rest_by_reload() {
    let (site, _cache, server) = serve_copy();
    let port = server.port;
    let mut events = Events::open(port);
    events.wait_for("hello");

    // a stylesheet, saved twice: each time a `css` event and the new bytes
    let css = site.path().join("themes/default/static/style.css");
    let original = std::fs::read_to_string(&css).unwrap();
    for colour in ["#123456", "#654321"] {
        std::fs::write(&css, format!("{original}\nbody {{ color: {colour}; }}\n")).unwrap();
        let (event, _) = events.wait_for_any(&["css", "reload"]);
        assert_eq!(event, "css", "a stylesheet saved with {colour}");
        assert!(String::from_utf8_lossy(&body_of(port, "/style.css")).contains(colour));
    }
    server.wait_line("1 file changed");

    // a case's own file: reload, and the new bytes
    let svg = site.path().join("content/cases/veiliger-thuis-midden-brabant/hero.svg");
    let text = std::fs::read_to_string(&svg).unwrap();
    std::fs::write(&svg, text.replacen("<svg", "<svg data-saved=\"yes\"", 1)).unwrap();
    assert_eq!(events.wait_for_any(&["css", "reload"]).0, "reload");
    let served = body_of(port, "/nl/cases/veiliger-thuis-midden-brabant/hero.svg");
    assert!(String::from_utf8_lossy(&served).contains("data-saved=\"yes\""));

    // a photo replaced by another of the same name: new sizes, a new share image
    let page = "/nl/cases/gebiedsvisie-bavel/";
    let html = String::from_utf8(body_of(port, page)).unwrap();
    let doc = crate::common::html::Html::parse_document(&html);
    let og = crate::common::html::Selector::parse("meta[property='og:image']").unwrap();
    let share = doc.select(&og).next().unwrap().attr("content").unwrap();
    let share = format!("/{}", share.split_once("//").unwrap().1.split_once('/').unwrap().1);
    let img = crate::common::html::Selector::parse("img[srcset*='hero']").unwrap();
    let srcset = doc.select(&img).next().expect("the hero's sizes").attr("srcset").unwrap().to_string();
    let sized: Vec<String> = srcset.split(',').map(|s| s.split_whitespace().next().unwrap().to_string()).collect();
    let sized: Vec<String> =
        sized.iter().map(|s| if s.starts_with('/') { s.clone() } else { format!("{page}{s}") }).collect();
    let before: Vec<Vec<u8>> = sized.iter().chain([&share]).map(|p| body_of(port, p)).collect();
    let photo = site.path().join("content/cases/gebiedsvisie-bavel/hero.jpg");
    let mut pixels = image::open(&photo).unwrap();
    pixels.invert();
    pixels.save_with_format(&photo, image::ImageFormat::Jpeg).unwrap();
    assert_eq!(events.wait_for_any(&["css", "reload"]).0, "reload");
    for (path, old) in sized.iter().chain([&share]).zip(before) {
        assert_ne!(body_of(port, path), old, "{path} was not made again from the new photo");
    }
}

#[cfg(unix)]
#[test]
fn a_file_swapped_for_a_link_out_of_the_site_is_never_sent() {
    let site = common::example_copy();
    let secret = tempfile::tempdir().unwrap();
    std::fs::write(secret.path().join("passwd"), "root:x:0:0:geheim").unwrap();
    let cache = tempfile::tempdir().unwrap();
    let server = start(site.path(), cache.path());
    let port = server.port;
    let path = "/nl/cases/veiliger-thuis-midden-brabant/hero.svg";
    let published = body_of(port, path);
    let mut events = Events::open(port);
    events.wait_for("hello");

    // `ln -sf`: a link made beside the file, renamed over it
    let file = site.path().join("content/cases/veiliger-thuis-midden-brabant/hero.svg");
    let tmp = file.with_file_name(".hero.svg.tmp");
    std::os::unix::fs::symlink(secret.path().join("passwd"), &tmp).unwrap();
    std::fs::rename(&tmp, &file).unwrap();
    // before the rebuild, and after it: never the linked file
    let (status, _, body) = request(port, &format!("GET {path} HTTP/1.1"));
    assert!(!String::from_utf8_lossy(&body).contains("geheim"), "sent from outside the site ({status})");
    events.wait_for_any(&["reload", "problems"]);
    let (status, _, body) = request(port, &format!("GET {path} HTTP/1.1"));
    assert!(!String::from_utf8_lossy(&body).contains("geheim"), "sent from outside the site ({status})");
    assert!(status == 404 || body == published, "{status}");
}

#[test]
fn fifty_clients_that_stop_reading_a_download_hold_up_no_page() {
    let site = common::example_copy();
    // a 5 MB download linked from a case
    let pdf: Vec<u8> = b"%PDF-1.4\n".iter().copied().chain((0..5_000_000).map(|i| b'a' + (i % 26) as u8)).collect();
    common::write(site.path(), "content/cases/centrum-huiselijk-geweld/plan.pdf", &pdf);
    common::link_files(site.path(), "content/cases/centrum-huiselijk-geweld/index.nl.md", &["plan.pdf"]);
    let cache = tempfile::tempdir().unwrap();
    let server = start(site.path(), cache.path());
    let port = server.port;
    let stalled: Vec<TcpStream> = (0..50)
        .map(|_| {
            let mut s = small_window(port);
            write!(s, "GET /nl/cases/centrum-huiselijk-geweld/plan.pdf HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
            s
        })
        .collect();
    std::thread::sleep(Duration::from_millis(200));
    // while they stall: pages answer at once (eight stalled clients once
    // held every worker, and a page took 20 s)
    let mut times = Vec::new();
    for _ in 0..40 {
        let t = std::time::Instant::now();
        assert_eq!(get(port, "/nl/").0, 200);
        times.push(t.elapsed());
    }
    times.sort();
    eprintln!(
        "with 50 stalled downloads: median {:?}, p99 {:?}",
        times[times.len() / 2],
        times[times.len() * 99 / 100]
    );
    assert!(times[times.len() - 1] < Duration::from_secs(2), "a page took {:?}", times[times.len() - 1]);
    // and a client that stopped reading is dropped, not waited for
    std::thread::sleep(Duration::from_secs(5));
    let mut first = stalled.into_iter().next().unwrap();
    first.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut got = Vec::new();
    let _ = first.read_to_end(&mut got);
    assert!(got.len() < pdf.len(), "a client that stopped reading for 5 s still got the whole file");
}

#[test]
fn replacing_content_or_the_theme_as_a_whole_keeps_them_watched() {
    let (site, _cache, server) = serve_copy();
    let port = server.port;
    let mut events = Events::open(port);
    events.wait_for("hello");
    // what sync tools and unzip do: the folder moved away and a copy put in its place
    for folder in ["content", "themes"] {
        let (at, old) = (site.path().join(folder), site.path().join(format!("{folder}.old")));
        std::fs::rename(&at, &old).unwrap();
        common::copy_dir(&old, &at);
        std::fs::remove_dir_all(&old).unwrap();
    }
    let (file, good) = case_file(site.path());
    // saves after the copy: the later ones are what counts
    for round in 0..3 {
        std::fs::write(&file, format!("{good}\nNa de verhuizing {round}.\n")).unwrap();
        std::thread::sleep(Duration::from_millis(300));
    }
    let page = "/nl/cases/centrum-huiselijk-geweld/";
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while !get(port, page).2.contains("Na de verhuizing 2.") {
        assert!(std::time::Instant::now() < deadline, "a save after `content/` was replaced was never built");
        std::thread::sleep(Duration::from_millis(100));
    }
    let css = site.path().join("themes/default/static/style.css");
    let original = std::fs::read_to_string(&css).unwrap();
    std::fs::write(&css, format!("{original}\nh1 {{ color: #abcdef; }}\n")).unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while !get(port, "/style.css").2.contains("#abcdef") {
        assert!(std::time::Instant::now() < deadline, "a save after `themes/` was replaced was never built");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn only_hosts_that_name_this_server_are_answered() {
    let site = common::example_copy();
    let cache = tempfile::tempdir().unwrap();
    let server = start_with(site.path(), cache.path(), &["--allow-host", "preview.test"]);
    let port = server.port;
    let get_as = |host: &str| {
        let (status, _, body) =
            exchange(port, &format!("GET /nl/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"));
        (status, String::from_utf8_lossy(&body).into_owned())
    };
    for host in [
        "localhost",
        &format!("localhost:{port}"),
        "127.0.0.1",
        &format!("[::1]:{port}"),
        "192.168.1.20:1111",
        "Preview.Test",
        "preview.test:80",
    ] {
        assert_eq!(get_as(host).0, 200, "{host}");
    }
    for host in ["evil.example", &format!("evil.example:{port}"), "localhost.evil.example", "127.0.0.1.nip.io"] {
        let (status, body) = get_as(host);
        assert_eq!(status, 403, "{host}");
        assert_eq!(body.lines().count(), 1, "{body}");
        assert!(body.contains("--allow-host"), "{body}");
        assert!(!body.contains("<"), "{body}");
    }
    // the absolute form names the host too
    let (status, _, _) =
        exchange(port, "GET http://evil.example/nl/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    assert_eq!(status, 403);
    // the event stream is no exception
    let (status, _, _) =
        exchange(port, "GET /__vitrine/events HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n");
    assert_eq!(status, 403);
}

#[test]
fn a_request_head_sent_a_byte_at_a_time_is_cut_off() {
    let site = common::example_copy();
    let cache = tempfile::tempdir().unwrap();
    let server = start(site.path(), cache.path());
    let mut s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    let mut writer = s.try_clone().unwrap();
    let start = std::time::Instant::now();
    let drip = std::thread::spawn(move || {
        // a header line every half second, never the blank line that ends the head
        for i in 0..80 {
            if write!(writer, "{}X-{i}: y\r\n", if i == 0 { "GET /nl/ HTTP/1.1\r\nHost: 127.0.0.1\r\n" } else { "" })
                .is_err()
            {
                break;
            }
            std::thread::sleep(Duration::from_millis(500));
        }
    });
    s.set_read_timeout(Some(Duration::from_secs(40))).unwrap();
    let mut rest = Vec::new();
    // closed: an end of stream, or a reset when the server closed with a
    // header line it had not read yet; only a read timeout means still open
    let read = s.read_to_end(&mut rest);
    let open = read.as_ref().is_err_and(|e| matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut));
    assert!(!open, "the connection was still open after 40 s");
    assert!(start.elapsed() < Duration::from_secs(30), "closed only after {:?}", start.elapsed());
    drop(s);
    let _ = drip.join();
    // and the server still answers
    assert_eq!(get(server.port, "/nl/").0, 200);
}

#[test]
fn a_site_that_never_built_says_what_is_served() {
    let site = common::example_copy();
    let (file, good) = case_file(site.path());
    std::fs::write(&file, good.replacen("title:", "titel:", 1)).unwrap();
    let cache = tempfile::tempdir().unwrap();
    let server = start(site.path(), cache.path());
    let line = server.wait_line("build failed");
    assert!(!line.contains("last good version"), "{line}");
    assert!(line.contains("no version of the site has built yet"), "{line}");
    std::fs::write(&file, &good).unwrap();
    server.wait_line("built in");
    std::fs::write(&file, good.replacen("title:", "titel:", 1)).unwrap();
    let line = server.wait_line("build failed");
    assert!(line.contains("still serving the last good version"), "{line}");
}

#[cfg(target_os = "linux")]
#[test]
fn bind_names_the_address_served_and_only_that_one() {
    use std::process::Stdio;
    let site = common::example_copy();
    let cache = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_vitrine"))
        .args(["serve", "--bind", "127.0.0.2", "--port", "0"])
        .current_dir(site.path())
        .env("VITRINE_CACHE_DIR", cache.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let port: u16 = loop {
        let line = lines.next().expect("serve said where it listens").unwrap();
        if let Some(rest) = line.split(" at http://127.0.0.2:").nth(1) {
            break rest.split('/').next().unwrap().parse().unwrap();
        }
    };
    let ask = |ip: &str| -> std::io::Result<String> {
        let mut s = TcpStream::connect((ip, port))?;
        s.set_read_timeout(Some(Duration::from_secs(10)))?;
        write!(s, "GET /nl/ HTTP/1.1\r\nHost: {ip}:{port}\r\nConnection: close\r\n\r\n")?;
        let mut out = String::new();
        s.read_to_string(&mut out)?;
        Ok(out)
    };
    let answered = ask("127.0.0.2");
    let elsewhere = ask("127.0.0.1");
    let _ = child.kill();
    let _ = child.wait();
    assert!(answered.unwrap().starts_with("HTTP/1.1 200"));
    assert!(elsewhere.is_err(), "answered on an address it was not bound to");
}

#[test]
fn with_poll_a_save_is_seen_without_change_events() {
    let site = common::example_copy();
    let cache = tempfile::tempdir().unwrap();
    let server = start_with(site.path(), cache.path(), &["--poll"]);
    let mut events = Events::open(server.port);
    events.wait_for("hello");
    let (file, text) = case_file(site.path());
    // the poller compares modification times in whole seconds (notify's
    // PollWatcher): the save comes in a later second than the copy
    let copied = std::fs::metadata(&file).unwrap().modified().unwrap();
    let second = |t: std::time::SystemTime| t.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    while second(std::time::SystemTime::now()) <= second(copied) {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    std::fs::write(&file, text.replacen("title: Doelgerichte", "title: Gepeild en doelgericht", 1)).unwrap();
    assert_eq!(events.wait_for_any(&["css", "reload"]).0, "reload");
    assert!(get(server.port, "/nl/cases/centrum-huiselijk-geweld/").2.contains("Gepeild en doelgericht"));
}

#[test]
fn after_a_restart_the_open_pages_reload() {
    let (site, cache, server) = serve_copy();
    let port = server.port;
    let mut events = Events::open(port);
    let first = events.wait_for("hello");
    drop(server);
    // the page's EventSource reconnects to the same address: the new server
    // greets it with another build, and the script reloads on that
    let again = start_with(site.path(), cache.path(), &["--port", &port.to_string()]);
    assert_eq!(again.port, port);
    let second = Events::open(port).wait_for("hello");
    assert_ne!(first, second, "the restarted server greets with the build the page already has");
}

/// The search index is made after the reload, beside the next save: the
/// served index follows a save a moment later, with the new word in it.
#[test]
fn the_served_search_index_follows_a_save() {
    let (site, _cache, server) = serve_copy();
    let mut events = Events::open(server.port);
    events.wait_for("hello");
    let port = server.port;
    // the index's description once it is served and `done` says so
    let served = |done: &dyn Fn(&serde_json::Value) -> bool| {
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        loop {
            let (status, _, body) = get(port, "/search/nl/meta.json");
            if let Some(meta) =
                serde_json::from_str::<serde_json::Value>(&body).ok().filter(|m| status == 200 && done(m))
            {
                return meta;
            }
            assert!(std::time::Instant::now() < deadline, "no such index served: {status} {body}");
            std::thread::sleep(Duration::from_millis(20));
        }
    };
    // (the first is made just after start)
    let before = served(&|_| true)["stamp"].clone();
    let (file, text) = case_file(site.path());
    std::fs::write(&file, text.replacen("title: Doelgerichte", "title: Zeppelinvaart en doelgerichte", 1)).unwrap();
    assert_eq!(events.wait_for_any(&["css", "reload"]).0, "reload");
    let now = served(&|m| m["stamp"] != before);
    let parts = now["parts"].as_u64().unwrap();
    let words: String = (0..parts).map(|n| get(port, &format!("/search/nl/w/{n}.json")).2).collect();
    assert!(words.contains("\"zeppelinvaart\""), "the new word is in the served vocabulary");
}

#[test]
fn a_first_build_whose_case_pages_fail_serves_none_of_it() {
    // the homes are made first; a template error in the case pages comes
    // after them, and then nothing of that build is served
    let site = common::example_copy();
    let template = site.path().join("themes/default/templates/case.html");
    let good = std::fs::read_to_string(&template).unwrap();
    std::fs::write(&template, good.replacen("{% block main %}", "{% block main %}{{ nothing_here.deeper }}", 1))
        .unwrap();
    let cache = tempfile::tempdir().unwrap();
    let server = start(site.path(), cache.path());
    let (status, _, body) = get(server.port, "/nl/");
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("case.html:2:20: error: Variable `nothing_here` is not defined"), "{body}");
    std::fs::write(&template, &good).unwrap();
    server.wait_line("built in");
    assert_eq!(get(server.port, "/nl/").0, 200);
}
