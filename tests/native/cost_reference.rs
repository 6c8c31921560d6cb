//! Cost per outcome (issue 7): p08 end to end — the data file, the case file as the recipe and the
//! cost table as uploaded — against the reference `results.cost`, with its tolerances (bootstrap
//! limits ±5%, run with the case's B = 100000).

use crate::support::{compare, read_json, reference_dir};
use lantern::core::analyses::analyse;
use lantern::core::analyses::cost::{add_to_analysis, parse_cost_csv, BootstrapSettings, CostArm};
use lantern::core::ingest::read_csv;
use lantern::core::recipe::Recipe;
use lantern::core::results::export_json;
use serde_json::Value;

const CASE: &str = "p08_cost_n400";

fn case_files() -> (String, Vec<u8>, Vec<u8>) {
    let dir = reference_dir().join("analysis");
    let spec_text = std::fs::read_to_string(dir.join(format!("{CASE}.json"))).unwrap();
    let spec: Value = serde_json::from_str(&spec_text).unwrap();
    let data = std::fs::read(dir.join(spec["csv"].as_str().unwrap())).unwrap();
    let costs = std::fs::read(dir.join(spec["cost_inputs"]["table_csv"].as_str().unwrap())).unwrap();
    (spec_text, data, costs)
}

#[test]
fn p08_cost_equals_reference() {
    let (spec_text, data, cost_bytes) = case_files();
    let spec = read_json(&reference_dir().join("analysis").join(format!("{CASE}.json")));
    let ds = read_csv(&data, CASE).unwrap();
    let recipe = Recipe::from_json(&spec_text).unwrap();
    let parsed = parse_cost_csv(&cost_bytes, recipe.group_levels.as_ref()).unwrap();
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    assert_eq!(parsed.table.items.len(), 6);
    let boot = BootstrapSettings::from_recipe(&recipe);
    assert_eq!(boot.replicates as u64, spec["cost_inputs"]["bootstrap_B"].as_u64().unwrap());

    let mut a = analyse(&ds, &recipe);
    let mut calls = 0;
    add_to_analysis(&mut a, &ds, &recipe, &parsed.table, &boot, &mut |_| {
        calls += 1;
        true
    });
    assert_eq!(calls, 100, "progress about every 1%");
    let got: Value = serde_json::from_str(&export_json(&recipe, &ds.summary(), &a)).unwrap();
    let cost = &got["results"]["cost"];
    let mut failures = Vec::new();
    let n = compare(&spec["results"]["cost"], cost, "cost", &mut failures);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(n, spec["results"]["cost"].as_object().unwrap().len());
    assert_eq!(n, 16);
    for key in spec["results"]["cost"].as_object().unwrap().keys() {
        assert!(cost.get(key).is_some_and(|v| !v.is_null()), "cost.{key} missing");
    }
    // What was run is in the export.
    assert_eq!(cost["bootstrap_B"], 100_000);
    assert_eq!(cost["bootstrap_replicates_done"], 100_000);
    assert_eq!(cost["bootstrap_seed"], boot.seed);
    assert_eq!(cost["bootstrap_cancelled"], false);
    assert_eq!(cost["classification"], "ratio_meaningful");
    assert_eq!(cost["icer_reported"], cost["incremental_cost_per_additional_help_seeker"]);
    // The reference limits from numpy and R boot differ by up to 1.1%; ours must be as close.
    let info = &spec["info"]["cost"];
    for (k, r) in [("boot_ci_low", "boot_ci_low_R_boot_type7"), ("boot_ci_high", "boot_ci_high_R_boot_type7")] {
        let (ours, numpy, rboot) = (
            cost[k].as_f64().unwrap(),
            spec["results"]["cost"][k]["value"].as_f64().unwrap(),
            info[r].as_f64().unwrap(),
        );
        println!("{k}: lantern {ours}, numpy {numpy}, R boot {rboot}");
        assert!((ours - rboot).abs() <= 0.05 * rboot);
    }
    // The sentence, with the reference numbers (ICER 278.6 → 279).
    let summary = cost["summary"].as_str().unwrap();
    assert!(summary.contains("Each additional person who sought help cost about 279 (95% interval"), "{summary}");
    // The help-seeking difference is clearly positive, so the acceptability curve reaches ~1.
    assert!(cost["boot_delta_effect_ci_low"].as_f64().unwrap() > 0.0);
    let ceac = cost["ceac"].as_array().unwrap();
    assert_eq!(ceac[0]["probability"], 0.0);
    assert!(ceac.last().unwrap()["probability"].as_f64().unwrap() > 0.99);
    assert_eq!(cost["ce_plane"]["replicates"].as_array().unwrap().len(), 1000);
    // Sensitivity: stipends (the largest ingredient) swings the ratio most; ±20% of 6000 over 200
    // participants is ±6 per participant, so the ratio moves by 6/Δp either way.
    let s0 = &cost["sensitivity"][0];
    assert!(s0["label"].as_str().unwrap().starts_with("stipends"));
    let dp = spec["results"]["cost"]["p_help_intervention"]["value"].as_f64().unwrap()
        - spec["results"]["cost"]["p_help_control"]["value"].as_f64().unwrap();
    let icer = spec["results"]["cost"]["incremental_cost_per_additional_help_seeker"]["value"].as_f64().unwrap();
    assert!((s0["icer_at_high"].as_f64().unwrap() - (icer + 6.0 / dp)).abs() < 1e-9);
    assert!((s0["icer_at_low"].as_f64().unwrap() - (icer - 6.0 / dp)).abs() < 1e-9);
}

#[test]
fn p08_cost_table_written_the_european_way_gives_the_same_totals() {
    // The same six costs as a semicolon file with decimal commas, thousands dots, a euro sign,
    // a header in other words and a total row: the reference totals must come out.
    let text = "Cost item ; Group ; Amount (EUR)\n\
                Stipends;Intervention;6.000,00 €\n\
                training;intervention;3.100\n\
                supervision;intervention;\"2 400,00\"\n\
                materials;intervention;980,00\n\
                evaluation;intervention;1.500,00\n\
                materials;control;350,00\n\
                Total;;14.330,00\n";
    let parsed = parse_cost_csv(text.as_bytes(), None).unwrap();
    assert_eq!(parsed.diagnostics.len(), 1, "{:?}", parsed.diagnostics);
    assert_eq!((parsed.diagnostics[0].row, parsed.diagnostics[0].column.as_deref()), (Some(7), Some("Cost item")));
    let spec = read_json(&reference_dir().join("analysis").join(format!("{CASE}.json")));
    let t = parsed.table.totals(200, 200);
    assert_eq!(t.intervention, spec["results"]["cost"]["total_intervention"]["value"].as_f64().unwrap());
    assert_eq!(t.control, spec["results"]["cost"]["total_control"]["value"].as_f64().unwrap());
    assert!(parsed.table.items.iter().filter(|i| i.arm == CostArm::Control).count() == 1);
    assert_eq!(parsed.table.currency, "€");
    assert!(!parsed.notes.iter().any(|n| n.contains("mixes currencies")));
}

#[test]
fn cost_without_help_seeking_still_gives_costs_per_outcome() {
    // p08 without the help-seeking role: the cost ratios of the reference remain, the ICER and
    // its interval are not computable (null), and a note says what is needed.
    let (spec_text, data, cost_bytes) = case_files();
    let spec = read_json(&reference_dir().join("analysis").join(format!("{CASE}.json")));
    let ds = read_csv(&data, CASE).unwrap();
    let mut recipe = Recipe::from_json(&spec_text).unwrap();
    recipe.columns.help_post = None;
    let parsed = parse_cost_csv(&cost_bytes, None).unwrap();
    let mut a = analyse(&ds, &recipe);
    add_to_analysis(&mut a, &ds, &recipe, &parsed.table, &BootstrapSettings::default(), &mut |_| true);
    let cost = serde_json::to_value(a.results.cost.as_ref().unwrap()).unwrap();
    let mut failures = Vec::new();
    for k in
        ["cost_per_enrolled", "cost_per_completer", "cost_per_reliably_improved", "n_reliably_improved_intervention"]
    {
        compare(&spec["results"]["cost"][k], &cost[k], k, &mut failures);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    for k in ["incremental_cost_per_additional_help_seeker", "boot_ci_low", "boot_ci_high", "p_help_intervention"] {
        assert!(cost[k].is_null(), "{k} should be null");
    }
    assert_eq!(cost["classification"], "undefined");
    assert!(a.notes.iter().any(|n| n.contains("help-seeking")));
}

#[test]
fn every_case_gives_cost_counts_equal_to_the_reference_sections() {
    // Any data file with the p08 cost table: the counts and shares the cost analysis takes from
    // the data equal the reference's own RCI and help-seeking sections, and nothing is NaN.
    let (_, _, cost_bytes) = case_files();
    let table = parse_cost_csv(&cost_bytes, None).unwrap().table;
    let dir = reference_dir().join("analysis");
    let mut cases: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".json"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 10);
    let boot = BootstrapSettings { replicates: 200, ..Default::default() };
    for name in cases {
        let spec_text = std::fs::read_to_string(dir.join(&name)).unwrap();
        let spec: Value = serde_json::from_str(&spec_text).unwrap();
        let ds = read_csv(&std::fs::read(dir.join(spec["csv"].as_str().unwrap())).unwrap(), &name).unwrap();
        let recipe = Recipe::from_json(&spec_text).unwrap();
        let mut a = analyse(&ds, &recipe);
        add_to_analysis(&mut a, &ds, &recipe, &table, &boot, &mut |_| true);
        let json = serde_json::to_string(&a.results).unwrap();
        assert!(!json.contains("NaN") && !json.contains("inf"), "{name}");
        let cost = serde_json::to_value(a.results.cost.as_ref().unwrap()).unwrap();
        let r = &spec["results"];
        let two_arm = spec["design"] == "two_arm";
        let rci_arm = if two_arm { "intervention" } else { "all" };
        assert_eq!(cost["n_reliably_improved_intervention"], r["rci"][rci_arm]["improved"]["value"], "{name}");
        if two_arm {
            let hb = &r["help_between_post"];
            let mut failures = Vec::new();
            compare(&hb["p_int"], &cost["p_help_intervention"], &format!("{name}.p_int"), &mut failures);
            compare(&hb["p_ctrl"], &cost["p_help_control"], &format!("{name}.p_ctrl"), &mut failures);
            assert!(failures.is_empty(), "{}", failures.join("\n"));
            assert_eq!(cost["n_help_answered_intervention"], hb["n_int"]["value"], "{name}");
            assert_eq!(
                cost["n_enrolled_intervention"].as_u64().unwrap() + cost["n_enrolled_control"].as_u64().unwrap(),
                spec["n_rows"].as_u64().unwrap(),
                "{name}"
            );
            if hb["p_int"]["value"] == hb["p_ctrl"]["value"] {
                assert!(cost["incremental_cost_per_additional_help_seeker"].is_null(), "{name}");
                assert_eq!(cost["classification"], "undefined", "{name}");
            }
        } else {
            assert_eq!(cost["n_enrolled_intervention"], spec["n_rows"], "{name}");
            assert!(
                cost["incremental_cost_per_additional_help_seeker"].is_null() && cost["total_control"].is_null(),
                "{name}"
            );
        }
    }
}
