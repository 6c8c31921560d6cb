//! The noncentral t against R: every row of `tests/data/nct_grid.csv` (R's `pt`, made by
//! `tests/data/nct_grid.R`) and of `tests/data/nct_grid_ncp40.csv` (ncp = 40, where R's
//! `pt` switches to a normal approximation; an 80-digit series made by
//! `tests/data/nct_grid_ncp40.py`, which also re-checks every R row: R is within 2e-11).
#![allow(clippy::excessive_precision)]

use lantern::core::stats::nct::nct_tails;
use std::path::PathBuf;

fn rows(file: &str) -> Vec<(f64, f64, f64, f64, f64)> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate().skip(1) {
        let f: Vec<f64> =
            line.split(',').take(5).map(|v| v.parse().unwrap_or_else(|_| panic!("{file}:{}: {line}", i + 1))).collect();
        out.push((f[0], f[1], f[2], f[3], f[4]));
    }
    out
}

/// Compares both tails of every row; returns the largest absolute error and the row count.
fn check(file: &str, atol: f64) -> (f64, usize) {
    let mut worst: f64 = 0.0;
    let mut failures = Vec::new();
    let data = rows(file);
    for &(q, df, ncp, lower, upper) in &data {
        let (lo, up) = nct_tails(q, df, ncp).unwrap_or_else(|| panic!("None at q={q} df={df} ncp={ncp}"));
        let err = (lo - lower).abs().max((up - upper).abs());
        worst = worst.max(err);
        if err.is_nan() || err > atol {
            failures.push(format!("q={q} df={df} ncp={ncp}: got ({lo:e}, {up:e}), want ({lower:e}, {upper:e})"));
        }
    }
    assert!(failures.is_empty(), "{file}: {} rows off by more than {atol}:\n{}", failures.len(), failures.join("\n"));
    (worst, data.len())
}

#[test]
fn nct_matches_r_over_the_grid() {
    let (worst, n) = check("nct_grid.csv", 1e-7);
    assert!(n > 1200, "grid has {n} rows");
    // R's own error on this grid is up to 2e-11 (see nct_grid_ncp40.py); ours adds nothing visible.
    assert!(worst < 1e-10, "max abs error vs R {worst:e}");
    eprintln!("nct vs R: {n} rows, max abs error {worst:e}");
}

#[test]
fn nct_matches_exact_series_at_ncp_40() {
    let (worst, n) = check("nct_grid_ncp40.csv", 1e-7);
    assert!(n >= 160, "grid has {n} rows");
    assert!(worst < 1e-12, "max abs error vs exact {worst:e}");
    eprintln!("nct vs exact (ncp 40): {n} rows, max abs error {worst:e}");
}

#[test]
fn small_tails_keep_relative_accuracy() {
    // Exact values from nct_grid_ncp40.py's series run at 200 digits, far in the tails.
    // cdf(-3, 1e5, 5) = 6.2304399930758142944e-16 (R's pt gives 1.7e-11 here: noise).
    let (lo, _) = nct_tails(-3.0, 1e5, 5.0).unwrap();
    assert!((lo / 6.2304399930758142944e-16 - 1.0).abs() < 1e-9, "{lo:e}");
    // cdf(20, 1000, 40) = 3.7264634339855575493e-74 (the series at 200 digits; R's pt gives
    // 8.3e-75 from its normal approximation).
    let (lo, _) = nct_tails(20.0, 1000.0, 40.0).unwrap();
    assert!((lo / 3.7264634339855575493e-74 - 1.0).abs() < 1e-12, "{lo:e}");
}
