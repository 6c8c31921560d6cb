//! Process and community counts (issue 11) against R: every number in
//! `tests/data/counts_reference.out` (written by `tests/data/counts_reference.R`, R 4.2.2;
//! statsmodels agrees, `counts_reference.py` / `_py.out`) is compared with what Lantern computes
//! from the same series written as counts files; and a participant file with an attendance
//! column goes through the analysis and the results export.

use lantern::core::analyses::analyse;
use lantern::core::analyses::process::counts::rate_ratio::rate_ratio;
use lantern::core::analyses::process::counts_analysis;
use lantern::core::ingest::read_csv;
use lantern::core::recipe::Recipe;
use lantern::core::results::export_json;
use serde_json::Value;
use std::path::PathBuf;

fn reference_out() -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/counts_reference.out");
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Numbers of a "(1, 2.5, Inf, ...)," line; `Inf` → infinity.
fn tuple(line: &str) -> Vec<f64> {
    line.trim()
        .trim_end_matches(',')
        .trim_start_matches('(')
        .trim_end_matches(')')
        .split(',')
        .map(|s| s.trim().parse::<f64>().unwrap())
        .collect()
}

fn rel(got: Option<f64>, want: f64, tol: f64, what: &str) {
    if want.is_infinite() {
        assert_eq!(got, None, "{what}: R gives Inf, Lantern must say not computable");
        return;
    }
    let g = got.unwrap_or_else(|| panic!("{what}: None, R gives {want}"));
    assert!((g - want).abs() <= tol * want.abs() + 1e-300, "{what}: {g} vs R {want}");
}

/// The series of counts_reference.R: (name, start, counts, exposure).
fn series() -> Vec<(&'static str, usize, Vec<f64>, Vec<f64>)> {
    vec![
        (
            "s1",
            13,
            vec![
                30., 40., 27., 53., 37., 43., 33., 45., 49., 43., 40., 38., 66., 56., 54., 59., 66., 51., 66., 50.,
                53., 38., 61., 48.,
            ],
            (1..=24).map(|t| 50000.0 + 150.0 * t as f64).collect(),
        ),
        ("s2", 9, vec![0., 0., 0., 2., 1., 0., 2., 1., 0., 0., 0., 3., 1., 3., 2., 0.], vec![1.0; 16]),
        (
            "s3",
            19,
            vec![
                100., 169., 75., 168., 79., 105., 86., 116., 93., 82., 103., 169., 219., 84., 176., 81., 134., 93.,
                132., 162., 136., 74., 217., 171., 247., 225., 131., 136., 123., 200.,
            ],
            [31., 28., 31., 30., 31., 30., 31., 31., 30., 31., 30., 31.].iter().cycle().take(30).copied().collect(),
        ),
    ]
}

#[test]
fn rate_ratios_equal_r_poisson_test() {
    let out = reference_out();
    let mut n = 0;
    let mut in_section = false;
    for line in out.lines() {
        if line.starts_with("## poisson.test") {
            in_section = true;
            continue;
        }
        if line.starts_with("##") {
            in_section = false;
        }
        if !in_section || !line.starts_with('(') {
            continue;
        }
        let v = tuple(line);
        let r = rate_ratio(v[0] as u64, v[1], v[2] as u64, v[3], (1, 1), 1.0, 0.05);
        let what = format!("poisson.test({}, {}, {}, {})", v[0], v[1], v[2], v[3]);
        rel(r.rate_ratio, v[4], 1e-9, &format!("{what} estimate"));
        rel(r.exact_ci_low, v[5], 1e-9, &format!("{what} conf.low"));
        rel(r.exact_ci_high, v[6], 1e-9, &format!("{what} conf.high"));
        rel(r.exact_p, v[7], 1e-9, &format!("{what} p"));
        n += 1;
    }
    assert!(n >= 6, "only {n} poisson.test cases read");
}

#[test]
fn interrupted_time_series_equal_r_glm_from_counts_files() {
    let out = reference_out();
    let lines: Vec<&str> = out.lines().collect();
    for (name, start, counts, exposure) in series() {
        // The series as a monthly counts file with a 0/1 program-start column.
        let mut csv = String::from("month,calls,exposure,program_start\n");
        for (i, (c, e)) in counts.iter().zip(&exposure).enumerate() {
            csv.push_str(&format!("{}-{:02},{c},{e},{}\n", 2020 + i / 12, i % 12 + 1, u8::from(i + 1 >= start)));
        }
        let r = counts_analysis(csv.as_bytes(), &format!("{name}.csv"), &Recipe::default()).unwrap();
        let its = r.its.as_ref().unwrap_or_else(|| panic!("{name}: no time series: {:?}", r.notes));
        let head = lines.iter().position(|l| l.starts_with(&format!("## {name}:"))).unwrap();
        let h: Vec<&str> = lines[head].split_whitespace().collect();
        let stat = |key: &str| -> f64 { h[h.iter().position(|w| *w == key).unwrap() + 1].parse().unwrap() };
        rel(its.deviance, stat("deviance"), 1e-8, &format!("{name} deviance"));
        rel(its.pearson_chi2, stat("pearson_chi2"), 1e-8, &format!("{name} pearson"));
        rel(its.dispersion, stat("dispersion"), 1e-8, &format!("{name} dispersion"));
        assert_eq!(its.df_resid as f64, stat("df"));
        let terms = [&its.intercept, &its.pre_trend, &its.level_change, &its.slope_change];
        for (j, t) in terms.iter().enumerate() {
            let v = tuple(lines[head + 2 + j]);
            let what = format!("{name} b{j}");
            // The issue asks for 1e-6 relative; the fit is much closer.
            rel(t.estimate, v[0], 1e-7, &format!("{what} estimate"));
            rel(t.poisson.se, v[1], 1e-7, &format!("{what} se"));
            rel(t.poisson.z, v[2], 1e-7, &format!("{what} z"));
            if v[3] > 0.0 {
                rel(t.poisson.p, v[3], 1e-6, &format!("{what} p"));
            }
            rel(t.poisson.ci_low, v[4], 1e-7, &format!("{what} ci_low"));
            rel(t.poisson.ci_high, v[5], 1e-7, &format!("{what} ci_high"));
            if stat("dispersion") > 1.0 {
                rel(t.quasi.as_ref().and_then(|q| q.se), v[6], 1e-7, &format!("{what} quasi se"));
            }
        }
        // Exported under results.community with plain numbers, no NaN.
        let json = serde_json::to_string(&r).unwrap();
        assert!(!json.contains("NaN") && !json.contains("inf"), "{name}");
    }
}

#[test]
fn participant_file_with_attendance_exports_process_results() {
    // Intervention: dose 2,4,6,8 with change −1,−2,−2,−4 (slope −0.45 by hand: Sxx = 20,
    // Sxy = −9); one intervention drop-out; control has no dose.
    let csv = "id,group,age_band,pre,post,sessions\n\
        1,intervention,18-24,20,19,2\n\
        2,intervention,25-34,22,20,4\n\
        3,intervention,18-24,25,23,6\n\
        4,intervention,25-34,24,20,8\n\
        5,intervention,18-24,23,,1\n\
        6,control,18-24,21,21,\n\
        7,control,25-34,22,21,\n\
        8,control,25-34,20,20,\n";
    let ds = read_csv(csv.as_bytes(), "trial.csv").unwrap();
    let mut recipe = Recipe::default();
    recipe.suggest_columns(&ds.column_names());
    assert_eq!(recipe.columns.dose, None, "“sessions” alone is not guessed as the dose");
    let recipe = Recipe::from_json(
        r#"{"columns":{"group":"group","pre":"pre","post":"post","subgroup":"age_band","dose":"sessions"},
            "process":{"population":{"18-24":0.5,"25-34":0.5}}}"#,
    )
    .unwrap();
    let mut a = analyse(&ds, &recipe);
    a.results.community =
        Some(counts_analysis(b"period,count,start\n1,5,0\n2,6,0\n3,9,1\n4,8,1\n", "c.csv", &recipe).unwrap());
    let doc: Value = serde_json::from_str(&export_json(&recipe, &ds.summary(), &a)).unwrap();
    let p = &doc["results"]["process"];
    assert_eq!(p["retention"]["arms"]["intervention"]["dropped"], 1);
    assert_eq!(p["retention"]["arms"]["control"]["attrition_rate"], 0.0);
    // Each section has its own key (issue 11): process, dose, satisfaction, reach, community.
    let r = &doc["results"];
    assert!(p.get("dose").is_none() && p.get("reach").is_none());
    let slope = r["dose"]["regression"]["slope"].as_f64().unwrap();
    assert!((slope + 0.45).abs() < 1e-12, "{slope}");
    assert_eq!(r["dose"]["regression"]["n"], 4);
    assert_eq!(r["dose"]["points"].as_array().unwrap().len(), 4);
    assert_eq!(r["reach"]["levels"][0]["enrolled"]["count"], 4);
    assert_eq!(doc["recipe"]["columns"]["dose"], "sessions");
    assert_eq!(r["community"]["before_after"]["count_after"], 17.0);
    assert!(r["community"]["its"].is_object());
    assert!(r.get("counts").is_none());
    let text = doc.to_string();
    assert!(!text.contains("NaN"));
}
