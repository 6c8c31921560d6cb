//! Reach and equity: who enrolled and who completed, by subgroup level, against the target
//! population's composition the user gives (`process.population`: level → share, percentage or
//! count). Each difference is the sample share minus the population share, which is a known
//! constant, so its interval is the Wilson score interval of the sample share shifted by that
//! constant. A goodness-of-fit chi-square (R `chisq.test(x, p = shares)`) tests the whole
//! composition when the population lists every level seen.

use super::common::{goodness_of_fit, pct, Share};
use super::{at, RowData};
use crate::core::dataset::normalise_answer;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One subgroup level: its population share, and the enrolled and completed shares.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReachLevel {
    /// The level as the population table names it.
    pub level: String,
    pub population_share: f64,
    /// Enrolled with this level, of enrolled with a known level.
    pub enrolled: Share,
    /// Enrolled share − population share, with the Wilson interval shifted by the population share.
    pub enrolled_difference: Option<f64>,
    pub enrolled_difference_ci_low: Option<f64>,
    pub enrolled_difference_ci_high: Option<f64>,
    /// Completed (post score present) with this level, of completers with a known level.
    pub completed: Option<Share>,
    pub completed_difference: Option<f64>,
    pub completed_difference_ci_low: Option<f64>,
    pub completed_difference_ci_high: Option<f64>,
    /// `under` (the interval lies below the population share), `over`, `in_line` or `unknown`.
    pub enrolled_status: String,
    pub completed_status: String,
}

/// `results.process.reach`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReachResult {
    pub column: String,
    /// How the population figures were read: `shares` (as given) or `normalised` (divided by
    /// their total: counts or percentages).
    pub population_read_as: String,
    /// Enrolled rows with a known subgroup level.
    pub n_enrolled: usize,
    pub n_completed: Option<usize>,
    pub levels: Vec<ReachLevel>,
    /// Goodness of fit of the enrolled composition to the population's.
    pub enrolled_chisq: Option<f64>,
    pub enrolled_chisq_df: Option<f64>,
    pub enrolled_chisq_p: Option<f64>,
    pub completed_chisq: Option<f64>,
    pub completed_chisq_df: Option<f64>,
    pub completed_chisq_p: Option<f64>,
    /// Levels in the file that the population table does not list.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unlisted_levels: Vec<String>,
    /// How the intervals are made, in words.
    pub method: String,
    pub reading: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    pub conf_level: f64,
}

pub const METHOD: &str = "Each difference is the sample share minus the population share. The population share is treated as a known constant, so the interval is the Wilson score interval of the sample share minus that constant.";

fn status(s: &Share, pi: f64) -> &'static str {
    match (s.ci_low, s.ci_high) {
        (_, Some(h)) if h < pi => "under",
        (Some(l), _) if l > pi => "over",
        (Some(_), Some(_)) => "in_line",
        _ => "unknown",
    }
}

/// Population figures → shares. Returns the shares per level (in the order given), how they
/// were read, and notes. `None` when nothing usable is given.
pub fn population_shares(
    population: &BTreeMap<String, f64>,
    notes: &mut Vec<String>,
) -> Option<(Vec<(String, f64)>, &'static str)> {
    let mut given = Vec::new();
    for (k, v) in population {
        if v.is_finite() && *v >= 0.0 && !k.trim().is_empty() {
            given.push((k.trim().to_string(), *v));
        } else {
            notes.push(format!(
                "The population figure for “{k}” ({v}) is not a number of 0 or more, so it is left out."
            ));
        }
    }
    let total: f64 = given.iter().map(|g| g.1).sum();
    if given.is_empty() || total <= 0.0 {
        notes.push("The target population's figures add up to 0, so reach cannot be compared.".into());
        return None;
    }
    if given.iter().all(|g| g.1 <= 1.0) && total <= 1.0 + 1e-6 {
        if total < 1.0 - 1e-6 {
            notes.push(format!(
                "The population shares given add up to {}; the rest is taken to be levels not listed.",
                pct(total)
            ));
        }
        Some((given, "shares"))
    } else {
        Some((given.into_iter().map(|(k, v)| (k, v / total)).collect(), "normalised"))
    }
}

/// The reach section; `None` without a subgroup column or usable population figures.
pub fn reach(data: &RowData, population: &BTreeMap<String, f64>) -> Option<ReachResult> {
    let alpha = data.alpha;
    let mut notes = Vec::new();
    let sub = data.subgroup?;
    let column = data.subgroup_name.unwrap_or("subgroup").to_string();
    let (shares, read_as) = population_shares(population, &mut notes)?;
    let arms = data.arms;
    let rows: Vec<usize> = (0..arms.of_row.len()).filter(|&i| arms.of_row[i].is_some()).collect();
    let known: Vec<(usize, String)> = rows.iter().filter_map(|&i| Some((i, sub.get(i).cloned().flatten()?))).collect();
    let completed: Option<Vec<&(usize, String)>> =
        data.post.map(|post| known.iter().filter(|(i, _)| at(post, *i).is_some()).collect());
    let key_of: BTreeMap<String, usize> =
        shares.iter().enumerate().map(|(j, (k, _))| (normalise_answer(k), j)).collect();
    let mut enrolled_counts = vec![0usize; shares.len()];
    let mut completed_counts = vec![0usize; shares.len()];
    let mut unlisted: Vec<String> = Vec::new();
    for (_, level) in &known {
        match key_of.get(&normalise_answer(level)) {
            Some(&j) => enrolled_counts[j] += 1,
            None => {
                if !unlisted.contains(level) {
                    unlisted.push(level.clone());
                }
            }
        }
    }
    if let Some(c) = &completed {
        for (_, level) in c {
            if let Some(&j) = key_of.get(&normalise_answer(level)) {
                completed_counts[j] += 1;
            }
        }
    }
    let n_enrolled = known.len();
    let n_completed = completed.as_ref().map(|c| c.len());
    let shifted = |s: &Share, pi: f64| (s.share.map(|v| v - pi), s.ci_low.map(|v| v - pi), s.ci_high.map(|v| v - pi));
    let levels: Vec<ReachLevel> = shares
        .iter()
        .enumerate()
        .map(|(j, (level, pi))| {
            let e = Share::new(enrolled_counts[j], n_enrolled, alpha);
            let c = n_completed.map(|n| Share::new(completed_counts[j], n, alpha));
            let (ed, el, eh) = shifted(&e, *pi);
            let (cd, cl, ch) = c.as_ref().map_or((None, None, None), |c| shifted(c, *pi));
            ReachLevel {
                level: level.clone(),
                population_share: *pi,
                enrolled_status: status(&e, *pi).into(),
                completed_status: c.as_ref().map_or("unknown", |c| status(c, *pi)).into(),
                enrolled: e,
                enrolled_difference: ed,
                enrolled_difference_ci_low: el,
                enrolled_difference_ci_high: eh,
                completed: c,
                completed_difference: cd,
                completed_difference_ci_low: cl,
                completed_difference_ci_high: ch,
            }
        })
        .collect();
    let pis: Vec<f64> = shares.iter().map(|s| s.1).collect();
    let complete_list = unlisted.is_empty();
    let gof_e = complete_list.then(|| goodness_of_fit(&enrolled_counts, &pis)).flatten();
    let gof_c =
        complete_list.then(|| goodness_of_fit(&completed_counts, &pis)).flatten().filter(|_| n_completed.is_some());
    if !unlisted.is_empty() {
        notes.push(format!(
            "The population table does not list {} (found in “{column}”), so those rows count only in the denominators and the overall test is left out.",
            unlisted.iter().map(|u| format!("“{u}”")).collect::<Vec<_>>().join(", ")
        ));
    }
    if n_enrolled == 0 {
        notes.push(format!("No enrolled row has a value in “{column}”, so reach cannot be compared."));
    }
    if gof_e.as_ref().is_some_and(|g| g.min_expected < 5.0) {
        notes.push("Some expected counts are below 5, so the overall chi-square p-value is only approximate.".into());
    }
    let level_pct = (1.0 - alpha) * 100.0;
    let mut under = Vec::new();
    let mut over = Vec::new();
    for l in &levels {
        let line = format!(
            "{} ({} of those enrolled vs {} of the population; difference {} points, {}% CI {} to {})",
            l.level,
            l.enrolled.share.map_or("–".into(), pct),
            pct(l.population_share),
            l.enrolled_difference.map_or("–".into(), |d| format!("{:+.0}", d * 100.0)),
            level_pct.round(),
            l.enrolled_difference_ci_low.map_or("–".into(), |d| format!("{:+.0}", d * 100.0)),
            l.enrolled_difference_ci_high.map_or("–".into(), |d| format!("{:+.0}", d * 100.0)),
        );
        match l.enrolled_status.as_str() {
            "under" => under.push(line),
            "over" => over.push(line),
            _ => {}
        }
    }
    let reading = if n_enrolled == 0 {
        "No enrolled row has a subgroup value to compare with the population.".to_string()
    } else if under.is_empty() && over.is_empty() {
        "Who enrolled is in line with the target population: every level's interval includes its population share (with small groups, this can also mean the data cannot tell).".to_string()
    } else {
        let mut s = Vec::new();
        if !under.is_empty() {
            s.push(format!(
                "The program is reaching fewer people than their share of the population in: {}.",
                under.join("; ")
            ));
        }
        if !over.is_empty() {
            s.push(format!("It reaches more than their share in: {}.", over.join("; ")));
        }
        s.join(" ")
    };
    Some(ReachResult {
        column,
        population_read_as: read_as.into(),
        n_enrolled,
        n_completed,
        levels,
        enrolled_chisq: gof_e.as_ref().map(|g| g.statistic),
        enrolled_chisq_df: gof_e.as_ref().map(|g| g.df),
        enrolled_chisq_p: gof_e.as_ref().and_then(|g| g.p),
        completed_chisq: gof_c.as_ref().map(|g| g.statistic),
        completed_chisq_df: gof_c.as_ref().map(|g| g.df),
        completed_chisq_p: gof_c.as_ref().and_then(|g| g.p),
        unlisted_levels: unlisted,
        method: METHOD.into(),
        reading,
        notes,
        conf_level: 1.0 - alpha,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::analyses::Arms;

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() <= 1e-9 + 1e-7 * b.abs())
    }

    fn pop(v: &[(&str, f64)]) -> BTreeMap<String, f64> {
        v.iter().map(|(k, x)| (k.to_string(), *x)).collect()
    }

    #[test]
    fn shares_counts_and_partial_shares() {
        let mut notes = Vec::new();
        let (s, how) = population_shares(&pop(&[("a", 0.25), ("b", 0.75)]), &mut notes).unwrap();
        assert_eq!(how, "shares");
        assert_eq!(s, vec![("a".to_string(), 0.25), ("b".to_string(), 0.75)]);
        let (s, how) = population_shares(&pop(&[("a", 300.0), ("b", 100.0)]), &mut notes).unwrap();
        assert_eq!(how, "normalised");
        assert_eq!(s[0].1, 0.75);
        let (_, how) = population_shares(&pop(&[("a", 25.0), ("b", 75.0)]), &mut notes).unwrap();
        assert_eq!(how, "normalised", "percentages are normalised too");
        assert!(notes.is_empty());
        population_shares(&pop(&[("a", 0.2)]), &mut notes).unwrap();
        assert!(notes[0].contains("20%"));
        assert!(population_shares(&pop(&[("a", 0.0)]), &mut notes).is_none());
    }

    #[test]
    fn enrolled_and_completed_against_population() {
        // 20 enrolled: 4 aged 55+ (20%), 16 younger; population: 40% 55+.
        let arms = Arms::new(vec!["all"], vec![Some(0); 21]);
        let mut sub: Vec<Option<String>> =
            (0..20).map(|i| Some(if i < 4 { "55+".to_string() } else { "18-54".to_string() })).collect();
        sub.push(None);
        let post: Vec<f64> = (0..21).map(|i| if i == 0 || i == 5 { f64::NAN } else { 1.0 }).collect();
        let data = RowData {
            arms: &arms,
            subgroup: Some(&sub),
            subgroup_name: Some("age"),
            pre: None,
            post: Some(&post),
            followup: None,
            alpha: 0.05,
        };
        let r = reach(&data, &pop(&[("55+", 40.0), ("18-54 ", 60.0)])).unwrap();
        assert_eq!(r.n_enrolled, 20);
        assert_eq!(r.n_completed, Some(18));
        let old = r.levels.iter().find(|l| l.level == "55+").unwrap();
        assert_eq!(old.enrolled.count, 4);
        assert!(close(old.enrolled_difference, 0.2 - 0.4));
        // R 4.2.2: prop.test(4, 20, correct = FALSE)$conf.int = 0.080657662579798076, 0.416017432251893526,
        // minus the population share 0.4.
        assert!(
            close(old.enrolled_difference_ci_low, 0.080657662579798076 - 0.4),
            "{:?}",
            old.enrolled_difference_ci_low
        );
        assert!(
            close(old.enrolled_difference_ci_high, 0.416017432251893526 - 0.4),
            "{:?}",
            old.enrolled_difference_ci_high
        );
        assert_eq!(old.enrolled_status, "in_line");
        assert_eq!(old.completed.as_ref().unwrap().count, 3);
        // R 4.2.2: chisq.test(c(4, 16), p = c(0.4, 0.6)): X-squared = 10/3, p-value = 0.067889154861828768
        assert!(close(r.enrolled_chisq, 10.0 / 3.0));
        assert!(close(r.enrolled_chisq_p, 0.067889154861828768), "{:?}", r.enrolled_chisq_p);
        assert!(r.method.contains("known constant"));
        let json = serde_json::to_string(&r).unwrap();
        assert!(!json.contains("NaN"));
    }

    #[test]
    fn under_reach_is_said_and_unlisted_levels_noted() {
        let arms = Arms::new(vec!["all"], vec![Some(0); 50]);
        let sub: Vec<Option<String>> = (0..50)
            .map(|i| {
                Some(
                    if i < 2 {
                        "rural"
                    } else if i < 45 {
                        "urban"
                    } else {
                        "other"
                    }
                    .to_string(),
                )
            })
            .collect();
        let data = RowData {
            arms: &arms,
            subgroup: Some(&sub),
            subgroup_name: Some("area"),
            pre: None,
            post: None,
            followup: None,
            alpha: 0.05,
        };
        let r = reach(&data, &pop(&[("Rural", 0.4), ("Urban", 0.6)])).unwrap();
        assert_eq!(r.levels[0].enrolled_status, "under");
        assert_eq!(r.levels[1].enrolled_status, "over");
        assert!(r.reading.contains("fewer people than their share") && r.reading.contains("Rural"), "{}", r.reading);
        assert_eq!(r.unlisted_levels, vec!["other".to_string()]);
        assert_eq!((r.enrolled_chisq, r.n_completed), (None, None));
        assert!(r.levels[0].completed.is_none());
        // No subgroup column: no section.
        let none = RowData { subgroup: None, ..data };
        assert!(reach(&none, &pop(&[("a", 1.0)])).is_none());
    }
}
