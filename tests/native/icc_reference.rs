//! The intraclass correlation (issue 6) against R: every dataset of
//! `tests/data/icc_reference.json` (written by `tests/data/icc_reference.R`, R 4.2.2: `aov`,
//! n0 and the F-based interval of `ICC::ICCest`) is estimated by Lantern and compared to
//! 1e-9 relative; then the same data, written as a participant file with a cluster column, go
//! through column suggestion, the analysis and the results export.

use lantern::core::analyses::analyse;
use lantern::core::ingest::read_csv;
use lantern::core::recipe::Recipe;
use lantern::core::results::export_json;
use lantern::core::stats::icc::icc_oneway;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;

const RTOL: f64 = 1e-9;

fn reference() -> Vec<Value> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/icc_reference.json");
    let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    v["datasets"].as_array().cloned().unwrap_or_default()
}

fn data(ds: &Value) -> (Vec<String>, Vec<f64>) {
    let cluster: Vec<String> =
        ds["cluster"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_string()).collect();
    let y: Vec<f64> = ds["y"].as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect();
    assert_eq!(cluster.len(), y.len());
    (cluster, y)
}

/// Compares every expected key of a dataset with the same key of Lantern's statistics (JSON).
fn compare_expected(name: &str, expected: &Value, got: &Value) {
    let keys = expected.as_object().unwrap();
    assert!(keys.len() >= 12, "{name}: the reference lists every statistic");
    for (k, want) in keys {
        let want = want.as_f64().unwrap();
        let g = got[k.as_str()]
            .as_f64()
            .unwrap_or_else(|| panic!("{name}.{k}: Lantern gives {}, R {want}", got[k.as_str()]));
        assert!((g - want).abs() <= RTOL * want.abs(), "{name}.{k}: Lantern {g}, R {want}");
    }
}

#[test]
fn icc_matches_r_on_every_reference_dataset() {
    let sets = reference();
    assert!(sets.len() >= 3);
    let mut negative = 0;
    for ds in &sets {
        let name = ds["name"].as_str().unwrap();
        let (cluster, y) = data(ds);
        let mut by: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
        for (c, v) in cluster.iter().zip(&y) {
            by.entry(c.as_str()).or_default().push(*v);
        }
        let sizes: Vec<usize> = by.values().map(Vec::len).collect();
        assert!(sizes.iter().min() != sizes.iter().max(), "{name}: clusters are unbalanced");
        let stats = icc_oneway(&by.into_values().collect::<Vec<_>>(), ds["alpha"].as_f64().unwrap());
        assert!(stats.reason.is_none(), "{name}: {stats:?}");
        compare_expected(name, &ds["expected"], &serde_json::to_value(&stats).unwrap());
        negative += usize::from(stats.icc.is_some_and(|i| i < 0.0));
    }
    assert!(negative >= 1, "one dataset has a negative estimate");
}

/// The cluster column's name used for each reference dataset in the end-to-end test.
fn cluster_column(name: &str) -> &'static str {
    match name {
        n if n.starts_with("schools") => "School",
        n if n.starts_with("classes") => "class_id",
        n if n.starts_with("sites") => "site",
        _ => "group_id",
    }
}

#[test]
fn a_file_with_a_cluster_column_gets_its_icc_in_the_results_export() {
    for ds in reference() {
        let name = ds["name"].as_str().unwrap();
        let (cluster, y) = data(&ds);
        let column = cluster_column(name);
        // Two more people: one with a blank cluster cell, one with a missing code.
        let mut csv = format!("participant_id,{column},stigma_pre\n");
        for (i, (c, v)) in cluster.iter().zip(&y).enumerate() {
            csv.push_str(&format!("{},{c},{v}\n", i + 1));
        }
        csv.push_str(&format!("{},,20\n{},NA,21\n", y.len() + 1, y.len() + 2));
        let data = read_csv(csv.as_bytes(), "clustered.csv").unwrap();
        let mut recipe = Recipe::default();
        recipe.suggest_columns_from(&data);
        assert_eq!(recipe.columns.cluster.as_deref(), Some(column), "{name}: the cluster column is suggested");
        assert_eq!(recipe.columns.pre.as_deref(), Some("stigma_pre"));
        assert_eq!(recipe.columns.id.as_deref(), Some("participant_id"));
        recipe.alpha = ds["alpha"].as_f64();
        let analysis = analyse(&data, &recipe);
        let doc: Value = serde_json::from_str(&export_json(&recipe, &data.summary(), &analysis)).unwrap();
        let c = &doc["results"]["clustering"];
        assert_eq!(c["column"], column);
        assert_eq!(c["outcome"], "pre");
        assert_eq!(c["score_column"], "stigma_pre");
        assert!(c.get("post").is_none(), "no post scores, no post ICC");
        compare_expected(name, &ds["expected"], c);
        assert_eq!(doc["recipe"]["columns"]["cluster"], column);
        let notes: Vec<&str> = c["notes"].as_array().unwrap().iter().map(|n| n.as_str().unwrap()).collect();
        assert!(notes.iter().any(|n| n.starts_with("2 people with a pre score but no ")), "{name}: {notes:?}");
        let reading = c["reading"].as_str().unwrap();
        let icc = c["icc"].as_f64().unwrap();
        if icc > 0.0 {
            assert!(
                reading.contains("answered more alike than people in different")
                    && reading.contains("planning a cluster trial"),
                "{reading}"
            );
        } else {
            assert!(reading.contains("no more alike") && reading.contains("near 0"), "{reading}");
        }
        let level = format!("{}% CI", ((1.0 - ds["alpha"].as_f64().unwrap()) * 100.0).round());
        assert!(reading.contains(&level), "{reading}");
    }
}
