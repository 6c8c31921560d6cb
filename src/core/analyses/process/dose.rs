//! Dose: how much of the program people received (sessions attended, hours), its distribution
//! per arm, and the least-squares slope of change (post − pre) on dose with a scatter of the
//! points. The slope uses the intervention arm in two-arm files (control participants receive
//! no sessions, so their zeros would mix the arm difference into the slope) and every row in
//! single-group files.

use super::common::{num, p_text, Summary};
use super::{at, RowData};
use crate::core::dataset::{Diagnostic, DiagnosticKind};
use crate::core::stats::describe::{correlation, finite, mean};
use crate::core::stats::dist::{t_quantile, t_two_sided_p};
use crate::core::stats::ranks::round9;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Most points sent for the scatter (participant files are rarely larger).
pub const MAX_POINTS: usize = 5000;

/// One participant on the dose–change scatter.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DosePoint {
    pub dose: f64,
    pub change: f64,
}

/// Least squares of change on dose (R `lm(change ~ dose)`, SciPy `linregress`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DoseSlope {
    /// Rows with dose, pre and post.
    pub n: usize,
    /// Change in score per unit of dose.
    pub slope: Option<f64>,
    pub intercept: Option<f64>,
    pub se: Option<f64>,
    pub t: Option<f64>,
    /// n − 2.
    pub df: Option<f64>,
    pub p: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    /// Pearson correlation of dose and change.
    pub r: Option<f64>,
    pub conf_level: f64,
}

/// `results.process.dose`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DoseResult {
    pub column: String,
    /// What one unit of dose is ("session", "hour").
    pub unit: String,
    /// Dose per arm (`all` for single-group files; both arms and `all` otherwise).
    pub distribution: BTreeMap<String, Summary>,
    /// Rows used for the slope: `intervention` (two-arm files) or `all`.
    pub slope_rows: String,
    pub regression: DoseSlope,
    /// (dose, change) of each row in the slope (at most [`MAX_POINTS`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub points: Vec<DosePoint>,
    /// The fitted line at the smallest and largest dose (empty when there is no slope).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fitted_line: Vec<DosePoint>,
    /// A careful plain reading.
    pub reading: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// Ordinary least squares of `y` on `x` for `points` = (x, y):
/// slope b = Sxy/Sxx, intercept = ȳ − b·x̄, s² = RSS/(n − 2), SE(b) = √(s²/Sxx),
/// t = b/SE, p = 2·pt(−|t|, n − 2), CI = b ± qt(1 − α/2, n − 2)·SE.
/// The slope is `None` when x does not vary; SE, t, p and CI are `None` for n < 3 or a perfect fit.
pub fn slope(points: &[(f64, f64)], alpha: f64) -> DoseSlope {
    let n = points.len();
    let mut out = DoseSlope {
        n,
        slope: None,
        intercept: None,
        se: None,
        t: None,
        df: None,
        p: None,
        ci_low: None,
        ci_high: None,
        r: None,
        conf_level: 1.0 - alpha,
    };
    let x: Vec<f64> = points.iter().map(|p| p.0).collect();
    let y: Vec<f64> = points.iter().map(|p| p.1).collect();
    let (Some(mx), Some(my)) = (mean(&x), mean(&y)) else { return out };
    let (mut sxx, mut sxy) = (0.0, 0.0);
    for (a, b) in x.iter().zip(&y) {
        sxx += (a - mx) * (a - mx);
        sxy += (a - mx) * (b - my);
    }
    let constant = x.windows(2).all(|w| w[0] == w[1]);
    if constant || sxx <= 0.0 || !sxx.is_finite() {
        return out;
    }
    let b = sxy / sxx;
    let a = my - b * mx;
    out.slope = finite(b);
    out.intercept = finite(a);
    out.r = correlation(&x, &y);
    if n < 3 {
        return out;
    }
    let rss: f64 = x.iter().zip(&y).map(|(xi, yi)| (yi - a - b * xi).powi(2)).sum();
    let scale: f64 = y.iter().map(|v| (v - my) * (v - my)).sum::<f64>() + y.iter().map(|v| v * v).sum::<f64>();
    if !rss.is_finite() || rss <= 1e-24 * scale.max(f64::MIN_POSITIVE) {
        return out;
    }
    let df = (n - 2) as f64;
    let se = (rss / df / sxx).sqrt();
    out.se = finite(se);
    out.df = Some(df);
    out.t = out.se.and_then(|s| finite(b / s));
    out.p = out.t.and_then(|t| t_two_sided_p(t, df));
    if let (Some(q), Some(s)) = (t_quantile(1.0 - alpha / 2.0, df), out.se) {
        out.ci_low = finite(b - q * s);
        out.ci_high = finite(b + q * s);
    }
    out
}

/// The plain reading of a slope. `lower_is_better`: a falling score is an improvement.
pub fn reading(s: &DoseSlope, unit: &str, lower_is_better: bool) -> String {
    let caution = "This does not by itself show that attending caused the change: people who attend more may differ from those who attend less (in motivation, need or circumstances).";
    let Some(b) = s.slope else {
        return format!(
            "The relation between dose and change cannot be estimated from these data ({} rows with a dose and both scores; it needs at least 2 with different doses).",
            s.n
        );
    };
    let level = (s.conf_level * 100.0).round();
    let ci = match (s.ci_low, s.ci_high) {
        (Some(l), Some(h)) => format!(" ({level}% CI {} to {})", num(l, 2), num(h, 2)),
        _ => String::new(),
    };
    let mut text = format!(
        "Among the {} people with a dose and both scores, each additional {unit} went with an average change of {} points{ci}.",
        s.n,
        num(b, 2)
    );
    let clear = match (s.ci_low, s.ci_high) {
        (Some(l), Some(h)) => l > 0.0 || h < 0.0,
        _ => false,
    };
    if clear {
        let better = (b < 0.0) == lower_is_better;
        text.push_str(if better {
            " People who attended more improved more."
        } else {
            " People who attended more improved less (their scores moved less in the better direction, or the other way)."
        });
        if let Some(p) = s.p {
            text.push_str(&format!(" ({}.)", p_text(p)));
        }
    } else if s.se.is_some() {
        text.push_str(
            " The data do not show a clear relation between how much people attended and how much they changed.",
        );
    } else {
        text.push_str(" There are too few rows to say how certain this is.");
    }
    text.push(' ');
    text.push_str(caution);
    text
}

/// The dose section. `dose` holds the per-row values of the dose column (negative values are
/// left out with a located diagnostic).
pub fn dose_section(
    data: &RowData,
    column: &str,
    dose: &[Option<f64>],
    unit: &str,
    lower_is_better: bool,
) -> (DoseResult, Vec<Diagnostic>) {
    let alpha = data.alpha;
    let arms = data.arms;
    let mut diags = Vec::new();
    let dose: Vec<Option<f64>> = dose
        .iter()
        .enumerate()
        .map(|(i, v)| match v {
            Some(d) if *d < 0.0 => {
                diags.push(Diagnostic {
                    kind: DiagnosticKind::OutOfRange,
                    line: None,
                    row: Some(i + 1),
                    column: Some(column.to_string()),
                    message: format!(
                        "A dose below 0 ({}) cannot be right, so row {} is left out of the dose results.",
                        num(*d, 4),
                        i + 1
                    ),
                });
                None
            }
            other => *other,
        })
        .collect();
    let two_arms = arms.names.len() == 2;
    let rows_of = |a: Option<usize>| -> Vec<usize> {
        (0..arms.of_row.len())
            .filter(|&i| match a {
                Some(a) => arms.of_row[i] == Some(a),
                None => arms.of_row[i].is_some(),
            })
            .collect()
    };
    let summary = |rows: &[usize]| {
        let v: Vec<f64> = rows.iter().filter_map(|&i| at(&dose, i)).collect();
        Summary::of(&v, rows.len() - v.len())
    };
    let mut distribution = BTreeMap::new();
    for (a, name) in arms.names.iter().enumerate() {
        distribution.insert(name.to_string(), summary(&rows_of(Some(a))));
    }
    if two_arms {
        distribution.insert("all".into(), summary(&rows_of(None)));
    }
    let mut notes = Vec::new();
    let slope_rows = if two_arms { "intervention" } else { "all" };
    let rows = rows_of(if two_arms { Some(0) } else { None });
    let pts: Vec<(f64, f64)> = match (data.pre, data.post) {
        (Some(pre), Some(post)) => {
            rows.iter().filter_map(|&i| Some((at(&dose, i)?, round9(at(post, i)? - at(pre, i)?)))).collect()
        }
        _ => {
            notes.push("Choose a pre and a post column to relate dose to change.".into());
            Vec::new()
        }
    };
    let regression = slope(&pts, alpha);
    if regression.slope.is_none() && pts.len() >= 2 {
        notes.push("Everyone with both scores received the same dose, so dose cannot be related to change.".into());
    }
    if two_arms {
        notes.push("The dose–change slope uses the intervention arm only.".into());
    }
    if pts.len() > MAX_POINTS {
        notes.push(format!("The scatter shows the first {MAX_POINTS} of {} rows; the slope uses them all.", pts.len()));
    }
    let fitted_line = match (regression.slope, regression.intercept) {
        (Some(b), Some(a)) => {
            let lo = pts.iter().map(|p| p.0).fold(f64::INFINITY, f64::min);
            let hi = pts.iter().map(|p| p.0).fold(f64::NEG_INFINITY, f64::max);
            if lo.is_finite() && hi.is_finite() {
                vec![DosePoint { dose: lo, change: a + b * lo }, DosePoint { dose: hi, change: a + b * hi }]
            } else {
                Vec::new()
            }
        }
        _ => Vec::new(),
    };
    let text = reading(&regression, unit, lower_is_better);
    let result = DoseResult {
        column: column.to_string(),
        unit: unit.to_string(),
        distribution,
        slope_rows: slope_rows.into(),
        regression,
        points: pts.iter().take(MAX_POINTS).map(|&(dose, change)| DosePoint { dose, change }).collect(),
        fitted_line,
        reading: text,
        notes,
    };
    (result, diags)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() <= 1e-12 + 1e-9 * b.abs())
    }

    #[test]
    fn slope_by_hand_and_r() {
        // x = 1..5, y = 2,4,5,4,5: Sxx = 10, Sxy = 6 -> slope 0.6, intercept 2.2; RSS = 2.4,
        // s² = 0.8, SE = sqrt(0.08), t = 0.6/sqrt(0.08) = 2.1213203435596424, r = 6/sqrt(60).
        // R 4.2.2 summary(lm(y ~ x)): p = 0.12402706265755457;
        // confint(lm(y ~ x)): -0.30013174529127296, 1.5001317452912728
        let pts: Vec<(f64, f64)> = vec![(1.0, 2.0), (2.0, 4.0), (3.0, 5.0), (4.0, 4.0), (5.0, 5.0)];
        let s = slope(&pts, 0.05);
        assert!(close(s.slope, 0.6) && close(s.intercept, 2.2));
        assert!(close(s.se, 0.08f64.sqrt()));
        assert!(close(s.t, 2.1213203435596424));
        assert!(close(s.r, 6.0 / 60f64.sqrt()));
        assert_eq!(s.df, Some(3.0));
        assert!(close(s.p, 0.12402706265755457), "{:?}", s.p);
        assert!(close(s.ci_low, -0.30013174529127296), "{:?}", s.ci_low);
        assert!(close(s.ci_high, 1.5001317452912728), "{:?}", s.ci_high);
    }

    #[test]
    fn degenerate_slopes_are_none() {
        let c = slope(&[(2.0, 1.0), (2.0, 3.0), (2.0, 5.0)], 0.05);
        assert_eq!((c.slope, c.se, c.r), (None, None, None));
        let two = slope(&[(1.0, 1.0), (2.0, 3.0)], 0.05);
        assert_eq!(two.slope, Some(2.0));
        assert_eq!((two.se, two.p, two.ci_low), (None, None, None));
        let perfect = slope(&[(1.0, 1.0), (2.0, 3.0), (3.0, 5.0)], 0.05);
        assert!(close(perfect.slope, 2.0));
        assert_eq!((perfect.se, perfect.t), (None, None));
        let empty = slope(&[], 0.05);
        assert_eq!(empty.n, 0);
        assert!(reading(&empty, "session", true).contains("cannot be estimated"));
    }

    #[test]
    fn reading_is_careful_and_directional() {
        let s = DoseSlope {
            n: 30,
            slope: Some(-0.4),
            intercept: Some(0.0),
            se: Some(0.1),
            t: Some(-4.0),
            df: Some(28.0),
            p: Some(0.0004),
            ci_low: Some(-0.6),
            ci_high: Some(-0.2),
            r: Some(-0.6),
            conf_level: 0.95,
        };
        let r = reading(&s, "session", true);
        assert!(r.contains("improved more") && r.contains("does not by itself show"), "{r}");
        assert!(reading(&s, "session", false).contains("improved less"));
        let unclear = DoseSlope { ci_low: Some(-0.6), ci_high: Some(0.2), ..s };
        assert!(reading(&unclear, "hour", true).contains("do not show a clear relation"));
    }
}
