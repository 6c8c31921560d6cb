//! Small helpers shared by the process sections: a count with its Wilson interval, Pearson's
//! chi-square for a k × 2 table, distribution summaries (R's default, type-7, quantiles) and the
//! beta quantile behind Clopper–Pearson intervals. Every helper returns `None` rather than NaN.

use crate::core::stats::binary::wilson;
use crate::core::stats::describe::{finite, mean, sd};
use serde::{Deserialize, Serialize};
use statrs::distribution::{ChiSquared, ContinuousCDF};
use statrs::function::beta::checked_beta_reg;

/// `count` of `n`, the share and its Wilson score interval (R `prop.test(count, n, correct = FALSE)`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Share {
    pub count: usize,
    pub n: usize,
    pub share: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
}

impl Share {
    pub fn new(count: usize, n: usize, alpha: f64) -> Share {
        let ci = wilson(count, n, alpha);
        Share {
            count,
            n,
            share: (n > 0 && count <= n).then(|| count as f64 / n as f64),
            ci_low: ci.map(|c| c.0),
            ci_high: ci.map(|c| c.1),
        }
    }
}

/// Upper-tail probability of a chi-square statistic with `df` degrees of freedom
/// (R `pchisq(x, df, lower.tail = FALSE)`).
pub fn chisq_sf(x: f64, df: f64) -> Option<f64> {
    if x.is_nan() || x < 0.0 || df.is_nan() || df <= 0.0 {
        return None;
    }
    let d = ChiSquared::new(df).ok()?;
    finite(d.sf(x).clamp(0.0, 1.0))
}

/// Pearson's chi-square test (no continuity correction).
#[derive(Debug, Clone, PartialEq)]
pub struct ChiSquare {
    pub statistic: f64,
    pub df: f64,
    pub p: Option<f64>,
    /// Smallest expected count (the usual approximation wants every one ≥ 5).
    pub min_expected: f64,
}

/// Test of independence for a k × 2 table of (yes, no) rows, as R's
/// `chisq.test(tab, correct = FALSE)`: Σ (O − E)²/E with E = row total · column total / N,
/// df = k − 1. Empty rows are left out; `None` with fewer than two rows or an empty column.
pub fn pearson_k_by_2(rows: &[(usize, usize)]) -> Option<ChiSquare> {
    let rows: Vec<(f64, f64)> = rows.iter().filter(|(a, b)| a + b > 0).map(|&(a, b)| (a as f64, b as f64)).collect();
    if rows.len() < 2 {
        return None;
    }
    let col_yes: f64 = rows.iter().map(|r| r.0).sum();
    let col_no: f64 = rows.iter().map(|r| r.1).sum();
    let total = col_yes + col_no;
    if col_yes <= 0.0 || col_no <= 0.0 {
        return None;
    }
    let (mut stat, mut min_e) = (0.0, f64::INFINITY);
    for (a, b) in &rows {
        let n = a + b;
        for (o, col) in [(*a, col_yes), (*b, col_no)] {
            let e = n * col / total;
            min_e = min_e.min(e);
            stat += (o - e) * (o - e) / e;
        }
    }
    let df = (rows.len() - 1) as f64;
    let statistic = finite(stat)?;
    Some(ChiSquare { statistic, df, p: chisq_sf(statistic, df), min_expected: min_e })
}

/// Goodness of fit of observed counts to expected shares, as R's
/// `chisq.test(observed, p = shares)`: Σ (O − nπ)²/(nπ), df = k − 1. `None` when a share is not
/// above 0, the shares do not add up to 1 (± 1e-6), fewer than two categories or n = 0.
pub fn goodness_of_fit(observed: &[usize], shares: &[f64]) -> Option<ChiSquare> {
    if observed.len() != shares.len() || observed.len() < 2 {
        return None;
    }
    if shares.iter().any(|s| s.is_nan() || *s <= 0.0) || (shares.iter().sum::<f64>() - 1.0).abs() > 1e-6 {
        return None;
    }
    let n: usize = observed.iter().sum();
    if n == 0 {
        return None;
    }
    let (mut stat, mut min_e) = (0.0, f64::INFINITY);
    for (o, s) in observed.iter().zip(shares) {
        let e = n as f64 * s;
        min_e = min_e.min(e);
        stat += (*o as f64 - e).powi(2) / e;
    }
    let df = (observed.len() - 1) as f64;
    let statistic = finite(stat)?;
    Some(ChiSquare { statistic, df, p: chisq_sf(statistic, df), min_expected: min_e })
}

/// Quantile of sorted data by R's default rule (type 7): x[h] with h = (n − 1)·p, interpolated.
pub fn quantile_sorted(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() || !(0.0..=1.0).contains(&p) {
        return None;
    }
    let h = (sorted.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    let (a, b) = (*sorted.get(lo)?, *sorted.get(hi)?);
    finite(a + (h - lo as f64) * (b - a))
}

/// A distribution in numbers: n, mean, SD (n − 1), minimum, quartiles (R `quantile`, type 7), maximum.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub n: usize,
    /// Rows of the group without a usable value.
    pub n_missing: usize,
    pub mean: Option<f64>,
    pub sd: Option<f64>,
    pub min: Option<f64>,
    pub q1: Option<f64>,
    pub median: Option<f64>,
    pub q3: Option<f64>,
    pub max: Option<f64>,
}

impl Summary {
    pub fn of(values: &[f64], n_missing: usize) -> Summary {
        let mut s: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
        s.sort_by(f64::total_cmp);
        Summary {
            n: s.len(),
            n_missing,
            mean: mean(&s),
            sd: sd(&s),
            min: s.first().copied(),
            q1: quantile_sorted(&s, 0.25),
            median: quantile_sorted(&s, 0.5),
            q3: quantile_sorted(&s, 0.75),
            max: s.last().copied(),
        }
    }
}

/// Quantile of the Beta(a, b) distribution (R `qbeta(p, a, b)`), by bisection on the
/// regularised incomplete beta function down to the resolution of f64.
pub fn beta_quantile(p: f64, a: f64, b: f64) -> Option<f64> {
    if !(0.0..=1.0).contains(&p) || a.is_nan() || b.is_nan() || a <= 0.0 || b <= 0.0 {
        return None;
    }
    if p == 0.0 {
        return Some(0.0);
    }
    if p == 1.0 {
        return Some(1.0);
    }
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    for _ in 0..2000 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if checked_beta_reg(a, b, mid).ok()? < p {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    finite(0.5 * (lo + hi))
}

/// Clopper–Pearson ("exact") interval for `x` of `n`, as R's `binom.test(x, n)$conf.int`:
/// lower = qbeta(α/2, x, n − x + 1) (0 when x = 0), upper = qbeta(1 − α/2, x + 1, n − x) (1 when x = n).
pub fn clopper_pearson(x: u64, n: u64, alpha: f64) -> Option<(f64, f64)> {
    if n == 0 || x > n || alpha.is_nan() || alpha <= 0.0 || alpha >= 1.0 {
        return None;
    }
    let (xf, nf) = (x as f64, n as f64);
    let low = if x == 0 { 0.0 } else { beta_quantile(alpha / 2.0, xf, nf - xf + 1.0)? };
    let high = if x == n { 1.0 } else { beta_quantile(1.0 - alpha / 2.0, xf + 1.0, nf - xf)? };
    Some((low, high))
}

/// A percentage for sentences: "12%" (one decimal below 10%).
pub fn pct(p: f64) -> String {
    let v = 100.0 * p;
    if v != 0.0 && v.abs() < 10.0 {
        format!("{v:.1}%")
    } else {
        format!("{v:.0}%")
    }
}

/// A number for sentences: up to `d` decimals, trailing zeros dropped.
pub fn num(v: f64, d: usize) -> String {
    let s = format!("{v:.d$}");
    let s = if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s };
    if s == "-0" {
        "0".into()
    } else {
        s
    }
}

/// A p-value for sentences ("p = 0.03", "p < 0.001").
pub fn p_text(p: f64) -> String {
    if p < 0.001 {
        "p < 0.001".into()
    } else {
        format!("p = {}", num(p, 3))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: Option<f64>, b: f64, rel: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() <= 1e-12 + rel * b.abs())
    }

    #[test]
    fn chi_square_matches_r() {
        // R 4.2.2: r <- chisq.test(matrix(c(5,15, 12,8, 9,11), ncol = 2, byrow = TRUE), correct = FALSE)
        //   r$statistic = 5.0226244343891402, df = 2, r$p.value = 0.081161667597850845,
        //   min(r$expected) = 8.6666666666666661
        let c = pearson_k_by_2(&[(5, 15), (12, 8), (9, 11)]).unwrap();
        assert!(close(Some(c.statistic), 5.0226244343891402, 1e-12), "{}", c.statistic);
        assert_eq!(c.df, 2.0);
        assert!(close(c.p, 0.081161667597850845, 1e-10), "{:?}", c.p);
        assert!(close(Some(c.min_expected), 8.6666666666666661, 1e-12));
        // A column of zeros (nobody dropped out): not computable.
        assert!(pearson_k_by_2(&[(0, 10), (0, 5)]).is_none());
        assert!(pearson_k_by_2(&[(3, 10)]).is_none());
        // R: chisq.test(c(30, 50, 20), p = c(0.25, 0.5, 0.25)): X-squared = 2, p-value = 0.36787944117144233
        let g = goodness_of_fit(&[30, 50, 20], &[0.25, 0.5, 0.25]).unwrap();
        assert!(close(Some(g.statistic), 2.0, 1e-12), "{}", g.statistic);
        assert!(close(g.p, 0.36787944117144233, 1e-10));
        assert!(goodness_of_fit(&[1, 2], &[0.5, 0.4]).is_none());
    }

    #[test]
    fn quantiles_match_r_type_7() {
        // R: quantile(c(1, 2, 4, 7, 11)) = 1, 2, 4, 7, 11; quantile(c(1,2,3,4), 0.25) = 1.75
        let s = Summary::of(&[7.0, 1.0, 11.0, 2.0, 4.0], 2);
        assert_eq!((s.min, s.q1, s.median, s.q3, s.max), (Some(1.0), Some(2.0), Some(4.0), Some(7.0), Some(11.0)));
        assert_eq!((s.n, s.n_missing), (5, 2));
        assert_eq!(quantile_sorted(&[1.0, 2.0, 3.0, 4.0], 0.25), Some(1.75));
        let e = Summary::of(&[], 3);
        assert_eq!((e.mean, e.sd, e.median), (None, None, None));
    }

    #[test]
    fn clopper_pearson_matches_r() {
        // R 4.2.2: binom.test(3, 20)$conf.int = 0.032070937185463728 0.378926826545313955
        let (l, u) = clopper_pearson(3, 20, 0.05).unwrap();
        assert!(close(Some(l), 0.032070937185463728, 1e-12), "{l}");
        assert!(close(Some(u), 0.378926826545313955, 1e-12), "{u}");
        // R: binom.test(0, 10)$conf.int = 0 0.30849710781876083;
        //    binom.test(10, 10)$conf.int = 0.69150289218123917 1
        let (l, u) = clopper_pearson(0, 10, 0.05).unwrap();
        assert_eq!(l, 0.0);
        assert!(close(Some(u), 0.30849710781876083, 1e-12), "{u}");
        let (l, u) = clopper_pearson(10, 10, 0.05).unwrap();
        assert!(close(Some(l), 0.69150289218123917, 1e-12) && u == 1.0);
        assert_eq!(clopper_pearson(0, 0, 0.05), None);
    }

    #[test]
    fn words() {
        assert_eq!(pct(0.123), "12%");
        assert_eq!(pct(0.05), "5.0%");
        assert_eq!(num(2.50, 2), "2.5");
        assert_eq!(num(-0.0001, 2), "0");
        assert_eq!(p_text(0.0004), "p < 0.001");
    }
}
