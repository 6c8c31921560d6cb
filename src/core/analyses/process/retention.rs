//! Retention: who enrolled, who completed (has a post score) and who was reached at follow-up,
//! per arm and per subgroup; attrition with Wilson intervals; tests of differential attrition
//! between arms (Fisher's exact test) and between subgroups (Pearson's chi-square); and the
//! baseline (pre) scores of completers vs drop-outs (Welch's t via [`two_group`]).
//!
//! Definitions: *enrolled* = a row of the file in that arm (every row for single-group files);
//! *completed* = the row has a usable post score; *dropped* = enrolled − completed;
//! *attrition* = dropped / enrolled. Follow-up attrition uses the follow-up column the same way.

use super::common::{p_text, pct, pearson_k_by_2};
use super::{at, RowData};
use crate::core::stats::binary::help_between;
use crate::core::stats::two_group::two_group_t;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Attrition rates this far apart (0.10 = 10 percentage points) are flagged as differential.
pub const DIFFERENCE_FLAG: f64 = 0.10;
/// Groups need this many enrolled to take part in the percentage-point rule (the test still
/// uses every group): smaller groups swing by 10 points with one person.
pub const MIN_ENROLLED_FOR_DIFFERENCE: usize = 10;

/// Enrolment and retention of one group (an arm, or a subgroup level).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RetentionStats {
    pub enrolled: usize,
    /// Rows with a usable post score.
    pub completed: usize,
    /// enrolled − completed.
    pub dropped: usize,
    pub completion_rate: Option<f64>,
    /// dropped / enrolled, with its Wilson interval.
    pub attrition_rate: Option<f64>,
    pub attrition_ci_low: Option<f64>,
    pub attrition_ci_high: Option<f64>,
    /// Rows with a usable follow-up score (`None` without a follow-up column).
    pub followup_reached: Option<usize>,
    pub followup_rate: Option<f64>,
    pub followup_attrition_rate: Option<f64>,
    pub followup_attrition_ci_low: Option<f64>,
    pub followup_attrition_ci_high: Option<f64>,
}

/// A test of equal attrition across groups, with the flag and a plain warning.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttritionTest {
    /// Groups compared (those with anyone enrolled), in order.
    pub groups: Vec<String>,
    /// Attrition rate of each group, in the order of `groups`.
    pub attrition_rates: Vec<f64>,
    /// Highest − lowest attrition rate among groups with at least
    /// [`MIN_ENROLLED_FOR_DIFFERENCE`] enrolled (0.12 = 12 percentage points).
    pub largest_difference: Option<f64>,
    pub highest: Option<String>,
    pub lowest: Option<String>,
    /// Two groups only: first − second (intervention − control) with Newcombe's hybrid score interval.
    pub difference: Option<f64>,
    pub difference_ci_low: Option<f64>,
    pub difference_ci_high: Option<f64>,
    /// Two groups only: Fisher's exact test (R `fisher.test`).
    pub fisher_p: Option<f64>,
    /// Pearson's chi-square without continuity correction (R `chisq.test(correct = FALSE)`).
    pub chisq: Option<f64>,
    pub chisq_df: Option<f64>,
    pub chisq_p: Option<f64>,
    pub chisq_min_expected: Option<f64>,
    /// The test behind `p`: `fisher_exact` (two groups) or `chi_square` (more).
    pub test: String,
    pub p: Option<f64>,
    /// True when the rule ([`rule_text`]) flags the difference.
    pub differential: bool,
    /// The alarm, when the test of equal drop-out gives p < alpha.
    pub warning: Option<String>,
    /// A note instead of an alarm, when the rates are [`DIFFERENCE_FLAG`] apart but the test
    /// does not show the difference to be more than chance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Pre scores of completers vs drop-outs (differences are completers − drop-outs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BaselineComparison {
    pub n_completers: usize,
    pub n_dropouts: usize,
    pub mean_completers: Option<f64>,
    pub mean_dropouts: Option<f64>,
    pub sd_completers: Option<f64>,
    pub sd_dropouts: Option<f64>,
    pub mean_diff: Option<f64>,
    /// Welch's t-test (R `t.test(pre_completers, pre_dropouts)`).
    pub welch_t: Option<f64>,
    pub welch_df: Option<f64>,
    pub welch_p: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub hedges_g: Option<f64>,
    pub conf_level: f64,
    /// True when `welch_p` < alpha.
    pub differs: bool,
}

/// `results.process.retention`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RetentionResult {
    /// `all` for single-group files; `intervention`, `control` and `all` (both arms) otherwise.
    pub arms: BTreeMap<String, RetentionStats>,
    /// Per subgroup level, all arms together (rows with a blank subgroup are left out).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub subgroups: BTreeMap<String, RetentionStats>,
    pub between_arms: Option<AttritionTest>,
    pub between_arms_followup: Option<AttritionTest>,
    pub between_subgroups: Option<AttritionTest>,
    /// Completers vs drop-outs on pre scores, per arm (and `all` for two arms).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub baseline: BTreeMap<String, BaselineComparison>,
    /// The rule that flags differential drop-out, in words.
    pub rule: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    pub conf_level: f64,
}

/// The differential-attrition rule, in words.
pub fn rule_text(alpha: f64) -> String {
    format!(
        "Drop-out is flagged as differential when attrition rates differ by {} percentage points or more between groups with at least {} people enrolled, or when the test of equal attrition (Fisher's exact test for two groups, Pearson's chi-square for more) gives p < {}.",
        (DIFFERENCE_FLAG * 100.0).round(),
        MIN_ENROLLED_FOR_DIFFERENCE,
        alpha
    )
}

/// Retention of the given rows.
pub fn retention_stats(rows: &[usize], post: &[f64], followup: Option<&[f64]>, alpha: f64) -> RetentionStats {
    let enrolled = rows.len();
    let completed = rows.iter().filter(|&&i| at(post, i).is_some()).count();
    let dropped = enrolled - completed;
    let rate = |x: usize| (enrolled > 0).then(|| x as f64 / enrolled as f64);
    let att = super::common::Share::new(dropped, enrolled, alpha);
    let fu = followup.map(|f| rows.iter().filter(|&&i| at(f, i).is_some()).count());
    let fu_att = fu.map(|r| super::common::Share::new(enrolled - r, enrolled, alpha));
    RetentionStats {
        enrolled,
        completed,
        dropped,
        completion_rate: rate(completed),
        attrition_rate: att.share,
        attrition_ci_low: att.ci_low,
        attrition_ci_high: att.ci_high,
        followup_reached: fu,
        followup_rate: fu.and_then(rate),
        followup_attrition_rate: fu_att.as_ref().and_then(|s| s.share),
        followup_attrition_ci_low: fu_att.as_ref().and_then(|s| s.ci_low),
        followup_attrition_ci_high: fu_att.as_ref().and_then(|s| s.ci_high),
    }
}

/// Tests equal attrition across `groups` = (name, dropped, enrolled). `between` names the
/// comparison in the warning ("between the arms"). `None` with fewer than two non-empty groups.
pub fn attrition_test(groups: &[(String, usize, usize)], between: &str, alpha: f64) -> Option<AttritionTest> {
    attrition_test_for(groups, between, "post scores", alpha)
}

/// [`attrition_test`] for an outcome named in the warning ("follow-up scores").
pub fn attrition_test_for(
    groups: &[(String, usize, usize)],
    between: &str,
    outcome: &str,
    alpha: f64,
) -> Option<AttritionTest> {
    let groups: Vec<&(String, usize, usize)> = groups.iter().filter(|g| g.2 > 0 && g.1 <= g.2).collect();
    if groups.len() < 2 {
        return None;
    }
    let rates: Vec<f64> = groups.iter().map(|g| g.1 as f64 / g.2 as f64).collect();
    let big: Vec<(usize, f64)> = groups
        .iter()
        .zip(&rates)
        .enumerate()
        .filter(|(_, (g, _))| g.2 >= MIN_ENROLLED_FOR_DIFFERENCE)
        .map(|(i, (_, r))| (i, *r))
        .collect();
    let (mut largest, mut hi, mut lo) = (None, None, None);
    if big.len() >= 2 {
        let max = big.iter().copied().fold((0, f64::NEG_INFINITY), |a, b| if b.1 > a.1 { b } else { a });
        let min = big.iter().copied().fold((0, f64::INFINITY), |a, b| if b.1 < a.1 { b } else { a });
        largest = Some(max.1 - min.1);
        hi = Some(groups[max.0].0.clone());
        lo = Some(groups[min.0].0.clone());
    }
    let chi = pearson_k_by_2(&groups.iter().map(|g| (g.1, g.2 - g.1)).collect::<Vec<_>>());
    let (mut difference, mut ci, mut fisher_p) = (None, (None, None), None);
    if let [a, b] = groups.as_slice() {
        let h = help_between(a.1, a.2, b.1, b.2, alpha);
        difference = h.rd;
        ci = (h.rd_ci_low, h.rd_ci_high);
        fisher_p = h.fisher_p;
    }
    let two = groups.len() == 2;
    let p = if two { fisher_p } else { chi.as_ref().and_then(|c| c.p) };
    let by_points = largest.is_some_and(|d| d >= DIFFERENCE_FLAG - 1e-9);
    let by_test = p.is_some_and(|p| p < alpha);
    let differential = by_points || by_test;
    // The levels quoted are the ones the numbers come from: with two groups both; with more,
    // the highest and lowest of the groups large enough to compare (those the difference is
    // taken over), else of all groups.
    let (ihi, ilo) = match (&hi, &lo) {
        (Some(h), Some(l)) => {
            (groups.iter().position(|g| &g.0 == h).unwrap_or(0), groups.iter().position(|g| &g.0 == l).unwrap_or(0))
        }
        _ => (argmax(&rates), argmin(&rates)),
    };
    let detail = if two {
        format!("{} of {} and {} of {} dropped out", pct(rates[0]), groups[0].0, pct(rates[1]), groups[1].0)
    } else {
        format!(
            "drop-out ranges from {} ({}) to {} ({})",
            pct(rates[ilo]),
            groups[ilo].0,
            pct(rates[ihi]),
            groups[ihi].0
        )
    };
    let points =
        largest.filter(|_| by_points).map(|d| format!("a difference of {} percentage points", (d * 100.0).round()));
    let test_text = p.map(|p| format!("{} {}", if two { "Fisher's exact test" } else { "chi-square test" }, p_text(p)));
    let warning = by_test.then(|| {
        let why: Vec<String> = points.iter().chain(test_text.iter()).cloned().collect();
        format!(
            "Drop-out differs {between}: {detail} ({}). When different kinds of people leave different groups, comparisons of {outcome} can be biased: compare the baseline scores of those who left and those who stayed, and read completer-only results with care.",
            why.join("; ")
        )
    });
    let note = (by_points && !by_test).then(|| {
        format!(
            "Drop-out rates differ {between}: {detail} ({}), but the test of equal drop-out does not show this to be more than chance{}. Keep an eye on it: if different kinds of people left different groups, comparisons of {outcome} could be biased.",
            points.clone().unwrap_or_default(),
            test_text.as_ref().map(|t| format!(" ({t})")).unwrap_or_default()
        )
    });
    Some(AttritionTest {
        groups: groups.iter().map(|g| g.0.clone()).collect(),
        attrition_rates: rates,
        largest_difference: largest,
        highest: hi,
        lowest: lo,
        difference,
        difference_ci_low: ci.0,
        difference_ci_high: ci.1,
        fisher_p,
        chisq: chi.as_ref().map(|c| c.statistic),
        chisq_df: chi.as_ref().map(|c| c.df),
        chisq_p: chi.as_ref().and_then(|c| c.p),
        chisq_min_expected: chi.as_ref().map(|c| c.min_expected),
        test: if two { "fisher_exact".into() } else { "chi_square".into() },
        p,
        differential,
        warning,
        note,
    })
}

fn argmax(v: &[f64]) -> usize {
    v.iter().enumerate().fold(0, |best, (i, x)| if *x > v[best] { i } else { best })
}

fn argmin(v: &[f64]) -> usize {
    v.iter().enumerate().fold(0, |best, (i, x)| if *x < v[best] { i } else { best })
}

/// Pre scores of completers vs drop-outs among `rows`; `None` when a side has nobody with a pre score.
pub fn baseline_comparison(rows: &[usize], pre: &[f64], post: &[f64], alpha: f64) -> Option<BaselineComparison> {
    // One pass, in row order.
    let (mut completers, mut dropouts) = (Vec::with_capacity(rows.len()), Vec::new());
    for &i in rows {
        if let Some(p) = at(pre, i) {
            if at(post, i).is_some() {
                completers.push(p);
            } else {
                dropouts.push(p);
            }
        }
    }
    if completers.is_empty() || dropouts.is_empty() {
        return None;
    }
    // Only the t-test and effect-size fields are used: no rank-sum test.
    let t = two_group_t(&completers, &dropouts, alpha);
    Some(BaselineComparison {
        n_completers: t.n_int,
        n_dropouts: t.n_ctrl,
        mean_completers: t.mean_int,
        mean_dropouts: t.mean_ctrl,
        sd_completers: t.sd_int,
        sd_dropouts: t.sd_ctrl,
        mean_diff: t.mean_diff,
        welch_t: t.welch_t,
        welch_df: t.welch_df,
        welch_p: t.welch_p,
        ci_low: t.welch_ci_low,
        ci_high: t.welch_ci_high,
        hedges_g: t.hedges_g,
        conf_level: t.conf_level,
        differs: t.welch_p.is_some_and(|p| p < alpha),
    })
}

/// The retention section; `None` without a post column.
pub fn retention(data: &RowData) -> Option<RetentionResult> {
    let post = data.post?;
    let alpha = data.alpha;
    let arms = data.arms;
    let two_arms = arms.names.len() == 2;
    let mut out = RetentionResult {
        arms: BTreeMap::new(),
        subgroups: BTreeMap::new(),
        between_arms: None,
        between_arms_followup: None,
        between_subgroups: None,
        baseline: BTreeMap::new(),
        rule: rule_text(alpha),
        warnings: Vec::new(),
        notes: Vec::new(),
        conf_level: 1.0 - alpha,
    };
    let per_arm: Vec<(String, &[usize])> =
        arms.names.iter().map(|n| n.to_string()).zip(arms.rows().iter().map(Vec::as_slice)).collect();
    let mut all: Vec<usize> = Vec::with_capacity(per_arm.iter().map(|(_, r)| r.len()).sum());
    all.extend((0..arms.of_row.len()).filter(|&i| arms.of_row[i].is_some()));
    for (name, rows) in &per_arm {
        out.arms.insert(name.clone(), retention_stats(rows, post, data.followup, alpha));
    }
    if two_arms {
        out.arms.insert("all".into(), retention_stats(&all, post, data.followup, alpha));
        let groups: Vec<(String, usize, usize)> =
            per_arm.iter().filter_map(|(n, _)| out.arms.get(n).map(|s| (n.clone(), s.dropped, s.enrolled))).collect();
        out.between_arms = attrition_test(&groups, "between the arms", alpha);
        if data.followup.is_some() {
            let fu: Vec<(String, usize, usize)> = per_arm
                .iter()
                .filter_map(|(n, _)| {
                    out.arms.get(n).map(|s| (n.clone(), s.enrolled - s.followup_reached.unwrap_or(0), s.enrolled))
                })
                .collect();
            out.between_arms_followup =
                attrition_test_for(&fu, "between the arms at follow-up", "follow-up scores", alpha);
        }
    }
    if let Some(sub) = data.subgroup {
        let mut levels: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for &i in &all {
            if let Some(level) = sub.get(i).and_then(|l| l.as_deref()) {
                levels.entry(level).or_default().push(i);
            }
        }
        for (level, rows) in &levels {
            out.subgroups.insert(level.to_string(), retention_stats(rows, post, data.followup, alpha));
        }
        let groups: Vec<(String, usize, usize)> =
            out.subgroups.iter().map(|(l, s)| (l.clone(), s.dropped, s.enrolled)).collect();
        let name = data.subgroup_name.unwrap_or("subgroup");
        out.between_subgroups = attrition_test(&groups, &format!("between the levels of “{name}”"), alpha);
        if levels.len() == 1 {
            out.notes.push(format!(
                "“{name}” has a single level in the enrolled rows, so drop-out cannot be compared between subgroups."
            ));
        }
        if out.between_subgroups.as_ref().and_then(|t| t.chisq_min_expected).is_some_and(|m| m < 5.0) {
            out.notes.push("Some expected counts in the subgroup comparison are below 5, so its chi-square p-value is only approximate.".into());
        }
    }
    for t in [&out.between_arms, &out.between_arms_followup, &out.between_subgroups].into_iter().flatten() {
        if let Some(w) = &t.warning {
            out.warnings.push(w.clone());
        }
        if let Some(n) = &t.note {
            out.notes.push(n.clone());
        }
    }

    // Baseline: completers vs drop-outs on pre scores.
    let total = out.arms.get("all").cloned();
    if let Some(t) = &total {
        if t.enrolled == 0 {
            out.notes.push("No rows are in an arm, so retention cannot be described.".into());
        } else if t.dropped == 0 {
            out.notes.push(
                "Everyone enrolled has a post score: nobody dropped out, so there is no drop-out to compare.".into(),
            );
        } else if t.completed == 0 {
            out.notes.push(
                "Nobody enrolled has a post score yet: attrition is 100% and there are no completers to compare."
                    .into(),
            );
        }
    }
    if let Some(pre) = data.pre {
        let mut sets: Vec<(&str, &[usize])> = per_arm.iter().map(|(n, r)| (n.as_str(), *r)).collect();
        if two_arms {
            sets.push(("all", &all));
        }
        for &(name, rows) in &sets {
            if let Some(b) = baseline_comparison(rows, pre, post, alpha) {
                if b.differs && name != "all" {
                    let diff = b.mean_diff.unwrap_or(0.0);
                    out.warnings.push(format!(
                        "{}People who dropped out started with {} pre scores than those who stayed (mean difference completers − drop-outs {}, Welch {}): the completers are not a random subset, so post scores describe a selected group.",
                        if two_arms { format!("In the {name} arm, ") } else { String::new() },
                        if diff > 0.0 { "lower" } else { "higher" },
                        super::common::num(diff, 2),
                        p_text(b.welch_p.unwrap_or(1.0))
                    ));
                }
                out.baseline.insert(name.to_string(), b);
            }
        }
    } else {
        out.notes.push("Choose a pre column to compare the baseline scores of completers and drop-outs.".into());
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::analyses::Arms;

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() <= 1e-9 + 1e-7 * b.abs())
    }

    #[test]
    fn attrition_counts_and_wilson_by_hand() {
        // 10 enrolled, 2 without post: attrition 2/10 = 0.2 with the Wilson interval of R
        // prop.test(2, 10, correct = FALSE)$conf.int = 0.056682151454375274, 0.509837528463358169.
        let n = f64::NAN;
        let post = vec![1.0, 2.0, n, 3.0, 4.0, 5.0, n, 6.0, 7.0, 8.0];
        let fu = vec![1.0, n, n, 3.0, n, 5.0, n, 6.0, 7.0, 8.0];
        let rows: Vec<usize> = (0..10).collect();
        let s = retention_stats(&rows, &post, Some(&fu), 0.05);
        assert_eq!((s.enrolled, s.completed, s.dropped, s.followup_reached), (10, 8, 2, Some(6)));
        assert_eq!(s.attrition_rate, Some(0.2));
        assert_eq!(s.completion_rate, Some(0.8));
        assert!(close(s.attrition_ci_low, 0.056682151454375274), "{:?}", s.attrition_ci_low);
        assert!(close(s.attrition_ci_high, 0.509837528463358169), "{:?}", s.attrition_ci_high);
        assert_eq!(s.followup_attrition_rate, Some(0.4));
        let e = retention_stats(&[], &post, None, 0.05);
        assert_eq!((e.attrition_rate, e.attrition_ci_low, e.followup_reached), (None, None, None));
    }

    #[test]
    fn differential_attrition_between_two_arms_matches_r() {
        // 12 of 40 vs 4 of 40 dropped out. R 4.2.2: fisher.test(matrix(c(12,28,4,36), 2, byrow = TRUE))$p.value
        //   = 0.048166683523190132; chisq.test(..., correct = FALSE): X-squared = 5, p = 0.025347318677468304
        let t = attrition_test(&[("intervention".into(), 12, 40), ("control".into(), 4, 40)], "between the arms", 0.05)
            .unwrap();
        assert!(close(t.difference, 0.2));
        assert!(close(t.largest_difference, 0.2));
        assert!(close(t.fisher_p, 0.048166683523190132), "{:?}", t.fisher_p);
        assert!(close(t.chisq, 5.0), "{:?}", t.chisq);
        assert!(close(t.chisq_p, 0.025347318677468304), "{:?}", t.chisq_p);
        assert_eq!(t.test, "fisher_exact");
        assert!(t.differential);
        let w = t.warning.unwrap();
        assert!(w.contains("30% of intervention") && w.contains("20 percentage points"), "{w}");
        // Same rates in small groups: neither the rule nor the test flags it.
        let s = attrition_test(&[("a".into(), 1, 5), ("b".into(), 1, 5)], "between the arms", 0.05).unwrap();
        assert_eq!(s.largest_difference, None);
        assert!(!s.differential && s.warning.is_none());
        assert_eq!(s.fisher_p, Some(1.0));
    }

    #[test]
    fn ten_points_without_significance_is_still_flagged() {
        // 30% vs 20% in groups of 10: p is large, but the 10-point rule applies.
        let t = attrition_test(&[("a".into(), 3, 10), ("b".into(), 2, 10)], "between the arms", 0.05).unwrap();
        assert!(t.p.unwrap() > 0.5);
        assert!(t.differential);
        // ... as a note, not an alarm: the test does not show it.
        assert!(t.warning.is_none());
        let n = t.note.unwrap();
        assert!(
            n.contains("30% of a and 20% of b") && n.contains("10 percentage points") && n.contains("not show"),
            "{n}"
        );
        // 9 points: not flagged.
        let u = attrition_test(&[("a".into(), 29, 100), ("b".into(), 20, 100)], "between the arms", 0.05).unwrap();
        assert!(!u.differential, "{u:?}");
    }

    #[test]
    fn degenerate_groups_give_none_not_nan() {
        // Nobody dropped out: Fisher p = 1, chi-square undefined, no warning.
        let t = attrition_test(&[("a".into(), 0, 12), ("b".into(), 0, 15)], "between the arms", 0.05).unwrap();
        assert_eq!((t.fisher_p, t.chisq, t.largest_difference), (Some(1.0), None, Some(0.0)));
        assert!(!t.differential);
        // Everyone dropped out.
        let e = attrition_test(&[("a".into(), 12, 12), ("b".into(), 15, 15)], "between the arms", 0.05).unwrap();
        assert_eq!((e.fisher_p, e.chisq, e.differential), (Some(1.0), None, false));
        // One group only.
        assert!(attrition_test(&[("a".into(), 2, 12), ("b".into(), 0, 0)], "x", 0.05).is_none());
        let json = serde_json::to_string(&e).unwrap();
        assert!(!json.contains("NaN"));
    }

    #[test]
    fn subgroups_use_chi_square() {
        // R: chisq.test(matrix(c(5,15, 12,8, 9,11), ncol = 2, byrow = TRUE), correct = FALSE)$p.value = 0.081161667597850845
        let g = [("18-24".to_string(), 5, 20), ("25-34".to_string(), 12, 20), ("35+".to_string(), 9, 20)];
        let t = attrition_test(&g, "between the levels of “age”", 0.05).unwrap();
        assert_eq!(t.test, "chi_square");
        assert!(close(t.p, 0.081161667597850845));
        assert!(close(t.largest_difference, 0.35));
        assert_eq!((t.highest.as_deref(), t.lowest.as_deref()), (Some("25-34"), Some("18-24")));
        // 35 points apart, but p = 0.08: a note (not an alarm) quoting the same two levels.
        assert!(t.differential && t.warning.is_none());
        assert!(t.note.as_ref().unwrap().contains("from 25% (18-24) to 60% (25-34)"));
        assert_eq!(t.difference, None);
    }

    #[test]
    fn baseline_comparison_uses_welch() {
        // Completers' pre: 3.1, 4.2, 5.0, 2.2, 3.9; drop-outs' pre: 5.5, 4.8, 6.1, 5.9 (the Welch case of
        // two_group's tests: R t.test gives t = -3.3942718212741076, df = 6.303068721727458, p = 0.013532675448363566).
        let pre = vec![3.1, 4.2, 5.0, 2.2, 3.9, 5.5, 4.8, 6.1, 5.9];
        let n = f64::NAN;
        let post = vec![1.0, 1.0, 1.0, 1.0, 1.0, n, n, n, n];
        let rows: Vec<usize> = (0..9).collect();
        let b = baseline_comparison(&rows, &pre, &post, 0.05).unwrap();
        assert_eq!((b.n_completers, b.n_dropouts), (5, 4));
        assert!(close(b.welch_t, -3.3942718212741076) && close(b.welch_p, 0.013532675448363566));
        assert!(b.differs);
        // Nobody dropped out: nothing to compare.
        assert!(baseline_comparison(&rows[..5], &pre, &post, 0.05).is_none());
    }

    #[test]
    fn full_section_for_two_arms_and_subgroups() {
        let n = f64::NAN;
        let arms = Arms::new(
            vec!["intervention", "control"],
            vec![Some(0), Some(0), Some(0), Some(1), Some(1), Some(1), None],
        );
        let post = vec![1.0, n, n, 1.0, 1.0, 2.0, 3.0];
        let pre = vec![1.0, 2.0, 3.0, 1.0, 2.0, 3.0, 4.0];
        let sub = vec![
            Some("a".to_string()),
            Some("a".into()),
            None,
            Some("b".into()),
            Some("b".into()),
            Some("a".into()),
            Some("b".into()),
        ];
        let data = RowData {
            arms: &arms,
            subgroup: Some(&sub),
            subgroup_name: Some("grp"),
            pre: Some(&pre),
            post: Some(&post),
            followup: None,
            alpha: 0.05,
        };
        let r = retention(&data).unwrap();
        assert_eq!(r.arms["intervention"].dropped, 2);
        assert_eq!(r.arms["control"].dropped, 0);
        assert_eq!(r.arms["all"].enrolled, 6, "the row in no arm is not enrolled");
        assert_eq!(r.subgroups["a"].enrolled, 3);
        assert_eq!(r.subgroups["b"].enrolled, 2);
        assert!(r.between_arms.is_some() && r.between_arms_followup.is_none());
        assert!(r.baseline.contains_key("intervention") && !r.baseline.contains_key("control"));
        assert!(r.rule.contains("10 percentage points"));
        let json = serde_json::to_string(&r).unwrap();
        assert!(!json.contains("NaN"));
        let back: RetentionResult = serde_json::from_str(&json).unwrap();
        assert_eq!(back, r);
    }

    #[test]
    fn the_message_quotes_the_levels_its_difference_comes_from() {
        // Four age bands; the smallest band (5 enrolled) is below the size compared by points,
        // so the highest and lowest quoted are those of the bands the difference is taken over.
        let groups = [("18-24".into(), 12, 40), ("25-34".into(), 1, 5), ("35-54".into(), 5, 40), ("55+".into(), 9, 40)];
        let t = attrition_test(&groups, "between the age bands", 0.05).unwrap();
        assert!(close(t.largest_difference, 7.0 / 40.0), "{:?}", t.largest_difference);
        let text = t.warning.or(t.note).unwrap();
        assert!(text.contains("from 12% (35-54) to 30% (18-24)") && text.contains("18 percentage points"), "{text}");
    }
}
