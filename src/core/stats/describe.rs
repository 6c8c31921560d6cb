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

#[cfg(test)]
mod tests {
    use super::*;

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
