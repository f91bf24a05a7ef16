//! The web editor (issue 30) from the outside: `build` writes its files
//! only with `cms:`, and `serve` answers Decap's local-backend protocol as
//! Decap's client speaks it (JSON posts to `/api/v1`), saving into the site
//! folder only what builds, only below `content/`, only from its own page.

use crate::common::{self, serve};
use std::path::Path;

const CMS: &str = "cms:\n  backend:\n    name: github\n    repo: agency/cases\n    branch: main\n";

fn with_cms() -> tempfile::TempDir {
    let site = common::example_copy();
    let yaml = std::fs::read_to_string(site.path().join("site.yaml")).unwrap();
    std::fs::write(site.path().join("site.yaml"), format!("{yaml}{CMS}")).unwrap();
    site
}

/// Posts a protocol request as Decap's page does; status and JSON.
fn post(port: u16, origin: &str, body: &str) -> (u16, serde_json::Value) {
    let raw = format!(
        "POST /api/v1 HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: {origin}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let (status, _, body) = serve::exchange(port, &raw);
    (status, serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null))
}

fn own(port: u16) -> String {
    format!("http://127.0.0.1:{port}")
}

#[test]
fn build_writes_the_editor_only_for_a_site_with_cms() {
    let out = tempfile::tempdir().unwrap();
    let plain = common::example_copy();
    let status = common::vitrine(&["build", "--output", out.path().to_str().unwrap()], plain.path()).status;
    assert!(status.success());
    assert!(!out.path().join("admin").exists(), "no cms:, no editor");

    let site = with_cms();
    let status = common::vitrine(&["build"], site.path()).status;
    assert!(status.success());
    let page = std::fs::read_to_string(site.path().join("output/admin/index.html")).unwrap();
    assert!(page.contains("<script src=\"https://unpkg.com/decap-cms@3.16.3/dist/decap-cms.js\"></script>"));
    let config: serde_yaml::Value =
        serde_yaml::from_str(&std::fs::read_to_string(site.path().join("output/admin/config.yml")).unwrap()).unwrap();
    assert_eq!(config["backend"]["repo"], "agency/cases");
    assert_eq!(config["collections"][0]["folder"], "content/cases");

    // a backend Decap does not have is located, with the ones it has
    let yaml = std::fs::read_to_string(site.path().join("site.yaml")).unwrap().replace("github", "githib");
    std::fs::write(site.path().join("site.yaml"), yaml).unwrap();
    let out = common::vitrine(&["check"], site.path());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(err.contains("site.yaml:14:5: error: `githib` is not a backend of Decap CMS"), "{err}");
}

#[test]
fn serve_saves_what_builds_and_refuses_what_does_not() {
    let site = with_cms();
    let cache = tempfile::tempdir().unwrap();
    let server = serve::start(site.path(), cache.path());
    let port = server.port;
    let (_, _, config) = serve::get(port, "/admin/config.yml");
    assert!(config.contains("name: proxy") && config.contains("proxy_url: /api/v1"), "{config}");
    // the editor's page is not reloaded under the editor's hands
    let (_, _, page) = serve::get(port, "/admin/");
    assert!(!page.contains("EventSource"), "{page}");

    let (status, info) = post(port, &own(port), r#"{"action":"info"}"#);
    assert_eq!((status, info["type"].as_str()), (200, Some("local_fs")));
    let (status, list) = post(
        port,
        &own(port),
        r#"{"action":"entriesByFolder","params":{"folder":"content/cases","extension":"md","depth":2}}"#,
    );
    assert_eq!(status, 200);
    let bavel =
        list.as_array().unwrap().iter().find(|e| e["file"]["path"] == "content/cases/gebiedsvisie-bavel/index.nl.md");
    let bavel = bavel.expect("the Bavel case listed");
    let on_disk = std::fs::read_to_string(site.path().join("content/cases/gebiedsvisie-bavel/index.nl.md")).unwrap();
    assert_eq!(bavel["data"].as_str(), Some(on_disk.as_str()));

    // a new case without a client: refused with vitrine's problem, nothing written
    let case = "content/cases/zeeland/index.nl.md";
    let save = |raw: &str| {
        serde_json::json!({"action": "persistEntry", "params": {
            "dataFiles": [{"path": case, "raw": raw, "slug": "zeeland/index"},
                          {"path": "content/cases/zeeland/index.fr.md", "raw": "---\ndate: 2024-03-01\n---\n", "slug": "zeeland/index"}],
            "assets": [], "options": {"commitMessage": "Create Case “zeeland/index”"}}})
        .to_string()
    };
    let (status, reply) = post(port, &own(port), &save("---\ntitle: Zeeland\ndate: 2024-03-01\n---\nTekst\n"));
    assert_eq!(status, 422);
    let error = reply["error"].as_str().unwrap();
    assert!(error.contains("content/cases/zeeland/index.nl.md:1:1: error: missing required key `client`"), "{error}");
    assert!(!site.path().join("content/cases/zeeland").exists());
    server.wait_line("the web editor's save was refused");

    // with its client it is saved (the untranslated French file is not), built and served
    let raw = "---\ntitle: Zeeland\nclient: Provincie Zeeland\ndate: 2024-03-01\ncontact: ''\nrelated:\n  - gebiedsvisie-bavel/index\n---\nTekst\n";
    let (status, reply) = post(port, &own(port), &save(raw));
    assert_eq!(status, 200, "{reply}");
    assert_eq!(std::fs::read_to_string(site.path().join(case)).unwrap(), raw);
    assert!(!site.path().join("content/cases/zeeland/index.fr.md").exists());
    server.wait_line("built in");
    let (status, _, page) = serve::get(port, "/nl/cases/zeeland/");
    assert_eq!(status, 200);
    assert!(
        page.contains("Provincie Zeeland") && page.contains("/nl/cases/gebiedsvisie-bavel/"),
        "related as the folder"
    );
}

#[test]
fn only_the_editor_s_own_page_may_write_and_only_the_site_s_content() {
    let site = with_cms();
    std::fs::write(site.path().join("secret.txt"), "do not read").unwrap();
    let cache = tempfile::tempdir().unwrap();
    let server = serve::start(site.path(), cache.path());
    let port = server.port;
    let get_secret = r#"{"action":"getEntry","params":{"path":"content/../secret.txt"}}"#;
    let (status, reply) = post(port, &own(port), get_secret);
    assert_eq!(status, 422);
    assert!(!reply.to_string().contains("do not read"));
    let write = |path: &str| {
        serde_json::json!({"action": "persistEntry", "params": {"dataFiles": [{"path": path, "raw": "x"}], "assets": []}})
            .to_string()
    };
    for path in ["site.yaml", "themes/x/templates/base.html", "content/../site.yaml", "/tmp/x.md", "content/notes.md"] {
        let (status, _) = post(port, &own(port), &write(path));
        assert_eq!(status, 422, "{path}");
    }
    assert!(!site.path().join("themes/x").exists() && !site.path().join("content/notes.md").exists());
    // another site's page, and a request that is not JSON
    let (status, _) = post(port, "http://evil.example", r#"{"action":"info"}"#);
    assert_eq!(status, 403);
    let raw = format!(
        "POST /api/v1 HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: text/plain\r\nContent-Length: 17\r\nConnection: close\r\n\r\n{{\"action\":\"info\"}}"
    );
    assert_eq!(serve::exchange(port, &raw).0, 415);
    let (status, _, _) = serve::get(port, "/api/v1");
    assert_eq!(status, 405);
    // a body sent anywhere else is never read
    let raw = format!(
        "POST /nl/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{{}}"
    );
    assert_eq!(serve::exchange(port, &raw).0, 400);
    assert!(Path::new(&site.path().join("site.yaml")).is_file());
}

#[test]
fn without_cms_serve_has_no_editor_endpoint() {
    let site = common::example_copy();
    let cache = tempfile::tempdir().unwrap();
    let server = serve::start(site.path(), cache.path());
    let (status, _) = post(server.port, &own(server.port), r#"{"action":"info"}"#);
    assert_eq!(status, 404);
}
