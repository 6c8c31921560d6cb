//! The stratified nonparametric bootstrap of the help-seeking difference: rows are resampled
//! with replacement within each arm, the share of "yes" among non-missing answers is recomputed
//! per arm, and costs per participant stay fixed (`shared/reference/README.md`, "Bootstrap").
//! Seeded PCG-64 (`rand_pcg`), so a run is reproducible from its seed on every platform.

use crate::core::recipe::Recipe;
use rand_pcg::rand_core::{Rng, SeedableRng};
use rand_pcg::Pcg64;
use serde::{Deserialize, Serialize};

pub const DEFAULT_REPLICATES: usize = 10_000;
pub const DEFAULT_SEED: u64 = 20_240_607;
/// The generator, as named in the results.
pub const RNG_NAME: &str = "PCG-64 (XSL-RR 128/64, rand_pcg), seeded with seed_from_u64";

/// Bootstrap and display settings. Seeds above 2^53 do not survive a round trip through
/// JavaScript numbers, so the app should offer seeds below that.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BootstrapSettings {
    /// Number of resamples B (0 = no bootstrap).
    pub replicates: usize,
    pub seed: u64,
    /// Interval level (0.95 = the 2.5% and 97.5% percentiles).
    pub level: f64,
    /// One-way sensitivity: each ingredient is varied by ± this fraction (0.2 = ±20%).
    pub sensitivity: f64,
    /// Highest willingness to pay per additional help-seeker on the acceptability curve
    /// (`None` = chosen from the results).
    pub wtp_max: Option<f64>,
    /// Number of points on the acceptability curve.
    pub wtp_points: usize,
}

impl Default for BootstrapSettings {
    fn default() -> Self {
        BootstrapSettings {
            replicates: DEFAULT_REPLICATES,
            seed: DEFAULT_SEED,
            level: 0.95,
            sensitivity: 0.2,
            wtp_max: None,
            wtp_points: 51,
        }
    }
}

impl BootstrapSettings {
    /// Settings from the recipe's `cost_inputs` (`bootstrap_B`, `bootstrap_seed`, `ci_level`,
    /// `sensitivity`, `wtp_max`, `wtp_points`); anything absent or out of range keeps its default.
    pub fn from_recipe(recipe: &Recipe) -> BootstrapSettings {
        let mut s = BootstrapSettings::default();
        let Some(ci) = recipe.cost_inputs.as_ref() else { return s };
        let num = |k: &str| ci.get(k).and_then(|v| v.as_f64()).filter(|v| v.is_finite());
        if let Some(b) = ci.get("bootstrap_B").and_then(|v| v.as_u64()) {
            s.replicates = b.min(crate::core::recipe::settings::BOOTSTRAP_MAX) as usize;
        }
        if let Some(seed) = ci.get("bootstrap_seed").and_then(|v| v.as_u64()) {
            s.seed = seed;
        }
        if let Some(l) = num("ci_level").filter(|l| *l > 0.0 && *l < 1.0) {
            s.level = l;
        }
        if let Some(x) = num("sensitivity").filter(|x| *x > 0.0 && *x < 1.0) {
            s.sensitivity = x;
        }
        s.wtp_max = num("wtp_max").filter(|x| *x > 0.0).or(s.wtp_max);
        if let Some(p) = ci.get("wtp_points").and_then(|v| v.as_u64()).filter(|p| (2..=1000).contains(p)) {
            s.wtp_points = p as usize;
        }
        s
    }

    /// The interval level in force (falls back to 0.95 when out of range).
    pub fn level(&self) -> f64 {
        if self.level > 0.0 && self.level < 1.0 {
            self.level
        } else {
            0.95
        }
    }
}

/// Help-seeking answers of one arm: rows enrolled, of which `yes` answered yes and `no` no (the
/// rest are missing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HelpCounts {
    pub n: usize,
    pub yes: usize,
    pub no: usize,
}

impl HelpCounts {
    /// Share of yes among non-missing answers.
    pub fn p(&self) -> Option<f64> {
        let m = self.yes + self.no;
        (m > 0).then(|| self.yes as f64 / m as f64)
    }
}

/// Uniform integer in `0..n` without modulo bias (Lemire 2019); 0 when `n` is 0.
fn below(rng: &mut Pcg64, n: u64) -> u64 {
    if n == 0 {
        return 0;
    }
    let mut m = (rng.next_u64() as u128) * (n as u128);
    if (m as u64) < n {
        let t = n.wrapping_neg() % n;
        while (m as u64) < t {
            m = (rng.next_u64() as u128) * (n as u128);
        }
    }
    (m >> 64) as u64
}

/// Draws bootstrap replicates of p_intervention − p_control. Rows within an arm are
/// exchangeable for this statistic, so a row is drawn as an index into (yes rows, no rows,
/// missing rows); this is the same resampling as drawing row numbers.
#[derive(Debug, Clone)]
pub struct Resampler {
    rng: Pcg64,
    arms: [HelpCounts; 2],
}

impl Resampler {
    pub fn new(seed: u64, intervention: HelpCounts, control: HelpCounts) -> Resampler {
        Resampler { rng: Pcg64::seed_from_u64(seed), arms: [intervention, control] }
    }

    fn share(&mut self, a: usize) -> Option<f64> {
        let c = self.arms[a];
        let (n, yes, known) = (c.n as u64, c.yes as u64, (c.yes + c.no) as u64);
        let (mut y, mut k) = (0u64, 0u64);
        for _ in 0..n {
            let u = below(&mut self.rng, n);
            if u < known {
                k += 1;
                if u < yes {
                    y += 1;
                }
            }
        }
        (k > 0).then(|| y as f64 / k as f64)
    }

    /// One replicate of the difference; `None` when an arm drew no non-missing answer.
    pub fn next_delta(&mut self) -> Option<f64> {
        let pi = self.share(0);
        let pc = self.share(1);
        Some(pi? - pc?)
    }
}

/// Quantile with linear interpolation between order statistics (R type 7, numpy's default) of
/// an ascending slice; `None` when empty or when the result is not finite.
pub fn quantile_type7(sorted: &[f64], p: f64) -> Option<f64> {
    let n = sorted.len();
    if n == 0 || !(0.0..=1.0).contains(&p) {
        return None;
    }
    let h = (n - 1) as f64 * p;
    let lo = h.floor() as usize;
    let a = *sorted.get(lo)?;
    let b = *sorted.get((lo + 1).min(n - 1))?;
    let v = if a == b { a } else { a + (h - lo as f64) * (b - a) };
    v.is_finite().then_some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type7_matches_numpy() {
        // numpy.percentile([1, 2, 3, 4, 10], [2.5, 50, 97.5]) = [1.1, 3.0, 9.4]
        let v = [1.0, 2.0, 3.0, 4.0, 10.0];
        assert!((quantile_type7(&v, 0.025).unwrap() - 1.1).abs() < 1e-12);
        assert_eq!(quantile_type7(&v, 0.5), Some(3.0));
        assert!((quantile_type7(&v, 0.975).unwrap() - 9.4).abs() < 1e-12);
        assert_eq!(quantile_type7(&[], 0.5), None);
        assert_eq!(quantile_type7(&[2.0], 0.975), Some(2.0));
        assert_eq!(quantile_type7(&[1.0, f64::INFINITY], 0.975), None);
    }

    #[test]
    fn uniform_draws_cover_the_range_evenly() {
        let mut rng = Pcg64::seed_from_u64(1);
        let mut counts = [0usize; 7];
        for _ in 0..70_000 {
            counts[below(&mut rng, 7) as usize] += 1;
        }
        assert!(counts.iter().all(|&c| (9_500..10_500).contains(&c)), "{counts:?}");
        assert_eq!(below(&mut rng, 0), 0);
    }

    #[test]
    fn resampled_share_is_centred_on_the_observed_share() {
        let a = HelpCounts { n: 100, yes: 30, no: 50 };
        let b = HelpCounts { n: 50, yes: 10, no: 40 };
        let mut r = Resampler::new(7, a, b);
        let d: Vec<f64> = (0..4000).filter_map(|_| r.next_delta()).collect();
        let mean = d.iter().sum::<f64>() / d.len() as f64;
        let want = a.p().unwrap() - b.p().unwrap();
        assert!((mean - want).abs() < 0.01, "{mean} vs {want}");
        // An arm without answers gives no replicate.
        let mut r = Resampler::new(7, a, HelpCounts { n: 5, yes: 0, no: 0 });
        assert_eq!(r.next_delta(), None);
    }

    #[test]
    fn settings_from_recipe() {
        let r = Recipe::from_json(
            r#"{"cost_inputs":{"bootstrap_B":100000,"bootstrap_seed":42,"ci_level":2,"wtp_max":500}}"#,
        )
        .unwrap();
        let s = BootstrapSettings::from_recipe(&r);
        assert_eq!((s.replicates, s.seed, s.level, s.wtp_max), (100_000, 42, 0.95, Some(500.0)));
        assert_eq!(BootstrapSettings::from_recipe(&Recipe::default()), BootstrapSettings::default());
    }
}
