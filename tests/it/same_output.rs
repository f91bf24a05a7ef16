//! The example site's output, file by file (path, size, FNV-1a hash), and
//! a print file, as recorded in tests/it/golden/example-site.txt: a change
//! of structure must leave every byte as it was. When an output is meant to
//! change, `VITRINE_BLESS=1 cargo test --test it same_output` records the
//! new list and still fails (so a variable left set never passes the
//! test); run it again without, and commit the list with the change, so
//! the review shows which files it touched.

use crate::common;

use std::fmt::Write as _;

fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

#[test]
fn the_example_site_builds_to_the_recorded_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let report = common::build(&common::example_root(), &out);
    assert!(report.summary.is_some(), "{:#?}", report.diagnostics);
    let mut list = String::new();
    for (path, bytes) in common::tree(&out) {
        let rel = path.strip_prefix(&out).unwrap().to_string_lossy().replace('\\', "/");
        writeln!(list, "{rel} {} {:016x}", bytes.len(), fnv(&bytes)).unwrap();
    }
    // a print file (bleed, crop marks, CMYK), which a default build does not write
    let case = common::example_root().join("content/cases/veiliger-thuis-midden-brabant/index.fr.md");
    let (print, slug, _) = vitrine::pipeline::poster(
        &vitrine::pipeline::Options::new(common::example_root()),
        &case,
        vitrine::model::urls::PosterFile::Print,
    )
    .unwrap();
    writeln!(list, "print:{slug}-a3-print.pdf {} {:016x}", print.len(), fnv(&print)).unwrap();
    let golden = common::example_root().join("tests/it/golden/example-site.txt");
    if std::env::var_os("VITRINE_BLESS").is_some() {
        std::fs::write(&golden, &list).unwrap();
        panic!(
            "tests/it/golden/example-site.txt recorded anew: review its diff, then run the test again without VITRINE_BLESS"
        );
    }
    let want = std::fs::read_to_string(&golden).unwrap_or_default();
    let (got, want): (Vec<&str>, Vec<&str>) = (list.lines().collect(), want.lines().collect());
    let changed: Vec<&&str> = got.iter().filter(|l| !want.contains(l)).collect();
    let gone: Vec<&&str> = want.iter().filter(|l| !got.contains(l)).collect();
    assert!(
        changed.is_empty() && gone.is_empty(),
        "the output differs from tests/it/golden/example-site.txt (VITRINE_BLESS=1 records it anew)\nnow: {changed:#?}\nwas: {gone:#?}"
    );
}
