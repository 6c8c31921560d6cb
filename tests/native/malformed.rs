//! The malformed-file corpus (`tests/malformed/`, expectations in `expected.json`): each file
//! either cannot be opened, with a plain message, or is read with the expected rows and
//! columns and plain messages located by row and column. The page keeps working: every file
//! also goes through the engine (load, analyse, cleaned-data export), and a file that cannot
//! be opened leaves the data loaded before in place.

use lantern::core::dataset::Dataset;
use lantern::core::engine::service::{handle_to_end, Reply, Request, Service};
use lantern::core::ingest::identify::identifying_columns;
use lantern::core::ingest::read_csv;
use lantern::core::present::clean_csv::safe_csv;
use lantern::core::recipe::Recipe;
use serde_json::Value;
use std::path::PathBuf;

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/malformed")
}

/// The bytes of a `generate` entry (too big to commit).
fn generated(name: &str) -> Vec<u8> {
    match name {
        "wide_10000_columns" => {
            let mut s = String::new();
            for r in 0..4usize {
                let width = if r == 3 { 9_999 } else { 10_000 };
                let row: Vec<String> =
                    (0..width).map(|c| if r == 0 { format!("q{c}") } else { ((c + r) % 5 + 1).to_string() }).collect();
                s.push_str(&row.join(","));
                s.push('\n');
            }
            s.into_bytes()
        }
        "one_mb_single_line" => "x".repeat(1 << 20).into_bytes(),
        "one_mb_cell_in_a_row" => format!("id,comment\n1,{}\n2,short\n", "long text ".repeat(1 << 17)).into_bytes(),
        "100000_equal_column_names" => "1,".repeat(100_000).into_bytes(),
        "one_mb_commas" => format!("a,b\n{}", ",".repeat(1 << 20)).into_bytes(),
        other => panic!("unknown generated file {other}"),
    }
}

fn str_of(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(String::from)
}

/// Checks a `{row, column, contains}` expectation against a list of located messages.
fn check_located(what: &str, want: &Value, got: &[lantern::core::dataset::Diagnostic], fails: &mut Vec<String>) {
    let row = want["row"].as_u64().map(|r| r as usize);
    let column = str_of(want, "column");
    let contains = want["contains"].as_str().unwrap_or_default();
    // The kind is what is checked; the sentence fragment only shows the message is the one meant.
    let kind: lantern::core::dataset::DiagnosticKind =
        serde_json::from_value(want["kind"].clone()).unwrap_or_else(|e| panic!("{what}: kind {e}"));
    if !got.iter().any(|d| d.row == row && d.column == column && d.kind == kind && d.message.contains(contains)) {
        let shown: Vec<String> = got
            .iter()
            .take(5)
            .map(|d| format!("[row {:?}, column {:?}, {:?}] {}", d.row, d.column, d.kind, d.message))
            .collect();
        fails.push(format!(
            "{what}: no {kind:?} message at row {row:?}, column {column:?} containing {contains:?}; got {shown:#?}"
        ));
    }
}

/// The message a user sees must be plain language: sentences, no debug output or codes.
fn plain(message: &str) -> bool {
    let first = message.chars().next();
    !message.is_empty()
        && first.is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || c == '…' || c == '“')
        && !message.contains("Err(")
        && !message.contains("Some(")
        && !message.contains("unwrap")
        && !message.contains("\\u")
}

fn check_dataset(entry: &Value, ds: &Dataset, fails: &mut Vec<String>) {
    let mut expect = |ok: bool, what: String| {
        if !ok {
            fails.push(what);
        }
    };
    if let Some(r) = entry["rows"].as_u64() {
        expect(ds.n_rows == r as usize, format!("{} rows (want {r})", ds.n_rows));
    }
    if let Some(c) = entry["columns"].as_u64() {
        expect(ds.columns.len() == c as usize, format!("{} columns (want {c})", ds.columns.len()));
    }
    for d in &ds.diagnostics {
        expect(plain(&d.message), format!("not plain language: {}", d.message));
        if d.row.is_some() {
            expect(
                d.message.contains(&format!("Row {}", d.row.unwrap_or(0))),
                format!("a row message must name its row: {}", d.message),
            );
        }
    }
    for n in &ds.notes {
        expect(plain(n), format!("note not plain language: {n}"));
    }
    if entry["no_diagnostics"].as_bool() == Some(true) {
        expect(ds.diagnostics.is_empty(), format!("expected no reading messages, got {:?}", ds.diagnostics));
    }
    if let Some(n) = entry["diagnostic_count"].as_u64() {
        expect(ds.diagnostics.len() == n as usize, format!("{} reading messages (want {n})", ds.diagnostics.len()));
    }
    if let Some(last) = str_of(entry, "last_diagnostic") {
        expect(
            ds.diagnostics.last().is_some_and(|d| d.message.contains(&last)),
            format!("last message {:?} (want {last:?})", ds.diagnostics.last()),
        );
    }
    if let Some(names) = entry["names"].as_array() {
        let want: Vec<&str> = names.iter().filter_map(Value::as_str).collect();
        expect(ds.column_names() == want, format!("names {:?} (want {want:?})", ds.column_names()));
    }
    if let Some(enc) = str_of(entry, "encoding") {
        expect(ds.encoding == enc, format!("encoding {} (want {enc})", ds.encoding));
    }
    if let Some(bom) = entry["bom"].as_bool() {
        expect(ds.had_bom == bom, format!("BOM {} (want {bom})", ds.had_bom));
    }
    if let Some(d) = str_of(entry, "delimiter") {
        expect(ds.delimiter.to_string() == d, format!("delimiter {:?} (want {d:?})", ds.delimiter));
    }
    if let Some(note) = str_of(entry, "note") {
        expect(ds.notes.iter().any(|n| n.contains(&note)), format!("no note containing {note:?}: {:?}", ds.notes));
    }
    if let Some(lines) = entry["row_lines"].as_array() {
        let want: Vec<usize> = lines.iter().filter_map(Value::as_u64).map(|l| l as usize).collect();
        expect(ds.row_lines == want, format!("row lines {:?} (want {want:?})", ds.row_lines));
    }
    if let Some(cell) = entry.get("cell") {
        let col = cell["column"].as_str().unwrap_or_default();
        let row = cell["row"].as_u64().unwrap_or(0) as usize;
        let got = ds.column(col).and_then(|c| c.cells.str_at(row.wrapping_sub(1)));
        expect(got == cell["value"].as_str(), format!("cell {col} row {row} is {got:?} (want {:?})", cell["value"]));
    }
    if let Some(want) = entry.get("diagnostic") {
        check_located("reading", want, &ds.diagnostics, fails);
    }
    if let Some(want) = entry.get("numeric") {
        let col = want["column"].as_str().unwrap_or_default();
        match ds.numeric(col) {
            Some((_, diags)) => {
                for d in &diags {
                    if !plain(&d.message) {
                        fails.push(format!("not plain language: {}", d.message));
                    }
                }
                check_located("numbers", want, &diags, fails);
            }
            None => fails.push(format!("no column {col}")),
        }
    }
    if let Some(col) = str_of(entry, "numeric_ok") {
        let diags = ds.numeric(&col).map(|(_, d)| d.len());
        if diags != Some(0) {
            fails.push(format!("{col} should read as numbers without messages ({diags:?})"));
        }
    }
    if let Some(nv) = entry.get("numeric_values") {
        let col = nv["column"].as_str().unwrap_or_default();
        let want: Vec<Option<f64>> =
            nv["values"].as_array().map(|a| a.iter().map(Value::as_f64).collect()).unwrap_or_default();
        let got = ds.numeric(col).map(|(v, _)| v);
        if got.as_ref() != Some(&want) {
            fails.push(format!("{col} reads as {got:?} (want {want:?})"));
        }
    }
    let summary = ds.summary();
    if let Some(types) = entry["types"].as_object() {
        for (col, kind) in types {
            let got = summary
                .types
                .iter()
                .find(|t| t.column == *col)
                .map(|t| serde_json::to_value(t.kind).unwrap_or(Value::Null));
            if got.as_ref() != Some(kind) {
                fails.push(format!("type of {col} is {got:?} (want {kind})"));
            }
        }
    }
    if let Some(missing) = entry["missing"].as_object() {
        for (col, n) in missing {
            let got = summary.types.iter().find(|t| t.column == *col).map(|t| t.n_missing as u64);
            if got != n.as_u64() {
                fails.push(format!("missing in {col}: {got:?} (want {n})"));
            }
        }
    }
    if let Some(ident) = entry["identifying"].as_object() {
        let found = identifying_columns(ds);
        let got: Vec<(String, Value)> =
            found.iter().map(|f| (f.column.clone(), serde_json::to_value(f.kind).unwrap_or(Value::Null))).collect();
        let want: Vec<(String, Value)> = ident.iter().map(|(c, k)| (c.clone(), k.clone())).collect();
        if got != want {
            fails.push(format!("identifying columns {got:?} (want {want:?})"));
        }
        if found.iter().any(|f| !plain(&f.reason) || !f.reason.contains(&format!("“{}”", f.column))) {
            fails.push(format!("identifying reasons must be plain and name the column: {found:?}"));
        }
    }
    if let Some(parts) = entry["clean_csv_contains"].as_array() {
        let csv = safe_csv(ds);
        for p in parts.iter().filter_map(Value::as_str) {
            if !csv.contains(p) {
                fails.push(format!("cleaned CSV lacks {p:?}: {csv}"));
            }
        }
    }
}

/// Runs a file through the engine after a good file: the page must keep working.
fn check_engine(name: &str, bytes: &[u8], entry: &Value, fails: &mut Vec<String>) {
    let mut s = Service::new();
    let good = b"id,pre,post\n1,3,2\n2,4,3\n3,5,3\n";
    handle_to_end(
        &mut s,
        Request::LoadData { seq: 1, name: "good.csv".into(), recipe: Recipe::default(), keep_roles: false },
        Some(good),
    );
    let replies = handle_to_end(
        &mut s,
        Request::LoadData { seq: 2, name: name.into(), recipe: Recipe::default(), keep_roles: false },
        Some(bytes),
    );
    let clean = handle_to_end(&mut s, Request::CleanCsv { seq: 3 }, None);
    let clean_text = match clean.first() {
        Some(Reply::CleanCsv { text, .. }) => text.clone(),
        other => {
            fails.push(format!("engine: no cleaned CSV: {other:?}"));
            return;
        }
    };
    match (str_of(entry, "error"), replies.last()) {
        (Some(frag), Some(Reply::Failed { message, .. })) => {
            if !message.contains(&frag) || !message.contains(name) {
                fails.push(format!("engine: failure message {message:?} lacks {frag:?} or the file name"));
            }
            if clean_text != "id,pre,post\n1,3,2\n2,4,3\n3,5,3\n" {
                fails.push(format!("engine: the data loaded before was lost: {clean_text:?}"));
            }
        }
        (None, Some(Reply::Analysed { dataset: Some(summary), .. })) => {
            if let Some(r) = entry["rows"].as_u64() {
                if summary.n_rows != r as usize {
                    fails.push(format!("engine: {} rows", summary.n_rows));
                }
            }
            // Identifying columns are left out of the cleaned data; the rest reads back.
            let kept = summary.columns.len() - summary.identifying.len();
            if let Some(header) = str_of(entry, "clean_csv_header") {
                if clean_text.lines().next() != Some(header.as_str()) {
                    fails.push(format!("engine: cleaned CSV header {:?} (want {header:?})", clean_text.lines().next()));
                }
            }
            if kept > 1 && summary.n_rows > 0 {
                match read_csv(clean_text.as_bytes(), "clean.csv") {
                    Ok(back) => {
                        if back.columns.len() != kept || back.n_rows != summary.n_rows {
                            fails.push(format!(
                                "engine: cleaned CSV reads back as {}×{} (want {}×{kept})",
                                back.n_rows,
                                back.columns.len(),
                                summary.n_rows
                            ));
                        }
                    }
                    Err(e) => fails.push(format!("engine: cleaned CSV does not read back: {e}")),
                }
            }
        }
        (_, other) => fails.push(format!("engine: unexpected reply {other:?}")),
    }
}

#[test]
fn every_malformed_file_gives_its_expected_plain_located_outcome() {
    let dir = corpus_dir();
    let spec: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap();
    let entries = spec["files"].as_array().unwrap();
    let committed: Vec<&str> = entries.iter().filter_map(|e| e["file"].as_str()).collect();
    assert!(entries.len() >= 40, "the corpus has {} cases", entries.len());
    // Every file in the folder has an expectation, and every expectation a file.
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n != "expected.json")
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = committed.iter().map(|s| s.to_string()).collect();
    listed.sort();
    assert_eq!(on_disk, listed, "tests/malformed and expected.json disagree");

    let mut all_fails = Vec::new();
    for entry in entries {
        let (name, bytes) = match (entry["file"].as_str(), entry["generate"].as_str()) {
            (Some(f), _) => (f.to_string(), std::fs::read(dir.join(f)).unwrap()),
            (None, Some(g)) => (format!("{g}.csv"), generated(g)),
            _ => panic!("entry without file or generate: {entry}"),
        };
        let mut fails = Vec::new();
        match (read_csv(&bytes, &name), str_of(entry, "error")) {
            (Err(e), Some(frag)) => {
                let msg = e.to_string();
                if !msg.contains(&frag) || !plain(&msg) {
                    fails.push(format!("error {msg:?} (want a plain message containing {frag:?})"));
                }
            }
            (Err(e), None) => fails.push(format!("could not be opened: {e}")),
            (Ok(ds), Some(frag)) => fails.push(format!("opened ({} rows) but should fail with {frag:?}", ds.n_rows)),
            (Ok(ds), None) => check_dataset(entry, &ds, &mut fails),
        }
        check_engine(&name, &bytes, entry, &mut fails);
        all_fails.extend(fails.into_iter().map(|f| format!("{name}: {f}")));
    }
    assert!(all_fails.is_empty(), "{} problems:\n{}", all_fails.len(), all_fails.join("\n"));
}
