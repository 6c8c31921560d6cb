//! Scale scores from item-level answers (issue 5): the recipe's `items` key says which columns
//! hold a scale's items at pre and post, which items are reverse-worded, how many must be
//! answered and how the answers are combined. The scores stand in for the pre/post columns of
//! the change analysis when the recipe names none, and Cronbach's alpha of the pre items is the
//! default reliability for reliable change.
//!
//! - [`spec`]: the scoring key, read leniently from JSON.
//! - [`presets`]: built-in keys (SSOSH, ATSPPH-SF, RIBS): scoring rules and sources, no wording.
//! - [`read`]: finding item columns; "don't know", non-numbers and out-of-range answers.
//! - [`score`]: reversal, the minimum-answered rule, mean or prorated sum.
//! - [`reliability`]: alpha, Feldt interval, item-rest r, alpha if deleted.
//! - [`result`]: [`ItemsResult`], the `results.items` section.

pub mod presets;
pub mod read;
pub mod reliability;
pub mod result;
pub mod score;
pub mod spec;

pub use result::{ItemStat, ItemsResult, ScorePair};
pub use spec::{parse_specs, DontKnow, ItemSpec, Method};

use crate::core::dataset::{Column, Dataset, Diagnostic};
use crate::core::recipe::{RciInputs, Recipe};
use read::{fmt, CellCounts};
use reliability::{complete_cases, cronbach_alpha, reliability};
use std::collections::BTreeMap;

/// One score per data row (`None` = not scored).
pub type Scores = Vec<Option<f64>>;

/// One scale scored on a file.
#[derive(Debug, Clone, PartialEq)]
pub struct ScaleScores {
    pub result: ItemsResult,
    /// One score per data row; `None` for a time point with no item columns.
    pub pre: Option<Scores>,
    pub post: Option<Scores>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Every scale of the recipe scored; the first gives the pre/post scores.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ItemScoring {
    pub scales: Vec<ScaleScores>,
    /// Notes about the item settings themselves.
    pub notes: Vec<String>,
}

impl ItemScoring {
    /// `results.items`: the first scale, with any others under `other_scales`.
    pub fn result(&self) -> Option<ItemsResult> {
        let (first, rest) = self.scales.split_first()?;
        let mut r = first.result.clone();
        r.other_scales = rest.iter().map(|s| s.result.clone()).collect();
        Some(r)
    }

    /// Located notes about item cells, every scale.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        self.scales.iter().flat_map(|s| s.diagnostics.iter().cloned()).collect()
    }

    /// Every sentence: notes on the settings, then each scale's notes.
    pub fn all_notes(&self) -> Vec<String> {
        let mut v = self.notes.clone();
        for s in &self.scales {
            v.extend(s.result.notes.iter().cloned());
        }
        v
    }
}

/// Scores every scale the recipe's `items` defines. `None` when the recipe has no `items`.
pub fn score_items(ds: &Dataset, recipe: &Recipe) -> Option<ItemScoring> {
    let v = recipe.items.as_ref().filter(|v| !v.is_null())?;
    let (specs, notes) = parse_specs(v);
    let level = 1.0 - recipe.alpha();
    let id = recipe.columns.id.as_deref();
    let scales = specs.iter().map(|s| score_scale(ds, s, id, level)).collect();
    Some(ItemScoring { scales, notes })
}

/// The scored pre and post columns of the recipe's first scale (one value per data row),
/// `None` when the recipe has no `items`.
pub fn scored_columns(ds: &Dataset, recipe: &Recipe) -> Option<(Option<Scores>, Option<Scores>)> {
    let s = score_items(ds, recipe)?;
    let first = s.scales.into_iter().next()?;
    Some((first.pre, first.post))
}

/// A dataset and recipe ready for the change analyses, with the item results.
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    /// The file plus derived score columns (`score_pre`, `score_post`) where they are used.
    pub dataset: Dataset,
    /// The recipe with those columns as pre/post, and alpha (pre) as `rci_inputs.rxx` if none was given.
    pub recipe: Recipe,
    pub items: Option<ItemsResult>,
    pub diagnostics: Vec<Diagnostic>,
    pub notes: Vec<String>,
}

/// Scores the items and wires the scores into the analysis: when the recipe has `items` and no
/// pre (post) column, the scores become derived columns used as pre (post); when it gives no
/// reliability for reliable change, alpha of the pre items is used. `None` without `items`.
pub fn apply(ds: &Dataset, recipe: &Recipe) -> Option<Applied> {
    let scoring = score_items(ds, recipe)?;
    let mut dataset = ds.clone();
    let mut rec = recipe.clone();
    let mut notes = scoring.all_notes();
    let items = scoring.result();
    if let Some(first) = scoring.scales.first() {
        let who = first.result.name.clone().unwrap_or_else(|| "the item scale".into());
        for (time, scores) in [("pre", &first.pre), ("post", &first.post)] {
            let Some(scores) = scores else { continue };
            let role = if time == "pre" { &mut rec.columns.pre } else { &mut rec.columns.post };
            if let Some(col) = role.as_deref() {
                notes.push(format!("The {time} column “{col}” is used for the change analysis; the {time} scores of {who} are reported with the item results."));
                continue;
            }
            let name = unique_name(&dataset, &format!("score_{time}"));
            let cells = scores.iter().map(|v| v.map(|x| format!("{x}")).unwrap_or_default()).collect();
            dataset.columns.push(Column { name: name.clone(), cells });
            *role = Some(name);
        }
        if let Some(alpha) = first.result.alpha_pre {
            let rci = rec.rci_inputs.get_or_insert_with(RciInputs::default);
            if rci.rxx.is_none() {
                rci.rxx = Some(alpha);
                notes.push(format!(
                    "Reliable change uses Cronbach’s alpha of the pre items ({:.3}) as the reliability, because none was given; a published test–retest reliability may be better.",
                    alpha
                ));
            }
        }
    }
    Some(Applied { dataset, recipe: rec, items, diagnostics: scoring.diagnostics(), notes })
}

fn unique_name(ds: &Dataset, base: &str) -> String {
    let mut name = base.to_string();
    let mut i = 2;
    while ds.column(&name).is_some() {
        name = format!("{base}_{i}");
        i += 1;
    }
    name
}

/// One time point's item answers scored.
struct TimePoint {
    scores: Vec<Option<f64>>,
    rel: reliability::Reliability,
    alpha_raw: Option<f64>,
    stats: Vec<ItemStat>,
}

/// Scores one scale: reads its items at pre and post, reverses, applies the minimum-answered
/// rule and the method, and computes reliability. `ci_level` is the alpha intervals' level.
pub fn score_scale(ds: &Dataset, spec: &ItemSpec, id_column: Option<&str>, ci_level: f64) -> ScaleScores {
    let who = spec.name.clone().unwrap_or_else(|| "The item scale".into());
    let mut notes = Vec::new();
    let mut diags = Vec::new();
    let numbers = read::item_numbers(ds, spec);
    if !spec.has_source() {
        notes.push(format!("{who}: name its item columns (pre_prefix and post_prefix, such as \"pre_q\", or pre_columns and post_columns)."));
    } else if numbers.is_empty() {
        notes.push(format!(
            "{who}: no item columns were found for the prefixes given; set k or item_numbers, or list the columns."
        ));
    }
    let pre_cols = read::locate(ds, &spec.pre, &numbers, "pre", &who, &mut notes);
    let post_cols = read::locate(ds, &spec.post, &numbers, "post", &who, &mut notes);
    let read_cells = |cols: &Option<Vec<Option<String>>>| -> Option<Vec<Vec<read::Cell>>> {
        cols.as_ref().map(|cols| cols.iter().map(|c| read::cells(ds, c.as_deref(), &spec.dont_know_codes)).collect())
    };
    let (pre_cells, post_cells) = (read_cells(&pre_cols), read_cells(&post_cols));
    let observed: Vec<f64> = pre_cells
        .iter()
        .chain(post_cells.iter())
        .flatten()
        .flatten()
        .filter_map(|c| match c {
            read::Cell::Number(v) => Some(*v),
            _ => None,
        })
        .collect();
    let (min, max, range_note) = read::answer_range(spec, &observed, &who);
    notes.extend(range_note);
    let constant = spec.reverse_constant.unwrap_or(min + max);
    if spec.reverse_constant.is_some() && constant != min + max {
        notes.push(format!(
            "{who}: the reverse rule {} − x does not match the answer scale {} to {} (which would give {} − x); the rule is used as given.",
            fmt(constant),
            fmt(min),
            fmt(max),
            fmt(min + max)
        ));
    }
    let stray: Vec<String> = spec.reverse.iter().filter(|r| !numbers.contains(r)).map(|r| r.to_string()).collect();
    if !stray.is_empty() && !numbers.is_empty() {
        notes.push(format!(
            "{who}: reverse item(s) {} are not among the scale’s items, so they were ignored.",
            stray.join(", ")
        ));
    }
    let k = numbers.len();
    let min_answered = score::min_answered_count(spec.min_answered, k);
    let mut counts = CellCounts::default();

    let mut time_point = |cells: &Option<Vec<Vec<read::Cell>>>,
                          cols: &Option<Vec<Option<String>>>,
                          time: &str|
     -> Option<TimePoint> {
        let (cells, cols) = (cells.as_ref()?, cols.as_ref()?);
        let raw: Vec<Vec<Option<f64>>> = cells
            .iter()
            .zip(cols)
            .map(|(c, col)| read::answers(c, col.as_deref(), min, max, spec.dont_know, &mut counts, &mut diags))
            .collect();
        let mut scored = raw.clone();
        score::reverse_items(&mut scored, &numbers, &spec.reverse, constant);
        let scores = score::score_rows(&scored, ds.n_rows, min_answered, spec.method);
        let rel = reliability(&scored, ci_level);
        let alpha_raw = cronbach_alpha(&complete_cases(&raw));
        let stats: Vec<ItemStat> = numbers
            .iter()
            .enumerate()
            .map(|(j, &n)| {
                let answered: Vec<f64> = scored[j].iter().flatten().copied().collect();
                let ir = rel.items.get(j);
                ItemStat {
                    item: n,
                    column: cols[j].clone(),
                    reversed: spec.reverse.contains(&n),
                    n_answered: answered.len(),
                    mean: crate::core::stats::describe::mean(&answered),
                    sd: crate::core::stats::describe::sd(&answered),
                    item_rest_r: ir.and_then(|x| x.item_rest_r),
                    alpha_if_deleted: ir.and_then(|x| x.alpha_if_deleted),
                }
            })
            .collect();
        for s in &stats {
            if let Some(r) = s.item_rest_r.filter(|r| *r < 0.0) {
                let col = s.column.as_deref().map(|c| format!(" (“{c}”)")).unwrap_or_default();
                let hint = if s.reversed {
                    "It is scored reversed: check that it really is reverse-worded."
                } else {
                    "Is it reverse-worded? If so, add it to the reverse items."
                };
                notes.push(format!(
                    "{who}, {time}: item {}{col} correlates negatively with the rest of the scale (item-rest r = {:.2}). {hint}",
                    s.item, r
                ));
            }
        }
        if rel.alpha.is_none() && !numbers.is_empty() {
            notes.push(format!(
                "{who}: Cronbach’s alpha ({time}) is not computable: it needs at least 2 items and 2 participants who answered every item, with varying totals ({} such participants here).",
                rel.n_complete
            ));
        }
        Some(TimePoint { scores, rel, alpha_raw, stats })
    };
    let pre = time_point(&pre_cells, &pre_cols, "pre");
    let post = time_point(&post_cells, &post_cols, "post");

    if counts.dont_know > 0 {
        let how = match spec.dont_know {
            DontKnow::Missing => "left out as unanswered".to_string(),
            DontKnow::Value(v) => format!("scored as {}", fmt(v)),
        };
        notes.push(format!("{who}: {} “don't know” answers were {how}.", counts.dont_know));
    }
    if counts.out_of_range + counts.not_number > 0 {
        notes.push(format!(
            "{who}: {} answers outside {} to {} and {} non-numbers count as unanswered (each is listed with its row and column).",
            counts.out_of_range,
            fmt(min),
            fmt(max),
            counts.not_number
        ));
    }

    let scores = score_map(ds, id_column, pre.as_ref().map(|t| &t.scores), post.as_ref().map(|t| &t.scores));
    let preset = spec.preset.and_then(presets::find_preset);
    if let Some(p) = preset {
        notes.push(format!("{}: {}", p.name, p.note));
    }
    let n_scored = |t: &Option<TimePoint>| t.as_ref().map_or(0, |t| t.scores.iter().flatten().count());
    let result = ItemsResult {
        name: spec.name.clone(),
        preset: preset.map(|p| p.id.to_string()),
        preset_source: preset.map(|p| p.source.to_string()),
        method: Some(spec.method),
        k,
        item_numbers: numbers.clone(),
        reverse: spec.reverse.iter().copied().filter(|r| numbers.contains(r)).collect(),
        answer_min: min,
        answer_max: max,
        reverse_constant: constant,
        min_answered,
        dont_know: Some(spec.dont_know),
        n_pre_scored: n_scored(&pre),
        n_post_scored: n_scored(&post),
        alpha_pre: pre.as_ref().and_then(|t| t.rel.alpha),
        alpha_pre_n_complete: pre.as_ref().map_or(0, |t| t.rel.n_complete),
        alpha_pre_ci_low: pre.as_ref().and_then(|t| t.rel.ci).map(|c| c.0),
        alpha_pre_ci_high: pre.as_ref().and_then(|t| t.rel.ci).map(|c| c.1),
        alpha_pre_without_reversal: pre.as_ref().and_then(|t| t.alpha_raw),
        alpha_post: post.as_ref().and_then(|t| t.rel.alpha),
        alpha_post_n_complete: post.as_ref().map_or(0, |t| t.rel.n_complete),
        alpha_post_ci_low: post.as_ref().and_then(|t| t.rel.ci).map(|c| c.0),
        alpha_post_ci_high: post.as_ref().and_then(|t| t.rel.ci).map(|c| c.1),
        alpha_post_without_reversal: post.as_ref().and_then(|t| t.alpha_raw),
        alpha_ci_level: ci_level,
        items_pre: pre.as_ref().map(|t| t.stats.clone()).unwrap_or_default(),
        items_post: post.as_ref().map(|t| t.stats.clone()).unwrap_or_default(),
        n_dont_know: counts.dont_know,
        n_out_of_range: counts.out_of_range,
        n_not_number: counts.not_number,
        scores,
        notes,
        other_scales: Vec::new(),
    };
    ScaleScores { result, pre: pre.map(|t| t.scores), post: post.map(|t| t.scores), diagnostics: diags }
}

/// Scores keyed by participant id; rows with a blank or repeated id are keyed `row N`. A linked
/// table's participant codes (`link_code`, CONTRACT §5) never key the scores: the codes stay out
/// of the results, so its rows are keyed `row N` (rows of the linked table).
fn score_map(
    ds: &Dataset,
    id_column: Option<&str>,
    pre: Option<&Vec<Option<f64>>>,
    post: Option<&Vec<Option<f64>>>,
) -> BTreeMap<String, ScorePair> {
    let ids = id_column.filter(|c| *c != crate::core::ingest::link::LINK_CODE_COLUMN).and_then(|c| ds.column(c));
    let mut map = BTreeMap::new();
    for r in 0..ds.n_rows {
        let pair = ScorePair {
            pre: pre.and_then(|v| v.get(r).copied().flatten()),
            post: post.and_then(|v| v.get(r).copied().flatten()),
        };
        let id = ids
            .and_then(|c| c.cells.get(r))
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty() && !map.contains_key(s));
        map.insert(id.unwrap_or_else(|| format!("row {}", r + 1)), pair);
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ingest::read_csv;
    use serde_json::json;

    fn recipe(items: serde_json::Value) -> Recipe {
        Recipe { items: Some(items), ..Recipe::default() }
    }

    #[test]
    fn out_of_range_answer_is_located_and_unanswered() {
        let ds = read_csv(b"id,pre_q1,pre_q2,pre_q3\nA,1,2,9\nB,2,x,2\nC,3,3,3\n", "t.csv").unwrap();
        let s =
            score_items(&ds, &recipe(json!({"pre_prefix": "pre_q", "k": 3, "min_answered": 2, "min": 1, "max": 5})))
                .unwrap();
        let sc = &s.scales[0];
        // Row 1: 9 is outside 1–5, so the score is the mean of 1 and 2; row 2: "x" is not a number.
        assert_eq!(sc.pre, Some(vec![Some(1.5), Some(2.0), Some(3.0)]));
        let located: Vec<(Option<usize>, Option<&str>)> =
            sc.diagnostics.iter().map(|d| (d.row, d.column.as_deref())).collect();
        assert_eq!(located, vec![(Some(2), Some("pre_q2")), (Some(1), Some("pre_q3"))]);
        assert_eq!((sc.result.n_out_of_range, sc.result.n_not_number), (1, 1));
        assert!(sc.post.is_none());
    }

    #[test]
    fn negatively_correlating_item_is_flagged() {
        // Item 3 runs against items 1 and 2 (reverse-worded) but is not reversed.
        let ds = read_csv(b"q1,q2,q3\n1,1,5\n2,2,4\n3,3,3\n4,5,2\n5,4,1\n", "t.csv").unwrap();
        let r = score_items(&ds, &recipe(json!({"pre_columns": ["q1", "q2", "q3"]}))).unwrap().result().unwrap();
        assert!(r.items_pre[2].item_rest_r.unwrap() < 0.0);
        assert!(r.notes.iter().any(|n| n.contains("item 3") && n.contains("reverse-worded")), "{:?}", r.notes);
        // Reversed as it should be: no warning, and the reversal is 6 − x on the default 1–5 scale.
        let r = score_items(&ds, &recipe(json!({"pre_columns": ["q1", "q2", "q3"], "reverse": [3]})))
            .unwrap()
            .result()
            .unwrap();
        assert!(r.items_pre.iter().all(|i| i.item_rest_r.unwrap() > 0.0));
        assert!(!r.notes.iter().any(|n| n.contains("negatively")), "{:?}", r.notes);
        assert_eq!(r.reverse_constant, 6.0);
        // Row 1 scored by hand: (1 + 1 + (6 − 5)) / 3 = 1.
        assert_eq!(r.scores["row 1"].pre, Some(1.0));
    }

    #[test]
    fn presets_score_by_their_published_keys() {
        // SSOSH, everything answered 5: items 2, 4, 5, 7, 9 become 1; sum = 5×5 + 5×1 = 30.
        let ds = read_csv(b"s1,s2,s3,s4,s5,s6,s7,s8,s9,s10\n5,5,5,5,5,5,5,5,5,5\n", "t.csv").unwrap();
        let (pre, _) = scored_columns(&ds, &recipe(json!({"preset": "SSOSH", "pre_prefix": "s"}))).unwrap();
        assert_eq!(pre, Some(vec![Some(30.0)]));
        // ATSPPH-SF, answers all 3 on 0–3: items 2, 4, 8, 9, 10 become 0; total = 5×3 = 15.
        let ds =
            read_csv(b"a1,a2,a3,a4,a5,a6,a7,a8,a9,a10\n3,3,3,3,3,3,3,3,3,3\n0,0,0,0,0,0,0,0,0,0\n", "t.csv").unwrap();
        let r = score_items(&ds, &recipe(json!({"preset": "ATSPPH-SF", "pre_prefix": "a"}))).unwrap();
        assert_eq!(r.scales[0].pre, Some(vec![Some(15.0), Some(15.0)]));
        assert_eq!(r.scales[0].result.reverse_constant, 3.0);
        assert!(r.scales[0].result.preset_source.as_deref().unwrap_or("").contains("Fischer"));
        // RIBS: items 5–8 summed; "Don't know" = 3 by default, or missing (then 3 of 4 < 80%: not scored).
        let ds = read_csv("r1,r2,r3,r4,r5,r6,r7,r8\n1,2,1,2,5,Don’t know,4,2\n".as_bytes(), "t.csv").unwrap();
        let (pre, _) = scored_columns(&ds, &recipe(json!({"preset": "RIBS", "pre_prefix": "r"}))).unwrap();
        assert_eq!(pre, Some(vec![Some(14.0)])); // 5 + 3 + 4 + 2
        let (pre, _) =
            scored_columns(&ds, &recipe(json!({"preset": "RIBS", "pre_prefix": "r", "dont_know": "missing"}))).unwrap();
        assert_eq!(pre, Some(vec![None]));
    }

    #[test]
    fn apply_adds_score_columns_and_alpha_as_rxx() {
        let ds = read_csv(b"pre_q1,pre_q2,post_q1,post_q2\n1,2,1,1\n3,3,2,3\n4,5,4,4\n", "t.csv").unwrap();
        let a = apply(&ds, &recipe(json!({"pre_prefix": "pre_q", "post_prefix": "post_q"}))).unwrap();
        assert_eq!(a.recipe.columns.pre.as_deref(), Some("score_pre"));
        assert_eq!(a.recipe.columns.post.as_deref(), Some("score_post"));
        let (pre, _) = a.dataset.numeric("score_pre").unwrap();
        assert_eq!(pre, vec![Some(1.5), Some(3.0), Some(4.5)]);
        let alpha = a.items.as_ref().unwrap().alpha_pre.unwrap();
        assert_eq!(a.recipe.rci_inputs.as_ref().unwrap().rxx, Some(alpha));
        // Pre items (1,3,4) and (2,3,5): variances 7/3 and 7/3, totals (3,6,9) variance 9 →
        // alpha = 2 × (1 − (14/3)/9) = 26/27 (by hand; NumPy gives 0.962962962962963).
        assert!((alpha - 26.0 / 27.0).abs() < 1e-12);
        // A given pre column and rxx are kept.
        let mut r = recipe(json!({"pre_prefix": "pre_q", "post_prefix": "post_q"}));
        r.columns.pre = Some("pre_q1".into());
        r.rci_inputs = Some(RciInputs { rxx: Some(0.8), ..RciInputs::default() });
        let a = apply(&ds, &r).unwrap();
        assert_eq!(a.recipe.columns.pre.as_deref(), Some("pre_q1"));
        assert_eq!(a.recipe.columns.post.as_deref(), Some("score_post"));
        assert_eq!(a.recipe.rci_inputs.unwrap().rxx, Some(0.8));
        assert!(apply(&ds, &Recipe::default()).is_none());
    }

    #[test]
    fn several_scales_and_missing_columns() {
        let ds = read_csv(b"id,a1,a2,b1,b2\nP1,1,2,3,4\nP2,2,3,,5\n", "t.csv").unwrap();
        let mut r = recipe(json!([{"name": "A", "pre_prefix": "a"}, {"name": "B", "pre_prefix": "b", "k": 3}]));
        r.columns.id = Some("id".into());
        let res = score_items(&ds, &r).unwrap().result().unwrap();
        assert_eq!(res.name.as_deref(), Some("A"));
        assert_eq!(res.scores["P1"].pre, Some(1.5));
        let b = &res.other_scales[0];
        // b3 is not in the file: P1 answers 2 of 3 (< 80% → 3 needed), so nothing is scored.
        assert_eq!(b.n_pre_scored, 0);
        assert!(b.notes.iter().any(|n| n.contains("b3")), "{:?}", b.notes);
        let none = score_items(&ds, &recipe(json!({"k": 3}))).unwrap();
        assert!(none.all_notes().iter().any(|n| n.contains("name its item columns")));
    }
}
