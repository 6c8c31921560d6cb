//! Property tests of the change analysis on a reference data set: relabelling the arms flips
//! every group difference, reordering rows changes nothing, and shifting every score by a
//! constant changes no test statistic.

use crate::support::reference_dir;
use lantern::core::analyses::{analyse, Analysis};
use lantern::core::ingest::read_csv;
use lantern::core::recipe::Recipe;
use serde_json::Value;

fn load(case: &str) -> (String, Recipe) {
    let dir = reference_dir().join("analysis");
    let spec = std::fs::read_to_string(dir.join(format!("{case}.json"))).unwrap();
    let csv = std::fs::read_to_string(dir.join(format!("{case}.csv"))).unwrap();
    (csv, Recipe::from_json(&spec).unwrap())
}

fn run(csv: &str, recipe: &Recipe) -> Analysis {
    analyse(&read_csv(csv.as_bytes(), "x.csv").unwrap(), recipe)
}

fn close(a: Option<f64>, b: Option<f64>, what: &str) {
    match (a, b) {
        (Some(x), Some(y)) => assert!((x - y).abs() <= 1e-9 * (1.0 + x.abs()), "{what}: {x} vs {y}"),
        (None, None) => {}
        other => panic!("{what}: {other:?}"),
    }
}

/// Rewrites one column of a CSV (header line kept) with `f`.
fn map_column(csv: &str, col: &str, f: impl Fn(&str) -> String) -> String {
    let mut lines = csv.lines();
    let header = lines.next().unwrap();
    let idx = header.split(',').position(|h| h == col).unwrap();
    let mut out = format!("{header}\n");
    for line in lines {
        let mut cells: Vec<String> = line.split(',').map(String::from).collect();
        cells[idx] = f(&cells[idx]);
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

#[test]
fn swapping_arms_flips_group_differences() {
    let (csv, recipe) = load("p05_trial_n80_missing_fu");
    let swapped = map_column(&csv, "group", |g| match g {
        "intervention" => "control".into(),
        "control" => "intervention".into(),
        other => other.into(),
    });
    let (a, b) = (run(&csv, &recipe).results, run(&swapped, &recipe).results);
    let (p, q) = (a.two_group_post.unwrap(), b.two_group_post.unwrap());
    close(p.mean_diff, q.mean_diff.map(|v| -v), "mean_diff");
    close(p.cohen_d, q.cohen_d.map(|v| -v), "cohen_d");
    close(p.hedges_g, q.hedges_g.map(|v| -v), "hedges_g");
    close(p.welch_p, q.welch_p, "welch_p");
    close(a.ancova.as_ref().unwrap().coef_group, b.ancova.as_ref().unwrap().coef_group.map(|v| -v), "ancova");
    let (h, k) = (a.help_between_post.unwrap(), b.help_between_post.unwrap());
    close(h.rd, k.rd.map(|v| -v), "risk difference");
    close(h.fisher_p, k.fisher_p, "fisher");
    assert_eq!(a.paired["intervention"], b.paired["control"], "per-arm results move with the label");
}

#[test]
fn reordering_rows_changes_nothing() {
    let (csv, recipe) = load("p07_trial_n200_subgroups");
    let mut lines: Vec<&str> = csv.lines().collect();
    let header = lines.remove(0);
    lines.reverse();
    lines.rotate_left(37);
    let shuffled = format!("{header}\n{}\n", lines.join("\n"));
    let a = serde_json::to_value(run(&csv, &recipe).results).unwrap();
    let b = serde_json::to_value(run(&shuffled, &recipe).results).unwrap();
    let mut n = 0;
    compare_values(&a, &b, "", &mut n);
    assert!(n > 300, "{n} values compared");
}

fn compare_values(a: &Value, b: &Value, path: &str, n: &mut usize) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            assert_eq!(x.len(), y.len(), "{path}");
            for (k, v) in x {
                compare_values(v, &y[k], &format!("{path}.{k}"), n);
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            assert_eq!(x.len(), y.len(), "{path}");
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                compare_values(v, w, &format!("{path}[{i}]"), n);
            }
        }
        (Value::Number(x), Value::Number(y)) => {
            *n += 1;
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            assert!((x - y).abs() <= 1e-9 * (1.0 + x.abs()), "{path}: {x} vs {y}");
        }
        _ => assert_eq!(a, b, "{path}"),
    }
}

#[test]
fn adding_a_constant_to_pre_and_post_changes_no_test() {
    let (csv, recipe) = load("p11_trial_n20_exact_ranks");
    let shift = |c: &str| c.parse::<f64>().map(|v| format!("{}", v + 7.0)).unwrap_or_else(|_| c.to_string());
    let shifted = map_column(&map_column(&csv, "stigma_pre", shift), "stigma_post", shift);
    let (a, b) = (run(&csv, &recipe).results, run(&shifted, &recipe).results);
    for arm in ["intervention", "control"] {
        let (p, q) = (&a.paired[arm], &b.paired[arm]);
        close(p.t, q.t, "t");
        close(p.p, q.p, "p");
        close(p.mean_diff, q.mean_diff, "mean_diff");
        close(p.wilcoxon_V, q.wilcoxon_V, "V");
        close(p.wilcoxon_p_R_default, q.wilcoxon_p_R_default, "wilcoxon p");
        close(p.mean_pre.map(|m| m + 7.0), q.mean_pre, "means move with the shift");
    }
    let (c, d) = (a.two_group_change.unwrap(), b.two_group_change.unwrap());
    close(c.welch_t, d.welch_t, "change welch t");
    close(c.mw_W, d.mw_W, "change W");
    close(a.ancova.as_ref().unwrap().t_group, b.ancova.as_ref().unwrap().t_group, "ancova t");
}

#[test]
fn p07_report_states_the_subgroup_test_before_any_ranking() {
    // Issue 20: the report of p07 no longer ranks subgroups without the interaction test.
    // R (CONTRACT §7: the levels with ≥ 2 people with both scores in each arm, 18-24, 25-34 and
    //   35-54; 55+ has 1 in control, 4 rows have no band):
    //   anova(lm(change ~ group + age_band), lm(change ~ group * age_band)) → F(2, 155) = 0.4305,
    //   p = 0.650932, n = 161.
    let (csv, recipe) = load("p07_trial_n200_subgroups");
    let ds = read_csv(csv.as_bytes(), "p07.csv").unwrap();
    let a = analyse(&ds, &recipe);
    let report = lantern::core::present::report::report(&a.results, &ds.summary(), &recipe);
    let for_whom = report.summary.iter().find(|s| s.starts_with("For whom")).expect("a For whom sentence");
    assert!(
        for_whom.starts_with(
            "For whom: the data do not show that the change differs between subgroups (test of whether the program's effect differs between subgroups, p = 0.651)."
        ),
        "{for_whom}"
    );
    // Any best or worst level comes after the test, as description only.
    let test_at = for_whom.find("p = 0.651").unwrap();
    for word in ["best", "largest", "most"] {
        if let Some(i) = for_whom.find(word) {
            assert!(i > test_at, "“{word}” before the test: {for_whom}");
        }
    }
    assert!(for_whom.contains("As a description only"), "{for_whom}");
}
