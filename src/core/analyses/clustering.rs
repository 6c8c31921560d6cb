//! Clustering (issue 6, "plan from my data"): when the recipe names a cluster column (school,
//! class, site, congregation, ...), how alike people in the same cluster answered: ICC(1) of
//! the pre scores, and of the post scores when there are any (`crate::core::stats::icc`). The
//! pre-score ICC is the value to pre-fill the cluster-trial planner with.

use super::{Analysis, Arms};
use crate::core::dataset::Dataset;
use crate::core::recipe::{Recipe, CLUSTER_WORDS};
use crate::core::stats::icc::{icc_oneway, IccStats};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Fewer clusters than this get a note that the ICC is imprecise.
pub const FEW_CLUSTERS: usize = 10;

/// `results.clustering`: the ICC of one score by the cluster column, with a plain reading.
///
/// Shape (the ICC statistics are flattened in):
/// ```json
/// {"column": "school", "outcome": "pre", "score_column": "stigma_pre",
///  "icc": 0.06, "ci_low": 0.01, "ci_high": 0.15, "conf_level": 0.95,
///  "n_clusters": 12, "n_people": 211, "mean_cluster_size": 17.6, "n0": 17.3,
///  "msb": 128.4, "msw": 29.9, "f": 4.29, "df_between": 11, "df_within": 199,
///  "reason": "... (only when not computable)",
///  "reading": "People in the same school answered more alike than ...",
///  "notes": ["..."],
///  "post": {same keys with "outcome": "post", no "post" of its own}}
/// ```
/// The top level is the pre scores' ICC (`outcome: "pre"`), the one to plan with; `post` is
/// there when post scores exist too. With post scores only, the top level is theirs
/// (`outcome: "post"`) and there is no `post` key. Rows are those the analysis uses (both arms
/// or the single group) with a score and a non-missing cluster cell; `null` statistics are not
/// computable, with the reason in `reason` and `reading`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Clustering {
    /// The cluster column.
    pub column: String,
    /// "pre" or "post": which score the ICC is of.
    pub outcome: String,
    /// The column the scores came from (a derived column for scored item scales).
    #[serde(default)]
    pub score_column: Option<String>,
    #[serde(flatten)]
    pub stats: IccStats,
    /// One plain sentence (or two) saying what the ICC means.
    pub reading: String,
    /// What was left out and how far to trust it.
    #[serde(default)]
    pub notes: Vec<String>,
    /// The post scores' ICC, beside the pre scores'.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post: Option<Box<Clustering>>,
}

/// The singular and plural word for a cluster column's units ("school" / "schools"); "cluster"
/// when the name says nothing more specific.
pub fn cluster_nouns(column: &str) -> (String, String) {
    let l = column.to_lowercase();
    let toks: Vec<&str> = l.split(|c: char| !c.is_ascii_alphanumeric()).filter(|t| !t.is_empty()).collect();
    let one = toks
        .iter()
        .find(|t| CLUSTER_WORDS.contains(t))
        .map(|t| t.to_string())
        .or_else(|| (toks.first() == Some(&"group")).then(|| "group".to_string()))
        .unwrap_or_else(|| "cluster".to_string());
    let many = if one.ends_with('s') || one.ends_with("ch") || one.ends_with("sh") || one.ends_with('x') {
        format!("{one}es")
    } else {
        format!("{one}s")
    };
    (one, many)
}

/// A number for sentences: 3 decimals (an ICC is often a few hundredths).
fn num(v: f64) -> String {
    let s = format!("{v:.3}");
    if s == "-0.000" {
        "0.000".into()
    } else {
        s
    }
}

/// The reading of one ICC. `plan` adds the planning sentence (the pre scores' ICC).
fn reading(s: &IccStats, one: &str, many: &str, outcome: &str, plan: bool) -> String {
    let Some(icc) = s.icc else {
        let why = s.reason.as_deref().unwrap_or("there are too few data.");
        return format!("The ICC of the {outcome} scores by {one} could not be computed: {why}");
    };
    let level = (s.conf_level * 100.0).round();
    let interval = match (s.ci_low, s.ci_high) {
        (Some(lo), Some(hi)) => format!("({level}% CI {} to {})", num(lo), num(hi)),
        _ => "(no interval could be computed)".to_string(),
    };
    let when = if outcome == "post" { "After the program, people" } else { "People" };
    if icc > 0.0 {
        let use_it = if plan { " Use it as the ICC when planning a cluster trial." } else { "" };
        format!(
            "{when} in the same {one} answered more alike than people in different {many}: ICC {} {interval}.{use_it}",
            num(icc)
        )
    } else {
        let use_it = if plan {
            " When planning a cluster trial, a small positive ICC is the cautious choice rather than 0."
        } else {
            ""
        };
        format!(
            "{when} in the same {one} answered no more alike than people in different {many}: ICC {} {interval}. An estimate at or below 0 is what chance gives when the true ICC is near 0, so it probably is near 0.{use_it}",
            num(icc)
        )
    }
}

/// The ICC of one score by cluster over the analysis' rows, with its reading and notes.
#[allow(clippy::too_many_arguments)]
fn one_score(
    column: &str,
    outcome: &str,
    score_column: Option<&str>,
    arms: &Arms,
    level_of_row: &[Option<String>],
    scores: &[f64],
    alpha: f64,
    plan: bool,
) -> Clustering {
    let (one, many) = cluster_nouns(column);
    let mut by_level: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    let mut no_cluster = 0usize;
    for (i, arm) in arms.of_row.iter().enumerate() {
        let Some(v) = arm.and(crate::core::dataset::at(scores, i)) else { continue };
        match level_of_row.get(i).and_then(|l| l.as_deref()) {
            Some(level) => by_level.entry(level).or_default().push(v),
            None => no_cluster += 1,
        }
    }
    let clusters: Vec<Vec<f64>> = by_level.into_values().collect();
    let stats = icc_oneway(&clusters, alpha);
    let mut notes = Vec::new();
    if no_cluster > 0 {
        let people = if no_cluster == 1 { "1 person".to_string() } else { format!("{no_cluster} people") };
        notes.push(format!(
            "{people} with a {outcome} score but no {one} (blank or a missing code in “{column}”) {} left out of the ICC.",
            if no_cluster == 1 { "is" } else { "are" }
        ));
    }
    if let Some(icc) = stats.icc {
        if icc <= 0.0 {
            notes.push(format!(
                "The ICC estimate is {}, {}. It is reported as it is: the true ICC is probably near 0.",
                num(icc),
                if icc < 0.0 { "below 0" } else { "exactly 0" }
            ));
        }
        if stats.n_clusters < FEW_CLUSTERS {
            notes.push(format!(
                "Only {} {many}: an ICC from so few clusters is imprecise, as the width of its interval shows.",
                stats.n_clusters
            ));
        }
        let singles = clusters.iter().filter(|c| c.len() == 1).count();
        if singles > 0 {
            notes.push(format!(
                "{singles} {} only one person with a {outcome} score; {} still counted in the between-{one} spread.",
                if singles == 1 { format!("{one} has") } else { format!("{many} have") },
                if singles == 1 { "it is" } else { "they are" }
            ));
        }
    }
    let reading = reading(&stats, &one, &many, outcome, plan);
    Clustering {
        column: column.to_string(),
        outcome: outcome.to_string(),
        score_column: score_column.map(str::to_string),
        stats,
        reading,
        notes,
        post: None,
    }
}

/// Fills `results.clustering` when the recipe names a cluster column.
pub fn fill(ds: &Dataset, recipe: &Recipe, arms: &Arms, pre: Option<&[f64]>, post: Option<&[f64]>, out: &mut Analysis) {
    let Some(column) = recipe.columns.cluster.as_deref() else { return };
    let Some(levels) = ds.text(column) else {
        out.notes.push(format!("The cluster column “{column}” is not in this file."));
        return;
    };
    let alpha = recipe.alpha();
    let two_arms = arms.names.len() == 2;
    let pre_icc = pre.map(|p| one_score(column, "pre", recipe.columns.pre.as_deref(), arms, &levels, p, alpha, true));
    let post_icc = post.map(|p| {
        let mut c = one_score(column, "post", recipe.columns.post.as_deref(), arms, &levels, p, alpha, pre.is_none() && !two_arms);
        if two_arms && c.stats.icc.is_some() {
            let (one, many) = cluster_nouns(column);
            c.notes.push(format!(
                "The post scores include the program's effect: where whole {many} were in the program, it adds to the differences between {many}. Plan with the pre-score ICC when there is one (here by {one})."
            ));
        }
        c
    });
    out.results.clustering = match (pre_icc, post_icc) {
        (Some(mut p), q) => {
            p.post = q.map(Box::new);
            Some(p)
        }
        (None, Some(q)) => Some(q),
        (None, None) => {
            out.notes.push(format!(
                "Choose a pre or post score column to see how alike people in the same “{column}” answered."
            ));
            None
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::analyses::analyse;
    use crate::core::ingest::read_csv;

    #[test]
    fn nouns_from_column_names() {
        assert_eq!(cluster_nouns("School ID"), ("school".into(), "schools".into()));
        assert_eq!(cluster_nouns("class"), ("class".into(), "classes".into()));
        assert_eq!(cluster_nouns("church_name"), ("church".into(), "churches".into()));
        assert_eq!(cluster_nouns("group_id"), ("group".into(), "groups".into()));
        assert_eq!(cluster_nouns("ward"), ("cluster".into(), "clusters".into()));
    }

    #[test]
    fn small_file_with_a_school_column() {
        // R: y <- c(1,2,3, 4,6, 5,7,8,9); g <- rep(c("A","B","C"), c(3,2,4)): ICC 0.77788944723618092
        let csv = "school,group,pre,post\nA,intervention,1,1\nA,control,2,2\nA,intervention,3,2\nB,control,4,3\nB,intervention,6,4\n\
                   C,control,5,5\nC,intervention,7,6\nC,control,8,8\nC,intervention,9,7\nNA,control,3,3\n,intervention,4,\n";
        let ds = read_csv(csv.as_bytes(), "t.csv").unwrap();
        let mut r = Recipe::default();
        r.suggest_columns_from(&ds);
        assert_eq!(r.columns.cluster.as_deref(), Some("school"));
        let a = analyse(&ds, &r);
        let c = a.results.clustering.as_ref().unwrap();
        assert_eq!(
            (c.column.as_str(), c.outcome.as_str(), c.stats.n_clusters, c.stats.n_people),
            ("school", "pre", 3, 9)
        );
        assert!((c.stats.icc.unwrap() - 0.77788944723618092).abs() < 1e-12, "{c:?}");
        assert!(
            c.reading.starts_with(
                "People in the same school answered more alike than people in different schools: ICC 0.778 (95% CI"
            ),
            "{}",
            c.reading
        );
        assert!(c.reading.ends_with("Use it as the ICC when planning a cluster trial."));
        assert!(c.notes.iter().any(|n| n.starts_with("2 people with a pre score but no school")), "{:?}", c.notes);
        let post = c.post.as_ref().unwrap();
        assert_eq!((post.outcome.as_str(), post.stats.n_people), ("post", 9));
        assert!(
            post.notes
                .iter()
                .any(|n| n.starts_with("1 person with a post score but no school")
                    && n.ends_with("is left out of the ICC.")),
            "{:?}",
            post.notes
        );
        assert!(post.notes.iter().any(|n| n.contains("program's effect")));
        // Without a cluster column there is no section.
        r.columns.cluster = None;
        assert!(analyse(&ds, &r).results.clustering.is_none());
    }

    #[test]
    fn not_computable_and_negative_readings() {
        let ds = read_csv(b"site,pre\nA,1\nA,2\nA,3\n", "t.csv").unwrap();
        let r = Recipe::from_json(r#"{"columns":{"pre":"pre","cluster":"site"}}"#).unwrap();
        let c = analyse(&ds, &r).results.clustering.unwrap();
        assert!(c.stats.icc.is_none() && c.post.is_none());
        assert_eq!(c.reading, "The ICC of the pre scores by site could not be computed: it needs people in at least 2 clusters, and there is 1.");
        let json = serde_json::to_string(&c).unwrap();
        assert!(json.contains("\"icc\":null") && !json.contains("NaN"), "{json}");

        let ds = read_csv(b"team,pre\nA,1\nA,5\nA,3\nB,2\nB,4\nB,3.5\nC,5\nC,1.5\n", "t.csv").unwrap();
        let r = Recipe::from_json(r#"{"columns":{"pre":"pre","cluster":"team"}}"#).unwrap();
        let c = analyse(&ds, &r).results.clustering.unwrap();
        assert!(c.stats.icc.unwrap() < 0.0);
        assert!(
            c.reading
                .starts_with("People in the same team answered no more alike than people in different teams: ICC -0."),
            "{}",
            c.reading
        );
        assert!(c.notes.iter().any(|n| n.contains("probably near 0")), "{:?}", c.notes);

        let r = Recipe::from_json(r#"{"columns":{"pre":"pre","cluster":"nope"}}"#).unwrap();
        let a = analyse(&ds, &r);
        assert!(a.results.clustering.is_none() && a.notes.iter().any(|n| n.contains("“nope”")));
    }

    #[test]
    fn round_trips_through_json() {
        let ds = read_csv(b"class,pre,post\nA,1,2\nA,2,2\nB,4,5\nB,6,5\nC,3,3\nC,4,6\n", "t.csv").unwrap();
        let r = Recipe::from_json(r#"{"columns":{"pre":"pre","post":"post","cluster":"class"}}"#).unwrap();
        let a = analyse(&ds, &r);
        let v = serde_json::to_value(&a.results).unwrap();
        assert_eq!(v["clustering"]["outcome"], "pre");
        assert_eq!(v["clustering"]["post"]["outcome"], "post");
        assert!(v["clustering"]["post"].get("post").is_none());
        let back: crate::core::results::Results = serde_json::from_value(v).unwrap();
        assert_eq!(back.clustering, a.results.clustering);
    }
}
