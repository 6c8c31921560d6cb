//! Plain-language readings of results: fixed, auditable sentence templates.

use crate::core::stats::ancova::AncovaStats;
use crate::core::stats::binary::{HelpBetweenStats, HelpPairedStats};
use crate::core::stats::paired::PairedStats;
use crate::core::stats::rci::RciCounts;
use crate::core::stats::two_group::TwoGroupStats;

/// Formats a number with `dp` decimals, or "not computable".
pub fn num(v: Option<f64>, dp: usize) -> String {
    match v {
        Some(x) => {
            let text = format!("{x:.dp$}");
            if !text.bytes().any(|b| (b'1'..=b'9').contains(&b)) && x != 0.0 && x.is_finite() {
                // A small number that rounds to zero keeps its sign and first digit ("−0.46 to
                // −0.004", not "−0.46 to −0.00"), up to four more places; below that it is 0.
                for more in dp + 1..=dp + 4 {
                    let t = format!("{x:.more$}");
                    if t.bytes().any(|b| (b'1'..=b'9').contains(&b)) {
                        return t;
                    }
                }
                return format!("{:.dp$}", 0.0);
            }
            // (−0 is 0.)
            if text.starts_with('-') && !text.bytes().any(|b| (b'1'..=b'9').contains(&b)) {
                return format!("{:.dp$}", 0.0);
            }
            text
        }
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
            (n, _) => format!(
                "With {}, the change cannot be tested: at least 2 are needed.",
                crate::core::dataset::count_of(n, "complete pair", "complete pairs")
            ),
        };
    };
    let level = (s.conf_level * 100.0).round();
    let better = if lower_is_better { m < 0.0 } else { m > 0.0 };
    // Direction words only when the interval is on one side of zero.
    let direction = if !excludes_zero(lo, hi) {
        format!("showed no clear change on average (scores moved by {m:.2} points)")
    } else if better {
        format!("improved on average (scores moved by {m:.2} points)")
    } else {
        format!("got worse on average (scores moved by {m:.2} points)")
    };
    let sure = if excludes_zero(lo, hi) {
        format!("The {level}% confidence interval ({lo:.2} to {hi:.2}) does not include zero, so a change this size is unlikely to be chance alone")
    } else {
        format!("The {level}% confidence interval ({lo:.2} to {hi:.2}) includes zero, so the data are also consistent with no change")
    };
    format!("Among the {} people with both scores, stigma {direction}. {sure} ({}).", s.n, p_phrase(s.p))
}

/// Whether a confidence interval lies wholly on one side of zero: the only case in which a
/// reading may name a direction ("improved", "lower than control", "in favour of the program").
pub fn excludes_zero(lo: f64, hi: f64) -> bool {
    lo > 0.0 || hi < 0.0
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

/// The one set of arm names the page, the charts and the report use: "Everyone" (a single
/// group), "Program group", "Comparison group"; another key is shown as it is.
pub fn arm_title(arm: &str) -> &str {
    match arm {
        "all" => "Everyone",
        "intervention" => "Program group",
        "control" => "Comparison group",
        other => other,
    }
}

/// Reading of an intervention − control comparison (post scores or change scores).
pub fn two_group_reading(s: &TwoGroupStats, what: &str, lower_is_better: bool) -> String {
    let (Some(d), Some(lo), Some(hi)) = (s.mean_diff, s.welch_ci_low, s.welch_ci_high) else {
        return format!(
            "The groups cannot be compared on {what}: each needs at least 2 people and some spread (program group n = {}, comparison group n = {}).",
            s.n_int, s.n_ctrl
        );
    };
    let (dir, good) = lower_higher(d, lower_is_better);
    let g = s.hedges_g.map(|g| format!(" Standardised difference (Hedges' g): {g:.2}.")).unwrap_or_default();
    if !excludes_zero(lo, hi) {
        return format!(
            "On {what}, there was no clear difference between the program group and the comparison group (difference {d:.2} points; {}; Welch {}).{g}",
            interval_words(lo, hi, s.conf_level),
            p_phrase(s.welch_p),
        );
    }
    format!(
        "On {what}, the program group was {:.2} points {dir} than the comparison group{} ({}; Welch {}).{g}",
        d.abs(),
        if good { " — the better direction" } else { " — the worse direction" },
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
    if !excludes_zero(lo, hi) {
        return format!(
            "Comparing people who started at the same score, there was no clear difference between the program group and the comparison group (difference {b:.2} points; {}; {}).",
            interval_words(lo, hi, s.conf_level),
            p_phrase(s.p_group)
        );
    }
    format!(
        "Comparing people who started at the same score, the program group ended {:.2} points {dir} than the comparison group ({}; {}).",
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
    let clear = if excludes_zero(lo, hi) { "" } else { " — no clear difference, since the interval includes zero" };
    format!(
        "After the program, {} of the program group and {} of the comparison group had sought help: a difference of {:.0} percentage points (95% CI {:.0} to {:.0}; Fisher {}){clear}.",
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

    #[test]
    fn numbers_that_round_to_zero_keep_their_sign_honestly() {
        assert_eq!(num(Some(-0.46), 2), "-0.46");
        assert_eq!(num(Some(-0.0042), 2), "-0.004");
        assert_eq!(num(Some(0.0042), 2), "0.004");
        assert_eq!(num(Some(-0.000049), 2), "-0.00005");
        assert_eq!(num(Some(-1e-9), 2), "0.00");
        assert_eq!(num(Some(-0.0), 2), "0.00");
        assert_eq!(num(Some(0.0), 1), "0.0");
        assert_eq!(num(Some(2.0), 0), "2");
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

// ---- Report and teaching-mode sentences (issue 10) ----

/// "fell" / "rose" / "did not change" for a change in score.
fn moved(d: f64) -> &'static str {
    if d < 0.0 {
        "fell"
    } else if d > 0.0 {
        "rose"
    } else {
        "did not change"
    }
}

/// Report headline of a paired change for a group (`who`, e.g. "program participants").
/// `None` when no change can be computed.
pub fn report_change_headline(s: &PairedStats, who: &str, lower_is_better: bool) -> Option<String> {
    let (m, pre, post) = (s.mean_diff?, s.mean_pre?, s.mean_post?);
    if s.n == 0 {
        return None;
    }
    if m == 0.0 {
        return Some(format!(
            "Among {who} with scores before and after ({} people), stigma scores did not change on average ({pre:.2} before and after).",
            s.n
        ));
    }
    let level = (s.conf_level * 100.0).round();
    match s.ci_low.zip(s.ci_high) {
        Some((lo, hi)) if excludes_zero(lo, hi) => {
            let verdict = if (m < 0.0) == lower_is_better { "an improvement" } else { "a change for the worse" };
            Some(format!(
                "Among {who} with scores before and after ({} people), stigma scores {} by {:.2} points on average, from {pre:.2} to {post:.2}: {verdict} ({level}% confidence interval {lo:.2} to {hi:.2}).",
                s.n,
                moved(m),
                m.abs()
            ))
        }
        Some((lo, hi)) => Some(format!(
            "Among {who} with scores before and after ({} people), there was no clear change in stigma scores: {pre:.2} before and {post:.2} after, a change of {m:.2} points whose {level}% confidence interval ({lo:.2} to {hi:.2}) includes zero.",
            s.n
        )),
        None => Some(format!(
            "Among {who} with scores before and after ({} people), stigma scores moved from {pre:.2} to {post:.2} ({m:.2} points); with so few people it cannot be told whether this is more than chance.",
            s.n
        )),
    }
}

/// Report headline of a between-group difference (intervention − control) on change or post
/// scores; `what` is e.g. "change in stigma scores".
pub fn report_between_headline(s: &TwoGroupStats, what: &str, lower_is_better: bool) -> Option<String> {
    let d = s.mean_diff?;
    if d == 0.0 {
        return Some(format!(
            "On the {what}, program participants and the comparison group came out the same on average."
        ));
    }
    let better = (d < 0.0) == lower_is_better;
    match s.welch_ci_low.zip(s.welch_ci_high) {
        Some((lo, hi)) if excludes_zero(lo, hi) => Some(format!(
            "On the {what}, program participants came out {:.2} points {} than the comparison group: {} the program.",
            d.abs(),
            if d < 0.0 { "lower" } else { "higher" },
            if better { "a difference in favour of" } else { "a difference against" }
        )),
        _ => Some(format!(
            "On the {what}, there was no clear difference between program participants and the comparison group ({d:.2} points; the interval includes zero)."
        )),
    }
}

/// Headline of the baseline-adjusted difference between the groups (ANCOVA: intervention −
/// control among people with the same starting score). Direction words only when the interval
/// excludes zero.
pub fn report_adjusted_headline(b: f64, lo: f64, hi: f64, lower_is_better: bool) -> String {
    if !excludes_zero(lo, hi) {
        return format!(
            "Comparing people who started at the same score, there was no clear difference between program participants and the comparison group after the program ({b:.2} points; the interval includes zero)."
        );
    }
    let better = (b < 0.0) == lower_is_better;
    format!(
        "Comparing people who started at the same score, program participants ended {:.2} points {} than the comparison group: a difference {} the program.",
        b.abs(),
        if b < 0.0 { "lower" } else { "higher" },
        if better { "in favour of" } else { "against" }
    )
}

/// "How sure we are" for an estimate with its confidence interval.
pub fn report_certainty(what: &str, est: f64, lo: f64, hi: f64, level: f64, p: Option<f64>) -> String {
    let level = (level * 100.0).round();
    let head = format!(
        "How sure we are: the {what} is {est:.2} points ({level}% confidence interval {lo:.2} to {hi:.2}; {}).",
        p_phrase(p)
    );
    if lo > 0.0 || hi < 0.0 {
        format!("{head} The whole interval is on one side of zero, so a difference this size is unlikely to be chance alone.")
    } else {
        format!("{head} The interval includes zero, so the data are also consistent with no real difference.")
    }
}

/// One subgroup level for "For whom": label, mean change, people, and its p-value adjusted
/// for the number of subgroup comparisons (Holm), if known.
#[derive(Debug, Clone, PartialEq)]
pub struct LevelChange {
    pub label: String,
    pub change: f64,
    pub people: usize,
    pub holm_p: Option<f64>,
}

/// "For whom", led by the test of whether the change differs between subgroups at all
/// (`test`: its name and p, e.g. the arm × subgroup interaction). Only when that test is below
/// `alpha` are the subgroups said to differ; otherwise the best and the weakest level are named
/// as a description only, with their adjusted p-values. `None` for fewer than 2 levels.
pub fn report_for_whom_tested(
    test: Option<(&str, f64)>,
    levels: &[LevelChange],
    alpha: f64,
    lower_is_better: bool,
) -> Option<String> {
    let good = |d: f64| if lower_is_better { -d } else { d };
    let finite = || levels.iter().filter(|l| l.change.is_finite());
    let best = finite().max_by(|a, b| good(a.change).total_cmp(&good(b.change)))?;
    let worst = finite().min_by(|a, b| good(a.change).total_cmp(&good(b.change)))?;
    if levels.len() < 2 || best.label == worst.label {
        return None;
    }
    let part = |l: &LevelChange| {
        let adj = l.holm_p.map(|p| format!("; adjusted {}", p_phrase(Some(p)))).unwrap_or_default();
        format!(
            "“{}” (stigma scores {} by {:.2} points; {} people{adj})",
            l.label,
            moved(l.change),
            l.change.abs(),
            l.people
        )
    };
    let described = format!("the best result was for {} and the weakest for {}", part(best), part(worst));
    Some(match test {
        Some((name, p)) if p < alpha => format!(
            "For whom: the change differed between subgroups more than chance would explain ({name}, {}). {}.",
            p_phrase(Some(p)),
            capitalise(&described)
        ),
        Some((name, p)) => format!(
            "For whom: the data do not show that the change differs between subgroups ({name}, {}). As a description only, not as evidence: {described}. The p-values are adjusted because several subgroups were compared.",
            p_phrase(Some(p))
        ),
        None => format!(
            "For whom: whether the change differs between subgroups could not be tested. As a description only: {described}."
        ),
    })
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// Limitation: a single group, no comparison.
pub fn limitation_no_control_group() -> String {
    "There was no control group (no comparison group of people who did not take part), so we cannot tell how much of the change would have happened anyway: with time, because of other events, or simply from filling in the questionnaire twice.".into()
}

/// Limitation: self-report and social desirability.
pub fn limitation_self_report() -> String {
    "Stigma and help seeking were reported by the participants themselves. After a program about stigma, people may answer the way they feel they should (social-desirability bias), so the change in what people do may be smaller than the change in what they say.".into()
}

/// Limitation: people with no score after the program.
pub fn limitation_attrition(missing: usize, total: usize) -> String {
    let pct = if total > 0 { 100.0 * missing as f64 / total as f64 } else { 0.0 };
    format!(
        "{missing} of {total} people ({pct:.0}%) have no usable score after the program. If those who left differ from those who stayed (for example, if the least convinced dropped out), the results may look better than they really are."
    )
}

/// Limitation: subgroups with fewer than `min` complete pairs (`list` names them).
pub fn limitation_small_subgroups(list: &[String], min: usize) -> String {
    format!(
        "Some subgroups are small (fewer than {min} people with both scores: {}). Their numbers can swing widely by chance; read them as a rough description, not as evidence.",
        list.join("; ")
    )
}

/// Limitation: several subgroup comparisons.
pub fn limitation_multiple_comparisons(k: usize) -> String {
    format!(
        "The results are broken down into {k} subgroup results. The more comparisons are made, the more likely one looks “significant” by chance alone (about 1 in 20 when nothing is going on), so a single striking subgroup result should be confirmed before acting on it."
    )
}

/// Limitation: groups may not have been assigned at random.
pub fn limitation_group_assignment() -> String {
    "If people chose whether to join the program (rather than being assigned by lot), the two groups may have differed from the start. The adjusted comparison allows for different starting scores, but not for other differences between the groups.".into()
}

/// Limitation: few people with both scores (`n`: the smallest group's complete pairs).
pub fn limitation_small_study(n: usize, two_groups: bool) -> String {
    let who = if two_groups {
        format!("as few as {n} people with both scores in a group")
    } else {
        format!("{n} people with both scores")
    };
    format!(
        "This is a small study ({who}). Only large changes can be told apart from chance, and a real but modest effect could easily be missed (see the power of the study under “Planning the next evaluation”)."
    )
}

#[cfg(test)]
mod overclaim_tests {
    //! Direction words ("improved", "in favour of the program", "the better direction"...) appear
    //! only when the interval excludes zero; otherwise the reading says "no clear ..." — every
    //! reading, for intervals on both sides of zero and across it, both scale directions.
    use super::*;
    use crate::core::stats::ancova::ancova;
    use crate::core::stats::binary::help_between;
    use crate::core::stats::paired::paired;
    use crate::core::stats::two_group::two_group;

    const DIRECTION: &[&str] = &[
        "improved",
        "improvement",
        "in favour",
        "better direction",
        "worse direction",
        "got worse",
        "for the worse",
        "against the program",
        "points lower than",
        "points higher than",
    ];

    fn check(reading: &str, clear: bool) {
        let named = DIRECTION.iter().filter(|w| reading.contains(*w)).collect::<Vec<_>>();
        if clear {
            assert!(!named.is_empty(), "a clear result names its direction: {reading}");
        } else {
            assert!(named.is_empty(), "{named:?} claimed with an interval that includes zero: {reading}");
            assert!(reading.contains("no clear"), "{reading}");
        }
    }

    #[test]
    fn readings_name_a_direction_only_when_the_interval_excludes_zero() {
        // Changes (post − pre): clearly down, clearly up, across zero (both leanings).
        let changes: [(&[f64], bool); 4] = [
            (&[-1.0, -1.2, -0.8, -1.1, -0.9], true),
            (&[1.0, 1.2, 0.8, 1.1, 0.9], true),
            (&[-1.0, 1.0, -0.5, 0.3, -0.2], false),
            (&[1.0, -1.0, 0.5, -0.3, 0.2], false),
        ];
        for (diffs, clear) in changes {
            let pairs: Vec<(f64, f64)> =
                diffs.iter().enumerate().map(|(i, d)| (3.0 + i as f64 * 0.1, 3.0 + i as f64 * 0.1 + d)).collect();
            let s = paired(&pairs, 0.05);
            assert_eq!(excludes_zero(s.ci_low.unwrap(), s.ci_high.unwrap()), clear);
            for lower in [true, false] {
                check(&paired_reading(&s, lower), clear);
                check(&report_change_headline(&s, "participants", lower).unwrap(), clear);
            }
            // The same numbers as a between-group difference (intervention shifted by the diffs).
            let ctrl: Vec<f64> = (0..diffs.len()).map(|i| 3.0 + (i % 2) as f64 * 0.05).collect();
            let int: Vec<f64> = ctrl.iter().zip(diffs.iter()).map(|(c, d)| c + d).collect();
            let t = two_group(&int, &ctrl, 0.05);
            let t_clear = excludes_zero(t.welch_ci_low.unwrap(), t.welch_ci_high.unwrap());
            for lower in [true, false] {
                check(&two_group_reading(&t, "post scores", lower), t_clear);
                check(&report_between_headline(&t, "change in stigma scores", lower).unwrap(), t_clear);
            }
            let rows: Vec<(bool, f64, f64)> = int
                .iter()
                .enumerate()
                .map(|(i, y)| (true, 3.0 + i as f64 * 0.2, *y))
                .chain(ctrl.iter().enumerate().map(|(i, y)| (false, 3.1 + i as f64 * 0.2, *y)))
                .collect();
            let a = ancova(&rows, 0.05);
            let (b, lo, hi) = (a.coef_group.unwrap(), a.ci_low.unwrap(), a.ci_high.unwrap());
            for lower in [true, false] {
                check(&ancova_reading(&a, lower), excludes_zero(lo, hi));
                check(&report_adjusted_headline(b, lo, hi, lower), excludes_zero(lo, hi));
            }
        }
        // Help seeking: 30 of 40 vs 10 of 40 (clear), 21 of 40 vs 19 of 40 (not).
        let clear = help_between(30, 40, 10, 40, 0.05);
        assert!(!help_between_reading(&clear).contains("no clear"));
        assert!(help_between_reading(&help_between(21, 40, 19, 40, 0.05)).contains("no clear difference"));
    }

    #[test]
    fn for_whom_leads_with_the_subgroup_test() {
        let levels = vec![
            LevelChange { label: "18-24".into(), change: -0.9, people: 30, holm_p: Some(0.004) },
            LevelChange { label: "55+".into(), change: -0.1, people: 25, holm_p: Some(0.9) },
        ];
        let not = report_for_whom_tested(Some(("interaction test", 0.31)), &levels, 0.05, true).unwrap();
        assert!(not.contains("do not show that the change differs") && not.contains("description only"), "{not}");
        assert!(not.contains("adjusted p = 0.004"), "{not}");
        let yes = report_for_whom_tested(Some(("interaction test", 0.01)), &levels, 0.05, true).unwrap();
        assert!(yes.contains("differed between subgroups more than chance"), "{yes}");
        assert!(report_for_whom_tested(None, &levels, 0.05, true).unwrap().contains("could not be tested"));
        assert!(report_for_whom_tested(Some(("t", 0.5)), &levels[..1], 0.05, true).is_none());
    }
}

/// A wave's name as people say it.
fn wave_words(wave: crate::core::ingest::link::Wave) -> &'static str {
    match wave {
        crate::core::ingest::link::Wave::Pre => "before",
        crate::core::ingest::link::Wave::Post => "after",
        crate::core::ingest::link::Wave::Followup => "at follow-up",
    }
}

fn people(n: usize) -> String {
    if n == 1 {
        "1 person".into()
    } else {
        format!("{n} people")
    }
}

/// Plain reading of how the wave files were linked (`results.linkage`): one sentence per later
/// wave ("101 of 120 people who answered before were found after: 95 by the same code, 6 by a
/// code with one typing slip…"), then duplicates and the size of the linked table. Counts only.
pub fn linkage_reading(l: &crate::core::ingest::link::LinkageResults) -> Vec<String> {
    use crate::core::ingest::link::Wave;
    let mut out = Vec::new();
    let mut waves = vec![(Wave::Post, l.post, l.waves.post.clone())];
    if let (Some(c), Some(w)) = (l.followup, l.waves.followup.clone()) {
        waves.push((Wave::Followup, c, w));
    }
    let pre = &l.waves.pre;
    for (wave, c, w) in waves {
        let found = c.confirmed + c.exact + c.near;
        let mut how = vec![format!("{} by the same code", c.exact)];
        if c.near > 0 {
            how.push(format!("{} by a code with one typing slip", c.near));
        }
        if c.confirmed > 0 {
            how.push(format!("{} confirmed by you", c.confirmed));
        }
        let mut s = format!(
            "{found} of {} who answered before were found {}: {}.",
            people(pre.rows),
            wave_words(wave),
            how.join(", ")
        );
        if c.ambiguous_pre + c.ambiguous_later > 0 {
            s.push_str(&format!(
                " {} before and {} {} have a code close to more than one other code and were not linked (see the review; not counted below).",
                c.ambiguous_pre,
                c.ambiguous_later,
                wave_words(wave)
            ));
        }
        s.push_str(&format!(
            " {} before had no matching code {}; {} {} matched no one before.",
            people(c.unmatched_pre),
            wave_words(wave),
            people(c.unmatched_later),
            wave_words(wave)
        ));
        let lost = pre.rows.saturating_sub(found);
        if pre.rows > 0 {
            s.push_str(&format!(
                " {} of the people who answered before ({}) are counted as not followed up {}.",
                lost,
                share_of(lost, pre.rows),
                wave_words(wave)
            ));
        }
        if w.rows > w.with_code {
            s.push_str(&format!(" {} {} had no usable code.", rows(w.rows - w.with_code), wave_words(wave)));
        }
        out.push(s);
    }
    let dups: Vec<String> = [
        (Wave::Pre, Some(&l.waves.pre)),
        (Wave::Post, Some(&l.waves.post)),
        (Wave::Followup, l.waves.followup.as_ref()),
    ]
    .into_iter()
    .filter_map(|(wave, w)| {
        w.filter(|w| w.duplicate_rows > 0).map(|w| format!("{} {}", w.duplicate_rows, wave_words(wave)))
    })
    .collect();
    if !dups.is_empty() {
        out.push(format!(
            "Rows that share their code with another row of the same file are not linked: {}.",
            dups.join(", ")
        ));
    }
    if pre.rows > pre.with_code {
        out.push(format!("{} before had no usable code (fewer than 3 characters).", rows(pre.rows - pre.with_code)));
    }
    out.push(format!(
        "The linked table has {} (one row per person; people found in only one wave keep blank cells for the others).",
        people(l.participants)
    ));
    out
}

fn rows(n: usize) -> String {
    if n == 1 {
        "1 row".into()
    } else {
        format!("{n} rows")
    }
}

fn share_of(n: usize, of: usize) -> String {
    if of == 0 {
        return "–".into();
    }
    format!("{:.0} %", 100.0 * n as f64 / of as f64)
}
