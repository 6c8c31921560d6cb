//! Teaching mode (issue 10): simulate many studies of a chosen design and show how much their
//! results wander from sample to sample.
//!
//! # Model (all scores in standard-deviation units; higher = better in this module)
//! - Each arm has `n_per_arm` participants, in clusters of `cluster_size` consecutive
//!   participants (the last cluster may be smaller). Clusters are nested in arms.
//! - pre = √ICC·a + √(1−ICC)·e_pre and post = √ICC·b + √(1−ICC)·e_post (+ Δ in the intervention
//!   arm), where (a, b) is the cluster's pair of random effects and (e_pre, e_post) the person's,
//!   each pair standard bivariate normal with correlation ρ (`r_pre_post`). So pre and post have
//!   SD 1, correlation ρ, and the ICC of pre, post and change is `icc`.
//! - Δ (the true improvement, in SDs of the scores) is `effect_d` when the effect is given on
//!   the scores, or `effect_d`·√(2(1−ρ)) when it is given on the change (SD of change).
//! - Each person is lost before the post measurement with probability `attrition`.
//!
//! # Each simulated study is analysed as Lantern's Change section would
//! - Two groups: Welch t-test of intervention − control on post scores or on change scores;
//!   the estimate is Cohen's d (pooled SD). One group: paired t-test (one-sample t on the
//!   changes); the estimate is d_z.
//! - With `analyse_cluster_means` the test uses cluster means instead of people (a valid test
//!   when people in a cluster are alike); the estimate stays the person-level d.
//!
//! # Planned power (from Lantern's planner, [`crate::core::planning::power::solve`])
//! On the true effect of the analysed outcome and the expected people analysed,
//! n·(1 − attrition) per arm:
//! - two groups without clusters: the two-sample t-test (R `pwr.t.test`);
//! - two groups with clusters: the cluster-randomised trial (PowerUp! CRA2) with the arm's
//!   clusters, their mean analysed size and ICC;
//! - one group: the paired t-test on n·(1 − attrition)/DE, DE = 1 + (m − 1)·ICC (the design
//!   effect makes this one approximate).
//!
//! Should the planner refuse the inputs, the normal approximation Φ(δ − z) + Φ(−δ − z) is used
//! and labelled approximate (`planned_power_method`, `planned_power_approximate`).
//!
//! [`SimRun`] draws the studies in steps (`step(n)`) so a worker can report progress and stop;
//! [`simulate`] runs to the end. [`one_sample_csv`] writes study 1 of a run as a data file.

mod normal;
pub mod reading;

pub use normal::{Normals, SIM_RNG_NAME};

use crate::core::analyses::cost::bootstrap::quantile_type7;
use crate::core::planning::power::{solve, Design, PowerCase, SolveFor};
use crate::core::stats::describe::{finite, mean, sd, variance};
use crate::core::stats::dist::{t_quantile, t_two_sided_p};
use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, Normal};

pub const DEFAULT_SIM_SEED: u64 = 20_261_126;
pub const DEFAULT_SAMPLES: usize = 1000;
pub const MAX_SAMPLES: usize = 100_000;
pub const MAX_N_PER_ARM: usize = 10_000;
pub const MAX_CLUSTER_SIZE: usize = 1000;
/// The first this many studies are kept one by one (for a "dance of the intervals" chart).
pub const STUDIES_KEPT: usize = 100;
/// Quantiles reported for the estimates.
pub const QUANTILE_PROBS: [f64; 7] = [0.025, 0.05, 0.25, 0.5, 0.75, 0.95, 0.975];
/// Bins of the p-value histogram (width 0.05).
pub const P_BINS: usize = 20;

/// One group measured before and after, or intervention vs control.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SimDesign {
    #[default]
    TwoGroups,
    OneGroup,
}

/// The standard deviation the true effect is expressed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EffectScale {
    /// SDs of the scores (Cohen's d between groups at post; the usual published d).
    #[default]
    Scores,
    /// SDs of the change scores (d_z for one group).
    Change,
}

/// What the two groups are compared on (one group always uses the change).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SimOutcome {
    #[default]
    Post,
    Change,
}

/// What the teacher chose. Every key is optional in JSON (defaults: the textbook case
/// d = 0.5, 64 per arm, two-sided α = 0.05, about 80% power).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SimSettings {
    pub design: SimDesign,
    /// Participants enrolled per arm (before drop-out).
    pub n_per_arm: usize,
    /// True standardised effect; positive = the program helps.
    pub effect_d: f64,
    pub effect_scale: EffectScale,
    /// Two groups: compare post scores or change scores.
    pub outcome: SimOutcome,
    /// Correlation between a person's pre and post scores, −0.99 to 0.99.
    pub r_pre_post: f64,
    /// Share of participants lost before the post measurement, 0 to 0.9.
    pub attrition: f64,
    /// Intraclass correlation: share of the score variance shared within a cluster, 0 to 0.99.
    pub icc: f64,
    /// Participants per cluster (1 = no clusters).
    pub cluster_size: usize,
    /// Test cluster means instead of people.
    pub analyse_cluster_means: bool,
    /// Two-sided significance level.
    pub alpha: f64,
    /// Number of simulated studies.
    pub samples: usize,
    pub seed: u64,
    /// Number of bins of the estimates histogram (about; the edges are rounded to nice values).
    pub bins: usize,
}

impl Default for SimSettings {
    fn default() -> Self {
        SimSettings {
            design: SimDesign::TwoGroups,
            n_per_arm: 64,
            effect_d: 0.5,
            effect_scale: EffectScale::Scores,
            outcome: SimOutcome::Post,
            r_pre_post: 0.5,
            attrition: 0.0,
            icc: 0.0,
            cluster_size: 1,
            analyse_cluster_means: false,
            alpha: 0.05,
            samples: DEFAULT_SAMPLES,
            seed: DEFAULT_SIM_SEED,
            bins: 30,
        }
    }
}

/// Why settings cannot be simulated; `field` names the setting to fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimError {
    pub field: Option<String>,
    pub message: String,
}

impl std::fmt::Display for SimError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SimError {}

fn err(field: &str, message: &str) -> SimError {
    SimError { field: Some(field.to_string()), message: message.to_string() }
}

impl SimSettings {
    /// The same settings pulled into their allowed ranges.
    pub fn clamped(&self) -> SimSettings {
        let fin = |v: f64, lo: f64, hi: f64, dflt: f64| if v.is_finite() { v.clamp(lo, hi) } else { dflt };
        SimSettings {
            n_per_arm: self.n_per_arm.clamp(2, MAX_N_PER_ARM),
            effect_d: fin(self.effect_d, -5.0, 5.0, 0.0),
            r_pre_post: fin(self.r_pre_post, -0.99, 0.99, 0.5),
            attrition: fin(self.attrition, 0.0, 0.9, 0.0),
            icc: fin(self.icc, 0.0, 0.99, 0.0),
            cluster_size: self.cluster_size.clamp(1, MAX_CLUSTER_SIZE),
            alpha: if self.alpha > 0.0 && self.alpha < 1.0 { self.alpha } else { 0.05 },
            samples: self.samples.clamp(1, MAX_SAMPLES),
            bins: self.bins.clamp(5, 200),
            ..self.clone()
        }
    }

    /// Checks every setting; the first problem is returned in plain words.
    pub fn validate(&self) -> Result<(), SimError> {
        Plan::new(self).map(|_| ())
    }

    /// True when the design has a control group.
    pub fn two_groups(&self) -> bool {
        self.design == SimDesign::TwoGroups
    }

    /// The outcome the test uses: one group always analyses the change.
    pub fn analysed_outcome(&self) -> SimOutcome {
        if self.two_groups() {
            self.outcome
        } else {
            SimOutcome::Change
        }
    }

    /// Clusters are in play: size above 1 and ICC above 0.
    pub fn clustered(&self) -> bool {
        self.cluster_size > 1 && self.icc > 0.0
    }

    /// Design effect 1 + (m − 1)·ICC (1 without clusters).
    pub fn design_effect(&self) -> f64 {
        if self.clustered() {
            1.0 + (self.cluster_size as f64 - 1.0) * self.icc
        } else {
            1.0
        }
    }
}

/// Validated settings with the derived quantities.
#[derive(Debug, Clone, PartialEq)]
struct Plan {
    arms: usize,
    n: usize,
    m: usize,
    icc: f64,
    rho: f64,
    attrition: f64,
    /// Δ in score SDs.
    delta: f64,
    outcome: SimOutcome,
    cluster_means: bool,
    alpha: f64,
}

impl Plan {
    fn new(s: &SimSettings) -> Result<Plan, SimError> {
        if s.n_per_arm < 2 {
            return Err(err("n_per_arm", "Each arm needs at least 2 participants."));
        }
        if s.n_per_arm > MAX_N_PER_ARM {
            return Err(err(
                "n_per_arm",
                &format!("Teaching mode simulates up to {MAX_N_PER_ARM} participants per arm."),
            ));
        }
        if !s.effect_d.is_finite() || s.effect_d.abs() > 5.0 {
            return Err(err("effect_d", "The true effect should be a number between −5 and 5."));
        }
        if !s.r_pre_post.is_finite() || s.r_pre_post.abs() > 0.99 {
            return Err(err("r_pre_post", "The pre–post correlation should be between −0.99 and 0.99."));
        }
        if !s.attrition.is_finite() || !(0.0..=0.9).contains(&s.attrition) {
            return Err(err("attrition", "Drop-out should be between 0 and 0.9 (0% to 90%)."));
        }
        if !s.icc.is_finite() || !(0.0..=0.99).contains(&s.icc) {
            return Err(err("icc", "The ICC should be between 0 and 0.99."));
        }
        if s.cluster_size == 0 || s.cluster_size > MAX_CLUSTER_SIZE {
            return Err(err(
                "cluster_size",
                &format!("The cluster size should be from 1 (no clusters) to {MAX_CLUSTER_SIZE}."),
            ));
        }
        if !(s.alpha > 0.0 && s.alpha < 1.0) {
            return Err(err("alpha", "The significance level should be between 0 and 1, for example 0.05."));
        }
        if s.samples == 0 || s.samples > MAX_SAMPLES {
            return Err(err("samples", &format!("Simulate from 1 to {MAX_SAMPLES} studies.")));
        }
        if s.analyse_cluster_means && s.cluster_size > 1 && s.n_per_arm.div_ceil(s.cluster_size) < 2 {
            return Err(err(
                "cluster_size",
                "Analysing cluster means needs at least 2 clusters per arm: use smaller clusters or more participants.",
            ));
        }
        let sd_change = (2.0 * (1.0 - s.r_pre_post)).sqrt();
        let delta = match s.effect_scale {
            EffectScale::Scores => s.effect_d,
            EffectScale::Change => s.effect_d * sd_change,
        };
        Ok(Plan {
            arms: if s.two_groups() { 2 } else { 1 },
            n: s.n_per_arm,
            m: s.cluster_size.max(1),
            icc: if s.cluster_size > 1 { s.icc } else { 0.0 },
            rho: s.r_pre_post,
            attrition: s.attrition,
            delta,
            outcome: s.analysed_outcome(),
            cluster_means: s.analyse_cluster_means && s.cluster_size > 1,
            alpha: s.alpha,
        })
    }

    /// SD of the analysed outcome (post: 1; change: √(2(1−ρ))).
    fn sd_outcome(&self) -> f64 {
        match self.outcome {
            SimOutcome::Post => 1.0,
            SimOutcome::Change => (2.0 * (1.0 - self.rho)).sqrt(),
        }
    }
}

/// One simulated participant (scores in SD units, higher = better).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Person {
    /// 0 = intervention, 1 = control.
    arm: usize,
    /// Cluster number within the arm (0-based).
    cluster: usize,
    pre: f64,
    post: f64,
    /// False when lost before the post measurement.
    completed: bool,
}

/// Draws one study: arm by arm, cluster by cluster, person by person.
fn draw_study(plan: &Plan, g: &mut Normals) -> Vec<Person> {
    let (ws, wi) = (plan.icc.sqrt(), (1.0 - plan.icc).sqrt());
    let mut people = Vec::with_capacity(plan.n * plan.arms);
    for arm in 0..plan.arms {
        let shift = if arm == 0 { plan.delta } else { 0.0 };
        let mut i = 0;
        let mut cluster = 0;
        while i < plan.n {
            let (a, b) = if plan.icc > 0.0 { g.correlated_pair(plan.rho) } else { (0.0, 0.0) };
            for _ in 0..plan.m.min(plan.n - i) {
                let (e1, e2) = g.correlated_pair(plan.rho);
                let lost = g.uniform() < plan.attrition;
                people.push(Person {
                    arm,
                    cluster,
                    pre: ws * a + wi * e1,
                    post: ws * b + wi * e2 + shift,
                    completed: !lost,
                });
                i += 1;
            }
            cluster += 1;
        }
    }
    people
}

/// One simulated study's analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimStudy {
    /// 1-based study number.
    pub index: usize,
    /// People analysed (with a post score) in the intervention arm, or the single group.
    pub n_intervention: usize,
    /// People analysed in the control arm (`None` for one group).
    pub n_control: Option<usize>,
    /// Cohen's d (two groups) or d_z (one group), positive = improvement.
    pub estimate: Option<f64>,
    /// Raw difference (two groups) or mean change (one group), in SDs of the scores.
    pub mean_diff: Option<f64>,
    /// Confidence interval of the raw difference at level 1 − alpha, from the test used.
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub p: Option<f64>,
    pub significant: bool,
}

/// Mean, variance and count.
fn moments(x: &[f64]) -> Option<(f64, f64, f64)> {
    Some((mean(x)?, variance(x)?, x.len() as f64))
}

/// (difference, SE, df) of a Welch test, or of a one-sample test when `y` is `None`.
fn t_parts(x: &[f64], y: Option<&[f64]>) -> Option<(f64, f64, f64)> {
    let (m1, v1, n1) = moments(x)?;
    match y {
        None => Some((m1, (v1 / n1).sqrt(), n1 - 1.0)),
        Some(y) => {
            let (m2, v2, n2) = moments(y)?;
            let (s1, s2) = (v1 / n1, v2 / n2);
            let df = (s1 + s2).powi(2) / (s1 * s1 / (n1 - 1.0) + s2 * s2 / (n2 - 1.0));
            Some((m1 - m2, (s1 + s2).sqrt(), df))
        }
    }
}

/// Means of the outcome per cluster (clusters with at least one value).
fn cluster_means(values: &[(usize, f64)]) -> Vec<f64> {
    let mut out: Vec<(usize, f64, usize)> = Vec::new();
    for &(c, v) in values {
        match out.last_mut() {
            Some(last) if last.0 == c => {
                last.1 += v;
                last.2 += 1;
            }
            _ => out.push((c, v, 1)),
        }
    }
    out.into_iter().map(|(_, s, k)| s / k as f64).collect()
}

fn analyse_study(plan: &Plan, people: &[Person], index: usize) -> SimStudy {
    let outcome = |p: &Person| match plan.outcome {
        SimOutcome::Post => p.post,
        SimOutcome::Change => p.post - p.pre,
    };
    let arm_values = |arm: usize| -> Vec<(usize, f64)> {
        people.iter().filter(|p| p.arm == arm && p.completed).map(|p| (p.cluster, outcome(p))).collect()
    };
    let int = arm_values(0);
    let ctl = (plan.arms == 2).then(|| arm_values(1));
    let plain = |v: &[(usize, f64)]| -> Vec<f64> { v.iter().map(|p| p.1).collect() };
    let (x, y) = (plain(&int), ctl.as_deref().map(plain));

    // The estimate Lantern would show: Cohen's d (pooled SD) or d_z.
    let estimate = match &y {
        Some(y) => match (moments(&x), moments(y)) {
            (Some((m1, v1, n1)), Some((m2, v2, n2))) => {
                let sp = (((n1 - 1.0) * v1 + (n2 - 1.0) * v2) / (n1 + n2 - 2.0)).sqrt();
                finite((m1 - m2) / sp)
            }
            _ => None,
        },
        None => match (mean(&x), sd(&x)) {
            (Some(m), Some(s)) => finite(m / s),
            _ => None,
        },
    };
    let mean_diff = match &y {
        Some(y) => mean(&x).zip(mean(y)).and_then(|(a, b)| finite(a - b)),
        None => mean(&x),
    };

    // The test: people, or cluster means.
    let parts = if plan.cluster_means {
        let cx = cluster_means(&int);
        let cy = ctl.as_deref().map(cluster_means);
        t_parts(&cx, cy.as_deref())
    } else {
        t_parts(&x, y.as_deref())
    };
    let (mut p, mut ci_low, mut ci_high) = (None, None, None);
    if let Some((diff, se, df)) = parts.filter(|(d, se, df)| d.is_finite() && *se > 0.0 && se.is_finite() && *df > 0.0)
    {
        p = t_two_sided_p(diff / se, df);
        if let Some(q) = t_quantile(1.0 - plan.alpha / 2.0, df) {
            ci_low = finite(diff - q * se);
            ci_high = finite(diff + q * se);
        }
    }
    SimStudy {
        index,
        n_intervention: x.len(),
        n_control: y.as_ref().map(Vec::len),
        estimate,
        mean_diff,
        ci_low,
        ci_high,
        p,
        significant: p.is_some_and(|p| p < plan.alpha),
    }
}

/// Drops floating-point noise from a bin edge (0.30000000000000004 → 0.3).
fn tidy(x: f64) -> f64 {
    let t = (x * 1e9).round() / 1e9;
    if t.is_finite() {
        t
    } else {
        x
    }
}

/// One bar of a histogram: values in [lo, hi) (the last bar includes hi).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct HistogramBin {
    pub lo: f64,
    pub hi: f64,
    pub count: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Histogram {
    #[serde(default)]
    pub bins: Vec<HistogramBin>,
}

impl Histogram {
    /// Equal-width bins from `lo` to `hi`; values outside go to the end bins.
    fn build(values: &[f64], lo: f64, width: f64, k: usize) -> Histogram {
        if k == 0 || !(width > 0.0 && width.is_finite() && lo.is_finite()) {
            return Histogram::default();
        }
        let mut counts = vec![0usize; k];
        for v in values.iter().filter(|v| v.is_finite()) {
            let i = ((v - lo) / width).floor();
            let i = if i < 0.0 { 0 } else { (i as usize).min(k - 1) };
            if let Some(c) = counts.get_mut(i) {
                *c += 1;
            }
        }
        let bins = counts
            .into_iter()
            .enumerate()
            .map(|(i, count)| HistogramBin {
                lo: tidy(lo + i as f64 * width),
                hi: tidy(lo + (i + 1) as f64 * width),
                count,
            })
            .collect();
        Histogram { bins }
    }

    /// About `k` bins of a "nice" width (1, 2, 2.5 or 5 × 10^j) covering the values.
    fn nice(values: &[f64], k: usize) -> Histogram {
        let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
        let (Some(min), Some(max)) = (finite.iter().copied().reduce(f64::min), finite.iter().copied().reduce(f64::max))
        else {
            return Histogram::default();
        };
        let k = k.max(1);
        let span = if max > min { max - min } else { 1.0 };
        let raw = span / k as f64;
        let mag = 10f64.powf(raw.log10().floor());
        let width = [1.0, 2.0, 2.5, 5.0, 10.0]
            .iter()
            .map(|f| f * mag)
            .find(|w| *w >= raw * (1.0 - 1e-12))
            .unwrap_or(10.0 * mag);
        let lo = if max > min { (min / width).floor() * width } else { min - width / 2.0 };
        let bins = (((max - lo) / width).floor() as usize + 1).clamp(1, 4 * k);
        Histogram::build(&finite, lo, width, bins)
    }
}

/// One quantile of the estimates.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Quantile {
    pub p: f64,
    pub value: Option<f64>,
}

/// Everything teaching mode shows. `None` = not computable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimResult {
    pub settings: SimSettings,
    pub rng: String,
    pub samples_target: usize,
    pub samples_done: usize,
    /// True when stopped before all studies were drawn (the summaries use those drawn).
    pub cancelled: bool,
    /// Studies whose test could not be computed (too few people left, no spread).
    pub samples_not_computable: usize,

    /// The true standardised effect on the analysed outcome (what the estimates aim at).
    pub true_effect_d: f64,
    /// The true raw difference Δ, in SDs of the scores.
    pub true_difference: f64,
    pub design_effect: f64,
    /// Expected people analysed per arm: n·(1 − attrition).
    pub expected_n_analysed_per_arm: f64,
    /// n·(1 − attrition)/DE: what the analysed sample is worth without clusters.
    pub effective_n_per_arm: f64,
    /// Mean over studies of the people analysed per arm.
    pub mean_n_analysed_per_arm: Option<f64>,

    pub estimate_mean: Option<f64>,
    pub estimate_sd: Option<f64>,
    #[serde(default)]
    pub estimate_quantiles: Vec<Quantile>,
    pub estimate_histogram: Histogram,
    /// 20 bins of width 0.05 from 0 to 1.
    pub p_histogram: Histogram,

    /// Share of studies with p < alpha (among computable ones).
    pub share_significant: Option<f64>,
    /// Monte Carlo standard error of that share: √(s(1 − s)/studies).
    pub share_significant_mc_se: Option<f64>,
    /// Share of studies significant in the wrong direction (type S error).
    pub share_significant_wrong_direction: Option<f64>,
    /// Mean |estimate| of the significant studies in the right direction ÷ |true effect|
    /// (type M error, "exaggeration"); `None` when the true effect is 0.
    pub exaggeration_ratio: Option<f64>,
    /// Share of confidence intervals containing the true difference.
    pub ci_coverage: Option<f64>,

    /// Planned power for the design, allowing for clusters and drop-out.
    pub planned_power: Option<f64>,
    /// The same ignoring clusters (n·(1 − attrition) per arm).
    pub planned_power_ignoring_clusters: Option<f64>,
    /// How the planned power was computed.
    pub planned_power_method: String,
    pub planned_power_approximate: bool,

    /// The first [`STUDIES_KEPT`] studies.
    #[serde(default)]
    pub studies: Vec<SimStudy>,
    /// Plain-language readings (`reading::simulation_reading`).
    #[serde(default)]
    pub summary: Vec<String>,
}

/// Power from Lantern's planner for `design` with these inputs.
fn planner_power(design: Design, inputs: &[(&str, f64)]) -> Option<f64> {
    let mut case = PowerCase::new(design, SolveFor::Power);
    for (k, v) in inputs {
        case.set(k, *v);
    }
    solve(&case).ok()?.power.and_then(finite)
}

/// Planned power (allowing for clusters and drop-out), the same ignoring clusters, the method
/// in words, and whether it is approximate.
fn planned_power(s: &SimSettings, plan: &Plan, d: f64) -> (Option<f64>, Option<f64>, String, bool) {
    let two = plan.arms == 2;
    let n_analysed = plan.n as f64 * (1.0 - plan.attrition);
    let t_design = if two { Design::TwoSampleTEqualN } else { Design::PairedT };
    let t_name =
        if two { "two-sample t-test, as R pwr.t.test" } else { "paired t-test, as R pwr.t.test(type = \"paired\")" };
    let t_power = |n: f64| planner_power(t_design, &[("d", d), ("n", n), ("sig_level", plan.alpha)]);
    let ignoring = t_power(n_analysed);
    let de = s.design_effect();
    let (power, method, approximate) = if !s.clustered() {
        (ignoring, format!("Lantern's planner: {t_name}, on the people expected to be analysed"), false)
    } else if two {
        let clusters = plan.n.div_ceil(plan.m) as f64;
        let power = planner_power(
            Design::ClusterCra2,
            &[
                ("J", 2.0 * clusters),
                ("n", n_analysed / clusters),
                ("rho", plan.icc),
                ("delta", d),
                ("sig_level", plan.alpha),
            ],
        );
        (
            power,
            "Lantern's planner: cluster-randomised trial (PowerUp! CRA2), with the clusters' mean analysed size"
                .to_string(),
            false,
        )
    } else {
        (
            t_power(n_analysed / de),
            format!("Lantern's planner: {t_name}, on n·(1 − drop-out)/design effect (approximate)"),
            true,
        )
    };
    match power {
        Some(p) => (Some(p), ignoring.or_else(|| approx_power(d, n_analysed, plan.alpha, two)), method, approximate),
        None => (
            approx_power(d, n_analysed / de, plan.alpha, two),
            ignoring.or_else(|| approx_power(d, n_analysed, plan.alpha, two)),
            PLANNED_POWER_METHOD.to_string(),
            true,
        ),
    }
}

/// Normal-approximation power of a two-sided test at level `alpha`.
fn approx_power(d: f64, n_eff: f64, alpha: f64, two_groups: bool) -> Option<f64> {
    if !(n_eff >= 2.0 && d.is_finite()) {
        return None;
    }
    let norm = Normal::new(0.0, 1.0).ok()?;
    let z = norm.inverse_cdf(1.0 - alpha / 2.0);
    let delta = d.abs() * if two_groups { (n_eff / 2.0).sqrt() } else { n_eff.sqrt() };
    finite((norm.cdf(delta - z) + norm.cdf(-delta - z)).min(1.0))
}

/// The fallback method, when the planner cannot compute the power.
pub const PLANNED_POWER_METHOD: &str =
    "approximate: normal approximation Φ(δ − z) + Φ(−δ − z) on n·(1 − drop-out)/design effect, slightly optimistic for small samples";

/// A simulation in progress: studies are drawn in steps and [`SimRun::finish`] summarises
/// whatever was drawn.
#[derive(Debug, Clone)]
pub struct SimRun {
    settings: SimSettings,
    plan: Plan,
    gen: Normals,
    target: usize,
    /// Per study: estimate, p, mean n analysed per arm, CI covers the truth (NaN = unknown).
    estimates: Vec<f64>,
    pvalues: Vec<f64>,
    n_analysed: Vec<f64>,
    covered: Vec<Option<bool>>,
    kept: Vec<SimStudy>,
}

impl SimRun {
    pub fn new(settings: &SimSettings) -> Result<SimRun, SimError> {
        let plan = Plan::new(settings)?;
        let target = settings.samples;
        Ok(SimRun {
            settings: settings.clone(),
            plan,
            gen: Normals::new(settings.seed),
            target,
            estimates: Vec::with_capacity(target),
            pvalues: Vec::with_capacity(target),
            n_analysed: Vec::with_capacity(target),
            covered: Vec::with_capacity(target),
            kept: Vec::new(),
        })
    }

    pub fn samples_target(&self) -> usize {
        self.target
    }

    pub fn samples_done(&self) -> usize {
        self.estimates.len()
    }

    pub fn fraction_done(&self) -> f64 {
        if self.target == 0 {
            1.0
        } else {
            self.estimates.len() as f64 / self.target as f64
        }
    }

    pub fn is_done(&self) -> bool {
        self.estimates.len() >= self.target
    }

    /// Studies per step for about 200,000 simulated people per step.
    pub fn suggested_step(&self) -> usize {
        (200_000 / (self.plan.n * self.plan.arms).max(1)).max(1)
    }

    /// Draws up to `max` more studies. The results do not depend on how the work is split.
    pub fn step(&mut self, max: usize) {
        let todo = max.min(self.target.saturating_sub(self.estimates.len()));
        for _ in 0..todo {
            let people = draw_study(&self.plan, &mut self.gen);
            let study = analyse_study(&self.plan, &people, self.estimates.len() + 1);
            self.estimates.push(study.estimate.unwrap_or(f64::NAN));
            self.pvalues.push(study.p.unwrap_or(f64::NAN));
            let n_total = study.n_intervention + study.n_control.unwrap_or(0);
            self.n_analysed.push(n_total as f64 / self.plan.arms as f64);
            let truth = self.plan.delta;
            self.covered.push(study.ci_low.zip(study.ci_high).map(|(lo, hi)| lo <= truth && truth <= hi));
            if self.kept.len() < STUDIES_KEPT {
                self.kept.push(study);
            }
        }
    }

    /// The summaries of the studies drawn so far.
    pub fn finish(self) -> SimResult {
        let SimRun { settings, plan, target, estimates, pvalues, n_analysed, covered, kept, .. } = self;
        let done = estimates.len();
        let sd_out = plan.sd_outcome();
        let true_effect_d = plan.delta / sd_out;
        let de = settings.design_effect();
        let expected_n = plan.n as f64 * (1.0 - plan.attrition);
        let n_eff = expected_n / de;

        let est: Vec<f64> = estimates.iter().copied().filter(|v| v.is_finite()).collect();
        let mut sorted = est.clone();
        sorted.sort_by(f64::total_cmp);
        let estimate_quantiles =
            QUANTILE_PROBS.iter().map(|&p| Quantile { p, value: quantile_type7(&sorted, p) }).collect();

        // Significance among studies with a p-value.
        let tested: Vec<(f64, f64)> =
            estimates.iter().zip(&pvalues).filter(|(_, p)| p.is_finite()).map(|(e, p)| (*e, *p)).collect();
        let n_tested = tested.len();
        let share = |k: usize| (n_tested > 0).then(|| k as f64 / n_tested as f64);
        let sig: Vec<f64> = tested.iter().filter(|(_, p)| *p < plan.alpha).map(|(e, _)| *e).collect();
        let share_significant = share(sig.len());
        let sign = if plan.delta >= 0.0 { 1.0 } else { -1.0 };
        let wrong = if plan.delta == 0.0 { 0 } else { sig.iter().filter(|e| **e * sign < 0.0).count() };
        let right: Vec<f64> = sig.iter().copied().filter(|e| e.is_finite() && *e * sign > 0.0).map(f64::abs).collect();
        let exaggeration_ratio =
            if true_effect_d == 0.0 { None } else { mean(&right).and_then(|m| finite(m / true_effect_d.abs())) };
        let known: Vec<bool> = covered.iter().filter_map(|c| *c).collect();
        let ci_coverage = (!known.is_empty()).then(|| known.iter().filter(|c| **c).count() as f64 / known.len() as f64);

        let (planned_power, planned_power_ignoring_clusters, planned_power_method, planned_power_approximate) =
            planned_power(&settings, &plan, true_effect_d);
        let mut result = SimResult {
            rng: SIM_RNG_NAME.to_string(),
            samples_target: target,
            samples_done: done,
            cancelled: done < target,
            samples_not_computable: done - n_tested,
            true_effect_d,
            true_difference: plan.delta,
            design_effect: de,
            expected_n_analysed_per_arm: expected_n,
            effective_n_per_arm: n_eff,
            mean_n_analysed_per_arm: mean(&n_analysed),
            estimate_mean: mean(&est),
            estimate_sd: sd(&est),
            estimate_quantiles,
            estimate_histogram: Histogram::nice(&est, settings.bins.clamp(5, 200)),
            p_histogram: Histogram::build(&pvalues, 0.0, 1.0 / P_BINS as f64, P_BINS),
            share_significant,
            share_significant_mc_se: share_significant.map(|s| (s * (1.0 - s) / n_tested as f64).sqrt()),
            share_significant_wrong_direction: share(wrong),
            exaggeration_ratio,
            ci_coverage,
            planned_power,
            planned_power_ignoring_clusters,
            planned_power_method,
            planned_power_approximate,
            studies: kept,
            summary: Vec::new(),
            settings,
        };
        result.summary = reading::simulation_reading(&result);
        result
    }
}

/// Runs a whole simulation in one call.
pub fn simulate(settings: &SimSettings) -> Result<SimResult, SimError> {
    let mut run = SimRun::new(settings)?;
    run.step(usize::MAX);
    Ok(run.finish())
}

/// Stigma on a 1–5 scale from a simulated score (higher score = less stigma): mean 3.2, SD 0.6.
fn stigma(z: f64) -> String {
    format!("{:.2}", (3.2 - 0.6 * z).clamp(1.0, 5.0))
}

/// One simulated dataset as CSV, with the demo file's columns (participant_id, group, cluster,
/// stigma_pre, stigma_post, help_seeking_pre, help_seeking_post), ready to load in the Change
/// section as if uploaded. Its stigma scores are study 1 of a run with `settings.seed = seed`
/// (on a 1–5 scale, lower = less stigma: mean 3.2, SD 0.6, rounded to 2 decimals and kept within
/// 1–5). People lost to drop-out have blank post cells. Help seeking is drawn separately (25% yes
/// before; after, a further 30% of the intervention arm and 10% of control start) and does not
/// depend on the settings. One group: no `group` column (so the file reads as one group).
/// `cluster` is blank without clusters. Settings out of range are pulled into range first.
pub fn one_sample_csv(settings: &SimSettings, seed: u64) -> String {
    let two = settings.two_groups();
    let mut out = String::from(if two {
        "participant_id,group,cluster,stigma_pre,stigma_post,help_seeking_pre,help_seeking_post\n"
    } else {
        "participant_id,cluster,stigma_pre,stigma_post,help_seeking_pre,help_seeking_post\n"
    });
    let Ok(plan) = Plan::new(settings).or_else(|_| Plan::new(&settings.clamped())) else { return out };
    let people = draw_study(&plan, &mut Normals::new(seed));
    let mut help = Normals::new(seed ^ 0x4845_4C50_5345_454B);
    let clusters = settings.cluster_size > 1;
    for (i, p) in people.iter().enumerate() {
        let arm = if p.arm == 0 { "intervention" } else { "control" };
        let help_pre = help.uniform() < 0.25;
        let help_post = help_pre || help.uniform() < if p.arm == 0 { 0.30 } else { 0.10 };
        let yn = |b: bool| if b { "Yes" } else { "No" };
        let cluster = if clusters {
            format!("{}{:02}", if p.arm == 0 { "I" } else { "C" }, p.cluster + 1)
        } else {
            String::new()
        };
        out.push_str(&format!("P{:04},", i + 1));
        if two {
            out.push_str(arm);
            out.push(',');
        }
        out.push_str(&format!(
            "{cluster},{},{},{},{}\n",
            stigma(p.pre),
            if p.completed { stigma(p.post) } else { String::new() },
            yn(help_pre),
            if p.completed { yn(help_post) } else { "" },
        ));
    }
    out
}

#[cfg(test)]
mod tests;
