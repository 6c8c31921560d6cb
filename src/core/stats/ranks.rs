//! Ranking with ties (average ranks, as R's `rank`) and the signed-rank test.

use crate::core::stats::dist::z_two_sided_p;

/// Average ranks (1-based) and the tie-group sizes.
pub fn average_ranks(x: &[f64]) -> (Vec<f64>, Vec<usize>) {
    let mut idx: Vec<usize> = (0..x.len()).collect();
    idx.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
    let mut ranks = vec![0.0; x.len()];
    let mut ties = Vec::new();
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && x[idx[j + 1]] == x[idx[i]] {
            j += 1;
        }
        let r = (i + j) as f64 / 2.0 + 1.0;
        for &k in &idx[i..=j] {
            ranks[k] = r;
        }
        if j > i {
            ties.push(j - i + 1);
        }
        i = j + 1;
    }
    (ranks, ties)
}

/// R's `sign`: −1, 0 or 1 (unlike `f64::signum`, which gives 1 for 0). The continuity
/// correction 0.5·sign(z) must vanish when the statistic equals its mean.
pub fn sign(x: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else if x < 0.0 {
        -1.0
    } else {
        0.0
    }
}

/// Rounds to 9 decimals (the reference's rule for differences before ranking).
pub fn round9(v: f64) -> f64 {
    (v * 1e9).round() / 1e9
}

/// Wilcoxon signed-rank test of differences against 0, as R's `wilcox.test(d, mu = 0)`.
#[derive(Debug, Clone, PartialEq)]
pub struct SignedRank {
    pub n_zero: usize,
    pub n_nonzero: usize,
    /// R's V: sum of ranks of positive differences. `None` when all differences are zero.
    pub v: Option<f64>,
    /// Normal approximation, tie-corrected variance, continuity correction.
    pub p_approx: Option<f64>,
    /// Exact p, only where R is exact (n < 50 non-zero, no ties, no zeros).
    pub p_exact: Option<f64>,
    /// What `wilcox.test` returns by default.
    pub p_r_default: Option<f64>,
}

pub fn signed_rank(diffs: &[f64]) -> SignedRank {
    let rounded: Vec<f64> = diffs.iter().map(|&d| round9(d)).collect();
    let nonzero: Vec<f64> = rounded.iter().copied().filter(|&d| d != 0.0).collect();
    let n_zero = rounded.len() - nonzero.len();
    let n = nonzero.len();
    let mut out = SignedRank { n_zero, n_nonzero: n, v: None, p_approx: None, p_exact: None, p_r_default: None };
    if n == 0 {
        return out;
    }
    let abs: Vec<f64> = nonzero.iter().map(|d| d.abs()).collect();
    let (ranks, ties) = average_ranks(&abs);
    let v: f64 = nonzero.iter().zip(&ranks).filter(|(d, _)| **d > 0.0).map(|(_, r)| r).sum();
    // `+ 0.0` turns the -0.0 of an empty float sum (no positive differences) into 0.
    out.v = Some(v + 0.0);
    let nf = n as f64;
    let tie_sum: f64 = ties.iter().map(|&t| (t as f64).powi(3) - t as f64).sum();
    let sigma = (nf * (nf + 1.0) * (2.0 * nf + 1.0) / 24.0 - tie_sum / 48.0).sqrt();
    let z0 = v - nf * (nf + 1.0) / 4.0;
    if sigma > 0.0 {
        let z = (z0 - 0.5 * sign(z0)) / sigma;
        out.p_approx = z_two_sided_p(z);
    }
    if n < 50 && ties.is_empty() && n_zero == 0 {
        out.p_exact = signed_rank_exact_p(v, n);
        out.p_r_default = out.p_exact;
    } else {
        out.p_r_default = out.p_approx;
    }
    out
}

/// Exact two-sided p of the signed-rank statistic (no ties), as R's `psignrank` rule.
fn signed_rank_exact_p(v: f64, n: usize) -> Option<f64> {
    let max = n * (n + 1) / 2;
    // counts[s] = number of subsets of {1..n} with sum s.
    let mut counts = vec![0.0f64; max + 1];
    counts[0] = 1.0;
    for k in 1..=n {
        for s in (k..=max).rev() {
            counts[s] += counts[s - k];
        }
    }
    let total = 2f64.powi(n as i32);
    let cdf = |q: f64| -> f64 {
        if q < 0.0 {
            return 0.0;
        }
        let q = (q.floor() as usize).min(max);
        counts[..=q].iter().sum::<f64>() / total
    };
    let p = if v > (n * (n + 1)) as f64 / 4.0 { 1.0 - cdf(v - 1.0) } else { cdf(v) };
    Some((2.0 * p).min(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_with_ties() {
        let (r, t) = average_ranks(&[3.0, 1.0, 3.0, 2.0]);
        assert_eq!(r, vec![3.5, 1.0, 3.5, 2.0]);
        assert_eq!(t, vec![2]);
    }

    #[test]
    fn exact_signed_rank_matches_r() {
        // R: wilcox.test(c(1.5,-0.5,2.25,3,4.125))$p.value = 0.125 (V = 14)
        let s = signed_rank(&[1.5, -0.5, 2.25, 3.0, 4.125]);
        assert_eq!(s.v, Some(14.0));
        assert!((s.p_exact.unwrap() - 0.125).abs() < 1e-12);
        // V at its mean: R's correction 0.5*sign(0) is 0, so p = 1
        // (R: wilcox.test(c(1,-1,2,-2), exact = FALSE)$p.value = 1; SciPy agrees).
        let mid = signed_rank(&[1.0, -1.0, 2.0, -2.0]);
        assert_eq!(mid.v, Some(5.0));
        assert_eq!(mid.p_approx, Some(1.0));
        assert_eq!(sign(0.0), 0.0);
        // No positive differences: V = 0, exported as 0 rather than -0.
        let neg = signed_rank(&[-1.0, -2.0]);
        assert!(neg.v.is_some_and(|v| v == 0.0 && v.is_sign_positive()));
        let none = signed_rank(&[0.0, 0.0]);
        assert_eq!(none.v, None);
        assert_eq!(none.n_zero, 2);
    }
}
