//! Plain-language readings of results: fixed, auditable sentence templates.

use crate::core::stats::paired::PairedStats;

/// Formats a number with `dp` decimals, or "not computable".
pub fn num(v: Option<f64>, dp: usize) -> String {
    match v {
        Some(x) => format!("{x:.dp$}"),
        None => "not computable".into(),
    }
}

/// Formats a p-value the way reports do ("< 0.001" below that).
pub fn pval(p: Option<f64>) -> String {
    match p {
        Some(p) if p < 0.001 => "< 0.001".into(),
        Some(p) => format!("{p:.3}"),
        None => "not computable".into(),
    }
}

/// One sentence reading a paired change. `lower_is_better`: lower score = less stigma.
pub fn paired_reading(s: &PairedStats, lower_is_better: bool) -> String {
    let (Some(m), Some(lo), Some(hi)) = (s.mean_diff, s.ci_low, s.ci_high) else {
        return match (s.n, s.mean_diff) {
            (0, _) => "No one has both a pre and a post score here, so change cannot be estimated.".into(),
            (n, Some(m)) if s.sd_diff == Some(0.0) => format!(
                "All {n} people changed by exactly the same amount ({m:.2}), so there is no spread to test against."
            ),
            (n, _) => format!("With {n} complete pair(s), the change cannot be tested: at least 2 are needed."),
        };
    };
    let level = (s.conf_level * 100.0).round();
    let better = if lower_is_better { m < 0.0 } else { m > 0.0 };
    let direction = if m == 0.0 {
        "did not change on average".to_string()
    } else if better {
        format!("improved on average (scores moved by {m:.2} points)")
    } else {
        format!("got worse on average (scores moved by {m:.2} points)")
    };
    let sure = if lo > 0.0 || hi < 0.0 {
        format!("The {level}% confidence interval ({lo:.2} to {hi:.2}) does not include zero, so a change this size is unlikely to be chance alone")
    } else {
        format!("The {level}% confidence interval ({lo:.2} to {hi:.2}) includes zero, so the data are also consistent with no change")
    };
    format!("Among the {} people with both scores, stigma {direction}. {sure} ({}).", s.n, p_phrase(s.p))
}

/// "p = 0.012" or "p < 0.001".
pub fn p_phrase(p: Option<f64>) -> String {
    match p {
        Some(p) if p < 0.001 => "p < 0.001".into(),
        other => format!("p = {}", pval(other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::stats::paired::paired;

    #[test]
    fn readings_follow_direction_and_interval() {
        let s = paired(&[(4.0, 3.0), (3.5, 2.0), (4.0, 3.5), (3.0, 2.5)], 0.05);
        let r = paired_reading(&s, true);
        assert!(r.contains("improved"), "{r}");
        assert!(r.contains("does not include zero"), "{r}");
        assert!(paired_reading(&s, false).contains("got worse"));
        let flat = paired(&[(3.0, 3.0), (2.0, 2.0)], 0.05);
        assert!(paired_reading(&flat, true).contains("exactly the same amount"));
        assert_eq!(pval(Some(0.0001)), "< 0.001");
        assert_eq!(num(None, 2), "not computable");
    }
}
