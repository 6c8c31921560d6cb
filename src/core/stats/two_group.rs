//! Two independent groups (intervention vs control), on post scores or on change scores:
//! R's `t.test(x_int, x_ctrl, var.equal = FALSE / TRUE)`, pooled SD, Cohen's d and Hedges' g
//! with Hedges-Olkin / Borenstein SEs and z-based CIs, and the Mann-Whitney test.
//! Differences are intervention − control. Definitions: `shared/reference/README.md`.

use crate::core::stats::describe::{finite, mean};
use crate::core::stats::dist::{t_quantile, t_two_sided_p, z_quantile};
use crate::core::stats::rank_sum::{rank_sum, rank_sum_owned, RankSum};
use serde::{Deserialize, Serialize};

/// Every two-group statistic; `None` = not computable for these data (serialised as `null`).
#[allow(non_snake_case)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TwoGroupStats {
    pub n_int: usize,
    pub n_ctrl: usize,
    pub mean_int: Option<f64>,
    pub mean_ctrl: Option<f64>,
    pub mean_diff: Option<f64>,
    pub sd_int: Option<f64>,
    pub sd_ctrl: Option<f64>,
    pub welch_t: Option<f64>,
    pub welch_df: Option<f64>,
    pub welch_p: Option<f64>,
    pub welch_ci_low: Option<f64>,
    pub welch_ci_high: Option<f64>,
    pub student_t: Option<f64>,
    pub student_df: Option<f64>,
    pub student_p: Option<f64>,
    pub student_ci_low: Option<f64>,
    pub student_ci_high: Option<f64>,
    pub sd_pooled: Option<f64>,
    pub cohen_d: Option<f64>,
    pub se_d: Option<f64>,
    pub d_ci_low: Option<f64>,
    pub d_ci_high: Option<f64>,
    pub J: Option<f64>,
    pub hedges_g: Option<f64>,
    pub se_g: Option<f64>,
    pub g_ci_low: Option<f64>,
    pub g_ci_high: Option<f64>,
    pub mw_W: Option<f64>,
    pub mw_p_approx: Option<f64>,
    pub mw_p_exact: Option<f64>,
    pub mw_p_R_default: Option<f64>,
    /// Confidence level of every CI here (1 − alpha).
    pub conf_level: f64,
}

/// Sample variance that is exactly 0 for constant data (no rounding noise from the mean).
/// `mean` is `describe::mean(x)`, passed in to save a pass (`variance` with its mean).
fn var0(x: &[f64], mean: Option<f64>) -> Option<f64> {
    match x.split_first() {
        Some((first, rest)) if !rest.is_empty() && rest.iter().all(|v| v == first) => Some(0.0),
        _ => {
            let m = mean.filter(|_| x.len() >= 2)?;
            Some(x.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / (x.len() - 1) as f64)
        }
    }
}

/// R's "data are essentially constant" rule: a standard error below
/// 10·ε·max(|mean_x|, |mean_y|) (or zero) leaves the t statistic undefined.
fn essentially_constant(se: f64, mx: f64, my: f64) -> bool {
    !se.is_finite() || se <= 10.0 * f64::EPSILON * mx.abs().max(my.abs())
}

/// Confidence interval `est ± q·se`.
fn ci(est: Option<f64>, se: Option<f64>, q: Option<f64>) -> (Option<f64>, Option<f64>) {
    match (est, se, q) {
        (Some(e), Some(s), Some(q)) => (finite(e - q * s), finite(e + q * s)),
        _ => (None, None),
    }
}

/// Two-group comparison of `x_int` against `x_ctrl` at level 1 − `alpha`.
///
/// - Welch: R `t.test(x_int, x_ctrl)`; se² = s₁²/n₁ + s₂²/n₂, Welch–Satterthwaite df.
/// - Student: R `t.test(x_int, x_ctrl, var.equal = TRUE)`; df = n₁ + n₂ − 2.
/// - sd_pooled = √(((n₁−1)s₁² + (n₂−1)s₂²)/(n₁+n₂−2)); d = (m₁ − m₂)/sd_pooled;
///   J = 1 − 3/(4df − 1); g = J·d; SE_d = √((n₁+n₂)/(n₁n₂) + d²/(2(n₁+n₂))); SE_g = J·SE_d;
///   CIs = estimate ± qnorm(1 − alpha/2)·SE.
/// - Mann-Whitney: R `wilcox.test(x_int, x_ctrl)` (see [`rank_sum`]).
pub fn two_group(x_int: &[f64], x_ctrl: &[f64], alpha: f64) -> TwoGroupStats {
    with_rank_sum(two_group_t(x_int, x_ctrl, alpha), rank_sum(x_int, x_ctrl))
}

/// [`two_group`] of samples the caller hands over (their memory is reused for the ranking).
pub fn two_group_owned(x_int: Vec<f64>, x_ctrl: Vec<f64>, alpha: f64) -> TwoGroupStats {
    let t = two_group_t(&x_int, &x_ctrl, alpha);
    with_rank_sum(t, rank_sum_owned(x_int, x_ctrl))
}

/// [`two_group`] with its Mann-Whitney test computed by the caller (from sorted samples).
pub fn two_group_with_rank_sum(x_int: &[f64], x_ctrl: &[f64], alpha: f64, mw: RankSum) -> TwoGroupStats {
    with_rank_sum(two_group_t(x_int, x_ctrl, alpha), mw)
}

fn with_rank_sum(t: TwoGroupStats, mw: RankSum) -> TwoGroupStats {
    TwoGroupStats { mw_W: mw.w, mw_p_approx: mw.p_approx, mw_p_exact: mw.p_exact, mw_p_R_default: mw.p_r_default, ..t }
}

/// [`two_group`] without the Mann-Whitney test (its four `mw_` fields are `None`), for callers
/// that use only the t-tests and effect sizes: the ranking is most of the work on big files.
#[allow(non_snake_case)]
pub fn two_group_t(x_int: &[f64], x_ctrl: &[f64], alpha: f64) -> TwoGroupStats {
    let (n1, n2) = (x_int.len(), x_ctrl.len());
    let (n1f, n2f) = (n1 as f64, n2 as f64);
    let (m1, m2) = (mean(x_int), mean(x_ctrl));
    let mean_diff = match (m1, m2) {
        (Some(a), Some(b)) => finite(a - b),
        _ => None,
    };
    let (v1, v2) = (var0(x_int, m1), var0(x_ctrl, m2));
    let q_level = 1.0 - alpha / 2.0;

    // Welch (needs n >= 2 in both groups).
    let (mut welch_t, mut welch_df, mut welch_p, mut welch_ci) = (None, None, None, (None, None));
    if let (Some(a), Some(b), Some(va), Some(vb), Some(md)) = (m1, m2, v1, v2, mean_diff) {
        let (s1, s2) = (va / n1f, vb / n2f);
        let se = (s1 + s2).sqrt();
        if !essentially_constant(se, a, b) {
            let df = (s1 + s2).powi(2) / (s1 * s1 / (n1f - 1.0) + s2 * s2 / (n2f - 1.0));
            welch_t = finite(md / se);
            welch_df = finite(df);
            if let (Some(t), Some(df)) = (welch_t, welch_df) {
                welch_p = t_two_sided_p(t, df);
                welch_ci = ci(Some(md), Some(se), t_quantile(q_level, df));
            }
        }
    }

    // Student / pooled (R: groups of size 1 contribute no variance term).
    let df_pooled = (n1 + n2).checked_sub(2).filter(|&d| d >= 1 && n1 >= 1 && n2 >= 1).map(|d| d as f64);
    let pooled_var = df_pooled.map(|df| {
        let mut v = 0.0;
        if let Some(va) = v1 {
            v += (n1f - 1.0) * va;
        }
        if let Some(vb) = v2 {
            v += (n2f - 1.0) * vb;
        }
        v / df
    });
    let sd_pooled = pooled_var.and_then(|v| finite(v.sqrt()));
    let mut constant = true;
    let (mut student_t, mut student_p, mut student_ci) = (None, None, (None, None));
    if let (Some(a), Some(b), Some(sp), Some(df), Some(md)) = (m1, m2, sd_pooled, df_pooled, mean_diff) {
        let se = sp * (1.0 / n1f + 1.0 / n2f).sqrt();
        if !essentially_constant(se, a, b) {
            constant = false;
            student_t = finite(md / se);
            if let Some(t) = student_t {
                student_p = t_two_sided_p(t, df);
                student_ci = ci(Some(md), Some(se), t_quantile(q_level, df));
            }
        }
    }
    let student_df = student_t.and(df_pooled);

    // Standardised effects: undefined when the pooled SD is (essentially) zero.
    let cohen_d = match (mean_diff, sd_pooled) {
        (Some(md), Some(sp)) if !constant => finite(md / sp),
        _ => None,
    };
    let J = cohen_d.and(df_pooled).map(|df| 1.0 - 3.0 / (4.0 * df - 1.0));
    let hedges_g = match (J, cohen_d) {
        (Some(j), Some(d)) => finite(j * d),
        _ => None,
    };
    let se_d = cohen_d.and_then(|d| finite(((n1f + n2f) / (n1f * n2f) + d * d / (2.0 * (n1f + n2f))).sqrt()));
    let se_g = match (J, se_d) {
        (Some(j), Some(s)) => finite(j * s),
        _ => None,
    };
    let z = z_quantile(q_level);
    let (d_ci_low, d_ci_high) = ci(cohen_d, se_d, z);
    let (g_ci_low, g_ci_high) = ci(hedges_g, se_g, z);

    TwoGroupStats {
        n_int: n1,
        n_ctrl: n2,
        mean_int: m1,
        mean_ctrl: m2,
        mean_diff,
        sd_int: v1.map(f64::sqrt),
        sd_ctrl: v2.map(f64::sqrt),
        welch_t,
        welch_df,
        welch_p,
        welch_ci_low: welch_ci.0,
        welch_ci_high: welch_ci.1,
        student_t,
        student_df,
        student_p,
        student_ci_low: student_ci.0,
        student_ci_high: student_ci.1,
        sd_pooled,
        cohen_d,
        se_d,
        d_ci_low,
        d_ci_high,
        J,
        hedges_g,
        se_g,
        g_ci_low,
        g_ci_high,
        mw_W: None,
        mw_p_approx: None,
        mw_p_exact: None,
        mw_p_R_default: None,
        conf_level: 1.0 - alpha,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() <= 1e-9 + 1e-7 * b.abs())
    }

    #[test]
    fn matches_r_t_tests() {
        // R: x <- c(3.1, 4.2, 5.0, 2.2, 3.9); y <- c(5.5, 4.8, 6.1, 5.9); t.test(x, y) and
        // t.test(x, y, var.equal = TRUE); values from SciPy ttest_ind, which agrees with R.
        let x = [3.1, 4.2, 5.0, 2.2, 3.9];
        let y = [5.5, 4.8, 6.1, 5.9];
        let s = two_group(&x, &y, 0.05);
        assert!(close(s.welch_t, -3.3942718212741076), "{:?}", s.welch_t);
        assert!(close(s.welch_df, 6.303068721727458), "{:?}", s.welch_df);
        assert!(close(s.welch_p, 0.013532675448363566), "{:?}", s.welch_p);
        assert!(close(s.student_t, -3.1652649401452453), "{:?}", s.student_t);
        assert_eq!(s.student_df, Some(7.0));
        assert!(close(s.student_p, 0.01581182744120994), "{:?}", s.student_p);
        // J = 1 - 3/(4*7 - 1) by the README formula.
        assert!(close(s.J, 1.0 - 3.0 / 27.0));
    }

    #[test]
    fn owned_and_precomputed_variants_match() {
        let x: Vec<f64> = (0..700).map(|i| ((i * 37 % 101) as f64) / 8.0).collect();
        let y: Vec<f64> = (0..650).map(|i| ((i * 53 % 97) as f64) / 8.0 + 0.5).collect();
        let whole = two_group(&x, &y, 0.05);
        assert_eq!(two_group_owned(x.clone(), y.clone(), 0.05), whole);
        assert_eq!(two_group_with_rank_sum(&x, &y, 0.05, rank_sum(&x, &y)), whole);
        let t = two_group_t(&x, &y, 0.05);
        assert_eq!(
            TwoGroupStats {
                mw_W: whole.mw_W,
                mw_p_approx: whole.mw_p_approx,
                mw_p_exact: whole.mw_p_exact,
                mw_p_R_default: whole.mw_p_R_default,
                ..t
            },
            whole
        );
        assert_eq!((t.mw_W, t.mw_p_approx), (None, None));
    }

    #[test]
    fn both_groups_constant_is_not_computable() {
        let s = two_group(&[0.0, 0.0, 0.0], &[0.0, 0.0], 0.05);
        assert_eq!(s.sd_pooled, Some(0.0));
        assert_eq!((s.welch_t, s.welch_p, s.student_t, s.student_df), (None, None, None, None));
        assert_eq!((s.cohen_d, s.J, s.hedges_g, s.se_g, s.d_ci_low), (None, None, None, None, None));
        assert_eq!(s.mw_p_approx, None);
        // Constant but different decimal values: R says "data are essentially constant".
        let c = two_group(&[2.7, 2.7, 2.7], &[3.1, 3.1], 0.05);
        assert_eq!(c.sd_int, Some(0.0));
        assert_eq!((c.welch_t, c.student_t, c.cohen_d), (None, None, None));
    }

    #[test]
    fn empty_and_single_values_never_nan() {
        let e = two_group(&[], &[1.0, 2.0], 0.05);
        assert_eq!(e.n_int, 0);
        assert_eq!(
            (e.mean_int, e.mean_diff, e.welch_t, e.student_t, e.cohen_d, e.mw_W),
            (None, None, None, None, None, None)
        );
        // n = 1 vs 2: Welch undefined, Student defined (R: var.equal = TRUE accepts n = 1).
        let o = two_group(&[1.0], &[2.0, 4.0], 0.05);
        assert_eq!(o.welch_t, None);
        assert_eq!(o.student_df, Some(1.0));
        // R: t.test(1, c(2,4), var.equal=TRUE)$statistic = -2/sqrt(3) = -1.1547005383792517
        assert!(close(o.student_t, -1.1547005383792517), "{:?}", o.student_t);
        let json = serde_json::to_string(&o).unwrap();
        assert!(!json.contains("NaN") && !json.contains("inf"));
    }
}
