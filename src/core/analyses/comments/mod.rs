//! Free-text answers (CONTRACT §6): comments coded on the device with a codebook of phrases
//! and `stem*` prefixes, plus hand tags (`manual`); counts, Wilson 95 % intervals and, with a
//! group role, counts by arm with Fisher's exact test (`results.comments.<column>`).
//!
//! Page helpers live beside the analysis: keyword-in-context spans ([`matching`]), word and
//! two-word frequencies with an editable stop-word list ([`frequencies`]), redaction of quotes
//! ([`redact`]) and starter codebooks ([`starter`]). The coded-comments CSV is in
//! `core::present::comments_csv` (it uses `present::clean_csv`, a layer above `analyses`).
//!
//! Data flow: recipe key `comments` (`core::recipe::comments::CommentsRecipe`) → validated
//! [`settings::CommentsSettings`] (compiled codebook, manual tags by row) → per column
//! [`result::analyse_column`] → [`result::CommentsResults`] (serialised as
//! `results.comments`). Results hold counts only, never comment text.

pub mod frequencies;
pub mod matching;
pub mod redact;
pub mod result;
pub mod settings;
pub mod starter;
pub mod view;

#[cfg(test)]
mod tests;

pub use matching::{CompiledCodebook, MatchSpan};
pub use redact::{redact, Redactor, REMOVED};
pub use result::{analyse_all, analyse_column, Arm, CodedColumn, CodedComment, ColumnResult, CommentsResults};
pub use settings::{CommentsError, CommentsRecipe, CommentsSettings, OrderedMap};

use crate::core::analyses::{Analysis, Arms};
use crate::core::dataset::Dataset;
use crate::core::recipe::Recipe;

/// The wave of a linked-table column (CONTRACT §5 prefixes `pre_`, `post_`, `followup_`), if any.
pub fn wave_of_column(name: &str) -> Option<&'static str> {
    ["pre", "post", "followup"].into_iter().find(|w| name.strip_prefix(w).is_some_and(|rest| rest.starts_with('_')))
}

/// Arm of each row for the comments (`None` without a group role, i.e. one arm `all`).
pub fn comment_arms(arms: Option<&Arms>) -> Option<Vec<Option<Arm>>> {
    let arms = arms.filter(|a| a.names.len() == 2)?;
    Some(
        arms.of_row
            .iter()
            .map(|a| match a {
                Some(0) => Some(Arm::Intervention),
                Some(1) => Some(Arm::Control),
                _ => None,
            })
            .collect(),
    )
}

/// Validates the recipe's `comments` against the file and codes every comment column.
/// `Err` holds every problem (the recipe is untouched).
pub fn code_dataset(
    ds: &Dataset,
    recipe: &Recipe,
    arms: Option<&Arms>,
) -> Result<(CommentsSettings, CommentsResults, Vec<CodedColumn>), Vec<CommentsError>> {
    let names = ds.column_names();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let settings = recipe.comments.validate(&names, ds.n_rows)?;
    let arms = comment_arms(arms);
    let (results, coded) = analyse_all(
        &settings,
        |col| ds.column(col).map(|c| c.cells.strs().map(Some).collect()),
        arms.as_deref(),
        |cell| ds.is_missing_value(cell),
    );
    Ok((settings, results, coded))
}

/// `results.comments` (CONTRACT §6) when the recipe names comment columns; a problem with
/// the settings is a note (a plain sentence) and leaves `results.comments` out.
pub fn fill(ds: &Dataset, recipe: &Recipe, arms: Option<&Arms>, out: &mut Analysis) {
    if recipe.comments.columns.is_empty() {
        return;
    }
    match code_dataset(ds, recipe, arms) {
        Ok((_, results, _)) => out.results.comments = results,
        Err(problems) => out.notes.extend(problems.iter().map(|p| format!("Comments: {p}"))),
    }
}
