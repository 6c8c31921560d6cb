//! Reading the community counts table (period, count, optional exposure, optional program-start
//! marker) leniently: the file is read by [`read_csv`] (encodings, separators, quotes), columns
//! are found by name (or taken from the recipe), counts may carry thousands separators, periods
//! may be numbers ("1", "2019"), months ("2023-04", "Apr 2023", "04/2023"), dates or any labels
//! (then the file order is the time order). Rows that cannot be used are left out with a
//! located diagnostic.

use super::CountsInputs;
use crate::core::dataset::{
    normalise_answer, parse_decimal_comma, parse_number, shorten, Dataset, Diagnostic, DiagnosticKind,
};
use crate::core::ingest::read_csv;

/// One usable period.
#[derive(Debug, Clone, PartialEq)]
pub struct CountRow {
    /// 1-based data row of the file.
    pub row: usize,
    pub label: String,
    /// Time in periods from the first (1 = first period); gaps are kept for numbers and months.
    pub t: f64,
    pub count: f64,
    /// 1 when the table has no exposure column.
    pub exposure: f64,
}

/// The table read for analysis.
#[derive(Debug, Clone, PartialEq)]
pub struct CountsTable {
    pub period_column: String,
    pub count_column: String,
    pub exposure_column: Option<String>,
    pub start_column: Option<String>,
    /// `numbers`, `months`, `dates` or `file_order`.
    pub time_read_as: String,
    /// Usable periods in time order.
    pub rows: Vec<CountRow>,
    /// Time of the first program period, when a start is known.
    pub start_t: Option<f64>,
    /// The start as a period label.
    pub start_label: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
    pub notes: Vec<String>,
}

const PERIOD_KEYS: &[&str] =
    &["period", "month", "date", "week", "year", "quarter", "time", "day", "wave", "yearmonth"];
const COUNT_KEYS: &[&str] = &[
    "count",
    "counts",
    "calls",
    "visits",
    "events",
    "cases",
    "referrals",
    "contacts",
    "appointments",
    "n",
    "number",
    "total",
    "attendances",
    "admissions",
    "presentations",
    "sessions",
    "users",
];
const EXPOSURE_KEYS: &[&str] = &[
    "exposure",
    "population",
    "pop",
    "persontime",
    "person",
    "days",
    "residents",
    "denominator",
    "catchment",
    "offset",
];
const START_KEYS: &[&str] = &[
    "start",
    "post",
    "after",
    "phase",
    "program",
    "programme",
    "intervention",
    "campaign",
    "launch",
    "started",
    "period_after",
];

fn tokens(name: &str) -> Vec<String> {
    let l = name.to_lowercase();
    let mut t: Vec<String> =
        l.split(|c: char| !c.is_alphanumeric()).filter(|s| !s.is_empty()).map(String::from).collect();
    t.push(l.chars().filter(|c| c.is_alphanumeric()).collect());
    t
}

fn find_by_keys(names: &[String], keys: &[&str], taken: &[&str]) -> Option<String> {
    names.iter().find(|n| !taken.contains(&n.as_str()) && tokens(n).iter().any(|t| keys.contains(&t.as_str()))).cloned()
}

/// The column named `want` (exactly, else ignoring case and spaces).
fn resolve(names: &[String], want: &str) -> Option<String> {
    names
        .iter()
        .find(|n| n.as_str() == want)
        .or_else(|| names.iter().find(|n| normalise_answer(n) == normalise_answer(want)))
        .cloned()
}

/// A number with optional thousands separators ("1,234", "1 234", "1'234"); decimal-comma
/// columns read "2,5" as 2.5.
pub fn parse_amount(cell: &str, decimal_comma: bool) -> Option<f64> {
    let t = cell.trim();
    if let Some(v) = parse_number(t) {
        return Some(v);
    }
    if decimal_comma {
        if let Some(v) = parse_decimal_comma(t) {
            return Some(v);
        }
    }
    for sep in [',', ' ', '\u{a0}', '\u{202f}', '\'', '’', '.', '_'] {
        if sep == ',' && decimal_comma {
            continue;
        }
        let (int, frac) = if sep == '.' { (t, "") } else { t.split_once('.').map_or((t, ""), |(a, b)| (a, b)) };
        let parts: Vec<&str> = int.split(sep).collect();
        if parts.len() < 2 {
            continue;
        }
        let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
        let first = parts[0].strip_prefix('-').unwrap_or(parts[0]);
        let ok = digits(first) && first.len() <= 3 && parts[1..].iter().all(|p| p.len() == 3 && digits(p));
        if ok && (frac.is_empty() || frac.bytes().all(|b| b.is_ascii_digit())) {
            let joined = if frac.is_empty() { parts.concat() } else { format!("{}.{frac}", parts.concat()) };
            return parse_number(&joined);
        }
    }
    None
}

/// A month name or its abbreviation (3 letters or more) → 1..=12.
/// A month as year·12 + month − 1, plus the day when the label has one.
fn month_of(label: &str) -> Option<(i64, Option<i64>)> {
    let parts: Vec<&str> = label.trim().split(['-', '/', '.', ' ', '_']).filter(|p| !p.is_empty()).collect();
    let year = |p: &str| -> Option<i64> {
        (p.len() == 4 && p.bytes().all(|b| b.is_ascii_digit())).then(|| p.parse().ok()).flatten()
    };
    let month = |p: &str| -> Option<i64> {
        if p.bytes().all(|b| b.is_ascii_digit()) && p.len() <= 2 {
            p.parse().ok().filter(|m| (1..=12).contains(m))
        } else {
            crate::core::dataset::month_number(p).map(i64::from)
        }
    };
    let day =
        |p: &str| -> Option<i64> { (p.len() <= 2).then(|| p.parse().ok()).flatten().filter(|d| (1..=31).contains(d)) };
    match parts.as_slice() {
        [a, b] => {
            if let (Some(y), Some(m)) = (year(a), month(b)) {
                return Some((y * 12 + m - 1, None));
            }
            let (m, y) = (month(a)?, year(b)?);
            Some((y * 12 + m - 1, None))
        }
        [a, b, c] => {
            let (y, m, d) = (year(a)?, month(b)?, day(c)?);
            Some((y * 12 + m - 1, Some(d)))
        }
        _ => None,
    }
}

/// Why a counts table could not be used at all.
#[derive(Debug, Clone, PartialEq)]
pub enum CountsError {
    /// The file could not be read (the reader's message).
    Unreadable(String),
    /// The settings name a column the table does not have.
    NoSuchColumn {
        column: String,
        role: &'static str,
        columns: Vec<String>,
    },
    NoColumns,
    NoCountColumn,
    /// Period and count were taken from the same column.
    SameColumn,
}

impl std::fmt::Display for CountsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CountsError::Unreadable(e) => write!(f, "{e}"),
            CountsError::NoSuchColumn { column, role, columns } => write!(
                f,
                "The counts table has no column “{column}” (chosen as the {role} column). Its columns are: {}.",
                columns.join(", ")
            ),
            CountsError::NoColumns => write!(f, "The counts table has no columns."),
            CountsError::NoCountColumn => write!(
                f,
                "The counts table needs a column of counts (for example “calls” or “count”) beside the period column."
            ),
            CountsError::SameColumn => write!(f, "The period and count columns must be different columns."),
        }
    }
}

/// Reads the table. `Err` only when the file cannot be read or has no count column.
pub fn read_counts(bytes: &[u8], file_name: &str, inputs: &CountsInputs) -> Result<CountsTable, CountsError> {
    let ds = read_csv(bytes, file_name).map_err(|e| CountsError::Unreadable(e.to_string()))?;
    from_dataset(&ds, inputs)
}

/// Reads an already parsed table.
pub fn from_dataset(ds: &Dataset, inputs: &CountsInputs) -> Result<CountsTable, CountsError> {
    let names = ds.column_names();
    let (period, count, exposure, start_col) = find_columns(ds, &names, inputs)?;
    counts_from_columns(ds, inputs, period, count, exposure, start_col)
}

/// The period, count, exposure and start columns: from the settings, else by name, else (count)
/// the first other column of mostly numbers.
fn find_columns(
    ds: &Dataset,
    names: &[String],
    inputs: &CountsInputs,
) -> Result<(String, String, Option<String>, Option<String>), CountsError> {
    let explicit = |want: &Option<String>, role: &'static str| -> Result<Option<String>, CountsError> {
        match want.as_deref().filter(|w| !w.trim().is_empty()) {
            Some(w) => resolve(names, w).map(Some).ok_or_else(|| CountsError::NoSuchColumn {
                column: w.to_string(),
                role,
                columns: names.to_vec(),
            }),
            None => Ok(None),
        }
    };
    let period = match explicit(&inputs.period, "period")? {
        Some(p) => p,
        None => {
            find_by_keys(names, PERIOD_KEYS, &[]).or_else(|| names.first().cloned()).ok_or(CountsError::NoColumns)?
        }
    };
    let count = match explicit(&inputs.count, "count")? {
        Some(c) => c,
        None => find_by_keys(names, COUNT_KEYS, &[&period])
            .or_else(|| {
                // Else the first other column whose cells are mostly numbers.
                names
                    .iter()
                    .find(|n| {
                        **n != period
                            && ds.column(n).is_some_and(|c| {
                                let filled: Vec<&String> = c.cells.iter().filter(|x| !ds.is_missing_value(x)).collect();
                                !filled.is_empty()
                                    && filled.iter().filter(|x| parse_amount(x, false).is_some()).count() * 2
                                        > filled.len()
                            })
                    })
                    .cloned()
            })
            .ok_or(CountsError::NoCountColumn)?,
    };
    let exposure = match explicit(&inputs.exposure, "exposure")? {
        Some(e) => Some(e),
        None => find_by_keys(names, EXPOSURE_KEYS, &[&period, &count]),
    };
    let start_col = match explicit(&inputs.start, "program start")? {
        Some(s) => Some(s),
        None => {
            let taken: Vec<&str> =
                [Some(period.as_str()), Some(count.as_str()), exposure.as_deref()].into_iter().flatten().collect();
            find_by_keys(names, START_KEYS, &taken)
        }
    };
    if count == period {
        return Err(CountsError::SameColumn);
    }
    Ok((period, count, exposure, start_col))
}

/// Reads the usable periods of the chosen columns, puts them in time order and finds the start.
fn counts_from_columns(
    ds: &Dataset,
    inputs: &CountsInputs,
    period: String,
    count: String,
    exposure: Option<String>,
    start_col: Option<String>,
) -> Result<CountsTable, CountsError> {
    let mut diagnostics: Vec<Diagnostic> = ds.diagnostics.clone();
    let mut notes = Vec::new();
    let cells = |name: &str| ds.column(name).map(|c| c.cells.clone()).unwrap_or_default();
    let (pcells, ccells) = (cells(&period), cells(&count));
    let ecells = exposure.as_deref().map(cells);
    let scells = start_col.as_deref().map(cells);
    let comma = |name: &str| ds.decimal_comma_columns.iter().any(|c| c == name);
    let diag = |row: usize, col: &str, message: String| Diagnostic {
        kind: DiagnosticKind::CountsRow,
        line: None,
        row: Some(row),
        column: Some(col.to_string()),
        message,
    };

    // Periods: labels of rows that have one.
    struct Raw {
        row: usize,
        label: String,
        count: Option<f64>,
        exposure: Option<f64>,
        flag: bool,
    }
    let mut raw: Vec<Raw> = Vec::new();
    for i in 0..ds.n_rows {
        let row = i + 1;
        let label = pcells.get(i).map(|s| s.trim().to_string()).unwrap_or_default();
        let count_cell = ccells.get(i).map(|s| s.trim()).unwrap_or("");
        if ds.is_missing_value(&label) {
            if !ds.is_missing_value(count_cell) {
                diagnostics.push(diag(
                    row,
                    &period,
                    format!("Row {row} has a count but no period, so it is left out."),
                ));
            }
            continue;
        }
        let count_v = if ds.is_missing_value(count_cell) {
            diagnostics.push(diag(
                row,
                &count,
                format!("Period “{}” (row {row}) has no count, so it is left out.", shorten(&label)),
            ));
            None
        } else {
            match parse_amount(count_cell, comma(&count)) {
                Some(v) if v >= 0.0 && v.fract() == 0.0 => Some(v),
                Some(_) => {
                    diagnostics.push(diag(
                        row,
                        &count,
                        format!(
                            "“{}” is not a whole number of 0 or more, so period “{}” (row {row}) is left out.",
                            shorten(count_cell),
                            shorten(&label)
                        ),
                    ));
                    None
                }
                None => {
                    diagnostics.push(diag(
                        row,
                        &count,
                        format!(
                            "“{}” is not a count, so period “{}” (row {row}) is left out.",
                            shorten(count_cell),
                            shorten(&label)
                        ),
                    ));
                    None
                }
            }
        };
        let exposure_v = match (&exposure, &ecells) {
            (Some(ename), Some(ec)) => {
                let cell = ec.get(i).map(|s| s.trim()).unwrap_or("");
                match parse_amount(cell, comma(ename)) {
                    Some(v) if v > 0.0 => Some(v),
                    _ => {
                        if count_v.is_some() {
                            diagnostics.push(diag(
                                row,
                                ename,
                                format!(
                                    "The exposure “{}” of period “{}” (row {row}) is not a number above 0, so the period is left out.",
                                    shorten(cell),
                                    shorten(&label)
                                ),
                            ));
                        }
                        None
                    }
                }
            }
            _ => Some(1.0),
        };
        let flag = match (&start_col, &scells) {
            (Some(sname), Some(sc)) => {
                let cell = sc.get(i).map(|s| s.trim()).unwrap_or("");
                match start_flag(cell, ds.is_missing_value(cell)) {
                    Some(f) => f,
                    None => {
                        diagnostics.push(diag(
                            row,
                            sname,
                            format!(
                                "“{}” is not read as a program-start mark (use 1/0, yes/no, or before/after), so row {row} is taken as not marked.",
                                shorten(cell)
                            ),
                        ));
                        false
                    }
                }
            }
            _ => false,
        };
        raw.push(Raw { row, label, count: count_v, exposure: exposure_v, flag });
    }

    // Time: numbers, months, dates or file order.
    let as_int = |l: &str| parse_number(l).filter(|v| v.fract() == 0.0 && v.abs() < 1e9);
    let months: Vec<Option<(i64, Option<i64>)>> = raw.iter().map(|r| month_of(&r.label)).collect();
    let (kind, mut times): (&str, Vec<f64>) = if !raw.is_empty() && raw.iter().all(|r| as_int(&r.label).is_some()) {
        ("numbers", raw.iter().map(|r| as_int(&r.label).unwrap_or(0.0)).collect())
    } else if !raw.is_empty() && months.iter().all(|m| m.is_some()) {
        let days: Vec<Option<i64>> = months.iter().map(|m| m.and_then(|x| x.1)).collect();
        if days.windows(2).all(|w| w[0] == w[1]) {
            ("months", months.iter().map(|m| m.map_or(0.0, |x| x.0 as f64)).collect())
        } else {
            // Dates within months: order by date, count periods by position.
            let mut keys: Vec<(i64, i64, usize)> = months
                .iter()
                .enumerate()
                .map(|(i, m)| (m.map_or(0, |x| x.0), m.and_then(|x| x.1).unwrap_or(0), i))
                .collect();
            keys.sort();
            let mut t = vec![0.0; raw.len()];
            for (pos, k) in keys.iter().enumerate() {
                t[k.2] = (pos + 1) as f64;
            }
            ("dates", t)
        }
    } else {
        ("file_order", (1..=raw.len()).map(|i| i as f64).collect())
    };
    let t_min = times.iter().copied().fold(f64::INFINITY, f64::min);
    if t_min.is_finite() {
        for t in &mut times {
            *t = *t - t_min + 1.0;
        }
    }
    let mut order: Vec<usize> = (0..raw.len()).collect();
    order.sort_by(|&a, &b| times[a].total_cmp(&times[b]).then(a.cmp(&b)));
    if order.windows(2).any(|w| w[0] > w[1]) {
        notes.push(format!("The periods were not in time order in the file; they are sorted by “{period}”."));
    }
    match kind {
        "dates" => notes.push("The periods are dates: they are put in date order and taken as evenly spaced.".into()),
        "file_order" => notes.push(format!(
            "The values of “{period}” are not read as numbers or months, so the file's row order is taken as the time order, with evenly spaced periods."
        )),
        _ => {}
    }
    // Duplicates: keep the first.
    let mut rows: Vec<CountRow> = Vec::new();
    let mut seen: Vec<f64> = Vec::new();
    let mut flagged_t: Vec<f64> = Vec::new();
    for &k in &order {
        let r = &raw[k];
        let t = times[k];
        if seen.contains(&t) {
            diagnostics.push(diag(
                r.row,
                &period,
                format!(
                    "Period “{}” (row {}) appears more than once; only its first row is used.",
                    shorten(&r.label),
                    r.row
                ),
            ));
            continue;
        }
        seen.push(t);
        if r.flag {
            flagged_t.push(t);
        }
        if let (Some(count), Some(exposure)) = (r.count, r.exposure) {
            rows.push(CountRow { row: r.row, label: r.label.clone(), t, count, exposure });
        }
    }
    if matches!(kind, "numbers" | "months") && seen.len() >= 2 {
        let span = seen.iter().copied().fold(f64::NEG_INFINITY, f64::max)
            - seen.iter().copied().fold(f64::INFINITY, f64::min)
            + 1.0;
        let missing = (span as usize).saturating_sub(seen.len());
        if missing > 0 {
            notes.push(format!(
                "{} between the first and the last {} not in the table; the time trend keeps the gap{}.",
                crate::core::dataset::count_of(missing, "period", "periods"),
                if missing == 1 { "is" } else { "are" },
                if missing == 1 { "" } else { "s" }
            ));
        }
    }

    // Program start.
    let (mut start_t, mut start_label) = (None, None);
    if let Some(sp) = inputs.start_period.as_deref().filter(|s| !s.trim().is_empty()) {
        let key = normalise_answer(sp);
        if let Some(k) = order.iter().find(|&&k| normalise_answer(&raw[k].label) == key) {
            start_t = Some(times[*k]);
            start_label = Some(raw[*k].label.clone());
        } else {
            let ord = match kind {
                "numbers" => as_int(sp),
                "months" => month_of(sp).map(|m| m.0 as f64),
                _ => None,
            };
            match ord {
                Some(o) if t_min.is_finite() => {
                    start_t = Some(o - t_min + 1.0);
                    start_label = Some(sp.trim().to_string());
                }
                _ => notes.push(format!("The program start “{}” is not one of the periods in “{period}”, so before and after cannot be told apart.", shorten(sp))),
            }
        }
        if start_col.is_some() && inputs.start.is_some() {
            notes.push("Both a start period and a start column were given; the start period is used.".into());
        }
    } else if let Some(sname) = &start_col {
        match flagged_t.iter().copied().fold(None, |m: Option<f64>, t| Some(m.map_or(t, |m| m.min(t)))) {
            Some(t) => {
                start_t = Some(t);
                start_label = order.iter().find(|&&k| times[k] == t).map(|&k| raw[k].label.clone());
            }
            None => notes.push(format!("No period is marked in “{sname}”, so the program start is not known.")),
        }
    } else {
        notes.push("Mark the program start (a column with 1 from the first program period on, or the start period in the settings) to compare before and after.".into());
    }
    Ok(CountsTable {
        period_column: period,
        count_column: count,
        exposure_column: exposure,
        start_column: start_col,
        time_read_as: kind.to_string(),
        rows,
        start_t,
        start_label,
        diagnostics,
        notes,
    })
}

/// A program-start mark: `Some(true)` marked, `Some(false)` not marked, `None` unreadable.
fn start_flag(cell: &str, missing: bool) -> Option<bool> {
    if missing {
        return Some(false);
    }
    match cell.trim().to_lowercase().as_str() {
        "1" | "yes" | "y" | "true" | "x" | "post" | "after" | "start" | "started" | "program" | "programme"
        | "intervention" | "on" | "during" => Some(true),
        "0" | "no" | "n" | "false" | "pre" | "before" | "baseline" | "off" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, inputs: &CountsInputs) -> CountsTable {
        read_counts(text.as_bytes(), "c.csv", inputs).unwrap()
    }

    #[test]
    fn amounts_with_separators() {
        assert_eq!(parse_amount("1,234", false), Some(1234.0));
        assert_eq!(parse_amount("1 234 567", false), Some(1234567.0));
        assert_eq!(parse_amount("12,5", true), Some(12.5));
        assert_eq!(parse_amount("1,23", false), None);
        assert_eq!(parse_amount("abc", false), None);
        assert_eq!(parse_amount("1.234", false), Some(1.234));
    }

    #[test]
    fn months_in_several_spellings() {
        assert_eq!(month_of("2023-04"), Some((2023 * 12 + 3, None)));
        assert_eq!(month_of("Apr 2023"), Some((2023 * 12 + 3, None)));
        assert_eq!(month_of("04/2023"), Some((2023 * 12 + 3, None)));
        assert_eq!(month_of("September 2023"), Some((2023 * 12 + 8, None)));
        assert_eq!(month_of("2023-04-01"), Some((2023 * 12 + 3, Some(1))));
        assert_eq!(month_of("Week 3"), None);
        assert_eq!(month_of("Mayday 2023"), None);
    }

    #[test]
    fn columns_found_by_name_and_start_flag() {
        let t = read(
            "month,calls,population,program_start\n2023-01,10,1000,0\n2023-02,12,1000,0\n2023-03,\"1,015\",1000,1\n2023-04,abc,1000,1\n2023-05,9,0,1\n",
            &CountsInputs::default(),
        );
        assert_eq!((t.period_column.as_str(), t.count_column.as_str()), ("month", "calls"));
        assert_eq!(t.exposure_column.as_deref(), Some("population"));
        assert_eq!(t.start_column.as_deref(), Some("program_start"));
        assert_eq!(t.time_read_as, "months");
        assert_eq!(t.rows.len(), 3);
        assert_eq!(t.rows[2].count, 1015.0);
        assert_eq!(t.start_t, Some(3.0));
        assert_eq!(t.start_label.as_deref(), Some("2023-03"));
        // The bad count and the zero exposure are located.
        assert!(t.diagnostics.iter().any(|d| d.row == Some(4) && d.column.as_deref() == Some("calls")));
        assert!(t.diagnostics.iter().any(|d| d.row == Some(5) && d.column.as_deref() == Some("population")));
    }

    #[test]
    fn unsorted_numbers_gaps_duplicates_and_start_period() {
        let inputs = CountsInputs { start_period: Some("4".into()), ..Default::default() };
        let t = read("period,count\n3,5\n1,4\n2,6\n2,7\n6,8\n4,9\n", &inputs);
        assert_eq!(t.rows.iter().map(|r| r.t).collect::<Vec<_>>(), vec![1.0, 2.0, 3.0, 4.0, 6.0]);
        assert!(t.notes.iter().any(|n| n.contains("sorted")));
        assert!(t.notes.iter().any(|n| n.contains("1 period between the first and the last is not")), "{:?}", t.notes);
        assert!(t.diagnostics.iter().any(|d| d.message.contains("more than once")));
        assert_eq!(t.start_t, Some(4.0));
        // A start marker on the first programme period only works the same way.
        let m = read("week,visits,launch\nw1,3,\nw2,4,\nw3,5,x\nw4,6,\n", &CountsInputs::default());
        assert_eq!(m.time_read_as, "file_order");
        assert_eq!(m.start_t, Some(3.0));
        assert_eq!(m.exposure_column, None);
        assert!(m.rows.iter().all(|r| r.exposure == 1.0));
    }

    #[test]
    fn missing_columns_are_plain_errors() {
        let e = read_counts(
            b"period,count\n1,2\n",
            "c.csv",
            &CountsInputs { count: Some("calls".into()), ..Default::default() },
        )
        .unwrap_err();
        assert!(
            matches!(&e, CountsError::NoSuchColumn { column, role: "count", columns } if column == "calls" && columns.len() == 2),
            "{e:?}"
        );
        assert!(e.to_string().contains("“calls”"), "{e}");
        assert!(matches!(read_counts(b"", "c.csv", &CountsInputs::default()), Err(CountsError::Unreadable(_))));
        assert_eq!(
            read_counts(b"period\nJan\nFeb\n", "c.csv", &CountsInputs::default()),
            Err(CountsError::NoCountColumn)
        );
        // Without a start: a note asks for it.
        let t = read("period,count\n1,2\n2,3\n", &CountsInputs::default());
        assert!(t.start_t.is_none() && t.notes.iter().any(|n| n.contains("Mark the program start")));
    }
}
