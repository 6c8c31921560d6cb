//! The analysis-ready cleaned CSV: every messy export in `tests/reference/formats/` must give
//! `clean.csv` cell for cell (numbers compared as numbers, text exactly, missing = blank), with
//! the columns found by the manifest's `columns` (export headers differ from clean.csv's names).
//! Expected values come from the reference files only; both files are read with the `csv`
//! crate, not with Lantern's reader. Then the data dictionary of one file, checked by hand.

use crate::support::{read_json, reference_dir};
use lantern::core::ingest::identify::columns_to_leave_out;
use lantern::core::ingest::read_csv;
use lantern::core::present::clean_csv::{dictionary_csv_without, safe_csv_without};
use serde_json::Value;

/// Header and rows of a CSV text, read by the `csv` crate.
fn parse(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut rows: Vec<Vec<String>> = r.records().map(|rec| rec.unwrap().iter().map(str::to_string).collect()).collect();
    assert!(!rows.is_empty(), "no header row");
    let header = rows.remove(0);
    (header, rows)
}

/// The cleaned CSV of one export (identifying columns kept when `keep_all`).
fn cleaned(file: &str, keep_all: bool) -> (lantern::core::dataset::Dataset, String) {
    let bytes = std::fs::read(reference_dir().join("formats").join(file)).unwrap();
    let ds = read_csv(&bytes, file).unwrap_or_else(|e| panic!("{file}: {e}"));
    let keep: Vec<String> = if keep_all { ds.column_names() } else { Vec::new() };
    let drop = columns_to_leave_out(&ds, &keep);
    let text = safe_csv_without(&ds, &drop);
    (ds, text)
}

/// Every cell of one file's cleaned CSV against clean.csv; returns the mismatches.
fn compare_file(m: &Value, entry: &Value, keep_all: bool) -> Vec<String> {
    let file = entry["file"].as_str().unwrap();
    let (want_header, want_rows) = parse(&std::fs::read_to_string(reference_dir().join("formats/clean.csv")).unwrap());
    let (_, text) = cleaned(file, keep_all);
    let (header, rows) = parse(&text);
    let mut fails = Vec::new();
    if rows.len() != want_rows.len() {
        fails.push(format!("{file}: {} rows, want {}", rows.len(), want_rows.len()));
    }
    if rows.iter().any(|r| r.len() != header.len()) {
        fails.push(format!("{file}: ragged rows"));
    }
    let numeric: Vec<&str> = m["numeric_columns"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    for (j, clean_col) in want_header.iter().enumerate() {
        let name = entry["columns"][clean_col].as_str().unwrap();
        let Some(k) = header.iter().position(|h| h == name) else {
            fails.push(format!("{file}: no column “{name}” ({clean_col}) in {header:?}"));
            continue;
        };
        // The manifest's text → text maps (SurveyMonkey's "25 to 34" → "25-34", group words →
        // arm names) relabel categories; the cleaned CSV keeps the export's own labels.
        let relabel = entry["value_maps"].get(clean_col.as_str()).filter(|_| !numeric.contains(&clean_col.as_str()));
        for (r, (got_row, want_row)) in rows.iter().zip(&want_rows).enumerate() {
            let got = got_row.get(k).map_or("", String::as_str);
            let want = want_row.get(j).map_or("", String::as_str);
            let same = if numeric.contains(&clean_col.as_str()) {
                match (want.is_empty(), got.is_empty()) {
                    (true, true) => true,
                    (false, false) => match (want.parse::<f64>(), got.parse::<f64>()) {
                        (Ok(w), Ok(g)) => w == g,
                        _ => false,
                    },
                    _ => false,
                }
            } else {
                let got = relabel.and_then(|mp| mp[got].as_str()).unwrap_or(got);
                got == want
            };
            if !same {
                fails.push(format!("{file}: {clean_col} row {}: got {got:?}, want {want:?}", r + 1));
            }
        }
    }
    fails
}

#[test]
fn every_export_s_cleaned_csv_is_clean_csv() {
    let m = read_json(&reference_dir().join("formats/manifest.json"));
    let files = m["files"].as_array().unwrap();
    assert_eq!(files.len(), 7);
    let mut fails = Vec::new();
    for entry in files {
        // Identifying columns kept (every column compared), then left out as by default: the
        // columns still there are the same, and only columns flagged as identifying are gone.
        fails.extend(compare_file(&m, entry, true));
        let file = entry["file"].as_str().unwrap();
        let (ds, text) = cleaned(file, false);
        let (header, _) = parse(&text);
        let left_out = columns_to_leave_out(&ds, &[]);
        for name in ds.column_names() {
            if header.contains(&name) == left_out.contains(&name) {
                fails.push(format!("{file}: “{name}” in the default export: {}", header.contains(&name)));
            }
        }
    }
    assert!(fails.is_empty(), "{} mismatches:\n{}", fails.len(), fails.join("\n"));
}

/// The dictionary's row for one column, as a map from the dictionary's header.
fn dictionary_row(text: &str, column: &str) -> std::collections::BTreeMap<String, String> {
    let (header, rows) = parse(text);
    let row = rows.iter().find(|r| r.first().map(String::as_str) == Some(column)).unwrap_or_else(|| panic!("{column}"));
    header.into_iter().zip(row.iter().cloned()).collect()
}

#[test]
fn the_data_dictionary_of_the_qualtrics_and_missing_code_files() {
    // Values read off the files by hand (row 2 of the Qualtrics export holds the question text;
    // its Likert item Q4_1 has one blank answer, Q5 two, Q6 one).
    let (ds, _) = cleaned("a_qualtrics_export.csv", false);
    let dict = dictionary_csv_without(&ds, &[]);
    let q = dictionary_row(&dict, "Q4_1");
    assert_eq!(q["source_header"], "Q4_1");
    assert_eq!(
        q["question"],
        "How much do you agree or disagree with each statement? - People with a mental illness are dangerous."
    );
    assert_eq!(q["type"], "number");
    assert_eq!(q["written_as"], "number");
    assert_eq!(
        q["value_map"],
        "Strongly disagree=1; Somewhat disagree=2; Neither agree nor disagree=3; Somewhat agree=4; Strongly agree=5"
    );
    assert_eq!(q["missing_codes"], "1 blank");
    let yes_no = dictionary_row(&dict, "Q5");
    assert_eq!(yes_no["question"], "In the past 3 months, have you talked to a professional about your mental health?");
    assert_eq!((yes_no["type"].as_str(), yes_no["value_map"].as_str()), ("yes/no", "No=0; Yes=1"));
    assert_eq!(yes_no["missing_codes"], "2 blank");
    let hours = dictionary_row(&dict, "Q6");
    assert_eq!(
        (hours["type"].as_str(), hours["value_map"].as_str(), hours["missing_codes"].as_str()),
        ("number", "", "1 blank")
    );
    let comment = dictionary_row(&dict, "Q7");
    assert_eq!((comment["type"].as_str(), comment["written_as"].as_str()), ("text", "text"));
    let status = dictionary_row(&dict, "Status");
    assert_eq!(status["notes"], "added by Qualtrics, not an answer");

    // Mixed missing codes: which codes each column holds, and how often.
    let (ds, _) = cleaned("f_missing_codes.csv", false);
    let dict = dictionary_csv_without(&ds, &columns_to_leave_out(&ds, &[]));
    assert_eq!(dictionary_row(&dict, "help_seeking")["missing_codes"], "1 × N/A; 1 × -99");
    assert_eq!(dictionary_row(&dict, "comment")["missing_codes"], "7 × NA; 3 × N/A; 8 blank");
    assert_eq!(dictionary_row(&dict, "q2")["missing_codes"], "1 × N/A");
    assert!(!dict.lines().any(|l| l.starts_with("name,")), "a left-out column is not described either");

    // The European file: hours written with a decimal comma, said so.
    let (ds, _) = cleaned("d_excel_european.csv", false);
    let dict = dictionary_csv_without(&ds, &[]);
    assert_eq!(dictionary_row(&dict, "hours_attended")["notes"], "decimal commas written as points");
}

#[test]
fn the_engine_offers_the_cleaned_data_and_its_dictionary() {
    use lantern::core::engine::service::{handle_to_end, Reply, Request, Service};
    use lantern::core::recipe::Recipe;
    let bytes = std::fs::read(reference_dir().join("formats/c_google_forms_responses.csv")).unwrap();
    let mut s = Service::new();
    let name = "c_google_forms_responses.csv".to_string();
    handle_to_end(
        &mut s,
        Request::LoadData { seq: 1, name, recipe: Recipe::default(), keep_roles: false },
        Some(&bytes),
    );
    let reply = |s: &mut Service, req| match handle_to_end(s, req, None).pop() {
        Some(Reply::CleanCsv { name, text, .. }) => (name, text),
        other => panic!("{other:?}"),
    };
    let (name, text) = reply(&mut s, Request::CleanCsv { seq: 2 });
    assert_eq!(name, "c_google_forms_responses-clean.csv");
    let (header, rows) = parse(&text);
    assert_eq!(rows.len(), 40);
    let (dname, dict) = reply(&mut s, Request::DataDictionary { seq: 3 });
    assert_eq!(dname, "c_google_forms_responses-dictionary.csv");
    let (_, drows) = parse(&dict);
    // One dictionary row per column written, in the same order.
    assert_eq!(drows.iter().map(|r| r[0].clone()).collect::<Vec<_>>(), header);
}
