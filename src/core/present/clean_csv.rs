//! The cleaned-data export: the dataset as CSV, safe to open in a spreadsheet.
//! Cells that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or
//! carriage return) get a leading apostrophe, unless they are plain numbers such as `-2.5`.

use crate::core::dataset::{parse_number, Dataset};

/// Neutralises one cell against formula injection.
pub fn neutralise(cell: &str) -> String {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && parse_number(cell).is_none() {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// The dataset as UTF-8 CSV (comma-separated, quoted where needed, formula-safe).
pub fn safe_csv(ds: &Dataset) -> String {
    safe_csv_without(ds, &[])
}

/// [`safe_csv`] without the columns named in `drop` (identifying columns the user did not
/// choose to keep; see `ingest::identify::columns_to_leave_out`).
pub fn safe_csv_without(ds: &Dataset, drop: &[String]) -> String {
    let columns: Vec<&crate::core::dataset::Column> = ds.columns.iter().filter(|c| !drop.contains(&c.name)).collect();
    let mut w = csv::Writer::from_writer(Vec::new());
    let header: Vec<String> = columns.iter().map(|c| neutralise(&c.name)).collect();
    let mut ok = w.write_record(&header).is_ok();
    for r in 0..ds.n_rows {
        let row: Vec<String> = columns.iter().map(|c| neutralise(c.cells.str_at(r).unwrap_or(""))).collect();
        ok &= w.write_record(&row).is_ok();
    }
    let bytes = w.into_inner().unwrap_or_default();
    if !ok {
        return String::new();
    }
    String::from_utf8(bytes).unwrap_or_default()
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
    fn named_columns_are_left_out() {
        let ds = read_csv(b"id,email,score\n1,a@example.org,3\n2,b@example.org,4\n", "x.csv").unwrap();
        assert_eq!(safe_csv_without(&ds, &["email".to_string()]), "id,score\n1,3\n2,4\n");
    }
}
