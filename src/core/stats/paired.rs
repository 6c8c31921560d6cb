//! Paired (pre → post) analysis: R's `t.test(post, pre, paired = TRUE)`, paired effect
//! sizes (dz, d_av, g_av with J on df = n − 1) and the signed-rank test on
//! `round(post − pre, 9)`. Definitions: `shared/reference/README.md`.

use crate::core::stats::describe::finite;
use crate::core::stats::dist::{t_quantile, t_two_sided_p};
use crate::core::stats::ranks::{signed_rank_of, SignedRank};
use serde::{Deserialize, Serialize};

/// Every paired statistic; `None` = not computable for these data (serialised as `null`).
#[allow(non_snake_case)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairedStats {
    pub n: usize,
    pub mean_pre: Option<f64>,
    pub mean_post: Option<f64>,
    pub mean_diff: Option<f64>,
    pub sd_pre: Option<f64>,
    pub sd_post: Option<f64>,
    pub sd_diff: Option<f64>,
    pub se_diff: Option<f64>,
    pub t: Option<f64>,
    pub df: Option<f64>,
    pub p: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    /// Confidence level of `ci_low`/`ci_high` (1 − alpha).
    pub conf_level: f64,
    pub dz: Option<f64>,
    pub d_av: Option<f64>,
    pub J_av: Option<f64>,
    pub g_av: Option<f64>,
    pub r_pre_post: Option<f64>,
    pub wilcoxon_n_zero: usize,
    pub wilcoxon_n_nonzero: usize,
    pub wilcoxon_V: Option<f64>,
    pub wilcoxon_p_approx: Option<f64>,
    pub wilcoxon_p_exact: Option<f64>,
    pub wilcoxon_p_R_default: Option<f64>,
}

/// Means, SDs and the correlation of the pre, post and difference columns, in two passes
/// over the pairs. Each sum runs over the rows in order, exactly as `describe::mean`, `sd` and
/// `correlation` compute it on the column (so the results are the same to the bit); the
/// passes are only shared.
struct Moments {
    mean_pre: Option<f64>,
    mean_post: Option<f64>,
    mean_diff: Option<f64>,
    sd_pre: Option<f64>,
    sd_post: Option<f64>,
    sd_diff: Option<f64>,
    r_pre_post: Option<f64>,
}

impl Moments {
    fn of(pairs: &[(f64, f64)]) -> Moments {
        let n = pairs.len();
        let nf = n as f64;
        // `Iterator::sum` starts from -0.0.
        let (sp, sq, sd) =
            pairs.iter().fold((-0.0f64, -0.0f64, -0.0f64), |(a, b, c), &(p, q)| (a + p, b + q, c + (q - p)));
        let mean = |s: f64| (n > 0).then(|| s / nf);
        let (mean_pre, mean_post, mean_diff) = (mean(sp), mean(sq), mean(sd));
        let (Some(mp), Some(mq), Some(md)) = (mean_pre, mean_post, mean_diff) else {
            return Moments {
                mean_pre,
                mean_post,
                mean_diff,
                sd_pre: None,
                sd_post: None,
                sd_diff: None,
                r_pre_post: None,
            };
        };
        if n < 2 {
            return Moments {
                mean_pre,
                mean_post,
                mean_diff,
                sd_pre: None,
                sd_post: None,
                sd_diff: None,
                r_pre_post: None,
            };
        }
        // Squared deviations (variance: from -0.0, as `sum`) and the correlation's
        // cross-products (from 0.0, as `correlation`).
        let (mut vp, mut vq, mut vd) = (-0.0f64, -0.0f64, -0.0f64);
        let (mut sxy, mut sxx, mut syy) = (0.0f64, 0.0f64, 0.0f64);
        for &(p, q) in pairs {
            let d = q - p;
            vp += (p - mp) * (p - mp);
            vq += (q - mq) * (q - mq);
            vd += (d - md) * (d - md);
            sxy += (p - mp) * (q - mq);
            sxx += (p - mp) * (p - mp);
            syy += (q - mq) * (q - mq);
        }
        let sd = |v: f64| Some((v / (n - 1) as f64).sqrt());
        let r_pre_post = if sxx <= 0.0 || syy <= 0.0 { None } else { Some(sxy / (sxx * syy).sqrt()) };
        Moments { mean_pre, mean_post, mean_diff, sd_pre: sd(vp), sd_post: sd(vq), sd_diff: sd(vd), r_pre_post }
    }
}

/// Paired analysis of complete pairs. `pairs` holds (pre, post); `alpha` sets the CI level.
pub fn paired(pairs: &[(f64, f64)], alpha: f64) -> PairedStats {
    paired_with(pairs, alpha, signed_rank_of(pairs.iter().map(|p| p.1 - p.0)))
}

/// [`paired`] with the signed-rank test of `post − pre` computed by the caller.
#[allow(non_snake_case)]
pub fn paired_with(pairs: &[(f64, f64)], alpha: f64, w: SignedRank) -> PairedStats {
    let n = pairs.len();
    let m = Moments::of(pairs);
    let mean_diff = m.mean_diff;
    let sd_diff = m.sd_diff;
    let se_diff = sd_diff.map(|s| s / (n as f64).sqrt());
    // The t-test needs a positive SE (R: "data are essentially constant").
    let t = match (mean_diff, se_diff) {
        (Some(m), Some(se)) if se > 0.0 => finite(m / se),
        _ => None,
    };
    let df = t.map(|_| (n - 1) as f64);
    let p = match (t, df) {
        (Some(t), Some(df)) => t_two_sided_p(t, df),
        _ => None,
    };
    let q = df.and_then(|df| t_quantile(1.0 - alpha / 2.0, df));
    let (ci_low, ci_high) = match (t.and(mean_diff), se_diff, q) {
        (Some(m), Some(se), Some(q)) => (Some(m - q * se), Some(m + q * se)),
        _ => (None, None),
    };
    let dz = match (mean_diff, sd_diff) {
        (Some(m), Some(s)) if s > 0.0 => finite(m / s),
        _ => None,
    };
    let (sd_pre, sd_post) = (m.sd_pre, m.sd_post);
    let d_av = match (mean_diff, sd_pre, sd_post) {
        (Some(m), Some(a), Some(b)) if a + b > 0.0 => finite(m / ((a + b) / 2.0)),
        _ => None,
    };
    let J_av = (n >= 2).then(|| {
        let df = (n - 1) as f64;
        1.0 - 3.0 / (4.0 * df - 1.0)
    });
    let g_av = match (J_av, d_av) {
        (Some(j), Some(d)) => Some(j * d),
        _ => None,
    };
    PairedStats {
        n,
        mean_pre: m.mean_pre,
        mean_post: m.mean_post,
        mean_diff,
        sd_pre,
        sd_post,
        sd_diff,
        se_diff,
        t,
        df,
        p,
        ci_low,
        ci_high,
        conf_level: 1.0 - alpha,
        dz,
        d_av,
        J_av,
        g_av,
        r_pre_post: m.r_pre_post,
        wilcoxon_n_zero: w.n_zero,
        wilcoxon_n_nonzero: w.n_nonzero,
        wilcoxon_V: w.v,
        wilcoxon_p_approx: w.p_approx,
        wilcoxon_p_exact: w.p_exact,
        wilcoxon_p_R_default: w.p_r_default,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_change_is_not_computable_not_nan() {
        let s = paired(&[(3.0, 3.0), (4.0, 4.0), (2.0, 2.0)], 0.05);
        assert_eq!(s.mean_diff, Some(0.0));
        assert_eq!(s.sd_diff, Some(0.0));
        assert_eq!((s.t, s.p, s.dz, s.ci_low), (None, None, None, None));
        assert_eq!(s.wilcoxon_V, None);
    }

    #[test]
    fn swapping_pre_and_post_flips_the_sign() {
        let data = [(3.0, 2.0), (4.0, 4.5), (2.0, 1.0), (5.0, 3.0)];
        let swapped: Vec<(f64, f64)> = data.iter().map(|&(a, b)| (b, a)).collect();
        let (a, b) = (paired(&data, 0.05), paired(&swapped, 0.05));
        assert!((a.t.unwrap() + b.t.unwrap()).abs() < 1e-12);
        assert!((a.p.unwrap() - b.p.unwrap()).abs() < 1e-12);
        assert!((a.ci_low.unwrap() + b.ci_high.unwrap()).abs() < 1e-12);
    }

    #[test]
    fn shared_passes_equal_the_column_statistics() {
        use crate::core::stats::describe::{correlation, mean, sd};
        let bits = |v: Option<f64>| v.map(f64::to_bits);
        let mut bits64 = crate::core::xorshift64(0x0bad_c0de_dead_beefu64);
        let mut next = || (bits64() >> 11) as f64 / (1u64 << 53) as f64;
        for n in [0, 1, 2, 3, 17, 1000, 50_000] {
            let pairs: Vec<(f64, f64)> =
                (0..n).map(|i| if i % 7 == 3 { (2.5, 2.5) } else { (next() * 40.0, next() * 40.0 - 5.0) }).collect();
            let pre: Vec<f64> = pairs.iter().map(|p| p.0).collect();
            let post: Vec<f64> = pairs.iter().map(|p| p.1).collect();
            let diff: Vec<f64> = pairs.iter().map(|p| p.1 - p.0).collect();
            let m = Moments::of(&pairs);
            assert_eq!(
                (bits(m.mean_pre), bits(m.mean_post), bits(m.mean_diff)),
                (bits(mean(&pre)), bits(mean(&post)), bits(mean(&diff))),
                "{n}"
            );
            assert_eq!(
                (bits(m.sd_pre), bits(m.sd_post), bits(m.sd_diff)),
                (bits(sd(&pre)), bits(sd(&post)), bits(sd(&diff))),
                "{n}"
            );
            assert_eq!(bits(m.r_pre_post), bits(correlation(&pre, &post)), "{n}");
        }
        // Constant columns: no correlation.
        assert_eq!(Moments::of(&[(1.0, 2.0), (1.0, 3.0)]).r_pre_post, None);
    }

    #[test]
    fn one_pair_is_not_computable() {
        let s = paired(&[(3.0, 2.0)], 0.05);
        assert_eq!(s.n, 1);
        assert_eq!((s.sd_diff, s.t, s.J_av), (None, None, None));
    }
}
