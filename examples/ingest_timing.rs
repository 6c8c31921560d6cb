//! Native timing of the worker path (bytes → dataset → analysis) on a CSV file, for the
//! benchmark (`bench/run --native`). Run with
//! `cargo run --profile worker-release --example ingest_timing -- <file.csv> [repeats]` (the
//! worker's profile; `--release` gives the page's size-optimised code).
//! Prints one JSON line with the median time of each stage over the repeats. With
//! `LANTERN_READ_ONLY=1` the analysis is skipped (for profiling the reader).

use lantern::core::analysis::analyse;
use lantern::core::ingest::read_csv;
use lantern::core::recipe::Recipe;
use std::time::Instant;

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: ingest_timing <file.csv> [repeats]");
        std::process::exit(2);
    };
    let repeats: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(5).max(1);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    let name = path.rsplit('/').next().unwrap_or("file.csv").to_string();
    let (mut read_ms, mut analyse_ms) = (Vec::new(), Vec::new());
    let mut rows = 0;
    for _ in 0..repeats {
        let t0 = Instant::now();
        let ds = match read_csv(&bytes, &name) {
            Ok(ds) => ds,
            Err(e) => {
                eprintln!("{path}: {e}");
                std::process::exit(1);
            }
        };
        let t1 = Instant::now();
        if std::env::var_os("LANTERN_READ_ONLY").is_some() {
            rows = ds.n_rows;
            read_ms.push((t1 - t0).as_secs_f64() * 1e3);
            analyse_ms.push(0.0);
            continue;
        }
        let mut recipe = Recipe::default();
        recipe.suggest_columns(&ds.column_names());
        let a = analyse(&ds, &recipe);
        let t2 = Instant::now();
        rows = ds.n_rows;
        std::hint::black_box(&a);
        read_ms.push((t1 - t0).as_secs_f64() * 1e3);
        analyse_ms.push((t2 - t1).as_secs_f64() * 1e3);
        drop(ds);
    }
    let mb = bytes.len() as f64 / 1e6;
    let (r, a) = (median(&mut read_ms), median(&mut analyse_ms));
    println!(
        "{{\"file\":{name:?},\"rows\":{rows},\"mb\":{mb:.2},\"repeats\":{repeats},\"read_ms\":{r:.1},\"analyse_ms\":{a:.1},\"total_ms\":{:.1},\"read_mb_s\":{:.1}}}",
        r + a,
        mb / (r / 1e3)
    );
}
