//! Everything computed, and the results export (`lantern-results.json`,
//! `shared/design/CONTRACT.md` §2). Section and key names equal the reference cases'.

use crate::core::dataset::{DatasetSummary, Diagnostic};
use crate::core::analyses::Analysis;
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
    /// Distribution of individual changes (post − pre) per arm, as histogram bins (extra key;
    /// counts only, never individual rows).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub change_distribution: BTreeMap<String, Vec<ChangeBin>>,
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
    pub items: Option<crate::core::analyses::scales::ItemsResult>,
    /// Cost per outcome and cost-effectiveness, when a cost table is given (issue 7).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost: Option<crate::core::analyses::cost::CostResult>,
    /// Retention: enrolled, completed, follow-up and attrition per arm and subgroup (issue 11),
    /// with the warnings and notes of every process section.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub process: Option<crate::core::analyses::process::ProcessResult>,
    /// Attendance (dose) and its relation to change, when `columns.dose` is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dose: Option<crate::core::analyses::process::dose::DoseResult>,
    /// One entry per rating column of `process.satisfaction`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub satisfaction: Vec<crate::core::analyses::process::satisfaction::SatisfactionItem>,
    /// Who enrolled and completed against the target population (`process.population`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reach: Option<crate::core::analyses::process::reach::ReachResult>,
    /// Community counts over time, when a counts table is given (issue 11).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub community: Option<crate::core::analyses::process::CountsResult>,
    /// How alike people in the same cluster answered (ICC(1) of pre scores, with `post`
    /// beside), when the recipe names a cluster column (issue 6; extra key). Shape:
    /// [`crate::core::analyses::clustering::Clustering`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clustering: Option<crate::core::analyses::clustering::Clustering>,
    /// How separate wave files were linked by participant code (CONTRACT §5): counts only,
    /// never codes. Present when the data are wave files linked into one table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub linkage: Option<crate::core::ingest::link::LinkageResults>,
}

/// One histogram bin of individual changes: `[lo, hi)` (the last bin includes `hi`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangeBin {
    pub lo: f64,
    pub hi: f64,
    pub count: usize,
}

/// Histogram of `values` in about `bins` equal bins over nice limits (empty for no values).
pub fn change_bins(values: &[f64], bins: usize) -> Vec<ChangeBin> {
    let finite = || values.iter().copied().filter(|v| v.is_finite());
    let (Some(lo), Some(hi)) = (finite().reduce(f64::min), finite().reduce(f64::max)) else {
        return Vec::new();
    };
    let ticks = crate::core::present::chart::nice_ticks(lo, hi, bins.clamp(2, 60) + 1);
    let mut out: Vec<ChangeBin> = ticks.windows(2).map(|w| ChangeBin { lo: w[0], hi: w[1], count: 0 }).collect();
    let last = out.len().saturating_sub(1);
    for v in finite() {
        // The bins are contiguous ([lo, hi), each hi the next lo): v belongs to the last bin
        // starting at or below it, if it is below that bin's end; the top edge joins the last bin.
        let i = out.partition_point(|b| b.lo <= v).checked_sub(1).filter(|&i| out.get(i).is_some_and(|b| v < b.hi));
        if let Some(i) = i.or_else(|| (out.get(last).is_some_and(|b| v == b.hi)).then_some(last)) {
            if let Some(b) = out.get_mut(i) {
                b.count += 1;
            }
        }
    }
    out
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
    // Codes never go into the results: the recipe's accepted / rejected code pairs stay in the
    // saved recipe only.
    let mut recipe = recipe.clone();
    if let Some(link) = recipe.link.as_mut() {
        link.accept.clear();
        link.reject.clear();
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn change_bins_count_every_value_once() {
        let v = [-1.0, -0.5, -0.5, 0.0, 0.2, 1.0];
        let bins = change_bins(&v, 4);
        assert_eq!(bins.iter().map(|b| b.count).sum::<usize>(), 6, "{bins:?}");
        assert!(bins.first().unwrap().lo <= -1.0 && bins.last().unwrap().hi >= 1.0);
        assert!(change_bins(&[], 4).is_empty());
        // The binary search puts every value where the linear search of the bins did.
        let mut x = 0.123_f64;
        let vals: Vec<f64> = (0..5000).map(|i| { x = (x * 9301.0 + 49297.0) % 233280.0; (x / 233280.0 - 0.5) * 17.0 + if i % 97 == 0 { f64::NAN } else { 0.0 } }).chain([-3.0, 0.0, 2.5, 8.5]).collect();
        for n in [2, 5, 12, 40] {
            let got = change_bins(&vals, n);
            let mut want: Vec<usize> = vec![0; got.len()];
            for v in vals.iter().copied().filter(|v| v.is_finite()) {
                let i = got.iter().position(|b| v >= b.lo && v < b.hi).or_else(|| (v == got[got.len() - 1].hi).then_some(got.len() - 1)).unwrap();
                want[i] += 1;
            }
            assert_eq!(got.iter().map(|b| b.count).collect::<Vec<_>>(), want, "{n} bins");
        }
        assert_eq!(change_bins(&[2.0, 2.0], 4).iter().map(|b| b.count).sum::<usize>(), 2, "a single value still lands in a bin");
    }
}
