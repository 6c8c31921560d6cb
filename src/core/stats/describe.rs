//! Descriptive statistics (sample mean, SD with n − 1, correlation).

/// Arithmetic mean; `None` for an empty slice.
pub fn mean(x: &[f64]) -> Option<f64> {
    if x.is_empty() {
        None
    } else {
        Some(x.iter().sum::<f64>() / x.len() as f64)
    }
}

/// Sample variance (denominator n − 1), two-pass; `None` for n < 2.
pub fn variance(x: &[f64]) -> Option<f64> {
    if x.len() < 2 {
        return None;
    }
    let m = mean(x)?;
    Some(x.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / (x.len() - 1) as f64)
}

/// Sample standard deviation (n − 1), as R's `sd`.
pub fn sd(x: &[f64]) -> Option<f64> {
    variance(x).map(f64::sqrt)
}

/// Pearson correlation, as R's `cor`; `None` when either SD is zero or n < 2.
pub fn correlation(x: &[f64], y: &[f64]) -> Option<f64> {
    if x.len() != y.len() || x.len() < 2 {
        return None;
    }
    let (mx, my) = (mean(x)?, mean(y)?);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx) * (a - mx);
        syy += (b - my) * (b - my);
    }
    if sxx <= 0.0 || syy <= 0.0 {
        return None;
    }
    Some(sxy / (sxx * syy).sqrt())
}

/// Keeps a value only if it is finite.
pub fn finite(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
}

/// "Nice" tick values covering [lo, hi] (1, 2, 2.5 or 5 × 10^k steps), at most ~`n` ticks.
pub fn nice_ticks(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    if !(lo.is_finite() && hi.is_finite()) || n < 2 {
        return Vec::new();
    }
    let (lo, hi) = if hi > lo { (lo, hi) } else { (lo - 0.5, lo + 0.5) };
    let raw = (hi - lo) / (n - 1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * mag).find(|s| *s >= raw).unwrap_or(10.0 * mag);
    let start = (lo / step).floor() * step;
    let mut ticks = Vec::new();
    let mut v = start;
    while v <= hi + step * 1e-9 && ticks.len() < 50 {
        // (+ 0.0: a tick at −0 is written "-0"; it is 0.)
        ticks.push((v / step).round() * step + 0.0);
        v += step;
    }
    if ticks.last().is_some_and(|&t| t < hi - step * 1e-9) {
        ticks.push(ticks.last().copied().unwrap_or(hi) + step);
    }
    ticks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_tick_is_minus_zero() {
        for (lo, hi) in [(-0.3, 0.2), (-1.0, 0.0), (-0.58, 0.03), (-2.5, 2.5)] {
            let t = nice_ticks(lo, hi, 6);
            assert!(t.contains(&0.0), "{t:?}");
            assert!(t.iter().all(|x| !(*x == 0.0 && x.is_sign_negative())), "{lo}..{hi}: {t:?}");
            assert!(t.iter().all(|x| format!("{x}") != "-0"), "{t:?}");
        }
    }

    #[test]
    fn matches_r() {
        let x = [43.0, 18.0, 19.0, 19.0];
        assert!((mean(&x).unwrap() - 24.75).abs() < 1e-12);
        // R: sd(c(43,18,19,19)) = 12.1757956618859
        assert!((sd(&x).unwrap() - 12.175795661885921).abs() < 1e-12);
        assert_eq!(sd(&[1.0]), None);
        assert_eq!(correlation(&[1.0, 1.0], &[2.0, 3.0]), None);
        assert!((correlation(&[1.0, 2.0, 3.0], &[2.0, 4.0, 7.0]).unwrap() - 0.9933992677987828).abs() < 1e-12);
    }
}
