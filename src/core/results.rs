//! Everything computed, and the results export (`lantern-results.json`,
//! `shared/design/CONTRACT.md` §2). Section and key names equal the reference cases'.

use crate::core::dataset::{DatasetSummary, Diagnostic};
use crate::core::analysis::Analysis;
use crate::core::recipe::Recipe;
use crate::core::stats::ancova::AncovaStats;
use crate::core::stats::binary::{HelpBetweenStats, HelpPairedStats};
use crate::core::stats::paired::PairedStats;
use crate::core::stats::rci::RciStats;
use crate::core::stats::two_group::TwoGroupStats;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::BTreeMap;

pub const RESULTS_FORMAT: u32 = 1;

/// All results sections. Arms are `all` (single group) or `intervention` / `control`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Results {
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub paired: BTreeMap<String, PairedStats>,
    /// Pre → follow-up, per arm.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub paired_followup: BTreeMap<String, PairedStats>,
    /// Intervention vs control on post scores.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub two_group_post: Option<TwoGroupStats>,
    /// Intervention vs control on change scores `round(post − pre, 9)`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub two_group_change: Option<TwoGroupStats>,
    /// post ~ group + pre.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ancova: Option<AncovaStats>,
    /// Post → follow-up per arm, read as held / faded / grew (extra key).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub persistence: BTreeMap<String, Persistence>,
    /// Help-seeking pre vs post, per arm.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub help_paired: BTreeMap<String, HelpPairedStats>,
    /// Help-seeking at post, intervention vs control.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help_between_post: Option<HelpBetweenStats>,
    /// Reliable change index counts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rci: Option<RciStats>,
    /// `subgroups.<arm>.<level>`: paired statistics per subgroup level.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub subgroups: BTreeMap<String, BTreeMap<String, SubgroupStats>>,
    /// Item scoring and reliability, when the recipe defines item-level scales (`items`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub items: Option<crate::core::scales::ItemsResult>,
    /// Cost per outcome and cost-effectiveness, when a cost table is given (issue 7).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost: Option<crate::core::cost::CostResult>,
    /// Retention, dose, satisfaction and reach (issue 11), when the recipe's roles allow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub process: Option<crate::core::process::ProcessResult>,
    /// Community counts over time, when a counts table is given (issue 11).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counts: Option<crate::core::process::CountsResult>,
}

/// Whether the change lasted: post → follow-up among people with both scores.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Persistence {
    /// "held", "faded", "grew" or "not computable".
    pub verdict: String,
    /// Paired statistics of follow-up vs post (`mean_diff` = follow-up − post).
    pub stats: PairedStats,
}

/// One subgroup level within one arm: the paired statistics, plus a warning when it has fewer
/// than 10 complete pairs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubgroupStats {
    #[serde(flatten)]
    pub stats: PairedStats,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub small_n_warning: Option<String>,
}

/// The downloadable results document.
/// `dataset.diagnostics` lists what reading the file found, then what the analysis found.
pub fn export_json(recipe: &Recipe, dataset: &DatasetSummary, analysis: &Analysis) -> String {
    export_document(recipe, Some(dataset), Some(analysis), None)
}

/// The results document with whatever is there: data and results, and the planner's case
/// (`power`: `{design, solve_for, inputs, ...outputs}`), each optional.
pub fn export_document(recipe: &Recipe, dataset: Option<&DatasetSummary>, analysis: Option<&Analysis>, power: Option<serde_json::Value>) -> String {
    let empty_ds = DatasetSummary::default();
    let empty = Analysis::default();
    let dataset = dataset.unwrap_or(&empty_ds);
    let analysis = analysis.unwrap_or(&empty);
    let diagnostics: Vec<&Diagnostic> = dataset.diagnostics.iter().chain(&analysis.diagnostics).collect();
    let doc = json!({
        "lantern": {"version": env!("CARGO_PKG_VERSION"), "results_format": RESULTS_FORMAT},
        "recipe": recipe,
        "dataset": {
            "file": dataset.file,
            "rows": dataset.n_rows,
            "columns": dataset.columns,
            "diagnostics": diagnostics,
        },
        "results": analysis.results,
        "power": power,
    });
    serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}
