//! [`Results`]: every section the analyses compute, as one serialisable value (the `results`
//! key of `lantern-results.json`; section and key names equal the reference cases'), and the
//! change section's own small types. Arms are `all` (single group) or `intervention` /
//! `control`.

use crate::core::stats::ancova::AncovaStats;
use crate::core::stats::binary::{HelpBetweenStats, HelpPairedStats};
use crate::core::stats::paired::PairedStats;
use crate::core::stats::rci::RciStats;
use crate::core::stats::two_group::TwoGroupStats;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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
    /// Every score of every person, not only complete cases: the random-intercept mixed model
    /// (CONTRACT §7), when pre and post columns are chosen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mixed: Option<crate::core::analyses::waves::MixedResults>,
    /// Drop-out sensitivity: multiple imputation of missing post scores and the δ at which the
    /// program's advantage is no longer clear (pattern-mixture tipping point, issue 20).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tipping_point: Option<crate::core::analyses::tipping::TippingPoint>,
    /// The same with the follow-up score as the outcome (`ancova_followup` /
    /// `mean_change_followup`), when a follow-up column is chosen; absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tipping_point_followup: Option<crate::core::analyses::tipping::TippingPoint>,
    /// Does the change differ between subgroup levels (per-arm ANOVA, arm × level test)?
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subgroup_tests: Option<crate::core::analyses::waves::SubgroupTests>,
    /// The subgroup p-values adjusted as one family (Holm, Benjamini–Hochberg).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multiplicity: Option<crate::core::analyses::waves::Multiplicity>,
    /// Free-text answers (CONTRACT §6): `comments.<column>` counts per code, by arm, uncoded.
    /// Counts only: comment text never goes into results.
    #[serde(default, skip_serializing_if = "crate::core::recipe::comments::OrderedMap::is_empty")]
    pub comments: crate::core::analyses::comments::CommentsResults,
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
