//! Words, tables and the chart for the drop-out sensitivity (`results.tipping_point`, and
//! `results.tipping_point_followup` with the follow-up score as the outcome), the mixed
//! model next to the complete-case results (`results.mixed`), and the subgroup tests
//! (`results.subgroup_tests`, `results.multiplicity`). Direction words only when an interval
//! excludes zero ([`excludes_zero`]).

use crate::core::analyses::tipping::{Outcome, TippingPoint};
use crate::core::analyses::waves::{MixedResults, SubgroupTest};
use crate::core::present::chart::{series_chart, LineSpec, XyChart};
use crate::core::present::explain::{excludes_zero, num, p_phrase};
use crate::core::results::Results;

fn pts(v: f64) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    format!("{s} point{}", if (v - 1.0).abs() < 1e-12 { "" } else { "s" })
}

fn level_pct(alpha: f64) -> String {
    format!("{:.0}%", (1.0 - alpha) * 100.0)
}

/// Two arms (an ANCOVA estimand) or one group.
fn is_two_arm(t: &TippingPoint) -> bool {
    t.estimand.starts_with("ancova")
}

/// The words that differ between the post and the follow-up analysis.
struct Wave {
    /// "have no {missing}": "score after the program" / "follow-up score".
    missing: &'static str,
    /// " at follow-up" or "".
    at: &'static str,
    /// " before the follow-up" or "".
    before: &'static str,
}

fn wave(t: &TippingPoint) -> Wave {
    match Outcome::of_estimand(&t.estimand) {
        Outcome::Post => Wave { missing: "score after the program", at: "", before: "" },
        Outcome::Followup => Wave { missing: "follow-up score", at: " at follow-up", before: " before the follow-up" },
    }
}

/// Plain reading of the tipping-point table: what the imputed analysis says at δ = 0, and the δ
/// at which the program's advantage is no longer clear — or why there is none. The follow-up
/// analysis (`*_followup`) says so in every sentence.
pub fn tipping_reading(t: &TippingPoint) -> Vec<String> {
    let alpha = 1.0 - t.conf_level;
    let mut out = Vec::new();
    let imputed: usize = t.imputed.values().sum();
    let two_arm = is_two_arm(t);
    let w = wave(t);
    let who = if two_arm { "the program group" } else { "the program" };
    if imputed > 0 {
        // Per arm in the page's words, the program group first (one group: no split).
        let per_arm: Vec<String> = ["intervention", "control"]
            .iter()
            .filter_map(|a| {
                let k = t.imputed.get(*a)?;
                Some(format!("{k} in the {}", crate::core::present::explain::arm_title(a).to_lowercase()))
            })
            .collect();
        let split = if two_arm && !per_arm.is_empty() { format!(" ({})", per_arm.join(", ")) } else { String::new() };
        out.push(format!(
            "{imputed} of {} people have no {}{split}. Their scores were filled in {} times from people in the same group who started at a similar score (multiple imputation), and the results combined.",
            t.n, w.missing, t.imputations
        ));
    }
    if let Some(row) = t.rows.first() {
        if let (Some(e), Some(lo), Some(hi)) = (row.estimate, row.ci_low, row.ci_high) {
            let what = match (two_arm, w.at.is_empty()) {
                (true, true) => {
                    "the difference between the groups after the program, for people with the same starting score"
                }
                (true, false) => {
                    "the difference between the groups at follow-up, for people with the same starting score"
                }
                (false, true) => "the mean change",
                (false, false) => "the mean change from before to follow-up",
            };
            let clear = if excludes_zero(lo, hi) { "which excludes zero" } else { "which includes zero" };
            out.push(format!(
                "With everyone included this way, {what} is {} ({} interval {} to {}, {clear}; {}).",
                num(Some(e), 2),
                level_pct(alpha),
                num(Some(lo), 2),
                num(Some(hi), 2),
                p_phrase(row.p)
            ));
        }
    }
    match (t.tipping_delta, t.last_clear_delta) {
        (Some(tip), Some(last)) => out.push(format!(
            "The conclusion{} holds unless the people who dropped out of {who}{} did about {} worse (or more) than similar people who stayed: up to {} worse the interval still excludes zero; at {} worse it no longer does.",
            w.at,
            w.before,
            pts(tip),
            pts(last),
            pts(tip)
        )),
        (Some(tip), None) => out.push(format!(
            "The program's advantage{} is no longer clear once the people who dropped out of {who}{} did {} worse.",
            w.at,
            w.before,
            pts(tip)
        )),
        (None, _) => out.extend(t.reason.clone()),
    }
    out
}

/// For the report: a completer-only statement's drop-out context and the tipping point (of the
/// post score, or with a `*_followup` estimand of the follow-up score). `None` when nobody is
/// missing that score.
pub fn report_dropout_context(t: &TippingPoint) -> Option<String> {
    let imputed: usize = t.imputed.values().sum();
    if imputed == 0 {
        return None;
    }
    let complete: usize = t.observed.values().sum();
    let who = if is_two_arm(t) { "the program group" } else { "the program" };
    let w = wave(t);
    let head = if w.at.is_empty() {
        format!(
            "These results use the {complete} people with scores before and after; {imputed} more have no score after the program."
        )
    } else {
        format!(
            "The follow-up results use the {complete} people with scores before and at follow-up; {imputed} more have no follow-up score."
        )
    };
    Some(match (t.tipping_delta, t.last_clear_delta) {
        (Some(tip), Some(_)) if w.at.is_empty() => format!(
            "{head} Filling in their scores from similar people who stayed ({} imputations), the conclusion holds unless the people who dropped out of {who} did about {} worse (or more) than similar people who stayed.",
            t.imputations,
            pts(tip)
        ),
        // (The report states no conclusion at follow-up by itself: say which one holds.)
        (Some(tip), Some(_)) => format!(
            "{head} Filling in their scores from similar people who stayed ({} imputations), the {} at follow-up is clear (its interval excludes zero), and it stays clear unless the people who dropped out of {who} before the follow-up did about {} worse (or more) than similar people who stayed.",
            t.imputations,
            if is_two_arm(t) { "program's advantage" } else { "improvement" },
            pts(tip)
        ),
        _ => match &t.reason {
            Some(r) => format!("{head} Drop-out check: {r}"),
            None => head,
        },
    })
}

/// The table: δ, estimate, interval, p, still clear.
pub fn tipping_rows(t: &TippingPoint) -> Vec<[String; 5]> {
    t.rows
        .iter()
        .map(|r| {
            let ci = match (r.ci_low, r.ci_high) {
                (Some(_), Some(_)) => format!("{} to {}", num(r.ci_low, 2), num(r.ci_high, 2)),
                _ => "not computable".into(),
            };
            let p = r.p.map(|p| if p < 0.001 { "< 0.001".to_string() } else { format!("{p:.3}") });
            [
                num(Some(r.delta), 2),
                num(r.estimate, 2),
                ci,
                p.unwrap_or_else(|| "not computable".into()),
                if r.clear { "yes".into() } else { "no".into() },
            ]
        })
        .collect()
}

/// Estimate and interval against δ, with the tipping δ marked.
pub fn tipping_chart(t: &TippingPoint) -> Option<XyChart> {
    let alpha = 1.0 - t.conf_level;
    if t.rows.len() < 2 {
        return None;
    }
    let line = |f: &dyn Fn(&crate::core::analyses::tipping::TippingRow) -> Option<f64>| -> Vec<(f64, f64)> {
        t.rows.iter().filter_map(|r| Some((r.delta, f(r)?))).collect()
    };
    let lines = [
        LineSpec { label: "Estimate".into(), dashed: false, bold: true, data: line(&|r| r.estimate) },
        LineSpec {
            label: format!("{} interval", level_pct(alpha)),
            dashed: true,
            bold: false,
            data: line(&|r| r.ci_low),
        },
        LineSpec { label: String::new(), dashed: true, bold: false, data: line(&|r| r.ci_high) },
    ];
    let tip_label = t.tipping_delta.map(|d| format!("tipping point δ = {}", num(Some(d), 2)));
    let two_arm = is_two_arm(t);
    let fu = !wave(t).at.is_empty();
    let mut chart = series_chart(
        &lines,
        &[],
        None,
        &[],
        t.tipping_delta.zip(tip_label.as_deref()),
        "δ: how much worse the program's drop-outs did (scale points)",
        match (two_arm, fu) {
            (true, false) => "Program − comparison, after",
            (true, true) => "Program − comparison, follow-up",
            (false, false) => "Mean change",
            (false, true) => "Mean change to follow-up",
        },
        format!(
            "The estimate and its interval as the missing {}scores of the program's drop-outs are made worse by δ, from 0 to {}.{}",
            if fu { "follow-up " } else { "" },
            num(t.rows.last().map(|r| r.delta), 2),
            t.tipping_delta.map(|d| format!(" The interval reaches zero at δ = {}.", num(Some(d), 2))).unwrap_or_default()
        ),
    )?;
    // Both limits of the interval in one style; the legend names it once (the upper line has
    // no label).
    if let [_, low, high] = chart.series.as_mut_slice() {
        high.style = low.style.clone();
    }
    Some(chart)
}

/// The people with both scores: the complete-case analyses' n (ANCOVA for two arms, the paired
/// change for one group).
fn complete_case_n(r: &Results) -> Option<usize> {
    r.ancova.as_ref().map(|a| a.n).or_else(|| r.paired.get("all").map(|p| p.n))
}

/// The mixed model next to the complete-case results: how many people each uses, and the two
/// estimates of the same thing (two arms: the extra change in the program group, post:arm, vs
/// the difference in change of the complete cases; one group: post vs the paired mean change).
pub fn mixed_reading(m: &MixedResults, r: &Results, alpha: f64) -> Vec<String> {
    let mut out = Vec::new();
    if m.sd_residual.is_none() {
        // Not fitted: the card's notes say why; no comparison of people or estimates.
        return out;
    }
    let (term, cc) = if m.terms.contains_key("post:arm") {
        ("post:arm", r.two_group_change.as_ref().map(|s| (s.mean_diff, s.welch_ci_low, s.welch_ci_high)))
    } else {
        ("post", r.paired.get("all").map(|s| (s.mean_diff, s.ci_low, s.ci_high)))
    };
    let cc_n = complete_case_n(r);
    if let Some(n) = cc_n {
        if m.n_people > n {
            out.push(format!(
                "The mixed model uses {} people instead of {}: everyone with at least one score ({} scores in all), not only those with both a before and an after score. People who dropped out still tell the model where they started.",
                m.n_people, n, m.n_obs
            ));
        } else {
            out.push(format!(
                "The mixed model uses the same {} people as the complete-case results ({} scores in all): nobody is missing a before or after score.",
                m.n_people, m.n_obs
            ));
        }
    }
    if let Some(e) = m.terms.get(term) {
        if let (Some(b), Some(lo), Some(hi)) = (e.estimate, e.ci_low, e.ci_high) {
            let what = if term == "post:arm" {
                "the program group's extra change from before to after, compared with the comparison group,"
            } else {
                "the change from before to after"
            };
            let clear = if excludes_zero(lo, hi) { "which excludes zero" } else { "which includes zero" };
            let mut s = format!(
                "It estimates {what} at {} ({} interval {} to {}, {clear}; {})",
                num(Some(b), 2),
                level_pct(alpha),
                num(Some(lo), 2),
                num(Some(hi), 2),
                p_phrase(e.p)
            );
            if let Some((Some(c), Some(_), Some(_))) = cc {
                s.push_str(&format!(
                    "; the complete-case estimate of the same thing is {}. A difference between the two comes from the people with a missing score: the mixed model assumes they would have continued like similar people with the same earlier scores (missing at random)",
                    num(Some(c), 2)
                ));
            }
            s.push('.');
            out.push(s);
        }
    }
    if m.boundary {
        out.push("The scores of one person are no more alike than those of different people (the between-person variance is estimated at 0, the edge of what the model allows): the results are those of that fit.".into());
    }
    out
}

/// The significance level of these results (from the intervals' level; 0.05 when unknown).
pub fn alpha_of(r: &Results) -> f64 {
    let level = r
        .tipping_point
        .as_ref()
        .map(|t| t.conf_level)
        .or_else(|| r.ancova.as_ref().map(|a| a.conf_level))
        .or_else(|| r.paired.values().next().map(|p| p.conf_level))
        .unwrap_or(0.95);
    let a = 1.0 - level;
    if a > 0.0 && a < 0.5 {
        a
    } else {
        0.05
    }
}

/// The forest plot's line about the arm × subgroup test (two arms) or the ANOVA (one group).
pub fn forest_test_line(r: &Results) -> Option<String> {
    let t = r.subgroup_tests.as_ref()?;
    let (name, what, test) = match (&t.interaction, &t.all) {
        (Some(i), _) => ("Arm × subgroup interaction", "the program's effect", i),
        (None, Some(a)) => ("Do the subgroups differ (one-way ANOVA)", "the change", a),
        _ => return None,
    };
    Some(match test.p {
        Some(p) => format!(
            "{name}: {} — {}",
            p_phrase(Some(p)),
            if p < alpha_of(r) {
                format!("{what} differs between subgroups more than chance would explain.")
            } else {
                format!("the data do not show that {what} differs between subgroups.")
            }
        ),
        None => format!("{name}: not computable (fewer than 2 subgroups with at least 2 people with both scores)."),
    })
}

/// One line of the subgroup tests table: which test, F (df1, df2), p, n, levels left out.
pub fn subgroup_test_row(name: &str, t: &SubgroupTest) -> [String; 5] {
    let f = match (t.f, t.df1, t.df2) {
        (Some(f), Some(a), Some(b)) => format!("F({a:.0}, {b:.0}) = {f:.2}"),
        _ => "not computable (fewer than 2 subgroups with 2 or more people)".into(),
    };
    let p =
        t.p.map(|p| if p < 0.001 { "< 0.001".to_string() } else { format!("{p:.3}") }).unwrap_or_else(|| "—".into());
    let left: Vec<String> = t.left_out.iter().map(|(l, k)| format!("{l} ({k})")).collect();
    [name.into(), f, p, t.n.to_string(), if left.is_empty() { "none".into() } else { left.join(", ") }]
}

/// Why the subgroup p-values are adjusted, in one sentence.
pub fn why_adjust(family: usize) -> String {
    format!(
        "{family} subgroup tests were run; with that many, one may look convincing by chance alone, so each p-value is also shown adjusted for the whole family (Holm: controls the chance of any false alarm; Benjamini–Hochberg: controls the share of false alarms among the findings)."
    )
}

/// The interaction's plain reading: does the program's effect differ between subgroups?
pub fn interaction_reading(t: &SubgroupTest, alpha: f64) -> String {
    match t.p {
        Some(p) if p < alpha => format!(
            "The program's effect differs between subgroups more than chance would explain (arm × subgroup test, {}).",
            p_phrase(Some(p))
        ),
        Some(p) => format!(
            "The data do not show that the program's effect differs between subgroups (arm × subgroup test, {}): differences between the rows below may be chance.",
            p_phrase(Some(p))
        ),
        None => "Whether the program's effect differs between subgroups cannot be tested: fewer than 2 subgroups have at least 2 people with both scores in each group.".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::analyses::tipping::TippingRow;

    fn tp(rows: &[(f64, f64, f64, f64)], tip: Option<f64>, last: Option<f64>) -> TippingPoint {
        TippingPoint {
            estimand: "ancova_post".into(),
            imputations: 100,
            conf_level: 0.95,
            n: 160,
            imputed: [("control".to_string(), 20), ("intervention".to_string(), 14)].into_iter().collect(),
            rows: rows
                .iter()
                .map(|&(delta, e, lo, hi)| TippingRow {
                    delta,
                    estimate: Some(e),
                    ci_low: Some(lo),
                    ci_high: Some(hi),
                    p: Some(0.04),
                    clear: hi < 0.0,
                    ..TippingRow::default()
                })
                .collect(),
            tipping_delta: tip,
            last_clear_delta: last,
            ..TippingPoint::default()
        }
    }

    #[test]
    fn reading_names_the_tipping_point_and_the_interval() {
        let t = tp(&[(0.0, -0.32, -0.55, -0.09), (0.1, -0.2, -0.43, 0.03)], Some(0.1), Some(0.0));
        let r = tipping_reading(&t).join(" ");
        assert!(r.contains("34 of 160 people"), "{r}");
        assert!(r.contains("-0.55 to -0.09, which excludes zero"), "{r}");
        assert!(r.contains("did about 0.1 points worse (or more)"), "{r}");
        let chart = tipping_chart(&t).unwrap();
        assert_eq!(chart.series.len(), 3);
        assert_eq!(chart.series[1].style, chart.series[2].style, "both interval limits look alike");
        assert!(chart.series[2].label.is_empty());
        assert_eq!(tipping_rows(&t)[1], ["0.10", "-0.20", "-0.43 to 0.03", "0.040", "no"].map(String::from));
    }

    #[test]
    fn no_direction_words_when_the_interval_includes_zero() {
        let mut t = tp(&[(0.0, -0.1, -0.3, 0.1)], None, None);
        t.reason = Some("not clear even at δ = 0".into());
        let r = tipping_reading(&t).join(" ");
        assert!(r.contains("which includes zero") && r.contains("not clear even at"), "{r}");
        assert!(!r.contains("excludes"), "{r}");
        assert!(tipping_chart(&t).is_none());
    }

    #[test]
    fn the_follow_up_reading_speaks_of_the_follow_up() {
        let mut t = tp(&[(0.0, -0.32, -0.55, -0.09), (0.1, -0.2, -0.43, 0.03)], Some(0.1), Some(0.0));
        t.estimand = "ancova_followup".into();
        t.observed = [("control".to_string(), 50), ("intervention".to_string(), 50)].into_iter().collect();
        let r = tipping_reading(&t).join(" ");
        assert!(
            r.contains(
                "34 of 160 people have no follow-up score (14 in the program group, 20 in the comparison group)"
            ),
            "{r}"
        );
        assert!(
            r.contains(
                "the difference between the groups at follow-up, for people with the same starting score is -0.32"
            ),
            "{r}"
        );
        assert!(r.contains("The conclusion at follow-up holds unless the people who dropped out of the program group before the follow-up did about 0.1 points worse (or more)"), "{r}");
        assert!(!r.contains("after the program"), "{r}");
        let c = report_dropout_context(&t).unwrap();
        assert!(c.starts_with("The follow-up results use the 100 people with scores before and at follow-up; 34 more have no follow-up score. "), "{c}");
        assert!(c.contains("the program's advantage at follow-up is clear (its interval excludes zero), and it stays clear unless the people who dropped out of the program group before the follow-up did about 0.1 points worse"), "{c}");
        let chart = tipping_chart(&t).unwrap();
        assert_eq!(chart.y_label, "Program − comparison, follow-up");
        assert!(chart.description.contains("missing follow-up scores"), "{}", chart.description);
        // One group, not clear at δ = 0: the reason, no direction words.
        let mut t = tp(&[(0.0, -0.1, -0.3, 0.1)], None, None);
        t.estimand = "mean_change_followup".into();
        t.reason = Some("The improvement at follow-up is not clear even at δ = 0".into());
        let r = tipping_reading(&t).join(" ");
        assert!(
            r.contains("the mean change from before to follow-up is -0.10") && r.contains("which includes zero"),
            "{r}"
        );
        assert!(!r.contains("excludes"), "{r}");
        let c = report_dropout_context(&t).unwrap();
        assert!(c.contains("no follow-up score. Drop-out check: The improvement at follow-up is not clear"), "{c}");
    }

    #[test]
    fn interaction_words_follow_alpha() {
        let t = SubgroupTest { p: Some(0.3), ..SubgroupTest::default() };
        assert!(interaction_reading(&t, 0.05).starts_with("The data do not show"));
        let t = SubgroupTest { p: Some(0.01), ..SubgroupTest::default() };
        assert!(interaction_reading(&t, 0.05).contains("more than chance"));
        assert!(interaction_reading(&SubgroupTest::default(), 0.05).contains("cannot be tested"));
    }
}
