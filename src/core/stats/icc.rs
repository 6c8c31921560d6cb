//! Intraclass correlation ICC(1) from a one-way random-effects ANOVA, for unbalanced clusters
//! (people nested in schools, classes, sites, ...). As R's `ICC::ICCest(x, y)` (default
//! `CI.type = "THD"`), with the ANOVA of `aov(y ~ factor(cluster))`:
//!
//! - MSB = Σ n_j (ȳ_j − ȳ)² / (J − 1), MSW = Σ_j Σ_i (y_ij − ȳ_j)² / (N − J);
//! - n0 = (N − Σ n_j² / N) / (J − 1) (the "average" cluster size of unbalanced designs);
//! - ICC = (MSB − MSW) / (MSB + (n0 − 1)·MSW), reported as it is when negative;
//! - interval (Searle 1971, with n0): F = MSB/MSW, F_L = F / F_{1−α/2}(J−1, N−J),
//!   F_U = F / F_{α/2}(J−1, N−J), lower = (F_L − 1)/(F_L + n0 − 1), upper = (F_U − 1)/(F_U + n0 − 1).
//!
//! Reference values: `tests/data/icc_reference.R` → `tests/data/icc_reference.json`.

use crate::core::stats::describe::finite;
use crate::core::stats::dist::f_quantile;
use serde::{Deserialize, Serialize};

/// ICC(1) and its ANOVA. `None` = not computable for these data (serialised as `null`), with
/// the reason in `reason`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IccStats {
    pub icc: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    /// Confidence level of `ci_low`/`ci_high` (1 − alpha).
    pub conf_level: f64,
    /// J: clusters with at least one value.
    pub n_clusters: usize,
    /// N: values (people) in those clusters.
    pub n_people: usize,
    /// N / J.
    pub mean_cluster_size: Option<f64>,
    /// n0 = (N − Σ n_j² / N) / (J − 1).
    pub n0: Option<f64>,
    /// Between-cluster mean square (df J − 1).
    pub msb: Option<f64>,
    /// Within-cluster mean square (df N − J).
    pub msw: Option<f64>,
    /// F = MSB / MSW.
    pub f: Option<f64>,
    pub df_between: usize,
    pub df_within: usize,
    /// Why the ICC (or its interval) could not be computed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// ICC(1) of the values grouped by cluster (one slice per cluster; empty clusters are ignored).
/// `alpha` sets the interval's level. Needs at least 2 clusters and at least one cluster with
/// 2 or more people (N > J); otherwise every statistic is `None` with a reason.
pub fn icc_oneway<C: AsRef<[f64]>>(clusters: &[C], alpha: f64) -> IccStats {
    let clusters: Vec<&[f64]> = clusters.iter().map(AsRef::as_ref).filter(|c| !c.is_empty()).collect();
    let j = clusters.len();
    let n: usize = clusters.iter().map(|c| c.len()).sum();
    let mut out = IccStats {
        icc: None,
        ci_low: None,
        ci_high: None,
        conf_level: 1.0 - alpha,
        n_clusters: j,
        n_people: n,
        mean_cluster_size: (j > 0).then(|| n as f64 / j as f64),
        n0: None,
        msb: None,
        msw: None,
        f: None,
        df_between: j.saturating_sub(1),
        df_within: n.saturating_sub(j),
        reason: None,
    };
    if j < 2 {
        out.reason = Some(format!(
            "it needs people in at least 2 clusters, and there {}.",
            if j == 1 { "is 1" } else { "are none" }
        ));
        return out;
    }
    if n <= j {
        out.reason = Some("every cluster has a single person, so there is nothing to compare within clusters.".into());
        return out;
    }
    if clusters.iter().flat_map(|c| c.iter()).any(|v| !v.is_finite()) {
        out.reason = Some("some values are not finite numbers.".into());
        return out;
    }
    let (nf, jf) = (n as f64, j as f64);
    let means: Vec<f64> = clusters.iter().map(|c| c.iter().sum::<f64>() / c.len() as f64).collect();
    let grand = clusters.iter().flat_map(|c| c.iter()).sum::<f64>() / nf;
    let ssb: f64 = clusters.iter().zip(&means).map(|(c, m)| c.len() as f64 * (m - grand) * (m - grand)).sum();
    let ssw: f64 = clusters.iter().zip(&means).map(|(c, m)| c.iter().map(|v| (v - m) * (v - m)).sum::<f64>()).sum();
    let (df1, df2) = (jf - 1.0, nf - jf);
    let msb = finite(ssb / df1);
    let msw = finite(ssw / df2);
    let sum_sq: f64 = clusters.iter().map(|c| (c.len() as f64) * (c.len() as f64)).sum();
    let n0 = finite((nf - sum_sq / nf) / df1);
    out.msb = msb;
    out.msw = msw;
    out.n0 = n0;
    let (Some(msb), Some(msw), Some(n0)) = (msb, msw, n0) else {
        out.reason = Some("the spread of the values could not be computed.".into());
        return out;
    };
    let denom = msb + (n0 - 1.0) * msw;
    if denom.is_nan() || denom <= 0.0 {
        out.reason =
            Some("everyone has the same value, so there is no spread to divide between and within clusters.".into());
        return out;
    }
    out.icc = finite((msb - msw) / denom);
    if msw <= 0.0 {
        out.reason =
            Some("everyone in the same cluster has the same value, so the interval cannot be computed.".into());
        return out;
    }
    let f = finite(msb / msw);
    out.f = f;
    let q_hi = f_quantile(1.0 - alpha / 2.0, df1, df2);
    let q_lo = f_quantile(alpha / 2.0, df1, df2);
    if let (Some(f), Some(q_hi), Some(q_lo)) = (f, q_hi, q_lo) {
        let (fl, fu) = (f / q_hi, f / q_lo);
        out.ci_low = finite((fl - 1.0) / (fl + n0 - 1.0));
        out.ci_high = finite((fu - 1.0) / (fu + n0 - 1.0));
    }
    if out.ci_low.is_none() || out.ci_high.is_none() {
        out.ci_low = None;
        out.ci_high = None;
        out.reason = Some("the interval could not be computed for these data.".into());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_unbalanced_example_matches_r() {
        // R: y <- c(1,2,3, 4,6, 5,7,8,9); g <- factor(rep(1:3, c(3,2,4)))
        // anova(aov(y ~ g)): MSB = 23.624999999999996 (df 2), MSW = 2.1250000000000004 (df 6)
        // n0 = (9 - 29/9)/2 = 2.8888888888888888; ICC = 0.77788944723618092
        let c: Vec<Vec<f64>> = vec![vec![1.0, 2.0, 3.0], vec![4.0, 6.0], vec![5.0, 7.0, 8.0, 9.0]];
        let s = icc_oneway(&c, 0.05);
        let close = |a: Option<f64>, b: f64| a.is_some_and(|a| ((a - b) / b).abs() < 1e-12);
        assert!(close(s.msb, 23.625), "{s:?}");
        assert!(close(s.msw, 2.125), "{s:?}");
        assert!(close(s.n0, 2.8888888888888888), "{s:?}");
        assert!(close(s.icc, 0.77788944723618092), "{s:?}");
        assert_eq!((s.n_clusters, s.n_people, s.df_between, s.df_within), (3, 9, 2, 6));
        assert!(s.ci_low.unwrap() < s.icc.unwrap() && s.icc.unwrap() < s.ci_high.unwrap());
        assert!(s.reason.is_none());
    }

    #[test]
    fn not_computable_cases_give_none_and_a_reason() {
        let one = icc_oneway(&[vec![1.0, 2.0, 3.0]], 0.05);
        assert!(one.icc.is_none() && one.reason.as_deref().is_some_and(|r| r.contains("at least 2")));
        let none = icc_oneway::<Vec<f64>>(&[], 0.05);
        assert!(none.icc.is_none() && none.reason.is_some() && none.mean_cluster_size.is_none());
        let singles = icc_oneway(&[vec![1.0], vec![2.0], vec![], vec![4.0]], 0.05);
        assert!(singles.icc.is_none() && singles.reason.as_deref().is_some_and(|r| r.contains("single person")));
        assert_eq!(singles.n_clusters, 3, "empty clusters are not counted");
        let constant = icc_oneway(&[vec![2.0, 2.0], vec![2.0, 2.0, 2.0]], 0.05);
        assert!(constant.icc.is_none() && constant.reason.is_some());
        // No spread within clusters: ICC 1, interval not computable.
        let within0 = icc_oneway(&[vec![1.0, 1.0], vec![3.0, 3.0, 3.0]], 0.05);
        assert_eq!(within0.icc, Some(1.0));
        assert!(within0.ci_low.is_none() && within0.reason.is_some());
        let json = serde_json::to_string(&[one, none, singles, constant, within0]).unwrap();
        assert!(!json.contains("NaN") && !json.contains("inf"));
    }

    #[test]
    fn negative_estimates_are_kept() {
        // Cluster means nearly equal, spread within: MSB < MSW.
        let c = [vec![1.0, 5.0, 3.0], vec![2.0, 4.0, 3.0, 3.5], vec![5.0, 1.5]];
        let s = icc_oneway(&c, 0.05);
        assert!(s.icc.unwrap() < 0.0, "{s:?}");
        assert!(s.ci_low.unwrap() < s.icc.unwrap() && s.icc.unwrap() < s.ci_high.unwrap(), "{s:?}");
    }
}
