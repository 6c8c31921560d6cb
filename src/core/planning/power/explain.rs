//! Plain-language readings of a solved planning case, and effect-size bands.

use super::{Design, InputValue, PowerCase, PowerOutput, SolveFor};

/// Cohen's conventional band for a standardised effect (d or h): a rough guide only.
pub fn effect_band(es: f64) -> &'static str {
    let a = es.abs();
    if a < 0.2 {
        "very small (below Cohen's 'small', 0.2)"
    } else if a < 0.5 {
        "small (0.2 to 0.5; typical of anti-stigma programs)"
    } else if a < 0.8 {
        "medium (0.5 to 0.8)"
    } else {
        "large (0.8 or more)"
    }
}

fn input(case: &PowerCase, name: &str) -> Option<f64> {
    match case.inputs.get(name)? {
        InputValue::Number(v) => Some(*v),
        InputValue::Text(t) => t.trim().parse().ok(),
    }
}

fn pct(p: f64) -> String {
    format!("{:.0}%", p * 100.0)
}

/// "a" or "an" before a spoken percentage ("an 80% chance", "a 90% chance").
fn article(spoken: &str) -> &'static str {
    if spoken.starts_with('8') || spoken.starts_with("11%") || spoken.starts_with("18%") {
        "an"
    } else {
        "a"
    }
}

/// One or two sentences saying what the solved case means.
pub fn plan_reading(case: &PowerCase, out: &PowerOutput) -> String {
    let alpha = input(case, "sig_level").unwrap_or(0.05);
    let level = format!("at the {} significance level", pct(alpha));
    let target = input(case, "power").map(pct).unwrap_or_else(|| "the chosen".into());
    let unit = match case.design {
        Design::PairedT | Design::McnemarConnor => "people measured before and after",
        Design::ClusterCra2 => "clusters",
        _ => "people in each group",
    };
    match (case.design, case.solve_for) {
        (Design::DesignEffect | Design::Attrition | Design::DesignEffectAttrition, _) => match out.n_ceiling {
            Some(n) => format!(
                "Recruit {n} people in all{}{}.",
                out.design_effect.map(|de| format!(" (design effect {de:.3})")).unwrap_or_default(),
                input(case, "attrition").map(|a| format!(", allowing for {} drop-out", pct(a))).unwrap_or_default()
            ),
            None => "The sample size could not be worked out from these inputs.".into(),
        },
        (_, SolveFor::Power) => match out.power {
            Some(p) => format!(
                "With these numbers the study has {} {} chance of detecting the effect {level} — {}{}",
                article(&pct(p)),
                pct(p),
                power_band(p),
                if p < 0.8 { ": below the usual 80% target." } else { "." }
            ),
            None => "Power could not be computed from these inputs.".into(),
        },
        (_, SolveFor::N) | (_, SolveFor::N2) => {
            let (real, ceil) = if case.solve_for == SolveFor::N2 {
                (out.n2_real, out.n2_ceiling)
            } else {
                (out.n_real, out.n_ceiling)
            };
            match (real, ceil) {
                (Some(r), Some(c)) => format!(
                    "You need {c} {} ({r:.1} rounded up) for {} {target} chance of detecting the effect {level}. Plan for more if some people will not complete the study.",
                    if case.solve_for == SolveFor::N2 { "people in group 2" } else { unit },
                    article(&target)
                ),
                _ => "The sample size could not be worked out from these inputs.".into(),
            }
        }
        (_, SolveFor::D) | (_, SolveFor::H) | (_, SolveFor::Mdes) => {
            let es = out.d.or(out.h_detectable).or(out.h).or(out.mdes);
            match es {
                Some(e) => format!(
                    "The smallest effect this study can detect with {target} power {level} is {e:.3} — {}.",
                    effect_band(e)
                ),
                None => "The detectable effect could not be worked out from these inputs.".into(),
            }
        }
        (_, SolveFor::J) => match out.clusters {
            Some(j) => format!(
                "You need {j} clusters in all for {} {target} chance of detecting the effect {level}.",
                article(&target)
            ),
            None => "The number of clusters could not be worked out from these inputs.".into(),
        },
    }
}

/// The plain band a power falls in.
pub fn power_band(power: f64) -> &'static str {
    const READINGS: [&str; 4] = [
        "likely to miss a real effect",
        "a coin flip to probable",
        "probably detects a real effect",
        "almost surely detects a real effect",
    ];
    // The band whose upper limit the power is below (the last band takes the rest).
    let band = POWER_BANDS.iter().position(|(_, hi, _)| power < *hi).unwrap_or(READINGS.len() - 1);
    READINGS.get(band).copied().unwrap_or(READINGS[3])
}

/// Effect sizes reported for anti-stigma programs, with their sources (standardised mean
/// differences; see shared/research, section B2).
pub const LITERATURE_EFFECTS: &[(f64, &str)] = &[
    (0.10, "preregistered contact experiments"),
    (0.26, "attitudes at follow-up (Mehta et al. 2015)"),
    (0.28, "stigma interventions overall (Griffiths et al. 2014)"),
    (0.38, "contact, immediately after (Maunder & White 2019)"),
];

/// "With 60 per group you can detect d ≥ 0.52": the smallest effect the case's sample size
/// detects with 80% power (t-test designs with an n; `None` otherwise).
pub fn sensitivity_line(case: &PowerCase) -> Option<String> {
    let (n_name, unit) = match case.design {
        Design::PairedT => ("n", "pairs"),
        Design::TwoSampleTEqualN | Design::AncovaTwoSample => ("n", "people per group"),
        _ => return None,
    };
    let n = input(case, n_name).or_else(|| super::solve(case).ok().and_then(|o| o.n_ceiling.map(|v| v as f64)))?;
    let mut c = case.clone();
    c.solve_for = SolveFor::D;
    c.set(n_name, n);
    c.set("power", 0.8);
    let d = super::solve(&c).ok()?.d?;
    Some(format!("With {n:.0} {unit} you can detect d ≥ {d:.2} with 80% power ({}).", effect_band(d)))
}

/// d_z for a paired design from raw quantities: the expected mean change and the SDs of the
/// pre and post scores with their correlation r: SD_diff = sqrt(s1² + s2² − 2·r·s1·s2).
pub fn dz_from_raw(mean_change: f64, sd_pre: f64, sd_post: f64, r: f64) -> Option<f64> {
    if !(sd_pre > 0.0 && sd_post > 0.0 && (-1.0..=1.0).contains(&r)) {
        return None;
    }
    let var = sd_pre * sd_pre + sd_post * sd_post - 2.0 * r * sd_pre * sd_post;
    (var > 0.0).then(|| mean_change / var.sqrt()).filter(|v| v.is_finite())
}

/// Cohen's d for two groups from raw quantities: mean difference over the pooled SD of two
/// equal-sized groups, sqrt((s1² + s2²)/2).
pub fn d_from_raw(mean_difference: f64, sd_1: f64, sd_2: f64) -> Option<f64> {
    if !(sd_1 > 0.0 && sd_2 > 0.0) {
        return None;
    }
    Some(mean_difference / ((sd_1 * sd_1 + sd_2 * sd_2) / 2.0).sqrt()).filter(|v| v.is_finite())
}

/// The four plain power bands as (from, to, name), for drawing behind a power curve.
pub const POWER_BANDS: &[(f64, f64, &str)] = &[
    (0.0, 0.5, "below 50%: likely to miss"),
    (0.5, 0.8, "50–80%: a coin flip to probable"),
    (0.8, 0.95, "80–95%: probably detects"),
    (0.95, 1.0, "above 95%: almost surely"),
];

/// One curve of a [`CurveFamily`]: power against the sample size for one effect.
#[derive(Debug, Clone, PartialEq)]
pub struct EffectCurve {
    pub label: String,
    pub effect: f64,
    /// Whether this is the case's own effect (entered or solved).
    pub own: bool,
    pub points: Vec<super::CurvePoint>,
}

/// Power against the sample size (`vary`: n, n2 or J) for the case's effect and, for
/// comparison, effects reported in the literature (standardised mean differences) or
/// Cohen's small and medium h (proportions). McNemar cases get their own curve only.
#[derive(Debug, Clone, PartialEq)]
pub struct CurveFamily {
    pub vary: String,
    pub from: f64,
    pub to: f64,
    /// The effect's name in this design (d, delta, h), if the family varies it.
    pub effect_name: Option<&'static str>,
    pub curves: Vec<EffectCurve>,
}

/// The effect input a design's curves can vary, and the case's own value of it.
fn own_effect(case: &PowerCase, out: &PowerOutput) -> Option<(&'static str, f64)> {
    let given = |name: &str| match case.inputs.get(name) {
        Some(InputValue::Number(v)) if v.is_finite() => Some(*v),
        _ => None,
    };
    match case.design {
        Design::PairedT | Design::TwoSampleTEqualN | Design::TwoSampleTUnequalN | Design::AncovaTwoSample => {
            Some(("d", out.d.or_else(|| given("d"))?))
        }
        Design::ClusterCra2 => Some(("delta", out.mdes.or(out.delta).or_else(|| given("delta"))?)),
        Design::TwoProportionsEqualN | Design::TwoProportionsUnequalN => {
            let from_p = given("p1").zip(given("p2")).map(|(a, b)| super::proportions::cohens_h(a, b));
            Some(("h", out.h.or(out.h_detectable).or(from_p).or_else(|| given("h"))?))
        }
        _ => None,
    }
}

/// The curves for a solved case, `points` per curve (the case's own curve) and about a third
/// as many for the comparison effects. `None` for designs without a power.
pub fn curve_family(case: &PowerCase, out: &PowerOutput, points: usize) -> Option<CurveFamily> {
    let (vary, from, to) = super::default_curve(case, out)?;
    let mut base = case.clone();
    base.solve_for = SolveFor::Power;
    let own = own_effect(case, out).filter(|(_, v)| v.abs() > 1e-12);
    let mut effects: Vec<(String, f64, bool)> = Vec::new();
    match own {
        Some((name, v)) => {
            let shown = if name == "delta" { "effect" } else { name };
            effects.push((format!("your plan: {shown} = {:.2}", v.abs()), v.abs(), true));
            let others: Vec<(f64, String)> = if name == "h" {
                vec![(0.2, "small (h = 0.2)".into()), (0.5, "medium (h = 0.5)".into())]
            } else {
                LITERATURE_EFFECTS
                    .iter()
                    .filter(|(e, _)| (*e - 0.28).abs() > 1e-9)
                    .map(|(e, src)| (*e, format!("{e:.2}: {}", src.split(" (").next().unwrap_or(src))))
                    .collect()
            };
            for (e, label) in others {
                if (e - v.abs()).abs() > 0.03 {
                    effects.push((label, e, false));
                }
            }
            if name == "h" {
                base.inputs.remove("p1");
                base.inputs.remove("p2");
            }
            let mut curves = Vec::new();
            for (label, e, is_own) in effects {
                let mut c = base.clone();
                c.set(name, e);
                let n = if is_own { points } else { (points / 3).max(20) };
                if let Ok(pts) = super::power_curve(&c, &vary, from, to, n) {
                    if !pts.is_empty() {
                        curves.push(EffectCurve { label, effect: e, own: is_own, points: pts });
                    }
                }
            }
            curves.sort_by(|a, b| a.effect.total_cmp(&b.effect));
            (!curves.is_empty()).then_some(CurveFamily { vary, from, to, effect_name: Some(name), curves })
        }
        None => {
            let pts = super::power_curve(&base, &vary, from, to, points).ok().filter(|p| !p.is_empty())?;
            Some(CurveFamily {
                vary,
                from,
                to,
                effect_name: None,
                curves: vec![EffectCurve { label: "your plan".into(), effect: f64::NAN, own: true, points: pts }],
            })
        }
    }
}

/// A line of the answer's table: its label in words, the value as shown, and whether it is a
/// detail for analysts (shown folded) rather than the answer itself.
#[derive(Debug, Clone, PartialEq)]
pub struct DetailRow {
    pub label: &'static str,
    pub value: String,
    pub for_analysts: bool,
}

/// The solved case's numbers in words, the answer first ("People needed, rounded up: 90",
/// "Power with that many: 80.1%"), then the analysts' details (exact n before rounding, degrees
/// of freedom, noncentrality, …). Never a field name of the output.
pub fn output_details(out: &PowerOutput) -> Vec<DetailRow> {
    let share = |v: f64| format!("{:.1}%", v * 100.0);
    let fixed = |v: f64, dp: usize| format!("{v:.dp$}");
    let count = |v: u64| v.to_string();
    let rows: [(&'static str, Option<String>, bool); 21] = [
        (
            "Sample size, rounded up (n; per group, pairs or per cluster as the design says)",
            out.n_ceiling.map(count),
            false,
        ),
        ("Power with that sample size", out.power_at_n_ceiling.map(share), false),
        ("Group 2 size, rounded up", out.n2_ceiling.map(count), false),
        ("Power with those group sizes", out.power_at_n2_ceiling.map(share), false),
        ("Clusters needed", out.clusters.map(count), false),
        ("Power", out.power.map(share), false),
        ("Smallest effect it can detect (d)", out.d.map(|v| fixed(v, 3)), false),
        ("Smallest effect it can detect (h)", out.h_detectable.map(|v| fixed(v, 3)), false),
        ("Smallest effect it can detect (MDES, in SDs)", out.mdes.map(|v| fixed(v, 3)), false),
        ("Power at that effect", out.power_at_mdes.map(share), false),
        ("Design effect (how much clustering or drop-out inflates n)", out.design_effect.map(|v| fixed(v, 3)), false),
        ("Sample size before rounding up", out.n_real.map(|v| fixed(v, 4)), true),
        ("Group 2 size before rounding up", out.n2_real.map(|v| fixed(v, 4)), true),
        ("Effect size adjusted for the pre–post correlation (d)", out.d_adjusted.map(|v| fixed(v, 4)), true),
        ("Effect size h (arcsine difference of the shares)", out.h.map(|v| fixed(v, 4)), true),
        ("Share of pairs that change (discordant)", out.psi_discordant.map(|v| fixed(v, 4)), true),
        ("Effect size (delta)", out.delta.map(|v| fixed(v, 4)), true),
        ("Degrees of freedom", out.df.map(|v| fixed(v, 2)), true),
        ("Standard error of the effect (in SDs)", out.se_standardized.map(|v| fixed(v, 4)), true),
        ("Multiplier M (critical values for alpha and power)", out.multiplier_M.map(|v| fixed(v, 4)), true),
        ("Noncentrality of the test statistic", out.ncp.map(|v| fixed(v, 4)), true),
    ];
    rows.into_iter()
        .filter_map(|(label, value, for_analysts)| Some(DetailRow { label, value: value?, for_analysts }))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::solve;
    use super::*;

    #[test]
    fn the_answer_table_speaks_words() {
        // power.json P-paired-n-d0.3-two.sided: n_real 89.14936435360336, n_ceiling 90 (R pwr).
        let case = PowerCase::new(Design::PairedT, SolveFor::N)
            .with("d", 0.3)
            .with("power", 0.8)
            .with("sig_level", 0.05)
            .with("alternative", "two.sided");
        let rows = output_details(&solve(&case).unwrap());
        let first = rows.first().unwrap();
        assert_eq!((first.label.starts_with("Sample size, rounded up"), first.value.as_str()), (true, "90"));
        let exact = rows.iter().find(|r| r.label == "Sample size before rounding up").unwrap();
        assert_eq!((exact.value.as_str(), exact.for_analysts), ("89.1494", true));
        for r in &rows {
            assert!(!r.label.contains('_'), "a field name: {}", r.label);
            assert!(!r.value.is_empty());
        }
        // The answer rows come before the analysts' details.
        let first_detail = rows.iter().position(|r| r.for_analysts).unwrap_or(rows.len());
        assert!(rows.iter().skip(first_detail).all(|r| r.for_analysts));
    }

    #[test]
    fn bands_and_sensitivity() {
        assert_eq!(power_band(0.3), "likely to miss a real effect");
        assert_eq!(power_band(0.8), "probably detects a real effect");
        assert_eq!(power_band(0.97), "almost surely detects a real effect");
        // Each limit belongs to the band above it, as the bands drawn on the chart.
        assert_eq!(power_band(0.5), "a coin flip to probable");
        assert_eq!(power_band(0.95), "almost surely detects a real effect");
        assert_eq!(power_band(1.0), "almost surely detects a real effect");
        assert_eq!(power_band(0.4999), "likely to miss a real effect");
        // pwr.t.test(n = 60, power = 0.8, type = "two.sample")$d = 0.5157..., so d ≥ 0.52.
        let case = PowerCase::new(Design::TwoSampleTEqualN, SolveFor::Power).with("d", 0.3).with("n", 60.0);
        let line = sensitivity_line(&case).unwrap();
        assert!(line.starts_with("With 60 people per group you can detect d ≥ 0.52"), "{line}");
        assert!(sensitivity_line(&PowerCase::new(Design::McnemarConnor, SolveFor::N)).is_none());
    }

    #[test]
    fn effect_sizes_from_raw_quantities() {
        // A change of -0.3 with SDs 0.8 and 0.9 and r = 0.6: SD_diff = sqrt(0.64 + 0.81 - 0.864) = sqrt(0.586).
        let dz = dz_from_raw(-0.3, 0.8, 0.9, 0.6).unwrap();
        assert!((dz - (-0.3 / 0.586f64.sqrt())).abs() < 1e-12);
        assert_eq!(dz_from_raw(0.3, 1.0, 1.0, 1.0), None, "identical scores: no spread of change");
        assert_eq!(dz_from_raw(0.3, 0.0, 1.0, 0.5), None);
        let d = d_from_raw(0.4, 0.8, 1.0).unwrap();
        assert!((d - 0.4 / 0.82f64.sqrt()).abs() < 1e-12);
    }

    #[test]
    fn readings_name_the_answer() {
        // pwr.t.test(d = 0.3, power = 0.8, type = "paired") → n = 89.14938, so 90 pairs.
        let case =
            PowerCase::new(Design::PairedT, SolveFor::N).with("d", 0.3).with("power", 0.8).with("sig_level", 0.05);
        let out = solve(&case).unwrap();
        let r = plan_reading(&case, &out);
        assert!(
            r.starts_with("You need 90 people measured before and after (89.1 rounded up) for an 80% chance"),
            "{r}"
        );
        let case = PowerCase::new(Design::TwoSampleTEqualN, SolveFor::Power).with("d", 0.3).with("n", 50.0);
        let r = plan_reading(&case, &solve(&case).unwrap());
        assert!(r.contains("below the usual 80% target"), "{r}");
        assert_eq!(effect_band(0.25), "small (0.2 to 0.5; typical of anti-stigma programs)");
        assert_eq!(effect_band(-0.9), "large (0.8 or more)");
    }

    #[test]
    fn curve_family_compares_the_plan_with_the_literature() {
        let case = PowerCase::new(Design::TwoSampleTEqualN, SolveFor::N).with("d", 0.5).with("power", 0.8);
        let out = super::super::solve(&case).unwrap();
        let fam = curve_family(&case, &out, 200).unwrap();
        assert_eq!(fam.vary, "n");
        assert_eq!(fam.effect_name, Some("d"));
        let effects: Vec<f64> = fam.curves.iter().map(|c| c.effect).collect();
        assert_eq!(effects, vec![0.10, 0.26, 0.38, 0.5]);
        let own = fam.curves.iter().find(|c| c.own).unwrap();
        assert_eq!(own.points.len(), 200);
        // The plan's own curve crosses 80% at the solved n (64 per group for d = 0.5).
        let at = |n: f64| own.points.iter().min_by(|a, b| (a.x - n).abs().total_cmp(&(b.x - n).abs())).unwrap().power;
        assert!(at(64.0) > 0.79 && at(64.0) < 0.82, "{}", at(64.0));
        // At every n a smaller effect has less power.
        for w in fam.curves.windows(2) {
            let (a, b) = (&w[0], &w[1]);
            for p in &a.points {
                let q = b.points.iter().min_by(|x, y| (x.x - p.x).abs().total_cmp(&(y.x - p.x).abs())).unwrap();
                if (q.x - p.x).abs() < 1e-9 {
                    assert!(p.power <= q.power + 1e-12);
                }
            }
        }
        // Proportions: h from p1/p2, compared with Cohen's small and medium h.
        let case = PowerCase::new(Design::TwoProportionsEqualN, SolveFor::N)
            .with("p1", 0.3)
            .with("p2", 0.45)
            .with("power", 0.8);
        let out = super::super::solve(&case).unwrap();
        let fam = curve_family(&case, &out, 90).unwrap();
        assert_eq!(fam.effect_name, Some("h"));
        assert_eq!(fam.curves.len(), 3);
        // McNemar: the plan's own curve only. Design effect: no curve.
        let case =
            PowerCase::new(Design::McnemarConnor, SolveFor::Power).with("p01", 0.1).with("p10", 0.25).with("n", 80.0);
        let out = super::super::solve(&case).unwrap();
        assert_eq!(curve_family(&case, &out, 50).unwrap().curves.len(), 1);
        let case = PowerCase::new(Design::DesignEffect, SolveFor::N)
            .with("n_individual", 100.0)
            .with("m", 20.0)
            .with("icc", 0.05);
        if let Ok(out) = super::super::solve(&case) {
            assert!(curve_family(&case, &out, 50).is_none());
        }
        assert_eq!(POWER_BANDS.len(), 4);
        assert!(POWER_BANDS.windows(2).all(|w| w[0].1 == w[1].0));
    }
}
