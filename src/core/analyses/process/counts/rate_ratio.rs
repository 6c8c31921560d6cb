//! Rate after vs before the program start: the rate ratio with a log-scale Wald interval and the
//! exact conditional test and interval of R's `poisson.test(c(a, b), c(Ta, Tb))`: given the
//! total a + b, the count after is binomial with p = Ta/(Ta + Tb) under equal rates; the
//! Clopper–Pearson interval (pL, pU) for p becomes the rate-ratio interval p/(1 − p) · Tb/Ta.

use crate::core::analyses::process::common::clopper_pearson;
use crate::core::stats::describe::finite;
use crate::core::stats::dist::{z_quantile, z_two_sided_p};
use crate::core::stats::exact::binom_test_two_sided;
use serde::{Deserialize, Serialize};

/// Above this many events in total the exact p-value (a sum over every outcome) is skipped.
pub const EXACT_MAX_TOTAL: u64 = 5_000_000;

/// `results.community.before_after`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RateRatio {
    pub periods_before: usize,
    pub periods_after: usize,
    pub count_before: f64,
    pub count_after: f64,
    pub exposure_before: f64,
    pub exposure_after: f64,
    /// count / exposure × `rate_per`.
    pub rate_before: Option<f64>,
    pub rate_after: Option<f64>,
    pub rate_per: f64,
    /// (count_after / exposure_after) / (count_before / exposure_before).
    pub rate_ratio: Option<f64>,
    /// exp(log RR ± z·√(1/a + 1/b)); `None` when a count is 0.
    pub wald_ci_low: Option<f64>,
    pub wald_ci_high: Option<f64>,
    /// Wald z-test of log RR = 0.
    pub wald_p: Option<f64>,
    /// Exact conditional interval and p (R `poisson.test`).
    pub exact_ci_low: Option<f64>,
    pub exact_ci_high: Option<f64>,
    pub exact_p: Option<f64>,
    pub conf_level: f64,
}

/// Rate ratio of `a` events in exposure `ta` (after) vs `b` in `tb` (before).
pub fn rate_ratio(a: u64, ta: f64, b: u64, tb: f64, periods: (usize, usize), rate_per: f64, alpha: f64) -> RateRatio {
    let (af, bf) = (a as f64, b as f64);
    let valid = ta > 0.0 && tb > 0.0 && ta.is_finite() && tb.is_finite();
    let rate = |x: f64, t: f64| if t > 0.0 { finite(x / t * rate_per) } else { None };
    let rr = if valid && b > 0 { finite((af / ta) / (bf / tb)) } else { None };
    let z = z_quantile(1.0 - alpha / 2.0);
    let (mut wl, mut wh, mut wp) = (None, None, None);
    if let (Some(rr), Some(z), true) = (rr, z, a > 0 && b > 0) {
        let se = (1.0 / af + 1.0 / bf).sqrt();
        wl = finite((rr.ln() - z * se).exp());
        wh = finite((rr.ln() + z * se).exp());
        wp = z_two_sided_p(rr.ln() / se);
    }
    let (mut el, mut eh, mut ep) = (None, None, None);
    if valid && a + b > 0 {
        let p0 = ta / (ta + tb);
        if a + b <= EXACT_MAX_TOTAL {
            ep = binom_test_two_sided(a, a + b, p0);
        }
        if let Some((pl, pu)) = clopper_pearson(a, a + b, alpha) {
            let to_rr = |p: f64| if p < 1.0 { finite(p / (1.0 - p) * tb / ta) } else { None };
            el = to_rr(pl);
            eh = to_rr(pu);
        }
    }
    RateRatio {
        periods_before: periods.0,
        periods_after: periods.1,
        count_before: bf,
        count_after: af,
        exposure_before: tb,
        exposure_after: ta,
        rate_before: rate(bf, tb),
        rate_after: rate(af, ta),
        rate_per,
        rate_ratio: rr,
        wald_ci_low: wl,
        wald_ci_high: wh,
        wald_p: wp,
        exact_ci_low: el,
        exact_ci_high: eh,
        exact_p: ep,
        conf_level: 1.0 - alpha,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() <= 1e-12 + 1e-9 * b.abs())
    }

    /// (a, Ta, b, Tb, estimate, exact CI low, exact CI high, exact p) from R 4.2.2:
    /// `r <- poisson.test(c(a, b), c(Ta, Tb)); r$estimate; r$conf.int; r$p.value`
    /// (script and output: tests/data/counts_reference.R and .out; the p-values also equal
    /// statsmodels `test_poisson_2indep(a, Ta, b, Tb, method = "exact-cond")`, counts_reference.py).
    /// (a, Ta, b, Tb, estimate, conf.int low, high, p)
    type PoissonCase = (u64, f64, u64, f64, f64, f64, f64, f64);
    const POISSON_TEST: &[PoissonCase] = &[
        (30, 12.0, 52, 12.0, 0.57692307692307698, 0.35533331742725266, 0.9213384831581477, 0.019826915845841685),
        (11, 6.0, 4, 6.0, 2.75, 0.81487135741349004, 11.84166101264403, 0.1184692382812501),
        (0, 10.0, 7, 12.0, 0.0, 0.0, 0.8325767761157431, 0.018374190897180502),
        (120, 48000.0, 95, 51000.0, 1.3421052631578947, 1.0168419467647773, 1.7756202312555933, 0.034278013211944347),
        (3, 2.5, 3, 7.5, 2.9999999999999996, 0.4018127645331907, 22.398492020172199, 0.16943359375000014),
        (250, 365.0, 310, 365.0, 0.80645161290322576, 0.67993600112038743, 0.95574516811932753, 0.012590475149380252),
    ];

    #[test]
    fn matches_r_poisson_test() {
        for &(a, ta, b, tb, est, lo, hi, p) in POISSON_TEST {
            let r = rate_ratio(a, ta, b, tb, (1, 1), 1.0, 0.05);
            assert!(close(r.rate_ratio, est), "{a}/{b}: {:?} vs {est}", r.rate_ratio);
            assert!(close(r.exact_ci_low, lo), "{a}/{b}: {:?} vs {lo}", r.exact_ci_low);
            assert!(close(r.exact_ci_high, hi), "{a}/{b}: {:?} vs {hi}", r.exact_ci_high);
            assert!(close(r.exact_p, p), "{a}/{b}: {:?} vs {p}", r.exact_p);
        }
    }

    #[test]
    fn wald_interval_by_hand() {
        // 30 vs 52 in equal exposure: RR = 30/52, se = sqrt(1/30 + 1/52).
        let r = rate_ratio(30, 12.0, 52, 12.0, (12, 12), 1.0, 0.05);
        let se = (1.0f64 / 30.0 + 1.0 / 52.0).sqrt();
        let z = 1.959963984540054;
        assert!(close(r.wald_ci_low, (30.0f64 / 52.0).ln().mul_add(1.0, -z * se).exp()));
        assert!(close(r.wald_ci_high, ((30.0f64 / 52.0).ln() + z * se).exp()));
        assert!(close(r.rate_before, 52.0 / 12.0));
    }

    #[test]
    fn zero_counts_are_none_not_infinite() {
        // Nothing before: the ratio and its upper limit are infinite (R: Inf) -> None; R's lower
        // limit and p stay: poisson.test(c(5, 0), c(10, 10)) conf.int[1] = 0.9163558573154601, p = 0.0625.
        let r = rate_ratio(5, 10.0, 0, 10.0, (1, 1), 1.0, 0.05);
        assert_eq!((r.rate_ratio, r.wald_ci_low, r.exact_ci_high), (None, None, None));
        assert!(close(r.exact_ci_low, 0.9163558573154601), "{:?}", r.exact_ci_low);
        assert!(close(r.exact_p, 0.0625));
        // Nothing at all.
        let z = rate_ratio(0, 10.0, 0, 10.0, (1, 1), 1.0, 0.05);
        assert_eq!((z.rate_ratio, z.exact_p, z.exact_ci_low, z.rate_after), (None, None, None, Some(0.0)));
        let json = serde_json::to_string(&z).unwrap();
        assert!(!json.contains("NaN") && !json.contains("inf"));
    }
}
