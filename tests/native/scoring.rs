//! Scale scoring from item-level answers (issue 5).
//!
//! 1. The ten stigma items of `tests/reference/formats/` (items 3, 6, 9 reverse-worded, answers
//!    1–5) give the same scores and the same alpha whichever of the eight files they are read
//!    from, through the reader and the analysis the app uses; clean.csv's alpha and two
//!    people's scores are checked against computations written out here from `clean.json`.
//! 2. Properties on seeded random data (PCG-64): reversing twice is the identity; alpha and its
//!    Feldt interval do not depend on the order of the items; a sum score is k × the mean score
//!    when nothing is missing; with 10 items and the default 80%, 8 answered items are scored
//!    and 7 are not.

use crate::support::{read_json, reference_dir};
use lantern::core::analyses::analyse;
use lantern::core::analyses::scales::reliability::{cronbach_alpha, feldt_ci, reliability};
use lantern::core::analyses::scales::score::reverse_items;
use lantern::core::analyses::scales::{score_items, scored_columns, ItemsResult};
use lantern::core::dataset::{Column, Dataset};
use lantern::core::ingest::read_csv;
use lantern::core::recipe::Recipe;
use rand_pcg::rand_core::{Rng, SeedableRng};
use rand_pcg::Pcg64;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The reverse-worded items of the reference questionnaire (`manifest.json`, `likert_items`).
const REVERSE: [usize; 3] = [3, 6, 9];

fn formats_dir() -> PathBuf {
    reference_dir().join("formats")
}

// ---------------------------------------------------------------------------------------
// 1. The same items from eight files.

/// One file and the names its reader gives to the roles we need.
struct Source {
    file: String,
    id_column: String,
    /// Column names of q1..q10, in item order.
    items: Vec<String>,
}

/// clean.csv (the clean names) plus every messy export, with its column names from the manifest.
fn sources(m: &Value) -> Vec<Source> {
    let clean_items: Vec<String> = (1..=10).map(|i| format!("q{i}")).collect();
    for q in &clean_items {
        assert!(m["columns"].as_array().unwrap().iter().any(|c| c == q.as_str()), "{q} is a clean column");
    }
    let mut v = vec![Source {
        file: m["clean_file"].as_str().unwrap().to_string(),
        id_column: "participant_id".into(),
        items: clean_items.clone(),
    }];
    for entry in m["files"].as_array().unwrap() {
        let cols = &entry["columns"];
        v.push(Source {
            file: entry["file"].as_str().unwrap().to_string(),
            id_column: cols["participant_id"].as_str().unwrap().to_string(),
            items: clean_items.iter().map(|q| cols[q.as_str()].as_str().unwrap().to_string()).collect(),
        });
    }
    assert_eq!(v.len(), 8, "clean.csv and the seven exports");
    v
}

/// The answer scale from the manifest's value maps (the numbers the answer wordings stand for).
fn answer_scale(m: &Value) -> (f64, f64) {
    let mut nums = Vec::new();
    for entry in m["files"].as_array().unwrap() {
        for q in 1..=10 {
            if let Some(map) = entry["value_maps"][format!("q{q}")].as_object() {
                nums.extend(map.values().map(|v| v.as_str().unwrap().parse::<f64>().unwrap()));
            }
        }
    }
    assert!(!nums.is_empty(), "some export maps answer wording to numbers");
    let min = nums.iter().copied().fold(f64::INFINITY, f64::min);
    let max = nums.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    (min, max)
}

/// The recipe the app would hold for one file: the ten items scored at pre and at post (the
/// reference files hold one wave, so both read the same columns), id column for the scores.
fn recipe_for(src: &Source, min: f64, max: f64) -> Recipe {
    let mut r = Recipe::default();
    r.columns.id = Some(src.id_column.clone());
    r.items = Some(json!({
        "name": "Stigma items",
        "pre_columns": src.items,
        "post_columns": src.items,
        "reverse": REVERSE,
        "min": min,
        "max": max,
    }));
    r
}

fn read_file(file: &str) -> Dataset {
    let bytes = std::fs::read(formats_dir().join(file)).unwrap();
    read_csv(&bytes, file).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// Reads one file and runs the analysis as the app does; returns `results.items`.
fn items_of(src: &Source, min: f64, max: f64) -> ItemsResult {
    let ds = read_file(&src.file);
    let recipe = recipe_for(src, min, max);
    let a = analyse(&ds, &recipe);
    let items = a.results.items.unwrap_or_else(|| panic!("{}: no items section", src.file));
    // Nothing in any file is unreadable once the file is read as the reader describes it.
    let item_diags: Vec<_> =
        a.diagnostics.iter().filter(|d| d.column.as_ref().is_some_and(|c| src.items.contains(c))).collect();
    assert!(
        item_diags.is_empty(),
        "{}: {} notes about item cells, first {:?}",
        src.file,
        item_diags.len(),
        item_diags.first()
    );
    items
}

fn same(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => (x - y).abs() <= 1e-12,
        (None, None) => true,
        _ => false,
    }
}

/// Sample variance (denominator n − 1), two passes.
fn var(x: &[f64]) -> f64 {
    let n = x.len() as f64;
    let mean = x.iter().sum::<f64>() / n;
    x.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1.0)
}

/// Cronbach's alpha of complete rows (one vector per person): k/(k−1)(1 − Σ var_i / var_total).
fn plain_alpha(rows: &[Vec<f64>]) -> f64 {
    let k = rows[0].len();
    let sum_item_var: f64 = (0..k).map(|j| var(&rows.iter().map(|r| r[j]).collect::<Vec<_>>())).sum();
    let totals: Vec<f64> = rows.iter().map(|r| r.iter().sum()).collect();
    let k = k as f64;
    k / (k - 1.0) * (1.0 - sum_item_var / var(&totals))
}

#[test]
fn scoring_the_ten_items_gives_the_same_scores_and_alpha_from_all_eight_files() {
    let m = read_json(&formats_dir().join("manifest.json"));
    let clean = read_json(&formats_dir().join(m["clean_json"].as_str().unwrap()));
    let clean = clean.as_array().unwrap();
    assert_eq!(m["likert_items"]["reverse_scored"], json!(REVERSE));
    let (min, max) = answer_scale(&m);
    assert_eq!((min, max), (1.0, 5.0), "the manifest's answer wordings run 1–5");
    // Every answer in clean.json lies on that scale.
    for row in clean {
        for q in 1..=10 {
            if let Some(v) = row[format!("q{q}")].as_f64() {
                assert!((min..=max).contains(&v) && v.fract() == 0.0, "{row}");
            }
        }
    }

    let srcs = sources(&m);
    let results: Vec<(String, ItemsResult)> = srcs.iter().map(|s| (s.file.clone(), items_of(s, min, max))).collect();
    let (_, base) = &results[0];

    // clean.csv against computations from clean.json written out here.
    assert_eq!(base.reverse, REVERSE.to_vec());
    assert_eq!(base.reverse_constant, min + max);
    assert_eq!(base.min_answered, 8, "80% of 10 items");
    assert_eq!((base.n_not_number, base.n_out_of_range, base.n_dont_know), (0, 0, 0));
    let reversed: Vec<Vec<Option<f64>>> = clean
        .iter()
        .map(|row| {
            (1..=10)
                .map(|q| row[format!("q{q}")].as_f64().map(|v| if REVERSE.contains(&q) { min + max - v } else { v }))
                .collect()
        })
        .collect();
    let complete: Vec<Vec<f64>> = reversed
        .iter()
        .filter(|r| r.iter().all(Option::is_some))
        .map(|r| r.iter().flatten().copied().collect())
        .collect();
    let alpha = plain_alpha(&complete);
    assert_eq!(base.alpha_pre_n_complete, complete.len());
    assert_eq!(base.alpha_post_n_complete, complete.len());
    assert!((base.alpha_pre.unwrap() - alpha).abs() <= 1e-12, "alpha {:?}, by hand {alpha}", base.alpha_pre);
    assert!((base.alpha_post.unwrap() - alpha).abs() <= 1e-12, "alpha {:?}, by hand {alpha}", base.alpha_post);
    // Every person: the mean of the answered (reversed) items when at least 8 of 10 are answered.
    assert_eq!(base.scores.len(), clean.len());
    for (row, items) in clean.iter().zip(&reversed) {
        let answered: Vec<f64> = items.iter().flatten().copied().collect();
        let want = (answered.len() >= 8).then(|| answered.iter().sum::<f64>() / answered.len() as f64);
        let id = row["participant_id"].as_str().unwrap();
        let got = &base.scores[id];
        assert!(same(got.pre, want) && same(got.post, want), "{id}: {got:?}, want {want:?}");
    }
    // Two people by hand (clean.csv lines 2 and 5):
    // P01: 1,3,3,3,2,3,2,3,4,2 → items 3, 6, 9 become 3, 3, 2 → (1+3+3+3+2+3+2+3+2+2)/10 = 2.4.
    assert!(same(base.scores["P01"].pre, Some(2.4)), "{:?}", base.scores["P01"]);
    // P04: 2,_,3,1,4,3,4,4,4,3 → 9 answered (≥ 8) → (2+3+1+4+3+4+4+2+3)/9 = 26/9.
    assert!(same(base.scores["P04"].pre, Some(26.0 / 9.0)), "{:?}", base.scores["P04"]);

    // Every export gives exactly clean.csv's result.
    let mut fails = Vec::new();
    for (file, r) in &results[1..] {
        let mut expect = |ok: bool, what: String| {
            if !ok {
                fails.push(format!("{file}: {what}"));
            }
        };
        expect(
            r.n_not_number == 0 && r.n_out_of_range == 0,
            format!("{} non-numbers, {} out of range", r.n_not_number, r.n_out_of_range),
        );
        expect(
            (r.answer_min, r.answer_max, r.reverse_constant) == (min, max, min + max),
            format!("scale {}–{}, c {}", r.answer_min, r.answer_max, r.reverse_constant),
        );
        expect(
            r.scores.keys().eq(base.scores.keys()),
            format!("participants {:?}", r.scores.keys().collect::<Vec<_>>()),
        );
        for (id, want) in &base.scores {
            let got = r.scores.get(id).cloned().unwrap_or_default();
            expect(same(got.pre, want.pre) && same(got.post, want.post), format!("{id}: {got:?}, want {want:?}"));
        }
        expect(
            (r.n_pre_scored, r.n_post_scored) == (base.n_pre_scored, base.n_post_scored),
            format!("scored {} / {}", r.n_pre_scored, r.n_post_scored),
        );
        expect(
            (r.alpha_pre_n_complete, r.alpha_post_n_complete)
                == (base.alpha_pre_n_complete, base.alpha_post_n_complete),
            "complete cases".into(),
        );
        for (what, got, want) in [
            ("alpha_pre", r.alpha_pre, base.alpha_pre),
            ("alpha_post", r.alpha_post, base.alpha_post),
            ("alpha_pre_ci_low", r.alpha_pre_ci_low, base.alpha_pre_ci_low),
            ("alpha_pre_ci_high", r.alpha_pre_ci_high, base.alpha_pre_ci_high),
            ("alpha_post_ci_low", r.alpha_post_ci_low, base.alpha_post_ci_low),
            ("alpha_post_ci_high", r.alpha_post_ci_high, base.alpha_post_ci_high),
        ] {
            expect(got.is_some() && same(got, want), format!("{what} {got:?}, want {want:?}"));
        }
    }
    assert!(fails.is_empty(), "{} mismatches:\n{}", fails.len(), fails.join("\n"));
}

// ---------------------------------------------------------------------------------------
// 2. Properties on seeded random data.

/// Uniform integers and a shuffle from a seeded PCG-64.
struct Rand(Pcg64);

impl Rand {
    fn new(seed: u64) -> Rand {
        Rand(Pcg64::seed_from_u64(seed))
    }
    /// Uniform on 0..n (n small: the modulo bias is negligible and harmless here).
    fn below(&mut self, n: usize) -> usize {
        (self.0.next_u64() % n as u64) as usize
    }
    fn unit(&mut self) -> f64 {
        ((self.0.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }
    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            v.swap(i, self.below(i + 1));
        }
    }
}

/// A random answer scale (min 0 or 1, 3 to 9 points) and `n` people × `k` items of whole-number
/// answers that share a person effect (so alpha is not degenerate), each missing with `p_missing`.
/// Items in `reverse` run the other way, as reverse-worded items do.
fn random_items(
    rng: &mut Rand,
    n: usize,
    k: usize,
    reverse: &[usize],
    p_missing: f64,
) -> (f64, f64, Vec<Vec<Option<f64>>>) {
    let min = rng.below(2) as f64;
    let max = min + 2.0 + rng.below(7) as f64;
    let span = max - min;
    let mut items = vec![Vec::with_capacity(n); k];
    for _ in 0..n {
        let person = rng.unit();
        for (j, col) in items.iter_mut().enumerate() {
            let raw = (0.7 * person + 0.3 * rng.unit()) * span;
            let mut v = min + raw.round().clamp(0.0, span);
            if reverse.contains(&(j + 1)) {
                v = min + max - v;
            }
            col.push((rng.unit() >= p_missing).then_some(v));
        }
    }
    (min, max, items)
}

/// A dataset with item columns `i1..ik` (blank = unanswered).
fn dataset(items: &[Vec<Option<f64>>]) -> Dataset {
    let n = items.first().map_or(0, Vec::len);
    let columns = items
        .iter()
        .enumerate()
        .map(|(j, col)| Column {
            name: format!("i{}", j + 1),
            cells: col.iter().map(|v| v.map(|x| format!("{x}")).unwrap_or_default()).collect(),
        })
        .collect();
    Dataset { file: "random.csv".into(), n_rows: n, columns, ..Dataset::default() }
}

fn items_recipe(items: Value) -> Recipe {
    Recipe { items: Some(items), ..Recipe::default() }
}

fn random_reverse(rng: &mut Rand, k: usize) -> Vec<usize> {
    (1..=k).filter(|_| rng.below(3) == 0).collect()
}

fn close(a: Option<f64>, b: Option<f64>, what: &str) {
    match (a, b) {
        (Some(x), Some(y)) => assert!((x - y).abs() <= 1e-12 * (1.0 + x.abs()), "{what}: {x} vs {y}"),
        (None, None) => {}
        other => panic!("{what}: {other:?}"),
    }
}

#[test]
fn scoring_reversing_twice_is_the_identity() {
    let mut rng = Rand::new(0x5C0_4E01);
    for round in 0..200 {
        let k = 2 + rng.below(11);
        let n = 1 + rng.below(40);
        let reverse = random_reverse(&mut rng, k);
        let (min, max, original) = random_items(&mut rng, n, k, &[], 0.15);
        let numbers: Vec<usize> = (1..=k).collect();
        let mut twice = original.clone();
        reverse_items(&mut twice, &numbers, &reverse, min + max);
        for (j, col) in twice.iter().enumerate() {
            // Once: x → min + max − x, which stays on the scale and moves every reversed answer
            // that is not the midpoint.
            for (a, b) in col.iter().zip(&original[j]) {
                match (a, b) {
                    (Some(a), Some(b)) if reverse.contains(&(j + 1)) => assert_eq!(*a, min + max - b, "round {round}"),
                    _ => assert_eq!(a, b, "round {round}: unreversed items and blanks are untouched"),
                }
                assert!(a.is_none_or(|a| (min..=max).contains(&a)));
            }
        }
        reverse_items(&mut twice, &numbers, &reverse, min + max);
        assert_eq!(twice, original, "round {round}: reversing twice gives the answers back");

        // The same through the scoring API: a file whose reverse items were already written as
        // min + max − x, scored with those items reversed, scores as the original file unreversed.
        let mut in_file = original.clone();
        reverse_items(&mut in_file, &numbers, &reverse, min + max);
        let key =
            |rev: &[usize]| items_recipe(json!({"pre_prefix": "i", "k": k, "reverse": rev, "min": min, "max": max}));
        let (a, _) = scored_columns(&dataset(&in_file), &key(&reverse)).unwrap();
        let (b, _) = scored_columns(&dataset(&original), &key(&[])).unwrap();
        let (a, b) = (a.unwrap(), b.unwrap());
        assert_eq!(a.len(), n);
        for (r, (x, y)) in a.iter().zip(&b).enumerate() {
            close(*x, *y, &format!("round {round}, row {r}"));
        }
    }
}

#[test]
fn scoring_alpha_and_its_feldt_interval_do_not_depend_on_item_order() {
    let mut rng = Rand::new(0xA1FA);
    let mut computable = 0;
    for round in 0..150 {
        let k = 2 + rng.below(11);
        let n = 3 + rng.below(60);
        let reverse = random_reverse(&mut rng, k);
        let (min, max, items) = random_items(&mut rng, n, k, &reverse, 0.05);
        let mut order: Vec<usize> = (0..k).collect();
        rng.shuffle(&mut order);
        let permuted: Vec<Vec<Option<f64>>> = order.iter().map(|&j| items[j].clone()).collect();

        // The reliability functions directly.
        let (a, b) = (reliability(&items, 0.95), reliability(&permuted, 0.95));
        assert_eq!(a.n_complete, b.n_complete);
        close(a.alpha, b.alpha, &format!("round {round}: alpha"));
        close(a.ci.map(|c| c.0), b.ci.map(|c| c.0), &format!("round {round}: Feldt low"));
        close(a.ci.map(|c| c.1), b.ci.map(|c| c.1), &format!("round {round}: Feldt high"));
        // Item-rest r and alpha-if-deleted travel with their item.
        for (p, &j) in order.iter().enumerate() {
            close(
                a.items[j].item_rest_r,
                b.items[p].item_rest_r,
                &format!("round {round}: item-rest r of item {}", j + 1),
            );
            close(
                a.items[j].alpha_if_deleted,
                b.items[p].alpha_if_deleted,
                &format!("round {round}: alpha if item {} deleted", j + 1),
            );
        }
        if let (Some(alpha), Some((lo, hi))) = (a.alpha, a.ci) {
            computable += 1;
            assert!(lo < alpha && alpha < hi, "round {round}: {lo} < {alpha} < {hi}");
            assert_eq!(feldt_ci(alpha, a.n_complete, k, 0.95), a.ci);
        }

        // Through the scoring API: the columns listed in another order, reverse items renumbered.
        let ds = dataset(&items);
        let names = |ord: &[usize]| ord.iter().map(|j| format!("i{}", j + 1)).collect::<Vec<_>>();
        let natural: Vec<usize> = (0..k).collect();
        let rev_permuted: Vec<usize> =
            order.iter().enumerate().filter(|(_, j)| reverse.contains(&(**j + 1))).map(|(p, _)| p + 1).collect();
        let key = |cols: Vec<String>, rev: &[usize]| {
            items_recipe(json!({"pre_columns": cols, "reverse": rev, "min": min, "max": max}))
        };
        let r1 = score_items(&ds, &key(names(&natural), &reverse)).unwrap().result().unwrap();
        let r2 = score_items(&ds, &key(names(&order), &rev_permuted)).unwrap().result().unwrap();
        close(r1.alpha_pre, r2.alpha_pre, &format!("round {round}: scored alpha"));
        close(r1.alpha_pre_ci_low, r2.alpha_pre_ci_low, &format!("round {round}: scored Feldt low"));
        close(r1.alpha_pre_ci_high, r2.alpha_pre_ci_high, &format!("round {round}: scored Feldt high"));
        assert_eq!(r1.alpha_pre_n_complete, r2.alpha_pre_n_complete);
        for (id, s) in &r1.scores {
            close(s.pre, r2.scores[id].pre, &format!("round {round}: score of {id}"));
        }
    }
    assert!(computable > 100, "alpha was computable in only {computable} rounds");
}

#[test]
fn scoring_sum_is_k_times_mean_when_nothing_is_missing() {
    let mut rng = Rand::new(0x5077);
    for round in 0..150 {
        let k = 1 + rng.below(15);
        let n = 1 + rng.below(30);
        let reverse = random_reverse(&mut rng, k);
        let (min, max, items) = random_items(&mut rng, n, k, &reverse, 0.0);
        let ds = dataset(&items);
        let key = |method: &str| {
            items_recipe(
                json!({"pre_prefix": "i", "k": k, "reverse": reverse, "min": min, "max": max, "method": method}),
            )
        };
        let (sum, _) = scored_columns(&ds, &key("sum")).unwrap();
        let (mean, _) = scored_columns(&ds, &key("mean")).unwrap();
        let (sum, mean) = (sum.unwrap(), mean.unwrap());
        for r in 0..n {
            // The plain sum of the answers, reverse items as min + max − x.
            let by_hand: f64 = (0..k)
                .map(|j| items[j][r].map_or(f64::NAN, |v| if reverse.contains(&(j + 1)) { min + max - v } else { v }))
                .sum();
            let (s, m) = (sum[r].unwrap(), mean[r].unwrap());
            assert_eq!(s, by_hand, "round {round}, row {r}: the sum of whole numbers is exact");
            assert!((s - k as f64 * m).abs() <= 1e-12 * s.abs().max(1.0), "round {round}, row {r}: {s} vs {k} × {m}");
            assert!((min..=max).contains(&m));
        }
    }
}

#[test]
fn scoring_ten_items_scores_8_answered_but_not_7() {
    let mut rng = Rand::new(0x8_0F_10);
    let k = 10;
    for round in 0..60 {
        let reverse = random_reverse(&mut rng, k);
        // Rows 0..=10 answer that many items (which ones at random), the rest blank.
        let (min, max, full) = random_items(&mut rng, k + 1, k, &reverse, 0.0);
        let mut items = full.clone();
        let mut answered_values: Vec<Vec<f64>> = Vec::new();
        for (r, n_answered) in (0..=k).enumerate() {
            let mut which: Vec<usize> = (0..k).collect();
            rng.shuffle(&mut which);
            for &j in &which[n_answered..] {
                items[j][r] = None;
            }
            answered_values.push(
                (0..k)
                    .filter_map(|j| items[j][r].map(|v| if reverse.contains(&(j + 1)) { min + max - v } else { v }))
                    .collect(),
            );
        }
        // No min_answered: the default 80% of 10.
        let key = items_recipe(
            json!({"pre_prefix": "i", "post_prefix": "i", "k": k, "reverse": reverse, "min": min, "max": max}),
        );
        let s = score_items(&dataset(&items), &key).unwrap();
        let r = s.result().unwrap();
        assert_eq!(r.min_answered, 8, "80% of 10 items");
        let (pre, post) = (s.scales[0].pre.clone().unwrap(), s.scales[0].post.clone().unwrap());
        for (n_answered, vals) in answered_values.iter().enumerate() {
            assert_eq!(vals.len(), n_answered);
            let want = (n_answered >= 8).then(|| vals.iter().sum::<f64>() / n_answered as f64);
            close(pre[n_answered], want, &format!("round {round}: {n_answered} answered"));
            close(post[n_answered], want, &format!("round {round}: {n_answered} answered (post)"));
        }
        assert!(pre[8].is_some() && pre[7].is_none(), "round {round}: exactly 8 is scored, 7 is not");
        assert_eq!(r.n_pre_scored, 3, "8, 9 and 10 answered");
        let by_row: BTreeMap<String, Option<f64>> = r.scores.iter().map(|(id, p)| (id.clone(), p.pre)).collect();
        assert!(by_row["row 9"].is_some() && by_row["row 8"].is_none());
        // And with the rule given explicitly as 8, or as 80%, the same.
        for rule in [json!(8), json!("80%"), json!(0.8)] {
            let key = items_recipe(
                json!({"pre_prefix": "i", "k": k, "reverse": reverse, "min": min, "max": max, "min_answered": rule}),
            );
            let (p, _) = scored_columns(&dataset(&items), &key).unwrap();
            assert_eq!(p.unwrap(), pre, "round {round}: min_answered {rule}");
        }
    }
}

/// `cronbach_alpha` on complete data equals the formula written out here.
#[test]
fn scoring_alpha_equals_the_plain_formula_on_random_data() {
    let mut rng = Rand::new(0xC0FFEE);
    for round in 0..100 {
        let k = 2 + rng.below(9);
        let n = 3 + rng.below(50);
        let (_, _, items) = random_items(&mut rng, n, k, &[], 0.0);
        let cols: Vec<Vec<f64>> = items.iter().map(|c| c.iter().flatten().copied().collect()).collect();
        let rows: Vec<Vec<f64>> = (0..n).map(|r| cols.iter().map(|c| c[r]).collect()).collect();
        let totals: Vec<f64> = rows.iter().map(|r| r.iter().sum()).collect();
        let got = cronbach_alpha(&cols);
        if var(&totals) == 0.0 {
            assert_eq!(got, None, "round {round}: no variance in the totals");
            continue;
        }
        let want = plain_alpha(&rows);
        assert!((got.unwrap() - want).abs() <= 1e-12, "round {round}: {got:?} vs {want}");
    }
}
