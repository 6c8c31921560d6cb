//! Recipe + dataset → results. Selects the rows each analysis needs (complete cases for
//! that analysis, per arm) and calls the statistics. Never panics on user data.

use crate::core::dataset::{Dataset, Diagnostic};
use crate::core::recipe::Recipe;
use crate::core::results::Results;
use crate::core::stats::paired::paired;

pub mod change;
pub mod clustering;

/// The outcome of an analysis run: results plus located notes about the data.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Analysis {
    pub results: Results,
    pub diagnostics: Vec<Diagnostic>,
    /// Plain sentences about what could not be done and why.
    pub notes: Vec<String>,
}

/// Arm membership per row: `None` when the group cell is blank or another value.
#[derive(Debug, Clone, PartialEq)]
pub struct Arms {
    pub names: Vec<&'static str>,
    pub of_row: Vec<Option<usize>>,
}

/// Splits rows into arms. Without a group column every row is in arm `all`.
pub fn arms(ds: &Dataset, recipe: &Recipe, notes: &mut Vec<String>) -> Option<Arms> {
    let Some(gname) = recipe.columns.group.as_deref() else {
        return Some(Arms { names: vec!["all"], of_row: vec![Some(0); ds.n_rows] });
    };
    let Some(col) = ds.column(gname) else {
        notes.push(format!("The group column “{gname}” is not in this file."));
        return None;
    };
    let levels = recipe.group_levels.clone().unwrap_or_default();
    let norm = |s: &str| s.trim().to_lowercase();
    let int = norm(levels.intervention.as_deref().unwrap_or("intervention"));
    let ctl = norm(levels.control.as_deref().unwrap_or("control"));
    let of_row: Vec<Option<usize>> = col
        .cells
        .iter()
        .map(|c| {
            let c = norm(c);
            if c == int {
                Some(0)
            } else if c == ctl {
                Some(1)
            } else {
                None
            }
        })
        .collect();
    if !of_row.contains(&Some(0)) || !of_row.contains(&Some(1)) {
        notes.push(format!(
            "The group column “{gname}” needs rows for both “{int}” and “{ctl}”: choose which values mean intervention and control."
        ));
        return None;
    }
    Some(Arms { names: vec!["intervention", "control"], of_row })
}

/// Runs every analysis the recipe's roles allow.
pub fn analyse(ds: &Dataset, recipe: &Recipe) -> Analysis {
    let mut out = Analysis::default();
    // Item-level scales (issue 5): their scores stand in for absent pre/post columns (as derived
    // columns of a copy of the file) and alpha of the pre items is the default rxx.
    let applied = crate::core::scales::apply(ds, recipe);
    let (ds, recipe) = match &applied {
        Some(a) => {
            out.results.items = a.items.clone();
            out.diagnostics.extend(a.diagnostics.iter().cloned());
            out.notes.extend(a.notes.iter().cloned());
            (&a.dataset, &a.recipe)
        }
        None => (ds, recipe),
    };
    let alpha = recipe.alpha();
    let Some(arms) = arms(ds, recipe, &mut out.notes) else { return out };
    let pre = change::numeric_role(ds, recipe.columns.pre.as_deref(), &mut out);
    let post = change::numeric_role(ds, recipe.columns.post.as_deref(), &mut out);
    if let (Some(pre), Some(post)) = (&pre, &post) {
        for (a, arm) in arms.names.iter().enumerate() {
            let pairs: Vec<(f64, f64)> = (0..ds.n_rows)
                .filter(|&i| arms.of_row[i] == Some(a))
                .filter_map(|i| Some((pre[i]?, post[i]?)))
                .collect();
            out.results.paired.insert(arm.to_string(), paired(&pairs, alpha));
        }
    } else if recipe.columns.pre.is_none() || recipe.columns.post.is_none() {
        out.notes.push("Choose a pre and a post column to see the change.".into());
    }
    change::fill(ds, recipe, &arms, pre.as_deref(), post.as_deref(), &mut out);
    crate::core::process::fill(ds, recipe, &arms, pre.as_deref(), post.as_deref(), &mut out);
    clustering::fill(ds, recipe, &arms, pre.as_deref(), post.as_deref(), &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ingest::read_csv;

    #[test]
    fn two_arms_split_by_group_case_insensitively() {
        let ds = read_csv(b"g,pre,post\nIntervention,3,2\nintervention,4,2\nControl,3,3\ncontrol,2,3\nother,1,1\n", "t.csv").unwrap();
        let mut r = Recipe::default();
        r.suggest_columns(&ds.column_names());
        r.columns.group = Some("g".into());
        let a = analyse(&ds, &r);
        assert_eq!(a.results.paired["intervention"].n, 2);
        assert_eq!(a.results.paired["control"].n, 2);
        assert_eq!(a.results.paired["intervention"].mean_diff, Some(-1.5));
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
