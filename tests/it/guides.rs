//! The editors' guides (docs/redactie.md, docs/redaction.md): every case
//! they show builds, and every mistake they show gets the message printed
//! below it. Built as an editor builds: `vitrine build` in the site folder.

use crate::common;

use common::{SITE_YAML, site, vitrine};

/// A fenced example of a guide: ```markdown PATH [error], the file's text,
/// and for an error the first line of the ```text block that follows.
struct Example {
    path: String,
    text: String,
    error: Option<String>,
}

fn examples(guide: &str) -> Vec<Example> {
    let text = std::fs::read_to_string(common::example_root().join("docs").join(guide)).unwrap();
    let mut lines = text.lines();
    let mut out: Vec<Example> = Vec::new();
    while let Some(line) = lines.next() {
        let Some(info) = line.strip_prefix("```") else { continue };
        let body: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
        let mut words = info.split(' ');
        match (words.next(), words.next(), words.next()) {
            (Some("markdown"), Some(path), error) => out.push(Example {
                path: path.to_string(),
                text: body.join("\n") + "\n",
                error: error.map(|_| String::new()),
            }),
            (Some("text"), ..) => {
                if let Some(Example { error: Some(want), .. }) = out.last_mut()
                    && want.is_empty()
                {
                    *want = body.first().unwrap_or(&"").to_string();
                }
            }
            _ => {}
        }
    }
    out
}

fn check(guide: &str) {
    let all = examples(guide);
    let person = ("content/people/eefje.yaml", "name: Eefje Rolsma\nemail: eefje@example.org\n");
    let good: Vec<&Example> = all.iter().filter(|e| e.error.is_none()).collect();
    assert!(!good.is_empty(), "{guide} shows no case");
    let mut files = vec![("site.yaml", SITE_YAML), person];
    files.extend(good.iter().map(|e| (e.path.as_str(), e.text.as_str())));
    let dir = site(&files);
    let out = vitrine(&["build"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{guide}: {}", String::from_utf8_lossy(&out.stderr));
    let out = vitrine(&["check"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{guide}: {}", String::from_utf8_lossy(&out.stderr));

    let mistakes: Vec<&Example> = all.iter().filter(|e| e.error.is_some()).collect();
    assert_eq!(mistakes.len(), 10, "{guide}: the ten errors");
    for e in mistakes {
        let want = e.error.as_deref().unwrap();
        assert!(!want.is_empty(), "{guide}: {} has no message below it", e.path);
        let dir = site(&[("site.yaml", SITE_YAML), person, (e.path.as_str(), e.text.as_str())]);
        let out = vitrine(&["build"], dir.path());
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{guide}: {}\n{err}", e.text);
        assert!(err.lines().any(|l| l.starts_with(want)), "{guide}: `{want}` not in\n{err}");
    }
}

#[test]
fn the_dutch_guide_s_examples_build_and_its_errors_are_the_ones_shown() {
    check("redactie.md");
}

#[test]
fn the_french_guide_s_examples_build_and_its_errors_are_the_ones_shown() {
    check("redaction.md");
}
