//! Issue 20, item 6: the edge cases of the mixed model, the subgroup tests and the drop-out
//! sensitivity give `null` with a reason, never a crash or NaN — nobody with two waves, a single
//! subgroup level, a level with one person, a participant variance estimated at zero (the
//! boundary: said so, results as the REML fit gives). The same three files go through the page
//! in `tests/e2e/waves.test.mjs` (built there by the same formulas).

use lantern::core::analyses::{analyse, Analysis};
use lantern::core::ingest::read_csv;
use lantern::core::present::dropout::{forest_test_line, interaction_reading, mixed_reading, tipping_reading};
use lantern::core::present::report::report_for_analysis;
use lantern::core::recipe::Recipe;

const RECIPE: &str = r#"{
  "columns": {"id": "id", "group": "group", "pre": "score_pre", "post": "score_post", "subgroup": "band"},
  "group_levels": {"intervention": "intervention", "control": "control"},
  "scale": {"min": 1, "max": 5, "lower_is_better": true}
}"#;

/// 20 rows, arms alternating (intervention first); `pre(i)`, `post(i)` the score cells (`None`
/// = blank), `band(i)` the subgroup.
fn csv(
    pre: impl Fn(usize) -> Option<f64>,
    post: impl Fn(usize) -> Option<f64>,
    band: impl Fn(usize) -> &'static str,
) -> String {
    let cell = |v: Option<f64>| v.map(|v| format!("{v:.2}")).unwrap_or_default();
    let mut s = String::from("id,group,band,score_pre,score_post\n");
    for i in 0..20 {
        let arm = if i % 2 == 0 { "intervention" } else { "control" };
        s.push_str(&format!("P{i:02},{arm},{},{},{}\n", band(i), cell(pre(i)), cell(post(i))));
    }
    s
}

fn pre(i: usize) -> f64 {
    2.0 + (i % 5) as f64 * 0.4
}

fn run(text: &str) -> (Analysis, String) {
    let ds = read_csv(text.as_bytes(), "edge.csv").unwrap();
    let recipe = Recipe::from_json(RECIPE).unwrap();
    let a = analyse(&ds, &recipe);
    let json = serde_json::to_string(&a.results).unwrap();
    assert!(!json.contains("NaN") && !json.contains("inf"), "{json}");
    let report = report_for_analysis(&a, &ds.summary(), &recipe).to_text();
    assert!(!report.contains("NaN"), "{report}");
    (a, report)
}

/// Nobody has both a pre and a post score: the first ten rows only pre, the rest only post.
pub fn no_two_waves() -> String {
    csv(|i| (i < 10).then(|| pre(i)), |i| (i >= 10).then_some(1.8 + (i % 4) as f64 * 0.3), |_| "A")
}

/// Post = 6 − pre (− 0.3 in the program) + a little: within a person the scores move in
/// opposite directions, so the participant variance is estimated at 0. One subgroup level.
pub fn boundary_single_level() -> String {
    csv(
        |i| Some(pre(i)),
        |i| Some(6.0 - pre(i) - if i % 2 == 0 { 0.3 } else { 0.0 } + ((i * 7) % 5) as f64 * 0.05 - 0.1),
        |_| "all ages",
    )
}

/// Two bands of 9 or 10 people, and row 0 (program group) alone in band C.
pub fn one_person_level() -> String {
    csv(
        |i| Some(pre(i)),
        |i| Some(pre(i) - if i % 2 == 0 { 0.4 } else { 0.0 } + ((i * 3) % 7) as f64 * 0.1 - 0.3),
        |i| {
            if i == 0 {
                "C"
            } else if i % 4 < 2 {
                "A"
            } else {
                "B"
            }
        },
    )
}

#[test]
fn nobody_with_two_waves_is_null_with_reasons() {
    let (a, report) = run(&no_two_waves());
    let r = &a.results;
    let m = r.mixed.as_ref().unwrap();
    assert!(m.sd_residual.is_none() && m.sd_participant.is_none());
    assert!(m.terms.values().all(|e| e.estimate.is_none() && e.p.is_none()), "{m:?}");
    assert!(
        m.notes.iter().any(|n| n.contains("could not be fitted: it needs people with more than one score")),
        "{:?}",
        m.notes
    );
    // No comparison with complete cases that do not exist.
    assert!(mixed_reading(m, r, 0.05).is_empty());
    let t = r.tipping_point.as_ref().unwrap();
    assert!(t.tipping_delta.is_none() && t.rows.is_empty());
    assert_eq!(
        t.reason.as_deref(),
        Some("Nobody has both a pre and a post score: the missing post scores cannot be imputed (there is nobody to learn from).")
    );
    assert!(tipping_reading(t).iter().any(|s| s.starts_with("Nobody has both a pre and a post score")));
    let st = r.subgroup_tests.as_ref().unwrap();
    assert!(st.interaction.as_ref().is_some_and(|i| i.p.is_none() && i.f.is_none()));
    assert!(report.contains("Drop-out check: Nobody has both a pre and a post score"), "{report}");
}

#[test]
fn a_single_subgroup_level_and_the_boundary_say_so() {
    let (a, _) = run(&boundary_single_level());
    let r = &a.results;
    let st = r.subgroup_tests.as_ref().unwrap();
    for t in [&st.intervention, &st.control, &st.interaction] {
        let t = t.as_ref().unwrap();
        assert!(t.f.is_none() && t.p.is_none() && t.df1.is_none(), "{t:?}");
        assert_eq!(t.levels, ["all ages"]);
    }
    let i = st.interaction.as_ref().unwrap();
    assert!(interaction_reading(i, 0.05).contains("cannot be tested: fewer than 2 subgroups"));
    assert!(forest_test_line(r).is_some_and(|l| l.contains("not computable (fewer than 2 subgroups")));
    // The boundary: σ_u = 0 exactly, the fit's results kept, said so.
    let m = r.mixed.as_ref().unwrap();
    assert!(m.boundary);
    assert_eq!(m.sd_participant, Some(0.0));
    assert_eq!(m.variance_ratio, Some(0.0));
    assert!(m.sd_residual.is_some_and(|s| s > 0.0));
    // At σ_u = 0 the model is least squares on the 40 scores: post:arm = the difference of the
    // arms' mean changes (by hand: −0.3, the noise averages the same in both arms), with an
    // SE of σ_e·√(1/10 + 1/10 + 1/10 + 1/10).
    let e = &m.terms["post:arm"];
    assert!((e.estimate.unwrap() + 0.3).abs() < 1e-9, "{e:?}");
    assert!((e.se.unwrap() - m.sd_residual.unwrap() * 0.4f64.sqrt()).abs() < 1e-9, "{e:?}");
    assert!(m.notes.iter().any(|n| n.contains("estimated at 0 (the boundary of the REML fit)")));
    assert!(mixed_reading(m, r, 0.05).iter().any(|s| s.contains("the between-person variance is estimated at 0")));
}

#[test]
fn a_level_with_one_person_is_left_out_and_named() {
    let (a, _) = run(&one_person_level());
    let st = a.results.subgroup_tests.as_ref().unwrap();
    let ti = st.intervention.as_ref().unwrap();
    assert_eq!(ti.levels, ["A", "B"]);
    assert_eq!(ti.left_out.get("C"), Some(&1));
    assert!(ti.p.is_some_and(|p| p.is_finite() && (0.0..=1.0).contains(&p)));
    assert!(st.control.as_ref().unwrap().left_out.is_empty());
    assert!(st.notes.iter().any(|n| n == "intervention: left out of the subgroup test (fewer than 2 people with both scores): C (1 with both scores)."), "{:?}", st.notes);
    // Its own subgroup result has no p (one pair), so it is outside the multiplicity family.
    let mult = a.results.multiplicity.as_ref().unwrap();
    let c = &mult.adjusted["intervention"]["C"];
    assert!(c.p.is_none() && c.holm.is_none() && c.bh.is_none());
    assert_eq!(mult.family_size, 4);
}
