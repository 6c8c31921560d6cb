//! Random-intercept linear mixed model fitted by REML, as R
//! `nlme::lme(y ~ X, random = ~ 1 | id, method = "REML")` at the REML optimum, with nlme's
//! degrees of freedom (`nlme:::getFixDF`) and t-based Wald intervals (`intervals(fit, which = "fixed")`).
//!
//! # Method
//! The model is `y_ij = x_ij'β + u_i + e_ij`, `u_i ~ N(0, σ²_u)`, `e_ij ~ N(0, σ²_e)`, so
//! person i's covariance is `σ²_e H_i` with `H_i = I + λ J` (compound symmetry), `λ = σ²_u/σ²_e`.
//! By Woodbury, `H_i⁻¹ = I − c_i J` with `c_i = λ/(1 + n_i λ)` and `|H_i| = 1 + n_i λ`, so every
//! cross-product needed is a total minus `c` times a per-person term, and the per-person terms
//! can be summed once per distinct cluster size k (`S_k = Σ s_i s_i'`, `g_k = Σ s_i t_i`,
//! `h_k = Σ t_i²`, with `s_i` the column sums of person i's rows and `t_i` the sum of their
//! scores). A likelihood evaluation then costs O(K p³) for K distinct sizes, independent of n.
//!
//! For a given λ the fixed effects are GLS, `β = A⁻¹ b` with `A = X'H⁻¹X`, `b = X'H⁻¹y`, and
//! σ²_e has the closed form `r'H⁻¹r/(N − p)`. The profiled REML log-likelihood
//! (Patterson & Thompson 1971; Harville 1977; Pinheiro & Bates 2000, §2.2.5) is
//!
//! ```text
//! l(λ) = −½ [ (N − p)(log σ²_e(λ) + 1 + log 2π) + Σ log(1 + n_i λ) + log |A(λ)| ]
//! ```
//!
//! It is maximised over λ ≥ 0 in θ = log λ: a grid on θ ∈ [−30, 40] (step 0.5) locates the
//! best point, the analytic derivative `dl/dθ = λ dl/dλ` is then solved to machine precision by
//! bisection + secant (Brent's root finder) inside the bracketing grid cell, and the boundary
//! λ = 0 is checked (value and one-sided derivative); when it wins, σ_u = 0 and `boundary` is
//! set (nlme, which works on log σ_u, then stops at a tiny σ_u with the same fixed effects up to
//! its tolerance). `Var(β) = σ²_e A⁻¹`.
//!
//! Degrees of freedom (nlme 3.1-162 `getFixDF`, one grouping level; Pinheiro & Bates 2000,
//! §4.2.1): a non-constant column of X that is constant within every person (e.g. `arm`) is in
//! the person stratum and gets `M − B − 1` (B such columns, 1 for the intercept); a column that
//! varies within at least one person (exact comparison, as nlme's C `inner_perc`) gets
//! `N − M − W` (W such columns); the intercept (a column constant over all rows) gets the
//! larger of the two. Without an intercept the residual stratum gets `N − M − W + 1`, as nlme.
//! p = 2 P(T > |t|), interval `β ± qt(1 − α/2, df) se`.
//!
//! Aliased columns (zero, or a linear combination of earlier ones, R's `qr` tolerance 1e-7)
//! are left out of the fit and reported as not computable (nlme itself stops there).

use crate::core::stats::describe::finite;
use crate::core::stats::dist::{t_quantile, t_two_sided_p};
use serde::{Deserialize, Serialize};

/// Long-format data for [`fit_random_intercept`]: one entry per observation.
#[derive(Debug, Clone, PartialEq)]
pub struct MixedData {
    /// Names of the p fixed-effect columns (the intercept, if any, is a column of ones).
    pub names: Vec<String>,
    /// Design matrix, row-major, `y.len() × names.len()`.
    pub x: Vec<f64>,
    /// Responses.
    pub y: Vec<f64>,
    /// Person (cluster) of each observation, as an index `0..n_groups`.
    pub group: Vec<usize>,
    /// Number of people; every index in `0..n_groups` should have at least one observation.
    pub n_groups: usize,
}

/// One fixed effect: `summary(fit)$tTable` and `intervals(fit, which = "fixed")`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FixedEffect {
    pub estimate: Option<f64>,
    pub se: Option<f64>,
    pub df: Option<f64>,
    pub t: Option<f64>,
    pub p: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
}

/// The REML fit. Fixed effects are in the order of [`MixedData::names`].
#[derive(Debug, Clone, PartialEq)]
pub struct MixedFit {
    pub n_people: usize,
    pub n_obs: usize,
    /// σ_u (0 at the boundary).
    pub sd_participant: Option<f64>,
    /// σ_e.
    pub sd_residual: Option<f64>,
    /// True when the REML optimum is σ²_u = 0 (the boundary of the parameter space).
    pub boundary: bool,
    /// λ = σ²_u / σ²_e at the optimum.
    pub variance_ratio: Option<f64>,
    /// The REML log-likelihood at the optimum (Patterson–Thompson form, without nlme's
    /// `+ ½ log|X'X|` term).
    pub reml_loglik: Option<f64>,
    /// Per column of X: (name, fixed effect); all `None` for an aliased column.
    pub effects: Vec<(String, FixedEffect)>,
    /// Names of columns left out as aliased (zero or collinear).
    pub aliased: Vec<String>,
}

/// Per-cluster-size sums.
#[derive(Clone)]
struct SizeClass {
    k: f64,
    count: f64,
    s_outer: Vec<f64>, // q×q
    g: Vec<f64>,       // q
    h: f64,
}

/// Everything the profiled likelihood needs.
struct Profile {
    q: usize,
    n: f64,
    xtx: Vec<f64>,
    xty: Vec<f64>,
    yty: f64,
    sizes: Vec<SizeClass>,
}

struct Eval {
    loglik: f64,
    /// dl/dλ
    dl: f64,
    beta: Vec<f64>,
    a_inv: Vec<f64>,
    sigma2: f64,
}

/// Cholesky factor (lower, row-major) of a symmetric positive definite q×q matrix.
fn cholesky(a: &[f64], q: usize) -> Option<Vec<f64>> {
    let mut l = vec![0.0; q * q];
    for i in 0..q {
        for j in 0..=i {
            let mut s = a[i * q + j];
            for k in 0..j {
                s -= l[i * q + k] * l[j * q + k];
            }
            if i == j {
                if !s.is_finite() || s <= 0.0 {
                    return None;
                }
                l[i * q + i] = s.sqrt();
            } else {
                l[i * q + j] = s / l[j * q + j];
            }
        }
    }
    Some(l)
}

/// Solves L L' x = b.
fn chol_solve(l: &[f64], q: usize, b: &[f64]) -> Vec<f64> {
    let mut z = b.to_vec();
    for i in 0..q {
        for k in 0..i {
            z[i] -= l[i * q + k] * z[k];
        }
        z[i] /= l[i * q + i];
    }
    for i in (0..q).rev() {
        for k in i + 1..q {
            z[i] -= l[k * q + i] * z[k];
        }
        z[i] /= l[i * q + i];
    }
    z
}

fn chol_inverse(l: &[f64], q: usize) -> Vec<f64> {
    let mut inv = vec![0.0; q * q];
    for j in 0..q {
        let mut e = vec![0.0; q];
        e[j] = 1.0;
        let col = chol_solve(l, q, &e);
        for i in 0..q {
            inv[i * q + j] = col[i];
        }
    }
    inv
}

impl Profile {
    /// Profiled REML log-likelihood and its derivative at λ ≥ 0.
    fn eval(&self, lambda: f64) -> Option<Eval> {
        let q = self.q;
        let mut a = self.xtx.clone();
        let mut b = self.xty.clone();
        let mut qq = self.yty;
        let mut logdet_h = 0.0;
        for s in &self.sizes {
            let c = lambda / (1.0 + s.k * lambda);
            for (ai, si) in a.iter_mut().zip(&s.s_outer) {
                *ai -= c * si;
            }
            for (bi, gi) in b.iter_mut().zip(&s.g) {
                *bi -= c * gi;
            }
            qq -= c * s.h;
            logdet_h += s.count * (s.k * lambda).ln_1p();
        }
        let l = cholesky(&a, q)?;
        let beta = chol_solve(&l, q, &b);
        let rhr = qq - b.iter().zip(&beta).map(|(x, y)| x * y).sum::<f64>();
        let dof = self.n - q as f64;
        if rhr.is_nan() || rhr <= 0.0 || dof.is_nan() || dof <= 0.0 {
            return None;
        }
        let logdet_a: f64 = (0..q).map(|i| 2.0 * l[i * q + i].ln()).sum();
        let sigma2 = rhr / dof;
        let loglik = -0.5 * (dof * (sigma2.ln() + 1.0 + (2.0 * std::f64::consts::PI).ln()) + logdet_h + logdet_a);
        // Derivative: dc/dλ = 1/(1 + kλ)².
        let a_inv = chol_inverse(&l, q);
        let mut d_rhr = 0.0;
        let mut tr = 0.0;
        let mut d_logdet_h = 0.0;
        for s in &self.sizes {
            let dc = 1.0 / ((1.0 + s.k * lambda) * (1.0 + s.k * lambda));
            // r'(c' J)r summed = h − 2 β'g + β'Sβ
            let mut bsb = 0.0;
            let mut tr_s = 0.0;
            for i in 0..q {
                for j in 0..q {
                    bsb += beta[i] * s.s_outer[i * q + j] * beta[j];
                    tr_s += a_inv[i * q + j] * s.s_outer[j * q + i];
                }
            }
            let bg: f64 = beta.iter().zip(&s.g).map(|(x, y)| x * y).sum();
            d_rhr -= dc * (s.h - 2.0 * bg + bsb);
            tr -= dc * tr_s;
            d_logdet_h += s.count * s.k / (1.0 + s.k * lambda);
        }
        let dl = -0.5 * (dof * d_rhr / rhr + d_logdet_h + tr);
        Some(Eval { loglik: finite(loglik)?, dl: finite(dl)?, beta, a_inv, sigma2 })
    }
}

/// Finds θ in [lo, hi] with f(θ) = 0 given f(lo) > 0 > f(hi) (Brent 1973, zeroin).
fn brent_root(f: &dyn Fn(f64) -> Option<f64>, mut a: f64, mut b: f64, mut fa: f64, mut fb: f64) -> Option<f64> {
    let mut c = a;
    let mut fc = fa;
    let mut d = b - a;
    let mut e = d;
    for _ in 0..200 {
        if fb.signum() == fc.signum() {
            c = a;
            fc = fa;
            d = b - a;
            e = d;
        }
        if fc.abs() < fb.abs() {
            a = b;
            b = c;
            c = a;
            fa = fb;
            fb = fc;
            fc = fa;
        }
        let tol = 2.0 * f64::EPSILON * b.abs() + 1e-15;
        let m = 0.5 * (c - b);
        if m.abs() <= tol || fb == 0.0 {
            return Some(b);
        }
        if e.abs() >= tol && fa.abs() > fb.abs() {
            let s = fb / fa;
            let (mut p, mut qq);
            if a == c {
                p = 2.0 * m * s;
                qq = 1.0 - s;
            } else {
                let qa = fa / fc;
                let r = fb / fc;
                p = s * (2.0 * m * qa * (qa - r) - (b - a) * (r - 1.0));
                qq = (qa - 1.0) * (r - 1.0) * (s - 1.0);
            }
            if p > 0.0 {
                qq = -qq;
            } else {
                p = -p;
            }
            if 2.0 * p < (3.0 * m * qq - (tol * qq).abs()).min((e * qq).abs()) {
                e = d;
                d = p / qq;
            } else {
                d = m;
                e = m;
            }
        } else {
            d = m;
            e = m;
        }
        a = b;
        fa = fb;
        b += if d.abs() > tol { d } else { tol * m.signum() };
        fb = f(b)?;
    }
    Some(b)
}

/// Fits the random-intercept model by REML (R `nlme::lme(..., random = ~ 1 | id,
/// method = "REML")` at its optimum; Pinheiro & Bates 2000, ch. 2) and returns the fixed
/// effects with nlme's degrees of freedom and `1 − alpha` t intervals. `None` when the data are
/// inconsistent (lengths, group indices) or nothing can be fitted; a fit whose variance
/// components are not identifiable (no person with two observations) has `None` values.
pub fn fit_random_intercept(data: &MixedData, alpha: f64) -> Option<MixedFit> {
    let p = data.names.len();
    let n = data.y.len();
    if p == 0 || data.x.len() != n * p || data.group.len() != n || !(alpha > 0.0 && alpha < 1.0) {
        return None;
    }
    if data.group.iter().any(|&g| g >= data.n_groups) || data.x.iter().chain(&data.y).any(|v| !v.is_finite()) {
        return None;
    }
    let m = {
        let mut seen = vec![false; data.n_groups];
        for &g in &data.group {
            seen[g] = true;
        }
        seen.iter().filter(|s| **s).count()
    };
    let empty = |aliased: Vec<String>| MixedFit {
        n_people: m,
        n_obs: n,
        sd_participant: None,
        sd_residual: None,
        boundary: false,
        variance_ratio: None,
        reml_loglik: None,
        effects: data.names.iter().map(|nm| (nm.clone(), FixedEffect::default())).collect(),
        aliased,
    };
    if n == 0 {
        return Some(empty(Vec::new()));
    }

    // Column screening (R's qr tolerance on the Cholesky of X'X, in column order).
    let mut xtx_full = vec![0.0; p * p];
    for r in 0..n {
        let row = &data.x[r * p..(r + 1) * p];
        for i in 0..p {
            if row[i] != 0.0 {
                for j in 0..p {
                    xtx_full[i * p + j] += row[i] * row[j];
                }
            }
        }
    }
    let mut kept: Vec<usize> = Vec::new();
    let mut lk: Vec<Vec<f64>> = Vec::new(); // rows of the Cholesky factor over kept columns
    for j in 0..p {
        let norm2 = xtx_full[j * p + j];
        if norm2.is_nan() || norm2 <= 0.0 {
            continue;
        }
        let mut row = Vec::with_capacity(kept.len());
        for (a, &i) in kept.iter().enumerate() {
            let mut s = xtx_full[j * p + i];
            for b in 0..a {
                s -= row[b] * lk[a][b];
            }
            row.push(s / lk[a][a]);
        }
        let resid = norm2 - row.iter().map(|v| v * v).sum::<f64>();
        if resid > 1e-14 * norm2 {
            row.push(resid.sqrt());
            lk.push(row);
            kept.push(j);
        }
    }
    let aliased: Vec<String> = (0..p).filter(|j| !kept.contains(j)).map(|j| data.names[j].clone()).collect();
    let q = kept.len();
    if q == 0 || n <= q {
        return Some(empty(aliased));
    }
    let intercept = kept.iter().position(|&j| data.x.chunks(p).all(|row| row[j] == 1.0));

    // Centre y (exactly undone on the intercept) to keep the sums of squares well conditioned.
    let ybar = if intercept.is_some() { data.y.iter().sum::<f64>() / n as f64 } else { 0.0 };

    // Per-person sums: size, column sums, score sum, and whether each column varies within.
    let g_n = data.n_groups;
    let mut size = vec![0usize; g_n];
    let mut colsum = vec![0.0; g_n * q];
    let mut ysum = vec![0.0; g_n];
    let mut first = vec![f64::NAN; g_n * q];
    let mut varies = vec![false; q];
    let mut xtx = vec![0.0; q * q];
    let mut xty = vec![0.0; q];
    let mut yty = 0.0;
    for r in 0..n {
        let g = data.group[r];
        let yr = data.y[r] - ybar;
        size[g] += 1;
        ysum[g] += yr;
        yty += yr * yr;
        for (a, &j) in kept.iter().enumerate() {
            let v = data.x[r * p + j];
            colsum[g * q + a] += v;
            xty[a] += v * yr;
            if v != 0.0 {
                for (b, &jj) in kept.iter().enumerate() {
                    xtx[a * q + b] += v * data.x[r * p + jj];
                }
            }
            let f = &mut first[g * q + a];
            if f.is_nan() {
                *f = v;
            } else if v != *f {
                // nlme's C `inner_perc`: a column is inner to a person when any value differs
                // (exact comparison) from the person's first value.
                varies[a] = true;
            }
        }
    }
    let max_k = size.iter().copied().max().unwrap_or(0);
    let mut by_size: Vec<Option<SizeClass>> = vec![None; max_k + 1];
    for g in 0..g_n {
        let k = size[g];
        if k == 0 {
            continue;
        }
        let cls = by_size[k].get_or_insert_with(|| SizeClass {
            k: k as f64,
            count: 0.0,
            s_outer: vec![0.0; q * q],
            g: vec![0.0; q],
            h: 0.0,
        });
        let s = &colsum[g * q..(g + 1) * q];
        let t = ysum[g];
        cls.count += 1.0;
        cls.h += t * t;
        for a in 0..q {
            if s[a] != 0.0 {
                cls.g[a] += s[a] * t;
                for b in 0..q {
                    cls.s_outer[a * q + b] += s[a] * s[b];
                }
            }
        }
    }
    let sizes: Vec<SizeClass> = by_size.into_iter().flatten().collect();
    if max_k < 2 {
        // Only one observation per person: σ²_u and σ²_e are not separately identifiable.
        return Some(empty(aliased));
    }
    let prof = Profile { q, n: n as f64, xtx, xty, yty, sizes };

    // Grid on θ = log λ, then the derivative's root in the best cell; boundary λ = 0 checked.
    let grid: Vec<f64> = (0..=140).map(|i| -30.0 + 0.5 * i as f64).collect();
    let vals: Vec<Option<f64>> = grid.iter().map(|&th| prof.eval(th.exp()).map(|e| e.loglik)).collect();
    let at_zero = prof.eval(0.0);
    let mut best: Option<(usize, f64)> = None;
    for (i, v) in vals.iter().enumerate() {
        if let Some(v) = *v {
            if best.is_none_or(|(_, b)| v > b) {
                best = Some((i, v));
            }
        }
    }
    let dtheta = |th: f64| prof.eval(th.exp()).map(|e| th.exp() * e.dl);
    let mut lambda: Option<f64> = None;
    if let Some((i, _)) = best {
        if i > 0 && i + 1 < grid.len() {
            let (lo, hi) = (grid[i - 1], grid[i + 1]);
            if let (Some(flo), Some(fhi)) = (dtheta(lo), dtheta(hi)) {
                if flo > 0.0 && fhi < 0.0 {
                    lambda = brent_root(&dtheta, lo, hi, flo, fhi).map(f64::exp);
                } else if let Some(fm) = dtheta(grid[i]) {
                    // A flat cell: take the grid side that brackets, else the grid point.
                    lambda = if flo > 0.0 && fm < 0.0 {
                        brent_root(&dtheta, lo, grid[i], flo, fm).map(f64::exp)
                    } else if fm > 0.0 && fhi < 0.0 {
                        brent_root(&dtheta, grid[i], hi, fm, fhi).map(f64::exp)
                    } else {
                        Some(grid[i].exp())
                    };
                }
            }
        } else if i + 1 == grid.len() {
            // λ → ∞: the within-person residual variance goes to zero; not a usable fit.
            return Some(empty(aliased));
        }
    }
    // Boundary: λ = 0 wins when its likelihood is at least the interior optimum's.
    let interior = lambda.and_then(|l| prof.eval(l).map(|e| (l, e)));
    let (lambda, ev, boundary) = match (interior, at_zero) {
        (Some((l, e)), Some(z)) => {
            if z.loglik >= e.loglik || (best.is_some_and(|(i, _)| i == 0) && z.dl <= 0.0) {
                (0.0, z, true)
            } else {
                (l, e, false)
            }
        }
        (Some((l, e)), None) => (l, e, false),
        (None, Some(z)) => (0.0, z, true),
        (None, None) => return Some(empty(aliased)),
    };

    let sigma2 = ev.sigma2;
    // nlme's getFixDF: columns constant over all rows (its `const`, relative tolerance
    // sqrt(eps)) are intercept-like; the others go to the person stratum (constant within every
    // person) or the residual stratum (vary within some person).
    let const_col: Vec<bool> = kept
        .iter()
        .map(|&j| {
            let x0 = data.x[j];
            data.x.chunks(p).all(|row| {
                let d = if x0 == 0.0 { row[j].abs() } else { (row[j] / x0 - 1.0).abs() };
                d < f64::EPSILON.sqrt()
            })
        })
        .collect();
    let between = (0..q).filter(|&a| !const_col[a] && !varies[a]).count() as f64;
    let within = (0..q).filter(|&a| !const_col[a] && varies[a]).count() as f64;
    let mut df_between = m as f64 - between;
    let mut df_within = (n - m) as f64 - within;
    if const_col.iter().any(|c| *c) {
        df_between -= 1.0;
    } else {
        df_within += 1.0;
    }
    let df_const = df_between.max(df_within);
    let mut effects: Vec<(String, FixedEffect)> =
        data.names.iter().map(|nm| (nm.clone(), FixedEffect::default())).collect();
    for (a, &j) in kept.iter().enumerate() {
        let est = ev.beta[a] + if Some(a) == intercept { ybar } else { 0.0 };
        let se = finite((sigma2 * ev.a_inv[a * q + a]).sqrt()).filter(|s| *s > 0.0);
        let df = if const_col[a] {
            df_const
        } else if varies[a] {
            df_within
        } else {
            df_between
        };
        let df = Some(df).filter(|d| *d >= 1.0);
        let t = se.and_then(|s| finite(est / s));
        let pv = t.zip(df).and_then(|(t, d)| t_two_sided_p(t, d));
        let qt = df.and_then(|d| t_quantile(1.0 - alpha / 2.0, d));
        let (lo, hi) = match (se, qt) {
            (Some(s), Some(qv)) => (finite(est - qv * s), finite(est + qv * s)),
            _ => (None, None),
        };
        effects[j].1 = FixedEffect { estimate: finite(est), se, df, t, p: pv, ci_low: lo, ci_high: hi };
    }
    Some(MixedFit {
        n_people: m,
        n_obs: n,
        sd_participant: finite((lambda * sigma2).sqrt()),
        sd_residual: finite(sigma2.sqrt()),
        boundary,
        variance_ratio: finite(lambda),
        reml_loglik: finite(ev.loglik),
        effects,
        aliased,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(rows: &[(usize, f64, f64)]) -> MixedData {
        // (person, post indicator, y): y ~ 1 + post
        let n_groups = rows.iter().map(|r| r.0).max().map_or(0, |g| g + 1);
        MixedData {
            names: vec!["intercept".into(), "post".into()],
            x: rows.iter().flat_map(|r| [1.0, r.1]).collect(),
            y: rows.iter().map(|r| r.2).collect(),
            group: rows.iter().map(|r| r.0).collect(),
            n_groups,
        }
    }

    #[test]
    fn small_unbalanced_matches_nlme() {
        let rows = [
            (0, 0.0, 3.1),
            (0, 1.0, 2.5),
            (1, 0.0, 4.0),
            (1, 1.0, 3.9),
            (2, 0.0, 2.2),
            (3, 0.0, 3.3),
            (3, 1.0, 2.0),
            (4, 1.0, 1.7),
            (4, 0.0, 2.9),
        ];
        let d = data(&rows);
        let fit = fit_random_intercept(&d, 0.05).unwrap();
        assert!(fit.variance_ratio.is_some());
        assert_eq!((fit.n_people, fit.n_obs), (5, 9));
        // R: lme(y ~ post, random = ~ 1 | id): (Intercept) 3.1000000 0.3681263 DF 4;
        // post -0.7469465 0.2792874 DF 3, p 0.075402637. nlme's df: post varies within people,
        // 9 - 5 - 1 = 3; the intercept gets max(5 - 1, 3) = 4.
        assert_eq!(fit.effects[1].1.df, Some(3.0));
        assert_eq!(fit.effects[0].1.df, Some(4.0));
        let post = &fit.effects[1].1;
        assert!((post.estimate.unwrap() + 0.7469465).abs() < 1e-6 && (post.se.unwrap() - 0.2792874).abs() < 1e-6);
        assert!((post.p.unwrap() - 0.075402637).abs() < 1e-6);
        assert!((fit.effects[0].1.se.unwrap() - 0.3681263).abs() < 1e-6);
    }

    #[test]
    fn single_observations_are_not_identifiable() {
        let rows = [(0, 0.0, 3.1), (1, 1.0, 2.5), (2, 0.0, 4.0), (3, 1.0, 3.9)];
        let fit = fit_random_intercept(&data(&rows), 0.05).unwrap();
        assert!(fit.sd_participant.is_none() && fit.effects[0].1.estimate.is_none());
    }

    #[test]
    fn aliased_column_is_not_computable_and_no_nan() {
        let mut d = data(&[(0, 0.0, 3.1), (0, 1.0, 2.5), (1, 0.0, 4.0), (1, 1.0, 3.0), (2, 0.0, 2.0), (2, 1.0, 1.5)]);
        d.names.push("zero".into());
        d.x = d.x.chunks(2).flat_map(|r| [r[0], r[1], 0.0]).collect();
        let fit = fit_random_intercept(&d, 0.05).unwrap();
        assert_eq!(fit.aliased, vec!["zero".to_string()]);
        assert!(fit.effects[2].1.estimate.is_none() && fit.effects[1].1.estimate.is_some());
        assert!(fit_random_intercept(&MixedData { y: vec![f64::NAN; 6], ..d.clone() }, 0.05).is_none());
        assert!(fit_random_intercept(&MixedData { group: vec![9; 6], ..d }, 0.05).is_none());
    }
}
