//! More than two waves, subgroup tests and multiplicity (`shared/design/CONTRACT.md` §7):
//! `results.mixed`, `results.subgroup_tests` and `results.multiplicity` from plain per-person
//! inputs.
//!
//! - `mixed`: `score ~ time * arm + (1 | person)` (single group: `score ~ time`) on every
//!   non-missing score, by REML at the optimum, as R `nlme::lme(score ~ time * arm,
//!   random = ~ 1 | id, method = "REML")` ([`crate::core::stats::mixed`]). Time is a factor with
//!   levels pre (the baseline), post, followup; arm = 1 for intervention.
//! - `subgroup_tests`: per arm, the one-way ANOVA of `round(post − pre, 9)` on the subgroup
//!   levels (R `anova(lm(change ~ level))`), and for two-arm data the arm × level F test (R
//!   `anova(lm(change ~ arm + level), lm(change ~ arm * level))`) ([`crate::core::stats::anova`]).
//!   A level with fewer than 2 people with both scores in an arm is left out of that arm's test
//!   and named in `left_out`/`notes`; the interaction uses the levels kept in both arms.
//! - `multiplicity`: Holm and BH over every non-null subgroup p of the file, both arms in one
//!   family (R `p.adjust`) ([`crate::core::stats::multiplicity`]).

use crate::core::stats::anova::{nested_f_test, one_way_anova, FTest};
use crate::core::stats::mixed::{fit_random_intercept, FixedEffect, MixedData};
use crate::core::stats::multiplicity::{adjust, Adjusted};
use crate::core::stats::ranks::round9;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A participant's arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Arm {
    Intervention,
    Control,
    /// Single-group files.
    All,
}

impl Arm {
    /// The results key: `intervention`, `control` or `all`.
    pub fn key(self) -> &'static str {
        match self {
            Arm::Intervention => "intervention",
            Arm::Control => "control",
            Arm::All => "all",
        }
    }
}

/// One participant (one row of the file, or of the linked table).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PersonWaves {
    /// `None` when the row's group names no arm.
    pub arm: Option<Arm>,
    pub pre: Option<f64>,
    pub post: Option<f64>,
    pub followup: Option<f64>,
    /// Subgroup level; `None` or blank = left out of the subgroup tests only.
    pub level: Option<String>,
}

/// `results.mixed`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MixedResults {
    pub n_people: usize,
    pub n_obs: usize,
    pub sd_participant: Option<f64>,
    pub sd_residual: Option<f64>,
    /// `intercept`, `post`, `followup` (+ `arm`, `post:arm`, `followup:arm` for two arms).
    pub terms: BTreeMap<String, FixedEffect>,
    /// Extra key: the REML optimum is σ_u = 0 (the boundary); `sd_participant` is then 0.
    pub boundary: bool,
    /// Extra key: σ²_u / σ²_e at the optimum.
    pub variance_ratio: Option<f64>,
    /// Extra key: the REML log-likelihood (Patterson–Thompson form).
    pub reml_loglik: Option<f64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// One F test of `results.subgroup_tests` plus the levels used and left out (extra keys).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SubgroupTest {
    pub f: Option<f64>,
    pub df1: Option<f64>,
    pub df2: Option<f64>,
    pub p: Option<f64>,
    pub n: usize,
    /// Levels in the test.
    pub levels: Vec<String>,
    /// Levels left out, with their number of people with both scores (per arm: in this arm;
    /// interaction: the smaller of the two arms' numbers).
    pub left_out: BTreeMap<String, usize>,
}

/// `results.subgroup_tests`: `intervention`/`control`/`interaction` (two arms) or `all`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SubgroupTests {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub intervention: Option<SubgroupTest>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub control: Option<SubgroupTest>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub all: Option<SubgroupTest>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interaction: Option<SubgroupTest>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// One member of the multiplicity family: `results.subgroups.<arm>.<level>.p`.
#[derive(Debug, Clone, PartialEq)]
pub struct SubgroupP {
    pub arm: Arm,
    pub level: String,
    pub p: Option<f64>,
}

/// `results.multiplicity`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Multiplicity {
    /// `adjusted.<arm>.<level>` = `{p, holm, bh}`.
    pub adjusted: BTreeMap<String, BTreeMap<String, Adjusted>>,
    /// Extra key: the number of non-null p-values in the family.
    pub family_size: usize,
}

const TERMS_TWO_ARM: [&str; 6] = ["intercept", "post", "followup", "arm", "post:arm", "followup:arm"];
const TERMS_SINGLE: [&str; 3] = ["intercept", "post", "followup"];

/// `results.mixed` (CONTRACT §7): the long table of every non-missing score of every row with
/// a valid arm (two arms: intervention/control; single group: `All`), fitted by REML as
/// `nlme::lme(score ~ time * arm, random = ~ 1 | id, method = "REML")`.
pub fn mixed_results(rows: &[PersonWaves], two_arm: bool, alpha: f64) -> MixedResults {
    let names: &[&str] = if two_arm { &TERMS_TWO_ARM } else { &TERMS_SINGLE };
    let mut data = MixedData {
        names: names.iter().map(|s| s.to_string()).collect(),
        x: Vec::new(),
        y: Vec::new(),
        group: Vec::new(),
        n_groups: 0,
    };
    let mut skipped_arm = 0usize;
    for r in rows {
        let arm = match (two_arm, r.arm) {
            (true, Some(Arm::Intervention)) => 1.0,
            (true, Some(Arm::Control)) => 0.0,
            (false, Some(Arm::All)) => 0.0,
            _ => {
                skipped_arm += 1;
                continue;
            }
        };
        let scores = [(r.pre, 0.0, 0.0), (r.post, 1.0, 0.0), (r.followup, 0.0, 1.0)];
        let mut any = false;
        for (score, post, fu) in scores {
            let Some(y) = score.filter(|v| v.is_finite()) else {
                continue;
            };
            any = true;
            data.y.push(y);
            data.group.push(data.n_groups);
            data.x.extend_from_slice(&[1.0, post, fu]);
            if two_arm {
                data.x.extend_from_slice(&[arm, post * arm, fu * arm]);
            }
        }
        if any {
            data.n_groups += 1;
        }
    }
    let mut out = MixedResults::default();
    if skipped_arm > 0 {
        out.notes.push(format!(
            "{} without a valid arm {} left out of the mixed model.",
            crate::core::dataset::count_of(skipped_arm, "row", "rows"),
            if skipped_arm == 1 { "is" } else { "are" }
        ));
    }
    match fit_random_intercept(&data, alpha) {
        Some(fit) => {
            out.n_people = fit.n_people;
            out.n_obs = fit.n_obs;
            out.sd_participant = fit.sd_participant;
            out.sd_residual = fit.sd_residual;
            out.boundary = fit.boundary;
            out.variance_ratio = fit.variance_ratio;
            out.reml_loglik = fit.reml_loglik;
            out.terms = fit.effects.into_iter().collect();
            if fit.boundary {
                out.notes.push(
                    "The between-person variance is estimated at 0 (the boundary of the REML fit): the scores of one person are no more alike than those of different people."
                        .to_string(),
                );
            }
            if !fit.aliased.is_empty() {
                out.notes.push(format!(
                    "Not estimable from these data (no scores or no contrast): {}.",
                    fit.aliased.join(", ")
                ));
            }
            if out.sd_residual.is_none() {
                out.notes.push("The mixed model could not be fitted: it needs people with more than one score and scores that vary within people.".to_string());
            }
        }
        None => {
            out.terms = names.iter().map(|n| (n.to_string(), FixedEffect::default())).collect();
            out.notes.push("The mixed model could not be fitted.".to_string());
        }
    }
    out
}

fn level_of(r: &PersonWaves) -> Option<&str> {
    r.level.as_deref().map(str::trim).filter(|l| !l.is_empty())
}

/// Per arm: level → changes of the people with both scores; and every level seen in the arm.
fn changes_by_level(rows: &[PersonWaves], arm: Arm) -> (BTreeMap<String, Vec<f64>>, Vec<String>) {
    let mut by: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    let mut seen: Vec<String> = Vec::new();
    for r in rows.iter().filter(|r| r.arm == Some(arm)) {
        let Some(level) = level_of(r) else { continue };
        if !seen.iter().any(|s| s == level) {
            seen.push(level.to_string());
        }
        if let (Some(a), Some(b)) = (r.pre.filter(|v| v.is_finite()), r.post.filter(|v| v.is_finite())) {
            by.entry(level.to_string()).or_default().push(round9(b - a));
        }
    }
    seen.sort();
    (by, seen)
}

fn arm_test(by: &BTreeMap<String, Vec<f64>>, seen: &[String]) -> SubgroupTest {
    let mut t = SubgroupTest::default();
    for level in seen {
        let k = by.get(level).map_or(0, Vec::len);
        if k >= 2 {
            t.levels.push(level.clone());
        } else {
            t.left_out.insert(level.clone(), k);
        }
    }
    let (mut idx, mut y) = (Vec::new(), Vec::new());
    for (i, level) in t.levels.iter().enumerate() {
        for v in by.get(level).into_iter().flatten() {
            idx.push(i);
            y.push(*v);
        }
    }
    t.n = y.len();
    if t.levels.len() >= 2 {
        if let Some(f) = one_way_anova(&idx, &y) {
            fill(&mut t, f);
        }
    }
    t
}

fn fill(t: &mut SubgroupTest, f: FTest) {
    t.f = f.f;
    t.df1 = f.df1;
    t.df2 = f.df2;
    t.p = f.p;
}

fn left_out_note(arm: &str, t: &SubgroupTest) -> Option<String> {
    if t.left_out.is_empty() {
        return None;
    }
    let list: Vec<String> = t.left_out.iter().map(|(l, k)| format!("{l} ({k} with both scores)")).collect();
    Some(format!("{arm}: left out of the subgroup test (fewer than 2 people with both scores): {}.", list.join(", ")))
}

/// `results.subgroup_tests` (CONTRACT §7). `change = round(post − pre, 9)` for people with
/// both scores, a valid arm and a non-blank level.
pub fn subgroup_tests(rows: &[PersonWaves], two_arm: bool) -> SubgroupTests {
    let mut out = SubgroupTests::default();
    if !two_arm {
        let (by, seen) = changes_by_level(rows, Arm::All);
        let t = arm_test(&by, &seen);
        out.notes.extend(left_out_note("all", &t));
        out.all = Some(t);
        return out;
    }
    let (by_i, seen_i) = changes_by_level(rows, Arm::Intervention);
    let (by_c, seen_c) = changes_by_level(rows, Arm::Control);
    let ti = arm_test(&by_i, &seen_i);
    let tc = arm_test(&by_c, &seen_c);
    // Interaction: levels kept in both arms.
    let mut inter = SubgroupTest::default();
    let mut all_levels: Vec<String> = seen_i.iter().chain(&seen_c).cloned().collect();
    all_levels.sort();
    all_levels.dedup();
    for level in &all_levels {
        if ti.levels.contains(level) && tc.levels.contains(level) {
            inter.levels.push(level.clone());
        } else {
            let k = by_i.get(level).map_or(0, Vec::len).min(by_c.get(level).map_or(0, Vec::len));
            inter.left_out.insert(level.clone(), k);
        }
    }
    let l = inter.levels.len();
    let mut y = Vec::new();
    let mut arm = Vec::new();
    let mut lev = Vec::new();
    for (i, level) in inter.levels.iter().enumerate() {
        for (a, by) in [(1.0, &by_i), (0.0, &by_c)] {
            for v in by.get(level).into_iter().flatten() {
                y.push(*v);
                arm.push(a);
                lev.push(i);
            }
        }
    }
    inter.n = y.len();
    if l >= 2 {
        let ones = vec![1.0; y.len()];
        let dummies: Vec<Vec<f64>> =
            (1..l).map(|j| lev.iter().map(|&v| if v == j { 1.0 } else { 0.0 }).collect()).collect();
        let mut reduced = vec![ones, arm.clone()];
        reduced.extend(dummies.iter().cloned());
        let mut full = reduced.clone();
        for d in &dummies {
            full.push(d.iter().zip(&arm).map(|(a, b)| a * b).collect());
        }
        if let Some(f) = nested_f_test(&reduced, &full, &y) {
            fill(&mut inter, f);
        }
    }
    out.notes.extend(left_out_note("intervention", &ti));
    out.notes.extend(left_out_note("control", &tc));
    if !inter.left_out.is_empty() {
        let list: Vec<&str> = inter.left_out.keys().map(String::as_str).collect();
        out.notes.push(format!("interaction: on the levels kept in both arms; left out: {}.", list.join(", ")));
    }
    out.intervention = Some(ti);
    out.control = Some(tc);
    out.interaction = Some(inter);
    out
}

/// `results.multiplicity` (CONTRACT §7): Holm and BH over every non-null p of `family`
/// (every `results.subgroups.<arm>.<level>.p`), both arms in one family; a null p gets
/// `{p, holm, bh}` all null.
pub fn multiplicity(family: &[SubgroupP]) -> Multiplicity {
    let ps: Vec<Option<f64>> = family.iter().map(|s| s.p).collect();
    let adj = adjust(&ps);
    let mut out = Multiplicity { family_size: adj.iter().filter(|a| a.p.is_some()).count(), ..Default::default() };
    for (s, a) in family.iter().zip(adj) {
        out.adjusted.entry(s.arm.key().to_string()).or_default().insert(s.level.clone(), a);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(arm: Arm, pre: Option<f64>, post: Option<f64>, fu: Option<f64>, level: &str) -> PersonWaves {
        PersonWaves { arm: Some(arm), pre, post, followup: fu, level: Some(level.to_string()) }
    }

    #[test]
    fn left_out_levels_are_named_and_blank_levels_skipped() {
        let mut rows = Vec::new();
        for i in 0..6 {
            let x = i as f64;
            rows.push(person(
                Arm::Intervention,
                Some(2.0 + x * 0.1),
                Some(1.5 + x * 0.13),
                None,
                if i % 2 == 0 { "a" } else { "b" },
            ));
            rows.push(person(
                Arm::Control,
                Some(2.0 + x * 0.2),
                Some(2.1 + x * 0.07),
                None,
                if i < 5 { "a" } else { "b" },
            ));
        }
        rows.push(person(Arm::Control, Some(1.0), None, None, "b"));
        rows.push(PersonWaves {
            arm: Some(Arm::Control),
            pre: Some(1.0),
            post: Some(2.0),
            followup: None,
            level: Some("  ".into()),
        });
        let t = subgroup_tests(&rows, true);
        let c = t.control.as_ref().unwrap();
        assert_eq!(c.left_out.get("b"), Some(&1));
        assert_eq!((c.f, c.df1, c.n), (None, None, 5));
        let i = t.intervention.as_ref().unwrap();
        assert_eq!((i.df1, i.df2, i.n), (Some(1.0), Some(4.0), 6));
        let x = t.interaction.as_ref().unwrap();
        assert_eq!((x.levels.clone(), x.f), (vec!["a".to_string()], None));
        assert!(t.notes.iter().any(|n| n.contains("control") && n.contains("b (1")));
        let json = serde_json::to_value(&t).unwrap();
        assert!(json["control"]["f"].is_null() && json.get("all").is_none());
    }

    #[test]
    fn multiplicity_family_spans_arms() {
        let fam = [
            SubgroupP { arm: Arm::Intervention, level: "a".into(), p: Some(0.01) },
            SubgroupP { arm: Arm::Control, level: "a".into(), p: Some(0.04) },
            SubgroupP { arm: Arm::Control, level: "b".into(), p: None },
        ];
        let m = multiplicity(&fam);
        assert_eq!(m.family_size, 2);
        assert_eq!(m.adjusted["intervention"]["a"].holm, Some(0.02));
        assert_eq!(m.adjusted["control"]["b"], Adjusted::default());
        let json = serde_json::to_value(&m).unwrap();
        assert!(json["adjusted"]["control"]["b"]["bh"].is_null());
    }

    #[test]
    fn mixed_skips_rows_without_arm_or_scores() {
        let mut rows = vec![
            PersonWaves { arm: None, pre: Some(1.0), post: Some(2.0), followup: None, level: None },
            person(Arm::Control, None, None, None, "a"),
        ];
        for i in 0..10 {
            let x = i as f64;
            let arm = if i % 2 == 0 { Arm::Intervention } else { Arm::Control };
            rows.push(person(
                arm,
                Some(2.0 + 0.3 * (x * 1.7).sin()),
                Some(1.9 + 0.2 * (x * 0.9).cos()),
                if i < 7 { Some(2.1 + 0.25 * x.sin()) } else { None },
                "a",
            ));
        }
        let m = mixed_results(&rows, true, 0.05);
        assert_eq!((m.n_people, m.n_obs), (10, 27));
        assert_eq!(m.terms.len(), 6);
        // nlme df: within 27 - 10 - 4 = 13; arm 10 - 1 - 1 = 8; intercept max = 13.
        assert_eq!(m.terms["post:arm"].df, Some(13.0));
        assert_eq!(m.terms["arm"].df, Some(8.0));
        assert_eq!(m.terms["intercept"].df, Some(13.0));
        let s = serde_json::to_string(&m).unwrap();
        assert!(!s.contains("NaN"));
    }

    /// Theory: on balanced, complete pre/post data with positive pre–post correlation the
    /// REML random-intercept model is the paired t-test: the `post` estimate is the mean
    /// difference, its SE is sd_diff/√n, df = n − 1 (nlme), so t and p are the paired t's.
    #[test]
    fn balanced_two_waves_equal_the_paired_t_test() {
        for seed in 1..=20u64 {
            let mut next = crate::core::xorshift64(0x9e37_79b9_7f4a_7c15 ^ seed.wrapping_mul(0x2545_f491_4f6c_dd1d));
            let mut unif = move || (next() >> 11) as f64 / (1u64 << 53) as f64;
            let n = 5 + (seed as usize * 7) % 60;
            let rows: Vec<PersonWaves> = (0..n)
                .map(|_| {
                    let u = 3.0 * (unif() - 0.5);
                    let pre = 2.5 + u + (unif() - 0.5);
                    let post = 2.2 + u + (unif() - 0.5);
                    PersonWaves { arm: Some(Arm::All), pre: Some(pre), post: Some(post), followup: None, level: None }
                })
                .collect();
            let m = mixed_results(&rows, false, 0.05);
            assert!(!m.boundary, "seed {seed}");
            let d: Vec<f64> = rows.iter().map(|r| r.post.unwrap() - r.pre.unwrap()).collect();
            let mean = crate::core::stats::describe::mean(&d).unwrap();
            let sd = crate::core::stats::describe::sd(&d).unwrap();
            let t = mean / (sd / (n as f64).sqrt());
            let p = crate::core::stats::dist::t_two_sided_p(t, n as f64 - 1.0).unwrap();
            let post = &m.terms["post"];
            assert!((post.estimate.unwrap() - mean).abs() < 1e-9 * (1.0 + mean.abs()), "seed {seed}");
            assert!((post.t.unwrap() - t).abs() < 1e-7 * (1.0 + t.abs()), "seed {seed}: {} vs {t}", post.t.unwrap());
            assert!((post.p.unwrap() - p).abs() < 1e-9, "seed {seed}");
            assert_eq!(post.df, Some(n as f64 - 1.0));
            assert!(m.terms["followup"].estimate.is_none());
        }
    }
}
