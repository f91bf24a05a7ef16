//! Fuzzing the loader: case files made by mutating the corpus in
//! `tests/it/fuzz/corpus/` (real cases and known-nasty inputs) go through the
//! front matter parser and the Markdown renderer as a build would use them.
//! Whatever the input, nothing panics, a file is either a case or has at
//! least one error, and every diagnostic points at a place in the file.
//!
//! The number of inputs is proptest's: `PROPTEST_CASES` (default 256);
//! `.ci/run` runs a longer round. A failure is kept by proptest in
//! `tests/it/fuzz.proptest-regressions` and replayed first on the next run.

use proptest::prelude::*;
use std::path::{Path, PathBuf};
use vitrine::load::parse_case_bytes;
use vitrine::text::markdown;

const REL: &str = "content/cases/fuzz/index.nl.md";

/// Bits of YAML, Markdown and text encoding that break parsers.
const TOKENS: &[&[u8]] = &[
    b"---\n",
    b"...\n",
    b":",
    b": ",
    b"- ",
    b"&a ",
    b"*a",
    b"[",
    b"]",
    b"{",
    b"}",
    b"\"",
    b"'",
    b"\n",
    b"\r\n",
    b"  ",
    b"\t",
    b"#",
    b"|\n",
    b">\n",
    b"!!binary ",
    b"!!str ",
    b"~",
    b"`",
    b"```\n",
    b"](",
    b"](@/cases/",
    b"[^1]",
    b"<",
    b"&amp;",
    b"\xef\xbb\xbf",
    b"\xc3\xa9",
    b"\xe2\x80\x99",
    b"\0",
    b"\xff",
    b"\\",
    b"%",
    b"title: ",
    b"strategy:\n",
    b"  lines:\n",
    b"    - title: ",
    b"date: 2020-02-29\n",
    b"facts:\n  - value: ",
    b"<<: *a\n",
    b"? ",
    b"## ",
];

/// The corpus, read once.
static CORPUS: std::sync::LazyLock<Vec<(PathBuf, Vec<u8>)>> = std::sync::LazyLock::new(read_corpus);

fn read_corpus() -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/fuzz/corpus");
    let mut files: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| (e.path(), std::fs::read(e.path()).unwrap_or_else(|err| panic!("{}: {err}", e.path().display()))))
        .collect();
    files.sort();
    assert!(files.len() >= 10, "the corpus is missing");
    files
}

/// One change to a byte string, at a position given as a fraction of its length.
#[derive(Debug, Clone)]
enum Mutation {
    Insert(f64, usize),
    Delete(f64, usize),
    Flip(f64, u8),
    Repeat(f64, usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (0.0..1.0, 0..TOKENS.len()).prop_map(|(at, t)| Mutation::Insert(at, t)),
        (0.0..1.0, 1usize..40).prop_map(|(at, n)| Mutation::Delete(at, n)),
        (0.0..1.0, any::<u8>()).prop_map(|(at, b)| Mutation::Flip(at, b)),
        (0.0..1.0, 1usize..30, 2usize..50).prop_map(|(at, n, times)| Mutation::Repeat(at, n, times)),
    ]
}

fn apply(mut bytes: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    let at = |f: f64, len: usize| ((f * len as f64) as usize).min(len);
    for m in mutations {
        let len = bytes.len();
        match *m {
            Mutation::Insert(f, t) => {
                let i = at(f, len);
                bytes.splice(i..i, TOKENS[t].iter().copied());
            }
            Mutation::Delete(f, n) => {
                let i = at(f, len);
                bytes.drain(i..(i + n).min(len));
            }
            Mutation::Flip(f, b) if len > 0 => {
                let i = at(f, len - 1);
                bytes[i] = b;
            }
            Mutation::Flip(..) => bytes.push(0),
            Mutation::Repeat(f, n, times) => {
                let i = at(f, len);
                let piece = bytes[i..(i + n).min(len)].to_vec();
                for _ in 1..times {
                    bytes.splice(i..i, piece.iter().copied());
                }
            }
        }
    }
    bytes
}

/// Loads one file as a build would and checks what a user relies on.
fn load_one(bytes: Vec<u8>) -> Result<(), String> {
    let lines = bytes.split(|&b| b == b'\n').count();
    match parse_case_bytes(Path::new(REL), bytes) {
        Ok(case) => {
            let resolve = |t: &str, _: usize, _: usize| t.starts_with("../").then(|| format!("/nl/{t}"));
            let r = markdown::render(&case.body, &case.lang, &resolve, &["top"]);
            for link in &r.links {
                let body_lines = case.body.split('\n').count();
                if link.line < 1 || link.line > body_lines || link.column < 1 {
                    return Err(format!("link {link:?} outside the body ({body_lines} lines)"));
                }
            }
            Ok(())
        }
        Err(diags) if diags.is_empty() => Err("refused without saying why".into()),
        Err(diags) => match diags.iter().find(|d| d.line > lines || d.column < 1 || !d.is_error()) {
            Some(d) => Err(format!("diagnostic outside the file ({lines} lines): {d}")),
            None => Ok(()),
        },
    }
}

#[test]
fn the_corpus_itself_loads_without_panic() {
    for (path, bytes) in CORPUS.iter().cloned() {
        let ok = load_one(bytes.clone());
        assert_eq!(ok, Ok(()), "{}", path.display());
        let is_example = path.file_name().is_some_and(|n| n.to_string_lossy().starts_with("example"));
        if is_example {
            assert!(parse_case_bytes(Path::new(REL), bytes).is_ok(), "{} should load", path.display());
        }
    }
}

proptest! {
    #[test]
    fn mutated_case_files_never_panic(seed in 0usize..1000, mutations in prop::collection::vec(mutation(), 1..8)) {
        let (_, bytes) = &CORPUS[seed % CORPUS.len()];
        let input = apply(bytes.clone(), &mutations);
        prop_assert_eq!(load_one(input), Ok(()));
    }
}
