//! Satisfaction and session quality: the distribution of each rating column (numbers, or
//! Likert text read through the dataset's value maps) and the share of answers at the top two
//! levels of the scale with Wilson intervals, overall, per arm and per subgroup.
//!
//! The top two levels are, in order of preference: the two highest numbers of the column's
//! value map (Likert text); the recipe's `process.satisfaction_max` and the level below it; or
//! the highest answer given and the level below it (said in the notes, since a scale whose top
//! nobody chose would then be read wrongly). Higher numbers are taken to mean more satisfied.

use super::common::{num, pct, Share};
use super::{at, RowData};
use crate::core::dataset::{normalise_answer, ValueMap};
use crate::core::stats::describe::{mean, sd};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One answer level of a rating column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RatingLevel {
    pub value: f64,
    /// The answer text of the value map for this number, when there is one.
    pub label: Option<String>,
    pub count: usize,
    pub share: f64,
}

/// Mean rating and top-two share of one group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RatingGroup {
    pub n: usize,
    pub mean: Option<f64>,
    pub top_two: Share,
}

/// `results.process.satisfaction[]`: one rating column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SatisfactionItem {
    pub column: String,
    /// Rows (in an arm) with a usable rating.
    pub n: usize,
    pub n_missing: usize,
    /// Every answer level given, lowest first.
    pub levels: Vec<RatingLevel>,
    pub mean: Option<f64>,
    pub sd: Option<f64>,
    pub median: Option<f64>,
    /// The two numbers counted as "top two" (highest first).
    pub top_values: Vec<f64>,
    /// Where they come from: `value_map`, `recipe` or `highest_answer`.
    pub top_source: String,
    pub top_two: Share,
    /// `all` for single-group files; both arms and `all` otherwise.
    pub by_arm: BTreeMap<String, RatingGroup>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub by_subgroup: BTreeMap<String, RatingGroup>,
    pub reading: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// Rating wordings the file reader does not know (it knows agree and likely scales), lowest
/// point first; each point lists the spellings accepted (compared ignoring case and spaces).
const WORDINGS: &[(&str, &[&[&str]])] = &[
    (
        "5-point satisfaction scale",
        &[
            &["very dissatisfied", "very unsatisfied", "extremely dissatisfied"],
            &["dissatisfied", "unsatisfied", "somewhat dissatisfied"],
            &["neutral", "neither satisfied nor dissatisfied", "neither satisfied or dissatisfied"],
            &["satisfied", "somewhat satisfied"],
            &["very satisfied", "extremely satisfied"],
        ],
    ),
    ("5-point quality scale", &[&["poor"], &["fair"], &["good"], &["very good"], &["excellent"]]),
    (
        "5-point helpfulness scale",
        &[
            &["not at all helpful", "not helpful"],
            &["slightly helpful", "a little helpful"],
            &["moderately helpful", "somewhat helpful"],
            &["very helpful"],
            &["extremely helpful"],
        ],
    ),
];

/// A text → number map for a rating column written in a satisfaction, quality or helpfulness
/// wording ("Very satisfied", "Good", "Very helpful"), when every answer fits one scale.
/// The map lists the whole scale, with the file's spelling where the file has it.
pub fn wording_map(column: &str, answers: &[Option<String>]) -> Option<ValueMap> {
    let given: Vec<&String> = answers.iter().flatten().collect();
    if given.is_empty() {
        return None;
    }
    for (name, points) in WORDINGS {
        let point_of = |a: &str| -> Option<usize> {
            let k = normalise_answer(a);
            points.iter().position(|words| words.iter().any(|w| *w == k))
        };
        if !given.iter().all(|a| point_of(a).is_some()) {
            continue;
        }
        let mut entries: Vec<(String, f64)> = Vec::new();
        for (i, words) in points.iter().enumerate() {
            let v = (i + 1) as f64;
            let mut spelled: Vec<String> = Vec::new();
            for a in &given {
                if point_of(a) == Some(i) && !spelled.iter().any(|s| normalise_answer(s) == normalise_answer(a)) {
                    spelled.push((*a).clone());
                }
            }
            for w in words.iter() {
                if !spelled.iter().any(|s| normalise_answer(s) == *w) {
                    let mut c = w.chars();
                    spelled.push(c.next().map_or(String::new(), |f| f.to_uppercase().chain(c).collect()));
                }
            }
            entries.extend(spelled.into_iter().map(|s| (s, v)));
        }
        return Some(ValueMap {
            column: column.to_string(),
            description: (*name).to_string(),
            entries,
            missing: Vec::new(),
        });
    }
    None
}

/// The two top numbers of the scale and where they come from.
fn top_values(values: &[f64], map: Option<&ValueMap>, scale_max: Option<f64>) -> Option<(Vec<f64>, &'static str)> {
    if let Some(m) = map {
        let mut v: Vec<f64> = m.entries.iter().map(|e| e.1).filter(|x| x.is_finite()).collect();
        v.sort_by(|a, b| b.total_cmp(a));
        v.dedup();
        if !v.is_empty() {
            v.truncate(2);
            return Some((v, "value_map"));
        }
    }
    if let Some(max) = scale_max.filter(|m| m.is_finite()) {
        return Some((vec![max, max - 1.0], "recipe"));
    }
    let max = values.iter().copied().filter(|v| v.is_finite()).fold(f64::NEG_INFINITY, f64::max);
    max.is_finite().then(|| (vec![max, max - 1.0], "highest_answer"))
}

fn group(values: &[f64], threshold: Option<f64>, alpha: f64) -> RatingGroup {
    let top = threshold.map_or(0, |t| values.iter().filter(|v| **v >= t - 1e-9).count());
    RatingGroup { n: values.len(), mean: mean(values), top_two: Share::new(top, values.len(), alpha) }
}

/// One rating column. `ratings` holds its per-row numbers (after the value map).
pub fn satisfaction_item(
    data: &RowData,
    column: &str,
    ratings: &[Option<f64>],
    map: Option<&ValueMap>,
    scale_max: Option<f64>,
) -> SatisfactionItem {
    let alpha = data.alpha;
    let arms = data.arms;
    let in_arm: Vec<usize> = (0..arms.of_row.len()).filter(|&i| arms.of_row[i].is_some()).collect();
    let values: Vec<f64> = in_arm.iter().filter_map(|&i| at(ratings, i)).collect();
    let n = values.len();
    let mut notes = Vec::new();
    let top = top_values(&values, map, scale_max);
    let threshold = top.as_ref().and_then(|(v, _)| v.last().copied());
    if let Some((v, "highest_answer")) = &top {
        notes.push(format!(
            "“{column}”: the top two levels are taken as {} and {}, from the highest answer given; set the scale's maximum (process.satisfaction_max) if nobody chose the top of the scale.",
            num(v[0], 2),
            num(v[1], 2)
        ));
    }
    // Levels given, lowest first.
    let mut sorted = values.clone();
    sorted.sort_by(f64::total_cmp);
    let mut levels: Vec<RatingLevel> = Vec::new();
    for v in &sorted {
        match levels.last_mut() {
            Some(l) if l.value == *v => l.count += 1,
            _ => levels.push(RatingLevel {
                value: *v,
                label: map.and_then(|m| m.entries.iter().find(|e| e.1 == *v).map(|e| e.0.clone())),
                count: 1,
                share: 0.0,
            }),
        }
    }
    for l in &mut levels {
        l.share = l.count as f64 / n as f64;
    }
    let overall = group(&values, threshold, alpha);
    let mut by_arm = BTreeMap::new();
    for (a, name) in arms.names.iter().enumerate() {
        let v: Vec<f64> =
            (0..arms.of_row.len()).filter(|&i| arms.of_row[i] == Some(a)).filter_map(|i| at(ratings, i)).collect();
        by_arm.insert(name.to_string(), group(&v, threshold, alpha));
    }
    if arms.names.len() == 2 {
        by_arm.insert("all".into(), overall.clone());
    }
    let mut by_subgroup = BTreeMap::new();
    if let Some(sub) = data.subgroup {
        let mut per: BTreeMap<String, Vec<f64>> = BTreeMap::new();
        for &i in &in_arm {
            if let (Some(level), Some(v)) = (sub.get(i).cloned().flatten(), at(ratings, i)) {
                per.entry(level).or_default().push(v);
            }
        }
        for (level, v) in per {
            by_subgroup.insert(level, group(&v, threshold, alpha));
        }
    }
    let reading = match (overall.top_two.share, &top) {
        (Some(s), Some((tv, _))) => {
            let label = |v: f64| {
                map.and_then(|m| m.entries.iter().find(|e| e.1 == v).map(|e| format!("“{}”", e.0)))
                    .unwrap_or_else(|| num(v, 2))
            };
            let names: Vec<String> = tv.iter().map(|v| label(*v)).collect();
            let ci = match (overall.top_two.ci_low, overall.top_two.ci_high) {
                (Some(l), Some(h)) => format!(" ({}% CI {} to {})", ((1.0 - alpha) * 100.0).round(), pct(l), pct(h)),
                _ => String::new(),
            };
            format!(
                "{} of the {n} people who answered “{column}” chose one of the top two levels ({}){ci}.",
                pct(s),
                names.join(" or ")
            )
        }
        _ => format!("Nobody has a usable answer in “{column}”."),
    };
    SatisfactionItem {
        column: column.to_string(),
        n,
        n_missing: in_arm.len() - n,
        levels,
        mean: mean(&values),
        sd: sd(&values),
        median: super::common::quantile_sorted(&sorted, 0.5),
        top_values: top.as_ref().map(|t| t.0.clone()).unwrap_or_default(),
        top_source: top.map(|t| t.1.to_string()).unwrap_or_default(),
        top_two: overall.top_two,
        by_arm,
        by_subgroup,
        reading,
        notes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::analyses::Arms;

    fn data<'a>(arms: &'a Arms, sub: Option<&'a [Option<String>]>) -> RowData<'a> {
        RowData { arms, subgroup: sub, subgroup_name: Some("s"), pre: None, post: None, followup: None, alpha: 0.05 }
    }

    #[test]
    fn likert_text_top_two_from_the_value_map() {
        let map = ValueMap {
            column: "q".into(),
            description: "agree".into(),
            entries: vec![
                ("Strongly disagree".into(), 1.0),
                ("Disagree".into(), 2.0),
                ("Neutral".into(), 3.0),
                ("Agree".into(), 4.0),
                ("Strongly agree".into(), 5.0),
            ],
            missing: Vec::new(),
        };
        let arms = Arms::new(vec!["all"], vec![Some(0); 6]);
        let r = vec![Some(5.0), Some(4.0), Some(4.0), Some(2.0), None, Some(3.0)];
        let item = satisfaction_item(&data(&arms, None), "q", &r, Some(&map), None);
        assert_eq!((item.n, item.n_missing), (5, 1));
        assert_eq!(item.top_values, vec![5.0, 4.0]);
        assert_eq!(item.top_source, "value_map");
        assert_eq!(item.top_two.count, 3);
        // 3 of 5: Wilson interval as R 4.2.2 prop.test(3, 5, correct = FALSE)$conf.int
        //   = 0.23072428127601299, 0.88237922576735195.
        assert!((item.top_two.ci_low.unwrap() - 0.23072428127601299).abs() < 1e-12, "{:?}", item.top_two.ci_low);
        assert!((item.top_two.ci_high.unwrap() - 0.88237922576735195).abs() < 1e-12, "{:?}", item.top_two.ci_high);
        assert_eq!(
            item.levels.iter().map(|l| (l.value, l.count)).collect::<Vec<_>>(),
            vec![(2.0, 1), (3.0, 1), (4.0, 2), (5.0, 1)]
        );
        assert_eq!(item.levels[2].label.as_deref(), Some("Agree"));
        assert_eq!(item.median, Some(4.0));
        assert!(item.reading.starts_with("60% of the 5"), "{}", item.reading);
        assert!(item.reading.contains("“Strongly agree” or “Agree”"));
    }

    #[test]
    fn numbers_per_arm_and_subgroup() {
        let arms = Arms::new(vec!["intervention", "control"], vec![Some(0), Some(0), Some(1), Some(1), None]);
        let sub = vec![Some("a".to_string()), Some("b".into()), Some("a".into()), None, Some("a".into())];
        let r = vec![Some(10.0), Some(7.0), Some(9.0), Some(8.0), Some(10.0)];
        let item = satisfaction_item(&data(&arms, Some(&sub)), "quality", &r, None, Some(10.0));
        assert_eq!(item.top_source, "recipe");
        assert_eq!(item.n, 4, "the row in no arm is left out");
        assert_eq!(item.by_arm["intervention"].top_two.count, 1);
        assert_eq!(item.by_arm["control"].top_two.count, 1);
        assert_eq!(item.by_arm["all"].top_two.share, Some(0.5));
        assert_eq!(item.by_subgroup["a"].n, 2);
        assert_eq!(item.by_subgroup["a"].top_two.count, 2);
        assert_eq!(item.by_subgroup["b"].mean, Some(7.0));
        // Without a maximum, the highest answer is the top, and a note says so.
        let h = satisfaction_item(&data(&arms, None), "quality", &r, None, None);
        assert_eq!(h.top_values, vec![10.0, 9.0]);
        assert!(h.notes[0].contains("highest answer"));
    }

    #[test]
    fn satisfaction_wording_is_recognised() {
        let answers = vec![
            Some("Very satisfied".to_string()),
            Some("satisfied".into()),
            None,
            Some("Neither satisfied nor dissatisfied".into()),
        ];
        let m = wording_map("r", &answers).unwrap();
        assert_eq!(m.lookup("VERY SATISFIED"), Some(5.0));
        assert_eq!(m.lookup("satisfied"), Some(4.0));
        assert_eq!(m.lookup("Very dissatisfied"), Some(1.0));
        // The file's spelling is the label.
        assert_eq!(m.entries.iter().find(|e| e.1 == 4.0).map(|e| e.0.as_str()), Some("satisfied"));
        assert_eq!(
            wording_map("q", &[Some("Good".into()), Some("Excellent".into())]).unwrap().lookup("excellent"),
            Some(5.0)
        );
        assert!(wording_map("x", &[Some("Good".into()), Some("Satisfied".into())]).is_none());
        assert!(wording_map("x", &[None]).is_none());
    }

    #[test]
    fn no_answers_is_not_computable() {
        let arms = Arms::new(vec!["all"], vec![Some(0); 3]);
        let item = satisfaction_item(&data(&arms, None), "q", &[None, None, None], None, None);
        assert_eq!((item.n, item.top_two.share, item.top_two.ci_low, item.mean), (0, None, None, None));
        assert!(item.levels.is_empty() && item.top_values.is_empty());
        assert!(!serde_json::to_string(&item).unwrap().contains("NaN"));
    }
}
