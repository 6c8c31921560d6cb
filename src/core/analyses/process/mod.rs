//! Program process (issue 11): who enrolled and who stayed, how much of the program people
//! received, how they rated it, whom it reached — and community counts over time. Pure core:
//! participant-file sections come from [`fill`] (called by `analysis::analyse`) into
//! `results.process` (retention), `results.dose`, `results.satisfaction` and `results.reach`;
//! the counts table is analysed by [`counts_analysis`] into `results.community`.
//!
//! Files by concern:
//! - [`retention`]: enrolled / completed / follow-up per arm and subgroup, attrition with Wilson
//!   intervals, differential attrition (Fisher, chi-square) and completers vs drop-outs at baseline.
//! - [`dose`]: attendance distribution and the least-squares slope of change on dose.
//! - [`satisfaction`]: rating columns and the share at the top two levels.
//! - [`reach`]: enrolled and completed composition vs the target population's.
//! - [`counts`]: the community counts table (rates, before/after rate ratio, interrupted time series).
//! - [`common`]: shares with Wilson intervals, chi-square tests, summaries, exact intervals.
//!
//! Recipe keys: `columns.dose` (the attendance column) and `process` ([`ProcessInputs`]).

pub mod common;
pub mod counts;
pub mod dose;
pub mod reach;
pub mod retention;
pub mod satisfaction;

pub use counts::{counts_analysis, CountsInputs, CountsResult};

use crate::core::analyses::{Analysis, Arms};
use crate::core::dataset::{Dataset, Diagnostic};
use crate::core::recipe::Recipe;
use dose::DoseResult;
use reach::ReachResult;
use retention::RetentionResult;
use satisfaction::SatisfactionItem;
use serde::{Deserialize, Serialize};

pub use crate::core::recipe::process::ProcessInputs;

/// `results.process`: retention (enrolled, completed, follow-up, attrition, differential
/// attrition, completers vs drop-outs), with the plain warnings and the notes of every
/// participant-file process section (dose, satisfaction and reach have their own keys).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProcessResult {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retention: Option<RetentionResult>,
    /// Plain warnings (differential drop-out, selected completers).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// What could not be done and why, and how things were read (all process sections).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// Every participant-file process section the recipe and data allow.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProcessSections {
    pub process: ProcessResult,
    pub dose: Option<DoseResult>,
    pub satisfaction: Vec<SatisfactionItem>,
    pub reach: Option<ReachResult>,
}

/// Per-row inputs shared by the participant-file sections.
#[derive(Debug, Clone, Copy)]
pub struct RowData<'a> {
    pub arms: &'a Arms,
    /// Subgroup level per row (`None` = blank or a missing code).
    pub subgroup: Option<&'a [Option<String>]>,
    pub subgroup_name: Option<&'a str>,
    /// Scores per row, NaN for none ([`crate::core::dataset::Dataset::numeric_nan`]).
    pub pre: Option<&'a [f64]>,
    pub post: Option<&'a [f64]>,
    pub followup: Option<&'a [f64]>,
    pub alpha: f64,
}

pub(crate) use crate::core::dataset::at;

/// Every process section the recipe and data allow; `None` when none applies. Diagnostics
/// about the dose and rating columns are appended to `diagnostics`.
pub fn process_analysis(
    ds: &Dataset,
    recipe: &Recipe,
    arms: &Arms,
    pre: Option<&[f64]>,
    post: Option<&[f64]>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<ProcessSections> {
    let inputs = recipe.process.clone().unwrap_or_default();
    let mut out = ProcessSections::default();
    // The follow-up column's diagnostics are already reported by the change sections.
    let followup = recipe.columns.followup.as_deref().and_then(|n| ds.numeric_nan(n)).map(|(v, _)| v);
    let sub_name = recipe.columns.subgroup.as_deref();
    // A subgroup column missing from the file is reported by the change sections.
    let subgroup: Option<Vec<Option<String>>> = sub_name.and_then(|n| ds.text(n));
    let data = RowData {
        arms,
        subgroup: subgroup.as_deref(),
        subgroup_name: sub_name,
        pre,
        post,
        followup: followup.as_deref(),
        alpha: recipe.alpha(),
    };
    out.process.retention = retention::retention(&data);

    if let Some(name) = recipe.columns.dose.as_deref() {
        match ds.numeric(name) {
            Some((values, d)) => {
                diagnostics.extend(d);
                let unit = inputs.dose_unit.as_deref().map(str::trim).filter(|u| !u.is_empty()).unwrap_or("session");
                let lower_is_better = recipe.lower_is_better();
                let (result, d) = dose::dose_section(&data, name, &values, unit, lower_is_better);
                diagnostics.extend(d);
                out.dose = Some(result);
            }
            None => out.process.notes.push(format!("The dose column “{name}” is not in this file.")),
        }
    }

    for name in inputs.satisfaction.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        // The reader's value map (agree/likely wording), else a satisfaction, quality or
        // helpfulness wording recognised here.
        let wording = match ds.value_map(name) {
            Some(_) => None,
            None => ds.text(name).and_then(|t| satisfaction::wording_map(name, &t)),
        };
        let read = match &wording {
            Some(m) => ds
                .text(name)
                .map(|t| (t.iter().map(|c| c.as_deref().and_then(|c| m.lookup(c))).collect::<Vec<_>>(), Vec::new())),
            None => ds.numeric(name),
        };
        match read {
            Some((values, d)) => {
                diagnostics.extend(d);
                let map = wording.as_ref().or(ds.value_map(name));
                if let Some(m) = &wording {
                    out.process.notes.push(format!("“{name}” is read as a {}.", m.description));
                }
                out.satisfaction.push(satisfaction::satisfaction_item(
                    &data,
                    name,
                    &values,
                    map,
                    inputs.satisfaction_max,
                ));
            }
            None => out.process.notes.push(format!("The rating column “{name}” is not in this file.")),
        }
    }

    if !inputs.population.is_empty() {
        if data.subgroup.is_none() {
            out.process.notes.push(
                "Choose the subgroup column whose levels the population figures describe, to compare reach.".into(),
            );
        }
        out.reach = reach::reach(&data, &inputs.population);
    }

    // Warnings and notes of the sections, gathered for the page.
    let p = &mut out.process;
    if let Some(r) = &p.retention {
        p.warnings.extend(r.warnings.iter().cloned());
        p.notes.extend(r.notes.iter().cloned());
    }
    if let Some(d) = &out.dose {
        p.notes.extend(d.notes.iter().cloned());
    }
    for s in &out.satisfaction {
        p.notes.extend(s.notes.iter().cloned());
    }
    if let Some(r) = &out.reach {
        p.notes.extend(r.notes.iter().cloned());
    }
    let empty = p.retention.is_none() && out.dose.is_none() && out.satisfaction.is_empty() && out.reach.is_none();
    (!empty || !p.notes.is_empty()).then_some(out)
}

/// Adds `results.process`, `results.dose`, `results.satisfaction` and `results.reach` to an
/// analysis run; the retention warnings join the analysis notes.
pub fn fill(ds: &Dataset, recipe: &Recipe, arms: &Arms, pre: Option<&[f64]>, post: Option<&[f64]>, out: &mut Analysis) {
    if let Some(s) = process_analysis(ds, recipe, arms, pre, post, &mut out.diagnostics) {
        for w in &s.process.warnings {
            if !out.notes.contains(w) {
                out.notes.push(w.clone());
            }
        }
        out.results.process = Some(s.process);
        out.results.dose = s.dose;
        out.results.satisfaction = s.satisfaction;
        out.results.reach = s.reach;
    }
}

#[cfg(test)]
mod tests {
    use crate::core::analyses::{analyse, Analysis};
    use crate::core::ingest::read_csv;
    use crate::core::recipe::Recipe;

    fn run(csv: &str, recipe: &str) -> Analysis {
        let ds = read_csv(csv.as_bytes(), "t.csv").unwrap();
        analyse(&ds, &Recipe::from_json(recipe).unwrap())
    }

    const TRIAL: &str = "id,group,age,pre,post,sessions,rating\n\
        1,intervention,18-24,30,20,8,Very satisfied\n\
        2,intervention,18-24,28,22,6,Satisfied\n\
        3,intervention,25-34,32,,1,\n\
        4,intervention,25-34,29,25,4,Neutral\n\
        5,intervention,35+,31,21,7,Very satisfied\n\
        6,intervention,35+,33,,0,\n\
        7,control,18-24,30,29,,\n\
        8,control,25-34,29,28,,\n\
        9,control,35+,32,31,,\n\
        10,control,35+,28,,,\n";

    #[test]
    fn analyse_fills_every_process_section() {
        let a = run(
            TRIAL,
            r#"{"columns":{"group":"group","pre":"pre","post":"post","subgroup":"age","dose":"sessions"},
                "process":{"satisfaction":["rating"],"population":{"18-24":0.3,"25-34":0.3,"35+":0.4}}}"#,
        );
        let p = a.results.process.as_ref().expect("process section");
        let r = p.retention.as_ref().unwrap();
        assert_eq!((r.arms["intervention"].enrolled, r.arms["intervention"].dropped), (6, 2));
        assert_eq!((r.arms["control"].enrolled, r.arms["control"].dropped), (4, 1));
        assert_eq!(r.subgroups["35+"].enrolled, 4);
        assert!(r.between_arms.is_some() && r.between_subgroups.is_some());
        let d = a.results.dose.as_ref().unwrap();
        assert_eq!(d.slope_rows, "intervention");
        assert_eq!(d.regression.n, 4);
        assert_eq!(d.distribution["intervention"].n, 6);
        assert_eq!(d.distribution["control"].n_missing, 4);
        assert!(d.reading.contains("does not by itself show"));
        let s = &a.results.satisfaction[0];
        assert_eq!(s.column, "rating");
        assert_eq!(s.n, 4);
        let reach = a.results.reach.as_ref().unwrap();
        assert_eq!(reach.n_enrolled, 10);
        assert_eq!(reach.n_completed, Some(7));
        // The results travel as JSON: an exact round trip, no NaN.
        let json = serde_json::to_string(&a).unwrap();
        assert!(!json.contains("NaN") && !json.contains("inf"));
        let back: Analysis = serde_json::from_str(&json).unwrap();
        assert_eq!(back, a);
    }

    #[test]
    fn likert_satisfaction_uses_the_value_map() {
        let a = run(
            TRIAL,
            r#"{"columns":{"group":"group","pre":"pre","post":"post"},"process":{"satisfaction":["rating"]}}"#,
        );
        let s = &a.results.satisfaction[0];
        // The reader maps the satisfaction wording to numbers; the top two are "Very satisfied"
        // and "Satisfied": 3 of the 4 answers.
        assert_eq!(s.top_source, "value_map", "{s:?}");
        assert_eq!(s.top_two.count, 3);
    }

    #[test]
    fn no_process_roles_and_missing_columns() {
        // Only pre and post: retention is still described (everyone completed).
        let a = run("pre,post\n1,2\n3,4\n", r#"{"columns":{"pre":"pre","post":"post"}}"#);
        let p = a.results.process.as_ref().unwrap();
        assert_eq!(p.retention.as_ref().unwrap().arms["all"].dropped, 0);
        assert!(p.notes.iter().any(|n| n.contains("nobody dropped out")));
        assert!(a.results.dose.is_none() && a.results.satisfaction.is_empty() && a.results.reach.is_none());
        // Nothing chosen at all: no section.
        let b = run("a,b\n1,2\n", "{}");
        assert!(b.results.process.is_none());
        // Named columns that are not there: notes, not panics.
        let c = run(
            "pre,post\n1,2\n",
            r#"{"columns":{"pre":"pre","post":"post","dose":"nope"},"process":{"satisfaction":["gone"],"population":{"a":1}}}"#,
        );
        let notes = &c.results.process.as_ref().unwrap().notes;
        assert!(notes.iter().any(|n| n.contains("“nope”")) && notes.iter().any(|n| n.contains("“gone”")));
        assert!(notes.iter().any(|n| n.contains("subgroup column")));
    }

    #[test]
    fn everyone_dropped_out() {
        let a = run(
            "g,pre,post\nintervention,1,\nintervention,2,\ncontrol,3,\ncontrol,4,\n",
            r#"{"columns":{"group":"g","pre":"pre","post":"post"}}"#,
        );
        let r = a.results.process.as_ref().unwrap().retention.as_ref().unwrap();
        assert_eq!(r.arms["all"].attrition_rate, Some(1.0));
        assert!(r.baseline.is_empty());
        let t = r.between_arms.as_ref().unwrap();
        assert_eq!((t.fisher_p, t.chisq, t.differential), (Some(1.0), None, false));
        assert!(r.notes.iter().any(|n| n.contains("no completers")));
    }
}
