//! Reference checks: the public pooling case p14 (`tests/reference/pooling/`)
//! and extra (yi, sei) sets computed by R metafor (tests/data/meta_reference.R → meta_reference.json).
//! Every expected value comes from R, never from this crate.

use crate::support::{read_json, reference_dir};
use lantern::core::results::pooling::{pool_sites, Measure};
use lantern::core::stats::meta::{meta_analyse, Study};
use serde_json::Value;
use std::path::Path;

fn p14_dir() -> std::path::PathBuf {
    reference_dir().join("pooling/p14_pool_four_sites")
}

/// |a − e| / (atol + rtol·|e|): passes when ≤ 1.
fn ratio(actual: f64, expected: f64, atol: f64, rtol: f64) -> f64 {
    let d = (actual - expected).abs();
    if d == 0.0 {
        0.0
    } else {
        d / (atol + rtol * expected.abs())
    }
}

/// Walks `expected` (a tree of `{value, atol, rtol}` leaves) and checks `actual` at each leaf.
fn check_tree(expected: &Value, actual: &Value, path: &str, worst: &mut (f64, String), count: &mut usize) {
    let Some(obj) = expected.as_object() else { panic!("{path}: not an object") };
    if let Some(v) = obj.get("value") {
        let got = actual.as_f64().unwrap_or_else(|| panic!("{path}: expected {v}, got {actual}"));
        let (e, atol, rtol) = (v.as_f64().unwrap(), obj["atol"].as_f64().unwrap(), obj["rtol"].as_f64().unwrap());
        let r = ratio(got, e, atol, rtol);
        assert!(r <= 1.0, "{path}: expected {e}, got {got} (|diff| = {})", (got - e).abs());
        *count += 1;
        if r > worst.0 {
            *worst = (r, format!("{path}: got {got}, expected {e}, |diff| {:.3e}", (got - e).abs()));
        }
        return;
    }
    for (k, sub) in obj {
        let a = actual.get(k).unwrap_or_else(|| panic!("{path}.{k}: missing"));
        check_tree(sub, a, &format!("{path}.{k}"), worst, count);
    }
}

fn p14_files(order: &[usize]) -> Vec<(String, Value)> {
    let case = read_json(&p14_dir().as_path().join("case.json"));
    let names: Vec<String> =
        case["site_files"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect();
    order.iter().map(|&i| (names[i].clone(), read_json(&p14_dir().as_path().join(&names[i])))).collect()
}

#[test]
fn p14_every_expected_key() {
    let case = read_json(&p14_dir().as_path().join("case.json"));
    let doc = pool_sites(&p14_files(&[0, 1, 2, 3]));
    let out = serde_json::to_value(&doc).unwrap();
    let text = serde_json::to_string(&doc).unwrap();
    assert!(!text.contains("NaN") && !text.contains("null,\"fixed"));

    let mut worst = (0.0, String::new());
    let mut count = 0;
    check_tree(&case["pooled"], &out["pooled"], "pooled", &mut worst, &mut count);
    assert_eq!(count, 5 * 34 + 3, "number of checked values");
    eprintln!("p14: {count} values checked; worst |diff|/(atol + rtol|e|) = {:.3e} at {}", worst.0, worst.1);

    // Absent measures, left-out sites, sites and n.
    for m in case["measures_absent"].as_array().unwrap() {
        assert!(out["pooled"].get(m.as_str().unwrap()).is_none(), "{m} must be absent");
        assert!(out["measures_absent"].as_array().unwrap().contains(m));
    }
    let pooled_keys: Vec<&String> = out["pooled"].as_object().unwrap().keys().collect();
    let expected_keys: Vec<&String> = case["pooled"].as_object().unwrap().keys().collect();
    assert_eq!(pooled_keys.len(), expected_keys.len());
    assert_eq!(out["left_out"], case["left_out"]);
    for (m, files) in case["left_out"].as_object().unwrap() {
        assert_eq!(&out["pooled"][m]["left_out"], files);
    }
    let sites: Vec<(String, u64)> = case["sites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["file"].as_str().unwrap().to_string(), s["rows"].as_u64().unwrap()))
        .collect();
    let got: Vec<(String, u64)> = doc.sites.iter().map(|s| (s.file.clone(), s.n.unwrap())).collect();
    assert_eq!(got, sites);
    assert!(doc.rejected.is_empty());
    // yi and sei read as the case's info says.
    for m in ["ancova", "g_change", "change_intervention", "change_control", "log_rr_help"] {
        let info = &case["info"][m];
        let studies = out["pooled"][m]["studies"].as_array().unwrap();
        for (i, s) in studies.iter().enumerate() {
            for key in ["yi", "sei"] {
                let (a, e) = (s[key].as_f64().unwrap(), info[key][i].as_f64().unwrap());
                assert!((a - e).abs() <= 1e-14 * (1.0 + e.abs()), "{m} {key}[{i}]: {a} vs {e}");
            }
            assert_eq!(s["file"], info["sites"][i]);
        }
    }
}

#[test]
fn p14_site_order_changes_no_number() {
    let base = pool_sites(&p14_files(&[0, 1, 2, 3]));
    let mut perms = Vec::new();
    for a in 0..4 {
        for b in 0..4 {
            for c in 0..4 {
                for d in 0..4 {
                    let p = [a, b, c, d];
                    if (0..4).all(|x| p.contains(&x)) {
                        perms.push(p);
                    }
                }
            }
        }
    }
    assert_eq!(perms.len(), 24);
    for p in perms {
        let doc = pool_sites(&p14_files(&p));
        for m in Measure::ALL {
            let (x, y) = (base.pooled.get(m), doc.pooled.get(m));
            assert_eq!(
                x.map(|v| (v.fit, v.rr, v.rr_ci_low, v.rr_ci_high)),
                y.map(|v| (v.fit, v.rr, v.rr_ci_low, v.rr_ci_high)),
                "{m:?} {p:?}"
            );
        }
        assert_eq!(base.left_out, doc.left_out);
        assert_eq!(base.measures_absent, doc.measures_absent);
    }
}

#[test]
fn metafor_reference_sets() {
    let refs = read_json(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/meta_reference.json"));
    // Tolerance classes of shared/reference/README.md.
    let closed = (1e-9, 1e-6);
    let pvalue = (1e-6, 1e-4);
    let reml = (1e-9, 1e-5);
    let mut worst = (0.0, String::new());
    let mut n_sets = 0;
    let mut n_values = 0;
    let mut max_rel: f64 = 0.0;
    for (name, set) in refs.as_object().unwrap() {
        if name.starts_with('_') {
            continue;
        }
        n_sets += 1;
        let f = |k: &str| -> Vec<f64> { set[k].as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect() };
        let studies: Vec<Study> = f("yi").into_iter().zip(f("sei")).map(|(yi, sei)| Study { yi, sei }).collect();
        let fit = meta_analyse(&studies).unwrap_or_else(|| panic!("{name}: not computable"));
        let got = serde_json::to_value(fit).unwrap();
        let mut check = |path: &str, a: &Value, e: &Value, tol: (f64, f64)| {
            if e.is_null() {
                assert!(a.is_null(), "{name}.{path}: R gives no finite value, got {a}");
                return;
            }
            let (a, e) = (a.as_f64().unwrap_or_else(|| panic!("{name}.{path}: got {a}")), e.as_f64().unwrap());
            let r = ratio(a, e, tol.0, tol.1);
            assert!(r <= 1.0, "{name}.{path}: got {a}, expected {e}");
            n_values += 1;
            if e.abs() > 1e-10 && !path.ends_with(".p") && path != "q_p" {
                max_rel = max_rel.max(((a - e) / e).abs());
            }
            if r > worst.0 {
                worst = (r, format!("{name}.{path}: got {a}, expected {e}"));
            }
        };
        for (block, tol) in [("fixed", closed), ("dl", closed), ("reml", reml), ("reml_hk", reml)] {
            for (k, e) in set[block].as_object().unwrap() {
                let t = if k == "p" { pvalue } else { tol };
                check(&format!("{block}.{k}"), &got[block][k], e, t);
            }
        }
        for k in ["q", "i2", "q_df", "k"] {
            check(k, &got[k], &set[k], closed);
        }
        check("q_p", &got["q_p"], &set["q_p"], pvalue);
    }
    assert!(n_sets >= 12);
    eprintln!("metafor sets: max relative diff (non-zero, non-p values) {max_rel:.3e}");
    eprintln!(
        "metafor sets: {n_sets} sets, {n_values} values; worst |diff|/(atol + rtol|e|) = {:.3e} at {}",
        worst.0, worst.1
    );
}
