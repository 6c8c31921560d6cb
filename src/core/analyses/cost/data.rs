//! What the cost analysis takes from the dataset, through the recipe's column names: enrolment,
//! completers (non-missing post score), help-seeking answers after the program per arm, and the
//! number of reliably improved intervention participants — read from the analysis frame, whose
//! reliable-change classification is the one `results.rci` reports (README "RCI").

use super::bootstrap::HelpCounts;
use crate::core::analyses::change::{binary_column, ReliableChange};
use crate::core::analyses::Frame;
use crate::core::dataset::{at, Dataset};
use crate::core::recipe::Recipe;

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
        CostData::from_frame(&Frame::build(ds, recipe))
    }

    /// Reads the counts from an analysis frame: its arms, its post scores and its reliable-change
    /// classification (the one `results.rci` reports).
    pub fn from_frame(frame: &Frame) -> CostData {
        let (ds, recipe) = (frame.dataset(), frame.recipe());
        let mut notes = frame.arm_notes.clone();
        let empty = ArmData { n_enrolled: 0, n_completers: None, help: None };
        let Some(arms) = frame.arms.as_ref() else {
            return CostData { intervention: empty, control: None, n_reliably_improved: None, notes };
        };
        let post = frame.post.as_deref();
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
            let rows: Vec<usize> = arms.rows_of(a).collect();
            ArmData {
                n_enrolled: rows.len(),
                n_completers: post.map(|p| rows.iter().filter(|&&i| at(p, i).is_some()).count()),
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
        let first_arm = arms.names.first().copied().unwrap_or("all");
        let n_reliably_improved = match &frame.reliable {
            ReliableChange::Computed(_) => {
                let n = frame.reliable.improved(first_arm);
                if n.is_none() {
                    notes.push("Reliable change is not computable here (it needs a pre-score SD above 0 and a reliability below 1), so there is no cost per reliably improved participant.".into());
                }
                n
            }
            ReliableChange::NoScores | ReliableChange::NoReliability => {
                notes.push("Enter the scale's reliability (rxx) and choose pre and post columns to see the cost per reliably improved participant.".into());
                None
            }
        };
        CostData { intervention, control, n_reliably_improved, notes }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::analyses::analyse;
    use crate::core::ingest::read_csv;

    #[test]
    fn cost_and_change_count_the_same_reliably_improved_people() {
        // SD_pre of all complete pairs (10, 10, 8, 9, 7) = sqrt(1.7); SE_diff = sqrt(1.7)·sqrt(2)·sqrt(0.2)
        // = 0.8246; the intervention changes −8, −1, −7 give RCI −9.7, −1.2, −8.5: 2 improved (by hand).
        let ds = read_csv(b"g,pre,post\ni,10,2\ni,10,9\ni,8,1\nc,9,9\nc,7,8\ni,,3\n", "t.csv").unwrap();
        let r: Recipe = serde_json::from_value(serde_json::json!({
            "columns": {"group": "g", "pre": "pre", "post": "post"},
            "group_levels": {"intervention": "i", "control": "c"},
            "rci_inputs": {"rxx": 0.8}
        }))
        .unwrap();
        let cost = CostData::from_dataset(&ds, &r);
        let change = analyse(&ds, &r);
        let rci = change.results.rci.as_ref().and_then(|s| s.groups.get("intervention")).and_then(|c| c.improved);
        assert_eq!(cost.n_reliably_improved, Some(2));
        assert_eq!(rci, Some(2));
        assert_eq!(cost.intervention.n_enrolled, 4);
        assert_eq!(cost.intervention.n_completers, Some(4));
    }
}
