//! Plain-language readings of results: fixed, auditable sentence templates.

use crate::core::stats::ancova::AncovaStats;
use crate::core::stats::binary::{HelpBetweenStats, HelpPairedStats};
use crate::core::stats::paired::PairedStats;
use crate::core::stats::rci::RciCounts;
use crate::core::stats::two_group::TwoGroupStats;

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

/// "lower" / "higher" for a difference, and whether that direction is the better one.
fn lower_higher(d: f64, lower_is_better: bool) -> (&'static str, bool) {
    if d < 0.0 {
        ("lower", lower_is_better)
    } else {
        ("higher", !lower_is_better)
    }
}

fn interval_words(lo: f64, hi: f64, level: f64) -> String {
    let level = (level * 100.0).round();
    if lo > 0.0 || hi < 0.0 {
        format!("{level}% CI {lo:.2} to {hi:.2}, which excludes zero")
    } else {
        format!("{level}% CI {lo:.2} to {hi:.2}, which includes zero: no difference is also consistent with the data")
    }
}

/// Reading of an intervention − control comparison (post scores or change scores).
pub fn two_group_reading(s: &TwoGroupStats, what: &str, lower_is_better: bool) -> String {
    let (Some(d), Some(lo), Some(hi)) = (s.mean_diff, s.welch_ci_low, s.welch_ci_high) else {
        return format!(
            "The groups cannot be compared on {what}: each needs at least 2 people and some spread (intervention n = {}, control n = {}).",
            s.n_int, s.n_ctrl
        );
    };
    let (dir, good) = lower_higher(d, lower_is_better);
    let g = s.hedges_g.map(|g| format!(" Standardised difference (Hedges' g): {g:.2}.")).unwrap_or_default();
    format!(
        "On {what}, the intervention group was {:.2} points {dir} than control{} ({}; Welch {}).{g}",
        d.abs(),
        if d == 0.0 { "" } else if good { " — the better direction" } else { " — the worse direction" },
        interval_words(lo, hi, s.conf_level),
        p_phrase(s.welch_p),
    )
}

/// Reading of the ANCOVA group effect.
pub fn ancova_reading(s: &AncovaStats, lower_is_better: bool) -> String {
    let (Some(b), Some(lo), Some(hi)) = (s.coef_group, s.ci_low, s.ci_high) else {
        return format!("The adjusted comparison cannot be computed for these data ({} complete rows).", s.n);
    };
    let (dir, _) = lower_higher(b, lower_is_better);
    format!(
        "Comparing people who started at the same score, the intervention group ended {:.2} points {dir} than control ({}; {}).",
        b.abs(),
        interval_words(lo, hi, s.conf_level),
        p_phrase(s.p_group)
    )
}

fn pct(p: Option<f64>) -> String {
    p.map(|p| format!("{:.0}%", p * 100.0)).unwrap_or_else(|| "not computable".into())
}

/// Reading of help seeking before vs after in one arm.
pub fn help_paired_reading(s: &HelpPairedStats) -> String {
    if s.n == 0 {
        return "No one has a yes/no help-seeking answer both before and after.".into();
    }
    let test = match s.mcnemar_exact_p {
        Some(_) => format!("exact McNemar {}", p_phrase(s.mcnemar_exact_p)),
        None => "no one changed their answer, so there is nothing to test".into(),
    };
    format!(
        "Of the {} people who answered both times, {} had sought help before and {} after. {} started and {} stopped ({}).",
        s.n,
        pct(s.prop_pre),
        pct(s.prop_post),
        s.b_no_to_yes,
        s.c_yes_to_no,
        test
    )
}

/// Reading of help seeking after the program, intervention vs control.
pub fn help_between_reading(s: &HelpBetweenStats) -> String {
    let (Some(rd), Some(lo), Some(hi)) = (s.rd, s.rd_ci_low, s.rd_ci_high) else {
        return "Help seeking after the program cannot be compared: one group has no answers.".into();
    };
    format!(
        "After the program, {} of the intervention group and {} of control had sought help: a difference of {:.0} percentage points (95% CI {:.0} to {:.0}; Fisher {}).",
        pct(s.p_int),
        pct(s.p_ctrl),
        rd * 100.0,
        lo * 100.0,
        hi * 100.0,
        p_phrase(s.fisher_p)
    )
}

/// Reading of reliable-change counts for one group.
pub fn rci_reading(c: &RciCounts) -> String {
    match (c.improved, c.unchanged, c.deteriorated) {
        (Some(i), Some(u), Some(d)) if c.n > 0 => format!(
            "Of {} people, {i} improved by more than measurement error can explain, {d} got reliably worse, and {u} changed too little to tell.",
            c.n
        ),
        _ => "Reliable change cannot be computed (it needs the scale's reliability and a spread of starting scores).".into(),
    }
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

#[cfg(test)]
mod section_tests {
    use super::*;
    use crate::core::stats::rci::RciCounts;

    #[test]
    fn rci_and_help_readings() {
        let c = RciCounts { n: 10, improved: Some(2), unchanged: Some(7), deteriorated: Some(1) };
        let r = rci_reading(&c);
        assert!(r.contains("Of 10 people, 2 improved") && r.contains("1 got reliably worse"), "{r}");
        let none = RciCounts { n: 10, improved: None, unchanged: None, deteriorated: None };
        assert!(rci_reading(&none).contains("cannot be computed"));
        assert_eq!(interval_words(-1.0, -0.5, 0.95), "95% CI -1.00 to -0.50, which excludes zero");
        assert_eq!(lower_higher(-0.3, true), ("lower", true));
        assert_eq!(lower_higher(0.3, true), ("higher", false));
    }
}
