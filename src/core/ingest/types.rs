//! Column type inference for the preview: number, category, text, date, identifier (unique
//! codes), yes/no (or empty), with the missing and distinct counts and one example value.
//!
//! The rules read the column's distinct values (once each for a dictionary column). Columns
//! longer than [`SAMPLE_ROWS`] are judged on evenly spaced rows; `n_missing` is always exact.

use crate::core::dataset::{month_number, parse_comma_number, parse_number, shorten, Column, Dataset};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

/// Rows read per column for the type rules and distinct counts (all rows up to this many).
/// 50,000 evenly spaced rows judge a column as surely as more (a type is decided by its
/// values' form, an identifier by every sampled value differing) and keep the summary of a
/// million-row file near 35 ms instead of 80 (natively).
pub const SAMPLE_ROWS: usize = 50_000;

/// What kind of values a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    /// Numbers (including answers read as numbers: Likert wording, decimal commas).
    Number,
    /// A few repeated labels (arms, age bands, sites).
    Category,
    /// Free text.
    Text,
    /// Calendar dates, with or without a time.
    Date,
    /// A different code on every row (participant or response ids).
    Identifier,
    /// Two answers: yes/no, true/false or 0/1.
    YesNo,
    /// Every cell is blank or a missing code.
    Empty,
}

impl ValueKind {
    /// The kind in words, for the preview.
    pub fn name(self) -> &'static str {
        match self {
            ValueKind::Number => "number",
            ValueKind::Category => "category",
            ValueKind::Text => "text",
            ValueKind::Date => "date",
            ValueKind::Identifier => "identifier (unique codes)",
            ValueKind::YesNo => "yes/no",
            ValueKind::Empty => "empty",
        }
    }
}

/// The detected type of one column, for the preview.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnType {
    pub column: String,
    pub kind: ValueKind,
    /// Blank cells and missing codes (exact).
    pub n_missing: usize,
    /// Distinct filled values (of the rows read; see [`SAMPLE_ROWS`]).
    pub n_distinct: usize,
    /// The first filled value, shortened; empty when there is none.
    pub example: String,
}

/// The filled values of a column, each distinct text once with how often it occurs.
pub(crate) struct Sample<'a> {
    /// (trimmed text, count), in order of first appearance.
    pub values: Vec<(&'a str, usize)>,
    /// Filled cells read (the sum of the counts).
    pub n_filled: usize,
    /// Blank cells and missing codes in the whole column.
    pub n_missing: usize,
}

impl Sample<'_> {
    /// Share of filled cells (0..1) whose text passes `f`; 0 when nothing is filled.
    pub fn share(&self, f: impl Fn(&str) -> bool) -> f64 {
        if self.n_filled == 0 {
            return 0.0;
        }
        let hits: usize = self.values.iter().filter(|(v, _)| f(v)).map(|(_, n)| n).sum();
        hits as f64 / self.n_filled as f64
    }

    pub fn n_distinct(&self) -> usize {
        self.values.len()
    }
}

/// Reads a column's filled values (see [`Sample`]).
pub(crate) fn sample<'a>(ds: &Dataset, col: &'a Column) -> Sample<'a> {
    let len = col.cells.len();
    // Answers the column's map reads as missing count as missing here too.
    let map = ds.value_map(&col.name).filter(|m| !m.missing.is_empty());
    let missing_code = ds.missing_checker();
    let is_missing = |t: &str| missing_code(t) || map.is_some_and(|m| m.is_missing_answer(t));
    match col.cells.dictionary() {
        Some((texts, codes)) => {
            let mut counts = vec![0usize; texts.len()];
            for &c in codes {
                if let Some(n) = counts.get_mut(usize::from(c)) {
                    *n += 1;
                }
            }
            let (mut values, mut n_filled, mut n_missing) = (Vec::new(), 0usize, 0usize);
            let mut seen: FxHashMap<&str, usize> = FxHashMap::default();
            for (t, &n) in texts.iter().zip(&counts) {
                if n == 0 {
                    continue;
                }
                if is_missing(t) {
                    n_missing += n;
                    continue;
                }
                n_filled += n;
                // Texts differing only by outer spaces are one value.
                let key = t.trim();
                match seen.get(key) {
                    Some(&i) => {
                        if let Some(e) = values.get_mut(i) {
                            let e: &mut (&str, usize) = e;
                            e.1 += n;
                        }
                    }
                    None => {
                        seen.insert(key, values.len());
                        values.push((key, n));
                    }
                }
            }
            Sample { values, n_filled, n_missing }
        }
        None => {
            let n_missing = col.cells.strs().filter(|c| is_missing(c)).count();
            let step = if len > SAMPLE_ROWS { len as f64 / SAMPLE_ROWS as f64 } else { 1.0 };
            let picks = len.min(SAMPLE_ROWS);
            let mut index: FxHashMap<&str, usize> = FxHashMap::with_capacity_and_hasher(picks, Default::default());
            let mut values: Vec<(&str, usize)> = Vec::new();
            let mut n_filled = 0usize;
            for k in 0..picks {
                let i = ((k as f64) * step) as usize;
                let Some(cell) = col.cells.str_at(i) else { continue };
                if is_missing(cell) {
                    continue;
                }
                n_filled += 1;
                let t = cell.trim();
                match index.get(t) {
                    Some(&j) => {
                        if let Some(e) = values.get_mut(j) {
                            e.1 += 1;
                        }
                    }
                    None => {
                        index.insert(t, values.len());
                        values.push((t, 1));
                    }
                }
            }
            Sample { values, n_filled, n_missing }
        }
    }
}

/// Header words of an identifier column.
const ID_WORDS: &[&str] = &[
    "id",
    "ids",
    "code",
    "uuid",
    "guid",
    "key",
    "record",
    "responseid",
    "participant",
    "respondent",
    "pid",
    "subject",
    "codigo",
    "código",
];

/// The words of a column name, lower case: split at non-letters and at lower→upper steps
/// ("RecipientLastName" → recipient, last, name).
pub(crate) fn header_words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                words.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower && !cur.is_empty() {
            words.push(std::mem::take(&mut cur));
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    words
}

/// The column name in lower case without spaces or punctuation ("E-mail Address" → "emailaddress").
pub(crate) fn compact(name: &str) -> String {
    name.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

const YES_NO_WORDS: &[&str] =
    &["yes", "no", "y", "n", "true", "false", "t", "f", "sí", "si", "oui", "non", "ja", "nein"];

/// A calendar date, read from the common ways of writing one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateParts {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

fn date(year: i32, month: u32, day: u32) -> Option<DateParts> {
    ((1800..=2200).contains(&year) && day >= 1 && day <= days_in_month(year, month)).then_some(DateParts {
        year,
        month,
        day,
    })
}

fn digits(s: &str) -> Option<u32> {
    (!s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok()).flatten()
}

/// Reads a full date (day, month and year), optionally followed by a time: `2024-03-04`,
/// `2024/3/4`, `4.3.2024`, `3/4/2024 11:39:15` (day/month or month/day, whichever is valid),
/// `2024-03-04T10:00:00Z`, `4 March 2024`, `Mar 4, 2024`, `04-Mar-2024`. Years alone
/// (`1990`) and months (`2024-03`) are not full dates.
pub fn parse_date(cell: &str) -> Option<DateParts> {
    let t = cell.trim();
    if t.len() < 6 || t.len() > 40 {
        return None;
    }
    // The date part: before a 'T' after ten characters, or before a space followed by a time.
    let (head, rest) = match t.find([' ', 'T']) {
        Some(p) => (t.get(..p)?, t.get(p + 1..).unwrap_or_default()),
        None => (t, ""),
    };
    let time_like = |r: &str| {
        r.is_empty() || (r.contains(':') && r.chars().all(|c| c.is_ascii_alphanumeric() || ":.+- ".contains(c)))
    };
    if let Some(d) = numeric_date(head) {
        return time_like(rest).then_some(d);
    }
    // Written month: three tokens, one a month name, one a four-digit year, one the day
    // (so there is a letter; numbers such as "3.4843" stop here).
    if !t.bytes().any(|b| b.is_ascii_alphabetic() || !b.is_ascii()) {
        return None;
    }
    let tokens: Vec<&str> = t.split([' ', ',', '-', '/']).filter(|s| !s.is_empty()).collect();
    let (date_tokens, time_tokens) = tokens.split_at(tokens.len().min(3));
    if date_tokens.len() != 3
        || !time_tokens
            .iter()
            .all(|x| time_like(x) && x.contains(':') || x.eq_ignore_ascii_case("am") || x.eq_ignore_ascii_case("pm"))
    {
        return None;
    }
    let month_at = date_tokens.iter().position(|w| month_number(w).is_some())?;
    let month = date_tokens.get(month_at).and_then(|w| month_number(w))?;
    let others: Vec<&str> = date_tokens.iter().enumerate().filter(|(i, _)| *i != month_at).map(|(_, w)| *w).collect();
    let (a, b) = (others.first()?, others.get(1)?);
    // The day may carry an ordinal ending ("4th").
    let day = digits(a.trim_end_matches(['s', 't', 'n', 'd', 'r', 'h'])).filter(|_| a.len() <= 4)?;
    if b.len() != 4 {
        return None;
    }
    date(i32::try_from(digits(b)?).ok()?, month, day)
}

/// `Y-M-D`, `D/M/Y`, `M/D/Y`, `D.M.Y` (separators `-`, `/`, `.`); two-digit years only with `/`.
fn numeric_date(s: &str) -> Option<DateParts> {
    let sep = ['-', '/', '.'].into_iter().find(|&c| s.contains(c))?;
    let parts: Vec<&str> = s.split(sep).collect();
    let [a, b, c] = parts.as_slice() else { return None };
    let (x, y, z) = (digits(a)?, digits(b)?, digits(c)?);
    if a.len() == 4 {
        return date(i32::try_from(x).ok()?, y, z);
    }
    if a.len() > 2 || b.len() > 2 {
        return None;
    }
    let year = match c.len() {
        4 => i32::try_from(z).ok()?,
        2 if sep == '/' => 2000 + i32::try_from(z).ok()?,
        _ => return None,
    };
    date(year, y, x).or_else(|| date(year, x, y))
}

/// A spreadsheet's error value: `#DIV/0!`, `#N/A`, `#VALUE!`, `#REF!`, `#NAME?`, `#NUM!`, `#NULL!`.
pub fn is_spreadsheet_error(cell: &str) -> bool {
    matches!(
        cell.trim().to_ascii_uppercase().as_str(),
        "#DIV/0!" | "#N/A" | "#VALUE!" | "#REF!" | "#NAME?" | "#NUM!" | "#NULL!" | "#SPILL!" | "#CALC!"
    )
}

/// True when a cell is one of the common yes/no words.
fn is_yes_no_word(t: &str) -> bool {
    // (Checked on every sampled value: no lower-case copy unless the text has non-ASCII letters.)
    if t.len() > 5 {
        return false;
    }
    if t.is_ascii() {
        return YES_NO_WORDS.iter().any(|w| w.eq_ignore_ascii_case(t));
    }
    let l = t.to_lowercase();
    YES_NO_WORDS.contains(&l.as_str())
}

/// Decides the kind of one column from its [`sample`] (the dataset summary reads each column
/// once, for this and the identifying-data guard).
pub(crate) fn column_type(ds: &Dataset, col: &Column, s: &Sample<'_>) -> ColumnType {
    let example = s.values.first().map(|(v, _)| shorten(v)).unwrap_or_default();
    let kind = kind_of(ds, col, s);
    ColumnType { column: col.name.clone(), kind, n_missing: s.n_missing, n_distinct: s.n_distinct(), example }
}

fn kind_of(ds: &Dataset, col: &Column, s: &Sample<'_>) -> ValueKind {
    if s.n_filled == 0 {
        return ValueKind::Empty;
    }
    // Yes/no: only yes/no words, or exactly the two values 0 and 1.
    let all_yes_no = s.values.iter().all(|(v, _)| is_yes_no_word(v) || *v == "0" || *v == "1");
    let some_word = s.values.iter().any(|(v, _)| is_yes_no_word(v));
    if all_yes_no && (some_word || s.n_distinct() == 2) && s.n_distinct() <= 4 {
        return ValueKind::YesNo;
    }
    if s.share(|v| parse_date(v).is_some()) >= 0.9 {
        return ValueKind::Date;
    }
    let map = ds.value_map(&col.name);
    let comma = ds.decimal_comma_columns.contains(&col.name);
    let number = |v: &str| {
        map.is_some_and(|m| m.is_missing_answer(v))
            || map
                .and_then(|m| m.lookup(v))
                .or_else(|| if comma { parse_comma_number(v) } else { parse_number(v) })
                .is_some()
    };
    // Spreadsheet error values ("#DIV/0!", "#N/A") in a column of numbers are failed formulas:
    // the column is still a number column (each such cell is reported where it is read).
    let numeric_share = s.share(|v| number(v) || is_spreadsheet_error(v));
    let all_distinct = s.n_distinct() == s.n_filled && s.n_filled >= 2;
    let words = header_words(&col.name);
    let id_header = words.iter().any(|w| ID_WORDS.contains(&w.as_str()))
        || words.last().is_some_and(|w| w.ends_with("id") && w.len() <= 12);
    if all_distinct && id_header && map.is_none() {
        return ValueKind::Identifier;
    }
    if numeric_share >= 0.9 {
        return ValueKind::Number;
    }
    let code_like =
        |v: &str| v.len() <= 64 && !v.chars().any(char::is_whitespace) && v.chars().any(|c| c.is_ascii_digit());
    if all_distinct && s.n_filled >= 3 && s.share(code_like) >= 0.95 {
        return ValueKind::Identifier;
    }
    let n_distinct = s.n_distinct();
    let mean_words =
        s.values.iter().map(|(v, n)| v.split_whitespace().count() * n).sum::<usize>() as f64 / s.n_filled as f64;
    let mean_len = s.values.iter().map(|(v, n)| v.chars().count() * n).sum::<usize>() as f64 / s.n_filled as f64;
    let short = mean_words <= 4.0 && mean_len <= 40.0;
    if short && (n_distinct <= 5 || (n_distinct <= 30 && n_distinct * 2 <= s.n_filled)) {
        return ValueKind::Category;
    }
    ValueKind::Text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ingest::read_csv;

    #[test]
    fn dates_in_common_spellings() {
        for d in [
            "2024-03-04",
            "2024/3/4",
            "4.3.2024",
            "3/4/2024 11:39:15",
            "2024-03-04T10:00:00Z",
            "4 March 2024",
            "Mar 4, 2024",
            "04-Mar-2024",
            "31/12/1990",
            "12/31/1990",
            "1/2/24",
        ] {
            assert!(parse_date(d).is_some(), "{d}");
        }
        for d in [
            "1990",
            "2024-03",
            "31/31/1990",
            "1.2.3",
            "3.5",
            "abc",
            "2024-02-30",
            "12345678",
            "Mar 2024",
            "1:2:3",
            "Maybe 4, 2024",
        ] {
            assert!(parse_date(d).is_none(), "{d}");
        }
        assert_eq!(parse_date("2024-02-29"), Some(DateParts { year: 2024, month: 2, day: 29 }));
    }

    #[test]
    fn kinds_of_a_typical_file() {
        let csv = "participant_id,arm,age,joined,helped,comment,empty,code\n\
                   P01,intervention,34,2024-01-03,Yes,Felt welcome from the first day,,a1x\n\
                   P02,control,41,2024-01-04,No,NA,,b2y\n\
                   P03,intervention,29,2024-01-05,yes,The sessions were too short for me,NA,c3z\n\
                   P04,control,-99,2024-01-09,no,Would recommend it to a friend,,d4w\n";
        let ds = read_csv(csv.as_bytes(), "t.csv").unwrap();
        let t = ds.summary().types;
        let kind = |c: &str| t.iter().find(|x| x.column == c).unwrap().clone();
        assert_eq!(kind("participant_id").kind, ValueKind::Identifier);
        assert_eq!(kind("arm").kind, ValueKind::Category);
        assert_eq!(kind("arm").n_distinct, 2);
        assert_eq!(kind("age").kind, ValueKind::Number);
        assert_eq!(kind("age").n_missing, 1);
        assert_eq!(kind("joined").kind, ValueKind::Date);
        assert_eq!(kind("helped").kind, ValueKind::YesNo);
        assert_eq!(kind("comment").kind, ValueKind::Text);
        assert_eq!(kind("comment").example, "Felt welcome from the first day");
        assert_eq!(kind("empty").kind, ValueKind::Empty);
        assert_eq!(kind("empty").n_missing, 4);
        assert_eq!(kind("code").kind, ValueKind::Identifier);
    }

    #[test]
    fn header_words_split_camel_case_and_punctuation() {
        assert_eq!(header_words("RecipientLastName"), vec!["recipient", "last", "name"]);
        assert_eq!(header_words("_gps_latitude"), vec!["gps", "latitude"]);
        assert_eq!(header_words("IPAddress"), vec!["ipaddress"]);
        assert_eq!(compact("E-mail Address"), "emailaddress");
    }
}
