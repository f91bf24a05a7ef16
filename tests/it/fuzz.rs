//! Fuzzing the loader: case files made by mutating the corpus in
//! `tests/it/fuzz/corpus/` (real cases and known-nasty inputs) go through the
//! front matter parser and the Markdown renderer as a build would use them.
//! Whatever the input, nothing panics, a file is either a case or has at
//! least one error, and every diagnostic points at a place in the file.
//!
//! Each run draws new inputs from a seed it prints when it fails, with the
//! failing input cut down to the fewest mutations that still fail;
//! `VITRINE_FUZZ_SEED` runs that seed again and `VITRINE_FUZZ_CASES` sets
//! the number of inputs (256; `.ci/run` runs a longer round). An input
//! worth keeping goes into the corpus.

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

/// The inputs' random source: SplitMix64, so that a seed gives the same
/// inputs on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `from..to`.
    fn range(&mut self, from: usize, to: usize) -> usize {
        from + (self.next() % (to - from) as u64) as usize
    }

    fn fraction(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn mutation(&mut self) -> Mutation {
        let at = self.fraction();
        match self.range(0, 4) {
            0 => Mutation::Insert(at, self.range(0, TOKENS.len())),
            1 => Mutation::Delete(at, self.range(1, 40)),
            2 => Mutation::Flip(at, self.next() as u8),
            _ => Mutation::Repeat(at, self.range(1, 30), self.range(2, 50)),
        }
    }
}

fn env_number(name: &str) -> Option<u64> {
    let value = std::env::var(name).ok()?;
    Some(value.trim().parse().unwrap_or_else(|_| panic!("{name}={value}: not a number")))
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
            let body = case.body.text();
            let r = markdown::render(&body, &case.lang, &resolve, &["top"]);
            for link in &r.links {
                let body_lines = body.split('\n').count();
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

#[test]
fn mutated_case_files_never_panic() {
    let seed = env_number("VITRINE_FUZZ_SEED").unwrap_or_else(|| {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        now.as_nanos() as u64
    });
    let cases = env_number("VITRINE_FUZZ_CASES").unwrap_or(256);
    let mut rng = Rng(seed);
    for case in 0..cases {
        let file = rng.range(0, CORPUS.len());
        let mutations: Vec<Mutation> = (0..rng.range(1, 8)).map(|_| rng.mutation()).collect();
        let fails = |mutations: &[Mutation]| {
            let input = apply(CORPUS[file].1.clone(), mutations);
            std::panic::catch_unwind(|| load_one(input)).unwrap_or_else(|_| Err("panicked".into())).err()
        };
        let Some(mut why) = fails(&mutations) else { continue };
        // the fewest mutations that still fail
        let mut kept = mutations;
        let mut i = 0;
        while i < kept.len() {
            let mut fewer = kept.clone();
            fewer.remove(i);
            match fails(&fewer) {
                Some(w) if !fewer.is_empty() => (kept, why) = (fewer, w),
                _ => i += 1,
            }
        }
        let input = apply(CORPUS[file].1.clone(), &kept);
        panic!(
            "input {case} of VITRINE_FUZZ_SEED={seed}: {why}\n{} with {kept:?}:\n{}",
            CORPUS[file].0.display(),
            String::from_utf8_lossy(&input)
        );
    }
}
