//! Planning inputs observed in the loaded data. With wave files linked by participant code
//! (CONTRACT §5, `results.linkage`), the share of the people who answered before and were not
//! found at the later wave is the drop-out the next evaluation should plan for: the planner
//! offers it as its `attrition` input, saying where it came from, and the user can still change
//! it.
//!
//! Drop-out to the after wave = 1 − found / pre rows, where found = confirmed + exact + near
//! links to post, and pre rows are every data row of the before file: people without a usable
//! code, with a duplicated code, or left ambiguous count as not followed up, as in the linkage
//! reading (`present::explain::linkage_reading`). The follow-up wave's drop-out is given as
//! well when there is one, so the user can choose the later horizon.

use crate::core::ingest::link::{LinkCounts, LinkageResults};
use crate::core::planning::power::{Design, PowerCase, SolveFor};

/// A drop-out share observed between the before wave and one later wave.
#[derive(Debug, Clone, PartialEq)]
pub struct ObservedAttrition {
    /// "after" or "at follow-up".
    pub wave: &'static str,
    /// People who answered before.
    pub pre_rows: usize,
    /// Of them, people found at the later wave.
    pub found: usize,
    /// 1 − found / pre_rows, rounded to 3 decimals (what the planner's input takes).
    pub attrition: f64,
    /// Where the number came from, in words.
    pub why: String,
}

fn observed(wave: &'static str, pre_rows: usize, c: &LinkCounts) -> Option<ObservedAttrition> {
    if pre_rows == 0 {
        return None;
    }
    let found = (c.confirmed + c.exact + c.near).min(pre_rows);
    let lost = pre_rows - found;
    let share = lost as f64 / pre_rows as f64;
    let attrition = (share * 1000.0).round() / 1000.0;
    let why = format!(
        "your linked wave files: {found} of {pre_rows} people who answered before were found {wave}, so {lost} ({:.1}%) were not followed up",
        share * 100.0
    );
    Some(ObservedAttrition { wave, pre_rows, found, attrition, why })
}

/// The observed drop-out to the after wave, then to the follow-up wave when there is one.
/// Empty when the before file has no rows.
pub fn attrition_from_linkage(l: &LinkageResults) -> Vec<ObservedAttrition> {
    let pre = l.waves.pre.rows;
    let mut out: Vec<ObservedAttrition> = observed("after", pre, &l.post).into_iter().collect();
    if let Some(f) = &l.followup {
        out.extend(observed("at follow-up", pre, f));
    }
    out
}

/// The plan "allow for drop-out": the people a solved plan needs at the end (`n_needed`,
/// e.g. the pairs of a paired plan, rounded up) and the observed drop-out, as the planner's
/// `attrition` design solved for the people to recruit.
pub fn allow_for_dropout(n_needed: u64, observed: &ObservedAttrition) -> PowerCase {
    PowerCase::new(Design::Attrition, SolveFor::N)
        .with("n_required", n_needed as f64)
        .with("attrition", observed.attrition)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ingest::link::{WaveSummaries, WaveSummary};
    use crate::core::planning::power::solve;

    fn linkage(pre_rows: usize, post: LinkCounts, followup: Option<LinkCounts>) -> LinkageResults {
        let w = |rows| WaveSummary { file: "f.csv".into(), rows, with_code: rows, duplicate_rows: 0 };
        LinkageResults {
            waves: WaveSummaries { pre: w(pre_rows), post: w(60), followup: followup.map(|_| w(50)) },
            post,
            followup,
            participants: 0,
        }
    }

    #[test]
    fn drop_out_is_the_share_of_pre_rows_not_found() {
        // pl1's counts: 50 exact + 2 near of 69 before → 17 lost, 17/69 = 0.24638 → 0.246.
        let post = LinkCounts { exact: 50, near: 2, unmatched_pre: 17, unmatched_later: 3, ..LinkCounts::default() };
        let got = attrition_from_linkage(&linkage(69, post, None));
        assert_eq!(got.len(), 1);
        assert_eq!((got[0].found, got[0].pre_rows, got[0].attrition), (52, 69, 0.246));
        assert_eq!(
            got[0].why,
            "your linked wave files: 52 of 69 people who answered before were found after, so 17 (24.6%) were not followed up"
        );
        // Confirmed links count as found; ambiguous ones do not. 120 before, 3 + 90 + 6 found:
        // 21/120 = 0.175 exactly.
        let post = LinkCounts { confirmed: 3, exact: 90, near: 6, ambiguous_pre: 2, ..LinkCounts::default() };
        let fu = LinkCounts { exact: 60, ..LinkCounts::default() };
        let got = attrition_from_linkage(&linkage(120, post, Some(fu)));
        assert_eq!(got.len(), 2);
        assert_eq!((got[0].wave, got[0].found, got[0].attrition), ("after", 99, 0.175));
        // 60 of 120 found at follow-up: half lost.
        assert_eq!((got[1].wave, got[1].found, got[1].attrition), ("at follow-up", 60, 0.5));
        assert!(got[1].why.contains("60 of 120 people who answered before were found at follow-up"), "{}", got[1].why);
    }

    #[test]
    fn no_rows_before_gives_nothing_not_nan() {
        assert!(attrition_from_linkage(&linkage(0, LinkCounts::default(), None)).is_empty());
    }

    #[test]
    fn allowing_for_the_observed_dropout_recruits_more() {
        let post = LinkCounts { confirmed: 3, exact: 90, near: 6, ..LinkCounts::default() };
        let obs = &attrition_from_linkage(&linkage(120, post, None))[0];
        let case = allow_for_dropout(90, obs);
        assert_eq!(case.design, Design::Attrition);
        // 90 / (1 − 0.175) = 109.09… → 110 people to recruit.
        let out = solve(&case).expect("solvable");
        assert_eq!(out.n_ceiling, Some(110));
    }
}
