//! Community counts over time (helpline calls, counselling visits, referrals per month): a
//! second small table with period, count, optional exposure (population, person-time, days)
//! and an optional program-start marker. Outputs rates per period, the rate after vs before the
//! start ([`rate_ratio`], as R's `poisson.test`) and an interrupted time series ([`its`],
//! segmented Poisson regression as R's `glm(family = poisson)` with an offset).
//!
//! - [`table`]: reading the table leniently, with located diagnostics.
//! - [`rate_ratio`]: before/after rate ratio, Wald and exact intervals, exact p.
//! - [`its`]: the Poisson GLM (IRLS) and the segmented model.

pub mod its;
pub mod rate_ratio;
pub mod table;

use super::common::{num, p_text};
use crate::core::dataset::Diagnostic;
use crate::core::recipe::Recipe;
use crate::core::stats::describe::finite;
use its::ItsResult;
use rate_ratio::RateRatio;
use serde::{Deserialize, Serialize};
pub use table::CountsError;
use table::CountsTable;

pub use crate::core::recipe::process::CountsInputs;

/// One period of the series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CountPeriod {
    /// 1-based data row of the counts file.
    pub row: usize,
    pub label: String,
    /// Period number (1 = first period; gaps kept for numbers and months).
    pub time: f64,
    pub count: f64,
    /// 1 when the table has no exposure column.
    pub exposure: f64,
    /// count / exposure × `rate_per`.
    pub rate: Option<f64>,
    /// On or after the program start (false when no start is known).
    pub after_start: bool,
    /// The time-series model's fitted rate.
    pub fitted_rate: Option<f64>,
    /// After the start: the rate the earlier trend predicts (the dashed line of the chart).
    pub counterfactual_rate: Option<f64>,
}

/// `results.community`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CountsResult {
    pub file: String,
    pub period_column: String,
    pub count_column: String,
    pub exposure_column: Option<String>,
    pub start_column: Option<String>,
    /// `numbers`, `months`, `dates` or `file_order`.
    pub time_read_as: String,
    /// The first program period, when known.
    pub start_period: Option<String>,
    pub n_periods: usize,
    pub n_before: usize,
    pub n_after: usize,
    pub rate_per: f64,
    /// What a rate means, in words ("per period", "per 1,000 of “population”").
    pub rate_label: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub periods: Vec<CountPeriod>,
    pub before_after: Option<RateRatio>,
    pub its: Option<ItsResult>,
    pub reading: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diagnostics: Vec<Diagnostic>,
    pub conf_level: f64,
}

/// "1,000".
fn thousands(v: f64) -> String {
    let s = format!("{}", v.round() as i64);
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 && c.is_ascii_digit() && s.as_bytes()[i - 1].is_ascii_digit() {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Reads a counts table and analyses it with the recipe's settings (`process.counts`, `alpha`).
/// `Err` says why when the file cannot be read or has no count column (the caller names the file).
pub fn counts_analysis(bytes: &[u8], file_name: &str, recipe: &Recipe) -> Result<CountsResult, CountsError> {
    let inputs = recipe.process.as_ref().and_then(|p| p.counts.clone()).unwrap_or_default();
    let table = table::read_counts(bytes, file_name, &inputs)?;
    Ok(analyse_table(table, file_name, &inputs, recipe.alpha()))
}

/// The analysis of a read table.
pub fn analyse_table(table: CountsTable, file_name: &str, inputs: &CountsInputs, alpha: f64) -> CountsResult {
    let CountsTable {
        period_column,
        count_column,
        exposure_column,
        start_column,
        time_read_as,
        rows,
        start_t,
        start_label,
        diagnostics,
        mut notes,
    } = table;
    let mut warnings = Vec::new();
    let has_exposure = exposure_column.is_some();
    let total_count: f64 = rows.iter().map(|r| r.count).sum();
    let total_exposure: f64 = rows.iter().map(|r| r.exposure).sum();
    let rate_per = match inputs.rate_per.filter(|r| r.is_finite() && *r > 0.0) {
        Some(r) => r,
        None if !has_exposure => 1.0,
        None => {
            let overall = if total_exposure > 0.0 { total_count / total_exposure } else { 0.0 };
            if overall <= 0.0 {
                1000.0
            } else {
                [1.0, 1e3, 1e4, 1e5, 1e6].into_iter().find(|p| overall * p >= 1.0).unwrap_or(1e6)
            }
        }
    };
    let rate_label = match &exposure_column {
        None => "per period".to_string(),
        Some(e) if rate_per == 1.0 => format!("per unit of “{e}”"),
        Some(e) => format!("per {} of “{e}”", thousands(rate_per)),
    };
    let rate = |c: f64, e: f64| if e > 0.0 { finite(c / e * rate_per) } else { None };
    let after = |t: f64| start_t.is_some_and(|s| t >= s);
    let n_after = rows.iter().filter(|r| after(r.t)).count();
    let n_before = if start_t.is_some() { rows.len() - n_after } else { 0 };
    if rows.is_empty() {
        notes.push("No period has a usable count, so there is nothing to analyse.".into());
    } else if rows.len() == 1 {
        notes.push("The table has a single usable period: rates over time need at least two.".into());
    }

    // Before vs after.
    let mut before_after = None;
    if start_t.is_some() {
        if n_before == 0 {
            notes.push("No period lies before the program start, so before and after cannot be compared.".into());
        } else if n_after == 0 {
            notes.push("No period lies on or after the program start, so before and after cannot be compared.".into());
        } else {
            let sum = |a: bool, f: &dyn Fn(&table::CountRow) -> f64| -> f64 {
                rows.iter().filter(|r| after(r.t) == a).map(f).sum()
            };
            let (ca, cb) = (sum(true, &|r| r.count), sum(false, &|r| r.count));
            let (ea, eb) = (sum(true, &|r| r.exposure), sum(false, &|r| r.exposure));
            before_after =
                Some(rate_ratio::rate_ratio(ca as u64, ea, cb as u64, eb, (n_before, n_after), rate_per, alpha));
        }
    }

    // Interrupted time series.
    let mut its_result = None;
    let mut fitted: Vec<Option<f64>> = vec![None; rows.len()];
    let mut counterfactual: Vec<Option<f64>> = vec![None; rows.len()];
    if let (Some(s), true) = (start_t, n_before > 0 && n_after > 0) {
        match its::its(&rows, s, alpha) {
            Ok(fit) => {
                for (i, r) in rows.iter().enumerate() {
                    fitted[i] = fit.fitted.get(i).and_then(|m| rate(*m, r.exposure));
                    counterfactual[i] = fit.counterfactual.get(i).copied().flatten().and_then(|m| rate(m, r.exposure));
                }
                warnings.extend(fit.result.warnings.iter().cloned());
                its_result = Some(fit.result);
            }
            Err(reason) => notes.push(reason),
        }
    }
    if before_after.is_some() {
        notes.push(
            "The before/after rate ratio treats every period alike: it ignores any trend that was already under way and, if the counts vary more than a Poisson model expects, its intervals are too narrow. The time-series model accounts for the trend."
                .into(),
        );
    }

    let periods: Vec<CountPeriod> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| CountPeriod {
            row: r.row,
            label: r.label.clone(),
            time: r.t,
            count: r.count,
            exposure: r.exposure,
            rate: rate(r.count, r.exposure),
            after_start: after(r.t),
            fitted_rate: fitted[i],
            counterfactual_rate: counterfactual[i],
        })
        .collect();

    let level = ((1.0 - alpha) * 100.0).round();
    let mut reading = Vec::new();
    if let Some(b) = &before_after {
        let r = |v: Option<f64>| v.map_or("–".to_string(), |v| num(v, 2));
        let mut s = format!(
            "Before the program start: {} {rate_label} on average over {}; from the start on: {} over {}.",
            r(b.rate_before),
            crate::core::dataset::count_of(b.periods_before, "period", "periods"),
            r(b.rate_after),
            b.periods_after
        );
        match (b.rate_ratio, b.exact_ci_low, b.exact_ci_high) {
            (Some(rr), Some(l), Some(h)) => s.push_str(&format!(
                " Rate ratio after vs before {} ({level}% exact CI {} to {}{}).",
                num(rr, 3),
                num(l, 3),
                num(h, 3),
                b.exact_p.map_or(String::new(), |p| format!(", exact {}", p_text(p)))
            )),
            _ => s.push_str(" The rate ratio is not computable (a side has no events)."),
        }
        reading.push(s);
    }
    if let Some(i) = &its_result {
        reading.push(i.reading.clone());
    }
    if reading.is_empty() {
        reading.push(format!(
            "{} read; mark the program start to compare before and after.",
            crate::core::dataset::count_of(rows.len(), "period", "periods")
        ));
    }
    CountsResult {
        file: file_name.to_string(),
        period_column,
        count_column,
        exposure_column,
        start_column,
        time_read_as,
        start_period: start_label,
        n_periods: rows.len(),
        n_before,
        n_after,
        rate_per,
        rate_label,
        periods,
        before_after,
        its: its_result,
        reading: reading.join(" "),
        warnings,
        notes,
        diagnostics,
        conf_level: 1.0 - alpha,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recipe(json: &str) -> Recipe {
        Recipe::from_json(json).unwrap()
    }

    #[test]
    fn monthly_table_end_to_end() {
        // Series 1 of tests/data/counts_reference.R as a monthly file with a 0/1 start column.
        let counts = [30, 40, 27, 53, 37, 43, 33, 45, 49, 43, 40, 38, 66, 56, 54, 59, 66, 51, 66, 50, 53, 38, 61, 48];
        let mut csv = String::from("month,calls,population,program_start\n");
        for (i, c) in counts.iter().enumerate() {
            let (y, m) = (2022 + i / 12, i % 12 + 1);
            csv.push_str(&format!("{y}-{m:02},{c},{},{}\n", 50000 + 150 * (i + 1), u8::from(i >= 12)));
        }
        let r = counts_analysis(csv.as_bytes(), "calls.csv", &Recipe::default()).unwrap();
        assert_eq!((r.n_periods, r.n_before, r.n_after), (24, 12, 12));
        assert_eq!(r.time_read_as, "months");
        assert_eq!(r.start_period.as_deref(), Some("2023-01"));
        // About 0.9 calls per 1,000 people a month: rates are given per 10,000 (the first power
        // of ten that makes the overall rate at least 1).
        assert_eq!(r.rate_per, 10000.0);
        assert_eq!(r.rate_label, "per 10,000 of “population”");
        let b = r.before_after.as_ref().unwrap();
        assert_eq!((b.count_before, b.count_after), (478.0, 668.0));
        let its = r.its.as_ref().unwrap();
        // R glm (tests/data/counts_reference.out, s1): level change b2 = 0.33659184877218212.
        assert!((its.level_change.estimate.unwrap() - 0.33659184877218212).abs() < 1e-9);
        assert!(r.periods[12].counterfactual_rate.is_some() && r.periods[11].counterfactual_rate.is_none());
        assert!(r.periods.iter().all(|p| p.fitted_rate.is_some()));
        assert!(r.reading.contains("Rate ratio after vs before"), "{}", r.reading);
        let json = serde_json::to_string(&r).unwrap();
        assert!(!json.contains("NaN") && !json.contains("inf"));
        let back: CountsResult = serde_json::from_str(&json).unwrap();
        assert_eq!(back, r);
    }

    #[test]
    fn start_period_from_the_recipe_and_no_exposure() {
        let csv = "period,count\n1,5\n2,7\n3,6\n4,12\n5,11\n6,14\n";
        let r = counts_analysis(csv.as_bytes(), "c.csv", &recipe(r#"{"process":{"counts":{"start_period":"4"}}}"#))
            .unwrap();
        assert_eq!((r.n_before, r.n_after), (3, 3));
        assert_eq!(r.rate_label, "per period");
        let b = r.before_after.unwrap();
        assert_eq!((b.count_before, b.count_after), (18.0, 37.0));
        assert!((b.rate_ratio.unwrap() - 37.0 / 18.0).abs() < 1e-12);
        assert!(r.its.is_some());
        assert!(r.warnings.iter().any(|w| w.contains("fewer than 8")));
    }

    #[test]
    fn degenerate_tables_never_panic() {
        // A single period.
        let one = counts_analysis(b"period,count,start\n1,5,1\n", "c.csv", &Recipe::default()).unwrap();
        assert_eq!((one.n_periods, one.before_after.is_none(), one.its.is_none()), (1, true, true));
        assert!(one.notes.iter().any(|n| n.contains("single usable period")));
        // Zero counts everywhere.
        let zeros =
            counts_analysis(b"period,count,start\n1,0,0\n2,0,0\n3,0,1\n4,0,1\n", "c.csv", &Recipe::default()).unwrap();
        let b = zeros.before_after.as_ref().unwrap();
        assert_eq!((b.rate_ratio, b.exact_p, b.wald_ci_low), (None, None, None));
        assert!(zeros.its.is_none() && zeros.notes.iter().any(|n| n.contains("no finite solution")));
        // No start at all: rates only.
        let none = counts_analysis(b"period,count\n1,3\n2,4\n", "c.csv", &Recipe::default()).unwrap();
        assert!(none.before_after.is_none() && none.reading.contains("mark the program start"));
        assert_eq!(none.periods[1].rate, Some(4.0));
        // Everything after the start.
        let all_after = counts_analysis(b"period,count,start\n1,3,1\n2,4,1\n", "c.csv", &Recipe::default()).unwrap();
        assert!(
            all_after.before_after.is_none() && all_after.notes.iter().any(|n| n.contains("before the program start"))
        );
        for r in [one, zeros, none, all_after] {
            let json = serde_json::to_string(&r).unwrap();
            assert!(!json.contains("NaN") && !json.contains("inf"), "{json}");
        }
        // Unreadable file: a plain error.
        let e = counts_analysis(b"", "c.csv", &Recipe::default()).unwrap_err();
        assert!(matches!(e, CountsError::Unreadable(_)), "{e:?}");
    }

    #[test]
    fn thousands_separator() {
        assert_eq!(thousands(1000.0), "1,000");
        assert_eq!(thousands(100000.0), "100,000");
        assert_eq!(thousands(10.0), "10");
    }
}
