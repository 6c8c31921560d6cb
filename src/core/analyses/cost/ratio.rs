//! Honest ratios: whether an incremental cost-effectiveness ratio means anything for these
//! results (and the sentence that says so), the acceptability curve, and money in words.

use serde::{Deserialize, Serialize};

/// Where the results sit on the cost-effectiveness plane, and so whether a ratio is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CeClass {
    /// Costs no more and more participants sought help: no ratio needed.
    Dominant,
    /// Costs no less and fewer participants sought help: no ratio shown.
    Dominated,
    /// No difference in help-seeking, an uncertain direction, or not computable: no ratio shown.
    Undefined,
    /// Costs and effects move together, clearly: the ratio is shown.
    RatioMeaningful,
}

/// The classification with its plain sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub class: CeClass,
    pub sentence: String,
}

/// One point of the cost-effectiveness acceptability curve.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CeacPoint {
    /// Willingness to pay per additional help-seeker.
    pub wtp: f64,
    /// Share of bootstrap replicates in which the program's net benefit, wtp·Δeffect − Δcost, is above 0.
    pub probability: f64,
}

/// Money for sentences: whole units from 100 up, cents below, thousands separated, with the
/// currency before a symbol-style label ("$1,200") or after a code ("1,200 EUR").
pub fn money(x: f64, currency: &str) -> String {
    if !x.is_finite() {
        return "not computable".into();
    }
    let decimals = if x.abs() >= 99.995 { 0 } else { 2 };
    let text = format!("{:.*}", decimals, x.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut grouped = String::new();
    for (k, c) in int.chars().enumerate() {
        if k > 0 && (int.len() - k) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let body = if frac.is_empty() { grouped } else { format!("{grouped}.{frac}") };
    let sign = if x < 0.0 && body.chars().any(|c| ('1'..='9').contains(&c)) { "−" } else { "" };
    let cur = currency.trim();
    if cur.is_empty() {
        format!("{sign}{body}")
    } else if cur.chars().all(|c| c.is_alphabetic()) {
        format!("{sign}{body} {cur}")
    } else {
        format!("{sign}{cur}{body}")
    }
}

/// A difference in proportions as percentage points ("24.5 percentage points").
pub fn points(d: f64) -> String {
    format!("{:.1}", d * 100.0).replace('-', "−")
}

/// Classifies the results. `effect_ci` is the bootstrap interval of Δeffect (p_i − p_c) and
/// `icer_ci` that of the ratio; without them (no bootstrap, or it was stopped) the point
/// estimates decide and the sentence says there is no interval.
pub fn classify(
    delta_cost: Option<f64>,
    delta_effect: Option<f64>,
    effect_ci: Option<(f64, f64)>,
    icer_ci: Option<(f64, f64)>,
    currency: &str,
    level: f64,
) -> Verdict {
    let pct = format!("{}%", (level * 100.0).round());
    let (Some(dc), Some(de)) = (delta_cost, delta_effect) else {
        return Verdict {
            class: CeClass::Undefined,
            sentence: "A cost per additional help-seeker cannot be worked out: it needs the enrolment of both arms and help-seeking answers after the program in both."
                .into(),
        };
    };
    let more = if dc > 0.0 {
        format!("{} more", money(dc, currency))
    } else if dc < 0.0 {
        format!("{} less", money(-dc, currency))
    } else {
        "the same".into()
    };
    if de == 0.0 {
        return Verdict {
            class: CeClass::Undefined,
            sentence: format!(
                "The same share of participants sought help in both groups, so there is no cost per additional help-seeker: the program cost {more} per participant than the control condition for no difference in help-seeking."
            ),
        };
    }
    if let Some((lo, hi)) = effect_ci {
        if lo <= 0.0 && hi >= 0.0 {
            return Verdict {
                class: CeClass::Undefined,
                sentence: format!(
                    "The difference in help-seeking is uncertain ({} percentage points, {pct} interval {} to {}, which includes no difference), so a cost per additional help-seeker would not mean much and is not shown. The program cost {more} per participant than the control condition.",
                    points(de),
                    points(lo),
                    points(hi)
                ),
            };
        }
    }
    let no_interval = if effect_ci.is_none() { " (without a bootstrap interval)" } else { "" };
    if de > 0.0 && dc <= 0.0 {
        return Verdict {
            class: CeClass::Dominant,
            sentence: format!(
                "The program cost {more} per participant than the control condition and {} percentage points more participants sought help{no_interval}: it costs no more and works better, so no cost per help-seeker is needed.",
                points(de)
            ),
        };
    }
    if de < 0.0 && dc >= 0.0 {
        return Verdict {
            class: CeClass::Dominated,
            sentence: format!(
                "The program cost {more} per participant than the control condition and {} percentage points fewer participants sought help{no_interval}: it costs no less and did worse on help-seeking, so a cost per help-seeker is not shown.",
                points(-de)
            ),
        };
    }
    let ratio = dc / de;
    let interval = match icer_ci {
        Some((lo, hi)) => format!(" ({pct} interval {} to {})", money(lo, currency), money(hi, currency)),
        None => no_interval.to_string(),
    };
    let sentence = if de > 0.0 {
        format!(
            "Each additional person who sought help cost about {}{interval} compared with the control group.",
            money(ratio, currency)
        )
    } else {
        format!(
            "The program saved {} per participant but fewer participants sought help: each help-seeker fewer saved about {}{interval} compared with the control group.",
            money(-dc, currency),
            money(ratio, currency)
        )
    };
    Verdict { class: CeClass::RatioMeaningful, sentence }
}

/// A round number at or above `x` (1, 2, 2.5 or 5 × a power of ten).
pub fn nice_ceiling(x: f64) -> f64 {
    if !(x.is_finite() && x > 0.0) {
        return 1.0;
    }
    let p = 10f64.powf(x.log10().floor());
    for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if m * p >= x * (1.0 - 1e-12) {
            return m * p;
        }
    }
    10.0 * p
}

/// The acceptability curve over `points` willingness-to-pay values from 0 to `wtp_max`:
/// the share of `deltas` (bootstrap Δeffect; Δcost is fixed) with wtp·Δeffect − Δcost > 0.
pub fn ceac(delta_cost: f64, deltas: &[f64], wtp_max: f64, points: usize) -> Vec<CeacPoint> {
    if deltas.is_empty() || points < 2 || !(wtp_max.is_finite() && wtp_max > 0.0) {
        return Vec::new();
    }
    let n = deltas.len() as f64;
    (0..points)
        .map(|k| {
            let wtp = wtp_max * k as f64 / (points - 1) as f64;
            let above = deltas.iter().filter(|&&d| wtp * d - delta_cost > 0.0).count();
            CeacPoint { wtp, probability: above as f64 / n }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_reads_well() {
        assert_eq!(money(278.6252, "$"), "$279");
        assert_eq!(money(69.9, "$"), "$69.90");
        assert_eq!(money(13980.0, "$"), "$13,980");
        assert_eq!(money(1234567.0, "EUR"), "1,234,567 EUR");
        assert_eq!(money(-5.0, "€"), "−€5.00");
        assert_eq!(money(-0.001, ""), "0.00");
        assert_eq!(money(99.999, ""), "100");
        assert_eq!(money(f64::NAN, "$"), "not computable");
    }

    #[test]
    fn quadrants_and_no_ratio_where_it_means_nothing() {
        let c = |dc, de, eci| classify(Some(dc), Some(de), eci, None, "$", 0.95);
        assert_eq!(c(10.0, 0.1, Some((0.05, 0.2))).class, CeClass::RatioMeaningful);
        assert!(c(10.0, 0.1, Some((0.05, 0.2))).sentence.contains("$100"));
        assert_eq!(c(-10.0, 0.1, Some((0.05, 0.2))).class, CeClass::Dominant);
        assert_eq!(c(0.0, 0.1, Some((0.05, 0.2))).class, CeClass::Dominant);
        assert_eq!(c(10.0, -0.1, Some((-0.2, -0.05))).class, CeClass::Dominated);
        assert_eq!(c(-10.0, -0.1, Some((-0.2, -0.05))).class, CeClass::RatioMeaningful);
        assert!(c(-10.0, -0.1, Some((-0.2, -0.05))).sentence.contains("saved"));
        // Zero difference and an interval crossing zero: undefined, whatever the costs.
        assert_eq!(c(10.0, 0.0, Some((-0.1, 0.1))).class, CeClass::Undefined);
        assert_eq!(c(10.0, 0.05, Some((-0.02, 0.1))).class, CeClass::Undefined);
        assert_eq!(c(-10.0, 0.05, Some((-0.02, 0.1))).class, CeClass::Undefined);
        assert!(c(10.0, 0.05, Some((-0.02, 0.1))).sentence.contains("includes no difference"));
        assert_eq!(classify(None, Some(0.1), None, None, "$", 0.95).class, CeClass::Undefined);
        // Without an interval the point estimate decides, and the sentence says so.
        let v = c(-10.0, 0.1, None);
        assert_eq!(v.class, CeClass::Dominant);
        assert!(v.sentence.contains("without a bootstrap interval"));
    }

    #[test]
    fn ceac_and_grid() {
        assert_eq!(nice_ceiling(278.0), 500.0);
        assert_eq!(nice_ceiling(1000.0), 1000.0);
        assert!((nice_ceiling(0.13) - 0.2).abs() < 1e-12);
        assert_eq!(nice_ceiling(-1.0), 1.0);
        // Δcost 10; replicates Δeffect 0.05, 0.1, 0.2: break-even wtp 200, 100, 50.
        let curve = ceac(10.0, &[0.05, 0.1, 0.2], 300.0, 4);
        let probs: Vec<f64> = curve.iter().map(|p| p.probability).collect();
        assert_eq!(curve.iter().map(|p| p.wtp).collect::<Vec<_>>(), vec![0.0, 100.0, 200.0, 300.0]);
        assert_eq!(probs, vec![0.0, 1.0 / 3.0, 2.0 / 3.0, 1.0]);
        assert!(ceac(10.0, &[], 100.0, 5).is_empty());
    }
}
