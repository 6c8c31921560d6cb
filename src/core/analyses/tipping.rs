//! Drop-out sensitivity (`results.tipping_point`, issue 20; with the follow-up score as the
//! outcome, `results.tipping_point_followup`): multiple imputation of missing post (follow-up)
//! scores, then the same with the program's imputed scores made worse by δ (pattern-mixture
//! δ-adjustment; Carpenter & Kenward, *Multiple Imputation and its Application*, 2013, ch. 10;
//! van Buuren, *Flexible Imputation of Missing Data*, 2nd ed., §9.2).
//!
//! - Who: rows with a valid arm and a pre score (a row without a pre score cannot be imputed
//!   from it and is left out, counted in `left_out_no_pre`).
//! - The outcome ([`Outcome`]) is the post score or the follow-up score; everything below is the
//!   same for both, with the outcome in place of post (the follow-up score is imputed from the
//!   pre score only, like the post score, with the same seed).
//! - Imputation: within each arm, `post ~ 1 + pre` on the people with both scores, one proper
//!   Bayesian draw of (β, σ) per imputation and arm, as `mice`'s `"norm"`
//!   ([`crate::core::stats::impute`]); `imputations` completed data sets, seeded. The missing
//!   scores are drawn in order of the pre score, so the table does not depend on row order.
//! - Analysis of each completed data set: two arms, the ANCOVA `post ~ arm + pre` (the
//!   coefficient of arm = intervention − control, adjusted for pre), as `results.ancova`; one
//!   group, the mean of post − pre. Pooled by Rubin's rules with the Barnard–Rubin degrees of
//!   freedom (ν_com = n − 3, or n − 1), as `mice::pool`.
//! - δ: every imputed post score of the program arm (one group: every imputed score) is made
//!   worse by δ points (higher when lower is better). δ runs 0, step, 2·step, … (step a round
//!   number near a fortieth of the scale's range) until the program's advantage is no longer
//!   clear — the interval no longer excludes zero on the side of the program — and five steps
//!   beyond, not past the range. The same imputations serve every δ (the shift is added to
//!   them; the fit of each shifted data set is computed exactly, [`ShiftedOls`]), and each
//!   imputation's fit adds only its imputed rows to sums over the rest computed once
//!   ([`ShiftedOls::fixed_part`]), so its time grows with the number imputed, not with n.
//! - `tipping_delta`: the first δ of the table at which the advantage is no longer clear;
//!   `null` with `reason` when nobody is missing a post score, when the advantage is not clear
//!   even at δ = 0, when it stays clear over the whole range, or when something cannot be
//!   fitted.

use crate::core::analyses::waves::{Arm, PersonWaves};
use crate::core::stats::impute::{rubin, Draws, NormModel, ShiftedFit, ShiftedOls, RNG_NAME};
use crate::core::stats::ranks::round9;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How many rows past the tipping δ the table goes on.
const ROWS_AFTER_TIP: usize = 5;

/// Which later score is the outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Outcome {
    #[default]
    Post,
    Followup,
}

impl Outcome {
    /// The outcome's score of one row.
    fn of(self, r: &PersonWaves) -> Option<f64> {
        match self {
            Outcome::Post => r.post,
            Outcome::Followup => r.followup,
        }
    }

    /// The estimands' suffix: `post` or `followup`.
    pub fn key(self) -> &'static str {
        match self {
            Outcome::Post => "post",
            Outcome::Followup => "followup",
        }
    }

    /// The wave in words: `post` or `follow-up`.
    pub fn words(self) -> &'static str {
        match self {
            Outcome::Post => "post",
            Outcome::Followup => "follow-up",
        }
    }

    /// From an estimand name (`ancova_followup`, `mean_change_post`, …).
    pub fn of_estimand(estimand: &str) -> Outcome {
        if estimand.ends_with("_followup") {
            Outcome::Followup
        } else {
            Outcome::Post
        }
    }
}

/// What the tipping-point analysis needs besides the rows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TippingSettings {
    pub two_arm: bool,
    pub lower_is_better: bool,
    pub alpha: f64,
    pub imputations: usize,
    pub seed: u64,
    /// The scale's (min, max) from the recipe, when both are given.
    pub scale: Option<(f64, f64)>,
}

/// One δ of the table: the pooled estimate, its interval and p, and whether the program's
/// advantage is still clear.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TippingRow {
    pub delta: f64,
    pub estimate: Option<f64>,
    pub se: Option<f64>,
    pub df: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub p: Option<f64>,
    /// The interval excludes zero on the program's side.
    pub clear: bool,
}

/// `results.tipping_point` (and `results.tipping_point_followup`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TippingPoint {
    /// `ancova_post` (two arms: intervention − control in post, adjusted for pre) or
    /// `mean_change_post` (one group: mean of post − pre); `ancova_followup` /
    /// `mean_change_followup` with the follow-up score as the outcome.
    pub estimand: String,
    pub imputations: usize,
    pub seed: u64,
    pub rng: String,
    /// The intervals' level, 1 − alpha.
    pub conf_level: f64,
    /// People in the analysis (a valid arm and a pre score).
    pub n: usize,
    /// Per arm: people with an outcome score, and people whose outcome score was imputed.
    pub observed: BTreeMap<String, usize>,
    pub imputed: BTreeMap<String, usize>,
    /// Rows with a valid arm but no pre score (left out).
    pub left_out_no_pre: usize,
    /// `higher` or `lower`: the direction in which the program's imputed scores are shifted.
    pub worse: String,
    /// The step of δ (scale points), and the range it may run to.
    pub step: Option<f64>,
    pub range: Option<f64>,
    pub rows: Vec<TippingRow>,
    /// The first δ at which the program's advantage is no longer clear.
    pub tipping_delta: Option<f64>,
    /// The last δ at which it still is.
    pub last_clear_delta: Option<f64>,
    /// Why `tipping_delta` is null.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A round step (1, 2 or 5 × 10^k) at most a fortieth of `range`.
fn step_for(range: f64) -> Option<f64> {
    if range.is_nan() || range <= 0.0 || !range.is_finite() {
        return None;
    }
    let target = range / 40.0;
    let pow = 10f64.powf(target.log10().floor());
    let step = [5.0, 2.0, 1.0].iter().map(|m| m * pow).find(|s| *s <= target * (1.0 + 1e-9)).unwrap_or(pow);
    Some(round9(step))
}

/// `results.tipping_point`: `None` when no row has a valid arm.
pub fn tipping_point(rows: &[PersonWaves], s: TippingSettings) -> Option<TippingPoint> {
    tipping_point_of(rows, Outcome::Post, s)
}

/// The tipping-point analysis with `outcome` as the later score (`results.tipping_point` for
/// [`Outcome::Post`], `results.tipping_point_followup` for [`Outcome::Followup`]): `None` when
/// no row has a valid arm.
pub fn tipping_point_of(rows: &[PersonWaves], outcome: Outcome, s: TippingSettings) -> Option<TippingPoint> {
    let arms: &[Arm] = if s.two_arm { &[Arm::Intervention, Arm::Control] } else { &[Arm::All] };
    let valid: Vec<&PersonWaves> = rows.iter().filter(|r| r.arm.is_some_and(|a| arms.contains(&a))).collect();
    if valid.is_empty() {
        return None;
    }
    let mut out = TippingPoint {
        estimand: format!("{}_{}", if s.two_arm { "ancova" } else { "mean_change" }, outcome.key()),
        imputations: s.imputations,
        seed: s.seed,
        rng: RNG_NAME.to_string(),
        conf_level: 1.0 - s.alpha,
        worse: if s.lower_is_better { "higher" } else { "lower" }.to_string(),
        ..TippingPoint::default()
    };
    let fin = |v: Option<f64>| v.filter(|x| x.is_finite());
    let people: Vec<(Arm, f64, Option<f64>)> =
        valid.iter().filter_map(|r| Some((r.arm?, fin(r.pre)?, fin(outcome.of(r))))).collect();
    out.left_out_no_pre = valid.len() - people.len();
    out.n = people.len();
    for &arm in arms {
        let of_arm = people.iter().filter(|p| p.0 == arm);
        out.observed.insert(arm.key().to_string(), of_arm.clone().filter(|p| p.2.is_some()).count());
        out.imputed.insert(arm.key().to_string(), of_arm.filter(|p| p.2.is_none()).count());
    }
    let wave = outcome.words();
    if out.imputed.values().all(|k| *k == 0) {
        out.reason = Some(if out.n == 0 {
            format!("Nobody has a pre score: the missing {wave} scores cannot be imputed from it.")
        } else {
            format!("Nobody in the analysis is missing a {wave} score: there is nothing to impute, and the results above already use everyone.")
        });
        return Some(out);
    }
    if out.observed.values().all(|k| *k == 0) {
        out.reason = Some(format!(
            "Nobody has both a pre and a {wave} score: the missing {wave} scores cannot be imputed (there is nobody to learn from)."
        ));
        return Some(out);
    }
    // The imputation model per arm with missing scores.
    let mut models: Vec<(Arm, NormModel)> = Vec::new();
    for &arm in arms {
        if out.imputed.get(arm.key()).copied().unwrap_or(0) == 0 {
            continue;
        }
        let pairs: Vec<(f64, f64)> = people.iter().filter(|p| p.0 == arm).filter_map(|p| Some((p.1, p.2?))).collect();
        match NormModel::fit(&pairs).filter(|m| m.n >= 3) {
            Some(m) => models.push((arm, m)),
            None => {
                out.reason = Some(format!(
                    "{}: the missing {wave} scores cannot be imputed — it needs at least 3 people with both a pre and a {wave} score and pre scores that vary ({} with both).",
                    arm.key(),
                    pairs.len()
                ));
                return Some(out);
            }
        }
    }
    // The analysis model and the shift pattern (+1 = worse when lower is better).
    let sign = if s.lower_is_better { 1.0 } else { -1.0 };
    let shifted_arm = if s.two_arm { Arm::Intervention } else { Arm::All };
    let d: Vec<f64> = people.iter().map(|p| if p.2.is_none() && p.0 == shifted_arm { sign } else { 0.0 }).collect();
    let pre_mean = people.iter().map(|p| p.1).sum::<f64>() / people.len() as f64;
    let (x, k, j): (Vec<f64>, usize, usize) = if s.two_arm {
        let x = people
            .iter()
            .flat_map(|p| [1.0, if p.0 == Arm::Intervention { 1.0 } else { 0.0 }, p.1 - pre_mean])
            .collect();
        (x, 3, 1)
    } else {
        (vec![1.0; people.len()], 1, 0)
    };
    let Some(ols) = ShiftedOls::new(&x, k, &d, j) else {
        out.reason = Some(if s.two_arm {
            "The ANCOVA cannot be fitted (too few people, or pre scores that do not vary).".to_string()
        } else {
            "Too few people for the mean change.".to_string()
        });
        return Some(out);
    };
    // The imputations.
    let mut draws = Draws::new(s.seed);
    let mut fits: Vec<ShiftedFit> = Vec::with_capacity(s.imputations);
    // Each arm's missing rows in order of their pre score, so that the draws do not depend on
    // the order of the rows in the file (people with the same pre score are interchangeable).
    let order: Vec<Vec<usize>> = models
        .iter()
        .map(|(arm, _)| {
            let mut idx: Vec<usize> =
                (0..people.len()).filter(|&i| people[i].0 == *arm && people[i].2.is_none()).collect();
            idx.sort_by(|&a, &b| people[a].1.total_cmp(&people[b].1));
            idx
        })
        .collect();
    // The analysed outcome (two arms: the score; one group: score − pre). Only the imputed
    // rows change between imputations: the rest is summed once, and the imputed rows are kept
    // side by side (their pre scores and values), in the order they are drawn.
    let analysed = |pre: f64, yi: f64| if s.two_arm { yi } else { yi - pre };
    let analysed_y: Vec<f64> = people.iter().map(|p| p.2.map_or(0.0, |yi| analysed(p.1, yi))).collect();
    let changing: Vec<usize> = order.concat();
    let pre_changing: Vec<f64> = changing.iter().filter_map(|&i| people.get(i).map(|p| p.1)).collect();
    let mut values = vec![0.0; changing.len()];
    let Some(fixed) = ols.fixed_part(&x, &analysed_y, &changing) else {
        out.reason = Some("The scores could not be analysed.".to_string());
        return Some(out);
    };
    for _ in 0..s.imputations {
        let mut at = 0;
        for ((_, model), idx) in models.iter().zip(&order) {
            let draw = model.draw(&mut draws);
            let end = at + idx.len();
            if let (Some(vals), Some(pres)) = (values.get_mut(at..end), pre_changing.get(at..end)) {
                for (v, &pre) in vals.iter_mut().zip(pres) {
                    *v = analysed(pre, draw.impute(pre, &mut draws));
                }
            }
            at = end;
        }
        match ols.summarise_changed(&fixed, &values) {
            Some(f) => fits.push(f),
            None => {
                out.reason = Some("An imputed data set could not be analysed.".to_string());
                return Some(out);
            }
        }
    }
    // The range δ may run to and its step.
    let range = match s.scale.filter(|(lo, hi)| lo.is_finite() && hi.is_finite() && hi > lo) {
        Some((lo, hi)) => hi - lo,
        None => {
            let all = people.iter().flat_map(|p| [Some(p.1), p.2]).flatten();
            let (lo, hi) = all.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
            hi - lo
        }
    };
    let Some(step) = step_for(range) else {
        out.reason = Some("The scores do not vary, so there is no range for δ.".to_string());
        return Some(out);
    };
    out.step = Some(step);
    out.range = Some(round9(range));
    let df_com = ols.df();
    let favours = |lo: f64, hi: f64| if s.lower_is_better { hi < 0.0 } else { lo > 0.0 };
    let mut tip_at: Option<usize> = None;
    for i in 0.. {
        let delta = round9(i as f64 * step);
        if delta > range * (1.0 + 1e-9) || tip_at.is_some_and(|t| i > t + ROWS_AFTER_TIP) {
            break;
        }
        let (q, u): (Vec<f64>, Vec<f64>) = fits.iter().map(|f| f.at(delta)).unzip();
        let pooled = rubin(&q, &u, df_com, s.alpha);
        let mut row = TippingRow { delta, ..TippingRow::default() };
        if let Some(p) = pooled {
            row.estimate = Some(p.estimate);
            row.se = Some(p.se);
            row.df = Some(p.df);
            row.ci_low = Some(p.ci_low);
            row.ci_high = Some(p.ci_high);
            row.p = Some(p.p);
            row.clear = favours(p.ci_low, p.ci_high);
        }
        if i == 0 && !row.clear {
            let at = if outcome == Outcome::Followup { " at follow-up" } else { "" };
            out.reason = Some(if pooled.is_none() {
                "The imputed data sets could not be pooled (no variance).".to_string()
            } else if s.two_arm {
                format!("The program's advantage{at} is not clear even at δ = 0 (people who dropped out like similar people who stayed in their group): there is no conclusion for drop-out to tip.")
            } else {
                format!("The improvement{at} is not clear even at δ = 0 (people who dropped out like similar people who stayed): there is no conclusion for drop-out to tip.")
            });
            out.rows.push(row);
            return Some(out);
        }
        if !row.clear && tip_at.is_none() {
            tip_at = Some(i);
            out.tipping_delta = Some(delta);
        }
        if row.clear && tip_at.is_none() {
            out.last_clear_delta = Some(delta);
        }
        out.rows.push(row);
    }
    if out.tipping_delta.is_none() {
        let at = if outcome == Outcome::Followup { " at follow-up" } else { "" };
        out.reason = Some(format!(
            "The advantage{at} stays clear even when the program's drop-outs are {} points worse — the whole range of the scale.",
            round9(range)
        ));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(arm: Arm, pre: f64, post: Option<f64>) -> PersonWaves {
        PersonWaves { arm: Some(arm), pre: Some(pre), post, ..PersonWaves::default() }
    }

    fn settings(two_arm: bool) -> TippingSettings {
        TippingSettings {
            two_arm,
            lower_is_better: true,
            alpha: 0.05,
            imputations: 50,
            seed: 3,
            scale: Some((1.0, 5.0)),
        }
    }

    #[test]
    fn steps_are_round() {
        assert_eq!(step_for(4.0), Some(0.1));
        assert_eq!(step_for(27.0), Some(0.5));
        assert_eq!(step_for(100.0), Some(2.0));
        assert_eq!(step_for(8.0), Some(0.2));
        assert_eq!(step_for(0.0), None);
    }

    #[test]
    fn nobody_missing_is_null_with_a_reason() {
        let rows: Vec<PersonWaves> = (0..10)
            .map(|i| {
                person(if i % 2 == 0 { Arm::Intervention } else { Arm::Control }, 2.0 + i as f64 / 10.0, Some(2.0))
            })
            .collect();
        let t = tipping_point(&rows, settings(true)).unwrap();
        assert_eq!(t.tipping_delta, None);
        assert!(t.reason.as_deref().is_some_and(|r| r.contains("Nobody in the analysis is missing")));
        assert!(t.rows.is_empty());
        assert_eq!(t.imputed.get("intervention"), Some(&0));
        assert!(tipping_point(&[], settings(true)).is_none());
    }

    #[test]
    fn too_few_to_impute_is_null_with_a_reason() {
        let rows = vec![
            person(Arm::Intervention, 2.0, Some(1.0)),
            person(Arm::Intervention, 3.0, Some(2.0)),
            person(Arm::Intervention, 3.0, None),
            person(Arm::Control, 2.0, Some(2.0)),
            person(Arm::Control, 3.0, Some(3.5)),
            person(Arm::Control, 4.0, Some(3.0)),
        ];
        let t = tipping_point(&rows, settings(true)).unwrap();
        assert!(t.reason.as_deref().is_some_and(|r| r.starts_with("intervention:")), "{:?}", t.reason);
    }
}
