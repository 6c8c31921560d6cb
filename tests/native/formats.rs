//! Real-world exports: every messy file in `tests/reference/formats/` must give exactly the
//! values of `clean.json` (the same 40 participants), after applying what `manifest.json`
//! says (column names, value maps, missing codes, rows to drop). Expected values come from
//! the reference files only. Then junk input: never a panic, always a plain, located message.

use crate::support::{read_json, reference_dir};
use lantern::core::dataset::{Dataset, ExportFormat};
use lantern::core::ingest::{read_csv, read_with_options, DecimalMark, IngestError, IngestOptions};
use serde_json::Value;
use std::path::PathBuf;

fn formats_dir() -> PathBuf {
    reference_dir().join("formats")
}

fn manifest() -> Value {
    read_json(&formats_dir().join("manifest.json"))
}

fn read_reference(file: &str) -> Dataset {
    let bytes = std::fs::read(formats_dir().join(file)).unwrap();
    read_csv(&bytes, file).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// The export format the manifest's `style` names.
fn expected_format(style: &str) -> ExportFormat {
    if style.contains("Qualtrics") {
        ExportFormat::Qualtrics
    } else if style.contains("SurveyMonkey") {
        ExportFormat::SurveyMonkey
    } else if style.contains("Google Forms") {
        ExportFormat::GoogleForms
    } else {
        ExportFormat::Plain
    }
}

/// Checks one manifest entry; returns every mismatch found.
fn check_file(m: &Value, entry: &Value, clean: &[Value]) -> Vec<String> {
    let file = entry["file"].as_str().unwrap();
    let ds = read_reference(file);
    let mut fails = Vec::new();
    let mut expect = |ok: bool, what: String| {
        if !ok {
            fails.push(format!("{file}: {what}"));
        }
    };

    // How the file was read.
    let encoding = match entry["encoding"].as_str().unwrap() {
        "utf-8" | "utf-8-sig" => "UTF-8",
        "cp1252" => "Windows-1252",
        other => panic!("unknown encoding {other} in manifest"),
    };
    expect(ds.encoding == encoding, format!("encoding {} (want {encoding})", ds.encoding));
    expect(ds.had_bom == entry["bom"].as_bool().unwrap(), format!("BOM {}", ds.had_bom));
    let delim = entry["delimiter"].as_str().unwrap();
    expect(ds.delimiter.to_string() == delim, format!("delimiter {:?} (want {delim:?})", ds.delimiter));
    let header_rows = entry["header_rows"].as_u64().unwrap() as usize;
    expect(ds.header_rows == header_rows, format!("header rows {} (want {header_rows})", ds.header_rows));
    let format = expected_format(entry["style"].as_str().unwrap());
    expect(ds.format == format, format!("format {:?} (want {format:?})", ds.format));
    expect(ds.notes.iter().any(|n| n.contains(encoding)), format!("the notes name the encoding: {:?}", ds.notes));
    if format != ExportFormat::Plain {
        expect(
            ds.notes.iter().any(|n| n.contains(format.name())),
            format!("the notes name {}: {:?}", format.name(), ds.notes),
        );
    }

    // Rows: the ones the manifest drops are dropped, and said so.
    let n_after = entry["n_rows_after_drop"].as_u64().unwrap() as usize;
    let n_in_file = entry["n_data_rows_in_file"].as_u64().unwrap() as usize;
    expect(ds.n_rows == n_after, format!("{} rows (want {n_after})", ds.n_rows));
    expect(ds.dropped_rows.len() == n_in_file - n_after, format!("dropped {:?}", ds.dropped_rows));
    if let Some(rules) = entry["drop_rows_where"].as_array() {
        for rule in rules {
            let col = rule["column"].as_str().unwrap();
            let value = rule["equals"].as_str().unwrap();
            let idx = rule["column_index"].as_u64().unwrap() as usize;
            expect(ds.columns.get(idx).is_some_and(|c| c.name == col), format!("column {idx} is {col}"));
            let left = ds.column(col).map_or(0, |c| c.cells.iter().filter(|v| *v == value).count());
            expect(left == 0, format!("{left} rows with {col} = {value} are still there"));
            expect(
                ds.notes.iter().any(|n| n.contains(value)),
                format!("the notes say why rows were dropped: {:?}", ds.notes),
            );
        }
    }

    // Every manifest missing code is read as missing.
    for code in entry["missing_codes"].as_array().unwrap() {
        let code = code.as_str().unwrap();
        expect(ds.is_missing_value(code), format!("“{code}” is not read as missing"));
    }

    // Columns and cells.
    let numeric: Vec<&str> = m["numeric_columns"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    for clean_col in m["columns"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()) {
        let name = entry["columns"][clean_col].as_str().unwrap();
        let idx = entry["column_index"][clean_col].as_u64().unwrap() as usize;
        let at = ds.columns.get(idx).map(|c| c.name.as_str());
        expect(at == Some(name), format!("column {idx} is {at:?}, want “{name}” ({clean_col})"));
        if ds.column(name).is_none() {
            expect(false, format!("no column “{name}” ({clean_col}); columns: {:?}", ds.column_names()));
            continue;
        }
        let map = entry["value_maps"].get(clean_col).and_then(Value::as_object);
        if numeric.contains(&clean_col) {
            // The reader's own text → number map must agree with the manifest's.
            if let Some(map) = map {
                match ds.value_map(name) {
                    None => expect(false, format!("{clean_col}: no value map found")),
                    Some(vm) => {
                        for (label, num) in map {
                            let want: f64 = num.as_str().unwrap().parse().unwrap();
                            let got = vm.lookup(label);
                            expect(got == Some(want), format!("{clean_col}: “{label}” read as {got:?}, want {want}"));
                        }
                    }
                }
            }
            let (values, diags) = ds.numeric(name).unwrap();
            expect(diags.is_empty(), format!("{clean_col}: {diags:?}"));
            for (r, row) in clean.iter().enumerate() {
                let want = row[clean_col].as_f64();
                let got = values.get(r).copied().flatten();
                let same = match (want, got) {
                    (None, None) => true,
                    (Some(w), Some(g)) => (w - g).abs() <= 1e-12,
                    _ => false,
                };
                expect(same, format!("{clean_col} row {}: got {got:?}, want {want:?}", r + 1));
            }
        } else {
            let text = ds.text(name).unwrap();
            for (r, row) in clean.iter().enumerate() {
                let want = row[clean_col].as_str();
                let got = text.get(r).cloned().flatten().map(|v| match map.and_then(|mp| mp.get(&v)) {
                    Some(mapped) => mapped.as_str().unwrap().to_string(),
                    None => v,
                });
                expect(got.as_deref() == want, format!("{clean_col} row {}: got {got:?}, want {want:?}", r + 1));
            }
        }
    }

    // The manifest's summary, computed from what was read.
    for (clean_col, s) in m["expected_summary"].as_object().unwrap() {
        let name = entry["columns"][clean_col].as_str().unwrap();
        let want_n = s["non_missing"].as_u64().unwrap() as usize;
        if let Some(want_sum) = s["sum"].as_f64() {
            let (v, _) = ds.numeric(name).unwrap_or_default();
            let got: Vec<f64> = v.into_iter().flatten().collect();
            expect(got.len() == want_n, format!("{clean_col}: {} numbers, want {want_n}", got.len()));
            let sum: f64 = got.iter().sum();
            expect((sum - want_sum).abs() < 1e-9, format!("{clean_col}: sum {sum}, want {want_sum}"));
        } else {
            let got = ds.text(name).unwrap_or_default().into_iter().flatten().count();
            expect(got == want_n, format!("{clean_col}: {got} non-missing, want {want_n}"));
        }
    }
    fails
}

#[test]
fn every_export_reproduces_clean_cell_for_cell() {
    let m = manifest();
    let clean = read_json(&formats_dir().join(m["clean_json"].as_str().unwrap()));
    let clean = clean.as_array().unwrap();
    assert_eq!(clean.len(), m["rows"].as_u64().unwrap() as usize);
    let files = m["files"].as_array().unwrap();
    assert_eq!(files.len(), 7, "all seven messy files are checked");
    let mut fails = Vec::new();
    for entry in files {
        fails.extend(check_file(&m, entry, clean));
    }
    assert!(fails.is_empty(), "{} mismatches:\n{}", fails.len(), fails.join("\n"));
}

#[test]
fn clean_csv_itself_reads_as_clean_json() {
    let m = manifest();
    let clean = read_json(&formats_dir().join("clean.json"));
    let ds = read_reference("clean.csv");
    assert_eq!(ds.n_rows, 40);
    assert!(ds.diagnostics.is_empty(), "{:?}", ds.diagnostics);
    assert_eq!(
        ds.column_names(),
        m["columns"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect::<Vec<_>>()
    );
    let (hours, _) = ds.numeric("hours_attended").unwrap();
    for (r, row) in clean.as_array().unwrap().iter().enumerate() {
        assert_eq!(hours[r], row["hours_attended"].as_f64(), "row {}", r + 1);
        assert_eq!(ds.text("comment").unwrap()[r].as_deref(), row["comment"].as_str(), "row {}", r + 1);
    }
}

#[test]
fn qualtrics_specifics() {
    let ds = read_reference("a_qualtrics_export.csv");
    // Row 2 of the export is kept as question text; metadata columns are flagged.
    let label = ds.labels.iter().find(|(c, _)| c == "Q1").map(|(_, l)| l.as_str());
    assert_eq!(label, Some("Participant code"));
    for c in ["StartDate", "IPAddress", "ResponseId", "UserLanguage", "LocationLatitude"] {
        assert!(ds.metadata_columns.iter().any(|m| m == c), "{c} is metadata");
    }
    assert!(!ds.metadata_columns.iter().any(|m| m == "Q4_1" || m == "group"));
    // The preview is record 4 (after three header rows) and line 4 of the file.
    assert_eq!(ds.dropped_rows.len(), 1);
    assert_eq!(ds.dropped_rows[0].line, 4);
    assert!(ds.unfinished_rows.is_empty(), "every response in the export is finished");
    // The first kept row is P01 on line 5.
    assert_eq!(ds.column("Q1").unwrap().cells[0], "P01");
    assert_eq!(ds.row_lines[0], 5);
}

#[test]
fn surveymonkey_and_google_specifics() {
    let ds = read_reference("b_surveymonkey_export.csv");
    assert!(ds.metadata_columns.iter().any(|m| m == "Respondent ID"));
    assert!(ds.notes.iter().any(|n| n.contains("question | answer")));
    let ds = read_reference("c_google_forms_responses.csv");
    assert_eq!(ds.metadata_columns, vec!["Timestamp"]);
    assert!(ds.notes.iter().any(|n| n.contains("1 grid question") && n.contains("10 columns")), "{:?}", ds.notes);
}

#[test]
fn european_excel_decimal_comma_and_text_that_only_looks_like_one() {
    let ds = read_reference("d_excel_european.csv");
    assert_eq!(ds.decimal_comma_columns, vec!["hours_attended"]);
    // The comment "1,5" stays text.
    assert!(!ds.decimal_comma_columns.iter().any(|c| c == "comment"));
    let opts = IngestOptions { decimal_mark: DecimalMark::Point, ..Default::default() };
    let bytes = std::fs::read(formats_dir().join("d_excel_european.csv")).unwrap();
    let point = read_with_options(&bytes, "d.csv", &opts).unwrap();
    let (v, d) = point.numeric("hours_attended").unwrap();
    assert!(v.iter().flatten().count() < 39, "“0,5” is not a number when the user says the mark is a point");
    assert!(!d.is_empty());
    let (v, _) = ds.numeric("hours_attended").unwrap();
    assert_eq!(v[0], Some(0.5));
}

#[test]
fn windows_1252_characters() {
    let ds = read_reference("e_windows1252.csv");
    let clean = read_reference("clean.csv");
    // Every name and comment, including €, curly quotes and en dashes, equals the UTF-8 file.
    assert_eq!(ds.column("name").unwrap().cells, clean.column("name").unwrap().cells);
    assert_eq!(ds.column("comment").unwrap().cells, clean.column("comment").unwrap().cells);
    assert!(!ds.columns.iter().flat_map(|c| &c.cells).any(|c| c.contains('\u{FFFD}')));
}

#[test]
fn the_reader_is_the_same_with_default_options() {
    for f in ["a_qualtrics_export.csv", "d_excel_european.csv", "g_quoted_multiline.csv"] {
        let bytes = std::fs::read(formats_dir().join(f)).unwrap();
        assert_eq!(read_csv(&bytes, f), read_with_options(&bytes, f, &IngestOptions::default()));
    }
}

// ---------------------------------------------------------------------------------------
// Junk and edge cases: never a panic; every problem is a plain sentence, located.

/// A sentence for a person: starts with a capital or quote, ends with a full stop, and has
/// no programmer's debug text.
fn assert_plain(msg: &str) {
    assert!(!msg.is_empty());
    let first = msg.chars().next().unwrap();
    assert!(first.is_uppercase() || first.is_ascii_digit() || first == '“' || first == '…', "starts plainly: {msg}");
    assert!(msg.ends_with('.'), "ends with a full stop: {msg}");
    for bad in ["Error(", "Some(", "None", "{", "panicked", "unwrap", "\\n"] {
        assert!(!msg.contains(bad), "no debug text ({bad}) in: {msg}");
    }
}

/// Reads anything; checks the result is either a plain error or a sound dataset.
fn read_any(bytes: &[u8]) -> Result<Dataset, IngestError> {
    let r = read_csv(bytes, "junk.csv");
    match &r {
        Err(e) => assert_plain(&e.to_string()),
        Ok(ds) => {
            assert!(!ds.columns.is_empty());
            for c in &ds.columns {
                assert_eq!(c.cells.len(), ds.n_rows, "rectangular");
                assert!(!c.name.is_empty());
            }
            assert_eq!(ds.row_lines.len(), ds.n_rows);
            for d in &ds.diagnostics {
                assert_plain(&d.message);
            }
            for n in &ds.notes {
                assert_plain(n);
            }
            for c in &ds.columns {
                let _ = ds.numeric(&c.name);
            }
        }
    }
    r
}

#[test]
fn random_bytes_never_panic() {
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for round in 0..600 {
        let len = (next() % 2000) as usize;
        let bytes: Vec<u8> = if round % 2 == 0 {
            (0..len).map(|_| next() as u8).collect()
        } else {
            // Text-like junk: the characters that matter to a CSV reader, mixed.
            let alphabet = b"ab1,;\t|\"\r\n .-99NA\xC3\xA9\xE9";
            (0..len).map(|_| alphabet[(next() % alphabet.len() as u64) as usize]).collect()
        };
        let _ = read_any(&bytes);
    }
}

#[test]
fn every_prefix_of_the_reference_files_reads_without_panic() {
    for f in [
        "a_qualtrics_export.csv",
        "b_surveymonkey_export.csv",
        "d_excel_european.csv",
        "e_windows1252.csv",
        "g_quoted_multiline.csv",
    ] {
        let bytes = std::fs::read(formats_dir().join(f)).unwrap();
        for cut in (0..bytes.len()).step_by(97) {
            let _ = read_any(&bytes[..cut]);
        }
    }
}

#[test]
fn binary_and_empty_files_get_plain_errors() {
    // An .xlsx is a zip: it starts with "PK\x03\x04".
    let xlsx = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00b\xee\x9dh^\x01\x00\x00\x90\x04\x00\x00\x13\x00\x08\x02[Content_Types].xml";
    let e = read_any(xlsx).unwrap_err();
    assert_eq!(e, IngestError::NotText);
    assert!(e.to_string().contains("Excel"));
    assert_eq!(read_any(b"").unwrap_err(), IngestError::Empty);
    assert_eq!(read_any(b" \r\n\t\n").unwrap_err(), IngestError::Empty);
    assert_eq!(read_any(b"\xEF\xBB\xBF").unwrap_err(), IngestError::Empty);
    assert_eq!(read_any(b"\x00\x00\x00\x01\x02\x03\x04\x05").unwrap_err(), IngestError::NotText);
    assert_eq!(read_any(b",,,\r\n,,\r\n").unwrap_err(), IngestError::NoHeader);
}

#[test]
fn a_single_column() {
    let ds = read_any(b"score\n1\n2\n3\n").unwrap();
    assert_eq!(ds.column_names(), vec!["score"]);
    assert_eq!(ds.n_rows, 3);
    assert_eq!(ds.numeric("score").unwrap().0, vec![Some(1.0), Some(2.0), Some(3.0)]);
    let d = ds.diagnostics.iter().find(|d| d.message.contains("Only one column")).expect("a one-column note");
    assert_eq!(d.column.as_deref(), Some("score"));
}

#[test]
fn only_a_header() {
    let ds = read_any(b"id,pre,post\r\n").unwrap();
    assert_eq!(ds.column_names(), vec!["id", "pre", "post"]);
    assert_eq!(ds.n_rows, 0);
    assert!(ds.diagnostics.iter().any(|d| d.message.contains("no rows of answers")));
}

#[test]
fn a_ten_thousand_cell_row() {
    let mut text = String::from("a,b,c\n1,2,3\n");
    text.push_str(&(0..10_000).map(|i| i.to_string()).collect::<Vec<_>>().join(","));
    text.push('\n');
    let ds = read_any(text.as_bytes()).unwrap();
    assert_eq!(ds.n_rows, 2);
    assert_eq!(ds.columns.len(), 10_000, "the extra cells are kept, not lost");
    let d = &ds.diagnostics[0];
    assert_eq!(d.row, Some(2));
    assert_eq!(d.column.as_deref(), Some("column_4"));
    assert!(
        d.message.starts_with("Row 2 (line 3 of the file) has 10000 cells but only 3 column names"),
        "{}",
        d.message
    );
    // A 10,000-column header reads too.
    let header = (0..10_000).map(|i| format!("c{i}")).collect::<Vec<_>>().join(",");
    let ds = read_any(format!("{header}\n{}\n", vec!["1"; 10_000].join(",")).as_bytes()).unwrap();
    assert_eq!(ds.columns.len(), 10_000);
    assert!(ds.diagnostics.is_empty());
}

#[test]
fn an_unterminated_quote() {
    let ds = read_any(b"id,score,comment\n1,3,fine\n2,4,\"never closed\n3,5,ok\n").unwrap();
    assert_eq!(ds.n_rows, 3, "the open quote does not swallow the rest of the file");
    assert_eq!(ds.column("score").unwrap().cells, vec!["3", "4", "5"]);
    let d = ds.diagnostics.iter().find(|d| d.message.contains("never closed")).unwrap();
    assert_eq!(d.row, Some(2));
    assert_eq!(d.column.as_deref(), Some("comment"));
    assert!(d.message.contains("Row 2 (line 3 of the file), column “comment”"), "{}", d.message);
}

#[test]
fn short_rows_are_located_and_many_are_summarised() {
    let mut text = String::from("id,pre,post\n");
    for i in 0..120 {
        text.push_str(&format!("{i},1\n"));
    }
    let ds = read_any(text.as_bytes()).unwrap();
    assert_eq!(ds.n_rows, 120);
    let first = &ds.diagnostics[0];
    assert_eq!((first.row, first.column.as_deref()), (Some(1), Some("post")));
    assert!(
        first.message.contains(
            "Row 1 (line 2 of the file) has 2 cells but there are 3 column names, so “post” is read as blank"
        ),
        "{}",
        first.message
    );
    assert_eq!(ds.diagnostics.len(), 51, "50 located messages, then one summary");
    assert!(ds.diagnostics[50].message.contains("70 more rows"));
}

#[test]
fn other_awkward_files() {
    // A stray NUL byte in otherwise normal text is removed and said.
    let mut text = b"id,comment\n".to_vec();
    for i in 0..20 {
        text.extend_from_slice(format!("{i},some ordinary words\n").as_bytes());
    }
    text.extend_from_slice(b"20,end\x00\n");
    let ds = read_any(&text).unwrap();
    assert_eq!(ds.column("comment").unwrap().cells[20], "end");
    assert!(ds.notes.iter().any(|n| n.contains("NUL")));
    // HTML or script in a header is kept as plain text (the UI escapes it).
    let ds = read_any(b"<script>alert(1)</script>,b\n1,2\n").unwrap();
    assert_eq!(ds.column_names()[0], "<script>alert(1)</script>");
    // Formula-like cells are data, kept as written.
    let ds = read_any(b"a,b\n=1+1,@SUM(A1)\n").unwrap();
    assert_eq!(ds.column("a").unwrap().cells, vec!["=1+1"]);
    // A 1 MB single line.
    let line = "x".repeat(1 << 20);
    let ds = read_any(line.as_bytes()).unwrap();
    assert_eq!((ds.columns.len(), ds.n_rows), (1, 0));
    // An all-missing column.
    let ds = read_any(b"a,b\n1,NA\n2,\n3,-99\n").unwrap();
    assert_eq!(ds.numeric("b").unwrap().0, vec![None, None, None]);
    // Mixed encodings: one invalid UTF-8 byte makes the file Windows-1252.
    let ds = read_any(
        "name\nZoë\nJos\u{e9}\n".as_bytes().iter().copied().chain(*b"Ren\xe9\n").collect::<Vec<_>>().as_slice(),
    )
    .unwrap();
    assert_eq!(ds.encoding, "Windows-1252");
    assert_eq!(ds.column("name").unwrap().cells[2], "René");
    // UTF-16 with a BOM, as some Windows tools save "Unicode text" (tab-separated).
    let mut utf16 = vec![0xFF, 0xFE];
    for u in "id\tscore\r\n1\t2,5\r\n".encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    let ds = read_any(&utf16).unwrap();
    assert_eq!((ds.encoding.as_str(), ds.delimiter), ("UTF-16LE", '\t'));
    assert_eq!(ds.numeric("score").unwrap().0, vec![Some(2.5)]);
}

#[test]
fn permuting_rows_leaves_every_column_sum_unchanged() {
    let text = std::fs::read_to_string(formats_dir().join("g_quoted_multiline.csv")).unwrap();
    let ds = read_csv(text.as_bytes(), "g.csv").unwrap();
    // Rebuild the file with the rows reversed (quoted, so multi-line cells survive).
    let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let mut rev = ds.column_names().iter().map(|n| quote(n)).collect::<Vec<_>>().join(",");
    rev.push('\n');
    for r in (0..ds.n_rows).rev() {
        rev.push_str(&ds.columns.iter().map(|c| quote(&c.cells[r])).collect::<Vec<_>>().join(","));
        rev.push('\n');
    }
    let back = read_csv(rev.as_bytes(), "rev.csv").unwrap();
    for c in ["q1", "q5", "hours_attended", "help_seeking"] {
        let sum = |d: &Dataset| d.numeric(c).unwrap().0.into_iter().flatten().sum::<f64>();
        assert_eq!(sum(&ds), sum(&back), "{c}");
    }
    assert_eq!(back.column("comment").unwrap().cells[39], ds.column("comment").unwrap().cells[0]);
}
