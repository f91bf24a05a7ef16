//! Every bad input of the README's table, through the binary: the exact
//! message, the exit code, and a previous output left byte for byte as it was.

use crate::common;

use common::{SITE_YAML, case, site, tree, vitrine};
use std::path::Path;

const CASE: &str = "content/cases/a/index.nl.md";

/// Builds a good site, adds `bad` (path, bytes), builds again and returns
/// the second build's stderr, after checking it failed with exit 1 and
/// left the first build's output as it was.
fn fails_and_keeps_output(bad: &[(&str, &[u8])]) -> String {
    let dir = site(&[("site.yaml", SITE_YAML), (CASE, &case("A", ""))]);
    let first = vitrine(&["build"], dir.path());
    assert_eq!(first.status.code(), Some(0), "{}", String::from_utf8_lossy(&first.stderr));
    let before = tree(&dir.path().join("output"));
    for (rel, bytes) in bad {
        common::write(dir.path(), rel, bytes);
    }
    let out = vitrine(&["build"], dir.path());
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(tree(&dir.path().join("output")), before, "the failed build changed the output");
    assert!(stderr.ends_with("; output was left as it was\n"), "{stderr}");
    stderr
}

#[test]
fn a_file_that_is_not_utf8_is_located_at_the_first_bad_byte() {
    let err =
        fails_and_keeps_output(&[(CASE, b"---\ntitle: A\nclient: K\ndate: 2020-01-01\n---\nhallo \xff wereld\n")]);
    assert!(err.starts_with(&format!("{CASE}:6:7: error: this file is not UTF-8 text: save it as UTF-8\n")), "{err}");
}

#[test]
fn empty_files() {
    let err = fails_and_keeps_output(&[(CASE, b""), ("content/people/eefje.yaml", b"")]);
    assert!(
        err.starts_with(&format!(
            "{CASE}:1:1: error: the file is empty: a case starts with front matter between two `---` lines\n"
        )),
        "{err}"
    );
    assert!(err.contains("content/people/eefje.yaml:1:1: error: missing required key `name`\n"), "{err}");
}

#[test]
fn a_huge_file_is_refused_without_reading_it() {
    let mut big = case("A", "").into_bytes();
    let paragraph = "Een zin met wat woorden en een [link](https://example.org/). ".repeat(8) + "\n\n";
    while big.len() <= 9 << 20 {
        big.extend_from_slice(paragraph.as_bytes());
    }
    let err = fails_and_keeps_output(&[(CASE, &big)]);
    assert!(
        err.starts_with(&format!(
            "{CASE}:1:1: error: this file is 9.0 MB; a text file of the site may be at most 8 MB\n"
        )),
        "{err}"
    );
}

#[test]
fn a_yaml_alias_bomb_is_stopped() {
    let mut bomb =
        String::from("---\ntitle: A\nclient: K\ndate: 2020-01-01\na: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n");
    for (name, prev) in "bcdefghi".chars().zip("abcdefgh".chars()) {
        bomb.push_str(&format!(
            "{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
        ));
    }
    bomb.push_str("---\n");
    let err = fails_and_keeps_output(&[(CASE, bomb.as_bytes())]);
    assert!(
        err.starts_with(&format!(
            "{CASE}:1:1: error: the YAML expands too much (nested aliases): write the values out\n"
        )),
        "{err}"
    );
}

#[test]
fn deeply_nested_yaml_is_refused() {
    let deep = format!("---\ntitle: A\nx: {}\n---\n", "[".repeat(5000));
    let err = fails_and_keeps_output(&[(CASE, deep.as_bytes())]);
    assert!(err.contains("error: the YAML is nested too deeply: a front matter needs at most a few levels\n"), "{err}");
}

#[cfg(unix)]
#[test]
fn a_file_name_that_is_not_utf8() {
    use std::os::unix::ffi::OsStrExt;
    let dir = site(&[("site.yaml", SITE_YAML), (CASE, &case("A", ""))]);
    let name = std::ffi::OsStr::from_bytes(b"foto-\xff.jpg");
    std::fs::write(dir.path().join("content/cases/a").join(name), b"x").unwrap();
    let out = vitrine(&["build"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("content/cases/a/foto-\u{fffd}.jpg:1:1: error: the file name is not UTF-8; rename it\n"),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_loop_is_skipped_with_a_warning() {
    let dir = site(&[("site.yaml", SITE_YAML), (CASE, &case("A", ""))]);
    std::os::unix::fs::symlink("../..", dir.path().join("content/cases/a/loop")).unwrap();
    let out = vitrine(&["build"], dir.path());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_eq!(
        err,
        "content/cases/a/loop:1:1: warning: a symbolic link here points back to a folder that contains it; it is skipped\n"
    );
}

#[test]
fn a_case_folder_without_a_case_file_is_a_warning() {
    let dir = site(&[("site.yaml", SITE_YAML), (CASE, &case("A", "")), ("content/cases/b/hero.jpg", "x")]);
    let out = vitrine(&["build"], dir.path());
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "content/cases/b:1:1: warning: this case folder has no index.<lang>.md; its files are ignored\n   = hint: add index.nl.md (or another language) with the case's front matter\n"
    );
    assert!(!dir.path().join("output/nl/cases/b").exists());
}

#[test]
fn markdown_that_nests_deeply_still_builds() {
    let body = format!("{} deep\n\n{}\n\n{}\n", ">".repeat(20_000), "* ".repeat(5_000), "[".repeat(20_000));
    let dir = site(&[("site.yaml", SITE_YAML), (CASE, &format!("{}{body}", case("A", "")))]);
    let out = vitrine(&["build"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(Path::new(&dir.path().join("output/nl/cases/a/index.html")).is_file());
}
