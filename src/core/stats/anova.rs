//! F tests of nested linear models: the one-way ANOVA `anova(lm(y ~ level))` and the model
//! comparison `anova(lm(y ~ arm + level), lm(y ~ arm * level))` of R's `stats`.
//!
//! # Method
//! Each model is fitted by Householder QR with R's limited column pivoting (LINPACK `dqrdc2`,
//! tolerance 1e-7: a column whose remaining norm falls below 1e-7 of its original norm is
//! aliased and left out), giving the residual sum of squares and the rank. For nested models
//! with ranks r0 < r1 on n observations,
//! `F = ((RSS0 − RSS1)/(r1 − r0)) / (RSS1/(n − r1))` on (r1 − r0, n − r1) degrees of freedom,
//! p = P(F > f) (R `anova.lm`, `anova.lmlist`). Degrees of freedom come from the actual ranks,
//! so an empty cell (an aliased interaction column) lowers df1 as in R.

use crate::core::stats::describe::finite;
use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, FisherSnedecor};

/// A least-squares fit: residual sum of squares and rank of the design.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LeastSquares {
    pub rss: f64,
    pub rank: usize,
}

/// The result of an F test; `None` where not computable (f, p when the larger model fits
/// exactly or the models do not differ in rank; df when fewer than 1).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FTest {
    pub f: Option<f64>,
    pub df1: Option<f64>,
    pub df2: Option<f64>,
    pub p: Option<f64>,
    pub n: usize,
}

/// Least squares of `y` on the columns `cols` (each of length `y.len()`) by Householder QR with
/// R's `dqrdc2` pivoting rule (tolerance 1e-7), as `lm.fit`. `None` for inconsistent lengths or
/// non-finite input.
pub fn least_squares(cols: &[Vec<f64>], y: &[f64]) -> Option<LeastSquares> {
    let n = y.len();
    if cols.iter().any(|c| c.len() != n) || y.iter().chain(cols.iter().flatten()).any(|v| !v.is_finite()) {
        return None;
    }
    let mut work: Vec<Vec<f64>> = cols.to_vec();
    let mut qty = y.to_vec();
    let mut rank = 0usize;
    for col in 0..work.len() {
        let orig_norm = work[col].iter().map(|v| v * v).sum::<f64>().sqrt();
        if rank >= n {
            continue;
        }
        let norm = work[col][rank..].iter().map(|v| v * v).sum::<f64>().sqrt();
        if orig_norm.is_nan() || orig_norm <= 0.0 || norm < 1e-7 * orig_norm || norm == 0.0 {
            continue; // aliased
        }
        // Householder vector v = x + sign(x0)·‖x‖ e0 on rows rank..n.
        let mut v: Vec<f64> = work[col][rank..].to_vec();
        let alpha = if v[0] >= 0.0 { -norm } else { norm };
        v[0] -= alpha;
        let vnorm2: f64 = v.iter().map(|a| a * a).sum();
        if vnorm2.is_nan() || vnorm2 <= 0.0 {
            rank += 1;
            continue;
        }
        let reflect = |x: &mut [f64]| {
            let dot: f64 = x.iter().zip(&v).map(|(a, b)| a * b).sum();
            let f = 2.0 * dot / vnorm2;
            for (a, b) in x.iter_mut().zip(&v) {
                *a -= f * b;
            }
        };
        for later in work.iter_mut().skip(col) {
            reflect(&mut later[rank..]);
        }
        reflect(&mut qty[rank..]);
        rank += 1;
    }
    let rss = qty[rank.min(n)..].iter().map(|v| v * v).sum::<f64>();
    Some(LeastSquares { rss, rank })
}

/// Upper tail P(F > f) of the F distribution, as R's `pf(f, df1, df2, lower.tail = FALSE)`.
pub fn f_upper_p(f: f64, df1: f64, df2: f64) -> Option<f64> {
    if f.is_nan() || f < 0.0 {
        return None;
    }
    let d = FisherSnedecor::new(df1, df2).ok()?;
    finite(d.sf(f).clamp(0.0, 1.0))
}

/// F test of a smaller model (`reduced`) nested in a larger one (`full`) on the same `y`,
/// as R `anova(lm(y ~ reduced), lm(y ~ full))` (and, with an intercept-only `reduced`, as
/// `anova(lm(y ~ full))` for a single term).
pub fn nested_f_test(reduced: &[Vec<f64>], full: &[Vec<f64>], y: &[f64]) -> Option<FTest> {
    let n = y.len();
    let r0 = least_squares(reduced, y)?;
    let r1 = least_squares(full, y)?;
    let df1 = r1.rank as f64 - r0.rank as f64;
    let df2 = n as f64 - r1.rank as f64;
    let (df1o, df2o) = (Some(df1).filter(|d| *d >= 1.0), Some(df2).filter(|d| *d >= 1.0));
    let (f, p) = match (df1o, df2o) {
        (Some(d1), Some(d2)) if r1.rss > 0.0 => {
            let f = finite(((r0.rss - r1.rss).max(0.0) / d1) / (r1.rss / d2));
            (f, f.and_then(|f| f_upper_p(f, d1, d2)))
        }
        _ => (None, None),
    };
    Some(FTest { f, df1: df1o, df2: df2o, p, n })
}

/// One-way ANOVA of `y` on a categorical factor (`level[i]` an index), R
/// `anova(lm(y ~ factor(level)))`: treatment dummies against the intercept-only model.
pub fn one_way_anova(level: &[usize], y: &[f64]) -> Option<FTest> {
    if level.len() != y.len() {
        return None;
    }
    let k = level.iter().copied().max().map_or(0, |m| m + 1);
    let ones = vec![1.0; y.len()];
    let mut full = vec![ones.clone()];
    for l in 1..k {
        full.push(level.iter().map(|&v| if v == l { 1.0 } else { 0.0 }).collect());
    }
    nested_f_test(&[ones], &full, y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_way_matches_r() {
        // R: y <- c(1,2,3, 2,4, 7,8,9.5); g <- factor(c(1,1,1,2,2,3,3,3)); anova(lm(y ~ g))
        // F = 22.16933, Df 2, 5, Pr(>F) = 0.0032693
        let y = [1.0, 2.0, 3.0, 2.0, 4.0, 7.0, 8.0, 9.5];
        let g = [0, 0, 0, 1, 1, 2, 2, 2];
        let t = one_way_anova(&g, &y).unwrap();
        assert_eq!((t.df1, t.df2, t.n), (Some(2.0), Some(5.0), 8));
        let f = t.f.unwrap();
        // closed form: SSB/SSW
        let gm: f64 = y.iter().sum::<f64>() / 8.0;
        let means = [2.0, 3.0, 24.5 / 3.0];
        let ssb: f64 = [3.0, 2.0, 3.0].iter().zip(&means).map(|(n, m)| n * (m - gm) * (m - gm)).sum();
        let ssw: f64 = y.iter().zip(&g).map(|(v, &l)| (v - means[l]) * (v - means[l])).sum();
        assert!((f - (ssb / 2.0) / (ssw / 5.0)).abs() < 1e-10 * f);
        assert!((f - 22.16933).abs() < 1e-5 && (t.p.unwrap() - 0.0032693).abs() < 1e-7);
    }

    #[test]
    fn aliased_cell_lowers_df() {
        // Interaction column identical to an existing one: rank counts it once.
        let y = [1.0, 2.0, 3.0, 5.0, 4.0, 6.0];
        let ones = vec![1.0; 6];
        let a = vec![0.0, 0.0, 0.0, 1.0, 1.0, 1.0];
        let r = least_squares(&[ones.clone(), a.clone(), a.clone()], &y).unwrap();
        assert_eq!(r.rank, 2);
        let t = nested_f_test(&[ones.clone(), a.clone()], &[ones, a.clone(), a], &y).unwrap();
        assert_eq!((t.df1, t.f, t.p), (None, None, None));
        assert_eq!(t.df2, Some(4.0));
    }

    #[test]
    fn perfect_fit_is_not_computable() {
        let t = one_way_anova(&[0, 0, 1, 1], &[1.0, 1.0, 2.0, 2.0]).unwrap();
        assert_eq!((t.f, t.p), (None, None));
        assert!(least_squares(&[vec![1.0, f64::NAN]], &[1.0, 2.0]).is_none());
    }
}
