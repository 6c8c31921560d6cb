//! Native timing of the worker path (bytes → dataset → analysis) on a CSV file, for the
//! benchmark (`bench/run --native`). Run with
//! `cargo run --profile worker-release --example ingest_timing -- <file.csv> [repeats]` (the
//! worker's profile; `--release` gives the page's size-optimised code).
//! Prints one JSON line with the median time of each stage over the repeats (read, the page's
//! summary, analysis) and `peak_heap_mb`: the most heap memory held at once during one more
//! run that lets the file's bytes go after reading, as the worker does (counted by the
//! allocator below, so without the allocator's own slack). With `LANTERN_READ_ONLY=1` the
//! analysis is skipped (for profiling the reader).

use lantern::core::analyses::analyse;
use lantern::core::ingest::read_csv;
use lantern::core::recipe::Recipe;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::time::Instant;

/// The system allocator, counting the bytes held and their peak.
struct Counting;
static HELD: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let now = HELD.fetch_add(by, Relaxed) + by;
    PEAK.fetch_max(now, Relaxed);
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        grew(l.size());
        System.alloc(l)
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        HELD.fetch_sub(l.size(), Relaxed);
        System.dealloc(p, l)
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        // While moving, the old and the new block are both held.
        grew(new);
        let q = System.realloc(p, l, new);
        HELD.fetch_sub(l.size(), Relaxed);
        q
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

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
    let mb_bytes = bytes.len();
    let (mut read_ms, mut summary_ms, mut analyse_ms) = (Vec::new(), Vec::new(), Vec::new());
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
            summary_ms.push(0.0);
            analyse_ms.push(0.0);
            continue;
        }
        let summary = ds.summary();
        let t2 = Instant::now();
        let mut recipe = Recipe::default();
        recipe.suggest_columns_from(&ds);
        let a = analyse(&ds, &recipe);
        let t3 = Instant::now();
        rows = ds.n_rows;
        std::hint::black_box((&a, &summary));
        read_ms.push((t1 - t0).as_secs_f64() * 1e3);
        summary_ms.push((t2 - t1).as_secs_f64() * 1e3);
        analyse_ms.push((t3 - t2).as_secs_f64() * 1e3);
        drop(ds);
    }
    // Peak heap of the worker's path: bytes, then columns (bytes let go), summary, analysis.
    let base = HELD.load(Relaxed);
    PEAK.store(base, Relaxed);
    let ds = read_csv(&bytes, &name).ok();
    drop(bytes);
    if let Some(ds) = &ds {
        let summary = ds.summary();
        let mut recipe = Recipe::default();
        recipe.suggest_columns_from(ds);
        std::hint::black_box((analyse(ds, &recipe), summary));
    }
    let peak_mb = (PEAK.load(Relaxed) - base + mb_bytes) as f64 / 1e6;
    let mb = mb_bytes as f64 / 1e6;
    let (r, s, a) = (median(&mut read_ms), median(&mut summary_ms), median(&mut analyse_ms));
    println!(
        "{{\"file\":{name:?},\"rows\":{rows},\"mb\":{mb:.2},\"repeats\":{repeats},\"read_ms\":{r:.1},\"summary_ms\":{s:.1},\"analyse_ms\":{a:.1},\"total_ms\":{:.1},\"read_mb_s\":{:.1},\"peak_heap_mb\":{peak_mb:.1},\"peak_x_file\":{:.2}}}",
        r + s + a,
        mb / (r / 1e3),
        peak_mb / mb
    );
}
