//! Inverse-variance meta-analysis of one effect per site (`shared/design/CONTRACT.md` §8), as R
//! `metafor::rma(yi, sei = sei, method = ...)` (Viechtbauer 2010, metafor 3.8) at the REML optimum.
//!
//! # Methods
//! With `v_i = sei_i²` and weights `w_i = 1 / (v_i + τ²)`:
//!
//! - **Fixed effect** (`method = "FE"`): `τ² = 0`; `μ = Σ w y / Σ w`, `se = 1 / sqrt(Σ w)`,
//!   95% interval `μ ± z·se` with `z = qnorm(0.975)`, Wald `z = μ / se`, two-sided normal p.
//! - **Cochran's Q** from the fixed-effect weights: `Q = Σ w (y − μ_FE)²` on `k − 1` df, upper
//!   chi-square p, and `I² = max(0, (Q − (k − 1)) / Q)` as a proportion (Higgins & Thompson
//!   2002; this is metafor's `I2` for `"DL"`, not its τ²-based `I2` for `"REML"`).
//! - **DerSimonian–Laird** (DerSimonian & Laird 1986, method of moments):
//!   `τ² = max(0, (Q − (k − 1)) / (Σ w − Σ w² / Σ w))`, then the random-effects weights.
//! - **REML** (Viechtbauer 2005): `τ²` maximises the restricted log-likelihood
//!   `ℓ(τ²) = −½ [Σ ln(v_i + τ²) + ln Σ w + Σ w (y − μ)²]` over `τ² ≥ 0`. Its score is
//!   `½ [Σ w² (y − μ)² − Σ w + Σ w² / Σ w]`. Every root lies below
//!   `T = 2·max(max v, 8·(max y − min y)²)` (there the score is provably negative), so the score is
//!   scanned on a geometric grid over `[0, T]`, each change of sign from + to − is refined by
//!   bisection to the last bit, and the candidate (those roots and the boundary `τ² = 0`) with
//!   the largest `ℓ` is the optimum. This is the true optimum, not a stopping rule: metafor's
//!   default threshold (1e-5 on the change in τ²) can stop ~1e-4 short, or at τ² ≈ 3e-6 where
//!   the optimum is the boundary; at the boundary this gives exactly 0. The prediction interval
//!   is `predict()`'s for a normal-based fit: `μ ± z·sqrt(se² + τ²)`.
//! - **Knapp–Hartung** (Knapp & Hartung 2003; metafor `test = "knha"`): the REML fit with its
//!   variance multiplied by `s² = Σ w (y − μ)² / (k − 1)`, *not* truncated at 1; `t = μ / se` on
//!   `k − 1` df, interval `μ ± qt(0.975, k − 1)·se`.
//!
//! The studies are sorted (by `yi`, then `sei`) before anything is summed, so the order of the
//! sites never changes a single bit of the result; `yi` is centred at its median and both `yi` and
//! `sei` are divided by the median `sei` while computing (every statistic is equivariant), so huge
//! or tiny scales lose nothing. Every function returns `None` ("not computable") rather than a
//! NaN: fewer than two studies, a non-finite `yi`, a `sei` that is not a positive finite number,
//! or weights that overflow.

use crate::core::stats::nct::{pnorm, qt, t_cdf};
use serde::{Deserialize, Serialize};
use statrs::distribution::{ChiSquared, ContinuousCDF};

/// R `qnorm(0.975)`: the normal 95% multiplier (also used for `log_rr_help`'s `sei`, §8).
pub const Z_975: f64 = 1.959_963_984_540_054;

/// One study (site): its effect estimate and standard error.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Study {
    pub yi: f64,
    pub sei: f64,
}

/// Fixed-effect fit (metafor `method = "FE"`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FixedFit {
    pub estimate: f64,
    pub se: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    pub z: f64,
    pub p: f64,
}

/// Random-effects fit with a normal-based test (metafor `method = "DL"`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RandomFit {
    pub estimate: f64,
    pub se: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    pub z: f64,
    pub p: f64,
    pub tau2: f64,
}

/// REML random-effects fit (metafor `method = "REML"`) with `predict()`'s prediction interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RemlFit {
    pub estimate: f64,
    pub se: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    pub z: f64,
    pub p: f64,
    pub tau2: f64,
    pub pi_low: f64,
    pub pi_high: f64,
}

/// REML fit with the Knapp–Hartung adjustment (metafor `test = "knha"`, not truncated at 1).
/// When every `yi` is equal the adjusted `se` is 0: `t` (infinite in R) is `None` and `p` is 0 as in
/// R (`None` too if the estimate is also 0, where R gives NaN).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct KnappHartungFit {
    pub estimate: f64,
    pub se: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    pub t: Option<f64>,
    pub df: usize,
    pub p: Option<f64>,
}

/// Cochran's Q test and I² from the fixed-effect weights.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Heterogeneity {
    pub q: f64,
    pub q_df: usize,
    pub q_p: f64,
    /// `max(0, (Q − (k − 1)) / Q)`, a proportion (0 when Q = 0).
    pub i2: f64,
}

/// Every fit of §8 for one measure.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MetaAnalysis {
    pub k: usize,
    pub fixed: FixedFit,
    pub dl: RandomFit,
    pub reml: RemlFit,
    pub reml_hk: KnappHartungFit,
    #[serde(flatten)]
    pub heterogeneity: Heterogeneity,
}

/// The studies prepared for computing: sorted, centred at `centre` and divided by `scale`.
struct Prepared {
    /// `(yi − centre) / scale`.
    y: Vec<f64>,
    /// `(sei / scale)²`.
    v: Vec<f64>,
    centre: f64,
    scale: f64,
}

/// Median of a sorted, non-empty slice.
fn median_sorted(x: &[f64]) -> f64 {
    let n = x.len();
    if n % 2 == 1 {
        x[n / 2]
    } else {
        0.5 * x[n / 2 - 1] + 0.5 * x[n / 2]
    }
}

fn prepare(studies: &[Study]) -> Option<Prepared> {
    if studies.len() < 2 || studies.iter().any(|s| !(s.yi.is_finite() && s.sei.is_finite() && s.sei > 0.0)) {
        return None;
    }
    let mut sorted = studies.to_vec();
    sorted.sort_by(|a, b| a.yi.total_cmp(&b.yi).then(a.sei.total_cmp(&b.sei)));
    let ys: Vec<f64> = sorted.iter().map(|s| s.yi).collect();
    let mut ses: Vec<f64> = sorted.iter().map(|s| s.sei).collect();
    ses.sort_by(f64::total_cmp);
    let centre = median_sorted(&ys);
    let scale = median_sorted(&ses);
    let y: Vec<f64> = ys.iter().map(|&yi| (yi - centre) / scale).collect();
    let v: Vec<f64> = sorted.iter().map(|s| (s.sei / scale) * (s.sei / scale)).collect();
    let ok = y.iter().all(|x| x.is_finite())
        && v.iter().all(|&vi| vi.is_finite() && vi > 0.0 && (1.0 / vi).is_finite())
        && centre.is_finite()
        && scale.is_finite()
        && scale > 0.0;
    ok.then_some(Prepared { y, v, centre, scale })
}

/// Weighted mean, `Σ w` and `Σ w (y − μ)²` for `τ²` (in prepared units).
struct Weighted {
    mu: f64,
    sum_w: f64,
    /// Σ w (y − μ)².
    rss: f64,
}

fn weighted(p: &Prepared, tau2: f64) -> Option<Weighted> {
    let mut sum_w = 0.0;
    let mut sum_wy = 0.0;
    for (&y, &v) in p.y.iter().zip(&p.v) {
        let w = 1.0 / (v + tau2);
        sum_w += w;
        sum_wy += w * y;
    }
    let mu = sum_wy / sum_w;
    let rss = p.y.iter().zip(&p.v).map(|(&y, &v)| (y - mu) * (y - mu) / (v + tau2)).sum::<f64>();
    (sum_w.is_finite() && sum_w > 0.0 && mu.is_finite() && rss.is_finite()).then_some(Weighted { mu, sum_w, rss })
}

/// A normal-based fit for `τ²` (prepared units), back in the original units.
fn normal_fit(p: &Prepared, tau2: f64) -> Option<RandomFit> {
    let w = weighted(p, tau2)?;
    let estimate = p.centre + p.scale * w.mu;
    let se = p.scale / w.sum_w.sqrt();
    let z = estimate / se;
    let fit = RandomFit {
        estimate,
        se,
        ci_low: estimate - Z_975 * se,
        ci_high: estimate + Z_975 * se,
        z,
        p: (2.0 * pnorm(-z.abs())).min(1.0),
        tau2: tau2 * p.scale * p.scale,
    };
    let all = [fit.estimate, fit.se, fit.ci_low, fit.ci_high, fit.z, fit.p, fit.tau2];
    (all.iter().all(|x| x.is_finite()) && se > 0.0).then_some(fit)
}

/// Fixed-effect (inverse-variance) meta-analysis, as `rma(yi, sei = sei, method = "FE")`.
/// `None` for fewer than two studies or invalid input.
pub fn fixed_effect(studies: &[Study]) -> Option<FixedFit> {
    let p = prepare(studies)?;
    let f = normal_fit(&p, 0.0)?;
    Some(FixedFit { estimate: f.estimate, se: f.se, ci_low: f.ci_low, ci_high: f.ci_high, z: f.z, p: f.p })
}

/// Upper-tail chi-square probability `P(X > x)` on `df` degrees of freedom (R `pchisq(x, df,
/// lower.tail = FALSE)`); 1 at `x = 0`.
pub fn chisq_upper_p(x: f64, df: f64) -> Option<f64> {
    if x.is_nan() || x < 0.0 || x.is_infinite() {
        return None;
    }
    if x == 0.0 {
        return Some(1.0);
    }
    if df == 1.0 {
        // Exact identity, with Cody's accurate normal tail.
        return Some((2.0 * pnorm(-x.sqrt())).min(1.0));
    }
    let d = ChiSquared::new(df).ok()?;
    let p = d.sf(x);
    (p.is_finite() && p >= 0.0).then_some(p.min(1.0))
}

/// Cochran's Q, its df and p, and I² = max(0, (Q − (k − 1)) / Q), from the fixed-effect weights.
pub fn heterogeneity(studies: &[Study]) -> Option<Heterogeneity> {
    let p = prepare(studies)?;
    heterogeneity_prepared(&p)
}

fn heterogeneity_prepared(p: &Prepared) -> Option<Heterogeneity> {
    let k = p.y.len();
    let q = weighted(p, 0.0)?.rss;
    let df = (k - 1) as f64;
    let i2 = if q > df { (q - df) / q } else { 0.0 };
    Some(Heterogeneity { q, q_df: k - 1, q_p: chisq_upper_p(q, df)?, i2 })
}

fn dl_tau2_prepared(p: &Prepared) -> Option<f64> {
    let w = weighted(p, 0.0)?;
    let sum_w2 = p.v.iter().map(|&v| 1.0 / (v * v)).sum::<f64>();
    let c = w.sum_w - sum_w2 / w.sum_w;
    let df = (p.y.len() - 1) as f64;
    let tau2 = if c > 0.0 && w.rss > df { (w.rss - df) / c } else { 0.0 };
    tau2.is_finite().then_some(tau2)
}

/// DerSimonian–Laird random-effects meta-analysis, as `rma(yi, sei = sei, method = "DL")`.
pub fn dersimonian_laird(studies: &[Study]) -> Option<RandomFit> {
    let p = prepare(studies)?;
    normal_fit(&p, dl_tau2_prepared(&p)?)
}

/// REML score `∂ℓ/∂τ²` and restricted log-likelihood (without constants) at `tau2`.
fn reml_score_ll(p: &Prepared, tau2: f64) -> Option<(f64, f64)> {
    let w = weighted(p, tau2)?;
    let mut sum_w2r2 = 0.0;
    let mut sum_w2 = 0.0;
    let mut sum_ln = 0.0;
    for (&y, &v) in p.y.iter().zip(&p.v) {
        let wi = 1.0 / (v + tau2);
        let r = y - w.mu;
        sum_w2r2 += wi * wi * r * r;
        sum_w2 += wi * wi;
        sum_ln += (v + tau2).ln();
    }
    let score = 0.5 * (sum_w2r2 - w.sum_w + sum_w2 / w.sum_w);
    let ll = -0.5 * (sum_ln + w.sum_w.ln() + w.rss);
    (score.is_finite() && ll.is_finite()).then_some((score, ll))
}

/// The REML τ² in prepared units: the global maximiser of ℓ on τ² ≥ 0 (see the module doc).
fn reml_tau2_prepared(p: &Prepared) -> Option<f64> {
    let vmin = p.v.iter().copied().fold(f64::INFINITY, f64::min);
    let vmax = p.v.iter().copied().fold(0.0, f64::max);
    let ymin = p.y.iter().copied().fold(f64::INFINITY, f64::min);
    let ymax = p.y.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let spread = ymax - ymin;
    if spread == 0.0 {
        // Every yi equal: Σ w² (y − μ)² = 0 and the score is negative everywhere.
        return Some(0.0);
    }
    // For τ² > max(vmax, 4k/(k−1)·spread²) the score is negative (module doc), so all roots lie below `hi`.
    let hi = 2.0 * vmax.max(8.0 * spread * spread);
    let lo = (1e-12 * vmin).min(1e-12 * hi);
    if !(hi.is_finite() && lo > 0.0) {
        return None;
    }
    let ratio: f64 = 1.5;
    let steps = ((hi / lo).ln() / ratio.ln()).ceil().clamp(1.0, 5000.0) as i32;
    let mut grid = Vec::with_capacity(steps as usize + 2);
    grid.push(0.0);
    for j in 0..=steps {
        grid.push(lo * (hi / lo).powf(f64::from(j) / f64::from(steps)));
    }
    let scores: Vec<f64> = grid.iter().map(|&t| reml_score_ll(p, t).map(|(s, _)| s)).collect::<Option<Vec<f64>>>()?;
    let mut best = (0.0, reml_score_ll(p, 0.0)?.1);
    for j in 0..grid.len() - 1 {
        if scores[j] >= 0.0 && scores[j + 1] < 0.0 {
            let (mut a, mut b) = (grid[j], grid[j + 1]);
            for _ in 0..200 {
                let m = 0.5 * (a + b);
                if !(m > a && m < b) {
                    break;
                }
                if reml_score_ll(p, m)?.0 >= 0.0 {
                    a = m;
                } else {
                    b = m;
                }
            }
            let root = 0.5 * (a + b);
            let ll = reml_score_ll(p, root)?.1;
            if ll > best.1 {
                best = (root, ll);
            }
        }
    }
    Some(best.0)
}

/// The REML estimate of τ² (the optimum on τ² ≥ 0; exactly 0 at the boundary).
pub fn reml_tau2(studies: &[Study]) -> Option<f64> {
    let p = prepare(studies)?;
    reml_tau2_prepared(&p).map(|t| t * p.scale * p.scale).filter(|t| t.is_finite())
}

fn reml_prepared(p: &Prepared, tau2: f64) -> Option<RemlFit> {
    let f = normal_fit(p, tau2)?;
    let half = Z_975 * (f.se * f.se + f.tau2).sqrt();
    let fit = RemlFit {
        estimate: f.estimate,
        se: f.se,
        ci_low: f.ci_low,
        ci_high: f.ci_high,
        z: f.z,
        p: f.p,
        tau2: f.tau2,
        pi_low: f.estimate - half,
        pi_high: f.estimate + half,
    };
    (fit.pi_low.is_finite() && fit.pi_high.is_finite()).then_some(fit)
}

/// REML random-effects meta-analysis, as `rma(yi, sei = sei, method = "REML")` at the optimum,
/// with `predict()`'s 95% prediction interval `μ ± z·sqrt(se² + τ²)`.
pub fn reml(studies: &[Study]) -> Option<RemlFit> {
    let p = prepare(studies)?;
    reml_prepared(&p, reml_tau2_prepared(&p)?)
}

fn knapp_hartung_prepared(p: &Prepared, tau2: f64) -> Option<KnappHartungFit> {
    let k = p.y.len();
    let w = weighted(p, tau2)?;
    let df = k - 1;
    let s2 = w.rss / df as f64;
    let estimate = p.centre + p.scale * w.mu;
    let se = p.scale * (s2 / w.sum_w).sqrt();
    let crit = qt(0.975, df as f64)?;
    let (t, pval) = if se > 0.0 {
        let t = estimate / se;
        let pv = t_cdf(-t.abs(), df as f64).map(|x| (2.0 * x).min(1.0));
        (Some(t).filter(|x| x.is_finite()), pv.filter(|x| x.is_finite()))
    } else if estimate != 0.0 {
        // Every yi equal (s² = 0): t is infinite (not representable); R gives p = 0.
        (None, Some(0.0))
    } else {
        (None, None)
    };
    let fit =
        KnappHartungFit { estimate, se, ci_low: estimate - crit * se, ci_high: estimate + crit * se, t, df, p: pval };
    [fit.estimate, fit.se, fit.ci_low, fit.ci_high].iter().all(|x| x.is_finite()).then_some(fit)
}

/// REML with the Knapp–Hartung adjustment, as `rma(yi, sei = sei, method = "REML", test =
/// "knha")` (scale factor not truncated at 1; df = k − 1).
pub fn knapp_hartung(studies: &[Study]) -> Option<KnappHartungFit> {
    let p = prepare(studies)?;
    knapp_hartung_prepared(&p, reml_tau2_prepared(&p)?)
}

/// Every fit of §8 at once (`k`, fixed, DL, REML with prediction interval, Knapp–Hartung, Q and
/// I²). `None` when fewer than two studies or any input is invalid; then nothing is pooled.
pub fn meta_analyse(studies: &[Study]) -> Option<MetaAnalysis> {
    let p = prepare(studies)?;
    let fixed = normal_fit(&p, 0.0)?;
    let dl = normal_fit(&p, dl_tau2_prepared(&p)?)?;
    let tau2 = reml_tau2_prepared(&p)?;
    Some(MetaAnalysis {
        k: p.y.len(),
        fixed: FixedFit {
            estimate: fixed.estimate,
            se: fixed.se,
            ci_low: fixed.ci_low,
            ci_high: fixed.ci_high,
            z: fixed.z,
            p: fixed.p,
        },
        dl,
        reml: reml_prepared(&p, tau2)?,
        reml_hk: knapp_hartung_prepared(&p, tau2)?,
        heterogeneity: heterogeneity_prepared(&p)?,
    })
}

/// Percentage weights of each study (in the order given) for a fit with `tau2` (original units):
/// `100 · w_i / Σ w`, for the forest plot. `None` on invalid input.
pub fn weights_percent(studies: &[Study], tau2: f64) -> Option<Vec<f64>> {
    if !(tau2.is_finite() && tau2 >= 0.0) || studies.is_empty() {
        return None;
    }
    prepare(studies)?;
    let scale = {
        let mut ses: Vec<f64> = studies.iter().map(|s| s.sei).collect();
        ses.sort_by(f64::total_cmp);
        median_sorted(&ses)
    };
    let w: Vec<f64> =
        studies.iter().map(|s| 1.0 / ((s.sei / scale) * (s.sei / scale) + tau2 / (scale * scale))).collect();
    let total: f64 = w.iter().sum();
    let out: Vec<f64> = w.iter().map(|wi| 100.0 * wi / total).collect();
    out.iter().all(|x| x.is_finite()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn st(pairs: &[(f64, f64)]) -> Vec<Study> {
        pairs.iter().map(|&(yi, sei)| Study { yi, sei }).collect()
    }

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * (1.0 + b.abs())
    }

    #[test]
    fn z_975_is_qnorm() {
        assert_eq!(crate::core::stats::nct::qnorm(0.975), Some(Z_975));
    }

    #[test]
    fn two_equal_se_studies_by_hand() {
        // y = 0, 1, se = 1, 1: FE mean 0.5, se = 1/sqrt(2); Q = 0.5 (< k − 1) so τ²_DL = 0, I² = 0.
        let s = st(&[(0.0, 1.0), (1.0, 1.0)]);
        let f = fixed_effect(&s).unwrap();
        assert!(close(f.estimate, 0.5, 1e-15) && close(f.se, 0.5f64.sqrt(), 1e-15));
        assert!(close(f.z, 0.5 / 0.5f64.sqrt(), 1e-15));
        let h = heterogeneity(&s).unwrap();
        assert!(close(h.q, 0.5, 1e-15) && h.q_df == 1 && h.i2 == 0.0);
        // P(chi2_1 > 0.5) = 2 Φ(−sqrt(0.5)) = 0.4795001221869535
        assert!(close(h.q_p, 0.4795001221869535, 1e-13));
        assert_eq!(dersimonian_laird(&s).unwrap().tau2, 0.0);
        // REML with equal v: ℓ' ∝ (k−1)·[Σ(y−ȳ)²/(k−1) − (v+τ²)] → τ² = max(0, s_y² − v) = max(0, 0.5 − 1) = 0.
        assert_eq!(reml_tau2(&s), Some(0.0));
        // HK: s² = Q/(k−1) = 0.5 → se = sqrt(0.5 · 0.5) = 0.5; t = 1; qt(0.975, 1) = 12.706204736174705.
        let hk = knapp_hartung(&s).unwrap();
        assert!(close(hk.se, 0.5, 1e-15) && close(hk.t.unwrap(), 1.0, 1e-14) && hk.df == 1);
        assert!(close(hk.ci_high, 0.5 + 12.706204736174705 * 0.5, 1e-12));
        // 2·pt(−1, 1) = 0.5 exactly.
        assert!(close(hk.p.unwrap(), 0.5, 1e-12));
    }

    #[test]
    fn equal_variances_reml_has_closed_form() {
        // With equal v, REML τ² = max(0, var(y) − v) (sample variance, n − 1).
        let s = st(&[(0.0, 0.5), (1.0, 0.5), (3.0, 0.5), (-2.0, 0.5)]);
        let ys = [0.0, 1.0, 3.0, -2.0];
        let m = ys.iter().sum::<f64>() / 4.0;
        let var = ys.iter().map(|y| (y - m) * (y - m)).sum::<f64>() / 3.0;
        let t = reml_tau2(&s).unwrap();
        assert!(close(t, var - 0.25, 1e-13), "{t} vs {}", var - 0.25);
        let r = reml(&s).unwrap();
        assert!(close(r.estimate, m, 1e-14));
        assert!(close(r.se, ((0.25 + t) / 4.0).sqrt(), 1e-13));
        assert!(close(r.pi_high - r.estimate, Z_975 * (r.se * r.se + t).sqrt(), 1e-14));
    }

    #[test]
    fn identical_yi_give_tau2_zero_and_no_nan() {
        let s = st(&[(0.3, 0.1), (0.3, 0.2), (0.3, 0.15)]);
        let m = meta_analyse(&s).unwrap();
        assert_eq!(m.reml.tau2, 0.0);
        assert_eq!(m.dl.tau2, 0.0);
        assert_eq!(m.heterogeneity.q, 0.0);
        assert_eq!(m.heterogeneity.q_p, 1.0);
        assert_eq!(m.heterogeneity.i2, 0.0);
        assert_eq!(m.fixed.estimate, 0.3);
        assert_eq!(m.reml_hk.se, 0.0);
        assert_eq!(m.reml_hk.t, None);
        assert_eq!(m.reml_hk.p, Some(0.0));
        let zero = meta_analyse(&st(&[(0.0, 0.1), (0.0, 0.2)])).unwrap();
        assert_eq!((zero.reml_hk.t, zero.reml_hk.p), (None, None));
        let json = serde_json::to_string(&m).unwrap();
        assert!(!json.contains("NaN") && !json.contains("inf"));
    }

    #[test]
    fn one_dominant_site_drives_the_fixed_estimate() {
        let s = st(&[(1.0, 1e-4), (0.0, 1.0), (5.0, 1.0)]);
        let f = fixed_effect(&s).unwrap();
        assert!(close(f.estimate, 1.0, 1e-7));
        let m = meta_analyse(&s).unwrap();
        assert!(m.reml.tau2 > 0.0 && m.reml.tau2.is_finite());
        assert!(m.dl.tau2 > 0.0);
    }

    #[test]
    fn not_computable_cases() {
        assert!(meta_analyse(&st(&[(0.1, 0.2)])).is_none());
        assert!(meta_analyse(&[]).is_none());
        assert!(meta_analyse(&st(&[(0.1, 0.2), (0.2, 0.0)])).is_none());
        assert!(meta_analyse(&st(&[(0.1, 0.2), (0.2, -1.0)])).is_none());
        assert!(meta_analyse(&st(&[(f64::NAN, 0.2), (0.2, 0.1)])).is_none());
        assert!(meta_analyse(&st(&[(0.1, f64::INFINITY), (0.2, 0.1)])).is_none());
        // Weights that overflow even after scaling.
        assert!(meta_analyse(&st(&[(0.1, 1e-200), (0.2, 1e200)])).is_none());
        assert!(chisq_upper_p(f64::NAN, 2.0).is_none());
    }

    #[test]
    fn scale_and_shift_equivariance() {
        let base = [(0.2, 0.1), (-0.3, 0.2), (0.5, 0.15), (0.9, 0.3), (0.0, 0.12)];
        let a = meta_analyse(&st(&base)).unwrap();
        for (shift, mult) in [(1e6, 1.0), (0.0, 1e-8), (0.0, 1e8), (-3.0, 250.0)] {
            let s: Vec<Study> = base.iter().map(|&(y, e)| Study { yi: shift + mult * y, sei: mult * e }).collect();
            let b = meta_analyse(&s).unwrap();
            assert!(close(b.reml.tau2, a.reml.tau2 * mult * mult, 1e-8 * (1.0 + mult * mult)));
            assert!(close(b.reml.estimate - shift, mult * a.reml.estimate, 1e-9 * mult.max(1.0)));
            assert!(close(b.reml_hk.se, mult * a.reml_hk.se, 1e-9 * mult.max(1.0)));
            assert!(close(b.heterogeneity.q, a.heterogeneity.q, 1e-9));
        }
    }

    #[test]
    fn order_never_changes_a_bit() {
        let base = st(&[(0.2, 0.1), (-0.3, 0.2), (0.5, 0.15), (0.9, 0.3), (0.0, 0.12), (0.2, 0.05)]);
        let a = meta_analyse(&base).unwrap();
        let mut perm = base.clone();
        for step in 0..20 {
            perm.rotate_left(step % 5 + 1);
            perm.swap(0, step % 6);
            assert_eq!(meta_analyse(&perm).unwrap(), a);
        }
    }

    #[test]
    fn reml_score_is_zero_at_interior_optimum() {
        let s = st(&[(0.57, 0.30), (-0.50, 0.24), (0.25, 0.35), (1.2, 0.4)]);
        let p = prepare(&s).unwrap();
        let t = reml_tau2_prepared(&p).unwrap();
        assert!(t > 0.0);
        let (score, ll) = reml_score_ll(&p, t).unwrap();
        assert!(score.abs() < 1e-10, "{score}");
        for d in [1e-6, 1e-3, 1e-1] {
            assert!(reml_score_ll(&p, t * (1.0 + d)).unwrap().1 <= ll);
            assert!(reml_score_ll(&p, t * (1.0 - d)).unwrap().1 <= ll);
        }
    }

    #[test]
    fn random_inputs_never_give_nan_and_reach_the_optimum() {
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let mut computed = 0;
        for case in 0..1000 {
            let k = 2 + case % 9;
            let spread = 10f64.powf(next() * 16.0 - 8.0);
            let se_centre = 10f64.powf(next() * 16.0 - 8.0);
            let se_range = 10f64.powf(next() * 6.0);
            let s: Vec<Study> = (0..k)
                .map(|_| Study { yi: (next() - 0.5) * spread, sei: se_centre * se_range.powf(next() - 0.5) })
                .collect();
            let Some(m) = meta_analyse(&s) else { continue };
            computed += 1;
            let json = serde_json::to_string(&m).unwrap();
            assert!(!json.contains("NaN") && !json.contains("inf"), "{s:?}");
            assert!(m.reml.tau2 >= 0.0 && m.dl.tau2 >= 0.0 && (0.0..=1.0).contains(&m.heterogeneity.i2));
            assert!(m.reml.ci_low <= m.reml.estimate && m.reml.estimate <= m.reml.ci_high);
            assert!(m.reml.pi_low <= m.reml.ci_low && m.reml.ci_high <= m.reml.pi_high);
            // The REML τ² is at least as likely as nearby values and the boundary.
            let p = prepare(&s).unwrap();
            let t = reml_tau2_prepared(&p).unwrap();
            let ll = reml_score_ll(&p, t).unwrap().1;
            for cand in [0.0, t * 1.001, t * 0.999, t * 2.0, t * 0.5, t + 1e-6] {
                let other = reml_score_ll(&p, cand).unwrap().1;
                assert!(other <= ll + 1e-12 * ll.abs().max(1.0), "case {case}: ll({cand}) = {other} > ll({t}) = {ll}");
            }
        }
        assert!(computed > 900, "{computed}");
    }

    #[test]
    fn weights_sum_to_100() {
        let s = st(&[(0.2, 0.1), (-0.3, 0.2), (0.5, 0.15)]);
        let w = weights_percent(&s, 0.01).unwrap();
        assert!(close(w.iter().sum::<f64>(), 100.0, 1e-13));
        assert!(w[0] > w[2] && w[2] > w[1]);
    }
}
