//! The public linkage cases (reference/linkage/pl*.json): each wave file read as its
//! `formats` block says (a small CSV reader honouring encoding, BOM, delimiter and header
//! rows), linked by the case's recipe `link`, every `results.linkage` count checked, the linked
//! table's rows and columns checked, and the paired results' n and means recomputed from it.
//! Then the same cases through the engine (Request/Reply), as the page runs them: the wave
//! files loaded one by one with the full reader, the case file as recipe, `results.linkage`
//! and the paired results of the exported results checked against the case.

use crate::support::{compare, reference_dir};
use lantern::core::ingest::link::{link_tables, linked_table, LinkSettings, LinkedTable, RowTable, WaveTable};
use serde_json::Value;
use std::path::PathBuf;

fn case_dir() -> PathBuf {
    reference_dir().join("linkage")
}

/// Windows-1252 → char (0x80–0x9F per the code page; the rest is Latin-1).
fn cp1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž', '\u{8F}', '\u{90}', '‘',
        '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}', 'ž', 'Ÿ',
    ];
    if (0x80..0xA0).contains(&b) {
        HIGH[usize::from(b - 0x80)]
    } else {
        char::from(b)
    }
}

/// Records of a delimited text: quotes, doubled quotes, line breaks in quotes, CRLF or LF.
fn records(text: &str, delim: char) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut rec = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    cell.push('"');
                    chars.next();
                } else {
                    quoted = false;
                }
            } else {
                cell.push(c);
            }
        } else if c == '"' {
            quoted = true;
        } else if c == delim {
            rec.push(std::mem::take(&mut cell));
        } else if c == '\r' || c == '\n' {
            if c == '\r' && chars.peek() == Some(&'\n') {
                chars.next();
            }
            rec.push(std::mem::take(&mut cell));
            out.push(std::mem::take(&mut rec));
        } else {
            cell.push(c);
        }
    }
    if !cell.is_empty() || !rec.is_empty() {
        rec.push(cell);
        out.push(rec);
    }
    out
}

/// A wave file as its `formats` entry says: names from the first header row, the other
/// header rows dropped, cells trimmed (as Lantern's reader keeps them).
fn read_wave(dir: &std::path::Path, file: &str, format: &Value) -> RowTable {
    let bytes = std::fs::read(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    let mut text = match format["encoding"].as_str() {
        Some("cp1252") => bytes.iter().map(|&b| cp1252(b)).collect::<String>(),
        _ => String::from_utf8(bytes).unwrap(),
    };
    if text.starts_with('\u{FEFF}') {
        assert_eq!(format["bom"], true, "{file}: BOM");
        text.remove(0);
    } else {
        assert_eq!(format["bom"], false, "{file}: no BOM");
    }
    let delim = format["delimiter"].as_str().and_then(|d| d.chars().next()).unwrap();
    let header_rows = format["header_rows"].as_u64().unwrap() as usize;
    let mut recs = records(&text, delim);
    let names: Vec<String> = recs.first().unwrap().iter().map(|s| s.trim().to_string()).collect();
    let rows: Vec<Vec<String>> =
        recs.drain(header_rows..).map(|r| r.into_iter().map(|c| c.trim().to_string()).collect()).collect();
    assert_eq!(rows.len() as u64, format["data_rows"].as_u64().unwrap(), "{file}: data rows");
    RowTable { names, rows }
}

fn check_count(what: &str, got: usize, expected: &Value) {
    let want = expected["value"].as_f64().unwrap();
    assert_eq!(expected["atol"].as_f64(), Some(0.0), "{what}: a count");
    assert_eq!(got as f64, want, "{what}");
}

/// Mean of the linked table's complete (pre, other) pairs in `rows`.
struct Paired {
    n: usize,
    mean_pre: f64,
    mean_post: f64,
    sd_diff: f64,
}

fn paired(t: &LinkedTable, pre_col: &str, post_col: &str, decimal_comma: bool, keep: &dyn Fn(usize) -> bool) -> Paired {
    let num = |s: &str, comma: bool| -> Option<f64> {
        let s = if comma { s.replace(',', ".") } else { s.to_string() };
        s.trim().parse::<f64>().ok()
    };
    let (a, b) = (t.column(pre_col).unwrap(), t.column(post_col).unwrap());
    let pairs: Vec<(f64, f64)> = (0..t.n_rows())
        .filter(|&r| keep(r))
        .filter_map(|r| Some((num(&a[r], false)?, num(&b[r], decimal_comma)?)))
        .collect();
    let n = pairs.len();
    let mean = |v: &mut dyn Iterator<Item = f64>| v.sum::<f64>() / n as f64;
    let mean_pre = mean(&mut pairs.iter().map(|p| p.0));
    let mean_post = mean(&mut pairs.iter().map(|p| p.1));
    let md = mean_post - mean_pre;
    let sd_diff = (pairs.iter().map(|p| (p.1 - p.0 - md).powi(2)).sum::<f64>() / (n as f64 - 1.0)).sqrt();
    Paired { n, mean_pre, mean_post, sd_diff }
}

fn close(what: &str, got: f64, expected: &Value) {
    let want = expected["value"].as_f64().unwrap();
    let tol = expected["atol"].as_f64().unwrap() + expected["rtol"].as_f64().unwrap() * want.abs();
    assert!((got - want).abs() <= tol, "{what}: {got} vs {want}");
}

fn run_case(name: &str) {
    let dir = case_dir();
    let case: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join(format!("{name}.json"))).unwrap()).unwrap();
    let files = dir.join(name);
    let settings: LinkSettings = serde_json::from_value(case["link"].clone()).unwrap();
    let plan = settings.validate().unwrap();
    let tables: Vec<RowTable> = plan.waves().map(|w| read_wave(&files, &w.file, &case["formats"][&w.file])).collect();
    let fu: Option<&dyn WaveTable> = tables.get(2).map(|t| t as &dyn WaveTable);
    let l = link_tables(&plan, &tables[0], &tables[1], fu).unwrap();

    // results.linkage, every count, and nothing more than the contract's keys.
    let exp = &case["results"]["linkage"];
    let got = serde_json::to_value(l.results()).unwrap();
    for (wave, e) in exp["waves"].as_object().unwrap() {
        assert_eq!(got["waves"][wave]["file"].as_str(), e["file"]["value"].as_str(), "{name} {wave} file");
        for key in ["rows", "with_code", "duplicate_rows"] {
            check_count(
                &format!("{name} waves.{wave}.{key}"),
                got["waves"][wave][key].as_u64().unwrap() as usize,
                &e[key],
            );
        }
    }
    assert_eq!(got["waves"].as_object().unwrap().len(), exp["waves"].as_object().unwrap().len());
    for wave in ["post", "followup"] {
        let Some(e) = exp.get(wave) else {
            assert!(got.get(wave).is_none(), "{name}: no {wave} block");
            continue;
        };
        for (key, v) in e.as_object().unwrap() {
            check_count(&format!("{name} {wave}.{key}"), got[wave][key].as_u64().unwrap() as usize, v);
        }
        assert_eq!(got[wave].as_object().unwrap().len(), e.as_object().unwrap().len(), "{name} {wave}: same keys");
    }
    check_count(&format!("{name} participants"), l.participants(), &exp["participants"]);
    if let Some(kinds) = case["info"]["link_kinds_by_wave"].as_object() {
        for (wave, k) in kinds {
            for key in ["confirmed", "exact", "near"] {
                assert_eq!(got[wave][key], k[key], "{name} info {wave}.{key}");
            }
        }
    }

    // The linked table: its rows, its columns, the recipe's columns in it.
    let t = linked_table(&l, &tables[0], &tables[1], fu);
    assert_eq!(t.n_rows(), l.participants());
    assert_eq!(t.names[0], "link_code");
    let width: usize = tables.iter().map(|t| t.names.len()).sum();
    assert_eq!(t.names.len(), 1 + width);
    if let Some(rows) = case["linked_rows"].as_u64() {
        assert_eq!(t.n_rows() as u64, rows, "{name} linked_rows");
    }
    if let Some(cols) = case["linked_columns"].as_array() {
        let want: Vec<&str> = cols.iter().filter_map(Value::as_str).collect();
        assert_eq!(t.names, want, "{name} linked_columns");
    }
    for (role, col) in case["columns"].as_object().unwrap() {
        assert!(t.column(col.as_str().unwrap()).is_some(), "{name}: columns.{role} = {col} is in the linked table");
    }

    // The paired results' n, means and SD of differences from the linked table.
    let cols = &case["columns"];
    let mut checked = 0;
    let group = cols.get("group").and_then(Value::as_str).and_then(|g| t.column(g));
    for (block, other, comma) in [("paired", "post", false), ("paired_followup", "followup", true)] {
        let Some(arms) = case["results"].get(block).and_then(Value::as_object) else { continue };
        let other_col = cols[other].as_str().unwrap();
        let comma = comma && case["formats"][&plan.followup.as_ref().unwrap().file]["decimal"] == ",";
        for (arm, e) in arms {
            let level = case["group_levels"].get(arm.as_str()).and_then(Value::as_str);
            let keep = |r: usize| match (level, group) {
                (Some(level), Some(g)) => g[r] == level,
                _ => true,
            };
            let p = paired(&t, cols["pre"].as_str().unwrap(), other_col, comma, &keep);
            check_count(&format!("{name} {block}.{arm}.n"), p.n, &e["n"]);
            close(&format!("{name} {block}.{arm}.mean_pre"), p.mean_pre, &e["mean_pre"]);
            close(&format!("{name} {block}.{arm}.mean_post"), p.mean_post, &e["mean_post"]);
            close(&format!("{name} {block}.{arm}.mean_diff"), p.mean_post - p.mean_pre, &e["mean_diff"]);
            close(&format!("{name} {block}.{arm}.sd_diff"), p.sd_diff, &e["sd_diff"]);
            checked += 1;
        }
    }
    assert_eq!(checked, 2, "{name}: paired blocks checked (pl1: two arms; pl2: post and follow-up)");
}

#[test]
fn pl1_trial_ids_gforms_qualtrics() {
    run_case("pl1_trial_ids_gforms_qualtrics");
}

#[test]
fn pl2_single_selfcode_three_waves() {
    run_case("pl2_single_selfcode_three_waves");
}

#[test]
fn every_public_case_is_run() {
    let mut names: Vec<String> = std::fs::read_dir(case_dir())
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|f| f.strip_suffix(".json").map(str::to_string))
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["pl1_trial_ids_gforms_qualtrics", "pl2_single_selfcode_three_waves"],
        "a new case: add a test for it"
    );
}

// ---- Through the engine, as the page does it ----

use lantern::core::engine::service::Service;
use lantern::core::engine::service::{handle_to_end, Reply, Request};
use lantern::core::recipe::Recipe;
use lantern::core::results::export_json;

/// Loads the case's files as waves (in the case's file order, all together), then the case
/// file as recipe; returns the last reply's recipe, analysis, dataset summary and waves view.
fn through_engine(name: &str, recipe_first: bool) -> (Value, Value, Reply) {
    let dir = case_dir();
    let text = std::fs::read_to_string(dir.join(format!("{name}.json"))).unwrap();
    let case: Value = serde_json::from_str(&text).unwrap();
    let recipe = Recipe::from_json(&text).unwrap();
    let mut s = Service::new();
    let mut seq = 0;
    let mut last = None;
    let mut r = if recipe_first { recipe.clone() } else { Recipe::default() };
    let files = case["files"].as_array().unwrap();
    for (i, f) in files.iter().enumerate() {
        let f = f.as_str().unwrap();
        let bytes = std::fs::read(dir.join(name).join(f)).unwrap();
        seq += 1;
        // With the recipe loaded first the files are chosen together, as in the page: every
        // file but the last is only read and kept (`more`), and gives no reply.
        let more = recipe_first && i + 1 < files.len();
        let replies = handle_to_end(
            &mut s,
            Request::LoadWave { seq, name: f.into(), recipe: r.clone(), fresh: i == 0, replace: None, more },
            Some(&bytes),
        );
        if more {
            assert!(replies.is_empty(), "{name}: {f} answered before the last file: {replies:?}");
            continue;
        }
        let reply = replies.last().cloned().unwrap();
        if let Reply::Analysed { recipe, .. } = &reply {
            r = recipe.clone();
        }
        last = Some(reply);
    }
    if !recipe_first {
        seq += 1;
        last = handle_to_end(&mut s, Request::Analyse { seq, recipe: recipe.clone() }, None).pop();
    }
    let reply = last.unwrap();
    let Reply::Analysed { recipe, dataset: Some(ds), analysis: Some(a), .. } = &reply else {
        panic!("{name}: {reply:?}")
    };
    let exported: Value = serde_json::from_str(&export_json(recipe, ds, a)).unwrap();
    (case, exported, reply)
}

fn check_engine_case(name: &str, recipe_first: bool) {
    let (case, got, reply) = through_engine(name, recipe_first);
    let mut failures = Vec::new();
    let n = compare(&case["results"], &got["results"], "results", &mut failures);
    assert!(failures.is_empty(), "{name}: {} mismatches:\n{}", failures.len(), failures.join("\n"));
    assert!(n > 30, "{name}: only {n} values compared");
    let l = &got["results"]["linkage"];
    assert_eq!(l["waves"]["pre"]["file"], case["results"]["linkage"]["waves"]["pre"]["file"]["value"]);
    // Codes never reach the results: no code of the review panel appears in the export.
    let Reply::Analysed { waves: Some(v), .. } = &reply else { panic!("{name}: no waves view") };
    let text = got.to_string();
    for item in &v.review {
        assert!(!text.contains(&format!("\"{}\"", item.code)), "{name}: code {} in the results", item.code);
    }
    assert!(!text.contains("link_code\":"), "{name}: no link codes in results");
    if name.starts_with("pl1") {
        assert_eq!(
            v.reading.first().map(String::as_str),
            Some("52 of 69 people who answered before were found after: 50 by the same code, 2 by a code with one typing slip. 2 before and 1 after have a code close to more than one other code and were not linked (see the review; not counted below). 12 people before had no matching code after; 6 people after matched no one before. 17 of the people who answered before (25 %) are counted as not followed up after.")
        );
    }
}

#[test]
fn pl1_through_the_engine() {
    check_engine_case("pl1_trial_ids_gforms_qualtrics", false);
    check_engine_case("pl1_trial_ids_gforms_qualtrics", true);
}

#[test]
fn pl2_through_the_engine() {
    check_engine_case("pl2_single_selfcode_three_waves", false);
    check_engine_case("pl2_single_selfcode_three_waves", true);
}

#[test]
fn guessed_waves_and_codes_link_pl2_without_a_recipe() {
    let dir = case_dir().join("pl2_single_selfcode_three_waves");
    let mut s = Service::new();
    let mut r = Recipe::default();
    let mut last = None;
    for (i, f) in ["circle_after.csv", "circle_6m.csv", "circle_before.csv"].iter().enumerate() {
        let bytes = std::fs::read(dir.join(f)).unwrap();
        let reply = handle_to_end(
            &mut s,
            Request::LoadWave {
                seq: i as u64 + 1,
                name: f.to_string(),
                recipe: r.clone(),
                fresh: i == 0,
                replace: None,
                more: false,
            },
            Some(&bytes),
        )
        .pop()
        .unwrap();
        if let Reply::Analysed { recipe, .. } = &reply {
            r = recipe.clone();
        }
        last = Some(reply);
    }
    let Some(Reply::Analysed { recipe, analysis: Some(a), waves: Some(v), .. }) = last else { panic!() };
    assert!(v.problems.is_empty(), "{:?}", v.problems);
    let l = a.results.linkage.expect("linked");
    assert_eq!(l.participants, 47, "{l:?}");
    assert_eq!(
        (recipe.columns.pre.as_deref(), recipe.columns.post.as_deref()),
        (Some("pre_stigma_mean"), Some("post_stigma_mean")),
        "the pair is proposed"
    );
    // The follow-up form calls the same score "Stigma (mean)"; the case's recipe picks it.
    assert_eq!(recipe.columns.followup.as_deref(), Some("followup_Stigma (mean)"), "the follow-up is proposed");
    assert!(a.results.paired.contains_key("all"));
}

#[test]
fn bad_input_gives_plain_messages_naming_the_file_and_the_others_stay() {
    let mut s = Service::new();
    let mut seq = 0;
    let mut load = |s: &mut Service, name: &str, recipe: Recipe, fresh: bool, bytes: &[u8]| {
        seq += 1;
        handle_to_end(
            s,
            Request::LoadWave { seq, name: name.into(), recipe, fresh, replace: None, more: false },
            Some(bytes),
        )
        .pop()
        .unwrap()
    };
    let view = |r: &Reply| match r {
        Reply::Analysed { waves: Some(v), .. } => v.clone(),
        other => panic!("{other:?}"),
    };
    let r = load(&mut s, "group_before.csv", Recipe::default(), true, b"code,score\nAB-1,3\nAB-2,4\nAB-3,5\n");
    assert!(view(&r).waiting.is_some_and(|w| w.contains("“group_before.csv” is loaded as the before (pre) file")));
    // A file that does not read: named, and the before file stays.
    let r = load(&mut s, "group_after.csv", Recipe::default(), false, b"\x00\x01\x02\x03");
    assert!(
        matches!(&r, Reply::Failed { message, .. } if message.starts_with("“group_after.csv” could not be opened.") && message.ends_with("The other wave files stay loaded.")),
        "{r:?}"
    );
    // Codes that do not overlap at all.
    let r = load(&mut s, "group_after.csv", Recipe::default(), false, b"code,score\nZZ-9,3\nYY-8,4\nXX-7,5\n");
    let v = view(&r);
    assert_eq!(v.files.len(), 2, "the before file is still there");
    assert!(
        v.problems
            .iter()
            .any(|p| p.contains("No participant code of “group_after.csv” matches a code of “group_before.csv”")),
        "{:?}",
        v.problems
    );
    // Two files set to the same wave.
    let Reply::Analysed { mut recipe, .. } = r else { panic!() };
    let link = recipe.link.as_mut().unwrap();
    for (w, f) in link.waves.0.iter_mut() {
        if f == "group_after.csv" {
            *w = "pre".into();
        }
    }
    let r = handle_to_end(&mut s, Request::Analyse { seq: 99, recipe }, None).pop().unwrap();
    assert!(view(&r).problems.iter().any(|p| p == "“group_before.csv” and “group_after.csv” are both set as the before (pre) file: set one of them to another wave."), "{:?}", view(&r).problems);
    // No usable code column.
    let r = load(&mut s, "group_after.csv", Recipe::default(), false, b"score,comment\n3,ok\n4,fine\n");
    assert!(
        view(&r)
            .problems
            .iter()
            .any(|p| p.starts_with("“group_after.csv” has no column that looks like a participant code")),
        "{:?}",
        view(&r).problems
    );
    // A single file afterwards is read as before: no waves.
    let r = handle_to_end(
        &mut s,
        Request::LoadData { seq: 100, name: "one.csv".into(), recipe: Recipe::default(), keep_roles: false },
        Some(b"pre,post\n1,2\n2,3\n3,3\n"),
    )
    .pop()
    .unwrap();
    assert!(
        matches!(&r, Reply::Analysed { waves: None, analysis: Some(a), .. } if a.results.linkage.is_none()),
        "{r:?}"
    );
}

#[test]
fn the_cleaned_csv_leaves_the_codes_out_unless_kept() {
    let (case, _, reply) = through_engine("pl1_trial_ids_gforms_qualtrics", true);
    let _ = case;
    let Reply::Analysed { recipe, .. } = reply else { panic!() };
    // Rebuild the engine state through the same path and ask for the cleaned data.
    let dir = case_dir().join("pl1_trial_ids_gforms_qualtrics");
    let mut s = Service::new();
    for (i, f) in
        ["Stigma survey - before (Responses) - Form responses 1.csv", "Stigma survey - after_April 12, 2024_09.14.csv"]
            .iter()
            .enumerate()
    {
        let bytes = std::fs::read(dir.join(f)).unwrap();
        handle_to_end(
            &mut s,
            Request::LoadWave {
                seq: i as u64 + 1,
                name: f.to_string(),
                recipe: recipe.clone(),
                fresh: i == 0,
                replace: None,
                more: false,
            },
            Some(&bytes),
        );
    }
    let csv = |s: &mut Service| match handle_to_end(s, Request::CleanCsv { seq: 9 }, None).pop() {
        Some(Reply::CleanCsv { text, name, .. }) => (name, text),
        other => panic!("{other:?}"),
    };
    let (name, text) = csv(&mut s);
    assert_eq!(name, "linked-clean.csv");
    let header = text.lines().next().unwrap();
    assert!(!header.contains("link_code") && !header.contains("Participant ID"), "{header}");
    assert!(header.contains("pre_stigma_total") && header.contains("post_SC0"), "{header}");
    let mut keep = recipe.clone();
    keep.keep_identifying = vec!["link_code".into()];
    handle_to_end(&mut s, Request::Analyse { seq: 10, recipe: keep }, None);
    let (_, text) = csv(&mut s);
    assert!(text.lines().next().unwrap().starts_with("link_code,"), "kept when the user keeps it");
}
