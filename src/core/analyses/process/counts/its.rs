//! Interrupted time series by segmented Poisson regression, as R's
//! `glm(count ~ time + after + time_after, family = poisson, offset = log(exposure))` and
//! statsmodels `GLM(..., family = Poisson(), offset = log(exposure))`:
//!
//! log E[count_t] = log(exposure_t) + b0 + b1·t + b2·after_t + b3·(t − t_start)·after_t,
//!
//! with t the period number (1 = first period), after_t = 1 from the first program period on.
//! exp(b2) is the level change (rate ratio at the start against the earlier trend projected),
//! exp(b3) the slope change (rate ratio per period against the earlier trend). Fitted by
//! iteratively reweighted least squares (start μ = y + 0.1, as R); Wald intervals
//! b ± z·SE with SE from the inverse Fisher information at the solution. Overdispersion:
//! φ = Pearson χ²/(n − 4); when φ > 1 quasi-Poisson SEs (SE·√φ) are reported beside the
//! Poisson ones (normal-based intervals and p, as statsmodels `fit(scale = "X2")`) and used in
//! the reading.

use super::table::CountRow;
use crate::core::analyses::process::common::{num, p_text};
use crate::core::stats::describe::finite;
use crate::core::stats::dist::{z_quantile, z_two_sided_p};
use serde::{Deserialize, Serialize};

/// Fewer periods than this on either side of the start earn a warning.
pub const MIN_PERIODS_EACH_SIDE: usize = 8;

/// Wald statistics of one coefficient with one choice of standard error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WaldStats {
    pub se: Option<f64>,
    pub z: Option<f64>,
    pub p: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    /// exp of the interval: the rate-ratio scale.
    pub rate_ratio_ci_low: Option<f64>,
    pub rate_ratio_ci_high: Option<f64>,
}

/// One coefficient (log scale) with its rate ratio.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItsTerm {
    pub estimate: Option<f64>,
    pub rate_ratio: Option<f64>,
    /// Poisson standard errors.
    pub poisson: WaldStats,
    /// Quasi-Poisson standard errors (× √dispersion), only when dispersion > 1.
    pub quasi: Option<WaldStats>,
}

/// `results.community.its`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItsResult {
    /// The model, in words.
    pub model: String,
    pub n_periods: usize,
    pub n_before: usize,
    pub n_after: usize,
    pub converged: bool,
    pub iterations: usize,
    pub deviance: Option<f64>,
    pub pearson_chi2: Option<f64>,
    pub df_resid: usize,
    /// Pearson χ² / df (`None` when df = 0).
    pub dispersion: Option<f64>,
    /// True when dispersion > 1: the reading uses the quasi-Poisson standard errors.
    pub overdispersed: bool,
    /// b0: log rate at t = 0 on the earlier trend.
    pub intercept: ItsTerm,
    /// b1: trend per period before the start.
    pub pre_trend: ItsTerm,
    /// b2: level change at the start.
    pub level_change: ItsTerm,
    /// b3: change in trend per period after the start.
    pub slope_change: ItsTerm,
    pub reading: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    pub conf_level: f64,
}

/// A fitted Poisson GLM (log link).
#[derive(Debug, Clone, PartialEq)]
pub struct PoissonFit {
    pub beta: Vec<f64>,
    /// Inverse Fisher information (X'WX)⁻¹ at the solution.
    pub cov: Vec<Vec<f64>>,
    pub mu: Vec<f64>,
    pub deviance: f64,
    pub pearson_chi2: f64,
    pub iterations: usize,
    pub converged: bool,
}

/// Cholesky factor L (lower) of a symmetric positive-definite matrix; `None` when a pivot is
/// not clearly positive (a singular design).
fn cholesky(a: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
    let p = a.len();
    let mut l = vec![vec![0.0; p]; p];
    for j in 0..p {
        let d = a[j][j] - l[j][..j].iter().map(|v| v * v).sum::<f64>();
        if d.is_nan() || d <= 1e-11 * a[j][j].abs() || d <= 0.0 {
            return None;
        }
        let djj = d.sqrt();
        l[j][j] = djj;
        for i in (j + 1)..p {
            let s = a[i][j] - l[i][..j].iter().zip(&l[j][..j]).map(|(x, y)| x * y).sum::<f64>();
            l[i][j] = s / djj;
        }
    }
    Some(l)
}

/// Inverse of a symmetric positive-definite matrix through its Cholesky factor.
fn spd_inverse(a: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
    let l = cholesky(a)?;
    let p = a.len();
    let mut inv = vec![vec![0.0; p]; p];
    #[allow(clippy::needless_range_loop)]
    for c in 0..p {
        // Solve L y = e_c, then L' x = y.
        let mut y = vec![0.0; p];
        for i in 0..p {
            let mut s = if i == c { 1.0 } else { 0.0 };
            for k in 0..i {
                s -= l[i][k] * y[k];
            }
            y[i] = s / l[i][i];
        }
        let mut x = vec![0.0; p];
        for i in (0..p).rev() {
            let mut s = y[i];
            for k in (i + 1)..p {
                s -= l[k][i] * x[k];
            }
            x[i] = s / l[i][i];
        }
        for (r, v) in x.into_iter().enumerate() {
            inv[r][c] = v;
        }
    }
    inv.iter().flatten().all(|v| v.is_finite()).then_some(inv)
}

fn poisson_deviance(y: &[f64], mu: &[f64]) -> f64 {
    2.0 * y.iter().zip(mu).map(|(&y, &m)| if y > 0.0 { y * (y / m).ln() - (y - m) } else { m }).sum::<f64>()
}

/// X'WX for weights w.
#[allow(clippy::needless_range_loop)]
fn information(x: &[Vec<f64>], w: &[f64], p: usize) -> Vec<Vec<f64>> {
    let mut a = vec![vec![0.0; p]; p];
    for (row, wi) in x.iter().zip(w) {
        for i in 0..p {
            for j in 0..=i {
                a[i][j] += wi * row[i] * row[j];
            }
        }
    }
    for i in 0..p {
        for j in 0..i {
            let v = a[i][j];
            a[j][i] = v;
        }
    }
    a
}

/// Poisson regression with log link and an offset, by IRLS. `x` holds one row per
/// observation. Converges when the relative change in deviance is below 1e-13 or the largest
/// coefficient change below 1e-12 (relative); at most 100 iterations. `None` for a singular
/// design, an empty fit or numbers that leave the range of f64.
pub fn poisson_glm(x: &[Vec<f64>], y: &[f64], offset: &[f64]) -> Option<PoissonFit> {
    let n = y.len();
    let p = x.first()?.len();
    if n == 0 || x.len() != n || offset.len() != n || x.iter().any(|r| r.len() != p) || n < p {
        return None;
    }
    if y.iter().chain(offset).chain(x.iter().flatten()).any(|v| !v.is_finite()) || y.iter().any(|v| *v < 0.0) {
        return None;
    }
    let mut mu: Vec<f64> = y.iter().map(|v| v + 0.1).collect();
    let mut eta: Vec<f64> = mu.iter().map(|m| m.ln()).collect();
    let mut dev_old = poisson_deviance(y, &mu);
    let mut beta = vec![0.0; p];
    let (mut converged, mut iterations) = (false, 0);
    for it in 1..=100 {
        iterations = it;
        let z: Vec<f64> = (0..n).map(|i| eta[i] - offset[i] + (y[i] - mu[i]) / mu[i]).collect();
        let a = information(x, &mu, p);
        let mut b = vec![0.0; p];
        for i in 0..n {
            for (j, bj) in b.iter_mut().enumerate() {
                *bj += mu[i] * x[i][j] * z[i];
            }
        }
        let inv = spd_inverse(&a)?;
        let new: Vec<f64> = (0..p).map(|r| (0..p).map(|c| inv[r][c] * b[c]).sum()).collect();
        let step = new.iter().zip(&beta).map(|(a, b)| (a - b).abs() / (1.0 + a.abs())).fold(0.0, f64::max);
        beta = new;
        eta = (0..n).map(|i| offset[i] + (0..p).map(|j| x[i][j] * beta[j]).sum::<f64>()).collect();
        if eta.iter().any(|e| !e.is_finite() || *e > 700.0) {
            return None;
        }
        mu = eta.iter().map(|e| e.exp()).collect();
        if mu.iter().any(|m| !m.is_finite() || *m <= 0.0) {
            return None;
        }
        let dev = poisson_deviance(y, &mu);
        if !dev.is_finite() {
            return None;
        }
        if (dev - dev_old).abs() / (dev.abs() + 0.1) < 1e-13 || step < 1e-12 {
            converged = true;
            break;
        }
        dev_old = dev;
    }
    let cov = spd_inverse(&information(x, &mu, p))?;
    let deviance = poisson_deviance(y, &mu);
    let pearson_chi2 = y.iter().zip(&mu).map(|(y, m)| (y - m) * (y - m) / m).sum();
    Some(PoissonFit { beta, cov, mu, deviance, pearson_chi2, iterations, converged })
}

fn wald(est: f64, se: f64, alpha: f64) -> WaldStats {
    let se = finite(se).filter(|s| *s > 0.0);
    let z = se.and_then(|s| finite(est / s));
    let q = z_quantile(1.0 - alpha / 2.0);
    let (lo, hi) = match (se, q) {
        (Some(s), Some(q)) => (finite(est - q * s), finite(est + q * s)),
        _ => (None, None),
    };
    WaldStats {
        se,
        z,
        p: z.and_then(z_two_sided_p),
        ci_low: lo,
        ci_high: hi,
        rate_ratio_ci_low: lo.and_then(|v| finite(v.exp())),
        rate_ratio_ci_high: hi.and_then(|v| finite(v.exp())),
    }
}

fn term(fit: &PoissonFit, j: usize, dispersion: Option<f64>, alpha: f64) -> ItsTerm {
    let est = fit.beta.get(j).copied().and_then(finite);
    let se = fit.cov.get(j).and_then(|r| r.get(j)).copied().filter(|v| *v >= 0.0).map(f64::sqrt).unwrap_or(f64::NAN);
    let e = est.unwrap_or(f64::NAN);
    ItsTerm {
        estimate: est,
        rate_ratio: est.and_then(|b| finite(b.exp())),
        poisson: wald(e, se, alpha),
        quasi: dispersion.filter(|d| *d > 1.0).map(|d| wald(e, se * d.sqrt(), alpha)),
    }
}

/// The model's fitted counts and the counts the earlier trend predicts (after the start only).
#[derive(Debug, Clone, PartialEq)]
pub struct ItsFit {
    pub result: ItsResult,
    /// Fitted count per row, in the order of the rows given.
    pub fitted: Vec<f64>,
    /// b0 + b1·t projected, per row after the start (`None` before it).
    pub counterfactual: Vec<Option<f64>>,
}

/// "+12%" / "−8%".
fn change_pct(rr: f64) -> String {
    let v = (rr - 1.0) * 100.0;
    if v.abs() < 10.0 {
        format!("{v:+.1}%")
    } else {
        format!("{v:+.0}%")
    }
}

/// Fits the segmented model to `rows` (time order) with the program starting at `start_t`.
/// `Err` holds a plain reason when the model cannot be fitted.
pub fn its(rows: &[CountRow], start_t: f64, alpha: f64) -> Result<ItsFit, String> {
    let n_before = rows.iter().filter(|r| r.t < start_t).count();
    let n_after = rows.len() - n_before;
    if n_before < 2 || n_after < 2 {
        return Err(format!(
            "The interrupted time series needs at least 2 periods before and 2 after the program start (here {n_before} before and {n_after} after)."
        ));
    }
    let before_total: f64 = rows.iter().filter(|r| r.t < start_t).map(|r| r.count).sum();
    let after_total: f64 = rows.iter().filter(|r| r.t >= start_t).map(|r| r.count).sum();
    if before_total <= 0.0 || after_total <= 0.0 {
        return Err(format!(
            "Every count {} the program start is 0, so the time-series model has no finite solution.",
            if before_total <= 0.0 { "before" } else { "after" }
        ));
    }
    let x: Vec<Vec<f64>> = rows
        .iter()
        .map(|r| {
            let after = if r.t >= start_t { 1.0 } else { 0.0 };
            vec![1.0, r.t, after, (r.t - start_t) * after]
        })
        .collect();
    let y: Vec<f64> = rows.iter().map(|r| r.count).collect();
    let off: Vec<f64> = rows.iter().map(|r| r.exposure.ln()).collect();
    let fit = poisson_glm(&x, &y, &off)
        .ok_or("The time-series model could not be fitted to these counts (the numbers run out of range).")?;
    if !fit.converged {
        return Err(format!(
            "The time-series model did not settle after {} iterations, so its numbers are not shown.",
            fit.iterations
        ));
    }
    let df_resid = rows.len() - 4;
    let dispersion = (df_resid > 0).then(|| fit.pearson_chi2 / df_resid as f64).and_then(finite);
    let overdispersed = dispersion.is_some_and(|d| d > 1.0);
    let mut warnings = Vec::new();
    let mut notes = Vec::new();
    if n_before < MIN_PERIODS_EACH_SIDE || n_after < MIN_PERIODS_EACH_SIDE {
        warnings.push(format!(
            "Only {} before and {n_after} after the start (fewer than {MIN_PERIODS_EACH_SIDE} on a side): the trend lines rest on few points, so read the level and slope changes as rough.",
            crate::core::dataset::count_of(n_before, "period", "periods")
        ));
    }
    match dispersion {
        Some(d) if d > 1.0 => notes.push(format!(
            "The counts vary more than a Poisson model expects (Pearson χ²/df = {}), so the intervals and p-values in the reading use quasi-Poisson standard errors (the Poisson ones × √{} = {}).",
            num(d, 2),
            num(d, 2),
            num(d.sqrt(), 2)
        )),
        Some(d) => notes.push(format!(
            "The counts vary no more than a Poisson model expects (Pearson χ²/df = {}), so Poisson standard errors are used.",
            num(d, 2)
        )),
        None => notes.push("With 4 periods the model has no residual degrees of freedom, so overdispersion cannot be checked.".into()),
    }
    notes.push(
        "The model does not adjust for seasons: if the counts rise and fall with the time of year (holidays, school terms, winter), part of a change at the start can be seasonal. With two or more years before the start, compare the same months, or add season terms in a statistics package."
            .into(),
    );
    let terms: Vec<ItsTerm> = (0..4).map(|j| term(&fit, j, dispersion, alpha)).collect();
    let pick = |t: &ItsTerm| -> WaldStats {
        if overdispersed {
            t.quasi.clone().unwrap_or(t.poisson.clone())
        } else {
            t.poisson.clone()
        }
    };
    let level = (1.0 - alpha) * 100.0;
    let describe = |t: &ItsTerm, what: &str| -> String {
        let w = pick(t);
        match (t.rate_ratio, w.rate_ratio_ci_low, w.rate_ratio_ci_high) {
            (Some(rr), Some(l), Some(h)) => format!(
                "{what} {} (rate ratio {}, {}% CI {} to {}, {})",
                change_pct(rr),
                num(rr, 3),
                level.round(),
                num(l, 3),
                num(h, 3),
                w.p.map_or("p not computable".into(), p_text)
            ),
            _ => format!("{what} not computable"),
        }
    };
    let reading = format!(
        "Compared with where the earlier trend was heading, at the program start the rate changed by {}; after it, the trend per period changed by {}. This compares the program period with a projection of the earlier trend: anything else that changed at the same time (another service, news, a change in how counts were recorded) would show up the same way.",
        describe(&terms[2], "").trim_start(),
        describe(&terms[3], "").trim_start()
    );
    let fitted = fit.mu.clone();
    let counterfactual = rows
        .iter()
        .map(|r| (r.t >= start_t).then(|| finite((r.exposure.ln() + fit.beta[0] + fit.beta[1] * r.t).exp())).flatten())
        .collect();
    let mut it = terms.into_iter();
    let mut next = || {
        it.next().unwrap_or(ItsTerm {
            estimate: None,
            rate_ratio: None,
            poisson: wald(f64::NAN, f64::NAN, alpha),
            quasi: None,
        })
    };
    let result = ItsResult {
        model: "log(expected count) = log(exposure) + b0 + b1·time + b2·after + b3·(time − start)·after; time = period number, after = 1 from the program start on".into(),
        n_periods: rows.len(),
        n_before,
        n_after,
        converged: fit.converged,
        iterations: fit.iterations,
        deviance: finite(fit.deviance),
        pearson_chi2: finite(fit.pearson_chi2),
        df_resid,
        dispersion,
        overdispersed,
        intercept: next(),
        pre_trend: next(),
        level_change: next(),
        slope_change: next(),
        reading,
        warnings,
        notes,
        conf_level: 1.0 - alpha,
    };
    Ok(ItsFit { result, fitted, counterfactual })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(counts: &[f64], exposure: &[f64]) -> Vec<CountRow> {
        counts
            .iter()
            .zip(exposure)
            .enumerate()
            .map(|(i, (&c, &e))| CountRow {
                row: i + 1,
                label: format!("{}", i + 1),
                t: (i + 1) as f64,
                count: c,
                exposure: e,
            })
            .collect()
    }

    /// (estimate, se, z, p, ci_low, ci_high, se_quasi) per term, from R 4.2.2 (tests/data/counts_reference.R):
    /// glm(count ~ time + post + time_after, family = poisson, offset = log(exposure),
    ///     control = glm.control(epsilon = 1e-14)); summary()$coefficients, confint.default(),
    /// se × sqrt(sum(residuals(m, "pearson")^2) / df.residual). statsmodels 0.15 GLM(Poisson)
    /// agrees to 1e-8 (tests/data/counts_reference.py and _py.out).
    type Ref = [(f64, f64, f64, f64, f64, f64, f64); 4];

    fn check(fit: &ItsFit, r: &Ref, deviance: f64, pearson: f64, dispersion: f64) {
        let rel = |a: Option<f64>, b: f64, what: &str| {
            let a = a.unwrap_or_else(|| panic!("{what}: None, expected {b}"));
            assert!((a - b).abs() <= 1e-7 * b.abs() + 1e-12, "{what}: {a} vs {b}");
        };
        let res = &fit.result;
        rel(res.deviance, deviance, "deviance");
        rel(res.pearson_chi2, pearson, "pearson");
        rel(res.dispersion, dispersion, "dispersion");
        for (j, t) in [&res.intercept, &res.pre_trend, &res.level_change, &res.slope_change].into_iter().enumerate() {
            let (est, se, z, p, lo, hi, seq) = r[j];
            rel(t.estimate, est, &format!("b{j}"));
            rel(t.poisson.se, se, &format!("se{j}"));
            rel(t.poisson.z, z, &format!("z{j}"));
            if p > 1e-300 {
                rel(t.poisson.p, p, &format!("p{j}"));
            }
            rel(t.poisson.ci_low, lo, &format!("lo{j}"));
            rel(t.poisson.ci_high, hi, &format!("hi{j}"));
            if dispersion > 1.0 {
                rel(t.quasi.as_ref().and_then(|q| q.se), seq, &format!("quasi se{j}"));
            }
        }
    }

    #[test]
    fn series_1_population_exposure_matches_r_glm() {
        let counts = [
            30., 40., 27., 53., 37., 43., 33., 45., 49., 43., 40., 38., 66., 56., 54., 59., 66., 51., 66., 50., 53.,
            38., 61., 48.,
        ];
        let exposure: Vec<f64> = (1..=24).map(|t| 50000.0 + 150.0 * t as f64).collect();
        let fit = its(&rows(&counts, &exposure), 13.0, 0.05).unwrap();
        let r: Ref = [
            (
                -7.2477070531429089,
                0.099983065463650947,
                -72.489346266121714,
                0.0,
                -7.4436702605155753,
                -7.0517438457702424,
                0.1134360221578609,
            ),
            (
                0.014098832528736555,
                0.013263994296571343,
                1.062940183288605,
                0.2878090786485456,
                -0.01189811858368796,
                0.040095783641161072,
                0.015048695936159442,
            ),
            (
                0.33659184877218212,
                0.11850994832825225,
                2.8401991015967738,
                0.0045085384424827435,
                0.10431661823910499,
                0.56886707930525926,
                0.13445574070118815,
            ),
            (
                -0.037565347230762103,
                0.017376674036254709,
                -2.1618260866484418,
                0.030631583928197755,
                -0.071623002512913578,
                -0.0035076919486106278,
                0.019714746410962242,
            ),
        ];
        check(&fit, &r, 25.590499769921649, 25.744180823028096, 1.2872090411514048);
        assert!(fit.result.overdispersed);
        assert_eq!((fit.result.n_before, fit.result.n_after, fit.result.df_resid), (12, 12, 20));
        assert!(fit.result.warnings.is_empty(), "12 periods on each side");
        assert!(
            fit.counterfactual[..12].iter().all(|c| c.is_none())
                && fit.counterfactual[12..].iter().all(|c| c.is_some())
        );
        assert!(fit.result.reading.contains("rate ratio 1.4"), "{}", fit.result.reading);
    }

    #[test]
    fn series_2_small_counts_with_zeros_matches_r_glm() {
        let counts = [0., 0., 0., 2., 1., 0., 2., 1., 0., 0., 0., 3., 1., 3., 2., 0.];
        let fit = its(&rows(&counts, &[1.0; 16]), 9.0, 0.05).unwrap();
        let r: Ref = [
            (
                -1.7101307330960864,
                1.2345380710386544,
                -1.3852393645967527,
                0.16597928764873546,
                -4.1297808898753994,
                0.70951942368322651,
                1.4785502262062911,
            ),
            (
                0.27397038995646539,
                0.19972845568336398,
                1.3717143559693845,
                0.17015237754579918,
                -0.11749018987073218,
                0.6654309697836629,
                0.23920570799571933,
            ),
            (
                -1.3805521035314414,
                1.0697221616440933,
                -1.2905707229713019,
                0.19685257345690541,
                -3.4771690138181977,
                0.71606480675531481,
                1.2811576906219477,
            ),
            (
                -0.08739371136584359,
                0.25200848173229129,
                -0.34678876982673135,
                0.72875001457672917,
                -0.58132125935975454,
                0.4065338366280673,
                0.30181912280574502,
            ),
        ];
        check(&fit, &r, 19.167708730035475, 17.212519109016764, 1.4343765924180636);
        assert!(fit.result.warnings.is_empty(), "8 on each side is enough: {:?}", fit.result.warnings);
        let short = its(&rows(&counts[2..], &[1.0; 14]), 7.0, 0.05).unwrap();
        assert!(short.result.warnings.iter().any(|w| w.contains("fewer than 8")), "{:?}", short.result.warnings);
    }

    #[test]
    fn series_3_overdispersed_days_matches_r_glm() {
        let counts = [
            100., 169., 75., 168., 79., 105., 86., 116., 93., 82., 103., 169., 219., 84., 176., 81., 134., 93., 132.,
            162., 136., 74., 217., 171., 247., 225., 131., 136., 123., 200.,
        ];
        let days: Vec<f64> =
            [31., 28., 31., 30., 31., 30., 31., 31., 30., 31., 30., 31.].iter().cycle().take(30).copied().collect();
        let fit = its(&rows(&counts, &days), 19.0, 0.05).unwrap();
        let r: Ref = [
            (
                1.3022417040029508,
                0.045904129027974777,
                28.368726987703916,
                4.9180324791580786e-177,
                1.2122712643664406,
                1.392212143639461,
                0.19063296784402814,
            ),
            (
                0.0062535053176616014,
                0.0041850041465134472,
                1.4942650230995436,
                0.13510636328519632,
                -0.0019489520846555416,
                0.014455962719978744,
                0.017379694981321383,
            ),
            (
                0.15232469571248192,
                0.062425322467326558,
                2.4401106745136758,
                0.01468276285643829,
                0.029973311953222823,
                0.274676079471741,
                0.2592430080377886,
            ),
            (
                0.012419576592528288,
                0.0077687623239657009,
                1.5986557542396918,
                0.10989711395641995,
                -0.0028069177668961741,
                0.027646070951952751,
                0.032262505566545321,
            ),
        ];
        check(&fit, &r, 434.00185781532537, 448.40026757725059, 17.246164137586561);
        // Heavily overdispersed: the quasi interval of the level change includes 1, the Poisson one does not.
        let q = fit.result.level_change.quasi.as_ref().unwrap();
        assert!(q.rate_ratio_ci_low.unwrap() < 1.0 && fit.result.level_change.poisson.rate_ratio_ci_low.unwrap() > 1.0);
        assert!(fit.result.notes.iter().any(|n| n.contains("quasi-Poisson")));
        assert!(fit.result.notes.iter().any(|n| n.contains("seasons")));
    }

    #[test]
    fn degenerate_series_are_plain_reasons() {
        let one_side = its(&rows(&[3.0, 4.0, 5.0], &[1.0; 3]), 3.0, 0.05).unwrap_err();
        assert!(one_side.contains("2 before and 1 after"), "{one_side}");
        let zeros = its(&rows(&[0.0, 0.0, 0.0, 4.0, 5.0, 6.0], &[1.0; 6]), 4.0, 0.05).unwrap_err();
        assert!(zeros.contains("before"), "{zeros}");
        // Exactly 4 periods: fitted (a perfect fit), no dispersion.
        let four = its(&rows(&[3.0, 4.0, 6.0, 5.0], &[1.0; 4]), 3.0, 0.05).unwrap();
        assert_eq!((four.result.df_resid, four.result.dispersion, four.result.overdispersed), (0, None, false));
        let json = serde_json::to_string(&four.result).unwrap();
        assert!(!json.contains("NaN") && !json.contains("inf"));
        // A singular design (all periods at the same time after the start) is refused.
        assert!(poisson_glm(&[vec![1.0, 1.0], vec![1.0, 1.0]], &[1.0, 2.0], &[0.0, 0.0]).is_none());
    }
}
