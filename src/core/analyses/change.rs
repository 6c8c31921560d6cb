//! The change-analysis sections beyond `paired`: pre → follow-up, two-group comparisons of post
//! and change scores, ANCOVA, help-seeking (paired and between groups), reliable change and
//! subgroups. Each section uses the rows complete for it (`shared/reference/README.md`,
//! "Missing data"). Scores come in as per-row values, so scored item scales can feed them too.

use super::sections::{ChangeBin, Persistence, SubgroupStats};
use super::{Analysis, Arms, Selection};
use crate::core::dataset::{is_missing, shorten, Dataset, Diagnostic, DiagnosticKind};
use crate::core::recipe::{HelpCoding, Recipe};
use crate::core::stats::ancova::ancova_of;
use crate::core::stats::binary::{help_between, help_paired};
use crate::core::stats::describe::sd;
use crate::core::stats::paired::{paired, PairedStats};
use crate::core::stats::rank_sum::rank_sum;
use crate::core::stats::ranks::round9;
use crate::core::stats::rci::{classify, se_diff, RciStats};
use crate::core::stats::two_group::{two_group_owned, two_group_with_rank_sum};
use std::collections::{BTreeMap, BTreeSet};

/// Subgroups with fewer complete pairs than this carry a small-sample warning.
pub const SUBGROUP_MIN_PAIRS: usize = 10;

/// Default RCI cut-off when the recipe gives none.
pub const DEFAULT_RCI_THRESHOLD: f64 = 1.96;

use crate::core::dataset::{at, RowValue};

/// Rows of arm `a` (all arms when `a` is `None`).
fn rows_of(arms: &Arms, a: Option<usize>) -> impl Iterator<Item = usize> + '_ {
    arms.of_row
        .iter()
        .enumerate()
        .filter(move |(_, r)| match a {
            Some(a) => **r == Some(a),
            None => r.is_some(),
        })
        .map(|(i, _)| i)
}

/// Reads a yes/no column with the recipe's coding. With a coding, trimmed cells are compared
/// exactly with its `yes` / `no` lists; without one, 1/0, yes/no, y/n and true/false are accepted
/// in any case. Missing codes are missing; anything else is missing plus a located diagnostic.
pub fn binary_column(
    ds: &Dataset,
    name: &str,
    coding: Option<&HelpCoding>,
) -> Option<(Vec<Option<bool>>, Vec<Diagnostic>)> {
    let col = ds.column(name)?;
    let coding = coding.filter(|c| !c.yes.is_empty() || !c.no.is_empty());
    // (coded value, not a code and not missing) of each distinct cell text.
    let read = |cell: &str| -> (Option<bool>, bool) {
        let t = cell.trim();
        let coded = match coding {
            Some(c) => {
                if c.yes.iter().any(|y| y.trim() == t) {
                    Some(true)
                } else if c.no.iter().any(|n| n.trim() == t) {
                    Some(false)
                } else {
                    None
                }
            }
            None => match t.to_lowercase().as_str() {
                "1" | "yes" | "y" | "true" => Some(true),
                "0" | "no" | "n" | "false" => Some(false),
                _ => None,
            },
        };
        (coded, coded.is_none() && !is_missing(t))
    };
    // Each distinct cell text is read once. Rows whose text is neither a code nor missing are
    // looked for only when the column has such a text (always, for a column without a dictionary).
    let values = super::per_distinct(&col.cells, |c| read(c).0);
    let any_bad = col.cells.dictionary().is_none_or(|(texts, _)| texts.iter().any(|t| read(t).1));
    let bad = if any_bad { super::per_distinct(&col.cells, |c| read(c).1) } else { Vec::new() };
    let mut diags = Vec::new();
    for (i, _) in bad.iter().enumerate().filter(|(_, b)| **b) {
        let t = col.cells.str_at(i).unwrap_or_default().trim();
        let codes = match coding {
            Some(c) => format!("yes = {}; no = {}", c.yes.join(", "), c.no.join(", ")),
            None => "yes/no, 1/0, y/n or true/false".to_string(),
        };
        diags.push(Diagnostic { kind: DiagnosticKind::NotYesNo, line: None,
            row: Some(i + 1),
            column: Some(name.to_string()),
            message: format!(
                "“{}” is not one of the yes/no codes ({codes}), so row {} is left out of the help-seeking results that use “{}”.",
                shorten(t),
                i + 1,
                name
            ),
        });
    }
    Some((values, diags))
}

/// Reads a numeric column for an optional role, collecting diagnostics and a note when absent.
pub(crate) fn numeric_role(ds: &Dataset, name: Option<&str>, out: &mut Analysis) -> Option<Vec<f64>> {
    numeric_role_into(ds, name, &mut out.notes, &mut out.diagnostics)
}

/// [`numeric_role`] into separate lists of notes and diagnostics.
pub(crate) fn numeric_role_into(
    ds: &Dataset,
    name: Option<&str>,
    notes: &mut Vec<String>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Vec<f64>> {
    let name = name?;
    match ds.numeric_nan(name) {
        Some((v, d)) => {
            diagnostics.extend(d);
            Some(v)
        }
        None => {
            notes.push(format!("The column “{name}” is not in this file."));
            None
        }
    }
}

/// Reads a yes/no role, collecting diagnostics and a note when absent.
fn binary_role(ds: &Dataset, recipe: &Recipe, name: Option<&str>, out: &mut Analysis) -> Option<Vec<Option<bool>>> {
    let name = name?;
    match binary_column(ds, name, recipe.help_coding.as_ref()) {
        Some((v, d)) => {
            out.diagnostics.extend(d);
            Some(v)
        }
        None => {
            out.notes.push(format!("The column “{name}” is not in this file."));
            None
        }
    }
}

/// "held", "faded" or "grew": the post → follow-up change and its interval. Held when the
/// interval includes zero; faded when it lies wholly on the worse side; grew when wholly on the
/// better side; "not computable" without an interval.
pub fn persistence_verdict(post_to_fu: &PairedStats, lower_is_better: bool) -> &'static str {
    match (post_to_fu.ci_low, post_to_fu.ci_high) {
        (Some(lo), Some(hi)) if lo <= 0.0 && hi >= 0.0 => "held",
        (Some(lo), Some(_)) => {
            let went_up = lo > 0.0;
            if went_up == lower_is_better {
                "faded"
            } else {
                "grew"
            }
        }
        _ => "not computable",
    }
}

/// Complete (x, y) pairs of the given rows.
fn pairs_of<C: RowValue>(rows: impl Iterator<Item = usize>, x: &[C], y: &[C]) -> Vec<(C::Value, C::Value)> {
    rows.filter_map(|i| Some((at(x, i)?, at(y, i)?))).collect()
}

/// Fills every change section the recipe's roles allow. `pre` / `post` are the per-row scores
/// (from the pre/post columns, or from scored items).
pub fn fill(
    ds: &Dataset,
    recipe: &Recipe,
    sel: &Selection,
    pre: Option<&[f64]>,
    post: Option<&[f64]>,
    reliable: &ReliableChange,
    out: &mut Analysis,
) {
    rci_section(reliable, out);
    let alpha = recipe.alpha();
    let arms = sel.arms;
    let two_arms = arms.names.len() == 2;

    // The spread of individual changes, per arm (counts in bins, for a chart).
    if let (Some(_), Some(_)) = (pre, post) {
        // (One list, refilled for each arm.)
        let mut changes: Vec<f64> = Vec::new();
        for (a, arm) in arms.names.iter().enumerate() {
            changes.clear();
            changes.extend(sel.pairs_of(a).iter().map(|(x, y)| y - x));
            out.results.change_distribution.insert(arm.to_string(), change_bins(&changes, 12));
        }
    }

    // Pre → follow-up, per arm.
    let followup = numeric_role(ds, recipe.columns.followup.as_deref(), out);
    if let (Some(pre), Some(fu)) = (pre, &followup) {
        for (a, arm) in arms.names.iter().enumerate() {
            let pairs = pairs_of(sel.rows_of(a), pre, fu);
            out.results.paired_followup.insert(arm.to_string(), paired(&pairs, alpha));
        }
    }
    // Did it last? Post → follow-up among people with both, read as held / faded / grew.
    if let (Some(post), Some(fu)) = (post, &followup) {
        let lower_is_better = recipe.lower_is_better();
        for (a, arm) in arms.names.iter().enumerate() {
            let pairs = pairs_of(sel.rows_of(a), post, fu);
            let stats = paired(&pairs, alpha);
            let verdict = persistence_verdict(&stats, lower_is_better);
            out.results.persistence.insert(arm.to_string(), Persistence { verdict: verdict.to_string(), stats });
        }
    }

    if two_arms {
        // Two groups on post scores: every non-missing post score.
        if let Some(post) = post {
            let values = |a: usize| -> Vec<f64> {
                let mut v = Vec::with_capacity(arms.rows().get(a).map_or(0, Vec::len));
                v.extend(sel.rows_of(a).filter_map(|i| at(post, i)));
                v
            };
            out.results.two_group_post = Some(two_group_owned(values(0), values(1), alpha));
        }
        if let (Some(pre), Some(post)) = (pre, post) {
            // Change scores, rounded to 9 decimals for every statistic.
            let change = |a: usize| -> Vec<f64> { sel.pairs_of(a).iter().map(|(p, q)| round9(q - p)).collect() };
            let (c0, c1) = (change(0), change(1));
            // Mann-Whitney: made with the paired tests when it could be.
            let mw = sel.change_rank_sum.clone().unwrap_or_else(|| rank_sum(&c0, &c1));
            out.results.two_group_change = Some(two_group_with_rank_sum(&c0, &c1, alpha, mw));
            drop((c0, c1));
            // ANCOVA: rows with pre, post and group, in file order, read straight from the
            // columns on each of its passes (no copy of a million rows).
            let rows = || {
                arms.of_row
                    .iter()
                    .zip(pre)
                    .zip(post)
                    .filter_map(|((arm, p), q)| Some(((*arm)? == 0, p.value()?, q.value()?)))
            };
            out.results.ancova = Some(ancova_of(rows, alpha));
        }
    }

    // Help-seeking.
    let help_pre = binary_role(ds, recipe, recipe.columns.help_pre.as_deref(), out);
    let help_post = binary_role(ds, recipe, recipe.columns.help_post.as_deref(), out);
    if let (Some(hp), Some(hq)) = (&help_pre, &help_post) {
        for (a, arm) in arms.names.iter().enumerate() {
            let mut pairs = Vec::with_capacity(arms.rows().get(a).map_or(0, Vec::len));
            pairs.extend(sel.rows_of(a).filter_map(|i| Some((at(hp, i)?, at(hq, i)?))));
            out.results.help_paired.insert(arm.to_string(), help_paired(&pairs, alpha));
        }
    }
    if let (true, Some(hq)) = (two_arms, &help_post) {
        // (yes, answered) in the arm.
        let count = |a: usize| -> (usize, usize) {
            sel.rows_of(a).filter_map(|i| at(hq, i)).fold((0, 0), |(yes, n), y| (yes + usize::from(y), n + 1))
        };
        let ((yi, ni), (yc, nc)) = (count(0), count(1));
        out.results.help_between_post = Some(help_between(yi, ni, yc, nc, alpha));
    }

    if let (Some(pre), Some(post)) = (pre, post) {
        subgroup_section(ds, recipe, sel, pre, post, out);
    }
}

/// Reliable change of one run (see [`reliable_change`]).
#[derive(Debug, Clone, PartialEq)]
pub enum ReliableChange {
    /// No pre or post scores (or no arms) to classify.
    NoScores,
    /// The recipe gives no reliability (rxx), and no item scale gave alpha.
    NoReliability,
    /// Classified; `stats.se_diff_rci` is `None` (and every count `None`) when SD_pre or rxx
    /// does not allow it.
    Computed(RciStats),
}

impl ReliableChange {
    /// Participants of arm `arm` (`"all"` for a single-group file) classified as reliably
    /// improved; `None` when reliable change is not computable.
    pub fn improved(&self, arm: &str) -> Option<usize> {
        match self {
            ReliableChange::Computed(s) => s.groups.get(arm).and_then(|c| c.improved),
            _ => None,
        }
    }
}

/// Reliable change: SD_pre from the recipe (normative) or from complete pairs of all arms;
/// every row in an arm with both scores is classified (all rows and, with two arms, per arm).
/// The one classification the change section, the process section and the cost analysis read.
pub(crate) fn reliable_change(recipe: &Recipe, arms: &Arms, pre: &[f64], post: &[f64]) -> ReliableChange {
    let inputs = recipe.rci_inputs.clone().unwrap_or_default();
    let Some(rxx) = inputs.rxx else { return ReliableChange::NoReliability };
    let threshold = inputs.threshold.filter(|t| t.is_finite() && *t > 0.0).unwrap_or(DEFAULT_RCI_THRESHOLD);
    let lower_is_better = recipe.lower_is_better();
    let all_pairs = pairs_of(rows_of(arms, None), pre, post);
    let sd_pre_used = match inputs.sd_pre {
        Some(s) => Some(s).filter(|s| s.is_finite() && *s > 0.0),
        None => sd(&all_pairs.iter().map(|p| p.0).collect::<Vec<f64>>()),
    };
    let se = sd_pre_used.and_then(|s| se_diff(s, rxx));
    let mut groups = BTreeMap::new();
    groups.insert("all".to_string(), classify(&all_pairs, se, threshold, lower_is_better));
    if arms.names.len() > 1 {
        for (a, arm) in arms.names.iter().enumerate() {
            let pairs = pairs_of(arms.rows_of(a), pre, post);
            groups.insert(arm.to_string(), classify(&pairs, se, threshold, lower_is_better));
        }
    }
    ReliableChange::Computed(RciStats { groups, sd_pre_used, se_diff_rci: se, rxx, threshold })
}

/// `results.rci` from the frame's classification, with a note when it is not computed.
fn rci_section(reliable: &ReliableChange, out: &mut Analysis) {
    match reliable {
        ReliableChange::NoScores => {}
        ReliableChange::NoReliability => out
            .notes
            .push("Enter the scale's reliability (rxx) to see who changed reliably (reliable change index).".into()),
        ReliableChange::Computed(stats) => {
            if stats.se_diff_rci.is_none() {
                out.notes.push(
                    "Reliable change cannot be computed: it needs a pre-score SD above 0 and a reliability (rxx) from 0 up to, but not including, 1."
                        .into(),
                );
            }
            out.results.rci = Some(stats.clone());
        }
    }
}

/// Paired analysis per subgroup level within each arm; blank subgroup cells are left out.
fn subgroup_section(ds: &Dataset, recipe: &Recipe, sel: &Selection, pre: &[f64], post: &[f64], out: &mut Analysis) {
    let alpha = recipe.alpha();
    let arms = sel.arms;
    let Some(name) = recipe.columns.subgroup.as_deref() else { return };
    let Some(col) = ds.column(name) else {
        out.notes.push(format!("The subgroup column “{name}” is not in this file."));
        return;
    };
    // The level of each distinct cell text, and which texts occur in the arms' rows.
    let (texts, text_of_row) = super::distinct_cells(&col.cells);
    let level_of_text: Vec<Option<&str>> = texts.iter().map(|c| Some(c.trim()).filter(|c| !is_missing(c))).collect();
    let mut used = vec![false; texts.len()];
    for i in rows_of(arms, None) {
        if let Some(u) = text_of_row.get(i).and_then(|&t| used.get_mut(t as usize)) {
            *u = true;
        }
    }
    let levels: BTreeSet<&str> = level_of_text.iter().zip(&used).filter(|(_, u)| **u).filter_map(|(l, _)| *l).collect();
    let levels: Vec<&str> = levels.into_iter().collect();
    // Level index of each distinct text (`None`: blank, missing or not a level).
    let level_index: Vec<Option<usize>> =
        level_of_text.iter().map(|l| l.and_then(|l| levels.binary_search(&l).ok())).collect();
    let level_of = |i: usize| -> Option<usize> {
        text_of_row.get(i).and_then(|&t| level_index.get(t as usize).copied().flatten())
    };
    let mut small = Vec::new();
    for (a, arm) in arms.names.iter().enumerate() {
        let mut per_level = BTreeMap::new();
        // Complete pairs of each level, in file order (one pass over the arm's rows).
        let mut pairs_by_level: Vec<Vec<(f64, f64)>> = vec![Vec::new(); levels.len()];
        for i in sel.rows_of(a) {
            if let (Some(p), Some(l)) = (at(pre, i).zip(at(post, i)), level_of(i)) {
                if let Some(v) = pairs_by_level.get_mut(l) {
                    v.push(p);
                }
            }
        }
        for (level, pairs) in levels.iter().zip(&pairs_by_level) {
            let n = pairs.len();
            let small_n_warning = (n < SUBGROUP_MIN_PAIRS).then(|| {
                small.push(if arms.names.len() > 1 { format!("{level} ({arm}, {n})") } else { format!("{level} ({n})") });
                format!(
                    "Only {} in this subgroup (fewer than {SUBGROUP_MIN_PAIRS}): read these numbers as a rough description, not as evidence.",
                    crate::core::dataset::count_of(n, "complete pair", "complete pairs")
                )
            });
            per_level.insert(level.to_string(), SubgroupStats { stats: paired(pairs, alpha), small_n_warning });
        }
        out.results.subgroups.insert(arm.to_string(), per_level);
    }
    if !small.is_empty() {
        out.notes.push(format!(
            "Some subgroups have fewer than {SUBGROUP_MIN_PAIRS} complete pairs, so their results are very uncertain: {}.",
            small.join("; ")
        ));
    }
}

/// Histogram of `values` in about `bins` equal bins over nice limits (empty for no values).
pub fn change_bins(values: &[f64], bins: usize) -> Vec<ChangeBin> {
    let finite = || values.iter().copied().filter(|v| v.is_finite());
    let (Some(lo), Some(hi)) = (finite().reduce(f64::min), finite().reduce(f64::max)) else {
        return Vec::new();
    };
    let ticks = crate::core::stats::describe::nice_ticks(lo, hi, bins.clamp(2, 60) + 1);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::analyses::analyse;
    use crate::core::ingest::read_csv;

    fn recipe(json: &str) -> Recipe {
        Recipe::from_json(json).unwrap()
    }

    #[test]
    fn help_coding_from_recipe_and_defaults() {
        let ds = read_csv(b"id,h\n1,Yes\n2,No\n3, yes \n4,maybe\n5,\n6,NA\n", "t.csv").unwrap();
        let coding = HelpCoding { yes: vec!["Yes".into()], no: vec!["No".into()] };
        let (v, d) = binary_column(&ds, "h", Some(&coding)).unwrap();
        assert_eq!(v, vec![Some(true), Some(false), None, None, None, None]);
        // " yes " (wrong case for this coding) and "maybe" are located; blanks and NA are not.
        assert_eq!(d.iter().map(|d| d.row).collect::<Vec<_>>(), vec![Some(3), Some(4)]);
        assert!(d[1].message.contains("maybe") && d[1].column.as_deref() == Some("h"));
        let (v, d) = binary_column(&ds, "h", None).unwrap();
        assert_eq!(v, vec![Some(true), Some(false), Some(true), None, None, None]);
        assert_eq!(d.len(), 1);
        let ds = read_csv(b"id,h\n1,1\n2,0\n3,TRUE\n4,n\n", "t.csv").unwrap();
        let (v, _) = binary_column(&ds, "h", Some(&HelpCoding::default())).unwrap();
        assert_eq!(v, vec![Some(true), Some(false), Some(true), Some(false)]);
    }

    #[test]
    fn sections_appear_only_when_their_roles_exist() {
        let ds = read_csv(b"pre,post,hp,hq\n3,2,no,yes\n4,2,yes,yes\n5,3,no,no\n", "t.csv").unwrap();
        let a = analyse(
            &ds,
            &recipe(
                r#"{"columns":{"pre":"pre","post":"post","help_pre":"hp","help_post":"hq"},"rci_inputs":{"rxx":0.8}}"#,
            ),
        );
        assert_eq!(a.results.help_paired["all"].n, 3);
        assert!(
            a.results.two_group_post.is_none() && a.results.ancova.is_none() && a.results.help_between_post.is_none()
        );
        let rci = a.results.rci.as_ref().unwrap();
        assert_eq!(rci.groups.keys().collect::<Vec<_>>(), vec!["all"]);
        assert!(a.results.subgroups.is_empty() && a.results.paired_followup.is_empty());
        // Without rxx there is no RCI section, and a note says why.
        let b = analyse(&ds, &recipe(r#"{"columns":{"pre":"pre","post":"post"}}"#));
        assert!(b.results.rci.is_none());
        assert!(b.notes.iter().any(|n| n.contains("rxx")));
    }

    #[test]
    fn subgroups_skip_blank_levels_and_warn_when_small() {
        let ds = read_csv(
            b"g,age,pre,post\nintervention,18-24,3,2\nintervention,,4,2\ncontrol,18-24,3,3\ncontrol,55+,2,1\nintervention,55+,5,\n",
            "t.csv",
        )
        .unwrap();
        let a = analyse(&ds, &recipe(r#"{"columns":{"group":"g","pre":"pre","post":"post","subgroup":"age"}}"#));
        let int = &a.results.subgroups["intervention"];
        assert_eq!(int.keys().collect::<Vec<_>>(), vec!["18-24", "55+"]);
        assert_eq!(int["18-24"].stats.n, 1);
        assert_eq!(int["55+"].stats.n, 0);
        assert!(int["55+"].small_n_warning.is_some());
        assert_eq!(a.results.subgroups["control"]["55+"].stats.mean_diff, Some(-1.0));
        // The blank-subgroup row still counts in the overall results.
        assert_eq!(a.results.paired["intervention"].n, 2);
        assert!(a.notes.iter().any(|n| n.contains("fewer than 10")));
    }

    #[test]
    fn empty_arm_sections_are_not_computable_not_nan() {
        // Control has no post scores at all.
        let ds =
            read_csv(b"g,pre,post,hq\nintervention,3,2,yes\nintervention,4,3,no\ncontrol,3,,\ncontrol,2,,\n", "t.csv")
                .unwrap();
        let a = analyse(
            &ds,
            &recipe(r#"{"columns":{"group":"g","pre":"pre","post":"post","help_post":"hq"},"rci_inputs":{"rxx":0.9}}"#),
        );
        let tg = a.results.two_group_post.as_ref().unwrap();
        assert_eq!((tg.n_ctrl, tg.mean_ctrl, tg.welch_t, tg.cohen_d, tg.mw_W), (0, None, None, None, None));
        let an = a.results.ancova.as_ref().unwrap();
        assert_eq!((an.n, an.coef_group, an.se_group), (2, None, None));
        let hb = a.results.help_between_post.as_ref().unwrap();
        assert_eq!((hb.n_ctrl, hb.p_ctrl, hb.rd, hb.fisher_p), (0, None, None, None));
        assert_eq!(a.results.rci.as_ref().unwrap().groups["control"].n, 0);
        let json = serde_json::to_string(&a.results).unwrap();
        assert!(!json.contains("NaN") && !json.contains("inf"), "{json}");
    }
}

#[cfg(test)]
mod persistence_tests {
    use super::*;

    #[test]
    fn verdicts_follow_the_interval_and_the_direction() {
        // Follow-up scores equal post scores up to noise: held.
        let held = paired(&[(3.0, 3.1), (2.0, 1.9), (4.0, 4.2), (3.5, 3.3)], 0.05);
        assert_eq!(persistence_verdict(&held, true), "held");
        // Scores rose clearly after the program ended: stigma came back (faded) when lower is better.
        let up = paired(&[(2.0, 3.0), (2.5, 3.4), (3.0, 4.1), (2.2, 3.1)], 0.05);
        assert_eq!(persistence_verdict(&up, true), "faded");
        assert_eq!(persistence_verdict(&up, false), "grew");
        assert_eq!(persistence_verdict(&paired(&[(1.0, 2.0)], 0.05), true), "not computable");
    }
}
