//! CONTRACT §7 on data the public cases do not cover: `tests/data/mixed_reference.json`,
//! written by R 4.2 + nlme 3.1 (`tests/data/mixed_reference.R`, which also confirms each REML
//! optimum with its own profiled likelihood): unbalanced trials with drop-out, a single group,
//! a boundary fit (σ_u = 0), follow-up in one arm only, no follow-up, and p07's subgroups —
//! `mixed`, `subgroup_tests` and `multiplicity`, each value with its own atol/rtol.

use crate::support::compare;
use lantern::core::analyses::waves::{mixed_results, multiplicity, subgroup_tests, Arm, PersonWaves, SubgroupP};
use serde_json::Value;

#[test]
fn r_fixture_cases() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/mixed_reference.json");
    let fx: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let (mut failures, mut checked) = (Vec::new(), 0);
    for case in fx["cases"].as_array().unwrap() {
        let id = case["id"].as_str().unwrap();
        let two_arm = case["two_arm"].as_bool().unwrap();
        let alpha = case["alpha"].as_f64().unwrap();
        let rows: Vec<PersonWaves> = case["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| PersonWaves {
                arm: match r["arm"].as_str() {
                    Some("intervention") => Some(Arm::Intervention),
                    Some("control") => Some(Arm::Control),
                    Some("all") => Some(Arm::All),
                    _ => None,
                },
                pre: r["pre"].as_f64(),
                post: r["post"].as_f64(),
                followup: r["followup"].as_f64(),
                level: r["level"].as_str().map(str::to_string),
            })
            .collect();
        let exp = &case["expected"];
        let mixed = mixed_results(&rows, two_arm, alpha);
        if let Some(e) = exp.get("mixed") {
            checked += compare(e, &serde_json::to_value(&mixed).unwrap(), &format!("{id}.mixed"), &mut failures);
        }
        if let Some(b) = case["boundary"].as_bool() {
            assert_eq!(mixed.boundary, b, "{id}: boundary flag");
        }
        if let Some(e) = exp.get("subgroup_tests") {
            let a = serde_json::to_value(subgroup_tests(&rows, two_arm)).unwrap();
            checked += compare(e, &a, &format!("{id}.subgroup_tests"), &mut failures);
            if let Some(lo) = case.get("left_out") {
                for (arm, v) in lo.as_object().unwrap() {
                    assert_eq!(&a[arm]["left_out"], v, "{id}: left_out of {arm}");
                }
            }
        }
        if let Some(e) = exp.get("multiplicity") {
            let fam: Vec<SubgroupP> = case["family"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| SubgroupP {
                    arm: match f["arm"].as_str() {
                        Some("intervention") => Arm::Intervention,
                        Some("control") => Arm::Control,
                        _ => Arm::All,
                    },
                    level: f["level"].as_str().unwrap().to_string(),
                    p: f["p"].as_f64(),
                })
                .collect();
            checked += compare(
                e,
                &serde_json::to_value(multiplicity(&fam)).unwrap(),
                &format!("{id}.multiplicity"),
                &mut failures,
            );
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked >= 300, "only {checked} values compared");
}
