//! Combined sites (`shared/design/CONTRACT.md` §8) as people read them: the forest plot's
//! geometry (drawn by the UI as SVG), the plain-language readings of each pooled measure and the
//! pooled table's rows. Nothing is computed here but layout and wording; the numbers come from
//! [`crate::core::results::pooling`].
//!
//! Readings never claim more than the intervals show: a direction word ("fell", "higher") is used
//! only when the 95% interval excludes no effect, and the prediction interval says what a new
//! site might see.

use crate::core::present::chart::{nice_ticks, Scale};
use crate::core::results::pooling::{I2Band, Measure, PooledMeasure};

/// The pooled model drawn as the diamond (and read first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Model {
    /// Fixed effect (inverse variance).
    Fixed,
    /// DerSimonian–Laird random effects.
    Dl,
    /// REML random effects (the default).
    #[default]
    Reml,
    /// REML with the Knapp–Hartung adjustment.
    RemlHk,
}

impl Model {
    pub const ALL: [Model; 4] = [Model::Reml, Model::RemlHk, Model::Dl, Model::Fixed];

    /// A short name for tables and the model picker.
    pub fn label(self) -> &'static str {
        match self {
            Model::Fixed => "Fixed effect",
            Model::Dl => "Random effects (DerSimonian–Laird)",
            Model::Reml => "Random effects (REML)",
            Model::RemlHk => "REML with Knapp–Hartung",
        }
    }

    /// The key in `lantern-pooled.json` (also the picker's value).
    pub fn key(self) -> &'static str {
        match self {
            Model::Fixed => "fixed",
            Model::Dl => "dl",
            Model::Reml => "reml",
            Model::RemlHk => "reml_hk",
        }
    }

    pub fn from_key(k: &str) -> Option<Model> {
        Model::ALL.into_iter().find(|m| m.key() == k)
    }
}

/// One model's pooled estimate: (estimate, ci_low, ci_high, p, τ²).
pub fn model_values(m: &PooledMeasure, model: Model) -> (f64, f64, f64, Option<f64>, Option<f64>) {
    let f = &m.fit;
    match model {
        Model::Fixed => (f.fixed.estimate, f.fixed.ci_low, f.fixed.ci_high, Some(f.fixed.p), None),
        Model::Dl => (f.dl.estimate, f.dl.ci_low, f.dl.ci_high, Some(f.dl.p), Some(f.dl.tau2)),
        Model::Reml => (f.reml.estimate, f.reml.ci_low, f.reml.ci_high, Some(f.reml.p), Some(f.reml.tau2)),
        Model::RemlHk => (f.reml_hk.estimate, f.reml_hk.ci_low, f.reml_hk.ci_high, f.reml_hk.p, Some(f.reml.tau2)),
    }
}

/// A heading for a measure's block.
pub fn heading(m: Measure) -> &'static str {
    match m {
        Measure::Ancova => "Difference between groups after the program, adjusted for before (ANCOVA)",
        Measure::GChange => "Standardised difference in change between groups (Hedges' g)",
        Measure::ChangeIntervention => "Change in the intervention groups (after − before)",
        Measure::ChangeControl => "Change in the control groups (after − before)",
        Measure::ChangeAll => "Change in single-group sites (after − before)",
        Measure::LogRrHelp => "Help seeking after the program: risk ratio, intervention vs control",
    }
}

/// The axis label of a measure's forest plot.
pub fn axis_label(m: Measure) -> &'static str {
    match m {
        Measure::Ancova => "Adjusted difference in score (intervention − control)",
        Measure::GChange => "Hedges' g (difference in change, in SDs)",
        Measure::ChangeIntervention | Measure::ChangeControl | Measure::ChangeAll => "Change in score (after − before)",
        Measure::LogRrHelp => "Risk ratio of seeking help (log scale)",
    }
}

/// A value on the measure's reading scale: a risk ratio for `log_rr_help`, else as is.
pub fn shown(m: Measure, v: f64) -> f64 {
    if m == Measure::LogRrHelp {
        v.exp()
    } else {
        v
    }
}

/// Formats a number with a real minus sign.
pub fn fmt(v: f64, dp: usize) -> String {
    if !v.is_finite() {
        return "not computable".into();
    }
    let s = format!("{v:.dp$}");
    match s.strip_prefix('-') {
        // "-0.00" reads as 0.
        Some(rest) if rest.chars().all(|c| c == '0' || c == '.') => rest.to_string(),
        Some(rest) => format!("−{rest}"),
        None => s,
    }
}

fn fmt_p(p: Option<f64>) -> String {
    match p {
        Some(p) if p < 0.001 => "< 0.001".into(),
        Some(p) => format!("{p:.3}"),
        None => "not computable".into(),
    }
}

/// A value on the reading scale, formatted (two decimals).
pub fn fmt_shown(m: Measure, v: f64) -> String {
    fmt(shown(m, v), 2)
}

/// One row of the pooled table: (model, estimate, 95% interval, p, τ²).
pub fn table_rows(m: Measure, p: &PooledMeasure) -> Vec<[String; 5]> {
    Model::ALL
        .into_iter()
        .map(|model| {
            let (est, lo, hi, pv, tau2) = model_values(p, model);
            [
                model.label().to_string(),
                fmt_shown(m, est),
                format!("{} to {}", fmt_shown(m, lo), fmt_shown(m, hi)),
                fmt_p(pv),
                tau2.map_or_else(|| "0 (assumed)".to_string(), |t| fmt(t, 4)),
            ]
        })
        .collect()
}

/// The heterogeneity line of the table: Q (df, p), I², REML τ², prediction interval.
pub fn heterogeneity_line(m: Measure, p: &PooledMeasure) -> String {
    let h = &p.fit.heterogeneity;
    format!(
        "Q = {} on {} df (p {}); I² = {:.0}%; τ² (REML) = {}; 95% prediction interval {} to {}.",
        fmt(h.q, 2),
        h.q_df,
        match fmt_p(Some(h.q_p)) {
            s if s.starts_with('<') => s,
            s => format!("= {s}"),
        },
        h.i2 * 100.0,
        fmt(p.fit.reml.tau2, 4),
        fmt_shown(m, p.fit.reml.pi_low),
        fmt_shown(m, p.fit.reml.pi_high)
    )
}

fn excludes_zero(lo: f64, hi: f64) -> bool {
    lo > 0.0 || hi < 0.0
}

/// The direction sentence's words for a measure: (below zero, above zero).
fn direction_words(m: Measure) -> (&'static str, &'static str) {
    match m {
        Measure::Ancova => (
            "after the program the intervention groups scored lower than the control groups (allowing for their scores before)",
            "after the program the intervention groups scored higher than the control groups (allowing for their scores before)",
        ),
        Measure::GChange => ("scores fell more (or rose less) in the intervention groups than in the control groups", "scores rose more (or fell less) in the intervention groups than in the control groups"),
        Measure::ChangeIntervention => ("scores in the intervention groups fell from before to after", "scores in the intervention groups rose from before to after"),
        Measure::ChangeControl => ("scores in the control groups fell from before to after", "scores in the control groups rose from before to after"),
        Measure::ChangeAll => ("scores fell from before to after", "scores rose from before to after"),
        Measure::LogRrHelp => ("fewer people in the intervention groups sought help afterwards than in the control groups", "more people in the intervention groups sought help afterwards than in the control groups"),
    }
}

/// Plain-language readings of one pooled measure (REML first; the cautious Knapp–Hartung interval
/// when it disagrees; how much the sites vary and what a new site might see).
pub fn readings(m: Measure, p: &PooledMeasure, labels: &dyn Fn(&str) -> String) -> Vec<String> {
    let r = &p.reading;
    let f = &p.fit;
    let k = f.k;
    let what = if m == Measure::LogRrHelp { "risk ratio" } else { "estimate" };
    let none = if m == Measure::LogRrHelp { "1 (no difference)" } else { "0 (no difference)" };
    let mut out = Vec::new();
    let (below, above) = direction_words(m);
    let est = format!(
        "Across {k} sites the combined {what} is {} (95% interval {} to {}; random effects, REML).",
        fmt_shown(m, f.reml.estimate),
        fmt_shown(m, f.reml.ci_low),
        fmt_shown(m, f.reml.ci_high)
    );
    if r.ci_excludes_zero {
        let words = if f.reml.estimate < 0.0 { below } else { above };
        out.push(format!("{est} The interval leaves out {none}: taken together, {words}."));
    } else {
        out.push(format!(
            "{est} The interval includes {none}, so the sites together do not show a clear difference either way."
        ));
    }
    if r.ci_excludes_zero && !r.hk_ci_excludes_zero {
        out.push(format!(
            "With only {k} sites the more cautious Knapp–Hartung interval ({} to {}) includes {none}: treat the direction as likely but not settled.",
            fmt_shown(m, f.reml_hk.ci_low),
            fmt_shown(m, f.reml_hk.ci_high)
        ));
    } else if !r.ci_excludes_zero && r.hk_ci_excludes_zero {
        out.push(format!(
            "The Knapp–Hartung interval ({} to {}) leaves out {none}, but the usual interval does not: the evidence is borderline.",
            fmt_shown(m, f.reml_hk.ci_low),
            fmt_shown(m, f.reml_hk.ci_high)
        ));
    }
    let pi = format!("{} and {}", fmt_shown(m, f.reml.pi_low), fmt_shown(m, f.reml.pi_high));
    let new_site = if r.pi_excludes_zero {
        format!("in a new site expect between {pi}")
    } else {
        format!("in a new site expect between {pi}, a range that includes {none}, so a new site might see no effect or the opposite")
    };
    let i2 = format!("I² = {:.0}%", f.heterogeneity.i2 * 100.0);
    if r.q_significant {
        out.push(format!("The effect varies between sites more than chance would explain ({i2}): {new_site}."));
    } else if r.i2_band == I2Band::None || r.tau2_zero {
        out.push(format!("The sites differ no more than chance would explain ({i2}); {new_site}."));
    } else {
        out.push(format!(
            "The sites differ somewhat ({i2}), though not more than chance could explain with {k} sites; {new_site}."
        ));
    }
    if k < 5 {
        out.push(format!("With {k} sites, how much the effect varies between sites is estimated only roughly."));
    }
    // Only worth saying when one of the two estimates is clear of no effect.
    if r.fixed_reml_differ_in_sign && (r.ci_excludes_zero || excludes_zero(f.fixed.ci_low, f.fixed.ci_high)) {
        out.push("The fixed-effect and random-effects estimates point in different directions: the largest sites differ from the rest.".into());
    }
    if !p.left_out.is_empty() {
        let names: Vec<String> = p.left_out.iter().map(|f| labels(f)).collect();
        out.push(format!("Left out of this measure: {}.", names.join(", ")));
    }
    out
}

/// One site's row of a forest plot, in pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct ForestRow {
    pub label: String,
    pub y: f64,
    pub x: f64,
    pub lo: f64,
    pub hi: f64,
    /// Side of the square (its area is proportional to the site's weight in the chosen model).
    pub size: f64,
    /// "−0.31 (−0.52 to −0.10), 27%" at the right.
    pub value_text: String,
    /// For screen readers and tooltips.
    pub text: String,
}

/// A forest plot: sites, the pooled diamond and the prediction interval.
#[derive(Debug, Clone, PartialEq)]
pub struct ForestChart {
    pub width: f64,
    pub height: f64,
    /// (left, top, right, bottom) of the plotting area.
    pub plot: (f64, f64, f64, f64),
    /// x of the right-hand value column.
    pub text_x: f64,
    pub rows: Vec<ForestRow>,
    /// The diamond's corner points "x,y x,y x,y x,y".
    pub diamond: String,
    pub diamond_y: f64,
    pub diamond_label: String,
    pub diamond_text: String,
    /// The prediction interval's (low, high) x and its y.
    pub pi: Option<(f64, f64, f64)>,
    pub pi_text: String,
    pub x_ticks: Vec<(f64, String)>,
    /// x of no effect (0, or a risk ratio of 1), when inside the axis.
    pub null_x: Option<f64>,
    pub x_label: String,
    pub description: String,
}

/// Risk-ratio ticks: round values inside [lo, hi] (on the ratio scale), at least two.
fn ratio_ticks(lo: f64, hi: f64) -> Vec<f64> {
    const CANDIDATES: [f64; 19] =
        [0.05, 0.1, 0.2, 0.25, 0.333, 0.5, 0.667, 0.8, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0, 5.0, 10.0, 20.0, 50.0, 100.0];
    let inside: Vec<f64> = CANDIDATES.iter().copied().filter(|c| *c >= lo && *c <= hi).collect();
    // Too many: keep the main ones.
    if inside.len() > 7 {
        let main = [0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0];
        return inside.into_iter().filter(|c| main.contains(c)).collect();
    }
    inside
}

/// Lays out the forest plot of one pooled measure with `model`'s diamond; `labels` gives each
/// site's display name (its file name, or the name the user gave it). `None` when nothing finite
/// can be drawn.
pub fn forest_chart(
    m: Measure,
    p: &PooledMeasure,
    model: Model,
    labels: &dyn Fn(&str) -> String,
) -> Option<ForestChart> {
    let row_h = 28.0;
    // Site names up to 34 characters are shown whole (longer ones end in "…"); the plot starts
    // right of the longest (about 6.6 px a character at 12 px).
    let names: Vec<String> = p.studies.iter().map(|s| short_label(&labels(&s.file))).collect();
    let longest = names.iter().map(|n| n.chars().count()).chain(["A new site".len()]).max().unwrap_or(10) as f64;
    let left = (longest * 6.6 + 14.0).clamp(90.0, 240.0);
    let (right, top) = (left + 330.0, 10.0);
    let text_x = right + 12.0;
    let width = text_x + 200.0;
    let n = p.studies.len();
    // Sites, a gap, the diamond, the prediction interval, then the axis.
    let diamond_y = top + row_h * (n as f64 + 0.9);
    let pi_y = diamond_y + row_h;
    let bottom = pi_y + row_h * 0.6;
    let height = bottom + 40.0;
    let (est, lo, hi, _, _) = model_values(p, model);
    let (pi_lo, pi_hi) = (p.fit.reml.pi_low, p.fit.reml.pi_high);
    let log = m == Measure::LogRrHelp;
    let mut values: Vec<f64> = p
        .studies
        .iter()
        .flat_map(|s| [s.ci_low, s.ci_high])
        .chain([lo, hi, pi_lo, pi_hi, 0.0])
        .filter(|v| v.is_finite())
        .collect();
    // Extremely wide intervals would squash everything else: cap the axis at 4× the span of the estimates.
    let (e0, e1) = p
        .studies
        .iter()
        .map(|s| s.yi)
        .chain([est])
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
    if !(e0.is_finite() && e1.is_finite()) {
        return None;
    }
    let span = (e1 - e0).max(p.studies.iter().map(|s| s.sei).fold(0.0, f64::max) * 2.0 * 1.96);
    let (cap0, cap1) = (e0.min(0.0) - 2.0 * span, e1.max(0.0) + 2.0 * span);
    values.retain(|v| *v >= cap0 && *v <= cap1);
    let (d0, d1) = values.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(*v), b.max(*v)));
    if !(d0.is_finite() && d1.is_finite()) {
        return None;
    }
    let (xs, ticks): (Scale, Vec<(f64, String)>) = if log {
        let (r0, r1) = (d0.exp(), d1.exp());
        let mut t = ratio_ticks(r0, r1);
        if t.len() < 2 {
            t = vec![r0, r1];
        }
        let (l0, l1) = (d0.min(t.first()?.ln()), d1.max(t.last()?.ln()));
        let pad = ((l1 - l0) * 0.04).max(1e-9);
        let xs = Scale { d0: l0 - pad, d1: l1 + pad, p0: left, p1: right };
        (xs, t.iter().map(|&r| (xs.px(r.ln()), ratio_tick(r))).collect())
    } else {
        let t = nice_ticks(d0, d1, 6);
        let xs = Scale { d0: *t.first()?, d1: *t.last()?, p0: left, p1: right };
        (xs, t.iter().map(|&v| (xs.px(v), tick(v))).collect())
    };
    let clamp = |x: f64| xs.px(x).clamp(left, right);
    let weights: Vec<f64> =
        p.studies.iter().map(|s| if model == Model::Fixed { s.weight_fixed } else { s.weight_reml }).collect();
    let wmax = weights.iter().copied().fold(0.0, f64::max);
    let value_text =
        |e: f64, l: f64, h: f64| format!("{} ({} to {})", fmt_shown(m, e), fmt_shown(m, l), fmt_shown(m, h));
    let rows: Vec<ForestRow> = p
        .studies
        .iter()
        .zip(&weights)
        .enumerate()
        .map(|(i, (s, w))| {
            let label = names.get(i).cloned().unwrap_or_default();
            let full = labels(&s.file);
            let vt = value_text(s.yi, s.ci_low, s.ci_high);
            ForestRow {
                y: top + row_h * (i as f64 + 0.5),
                x: clamp(s.yi),
                lo: clamp(s.ci_low),
                hi: clamp(s.ci_high),
                // Area ∝ weight: side ∝ √weight, 4 to 16 px.
                size: if wmax > 0.0 { 4.0 + 12.0 * (w / wmax).sqrt() } else { 8.0 },
                text: format!("{full}: {vt}, weight {w:.0}%"),
                value_text: format!("{vt}  {w:.0}%"),
                label,
            }
        })
        .collect();
    let h = row_h * 0.32;
    let (dl, dx, dh) = (clamp(lo), clamp(est), clamp(hi));
    let diamond = format!(
        "{dl:.1},{diamond_y:.1} {dx:.1},{:.1} {dh:.1},{diamond_y:.1} {dx:.1},{:.1}",
        diamond_y - h,
        diamond_y + h
    );
    let diamond_text = value_text(est, lo, hi);
    let pi = (pi_lo.is_finite() && pi_hi.is_finite()).then(|| (clamp(pi_lo), clamp(pi_hi), pi_y));
    let pi_text = format!("{} to {}", fmt_shown(m, pi_lo), fmt_shown(m, pi_hi));
    let null_x = (xs.d0 < 0.0 && xs.d1 > 0.0).then(|| xs.px(0.0));
    let mut description = format!("Forest plot, {}. ", heading(m));
    description += &rows.iter().map(|r| r.text.clone()).collect::<Vec<_>>().join("; ");
    description += &format!("; combined ({}): {diamond_text}; prediction interval {pi_text}.", model.label());
    Some(ForestChart {
        width,
        height,
        plot: (left, top, right, bottom),
        text_x,
        rows,
        diamond,
        diamond_y,
        diamond_label: format!("Combined ({})", model.label()),
        diamond_text,
        pi,
        pi_text,
        x_ticks: ticks,
        null_x,
        x_label: axis_label(m).to_string(),
        description,
    })
}

/// A site's name as drawn: at most 34 characters.
fn short_label(name: &str) -> String {
    if name.chars().count() <= 34 {
        name.to_string()
    } else {
        name.chars().take(33).collect::<String>() + "…"
    }
}

fn tick(t: f64) -> String {
    if (t - t.round()).abs() < 1e-9 {
        fmt(t, 0)
    } else {
        let s = fmt(t, 2);
        s.trim_end_matches('0').to_string()
    }
}

fn ratio_tick(r: f64) -> String {
    match r {
        r if (r - 0.333).abs() < 1e-9 => "0.33".into(),
        r if (r - 0.667).abs() < 1e-9 => "0.67".into(),
        r => tick(r),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::results::pooling::pool_sites;
    use serde_json::{json, Value};

    fn site(g: f64, se: f64, rr: (f64, f64, f64)) -> Value {
        json!({
            "lantern": {"version": "0.1.0", "results_format": 1},
            "recipe": {"scale": {"min": 1, "max": 5, "lower_is_better": true}},
            "dataset": {"file": "x.csv", "rows": 50},
            "results": {
                "two_group_change": {"hedges_g": g, "se_g": se},
                "help_between_post": {"rr": rr.0, "rr_ci_low": rr.1, "rr_ci_high": rr.2},
            },
        })
    }

    fn doc(gs: &[(f64, f64)]) -> crate::core::results::pooling::PooledDocument {
        let files: Vec<(String, Value)> = gs
            .iter()
            .enumerate()
            .map(|(i, &(g, se))| (format!("s{i}.json"), site(g, se, (1.2 + i as f64 * 0.1, 0.8, 2.0 + i as f64))))
            .collect();
        pool_sites(&files)
    }

    #[test]
    fn forest_geometry_is_inside_the_plot_and_sized_by_weight() {
        let d = doc(&[(-0.4, 0.1), (-0.2, 0.3), (-0.5, 0.2)]);
        let p = d.pooled.g_change.as_ref().unwrap();
        let c = forest_chart(Measure::GChange, p, Model::Reml, &|f| f.to_uppercase()).unwrap();
        let (l, _, r, _) = c.plot;
        assert_eq!(c.rows.len(), 3);
        assert_eq!(c.rows[0].label, "S0.JSON");
        for row in &c.rows {
            assert!(row.lo <= row.x && row.x <= row.hi && row.lo >= l && row.hi <= r);
        }
        // The most precise site has the largest square.
        assert!(c.rows[0].size > c.rows[2].size && c.rows[2].size > c.rows[1].size);
        assert!(c.null_x.is_some());
        assert!(c.pi.is_some());
        assert!(c.description.contains("prediction interval"));
        assert!(c.text_x > r && c.width >= c.text_x + 150.0);
        // A long name is cut in the plot, whole for screen readers.
        let long = |f: &str| format!("{f} — a very long name given to this site by someone");
        let c = forest_chart(Measure::GChange, p, Model::Reml, &long).unwrap();
        assert!(c.rows[0].label.ends_with('…') && c.rows[0].label.chars().count() == 34);
        assert!(c.rows[0].text.contains("given to this site by someone"));
        assert!(c.plot.0 <= 240.0);
        // The risk ratio on a log axis with 1 marked.
        let rr =
            forest_chart(Measure::LogRrHelp, d.pooled.log_rr_help.as_ref().unwrap(), Model::Fixed, &|f| f.to_string())
                .unwrap();
        assert!(rr.x_ticks.iter().any(|(_, s)| s == "1"));
        assert!(rr.null_x.is_some());
    }

    #[test]
    fn readings_use_direction_words_only_when_the_interval_excludes_zero() {
        let clear = doc(&[(-0.4, 0.1), (-0.45, 0.12), (-0.5, 0.11)]);
        let t = readings(Measure::GChange, clear.pooled.g_change.as_ref().unwrap(), &|f| f.to_string()).join(" ");
        assert!(t.contains("leaves out 0") && t.contains("fell more"), "{t}");
        let unclear = doc(&[(-0.4, 0.3), (0.3, 0.35), (0.1, 0.4)]);
        let t = readings(Measure::GChange, unclear.pooled.g_change.as_ref().unwrap(), &|f| f.to_string()).join(" ");
        assert!(
            t.contains("do not show a clear difference") && !t.contains("fell more") && !t.contains("rose more"),
            "{t}"
        );
        let varied = doc(&[(-1.2, 0.1), (0.1, 0.1), (-0.5, 0.1), (-0.8, 0.1)]);
        let t = readings(Measure::GChange, varied.pooled.g_change.as_ref().unwrap(), &|f| f.to_string()).join(" ");
        assert!(
            t.contains("varies between sites more than chance would explain")
                && t.contains("in a new site expect between"),
            "{t}"
        );
        assert!(t.contains("might see no effect"), "{t}");
    }

    #[test]
    fn numbers_use_a_real_minus_and_no_negative_zero() {
        assert_eq!(fmt(-0.314, 2), "−0.31");
        assert_eq!(fmt(-0.001, 2), "0.00");
        assert_eq!(fmt(f64::NAN, 2), "not computable");
        assert_eq!(Model::from_key("reml_hk"), Some(Model::RemlHk));
    }
}
