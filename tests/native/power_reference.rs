//! Every case of `tests/reference/power.json` through `power::solve`: each `expected` key
//! must be present in the output and within its atol/rtol (`|a - e| <= atol + rtol*|e|`).

use crate::support::{read_json, reference_dir};
use lantern::core::planning::power::{link, report_json, solve, PowerCase};
use serde_json::Value;

fn cases() -> Vec<Value> {
    let doc = read_json(&reference_dir().join("power.json"));
    doc["cases"].as_array().expect("power.json has cases").clone()
}

#[test]
fn every_power_case_matches_the_reference() {
    let mut failures = Vec::new();
    let (mut n_cases, mut n_values) = (0, 0);
    for c in cases() {
        let id = c["id"].as_str().unwrap_or("?").to_string();
        let case: PowerCase = match serde_json::from_value(c.clone()) {
            Ok(case) => case,
            Err(e) => {
                failures.push(format!("{id}: cannot read the case: {e}"));
                continue;
            }
        };
        n_cases += 1;
        let out = match solve(&case) {
            Ok(out) => serde_json::to_value(out).unwrap(),
            Err(e) => {
                failures.push(format!("{id}: error: {e}"));
                continue;
            }
        };
        let expected = c["expected"].as_object().expect("expected is an object");
        assert!(!expected.is_empty(), "{id} has no expected values");
        for (key, spec) in expected {
            n_values += 1;
            let want = spec["value"].as_f64().unwrap_or_else(|| panic!("{id}.{key}: no value"));
            let atol = spec["atol"].as_f64().unwrap_or_else(|| panic!("{id}.{key}: no atol"));
            let rtol = spec["rtol"].as_f64().unwrap_or_else(|| panic!("{id}.{key}: no rtol"));
            match out.get(key).and_then(Value::as_f64) {
                None => failures.push(format!("{id}.{key}: missing from the output {out}")),
                Some(got) if (got - want).abs() <= atol + rtol * want.abs() => {}
                Some(got) => failures.push(format!(
                    "{id}.{key}: expected {want} (atol {atol}, rtol {rtol}), got {got} (diff {:e})",
                    got - want
                )),
            }
        }
    }
    assert!(failures.is_empty(), "{} power mismatches:\n{}", failures.len(), failures.join("\n"));
    assert_eq!(n_cases, 58, "every power.json case is run");
    assert_eq!(n_values, 120, "every expected value is compared");
}

#[test]
fn solved_values_match_the_tight_roots_closely() {
    // The tolerances above are loose for solved n and d (rtol 1e-3); our roots are tight
    // (Brent, 1e-13) on an accurate noncentral t, so they match R's uniroot(tol = 1e-13)
    // answers in power.json to far better: 1e-8 relative.
    for c in cases() {
        let id = c["id"].as_str().unwrap().to_string();
        let case: PowerCase = serde_json::from_value(c.clone()).unwrap();
        let out = serde_json::to_value(solve(&case).unwrap()).unwrap();
        for key in ["n_real", "n2_real", "d", "h_detectable", "power"] {
            if let Some(want) = c["expected"].get(key).and_then(|s| s["value"].as_f64()) {
                let got = out[key].as_f64().unwrap();
                assert!((got - want).abs() <= 1e-8 * want.abs().max(1e-3), "{id}.{key}: {got} vs {want}");
            }
        }
    }
}

#[test]
fn r_info_values_agree_too() {
    // `info` holds further R values (not part of the reference test): the power at the
    // ceiling of a solved n and the noncentral power at the CRA2_2 MDES.
    let mut checked = 0;
    for c in cases() {
        let id = c["id"].as_str().unwrap().to_string();
        let case: PowerCase = serde_json::from_value(c.clone()).unwrap();
        let out = serde_json::to_value(solve(&case).unwrap()).unwrap();
        for (info_key, out_key) in [
            ("power_at_n_ceiling", "power_at_n_ceiling"),
            ("power_at_n2_ceiling", "power_at_n2_ceiling"),
            ("power_at_mdes_noncentral_t", "power_at_mdes"),
        ] {
            if let Some(want) = c["info"].get(info_key).and_then(Value::as_f64) {
                let got = out[out_key].as_f64().unwrap_or_else(|| panic!("{id}: no {out_key}"));
                assert!((got - want).abs() < 1e-9, "{id}.{out_key}: {got} vs R {want}");
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 14, "every such info value is checked");
}

#[test]
fn every_case_survives_a_planning_link() {
    for c in cases() {
        let id = c["id"].as_str().unwrap().to_string();
        let case: PowerCase = serde_json::from_value(c.clone()).unwrap();
        let back = link::from_query(&link::to_fragment(&case)).unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(solve(&back).unwrap(), solve(&case).unwrap(), "{id}");
        let report = report_json(&case, &solve(&case).unwrap());
        assert_eq!(report["design"], c["design"], "{id}");
        assert_eq!(report["solve_for"], c["solve_for"], "{id}");
        // Same inputs (numbers compared as numbers: power.json writes 0.0 where we write 0).
        let (ours, theirs) = (report["inputs"].as_object().unwrap(), c["inputs"].as_object().unwrap());
        assert_eq!(ours.len(), theirs.len(), "{id}");
        for (k, v) in theirs {
            match (v.as_f64(), ours[k].as_f64()) {
                (Some(a), Some(b)) => assert_eq!(a, b, "{id}.{k}"),
                _ => assert_eq!(&ours[k], v, "{id}.{k}"),
            }
        }
    }
}
