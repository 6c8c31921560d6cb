//! What the cost analysis takes from the dataset, through the recipe's column names: enrolment,
//! completers (non-missing post score), help-seeking answers after the program per arm, and the
//! number of reliably improved intervention participants (README "RCI": SD_pre of complete pairs
//! pooled over arms unless `rci_inputs.sd_pre` gives one; strict RCI < −threshold).

use super::bootstrap::HelpCounts;
use crate::core::analyses::change::{binary_column, DEFAULT_RCI_THRESHOLD};
use crate::core::dataset::Dataset;
use crate::core::recipe::Recipe;
use crate::core::stats::describe::sd;
use crate::core::stats::rci::{classify as rci_classify, se_diff};

/// What the cost analysis needs from one arm of the data.
#[derive(Debug, Clone, PartialEq)]
pub struct ArmData {
    /// Rows in the arm (every row, whatever is missing).
    pub n_enrolled: usize,
    /// Rows with a post score; `None` without a post column.
    pub n_completers: Option<usize>,
    /// Help-seeking after the program; `None` without a help-seeking (post) column.
    pub help: Option<HelpCounts>,
}

/// The counts the cost analysis uses, taken from the dataset through the recipe's roles.
#[derive(Debug, Clone, PartialEq)]
pub struct CostData {
    pub intervention: ArmData,
    /// `None` for a single-group file.
    pub control: Option<ArmData>,
    /// Intervention participants with RCI < −threshold; `None` when RCI is not computable.
    pub n_reliably_improved: Option<usize>,
    /// Plain sentences about what is missing.
    pub notes: Vec<String>,
}

impl CostData {
    /// Reads the counts from a dataset with the recipe's column names (scored item scales
    /// stand in for absent pre/post columns, as in the change analysis).
    pub fn from_dataset(ds: &Dataset, recipe: &Recipe) -> CostData {
        let applied = crate::core::analyses::scales::apply(ds, recipe);
        let (ds, recipe) = match &applied {
            Some(a) => (&a.dataset, &a.recipe),
            None => (ds, recipe),
        };
        let mut notes = Vec::new();
        let empty = ArmData { n_enrolled: 0, n_completers: None, help: None };
        let Some(arms) = crate::core::analyses::arms(ds, recipe, &mut notes) else {
            return CostData { intervention: empty, control: None, n_reliably_improved: None, notes };
        };
        let in_arm = |i: usize, a: usize| arms.of_row.get(i) == Some(&Some(a));
        let numeric = |role: &Option<String>| role.as_deref().and_then(|n| ds.numeric(n)).map(|(v, _)| v);
        let pre = numeric(&recipe.columns.pre);
        let post = numeric(&recipe.columns.post);
        let help = recipe
            .columns
            .help_post
            .as_deref()
            .and_then(|n| binary_column(ds, n, recipe.help_coding.as_ref()))
            .map(|(v, _)| v);
        if post.is_none() {
            notes.push("Choose a post-score column to see the cost per participant who completed.".into());
        }
        if help.is_none() {
            notes.push("Choose the help-seeking (post) column to see the cost per additional help-seeker.".into());
        }
        let arm_data = |a: usize| -> ArmData {
            let rows: Vec<usize> = (0..ds.n_rows).filter(|&i| in_arm(i, a)).collect();
            let known = |v: &Vec<Option<f64>>, i: usize| v.get(i).copied().flatten().is_some();
            ArmData {
                n_enrolled: rows.len(),
                n_completers: post.as_ref().map(|p| rows.iter().filter(|&&i| known(p, i)).count()),
                help: help.as_ref().map(|h| {
                    let at = |i: usize| h.get(i).copied().flatten();
                    HelpCounts {
                        n: rows.len(),
                        yes: rows.iter().filter(|&&i| at(i) == Some(true)).count(),
                        no: rows.iter().filter(|&&i| at(i) == Some(false)).count(),
                    }
                }),
            }
        };
        let intervention = arm_data(0);
        let control = (arms.names.len() == 2).then(|| arm_data(1));
        let n_reliably_improved = match (&pre, &post, recipe.rci_inputs.as_ref().and_then(|r| r.rxx)) {
            (Some(pre), Some(post), Some(rxx)) => {
                let inputs = recipe.rci_inputs.clone().unwrap_or_default();
                let threshold = inputs.threshold.filter(|t| t.is_finite() && *t > 0.0).unwrap_or(DEFAULT_RCI_THRESHOLD);
                let lower_is_better = recipe.lower_is_better();
                let pair = |i: usize| Some((pre.get(i).copied().flatten()?, post.get(i).copied().flatten()?));
                let all: Vec<f64> = (0..ds.n_rows)
                    .filter(|&i| arms.of_row.get(i).is_some_and(|a| a.is_some()))
                    .filter_map(pair)
                    .map(|p| p.0)
                    .collect();
                let sd_pre = match inputs.sd_pre {
                    Some(s) => Some(s).filter(|s| s.is_finite() && *s > 0.0),
                    None => sd(&all),
                };
                let int_pairs: Vec<(f64, f64)> = (0..ds.n_rows).filter(|&i| in_arm(i, 0)).filter_map(pair).collect();
                let counts = rci_classify(&int_pairs, sd_pre.and_then(|s| se_diff(s, rxx)), threshold, lower_is_better);
                if counts.improved.is_none() {
                    notes.push("Reliable change is not computable here (it needs a pre-score SD above 0 and a reliability below 1), so there is no cost per reliably improved participant.".into());
                }
                counts.improved
            }
            _ => {
                notes.push("Enter the scale's reliability (rxx) and choose pre and post columns to see the cost per reliably improved participant.".into());
                None
            }
        };
        CostData { intervention, control, n_reliably_improved, notes }
    }
}
