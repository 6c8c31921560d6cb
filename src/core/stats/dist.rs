//! Distribution functions used by the tests, wrapping `statrs` with upper tails computed
//! directly (survival functions, not `1 - cdf`) and `None` for invalid parameters.

use statrs::distribution::{Continuous, ContinuousCDF, FisherSnedecor, Normal, StudentsT};

/// Two-sided p-value of a t statistic with `df` degrees of freedom.
pub fn t_two_sided_p(t: f64, df: f64) -> Option<f64> {
    let d = StudentsT::new(0.0, 1.0, df).ok()?;
    crate::core::stats::describe::finite((2.0 * d.sf(t.abs())).min(1.0))
}

/// Quantile of Student's t.
pub fn t_quantile(p: f64, df: f64) -> Option<f64> {
    let d = StudentsT::new(0.0, 1.0, df).ok()?;
    crate::core::stats::describe::finite(d.inverse_cdf(p))
}

/// Standard normal quantile.
pub fn z_quantile(p: f64) -> Option<f64> {
    let d = Normal::new(0.0, 1.0).ok()?;
    crate::core::stats::describe::finite(d.inverse_cdf(p))
}

/// Quantile of the F distribution with (`df1`, `df2`) degrees of freedom, as R's `qf(p, df1, df2)`;
/// `None` for p outside (0, 1) or invalid degrees of freedom.
pub fn f_quantile(p: f64, df1: f64, df2: f64) -> Option<f64> {
    if !(p > 0.0 && p < 1.0) {
        return None;
    }
    let d = FisherSnedecor::new(df1, df2).ok()?;
    let mut q = crate::core::stats::describe::finite(d.inverse_cdf(p)).filter(|q| *q > 0.0)?;
    // statrs' inverse is good to about 1e-10; a few Newton steps on the tail that is small
    // (cdf below the median, survival function above) bring it to R's accuracy.
    for _ in 0..3 {
        let dens = d.pdf(q);
        let step = if p < 0.5 { (d.cdf(q) - p) / dens } else { ((1.0 - p) - d.sf(q)) / dens };
        let next = q - step;
        if !(step.is_finite() && next.is_finite() && next > 0.0) {
            break;
        }
        q = next;
    }
    Some(q)
}

/// Two-sided p-value of a standard normal statistic.
pub fn z_two_sided_p(z: f64) -> Option<f64> {
    let d = Normal::new(0.0, 1.0).ok()?;
    crate::core::stats::describe::finite((2.0 * d.sf(z.abs())).min(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_r() {
        // R: 2*pt(-3.9048841597097192, 9) = 0.0035926058785923152
        assert!((t_two_sided_p(-3.9048841597097192, 9.0).unwrap() - 0.0035926058785923152).abs() < 1e-12);
        // R: qt(0.975, 9) = 2.262157162740992
        assert!((t_quantile(0.975, 9.0).unwrap() - 2.262157162740992).abs() < 1e-9);
        // R: qnorm(0.975)
        assert!((z_quantile(0.975).unwrap() - 1.959963984540054).abs() < 1e-12);
        assert!(t_two_sided_p(1.0, 0.0).is_none());
    }

    #[test]
    fn f_quantile_matches_r() {
        // R: qf(p, df1, df2)
        let cases = [
            (0.975, 5.0, 40.0, 2.903722320494154),
            (0.025, 5.0, 40.0, 0.16194201633005179),
            (0.975, 2.0, 3.0, 16.044106429277189),
            (0.025, 2.0, 3.0, 0.025532678985211388),
            (0.975, 29.0, 300.0, 1.6258428328315053),
            (0.025, 29.0, 300.0, 0.54360582030776716),
            (0.975, 1.0, 1000.0, 5.0390512334761439),
            // R's qf gives 0.00098256075697911172 here, itself 1.3e-10 off: qt(0.5125, 1000)^2 =
            // 0.00098256075710331748 and pf() of that is 0.025 to 4e-15.
            (0.025, 1.0, 1000.0, 0.00098256075710331748),
        ];
        for (p, d1, d2, want) in cases {
            let got = f_quantile(p, d1, d2).unwrap();
            assert!(((got - want) / want).abs() < 1e-12, "qf({p}, {d1}, {d2}) = {want}, got {got}");
        }
        assert!(f_quantile(0.0, 2.0, 3.0).is_none() && f_quantile(1.0, 2.0, 3.0).is_none());
        assert!(f_quantile(0.5, 0.0, 3.0).is_none() && f_quantile(f64::NAN, 2.0, 3.0).is_none());
    }
}
