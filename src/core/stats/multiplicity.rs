//! Multiplicity adjustment of a family of p-values, as R `p.adjust(p, "holm")` (Holm 1979)
//! and `p.adjust(p, "BH")` (Benjamini & Hochberg 1995).
//!
//! As in R, missing p-values (`None`, or non-finite) stay missing and are left out of the
//! family size n. Holm: with the p sorted increasingly, `pmin(1, cummax((n − i + 1) p_(i)))`.
//! BH: with the p sorted decreasingly, `pmin(1, cummin(n / i · p_(i)))` (i the increasing rank).
//! Ties keep R's stable `order`, so tied p-values get equal adjusted values.

use serde::{Deserialize, Serialize};

/// One p-value with its Holm and BH adjustments (all `None` when p is missing).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Adjusted {
    pub p: Option<f64>,
    pub holm: Option<f64>,
    pub bh: Option<f64>,
}

fn valid(p: &Option<f64>) -> Option<f64> {
    p.filter(|v| v.is_finite() && (0.0..=1.0).contains(v))
}

/// Holm's step-down adjustment, R `p.adjust(p, "holm")`.
pub fn holm(p: &[Option<f64>]) -> Vec<Option<f64>> {
    let idx: Vec<usize> = (0..p.len()).filter(|&i| valid(&p[i]).is_some()).collect();
    let n = idx.len();
    let mut order: Vec<usize> = idx.clone();
    order.sort_by(|&a, &b| valid(&p[a]).unwrap_or(0.0).total_cmp(&valid(&p[b]).unwrap_or(0.0)));
    let mut out = vec![None; p.len()];
    let mut running = 0.0f64;
    for (i, &k) in order.iter().enumerate() {
        let v = (n - i) as f64 * valid(&p[k]).unwrap_or(0.0);
        running = running.max(v);
        out[k] = Some(running.min(1.0));
    }
    out
}

/// Benjamini–Hochberg step-up adjustment, R `p.adjust(p, "BH")`.
pub fn benjamini_hochberg(p: &[Option<f64>]) -> Vec<Option<f64>> {
    let idx: Vec<usize> = (0..p.len()).filter(|&i| valid(&p[i]).is_some()).collect();
    let n = idx.len();
    let mut order: Vec<usize> = idx.clone();
    // R: o <- order(p, decreasing = TRUE) (stable among ties), i <- n:1
    order.sort_by(|&a, &b| valid(&p[b]).unwrap_or(0.0).total_cmp(&valid(&p[a]).unwrap_or(0.0)));
    let mut out = vec![None; p.len()];
    let mut running = f64::INFINITY;
    for (j, &k) in order.iter().enumerate() {
        let i = (n - j) as f64;
        let v = n as f64 / i * valid(&p[k]).unwrap_or(0.0);
        running = running.min(v);
        out[k] = Some(running.min(1.0));
    }
    out
}

/// Both adjustments over one family, in input order.
pub fn adjust(p: &[Option<f64>]) -> Vec<Adjusted> {
    let h = holm(p);
    let b = benjamini_hochberg(p);
    (0..p.len()).map(|i| Adjusted { p: valid(&p[i]), holm: h[i], bh: b[i] }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_r_with_ties_and_na() {
        // R: p <- c(0.01, 0.04, 0.04, NA, 0.03, 0.5, 0.001)
        // p.adjust(p, "holm") = 0.05 0.12 0.12 NA 0.12 0.50 0.006
        // p.adjust(p, "BH")   = 0.03 0.048 0.048 NA 0.048 0.5 0.006
        let p = [Some(0.01), Some(0.04), Some(0.04), None, Some(0.03), Some(0.5), Some(0.001)];
        let h = holm(&p);
        let b = benjamini_hochberg(&p);
        let want_h = [Some(0.05), Some(0.12), Some(0.12), None, Some(0.12), Some(0.5), Some(0.006)];
        let want_b = [Some(0.03), Some(0.048), Some(0.048), None, Some(0.048), Some(0.5), Some(0.006)];
        for i in 0..p.len() {
            match (h[i], want_h[i]) {
                (Some(a), Some(e)) => assert!((a - e).abs() < 1e-15, "holm {i}: {a} vs {e}"),
                (a, e) => assert_eq!(a, e),
            }
            match (b[i], want_b[i]) {
                (Some(a), Some(e)) => assert!((a - e).abs() < 1e-15, "bh {i}: {a} vs {e}"),
                (a, e) => assert_eq!(a, e),
            }
        }
        assert!(adjust(&[None, Some(f64::NAN)]).iter().all(|a| a.p.is_none() && a.holm.is_none() && a.bh.is_none()));
        assert_eq!(holm(&[Some(0.9), Some(0.8)]), vec![Some(1.0), Some(1.0)]);
    }
}
