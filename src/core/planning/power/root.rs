//! Root finding (Brent's zeroin, as R's `uniroot`) and ceilings that are robust to
//! floating-point noise.

/// Brent's method on [a, b] (R's `zeroin`, the engine of `uniroot`): stops when the bracket
/// is within `2 eps |x| + tol/2`. `None` when f(a) and f(b) have the same sign, or a value
/// is NaN.
pub fn brent(mut f: impl FnMut(f64) -> f64, a: f64, b: f64, tol: f64) -> Option<f64> {
    let (mut a, mut b) = (a, b);
    let (mut fa, mut fb) = (f(a), f(b));
    if fa.is_nan() || fb.is_nan() {
        return None;
    }
    if fa == 0.0 {
        return Some(a);
    }
    if fb == 0.0 {
        return Some(b);
    }
    if (fa > 0.0) == (fb > 0.0) {
        return None;
    }
    let (mut c, mut fc) = (a, fa);
    for _ in 0..1000 {
        let prev_step = b - a;
        if fc.abs() < fb.abs() {
            a = b;
            b = c;
            c = a;
            fa = fb;
            fb = fc;
            fc = fa;
        }
        let tol_act = 2.0 * f64::EPSILON * b.abs() + tol / 2.0;
        let mut new_step = (c - b) / 2.0;
        if new_step.abs() <= tol_act || fb == 0.0 {
            return Some(b);
        }
        if prev_step.abs() >= tol_act && fa.abs() > fb.abs() {
            // Interpolation (secant or inverse quadratic).
            let cb = c - b;
            let (mut p, mut q);
            if a == c {
                let t1 = fb / fa;
                p = cb * t1;
                q = 1.0 - t1;
            } else {
                let qa = fa / fc;
                let t1 = fb / fc;
                let t2 = fb / fa;
                p = t2 * (cb * qa * (qa - t1) - (b - a) * (t1 - 1.0));
                q = (qa - 1.0) * (t1 - 1.0) * (t2 - 1.0);
            }
            if p > 0.0 {
                q = -q;
            } else {
                p = -p;
            }
            if p < 0.75 * cb * q - (tol_act * q).abs() / 2.0 && p < (prev_step * q / 2.0).abs() {
                new_step = p / q;
            }
        }
        if new_step.abs() < tol_act {
            new_step = if new_step > 0.0 { tol_act } else { -tol_act };
        }
        a = b;
        fa = fb;
        b += new_step;
        fb = f(b);
        if fb.is_nan() {
            return None;
        }
        if (fb > 0.0 && fc > 0.0) || (fb < 0.0 && fc < 0.0) {
            c = a;
            fc = fa;
        }
    }
    Some(b)
}

/// Outcome of [`solve_increasing`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SizeSearch {
    /// The real size at which the power equals the target.
    Root(f64),
    /// The smallest size already has at least the target power (this power).
    AlreadyAtMin(f64),
    /// Even the largest size falls short.
    Unreachable,
    /// The power could not be computed, or the search failed.
    Failed,
}

/// Root of `power(n) = target` for a power increasing in n, on [lo, hi]: doubles from
/// max(4, 2 lo) until the target is passed (cheap, and a tight bracket for Brent), then
/// Brent to `tol`. The root is the same as a search on all of [lo, hi].
pub fn solve_increasing(power: &dyn Fn(f64) -> Option<f64>, target: f64, lo: f64, hi: f64, tol: f64) -> SizeSearch {
    let Some(p_lo) = power(lo) else { return SizeSearch::Failed };
    if p_lo >= target {
        return SizeSearch::AlreadyAtMin(p_lo);
    }
    let (mut a, mut b) = (lo, (2.0 * lo).max(4.0).min(hi));
    loop {
        let Some(p) = power(b) else { return SizeSearch::Failed };
        if p >= target {
            break;
        }
        if b >= hi {
            return SizeSearch::Unreachable;
        }
        a = b;
        b = (2.0 * b).min(hi);
    }
    match brent(|n| power(n).map_or(f64::NAN, |p| p - target), a, b, tol) {
        Some(r) => SizeSearch::Root(r),
        None => SizeSearch::Failed,
    }
}

/// Ceiling that ignores floating-point noise just above an integer:
/// 120.00000000000001 → 120 (the reference's `ceil(x - 1e-9)`). `None` for a non-finite or
/// negative value or one beyond 2^53.
pub fn ceil_count(x: f64) -> Option<u64> {
    let c = (x - 1e-9).ceil().max(0.0);
    (x.is_finite() && x >= 0.0 && c <= 9_007_199_254_740_992.0).then_some(c as u64)
}

/// The smallest integer n >= `min` with `power(n) >= target`, starting from the real root
/// `n_real`: the ceiling, checked (and moved by one if needed) against the power function
/// itself, so a root that sits just below or above an integer cannot give the wrong count.
pub fn smallest_sufficient_n(
    n_real: f64,
    min: u64,
    target: f64,
    mut power: impl FnMut(f64) -> Option<f64>,
) -> Option<u64> {
    let mut n = ceil_count(n_real)?.max(min);
    let ok = |v: Option<f64>| v.is_some_and(|p| p >= target - 1e-12);
    for _ in 0..4 {
        if !ok(power(n as f64)) {
            n += 1;
        } else if n > min && ok(power((n - 1) as f64)) {
            n -= 1;
        } else {
            return Some(n);
        }
    }
    Some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brent_finds_tight_roots() {
        let r = brent(|x| x * x - 2.0, 0.0, 2.0, 1e-13).unwrap();
        assert!((r - std::f64::consts::SQRT_2).abs() < 1e-13);
        let r = brent(|x| x.cos() - x, 0.0, 1.0, 1e-13).unwrap();
        assert!((r - 0.739_085_133_215_160_6).abs() < 1e-13);
        assert_eq!(brent(|x| x * x + 1.0, -1.0, 1.0, 1e-13), None);
        assert_eq!(brent(|_| f64::NAN, -1.0, 1.0, 1e-13), None);
    }

    #[test]
    fn increasing_search_brackets_then_refines() {
        let p = |n: f64| Some(1.0 - 1.0 / n);
        match solve_increasing(&p, 0.99, 2.0, 1e9, 1e-13) {
            SizeSearch::Root(r) => assert!((r - 100.0).abs() < 1e-9, "{r}"),
            other => panic!("{other:?}"),
        }
        assert_eq!(solve_increasing(&p, 0.4, 2.0, 1e9, 1e-13), SizeSearch::AlreadyAtMin(0.5));
        assert_eq!(solve_increasing(&p, 0.9999, 2.0, 1e3, 1e-13), SizeSearch::Unreachable);
        assert_eq!(solve_increasing(&|_| None, 0.9, 2.0, 1e3, 1e-13), SizeSearch::Failed);
    }

    #[test]
    fn ceilings_ignore_float_noise() {
        // The reference's traps: 84/(1-0.3) and 25*(1+19*0.2) are 120.00000000000001 in floats.
        assert_eq!(ceil_count(84.0 / (1.0 - 0.3)), Some(120));
        assert_eq!(ceil_count(25.0 * (1.0 + 19.0 * 0.2)), Some(120));
        assert_eq!(ceil_count(120.5), Some(121));
        assert_eq!(ceil_count(43.9955), Some(44));
        assert_eq!(ceil_count(f64::NAN), None);
        assert_eq!(ceil_count(-1.0), None);
    }

    #[test]
    fn smallest_sufficient_n_checks_the_power() {
        // power(n) = n/100: target 0.44 is first reached at n = 44 even if the root says 44.0000001.
        let p = |n: f64| Some(n / 100.0);
        assert_eq!(smallest_sufficient_n(44.0000001, 2, 0.44, p), Some(44));
        assert_eq!(smallest_sufficient_n(43.2, 2, 0.44, p), Some(44));
        assert_eq!(smallest_sufficient_n(45.5, 2, 0.44, p), Some(44));
        assert_eq!(smallest_sufficient_n(1.2, 2, 0.001, p), Some(2));
    }
}
