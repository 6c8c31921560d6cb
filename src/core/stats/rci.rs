//! Reliable change index (Jacobson & Truax 1991): SE_diff = SD_pre·√2·√(1 − rxx) and
//! RCI = (post − pre)/SE_diff, with counts of reliably improved / unchanged / deteriorated
//! participants. Definitions and direction: `shared/reference/README.md`.

use crate::core::stats::describe::finite;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Counts for one group of complete pairs. Counts are `None` when SE_diff is not computable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RciCounts {
    pub n: usize,
    pub improved: Option<usize>,
    pub unchanged: Option<usize>,
    pub deteriorated: Option<usize>,
}

/// The `rci` results section: `all` plus one entry per arm (flattened), the SD used and SE_diff.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RciStats {
    #[serde(flatten)]
    pub groups: BTreeMap<String, RciCounts>,
    pub sd_pre_used: Option<f64>,
    pub se_diff_rci: Option<f64>,
    pub rxx: f64,
    pub threshold: f64,
}

/// Jacobson-Truax standard error of a difference: `sd_pre * sqrt(2) * sqrt(1 - rxx)`.
/// `None` unless `sd_pre > 0` and `0 <= rxx < 1`.
pub fn se_diff(sd_pre: f64, rxx: f64) -> Option<f64> {
    if !(sd_pre.is_finite() && sd_pre > 0.0 && rxx.is_finite() && (0.0..1.0).contains(&rxx)) {
        return None;
    }
    finite(sd_pre * std::f64::consts::SQRT_2 * (1.0 - rxx).sqrt()).filter(|&s| s > 0.0)
}

/// Classifies complete (pre, post) pairs by RCI = (post − pre)/`se`. With `lower_is_better`
/// (the default direction), RCI < −threshold is improved and RCI > threshold deteriorated
/// (strict); otherwise the roles swap.
pub fn classify(pairs: &[(f64, f64)], se: Option<f64>, threshold: f64, lower_is_better: bool) -> RciCounts {
    let n = pairs.len();
    let Some(se) = se.filter(|s| s.is_finite() && *s > 0.0) else {
        return RciCounts { n, improved: None, unchanged: None, deteriorated: None };
    };
    let (mut down, mut up) = (0, 0);
    for &(pre, post) in pairs {
        let rci = (post - pre) / se;
        if rci < -threshold {
            down += 1;
        } else if rci > threshold {
            up += 1;
        }
    }
    let (improved, deteriorated) = if lower_is_better { (down, up) } else { (up, down) };
    RciCounts { n, improved: Some(improved), unchanged: Some(n - down - up), deteriorated: Some(deteriorated) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn se_diff_matches_reference() {
        // shared/reference p03: SD_pre 8.13608218575337, rxx 0.85 -> SE_diff 4.456315742853058
        let se = se_diff(8.13608218575337, 0.85).unwrap();
        assert!((se - 4.456315742853058).abs() < 1e-12);
        assert_eq!(se_diff(0.0, 0.85), None);
        assert_eq!(se_diff(2.0, 1.0), None);
        assert_eq!(se_diff(2.0, -0.1), None);
        assert_eq!(se_diff(f64::NAN, 0.8), None);
    }

    #[test]
    fn classification_is_strict_and_directional() {
        let pairs = [(10.0, 5.0), (10.0, 10.0), (10.0, 14.0), (0.0, 1.96)];
        // se = 1: RCIs -5, 0, 4, 1.96 (not > 1.96, so unchanged).
        let c = classify(&pairs, Some(1.0), 1.96, true);
        assert_eq!((c.n, c.improved, c.unchanged, c.deteriorated), (4, Some(1), Some(2), Some(1)));
        let flipped = classify(&pairs, Some(1.0), 1.96, false);
        assert_eq!((flipped.improved, flipped.deteriorated), (Some(1), Some(1)));
        let none = classify(&pairs, None, 1.96, true);
        assert_eq!((none.n, none.improved), (4, None));
        let empty = classify(&[], Some(1.0), 1.96, true);
        assert_eq!((empty.n, empty.improved, empty.unchanged), (0, Some(0), Some(0)));
    }
}
