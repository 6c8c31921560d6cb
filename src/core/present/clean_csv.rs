//! The cleaned-data export: the dataset as the analysis reads it, as CSV, safe to open in a
//! spreadsheet, and beside it a data dictionary saying how each column was converted.
//!
//! Analysis-ready means the page's reading rules are applied, by the function the analyses
//! read cells with ([`Dataset::cell_reader`], used by [`Dataset::numeric`]): in a number or
//! yes/no column each cell is written as the number the analysis reads (Likert wording through
//! the column's value map, yes/no as 1/0, a decimal comma as a point); blank cells, missing
//! codes and answers a map reads as missing are written blank; rows the reader dropped (survey
//! previews, the second header row) are not there; one header row holds the names the recipe
//! uses. A cell of a number column that is not a number is written as it was (the analysis
//! leaves it out; the dictionary counts them). Other columns (categories, text, dates, codes)
//! keep their text.
//!
//! Cells that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or
//! carriage return) get a leading apostrophe, unless they are plain numbers such as `-2.5`.

use crate::core::dataset::{parse_number, CellReading, Column, Dataset};
use crate::core::ingest::types::{self, ValueKind};
use crate::core::ingest::values::missing_code_counts;

/// Neutralises one cell against formula injection.
pub fn neutralise(cell: &str) -> String {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && parse_number(cell).is_none() {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// How one column is written: its detected kind and whether its cells are written as numbers.
struct Plan<'a> {
    col: &'a Column,
    kind: ValueKind,
    numeric: bool,
}

/// The kind of every column (as the page's preview shows it) and whether it is written as
/// numbers: number and yes/no columns, and any column with a value map or a decimal comma.
fn plans<'a>(ds: &'a Dataset, columns: &[&'a Column]) -> Vec<Plan<'a>> {
    columns
        .iter()
        .map(|&col| {
            let s = types::sample(ds, col);
            let kind = types::column_type(ds, col, &s).kind;
            // A yes/no column without a map (a tool's `True`/`False`) is written as numbers
            // only when every answer is one (0/1).
            let read = ds.cell_reader(&col.name);
            let numeric = kind == ValueKind::Number
                || ds.value_map(&col.name).is_some()
                || ds.decimal_comma_columns.contains(&col.name)
                || (kind == ValueKind::YesNo && s.values.iter().all(|(v, _)| read(v) != CellReading::NotANumber));
            Plan { col, kind, numeric }
        })
        .collect()
}

/// A number as written in the cleaned CSV: the shortest text that reads back as the same
/// double, never an exponent, `0` for minus zero.
fn number_text(v: f64) -> String {
    if v == 0.0 {
        "0".into()
    } else {
        format!("{v}")
    }
}

/// True when a cell is written as a plain decimal (`-2.50`, `12345678901234567890`): such a
/// cell is copied as it is (it reads back as the same number, and long codes keep every digit).
fn plain_decimal(t: &str) -> bool {
    let digits = t.strip_prefix('-').unwrap_or(t);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, "0"));
    !int.is_empty() && !frac.is_empty() && int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
}

/// One cell as written: in a number column the number the analysis reads (a plain decimal
/// copied as it is), else the text; blank for missing. `read` is the column's
/// [`Dataset::cell_reader`], the analyses' own reading of a cell.
fn written_cell(numeric: bool, read: &dyn Fn(&str) -> CellReading, cell: &str) -> String {
    let t = cell.trim();
    match read(cell) {
        CellReading::Missing => String::new(),
        CellReading::Number(v) if numeric => {
            if plain_decimal(t) && parse_number(t) == Some(v) {
                t.to_string()
            } else {
                number_text(v)
            }
        }
        CellReading::Number(_) | CellReading::NotANumber => t.to_string(),
    }
}

/// Writes rows as formula-safe CSV; empty on a write error.
fn write_csv(rows: impl Iterator<Item = Vec<String>>) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut ok = true;
    for row in rows {
        let row: Vec<String> = row.iter().map(|c| neutralise(c)).collect();
        ok &= w.write_record(&row).is_ok();
    }
    let bytes = w.into_inner().unwrap_or_default();
    if !ok {
        return String::new();
    }
    String::from_utf8(bytes).unwrap_or_default()
}

/// The dataset as analysis-ready UTF-8 CSV (comma-separated, quoted where needed, formula-safe).
pub fn safe_csv(ds: &Dataset) -> String {
    safe_csv_without(ds, &[])
}

/// [`safe_csv`] without the columns named in `drop` (identifying columns the user did not
/// choose to keep; see `ingest::identify::columns_to_leave_out`).
pub fn safe_csv_without(ds: &Dataset, drop: &[String]) -> String {
    let columns: Vec<&Column> = ds.columns.iter().filter(|c| !drop.contains(&c.name)).collect();
    let plans = plans(ds, &columns);
    let readers: Vec<_> = plans.iter().map(|p| ds.cell_reader(&p.col.name)).collect();
    let header = std::iter::once(columns.iter().map(|c| c.name.clone()).collect::<Vec<_>>());
    // Row by row from the stored cells: the table is never held twice.
    let rows = (0..ds.n_rows).map(|r| {
        plans
            .iter()
            .zip(&readers)
            .map(|(p, read)| written_cell(p.numeric, read, p.col.cells.str_at(r).unwrap_or("")))
            .collect()
    });
    write_csv(header.chain(rows))
}

/// The data dictionary's column names.
pub const DICTIONARY_HEADER: [&str; 8] =
    ["column", "source_header", "question", "type", "written_as", "value_map", "missing_codes", "notes"];

/// The data dictionary of [`safe_csv_without`]'s file, as formula-safe CSV: one row per
/// column written, giving its name, the header it had in the export, the question text (when
/// the export has one), its type, whether it is written as numbers, the value map
/// (`label=number; …`, answers read as missing as `label=`), the missing codes found in it
/// with their counts (`7 × NA; 3 × N/A; 8 blank`) and what else was converted.
pub fn dictionary_csv_without(ds: &Dataset, drop: &[String]) -> String {
    let columns: Vec<&Column> = ds.columns.iter().filter(|c| !drop.contains(&c.name)).collect();
    let plans = plans(ds, &columns);
    let header = std::iter::once(DICTIONARY_HEADER.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    let rows = plans.iter().map(|p| dictionary_row(ds, p));
    write_csv(header.chain(rows))
}

fn dictionary_row(ds: &Dataset, p: &Plan<'_>) -> Vec<String> {
    let name = &p.col.name;
    let question = ds.labels.iter().find(|(c, _)| c == name).map(|(_, q)| q.clone()).unwrap_or_default();
    let source = ds.source_header(name).to_string();
    let map = ds.value_map(name);
    let value_map = map
        .map(|m| {
            let mut parts: Vec<String> = m.entries.iter().map(|(l, v)| format!("{l}={}", number_text(*v))).collect();
            parts.extend(m.missing.iter().map(|l| format!("{l}=")));
            parts.join("; ")
        })
        .unwrap_or_default();
    let found = missing_code_counts(std::slice::from_ref(p.col), &ds.missing_codes);
    let blanks = p.col.cells.strs().filter(|c| c.trim().is_empty()).count();
    // Count first ("3 × -99"): a code such as -99 never starts the cell.
    let mut missing: Vec<String> = found.iter().map(|(c, n)| format!("{n} × {c}")).collect();
    if blanks > 0 {
        missing.push(format!("{blanks} blank"));
    }
    let mut notes = Vec::new();
    if p.numeric {
        if ds.decimal_comma_columns.contains(name) {
            notes.push("decimal commas written as points".to_string());
        }
        let read = ds.cell_reader(name);
        let not_numbers = p.col.cells.strs().filter(|c| read(c) == CellReading::NotANumber).count();
        if not_numbers > 0 {
            notes.push(format!(
                "{not_numbers} {} not a number, written as in the file and left out of analyses",
                if not_numbers == 1 { "cell is" } else { "cells are" }
            ));
        }
    }
    if ds.metadata_columns.contains(name) {
        notes.push(format!("added by {}, not an answer", ds.format.name()));
    }
    vec![
        name.clone(),
        source,
        question,
        p.kind.name().to_string(),
        if p.numeric { "number" } else { "text" }.to_string(),
        value_map,
        missing.join("; "),
        notes.join("; "),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ingest::read_csv;

    #[test]
    fn formulas_are_neutralised_numbers_are_not() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("+1+2"), "'+1+2");
        assert_eq!(neutralise("-2.5"), "-2.5");
        assert_eq!(neutralise("\tx"), "'\tx");
        assert_eq!(neutralise("plain"), "plain");
    }

    #[test]
    fn round_trips_through_the_reader() {
        let ds = read_csv(b"name,score\n\"Smith, J\",3\n=1+1,-4\n", "x.csv").unwrap();
        let out = safe_csv(&ds);
        assert_eq!(out, "name,score\n\"Smith, J\",3\n'=1+1,-4\n");
    }

    #[test]
    fn the_page_s_reading_rules_are_applied() {
        // By hand: Likert words → 1..5, yes/no → 1/0, a decimal comma → a point, NA and -99 →
        // blank, a long code keeps its digits,
        // categories and text unchanged.
        let csv = "id,pre,helped,hours,arm,note,big\n\
                   1,Strongly agree,Yes,\"2,5\",control,fine,12345678901234567891\n\
                   2,Disagree,No,1,intervention,NA,12345678901234567892\n\
                   3,NA,yes,-99,control,-99,12345678901234567893\n\
                   4,Neither agree nor disagree,N/A,\"0,75\",control,ok,-99\n\
                   5,Agree,no,1,intervention,,12345678901234567895\n";
        let ds = read_csv(csv.as_bytes(), "x.csv").unwrap();
        assert_eq!(
            safe_csv(&ds),
            "id,pre,helped,hours,arm,note,big\n\
             1,5,1,2.5,control,fine,12345678901234567891\n\
             2,2,0,1,intervention,,12345678901234567892\n\
             3,,1,,control,,12345678901234567893\n\
             4,3,,0.75,control,ok,\n\
             5,4,0,1,intervention,,12345678901234567895\n"
        );
        // The same numbers the analysis reads.
        let (pre, _) = ds.numeric("pre").unwrap();
        assert_eq!(pre, vec![Some(5.0), Some(2.0), None, Some(3.0), Some(4.0)]);
        let dict = dictionary_csv_without(&ds, &[]);
        let hours = dict.lines().find(|l| l.starts_with("hours,")).unwrap();
        assert_eq!(hours, "hours,hours,,number,number,,1 × -99,decimal commas written as points");
    }

    #[test]
    fn a_non_number_in_a_number_column_is_kept_as_written_and_counted() {
        let csv = "h\n1\n2\n3\n4\n5\n6\n7\n8\n9\nlots\n";
        let ds = read_csv(csv.as_bytes(), "x.csv").unwrap();
        assert!(safe_csv(&ds).ends_with("\n9\nlots\n"));
        let dict = dictionary_csv_without(&ds, &[]);
        assert_eq!(
            dict.lines().nth(1),
            Some("h,h,,number,number,,,\"1 cell is not a number, written as in the file and left out of analyses\"")
        );
    }

    #[test]
    fn an_edited_value_map_is_what_is_written() {
        let csv = "id,q\n1,Agree\n2,Disagree\n3,Strongly agree\n";
        let mut opts = crate::core::ingest::IngestOptions::default();
        opts.value_maps.insert("q".into(), [("Strongly agree".to_string(), Some(6.0))].into_iter().collect());
        let ds = crate::core::ingest::read_with_options(csv.as_bytes(), "x.csv", &opts).unwrap();
        // (Agree, Disagree and Strongly agree fit the 4-point scale: Agree = 3.)
        assert_eq!(safe_csv(&ds), "id,q\n1,3\n2,2\n3,6\n");
        // A number typed for an answer that is itself a number is the one written.
        let csv = "id,q\n1,1\n2,2\n3,Agree\n";
        let mut opts = crate::core::ingest::IngestOptions::default();
        opts.value_maps.insert("q".into(), [("1".to_string(), Some(10.0))].into_iter().collect());
        let ds = crate::core::ingest::read_with_options(csv.as_bytes(), "x.csv", &opts).unwrap();
        assert_eq!(ds.numeric("q").unwrap().0[0], Some(10.0));
        assert!(safe_csv(&ds).starts_with("id,q\n1,10\n"), "{}", safe_csv(&ds));
    }

    #[test]
    fn the_cleaned_data_and_its_dictionary_are_formula_safe() {
        let ds = Dataset {
            columns: vec![
                Column {
                    name: "=cmd|' /C calc'!A0".into(),
                    cells: crate::core::dataset::Cells::from(vec!["@SUM(1)", "-3"]),
                },
                Column { name: "q".into(), cells: crate::core::dataset::Cells::from(vec!["+bad", "-2.5"]) },
            ],
            n_rows: 2,
            labels: vec![("q".into(), "=HYPERLINK(\"http://x\")".into())],
            source_headers: vec![("q".into(), "-q".into())],
            value_maps: vec![crate::core::dataset::ValueMap {
                column: "q".into(),
                description: "typed".into(),
                entries: vec![("+bad".into(), 1.0)],
                missing: Vec::new(),
            }],
            ..Default::default()
        };
        let out = safe_csv(&ds);
        assert_eq!(out, "'=cmd|' /C calc'!A0,q\n'@SUM(1),1\n-3,-2.5\n");
        let dict = dictionary_csv_without(&ds, &[]);
        let mut r = csv::ReaderBuilder::new().has_headers(true).from_reader(dict.as_bytes());
        let rows: Vec<Vec<String>> = r.records().map(|x| x.unwrap().iter().map(str::to_string).collect()).collect();
        assert_eq!(rows[0][0], "'=cmd|' /C calc'!A0");
        assert_eq!(rows[1][1..3], ["'-q".to_string(), "'=HYPERLINK(\"http://x\")".to_string()]);
        assert_eq!(rows[1][5], "'+bad=1");
        // No cell of either file starts with a character a spreadsheet would run.
        for text in [&out, &dict] {
            let mut r = csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
            for rec in r.records() {
                for cell in rec.unwrap().iter() {
                    assert!(!cell.starts_with(['=', '+', '@', '\t', '\r']), "{cell}");
                    assert!(!cell.starts_with('-') || parse_number(cell).is_some(), "{cell}");
                }
            }
        }
    }

    #[test]
    fn named_columns_are_left_out() {
        let ds = read_csv(b"id,email,score\n1,a@example.org,3\n2,b@example.org,4\n", "x.csv").unwrap();
        assert_eq!(safe_csv_without(&ds, &["email".to_string()]), "id,score\n1,3\n2,4\n");
    }
}
