//! The in-memory table every analysis reads: named columns of trimmed cell text, plus the
//! located diagnostics collected while reading the file.

use serde::{Deserialize, Serialize};

pub mod cells;
pub use cells::{Cells, CellsBuilder};

/// Cell values read as "missing" by default (shown to the user; see README).
pub const DEFAULT_MISSING_CODES: &[&str] = &["", "NA", "N/A", "n/a", "na", "-99", "-999", "."];

/// A located, plain-language note about the file (a ragged row, a non-number, ...): where it
/// is (data row, line of the file, column), what kind of problem it is (tests and the page
/// match the kind, never the sentence) and the sentence a non-statistician can act on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// 1-based data row (the first row after the header is row 1), when it concerns one row.
    pub row: Option<usize>,
    /// 1-based line of the file where the row starts, when known (quoted cells can span lines).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// Column name, when it concerns one column.
    pub column: Option<String>,
    #[serde(default)]
    pub kind: DiagnosticKind,
    pub message: String,
}

/// What a [`Diagnostic`] is about.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DiagnosticKind {
    /// A row with fewer cells than column names (padded with blanks).
    ShortRow,
    /// A row with more cells than column names (kept in new columns).
    LongRow,
    /// A quotation mark that opens a cell and is never closed.
    UnclosedQuote,
    /// A cell that should be a number and is not.
    NotANumber,
    /// A cell that should be a yes/no answer and is not.
    NotYesNo,
    /// A number outside what it can be (a scale's range, a negative dose).
    OutOfRange,
    /// A row left out of the one-row-per-participant table (no code or wave, or a repeat).
    RowLeftOut,
    /// The file could not be turned into one row per participant.
    ReshapeFailed,
    /// "… and N more" after the first few of one kind.
    More,
    /// Column names but no rows.
    NoRows,
    /// Only one column found (perhaps the wrong separator).
    OneColumn,
    /// Part of a file could not be read.
    Unreadable,
    /// A row of the cost table that could not be used.
    CostRow,
    /// A row of the community counts table that could not be used.
    CountsRow,
    #[default]
    Other,
}

/// One column: its header and one trimmed text cell per data row (stored compactly, see
/// [`Cells`]; `cells.iter()`, `cells.get(i)` and `cells[i]` work as on a `Vec<String>`).
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub name: String,
    pub cells: Cells,
}

/// The survey tool a file was recognised as coming from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum ExportFormat {
    /// A plain table (for example saved from Excel).
    #[default]
    Plain,
    Qualtrics,
    SurveyMonkey,
    GoogleForms,
    KoboToolbox,
    Redcap,
}

impl ExportFormat {
    /// The tool's name as users know it.
    pub fn name(self) -> &'static str {
        match self {
            ExportFormat::Plain => "plain table",
            ExportFormat::Qualtrics => "Qualtrics",
            ExportFormat::SurveyMonkey => "SurveyMonkey",
            ExportFormat::GoogleForms => "Google Forms",
            ExportFormat::KoboToolbox => "KoboToolbox",
            ExportFormat::Redcap => "REDCap",
        }
    }
}

/// How the text answers of one column are read as numbers (Likert wording, yes/no).
/// Shown to the user and editable; [`Dataset::numeric`] applies it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValueMap {
    pub column: String,
    /// What the map is, in words ("5-point agree–disagree scale").
    pub description: String,
    /// Answer text as written in the file → number. Matched ignoring case and extra spaces.
    pub entries: Vec<(String, f64)>,
    /// Answers read as missing in this column only ("Don't know" set to no number by the
    /// user, recipe `ingest.value_maps`). Matched like `entries`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
}

impl ValueMap {
    /// The number for a cell, if the cell is one of the mapped answers.
    pub fn lookup(&self, cell: &str) -> Option<f64> {
        let t = cell.trim();
        // Fast path: the answer as written in the map, in any case.
        if let Some((_, v)) = self.entries.iter().find(|(label, _)| label.eq_ignore_ascii_case(t)) {
            return Some(*v);
        }
        let key = normalise_answer(t);
        self.entries.iter().find(|(label, _)| normalise_answer(label) == key).map(|(_, v)| *v)
    }

    /// True when the cell is one of the answers this map reads as missing.
    pub fn is_missing_answer(&self, cell: &str) -> bool {
        if self.missing.is_empty() {
            return false;
        }
        let t = cell.trim();
        self.missing.iter().any(|m| m.eq_ignore_ascii_case(t)) || {
            let key = normalise_answer(t);
            self.missing.iter().any(|m| normalise_answer(m) == key)
        }
    }
}

/// A row left out while reading, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DroppedRow {
    /// 1-based physical line of the file where the row starts.
    pub line: usize,
    pub reason: String,
}

/// A parsed file: always rectangular (short rows are padded with blanks and reported).
/// Cells keep the file's text; the reading rules (missing codes, value maps, decimal commas)
/// sit beside them, so the user can see and change them, and [`Dataset::numeric`] applies them.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    pub file: String,
    pub columns: Vec<Column>,
    pub n_rows: usize,
    pub diagnostics: Vec<Diagnostic>,
    /// What the reader did, in words (encoding, delimiter), for the data description.
    pub notes: Vec<String>,
    /// Text encoding the bytes were read as: "UTF-8", "UTF-16LE", "UTF-16BE" or "Windows-1252".
    pub encoding: String,
    /// True when the file started with a byte-order mark.
    pub had_bom: bool,
    /// The field separator used.
    pub delimiter: char,
    /// The survey tool the file was recognised as coming from.
    pub format: ExportFormat,
    /// Rows at the top of the file read as column names or question text (not data).
    pub header_rows: usize,
    /// Question text per column, when the export had it: (column name, text).
    pub labels: Vec<(String, String)>,
    /// The header as written in the file, for columns whose name differs from it (a blank
    /// header named `column_3`, a second `x` named `x_2`): (column name, header).
    pub source_headers: Vec<(String, String)>,
    /// Columns the survey tool adds (dates, IP address, response IDs, ...): not answers.
    pub metadata_columns: Vec<String>,
    /// Cell values read as missing (compared after trimming; blank cells always are).
    pub missing_codes: Vec<String>,
    /// Text → number maps applied by [`Dataset::numeric`], one per column at most.
    pub value_maps: Vec<ValueMap>,
    /// Columns whose numbers are written with a decimal comma ("2,5" = 2.5).
    pub decimal_comma_columns: Vec<String>,
    /// Rows left out while reading (survey previews, unfinished responses when asked).
    pub dropped_rows: Vec<DroppedRow>,
    /// Data rows (1-based) the survey tool marks as unfinished; kept unless asked otherwise.
    pub unfinished_rows: Vec<usize>,
    /// Physical line of the file where each data row starts (for messages).
    pub row_lines: Vec<usize>,
}

impl Default for Dataset {
    fn default() -> Self {
        Dataset {
            file: String::new(),
            columns: Vec::new(),
            n_rows: 0,
            diagnostics: Vec::new(),
            notes: Vec::new(),
            encoding: "UTF-8".into(),
            had_bom: false,
            delimiter: ',',
            format: ExportFormat::Plain,
            header_rows: 1,
            labels: Vec::new(),
            source_headers: Vec::new(),
            metadata_columns: Vec::new(),
            missing_codes: DEFAULT_MISSING_CODES.iter().map(|c| c.to_string()).collect(),
            value_maps: Vec::new(),
            decimal_comma_columns: Vec::new(),
            dropped_rows: Vec::new(),
            unfinished_rows: Vec::new(),
            row_lines: Vec::new(),
        }
    }
}

impl Dataset {
    pub fn column_names(&self) -> Vec<String> {
        self.columns.iter().map(|c| c.name.clone()).collect()
    }

    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// True when a cell is blank or one of this dataset's missing codes.
    pub fn is_missing_value(&self, cell: &str) -> bool {
        let t = cell.trim();
        t.is_empty() || self.missing_codes.iter().any(|c| c.trim() == t)
    }

    /// [`Dataset::is_missing_value`] for many cells: the codes are trimmed once.
    pub(crate) fn missing_checker(&self) -> impl Fn(&str) -> bool + '_ {
        let codes = self.trimmed_codes();
        move |cell: &str| {
            let t = trim_cell(cell);
            t.is_empty() || codes.contains(t)
        }
    }

    /// The missing codes as compared (trimmed).
    fn trimmed_codes(&self) -> MissingCodes<'_> {
        MissingCodes::new(self.missing_codes.iter().map(|c| c.trim()).collect())
    }

    /// Blank cells, missing codes and answers the column's map reads as missing in a column
    /// (once per distinct value of a dictionary column).
    #[cfg(test)]
    fn missing_count(&self, col: &Column) -> usize {
        let cells = &col.cells;
        let codes = self.trimmed_codes();
        let map = self.value_map(&col.name).filter(|m| !m.missing.is_empty());
        let missing = |c: &str| {
            let t = c.trim();
            t.is_empty() || codes.contains(t) || map.is_some_and(|m| m.is_missing_answer(t))
        };
        match cells.dictionary() {
            Some((values, rows)) => {
                let flags: Vec<bool> = values.iter().map(|v| missing(v)).collect();
                rows.iter().filter(|&&r| flags.get(usize::from(r)).copied().unwrap_or(false)).count()
            }
            None => cells.strs().filter(|c| missing(c)).count(),
        }
    }

    /// The header a column had in the file (its name, unless the reader renamed it).
    pub fn source_header<'a>(&'a self, name: &'a str) -> &'a str {
        self.source_headers.iter().find(|(c, _)| c == name).map_or(name, |(_, h)| h.as_str())
    }

    /// The text → number map in force for a column, if any.
    pub fn value_map(&self, name: &str) -> Option<&ValueMap> {
        self.value_maps.iter().find(|m| m.column == name)
    }

    /// Text values of a column: `None` for blank cells and missing codes.
    pub fn text(&self, name: &str) -> Option<Vec<Option<String>>> {
        let col = self.column(name)?;
        let codes = self.trimmed_codes();
        let map = self.value_map(name).filter(|m| !m.missing.is_empty());
        Some(
            col.cells
                .strs()
                .map(|c| {
                    let t = c.trim();
                    if t.is_empty() || codes.contains(t) || map.is_some_and(|m| m.is_missing_answer(t)) {
                        None
                    } else {
                        Some(t.to_string())
                    }
                })
                .collect(),
        )
    }

    /// Numeric values of a column: `None` for missing codes and for text that is not a number.
    /// Mapped answers (Likert wording, yes/no) give their number; decimal-comma columns read
    /// "2,5" as 2.5. Each non-number that is not a missing code is returned as a diagnostic.
    pub fn numeric(&self, name: &str) -> Option<(Vec<Option<f64>>, Vec<Diagnostic>)> {
        self.numeric_as(name, |v| v)
    }

    /// [`Dataset::numeric`] with NaN for a missing or unreadable cell: half the memory of
    /// `Option<f64>` per row (the analysis of a big file holds several such columns at once).
    /// Read values are always finite, so NaN means "no value" only.
    pub fn numeric_nan(&self, name: &str) -> Option<(Vec<f64>, Vec<Diagnostic>)> {
        self.numeric_as(name, |v| v.unwrap_or(f64::NAN))
    }

    /// How one cell of a column is read as a number: the reading rules of [`Dataset::numeric`]
    /// (missing codes, the column's value map, decimal commas), one cell at a time (the cleaned
    /// data export writes row by row with it, so it never holds a second copy of the table).
    pub fn cell_reader<'a>(&'a self, name: &str) -> impl Fn(&str) -> CellReading + 'a {
        let map = self.value_map(name);
        let comma = self.decimal_comma_columns.iter().any(|c| c == name);
        let codes = self.trimmed_codes();
        move |cell: &str| {
            let t = trim_cell(cell);
            if t.is_empty() || codes.contains(t) || map.is_some_and(|m| m.is_missing_answer(t)) {
                return CellReading::Missing;
            }
            // The common case first: no value map and a plain decimal (what `parse_number`
            // would try first too).
            if map.is_none() && !comma {
                if let Some(v) = parse_plain_decimal(t) {
                    return CellReading::Number(v);
                }
            }
            map.and_then(|m| m.lookup(cell))
                .or_else(|| if comma { parse_comma_number(cell) } else { parse_number(cell) })
                .map_or(CellReading::NotANumber, CellReading::Number)
        }
    }

    fn numeric_as<T>(&self, name: &str, out: impl Fn(Option<f64>) -> T) -> Option<(Vec<T>, Vec<Diagnostic>)> {
        let col = self.column(name)?;
        let reader = self.cell_reader(name);
        // `Err(())`: not a number (and not missing).
        let read = |cell: &str| -> Result<Option<f64>, ()> {
            match reader(cell) {
                CellReading::Missing => Ok(None),
                CellReading::Number(v) => Ok(Some(v)),
                CellReading::NotANumber => Err(()),
            }
        };
        let mut diags = Vec::new();
        let mut not_a_number = |i: usize, cell: &str| {
            diags.push(Diagnostic {
                kind: DiagnosticKind::NotANumber,
                line: None,
                row: Some(i + 1),
                column: Some(name.to_string()),
                message: format!(
                    "“{}” is not a number, so row {} is left out of analyses that use “{}”.",
                    shorten(cell),
                    i + 1,
                    name
                ),
            });
        };
        let values: Vec<T> = match col.cells.dictionary() {
            // Each distinct text is read once.
            Some((texts, rows)) => {
                let reads: Vec<Result<Option<f64>, ()>> = texts.iter().map(|t| read(t)).collect();
                rows.iter()
                    .enumerate()
                    .map(|(i, &r)| match reads.get(usize::from(r)).copied().unwrap_or(Ok(None)) {
                        Ok(v) => out(v),
                        Err(()) => {
                            not_a_number(i, texts.get(usize::from(r)).map_or("", String::as_str));
                            out(None)
                        }
                    })
                    .collect()
            }
            None => col
                .cells
                .strs()
                .enumerate()
                .map(|(i, cell)| match read(cell) {
                    Ok(v) => out(v),
                    Err(()) => {
                        not_a_number(i, cell);
                        out(None)
                    }
                })
                .collect(),
        };
        Some((values, diags))
    }
}

/// One cell as [`Dataset::cell_reader`] reads it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CellReading {
    /// Blank, a missing code, or an answer the column's map reads as missing.
    Missing,
    /// The number the analyses use.
    Number(f64),
    /// Text that is not a number (left out of analyses, reported by [`Dataset::numeric`]).
    NotANumber,
}

/// A per-row value that may be missing: an `Option`, or an `f64` with NaN for "no value"
/// (what [`Dataset::numeric_nan`] gives).
pub trait RowValue: Copy {
    type Value: Copy;
    fn value(self) -> Option<Self::Value>;
}

impl<T: Copy> RowValue for Option<T> {
    type Value = T;
    fn value(self) -> Option<T> {
        self
    }
}

impl RowValue for f64 {
    type Value = f64;
    fn value(self) -> Option<f64> {
        (!self.is_nan()).then_some(self)
    }
}

/// Row `i`'s value, `None` when out of range or missing.
pub fn at<C: RowValue>(v: &[C], i: usize) -> Option<C::Value> {
    v.get(i).copied().and_then(RowValue::value)
}

/// A list of missing codes with the lengths they have, so that most cells (numbers longer
/// than any code) are told apart without a comparison.
struct MissingCodes<'a> {
    codes: Vec<&'a str>,
    /// Bit `n` set when some code is `n` bytes long (bit 63: 63 or more).
    lengths: u64,
}

impl<'a> MissingCodes<'a> {
    fn new(codes: Vec<&'a str>) -> Self {
        let lengths = codes.iter().fold(0u64, |m, c| m | 1u64 << c.len().min(63));
        MissingCodes { codes, lengths }
    }

    fn contains(&self, t: &str) -> bool {
        (self.lengths >> t.len().min(63)) & 1 == 1 && self.codes.contains(&t)
    }
}

/// `s.trim()`, without the Unicode scan when the text starts and ends with a visible ASCII
/// character (most cells: every Unicode space is either ASCII up to b' ' or not ASCII).
fn trim_cell(s: &str) -> &str {
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(&a), Some(&b)) if (b'!'..=b'~').contains(&a) && (b'!'..=b'~').contains(&b) => s,
        _ => s.trim(),
    }
}

/// True when a cell holds one of the default missing-value codes.
pub fn is_missing(cell: &str) -> bool {
    DEFAULT_MISSING_CODES.contains(&cell.trim())
}

/// Parses a plain decimal number ("3", "-2.5", "1e3"); rejects NaN and infinities.
pub fn parse_number(cell: &str) -> Option<f64> {
    let t = cell.trim();
    if let Some(v) = parse_plain_decimal(t) {
        return Some(v);
    }
    // Rust also reads "inf", "infinity" and "NaN" (any case): they are not finite, so they are
    // refused here too; nothing else containing those letters parses.
    t.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Powers of ten that are exact doubles.
const POW10: [f64; 16] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/// The quick, exact path for the numbers survey files hold ("3", "-2.5", "0.1234"): a sign,
/// at most 15 digits and at most one point, no exponent. The digits form an integer below
/// 2^53 and the value is that integer divided by an exact power of ten: one correctly rounded
/// division, so the same double the standard parser gives. `None` for anything else.
fn parse_plain_decimal(t: &str) -> Option<f64> {
    let b = t.as_bytes();
    let (neg, digits) = match b.first() {
        Some(b'-') => (true, b.get(1..)?),
        Some(b'+') => (false, b.get(1..)?),
        _ => (false, b),
    };
    let (mut m, mut n, mut frac, mut dot) = (0u64, 0usize, 0usize, false);
    for &c in digits {
        match c {
            b'0'..=b'9' => {
                n += 1;
                if n > 15 {
                    return None;
                }
                m = m * 10 + u64::from(c - b'0');
                frac += usize::from(dot);
            }
            b'.' if !dot => dot = true,
            _ => return None,
        }
    }
    if n == 0 {
        return None;
    }
    let v = m as f64 / POW10.get(frac)?;
    Some(if neg { -v } else { v })
}

/// Parses a number written with a decimal comma ("2,5", "-0,75"); `None` for anything else.
pub fn parse_decimal_comma(cell: &str) -> Option<f64> {
    let t = cell.trim();
    let (int, frac) = t.split_once(',')?;
    let sign = if int.starts_with('-') { "-" } else { "" };
    let digits = int.strip_prefix(['-', '+']).unwrap_or(int);
    // "1.234,5": points between groups of three digits are thousands separators.
    let digits = if digits.contains('.') { grouped_thousands(digits)? } else { digits.to_string() };
    let ok = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !frac.is_empty()
        && frac.bytes().all(|b| b.is_ascii_digit());
    if !ok {
        return None;
    }
    format!("{sign}{digits}.{frac}").parse::<f64>().ok().filter(|v| v.is_finite())
}

/// "1.234" or "12.345.678" → the digits without the points: one to three digits, then groups
/// of exactly three, joined by points (thousands separators in a decimal-comma number).
pub fn grouped_thousands(int: &str) -> Option<String> {
    let mut parts = int.split('.');
    let first = parts.next()?;
    let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if first.is_empty() || first.len() > 3 || !digits(first) {
        return None;
    }
    let mut out = first.to_string();
    let mut groups = 0;
    for p in parts {
        if p.len() != 3 || !digits(p) {
            return None;
        }
        out.push_str(p);
        groups += 1;
    }
    (groups > 0).then_some(out)
}

/// A cell of a column written with decimal commas: "2,5", "1.234,5", and "1.234" (there a point
/// between groups of three digits separates thousands: 1234); anything else as [`parse_number`].
pub fn parse_comma_number(cell: &str) -> Option<f64> {
    let t = cell.trim();
    if let Some(v) = parse_decimal_comma(t) {
        return Some(v);
    }
    let sign = if t.starts_with('-') { "-" } else { "" };
    if let Some(g) = grouped_thousands(t.strip_prefix(['-', '+']).unwrap_or(t)) {
        return format!("{sign}{g}").parse::<f64>().ok().filter(|v| v.is_finite());
    }
    parse_number(t)
}

/// Answer text compared for value maps: lower case, single spaces, no spaces at the ends.
pub fn normalise_answer(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// The English month names, for dates written in words ("12 March 2024", "Mar-24").
pub const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// A month written as a word, 1–12: its full name or a beginning of at least three letters, in
/// any case, with or without a final point ("March", "mar", "Sept.").
pub fn month_number(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_lowercase();
    if w.len() < 3 || !w.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let p = MONTHS.iter().position(|m| m.starts_with(w.as_str()))?;
    u32::try_from(p + 1).ok()
}

/// A count with its noun in the right number, for messages: `count_of(1, "row", "rows")` is
/// "1 row", `count_of(3, "row", "rows")` "3 rows" (never "row(s)").
pub fn count_of(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Cuts long cell text for messages (on a character boundary).
pub fn shorten(s: &str) -> String {
    const MAX: usize = 40;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        let cut: String = s.chars().take(MAX).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_missing_codes() {
        assert_eq!(parse_number(" 4.5 "), Some(4.5));
        assert_eq!(parse_number("NaN"), None);
        assert_eq!(parse_number("inf"), None);
        assert!(is_missing("NA") && is_missing(" ") && is_missing("-99"));
        assert!(!is_missing("0"));
    }

    #[test]
    fn the_quick_number_path_gives_the_standard_parser_s_doubles() {
        let mut cases: Vec<String> = [
            "0",
            "-0",
            "+7",
            "1.",
            ".5",
            "-.25",
            "007",
            "0.1",
            "0.3",
            "2.675",
            "123456789012345",
            "1234567.890123",
            "-999999999.999999",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let mut next = crate::core::xorshift64(0x9e37_79b9_7f4a_7c15);
        for _ in 0..20_000 {
            let x = next();
            let digits = 1 + (x % 15) as usize;
            let point = (x >> 8) as usize % (digits + 1);
            let mut s: String = (0..digits).map(|i| char::from(b'0' + ((x >> (i * 4 % 60)) % 10) as u8)).collect();
            s.insert(point, '.');
            if x & 1 == 1 {
                s.insert(0, '-');
            }
            cases.push(s);
        }
        for c in &cases {
            let want = c.parse::<f64>().ok();
            assert_eq!(parse_plain_decimal(c).map(f64::to_bits), want.map(f64::to_bits), "{c}");
        }
        for c in ["", ".", "-", "1e3", "1.2.3", "12345678901234567", "1,5", " 1", "0x10"] {
            assert_eq!(parse_plain_decimal(c), None, "{c}");
        }
        assert_eq!(parse_number("1e3"), Some(1000.0));
        assert_eq!(parse_number(" 12345678901234567 "), Some(12345678901234567.0));
    }

    #[test]
    fn non_numbers_are_located() {
        let ds = Dataset {
            file: "x.csv".into(),
            columns: vec![Column { name: "pre".into(), cells: Cells::from(vec!["1", "abc", "NA"]) }],
            n_rows: 3,
            ..Default::default()
        };
        let (v, d) = ds.numeric("pre").unwrap();
        assert_eq!(v, vec![Some(1.0), None, None]);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].row, Some(2));
        assert!(d[0].message.contains("abc"));
    }

    #[test]
    fn reading_rules_are_applied_by_numeric() {
        let ds = Dataset {
            columns: vec![
                Column { name: "q".into(), cells: Cells::from(vec!["Strongly  AGREE", "disagree", "-99", "7"]) },
                Column { name: "h".into(), cells: Cells::from(vec!["2,5", "3", "x", ""]) },
            ],
            n_rows: 4,
            value_maps: vec![ValueMap {
                column: "q".into(),
                description: "test".into(),
                entries: vec![("Disagree".into(), 2.0), ("Strongly agree".into(), 5.0)],
                missing: Vec::new(),
            }],
            decimal_comma_columns: vec!["h".into()],
            ..Default::default()
        };
        let (q, d) = ds.numeric("q").unwrap();
        assert_eq!(q, vec![Some(5.0), Some(2.0), None, Some(7.0)]);
        assert!(d.is_empty());
        let (h, d) = ds.numeric("h").unwrap();
        assert_eq!(h, vec![Some(2.5), Some(3.0), None, None]);
        assert_eq!(d.len(), 1);
        assert_eq!(ds.text("h").unwrap(), vec![Some("2,5".into()), Some("3".into()), Some("x".into()), None]);
        // An edited missing-code list is what counts.
        let ds2 = Dataset { missing_codes: vec!["x".into()], ..ds };
        assert_eq!(ds2.numeric("h").unwrap().0, vec![Some(2.5), Some(3.0), None, None]);
        assert!(ds2.numeric("h").unwrap().1.is_empty());
        assert_eq!(ds2.numeric("q").unwrap().0[2], Some(-99.0));
    }

    #[test]
    fn decimal_comma_parsing_is_strict() {
        assert_eq!(parse_decimal_comma("2,5"), Some(2.5));
        assert_eq!(parse_decimal_comma(" -0,75 "), Some(-0.75));
        // Thousands separators (an Excel file saved with German or Spanish settings).
        assert_eq!(parse_decimal_comma("1.234,5"), Some(1234.5));
        assert_eq!(parse_decimal_comma("-12.345.678,25"), Some(-12_345_678.25));
        assert_eq!(parse_decimal_comma("1.23,5"), None);
        assert_eq!(parse_decimal_comma("1234.567,5"), None);
        assert_eq!(parse_comma_number("1.234"), Some(1234.0));
        assert_eq!(parse_comma_number("-2.500"), Some(-2500.0));
        assert_eq!(parse_comma_number("0.5"), Some(0.5), "not thousands: read as written");
        assert_eq!(parse_comma_number("3"), Some(3.0));
        assert_eq!(parse_comma_number("1.2.3"), None);
        assert_eq!(parse_decimal_comma("1,5 hours"), None);
        assert_eq!(parse_decimal_comma("1,2,3"), None);
        assert_eq!(parse_decimal_comma(",5"), None);
        assert_eq!(parse_decimal_comma("2.5"), None);
    }

    #[test]
    fn the_preview_shows_the_first_rows_and_hides_identifying_columns() {
        let csv = "id,email,pre,comment\n1,ann@example.org,30,fine\n2,bob@example.org,28,a very long comment that goes on and on for more than forty characters\n3,cy@example.org,31,\n";
        let ds = crate::core::ingest::read_csv(csv.as_bytes(), "p.csv").unwrap();
        let s = ds.summary();
        assert_eq!(s.preview.len(), 3);
        assert_eq!(s.preview[0], vec!["1", "(hidden)", "30", "fine"]);
        assert!(s.preview[1][3].ends_with('…') && s.preview[1][3].chars().count() == 40, "{}", s.preview[1][3]);
        assert_eq!(s.preview[2][3], "");
        // No e-mail address anywhere in what the page receives (preview, type examples).
        assert!(!s.identifying.is_empty());
        let json = serde_json::to_string(&s).unwrap();
        assert!(!json.contains("ann@") && !json.contains("bob@"), "{json}");
    }

    #[test]
    fn quick_trim_equals_trim() {
        for s in [
            "",
            " ",
            "3.5",
            " 3.5",
            "3.5 ",
            "\t-2\n",
            "\u{a0}4",
            "4\u{3000}",
            "\u{85}x",
            "x\u{7f}",
            "\u{7f}",
            "é",
            " é ",
            "a b",
            "~",
            "!",
        ] {
            assert_eq!(trim_cell(s), s.trim(), "{s:?}");
        }
    }

    #[test]
    fn summary_missing_counts_equal_a_full_count() {
        let csv = "a,b,c\n1,NA,x\n,-99,y\n3, n/a ,NA\n4,2,\n.,5,z\n";
        let mut ds = crate::core::ingest::read_csv(csv.as_bytes(), "m.csv").unwrap();
        for codes in [None, Some(vec!["NA".to_string()]), Some(vec!["x".to_string(), " -99 ".to_string()])] {
            if let Some(c) = codes {
                ds.missing_codes = c;
            }
            let s = ds.summary();
            for c in &ds.columns {
                assert_eq!(s.missing[&c.name], ds.missing_count(c), "{} with {:?}", c.name, ds.missing_codes);
            }
        }
    }
}
