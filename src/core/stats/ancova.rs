//! ANCOVA of post scores adjusted for pre scores: ordinary least squares of
//! `post ~ group + pre` (group = 1 for intervention, 0 for control), as R's `lm(post ~ grp + pre)`
//! and statsmodels `OLS(post, [1, grp, pre])`. Solved on centred data (the 2×2 normal equations
//! for the slopes, then the intercept), which is exact in form and well conditioned here.

use crate::core::stats::describe::finite;
use crate::core::stats::dist::{t_quantile, t_two_sided_p};
use serde::{Deserialize, Serialize};

/// The group term (intervention − control, adjusted for pre) and the rest of the fit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AncovaStats {
    pub n: usize,
    pub coef_group: Option<f64>,
    pub se_group: Option<f64>,
    pub t_group: Option<f64>,
    pub p_group: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub df_resid: Option<f64>,
    pub coef_pre: Option<f64>,
    pub se_pre: Option<f64>,
    pub intercept: Option<f64>,
    pub conf_level: f64,
}

/// OLS of `post ~ 1 + group + pre` on `rows` = (is_intervention, pre, post), CI level 1 − `alpha`.
///
/// Slopes solve [[Sgg, Sgp], [Sgp, Spp]]·β = [Sgy, Spy] (centred cross-products);
/// intercept = ȳ − β_g·ḡ − β_p·p̄; σ² = RSS/(n − 3); Var(β) = σ²·C⁻¹; t = β/SE;
/// p = 2·pt(−|t|, n − 3); CI = β ± qt(1 − alpha/2, n − 3)·SE (R `summary.lm`, `confint`).
/// Coefficients are `None` when the design is singular (one group only, constant pre, or
/// group and pre collinear); SE, t, p and CI are `None` for a perfect fit (RSS = 0) or n ≤ 3.
pub fn ancova(rows: &[(bool, f64, f64)], alpha: f64) -> AncovaStats {
    ancova_of(|| rows.iter().copied(), alpha)
}

/// [`ancova`] of rows given by an iterator made once per pass (three passes, in row order), so
/// that a big file's rows need not be collected first.
pub fn ancova_of<I: Iterator<Item = (bool, f64, f64)>>(rows: impl Fn() -> I, alpha: f64) -> AncovaStats {
    // (group as 0/1, pre, post) of each row; the sums run in row order.
    // (`f64::from(u8)`: 1.0 or 0.0 without a branch on the interleaved arms.)
    let gpy = || rows().map(|r| (f64::from(u8::from(r.0)), r.1, r.2));
    // The row count and three sums in one pass; each sum runs in row order from -0.0, as
    // `Iterator::sum` does.
    let (n, sg, sp, sy) =
        gpy().fold((0usize, -0.0f64, -0.0f64, -0.0f64), |(n, a, b, c), (g, p, y)| (n + 1, a + g, b + p, c + y));
    let mut out = AncovaStats {
        n,
        coef_group: None,
        se_group: None,
        t_group: None,
        p_group: None,
        ci_low: None,
        ci_high: None,
        df_resid: (n >= 3).then(|| (n - 3) as f64),
        coef_pre: None,
        se_pre: None,
        intercept: None,
        conf_level: 1.0 - alpha,
    };
    if n == 0 {
        return out;
    }
    let nf = n as f64;
    let (gm, pm, ym) = (sg / nf, sp / nf, sy / nf);
    let (mut sgg, mut spp, mut sgp, mut sgy, mut spy) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for (gi, pi, yi) in gpy() {
        let (gc, pc, yc) = (gi - gm, pi - pm, yi - ym);
        sgg += gc * gc;
        spp += pc * pc;
        sgp += gc * pc;
        sgy += gc * yc;
        spy += pc * yc;
    }
    let det = sgg * spp - sgp * sgp;
    // Singular or numerically singular design: the coefficients are not identified.
    if !det.is_finite() || det <= 1e-12 * sgg * spp || sgg <= 0.0 || spp <= 0.0 {
        return out;
    }
    let bg = (spp * sgy - sgp * spy) / det;
    let bp = (sgg * spy - sgp * sgy) / det;
    let b0 = ym - bg * gm - bp * pm;
    out.coef_group = finite(bg);
    out.coef_pre = finite(bp);
    out.intercept = finite(b0);
    let (rss, scale) = gpy().fold((-0.0f64, -0.0f64), |(rss, scale), (gi, pi, yi)| {
        (rss + (yi - (b0 + bg * gi + bp * pi)).powi(2), scale + yi * yi)
    });
    let Some(df) = out.df_resid.filter(|&d| d >= 1.0) else { return out };
    // A perfect fit (RSS 0 up to rounding) leaves SE, t, p and CI undefined.
    if !rss.is_finite() || rss <= 1e-20 * scale {
        return out;
    }
    let sigma2 = rss / df;
    out.se_group = finite((sigma2 * spp / det).sqrt());
    out.se_pre = finite((sigma2 * sgg / det).sqrt());
    if let (Some(b), Some(se)) = (out.coef_group, out.se_group) {
        if se > 0.0 {
            out.t_group = finite(b / se);
            out.p_group = out.t_group.and_then(|t| t_two_sided_p(t, df));
            if let Some(q) = t_quantile(1.0 - alpha / 2.0, df) {
                out.ci_low = finite(b - q * se);
                out.ci_high = finite(b + q * se);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() <= 1e-9 + 1e-7 * b.abs())
    }

    #[test]
    fn matches_r_lm() {
        // R: grp <- c(1,1,1,0,0,0); pre <- c(3,5,4,6,2,4); post <- c(2,4,2.5,6,2.5,4.5)
        //    summary(lm(post ~ grp + pre)); values from numpy lstsq + scipy t, which agree with R.
        let rows = [
            (true, 3.0, 2.0),
            (true, 5.0, 4.0),
            (true, 4.0, 2.5),
            (false, 6.0, 6.0),
            (false, 2.0, 2.5),
            (false, 4.0, 4.5),
        ];
        let a = ancova(&rows, 0.05);
        assert_eq!(a.df_resid, Some(3.0));
        assert!(close(a.coef_group, -1.5), "{:?}", a.coef_group);
        assert!(close(a.coef_pre, 0.9), "{:?}", a.coef_pre);
        assert!(close(a.intercept, 0.7333333333333347), "{:?}", a.intercept);
        assert!(close(a.se_group, 0.2277100170213244), "{:?}", a.se_group);
        assert!(close(a.se_pre, 0.08819171036881969), "{:?}", a.se_pre);
        assert!(close(a.t_group, -6.587325492402601), "{:?}", a.t_group);
        assert!(close(a.p_group, 0.007119299919411927), "{:?}", a.p_group);
        assert!(close(a.ci_low, -2.2246749023456047), "{:?}", a.ci_low);
        assert!(close(a.ci_high, -0.7753250976543964), "{:?}", a.ci_high);
    }

    #[test]
    fn degenerate_designs_are_not_computable() {
        // Perfect fit (post = pre): coefficients exist, SE/t/p/CI do not.
        let rows = [(true, 1.0, 1.0), (true, 2.0, 2.0), (false, 3.0, 3.0), (false, 5.0, 5.0)];
        let a = ancova(&rows, 0.05);
        assert_eq!(a.coef_pre, Some(1.0));
        assert_eq!((a.se_group, a.t_group, a.p_group, a.ci_low, a.se_pre), (None, None, None, None, None));
        // One group only: singular design.
        let one = ancova(&[(true, 1.0, 2.0), (true, 2.0, 2.5), (true, 4.0, 3.0), (true, 3.0, 1.0)], 0.05);
        assert_eq!((one.coef_group, one.coef_pre), (None, None));
        // Constant pre: singular.
        let flat = ancova(&[(true, 2.0, 2.0), (false, 2.0, 2.5), (true, 2.0, 3.0), (false, 2.0, 1.0)], 0.05);
        assert_eq!(flat.coef_group, None);
        // Empty and n = 1.
        assert_eq!(ancova(&[], 0.05).df_resid, None);
        let n1 = ancova(&[(true, 1.0, 2.0)], 0.05);
        assert_eq!((n1.coef_group, n1.df_resid), (None, None));
        // n = 3: coefficients, no residual df.
        let n3 = ancova(&[(true, 1.0, 2.0), (false, 2.0, 2.5), (false, 4.0, 3.5)], 0.05);
        assert_eq!(n3.df_resid, Some(0.0));
        assert!(n3.coef_group.is_some());
        assert_eq!(n3.se_group, None);
    }
}
