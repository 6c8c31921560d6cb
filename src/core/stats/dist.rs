//! Distribution functions used by the tests, wrapping `statrs` with upper tails computed
//! directly (survival functions, not `1 - cdf`) and `None` for invalid parameters.

use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

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
}
