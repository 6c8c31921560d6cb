//! Exact tests on counts: the two-sided binomial test (R's `binom.test`) and Fisher's exact
//! test for a 2×2 table (R's `fisher.test`). Both sum the probabilities of all outcomes that are
//! as probable as, or less probable than, the observed one, with R's relative tolerance 1 + 1e-7.

use statrs::distribution::{Binomial, Discrete};
use statrs::function::factorial::ln_factorial;

/// R's relative tolerance when comparing outcome probabilities with the observed one.
const REL_ERR: f64 = 1.0 + 1e-7;

/// Two-sided exact binomial p of `x` successes in `n` trials at probability `p`
/// (R: `binom.test(x, n, p)$p.value`). `None` when `n == 0` or `x > n`.
pub fn binom_test_two_sided(x: u64, n: u64, p: f64) -> Option<f64> {
    if n == 0 || x > n || !(0.0..=1.0).contains(&p) {
        return None;
    }
    if p == 0.0 {
        return Some(if x == 0 { 1.0 } else { 0.0 });
    }
    if p == 1.0 {
        return Some(if x == n { 1.0 } else { 0.0 });
    }
    // R: if x equals the mean n*p exactly, p = 1.
    if (x as f64) == n as f64 * p {
        return Some(1.0);
    }
    let dist = Binomial::new(p, n).ok()?;
    let d = dist.pmf(x);
    // Outcomes outside `window` have a probability of exactly 0.0 in floating point, so
    // leaving them out changes no bit of the sum (`+ 0.0`: the observed outcome, 0.0 itself
    // when outside, is always among the summed ones, so the sum is never -0.0).
    // (`pmf(k)` is `ln_pmf(k).exp()`, the same expression.)
    let mode = ((n as f64 + 1.0) * p).floor().clamp(0.0, n as f64) as u64;
    let logs = window(0, n, mode, |k| dist.ln_pmf(k));
    let total: f64 = logs.iter().map(|l| l.exp()).filter(|&pk| pk <= d * REL_ERR).sum::<f64>() + 0.0;
    crate::core::stats::describe::finite(total.min(1.0))
}

/// Log-probabilities this far below the start's make a probability of exactly 0.0 relative to
/// the largest (`exp` underflows to 0 below about −745.1), with room for rounding.
const NEGLIGIBLE_LOG: f64 = 800.0;

/// The log-probabilities `ln_p(x)`, in increasing `x`, of the outcomes `x` in `[lo, hi]` apart
/// from those where a unimodal (log-concave) distribution's `ln_p` is more than
/// [`NEGLIGIBLE_LOG`] below its value at `start` (ideally the mode): walks down and up from
/// `start` until it drops that far, computing each value once.
fn window(lo: u64, hi: u64, start: u64, ln_p: impl Fn(u64) -> f64) -> Vec<f64> {
    let start = start.clamp(lo, hi);
    let at_start = ln_p(start);
    let floor = at_start - NEGLIGIBLE_LOG;
    if !floor.is_finite() {
        return (lo..=hi).map(ln_p).collect();
    }
    let mut below = Vec::new();
    let mut x = start;
    while x > lo {
        x -= 1;
        let l = ln_p(x);
        below.push(l);
        if l < floor {
            break;
        }
    }
    let mut logs: Vec<f64> = below.into_iter().rev().collect();
    logs.push(at_start);
    let mut x = start;
    while x < hi {
        x += 1;
        let l = ln_p(x);
        logs.push(l);
        if l < floor {
            break;
        }
    }
    logs
}

/// Two-sided Fisher exact p for the table `[[a, b], [c, d]]` (R: `fisher.test(tab)$p.value`):
/// the hypergeometric probabilities of all tables with the same margins that are
/// `<= (1 + 1e-7) *` the observed one, summed. `None` for an empty table.
pub fn fisher_exact_two_sided(a: u64, b: u64, c: u64, d: u64) -> Option<f64> {
    // R: m = column 1 total, n = column 2 total, k = row 1 total, x = a.
    let m = a + c;
    let n = b + d;
    let k = a + b;
    if m + n == 0 {
        return None;
    }
    let lo = k.saturating_sub(n);
    let hi = k.min(m);
    if a < lo || a > hi {
        return None;
    }
    // `ln_binomial(m, x) + ln_binomial(n, k - x)` (x is within [lo, hi]), with the factorials of
    // the margins computed once: the same operations in the same order.
    let (lfm, lfn) = (ln_factorial(m), ln_factorial(n));
    let logdc = |x: u64| {
        (lfm - ln_factorial(x) - ln_factorial(m - x)) + (lfn - ln_factorial(k - x) - ln_factorial(n - (k - x)))
    };
    // Only tables within `window` of the mode have a density that is not exactly 0.0 after
    // scaling by the largest, so the sums below equal R's sums over every table bit for bit
    // (`+ 0.0`: the observed table is always among the summed ones, 0.0 when outside).
    let mode = ((u128::from(k) + 1) * (u128::from(m) + 1) / (u128::from(m) + u128::from(n) + 2)) as u64;
    let logdc_window = window(lo, hi, mode, logdc);
    let max = logdc_window.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !max.is_finite() {
        return None;
    }
    let dens: Vec<f64> = logdc_window.iter().map(|l| (l - max).exp()).collect();
    let sum: f64 = dens.iter().sum();
    let observed = (logdc(a) - max).exp();
    let p: f64 = (dens.iter().filter(|&&v| v <= observed * REL_ERR).sum::<f64>() + 0.0) / sum;
    crate::core::stats::describe::finite(p.min(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use statrs::function::factorial::ln_binomial;

    #[test]
    fn binomial_matches_r() {
        // R: binom.test(3, 10)$p.value = 0.34375; binom.test(7, 9, 0.3)$p.value = 0.004290894
        assert!((binom_test_two_sided(3, 10, 0.5).unwrap() - 0.34375).abs() < 1e-12);
        assert!((binom_test_two_sided(7, 9, 0.3).unwrap() - 0.004290894).abs() < 1e-9);
        // R: binom.test(0, 2)$p.value = 0.5; binom.test(1, 2)$p.value = 1
        assert!((binom_test_two_sided(0, 2, 0.5).unwrap() - 0.5).abs() < 1e-12);
        assert_eq!(binom_test_two_sided(1, 2, 0.5), Some(1.0));
        assert_eq!(binom_test_two_sided(0, 0, 0.5), None);
        assert_eq!(binom_test_two_sided(3, 2, 0.5), None);
    }

    /// R's sums over every outcome, without the window.
    fn fisher_full(a: u64, b: u64, c: u64, d: u64) -> Option<f64> {
        let (m, n, k) = (a + c, b + d, a + b);
        let lo = k.saturating_sub(n);
        let logdc: Vec<f64> = (lo..=k.min(m)).map(|x| ln_binomial(m, x) + ln_binomial(n, k - x)).collect();
        let max = logdc.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let dens: Vec<f64> = logdc.iter().map(|l| (l - max).exp()).collect();
        let observed = dens[(a - lo) as usize];
        let p = dens.iter().filter(|&&v| v <= observed * REL_ERR).sum::<f64>() / dens.iter().sum::<f64>();
        crate::core::stats::describe::finite(p.min(1.0))
    }

    fn binom_full(x: u64, n: u64, p: f64) -> Option<f64> {
        let dist = Binomial::new(p, n).ok()?;
        let d = dist.pmf(x);
        let total: f64 = (0..=n).map(|k| dist.pmf(k)).filter(|&pk| pk <= d * REL_ERR).sum();
        crate::core::stats::describe::finite(total.min(1.0))
    }

    #[test]
    fn windowed_sums_equal_full_sums_bit_for_bit() {
        let same = |x: Option<f64>, y: Option<f64>| x.map(f64::to_bits) == y.map(f64::to_bits);
        let tables = [
            (3, 1, 1, 3),
            (6, 9, 0, 15),
            (0, 5, 7, 0),
            (1200, 800, 950, 1050),
            (30_000, 20_000, 25_000, 26_000),
            (24_000, 25_734, 24_900, 25_366),
            (100_000, 400_000, 99_000, 401_000),
            (0, 300_000, 5, 200_000),
            (2, 0, 0, 90_000),
            (500, 501, 499, 500),
        ];
        for (a, b, c, d) in tables {
            let (w, f) = (fisher_exact_two_sided(a, b, c, d), fisher_full(a, b, c, d));
            assert!(same(w, f), "fisher {a} {b} {c} {d}: {w:?} vs {f:?}");
        }
        for (x, n, p) in [
            (3, 10, 0.5),
            (7, 9, 0.3),
            (0, 2, 0.5),
            (4_950, 10_000, 0.5),
            (49_000, 100_000, 0.5),
            (12, 40_000, 0.001),
            (30_000, 60_001, 0.5),
            (0, 5_000, 0.2),
            (5_000, 5_000, 0.9),
        ] {
            let (w, f) = (binom_test_two_sided(x, n, p), binom_full(x, n, p));
            assert!(same(w, f), "binom {x} {n} {p}: {w:?} vs {f:?}");
        }
    }

    #[test]
    fn fisher_matches_r() {
        // R: fisher.test(matrix(c(3,1,1,3),2))$p.value = 0.4857143
        assert!((fisher_exact_two_sided(3, 1, 1, 3).unwrap() - 0.48571428571428565).abs() < 1e-12);
        // Reference p10 (R): table int 6 yes / 9 no, ctrl 0 yes / 15 no -> 0.01685823754789271
        assert!((fisher_exact_two_sided(6, 9, 0, 15).unwrap() - 0.01685823754789271).abs() < 1e-12);
        // A table with one empty row: only one table is possible, p = 1.
        assert_eq!(fisher_exact_two_sided(0, 0, 2, 3), Some(1.0));
        assert_eq!(fisher_exact_two_sided(0, 0, 0, 0), None);
    }
}
