//! Exact tests on counts: the two-sided binomial test (R's `binom.test`) and Fisher's exact
//! test for a 2×2 table (R's `fisher.test`). Both sum the probabilities of all outcomes that are
//! as probable as, or less probable than, the observed one, with R's relative tolerance 1 + 1e-7.

use statrs::distribution::{Binomial, Discrete};
use statrs::function::factorial::ln_binomial;

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
    let total: f64 = (0..=n).map(|k| dist.pmf(k)).filter(|&pk| pk <= d * REL_ERR).sum();
    crate::core::stats::describe::finite(total.min(1.0))
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
    let logdc: Vec<f64> = (lo..=hi).map(|x| ln_binomial(m, x) + ln_binomial(n, k - x)).collect();
    let max = logdc.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !max.is_finite() {
        return None;
    }
    let dens: Vec<f64> = logdc.iter().map(|l| (l - max).exp()).collect();
    let sum: f64 = dens.iter().sum();
    let observed = *dens.get(usize::try_from(a.checked_sub(lo)?).ok()?)?;
    let p: f64 = dens.iter().filter(|&&v| v <= observed * REL_ERR).sum::<f64>() / sum;
    crate::core::stats::describe::finite(p.min(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

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
