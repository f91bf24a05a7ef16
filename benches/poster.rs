//! One A3 poster, end to end (content, layout, PDF with subset fonts and
//! `/Lang`), rendered many times without the cache: `cargo bench --bench poster`.

use std::time::Instant;
use vitrine::cache::Cache;
use vitrine::poster::Posters;

fn main() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let (loaded, diags) = vitrine::pipeline::load(&vitrine::pipeline::Options::new(root));
    let l = loaded.unwrap_or_else(|| panic!("{diags:#?}"));
    let i = l.site.pages.iter().position(|p| p.fm.strategy.is_some()).expect("a case with a strategy");
    let runs: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(300);
    let cache = Cache::none();
    let posters = Posters::new(&l.site, &l.i18n, &l.poster_style, &cache);
    let t = Instant::now();
    posters.render(i, vitrine::model::urls::PosterFile::Screen).unwrap();
    println!("first poster (fonts subset once per build): {:.2} ms", t.elapsed().as_secs_f64() * 1000.0);
    let mut times = Vec::with_capacity(runs);
    let mut size = 0;
    for _ in 0..runs {
        let t = Instant::now();
        let (bytes, _) = posters.render(i, vitrine::model::urls::PosterFile::Screen).unwrap();
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        size = bytes.len();
    }
    times.sort_by(|a, b| a.total_cmp(b));
    let pct = |p: f64| times[((times.len() - 1) as f64 * p) as usize];
    println!(
        "poster {}: {runs} renders, median {:.2} ms, p10 {:.2} ms, p90 {:.2} ms, {size} bytes",
        l.site.pages[i].source.display(),
        pct(0.5),
        pct(0.1),
        pct(0.9)
    );
}
