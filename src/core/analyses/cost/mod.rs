//! Cost per outcome and cost-effectiveness (issue 7): the program's cost ingredients and its
//! trial data → `results.cost`. Definitions: `shared/reference/README.md` ("Cost", "Bootstrap").
//!
//! - C_i = total intervention cost / n enrolled in the intervention arm (all rows), C_c likewise.
//! - Completers have a non-missing post score; reliably improved = intervention participants
//!   with RCI < −threshold (SD_pre of complete pairs pooled over arms, or the recipe's normative
//!   SD; rxx and threshold from `rci_inputs`).
//! - p = share of `help_seeking_post` = yes among non-missing answers in the arm (`help_coding`).
//! - ICER = (C_i − C_c)/(p_i − p_c), `null` when p_i = p_c; its interval is the percentile
//!   interval (type 7) of a stratified bootstrap with costs per participant fixed.
//! - A classification ([`CeClass`]) says in words whether the ratio means anything
//!   (dominant / dominated / undefined / ratio-meaningful); `icer_reported` carries the ratio only
//!   when it does.
//!
//! Parts: [`table`] (ingredients and totals), [`parse`] (cost CSV), [`data`] (counts from the
//! dataset), [`bootstrap`] (resampling, settings, quantiles), [`ratio`] (classification,
//! acceptability curve, money in words).
//! [`CostRun`] runs the bootstrap in steps, so a worker or an event loop can report progress and
//! stop; [`cost_analysis`] runs it in one call with a progress callback.

pub mod bootstrap;
pub mod data;
pub mod parse;
pub mod ratio;
pub mod table;

pub use bootstrap::{BootstrapSettings, HelpCounts, DEFAULT_REPLICATES, DEFAULT_SEED};
pub use data::{ArmData, CostData};
pub use parse::{parse_cost_csv, CostFileError, ParsedCosts};
pub use ratio::{CeClass, CeacPoint};
pub use table::{CostArm, CostBasis, CostItem, CostTable, CostValue, SUGGESTED_CATEGORIES};

use crate::core::analyses::Analysis;
use crate::core::dataset::Dataset;
use crate::core::recipe::Recipe;
use bootstrap::{quantile_type7, Resampler, RNG_NAME};
use serde::{Deserialize, Serialize};

/// At most this many bootstrap replicates are kept for drawing the cost-effectiveness plane.
pub const CE_PLANE_MAX_POINTS: usize = 1000;

/// One replicate (or the point estimate) on the cost-effectiveness plane.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CePoint {
    /// C_i − C_c, per participant.
    pub delta_cost: f64,
    /// p_i − p_c.
    pub delta_effect: f64,
}

/// The cost-effectiveness plane: the point estimate and a bounded sample of replicates.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CePlane {
    pub point: Option<CePoint>,
    /// The first [`CE_PLANE_MAX_POINTS`] defined replicates (a random sample of them all).
    pub replicates: Vec<CePoint>,
}

/// One bar of the sensitivity tornado: an input at its low and high value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SensitivityRow {
    pub label: String,
    /// "ingredient" (an amount ± the sensitivity share) or "effect" (Δeffect at its interval limits).
    pub kind: String,
    pub base_input: f64,
    pub low_input: f64,
    pub high_input: f64,
    pub icer_at_low: Option<f64>,
    pub icer_at_high: Option<f64>,
    pub cost_per_enrolled_at_low: Option<f64>,
    pub cost_per_enrolled_at_high: Option<f64>,
    pub cost_per_reliably_improved_at_low: Option<f64>,
    pub cost_per_reliably_improved_at_high: Option<f64>,
}

/// `results.cost`: the reference keys (`shared/reference/analysis/p08*`) first, then extras.
/// `None` = not computable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CostResult {
    pub total_intervention: f64,
    /// `None` for a single-group file.
    pub total_control: Option<f64>,
    pub n_enrolled_intervention: usize,
    pub n_enrolled_control: Option<usize>,
    pub n_completers_intervention: Option<usize>,
    pub n_reliably_improved_intervention: Option<usize>,
    pub cost_per_participant_intervention: Option<f64>,
    pub cost_per_participant_control: Option<f64>,
    /// Intervention cost per participant enrolled (= `cost_per_participant_intervention`).
    pub cost_per_enrolled: Option<f64>,
    pub cost_per_completer: Option<f64>,
    pub cost_per_reliably_improved: Option<f64>,
    pub p_help_intervention: Option<f64>,
    pub p_help_control: Option<f64>,
    /// (C_i − C_c)/(p_i − p_c) as arithmetic; `None` when p_i = p_c or not computable. Whether
    /// it means anything is in `classification` and `icer_reported`.
    pub incremental_cost_per_additional_help_seeker: Option<f64>,
    pub boot_ci_low: Option<f64>,
    pub boot_ci_high: Option<f64>,

    pub currency: String,
    /// Costs of ingredients shared by both arms (already included in the two totals).
    pub total_shared: f64,
    pub n_completers_control: Option<usize>,
    pub n_help_answered_intervention: Option<usize>,
    pub n_help_answered_control: Option<usize>,
    /// C_i − C_c.
    pub delta_cost: Option<f64>,
    /// p_i − p_c.
    pub delta_effect: Option<f64>,
    pub boot_delta_effect_ci_low: Option<f64>,
    pub boot_delta_effect_ci_high: Option<f64>,
    pub ci_level: f64,
    #[serde(rename = "bootstrap_B")]
    pub bootstrap_replicates: usize,
    pub bootstrap_replicates_done: usize,
    pub bootstrap_seed: u64,
    pub bootstrap_rng: String,
    pub bootstrap_cancelled: bool,
    /// Replicates without a ratio (an arm drew no answer, or 0/0); left out of the intervals.
    pub bootstrap_undefined_replicates: usize,
    pub classification: CeClass,
    pub classification_sentence: String,
    /// The ratio, only when `classification` is `ratio_meaningful`.
    pub icer_reported: Option<f64>,
    pub ce_plane: CePlane,
    pub ceac: Vec<CeacPoint>,
    pub sensitivity_share: f64,
    pub sensitivity: Vec<SensitivityRow>,
    /// A plain-language summary.
    pub summary: String,
    pub notes: Vec<String>,
}

/// Cost figures for one set of ingredient values.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Point {
    total_i: f64,
    total_c: Option<f64>,
    shared: f64,
    c_i: Option<f64>,
    c_c: Option<f64>,
    per_completer: Option<f64>,
    per_improved: Option<f64>,
    delta_cost: Option<f64>,
}

fn ratio(num: f64, den: usize) -> Option<f64> {
    (den > 0).then(|| num / den as f64).filter(|v| v.is_finite())
}

fn point(data: &CostData, costs: &CostTable, scale: &dyn Fn(usize) -> f64) -> Point {
    let ni = data.intervention.n_enrolled;
    let nc = data.control.as_ref().map_or(0, |c| c.n_enrolled);
    let t = costs.totals_scaled(ni, nc, scale);
    let c_i = ratio(t.intervention, ni);
    let c_c = data.control.as_ref().and_then(|_| ratio(t.control, nc));
    Point {
        total_i: t.intervention,
        total_c: data.control.as_ref().map(|_| t.control),
        shared: t.shared,
        c_i,
        c_c,
        per_completer: data.intervention.n_completers.and_then(|n| ratio(t.intervention, n)),
        per_improved: data.n_reliably_improved.and_then(|n| ratio(t.intervention, n)),
        delta_cost: c_i.zip(c_c).map(|(a, b)| a - b),
    }
}

/// (C_i − C_c)/(p_i − p_c); `None` when the difference is 0 or a value is missing.
fn icer(delta_cost: Option<f64>, delta_effect: Option<f64>) -> Option<f64> {
    let (dc, de) = (delta_cost?, delta_effect?);
    (de != 0.0).then(|| dc / de).filter(|v| v.is_finite())
}

/// A cost analysis in progress: point estimates are fixed, bootstrap replicates are drawn in
/// steps ([`CostRun::step`]) and [`CostRun::finish`] summarises whatever was drawn.
#[derive(Debug, Clone)]
pub struct CostRun {
    data: CostData,
    costs: CostTable,
    settings: BootstrapSettings,
    target: usize,
    sampler: Option<Resampler>,
    /// Bootstrap Δeffect per replicate; NaN when undefined.
    deltas: Vec<f64>,
}

impl CostRun {
    pub fn new(ds: &Dataset, recipe: &Recipe, costs: &CostTable, settings: &BootstrapSettings) -> CostRun {
        CostRun::from_data(CostData::from_dataset(ds, recipe), costs.clone(), settings.clone())
    }

    pub fn from_data(data: CostData, costs: CostTable, settings: BootstrapSettings) -> CostRun {
        let help_i = data.intervention.help;
        let help_c = data.control.as_ref().and_then(|c| c.help);
        let sampler = match (help_i, help_c) {
            (Some(a), Some(b)) if settings.replicates > 0 && a.yes + a.no > 0 && b.yes + b.no > 0 => {
                Some(Resampler::new(settings.seed, a, b))
            }
            _ => None,
        };
        let target = if sampler.is_some() { settings.replicates } else { 0 };
        CostRun { data, costs, settings, target, sampler, deltas: Vec::with_capacity(target) }
    }

    /// Replicates to draw (0 when no bootstrap is possible or asked for).
    pub fn replicates_target(&self) -> usize {
        self.target
    }

    pub fn replicates_done(&self) -> usize {
        self.deltas.len()
    }

    pub fn fraction_done(&self) -> f64 {
        if self.target == 0 {
            1.0
        } else {
            self.deltas.len() as f64 / self.target as f64
        }
    }

    pub fn is_done(&self) -> bool {
        self.deltas.len() >= self.target
    }

    /// Draws up to `max` more replicates.
    pub fn step(&mut self, max: usize) {
        let Some(sampler) = self.sampler.as_mut() else { return };
        let todo = max.min(self.target.saturating_sub(self.deltas.len()));
        for _ in 0..todo {
            self.deltas.push(sampler.next_delta().unwrap_or(f64::NAN));
        }
    }

    /// The results. A run stopped before all replicates were drawn keeps its point estimates
    /// and reports no interval (`bootstrap_cancelled`).
    pub fn finish(self) -> CostResult {
        let CostRun { data, costs, settings, target, deltas, .. } = self;
        let level = settings.level();
        let tail = (1.0 - level) / 2.0;
        let currency = costs.currency.trim().to_string();
        let base = point(&data, &costs, &|_| 1.0);
        let help_i = data.intervention.help;
        let help_c = data.control.as_ref().and_then(|c| c.help);
        let p_i = help_i.and_then(|h| h.p());
        let p_c = help_c.and_then(|h| h.p());
        let delta_effect = p_i.zip(p_c).map(|(a, b)| a - b);
        let icer_point = icer(base.delta_cost, delta_effect);
        let mut notes = data.notes.clone();

        // Bootstrap summaries, only from a complete run.
        let completed = target > 0 && deltas.len() >= target;
        let cancelled = deltas.len() < target;
        let valid: Vec<f64> = deltas.iter().copied().filter(|d| !d.is_nan()).collect();
        let mut undefined = deltas.len() - valid.len();
        let (mut effect_ci, mut icer_ci) = (None, None);
        let mut ceac = Vec::new();
        let mut plane = CePlane {
            point: base.delta_cost.zip(delta_effect).map(|(c, e)| CePoint { delta_cost: c, delta_effect: e }),
            replicates: Vec::new(),
        };
        if completed {
            let mut sorted = valid.clone();
            sorted.sort_by(f64::total_cmp);
            effect_ci = quantile_type7(&sorted, tail).zip(quantile_type7(&sorted, 1.0 - tail));
            if let Some(dc) = base.delta_cost {
                let mut ratios: Vec<f64> = valid.iter().map(|d| dc / d).filter(|r| !r.is_nan()).collect();
                undefined += valid.len() - ratios.len();
                ratios.sort_by(f64::total_cmp);
                icer_ci = quantile_type7(&ratios, tail).zip(quantile_type7(&ratios, 1.0 - tail));
                plane.replicates = valid
                    .iter()
                    .take(CE_PLANE_MAX_POINTS)
                    .map(|&e| CePoint { delta_cost: dc, delta_effect: e })
                    .collect();
                let wtp_max = settings.wtp_max.filter(|w| w.is_finite() && *w > 0.0).unwrap_or_else(|| {
                    let top = [icer_point, icer_ci.map(|c| c.1)]
                        .into_iter()
                        .flatten()
                        .filter(|v| v.is_finite() && *v > 0.0)
                        .fold(0.0, f64::max);
                    if top > 0.0 {
                        ratio::nice_ceiling(2.0 * top)
                    } else {
                        ratio::nice_ceiling(10.0 * dc.abs().max(1.0))
                    }
                });
                ceac = ratio::ceac(dc, &valid, wtp_max, settings.wtp_points.clamp(2, 1000));
            }
            if undefined > 0 {
                notes.push(format!("{undefined} of {target} bootstrap resamples had no ratio (an arm drew no help-seeking answer, or no difference at equal costs) and were left out of the interval."));
            }
        } else if cancelled {
            notes.push(format!(
                "The bootstrap was stopped after {} of {target} resamples, so no interval is shown.",
                deltas.len()
            ));
        } else if settings.replicates > 0 && data.control.is_some() && delta_effect.is_none() {
            notes.push("The bootstrap needs help-seeking answers after the program in both arms.".into());
        }

        let verdict = ratio::classify(base.delta_cost, delta_effect, effect_ci, icer_ci, &currency, level);
        let icer_reported = (verdict.class == CeClass::RatioMeaningful).then_some(icer_point).flatten();
        if costs.has_unvalued_volunteer_hours() {
            notes.push(
                "Some costs are volunteer hours without an hourly value, so they count as 0: enter the value of one volunteer hour.".into(),
            );
        }
        if data.control.is_none() && costs.items.iter().any(|i| i.arm == CostArm::Control) {
            notes.push("The data have no control arm, so the control costs were left out.".into());
        }
        let sensitivity = sensitivity_rows(&data, &costs, &settings, delta_effect, effect_ci);
        let summary = summary(&data, &base, &currency, &verdict, completed, target, settings.seed, level);
        CostResult {
            total_intervention: base.total_i,
            total_control: base.total_c,
            n_enrolled_intervention: data.intervention.n_enrolled,
            n_enrolled_control: data.control.as_ref().map(|c| c.n_enrolled),
            n_completers_intervention: data.intervention.n_completers,
            n_reliably_improved_intervention: data.n_reliably_improved,
            cost_per_participant_intervention: base.c_i,
            cost_per_participant_control: base.c_c,
            cost_per_enrolled: base.c_i,
            cost_per_completer: base.per_completer,
            cost_per_reliably_improved: base.per_improved,
            p_help_intervention: p_i,
            p_help_control: p_c,
            incremental_cost_per_additional_help_seeker: icer_point,
            boot_ci_low: icer_ci.map(|c| c.0),
            boot_ci_high: icer_ci.map(|c| c.1),
            currency,
            total_shared: base.shared,
            n_completers_control: data.control.as_ref().and_then(|c| c.n_completers),
            n_help_answered_intervention: help_i.map(|h| h.yes + h.no),
            n_help_answered_control: help_c.map(|h| h.yes + h.no),
            delta_cost: base.delta_cost,
            delta_effect,
            boot_delta_effect_ci_low: effect_ci.map(|c| c.0),
            boot_delta_effect_ci_high: effect_ci.map(|c| c.1),
            ci_level: level,
            bootstrap_replicates: target,
            bootstrap_replicates_done: deltas.len(),
            bootstrap_seed: settings.seed,
            bootstrap_rng: RNG_NAME.to_string(),
            bootstrap_cancelled: cancelled,
            bootstrap_undefined_replicates: undefined,
            classification: verdict.class,
            classification_sentence: verdict.sentence,
            icer_reported,
            ce_plane: plane,
            ceac,
            sensitivity_share: settings.sensitivity,
            sensitivity,
            summary,
            notes,
        }
    }
}

/// One-way sensitivity: each ingredient at (1 ± share) × its value, and Δeffect at its interval
/// limits; ingredient rows sorted by the width of their ratio (or cost per enrolled) range.
fn sensitivity_rows(
    data: &CostData,
    costs: &CostTable,
    settings: &BootstrapSettings,
    delta_effect: Option<f64>,
    effect_ci: Option<(f64, f64)>,
) -> Vec<SensitivityRow> {
    let share = if settings.sensitivity.is_finite() && settings.sensitivity > 0.0 { settings.sensitivity } else { 0.2 };
    let base = point(data, costs, &|_| 1.0);
    let mut rows: Vec<SensitivityRow> = costs
        .items
        .iter()
        .enumerate()
        .map(|(k, item)| {
            let at = |f: f64| point(data, costs, &move |j| if j == k { f } else { 1.0 });
            let (lo, hi) = (at(1.0 - share), at(1.0 + share));
            let amount = item.money(costs.volunteer_hourly_value);
            SensitivityRow {
                label: item.label(),
                kind: "ingredient".into(),
                base_input: amount,
                low_input: amount * (1.0 - share),
                high_input: amount * (1.0 + share),
                icer_at_low: icer(lo.delta_cost, delta_effect),
                icer_at_high: icer(hi.delta_cost, delta_effect),
                cost_per_enrolled_at_low: lo.c_i,
                cost_per_enrolled_at_high: hi.c_i,
                cost_per_reliably_improved_at_low: lo.per_improved,
                cost_per_reliably_improved_at_high: hi.per_improved,
            }
        })
        .collect();
    let width = |r: &SensitivityRow| -> f64 {
        match (r.icer_at_low, r.icer_at_high) {
            (Some(a), Some(b)) => (b - a).abs(),
            _ => r.cost_per_enrolled_at_low.zip(r.cost_per_enrolled_at_high).map_or(0.0, |(a, b)| (b - a).abs()),
        }
    };
    rows.sort_by(|a, b| width(b).total_cmp(&width(a)));
    if let (Some(de), Some((lo, hi))) = (delta_effect, effect_ci) {
        rows.push(SensitivityRow {
            label: "difference in help-seeking (interval limits)".into(),
            kind: "effect".into(),
            base_input: de,
            low_input: lo,
            high_input: hi,
            icer_at_low: icer(base.delta_cost, Some(lo)),
            icer_at_high: icer(base.delta_cost, Some(hi)),
            cost_per_enrolled_at_low: base.c_i,
            cost_per_enrolled_at_high: base.c_i,
            cost_per_reliably_improved_at_low: base.per_improved,
            cost_per_reliably_improved_at_high: base.per_improved,
        });
    }
    rows
}

#[allow(clippy::too_many_arguments)]
fn summary(
    data: &CostData,
    base: &Point,
    currency: &str,
    verdict: &ratio::Verdict,
    completed: bool,
    target: usize,
    seed: u64,
    level: f64,
) -> String {
    let m = |x: f64| ratio::money(x, currency);
    let mut s = Vec::new();
    let mut per = Vec::new();
    if let Some(c) = base.c_i {
        per.push(format!("{} per participant enrolled", m(c)));
    }
    if let Some(c) = base.per_completer {
        per.push(format!("{} per participant with a post score", m(c)));
    }
    if let Some(c) = base.per_improved {
        per.push(format!("{} per participant who improved reliably", m(c)));
    }
    let per = match per.len() {
        0 => String::new(),
        1 => format!(": {}", per[0]),
        n => format!(": {} and {}", per[..n - 1].join(", "), per[n - 1]),
    };
    s.push(format!(
        "The program's costs add up to {} for {} participants enrolled{per}.",
        m(base.total_i),
        data.intervention.n_enrolled
    ));
    if let Some(c) = base.c_c {
        s.push(format!("The control condition cost {} per participant.", m(c)));
    }
    if data.control.is_some() {
        s.push(verdict.sentence.clone());
        if completed {
            s.push(format!(
                "Intervals: {}% percentile intervals from {target} bootstrap resamples within each arm (seed {seed}).",
                (level * 100.0).round()
            ));
        }
    }
    s.join(" ")
}

/// Runs the cost analysis in one call. `progress` gets the share of bootstrap resamples done
/// about every 1% and returns `false` to stop (the result then has no interval).
pub fn cost_analysis(
    ds: &Dataset,
    recipe: &Recipe,
    costs: &CostTable,
    boot: &BootstrapSettings,
    progress: &mut dyn FnMut(f64) -> bool,
) -> CostResult {
    run_with_progress(CostRun::new(ds, recipe, costs, boot), progress)
}

/// Steps a run to the end, calling `progress` about every 1%; `false` stops it.
pub fn run_with_progress(mut run: CostRun, progress: &mut dyn FnMut(f64) -> bool) -> CostResult {
    let chunk = run.replicates_target().div_ceil(100).max(1);
    while !run.is_done() {
        run.step(chunk);
        let keep_going = progress(run.fraction_done());
        if !keep_going && !run.is_done() {
            break;
        }
    }
    run.finish()
}

/// Adds `results.cost` to an analysis run (its notes join the analysis notes).
pub fn add_to_analysis(
    out: &mut Analysis,
    ds: &Dataset,
    recipe: &Recipe,
    costs: &CostTable,
    boot: &BootstrapSettings,
    progress: &mut dyn FnMut(f64) -> bool,
) {
    let result = cost_analysis(ds, recipe, costs, boot, progress);
    for note in &result.notes {
        if !out.notes.contains(note) {
            out.notes.push(note.clone());
        }
    }
    out.results.cost = Some(result);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arm(n: usize, yes: usize, no: usize) -> ArmData {
        ArmData { n_enrolled: n, n_completers: Some(yes + no), help: Some(HelpCounts { n, yes, no }) }
    }

    fn data(i: ArmData, c: ArmData) -> CostData {
        CostData { intervention: i, control: Some(c), n_reliably_improved: Some(10), notes: Vec::new() }
    }

    fn table(int: f64, ctrl: f64) -> CostTable {
        CostTable {
            items: vec![
                CostItem::amount("stipends", CostArm::Intervention, int),
                CostItem::amount("materials", CostArm::Control, ctrl),
            ],
            currency: "$".into(),
            volunteer_hourly_value: None,
        }
    }

    fn settings(b: usize, seed: u64) -> BootstrapSettings {
        BootstrapSettings { replicates: b, seed, ..Default::default() }
    }

    fn run(d: CostData, t: CostTable, s: BootstrapSettings) -> CostResult {
        run_with_progress(CostRun::from_data(d, t, s), &mut |_| true)
    }

    #[test]
    fn point_estimates_follow_the_definitions() {
        // 100 per arm; intervention 40 yes / 40 no / 20 missing, control 20 / 60 / 20.
        let r = run(data(arm(100, 40, 40), arm(100, 20, 60)), table(5000.0, 500.0), settings(0, 1));
        assert_eq!((r.total_intervention, r.total_control), (5000.0, Some(500.0)));
        assert_eq!((r.cost_per_enrolled, r.cost_per_participant_control), (Some(50.0), Some(5.0)));
        assert_eq!(r.cost_per_completer, Some(5000.0 / 80.0));
        assert_eq!(r.cost_per_reliably_improved, Some(500.0));
        assert_eq!((r.p_help_intervention, r.p_help_control), (Some(0.5), Some(0.25)));
        assert_eq!(r.incremental_cost_per_additional_help_seeker, Some(45.0 / 0.25));
        // No bootstrap asked for: no interval, and the point estimate decides the class.
        assert_eq!((r.boot_ci_low, r.bootstrap_replicates, r.bootstrap_cancelled), (None, 0, false));
        assert_eq!(r.classification, CeClass::RatioMeaningful);
        assert_eq!(r.icer_reported, Some(180.0));
    }

    #[test]
    fn same_seed_same_numbers_other_seed_other_numbers() {
        let d = || data(arm(150, 60, 70), arm(140, 30, 90));
        let a = run(d(), table(9000.0, 700.0), settings(2000, 99));
        let b = run(d(), table(9000.0, 700.0), settings(2000, 99));
        let c = run(d(), table(9000.0, 700.0), settings(2000, 100));
        assert!(a.boot_ci_low.is_some() && a.boot_ci_high.is_some());
        assert_eq!(a, b);
        assert_eq!(a.bootstrap_seed, 99);
        assert_ne!(a.boot_ci_low, c.boot_ci_low);
        assert_eq!(a.ce_plane.replicates.len(), CE_PLANE_MAX_POINTS);
        // The point ratio lies inside its interval; the acceptability curve rises from 0 to near 1.
        let icer = a.incremental_cost_per_additional_help_seeker.unwrap();
        assert!(a.boot_ci_low.unwrap() < icer && icer < a.boot_ci_high.unwrap());
        assert_eq!(a.ceac.first().map(|p| p.probability), Some(0.0));
        assert!(a.ceac.last().unwrap().probability > 0.95);
        assert!(a.ceac.windows(2).all(|w| w[0].probability <= w[1].probability));
    }

    #[test]
    fn cancelling_stops_early_and_reports_no_interval() {
        let mut calls = 0;
        let r = run_with_progress(
            CostRun::from_data(data(arm(100, 40, 40), arm(100, 20, 60)), table(5000.0, 500.0), settings(10_000, 5)),
            &mut |f| {
                calls += 1;
                assert!(f > 0.0 && f <= 1.0);
                calls < 3
            },
        );
        assert_eq!(calls, 3);
        assert!(r.bootstrap_cancelled);
        assert_eq!(r.bootstrap_replicates_done, 300);
        assert_eq!((r.boot_ci_low, r.boot_ci_high, r.boot_delta_effect_ci_low), (None, None, None));
        assert!(r.ceac.is_empty() && r.ce_plane.replicates.is_empty());
        // The point estimates are still there.
        assert_eq!(r.incremental_cost_per_additional_help_seeker, Some(180.0));
        assert!(r.notes.iter().any(|n| n.contains("stopped after 300 of 10000")));
        // Progress comes about every 1%.
        let mut seen = Vec::new();
        let r = run_with_progress(
            CostRun::from_data(data(arm(20, 8, 8), arm(20, 4, 12)), table(100.0, 10.0), settings(1000, 5)),
            &mut |f| {
                seen.push(f);
                true
            },
        );
        assert_eq!(seen.len(), 100);
        assert_eq!(seen.last(), Some(&1.0));
        assert!(!r.bootstrap_cancelled && r.bootstrap_replicates_done == 1000);
    }

    #[test]
    fn zero_effect_difference_is_undefined_not_a_number() {
        let r = run(data(arm(100, 30, 50), arm(100, 30, 50)), table(5000.0, 500.0), settings(500, 3));
        assert_eq!(r.delta_effect, Some(0.0));
        assert_eq!(r.incremental_cost_per_additional_help_seeker, None);
        assert_eq!(r.icer_reported, None);
        assert_eq!(r.classification, CeClass::Undefined);
        assert!(r.classification_sentence.contains("same share"));
        let json = serde_json::to_string(&r).unwrap();
        assert!(!json.contains("NaN") && !json.contains("inf"));
        assert!(json.contains("\"incremental_cost_per_additional_help_seeker\":null"));
    }

    #[test]
    fn dominance_and_uncertain_effects() {
        // Cheaper and clearly better: dominant, no ratio reported (the arithmetic is negative).
        let r = run(data(arm(200, 120, 60), arm(200, 40, 140)), table(1000.0, 2000.0), settings(2000, 1));
        assert_eq!(r.classification, CeClass::Dominant);
        assert!(r.incremental_cost_per_additional_help_seeker.unwrap() < 0.0);
        assert_eq!(r.icer_reported, None);
        assert!(r.boot_delta_effect_ci_low.unwrap() > 0.0);
        // Dearer and clearly worse: dominated.
        let r = run(data(arm(200, 40, 140), arm(200, 120, 60)), table(5000.0, 100.0), settings(2000, 1));
        assert_eq!(r.classification, CeClass::Dominated);
        assert_eq!(r.icer_reported, None);
        // Dearer and slightly better, but the interval of the difference includes 0: undefined.
        let r = run(data(arm(60, 16, 34), arm(60, 14, 36)), table(5000.0, 100.0), settings(2000, 1));
        assert!(r.delta_effect.unwrap() > 0.0);
        assert!(r.boot_delta_effect_ci_low.unwrap() < 0.0 && r.boot_delta_effect_ci_high.unwrap() > 0.0);
        assert_eq!(r.classification, CeClass::Undefined);
        assert_eq!(r.icer_reported, None);
        assert!(r.classification_sentence.contains("uncertain"));
    }

    #[test]
    fn costs_scale_and_arms_swap() {
        // Scaling every cost by k scales every cost ratio by k.
        let d = || data(arm(120, 50, 50), arm(110, 25, 70));
        let a = run(d(), table(6000.0, 300.0), settings(1000, 8));
        let b = run(d(), table(18000.0, 900.0), settings(1000, 8));
        let close =
            |x: Option<f64>, y: Option<f64>, k: f64| (x.unwrap() * k - y.unwrap()).abs() <= 1e-9 * y.unwrap().abs();
        for (x, y) in [
            (a.cost_per_enrolled, b.cost_per_enrolled),
            (a.cost_per_completer, b.cost_per_completer),
            (a.cost_per_reliably_improved, b.cost_per_reliably_improved),
            (a.incremental_cost_per_additional_help_seeker, b.incremental_cost_per_additional_help_seeker),
            (a.boot_ci_low, b.boot_ci_low),
            (a.boot_ci_high, b.boot_ci_high),
        ] {
            assert!(close(x, y, 3.0), "{x:?} {y:?}");
        }
        // Swapping which arm is the intervention flips both differences; the ratio keeps its value.
        let swapped = run(
            data(arm(110, 25, 70), arm(120, 50, 50)),
            CostTable {
                items: vec![
                    CostItem::amount("materials", CostArm::Intervention, 300.0),
                    CostItem::amount("stipends", CostArm::Control, 6000.0),
                ],
                ..table(0.0, 0.0)
            },
            settings(0, 8),
        );
        assert!((swapped.delta_cost.unwrap() + a.delta_cost.unwrap()).abs() < 1e-12);
        assert!((swapped.delta_effect.unwrap() + a.delta_effect.unwrap()).abs() < 1e-12);
        assert!(
            (swapped.incremental_cost_per_additional_help_seeker.unwrap()
                - a.incremental_cost_per_additional_help_seeker.unwrap())
            .abs()
                < 1e-9
        );
        assert_eq!(swapped.classification, CeClass::RatioMeaningful);
        assert!(swapped.classification_sentence.contains("saved"));
    }

    #[test]
    fn sensitivity_varies_each_ingredient() {
        let t = CostTable {
            items: vec![
                CostItem::amount("stipends", CostArm::Intervention, 4000.0),
                CostItem::amount("training", CostArm::Intervention, 1000.0),
                CostItem::amount("materials", CostArm::Control, 500.0),
            ],
            currency: "$".into(),
            volunteer_hourly_value: None,
        };
        let r = run(data(arm(100, 40, 40), arm(100, 20, 60)), t, settings(500, 2));
        assert_eq!(r.sensitivity.len(), 4);
        let s = &r.sensitivity[0];
        assert!(s.label.starts_with("stipends"));
        // Stipends ±20% = ∓800 → C_i 42 or 58; Δeffect 0.25.
        assert_eq!((s.low_input, s.high_input), (3200.0, 4800.0));
        assert!((s.icer_at_low.unwrap() - (42.0 - 5.0) / 0.25).abs() < 1e-9);
        assert!((s.icer_at_high.unwrap() - (58.0 - 5.0) / 0.25).abs() < 1e-9);
        assert_eq!(s.cost_per_reliably_improved_at_high, Some(5800.0 / 10.0));
        // Control materials raise the ratio when they fall.
        let m = r.sensitivity.iter().find(|x| x.label.starts_with("materials")).unwrap();
        assert!(m.icer_at_low.unwrap() > m.icer_at_high.unwrap());
        let e = r.sensitivity.last().unwrap();
        assert_eq!(e.kind, "effect");
        assert_eq!(e.low_input, r.boot_delta_effect_ci_low.unwrap());
    }

    #[test]
    fn single_group_has_costs_but_no_ratio() {
        let d = CostData { intervention: arm(50, 20, 20), control: None, n_reliably_improved: None, notes: Vec::new() };
        let r = run(d, table(1000.0, 100.0), settings(1000, 1));
        assert_eq!(r.cost_per_enrolled, Some(20.0));
        assert_eq!(
            (r.total_control, r.cost_per_participant_control, r.incremental_cost_per_additional_help_seeker),
            (None, None, None)
        );
        assert_eq!(r.bootstrap_replicates, 0);
        assert_eq!(r.classification, CeClass::Undefined);
        assert!(r.notes.iter().any(|n| n.contains("no control arm")));
    }
}
