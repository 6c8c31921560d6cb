//! The noncentral t distribution (statrs has none), and an accurate central t quantile.
//!
//! # Method
//! With `T = (Z + ncp) / sqrt(V / df)`, `Z ~ N(0, 1)` and `V ~ chi2(df)` independent, and
//! `u = sqrt(V / df)` with density `h(u) ∝ u^(df-1) exp(-df u^2 / 2)`,
//!
//! ```text
//! P(T <= q) = ∫ Φ(q u - ncp) h(u) du        P(T > q) = ∫ Φ(ncp - q u) h(u) du
//! ```
//!
//! Both tails are computed directly (never as `1 - the other`), each as a positive integral,
//! and normalised by their sum (which is `∫ h`), so the constant of `h` never has to be
//! evaluated (it is huge at large df). For `df >= 1` each integrand is log-concave in `u`, so
//! it has one mode: it is located by bisection on the derivative of its logarithm, and the
//! integral is taken by 20-point Gauss–Legendre panels stepping outwards from the mode (sized
//! from the curvature there, halved where the integrand falls fast, doubled where it is flat,
//! each checked against its two halves) until a concavity bound shows the rest is below
//! 1e-17 of the total. Everything is done in logarithms relative to the mode, with points
//! held as offsets from it, so far tails keep their relative accuracy down to the smallest
//! normal double, huge df (1e5, 1e9, ...) lose nothing, and nothing overflows: no NaN for any
//! finite or infinite input. `ln h` is written relative to its own mode,
//! `(df - 1)(ln(1 + r) - r - r^2/2)` with `u = u0 (1 + r)`. Φ is W. J. Cody's algorithm (as
//! R's `pnorm`), not statrs' `erfc`, which is only good to about 1e-10 relative.
//!
//! Accuracy (tests/native/nct_grid.rs): within 2e-11 of R's `pt(q, df, ncp)` over
//! tests/data/nct_grid.csv (df 1 to 1e5, ncp 0 to 20, both tails; 2e-11 is R's own error)
//! and within 1.5e-15 of an 80-digit Poisson-mixture sum, both there and at ncp = 40
//! (tests/data/nct_grid_ncp40.csv), where R itself switches to a normal approximation that
//! is off by up to 0.04.
//!
//! Domain: `df >= 1` (`None` below; power calculations always have `df >= 1`). `df = ∞`
//! gives the normal limit.

use statrs::distribution::{ContinuousCDF, StudentsT};
use statrs::function::gamma::ln_gamma;
use std::cell::Cell;

/// ln(sqrt(2π)).
const LN_SQRT_2PI: f64 = 0.918_938_533_204_672_8;

/// 20-point Gauss–Legendre nodes (positive half) and weights on [-1, 1].
#[allow(clippy::excessive_precision)]
const GL20: [(f64, f64); 10] = [
    (0.993_128_599_185_094_9, 0.017_614_007_139_152_118),
    (0.963_971_927_277_913_8, 0.040_601_429_800_386_94),
    (0.912_234_428_251_325_9, 0.062_672_048_334_109_06),
    (0.839_116_971_822_218_8, 0.083_276_741_576_704_75),
    (0.746_331_906_460_150_8, 0.101_930_119_817_240_43),
    (0.636_053_680_726_515_1, 0.118_194_531_961_518_42),
    (0.510_867_001_950_827_1, 0.131_688_638_449_176_63),
    (0.373_706_088_715_419_56, 0.142_096_109_318_382_05),
    (0.227_785_851_141_645_08, 0.149_172_986_472_603_75),
    (0.076_526_521_133_497_33, 0.152_753_387_130_725_85),
];

/// Beyond this |q| the tails are 0 and 1 to far better than any tolerance (≤ 1e-150).
const Q_HUGE: f64 = 1e150;

// W. J. Cody's rational Chebyshev approximations (ACM TOMS 715), as in R's pnorm: relative
// accuracy near 1e-16 in both tails (statrs' erfc is only good to about 1e-10 relative).
// The coefficients are kept digit for digit as published.
#[allow(clippy::excessive_precision)]
const CODY_A: [f64; 5] = [
    2.2352520354606839287,
    161.02823106855587881,
    1067.6894854603709582,
    18154.981253343561249,
    0.065682337918207449113,
];
#[allow(clippy::excessive_precision)]
const CODY_B: [f64; 4] = [47.20258190468824187, 976.09855173777669322, 10260.932208618978205, 45507.789335026729956];
#[allow(clippy::excessive_precision)]
const CODY_C: [f64; 9] = [
    0.39894151208813466764,
    8.8831497943883759412,
    93.506656132177855979,
    597.27027639480026226,
    2494.5375852903726711,
    6848.1904505362823326,
    11602.651437647350124,
    9842.7148383839780218,
    1.0765576773720192317e-8,
];
#[allow(clippy::excessive_precision)]
const CODY_D: [f64; 8] = [
    22.266688044328115691,
    235.38790178262499861,
    1519.377599407554805,
    6485.558298266760755,
    18615.571640885098091,
    34900.952721145977266,
    38912.003286093271411,
    19685.429676859990727,
];
#[allow(clippy::excessive_precision)]
const CODY_P: [f64; 6] = [
    0.21589853405795699,
    0.1274011611602473639,
    0.022235277870649807,
    0.001421619193227893466,
    2.9112874951168792e-5,
    0.02307344176494017303,
];
#[allow(clippy::excessive_precision)]
const CODY_Q: [f64; 5] =
    [1.28426009614491121, 0.468238212480865118, 0.0659881378689285515, 0.00378239633202758244, 7.29751555083966205e-5];
const CODY_SMALL: f64 = 0.67448975;
#[allow(clippy::excessive_precision)]
const SQRT_32: f64 = 5.656854249492380195206754896838;
#[allow(clippy::excessive_precision)]
const INV_SQRT_2PI: f64 = 0.398942280401432677939946059934;

/// For |x| <= CODY_SMALL: Φ(x) - 1/2.
fn cody_centre(x: f64) -> f64 {
    let xsq = x * x;
    let (mut num, mut den) = if x.abs() > f64::EPSILON * 0.5 { (CODY_A[4] * xsq, xsq) } else { (0.0, 0.0) };
    if x.abs() > f64::EPSILON * 0.5 {
        for i in 0..3 {
            num = (num + CODY_A[i]) * xsq;
            den = (den + CODY_B[i]) * xsq;
        }
    }
    x * (num + CODY_A[3]) / (den + CODY_B[3])
}

/// For y = |x| > CODY_SMALL: the factor `temp` with Φ(-y) = exp(-y²/2) · temp (= Mills ratio φ/y·...).
fn cody_tail_factor(y: f64) -> f64 {
    if y <= SQRT_32 {
        let (mut num, mut den) = (CODY_C[8] * y, y);
        for i in 0..7 {
            num = (num + CODY_C[i]) * y;
            den = (den + CODY_D[i]) * y;
        }
        (num + CODY_C[7]) / (den + CODY_D[7])
    } else {
        let xsq = 1.0 / (y * y);
        let (mut num, mut den) = (CODY_P[5] * xsq, xsq);
        for i in 0..4 {
            num = (num + CODY_P[i]) * xsq;
            den = (den + CODY_Q[i]) * xsq;
        }
        let t = xsq * (num + CODY_P[4]) / (den + CODY_Q[4]);
        (INV_SQRT_2PI - t) / y
    }
}

/// -y²/2 split as R does (exact product at 1/16 steps), for y > 0.
fn neg_half_square(y: f64) -> (f64, f64) {
    let ysq = (y * 16.0).trunc() / 16.0;
    let del = (y - ysq) * (y + ysq);
    (-ysq * ysq * 0.5, -del * 0.5)
}

/// Φ(-y) for y > CODY_SMALL: the small tail.
fn small_tail(y: f64) -> f64 {
    let (e1, e2) = neg_half_square(y);
    e1.exp() * e2.exp() * cody_tail_factor(y)
}

/// Standard normal lower tail Φ(x) (R: `pnorm(x)`), accurate in both tails.
pub fn pnorm(x: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    let y = x.abs();
    if y <= CODY_SMALL {
        0.5 + cody_centre(x)
    } else if x < 0.0 {
        small_tail(y)
    } else {
        1.0 - small_tail(y)
    }
}

/// ln Φ(y), accurate in both tails; -∞ only where Φ is 0 to beyond 1e-300 relative.
fn ln_pnorm(x: f64) -> f64 {
    let y = x.abs();
    if y <= CODY_SMALL {
        (0.5 + cody_centre(x)).ln()
    } else if x < 0.0 {
        let (e1, e2) = neg_half_square(y);
        e1 + e2 + cody_tail_factor(y).ln()
    } else {
        (-small_tail(y)).ln_1p()
    }
}

/// φ(y)/Φ(y), the derivative of ln Φ(y).
fn inv_mills(x: f64) -> f64 {
    if x < -CODY_SMALL {
        // Φ(x) = exp(-x²/2) temp and φ(x) = exp(-x²/2)/sqrt(2π).
        INV_SQRT_2PI / cody_tail_factor(-x)
    } else {
        dnorm(x) / pnorm(x)
    }
}

/// Second derivative of ln Φ(y) (only used to size the first quadrature panel).
fn ln_pnorm_curvature(y: f64) -> f64 {
    if y < -5.0 {
        -(1.0 - 1.0 / (y * y))
    } else {
        let l = inv_mills(y);
        -l * (y + l)
    }
}

/// ln(1 + r) - r - r²/2 without cancellation for small r.
fn log1p_minus_quadratic(r: f64) -> f64 {
    if r.abs() < 0.01 {
        let r2 = r * r;
        // -r² + r³/3 - r⁴/4 + r⁵/5 - r⁶/6 + r⁷/7 - r⁸/8
        r2 * (-1.0 + r * (1.0 / 3.0 + r * (-0.25 + r * (0.2 + r * (-1.0 / 6.0 + r * (1.0 / 7.0 - r * 0.125))))))
    } else {
        (r.ln_1p() - r) - 0.5 * r * r
    }
}

thread_local! {
    /// Plot precision (see [`with_plot_precision`]) is on.
    static PLOT: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` with the noncentral t computed to plot precision (about 1e-10 absolute instead of
/// 1e-15: each integral panel is one 20-point Gauss–Legendre rule without refinement, the
/// mode found to 1e-10): several times faster, for curves drawn on screen — never for a
/// number that is reported or exported.
pub fn with_plot_precision<T>(f: impl FnOnce() -> T) -> T {
    let before = PLOT.with(|p| p.replace(true));
    let out = f();
    PLOT.with(|p| p.set(before));
    out
}

/// The integral ∫₀^∞ Φ(a u + b) h(u) du for one df, in logarithms.
struct Kernel {
    /// df - 1 (0 when df is within 1e-12 of 1: u^(1e-12) is 1 to within 1e-12 where it matters).
    nu_m1: f64,
    nu: f64,
    /// Mode of h: sqrt((df - 1)/df).
    u0: f64,
}

impl Kernel {
    fn new(df: f64) -> Kernel {
        let nu_m1 = if df - 1.0 < 1e-12 { 0.0 } else { df - 1.0 };
        let nu = nu_m1 + 1.0;
        Kernel { nu_m1, nu, u0: (nu_m1 / nu).sqrt() }
    }

    /// ln h(u), up to a constant (0 at the mode of h), given also r = u/u0 - 1 (computed by
    /// the caller from an offset, so that it keeps full precision when h is very narrow).
    fn log_h(&self, u: f64, r: f64) -> f64 {
        if self.nu_m1 == 0.0 {
            -0.5 * u * u
        } else if u <= 0.0 {
            f64::NEG_INFINITY
        } else {
            self.nu_m1 * log1p_minus_quadratic(r)
        }
    }

    fn dlog_h(&self, u: f64) -> f64 {
        if self.nu_m1 == 0.0 {
            -u
        } else {
            self.nu_m1 / u - self.nu * u
        }
    }

    fn curv_h(&self, u: f64) -> f64 {
        if self.nu_m1 == 0.0 {
            -1.0
        } else {
            -self.nu_m1 / (u * u) - self.nu
        }
    }

    /// ln of ∫₀^∞ Φ(a u + b) h(u) du (same constant as `log_h`).
    fn ln_integral(&self, a: f64, b: f64) -> f64 {
        let fast = PLOT.with(|p| p.get());
        let mode_tol = if fast { 1e-10 } else { 1e-15 };
        let dlg = |u: f64| a * inv_mills(a * u + b) + self.dlog_h(u);
        // The mode: dlg is decreasing (log-concave integrand).
        let at_zero = if self.nu_m1 == 0.0 { dlg(0.0) } else { f64::INFINITY };
        let mode = if at_zero <= 0.0 {
            0.0
        } else {
            let mut lo = 0.0;
            let mut hi = self.u0.max(1.0);
            let mut found = false;
            for _ in 0..1100 {
                let d = dlg(hi);
                if d < 0.0 || d.is_nan() {
                    found = true;
                    break;
                }
                lo = hi;
                hi *= 2.0;
                if !hi.is_finite() {
                    break;
                }
            }
            if !found {
                return f64::NEG_INFINITY;
            }
            for _ in 0..400 {
                let mid = 0.5 * (lo + hi);
                if mid <= lo || mid >= hi || hi - lo <= mode_tol * hi {
                    break;
                }
                if dlg(mid) > 0.0 {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            0.5 * (lo + hi)
        };
        // From here on points are offsets s from the mode, u = mode + s: at huge df h is a
        // spike of width ~1/sqrt(2 df) at u0, and u itself would carry too little precision.
        let r_mode = if self.nu_m1 == 0.0 { 0.0 } else { mode / self.u0 - 1.0 };
        let y_mode = a * mode + b;
        let lg = |s: f64| ln_pnorm(y_mode + a * s) + self.log_h(mode + s, r_mode + s / self.u0);
        let lg_mode = lg(0.0);
        if !lg_mode.is_finite() {
            // Φ(a u + b) is 0 to double precision everywhere near the body of h.
            return f64::NEG_INFINITY;
        }
        let curv = a * a * ln_pnorm_curvature(a * mode + b) + if mode > 0.0 { self.curv_h(mode) } else { -1.0 };
        let mut sigma = if curv < 0.0 && curv.is_finite() { 1.0 / (-curv).sqrt() } else { 1e-3 * (1.0 + mode) };
        if !(sigma > 0.0 && sigma.is_finite()) {
            sigma = 1e-3 * (1.0 + mode);
        }
        sigma = sigma.max(1e-300);
        // Rounding in lg(u) - lg_mode is about eps |lg_mode| (both parts of lg are <= 0, so
        // |lg_mode| bounds them): no refinement can do better than that.
        let quad = Quad {
            lg: &lg,
            lg_mode,
            tol: (2e-15f64).max(8.0 * f64::EPSILON * (lg_mode.abs() + 1.0)),
            budget: Cell::new(QUAD_BUDGET),
            fast,
        };
        let right = quad.side(mode, 1.0, sigma, 0.0);
        let left = if mode > 0.0 { quad.side(mode, -1.0, sigma.min(mode), right) } else { 0.0 };
        let s = left + right;
        if s > 0.0 && s.is_finite() {
            lg_mode + s.ln()
        } else {
            f64::NEG_INFINITY
        }
    }
}

/// Most 20-point panels one integral may use (a typical call needs 20 to 100; only absurd
/// inputs, whose answer is 0 or 1 anyway, come near it).
const QUAD_BUDGET: u32 = 3000;

/// Quadrature of exp(lg(s) - lg_mode) for one log-concave integrand (s = offset from its mode).
struct Quad<'a> {
    lg: &'a dyn Fn(f64) -> f64,
    lg_mode: f64,
    /// Relative agreement asked of a refined panel.
    tol: f64,
    /// 20-point panels left.
    budget: Cell<u32>,
    /// Plot precision: no panel refinement, an earlier stop in the tails.
    fast: bool,
}

impl Quad<'_> {
    /// Sum of exp(lg - lg_mode) from the mode outwards in direction `dir` (+1 or -1; the left
    /// side stops at 0). `acc` is what the other side already holds (for the stopping rule).
    fn side(&self, mode: f64, dir: f64, w0: f64, acc: f64) -> f64 {
        // Offsets from the mode; the left side ends at u = 0, i.e. s = -mode.
        let mut a = 0.0;
        let mut la = 0.0;
        let mut w = w0;
        let mut sum = 0.0;
        for _ in 0..8000 {
            if self.budget.get() == 0 {
                break;
            }
            let mut b = a + dir * w;
            if dir < 0.0 && b <= -mode {
                b = -mode;
            }
            if !b.is_finite() {
                break;
            }
            let lb = (self.lg)(b) - self.lg_mode;
            let drop = la - lb;
            let width = (b - a).abs();
            if (drop.is_nan() || drop > 24.0) && width > 1e-300 && width > (mode + a).abs() * 1e-15 {
                // Falls too fast (or hits the -∞ at u = 0) for one panel: halve it.
                w = 0.5 * width;
                continue;
            }
            let (lo, hi) = if a < b { (a, b) } else { (b, a) };
            let panel =
                if self.fast { self.gl20(lo, hi) } else { self.adaptive(lo, hi, self.gl20(lo, hi), acc + sum, 0) };
            if panel.is_finite() {
                sum += panel;
            }
            // Log-concavity: the slope beyond b is at most the secant slope -drop/width, so the
            // rest is at most g(b) width / drop; on the left g is increasing, so also g(b) u(b).
            let gb = lb.exp();
            let mut tail = if drop > 0.0 { gb * width / drop } else { f64::INFINITY };
            if dir < 0.0 {
                tail = tail.min(gb * (mode + b));
            }
            if b == -mode || tail <= if self.fast { 1e-13 } else { 1e-17 } * (acc + sum) || gb == 0.0 {
                break;
            }
            w = if drop < 1.0 { 2.0 * width } else { width };
            a = b;
            la = lb;
        }
        sum
    }

    /// 20-point Gauss–Legendre integral of exp(lg(u) - lg_mode) over [lo, hi].
    fn gl20(&self, lo: f64, hi: f64) -> f64 {
        self.budget.set(self.budget.get().saturating_sub(1));
        let (c, h) = (0.5 * (lo + hi), 0.5 * (hi - lo));
        let mut s = 0.0;
        for &(x, wt) in &GL20 {
            s += wt * (((self.lg)(c - h * x) - self.lg_mode).exp() + ((self.lg)(c + h * x) - self.lg_mode).exp());
        }
        s * h
    }

    /// Refines a panel by halving until the halves agree with the whole to `tol` of `scale`
    /// (what is already summed) or of the panel itself: catches a sharp feature (a steep Φ
    /// at large |q|) inside a panel whose ends look smooth.
    fn adaptive(&self, lo: f64, hi: f64, whole: f64, scale: f64, depth: u32) -> f64 {
        let mid = 0.5 * (lo + hi);
        if depth >= 50 || mid <= lo || mid >= hi || self.budget.get() < 2 {
            return whole;
        }
        let (left, right) = (self.gl20(lo, mid), self.gl20(mid, hi));
        let halves = left + right;
        if !halves.is_finite() {
            return whole;
        }
        if (halves - whole).abs() <= self.tol * scale.max(halves.abs()) {
            return halves;
        }
        self.adaptive(lo, mid, left, scale, depth + 1) + self.adaptive(mid, hi, right, scale + left, depth + 1)
    }
}

/// Both tails of the noncentral t: `(P(T <= q), P(T > q))`, as R's
/// `pt(q, df, ncp)` and `pt(q, df, ncp, lower.tail = FALSE)`, each computed directly.
/// `None` for a NaN argument or `df < 1`.
pub fn nct_tails(q: f64, df: f64, ncp: f64) -> Option<(f64, f64)> {
    if q.is_nan() || ncp.is_nan() || df.is_nan() || df < 1.0 {
        return None;
    }
    if q >= Q_HUGE {
        return Some((1.0, 0.0));
    }
    if q <= -Q_HUGE {
        return Some((0.0, 1.0));
    }
    if ncp.is_infinite() {
        return Some(if ncp > 0.0 { (0.0, 1.0) } else { (1.0, 0.0) });
    }
    if df > 1e15 {
        // The normal limit (also df = ∞): the t differs from it by O(1/df).
        return Some((pnorm(q - ncp), pnorm(ncp - q)));
    }
    let k = Kernel::new(df);
    let ln_lower = k.ln_integral(q, -ncp);
    let ln_upper = k.ln_integral(-q, ncp);
    let m = ln_lower.max(ln_upper);
    if !m.is_finite() {
        return None;
    }
    let (el, eu) = ((ln_lower - m).exp(), (ln_upper - m).exp());
    let total = el + eu;
    let (lower, upper) = (el / total, eu / total);
    (lower.is_finite() && upper.is_finite()).then_some((lower.clamp(0.0, 1.0), upper.clamp(0.0, 1.0)))
}

/// Noncentral t lower tail `P(T <= q)` (R: `pt(q, df, ncp)`).
pub fn pt(q: f64, df: f64, ncp: f64) -> Option<f64> {
    nct_tails(q, df, ncp).map(|t| t.0)
}

/// Noncentral t upper tail `P(T > q)` (R: `pt(q, df, ncp, lower.tail = FALSE)`).
pub fn pt_upper(q: f64, df: f64, ncp: f64) -> Option<f64> {
    nct_tails(q, df, ncp).map(|t| t.1)
}

/// Density of the central t (only used for Newton steps, so modest accuracy is enough).
fn t_density(t: f64, df: f64) -> f64 {
    let ln_c = if df > 1e7 {
        -LN_SQRT_2PI - 0.25 / df
    } else {
        ln_gamma(0.5 * (df + 1.0)) - ln_gamma(0.5 * df) - 0.5 * (df * std::f64::consts::PI).ln()
    };
    (ln_c - 0.5 * (df + 1.0) * (t * t / df).ln_1p()).exp()
}

/// Quantile of the central t (R: `qt(p, df)`), accurate to about 1e-14 relative for every
/// `df >= 1`. `None` outside `0 < p < 1` or for `df < 1`.
pub fn qt(p: f64, df: f64) -> Option<f64> {
    if !(p > 0.0 && p < 1.0) {
        return None;
    }
    if p > 0.5 {
        // 1 - p is exact for p > 0.5.
        qt_upper(1.0 - p, df)
    } else {
        qt_upper(p, df).map(|t| -t)
    }
}

/// Upper-tail quantile of the central t: the t with `P(T > t) = s` (R: `qt(s, df,
/// lower.tail = FALSE)`), so that `qt_upper(0.025, df)` needs no `1 - 0.025`. A starting
/// value (statrs, or Cornish–Fisher at large df) is refined by safeguarded Newton steps on
/// the directly computed tail. `None` outside `0 < s < 1` or for `df < 1`.
pub fn qt_upper(s: f64, df: f64) -> Option<f64> {
    if !(s > 0.0 && s < 1.0) || df.is_nan() || df < 1.0 {
        return None;
    }
    if s == 0.5 {
        return Some(0.0);
    }
    if s > 0.5 {
        return qt_upper(1.0 - s, df).map(|t| -t);
    }
    // Now 0 < s < 0.5 and the answer is positive.
    let z = -qnorm(s)?;
    let mut t = if df < 30.0 {
        StudentsT::new(0.0, 1.0, df).ok().map(|d| -d.inverse_cdf(s)).unwrap_or(z)
    } else {
        let z3 = z * z * z;
        z + (z3 + z) / (4.0 * df) + (5.0 * z3 * z * z + 16.0 * z3 + 3.0 * z) / (96.0 * df * df)
    };
    if !(t > 0.0 && t.is_finite()) {
        t = z.max(1e-3);
    }
    let sf = |x: f64| nct_tails(x, df, 0.0).map(|v| v.1);
    // Fast path: Newton steps on statrs' incomplete-beta tail (good to about 1e-9 relative,
    // microseconds each) bring t close; one step on the accurate tail then lands on the
    // noise floor (Newton doubles the correct digits). Taken only when that step is tiny,
    // i.e. the start was already good to 1e-8; otherwise the safeguarded search below runs.
    if let Some(near) = beta_root(s, df, t) {
        let f = sf(near)? - s;
        let step = f / t_density(near, df);
        if step.is_finite() && step.abs() <= 1e-8 * near {
            return Some(near + step);
        }
        t = near;
    }
    // Bracket [lo, hi] with sf(lo) >= s > sf(hi).
    let (mut lo, mut hi) = (0.0, t.max(1e-3));
    let mut f_hi = sf(hi)?;
    let mut grow = 0;
    while f_hi >= s {
        lo = hi;
        hi *= 2.0;
        f_hi = sf(hi)?;
        grow += 1;
        if grow > 2000 || !hi.is_finite() {
            return None;
        }
    }
    if !(t >= lo && t <= hi) {
        t = 0.5 * (lo + hi);
    }
    for _ in 0..100 {
        let f = sf(t)? - s;
        if f == 0.0 {
            break;
        }
        if f > 0.0 {
            lo = t;
        } else {
            hi = t;
        }
        let step = f / t_density(t, df);
        if step.abs() <= 1e-14 * t {
            // Newton converges quadratically: this step already reaches the noise floor.
            t += step;
            break;
        }
        let next = t + step;
        t = if next > lo && next < hi && next.is_finite() { next } else { 0.5 * (lo + hi) };
        if hi - lo <= 1e-15 * hi {
            break;
        }
    }
    Some(t)
}

/// A root of `0.5·I(df/(df+t²); df/2, 1/2) = s` near `start` by Newton steps on statrs'
/// regularised incomplete beta: a fast, roughly 1e-9-accurate upper-tail quantile (0 < s < 0.5).
fn beta_root(s: f64, df: f64, start: f64) -> Option<f64> {
    let sf = |t: f64| 0.5 * statrs::function::beta::beta_reg(0.5 * df, 0.5, df / (df + t * t));
    let mut t = start;
    for _ in 0..30 {
        let step = (sf(t) - s) / t_density(t, df);
        if !step.is_finite() {
            return None;
        }
        let next = t + step;
        // Stay on the positive side: halve towards zero instead of jumping across it.
        t = if next > 0.0 { next } else { 0.5 * t };
        if step.abs() <= 1e-12 * t {
            return (t > 0.0 && t.is_finite()).then_some(t);
        }
    }
    None
}

/// Central t lower tail (R: `pt(q, df)`), accurate at every df >= 1.
pub fn t_cdf(q: f64, df: f64) -> Option<f64> {
    pt(q, df, 0.0)
}

/// Standard normal quantile (R: `qnorm(p)`), accurate to about 1e-15 relative: statrs'
/// starting value refined by Newton steps on the accurate tail. `None` outside 0 < p < 1.
pub fn qnorm(p: f64) -> Option<f64> {
    if !(p > 0.0 && p < 1.0) {
        return None;
    }
    if p == 0.5 {
        return Some(0.0);
    }
    // Solve Φ(-x) = s for x > 0 with s the smaller tail (1 - p is exact for p > 0.5).
    let (s, sign) = if p > 0.5 { (1.0 - p, 1.0) } else { (p, -1.0) };
    let mut x = -statrs::distribution::Normal::standard().inverse_cdf(s);
    if !(x.is_finite() && x > 0.0) {
        return None;
    }
    for _ in 0..8 {
        let f = pnorm(-x) - s;
        let step = f / dnorm(x);
        if !step.is_finite() {
            break;
        }
        x += step;
        if step.abs() <= 1e-16 * x {
            break;
        }
    }
    x.is_finite().then_some(sign * x)
}

/// Standard normal density φ(x).
pub fn dnorm(x: f64) -> f64 {
    (-0.5 * x * x - LN_SQRT_2PI).exp()
}

#[cfg(test)]
#[allow(clippy::excessive_precision)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    #[test]
    fn central_t_and_quantiles_match_r() {
        // Values from R 4.2.2, printed with sprintf("%.17g").
        // pt(2.5, 7) = 0.97950389070712363
        assert!(close(t_cdf(2.5, 7.0).unwrap(), 0.97950389070712363, 1e-14));
        let cases = [
            (0.975, 9.0, 2.2621571627982049),
            (0.975, 14.0, 2.1447866879178039),
            (0.8, 14.0, 0.86805478155742033),
            (0.025, 1.0, -12.706204736174707),
            (0.975, 1.5, 6.0166631044279288),
            (0.95, 19.0, 1.7291328115213689),
            (0.975, 1e5, 1.9599877075346088),
            (0.975, 1e9, 1.9599639869123249),
            (0.8, 1e9, 0.84162123393235533),
            (1.0 - 1e-10, 3.0, 2225.7692232960758),
        ];
        for (p, df, want) in cases {
            let got = qt(p, df).unwrap();
            assert!(((got - want) / want).abs() < 1e-12, "qt({p}, {df}) = {got}, R {want}");
        }
        assert_eq!(qt(0.5, 3.0), Some(0.0));
        assert_eq!(qt(1.0, 3.0), None);
        assert_eq!(qt(f64::NAN, 3.0), None);
        assert_eq!(qt(0.3, 0.5), None);
    }

    #[test]
    fn normal_tails_and_quantiles_match_r() {
        // R 4.2.2: pnorm and qnorm, printed with sprintf("%.17g").
        for (x, want) in [
            (-10.0, 7.6198530241605269e-24),
            (-30.0, 4.9067139271481872e-198),
            (-37.5, 4.6053530095819552e-308),
            (2.0, 0.97724986805182079),
            (0.3, 0.61791142218895267),
        ] {
            assert!(((pnorm(x) - want) / want).abs() < 1e-14, "pnorm({x}) = {}", pnorm(x));
        }
        for (p, want) in [
            (0.975, 1.9599639845400536),
            (1e-10, -6.3613409024040557),
            (0.8, 0.84162123357291441),
            (1e-300, -37.047096299361201),
        ] {
            let got = qnorm(p).unwrap();
            assert!(((got - want) / want).abs() < 1e-15, "qnorm({p}) = {got}");
        }
        assert_eq!(qnorm(0.0), None);
        assert_eq!(qnorm(1.0), None);
    }

    #[test]
    fn noncentral_values_match_r() {
        // R: pt(qt(0.95, 19), 19, sqrt(20)*0.3, lower.tail = FALSE) = 0.36277964884693148
        //    (pwr paired power, d = 0.3, n = 20, "greater"; power.json has 0.3627796488469316)
        let up = pt_upper(1.7291328115213689, 19.0, 1.3416407864998738).unwrap();
        assert!(close(up, 0.36277964884693148, 1e-12), "{up}");
        // At q = 0 the lower tail is exactly pnorm(-ncp); R: pnorm(-1.5) = 0.066807201268858071.
        let (lo, up) = nct_tails(0.0, 12.0, 1.5).unwrap();
        assert!(close(lo, 0.066807201268858071, 1e-15) && close(up, 1.0 - 0.066807201268858071, 1e-15));
    }

    #[test]
    fn reflection_holds() {
        for &(q, df, ncp) in &[(1.3, 4.0, 2.0), (-2.0, 30.0, 0.7), (5.0, 1.0, -3.0), (0.2, 1e5, 1.0)] {
            let (a_lo, a_up) = nct_tails(q, df, ncp).unwrap();
            let (b_lo, b_up) = nct_tails(-q, df, -ncp).unwrap();
            assert!(close(a_lo, b_up, 1e-14) && close(a_up, b_lo, 1e-14), "{q} {df} {ncp}");
            assert!(close(a_lo + a_up, 1.0, 1e-14));
        }
    }

    #[test]
    fn extreme_inputs_never_give_nan() {
        let qs = [
            f64::NEG_INFINITY,
            -1e300,
            -1e20,
            -1e6,
            -300.0,
            -40.0,
            -1e-300,
            0.0,
            1e-300,
            40.0,
            300.0,
            1e6,
            1e20,
            1e300,
            f64::INFINITY,
        ];
        let dfs = [1.0, 1.0 + 1e-13, 1.0 + 1e-9, 1.5, 2.0, 7.3, 1e3, 1e7, 1e12, 1e20, 1e300, f64::INFINITY];
        let ncps =
            [f64::NEG_INFINITY, -1e10, -1e3, -40.0, -1.0, 0.0, 1e-300, 3.0, 38.0, 40.0, 60.0, 1e3, 1e10, f64::INFINITY];
        for &q in &qs {
            for &df in &dfs {
                for &ncp in &ncps {
                    let (lo, up) = nct_tails(q, df, ncp).unwrap_or_else(|| panic!("none at {q} {df} {ncp}"));
                    assert!((0.0..=1.0).contains(&lo) && (0.0..=1.0).contains(&up), "{q} {df} {ncp}: {lo} {up}");
                    assert!(close(lo + up, 1.0, 1e-12), "{q} {df} {ncp}: {lo} {up}");
                }
            }
        }
        assert_eq!(nct_tails(f64::NAN, 3.0, 1.0), None);
        assert_eq!(nct_tails(1.0, 0.5, 1.0), None);
        assert_eq!(nct_tails(1.0, 3.0, f64::NAN), None);
    }

    #[test]
    fn plot_precision_stays_within_1e_9_of_the_accurate_tails() {
        let mut worst: f64 = 0.0;
        for &df in &[1.0, 2.5, 7.0, 30.0, 118.0, 1000.0, 40_000.0] {
            for &ncp in &[0.0, 0.4, 1.5, 3.0, 8.0, 25.0] {
                for &q in &[-6.0, -1.96, -0.3, 0.0, 1.0, 1.97, 2.6, 5.0, 12.0] {
                    let exact = nct_tails(q, df, ncp).unwrap();
                    let fast = with_plot_precision(|| nct_tails(q, df, ncp)).unwrap();
                    worst = worst.max((exact.0 - fast.0).abs()).max((exact.1 - fast.1).abs());
                }
            }
        }
        assert!(worst < 1e-9, "worst difference {worst:e}");
        // The flag is off again afterwards (and nests).
        assert!(!PLOT.with(|p| p.get()));
        with_plot_precision(|| {
            with_plot_precision(|| ());
            assert!(PLOT.with(|p| p.get()));
        });
        assert!(!PLOT.with(|p| p.get()));
    }
}
