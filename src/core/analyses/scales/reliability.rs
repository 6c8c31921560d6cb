//! Internal consistency: Cronbach's alpha on complete cases, its confidence interval (Feldt),
//! item-rest correlations and alpha if an item is deleted.
//!
//! - alpha = k/(k−1) · (1 − Σ var(item) / var(total)), variances with denominator n − 1
//!   (Cronbach 1951; `shared/reference/README.md`, "Item scoring").
//! - Feldt (1965) interval: with df1 = n − 1 and df2 = (n − 1)(k − 1),
//!   [1 − (1 − alpha)·F(1 − γ/2; df1, df2), 1 − (1 − alpha)·F(γ/2; df1, df2)], γ = 1 − level
//!   (as R `psych::alpha.ci`).
//! - Item-rest r: Pearson correlation of an item with the sum of the other items.

use crate::core::stats::describe::{correlation, finite, variance};
use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, FisherSnedecor};

/// Rows with every item answered, as one vector per item (column-major).
pub fn complete_cases(items: &[Vec<Option<f64>>]) -> Vec<Vec<f64>> {
    let n_rows = items.iter().map(Vec::len).min().unwrap_or(0);
    let rows: Vec<usize> = (0..n_rows).filter(|&r| items.iter().all(|c| c[r].is_some())).collect();
    items.iter().map(|c| rows.iter().filter_map(|&r| c[r]).collect()).collect()
}

/// Cronbach's alpha of complete data (one vector per item, equal lengths). `None` for fewer
/// than 2 items or 2 rows, or when the total has no variance.
pub fn cronbach_alpha(items: &[Vec<f64>]) -> Option<f64> {
    let k = items.len();
    let n = items.first().map_or(0, Vec::len);
    if k < 2 || n < 2 || items.iter().any(|c| c.len() != n) {
        return None;
    }
    let total: Vec<f64> = (0..n).map(|r| items.iter().map(|c| c[r]).sum()).collect();
    let var_total = variance(&total)?;
    if var_total <= 0.0 {
        return None;
    }
    let sum_var: f64 = items.iter().map(|c| variance(c)).sum::<Option<f64>>()?;
    let k = k as f64;
    finite(k / (k - 1.0) * (1.0 - sum_var / var_total))
}

/// Feldt's confidence interval for alpha from `n` complete cases and `k` items at `level` (0.95).
pub fn feldt_ci(alpha: f64, n: usize, k: usize, level: f64) -> Option<(f64, f64)> {
    if n < 2 || k < 2 || !(level > 0.0 && level < 1.0) || !alpha.is_finite() {
        return None;
    }
    let df1 = (n - 1) as f64;
    let df2 = ((n - 1) * (k - 1)) as f64;
    let f = FisherSnedecor::new(df1, df2).ok()?;
    let tail = (1.0 - level) / 2.0;
    let f_high = finite(f.inverse_cdf(1.0 - tail))?;
    let f_low = finite(f.inverse_cdf(tail))?;
    Some((1.0 - (1.0 - alpha) * f_high, 1.0 - (1.0 - alpha) * f_low))
}

/// Per-item reliability figures on complete cases.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemRest {
    /// Correlation of the item with the sum of the other items.
    pub item_rest_r: Option<f64>,
    /// Alpha of the other k − 1 items.
    pub alpha_if_deleted: Option<f64>,
}

/// Alpha, its Feldt interval and per-item figures for one time point's items.
#[derive(Debug, Clone, PartialEq)]
pub struct Reliability {
    pub alpha: Option<f64>,
    pub n_complete: usize,
    pub ci: Option<(f64, f64)>,
    pub items: Vec<ItemRest>,
}

/// Everything about one set of items (one vector of answers per item; complete cases used).
pub fn reliability(items: &[Vec<Option<f64>>], level: f64) -> Reliability {
    let cc = complete_cases(items);
    let n = cc.first().map_or(0, Vec::len);
    let k = cc.len();
    let alpha = cronbach_alpha(&cc);
    let ci = alpha.and_then(|a| feldt_ci(a, n, k, level));
    let total: Vec<f64> = (0..n).map(|r| cc.iter().map(|c| c[r]).sum()).collect();
    let per_item = (0..k)
        .map(|j| {
            let rest: Vec<f64> = total.iter().zip(&cc[j]).map(|(t, x)| t - x).collect();
            let others: Vec<Vec<f64>> =
                cc.iter().enumerate().filter(|(i, _)| *i != j).map(|(_, c)| c.clone()).collect();
            ItemRest { item_rest_r: correlation(&cc[j], &rest), alpha_if_deleted: cronbach_alpha(&others) }
        })
        .collect();
    Reliability { alpha, n_complete: n, ci, items: per_item }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 6 people × 4 items. Expected values below were computed independently in Python 3.11
    /// with NumPy 2.4 and SciPy 1.17:
    ///   X = np.array(DATA); k = 4
    ///   alpha = k/(k-1)*(1 - X.var(0, ddof=1).sum()/X.sum(1).var(ddof=1))
    ///   (equal to the covariance-matrix form k/(k-1)*(1 - trace(C)/C.sum()), C = np.cov(X.T))
    ///   Feldt: 1-(1-alpha)*scipy.stats.f.ppf(0.975, 5, 15) and ...ppf(0.025, 5, 15)
    ///   item-rest r: np.corrcoef(X[:, j], X.sum(1) - X[:, j])[0, 1]; alpha-if-deleted: alpha of np.delete(X, j, 1)
    const DATA: [[f64; 4]; 6] =
        [[2., 3., 3., 2.], [4., 4., 5., 4.], [3., 3., 2., 3.], [5., 4., 4., 5.], [1., 2., 1., 2.], [3., 4., 3., 3.]];

    const ALPHA: f64 = 0.9370552818828681;
    const CI_LOW: f64 = 0.7748835439698458;
    const CI_HIGH: f64 = 0.9902073148582233;
    const ITEM_REST: [f64; 4] = [0.9438798074485388, 0.8894148770564904, 0.8214416322175221, 0.8773824395270645];
    const ALPHA_IF_DELETED: [f64; 4] = [0.8888888888888888, 0.9317647058823528, 0.9345794392523366, 0.9101123595505617];
    /// alpha(X[1:]) in NumPy (the first row left out).
    const ALPHA_WITHOUT_ROW1: f64 = 0.9475177304964539;

    fn items() -> Vec<Vec<Option<f64>>> {
        (0..4).map(|j| DATA.iter().map(|r| Some(r[j])).collect()).collect()
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-9 + 1e-9 * b.abs()
    }

    #[test]
    fn alpha_and_feldt_ci_equal_numpy_scipy() {
        let r = reliability(&items(), 0.95);
        assert_eq!(r.n_complete, 6);
        let alpha = r.alpha.unwrap();
        assert!(close(alpha, ALPHA), "{alpha}");
        let (lo, hi) = r.ci.unwrap();
        assert!(close(lo, CI_LOW) && close(hi, CI_HIGH), "{lo} {hi}");
    }

    #[test]
    fn item_rest_and_alpha_if_deleted_equal_numpy() {
        let r = reliability(&items(), 0.95);
        for (j, it) in r.items.iter().enumerate() {
            assert!(close(it.item_rest_r.unwrap(), ITEM_REST[j]), "item {j}: {:?}", it.item_rest_r);
            assert!(close(it.alpha_if_deleted.unwrap(), ALPHA_IF_DELETED[j]), "item {j}: {:?}", it.alpha_if_deleted);
        }
    }

    #[test]
    fn complete_cases_only_and_degenerate_data() {
        let mut it = items();
        it[2][0] = None; // row 1 drops out
        let r = reliability(&it, 0.95);
        assert_eq!(r.n_complete, 5);
        assert!(close(r.alpha.unwrap(), ALPHA_WITHOUT_ROW1), "{:?}", r.alpha);
        // One row, or one item, or no variance: not computable.
        assert_eq!(cronbach_alpha(&[vec![1.0], vec![2.0]]), None);
        assert_eq!(cronbach_alpha(&[vec![1.0, 2.0]]), None);
        assert_eq!(cronbach_alpha(&[vec![3.0, 3.0], vec![3.0, 3.0]]), None);
        assert_eq!(feldt_ci(0.8, 1, 4, 0.95), None);
    }
}
