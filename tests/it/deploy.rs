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
