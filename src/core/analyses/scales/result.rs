//! What item scoring reports: `results.items` in the results export. The keys of
//! [`ItemsResult`] equal the reference cases' (`shared/reference/analysis/p06_items_n30.json`);
//! the others (intervals, item statistics, the key in force) are extra.

use crate::core::analyses::scales::spec::{DontKnow, Method};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One participant's scale scores (`None` = not scored: too few items answered).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ScorePair {
    pub pre: Option<f64>,
    pub post: Option<f64>,
}

/// One item at one time point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemStat {
    /// Item number in the scale.
    pub item: usize,
    /// The file's column for it (`None` = not in the file).
    pub column: Option<String>,
    pub reversed: bool,
    /// Usable answers (after "don't know" handling; out-of-range answers excluded).
    pub n_answered: usize,
    /// Mean and SD of the scored answers (after reversal).
    pub mean: Option<f64>,
    pub sd: Option<f64>,
    /// On complete cases: correlation with the sum of the other items, and alpha without it.
    pub item_rest_r: Option<f64>,
    pub alpha_if_deleted: Option<f64>,
}

/// Scale scoring and reliability for one scale. Counts are plain numbers; `None` = not computable.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ItemsResult {
    pub name: Option<String>,
    /// Id of the built-in key used, and its published source.
    pub preset: Option<String>,
    pub preset_source: Option<String>,
    pub method: Option<Method>,
    pub k: usize,
    pub item_numbers: Vec<usize>,
    pub reverse: Vec<usize>,
    /// The answer scale in force and the constant c of the reversal c − x.
    pub answer_min: f64,
    pub answer_max: f64,
    pub reverse_constant: f64,
    pub min_answered: usize,
    pub dont_know: Option<DontKnow>,

    pub n_pre_scored: usize,
    pub n_post_scored: usize,

    pub alpha_pre: Option<f64>,
    pub alpha_pre_n_complete: usize,
    pub alpha_pre_ci_low: Option<f64>,
    pub alpha_pre_ci_high: Option<f64>,
    /// Alpha of the raw answers, as if the reversal had been forgotten.
    pub alpha_pre_without_reversal: Option<f64>,
    pub alpha_post: Option<f64>,
    pub alpha_post_n_complete: usize,
    pub alpha_post_ci_low: Option<f64>,
    pub alpha_post_ci_high: Option<f64>,
    pub alpha_post_without_reversal: Option<f64>,
    /// Confidence level of the alpha intervals (Feldt).
    pub alpha_ci_level: f64,

    pub items_pre: Vec<ItemStat>,
    pub items_post: Vec<ItemStat>,

    /// Cells that were not usable answers.
    pub n_dont_know: usize,
    pub n_out_of_range: usize,
    pub n_not_number: usize,

    /// Scores by participant id (or `row N` when there is no id).
    pub scores: BTreeMap<String, ScorePair>,
    /// Plain sentences: warnings (an item correlating negatively with the rest) and assumptions.
    pub notes: Vec<String>,
    /// Further scales defined in the recipe (the first one gives the pre/post scores).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_scales: Vec<ItemsResult>,
}
