//! The in-memory table every analysis reads: named columns of trimmed cell text, plus the
//! located diagnostics collected while reading the file.

use serde::Serialize;

/// Cell values read as "missing" by default (shown to the user; see README).
pub const DEFAULT_MISSING_CODES: &[&str] = &["", "NA", "N/A", "n/a", "na", "-99", "-999", "."];

/// A located, plain-language note about the file (a ragged row, a non-number, ...).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    /// 1-based data row (the first row after the header is row 1), when it concerns one row.
    pub row: Option<usize>,
    /// Column name, when it concerns one column.
    pub column: Option<String>,
    pub message: String,
}

/// One column: its header and one trimmed text cell per data row.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub name: String,
    pub cells: Vec<String>,
}

/// A parsed file: always rectangular (short rows are padded with blanks and reported).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Dataset {
    pub file: String,
    pub columns: Vec<Column>,
    pub n_rows: usize,
    pub diagnostics: Vec<Diagnostic>,
    /// What the reader did, in words (encoding, delimiter), for the data description.
    pub notes: Vec<String>,
}

impl Dataset {
    pub fn column_names(&self) -> Vec<String> {
        self.columns.iter().map(|c| c.name.clone()).collect()
    }

    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// Numeric values of a column: `None` for missing codes and for text that is not a number.
    /// Each non-number that is not a missing code is returned as a diagnostic.
    pub fn numeric(&self, name: &str) -> Option<(Vec<Option<f64>>, Vec<Diagnostic>)> {
        let col = self.column(name)?;
        let mut diags = Vec::new();
        let values = col
            .cells
            .iter()
            .enumerate()
            .map(|(i, cell)| {
                if is_missing(cell) {
                    return None;
                }
                match parse_number(cell) {
                    Some(v) => Some(v),
                    None => {
                        diags.push(Diagnostic {
                            row: Some(i + 1),
                            column: Some(name.to_string()),
                            message: format!(
                                "“{}” is not a number, so row {} is left out of analyses that use “{}”.",
                                shorten(cell),
                                i + 1,
                                name
                            ),
                        });
                        None
                    }
                }
            })
            .collect();
        Some((values, diags))
    }
}

/// True when a cell holds one of the default missing-value codes.
pub fn is_missing(cell: &str) -> bool {
    DEFAULT_MISSING_CODES.contains(&cell.trim())
}

/// Parses a plain decimal number ("3", "-2.5", "1e3"); rejects NaN and infinities.
pub fn parse_number(cell: &str) -> Option<f64> {
    let t = cell.trim();
    let lower = t.to_ascii_lowercase();
    if lower.contains("nan") || lower.contains("inf") {
        return None;
    }
    t.parse::<f64>().ok().filter(|v| v.is_finite())
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
    fn non_numbers_are_located() {
        let ds = Dataset {
            file: "x.csv".into(),
            columns: vec![Column { name: "pre".into(), cells: vec!["1".into(), "abc".into(), "NA".into()] }],
            n_rows: 3,
            ..Default::default()
        };
        let (v, d) = ds.numeric("pre").unwrap();
        assert_eq!(v, vec![Some(1.0), None, None]);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].row, Some(2));
        assert!(d[0].message.contains("abc"));
    }
}
