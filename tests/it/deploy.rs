//! The deploy recipe shipped in docs/examples/: a valid GitHub Actions
//! workflow that fetches vitrine (never compiles it) and whose vitrine steps
//! run, as written, on a copy of the example site. (The fetch itself, from a
//! release archive with its checksum, is tried by `.ci/try-release.sh`.)

use crate::common;

use serde_yaml::Value;

#[test]
fn the_github_pages_workflow_parses_and_its_commands_run() {
    let path = common::example_root().join("docs/examples/github-pages.yml");
    let workflow: Value = serde_yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let steps = workflow["jobs"]["build"]["steps"].as_sequence().expect("a build job with steps");
    let runs: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    assert!(runs.contains(&"bash fetch-vitrine.sh"), "vitrine is fetched: {runs:?}");
    assert!(!runs.iter().any(|r| r.contains("cargo ")), "vitrine is never compiled on a deploy: {runs:?}");
    let commands: Vec<&str> = runs.iter().copied().filter(|r| r.starts_with("bin/vitrine ")).collect();
    assert!(commands.iter().any(|c| c.starts_with("bin/vitrine build")), "{runs:?}");
    let uploaded = steps.iter().find_map(|s| {
        s["with"]["path"].as_str().filter(|_| s["uses"].as_str().is_some_and(|u| u.contains("upload-pages-artifact")))
    });
    assert_eq!(uploaded, Some("output"));
    assert!(workflow["jobs"]["deploy"]["steps"][0]["uses"].as_str().unwrap().starts_with("actions/deploy-pages@"));

    // each vitrine step, with GitHub's expressions filled in, in the site
    // folder where the fetch step put the binary
    let site = common::example_copy();
    let cache = tempfile::tempdir().unwrap();
    std::fs::create_dir(site.path().join("bin")).unwrap();
    std::fs::copy(env!("CARGO_BIN_EXE_vitrine"), site.path().join("bin/vitrine")).unwrap();
    for command in &commands {
        let command = command
            .replace("${{ github.repository_owner }}", "agency")
            .replace("${{ github.event.repository.name }}", "cases");
        assert!(!command.contains("${{"), "an expression the test does not know: {command}");
        let out = std::process::Command::new("bash")
            .args(["-c", &command])
            .current_dir(site.path())
            .env("NO_COLOR", "1")
            .env("VITRINE_CACHE_DIR", cache.path())
            .output()
            .unwrap();
        assert!(out.status.success(), "{command}: {}", String::from_utf8_lossy(&out.stderr));
    }
    let home = std::fs::read_to_string(site.path().join("output/nl/index.html")).unwrap();
    assert!(home.contains(r#"href="https://agency.github.io/cases/nl/""#), "the canonical link has the sub-path");
}

/// The headers `_headers` gives a path, read as Netlify and Cloudflare
/// Pages read it: a line at the start is a path pattern (`*` matches any
/// run of characters), the indented `Name: value` lines below it are its
/// headers, and every rule whose pattern matches applies.
fn headers_for(rules: &str, path: &str) -> Vec<(String, String)> {
    fn matches(pattern: &str, path: &str) -> bool {
        match pattern.split_once('*') {
            None => pattern == path,
            Some((head, tail)) => {
                path.starts_with(head) && (0..=path.len() - head.len()).any(|i| matches(tail, &path[head.len() + i..]))
            }
        }
    }
    let mut out = Vec::new();
    let mut applies = false;
    for line in rules.lines().filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#')) {
        if !line.starts_with(char::is_whitespace) {
            applies = matches(line.trim(), path);
        } else if applies {
            let (name, value) = line.trim().split_once(':').expect("a header line is `Name: value`");
            out.push((name.trim().to_string(), value.trim().to_string()));
        }
    }
    out
}

#[test]
fn the_host_headers_keep_the_stamped_search_parts_a_year_and_nothing_else() {
    let dir = common::example_copy();
    let out = common::vitrine(&["build", "--base-url", "https://www.example.org/cases-site/"], dir.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let rules = std::fs::read_to_string(dir.path().join("output/_headers")).unwrap();
    let cache = |path: &str| {
        let all = headers_for(&rules, path);
        assert!(all.contains(&("X-Content-Type-Options".into(), "nosniff".into())), "{path}: {all:?}");
        all.into_iter().find(|(n, _)| n == "Cache-Control").map(|(_, v)| v)
    };
    let year = Some("public, max-age=31536000, immutable".to_string());
    assert_eq!(cache("/cases-site/search/nl/w/0.json"), year);
    assert_eq!(cache("/cases-site/search/fr/d/0.json"), year);
    assert_eq!(cache("/cases-site/search/nl/filters.json"), year);
    assert_eq!(cache("/cases-site/search/nl/meta.json").as_deref(), Some("no-cache"));
    for page in ["/cases-site/nl/", "/cases-site/style.css", "/cases-site/nl/cases/gebiedsvisie-bavel/hero-960w.jpg"] {
        assert_eq!(cache(page), None, "{page} keeps the host's default");
    }

    // a theme's own _headers is taken instead
    common::write(dir.path(), "themes/default/static/_headers", b"/*\n  X-Frame-Options: DENY\n");
    assert!(common::vitrine(&["build"], dir.path()).status.success());
    let rules = std::fs::read_to_string(dir.path().join("output/_headers")).unwrap();
    assert_eq!(rules, "/*\n  X-Frame-Options: DENY\n");
}
