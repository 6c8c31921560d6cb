use super::*;
use crate::core::analyses::analyse;
use crate::core::ingest::read_csv;
use crate::core::recipe::Recipe;

fn run(s: &SimSettings) -> SimResult {
    simulate(s).unwrap()
}

#[test]
fn same_seed_same_results_whatever_the_steps() {
    let s = SimSettings { samples: 300, attrition: 0.1, icc: 0.05, cluster_size: 8, ..SimSettings::default() };
    let a = run(&s);
    let mut stepped = SimRun::new(&s).unwrap();
    let mut steps = 0;
    while !stepped.is_done() {
        stepped.step(37);
        steps += 1;
        assert!(stepped.fraction_done() <= 1.0);
    }
    assert_eq!(steps, 9);
    let b = stepped.finish();
    assert_eq!(serde_json::to_string(&a).unwrap(), serde_json::to_string(&b).unwrap());
    assert_eq!(a.samples_done, 300);
    assert!(!a.cancelled);
    let c = run(&SimSettings { seed: s.seed + 1, ..s.clone() });
    assert_ne!(a.estimate_mean, c.estimate_mean, "another seed gives other studies");
    assert_eq!(a.studies.len(), STUDIES_KEPT);
    assert_eq!(a.studies[0].index, 1);
}

#[test]
fn share_significant_matches_textbook_power() {
    // d = 0.5, n = 64 per arm, two-sided 0.05: R pwr.t.test(n = 64, d = 0.5) power = 0.8014596.
    let r = run(&SimSettings { samples: 2000, seed: 1, ..SimSettings::default() });
    let share = r.share_significant.unwrap();
    assert!((share - 0.8014596).abs() < 0.03, "share significant {share}");
    // The planned power comes from Lantern's planner (exact, as pwr).
    let planned = r.planned_power.unwrap();
    assert!((planned - 0.8014596).abs() < 1e-6, "planned {planned}");
    assert!(!r.planned_power_approximate);
    assert!(r.planned_power_method.contains("planner"));
    // The fallback normal approximation: Φ(0.5·√32 − 1.96) = 0.80743.
    assert!((approx_power(0.5, 64.0, 0.05, true).unwrap() - 0.80743).abs() < 1e-4);
    assert!((approx_power(0.3, 90.0, 0.05, false).unwrap() - 0.81221).abs() < 1e-4);
    assert_eq!(approx_power(0.3, 1.0, 0.05, false), None);
    assert!((share - planned).abs() < 0.03);
    assert_eq!(r.design_effect, 1.0);
    assert!((r.true_effect_d - 0.5).abs() < 1e-12);
    // The estimates centre on the truth (Cohen's d is biased up by about 3/(4·126)).
    assert!((r.estimate_mean.unwrap() - 0.5).abs() < 0.02, "{:?}", r.estimate_mean);
    // SD of d ≈ √(2/64 + 0.25/256) = 0.179.
    assert!((r.estimate_sd.unwrap() - 0.179).abs() < 0.012, "{:?}", r.estimate_sd);
    let c = r.ci_coverage.unwrap();
    assert!((c - 0.95).abs() < 0.015, "coverage {c}");
    assert_eq!(r.samples_not_computable, 0);
    let total: usize = r.p_histogram.bins.iter().map(|b| b.count).sum();
    assert_eq!(total, 2000);
    assert_eq!(r.p_histogram.bins.len(), P_BINS);
    let total: usize = r.estimate_histogram.bins.iter().map(|b| b.count).sum();
    assert_eq!(total, 2000);
    assert!(r.summary.iter().any(|s| s.contains("planned power")), "{:?}", r.summary);
}

#[test]
fn zero_effect_gives_alpha_false_alarms() {
    let r = run(&SimSettings { effect_d: 0.0, samples: 2000, seed: 2, ..SimSettings::default() });
    let share = r.share_significant.unwrap();
    assert!((share - 0.05).abs() < 0.015, "share significant {share}");
    assert!((r.planned_power.unwrap() - 0.05).abs() < 1e-9);
    assert_eq!(r.exaggeration_ratio, None);
    assert!(r.summary.iter().any(|s| s.contains("false alarm")));
    // p-values are uniform: each 0.05 bin holds about 5%.
    for b in &r.p_histogram.bins {
        assert!((b.count as f64 / 2000.0 - 0.05).abs() < 0.02, "{b:?}");
    }
}

#[test]
fn one_group_paired_power_uses_d_z() {
    // Effect 0.3 score SDs with r = 0.5: d_z = 0.3; n = 90. Exact paired-t power (noncentral t,
    // as pwr.t.test(n = 90, d = 0.3, type = "paired"), computed with SciPy) = 0.80379;
    // the normal approximation Φ(0.3·√90 − 1.96) = 0.81221.
    let s = SimSettings {
        design: SimDesign::OneGroup,
        n_per_arm: 90,
        effect_d: 0.3,
        samples: 2000,
        seed: 3,
        ..SimSettings::default()
    };
    let r = run(&s);
    assert!((r.true_effect_d - 0.3).abs() < 1e-12);
    assert!((r.share_significant.unwrap() - 0.80379).abs() < 0.03, "{:?}", r.share_significant);
    assert!((r.planned_power.unwrap() - 0.80379).abs() < 1e-4, "{:?}", r.planned_power);
    assert_eq!(r.studies[0].n_control, None);
    // A higher pre–post correlation makes the paired design stronger: d_z = 0.3/√(2·0.2) = 0.474.
    let r9 = run(&SimSettings { r_pre_post: 0.8, samples: 200, ..s });
    assert!((r9.true_effect_d - 0.3 / 0.4f64.sqrt()).abs() < 1e-12);
    assert!(r9.share_significant.unwrap() > 0.97);
}

#[test]
fn effect_on_change_scale_and_change_outcome() {
    // d given on the change SD, analysed as change: the analysed d is d itself.
    let s = SimSettings {
        effect_scale: EffectScale::Change,
        outcome: SimOutcome::Change,
        r_pre_post: 0.7,
        samples: 10,
        ..SimSettings::default()
    };
    let r = run(&s);
    assert!((r.true_effect_d - 0.5).abs() < 1e-12);
    assert!((r.true_difference - 0.5 * 0.6f64.sqrt()).abs() < 1e-12);
    // The same raw effect analysed on post scores is smaller in SD units.
    let r = run(&SimSettings { outcome: SimOutcome::Post, ..s });
    assert!((r.true_effect_d - 0.5 * 0.6f64.sqrt()).abs() < 1e-12);
}

#[test]
fn attrition_reduces_the_analysed_n() {
    let r = run(&SimSettings { n_per_arm: 100, attrition: 0.3, samples: 500, seed: 4, ..SimSettings::default() });
    let n = r.mean_n_analysed_per_arm.unwrap();
    assert!((n - 70.0).abs() < 1.0, "{n}");
    assert_eq!(r.expected_n_analysed_per_arm, 70.0);
    assert!(r.studies.iter().all(|s| s.n_intervention < 100 || s.n_control.unwrap() < 100));
    // Power is planned on the analysed n, 70 per arm (exact noncentral t, SciPy: 0.83582),
    // below the 0.94 of 100 per arm.
    assert!((r.planned_power.unwrap() - 0.83582).abs() < 1e-4, "{:?}", r.planned_power);
    assert!((r.share_significant.unwrap() - 0.83582).abs() < 0.05, "{:?}", r.share_significant);
    assert!(r.summary.iter().any(|s| s.contains("drop-out")));
    let full = run(&SimSettings { n_per_arm: 100, samples: 50, ..SimSettings::default() });
    assert_eq!(full.mean_n_analysed_per_arm, Some(100.0));
}

#[test]
fn icc_inflates_the_spread_by_about_the_root_design_effect() {
    // 6 clusters of 11 per arm, ICC 0.1: DE = 2.
    let base = SimSettings { n_per_arm: 66, effect_d: 0.0, samples: 2000, seed: 5, ..SimSettings::default() };
    let plain = run(&base);
    let clustered = run(&SimSettings { icc: 0.1, cluster_size: 11, ..base.clone() });
    assert!((clustered.design_effect - 2.0).abs() < 1e-12);
    assert!((clustered.effective_n_per_arm - 33.0).abs() < 1e-9);
    let ratio = clustered.estimate_sd.unwrap() / plain.estimate_sd.unwrap();
    assert!((ratio - 2f64.sqrt()).abs() < 0.1, "ratio {ratio}");
    // The person-level t-test ignores clusters: far too many false alarms.
    assert!(clustered.share_significant.unwrap() > 0.10, "{:?}", clustered.share_significant);
    assert!(clustered.summary.iter().any(|s| s.contains("design effect")));
    // Testing cluster means keeps them near alpha.
    let means = run(&SimSettings { icc: 0.1, cluster_size: 11, analyse_cluster_means: true, ..base });
    let share = means.share_significant.unwrap();
    assert!((share - 0.05).abs() < 0.02, "{share}");
    // ICC without clusters (size 1) changes nothing.
    let size1 = run(&SimSettings {
        icc: 0.3,
        cluster_size: 1,
        samples: 100,
        seed: 5,
        n_per_arm: 66,
        effect_d: 0.0,
        ..SimSettings::default()
    });
    assert_eq!(size1.design_effect, 1.0);
}

#[test]
fn small_studies_exaggerate_significant_effects() {
    let r = run(&SimSettings { n_per_arm: 20, effect_d: 0.2, samples: 2000, seed: 6, ..SimSettings::default() });
    assert!(r.exaggeration_ratio.unwrap() > 2.0, "{:?}", r.exaggeration_ratio);
    assert!(r.share_significant_wrong_direction.unwrap() > 0.0);
    assert!(r.summary.iter().any(|s| s.contains("overestimated")));
}

#[test]
fn bad_settings_are_plain_errors() {
    for (s, field) in [
        (SimSettings { n_per_arm: 1, ..SimSettings::default() }, "n_per_arm"),
        (SimSettings { r_pre_post: 1.0, ..SimSettings::default() }, "r_pre_post"),
        (SimSettings { attrition: f64::NAN, ..SimSettings::default() }, "attrition"),
        (SimSettings { icc: -0.1, ..SimSettings::default() }, "icc"),
        (SimSettings { cluster_size: 0, ..SimSettings::default() }, "cluster_size"),
        (SimSettings { alpha: 1.5, ..SimSettings::default() }, "alpha"),
        (SimSettings { samples: 0, ..SimSettings::default() }, "samples"),
        (SimSettings { effect_d: f64::INFINITY, ..SimSettings::default() }, "effect_d"),
        (
            SimSettings { n_per_arm: 10, cluster_size: 10, analyse_cluster_means: true, ..SimSettings::default() },
            "cluster_size",
        ),
    ] {
        let e = SimRun::new(&s).unwrap_err();
        assert_eq!(e.field.as_deref(), Some(field), "{e:?}");
        assert!(!e.message.is_empty());
        assert!(s.clamped().validate().is_ok() || field == "cluster_size", "{s:?}");
    }
    // Unknown keys are ignored and missing keys take defaults.
    let s: SimSettings = serde_json::from_str(r#"{"n_per_arm": 30, "design": "one_group", "extra": 1}"#).unwrap();
    assert_eq!((s.n_per_arm, s.design, s.samples), (30, SimDesign::OneGroup, DEFAULT_SAMPLES));
}

#[test]
fn cancelled_runs_summarise_what_was_drawn() {
    let mut r = SimRun::new(&SimSettings { samples: 1000, ..SimSettings::default() }).unwrap();
    r.step(r.suggested_step().min(100));
    assert!(r.fraction_done() > 0.0 && r.fraction_done() < 1.0);
    let res = r.finish();
    assert!(res.cancelled);
    assert!(res.samples_done < 1000 && res.samples_done > 0);
    assert!(res.summary[0].contains("Stopped"));
    let json = serde_json::to_string(&res).unwrap();
    assert!(!json.contains("NaN"));
    let back: SimResult = serde_json::from_str(&json).unwrap();
    assert_eq!(back.samples_done, res.samples_done);
}

#[test]
fn heavy_attrition_in_tiny_studies_is_not_computable_not_nan() {
    let r = run(&SimSettings { n_per_arm: 2, attrition: 0.9, samples: 200, seed: 8, ..SimSettings::default() });
    assert!(r.samples_not_computable > 100);
    let json = serde_json::to_string(&r).unwrap();
    assert!(!json.contains("NaN") && !json.contains("inf"));
    assert_eq!(r.planned_power, None, "an expected 0.2 people per arm cannot be planned for");
}

#[test]
fn one_sample_csv_loads_as_study_one() {
    let s =
        SimSettings { n_per_arm: 40, attrition: 0.1, icc: 0.05, cluster_size: 10, seed: 77, ..SimSettings::default() };
    let csv = one_sample_csv(&s, 77);
    assert_eq!(csv, one_sample_csv(&s, 77), "reproducible");
    assert_ne!(csv, one_sample_csv(&s, 78));
    assert!(csv.starts_with("participant_id,group,cluster,stigma_pre,stigma_post,help_seeking_pre,help_seeking_post\n"));
    assert_eq!(csv.lines().count(), 81);
    assert!(csv.contains(",intervention,I01,") && csv.contains(",control,C04,"));
    let ds = read_csv(csv.as_bytes(), "simulated.csv").unwrap();
    assert!(ds.diagnostics.is_empty(), "{:?}", ds.diagnostics);
    let mut recipe = Recipe::default();
    recipe.suggest_columns(&ds.column_names());
    assert_eq!(recipe.columns.group.as_deref(), Some("group"));
    assert_eq!(recipe.columns.subgroup, None);
    let a = analyse(&ds, &recipe);
    let post = a.results.two_group_post.as_ref().unwrap();
    // Stigma is lower = better, so the file's d is minus the simulation's estimate.
    let study1 = &run(&SimSettings { samples: 1, ..s.clone() }).studies[0];
    assert_eq!(post.n_int, study1.n_intervention);
    assert_eq!(Some(post.n_ctrl), study1.n_control);
    assert!(
        (post.cohen_d.unwrap() + study1.estimate.unwrap()).abs() < 0.05,
        "{:?} vs {:?}",
        post.cohen_d,
        study1.estimate
    );
    // One group: no group column, so it reads as a single group.
    let one = one_sample_csv(&SimSettings { design: SimDesign::OneGroup, n_per_arm: 12, ..SimSettings::default() }, 1);
    assert!(one.starts_with("participant_id,cluster,stigma_pre"));
    let ds = read_csv(one.as_bytes(), "one.csv").unwrap();
    let mut recipe = Recipe::default();
    recipe.suggest_columns(&ds.column_names());
    let a = analyse(&ds, &recipe);
    assert_eq!(a.results.paired["all"].n, 12);
    // Out-of-range settings are pulled into range rather than failing.
    let odd = one_sample_csv(&SimSettings { n_per_arm: 0, r_pre_post: 3.0, ..SimSettings::default() }, 1);
    assert_eq!(odd.lines().count(), 5);
}
