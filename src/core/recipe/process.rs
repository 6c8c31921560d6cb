//! Recipe key `process`: the program-process settings (rating columns, the population's
//! composition, the dose unit) and the community counts table's settings. Read by
//! `analyses::process`; defined here, with the rest of the recipe's file format.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Recipe key `process`; every key optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProcessInputs {
    /// Rating columns (satisfaction, session quality): numbers or Likert text.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub satisfaction: Vec<String>,
    /// The highest level of the rating scale when the columns are numbers (e.g. 5 or 10).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub satisfaction_max: Option<f64>,
    /// The target population's composition by level of the subgroup column:
    /// level → share (0.25), percentage (25) or count (2500).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub population: BTreeMap<String, f64>,
    /// What one unit of dose is ("session", "hour"); default "session".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dose_unit: Option<String>,
    /// The community counts table's settings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub counts: Option<CountsInputs>,
}

/// Settings for the counts table (recipe `process.counts`); every key optional. Column names
/// default to columns found by name (`period`/`month`/`date`..., `count`/`calls`/`visits`...,
/// `exposure`/`population`/`days`..., `program_start`/`start`/`phase`...).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CountsInputs {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exposure: Option<String>,
    /// Column marking the program periods (1/0, yes/no, before/after), or only the first one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    /// The first program period, as written in the period column (wins over `start`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_period: Option<String>,
    /// Rates are given per this much exposure (default: chosen so the overall rate is ≥ 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate_per: Option<f64>,
}
