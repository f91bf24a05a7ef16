//! One share image (1200 × 630 PNG, with and without the case's picture)
//! and one poster preview (600 × 848 PNG), drawn many times without the
//! cache: `cargo bench --bench share [-- RUNS [WORD]]` (only the pictures
//! whose description has WORD: `preview`, `picture`).

use std::time::Instant;
use vitrine::cache::Cache;
use vitrine::cache::Output;
use vitrine::poster::Posters;
use vitrine::share::Pictures;

/// Median, p10 and p90 of `runs` draws, in milliseconds, and the bytes of the last.
fn time(runs: usize, draw: impl Fn() -> Output) -> (f64, f64, f64, usize) {
    let mut times = Vec::with_capacity(runs);
    let mut size = 0;
    for _ in 0..runs {
        let t = Instant::now();
        let Output::Made(bytes) = draw() else { panic!("drawn, not cached") };
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        size = bytes.len();
    }
    times.sort_by(|a, b| a.total_cmp(b));
    let pct = |p: f64| times[((times.len() - 1) as f64 * p) as usize];
    (pct(0.5), pct(0.1), pct(0.9), size)
}

fn main() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let (loaded, diags) = vitrine::pipeline::load(&vitrine::pipeline::Options::new(root));
    let l = loaded.unwrap_or_else(|| panic!("{diags:#?}"));
    let runs: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(200);
    let cache = Cache::none();
    let posters = Posters::new(&l.site, &l.i18n, &l.poster_style, &cache);
    let pictures = Pictures::new(&l.site, &l.poster_style, &cache, &posters);
    let pages = &l.site.pages;
    let plain = pages.iter().position(|p| p.image.is_none()).expect("a case without a picture");
    let pictured = pages.iter().position(|p| p.image.is_some()).expect("a case with a picture");
    let strategy = pages.iter().position(|p| p.fm.strategy.is_some()).expect("a case with a strategy");
    let cases = [
        ("share image, no picture", plain, false),
        ("share image, with picture", pictured, false),
        ("poster preview", strategy, true),
    ];
    let only = std::env::args().nth(2).unwrap_or_default();
    for (what, i, preview) in cases.into_iter().filter(|c| c.0.contains(&only)) {
        let draw = || match preview {
            false => pictures.share(i).unwrap().0,
            true => pictures.preview(i, &mut None).unwrap().0,
        };
        let (median, p10, p90, size) = time(runs, draw);
        println!(
            "{what} ({}): {runs} draws, median {median:.2} ms, p10 {p10:.2} ms, p90 {p90:.2} ms, {size} bytes",
            pages[i].source.display()
        );
    }
}
