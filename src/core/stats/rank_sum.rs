//! Two-sample rank-sum (Mann-Whitney) test, as R's `wilcox.test(x, y)`: R's W, the normal
//! approximation with tie-corrected variance and continuity correction, and the exact p where
//! R itself is exact (both groups < 50 values and no ties). Definitions: `shared/reference/README.md`.

use crate::core::stats::dist::z_two_sided_p;
use crate::core::stats::ranks::{rank_sum_of_first, rank_sum_of_first_owned, rank_sum_of_sorted, sign, SortedSample};

/// Result of the rank-sum test; `None` = not computable for these data.
#[derive(Debug, Clone, PartialEq)]
pub struct RankSum {
    /// R's W: rank sum of `x` minus n_x(n_x + 1)/2 (SciPy's U of the first sample).
    pub w: Option<f64>,
    /// `wilcox.test(x, y, exact = FALSE, correct = TRUE)$p.value`; `None` when the variance is 0.
    pub p_approx: Option<f64>,
    /// `wilcox.test(x, y, exact = TRUE)$p.value`, only when both n < 50 and there are no ties.
    pub p_exact: Option<f64>,
    /// What `wilcox.test(x, y)` returns with its defaults.
    pub p_r_default: Option<f64>,
}

/// Mann-Whitney test of `x` against `y` (R: `wilcox.test(x, y, mu = 0)`).
///
/// W = sum(rank(c(x, y))[x]) − n_x(n_x+1)/2; z = (W − n_x n_y/2 − 0.5·sign) / σ with
/// σ² = n_x n_y/12 · ((N+1) − Σ(t³−t)/(N(N−1))).
pub fn rank_sum(x: &[f64], y: &[f64]) -> RankSum {
    test_of(x.len(), y.len(), || rank_sum_of_first(x, y))
}

/// [`rank_sum`] of samples the caller hands over: their memory is reused for the ranking.
pub fn rank_sum_owned(x: Vec<f64>, y: Vec<f64>) -> RankSum {
    test_of(x.len(), y.len(), || rank_sum_of_first_owned(x, y))
}

/// [`rank_sum`] of samples sorted beforehand; `None` when they are too big to sum their ranks
/// out of row order (see [`crate::core::stats::ranks::rank_sum_of_sorted`]).
pub fn rank_sum_sorted(x: &SortedSample, y: &SortedSample) -> Option<RankSum> {
    let (rx, ties) = rank_sum_of_sorted(x, y)?;
    Some(test_of(x.len(), y.len(), || (rx, ties)))
}

/// The test from the sample sizes and the rank sum of `x` with the tie sizes (computed only
/// when both samples have values).
fn test_of(nx: usize, ny: usize, rank_sum_of_x: impl FnOnce() -> (f64, Vec<usize>)) -> RankSum {
    let mut out = RankSum { w: None, p_approx: None, p_exact: None, p_r_default: None };
    if nx == 0 || ny == 0 {
        return out;
    }
    let (rx, ties) = rank_sum_of_x();
    let (nxf, nyf) = (nx as f64, ny as f64);
    let w = rx - nxf * (nxf + 1.0) / 2.0;
    out.w = Some(w);
    let n = nxf + nyf;
    let tie_sum: f64 = ties.iter().map(|&t| (t as f64).powi(3) - t as f64).sum();
    let var = nxf * nyf / 12.0 * ((n + 1.0) - tie_sum / (n * (n - 1.0)));
    let z0 = w - nxf * nyf / 2.0;
    if var > 0.0 && var.is_finite() {
        let z = (z0 - 0.5 * sign(z0)) / var.sqrt();
        out.p_approx = z_two_sided_p(z);
    }
    if nx < 50 && ny < 50 && ties.is_empty() {
        out.p_exact = rank_sum_exact_p(w, nx, ny);
        out.p_r_default = out.p_exact;
    } else {
        out.p_r_default = out.p_approx;
    }
    out
}

/// Exact two-sided p of W without ties, as R: `min(1, 2 * pwilcox(...))` with the tail chosen
/// by whether W is above n_x n_y / 2.
fn rank_sum_exact_p(w: f64, nx: usize, ny: usize) -> Option<f64> {
    let max = nx * ny;
    let counts = rank_sum_counts(nx, ny);
    if counts.len() != max + 1 {
        return None;
    }
    let total: f64 = counts.iter().sum();
    if total <= 0.0 || !total.is_finite() {
        return None;
    }
    // P(W <= q), q floored as R's pwilcox does.
    let cdf = |q: f64| -> f64 {
        if q < 0.0 {
            return 0.0;
        }
        let q = ((q + 1e-7).floor() as usize).min(max);
        counts.iter().take(q + 1).sum::<f64>() / total
    };
    let p = if w > (nx * ny) as f64 / 2.0 { 1.0 - cdf(w - 1.0) } else { cdf(w) };
    crate::core::stats::describe::finite((2.0 * p).clamp(0.0, 1.0))
}

/// Frequencies of U = 0..=nx·ny over all C(nx+ny, nx) arrangements (no ties).
fn rank_sum_counts(nx: usize, ny: usize) -> Vec<f64> {
    // f[j][u]: arrangements of j x-values among the first i positions with U = u, built
    // position by position: an x placed after `i - j` y-values adds `i - j` to U.
    let max = nx * ny;
    let mut f = vec![vec![0.0f64; max + 1]; nx + 1];
    if let Some(row) = f.first_mut() {
        if let Some(c) = row.first_mut() {
            *c = 1.0;
        }
    }
    for i in 0..(nx + ny) {
        // Iterate j downwards so each position is used once.
        for j in (0..nx.min(i + 1)).rev() {
            let ys_before = i - j;
            if ys_before > ny {
                continue;
            }
            let (lo, hi) = f.split_at_mut(j + 1);
            let (Some(src), Some(dst)) = (lo.last(), hi.first_mut()) else { continue };
            for u in (0..=max).rev() {
                let v = src.get(u).copied().unwrap_or(0.0);
                if v != 0.0 {
                    if let Some(d) = dst.get_mut(u + ys_before) {
                        *d += v;
                    }
                }
            }
        }
    }
    f.pop().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_and_approx_match_r() {
        // R: wilcox.test(c(1.1, 2.2, 3.3, 4.4), c(5.5, 6.6, 7.7)) -> W = 0, p = 0.05714286
        let r = rank_sum(&[1.1, 2.2, 3.3, 4.4], &[5.5, 6.6, 7.7]);
        assert_eq!(r.w, Some(0.0));
        assert!((r.p_exact.unwrap() - 0.05714285714285714).abs() < 1e-12);
        assert_eq!(r.p_r_default, r.p_exact);
        // R: wilcox.test(c(1,2,2,4), c(3,5,6), exact=FALSE, correct=TRUE): W = 1,
        // p = 0.10840829998146513 (= SciPy mannwhitneyu asymptotic, use_continuity=True).
        let t = rank_sum(&[1.0, 2.0, 2.0, 4.0], &[3.0, 5.0, 6.0]);
        assert_eq!(t.w, Some(1.0));
        assert_eq!(t.p_exact, None);
        assert!((t.p_approx.unwrap() - 0.10840829998146513).abs() < 1e-9, "{:?}", t.p_approx);
        // W at its mean: no continuity correction (R's sign(0) = 0), p = 1.
        // R: wilcox.test(c(1,4), c(2,3), exact = FALSE)$p.value = 1
        let mid = rank_sum(&[1.0, 4.0], &[2.0, 3.0]);
        assert_eq!(mid.w, Some(2.0));
        assert_eq!(mid.p_approx, Some(1.0));
    }

    #[test]
    fn counts_sum_to_binomial_coefficient() {
        let c = rank_sum_counts(4, 3);
        assert_eq!(c.len(), 13);
        assert_eq!(c.iter().sum::<f64>(), 35.0);
        assert_eq!(c[0], 1.0);
        assert_eq!(c[12], 1.0);
    }

    #[test]
    fn degenerate_inputs_are_not_computable() {
        let e = rank_sum(&[], &[1.0, 2.0]);
        assert_eq!((e.w, e.p_approx, e.p_exact), (None, None, None));
        // All values tied: W exists, the variance is 0.
        let t = rank_sum(&[2.0, 2.0], &[2.0, 2.0, 2.0]);
        assert_eq!(t.w, Some(3.0));
        assert_eq!((t.p_approx, t.p_exact, t.p_r_default), (None, None, None));
        // n = 1 each, no ties: exact p = 1 (R).
        let one = rank_sum(&[1.0], &[2.0]);
        assert_eq!(one.w, Some(0.0));
        assert_eq!(one.p_exact, Some(1.0));
    }
}
