//! Layer `analyses`: recipe + dataset → results (change in this file and `change.rs`; item
//! scales, process, cost and clustering in their modules). Each section reads the rows it needs.
//!
//! Recipe + dataset → results. Selects the rows each analysis needs (complete cases for
//! that analysis, per arm) and calls the statistics. Never panics on user data.

use crate::core::dataset::{at, is_missing, Cells, Dataset, Diagnostic, RowValue};
use crate::core::recipe::Recipe;
use crate::core::stats::paired::paired_with;
use crate::core::stats::rank_sum::{rank_sum_sorted, RankSum};
use crate::core::stats::ranks::{round9, signed_rank_of, signed_rank_of_sorted, SortedSample};
pub use frame::Frame;
use rustc_hash::FxHashMap;
pub use sections::Results;
use std::sync::OnceLock;

pub mod change;
pub mod clustering;
pub mod comments;
pub mod cost;
pub mod frame;
pub mod process;
pub mod scales;
pub mod sections;
pub mod tipping;
pub mod waves;

/// The outcome of an analysis run: results plus located notes about the data.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Analysis {
    pub results: Results,
    pub diagnostics: Vec<Diagnostic>,
    /// Plain sentences about what could not be done and why.
    pub notes: Vec<String>,
}

/// Arm membership per row: `None` when the group cell is blank or another value.
/// Made by [`Arms::new`]; `of_row` is not to be changed afterwards (see [`Arms::rows`]).
#[derive(Debug, Clone)]
pub struct Arms {
    pub names: Vec<&'static str>,
    pub of_row: Vec<Option<usize>>,
    /// The rows of each arm, listed on first use.
    rows: OnceLock<Vec<Vec<usize>>>,
}

impl PartialEq for Arms {
    fn eq(&self, other: &Arms) -> bool {
        self.names == other.names && self.of_row == other.of_row
    }
}

impl Arms {
    pub fn new(names: Vec<&'static str>, of_row: Vec<Option<usize>>) -> Arms {
        Arms { names, of_row, rows: OnceLock::new() }
    }

    /// The rows of each arm, in file order: listed once (one scan of `of_row`), then shared
    /// by every section that needs them.
    pub fn rows(&self) -> &[Vec<usize>] {
        self.rows.get_or_init(|| {
            // Sized first: no regrowing of big lists.
            let mut counts = vec![0usize; self.names.len()];
            for a in self.of_row.iter().flatten() {
                if let Some(c) = counts.get_mut(*a) {
                    *c += 1;
                }
            }
            let mut rows: Vec<Vec<usize>> = counts.into_iter().map(Vec::with_capacity).collect();
            for (i, a) in self.of_row.iter().enumerate() {
                if let Some(r) = a.and_then(|a| rows.get_mut(a)) {
                    r.push(i);
                }
            }
            rows
        })
    }

    /// The rows of arm `a`, in file order.
    pub fn rows_of(&self, a: usize) -> impl Iterator<Item = usize> + '_ {
        self.rows().get(a).into_iter().flatten().copied()
    }
}

/// The row selections several sections use, made once per run.
#[derive(Debug, Clone, PartialEq)]
pub struct Selection<'a> {
    pub arms: &'a Arms,
    /// The complete (pre, post) pairs of each arm, in file order (empty without both scores).
    pub pairs: Vec<Vec<(f64, f64)>>,
    /// The Mann-Whitney test of the two arms' change scores `round9(post − pre)` (intervention
    /// against control), made from the same sorted changes as the arms' signed-rank tests.
    pub change_rank_sum: Option<RankSum>,
}

impl<'a> Selection<'a> {
    pub fn new(arms: &'a Arms, pre: Option<&[f64]>, post: Option<&[f64]>) -> Selection<'a> {
        let pairs = match (pre, post) {
            (Some(pre), Some(post)) => {
                // One pass over the rows, into lists sized by the arms.
                let mut pairs: Vec<Vec<(f64, f64)>> = arms.rows().iter().map(|r| Vec::with_capacity(r.len())).collect();
                for ((arm, p), q) in arms.of_row.iter().zip(pre).zip(post) {
                    if let (Some(a), Some(p), Some(q)) = (arm, (*p).value(), (*q).value()) {
                        if let Some(v) = pairs.get_mut(*a) {
                            v.push((p, q));
                        }
                    }
                }
                pairs
            }
            _ => vec![Vec::new(); arms.names.len()],
        };
        Selection { arms, pairs, change_rank_sum: None }
    }

    /// The rows of arm `a`, in file order.
    pub fn rows_of(&self, a: usize) -> impl Iterator<Item = usize> + 'a {
        self.arms.rows_of(a)
    }

    /// The complete (pre, post) pairs of arm `a`.
    pub fn pairs_of(&self, a: usize) -> &[(f64, f64)] {
        self.pairs.get(a).map_or(&[], Vec::as_slice)
    }
}

/// Each distinct cell text of a column once (in order of first appearance) and, per row, the
/// index of its text in that list: the dictionary of a dictionary column, hashed otherwise.
pub fn distinct_cells(cells: &Cells) -> (Vec<&str>, Vec<u32>) {
    match cells.dictionary() {
        Some((values, codes)) => {
            (values.iter().map(String::as_str).collect(), codes.iter().map(|&c| u32::from(c)).collect())
        }
        None => {
            let mut texts = Vec::new();
            let mut seen: FxHashMap<&str, u32> = FxHashMap::default();
            let ids = cells
                .strs()
                .map(|c| {
                    *seen.entry(c).or_insert_with(|| {
                        texts.push(c);
                        (texts.len() - 1) as u32
                    })
                })
                .collect();
            (texts, ids)
        }
    }
}

/// `f` of every cell of a column in row order, with `f` called once per distinct cell text
/// (survey columns repeat a few answers over many rows): through the dictionary of a
/// dictionary column, through a small cache otherwise.
pub fn per_distinct<T: Clone>(cells: &Cells, mut f: impl FnMut(&str) -> T) -> Vec<T> {
    match cells.dictionary() {
        Some((values, codes)) => {
            let mapped: Vec<T> = values.iter().map(|v| f(v)).collect();
            // A code without a value (never made) reads as a blank cell, as `Cells::iter` does.
            let blank = f("");
            codes.iter().map(|&c| mapped.get(usize::from(c)).unwrap_or(&blank).clone()).collect()
        }
        None => {
            let mut seen: FxHashMap<&str, T> = FxHashMap::default();
            cells.strs().map(|c| seen.entry(c).or_insert_with(|| f(c)).clone()).collect()
        }
    }
}

/// Splits rows into arms. Without a group column every row is in arm `all`.
pub fn arms(ds: &Dataset, recipe: &Recipe, notes: &mut Vec<String>) -> Option<Arms> {
    let Some(gname) = recipe.columns.group.as_deref() else {
        return Some(Arms::new(vec!["all"], vec![Some(0); ds.n_rows]));
    };
    let Some(col) = ds.column(gname) else {
        notes.push(format!("The group column “{gname}” is not in this file."));
        return None;
    };
    let chosen = recipe.group_levels.clone().unwrap_or_default();
    // A side the recipe leaves open is guessed from the column's answers (`Workshop` /
    // `Waitlist`, `1` / `0`...), and the guess is said.
    let guess = if chosen.intervention.is_none() || chosen.control.is_none() {
        let (texts, _) = distinct_cells(&col.cells);
        let mut answers: Vec<String> =
            texts.iter().map(|t| t.trim()).filter(|t| !is_missing(t)).map(str::to_string).collect();
        answers.sort();
        answers.dedup();
        crate::core::recipe::guess_group_levels(&answers)
    } else {
        Default::default()
    };
    let norm = |s: &str| s.trim().to_lowercase();
    let int = norm(chosen.intervention.as_deref().or(guess.intervention.as_deref()).unwrap_or("intervention"));
    let ctl = norm(chosen.control.as_deref().or(guess.control.as_deref()).unwrap_or("control"));
    let of_row: Vec<Option<usize>> = per_distinct(&col.cells, |c| {
        let c = norm(c);
        if c == int {
            Some(0)
        } else if c == ctl {
            Some(1)
        } else {
            None
        }
    });
    if !of_row.contains(&Some(0)) || !of_row.contains(&Some(1)) {
        notes.push(format!(
            "The group column “{gname}” has no rows for both “{int}” and “{ctl}”: choose which answer means the program group and which the comparison group (under “Which column is which?”)."
        ));
        return None;
    }
    let guessed = |c: &Option<String>, g: &Option<String>| c.is_none() && g.is_some();
    if guessed(&chosen.intervention, &guess.intervention) || guessed(&chosen.control, &guess.control) {
        notes.push(format!(
            "Lantern took “{}” as the program group and “{}” as the comparison group; change this under “Which column is which?” if it is wrong.",
            chosen.intervention.as_deref().or(guess.intervention.as_deref()).unwrap_or("intervention"),
            chosen.control.as_deref().or(guess.control.as_deref()).unwrap_or("control")
        ));
    }
    Some(Arms::new(vec!["intervention", "control"], of_row))
}

/// Runs every analysis the recipe's roles allow.
pub fn analyse(ds: &Dataset, recipe: &Recipe) -> Analysis {
    analyse_frame(&Frame::build(ds, recipe))
}

/// Runs every section on a built [`Frame`].
pub fn analyse_frame(frame: &Frame) -> Analysis {
    let mut out = Analysis::default();
    // Item-level scales (issue 5): their scores stand in for absent pre/post columns (as derived
    // columns of a copy of the file) and alpha of the pre items is the default rxx.
    out.results.items = frame.items.clone();
    out.diagnostics.extend(frame.diagnostics.iter().cloned());
    out.notes.extend(frame.notes.iter().cloned());
    let (ds, recipe) = (frame.dataset(), frame.recipe());
    let alpha = recipe.alpha();
    comments::fill(ds, recipe, frame.arms.as_ref(), &mut out);
    let Some(arms) = frame.arms.as_ref() else { return out };
    let (pre, post) = (frame.pre.as_deref(), frame.post.as_deref());
    let mut sel = Selection::new(arms, pre, post);
    if let (Some(_), Some(_)) = (pre, post) {
        // Each arm's change scores sorted once: for its signed-rank test and (two arms) for the
        // rank-sum test between the arms' changes.
        let mut scratch = Vec::new();
        let changes: Vec<SortedSample> = sel
            .pairs
            .iter()
            .map(|p| SortedSample::with_scratch(p.iter().map(|(p, q)| round9(q - p)), &mut scratch))
            .collect();
        drop(scratch);
        for (a, arm) in arms.names.iter().enumerate() {
            let pairs = sel.pairs_of(a);
            // (From the pairs themselves where the sorted changes do not apply.)
            let w = changes
                .get(a)
                .and_then(signed_rank_of_sorted)
                .unwrap_or_else(|| signed_rank_of(pairs.iter().map(|p| p.1 - p.0)));
            out.results.paired.insert(arm.to_string(), paired_with(pairs, alpha, w));
        }
        if let [c0, c1] = changes.as_slice() {
            sel.change_rank_sum = rank_sum_sorted(c0, c1);
        }
    } else if recipe.columns.pre.is_none() || recipe.columns.post.is_none() {
        out.notes.push("Choose a pre and a post column to see the change.".into());
    }
    change::fill(ds, recipe, &sel, pre, post, &frame.reliable, &mut out);
    crate::core::analyses::process::fill(ds, recipe, arms, pre, post, &mut out);
    clustering::fill(ds, recipe, arms, pre, post, &mut out);
    waves_section(ds, recipe, arms, pre, post, &mut out);
    out
}

/// `results.mixed`, `results.subgroup_tests` and `results.multiplicity` (CONTRACT §7): every
/// row's scores and subgroup level handed to [`waves`], and the subgroup p-values of
/// `results.subgroups` as one family.
fn waves_section(
    ds: &Dataset,
    recipe: &Recipe,
    arms: &Arms,
    pre: Option<&[f64]>,
    post: Option<&[f64]>,
    out: &mut Analysis,
) {
    let (Some(pre), Some(post)) = (pre, post) else { return };
    let two_arm = arms.names.len() == 2;
    let arm_of = |a: usize| match arms.names.get(a).copied() {
        Some("intervention") => Some(waves::Arm::Intervention),
        Some("control") => Some(waves::Arm::Control),
        Some("all") => Some(waves::Arm::All),
        _ => None,
    };
    // (Diagnostics of the follow-up column were collected by the change section.)
    let followup = recipe.columns.followup.as_deref().and_then(|n| ds.numeric_nan(n)).map(|(v, _)| v);
    let subgroup = recipe.columns.subgroup.as_deref().and_then(|n| ds.column(n));
    let levels: Option<Vec<Option<String>>> =
        subgroup.map(|col| per_distinct(&col.cells, |c| Some(c.trim()).filter(|c| !is_missing(c)).map(str::to_string)));
    let rows: Vec<waves::PersonWaves> = (0..ds.n_rows)
        .map(|i| waves::PersonWaves {
            arm: arms.of_row.get(i).copied().flatten().and_then(arm_of),
            pre: at(pre, i),
            post: at(post, i),
            followup: followup.as_deref().and_then(|f| at(f, i)),
            level: levels.as_ref().and_then(|l| l.get(i).cloned().flatten()),
        })
        .collect();
    out.results.mixed = Some(waves::mixed_results(&rows, two_arm, recipe.alpha()));
    let scale = recipe.scale.as_ref().and_then(|s| Some((s.min?, s.max?)));
    let settings = tipping::TippingSettings {
        two_arm,
        lower_is_better: crate::core::recipe::settings::Settings::resolve(recipe).lower_is_better,
        alpha: recipe.alpha(),
        imputations: crate::core::recipe::settings::IMPUTATIONS,
        seed: crate::core::recipe::settings::IMPUTATION_SEED,
        scale,
    };
    out.results.tipping_point = tipping::tipping_point_of(&rows, tipping::Outcome::Post, settings);
    if followup.is_some() {
        out.results.tipping_point_followup = tipping::tipping_point_of(&rows, tipping::Outcome::Followup, settings);
    }
    if levels.is_some() {
        out.results.subgroup_tests = Some(waves::subgroup_tests(&rows, two_arm));
        let family: Vec<waves::SubgroupP> = arms
            .names
            .iter()
            .filter_map(|name| {
                Some((arm_of(arms.names.iter().position(|n| n == name)?)?, out.results.subgroups.get(*name)?))
            })
            .flat_map(|(arm, per_level)| {
                per_level.iter().map(move |(level, s)| waves::SubgroupP { arm, level: level.clone(), p: s.stats.p })
            })
            .collect();
        out.results.multiplicity = Some(waves::multiplicity(&family));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ingest::read_csv;

    #[test]
    fn two_arms_split_by_group_case_insensitively() {
        let ds =
            read_csv(b"g,pre,post\nIntervention,3,2\nintervention,4,2\nControl,3,3\ncontrol,2,3\nother,1,1\n", "t.csv")
                .unwrap();
        let mut r = Recipe::default();
        r.suggest_columns(&ds.column_names());
        r.columns.group = Some("g".into());
        let a = analyse(&ds, &r);
        assert_eq!(a.results.paired["intervention"].n, 2);
        assert_eq!(a.results.paired["control"].n, 2);
        assert_eq!(a.results.paired["intervention"].mean_diff, Some(-1.5));
    }

    #[test]
    fn distinct_cells_in_both_layouts() {
        // Few distinct values: a dictionary column; more than 256: a text column.
        let few: Vec<String> = (0..600).map(|i| ["Control", " intervention", "", "other"][i % 4].to_string()).collect();
        let many: Vec<String> = (0..600).map(|i| if i % 2 == 0 { format!("x{i}") } else { few[i].clone() }).collect();
        for cells in [Cells::from(few.clone()), Cells::from(many.clone())] {
            let rows: Vec<&str> = cells.strs().collect();
            let mut calls = 0;
            let lower = per_distinct(&cells, |c| {
                calls += 1;
                c.trim().to_lowercase()
            });
            assert_eq!(lower, rows.iter().map(|c| c.trim().to_lowercase()).collect::<Vec<_>>());
            let (texts, ids) = distinct_cells(&cells);
            assert!(calls <= texts.len() + 1, "one call per distinct text (and one for a blank)");
            assert!(ids.iter().zip(&rows).all(|(&t, r)| texts.get(t as usize) == Some(r)));
        }
        assert!(Cells::from(few).dictionary().is_some() && Cells::from(many).dictionary().is_none());
    }

    #[test]
    fn arm_rows_follow_of_row() {
        let arms = Arms::new(vec!["intervention", "control"], vec![Some(1), None, Some(0), Some(1), Some(0), None]);
        assert_eq!(arms.rows(), &[vec![2, 4], vec![0, 3]]);
        assert_eq!(arms.rows_of(1).collect::<Vec<_>>(), vec![0, 3]);
        assert_eq!(arms.rows_of(2).count(), 0);
        assert_eq!(arms.clone(), Arms::new(vec!["intervention", "control"], arms.of_row.clone()));
    }

    #[test]
    fn missing_column_is_a_note_not_a_panic() {
        let ds = read_csv(b"a,b\n1,2\n", "t.csv").unwrap();
        let mut r = Recipe::default();
        r.columns.pre = Some("nope".into());
        r.columns.post = Some("b".into());
        let a = analyse(&ds, &r);
        assert!(a.results.paired.is_empty());
        assert!(a.notes.iter().any(|n| n.contains("nope")));
    }
}
