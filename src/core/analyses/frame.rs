//! The analysis frame: what every section of one run shares, built once by [`Frame::build`] —
//! the scored file (item scales as derived pre/post columns), the recipe as the sections see it,
//! the arms, the per-row pre and post scores and the reliable-change classification. The change,
//! process, clustering, waves and comments sections and the cost analysis all read it, so the
//! cost per reliably improved person and the reliable-change section count the same people.

use super::change::{numeric_role_into, reliable_change, ReliableChange};
use super::scales::{self, Applied, ItemsResult};
use super::{arms, Arms};
use crate::core::dataset::{Dataset, Diagnostic};
use crate::core::recipe::Recipe;

/// One run's shared view of the data (see the module docs).
#[derive(Debug)]
pub struct Frame<'a> {
    source: &'a Dataset,
    recipe: &'a Recipe,
    /// The file and recipe with scored item scales wired in; `None` without `items`.
    scored: Option<Applied>,
    /// Arm of each row; `None` when the group column is missing or names no two arms.
    pub arms: Option<Arms>,
    /// What splitting the rows into arms had to say (a missing group column, a guess of levels).
    pub arm_notes: Vec<String>,
    /// Per-row pre and post scores (NaN = missing); `None` without the role or the arms.
    pub pre: Option<Vec<f64>>,
    pub post: Option<Vec<f64>>,
    /// Reliable change of the complete pairs (all rows and per arm), or why it is not computed.
    pub reliable: ReliableChange,
    /// Item-scale results, when the recipe has items.
    pub items: Option<ItemsResult>,
    /// Plain sentences and located notes gathered while building, in the order they arose.
    pub notes: Vec<String>,
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> Frame<'a> {
    /// Scores the item scales, splits the rows into arms and reads the pre and post scores.
    /// Never panics on user data: what cannot be read is a note.
    pub fn build(ds: &'a Dataset, recipe: &'a Recipe) -> Frame<'a> {
        let scored = scales::apply(ds, recipe);
        let (mut notes, mut diagnostics, items) = match &scored {
            Some(a) => (a.notes.clone(), a.diagnostics.clone(), a.items.clone()),
            None => (Vec::new(), Vec::new(), None),
        };
        let (d, r) = scored.as_ref().map_or((ds, recipe), |a| (&a.dataset, &a.recipe));
        let mut arm_notes = Vec::new();
        let arms = arms(d, r, &mut arm_notes);
        notes.extend(arm_notes.iter().cloned());
        let (pre, post) = match &arms {
            Some(_) => (
                numeric_role_into(d, r.columns.pre.as_deref(), &mut notes, &mut diagnostics),
                numeric_role_into(d, r.columns.post.as_deref(), &mut notes, &mut diagnostics),
            ),
            None => (None, None),
        };
        let reliable = match (&arms, &pre, &post) {
            (Some(arms), Some(pre), Some(post)) => reliable_change(r, arms, pre, post),
            _ => ReliableChange::NoScores,
        };
        Frame { source: ds, recipe, scored, arms, arm_notes, pre, post, reliable, items, notes, diagnostics }
    }

    /// The file the sections read (with scored item scales as derived columns).
    pub fn dataset(&self) -> &Dataset {
        self.scored.as_ref().map_or(self.source, |a| &a.dataset)
    }

    /// The recipe the sections read (item scores as pre/post, alpha as rxx when none was given).
    pub fn recipe(&self) -> &Recipe {
        self.scored.as_ref().map_or(self.recipe, |a| &a.recipe)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ingest::read_csv;
    use crate::core::recipe::Recipe;

    fn recipe(json: &str) -> Recipe {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn scored_items_become_the_scores_the_sections_read() {
        // Two items, no pre/post columns: the item means are the scores (by hand: 2.5, 3.5; 1.5, 2).
        let ds = read_csv(b"a1,a2,b1,b2\n2,3,1,2\n3,4,2,2\n", "t.csv").unwrap();
        let r =
            recipe(r#"{"columns":{},"items":{"pre_columns":["a1","a2"],"post_columns":["b1","b2"],"min_answered":1}}"#);
        let f = Frame::build(&ds, &r);
        assert!(f.items.is_some());
        assert_eq!(f.pre.as_deref(), Some(&[2.5, 3.5][..]));
        assert_eq!(f.post.as_deref(), Some(&[1.5, 2.0][..]));
        assert!(f.recipe().columns.pre.is_some());
    }

    #[test]
    fn a_missing_group_column_leaves_no_arms_and_says_so() {
        let ds = read_csv(b"pre,post\n3,2\n", "t.csv").unwrap();
        let r = recipe(r#"{"columns":{"group":"arm","pre":"pre","post":"post"}}"#);
        let f = Frame::build(&ds, &r);
        assert!(f.arms.is_none() && f.pre.is_none());
        assert!(f.notes.iter().any(|n| n.contains("“arm” is not in this file")), "{:?}", f.notes);
        assert_eq!(f.reliable, ReliableChange::NoScores);
    }
}
